/**
 * Building a pipeline: {@link make} from a source, then steps — any `Ticket → Effect`
 * ({@link step}), pure ones ({@link map}, {@link filter}) — and {@link skip} to leave a ticket
 * alone with a reason.
 *
 * @internal
 */
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import { dual } from "effect/Function"
import type * as T from "../Ticket.js"
import type { CurrentTicket } from "./journal.js"
import { makePipeline, type Pipeline, type Source } from "./model.js"

// -----------------------------------------------------------------------------
// pipelines
// -----------------------------------------------------------------------------

/**
 * A pipeline that reads a source and does nothing yet: add steps and sinks.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = <I>(name: string, source: Source<I>): Pipeline<T.Ticket, never, I> =>
  makePipeline(name, source as Source<unknown>, Effect.succeed)

// -----------------------------------------------------------------------------
// steps
// -----------------------------------------------------------------------------

/**
 * A step: `f` receives what the previous step gave (the ticket, first) and the ticket, and
 * returns an Effect — a classifier, a lookup in another system, anything. Its requirements and
 * errors become the pipeline's (but {@link CurrentTicket}, which the run provides). Fail with
 * {@link skip} to leave a ticket alone, with a reason.
 *
 * @since 0.1.0
 * @category steps
 */
export const step: {
  <A, B, E2, R2>(
    f: (a: A, ticket: T.Ticket) => Effect.Effect<B, E2, R2>
  ): <E, R>(self: Pipeline<A, E, R>) => Pipeline<B, E | E2, R | Exclude<R2, CurrentTicket>>
  <A, E, R, B, E2, R2>(
    self: Pipeline<A, E, R>,
    f: (a: A, ticket: T.Ticket) => Effect.Effect<B, E2, R2>
  ): Pipeline<B, E | E2, R | Exclude<R2, CurrentTicket>>
} = dual(2, <A, E, R, B, E2, R2>(
  self: Pipeline<A, E, R>,
  f: (a: A, ticket: T.Ticket) => Effect.Effect<B, E2, R2>
): Pipeline<B, E | E2, R | Exclude<R2, CurrentTicket>> =>
  makePipeline(
    self.name,
    self.source,
    (ticket) => Effect.flatMap(self.process(ticket), (a) => f(a, ticket)) as Effect.Effect<B, E | E2, R | Exclude<R2, CurrentTicket>>
  ))

/**
 * A pure step.
 *
 * @since 0.1.0
 * @category steps
 */
export const map: {
  <A, B>(f: (a: A, ticket: T.Ticket) => B): <E, R>(self: Pipeline<A, E, R>) => Pipeline<B, E, R>
  <A, E, R, B>(self: Pipeline<A, E, R>, f: (a: A, ticket: T.Ticket) => B): Pipeline<B, E, R>
} = dual(2, <A, E, R, B>(self: Pipeline<A, E, R>, f: (a: A, ticket: T.Ticket) => B): Pipeline<B, E, R> =>
  step(self, (a, ticket) => Effect.succeed(f(a, ticket))))

/**
 * Leaves alone (skips, with the reason in the summary) the tickets for which `predicate` is
 * false. A skipped ticket counts as handled at its version.
 *
 * @since 0.1.0
 * @category steps
 */
export const filter: {
  <A>(predicate: (a: A, ticket: T.Ticket) => boolean, reason: string): <E, R>(self: Pipeline<A, E, R>) => Pipeline<A, E | Skipped, R>
  <A, E, R>(self: Pipeline<A, E, R>, predicate: (a: A, ticket: T.Ticket) => boolean, reason: string): Pipeline<A, E | Skipped, R>
} = dual(3, <A, E, R>(self: Pipeline<A, E, R>, predicate: (a: A, ticket: T.Ticket) => boolean, reason: string): Pipeline<A, E | Skipped, R> =>
  step(self, (a, ticket) => (predicate(a, ticket) ? Effect.succeed(a) : skip(reason))))

// -----------------------------------------------------------------------------
// skipping
// -----------------------------------------------------------------------------

/**
 * A step's decision to leave a ticket alone (not a failure). See {@link skip}.
 *
 * @since 0.1.0
 * @category errors
 */
export class Skipped extends Data.TaggedError("Skipped")<{ readonly reason: string }> {}

/**
 * Leaves the current ticket alone, with a reason for the summary. The ticket counts as handled
 * at its version: it is looked at again when it changes.
 *
 * @since 0.1.0
 * @category steps
 */
export const skip = (reason: string): Effect.Effect<never, Skipped> => Effect.fail(new Skipped({ reason }))
