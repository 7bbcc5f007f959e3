/**
 * Sources: which tickets a pipeline reads ({@link source}, {@link incremental}), and what a run
 * reads of them ({@link plan}): the tickets a previous run left half-done, then the source's —
 * since the watermark, less the overlap, for an incremental source.
 *
 * @internal
 */
import * as DateTime from "effect/DateTime"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import type { AdapterError } from "../AdapterError.js"
import type * as Checkpoint from "../Checkpoint.js"
import type { SearchCriteriaInput } from "../SearchCriteria.js"
import type * as T from "../Ticket.js"
import type * as TicketSystemAdapter from "../TicketSystemAdapter.js"
import type { Source, SystemTag } from "./model.js"

// -----------------------------------------------------------------------------
// sources
// -----------------------------------------------------------------------------

/**
 * Options of {@link source}.
 *
 * @since 0.1.0
 * @category models
 */
export interface SourceOptions {
  /**
   * read only the tickets changed since the watermark of the last run (`updatedSince`); default
   * false: every matching ticket, every run (those handled at their current version are skipped)
   */
  readonly incremental?: boolean
  /**
   * an incremental source reads from the watermark less this (default 1 minute): a ticket
   * changed while the last run was reading, or whose system rounds times, is not missed; tickets
   * read again are skipped as already handled
   */
  readonly overlap?: Duration.DurationInput
  /**
   * read the whole list first, then handle the tickets (default false: handle them while the
   * pages are read). Needed when the pipeline's writes move tickets out of the criteria: paging
   * by offset over a list that shrinks underneath skips tickets. Also gives progress a total.
   */
  readonly snapshot?: boolean
}

/**
 * The tickets of a system matching criteria.
 *
 * @since 0.1.0
 * @category sources
 */
export const source = <I>(tag: SystemTag<I>, criteria: SearchCriteriaInput = {}, options: SourceOptions = {}): Source<I> => ({
  tag,
  criteria,
  incremental: options.incremental === true,
  overlap: Duration.decode(options.overlap ?? "1 minute"),
  snapshot: options.snapshot === true
})

/**
 * The tickets of a system matching criteria and changed since the last run (a {@link source}
 * with `incremental: true`).
 *
 * @since 0.1.0
 * @category sources
 */
export const incremental = <I>(
  tag: SystemTag<I>,
  criteria: SearchCriteriaInput = {},
  options: Omit<SourceOptions, "incremental"> = {}
): Source<I> => source(tag, criteria, { ...options, incremental: true })

// -----------------------------------------------------------------------------
// what a run reads
// -----------------------------------------------------------------------------

/**
 * One ticket to handle: taken up from a previous run (by id), or read from the source.
 *
 * @internal
 */
export type Item =
  | { readonly _tag: "Pending"; readonly id: string }
  | { readonly _tag: "Source"; readonly ticket: T.Ticket }

/**
 * The id of the ticket an item stands for.
 *
 * @internal
 */
export const itemId = (item: Item): string => item._tag === "Pending" ? item.id : item.ticket.id

/**
 * The source's criteria for a run: an incremental source's `updatedSince` moves up to the
 * watermark less the overlap (never down from a given `updatedSince`).
 *
 * @internal
 */
export const criteriaSince = (source: Source<unknown>, previous: Option.Option<DateTime.Utc>): SearchCriteriaInput =>
  Option.match(previous, {
    onNone: () => source.criteria,
    onSome: (watermark) => {
      const since = DateTime.subtractDuration(watermark, source.overlap)
      if (source.criteria.updatedSince === undefined) return { ...source.criteria, updatedSince: since }
      // an invalid value is passed on as it is, for the adapter to reject with an InvalidInputError
      const given = DateTime.make(source.criteria.updatedSince as DateTime.DateTime.Input)
      return Option.isNone(given)
        ? source.criteria
        : { ...source.criteria, updatedSince: DateTime.max(DateTime.toUtc(given.value), since) }
    }
  })

/**
 * What a run reads: the watermark it starts from, the items (half-done tickets first), and how
 * many tickets there are when that is known (a `snapshot` source).
 *
 * @internal
 */
export interface Plan {
  readonly previous: Option.Option<DateTime.Utc>
  readonly items: Stream.Stream<Item, AdapterError>
  readonly total: number | undefined
}

/**
 * Reads the watermark and the half-done tickets of a pipeline, and opens its source (reading the
 * whole list now for a `snapshot` source).
 *
 * @internal
 */
export const plan = (
  name: string,
  source: Source<unknown>,
  adapter: TicketSystemAdapter.Service,
  checkpoint: Checkpoint.Service
): Effect.Effect<Plan, Checkpoint.CheckpointError | AdapterError> =>
  Effect.gen(function*() {
    const previous = source.incremental ? yield* checkpoint.watermark(name) : Option.none<DateTime.Utc>()
    const criteria = criteriaSince(source, previous)
    const pendingIds = yield* checkpoint.pending(name)
    const pending: ReadonlyArray<Item> = pendingIds.map((id) => ({ _tag: "Pending", id }))
    const fromSource = adapter.streamTickets(criteria).pipe(Stream.map((ticket): Item => ({ _tag: "Source", ticket })))
    if (!source.snapshot) {
      return { previous, items: Stream.concat(Stream.fromIterable(pending), fromSource), total: undefined }
    }
    const listed = yield* Stream.runCollect(fromSource)
    const ids = new Set<string>(pendingIds)
    for (const item of listed) if (item._tag === "Source") ids.add(item.ticket.id)
    return { previous, items: Stream.fromIterable([...pending, ...listed]), total: ids.size }
  })
