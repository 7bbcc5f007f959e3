/**
 * What every part of a pipeline shares, and the bottom of `src/pipeline/`: the tag of a system,
 * a source, and the pipeline itself (a named source and the work on one ticket). Imports nothing
 * of the other pipeline modules; `Pipeline.ts` re-exports its public part.
 *
 * @internal
 */
import type * as Context from "effect/Context"
import type * as Duration from "effect/Duration"
import type * as Effect from "effect/Effect"
import { type Pipeable, pipeArguments } from "effect/Pipeable"
import * as Predicate from "effect/Predicate"
import type { SearchCriteriaInput } from "../SearchCriteria.js"
import type * as T from "../Ticket.js"
import type * as TicketSystemAdapter from "../TicketSystemAdapter.js"

// -----------------------------------------------------------------------------
// sources
// -----------------------------------------------------------------------------

/**
 * The tag of a ticket system: `TicketSystemAdapter.TicketSystemAdapter`, or a named one
 * (`TicketSystemAdapter.named("rt")`).
 *
 * @since 0.1.0
 * @category models
 */
export type SystemTag<I> = Context.Tag<I, TicketSystemAdapter.Service>

/**
 * Where a pipeline's tickets come from.
 *
 * @since 0.1.0
 * @category models
 */
export interface Source<I> {
  /** the system read */
  readonly tag: SystemTag<I>
  /** which tickets */
  readonly criteria: SearchCriteriaInput
  /** read only the tickets changed since the last run's watermark */
  readonly incremental: boolean
  /** how far before the watermark an incremental source reads again */
  readonly overlap: Duration.Duration
  /** read the whole list before handling any ticket */
  readonly snapshot: boolean
}

// -----------------------------------------------------------------------------
// pipelines
// -----------------------------------------------------------------------------

/**
 * @since 0.1.0
 * @category type ids
 */
export const TypeId: unique symbol = Symbol.for("ticketkit/Pipeline")

/**
 * @since 0.1.0
 * @category type ids
 */
export type TypeId = typeof TypeId

/**
 * A pipeline: a named source and what to do with each of its tickets. `A` is what the last step
 * gave, `E` how a ticket can fail, `R` what the pipeline needs (systems and services).
 *
 * @since 0.1.0
 * @category models
 */
export interface Pipeline<out A, out E = never, out R = never> extends Pipeable {
  readonly [TypeId]: TypeId
  /** the name its checkpoint is kept under: two pipelines with the same name share one */
  readonly name: string
  readonly source: Source<unknown>
  /** the work on one ticket (steps and sinks) */
  readonly process: (ticket: T.Ticket) => Effect.Effect<A, E, R>
}

class PipelineImpl<A, E, R> implements Pipeline<A, E, R> {
  readonly [TypeId]: TypeId = TypeId
  constructor(
    readonly name: string,
    readonly source: Source<unknown>,
    readonly process: (ticket: T.Ticket) => Effect.Effect<A, E, R>
  ) {}
  pipe() {
    // eslint-disable-next-line prefer-rest-params
    return pipeArguments(this, arguments)
  }
}

/**
 * A pipeline from its parts (what `make` and every step build on).
 *
 * @internal
 */
export const makePipeline = <A, E, R>(
  name: string,
  source: Source<unknown>,
  process: (ticket: T.Ticket) => Effect.Effect<A, E, R>
): Pipeline<A, E, R> => new PipelineImpl(name, source, process)

/**
 * Is this a pipeline?
 *
 * @since 0.1.0
 * @category guards
 */
export const isPipeline = (u: unknown): u is Pipeline<unknown, unknown, unknown> => Predicate.hasProperty(u, TypeId)
