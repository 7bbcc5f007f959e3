/**
 * The reference server's models (re-exported by `ReferenceServer`): the faults it can inject and
 * the counts it keeps of what it saw and did.
 *
 * @internal
 */
import * as Schema from "effect/Schema"

/**
 * Faults to inject. Rates are shares of requests (0–1), drawn from a seeded generator so that a
 * run can be repeated.
 *
 * @since 0.1.0
 * @category models
 */
export const Faults = Schema.Struct({
  /** added to every answer */
  latencyMs: Schema.optional(Schema.NonNegative),
  /**
   * at most this many requests a second, in bursts of at most this many (a token bucket of this
   * size, refilled continuously); past it, answer 429 with `Retry-After`
   */
  rateLimitPerSecond: Schema.optional(Schema.Positive),
  /** the `Retry-After` of a 429, in seconds (default 1) */
  retryAfterSeconds: Schema.optional(Schema.NonNegative),
  /** answer 500, 502 or 503 without acting */
  serverErrorRate: Schema.optional(Schema.Number.pipe(Schema.between(0, 1))),
  /** drop the connection before acting */
  dropBeforeRate: Schema.optional(Schema.Number.pipe(Schema.between(0, 1))),
  /** act, then drop the connection without answering */
  dropAfterRate: Schema.optional(Schema.Number.pipe(Schema.between(0, 1))),
  /** act, then answer truncated JSON */
  malformedRate: Schema.optional(Schema.Number.pipe(Schema.between(0, 1))),
  /** answer 429 with `Retry-After` (retryAfterSeconds) without acting */
  rateLimitRate: Schema.optional(Schema.Number.pipe(Schema.between(0, 1))),
  /** act, then wait `stallMs` before answering (a client timing out after the server acted) */
  stallRate: Schema.optional(Schema.Number.pipe(Schema.between(0, 1))),
  /** how long a stalled answer waits (default 5000) */
  stallMs: Schema.optional(Schema.NonNegative),
  /** send the body in small chunks, this many ms apart */
  slowBodyMs: Schema.optional(Schema.NonNegative),
  /** seed of the fault generator (default 1) */
  seed: Schema.optional(Schema.Int)
})

/**
 * @since 0.1.0
 * @category models
 */
export type Faults = typeof Faults.Type

/**
 * Counts of what the server saw and did.
 *
 * @since 0.1.0
 * @category models
 */
export interface Stats {
  requests: number
  unauthorized: number
  rateLimited: number
  serverErrors: number
  droppedBefore: number
  droppedAfter: number
  malformed: number
  stalled: number
}

/**
 * All counts at zero.
 *
 * @since 0.1.0
 * @category constructors
 */
export const emptyStats = (): Stats => ({
  requests: 0,
  unauthorized: 0,
  rateLimited: 0,
  serverErrors: 0,
  droppedBefore: 0,
  droppedAfter: 0,
  malformed: 0,
  stalled: 0
})
