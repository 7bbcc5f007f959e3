/**
 * Restarts in the middle: a pipeline stopped halfway (a failure, a lost answer, an interrupt) and
 * started again in a new "process" — a new adapter and a new SQLite connection on the same
 * checkpoint file, over the same ticket store — neither skips nor repeats work, and never adds a
 * note twice.
 */
import { assert, describe, it } from "@effect/vitest"
import { Deferred, Effect, Fiber, Layer, Option } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import { ConnectionError, ServerError } from "../../src/AdapterError.js"
import * as InMemory from "../../src/adapters/InMemory.js"
import * as Checkpoint from "../../src/Checkpoint.js"
import * as Pipeline from "../../src/Pipeline.js"
import * as TicketSystemAdapter from "../../src/TicketSystemAdapter.js"

const Helpdesk = TicketSystemAdapter.TicketSystemAdapter
const dir = path.resolve(import.meta.dirname, "../../.tmp/pipeline-restart")
let files = 0
const newFile = (name: string) => {
  fs.mkdirSync(dir, { recursive: true })
  return path.join(dir, `${name}-${process.pid}-${++files}.sqlite`)
}

const storeOf = (n: number) =>
  new InMemory.Store({
    fixtures: Array.from({ length: n }, (_, i) => ({
      id: i + 1,
      title: `Ticket ${i + 1}`,
      queue: "Incoming",
      createdAt: `2026-11-01T08:${String(i).padStart(2, "0")}:00Z`
    }))
  })

/** routes Incoming to Support and says so: the update moves the ticket out of the source */
const route = Pipeline.make("route", Pipeline.source(Helpdesk, { queues: [{ name: "Incoming" }] }, { snapshot: true })).pipe(
  Pipeline.updateAndNote((ticket) => ({ update: { queue: { name: "Support" }, state: "open" }, note: `Routed: ${ticket.title}` }))
)

/** one "process": its own adapter over the shared store, its own connection to the checkpoint file */
const inProcess = <A, E, R extends InMemory.InMemoryControl | TicketSystemAdapter.TicketSystemAdapter | Checkpoint.Checkpoint>(
  store: InMemory.Store,
  filename: string,
  program: Effect.Effect<A, E, R>,
  options: { readonly idempotencyKeys?: boolean } = {}
) =>
  Effect.provide(
    program,
    Layer.merge(InMemory.layer({ store, ...options }), Checkpoint.layerSqlite({ filename }))
  )

/** the program and the calls its adapter received */
const withCalls = <A, E, R>(program: Effect.Effect<A, E, R>) =>
  Effect.gen(function*() {
    const control = yield* InMemory.InMemoryControl
    const result = yield* Effect.either(program)
    return { result, calls: yield* control.calls }
  })

const count = (calls: ReadonlyArray<InMemory.Call>, operation: string, ticketId?: string) =>
  calls.filter((c) => c.operation === operation && (ticketId === undefined || c.ticketId === ticketId)).length

/** every ticket routed, each with exactly one note */
const assertAllDoneOnce = (store: InMemory.Store, n: number) => {
  for (let id = 1; id <= n; id++) {
    const ticket = store.get(String(id))
    assert.isTrue(ticket.ok && ticket.value.queue.name === "Support", `ticket ${id} routed`)
    const notes = store.listNotes(String(id))
    assert.deepStrictEqual(notes.ok ? notes.value.map((n) => n.body) : [], [`Routed: Ticket ${id}`], `ticket ${id} has one note`)
  }
}

