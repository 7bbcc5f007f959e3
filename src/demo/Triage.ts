/**
 * The triage pipeline: take the new and open tickets of the incoming queue, classify each, move
 * it to its queue with its priority, and leave an internal note saying why.
 */
import { Chunk, Effect, Stream } from "effect"
import type * as AdapterError from "../AdapterError.js"
import type * as Ticket from "../Ticket.js"
import * as TicketSystemAdapter from "../TicketSystemAdapter.js"
import { Classifier } from "./Classifier.js"

export interface TriageOptions {
  /** the queue new tickets arrive in */
  readonly incoming: Ticket.Ref
  /** tickets handled at once */
  readonly concurrency?: number
  /** called after each ticket (for progress) */
  readonly onTicket?: (done: number, total: number, ticket: Ticket.Ticket, outcome: Outcome) => Effect.Effect<void>
}

export type Outcome =
  | { readonly _tag: "routed"; readonly queue: string; readonly priority: Ticket.PriorityLevel; readonly reason: string }
  | { readonly _tag: "failed"; readonly error: AdapterError.AdapterError }

export interface Summary {
  readonly seen: number
  readonly routed: number
  readonly failed: number
  readonly byQueue: Readonly<Record<string, number>>
  readonly failures: ReadonlyArray<{ readonly ticketId: string; readonly message: string }>
}

export const triage = (options: TriageOptions) =>
  Effect.gen(function*() {
    const adapter = yield* TicketSystemAdapter.TicketSystemAdapter
    const classifier = yield* Classifier
    // Collect the tickets first: routing moves them out of the queue being read, and paging by
    // offset over a list that shrinks underneath would skip tickets.
    const tickets = Chunk.toReadonlyArray(
      yield* Stream.runCollect(adapter.streamTickets({ queues: [options.incoming], states: ["new", "open"] }))
    )
    let done = 0
    const outcomes = yield* Effect.forEach(tickets, (ticket) =>
      Effect.gen(function*() {
        const c = yield* classifier.classify(ticket)
        yield* adapter.updateTicket(ticket.id, { queue: { name: c.queue }, priority: c.priority, state: "open" })
        yield* adapter.addNote(ticket.id, { body: `Triage: ${c.reason}.`, visibility: "internal" })
        return { _tag: "routed", queue: c.queue, priority: c.priority, reason: c.reason } as Outcome
      }).pipe(
        Effect.catchAll((error) => Effect.succeed<Outcome>({ _tag: "failed", error })),
        Effect.tap((outcome) => options.onTicket?.(++done, tickets.length, ticket, outcome) ?? Effect.void),
        Effect.map((outcome) => [ticket, outcome] as const)
      ), { concurrency: options.concurrency ?? 4 })

    const byQueue: Record<string, number> = {}
    const failures: Array<{ ticketId: string; message: string }> = []
    for (const [ticket, outcome] of outcomes) {
      if (outcome._tag === "routed") byQueue[outcome.queue] = (byQueue[outcome.queue] ?? 0) + 1
      else failures.push({ ticketId: ticket.id, message: outcome.error.message })
    }
    return {
      seen: tickets.length,
      routed: tickets.length - failures.length,
      failed: failures.length,
      byQueue,
      failures
    } satisfies Summary
  })

export const formatSummary = (summary: Summary): string => {
  const lines = [
    `seen ${summary.seen}, routed ${summary.routed}, failed ${summary.failed}`,
    ...Object.entries(summary.byQueue).sort(([a], [b]) => a.localeCompare(b)).map(([q, n]) => `  ${q.padEnd(12)} ${n}`),
    ...summary.failures.map((f) => `  ticket ${f.ticketId}: ${f.message}`)
  ]
  return lines.join("\n")
}
