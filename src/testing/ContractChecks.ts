/**
 * The checks of the adapter contract, as plain Effects: the `@effect/vitest` suite
 * ({@link AdapterContract.suite}) registers them as tests, and `ticketkit check` runs them against
 * a configured live system.
 *
 * Read checks use the tickets a system already has and change nothing. Write checks create their
 * own tickets (each title carries a random marker, so that they can run against a shared live
 * system without seeing other tickets), update them and add notes to them.
 *
 * @since 0.1.0
 */
import * as Chunk from "effect/Chunk"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Stream from "effect/Stream"
import assert from "node:assert/strict"
import type { AdapterError } from "../AdapterError.js"
import type * as Ticket from "../Ticket.js"
import type { Service } from "../TicketSystemAdapter.js"

/**
 * Options of the contract checks.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** the queue write checks create their tickets in */
  readonly queue: Ticket.Ref
  /** a second queue, for the queue filter (that part is skipped without one) */
  readonly otherQueue?: Ticket.Ref
  /** an id no ticket has (default "999999999") */
  readonly unknownTicketId?: string
  /** a state the system refuses, given as its own name (default "no-such-status-ticketkit") */
  readonly invalidState?: string
}

/**
 * The tickets the write checks create.
 *
 * @since 0.1.0
 * @category models
 */
export interface Fixtures {
  readonly marker: string
  readonly all: ReadonlyArray<Ticket.Ticket>
  readonly printerOpen: Ticket.Ticket
  readonly printerNew: Ticket.Ticket
  readonly password: Ticket.Ticket
  readonly invoiceOther: Ticket.Ticket
  readonly invoiceResolved: Ticket.Ticket
}

/**
 * What a check is given.
 *
 * @since 0.1.0
 * @category models
 */
export interface CheckContext {
  readonly adapter: Service
  readonly options: Options
  /** present for write checks */
  readonly fixtures: Fixtures
}

/**
 * One check of the contract. A failed expectation is an `AssertionError` defect; an adapter error
 * that was not expected fails the check with that error.
 *
 * @since 0.1.0
 * @category models
 */
export interface Check {
  readonly name: string
  readonly kind: "read" | "write"
  readonly run: (context: CheckContext) => Effect.Effect<void, AdapterError>
}

const randomMarker = () => `tkc${Math.random().toString(36).slice(2, 10)}`

/**
 * Creates the write checks' tickets: five, with a common random marker in their titles.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeFixtures = (adapter: Service, options: Options): Effect.Effect<Fixtures, AdapterError> =>
  Effect.gen(function*() {
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

/**
 * Expects an effect to fail with one of the given errors.
 *
 * @since 0.1.0
 * @category assertions
 */
export const expectFailure = <A>(effect: Effect.Effect<A, AdapterError>, tags: ReadonlyArray<AdapterError["_tag"]>, what: string) =>
  Effect.gen(function*() {
    const result = yield* Effect.either(effect)
    if (Either.isRight(result)) return assert.fail(`${what}: expected ${tags.join(" or ")}, but it succeeded`)
    const error = result.left
    assert.ok(tags.includes(error._tag), `${what}: expected ${tags.join(" or ")}, got ${error._tag}: ${error.message}`)
  })

const collect = (stream: Stream.Stream<Ticket.Ticket, AdapterError>) => Effect.map(Stream.runCollect(stream), Chunk.toReadonlyArray)

/**
 * Every check, read checks first.
 *
 * @since 0.1.0
 * @category checks
 */
