import { assert, describe, it } from "@effect/vitest"
import { Chunk, DateTime, Duration, Effect, Either, Fiber, Layer, Schedule, Stream, TestClock } from "effect"
import { AdapterError, InMemory, Retry, TicketSystemAdapter } from "ticketkit"

const setup = (policy: Retry.Policy, options?: Retry.ApplyOptions, idempotencyKeys = true) =>
  Effect.gen(function*() {
    const { adapter, control } = yield* InMemory.makeWithControl({
      fixtures: [{ id: 1, title: "Printer jammed", queue: "Support" }],
      idempotencyKeys
    })
    return { adapter: Retry.apply(adapter, policy, options), control }
  })

const calls = (control: InMemory.Control, operation: string) =>
  Effect.map(control.calls, (log) => log.filter((c) => c.operation === operation).length)

const serverError = (ctx: { adapter: string; operation: string }) => new AdapterError.ServerError({ ...ctx, status: 502 })
const deterministic = Retry.exponential({ jitter: false })

describe("Retry", () => {
  it.effect("retries passing errors with exponential delays: 1 s, then 2 s", () =>
    Effect.gen(function*() {
      const { adapter, control } = yield* setup(deterministic)
      yield* control.failNext({ times: 2, error: serverError })
      const fiber = yield* Effect.fork(adapter.getTicket("1"))
      yield* TestClock.adjust("999 millis")
      assert.strictEqual(yield* calls(control, "getTicket"), 1)
      yield* TestClock.adjust("1 millis")
      assert.strictEqual(yield* calls(control, "getTicket"), 2)
      yield* TestClock.adjust("1999 millis")
      assert.strictEqual(yield* calls(control, "getTicket"), 2)
      yield* TestClock.adjust("1 millis")
      const ticket = yield* Fiber.join(fiber)
      assert.strictEqual(ticket.title, "Printer jammed")
      assert.strictEqual(yield* calls(control, "getTicket"), 3)
    }))

  it.effect("gives up after 3 attempts with the last error", () =>
    Effect.gen(function*() {
      const { adapter, control } = yield* setup(deterministic)
      yield* control.failNext({ times: 5, error: serverError })
      const fiber = yield* Effect.fork(Effect.either(adapter.getTicket("1")))
      yield* TestClock.adjust("1 minute")
      const result = yield* Fiber.join(fiber)
      assert.isTrue(Either.isLeft(result) && result.left._tag === "ServerError")
      assert.strictEqual(yield* calls(control, "getTicket"), 3)
    }))

  it.effect("the default policy: 3 attempts, 1 s → 10 s exponential, jittered within ±20 %", () =>
    Effect.gen(function*() {
      const error = serverError({ adapter: "x", operation: "getTicket" })
      const defaults = yield* Schedule.run(Schedule.delays(Retry.defaultPolicy), 0, Array(10).fill(error))
      // Schedule.run also reports the step at which the schedule is done: 2 retries + the end
      assert.strictEqual(Chunk.size(defaults), 3, "two retries: three attempts in all")
      for (let run = 0; run < 50; run++) {
        const delays = Chunk.toReadonlyArray(
          yield* Schedule.run(Schedule.delays(Retry.exponential({ attempts: 7 })), 0, Array(10).fill(error))
        ).map(Duration.toMillis).slice(0, 6)
        assert.strictEqual(delays.length, 6)
        ;[1000, 2000, 4000, 8000, 16000, 32000].forEach((nominal, i) => {
          const d = delays[i]!
          assert.isAtLeast(d, Math.min(nominal * 0.8, 10_000), `delay ${i + 1}`)
          assert.isAtMost(d, Math.min(nominal * 1.2, 10_000), `delay ${i + 1}`)
        })
      }
    }))

  for (const make of [
    (ctx: { adapter: string; operation: string }) => new AdapterError.AuthenticationError({ ...ctx, status: 401 }),
    (ctx: { adapter: string; operation: string }) => new AdapterError.TicketNotFoundError({ ...ctx, ticketId: "1" }),
    (ctx: { adapter: string; operation: string }) => new AdapterError.RequestRejectedError({ ...ctx, reason: "no" }),
    (ctx: { adapter: string; operation: string }) => new AdapterError.InvalidResponseError({ ...ctx, detail: "bad" })
  ]) {
    const tag = make({ adapter: "x", operation: "y" })._tag
    it.effect(`does not retry ${tag}`, () =>
      Effect.gen(function*() {
        const { adapter, control } = yield* setup(deterministic)
        yield* control.failNext({ times: 1, error: make })
        const fiber = yield* Effect.fork(Effect.either(adapter.updateTicket("1", { priority: "high" })))
        yield* TestClock.adjust("1 minute")
        const result = yield* Fiber.join(fiber)
        assert.isTrue(Either.isLeft(result) && result.left._tag === tag)
        assert.strictEqual(yield* calls(control, "updateTicket"), 1)
      }))
  }

  it.effect("waits at least a rate limit's retry-after", () =>
    Effect.gen(function*() {
      const { adapter, control } = yield* setup(deterministic)
      yield* control.failNext({
        times: 1,
        error: (ctx) => new AdapterError.RateLimitError({ ...ctx, retryAfterMillis: 5000 })
      })
      const fiber = yield* Effect.fork(adapter.fetchTickets())
      yield* TestClock.adjust("4999 millis")
      assert.strictEqual(yield* calls(control, "fetchTickets"), 1)
      yield* TestClock.adjust("1 millis")
      const tickets = yield* Fiber.join(fiber)
      assert.strictEqual(tickets.length, 1)
      assert.strictEqual(yield* calls(control, "fetchTickets"), 2)
    }))

  it.effect("gives up when the retry-after is longer than maxRetryAfter", () =>
    Effect.gen(function*() {
      const { adapter, control } = yield* setup(deterministic, { maxRetryAfter: "30 seconds" })
      yield* control.failNext({
        times: 1,
        error: (ctx) => new AdapterError.RateLimitError({ ...ctx, retryAfterMillis: 3_600_000 })
      })
      const result = yield* Effect.either(adapter.getTicket("1"))
      assert.isTrue(Either.isLeft(result) && result.left._tag === "RateLimitError")
      assert.strictEqual(yield* calls(control, "getTicket"), 1)
    }))

  const timeoutAfterActing = {
    times: 1,
    after: true,
    operations: ["addNote"],
    error: (ctx: { adapter: string; operation: string }) => new AdapterError.TimeoutError({ ...ctx, timeoutMillis: 30000 })
  }
  const storedNotes = (control: InMemory.Control) => {
    const notes = control.store.listNotes("1")
    return notes.ok ? notes.value.map((n) => n.body) : []
  }

  it.effect("without keys or checks, does not re-send a note after a timeout, when the note may be stored", () =>
    Effect.gen(function*() {
      const { adapter, control } = yield* setup(deterministic, { checkNotesBeforeResend: false }, false)
      yield* control.failNext(timeoutAfterActing)
      const fiber = yield* Effect.fork(Effect.either(adapter.addNote("1", "checked the toner")))
      yield* TestClock.adjust("1 minute")
      const result = yield* Fiber.join(fiber)
      assert.isTrue(Either.isLeft(result) && result.left._tag === "TimeoutError")
      assert.strictEqual(yield* calls(control, "addNote"), 1)
      assert.deepStrictEqual(storedNotes(control), ["checked the toner"], "the note is stored exactly once")
    }))

  it.effect("without keys or checks, does not re-send a note after a connection dropped after sending", () =>
    Effect.gen(function*() {
      const { adapter, control } = yield* setup(deterministic, { checkNotesBeforeResend: false }, false)
      yield* control.failNext({
        times: 1,
        after: true,
        error: (ctx) => new AdapterError.ConnectionError({ ...ctx, detail: "socket hang up", requestSent: true })
      })
      const fiber = yield* Effect.fork(Effect.either(adapter.addNote("1", "checked the toner")))
      yield* TestClock.adjust("1 minute")
      yield* Fiber.join(fiber)
      assert.strictEqual(yield* calls(control, "addNote"), 1)
    }))

  it.effect("checks before re-sending: a note stored before its answer was lost is not posted again", () =>
    Effect.gen(function*() {
      const { adapter, control } = yield* setup(deterministic, {}, false)
      yield* control.failNext(timeoutAfterActing)
      const fiber = yield* Effect.fork(adapter.addNote("1", "checked the toner"))
      yield* TestClock.adjust("1 minute")
      yield* Fiber.join(fiber)
      assert.strictEqual(yield* calls(control, "addNote"), 1, "not re-sent")
      assert.strictEqual(yield* calls(control, "listNotes"), 2, "counted before, checked after")
      assert.deepStrictEqual(storedNotes(control), ["checked the toner"])
    }))

  it.effect("checks before re-sending: a note that was not stored is sent again", () =>
    Effect.gen(function*() {
      const { adapter, control } = yield* setup(deterministic, {}, false)
      control.store.addNote("1", { body: "checked the toner", visibility: "internal", contentType: "text/plain" }, DateTime.unsafeNow())
      yield* control.failNext({ ...timeoutAfterActing, after: false })
      const fiber = yield* Effect.fork(adapter.addNote("1", "checked the toner"))
      yield* TestClock.adjust("1 minute")
      yield* Fiber.join(fiber)
      assert.strictEqual(yield* calls(control, "addNote"), 2, "re-sent")
      assert.deepStrictEqual(storedNotes(control), ["checked the toner", "checked the toner"], "the earlier identical note and this one")
    }))

  it.effect("with idempotency keys, a note is re-sent with the same key and stored once", () =>
    Effect.gen(function*() {
      const { adapter, control } = yield* setup(deterministic)
      yield* control.failNext(timeoutAfterActing)
      const fiber = yield* Effect.fork(adapter.addNote("1", "checked the toner"))
      yield* TestClock.adjust("1 minute")
      yield* Fiber.join(fiber)
      assert.strictEqual(yield* calls(control, "addNote"), 2, "re-sent")
      assert.deepStrictEqual(storedNotes(control), ["checked the toner"], "applied once")
    }))

  it.effect("with idempotency keys, a created ticket is created once", () =>
    Effect.gen(function*() {
      const { adapter, control } = yield* setup(deterministic)
      yield* control.failNext({ ...timeoutAfterActing, operations: ["createTicket"] })
      const fiber = yield* Effect.fork(adapter.createTicket({ title: "New one", queue: { name: "Support" } }))
      yield* TestClock.adjust("1 minute")
      const created = yield* Fiber.join(fiber)
      assert.strictEqual(yield* calls(control, "createTicket"), 2)
      assert.strictEqual(control.store.size, 2, "one fixture and one new ticket")
      assert.strictEqual(created.title, "New one")
    }))

  // issue 13, item 6: a 503 after the system acted re-sent createTicket: two tickets
  it.effect("without idempotency keys, a ticket whose creation answered 503 is not created again", () =>
    Effect.gen(function*() {
      const { adapter, control } = yield* setup(deterministic, {}, false)
      yield* control.failNext({
        times: 1,
        after: true,
        operations: ["createTicket"],
        error: (ctx) => new AdapterError.ServerError({ ...ctx, status: 503 })
      })
      const fiber = yield* Effect.fork(Effect.either(adapter.createTicket({ title: "New one", queue: { name: "Support" } })))
      yield* TestClock.adjust("1 minute")
      const result = yield* Fiber.join(fiber)
      assert.isTrue(Either.isLeft(result) && result.left._tag === "ServerError", "the ambiguous failure is reported")
      assert.strictEqual(yield* calls(control, "createTicket"), 1, "not re-sent")
      assert.strictEqual(control.store.size, 2, "one fixture and the one ticket the system made")
    }))

  it.effect("retries an idempotent update after a timeout", () =>
    Effect.gen(function*() {
      const { adapter, control } = yield* setup(deterministic)
      yield* control.failNext({
        times: 1,
        after: true,
        error: (ctx) => new AdapterError.TimeoutError({ ...ctx, timeoutMillis: 30000 })
      })
      const fiber = yield* Effect.fork(adapter.updateTicket("1", { priority: "urgent" }))
      yield* TestClock.adjust("1 second")
      const ticket = yield* Fiber.join(fiber)
      assert.strictEqual(ticket.priority.level, "urgent")
      assert.strictEqual(yield* calls(control, "updateTicket"), 2)
    }))

  it.effect("streams retry page by page without repeating tickets", () =>
    Effect.gen(function*() {
      const { adapter } = yield* InMemory.makeWithControl({
        fixtures: Array.from({ length: 7 }, (_, i) => ({ title: `t${i}`, queue: "Support" }))
      })
      let pages = 0
      const flaky: TicketSystemAdapter.Service = {
        ...adapter,
        fetchPage: (c) =>
          Effect.suspend(() =>
            ++pages === 3 ? Effect.fail(serverError({ adapter: "x", operation: "fetchTickets" })) : adapter.fetchPage(c)
          )
      }
      const fiber = yield* Effect.fork(Stream.runCollect(Retry.apply(flaky, deterministic).streamTickets({ pageSize: 2 })))
      yield* TestClock.adjust("1 second")
      const tickets = Chunk.toReadonlyArray(yield* Fiber.join(fiber))
      assert.deepStrictEqual(tickets.map((t) => t.title), ["t0", "t1", "t2", "t3", "t4", "t5", "t6"])
      assert.strictEqual(pages, 5, "4 pages and one retried page")
    }))

  it.effect("Retry.layer wraps the adapter in a context", () =>
    Effect.gen(function*() {
      const adapter = yield* TicketSystemAdapter.TicketSystemAdapter
      const control = yield* InMemory.InMemoryControl
      yield* control.failNext({ times: 1, error: serverError })
      const fiber = yield* Effect.fork(adapter.getTicket("1"))
      yield* TestClock.adjust("1 second")
      yield* Fiber.join(fiber)
      assert.strictEqual(yield* calls(control, "getTicket"), 2)
    }).pipe(
      Effect.provide(
        Retry.layer(deterministic).pipe(
          Layer.provideMerge(InMemory.layer({ fixtures: [{ id: 1, title: "x", queue: "Support" }] }))
        )
      )
    ))
})
