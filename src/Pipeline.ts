/**
 * Typed pipelines over ticket systems: a **source** of tickets, **steps** that work on each
 * ticket, **sinks** that write, run with bounded concurrency, a per-ticket failure policy, a
 * dry-run mode and a summary — and a {@link Checkpoint} so that a run stopped halfway is taken up
 * again without skipping or repeating work.
 *
 * ```ts
 * const Helpdesk = TicketSystemAdapter.TicketSystemAdapter
 *
 * const triage = Pipeline.make("triage", Pipeline.source(Helpdesk, { queues: [{ name: "Incoming" }], states: ["new"] })).pipe(
 *   Pipeline.step((ticket) => Effect.flatMap(Classifier, (c) => c.classify(ticket))),   // Ticket → Effect
 *   Pipeline.updateAndNote((c) => ({
 *     update: { queue: { name: c.queue }, priority: c.priority },
 *     note: `Triage: ${c.reason}.`
 *   }))
 * )
 * // Pipeline<Classification, AdapterError | CheckpointError, TicketSystemAdapter | Classifier>
 *
 * const summary = yield* Pipeline.run(triage, { concurrency: 4, onFailure: Pipeline.retryFailed(Schedule.recurs(2)) })
 * ```
 *
 * The type of a pipeline says what it needs: the systems it reads and writes (by their tags —
 * `TicketSystemAdapter.named("rt")` gives `Named<"rt">`) and the services its steps use. Running
 * it also needs a {@link Checkpoint.Checkpoint}.
 *
 * ## How a run goes
 *
 * 1. Tickets a previous run left half-done (writes started, ticket not marked handled) are read
 *    again by id and finished first — even when they no longer match the source's criteria (the
 *    update that moved a ticket out of the queue was done, the note was not).
 * 2. The source's tickets are read as a `Stream` (an incremental source asks only for tickets
 *    changed since the watermark, less an overlap). A ticket already handled at its current
 *    version (`updatedAt`) is skipped ("already handled").
 * 3. Each ticket goes through the steps and sinks, at most `concurrency` at a time. Every write
 *    is journaled in the checkpoint — started, then done — under a key, so that an attempt after a
 *    crash or a failure does only what is not done yet. A write whose outcome is unknown (started,
 *    never confirmed: a lost answer, a crash) is re-sent with the same idempotency key where the
 *    system honours keys, and otherwise checked first (a note is looked for among the ticket's
 *    notes; a created ticket with the `find` given).
 * 4. A ticket that went through is marked handled at its version (read again after the pipeline's
 *    own writes to the source system, so that those do not make it look changed). A failed ticket
 *    is handled by the failure policy: skipped and reported (the default), retried with a
 *    `Schedule`, or the run stops.
 * 5. At the end of a run that was not stopped, an incremental source's watermark moves to the
 *    newest `updatedAt` read — but never past a ticket that failed.
 *
 * Changes are told by `updatedAt`: on a system that keeps whole seconds, a change made within the
 * second of the version a run recorded shows only with the ticket's next change.
 *
 * Interrupting a run lets the tickets in flight finish (`interrupt: "finish"`, the default) or
 * abandons them (`"abandon"`: their journal says what is left); nothing is lost either way.
 *
 * In a **dry run** steps run (and read), writes do not: each is recorded as a {@link Change}
 * (`applied: false`) and the checkpoint is not changed, so the summary shows what a real run would
 * do now.
 *
 * @since 0.1.0
 */

// The bodies are in `src/pipeline/` (one module per concept: `model`, `sources`, `steps`,
// `journal`, `writes`, `sinks`, `policy`, `summary`, `ticket`, `run`, `schedule`); this module
// is their public face and exports exactly what is listed here.

// -----------------------------------------------------------------------------
// sources
// -----------------------------------------------------------------------------

export type {
  /**
   * The tag of a ticket system: `TicketSystemAdapter.TicketSystemAdapter`, or a named one.
   *
   * @since 0.1.0
   * @category models
   */
  SystemTag
} from "./pipeline/model.js"

export type {
  /**
   * Where a pipeline's tickets come from.
   *
   * @since 0.1.0
   * @category models
   */
  Source
} from "./pipeline/model.js"

export type {
  /**
   * Options of {@link source}: `incremental`, `overlap`, `snapshot`.
   *
   * @since 0.1.0
   * @category models
   */
  SourceOptions
} from "./pipeline/sources.js"

export {
  /**
   * The tickets of a system matching criteria.
   *
   * @since 0.1.0
   * @category sources
   */
  source
} from "./pipeline/sources.js"

