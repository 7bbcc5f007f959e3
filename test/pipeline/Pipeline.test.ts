/**
 * The Pipeline combinators on the in-memory adapter: sources, steps, sinks, the summary, dry runs,
 * failure policies, bounded concurrency, and what the types say a pipeline needs.
 */
import { assert, describe, it } from "@effect/vitest"
import { Cause, Context, DateTime, Effect, Fiber, Layer, Schedule, TestClock } from "effect"
import { ServerError } from "../../src/AdapterError.js"
import * as InMemory from "../../src/adapters/InMemory.js"
import * as Checkpoint from "../../src/Checkpoint.js"
import * as Pipeline from "../../src/Pipeline.js"
import * as Ticket from "../../src/Ticket.js"
import * as TicketSystemAdapter from "../../src/TicketSystemAdapter.js"

const Helpdesk = TicketSystemAdapter.TicketSystemAdapter

/** the test clock starts after the fixtures' dates, as a real clock would */
const START = Date.parse("2026-12-01T00:00:00Z")
const later = (days: number) => Effect.map(DateTime.now, (now) => DateTime.add(now, { days }))
const retitle = (control: InMemory.Control, id: string, title: string) =>
  Effect.flatMap(later(1), (at) => Effect.sync(() => control.store.update(id, new Ticket.TicketUpdate({ title }), at)))

const byTicketAndKind = (a: Omit<Pipeline.Change, "applied">, b: Omit<Pipeline.Change, "applied">) =>
  Number(a.ticketId) - Number(b.ticketId) || a.kind.localeCompare(b.kind)

const fixtures = (n: number): ReadonlyArray<InMemory.Fixture> =>
  Array.from({ length: n }, (_, i) => ({
    id: i + 1,
    title: i % 3 === 0 ? `Printer ${i + 1} broken` : `Question ${i + 1}`,
    queue: i % 4 === 3 ? "Support" : "Incoming",
    createdAt: `2026-11-${String(1 + i).padStart(2, "0")}T08:00:00Z`
  }))

const TestLive = (n = 8, options: Partial<InMemory.Options> = {}) =>
  Layer.merge(InMemory.layer({ fixtures: fixtures(n), ...options }), Checkpoint.layerMemory).pipe(
    Layer.tap(() => TestClock.setTime(START))
  )

/** notes the Incoming tickets and raises printer tickets to high: writes that keep the tickets in the source */
const bump = Pipeline.make("bump", Pipeline.source(Helpdesk, { queues: [{ name: "Incoming" }] })).pipe(
  Pipeline.map((ticket) => ticket.title.includes("Printer")),
  Pipeline.updateAndNote((printer, ticket) => ({
    update: printer ? { priority: "high" } : undefined,
    note: `Seen: ${ticket.title}`
  }))
)

const writesOf = (calls: ReadonlyArray<InMemory.Call>) =>
  calls.filter((c) => c.operation === "updateTicket" || c.operation === "addNote" || c.operation === "createTicket")

const notesOf = (control: InMemory.Control, id: string) => {
  const notes = control.store.listNotes(id)
  return notes.ok ? notes.value.map((n) => n.body) : []
}

const serverError = (times: number, operations: ReadonlyArray<string> = ["addNote"]): InMemory.Fault => ({
  times,
  operations,
  error: ({ adapter, operation }) => new ServerError({ adapter, operation, status: 503 })
})

