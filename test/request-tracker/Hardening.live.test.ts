/**
 * Issue 13 against the live RT 5: concurrent writers on one ticket (an update RT made and another
 * writer overwrote a moment later is a success, never a RequestRejectedError; one RT refused still
 * is one), and text search with `%` and `_`, which RT's LIKE takes as wildcards (only tickets
 * containing the text literally come back, in every page, with no total larger than the truth).
 */
import { assert, layer } from "@effect/vitest"
import { Array as Arr, Chunk, Effect, Either, Stream } from "effect"
import { RequestTrackerClient } from "../../src/adapters/request-tracker/RequestTrackerClient.js"
import * as TicketSql from "../../src/adapters/request-tracker/TicketSql.js"
import type { AdapterError } from "../../src/AdapterError.js"
import type { Ticket } from "../../src/Ticket.js"
import { TicketSystemAdapter } from "../../src/TicketSystemAdapter.js"
import type * as Port from "../../src/TicketSystemAdapter.js"
import { requireRt, rtLayer } from "./env.js"

requireRt()

const TIMEOUT = 180_000
const WRITERS = 20
const random = () => Math.random().toString(36).slice(2, 10)
const queue = { name: "Support" }

/** the failures among results, as "tag: message" (empty when every call succeeded) */
const failuresOf = <A>(results: ReadonlyArray<Either.Either<A, AdapterError>>) =>
  results.flatMap((r) => (Either.isLeft(r) ? [`${r.left._tag}: ${r.left.message}`] : []))

const ids = (tickets: ReadonlyArray<Ticket>) => tickets.map((t) => t.id)

const withAdapter = <A, E>(overrides: Parameters<typeof rtLayer>[0], f: (adapter: Port.Service) => Effect.Effect<A, E>) =>
  Effect.flatMap(TicketSystemAdapter, f).pipe(Effect.provide(rtLayer(overrides)))

layer(rtLayer(), { excludeTestServices: true, timeout: "3 minutes" })("RequestTracker concurrent writers (live RT 5)", (it) => {
  it.effect(`${WRITERS} concurrent subject changes to one ticket all succeed, and RT's history has each`, () =>
    Effect.gen(function*() {
      const rt = yield* TicketSystemAdapter
      const client = yield* RequestTrackerClient
      const m = `tk-concurrent-${random()}`
      const ticket = yield* rt.createTicket({ title: `${m} start`, queue })
      const titles = Arr.makeBy(WRITERS, (i) => `${m} writer ${i}`)
      const results = yield* Effect.forEach(titles, (title) => Effect.either(rt.updateTicket(ticket.id, { title })), { concurrency: WRITERS })
      assert.deepStrictEqual(failuresOf(results), [], "no applied update is reported rejected")
      for (const r of results) if (Either.isRight(r)) assert.include(titles, r.right.title)
      const final = yield* rt.getTicket(ticket.id)
      assert.include(titles, final.title, "the final subject is one of the writers'")
      // RT's own history: a Subject change per writer
      const history = yield* client.searchTransactions({
        query: TicketSql.and([
          `ObjectType = 'RT::Ticket'` as TicketSql.TicketSql,
          `ObjectId = ${Number(ticket.id)}` as TicketSql.TicketSql,
          `Field = 'Subject'` as TicketSql.TicketSql
        ]),
        fields: ["Type", "Field", "NewValue"],
        perPage: 100
      })
      assert.strictEqual(history.items.length, WRITERS)
    }), TIMEOUT)

  it.effect(`${WRITERS} concurrent state and priority changes to one ticket all succeed`, () =>
    Effect.gen(function*() {
      const rt = yield* TicketSystemAdapter
      const ticket = yield* rt.createTicket({ title: `tk-concurrent-states ${random()}`, queue })
      const states = ["open", "resolved", "pending", "closed", "new"] as const
      const priorities = ["high", "low", "urgent", "normal"] as const
      const updates = Arr.makeBy(WRITERS, (i) => ({ state: states[i % states.length]!, priority: priorities[i % priorities.length]! }))
      const results = yield* Effect.forEach(updates, (update) => Effect.either(rt.updateTicket(ticket.id, update)), { concurrency: WRITERS })
      assert.deepStrictEqual(failuresOf(results), [], "no applied update is reported rejected")
      const final = yield* rt.getTicket(ticket.id)
      assert.include(states as ReadonlyArray<string>, final.state.type)
      assert.include(priorities as ReadonlyArray<string>, final.priority.level)
    }), TIMEOUT)

  it.effect("still refuses what RT refused while other writers change the ticket", () =>
    Effect.gen(function*() {
      const rt = yield* TicketSystemAdapter
      const m = `tk-concurrent-refused-${random()}`
      const ticket = yield* rt.createTicket({ title: `${m} start`, queue })
      const titles = Arr.makeBy(10, (i) => `${m} writer ${i}`)
      const [writers, bogus] = yield* Effect.all([
        Effect.forEach(titles, (title) => Effect.either(rt.updateTicket(ticket.id, { title, state: "open" })), { concurrency: 10 }),
        Effect.either(rt.updateTicket(ticket.id, { state: { name: "bogus" } }))
      ], { concurrency: 2 })
      assert.deepStrictEqual(failuresOf(writers), [])
      assert.isTrue(Either.isLeft(bogus) && bogus.left._tag === "RequestRejectedError", "the refused status is RequestRejectedError")
      if (Either.isLeft(bogus)) assert.include(bogus.left.message, "Status 'bogus' isn't a valid status")
      const final = yield* rt.getTicket(ticket.id)
      assert.deepStrictEqual([final.state.name, titles.includes(final.title)], ["open", true])
    }), TIMEOUT)
})