export {
  /**
   * The tickets of a system matching criteria and changed since the last run.
   *
   * @since 0.1.0
   * @category sources
   */
  incremental
} from "./pipeline/sources.js"

// -----------------------------------------------------------------------------
// pipelines
// -----------------------------------------------------------------------------

export {
  /**
   * The type id of pipelines (a value and its type).
   *
   * @since 0.1.0
   * @category type ids
   */
  TypeId
} from "./pipeline/model.js"

export type {
  /**
   * A pipeline: a named source and what to do with each of its tickets.
   *
   * @since 0.1.0
   * @category models
   */
  Pipeline
} from "./pipeline/model.js"

export {
  /**
   * Is this a pipeline?
   *
   * @since 0.1.0
   * @category guards
   */
  isPipeline
} from "./pipeline/model.js"

export {
  /**
   * A pipeline that reads a source and does nothing yet: add steps and sinks.
   *
   * @since 0.1.0
   * @category constructors
   */
  make
} from "./pipeline/steps.js"

export {
  /**
   * A step: any `(a, ticket) => Effect`; its requirements and errors become the pipeline's.
   *
   * @since 0.1.0
   * @category steps
   */
  step
} from "./pipeline/steps.js"

export {
  /**
   * A pure step.
   *
   * @since 0.1.0
   * @category steps
   */
  map
} from "./pipeline/steps.js"

export {
  /**
   * Leaves alone (skips, with a reason) the tickets for which a predicate is false.
   *
   * @since 0.1.0
   * @category steps
   */
  filter
} from "./pipeline/steps.js"

// -----------------------------------------------------------------------------
// sinks
// -----------------------------------------------------------------------------

export {
  /**
   * A sink: a step that writes, and passes its value on unchanged.
   *
   * @since 0.1.0
   * @category sinks
   */
  sink
} from "./pipeline/sinks.js"

export type {
  /**
   * The errors a write can add: the system's, and the checkpoint's (which stop the run).
   *
   * @since 0.1.0
   * @category models
   */
  WriteError
} from "./pipeline/writes.js"

export {
  /**
   * A sink that updates the ticket in the source system (only the fields that differ).
   *
   * @since 0.1.0
   * @category sinks
   */
  update
} from "./pipeline/sinks.js"

export {
  /**
   * A sink that adds a note to the ticket in the source system.
   *
   * @since 0.1.0
   * @category sinks
   */
  note
} from "./pipeline/sinks.js"

export type {
  /**
   * What {@link updateAndNote} writes to a ticket.
   *
   * @since 0.1.0
   * @category models
   */
  UpdateAndNote
} from "./pipeline/sinks.js"

export {
  /**
   * A sink that updates the ticket in the source system and then adds a note, each journaled.
   *
   * @since 0.1.0
   * @category sinks
   */
  updateAndNote
} from "./pipeline/sinks.js"

// -----------------------------------------------------------------------------
// skipping
// -----------------------------------------------------------------------------

export {
  /**
   * A step's decision to leave a ticket alone (not a failure).
   *
   * @since 0.1.0
   * @category errors
   */
  Skipped
} from "./pipeline/steps.js"

export {
  /**
   * Leaves the current ticket alone, with a reason for the summary.
   *
   * @since 0.1.0
   * @category steps
   */
  skip
} from "./pipeline/steps.js"

// -----------------------------------------------------------------------------
// writes
// -----------------------------------------------------------------------------

export type {
  /**
   * One write a pipeline made (or, in a dry run, would make).
   *
   * @since 0.1.0
   * @category models
   */
  Change
} from "./pipeline/journal.js"

export {
  /**
   * One line for a change: `ticket 12: update helpdesk #12: queue Incoming → Billing`.
   *
   * @since 0.1.0
   * @category formatting
   */
  formatChange
} from "./pipeline/summary.js"

export type {
  /**
   * The journal of the ticket being handled: its write records and the changes made in this run.
   *
   * @since 0.1.0
   * @category models
   */
  Journal
} from "./pipeline/journal.js"

export type {
  /**
   * The ticket being handled, given to steps and sinks by {@link run}.
   *
   * @since 0.1.0
   * @category models
   */
  TicketContext
} from "./pipeline/journal.js"

export {
  /**
   * The tag of the ticket being handled. {@link run} provides it; a pipeline's type never shows it.
   *
   * @since 0.1.0
   * @category tags
   */
  CurrentTicket
} from "./pipeline/journal.js"

export type {
  /**
   * Options of {@link write}.
   *
   * @since 0.1.0
   * @category models
   */
  WriteOptions
} from "./pipeline/journal.js"