describe("Pipeline", () => {
  it.effect("runs steps and sinks over the source, summarises, and skips what is handled on the next run", () =>
    Effect.gen(function*() {
      const control = yield* InMemory.InMemoryControl
      const first = yield* Pipeline.run(bump)
      assert.deepInclude(first, { pipeline: "bump", dryRun: false, seen: 6, changed: 6, unchanged: 0, skipped: 0, failed: 0 })
      assert.deepStrictEqual(first.changes.filter((c) => c.ticketId === "1").map(Pipeline.formatChange), [
        "ticket 1: update in-memory #1: priority normal → high",
        "ticket 1: note in-memory #1: internal \"Seen: Printer 1 broken\""
      ])
      assert.deepStrictEqual(notesOf(control, "1"), ["Seen: Printer 1 broken"])
      assert.deepStrictEqual(notesOf(control, "4"), [], "ticket 4 is in Support")

      yield* control.reset
      const second = yield* Pipeline.run(bump)
      assert.deepInclude(second, { seen: 6, changed: 0, skipped: 6 })
      assert.deepStrictEqual(second.skippedBy, { "already handled": 6 }, "the pipeline's own writes do not make a ticket look changed")
      assert.deepStrictEqual(writesOf(yield* control.calls), [])
      assert.strictEqual(Pipeline.formatSummary(second), "seen 6, changed 0, unchanged 0, skipped 6, failed 0\n  skipped: already handled 6")

      // someone changes ticket 2: handled again, the others not
      yield* retitle(control, "2", "Question 2, again")
      const third = yield* Pipeline.run(bump)
      assert.deepInclude(third, { changed: 1, skipped: 5 })
      assert.deepStrictEqual(notesOf(control, "2"), ["Seen: Question 2", "Seen: Question 2, again"])
    }).pipe(Effect.provide(TestLive())))

  it.effect("an update that changes nothing is not sent; steps can skip tickets with a reason", () =>
    Effect.gen(function*() {
      const control = yield* InMemory.InMemoryControl
      const pipeline = Pipeline.make("route", Pipeline.source(Helpdesk, { queues: [{ name: "Incoming" }] })).pipe(
        Pipeline.filter((ticket) => ticket.id !== "3", "ticket 3 is someone else's"),
        Pipeline.step((ticket) => (ticket.id === "5" ? Pipeline.skip("waiting for the customer") : Effect.succeed(ticket.title))),
        Pipeline.update((title) => ({ queue: { name: "Incoming" }, priority: "normal", title }))
      )
      const summary = yield* Pipeline.run(pipeline)
      assert.deepInclude(summary, { seen: 6, changed: 0, unchanged: 4, skipped: 2 })
      assert.deepStrictEqual(summary.skippedBy, { "ticket 3 is someone else's": 1, "waiting for the customer": 1 })
      assert.deepStrictEqual(writesOf(yield* control.calls), [])
    }).pipe(Effect.provide(TestLive())))

  it.effect("a dry run shows what would change, writes nothing, and leaves the checkpoint alone", () =>
    Effect.gen(function*() {
      const control = yield* InMemory.InMemoryControl
      const checkpoint = yield* Checkpoint.Checkpoint
      const preview = yield* Pipeline.run(bump, { dryRun: true })
      assert.deepInclude(preview, { dryRun: true, seen: 6, changed: 6 })
      assert.strictEqual(preview.changes.length, 6 + 2, "six notes and two updates")
      assert.isTrue(preview.changes.every((c) => !c.applied))
      assert.include(Pipeline.formatSummary(preview), "dry run: seen 6, would change 6")
      assert.deepStrictEqual(writesOf(yield* control.calls), [])
      assert.deepStrictEqual(yield* checkpoint.pending("bump"), [])
      assert.isTrue((yield* checkpoint.handled("bump", "1"))._tag === "None")

      const real = yield* Pipeline.run(bump)
      assert.deepStrictEqual(
        real.changes.map(({ applied: _, ...c }) => c).sort(byTicketAndKind),
        preview.changes.map(({ applied: _, ...c }) => c).sort(byTicketAndKind),
        "the real run did what the dry run said"
      )
      // a dry run after a crash shows only what is left
      const after = yield* Pipeline.run(bump, { dryRun: true })
      assert.deepInclude(after, { changed: 0, skipped: 6 })
    }).pipe(Effect.provide(TestLive())))

  describe("failure policies", () => {
    it.effect("skip and report (the default): the others go on; the next run finishes the failed one without repeating its update", () =>
      Effect.gen(function*() {
        const control = yield* InMemory.InMemoryControl
        yield* control.failNext(serverError(1))
        const first = yield* Pipeline.run(bump, { concurrency: 1 })
        assert.deepInclude(first, { seen: 6, changed: 5, failed: 1 })
        assert.deepStrictEqual(first.failedBy, { ServerError: 1 })
        assert.strictEqual(first.failures[0]!.ticketId, "1")
        assert.include(Pipeline.formatSummary(first), "  failed: ServerError 1\n    ticket 1: in-memory: addNote failed")
        assert.deepStrictEqual(notesOf(control, "1"), [])

        const second = yield* Pipeline.run(bump, { concurrency: 1 })
        assert.deepInclude(second, { changed: 1, resumed: 1, skipped: 5, failed: 0 })
        assert.deepStrictEqual(second.changes.map((c) => c.kind), ["note"], "the update was done by the first run")
        assert.deepStrictEqual(notesOf(control, "1"), ["Seen: Printer 1 broken"])
        const calls = yield* control.calls
        assert.strictEqual(calls.filter((c) => c.operation === "updateTicket" && c.ticketId === "1").length, 1)
      }).pipe(Effect.provide(TestLive())))

    it.effect("retry with a schedule: the ticket is handled again, its done writes are not repeated", () =>
      Effect.gen(function*() {
        const control = yield* InMemory.InMemoryControl
        yield* control.failNext(serverError(2))
        const summary = yield* Pipeline.run(bump, { concurrency: 1, onFailure: Pipeline.retryFailed(Schedule.recurs(3)) })
        assert.deepInclude(summary, { changed: 6, failed: 0 })
        const calls = yield* control.calls
        assert.strictEqual(calls.filter((c) => c.operation === "updateTicket" && c.ticketId === "1").length, 1)
        assert.strictEqual(calls.filter((c) => c.operation === "addNote" && c.ticketId === "1").length, 3)
        assert.deepStrictEqual(notesOf(control, "1"), ["Seen: Printer 1 broken"])
      }).pipe(Effect.provide(TestLive())))

    it.effect("retry with a delay follows the schedule's clock", () =>
      Effect.gen(function*() {
        const control = yield* InMemory.InMemoryControl
        yield* control.failNext(serverError(1))
        const fiber = yield* Effect.fork(Pipeline.run(bump, { concurrency: 1, onFailure: Pipeline.retryFailed(Schedule.spaced("30 seconds")) }))
        yield* TestClock.adjust("29 seconds")
        assert.isNull(fiber.unsafePoll(), "still waiting to retry")
        yield* TestClock.adjust("1 second")
        const summary = yield* Fiber.join(fiber)
        assert.deepInclude(summary, { changed: 6, failed: 0 })
      }).pipe(Effect.provide(TestLive())))

    it.effect("retries exhausted: skipped and reported, or the run stops", () =>
      Effect.gen(function*() {
        const control = yield* InMemory.InMemoryControl
        yield* control.failNext(serverError(3))
        const skipped = yield* Pipeline.run(bump, { concurrency: 1, onFailure: Pipeline.retryFailed(Schedule.recurs(1)) })
        assert.deepInclude(skipped, { changed: 5, failed: 1 })
        yield* control.failNext(serverError(2))
        const stopped = yield* Effect.flip(Pipeline.run(bump, { concurrency: 1, onFailure: Pipeline.retryFailed(Schedule.recurs(1), { then: "stop" }) }))
        assert.strictEqual(stopped._tag, "PipelineStopped")
        if (stopped._tag === "PipelineStopped") assert.deepInclude(stopped, { ticketId: "1", reason: "ServerError" })
      }).pipe(Effect.provide(TestLive())))

    it.effect("stop: the run fails with PipelineStopped carrying the summary; no ticket starts after it", () =>
      Effect.gen(function*() {
        const control = yield* InMemory.InMemoryControl
        const pipeline = Pipeline.make("stop", Pipeline.source(Helpdesk, { queues: [{ name: "Incoming" }] })).pipe(
          Pipeline.note((_, ticket) => `Seen ${ticket.id}`)
        )
        // the note of the third ticket (id 3) fails
        const flipped = yield* Effect.flip(
          Pipeline.run(pipeline, {
            concurrency: 1,
            onFailure: Pipeline.stopOnFailure,
            onTicket: (outcome) => (outcome.ticketId === "2" ? control.failNext(serverError(1)) : Effect.void)
          })
        )
        assert.strictEqual(flipped._tag, "PipelineStopped")
        if (flipped._tag !== "PipelineStopped") return
        assert.deepInclude(flipped, { pipeline: "stop", ticketId: "3", reason: "ServerError" })
        assert.deepInclude(flipped.summary, { seen: 3, changed: 2, failed: 1 })
        assert.match(flipped.message, /^pipeline stop stopped at ticket 3: in-memory: addNote failed/)
        assert.deepStrictEqual((yield* control.calls).filter((c) => c.operation === "addNote").map((c) => c.ticketId), ["1", "2", "3"])
      }).pipe(Effect.provide(TestLive())))

    it.effect("a ticket taken up again that no longer exists is forgotten", () =>
      Effect.gen(function*() {
        const checkpoint = yield* Checkpoint.Checkpoint
        yield* checkpoint.beginWrite("bump", "999", { key: "note:in-memory:999#1", token: "t-999-0000", startedAt: 0 })
        const summary = yield* Pipeline.run(bump)
        assert.deepStrictEqual(summary.skippedBy, { "no longer exists": 1 })
        assert.deepStrictEqual(yield* checkpoint.pending("bump"), [])
      }).pipe(Effect.provide(TestLive())))

    it.effect("a failure to read a half-done ticket is reported like any failed ticket", () =>
      Effect.gen(function*() {
        const control = yield* InMemory.InMemoryControl
        const checkpoint = yield* Checkpoint.Checkpoint
        yield* checkpoint.beginWrite("bump", "2", { key: "note:in-memory:2#1", token: "t-2-000000", startedAt: 0 })
        yield* control.failNext(serverError(1, ["getTicket"]))
        const summary = yield* Pipeline.run(bump)
        assert.deepInclude(summary, { failed: 1, resumed: 1 })
        assert.deepStrictEqual(summary.failedBy, { ServerError: 1 })
        assert.deepStrictEqual(yield* checkpoint.pending("bump"), ["2"], "taken up again next time")
      }).pipe(Effect.provide(TestLive())))
  })

  it.effect("handles at most `concurrency` tickets at once", () =>
    Effect.gen(function*() {
      let running = 0
      let most = 0
      const pipeline = Pipeline.make("slow", Pipeline.source(Helpdesk)).pipe(
        Pipeline.step((ticket) =>
          Effect.acquireUseRelease(
            Effect.sync(() => most = Math.max(most, ++running)),
            () => Effect.as(Effect.sleep("1 second"), ticket.id),
            () => Effect.sync(() => running--)
          )
        )
      )
      const fiber = yield* Effect.fork(Pipeline.run(pipeline, { concurrency: 3 }))
      yield* TestClock.adjust("10 seconds")
      const summary = yield* Fiber.join(fiber)
      assert.deepInclude(summary, { seen: 12, unchanged: 12 })
      assert.strictEqual(most, 3)
    }).pipe(Effect.provide(TestLive(12))))

  it.effect("progress: onTicket sees every outcome, with a total for a snapshot source", () =>
    Effect.gen(function*() {
      const seen: Array<string> = []
      const pipeline = Pipeline.make("progress", Pipeline.source(Helpdesk, { queues: [{ name: "Incoming" }] }, { snapshot: true })).pipe(
        Pipeline.note(() => "hello")
      )
      yield* Pipeline.run(pipeline, {
        concurrency: 1,
        onTicket: (outcome, { done, total }) => Effect.sync(() => seen.push(`${outcome._tag} ${outcome.ticketId} ${done}/${total}`))
      })
      assert.deepStrictEqual(seen, ["Changed 1 1/6", "Changed 2 2/6", "Changed 3 3/6", "Changed 5 4/6", "Changed 6 5/6", "Changed 7 6/6"])
    }).pipe(Effect.provide(TestLive())))

  it.effect("an incremental source reads from the watermark (less the overlap); it never moves past a failed ticket", () =>
    Effect.gen(function*() {
      const control = yield* InMemory.InMemoryControl
      const pipeline = Pipeline.make("inc", Pipeline.incremental(Helpdesk, { queues: [{ name: "Support" }] }, { overlap: "1 hour" })).pipe(
        Pipeline.step((ticket) => (ticket.title.includes("fail") ? Effect.fail("refused" as const) : Effect.succeed(ticket))),
        Pipeline.note((ticket) => `Mirrored ${ticket.title}`)
      )
      const first = yield* Pipeline.run(pipeline)
      assert.deepInclude(first, { seen: 2, changed: 2 })
      assert.strictEqual(first.watermark?.toString(), "DateTime.Utc(2026-11-08T08:00:00.000Z)", "the newest ticket read")

      yield* Effect.sync(() => {
        control.store.seed({ id: 20, title: "Old", queue: "Support", createdAt: "2026-11-07T06:00:00Z" }, DateTime.unsafeMake(START))
        control.store.seed({ id: 21, title: "Later", queue: "Support", createdAt: "2026-11-20T08:00:00Z" }, DateTime.unsafeMake(START))
        control.store.seed({ id: 22, title: "Later, fail", queue: "Support", createdAt: "2026-11-15T08:00:00Z" }, DateTime.unsafeMake(START))
      })
      yield* control.reset
      const second = yield* Pipeline.run(pipeline)
      // 4 and 8 were noted by the first run (so changed since), 20 is older than the watermark less the overlap
      assert.deepInclude(second, { seen: 4, changed: 1, failed: 1, skipped: 2 })
      assert.deepStrictEqual(second.skippedBy, { "already handled": 2 })
      assert.deepStrictEqual(second.failedBy, { error: 1 })
      assert.strictEqual(second.watermark?.toString(), "DateTime.Utc(2026-11-15T08:00:00.000Z)", "held back at the failed ticket")
      assert.deepStrictEqual(notesOf(control, "20"), [])

      const third = yield* Pipeline.run(pipeline)
      assert.deepInclude(third, { seen: 4, skipped: 3, failed: 1 }, "the failed ticket is read again")
    }).pipe(Effect.provide(TestLive())))

  it.effect("an incremental source with an invalid updatedSince fails typed, also once it has a watermark", () =>
    Effect.gen(function*() {
      const checkpoint = yield* Checkpoint.Checkpoint
      yield* checkpoint.setWatermark("bad-since", DateTime.unsafeMake("2026-11-05T00:00:00Z"))
      const pipeline = Pipeline.make(
        "bad-since",
        Pipeline.incremental(Helpdesk, { updatedSince: "yesterday" } as never)
      ).pipe(Pipeline.note(() => "x"))
      const exit = yield* Effect.exit(Pipeline.run(pipeline))
      assert.isTrue(exit._tag === "Failure" && !Cause.isDie(exit.cause), `a typed failure, not a defect: ${exit._tag === "Failure" ? Cause.pretty(exit.cause) : ""}`)
      assert.include(Cause.pretty((exit as { cause: Cause.Cause<unknown> }).cause), "updatedSince")
    }).pipe(Effect.provide(TestLive())))

  it("says in its type which systems and services it needs", () => {
    class Classifier extends Context.Tag("test/Classifier")<Classifier, { readonly classify: (t: Ticket.Ticket) => Effect.Effect<string> }>() {}
    const Rt = TicketSystemAdapter.named("rt")
    const Redmine = TicketSystemAdapter.named("redmine")
    const pipeline = Pipeline.make("two", Pipeline.source(Rt)).pipe(
      Pipeline.step((ticket) => Effect.flatMap(Classifier, (c) => c.classify(ticket))),
      Pipeline.sink((queue, ticket) => Pipeline.addNote(Redmine, ticket.id, queue))
    )
    const typed: Pipeline.Pipeline<
      string,
      Pipeline.WriteError,
      TicketSystemAdapter.Named<"rt"> | TicketSystemAdapter.Named<"redmine"> | Classifier
    > = pipeline
    const rtOnly = Pipeline.run(typed).pipe(
      Effect.provide(TicketSystemAdapter.layerAs(InMemory.layer(), "rt")),
      Effect.provide(Checkpoint.layerMemory),
      Effect.provideService(Classifier, { classify: () => Effect.succeed("Support") })
    )
    // @ts-expect-error Redmine is still needed
    const missing: Effect.Effect<Pipeline.Summary, unknown, never> = rtOnly
    assert.isDefined(missing)
  })
})