export const checks: ReadonlyArray<Check> = [
  // ---- read checks: on the tickets the system has ----------------------------
  {
    name: "fetches tickets and reads one back",
    kind: "read",
    run: ({ adapter }) =>
      Effect.gen(function*() {
        const some = yield* adapter.fetchTickets({ limit: 3 })
        assert.ok(some.length <= 3, "limit honoured")
        for (const ticket of some) {
          const read = yield* adapter.getTicket(ticket.id)
          assert.equal(read.id, ticket.id)
          assert.equal(read.title, ticket.title)
          assert.ok(DateTime.lessThanOrEqualTo(read.createdAt, read.updatedAt), `ticket ${ticket.id}: createdAt <= updatedAt`)
        }
      })
  },
  {
    name: "pages without repeating or losing tickets",
    kind: "read",
    run: ({ adapter }) =>
      Effect.gen(function*() {
        const oneRequest = yield* adapter.fetchTickets({ limit: 6, pageSize: 6 })
        const paged = yield* collect(adapter.streamTickets({ limit: 6, pageSize: 2 }))
        assert.equal(new Set(paged.map((t) => t.id)).size, paged.length, "no ticket twice")
        assert.deepEqual(ids(paged), ids(oneRequest), "pages of 2 give the same tickets as one page of 6")
      })
  },
  {
    name: "filters by state",
    kind: "read",
    run: ({ adapter }) =>
      Effect.gen(function*() {
        for (const state of adapter.capabilities.states) {
          const found = yield* adapter.fetchTickets({ states: [state], limit: 10 })
          for (const t of found) assert.equal(t.state.type, state, `ticket ${t.id} matches the state filter ${state}`)
        }
      })
  },
  {
    name: "gives TicketNotFoundError for unknown ids",
    kind: "read",
    run: ({ adapter, options }) =>
      expectFailure(adapter.getTicket(options.unknownTicketId ?? "999999999"), ["TicketNotFoundError"], "getTicket")
  },
  {
    name: "never lets an id change the request target",
    kind: "read",
    run: ({ adapter }) =>
      Effect.gen(function*() {
        const [first] = yield* adapter.fetchTickets({ limit: 1 })
        const id = first?.id ?? "1"
        yield* Effect.forEach(
          [`../${id}`, `${id}?x=y`, `${id}#x`, `${id}/../${id}`, "%2e%2e"],
          (bad) => expectFailure(adapter.getTicket(bad), ["TicketNotFoundError", "InvalidInputError"], `getTicket(${JSON.stringify(bad)})`),
          { discard: true }
        )
      })
  },
  {
    name: "fails with typed errors on invalid input, before any request",
    kind: "read",
    run: ({ adapter }) =>
      Effect.gen(function*() {
        yield* expectFailure(adapter.fetchTickets({ limit: -1 }), ["InvalidInputError"], "negative limit")
        yield* expectFailure(adapter.fetchTickets({ states: ["bogus" as Ticket.StateType] }), ["InvalidInputError"], "unknown state")
        yield* expectFailure(adapter.getTicket(""), ["InvalidInputError"], "empty id")
        yield* expectFailure(adapter.addNote("1", { body: "" }), ["InvalidInputError"], "empty note")
        if (adapter.capabilities.textSearch) {
          yield* expectFailure(adapter.searchTickets(" \t\n "), ["InvalidInputError"], "a query of spaces only")
        }
        yield* expectFailure(adapter.getTicket("1\ud800"), ["InvalidInputError"], "an id with a lone surrogate")
      })
  },
  // ---- write checks: on tickets they create ----------------------------------
  {
    name: "creates tickets and reads them back",
    kind: "write",
    run: ({ adapter, fixtures: fx }) =>
      Effect.gen(function*() {
        const ticket = yield* adapter.getTicket(fx.printerOpen.id)
        assert.equal(ticket.id, fx.printerOpen.id)
        assert.equal(ticket.title, `${fx.marker} printer jammed on floor 2`)
        assert.equal(ticket.description, "printer jammed on floor 2 (ticketkit contract suite)")
        assert.equal(ticket.priority.level, "high")
        assert.ok(ticket.queue.id !== undefined || ticket.queue.name !== undefined)
        assert.ok(DateTime.lessThanOrEqualTo(ticket.createdAt, ticket.updatedAt), "createdAt <= updatedAt")
      })
  },
  {
    name: "filters by text",
    kind: "write",
    run: ({ adapter, fixtures: fx }) =>
      Effect.gen(function*() {
        const found = yield* adapter.fetchTickets({ text: fx.marker })
        assert.deepEqual(ids(found), ids(fx.all))
      })
  },
  {
    name: "filters by state (created tickets)",
    kind: "write",
    run: ({ adapter, fixtures: fx }) =>
      Effect.gen(function*() {
        const fresh = yield* adapter.fetchTickets({ text: fx.marker, states: ["new"] })
        assert.deepEqual(ids(fresh), ids([fx.printerNew, fx.invoiceOther]))
        if (adapter.capabilities.states.includes("open")) {
          const open = yield* adapter.fetchTickets({ text: fx.marker, states: ["open"] })
          assert.deepEqual(ids(open), ids([fx.printerOpen]))
        }
        if (adapter.capabilities.states.includes("resolved")) {
          const done = yield* adapter.fetchTickets({ text: fx.marker, states: ["resolved", "closed"] })
          assert.deepEqual(ids(done), ids([fx.invoiceResolved]))
        }
      })
  },
  {
    name: "filters by priority",
    kind: "write",
    run: ({ adapter, fixtures: fx }) =>
      Effect.gen(function*() {
        const urgent = yield* adapter.fetchTickets({ text: fx.marker, priorities: ["urgent"] })
        assert.deepEqual(ids(urgent), ids([fx.password]))
        const lowOrHigh = yield* adapter.fetchTickets({ text: fx.marker, priorities: ["low", "high"] })
        assert.deepEqual(ids(lowOrHigh), ids([fx.printerNew, fx.printerOpen]))
      })
  },
  {
    name: "filters by queue",
    kind: "write",
    run: ({ adapter, fixtures: fx, options }) =>
      Effect.gen(function*() {
        const inQueue = yield* adapter.fetchTickets({ text: fx.marker, queues: [options.queue] })
        if (options.otherQueue === undefined) {
          assert.deepEqual(ids(inQueue), ids(fx.all))
          return
        }
        assert.deepEqual(ids(inQueue), ids(fx.all.filter((t) => t !== fx.invoiceOther)))
        const other = yield* adapter.fetchTickets({ text: fx.marker, queues: [options.otherQueue] })
        assert.deepEqual(ids(other), ids([fx.invoiceOther]))
        // the queue as reported by the ticket designates the queue it was filtered by
        const again = yield* adapter.fetchTickets({ text: fx.marker, queues: [other[0]!.queue] })
        assert.deepEqual(ids(again), ids([fx.invoiceOther]))
      })
  },
  {
    name: "filters by updatedSince",
    kind: "write",
    run: ({ adapter, fixtures: fx }) =>
      Effect.gen(function*() {
        const current = yield* Effect.forEach(fx.all, (t) => adapter.getTicket(t.id))
        const oldest = current.reduce((a, t) => DateTime.min(a, t.updatedAt), current[0]!.updatedAt)
        const latest = current.reduce((a, t) => DateTime.max(a, t.updatedAt), current[0]!.updatedAt)
        const sinceOldest = yield* adapter.fetchTickets({ text: fx.marker, updatedSince: oldest })
        assert.deepEqual(ids(sinceOldest), ids(fx.all))
        const future = yield* adapter.fetchTickets({ text: fx.marker, updatedSince: DateTime.add(latest, { hours: 1 }) })
        assert.deepEqual(ids(future), [])
      })
  },
  {
    name: "honours limit",
    kind: "write",
    run: ({ adapter, fixtures: fx }) =>
      Effect.gen(function*() {
        const two = yield* adapter.fetchTickets({ text: fx.marker, limit: 2 })
        assert.equal(two.length, 2)
        const searched = yield* adapter.searchTickets(fx.marker, { limit: 3, pageSize: 2 })
        assert.equal(searched.length, 3)
      })
  },
  {
    name: "streams every match exactly once across pages",
    kind: "write",
    run: ({ adapter, fixtures: fx }) =>
      Effect.gen(function*() {
        const streamed = yield* collect(adapter.streamTickets({ text: fx.marker, pageSize: 2 }))
        assert.equal(streamed.length, fx.all.length, "no ticket twice")
        assert.deepEqual(ids(streamed), ids(fx.all))
        const capped = yield* collect(adapter.streamTickets({ text: fx.marker, pageSize: 2, limit: 3 }))
        assert.equal(capped.length, 3)
      })
  },
  {
    name: "pages with cursors",
    kind: "write",
    run: ({ adapter, fixtures: fx }) =>
      Effect.gen(function*() {
        const first = yield* adapter.fetchPage({ text: fx.marker, pageSize: 2 })
        assert.equal(first.items.length, 2)
        assert.ok(first.next !== undefined, "a first page of a longer list has a next cursor")
        const second = yield* adapter.fetchPage({ text: fx.marker, pageSize: 2, cursor: first.next! })
        assert.equal(second.items.length, 2)
        assert.deepEqual(second.items.filter((t) => first.items.some((f) => f.id === t.id)), [])
        if (first.total !== undefined) assert.equal(first.total, fx.all.length)
      })
  },
  {
    name: "gives TicketNotFoundError for unknown ids on every operation",
    kind: "write",
    run: ({ adapter, options }) =>
      Effect.gen(function*() {
        const unknownId = options.unknownTicketId ?? "999999999"
        yield* expectFailure(adapter.updateTicket(unknownId, { priority: "high" }), ["TicketNotFoundError"], "updateTicket")
        yield* expectFailure(adapter.addNote(unknownId, "hello"), ["TicketNotFoundError"], "addNote")
        yield* expectFailure(adapter.listNotes(unknownId), ["TicketNotFoundError"], "listNotes")
      })
  },
  {
    name: "round-trips updates",
    kind: "write",
    run: ({ adapter, fixtures: fx }) =>
      Effect.gen(function*() {
        const title = `${fx.marker} printer offline — renamed ✓`
        const updated = yield* adapter.updateTicket(fx.printerNew.id, { title, priority: "high" })
        assert.equal(updated.title, title)
        assert.equal(updated.priority.level, "high")
        const read = yield* adapter.getTicket(fx.printerNew.id)
        assert.equal(read.title, title)
        assert.equal(read.priority.level, "high")
        // idempotent: the same update again leaves the same values
        const again = yield* adapter.updateTicket(fx.printerNew.id, { title, priority: "high" })
        assert.equal(again.title, title)
        assert.equal(again.priority.level, "high")
        // put it back, so the other checks see the fixture as created
        yield* adapter.updateTicket(fx.printerNew.id, { title: fx.printerNew.title, priority: "low" })
      })
  },
  {
    name: "keeps the visibility of notes",
    kind: "write",
    run: ({ adapter, fixtures: fx }) =>
      Effect.gen(function*() {
        const caps = adapter.capabilities
        const internal = `${fx.marker} internal note: checked the toner`
        const pub = `${fx.marker} public reply: a technician is on the way`
        if (caps.internalNotes) yield* adapter.addNote(fx.printerOpen.id, { body: internal, visibility: "internal" })
        if (caps.publicNotes) yield* adapter.addNote(fx.printerOpen.id, { body: pub, visibility: "public" })
        const notes = yield* adapter.listNotes(fx.printerOpen.id)
        const find = (body: string) => notes.find((n) => n.body.includes(body))
        if (caps.internalNotes) assert.equal(find(internal)?.visibility, "internal", "internal note read back as internal")
        if (caps.publicNotes) assert.equal(find(pub)?.visibility, "public", "public note read back as public")
        assert.equal(
          notes.filter((n) => n.body.includes(fx.marker)).length,
          Number(caps.internalNotes) + Number(caps.publicNotes),
          "each note once"
        )
      })
  },
  {
    name: "finds tickets by text",
    kind: "write",
    run: ({ adapter, fixtures: fx }) =>
      Effect.gen(function*() {
        if (!adapter.capabilities.textSearch) return
        const found = yield* adapter.searchTickets(`${fx.marker}pw`)
        assert.deepEqual(ids(found), ids([fx.password]))
      })
  },
  {
    name: "rejects an invalid change with RequestRejectedError",
    kind: "write",
    run: ({ adapter, fixtures: fx, options }) =>
      Effect.gen(function*() {
        const bogus = options.invalidState ?? "no-such-status-ticketkit"
        yield* expectFailure(adapter.updateTicket(fx.invoiceOther.id, { state: { name: bogus } }), ["RequestRejectedError"], "unknown status")
        const read = yield* adapter.getTicket(fx.invoiceOther.id)
        assert.equal(read.state.type, "new", "the rejected change left the ticket as it was")
      })
  }
]

