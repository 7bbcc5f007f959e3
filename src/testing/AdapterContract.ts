/**
 * The contract every adapter must pass, as an `@effect/vitest` suite.
 *
 * ```ts
 * import { AdapterContract } from "ticketkit/testing"
 * AdapterContract.suite("my system", MyAdapter.layer(options), { queue: { name: "Support" } })
 * ```
 *
 * The suite creates its own tickets (each title carries a random marker, so it can run against a
 * shared live system without seeing other tickets) and checks that every criterion filters
 * correctly, limits are honoured, streams yield every match exactly once across pages, unknown ids
 * give `TicketNotFoundError`, updates round-trip, notes keep their visibility, search finds by
 * text, and errors are typed. It adapts to the adapter's `capabilities`.
 *
 * @since 0.1.0
 */
import { assert, layer as vitestLayer } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as Context from "effect/Context"
import * as DateTime from "effect/DateTime"
import * as Either from "effect/Either"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Stream from "effect/Stream"
import type { AdapterError } from "../AdapterError.js"
import type * as Ticket from "../Ticket.js"
import { TicketSystemAdapter } from "../TicketSystemAdapter.js"
import type { Service } from "../TicketSystemAdapter.js"

/**
 * Options of the contract suite.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** the queue the suite creates its tickets in */
  readonly queue: Ticket.Ref
  /** a second queue, for the queue filter (the check is skipped without one) */
  readonly otherQueue?: Ticket.Ref
  /** an id no ticket has (default "999999999") */
  readonly unknownTicketId?: string
  /** per-test timeout in milliseconds (default 30 000) */
  readonly timeout?: number
  /** a state the system refuses, given as its own name (default "no-such-status-ticketkit") */
  readonly invalidState?: string
}

interface Fixtures {
  readonly marker: string
  readonly all: ReadonlyArray<Ticket.Ticket>
  readonly printerOpen: Ticket.Ticket
  readonly printerNew: Ticket.Ticket
  readonly password: Ticket.Ticket
  readonly invoiceOther: Ticket.Ticket
  readonly invoiceResolved: Ticket.Ticket
}

class ContractFixtures extends Context.Tag("ticketkit/testing/AdapterContract/Fixtures")<ContractFixtures, Fixtures>() {}

const randomMarker = () => `tkc${Math.random().toString(36).slice(2, 10)}`

const makeFixtures = (options: Options) =>
  Effect.gen(function*() {
    const adapter = yield* TicketSystemAdapter
    const marker = randomMarker()
    const states = adapter.capabilities.states
    const create = (title: string, fields: Partial<typeof Ticket.TicketDraft.Encoded>, state?: Ticket.StateType) =>
      adapter.createTicket({ title: `${marker} ${title}`, description: `${title} (ticketkit contract suite)`, queue: options.queue, ...fields }).pipe(
        Effect.flatMap((ticket) =>
          state === undefined || state === "new" || !states.includes(state) ? Effect.succeed(ticket) : adapter.updateTicket(ticket.id, { state })
        )
      )
    const printerOpen = yield* create("printer jammed on floor 2", { priority: "high" }, "open")
    const printerNew = yield* create("printer offline", { priority: "low" })
    const password = yield* create(`password reset ${marker}pw`, { priority: "urgent" }, "pending")
    const invoiceOther = yield* create("invoice copy", { priority: "normal", queue: options.otherQueue ?? options.queue })
    const invoiceResolved = yield* create("invoice paid twice", { priority: "normal" }, "resolved")
    return {
      marker,
      all: [printerOpen, printerNew, password, invoiceOther, invoiceResolved],
      printerOpen,
      printerNew,
      password,
      invoiceOther,
      invoiceResolved
    }
  })

const ids = (tickets: ReadonlyArray<Ticket.Ticket>) => tickets.map((t) => t.id).sort()

const expectFailure = <A>(effect: Effect.Effect<A, AdapterError>, tags: ReadonlyArray<AdapterError["_tag"]>, what: string) =>
  Effect.gen(function*() {
    const result = yield* Effect.either(effect)
    if (Either.isRight(result)) return assert.fail(`${what}: expected ${tags.join(" or ")}, but it succeeded`)
    const error = result.left
    assert.include(tags, error._tag, `${what}: expected ${tags.join(" or ")}, got ${error._tag}: ${error.message}`)
  })

/**
 * Registers the contract tests for an adapter layer.
 *
 * @since 0.1.0
 * @category suites
 */
