/**
 * Failure policies: what a run does with a ticket that failed — skip it (the default), stop, or
 * handle it again as a `Schedule` says.
 *
 * @internal
 */
import type * as Schedule from "effect/Schedule"

/**
 * What to do with a ticket that failed.
 *
 * @since 0.1.0
 * @category models
 */
export type FailurePolicy<E> =
  | { readonly _tag: "Skip" }
  | { readonly _tag: "Stop" }
  | { readonly _tag: "Retry"; readonly schedule: Schedule.Schedule<unknown, E>; readonly then: "skip" | "stop" }

/**
 * Skip the ticket and report it in the summary (by reason); the run goes on. The default. The
 * ticket is taken up again by the next run (its journal keeps what was done; an incremental
 * source's watermark does not move past it).
 *
 * @since 0.1.0
 * @category failure policies
 */
export const skipFailed: FailurePolicy<unknown> = { _tag: "Skip" }

/**
 * Stop the run: the tickets in flight finish, no new one starts, and the run fails with
 * `PipelineStopped` (which carries the summary so far).
 *
 * @since 0.1.0
 * @category failure policies
 */
export const stopOnFailure: FailurePolicy<unknown> = { _tag: "Stop" }

/**
 * Handle the ticket again (its journaled writes are not repeated) as the schedule says, then
 * skip it (default) or stop.
 *
 * @since 0.1.0
 * @category failure policies
 */
export const retryFailed = <E>(schedule: Schedule.Schedule<unknown, E>, options: { readonly then?: "skip" | "stop" } = {}): FailurePolicy<E> => ({
  _tag: "Retry",
  schedule,
  then: options.then ?? "skip"
})

/**
 * Does a ticket that failed for good stop the run under this policy?
 *
 * @internal
 */
export const stops = <E>(policy: FailurePolicy<E>): boolean =>
  policy._tag === "Stop" || (policy._tag === "Retry" && policy.then === "stop")
