/**
 * {@link run}: one run of a pipeline. It reads the checkpoint and opens the source
 * (`sources.ts`), handles the tickets at most `concurrency` at a time (`ticket.ts`), then moves
 * an incremental source's watermark and gives the summary — or fails with
 * {@link PipelineStopped}.
 *
 * @internal
 */
import * as Data from "effect/Data"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import { dual } from "effect/Function"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import type { AdapterError } from "../AdapterError.js"
import * as Checkpoint from "../Checkpoint.js"
import type * as TicketSystemAdapter from "../TicketSystemAdapter.js"
import type { CurrentTicket } from "./journal.js"
import { isPipeline, type Pipeline } from "./model.js"
import { type FailurePolicy, skipFailed } from "./policy.js"
import { plan } from "./sources.js"
import { type Failure, messageOf, type Outcome, type Progress, type Summary, Tally } from "./summary.js"
import { handle, type RunContext } from "./ticket.js"

// -----------------------------------------------------------------------------
// models
// -----------------------------------------------------------------------------

/**
 * Options of {@link run}.
 *
 * @since 0.1.0
 * @category models
 */
export interface RunOptions<A, E> {
  /** show what would change without writing (default false) */
  readonly dryRun?: boolean
  /** tickets handled at once (default 4) */
  readonly concurrency?: number
  /** what to do with a ticket that failed (default `skipFailed`) */
  readonly onFailure?: FailurePolicy<E>
  /**
   * on interrupt: `finish` the tickets in flight (default; an attempt runs to its end, retries
   * are not waited for) or `abandon` them (their journal says what is left for the next run)
   */
  readonly interrupt?: "finish" | "abandon"
  /** called after each ticket (progress, logging, tallies) */
  readonly onTicket?: (outcome: Outcome<A, E>, progress: Progress) => Effect.Effect<void>
}

/**
 * The run stopped on a failed ticket (policy `stopOnFailure`, or retries then stop).
 *
 * @since 0.1.0
 * @category errors
 */
export class PipelineStopped<E> extends Data.TaggedError("PipelineStopped")<{
  readonly pipeline: string
  readonly ticketId: string
  readonly reason: string
  readonly error: E
  /** what the run did before it stopped */
  readonly summary: Summary
}> {
  /**
   * @since 0.1.0
   */
  override get message(): string {
    return `pipeline ${this.pipeline} stopped at ticket ${this.ticketId}: ${messageOf(this.error)}`
  }
}

/**
 * The errors of a run: a checkpoint that cannot be used, a source that cannot be read, or a stop
 * on a failed ticket.
 *
 * @since 0.1.0
 * @category models
 */
export type RunError<E> = PipelineStopped<Failure<E>> | Checkpoint.CheckpointError | AdapterError

// -----------------------------------------------------------------------------
// running
// -----------------------------------------------------------------------------

/**
 * Runs a pipeline once (see the `Pipeline` module header for how a run goes) and gives its
 * summary.
 *
 * @since 0.1.0
 * @category running
 */
export const run: {
  <A, E>(options?: RunOptions<A, Failure<E>>): <R>(self: Pipeline<A, E, R>) => Effect.Effect<Summary, RunError<E>, Exclude<R, CurrentTicket> | Checkpoint.Checkpoint>
  <A, E, R>(self: Pipeline<A, E, R>, options?: RunOptions<NoInfer<A>, NoInfer<Failure<E>>>): Effect.Effect<Summary, RunError<E>, Exclude<R, CurrentTicket> | Checkpoint.Checkpoint>
} = dual((args) => isPipeline(args[0]), <A, E, R>(
  self: Pipeline<A, E, R>,
  options: RunOptions<A, Failure<E>> = {}
): Effect.Effect<Summary, RunError<E>, Exclude<R, CurrentTicket> | Checkpoint.Checkpoint> =>
  Effect.gen(function*() {
    const checkpoint = yield* Checkpoint.Checkpoint
    const adapter = yield* self.source.tag
    const { items, previous, total } = yield* plan(self.name, self.source, adapter, checkpoint)
    const context = makeContext(self, options, adapter, checkpoint, total)
    yield* items.pipe(
      Stream.takeWhile(() => context.state.stop === undefined),
      Stream.mapEffect((item) => handle(context, item), { concurrency: Math.max(1, Math.floor(options.concurrency ?? 4)), unordered: true }),
      Stream.runDrain
    )
    return yield* finish(context, previous)
  }).pipe(
    Effect.withSpan("ticketkit.pipeline.run", { attributes: { "ticketkit.pipeline": self.name, "ticketkit.dry_run": options.dryRun === true } })
  ) as Effect.Effect<Summary, RunError<E>, Exclude<R, CurrentTicket> | Checkpoint.Checkpoint>)

/** the context of one run of a pipeline, with a fresh state */
const makeContext = <A, E, R>(
  self: Pipeline<A, E, R>,
  options: RunOptions<A, Failure<E>>,
  adapter: TicketSystemAdapter.Service,
  checkpoint: Checkpoint.Service,
  total: number | undefined
): RunContext<A, E> => {
  const dryRun = options.dryRun === true
  return {
    name: self.name,
    source: self.source,
    // the run provides `CurrentTicket`; the rest of `R` is the run's own requirement
    process: self.process as RunContext<A, E>["process"],
    adapter,
    checkpoint,
    dryRun,
    policy: options.onFailure ?? skipFailed,
    abandon: options.interrupt === "abandon",
    onTicket: options.onTicket,
    total,
    state: { tally: new Tally(self.name, dryRun), taken: new Set(), newest: undefined, oldestFailed: undefined, stop: undefined }
  }
}

/**
 * The end of a run: an incremental source's watermark moves to the newest `updatedAt` read (never
 * past a failed ticket) unless the run stopped, which fails it with {@link PipelineStopped}.
 */
const finish = <A, E>(
  context: RunContext<A, E>,
  previous: Option.Option<DateTime.Utc>
): Effect.Effect<Summary, PipelineStopped<Failure<E>> | Checkpoint.CheckpointError> =>
  Effect.gen(function*() {
    const { state } = context
    let watermark = Option.getOrUndefined(previous)
    if (state.stop === undefined && context.source.incremental && state.newest !== undefined) {
      const candidate = state.oldestFailed === undefined ? state.newest : DateTime.min(state.newest, state.oldestFailed)
      if (watermark === undefined || DateTime.greaterThan(candidate, watermark)) {
        if (!context.dryRun) yield* context.checkpoint.setWatermark(context.name, candidate)
        watermark = candidate
      }
    }
    if (state.stop !== undefined) {
      return yield* Effect.fail(new PipelineStopped({ pipeline: context.name, ...state.stop, summary: state.tally.summary(watermark) }))
    }
    return state.tally.summary(watermark)
  })