export type {
  /**
   * The attempt of a write, as given to its effect (its `token` is the idempotency key).
   *
   * @since 0.1.0
   * @category models
   */
  Attempt
} from "./pipeline/journal.js"

export {
  /**
   * A journaled write, inside a step or sink: done at most once per ticket version, across
   * failures and restarts.
   *
   * @since 0.1.0
   * @category writes
   */
  write
} from "./pipeline/journal.js"

export {
  /**
   * The part of an update that would change a ticket, and a description of it.
   *
   * @since 0.1.0
   * @category writes
   */
  diffUpdate
} from "./pipeline/writes.js"

export {
  /**
   * Updates a ticket, journaled; given the ticket as read, only the fields that differ are sent.
   *
   * @since 0.1.0
   * @category writes
   */
  updateTicket
} from "./pipeline/writes.js"

export {
  /**
   * Adds a note, journaled; a note left unconfirmed is re-sent with its key or looked for first.
   *
   * @since 0.1.0
   * @category writes
   */
  addNote
} from "./pipeline/writes.js"

export {
  /**
   * Creates a ticket, journaled; gives its id (`(new)` in a dry run).
   *
   * @since 0.1.0
   * @category writes
   */
  createTicket
} from "./pipeline/writes.js"

// -----------------------------------------------------------------------------
// failure policies
// -----------------------------------------------------------------------------

export type {
  /**
   * What to do with a ticket that failed.
   *
   * @since 0.1.0
   * @category models
   */
  FailurePolicy
} from "./pipeline/policy.js"

export {
  /**
   * Skip the ticket and report it in the summary; the run goes on. The default.
   *
   * @since 0.1.0
   * @category failure policies
   */
  skipFailed
} from "./pipeline/policy.js"

export {
  /**
   * Stop the run: the tickets in flight finish, no new one starts, the run fails with
   * {@link PipelineStopped}.
   *
   * @since 0.1.0
   * @category failure policies
   */
  stopOnFailure
} from "./pipeline/policy.js"

export {
  /**
   * Handle the ticket again as the schedule says, then skip it (default) or stop.
   *
   * @since 0.1.0
   * @category failure policies
   */
  retryFailed
} from "./pipeline/policy.js"

// -----------------------------------------------------------------------------
// running
// -----------------------------------------------------------------------------

export type {
  /**
   * How a ticket can fail, as reported.
   *
   * @since 0.1.0
   * @category models
   */
  Failure
} from "./pipeline/summary.js"

export type {
  /**
   * What happened to one ticket.
   *
   * @since 0.1.0
   * @category models
   */
  Outcome
} from "./pipeline/summary.js"

export type {
  /**
   * How far a run is.
   *
   * @since 0.1.0
   * @category models
   */
  Progress
} from "./pipeline/summary.js"

export type {
  /**
   * Options of {@link run}: `dryRun`, `concurrency`, `onFailure`, `interrupt`, `onTicket`.
   *
   * @since 0.1.0
   * @category models
   */
  RunOptions
} from "./pipeline/run.js"

export type {
  /**
   * What a run did.
   *
   * @since 0.1.0
   * @category models
   */
  Summary
} from "./pipeline/summary.js"

export {
  /**
   * The run stopped on a failed ticket (policy {@link stopOnFailure}, or retries then stop).
   *
   * @since 0.1.0
   * @category errors
   */
  PipelineStopped
} from "./pipeline/run.js"

export type {
  /**
   * The errors of a run: a checkpoint that cannot be used, a source that cannot be read, or a stop
   * on a failed ticket.
   *
   * @since 0.1.0
   * @category models
   */
  RunError
} from "./pipeline/run.js"

export {
  /**
   * Runs a pipeline once (see the module header for how a run goes) and gives its summary.
   *
   * @since 0.1.0
   * @category running
   */
  run
} from "./pipeline/run.js"

export type {
  /**
   * Options of {@link repeat}: those of {@link run}, and `onRun`.
   *
   * @since 0.1.0
   * @category models
   */
  RepeatOptions
} from "./pipeline/schedule.js"

export {
  /**
   * Runs a pipeline now and then as the schedule says.
   *
   * @since 0.1.0
   * @category running
   */
  repeat
} from "./pipeline/schedule.js"

// -----------------------------------------------------------------------------
// formatting
// -----------------------------------------------------------------------------

export {
  /**
   * A summary as text: the counts on the first line, then reasons and failures.
   *
   * @since 0.1.0
   * @category formatting
   */
  formatSummary
} from "./pipeline/summary.js"
