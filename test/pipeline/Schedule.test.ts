/**
 * Running a pipeline once or every interval (a `Schedule`), on the test clock, and stopping it
 * cleanly.
 */
import { assert, describe, it } from "@effect/vitest"
import { DateTime, Effect, Exit, Fiber, Layer, Option, Queue, Schedule, TestClock } from "effect"
import { ServerError } from "../../src/AdapterError.js"
import * as InMemory from "../../src/adapters/InMemory.js"
import * as Checkpoint from "../../src/Checkpoint.js"
import * as Pipeline from "../../src/Pipeline.js"
import * as TicketSystemAdapter from "../../src/TicketSystemAdapter.js"

const START = Date.parse("2026-12-01T00:00:00Z")

const TestLive = Layer.merge(
  InMemory.layer({
    fixtures: [1, 2, 3].map((i) => ({ id: i, title: `Ticket ${i}`, queue: "Incoming", createdAt: `2026-11-0${i}T08:00:00Z` }))
  }),
  Checkpoint.layerMemory
)

const watch = Pipeline.make("watch", Pipeline.incremental(TicketSystemAdapter.TicketSystemAdapter, { queues: [{ name: "Incoming" }] })).pipe(
  Pipeline.note((ticket) => `Seen: ${ticket.title}`)
)

describe("Pipeline.repeat", () => {
  it.effect("runs every interval, takes what is new, and stops cleanly on interrupt, keeping the checkpoint", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(START)
      const control = yield* InMemory.InMemoryControl
      const checkpoint = yield* Checkpoint.Checkpoint
      const runs = yield* Queue.unbounded<Pipeline.Summary>()
      const fiber = yield* Effect.fork(Pipeline.repeat(watch, Schedule.spaced("1 minute"), { onRun: (summary) => Queue.offer(runs, summary) }))

      const first = yield* Queue.take(runs)
      assert.deepInclude(first, { seen: 3, changed: 3 })

      const now = yield* DateTime.now
      control.store.seed({ id: 10, title: "Arrived later", queue: "Incoming", createdAt: now }, now)
      yield* TestClock.adjust("59 seconds")
      assert.strictEqual(yield* Queue.size(runs), 0, "not yet")
      yield* TestClock.adjust("1 second")
      const second = yield* Queue.take(runs)
      assert.deepInclude(second, { changed: 1 })
      assert.deepStrictEqual(second.changes.map((c) => c.ticketId), ["10"])

      yield* TestClock.adjust("1 minute")
      assert.deepInclude(yield* Queue.take(runs), { changed: 0 })
      const exit = yield* Fiber.interrupt(fiber)
      assert.isTrue(Exit.isInterrupted(exit))

      const watermark = yield* checkpoint.watermark("watch")
      // the newest ticket the last run read: ticket 10, as the second run's note left it
      assert.deepStrictEqual(Option.map(watermark, DateTime.formatIso), Option.some("2026-12-01T00:01:00.000Z"))
      // started again later: nothing to do, nothing noted twice
      const after = yield* Pipeline.run(watch)
      assert.deepInclude(after, { changed: 0, failed: 0 })
      for (const id of ["1", "2", "3", "10"]) {
        const notes = control.store.listNotes(id)
        assert.strictEqual(notes.ok ? notes.value.length : -1, 1, `ticket ${id}`)
      }
    }).pipe(Effect.provide(TestLive)))

  it.effect("stops when the schedule does, with its output", () =>
    Effect.gen(function*() {
      let runs = 0
      const out = yield* Pipeline.repeat(watch, Schedule.recurs(2), { onRun: () => Effect.sync(() => runs++) })
      assert.strictEqual(out, 2)
      assert.strictEqual(runs, 3, "once, then twice more")
    }).pipe(Effect.provide(TestLive)))

  it.effect("a run that fails ends the repetition with its error", () =>
    Effect.gen(function*() {
      const control = yield* InMemory.InMemoryControl
      yield* control.failNext({
        times: 1,
        operations: ["fetchTickets"],
        error: ({ adapter, operation }) => new ServerError({ adapter, operation, status: 503 })
      })
      const error = yield* Effect.flip(Pipeline.repeat(watch, Schedule.spaced("1 minute")))
      assert.strictEqual(error._tag, "ServerError")
    }).pipe(Effect.provide(TestLive)))
})
