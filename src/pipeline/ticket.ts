/**
 * One ticket of a run: taken once, read again when a previous run left it half-done (or skipped
 * when already handled at its version), put through the pipeline with its journal under the
 * failure policy, marked handled, and reported. Every part is a module-level function of the
 * run's {@link RunContext}, which holds what the run works with and the state it keeps.
 *
 * @internal
 */
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import type { AdapterError } from "../AdapterError.js"
import * as Checkpoint from "../Checkpoint.js"
import { withSpanEndingEmpty } from "../internal/span.js"
import type * as T from "../Ticket.js"
import type * as TicketSystemAdapter from "../TicketSystemAdapter.js"
import { CurrentTicket, type Journal, makeJournal, type TicketContext } from "./journal.js"
import type { Source } from "./model.js"
import { type FailurePolicy, stops } from "./policy.js"
import { type Item, itemId } from "./sources.js"
import { Skipped } from "./steps.js"
import { type Failure, type Outcome, type Progress, reasonOf, type Tally } from "./summary.js"

// -----------------------------------------------------------------------------
// the run's context
// -----------------------------------------------------------------------------

/**
 * The failed ticket a run stops on.
 *
 * @internal
 */
export interface Stop<E> {
  readonly ticketId: string
  readonly reason: string
  readonly error: E
}

/**
 * What a run keeps as it goes (its tickets are handled concurrently, in one fiber each; these
 * are read and written between their effects).
 *
 * @internal
 */
export interface RunState<E> {
  readonly tally: Tally
  /** the tickets taken by this run (a half-done ticket may be read from the source again) */
  readonly taken: Set<string>
  /** the newest `updatedAt` read from the source */
  newest: DateTime.Utc | undefined
  /** the oldest `updatedAt` of a failed ticket: the watermark does not move past it */
  oldestFailed: DateTime.Utc | undefined
  /** set by the first failure that stops the run: no ticket starts after it */
  stop: Stop<Failure<E>> | undefined
}

/**
 * What every part of a run works with: fixed for the run, but its {@link RunState}.
 *
 * @internal
 */
export interface RunContext<A, E> {
  readonly name: string
  readonly source: Source<unknown>
  /** the pipeline's work on one ticket */
  readonly process: (ticket: T.Ticket) => Effect.Effect<A, E, CurrentTicket>
  /** the source system */
  readonly adapter: TicketSystemAdapter.Service
  readonly checkpoint: Checkpoint.Service
  readonly dryRun: boolean
  readonly policy: FailurePolicy<Failure<E>>
  /** an interrupt abandons the tickets in flight (rather than letting their attempt finish) */
  readonly abandon: boolean
  readonly onTicket: ((outcome: Outcome<A, Failure<E>>, progress: Progress) => Effect.Effect<void>) | undefined
  /** the tickets in all, when known (a `snapshot` source) */
  readonly total: number | undefined
  readonly state: RunState<E>
}

/** how one attempt at a ticket ended (a failure is the attempt's error) */
type Attempted<A> =
  | { readonly _tag: "Done"; readonly value: A }
  | { readonly _tag: "Skip"; readonly reason: string }
  | { readonly _tag: "Fatal"; readonly error: Checkpoint.CheckpointError }

// -----------------------------------------------------------------------------
// one ticket
// -----------------------------------------------------------------------------

/**
 * Handles one item of the run, in a span of its own; fails only when the checkpoint does (which
 * stops the run).
 *
 * @internal
 */
export const handle = <A, E>(context: RunContext<A, E>, item: Item): Effect.Effect<void, Checkpoint.CheckpointError> => {
  const id = itemId(item)
  return Effect.gen(function*() {
    if (!take(context, item, id)) return
    const ticket = item._tag === "Pending" ? yield* resume(context, id) : yield* unlessHandled(context, id, item.ticket)
    if (ticket !== undefined) yield* work(context, id, ticket)
  }).pipe(
    withSpanEndingEmpty("ticketkit.pipeline.ticket", { attributes: { "ticketkit.pipeline": context.name, "ticketkit.ticket_id": id } }),
    Effect.annotateLogs({ "ticketkit.pipeline": context.name, "ticketkit.ticket_id": id })
  )
}

/** takes the item for this run: false when the run is stopping or the ticket was taken already */
const take = <A, E>(context: RunContext<A, E>, item: Item, id: string): boolean => {
  const { state } = context
  if (state.stop !== undefined) return false
  if (state.taken.has(id)) return false
  state.taken.add(id)
  state.tally.seen++
  if (item._tag === "Source") state.newest = state.newest === undefined ? item.ticket.updatedAt : DateTime.max(state.newest, item.ticket.updatedAt)
  return true
}

/** reads again a ticket a previous run left half-done; `undefined` when it cannot (reported) */
const resume = <A, E>(context: RunContext<A, E>, id: string): Effect.Effect<T.Ticket | undefined, Checkpoint.CheckpointError> =>
  Effect.gen(function*() {
    context.state.tally.resumed++
    const read = yield* Effect.either(context.adapter.getTicket(id))
    if (Either.isRight(read)) return read.right
    if (read.left._tag === "TicketNotFoundError") {
      if (!context.dryRun) yield* context.checkpoint.forget(context.name, id)
      yield* report(context, { _tag: "Skipped", ticketId: id, ticket: undefined, reason: "no longer exists" })
    } else {
      yield* report(context, { _tag: "Failed", ticketId: id, ticket: undefined, reason: reasonOf(read.left), error: read.left, changes: [] })
    }
    return undefined
  })