describe("restart in the middle", () => {
  it.live("stopped by a failure halfway, started again: nothing skipped, nothing repeated", () =>
    Effect.gen(function*() {
      const store = storeOf(20)
      const file = newFile("stop")
      const first = yield* inProcess(store, file, withCalls(Effect.flatMap(InMemory.InMemoryControl, (control) =>
        Pipeline.run(route, {
          concurrency: 3,
          onFailure: Pipeline.stopOnFailure,
          // after 8 tickets, the next note fails (not stored)
          onTicket: (_, { done }) =>
            done === 8
              ? control.failNext({ times: 1, operations: ["addNote"], error: ({ adapter, operation }) => new ServerError({ adapter, operation, status: 503 }) })
              : Effect.void
        }))))
      assert.isTrue(first.result._tag === "Left" && first.result.left._tag === "PipelineStopped")
      const stoppedAt = first.result._tag === "Left" && first.result.left._tag === "PipelineStopped" ? first.result.left.ticketId : ""
      const done = first.result._tag === "Left" && first.result.left._tag === "PipelineStopped" ? first.result.left.summary.changed : 0
      assert.isAtLeast(done, 8)
      assert.isBelow(done, 20)

      const second = yield* inProcess(store, file, withCalls(Pipeline.run(route, { concurrency: 3 })))
      assert.isTrue(second.result._tag === "Right")
      if (second.result._tag !== "Right") return
      assert.deepInclude(second.result.right, { resumed: 1, changed: 20 - done, failed: 0 })
      assertAllDoneOnce(store, 20)
      for (let id = 1; id <= 20; id++) {
        const updates = count(first.calls, "updateTicket", String(id)) + count(second.calls, "updateTicket", String(id))
        assert.strictEqual(updates, 1, `ticket ${id} updated once`)
      }
      assert.strictEqual(count(first.calls, "addNote", stoppedAt) + count(second.calls, "addNote", stoppedAt), 2, "the failed note, then the note")
      assert.strictEqual(count(first.calls, "addNote") + count(second.calls, "addNote"), 21)

      const third = yield* inProcess(store, file, Pipeline.run(route))
      assert.deepInclude(third, { seen: 0, changed: 0 })
    }))

  for (const idempotencyKeys of [true, false]) {
    it.live(`a crash between "updated" and "noted" (the note stored, its answer lost) is recovered without a duplicate note (${idempotencyKeys ? "system with idempotency keys" : "notes read back"})`, () =>
      Effect.gen(function*() {
        const store = storeOf(3)
        const file = newFile("lost")
        const lostAnswer: InMemory.Fault = {
          times: 1,
          operations: ["addNote"],
          after: true,
          error: ({ adapter, operation }) => new ConnectionError({ adapter, operation, detail: "connection reset after sending", requestSent: true })
        }
        const first = yield* inProcess(store, file, withCalls(Effect.flatMap(InMemory.InMemoryControl, (control) =>
          Pipeline.run(route, {
            concurrency: 1,
            onFailure: Pipeline.stopOnFailure,
            onTicket: (outcome) => (outcome.ticketId === "1" ? control.failNext(lostAnswer) : Effect.void)
          }))), { idempotencyKeys })
        assert.isTrue(first.result._tag === "Left" && first.result.left._tag === "PipelineStopped" && first.result.left.ticketId === "2")
        const moved = store.get("2")
        assert.isTrue(moved.ok && moved.value.queue.name === "Support", "ticket 2 was updated: it is no longer in the source's queue")

        // is it pending in the checkpoint, with the update done and the note started?
        const records = yield* inProcess(store, file, Effect.flatMap(Checkpoint.Checkpoint, (c) => c.writes("route", "2")))
        assert.deepStrictEqual(records.map((r) => `${r.key} ${r.status}`).sort(), ["note:in-memory:2#1 started", "update:in-memory:2#1 done"])

        const second = yield* inProcess(store, file, withCalls(Pipeline.run(route, { concurrency: 1 })), { idempotencyKeys })
        assert.isTrue(second.result._tag === "Right")
        if (second.result._tag !== "Right") return
        assert.deepInclude(second.result.right, { resumed: 1, changed: 2, failed: 0 })
        assertAllDoneOnce(store, 3)
        assert.strictEqual(count(second.calls, "updateTicket", "2"), 0, "the update is not repeated")
        // with keys the note is sent again with the same key (the system answers it once); without, the notes are read first
        assert.strictEqual(count(second.calls, "addNote", "2"), idempotencyKeys ? 1 : 0)
        assert.strictEqual(count(second.calls, "listNotes", "2"), idempotencyKeys ? 0 : 1)
        assert.deepStrictEqual(yield* inProcess(store, file, Effect.flatMap(Checkpoint.Checkpoint, (c) => c.pending("route"))), [])
      }))
  }

  it.live("a note that failed before it was stored is sent on the next run, once", () =>
    Effect.gen(function*() {
      const store = storeOf(3)
      const file = newFile("refused")
      const refused: InMemory.Fault = {
        times: 1,
        operations: ["addNote"],
        error: ({ adapter, operation }) => new ConnectionError({ adapter, operation, detail: "connection refused", requestSent: false })
      }
      yield* inProcess(store, file, Effect.flatMap(InMemory.InMemoryControl, (c) => c.failNext(refused)).pipe(
        Effect.zipRight(Effect.flip(Pipeline.run(route, { concurrency: 1, onFailure: Pipeline.stopOnFailure })))
      ), { idempotencyKeys: false })
      const second = yield* inProcess(store, file, withCalls(Pipeline.run(route)), { idempotencyKeys: false })
      assertAllDoneOnce(store, 3)
      assert.strictEqual(count(second.calls, "listNotes", "1"), 1, "checked first")
      assert.strictEqual(count(second.calls, "addNote", "1"), 1, "then sent")
    }))

  for (const interrupt of ["finish", "abandon"] as const) {
    it.live(`interrupted halfway (${interrupt === "finish" ? "finishing" : "abandoning"} the tickets in flight), started again: every ticket done once`, () =>
      Effect.gen(function*() {
        const store = storeOf(12)
        const file = newFile(`interrupt-${interrupt}`)
        const first = yield* inProcess(store, file, Effect.gen(function*() {
          const control = yield* InMemory.InMemoryControl
          yield* control.setLatency("5 millis")
          const halfway = yield* Deferred.make<void>()
          const fiber = yield* Effect.fork(Pipeline.run(route, {
            concurrency: 3,
            interrupt,
            onTicket: (_, { done }) => (done === 4 ? Deferred.succeed(halfway, undefined) : Effect.void)
          }))
          yield* Deferred.await(halfway)
          yield* Fiber.interrupt(fiber)
          return yield* control.calls
        }))
        const handled = yield* inProcess(store, file, Effect.flatMap(Checkpoint.Checkpoint, (c) =>
          Effect.forEach(Array.from({ length: 12 }, (_, i) => String(i + 1)), (id) => c.handled("route", id))))
        const handledFirst = handled.filter(Option.isSome).length
        assert.isAtLeast(handledFirst, 4)
        assert.isBelow(handledFirst, 12)
        if (interrupt === "finish") {
          // the tickets in flight were finished: each started ticket is either handled or untouched
          assert.strictEqual(count(first, "addNote"), handledFirst)
        }

        const second = yield* inProcess(store, file, withCalls(Pipeline.run(route, { concurrency: 3 })))
        assert.isTrue(second.result._tag === "Right")
        assertAllDoneOnce(store, 12)
        assert.strictEqual(second.result._tag === "Right" ? second.result.right.failed : -1, 0)
        for (let id = 1; id <= 12; id++) {
          const notes = count(first, "addNote", String(id)) + count(second.calls, "addNote", String(id))
          // an abandoned note may have been sent (and interrupted before the system acted): then it is sent again with its key
          assert.isAtMost(notes, interrupt === "finish" ? 1 : 2, `ticket ${id}`)
        }
      }))
  }

  it.effect("the watermark and the handled tickets survive a restart", () =>
    Effect.gen(function*() {
      const store = storeOf(5)
      const file = newFile("watermark")
      const incremental = Pipeline.make("incremental", Pipeline.incremental(Helpdesk, { queues: [{ name: "Incoming" }] })).pipe(
        Pipeline.note((ticket) => `Seen ${ticket.title}`)
      )
      const first = yield* inProcess(store, file, Pipeline.run(incremental))
      assert.deepInclude(first, { seen: 5, changed: 5 })
      assert.strictEqual(first.watermark?.toString(), "DateTime.Utc(2026-11-01T08:04:00.000Z)")
      const stored = yield* inProcess(store, file, Effect.flatMap(Checkpoint.Checkpoint, (c) => c.watermark("incremental")))
      assert.deepStrictEqual(Option.map(stored, String), Option.some("DateTime.Utc(2026-11-01T08:04:00.000Z)"))
      const second = yield* inProcess(store, file, Pipeline.run(incremental))
      assert.deepInclude(second, { changed: 0, failed: 0 })
      assert.strictEqual(second.watermark?.toString(), "DateTime.Utc(2026-11-01T08:04:00.000Z)")
    }))
})
