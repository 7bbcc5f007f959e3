/**
 * Paging over more than 250 tickets of the live Request Tracker (scripts/rt/start.sh).
 *
 * Creating a ticket in RT takes 0.2–0.5 s, so the tickets are reused across runs: the fixture
 * looks for tickets with a fixed marker subject first and creates only what is missing (with a
 * concurrency of 3; RT runs 2 workers). scripts/rt/reset.sh deletes them; the next run makes them
 * again (~30 s).
 */
import { assert, layer } from "@effect/vitest"
import { Chunk, Context, Effect, Layer, Stream } from "effect"
import { RequestTrackerClient } from "../../src/adapters/request-tracker/RequestTrackerClient.js"
import * as TicketSql from "../../src/adapters/request-tracker/TicketSql.js"
import type { Ticket } from "../../src/Ticket.js"
import { TicketSystemAdapter } from "../../src/TicketSystemAdapter.js"
import { requireRt, rtLayer } from "./env.js"

requireRt()

const MARKER = "tkpage-v1"
const WANTED = 260

class PagingFixture extends Context.Tag("test/rt/PagingFixture")<PagingFixture, { readonly total: number }>() {}

const fixture = Layer.effect(
  PagingFixture,
  Effect.gen(function*() {
    const client = yield* RequestTrackerClient
    const query = TicketSql.and([`Queue = 'Sales'` as TicketSql.TicketSql, TicketSql.contains("Subject", MARKER)])
    const count = (yield* client.searchTickets({ query, perPage: 1 })).total ?? 0
    const missing = Math.max(0, WANTED - count)
    const started = Date.now()
    yield* Effect.forEach(
      Array.from({ length: missing }, (_, i) => count + i + 1),
      (n) => client.createTicket({ Queue: "Sales", Subject: `${MARKER} #${String(n).padStart(3, "0")}`, Priority: n % 100 }),
      { concurrency: 3, discard: true }
    )
    if (missing > 0) yield* Effect.logInfo(`created ${missing} paging tickets in ${Date.now() - started} ms`)
    return { total: count + missing }
  })
)

const collect = (stream: Stream.Stream<Ticket, unknown>) => Stream.runCollect(stream).pipe(Effect.map(Chunk.toReadonlyArray))

const assertEachOnce = (tickets: ReadonlyArray<Ticket>, total: number, what: string) => {
  const ids = tickets.map((t) => t.id)
  assert.strictEqual(new Set(ids).size, ids.length, `${what}: a ticket came twice`)
  assert.strictEqual(ids.length, total, `${what}: ${ids.length} of ${total} tickets`)
  assert.isTrue(tickets.every((t) => t.title.startsWith(MARKER) && t.queue.name === "Sales"), `${what}: only matching tickets`)
  const numeric = ids.map(Number)
  assert.deepStrictEqual(numeric, [...numeric].sort((a, b) => a - b), `${what}: in id order`)
}

layer(Layer.provideMerge(fixture, rtLayer()), { excludeTestServices: true, timeout: "3 minutes" })("RequestTracker paging (live RT 5)", (it) => {
  it.effect("streams more than 250 tickets, each exactly once, at RT's largest page size", () =>
    Effect.gen(function*() {
      const rt = yield* TicketSystemAdapter
      const { total } = yield* PagingFixture
      assert.isAtLeast(total, WANTED)
      const all = yield* collect(rt.streamTickets({ text: MARKER, queues: [{ name: "Sales" }] }))
      assertEachOnce(all, total, "pageSize 100")
      const first = yield* rt.fetchPage({ text: MARKER, queues: [{ name: "Sales" }] })
      assert.strictEqual(first.items.length, 100, "RT's page limit")
      assert.strictEqual(first.total, total)
      assert.strictEqual(first.next, "100")
    }), 60_000)

  it.effect("pages with odd page sizes and limits without repeating or losing a ticket", () =>
    Effect.gen(function*() {
      const rt = yield* TicketSystemAdapter
      const { total } = yield* PagingFixture
      const odd = yield* collect(rt.streamTickets({ text: MARKER, queues: [{ name: "Sales" }], pageSize: 37 }))
      assertEachOnce(odd, total, "pageSize 37")
      // a limit that ends inside a page: the last page is shorter and must not repeat tickets
      const limited = yield* collect(rt.streamTickets({ text: MARKER, queues: [{ name: "Sales" }], pageSize: 100, limit: 251 }))
      assert.strictEqual(limited.length, 251)
      assert.deepStrictEqual(limited.map((t) => t.id), odd.slice(0, 251).map((t) => t.id))
      // resuming from a cursor taken at another page size
      const start = yield* rt.fetchPage({ text: MARKER, queues: [{ name: "Sales" }], pageSize: 30 })
      const rest = yield* collect(rt.streamTickets({ text: MARKER, queues: [{ name: "Sales" }], pageSize: 100, cursor: start.next! }))
      assert.deepStrictEqual([...start.items, ...rest].map((t) => t.id), odd.map((t) => t.id))
    }), 60_000)

  it.effect("filters by priority over many pages", () =>
    Effect.gen(function*() {
      const rt = yield* TicketSystemAdapter
      const urgent = yield* rt.fetchTickets({ text: MARKER, queues: [{ name: "Sales" }], priorities: ["urgent"], limit: 1000 })
      assert.isAbove(urgent.length, 0)
      assert.isTrue(urgent.every((t) => t.priority.level === "urgent" && (t.priority.value ?? 0) >= 75))
    }), 60_000)
})
