/**
 * The OTOBO / Znuny driver: {@link OtoboClient} (the operations) joined with
 * {@link OtoboMapping} (what they mean) into a `TicketSystemAdapter.Driver`.
 *
 * `TicketSearch` answers ids only: a page is the slice of the id list at the cursor (the search
 * asked with `Limit` = offset + page size + 1, so that one more id tells there is a next page),
 * read with `TicketGet` in batches of {@link BATCH} ids per request (`TicketID` as a
 * comma-separated list) — never a request per ticket.
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import type { AdapterError } from "../../../AdapterError.js"
import { AuthenticationError, InvalidInputError, TicketNotFoundError } from "../../../AdapterError.js"
import type { Note, NoteDraft } from "../../../Note.js"
import type { Page, SearchCriteria } from "../../../SearchCriteria.js"
import type * as T from "../../../Ticket.js"
import type * as TicketSystemAdapter from "../../../TicketSystemAdapter.js"
import type * as Client from "../OtoboClient.js"
import * as Mapping from "../OtoboMapping.js"

/**
 * The most ids one `TicketGet` reads.
 *
 * @since 0.1.0
 * @category constants
 */
export const BATCH = 50

/**
 * What every operation of the driver needs.
 *
 * @since 0.1.0
 * @category models
 */
export interface Context {
  readonly name: string
  readonly client: Client.Service
  readonly mapping: Mapping.Mapping
}

/** a ticket id is a positive number: anything else names no ticket (and never reaches a URL) */
const checkId = (ctx: Context, operation: string, id: string) =>
  /^[1-9]\d{0,18}$/.test(id) ? Effect.void : Effect.fail(new TicketNotFoundError({ adapter: ctx.name, operation, ticketId: id }))

/** the first article (the description) and the dynamic fields */
const readFlags: Client.TicketGetFlags = { allArticles: true, articleLimit: 1, dynamicFields: true }

/** tickets by id, in batches; ids that vanished since the search (or may not be read) are left out */
const ticketsOf = (ctx: Context, ids: ReadonlyArray<string>): Effect.Effect<ReadonlyArray<T.Ticket>, AdapterError> =>
  Effect.map(
    Effect.forEach(Mapping.batches(ids, BATCH), (batch) =>
      ctx.client.ticketGet(batch, readFlags).pipe(
        // one ticket the user may not read fails the whole batch: read that batch one by one
        Effect.catchTag("TicketNotFoundError", () =>
          batch.length === 1
            ? Effect.succeed([])
            : Effect.map(
              Effect.forEach(batch, (id) => ctx.client.ticketGet([id], readFlags).pipe(Effect.catchTag("TicketNotFoundError", () => Effect.succeed([])))),
              (lists) => lists.flat()
            ))
      )),
    (lists) => lists.flat().map((record) => Mapping.toTicket(ctx.mapping, record))
  )

const getTicket = (ctx: Context, id: string): Effect.Effect<T.Ticket, AdapterError> =>
  Effect.gen(function*() {
    yield* checkId(ctx, "getTicket", id)
    const [record] = yield* ctx.client.ticketGet([id], readFlags)
    if (record === undefined) return yield* new TicketNotFoundError({ adapter: ctx.name, operation: "getTicket", ticketId: id })
    return Mapping.toTicket(ctx.mapping, record)
  })

// ---- search ------------------------------------------------------------------

/** a page of a text with wildcards: the id list scanned from the offset until a page of literal matches */
const literalPage = (ctx: Context, search: Record<string, unknown>, text: string, offset: number, size: number) =>
  Effect.gen(function*() {
    const kept: Array<T.Ticket> = []
    let at = offset
    let known = 0
    do {
      const ids = yield* ctx.client.ticketSearch({ ...search, Limit: at + BATCH + 1 })
      known = ids.length
      const slice = ids.slice(at, at + BATCH)
      const byId = new Map((yield* ticketsOf(ctx, slice)).map((t) => [t.id as string, t]))
      for (const id of slice) {
        at++
        const ticket = byId.get(id)
        if (ticket !== undefined && Mapping.literalMatch(text, ticket)) kept.push(ticket)
        if (kept.length === size) break
      }
    } while (kept.length < size && known > at)
    return { items: kept, ...(known > at ? { next: String(at) } : {}) }
  })