/**
 * The result of one check.
 *
 * @since 0.1.0
 * @category models
 */
export interface Result {
  readonly name: string
  readonly kind: "read" | "write"
  readonly passed: boolean
  /** why it failed */
  readonly message?: string
  readonly millis: number
}

/**
 * Runs the checks against an adapter: the read checks, and with `write: true` the write checks
 * on tickets they create. Every failure (an unmet expectation or an unexpected adapter error) is
 * reported as a failed check; `onResult` is called after each (for progress).
 *
 * @since 0.1.0
 * @category running
 */
export const runAll = (
  adapter: Service,
  options: Options,
  config: { readonly write: boolean; readonly onResult?: (result: Result, index: number, total: number) => Effect.Effect<void> }
): Effect.Effect<ReadonlyArray<Result>> =>
  Effect.gen(function*() {
    const selected = checks.filter((c) => c.kind === "read" || config.write)
    const fixtures = config.write ? yield* Effect.either(makeFixtures(adapter, options)) : Either.right(undefined)
    const results: Array<Result> = []
    for (const [index, check] of selected.entries()) {
      const started = Date.now()
      let result: Result
      if (check.kind === "write" && Either.isLeft(fixtures)) {
        result = { name: check.name, kind: check.kind, passed: false, message: `could not create the check's tickets: ${fixtures.left.message}`, millis: 0 }
      } else {
        const exit = yield* Effect.exit(check.run({ adapter, options, fixtures: (fixtures as Either.Right<never, Fixtures>).right }))
        const millis = Date.now() - started
        if (exit._tag === "Success") result = { name: check.name, kind: check.kind, passed: true, millis }
        else {
          const failure = exit.cause
          const error = failure._tag === "Fail"
            ? failure.error.message
            : failure._tag === "Die" && failure.defect instanceof Error
            ? failure.defect.message.split("\n")[0]!
            : "the check was interrupted or failed unexpectedly"
          result = { name: check.name, kind: check.kind, passed: false, message: error, millis }
        }
      }
      results.push(result)
      if (config.onResult !== undefined) yield* config.onResult(result, index, selected.length)
    }
    return results
  })