// -----------------------------------------------------------------------------
// `%` and `_` in search text
// -----------------------------------------------------------------------------

layer(rtLayer(), { excludeTestServices: true, timeout: "3 minutes" })("RequestTracker literal text search (live RT 5)", (it) => {
  it.effect("finds only tickets whose subject contains `%` or `_` text literally", () =>
    Effect.gen(function*() {
      const rt = yield* TicketSystemAdapter
      const m = `tklit${random()}`
      const create = (title: string) => rt.createTicket({ title, queue })
      // in id order: literal matches and the decoys RT's LIKE also finds
      const done = yield* create(`${m} 100% done`)
      yield* create(`${m} 1000 done`) // `100%` as a wildcard
      yield* create(`${m} 100 percent done`)
      const ab = yield* create(`${m} A_B`)
      yield* create(`${m} axb`) // `a_b` as a wildcard
      const rate = yield* create(`rate 50%${m}`)
      yield* create(`rate 50 ${m}`) // `%m` as a wildcard
      const snake = yield* create(`snake_${m}`)
      yield* create(`snakex${m}`) // `_m` as a wildcard

      const search = (text: string) => rt.searchTickets(text, { queues: [queue] })
      assert.deepStrictEqual(ids(yield* search(`${m} 100% done`)), [done.id])
      assert.deepStrictEqual(ids(yield* search(`${m} 100%`)), [done.id])
      assert.deepStrictEqual(ids(yield* search(`${m} a_b`)), [ab.id], "case-insensitive, as RT's LIKE")
      assert.deepStrictEqual(ids(yield* search(`%${m}`)), [rate.id])
      assert.deepStrictEqual(ids(yield* search(`_${m}`)), [snake.id])
      assert.deepStrictEqual(ids(yield* rt.fetchTickets({ text: `_${m}`, states: ["new"] })), [snake.id], "fetch with criteria.text too")
      assert.deepStrictEqual(yield* search(`${m}%`), [], "no subject contains it")
      // the same searches without wildcards are RT's own (every ticket with the marker)
      assert.strictEqual((yield* search(m)).length, 9)
    }), TIMEOUT)

  it.effect("pages over filtered results: no ticket lost or repeated, the stream goes on past pages with no literal match, no total larger than the truth", () =>
    Effect.gen(function*() {
      const rt = yield* TicketSystemAdapter
      const m = `tklitpage${random()}`
      // _m matches literally `x_m`, and as a wildcard every `<char>m`: decoys around each match
      const titles = [`a${m}`, `b${m}`, `c_${m} 1`, `d${m}`, `e${m}`, `f${m}`, `g_${m} 2`, `h${m}`, `i_${m} 3`, `j${m}`]
      const created = yield* Effect.forEach(titles, (title) => rt.createTicket({ title, queue }))
      const matching = created.filter((t) => t.title.includes(`_${m}`)).map((t) => t.id)
      assert.strictEqual(matching.length, 3)
      const text = `_${m}`

      // a stream of pages of one: RT's pages hold decoys only in between
      const streamed = yield* rt.streamTickets({ text, pageSize: 1 }).pipe(Stream.runCollect, Effect.map(Chunk.toReadonlyArray))
      assert.deepStrictEqual(ids(streamed), matching)

      // page by page by cursor: each page non-empty until the last, its next cursor past the decoys
      const pages: Array<{ items: ReadonlyArray<string>; total: number | undefined; next: string | undefined }> = []
      let cursor: string | undefined
      do {
        const page = yield* rt.fetchPage({ text, pageSize: 1, ...(cursor === undefined ? {} : { cursor }) })
        pages.push({ items: ids(page.items), total: page.total, next: page.next })
        cursor = page.next
      } while (cursor !== undefined && pages.length < 20)
      assert.deepStrictEqual(pages.flatMap((p) => p.items), matching)
      assert.isTrue(pages.every((p) => p.total === undefined || p.total === matching.length), `totals: ${pages.map((p) => p.total)}`)
      assert.isTrue(pages.slice(0, -1).every((p) => p.items.length > 0))

      // one page holding every match: the total is exact
      const all = yield* rt.fetchPage({ text, pageSize: 100 })
      assert.deepStrictEqual([ids(all.items), all.total, all.next], [matching, 3, undefined])
      // a limit stops at it
      assert.deepStrictEqual(ids(yield* rt.fetchTickets({ text, limit: 2, pageSize: 1 })), matching.slice(0, 2))
      assert.deepStrictEqual(ids(yield* rt.searchTickets(text)), matching)
    }), TIMEOUT)

  it.effect("with contentSearch, also message text literally containing `%` text", () =>
    Effect.gen(function*() {
      const rt = yield* TicketSystemAdapter
      const m = `tklitbody${random()}`
      const inBody = yield* rt.createTicket({ title: "tk-literal body", description: `the load is 50%${m} today`, queue })
      yield* rt.createTicket({ title: "tk-literal decoy", description: `the load is 50 ${m} today`, queue })
      const inNote = yield* rt.createTicket({ title: "tk-literal note", queue })
      yield* rt.addNote(inNote.id, `noted: 50%${m}`)
      const inSubject = yield* rt.createTicket({ title: `subject 50%${m}`, queue })
      yield* withAdapter(() => ({ contentSearch: true }), (content) =>
        Effect.gen(function*() {
          assert.deepStrictEqual(ids(yield* content.searchTickets(`50%${m}`)), [inBody.id, inNote.id, inSubject.id])
        }))
      // subject only by default
      assert.deepStrictEqual(ids(yield* rt.searchTickets(`50%${m}`)), [inSubject.id])
    }), TIMEOUT)
})
