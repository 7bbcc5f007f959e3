/**
 * {@link repeat}: a pipeline run now, then as a `Schedule` says — each run takes up where the
 * checkpoint says the last one got.
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import { dual } from "effect/Function"
import type * as Schedule from "effect/Schedule"
import type * as Checkpoint from "../Checkpoint.js"
import type { CurrentTicket } from "./journal.js"
import { isPipeline, type Pipeline } from "./model.js"
import { run, type RunError, type RunOptions } from "./run.js"
import type { Failure, Summary } from "./summary.js"

/**
 * Options of {@link repeat}.
 *
 * @since 0.1.0
 * @category models
 */
export interface RepeatOptions<A, E> extends RunOptions<A, E> {
  /** called after each run with its summary */
  readonly onRun?: (summary: Summary) => Effect.Effect<void>
}

/**
 * Runs a pipeline now and then as the schedule says (it is fed each run's summary):
 * `Schedule.spaced("5 minutes")` runs it every five minutes after the previous run ended, until
 * interrupted. A failed run ends the repetition with its error (put a retry around it to go on).
 * Interrupting stops cleanly: tickets in flight finish (see `interrupt`), the checkpoint keeps
 * what was done, and the next start takes up from there.
 *
 * @since 0.1.0
 * @category running
 */
export const repeat: {
  <A, E, Out, R2>(
    schedule: Schedule.Schedule<Out, Summary, R2>,
    options?: RepeatOptions<A, Failure<E>>
  ): <R>(self: Pipeline<A, E, R>) => Effect.Effect<Out, RunError<E>, Exclude<R, CurrentTicket> | Checkpoint.Checkpoint | R2>
  <A, E, R, Out, R2>(
    self: Pipeline<A, E, R>,
    schedule: Schedule.Schedule<Out, Summary, R2>,
    options?: RepeatOptions<NoInfer<A>, NoInfer<Failure<E>>>
  ): Effect.Effect<Out, RunError<E>, Exclude<R, CurrentTicket> | Checkpoint.Checkpoint | R2>
} = dual((args) => isPipeline(args[0]), <A, E, R, Out, R2>(
  self: Pipeline<A, E, R>,
  schedule: Schedule.Schedule<Out, Summary, R2>,
  options: RepeatOptions<A, Failure<E>> = {}
) =>
  run(self, options).pipe(
    Effect.tap((summary) => options.onRun?.(summary) ?? Effect.void),
    Effect.repeat(schedule)
  ))
