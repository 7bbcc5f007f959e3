/**
 * What a run reports: the {@link Outcome} of each ticket, the {@link Summary} of the run (counted
 * by a {@link Tally}), and both as text ({@link formatChange}, {@link formatSummary}).
 *
 * @internal
 */
import type * as DateTime from "effect/DateTime"
import * as Predicate from "effect/Predicate"
import type { AdapterError } from "../AdapterError.js"
import type * as Checkpoint from "../Checkpoint.js"
import type * as T from "../Ticket.js"
import type { Change } from "./journal.js"
import type { Skipped } from "./steps.js"

// -----------------------------------------------------------------------------
// models
// -----------------------------------------------------------------------------

/**
 * How a ticket can fail, as reported: the pipeline's errors but a skip and a checkpoint failure
 * (which stops the run), and the system's (a half-done ticket read again).
 *
 * @since 0.1.0
 * @category models
 */
export type Failure<E> = Exclude<E, Skipped | Checkpoint.CheckpointError> | AdapterError

/**
 * What happened to one ticket.
 *
 * @since 0.1.0
 * @category models
 */
export type Outcome<A, E> =
  | { readonly _tag: "Changed"; readonly ticketId: string; readonly ticket: T.Ticket; readonly value: A; readonly changes: ReadonlyArray<Change> }
  | { readonly _tag: "Unchanged"; readonly ticketId: string; readonly ticket: T.Ticket; readonly value: A }
  | { readonly _tag: "Skipped"; readonly ticketId: string; readonly ticket: T.Ticket | undefined; readonly reason: string }
  | {
    readonly _tag: "Failed"
    readonly ticketId: string
    readonly ticket: T.Ticket | undefined
    readonly reason: string
    readonly error: E
    /** writes made before the failure */
    readonly changes: ReadonlyArray<Change>
  }

/**
 * How far a run is.
 *
 * @since 0.1.0
 * @category models
 */
export interface Progress {
  /** tickets with an outcome */
  readonly done: number
  /** tickets in all, when known (a `snapshot` source) */
  readonly total: number | undefined
}

/**
 * What a run did.
 *
 * @since 0.1.0
 * @category models
 */
export interface Summary {
  readonly pipeline: string
  readonly dryRun: boolean
  /** tickets looked at (read from the source, or taken up from a previous run) */
  readonly seen: number
  /** tickets written to (in a dry run: that would be) */
  readonly changed: number
  /** tickets that went through without a write */
  readonly unchanged: number
  readonly skipped: number
  readonly failed: number
  /** tickets taken up from a previous run that left them half-done */
  readonly resumed: number
  /** skipped tickets by reason (`already handled`, a step's reason…) */
  readonly skippedBy: Readonly<Record<string, number>>
  /** failed tickets by reason (the error's tag: `ConnectionError`, …) */
  readonly failedBy: Readonly<Record<string, number>>
  readonly failures: ReadonlyArray<{ readonly ticketId: string; readonly reason: string; readonly message: string }>
  /** the writes made (in a dry run: that would be), in the order they were made */
  readonly changes: ReadonlyArray<Change>
  /** the watermark after the run (incremental sources) */
  readonly watermark: DateTime.Utc | undefined
}

// -----------------------------------------------------------------------------
// counting
// -----------------------------------------------------------------------------

/**
 * The reason a ticket failed, for the summary: the error's tag (or name).
 *
 * @internal
 */
export const reasonOf = (error: unknown): string =>
  Predicate.hasProperty(error, "_tag") && typeof error._tag === "string"
    ? error._tag
    : error instanceof Error
    ? error.name
    : "error"

/**
 * An error's message, for the summary.
 *
 * @internal
 */
export const messageOf = (error: unknown): string =>
  error instanceof Error
    ? error.message
    : Predicate.hasProperty(error, "message") && typeof error.message === "string"
    ? error.message
    : String(error)

/**
 * The counts of a run as it goes, from the outcomes of its tickets.
 *
 * @internal
 */
export class Tally {
  seen = 0
  changed = 0
  unchanged = 0
  skipped = 0
  failed = 0
  resumed = 0
  done = 0
  readonly skippedBy: Record<string, number> = {}
  readonly failedBy: Record<string, number> = {}
  readonly failures: Array<{ readonly ticketId: string; readonly reason: string; readonly message: string }> = []
  readonly changes: Array<Change> = []
  constructor(readonly pipeline: string, readonly dryRun: boolean) {}

  count<A, E>(outcome: Outcome<A, E>) {
    this.done++
    switch (outcome._tag) {
      case "Changed":
        this.changed++
        this.changes.push(...outcome.changes)
        break
      case "Unchanged":
        this.unchanged++
        break
      case "Skipped":
        this.skipped++
        this.skippedBy[outcome.reason] = (this.skippedBy[outcome.reason] ?? 0) + 1
        break
      case "Failed":
        this.failed++
        this.changes.push(...outcome.changes)
        this.failedBy[outcome.reason] = (this.failedBy[outcome.reason] ?? 0) + 1
        this.failures.push({ ticketId: outcome.ticketId, reason: outcome.reason, message: messageOf(outcome.error) })
        break
    }
  }

  summary(watermark: DateTime.Utc | undefined): Summary {
    return {
      pipeline: this.pipeline,
      dryRun: this.dryRun,
      seen: this.seen,
      changed: this.changed,
      unchanged: this.unchanged,
      skipped: this.skipped,
      failed: this.failed,
      resumed: this.resumed,
      skippedBy: { ...this.skippedBy },
      failedBy: { ...this.failedBy },
      failures: [...this.failures],
      changes: [...this.changes],
      watermark
    }
  }
}

// -----------------------------------------------------------------------------
// formatting
// -----------------------------------------------------------------------------

/**
 * One line for a change: `ticket 12: update helpdesk #12: queue Incoming → Billing`.
 *
 * @since 0.1.0
 * @category formatting
 */
export const formatChange = (change: Change): string => {
  const where = change.kind === "create" ? `${change.system}` : `${change.system} #${change.target}`
  return `ticket ${change.ticketId}: ${change.kind} ${where}: ${change.detail}`
}

/**
 * A summary as text: the counts on the first line, then reasons and failures.
 *
 * ```
 * seen 12, changed 9, unchanged 1, skipped 1, failed 1
 *   skipped: already handled 1
 *   failed: ConnectionError 1
 *     ticket 7: helpdesk: addNote could not reach the ticket system (…)
 * ```
 *
 * @since 0.1.0
 * @category formatting
 */
export const formatSummary = (summary: Summary): string => {
  const byReason = (counts: Readonly<Record<string, number>>) =>
    Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)).map(([reason, n]) => `${reason} ${n}`).join(", ")
  const lines = [
    `${summary.dryRun ? "dry run: " : ""}seen ${summary.seen}, ${summary.dryRun ? "would change" : "changed"} ${summary.changed}, ` +
    `unchanged ${summary.unchanged}, skipped ${summary.skipped}, failed ${summary.failed}` +
    (summary.resumed > 0 ? ` (${summary.resumed} taken up from an earlier run)` : "")
  ]
  if (summary.skipped > 0) lines.push(`  skipped: ${byReason(summary.skippedBy)}`)
  if (summary.failed > 0) {
    lines.push(`  failed: ${byReason(summary.failedBy)}`)
    for (const failure of summary.failures) lines.push(`    ticket ${failure.ticketId}: ${failure.message}`)
  }
  return lines.join("\n")
}