/** the ticket read from the source, or `undefined` when it is already handled at its version (reported) */
const unlessHandled = <A, E>(
  context: RunContext<A, E>,
  id: string,
  ticket: T.Ticket
): Effect.Effect<T.Ticket | undefined, Checkpoint.CheckpointError> =>
  Effect.gen(function*() {
    const handled = yield* context.checkpoint.handled(context.name, id)
    if (Option.isSome(handled) && DateTime.lessThanOrEqualTo(ticket.updatedAt, handled.value)) {
      yield* report(context, { _tag: "Skipped", ticketId: id, ticket, reason: "already handled" })
      return undefined
    }
    return ticket
  })

/** puts the ticket through the pipeline with its journal, and reports how that went */
const work = <A, E>(context: RunContext<A, E>, id: string, ticket: T.Ticket): Effect.Effect<void, Checkpoint.CheckpointError> =>
  Effect.gen(function*() {
    const journal = makeJournal(yield* context.checkpoint.writes(context.name, id))
    const result = yield* Effect.either(attempt(context, ticket, journal))
    if (Either.isLeft(result)) {
      return yield* report(context, { _tag: "Failed", ticketId: id, ticket, reason: reasonOf(result.left), error: result.left, changes: journal.changes })
    }
    const done = result.right
    switch (done._tag) {
      case "Fatal":
        context.state.tally.changes.push(...journal.changes)
        return yield* Effect.fail(done.error)
      case "Skip":
        return yield* report(context, { _tag: "Skipped", ticketId: id, ticket, reason: done.reason })
      case "Done":
        return yield* report(
          context,
          journal.changes.length > 0 || journal.recovered > 0 || journal.records.size > 0
            ? { _tag: "Changed", ticketId: id, ticket, value: done.value, changes: journal.changes }
            : { _tag: "Unchanged", ticketId: id, ticket, value: done.value }
        )
    }
  })

/** the attempts at a ticket: one, or as many as a `retryFailed` policy says; uninterruptible unless abandoned */
const attempt = <A, E>(context: RunContext<A, E>, ticket: T.Ticket, journal: Journal): Effect.Effect<Attempted<A>, Failure<E>> => {
  const once = attemptOnce(context, ticket, journal)
  const guarded = context.abandon ? once : Effect.uninterruptible(once)
  return context.policy._tag === "Retry" ? Effect.retry(guarded, context.policy.schedule) : guarded
}

/** one attempt: the pipeline's work on the ticket, then the ticket marked handled (not in a dry run) */
const attemptOnce = <A, E>(context: RunContext<A, E>, ticket: T.Ticket, journal: Journal): Effect.Effect<Attempted<A>, Failure<E>> => {
  const current: TicketContext = {
    pipeline: context.name,
    ticket,
    dryRun: context.dryRun,
    sourceKey: context.source.tag.key,
    checkpoint: context.checkpoint,
    journal
  }
  return Effect.gen(function*() {
    journal.counters.clear()
    const result: Attempted<A> = yield* context.process(ticket).pipe(
      Effect.provideService(CurrentTicket, current),
      Effect.map((value): Attempted<A> => ({ _tag: "Done", value })),
      Effect.catchIf((error): error is E & Skipped => error instanceof Skipped, (skipped) => Effect.succeed<Attempted<A>>({ _tag: "Skip", reason: skipped.reason }))
    )
    if (!context.dryRun) yield* markHandled(context, ticket, journal)
    return result
  }).pipe(
    Effect.catchIf(
      (error): error is typeof error & Checkpoint.CheckpointError => error instanceof Checkpoint.CheckpointError,
      (error) => Effect.succeed<Attempted<A>>({ _tag: "Fatal", error })
    )
  ) as Effect.Effect<Attempted<A>, Failure<E>>
}

/**
 * Marks the ticket handled at its version — read again when the pipeline wrote to the source
 * system, so that its own writes do not make the ticket look changed next time.
 */
const markHandled = <A, E>(
  context: RunContext<A, E>,
  ticket: T.Ticket,
  journal: Journal
): Effect.Effect<void, AdapterError | Checkpoint.CheckpointError> =>
  Effect.gen(function*() {
    const version = journal.wroteToSource
      ? DateTime.max(ticket.updatedAt, (yield* context.adapter.getTicket(ticket.id)).updatedAt)
      : ticket.updatedAt
    yield* context.checkpoint.markHandled(context.name, ticket.id, version)
  })

// -----------------------------------------------------------------------------
// reporting
// -----------------------------------------------------------------------------

/**
 * Counts a ticket's outcome; a failure holds the watermark back and, under a policy that stops,
 * stops the run. Then tells `onTicket`.
 *
 * @internal
 */
export const report = <A, E>(context: RunContext<A, E>, outcome: Outcome<A, Failure<E>>): Effect.Effect<void> =>
  Effect.suspend(() => {
    const { state } = context
    state.tally.count(outcome)
    if (outcome._tag === "Failed") {
      if (outcome.ticket !== undefined) {
        const at = outcome.ticket.updatedAt
        state.oldestFailed = state.oldestFailed === undefined ? at : DateTime.min(state.oldestFailed, at)
      }
      if (stops(context.policy) && state.stop === undefined) state.stop = { ticketId: outcome.ticketId, reason: outcome.reason, error: outcome.error }
    }
    return context.onTicket?.(outcome, { done: state.tally.done, total: context.total }) ?? Effect.void
  })
