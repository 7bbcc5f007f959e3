/**
 * The metrics ticketkit records, with effect's `Metric` module: they live in effect's global metric
 * registry whether or not anything exports them (`Metric.snapshot` reads them in-process; the
 * `Telemetry` layer exports them over OTLP). Every data point has the `system` (the name the system
 * is configured under) and the `operation` (the port operation being served) as attributes.
 *
 * The recorders are small combinators used where the unit is: the transport (one HTTP exchange),
 * the retry aspect (one re-attempt), the rate-limit aspect (one wait for the limiter), the port
 * (one operation, as the caller called it).
 *
 * @internal
 */
import * as Cause from "effect/Cause"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as FiberRef from "effect/FiberRef"
import * as Metric from "effect/Metric"
import * as MetricBoundaries from "effect/MetricBoundaries"
import * as MetricLabel from "effect/MetricLabel"
import type * as Schedule from "effect/Schedule"
import { currentOperation } from "../operation.js"

/** the buckets of the latency histograms, in seconds (OpenTelemetry's for HTTP durations, up to a minute) */
const latencyBoundaries = MetricBoundaries.fromIterable([0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 30, 60])

/** @internal */
export const requests: Metric.Metric.Counter<number> = Metric.counter("ticketkit.http.requests", {
  description: "HTTP requests sent to ticket systems, by method and status class (1xx–5xx, or none when no answer came)"
})

/** @internal */
export const requestDuration: Metric.Metric.Histogram<number> = Metric.histogram(
  "ticketkit.http.request.duration",
  latencyBoundaries,
  "the time of one HTTP exchange with a ticket system, body included, in seconds"
).pipe(Metric.tagged("unit", "s"))

/** @internal */
export const retries: Metric.Metric.Counter<number> = Metric.counter("ticketkit.retries", {
  description: "requests sent again by the retry policy (Retry.aspect)"
})

/** @internal */
export const rateLimitWaits: Metric.Metric.Counter<number> = Metric.counter("ticketkit.rate_limit.waits", {
  description: "requests the client-side rate limit (RateLimit.aspect) held back"
})

/** @internal */
export const rateLimitWaitTime: Metric.Metric.Counter<number> = Metric.counter("ticketkit.rate_limit.wait_time", {
  description: "the time requests waited for the client-side rate limit, in seconds"
}).pipe(Metric.tagged("unit", "s"))

/** @internal */
export const errors: Metric.Metric.Counter<number> = Metric.counter("ticketkit.errors", {
  description: "operations of the port that failed, by the error's tag"
})

/** @internal */
export const operationDuration: Metric.Metric.Histogram<number> = Metric.histogram(
  "ticketkit.operation.duration",
  latencyBoundaries,
  "the time of one operation of the port (retries and rate-limit waits included), in seconds"
).pipe(Metric.tagged("unit", "s"))

/** a wait shorter than this is not a wait (taking a free permit still costs a few microseconds) */
const waitThresholdNanos = 1_000_000n

const labels = (system: string, operation: string, extra?: Record<string, string>): Array<MetricLabel.MetricLabel> => {
  const result = [MetricLabel.make("system", system), MetricLabel.make("operation", operation)]
  if (extra !== undefined) for (const key of Object.keys(extra)) result.push(MetricLabel.make(key, extra[key]!))
  return result
}

const seconds = (nanos: bigint) => Number(nanos) / 1e9

/** the operation being served, as the transport and the aspects name it */
const operationNow = (fallback: string) => Effect.map(FiberRef.get(currentOperation), (operation) => operation ?? fallback)

/** the status class of an answer: `2xx`, `4xx`… */
export const statusClass = (status: number | undefined): string =>
  status === undefined || !Number.isFinite(status) || status < 100 || status > 599 ? "none" : `${Math.floor(status / 100)}xx`

/**
 * Counts one HTTP exchange and records its duration. The status class is the answer's, or that of
 * an error that carries a `status` (a body over the cap), `none` when no answer came.
 *
 * @internal
 */
export const exchange = (system: string, operation: string, method: string) =>
<A extends { readonly response: { readonly status: number } }, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.flatMap(Clock.currentTimeNanos, (start) =>
    Effect.onExit(self, (exit) =>
      Effect.flatMap(Clock.currentTimeNanos, (end) =>
        Effect.sync(() => {
          if (Exit.isInterrupted(exit)) return
          requests.unsafeUpdate(1, labels(system, operation, { method, status_class: statusClass(answerStatus(exit)) }))
          requestDuration.unsafeUpdate(seconds(end - start), labels(system, operation, { method }))
        }))))

