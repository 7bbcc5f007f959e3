/**
 * The triage pipeline: take the new and open tickets of the incoming queue, classify each, move
 * it to its queue with its priority, and leave an internal note saying why — built from the
 * `Pipeline` combinators:
 *
 * ```ts
 * Pipeline.make("triage", Pipeline.source(Helpdesk, { queues: [incoming], states: ["new", "open"] }, { snapshot: true })).pipe(
 *   Pipeline.step(classify),            // Ticket → Effect<Classification, never, Classifier>
 *   Pipeline.updateAndNote(routeAndSayWhy)  // two journaled writes: a crash between them adds no second note
 * )
 * ```
 *
 * The source is read whole before anything is written (`snapshot`): routing moves tickets out of
 * the queue being read, and paging by offset over a list that shrinks underneath would skip some.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import type * as AdapterError from "../AdapterError.js"
import type * as Checkpoint from "../Checkpoint.js"
import * as Pipeline from "../Pipeline.js"
import type * as Ticket from "../Ticket.js"
import * as TicketSystemAdapter from "../TicketSystemAdapter.js"
import { type Classification, Classifier } from "./Classifier.js"

/**
 * The name the triage's checkpoint is kept under.
 *
 * @since 0.1.0
 * @category constants
 */
export const PIPELINE_NAME = "triage"

/**
 * The triage as a pipeline over the default `TicketSystemAdapter`: what it needs shows in its
 * type (`TicketSystemAdapter | Classifier`).
 *
 * @since 0.1.0
 * @category pipelines
 */
export const pipeline = (incoming: Ticket.Ref): Pipeline.Pipeline<
  Classification,
  AdapterError.AdapterError | Checkpoint.CheckpointError,
  TicketSystemAdapter.TicketSystemAdapter | Classifier
> =>
  Pipeline.make(
    PIPELINE_NAME,
    Pipeline.source(TicketSystemAdapter.TicketSystemAdapter, { queues: [incoming], states: ["new", "open"] }, { snapshot: true })
  ).pipe(
    Pipeline.step((ticket) => Effect.flatMap(Classifier, (classifier) => classifier.classify(ticket))),
    Pipeline.updateAndNote((c) => ({
      update: { queue: { name: c.queue }, priority: c.priority, state: "open" },
      note: { body: `Triage: ${c.reason}.`, visibility: "internal" }
    }))
  )

/**
 * Options of {@link triage}.
 *
 * @since 0.1.0
 * @category models
 */
export interface TriageOptions {
  /** the queue new tickets arrive in */
  readonly incoming: Ticket.Ref
  /** tickets handled at once (default 4) */
  readonly concurrency?: number
  /** show what would change, without writing */
  readonly dryRun?: boolean
  /** what to do with a ticket that failed (default: skip it and report it) */
  readonly onFailure?: Pipeline.FailurePolicy<Pipeline.Failure<AdapterError.AdapterError>>
  /** called after each ticket (for progress) */
  readonly onTicket?: (
    outcome: Pipeline.Outcome<Classification, Pipeline.Failure<AdapterError.AdapterError>>,
    progress: Pipeline.Progress
  ) => Effect.Effect<void>
}

/**
 * What a triage run did.
 *
 * @since 0.1.0
 * @category models
 */
export interface Summary {
  readonly seen: number
  readonly routed: number
  readonly skipped: number
  readonly failed: number
  /** routed tickets by queue */
  readonly byQueue: Readonly<Record<string, number>>
  readonly failures: ReadonlyArray<{ readonly ticketId: string; readonly message: string }>
  /** the pipeline's own summary (reasons, changes, dry run) */
  readonly run: Pipeline.Summary
}

/**
 * Runs the triage once.
 *
 * @since 0.1.0
 * @category programs
 */
export const triage = (options: TriageOptions) =>
  Effect.gen(function*() {
    const byQueue: Record<string, number> = {}
    const run = yield* Pipeline.run(pipeline(options.incoming), {
      concurrency: options.concurrency ?? 4,
      dryRun: options.dryRun === true,
      ...(options.onFailure === undefined ? {} : { onFailure: options.onFailure }),
      onTicket: (outcome, progress) => {
        if (outcome._tag === "Changed" || outcome._tag === "Unchanged") {
          byQueue[outcome.value.queue] = (byQueue[outcome.value.queue] ?? 0) + 1
        }
        return options.onTicket?.(outcome, progress) ?? Effect.void
      }
    })
    return {
      seen: run.seen,
      routed: run.changed + run.unchanged,
      skipped: run.skipped,
      failed: run.failed,
      byQueue,
      failures: run.failures.map(({ message, ticketId }) => ({ ticketId, message })),
      run
    } satisfies Summary
  })

/**
 * A triage summary as text: counts, then routed tickets by queue, then failures.
 *
 * @since 0.1.0
 * @category formatting
 */
export const formatSummary = (summary: Summary): string => {
  const lines = [
    `${summary.run.dryRun ? "dry run: " : ""}seen ${summary.seen}, ${summary.run.dryRun ? "would route" : "routed"} ${summary.routed}, ` +
    `failed ${summary.failed}` + (summary.skipped > 0 ? `, skipped ${summary.skipped}` : ""),
    ...Object.entries(summary.byQueue).sort(([a], [b]) => a.localeCompare(b)).map(([q, n]) => `  ${q.padEnd(12)} ${n}`),
    ...summary.failures.map((f) => `  ticket ${f.ticketId}: ${f.message}`)
  ]
  return lines.join("\n")
}