const fetchPage = (ctx: Context, criteria: SearchCriteria, request: TicketSystemAdapter.PageRequest): Effect.Effect<Page<T.Ticket>, AdapterError> =>
  Effect.gen(function*() {
    const operation = criteria.text !== undefined ? "searchTickets" : "fetchTickets"
    const offset = Mapping.offsetOf(request.cursor)
    if (offset === undefined) return yield* new InvalidInputError({ adapter: ctx.name, operation, detail: `invalid cursor ${JSON.stringify(request.cursor)}` })
    const search = Mapping.searchOf(ctx.mapping, criteria)
    if (search._tag === "Invalid") return yield* new InvalidInputError({ adapter: ctx.name, operation, detail: search.detail })
    if (search._tag === "None") return { items: [], total: 0 }
    const size = Math.max(1, request.pageSize)
    if (criteria.text !== undefined && Mapping.hasWildcards(criteria.text)) return yield* literalPage(ctx, search.criteria, criteria.text, offset, size)
    const ids = yield* ctx.client.ticketSearch({ ...search.criteria, Limit: offset + size + 1 })
    const slice = ids.slice(offset, offset + size)
    const byId = new Map((yield* ticketsOf(ctx, slice)).map((t) => [t.id as string, t]))
    const items = slice.flatMap((id) => byId.get(id) ?? [])
    const more = ids.length > offset + size
    return { items, ...(more ? { next: String(offset + size) } : { total: ids.length }) }
  })

// ---- writing -----------------------------------------------------------------

/** an `AccessDenied` of a write: the ticket does not exist, or the user may not change it */
const explainDenied = (ctx: Context, id: string) => (error: AuthenticationError) =>
  error.status === 403 ? Effect.zipRight(getTicket(ctx, id), Effect.fail(error)) : Effect.fail(error)

const createTicket = (ctx: Context, draft: T.TicketDraft): Effect.Effect<T.Ticket, AdapterError> =>
  Effect.gen(function*() {
    const refusal = Mapping.createRefusal(ctx.mapping, draft)
    if (refusal !== undefined) return yield* new InvalidInputError({ adapter: ctx.name, operation: "createTicket", detail: refusal })
    const created = yield* ctx.client.ticketCreate(Mapping.ticketCreate(ctx.mapping, draft))
    return yield* getTicket(ctx, created.TicketID)
  })

const updateTicket = (ctx: Context, id: string, update: T.TicketUpdate): Effect.Effect<T.Ticket, AdapterError> =>
  Effect.gen(function*() {
    yield* checkId(ctx, "updateTicket", id)
    const refusal = Mapping.updateRefusal(update)
    if (refusal !== undefined) return yield* new InvalidInputError({ adapter: ctx.name, operation: "updateTicket", detail: refusal })
    const change = Mapping.ticketChange(ctx.mapping, update)
    if (Object.keys(change).length > 0) {
      yield* ctx.client.ticketUpdate(id, change).pipe(Effect.catchTag("AuthenticationError", explainDenied(ctx, id)))
    }
    return yield* getTicket(ctx, id)
  })

// ---- notes -------------------------------------------------------------------

const addNote = (ctx: Context, id: string, note: NoteDraft): Effect.Effect<void, AdapterError> =>
  Effect.gen(function*() {
    yield* checkId(ctx, "addNote", id)
    yield* ctx.client.ticketUpdate(id, Mapping.noteArticle(ctx.mapping, note)).pipe(Effect.catchTag("AuthenticationError", explainDenied(ctx, id)))
  })

const listNotes = (ctx: Context, id: string): Effect.Effect<ReadonlyArray<Note>, AdapterError> =>
  Effect.gen(function*() {
    yield* checkId(ctx, "listNotes", id)
    const [record] = yield* ctx.client.ticketGet([id], { allArticles: true })
    if (record === undefined) return yield* new TicketNotFoundError({ adapter: ctx.name, operation: "listNotes", ticketId: id })
    return Mapping.notesOf(ctx.mapping, record.value.Article ?? [])
  })

// ---- the driver --------------------------------------------------------------

/**
 * The driver of a context, for `TicketSystemAdapter.make`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (ctx: Context, kind = "otobo"): TicketSystemAdapter.Driver => ({
  name: ctx.name,
  kind,
  scrubber: ctx.client.scrubber,
  capabilities: {
    createTickets: true,
    publicNotes: true,
    internalNotes: true,
    htmlNotes: true,
    textSearch: true,
    tags: false,
    maxPageSize: 100,
    states: ["new", "open", "pending", "resolved", "closed"]
  },
  fetchPage: (criteria, page) => fetchPage(ctx, criteria, page),
  getTicket: (id) => getTicket(ctx, id),
  createTicket: (draft) => createTicket(ctx, draft),
  updateTicket: (id, update) => updateTicket(ctx, id, update),
  addNote: (id, note) => addNote(ctx, id, note),
  listNotes: (id) => listNotes(ctx, id)
})
