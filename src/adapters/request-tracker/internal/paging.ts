/**
 * A search's results page by page (re-exported by `RequestTrackerMapping`). RT addresses pages,
 * ticketkit's cursors are offsets: {@link offsetOf}, {@link pageAt}, {@link sliceOf}. RT's `LIKE`
 * takes `%` and `_` as wildcards it cannot escape, so for text holding either its matches are
 * filtered to the literal ones, reading RT's pages on until one holds a match:
 * {@link subjectMatches}, {@link contentMatches}, {@link literalStep}, {@link literalPageInfo}.
 * Pure functions over plain data.
 *
 * @internal
 */
import type * as Client from "../RequestTrackerClient.js"
import * as TicketSql from "../TicketSql.js"

// -----------------------------------------------------------------------------
// pages and offsets
// -----------------------------------------------------------------------------

/** a cursor this adapter gives: a whole number */
const digits = /^\d{1,15}$/

/**
 * The offset a cursor stands for (none: 0), or `undefined` for a cursor this adapter never gave.
 *
 * @since 0.1.0
 * @category search
 */
export const offsetOf = (cursor: string | undefined): number | undefined =>
  cursor === undefined ? 0 : digits.test(cursor) ? Number(cursor) : undefined

/**
 * The RT page (1-based, of `perPage`) holding an offset, and the offset it starts at: RT
 * addresses pages, not offsets.
 *
 * @since 0.1.0
 * @category search
 */
export const pageAt = (offset: number, perPage: number): { readonly page: number; readonly start: number } => {
  const page = Math.floor(offset / perPage) + 1
  return { page, start: (page - 1) * perPage }
}

/**
 * One RT page seen from an offset: its items from the offset on, the offset after it, RT's total
 * when it gave one, and whether more follow.
 *
 * @since 0.1.0
 * @category models
 */
export interface Slice<A> {
  readonly records: ReadonlyArray<A>
  readonly end: number
  readonly total: number | undefined
  readonly more: boolean
}

/**
 * The part of an RT page (read with {@link pageAt}) from an offset on.
 *
 * @since 0.1.0
 * @category search
 */
export const sliceOf = <A>(result: Client.Collection<A>, offset: number, perPage: number): Slice<A> => {
  const { start } = pageAt(offset, perPage)
  const end = start + result.items.length
  const total = typeof result.total === "number" ? result.total : undefined
  return {
    records: result.items.slice(offset - start),
    end,
    total,
    more: result.items.length > 0 && (total !== undefined ? end < total : result.items.length >= perPage)
  }
}

// -----------------------------------------------------------------------------
// literal matches of text with `%` or `_`
// -----------------------------------------------------------------------------

/**
 * The ids of the tickets whose subject contains the text literally (`%` and `_` as themselves,
 * case-insensitively as RT compares).
 *
 * @since 0.1.0
 * @category search
 */
export const subjectMatches = (records: ReadonlyArray<Client.WithRaw<Client.Ticket>>, text: string): Set<string> =>
  new Set(records.filter((r) => TicketSql.containsLiteral(r.value.Subject, text)).map((r) => r.value.id))

/**
 * Does one of a ticket's text parts contain the text literally (what RT's `Content LIKE` looks at)?
 *
 * @since 0.1.0
 * @category search
 */
export const contentMatches = (attachments: ReadonlyArray<Client.Attachment>, text: string): boolean =>
  attachments.some((a) => TicketSql.containsLiteral(a.Content, text))

/**
 * Where a search for text with `%` or `_` stands: the literal matches kept, the offset in RT's
 * (unfiltered) list to read on from, and whether RT has more.
 *
 * @since 0.1.0
 * @category models
 */
export interface LiteralScan<A> {
  readonly kept: ReadonlyArray<A>
  readonly at: number
  readonly more: boolean
}

/**
 * Folds one RT page (a {@link Slice} read at `scan.at`) into a scan, keeping the records whose
 * id is among `matching`, at most `size` in all. When the page fills, the scan stops after the
 * last ticket kept (the next page starts there).
 *
 * @since 0.1.0
 * @category search
 */
export const literalStep = <A extends Client.WithRaw<Client.Ticket>>(
  scan: LiteralScan<A>,
  slice: Slice<A>,
  matching: ReadonlySet<string>,
  size: number
): LiteralScan<A> => {
  const kept = [...scan.kept]
  let at = Math.max(scan.at, slice.end)
  let more = slice.more
  const records = slice.records
  for (let i = 0; i < records.length; i++) {
    if (!matching.has(records[i]!.value.id)) continue
    kept.push(records[i]!)
    if (kept.length === size) {
      // full: the next page starts after this ticket
      const following = at - records.length + i + 1
      if (following < at) more = true
      at = following
      break
    }
  }
  return { kept, at, more }
}

/**
 * The cursor and total of a page of literal matches read from `offset`: the cursor is the offset
 * in RT's list after the scan; the total is given only when it is exact (this first page holds
 * every match).
 *
 * @since 0.1.0
 * @category search
 */
export const literalPageInfo = (
  scan: LiteralScan<unknown>,
  offset: number
): { readonly total?: number; readonly next?: string } => ({
  ...(offset === 0 && !scan.more ? { total: scan.kept.length } : {}),
  ...(scan.more ? { next: String(scan.at) } : {})
})