export const suite = <E>(
  name: string,
  layer: Layer.Layer<TicketSystemAdapter, E>,
  options: Options
): void => {
  const timeout = options.timeout ?? 30_000
  const unknownId = options.unknownTicketId ?? "999999999"
  const withFixtures = Layer.provideMerge(Layer.effect(ContractFixtures, makeFixtures(options)), layer)

  vitestLayer(withFixtures, { excludeTestServices: true, timeout: timeout * 4 })(`AdapterContract: ${name}`, (it) => {
    const test = (title: string, body: (adapter: Service, fx: Fixtures) => Effect.Effect<void, AdapterError>) =>
      it.effect(title, () =>
        Effect.gen(function*() {
          const adapter = yield* TicketSystemAdapter
          const fx = yield* ContractFixtures
          yield* body(adapter, fx)
        }), timeout)

    test("creates tickets and reads them back", (adapter, fx) =>
      Effect.gen(function*() {
        const ticket = yield* adapter.getTicket(fx.printerOpen.id)
        assert.strictEqual(ticket.id, fx.printerOpen.id)
        assert.strictEqual(ticket.title, `${fx.marker} printer jammed on floor 2`)
        assert.strictEqual(ticket.description, "printer jammed on floor 2 (ticketkit contract suite)")
        assert.strictEqual(ticket.priority.level, "high")
        assert.isTrue(ticket.queue.id !== undefined || ticket.queue.name !== undefined)
        assert.isTrue(DateTime.lessThanOrEqualTo(ticket.createdAt, ticket.updatedAt), "createdAt <= updatedAt")
      }))

    test("filters by text", (adapter, fx) =>
      Effect.gen(function*() {
        const found = yield* adapter.fetchTickets({ text: fx.marker })
        assert.deepStrictEqual(ids(found), ids(fx.all))
      }))

    test("filters by state", (adapter, fx) =>
      Effect.gen(function*() {
        const fresh = yield* adapter.fetchTickets({ text: fx.marker, states: ["new"] })
        assert.deepStrictEqual(ids(fresh), ids([fx.printerNew, fx.invoiceOther]))
        if (adapter.capabilities.states.includes("open")) {
          const open = yield* adapter.fetchTickets({ text: fx.marker, states: ["open"] })
          assert.deepStrictEqual(ids(open), ids([fx.printerOpen]))
        }
        if (adapter.capabilities.states.includes("resolved")) {
          const done = yield* adapter.fetchTickets({ text: fx.marker, states: ["resolved", "closed"] })
          assert.deepStrictEqual(ids(done), ids([fx.invoiceResolved]))
        }
      }))

    test("filters by priority", (adapter, fx) =>
      Effect.gen(function*() {
        const urgent = yield* adapter.fetchTickets({ text: fx.marker, priorities: ["urgent"] })
        assert.deepStrictEqual(ids(urgent), ids([fx.password]))
        const lowOrHigh = yield* adapter.fetchTickets({ text: fx.marker, priorities: ["low", "high"] })
        assert.deepStrictEqual(ids(lowOrHigh), ids([fx.printerNew, fx.printerOpen]))
      }))

    test("filters by queue", (adapter, fx) =>
      Effect.gen(function*() {
        const inQueue = yield* adapter.fetchTickets({ text: fx.marker, queues: [options.queue] })
        if (options.otherQueue === undefined) {
          assert.deepStrictEqual(ids(inQueue), ids(fx.all))
          return
        }
        assert.deepStrictEqual(ids(inQueue), ids(fx.all.filter((t) => t !== fx.invoiceOther)))
        const other = yield* adapter.fetchTickets({ text: fx.marker, queues: [options.otherQueue] })
        assert.deepStrictEqual(ids(other), ids([fx.invoiceOther]))
        // the queue as reported by the ticket designates the queue it was filtered by
        const again = yield* adapter.fetchTickets({ text: fx.marker, queues: [other[0]!.queue] })
        assert.deepStrictEqual(ids(again), ids([fx.invoiceOther]))
      }))

    test("filters by updatedSince", (adapter, fx) =>
      Effect.gen(function*() {
        const current = yield* Effect.forEach(fx.all, (t) => adapter.getTicket(t.id))
        const oldest = current.reduce((a, t) => DateTime.min(a, t.updatedAt), current[0]!.updatedAt)
        const latest = current.reduce((a, t) => DateTime.max(a, t.updatedAt), current[0]!.updatedAt)
        const sinceOldest = yield* adapter.fetchTickets({ text: fx.marker, updatedSince: oldest })
        assert.deepStrictEqual(ids(sinceOldest), ids(fx.all))
        const future = yield* adapter.fetchTickets({ text: fx.marker, updatedSince: DateTime.add(latest, { hours: 1 }) })
        assert.deepStrictEqual(ids(future), [])
      }))

    test("honours limit", (adapter, fx) =>
      Effect.gen(function*() {
        const two = yield* adapter.fetchTickets({ text: fx.marker, limit: 2 })
        assert.strictEqual(two.length, 2)
        const searched = yield* adapter.searchTickets(fx.marker, { limit: 3, pageSize: 2 })
        assert.strictEqual(searched.length, 3)
      }))

    test("streams every match exactly once across pages", (adapter, fx) =>
      Effect.gen(function*() {
        const streamed = yield* adapter.streamTickets({ text: fx.marker, pageSize: 2 }).pipe(Stream.runCollect, Effect.map(Chunk.toReadonlyArray))
        assert.strictEqual(streamed.length, fx.all.length, "no ticket twice")
        assert.deepStrictEqual(ids(streamed), ids(fx.all))
        const capped = yield* adapter.streamTickets({ text: fx.marker, pageSize: 2, limit: 3 }).pipe(Stream.runCollect)
        assert.strictEqual(Chunk.size(capped), 3)
      }))

    test("pages with cursors", (adapter, fx) =>
      Effect.gen(function*() {
        const first = yield* adapter.fetchPage({ text: fx.marker, pageSize: 2 })
        assert.strictEqual(first.items.length, 2)
        assert.isDefined(first.next)
        const second = yield* adapter.fetchPage({ text: fx.marker, pageSize: 2, cursor: first.next! })
        assert.strictEqual(second.items.length, 2)
        const overlap = second.items.filter((t) => first.items.some((f) => f.id === t.id))
        assert.deepStrictEqual(overlap, [])
        if (first.total !== undefined) assert.strictEqual(first.total, fx.all.length)
      }))

    test("gives TicketNotFoundError for unknown ids", (adapter) =>
      Effect.gen(function*() {
        yield* expectFailure(adapter.getTicket(unknownId), ["TicketNotFoundError"], "getTicket")
        yield* expectFailure(adapter.updateTicket(unknownId, { priority: "high" }), ["TicketNotFoundError"], "updateTicket")
        yield* expectFailure(adapter.addNote(unknownId, "hello"), ["TicketNotFoundError"], "addNote")
        yield* expectFailure(adapter.listNotes(unknownId), ["TicketNotFoundError"], "listNotes")
      }))

    test("never lets an id change the request target", (adapter, fx) =>
      Effect.forEach(
        [`../${fx.printerOpen.id}`, `${fx.printerOpen.id}?x=y`, `${fx.printerOpen.id}#x`, `${fx.printerOpen.id}/../${fx.printerNew.id}`, "%2e%2e"],
        (id) => expectFailure(adapter.getTicket(id), ["TicketNotFoundError", "InvalidInputError"], `getTicket(${JSON.stringify(id)})`),
        { discard: true }
      ))

    test("round-trips updates", (adapter, fx) =>
      Effect.gen(function*() {
        const title = `${fx.marker} printer offline — renamed ✓`
        const updated = yield* adapter.updateTicket(fx.printerNew.id, { title, priority: "high" })
        assert.strictEqual(updated.title, title)
        assert.strictEqual(updated.priority.level, "high")
        const read = yield* adapter.getTicket(fx.printerNew.id)
        assert.strictEqual(read.title, title)
        assert.strictEqual(read.priority.level, "high")
        // idempotent: the same update again leaves the same values
        const again = yield* adapter.updateTicket(fx.printerNew.id, { title, priority: "high" })
        assert.strictEqual(again.title, title)
        assert.strictEqual(again.priority.level, "high")
        // put it back, so the other checks see the fixture as created
        yield* adapter.updateTicket(fx.printerNew.id, { title: fx.printerNew.title, priority: "low" })
      }))

    test("keeps the visibility of notes", (adapter, fx) =>
      Effect.gen(function*() {
        const caps = adapter.capabilities
        const internal = `${fx.marker} internal note: checked the toner`
        const pub = `${fx.marker} public reply: a technician is on the way`
        if (caps.internalNotes) yield* adapter.addNote(fx.printerOpen.id, { body: internal, visibility: "internal" })
        if (caps.publicNotes) yield* adapter.addNote(fx.printerOpen.id, { body: pub, visibility: "public" })
        const notes = yield* adapter.listNotes(fx.printerOpen.id)
        const find = (body: string) => notes.find((n) => n.body.includes(body))
        if (caps.internalNotes) assert.strictEqual(find(internal)?.visibility, "internal", "internal note read back as internal")
        if (caps.publicNotes) assert.strictEqual(find(pub)?.visibility, "public", "public note read back as public")
        assert.strictEqual(notes.filter((n) => n.body.includes(fx.marker)).length, Number(caps.internalNotes) + Number(caps.publicNotes), "each note once")
      }))

    test("finds tickets by text", (adapter, fx) =>
      Effect.gen(function*() {
        if (!adapter.capabilities.textSearch) return
        const found = yield* adapter.searchTickets(`${fx.marker}pw`)
        assert.deepStrictEqual(ids(found), ids([fx.password]))
      }))

    test("fails with typed errors on invalid input, before any request", (adapter) =>
      Effect.gen(function*() {
        yield* expectFailure(adapter.fetchTickets({ limit: -1 }), ["InvalidInputError"], "negative limit")
        yield* expectFailure(adapter.fetchTickets({ states: ["bogus" as Ticket.StateType] }), ["InvalidInputError"], "unknown state")
        yield* expectFailure(adapter.getTicket(""), ["InvalidInputError"], "empty id")
        yield* expectFailure(adapter.addNote("1", { body: "" }), ["InvalidInputError"], "empty note")
      }))

    test("rejects an invalid change with RequestRejectedError", (adapter, fx) =>
      Effect.gen(function*() {
        const bogus = options.invalidState ?? "no-such-status-ticketkit"
        yield* expectFailure(adapter.updateTicket(fx.invoiceOther.id, { state: { name: bogus } }), ["RequestRejectedError"], "unknown status")
        const read = yield* adapter.getTicket(fx.invoiceOther.id)
        assert.strictEqual(read.state.type, "new", "the rejected change left the ticket as it was")
      }))
  })
}
