import { assert, describe, it } from "@effect/vitest"
import { Effect, Fiber, Layer, TestClock } from "effect"
import { InMemory, RateLimit, TicketSystemAdapter } from "ticketkit"
import { project, runCli } from "./support/RunCli.js"

describe("RateLimit", () => {
  it.effect("one limiter for every fiber that uses the system", () =>
    Effect.gen(function*() {
      const adapter = yield* TicketSystemAdapter.TicketSystemAdapter
      const control = yield* InMemory.InMemoryControl
      const count = Effect.map(control.calls, (c) => c.length)
      const fiber = yield* Effect.fork(Effect.forEach(Array.from({ length: 7 }, () => "1"), (id) => adapter.getTicket(id), { concurrency: "unbounded" }))
      yield* TestClock.adjust("1 millis")
      assert.strictEqual(yield* count, 3)
      yield* TestClock.adjust("1 second")
      assert.strictEqual(yield* count, 6)
      yield* TestClock.adjust("1 second")
      yield* Fiber.join(fiber)
      assert.strictEqual(yield* count, 7)
    }).pipe(Effect.provide(
      RateLimit.layer({ limit: 3, interval: "1 second", algorithm: "fixed-window" }).pipe(
        Layer.provideMerge(InMemory.layer({ fixtures: [{ id: 1, title: "x", queue: "Support" }] }))
      )
    )))

  it.effect("limits streams page by page", () =>
    Effect.gen(function*() {
      const { adapter, control } = yield* InMemory.makeWithControl({ fixtures: Array.from({ length: 10 }, (_, i) => ({ title: `t${i}`, queue: "Support" })) })
      const limited = yield* Layer.build(RateLimit.layer({ limit: 2, interval: "1 second", algorithm: "fixed-window" }).pipe(
        Layer.provide(Layer.succeed(TicketSystemAdapter.TicketSystemAdapter, adapter))
      )).pipe(Effect.map((ctx) => ctx.unsafeMap.get(TicketSystemAdapter.TicketSystemAdapter.key) as TicketSystemAdapter.Service))
      const fiber = yield* Effect.fork(limited.fetchTickets({ pageSize: 2 }))
      yield* TestClock.adjust("1 millis")
      assert.strictEqual((yield* control.calls).length, 2)
      yield* TestClock.adjust("2 seconds")
      assert.strictEqual((yield* Fiber.join(fiber)).length, 10)
      assert.strictEqual((yield* control.calls).length, 5)
    }).pipe(Effect.scoped))

  it.effect("rate limit and retry come from the configuration file", () =>
    Effect.gen(function*() {
      const dir = project("ratelimit", {
        "ticketkit.yaml": "systems:\n  a:\n    adapter: in-memory\n    options: { demoTickets: 5 }\n    rateLimit: { limit: 0, interval: 1000 }\n"
      })
      const bad = yield* runCli(dir, "fetch")
      assert.strictEqual(bad.code, 3)
      assert.strictEqual(bad.err, "ticketkit: ticketkit.yaml: systems.a.rateLimit.limit: Expected a positive number, actual 0")
    }))
})
