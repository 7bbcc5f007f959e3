/**
 * Retry and RateLimit are aspects on the driver (issue 14): wrapped around a finished service, they
 * re-made its reads page by page, so a stream of a system from a config file (which gets both)
 * checked its criteria on every page and opened a span per page.
 */
import { FetchHttpClient } from "@effect/platform"
import { assert, describe, it } from "@effect/vitest"
import { Chunk, Effect, Layer, Stream } from "effect"
import { Config, InMemory, RateLimit, Registry, Retry, TicketSystemAdapter } from "ticketkit"
import { record } from "./support/Capture.js"

describe("aspects on the driver", () => {
  it.effect("a stream of a config-file system (retry + rate limit) has one span, and the criteria are checked once", () =>
    Effect.gen(function*() {
      const config = yield* Config.resolve({
        systems: {
          scratch: {
            adapter: "in-memory",
            options: { demoTickets: 25 },
            retry: { attempts: 3 },
            rateLimit: { limit: 1000, interval: 1000 }
          }
        }
      })
      const system = yield* Config.select(config)
      const context = yield* Layer.build(system.layer)
      const adapter = context.unsafeMap.get(TicketSystemAdapter.TicketSystemAdapter.key) as TicketSystemAdapter.Service
      const { exit, recording } = yield* record(Stream.runCollect(adapter.streamTickets({ pageSize: 5 })))
      assert.isTrue(exit._tag === "Success" && Chunk.size(exit.value) === 25)
      const ticketkitSpans = recording.spans.map((s) => s.name).filter((name) => name.startsWith("ticketkit."))
      assert.deepStrictEqual(ticketkitSpans, ["ticketkit.streamTickets"], "one span for the whole stream")
    }).pipe(Effect.provide(Registry.layer()), Effect.provide(FetchHttpClient.layer), Effect.scoped))

  it.effect("Retry over RateLimit over an adapter is one port: its driver has both aspects", () =>
    Effect.gen(function*() {
      const { adapter, control } = yield* InMemory.makeWithControl({ fixtures: [{ id: 1, title: "x", queue: "Support" }] })
      let limited = 0
      const counting = RateLimit.apply(adapter, <A, E, R>(effect: Effect.Effect<A, E, R>) => {
        limited++
        return effect
      })
      const retried = Retry.apply(counting, Retry.none)
      const { recording } = yield* record(retried.getTicket("1"))
      assert.strictEqual(limited, 1, "one call through the limiter")
      assert.deepStrictEqual(recording.spans.map((s) => s.name), ["ticketkit.getTicket"], "one port span, not one per wrapper")
      assert.strictEqual(TicketSystemAdapter.driverOf(retried).name, adapter.name)
      assert.strictEqual((yield* control.calls).length, 1)
    }).pipe(Effect.scoped))
})
