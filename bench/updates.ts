/**
 * Bench 3 — concurrent updates through `RestAdapter.updateTicket`.
 *
 * - latency: N updates at concurrency C against a server that takes L ms per answer; the ideal
 *   throughput is C / L (every slot always busy, no client cost).
 * - rate limit: the server allows R requests/s (a token bucket of R, refilled continuously); the
 *   client wraps every update in effect's `RateLimiter.make({ limit: R, interval: "1 second" })`.
 *   Achieved rate, and 429s seen (as `RateLimitError`s: no retries, so each is counted).
 */
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as RateLimiter from "effect/RateLimiter"
import { Agent, request } from "undici"
import { TicketSystemAdapter } from "../src/TicketSystemAdapter.js"
import { makeRuntime } from "./client.js"
import { startRawServer, startServer } from "./proc.js"
import { round } from "./stats.js"

export interface LatencyResult {
  readonly updates: number
  readonly concurrency: number
  readonly latencyMs: number
  readonly seconds: number
  readonly achievedPerSecond: number
  readonly idealPerSecond: number
  /** achieved / ideal */
  readonly efficiency: number
  readonly failures: number
}

export interface RateLimitResult {
  readonly updates: number
  readonly concurrency: number
  readonly latencyMs: number
  readonly limitPerSecond: number
  readonly algorithm: "token-bucket" | "fixed-window"
  readonly seconds: number
  /** updates / seconds, from the first request to the last answer (includes the bucket's initial burst of R) */
  readonly achievedPerSecond: number
  /** the rate after the initial burst: (N − R) / (last answer − R-th answer) */
  readonly steadyPerSecond: number
  readonly achievedRatio: number
  readonly steadyRatio: number
  /** 429 answers the client saw */
  readonly rateLimited: number
  /** 429 answers the server counted */
  readonly serverRateLimited: number
  readonly otherFailures: number
}

const ticketCount = 10_000
const update = (i: number) => ({ priority: i % 2 === 0 ? "high" as const : "normal" as const })

export const runUpdates = async (options: {
  readonly updates: number
  readonly concurrency: number
  readonly latencyMs: number
  readonly rateLimits: ReadonlyArray<{ readonly limitPerSecond: number; readonly updates: number; readonly algorithm: "token-bucket" | "fixed-window" }>
}): Promise<{
  readonly latency: LatencyResult
  readonly baselineLatency: LatencyResult
  /** the baseline client against a bare node:http server: what this machine allows at all */
  readonly ceiling: LatencyResult
  readonly rateLimited: ReadonlyArray<RateLimitResult>
}> => {
  const server = await startServer({ count: ticketCount, faults: { latencyMs: options.latencyMs } })
  const runtime = makeRuntime(server.url, server.token)
  const updates = (n: number, offset: number, wrap: <A, E>(effect: Effect.Effect<A, E>) => Effect.Effect<A, E>) =>
    Effect.flatMap(TicketSystemAdapter, (adapter) => {
      const done: Array<number> = []
      return Effect.forEach(
        Array.from({ length: n }, (_, i) => offset + i),
        (i) =>
          wrap(adapter.updateTicket(String(1 + (i % ticketCount)), update(i))).pipe(
            Effect.either,
            Effect.tap(() => Effect.sync(() => done.push(performance.now())))
          ),
        { concurrency: options.concurrency }
      ).pipe(Effect.map((results) => ({ results, done })))
    })
  // the hand-written baseline: undici PUTs, the same concurrency
  const dispatcher = new Agent()
  const headers = { authorization: `Bearer ${server.token}`, "content-type": "application/json", accept: "application/json" }
  const baselineUpdates = async (n: number, url = server.url) => {
    let next = 0
    let failures = 0
    await Promise.all(Array.from({ length: options.concurrency }, async () => {
      while (next < n) {
        const i = next++
        const response = await request(`${url}/api/tickets/${1 + (i % ticketCount)}`, {
          method: "PUT",
          headers,
          body: JSON.stringify({ priority_level: update(i).priority }),
          dispatcher
        })
        const body = JSON.parse(await response.body.text()) as { id?: unknown }
        if (response.statusCode !== 200 || body.id === undefined) failures++
      }
    }))
    return failures
  }
  const latencyResult = (n: number, seconds: number, failures: number): LatencyResult => {
    const ideal = options.concurrency / (options.latencyMs / 1000)
    return {
      updates: n,
      concurrency: options.concurrency,
      latencyMs: options.latencyMs,
      seconds: round(seconds, 3),
      achievedPerSecond: round(n / seconds),
      idealPerSecond: round(ideal),
      efficiency: round(n / seconds / ideal, 3),
      failures
    }
  }
  try {
    // warm-up: connections opened, code compiled
    await runtime.runPromise(updates(options.concurrency * 10, 0, (e) => e))
    await baselineUpdates(options.concurrency * 10)

    const baselineStart = performance.now()
    const baselineFailures = await baselineUpdates(options.updates)
    const baselineLatency = latencyResult(options.updates, (performance.now() - baselineStart) / 1000, baselineFailures)

    const start = performance.now()
    const { results } = await runtime.runPromise(updates(options.updates, 0, (e) => e))
    const latency = latencyResult(options.updates, (performance.now() - start) / 1000, results.filter(Either.isLeft).length)

    const rateLimited: Array<RateLimitResult> = []
    for (const { algorithm, limitPerSecond: R, updates: count } of options.rateLimits) {
      await server.setFaults({ latencyMs: options.latencyMs, rateLimitPerSecond: R })
      await server.resetStats()
      const begin = performance.now()
      const { done, results } = await runtime.runPromise(Effect.scoped(Effect.gen(function*() {
        const limiter = yield* RateLimiter.make({ limit: R, interval: Duration.seconds(1), algorithm })
        return yield* updates(count, 0, limiter)
      })))
      const end = performance.now()
      const stats = await server.stats()
      // the bucket starts full: the first R go at once; the sustained rate is what follows
      const sorted = [...done].sort((a, b) => a - b)
      const burstEnd = sorted[Math.min(R, sorted.length) - 1]!
      const last = sorted[sorted.length - 1]!
      const steady = sorted.length > R && last > burstEnd ? (sorted.length - R) / ((last - burstEnd) / 1000) : 0
      const secondsR = (end - begin) / 1000
      const failures = results.filter(Either.isLeft).map((e) => e.left)
      rateLimited.push({
        updates: count,
        concurrency: options.concurrency,
        latencyMs: options.latencyMs,
        limitPerSecond: R,
        algorithm,
        seconds: round(secondsR, 3),
        achievedPerSecond: round(count / secondsR, 1),
        steadyPerSecond: round(steady, 1),
        achievedRatio: round(count / secondsR / R, 3),
        steadyRatio: round(steady / R, 3),
        rateLimited: failures.filter((e) => e._tag === "RateLimitError").length,
        serverRateLimited: stats.rateLimited,
        otherFailures: failures.filter((e) => e._tag !== "RateLimitError").length
      })
    }
    const raw = await startRawServer(options.latencyMs)
    let ceiling: LatencyResult
    try {
      await baselineUpdates(options.concurrency * 10, raw.url)
      const ceilingStart = performance.now()
      const ceilingFailures = await baselineUpdates(options.updates, raw.url)
      ceiling = latencyResult(options.updates, (performance.now() - ceilingStart) / 1000, ceilingFailures)
    } finally {
      await raw.stop()
    }
    return { latency, baselineLatency, ceiling, rateLimited }
  } finally {
    await dispatcher.close()
    await runtime.dispose()
    await server.stop()
  }
}
