/**
 * Retry policies as plain `Schedule`s, and one combinator that applies a policy to a whole
 * adapter.
 *
 * A policy only says *when* to try again (how many times, how long to wait). {@link apply} adds
 * *what* may be retried:
 *
 * - reads and `updateTicket` (idempotent: it sets values) retry on passing errors
 *   ({@link AdapterError.isTransient});
 * - `addNote` and `createTicket` are not idempotent: they are re-sent only when the system
 *   certainly did not act ({@link AdapterError.isSafeToResend}) — never after a timeout or a
 *   connection dropped after sending, where the note may already be stored;
 * - a `RateLimitError`'s retry-after is always waited for at least; a retry-after longer than
 *   `maxRetryAfter` ends the retries (the error is returned to the caller).
 *
 * @since 0.1.0
 */
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import { dual } from "effect/Function"
import * as Layer from "effect/Layer"
import * as Schedule from "effect/Schedule"
import * as Stream from "effect/Stream"
import type { AdapterError } from "./AdapterError.js"
import { isSafeToResend, isTransient } from "./AdapterError.js"
import type { Service } from "./TicketSystemAdapter.js"
import { collect, paginate, TicketSystemAdapter } from "./TicketSystemAdapter.js"

/**
 * A retry policy: a schedule fed with the errors of failed attempts.
 *
 * @since 0.1.0
 * @category models
 */
export type Policy = Schedule.Schedule<unknown, AdapterError>

/**
 * Options of {@link exponential}.
 *
 * @since 0.1.0
 * @category models
 */
export interface ExponentialOptions {
  /** attempts in all, the first included (default 3) */
  readonly attempts?: number
  /** the first delay (default 1 second) */
  readonly base?: Duration.DurationInput
  /** the longest delay (default 10 seconds) */
  readonly max?: Duration.DurationInput
  /** growth factor of the delay (default 2) */
  readonly factor?: number
  /** randomise each delay by ±20 % (default true) */
  readonly jitter?: boolean
}

/**
 * Exponential backoff: `base`, `base × factor`, … capped at `max`, jittered, for `attempts`
 * attempts in all.
 *
 * @since 0.1.0
 * @category constructors
 */
export const exponential = (options: ExponentialOptions = {}): Policy => {
  const max = Duration.decode(options.max ?? "10 seconds")
  const base = Schedule.exponential(options.base ?? "1 second", options.factor ?? 2)
  const jittered = options.jitter === false ? base : Schedule.jittered(base)
  return jittered.pipe(
    Schedule.modifyDelay((_, delay) => Duration.min(delay, max)),
    Schedule.intersect(Schedule.recurs(Math.max(0, (options.attempts ?? 3) - 1)))
  )
}

/**
 * The default policy, the reference guide's: 3 attempts, exponential from 1 s to at most 10 s,
 * jittered.
 *
 * @since 0.1.0
 * @category constructors
 */
export const defaultPolicy: Policy = exponential()

/**
 * Never retry.
 *
 * @since 0.1.0
 * @category constructors
 */
export const none: Policy = Schedule.stop

/**
 * Options of {@link apply}.
 *
 * @since 0.1.0
 * @category models
 */
export interface ApplyOptions {
  /** give up when a system asks to wait longer than this (default 60 seconds) */
  readonly maxRetryAfter?: Duration.DurationInput
}

/**
 * Makes a policy wait at least the retry-after of a `RateLimitError`, and stop when that wait is
 * longer than `maxRetryAfter`.
 *
 * @since 0.1.0
 * @category combinators
 */
export const respectRetryAfter: {
  (options?: ApplyOptions): (self: Policy) => Policy
  (self: Policy, options?: ApplyOptions): Policy
} = dual((args) => Schedule.isSchedule(args[0]), (self: Policy, options: ApplyOptions = {}): Policy => {
  const maxWait = Duration.toMillis(options.maxRetryAfter ?? "60 seconds")
  return Schedule.intersect(Schedule.identity<AdapterError>(), self).pipe(
    Schedule.whileInput((error: AdapterError) =>
      error._tag !== "RateLimitError" || error.retryAfterMillis === undefined || error.retryAfterMillis <= maxWait
    ),
    Schedule.modifyDelay(([error], delay) =>
      error._tag === "RateLimitError" && error.retryAfterMillis !== undefined
        ? Duration.max(delay, Duration.millis(error.retryAfterMillis))
        : delay
    )
  )
})

/**
 * Restricts a policy to passing errors: the policy for reads and idempotent writes.
 *
 * @since 0.1.0
 * @category combinators
 */
export const forIdempotent = (self: Policy, options?: ApplyOptions): Policy =>
  respectRetryAfter(Schedule.whileInput(self, isTransient), options)

/**
 * Restricts a policy to errors after which the system certainly did not act: the policy for
 * writes that are not idempotent (adding a note, creating a ticket).
 *
 * @since 0.1.0
 * @category combinators
 */
export const forNonIdempotent = (self: Policy, options?: ApplyOptions): Policy =>
  respectRetryAfter(Schedule.whileInput(self, isSafeToResend), options)

/**
 * Applies a policy to every operation of an adapter (see the module header for what is retried
 * when). Streams retry page by page: a failed page is fetched again, the pages before it are not.
 *
 * @since 0.1.0
 * @category combinators
 */
export const apply: {
  (policy: Policy, options?: ApplyOptions): (self: Service) => Service
  (self: Service, policy: Policy, options?: ApplyOptions): Service
} = dual(
  (args) => typeof args[0] === "object" && args[0] !== null && "fetchPage" in args[0],
  (self: Service, policy: Policy, options?: ApplyOptions): Service => {
    const idempotent = forIdempotent(policy, options)
    const nonIdempotent = forNonIdempotent(policy, options)
    const retry = <A>(effect: Effect.Effect<A, AdapterError>) => Effect.retry(effect, idempotent)
    const fetchPage: Service["fetchPage"] = (criteria) => retry(self.fetchPage(criteria))
    return {
      ...self,
      fetchPage,
      fetchTickets: (criteria) => collect(fetchPage, criteria),
      streamTickets: (criteria) => Stream.suspend(() => paginate(fetchPage, criteria)),
      searchTickets: (query, options) => collect(fetchPage, { ...options, text: query }),
      getTicket: (id) => retry(self.getTicket(id)),
      listNotes: (id) => retry(self.listNotes(id)),
      updateTicket: (id, update) => retry(self.updateTicket(id, update)),
      createTicket: (draft) => Effect.retry(self.createTicket(draft), nonIdempotent),
      addNote: (id, note) => Effect.retry(self.addNote(id, note), nonIdempotent)
    }
  }
)

/**
 * A layer that wraps the `TicketSystemAdapter` below it with a policy:
 * `MyAdapter.layer(options).pipe(Layer.provide(...))` → `Retry.layer(policy).pipe(Layer.provide(adapterLayer))`.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (
  policy: Policy = defaultPolicy,
  options?: ApplyOptions
): Layer.Layer<TicketSystemAdapter, never, TicketSystemAdapter> =>
  Layer.effect(TicketSystemAdapter, Effect.map(TicketSystemAdapter, (service) => apply(service, policy, options)))