/**
 * `Effect.retry` that counts each attempt after the first as a retry of the operation being served.
 *
 * @internal
 */
export const retrying = <A, E, R, Out, R2>(
  system: string,
  self: Effect.Effect<A, E, R>,
  policy: Schedule.Schedule<Out, E, R2>
): Effect.Effect<A, E, R | R2> =>
  Effect.suspend(() => {
    let attempt = 0
    const counted = Effect.suspend(() =>
      attempt++ === 0
        ? self
        : Effect.zipRight(Effect.flatMap(operationNow("request"), (operation) => Effect.sync(() => retries.unsafeUpdate(1, labels(system, operation)))), self)
    )
    return Effect.retry(counted, policy)
  })

/**
 * Measures how long the effect waited to start behind a limiter (`limited` is the effect given to
 * the limiter): a wait of a millisecond or more counts as a rate-limit wait, with its time.
 *
 * @internal
 */
export const limited = <A, E, R>(
  system: string,
  limit: (effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>,
  self: Effect.Effect<A, E, R>
): Effect.Effect<A, E, R> =>
  Effect.flatMap(Clock.currentTimeNanos, (start) =>
    limit(Effect.zipRight(
      Effect.flatMap(Clock.currentTimeNanos, (now) => {
        const waited = now - start
        if (waited < waitThresholdNanos) return Effect.void
        return Effect.flatMap(operationNow("request"), (operation) =>
          Effect.sync(() => {
            const at = labels(system, operation)
            rateLimitWaits.unsafeUpdate(1, at)
            rateLimitWaitTime.unsafeUpdate(seconds(waited), at)
          }))
      }),
      self
    )))

/**
 * Records one operation of the port: its duration, and its error by tag. Only the outermost
 * operation is recorded (`fetchTickets` reads its pages through `fetchPage`: one operation to the
 * caller), so that every failure the caller sees is counted once.
 *
 * @internal
 */
export const operation = (system: string, name: string) => <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.flatMap(FiberRef.get(currentOperation), (outer) =>
    outer !== undefined ? self : Effect.flatMap(Clock.currentTimeNanos, (start) =>
      Effect.onExit(self, (exit) =>
        Effect.flatMap(Clock.currentTimeNanos, (end) =>
          Effect.sync(() => {
            const at = labels(system, name)
            operationDuration.unsafeUpdate(seconds(end - start), at)
            if (Exit.isFailure(exit)) {
              const tag = errorTag(exit)
              if (tag !== undefined) errors.unsafeUpdate(1, labels(system, name, { error: tag }))
            }
          })))))

/**
 * Counts a failure of a stream of the port (a stream has no duration worth a histogram: it lasts
 * as long as its reader reads).
 *
 * @internal
 */
export const streamError = (system: string, name: string, error: { readonly _tag?: unknown }): Effect.Effect<void> =>
  Effect.sync(() => errors.unsafeUpdate(1, labels(system, name, { error: typeof error._tag === "string" ? error._tag : "unknown" })))

/** the status of an exchange's answer, if one came */
const answerStatus = (exit: Exit.Exit<{ readonly response: { readonly status: number } }, unknown>): number | undefined => {
  if (Exit.isSuccess(exit)) return exit.value.response.status
  const failure = Cause.failureOption(exit.cause)
  if (failure._tag === "None" || typeof failure.value !== "object" || failure.value === null) return undefined
  const status = (failure.value as { readonly status?: unknown }).status
  return typeof status === "number" ? status : undefined
}

/** the tag of a failure; `defect` for a defect, `undefined` for an interruption */
const errorTag = (exit: Exit.Exit<unknown, unknown>): string | undefined => {
  if (Exit.isSuccess(exit)) return undefined
  const failure = Cause.failureOption(exit.cause)
  if (failure._tag === "Some") {
    const error = failure.value
    return typeof error === "object" && error !== null && typeof (error as { _tag?: unknown })._tag === "string"
      ? (error as { _tag: string })._tag
      : "unknown"
  }
  return Cause.isInterruptedOnly(exit.cause) ? undefined : "defect"
}
