/**
 * The Request Tracker driver: {@link RequestTrackerClient} (the requests) joined with
 * {@link RequestTrackerMapping} (what they mean) into a `TicketSystemAdapter.Driver`. Each
 * operation is a module-level function of an explicit {@link Context} (see `lookups.ts`); the
 * port names the operation for every request below it (`TicketSystemAdapter.currentOperation`).
 *
 * @internal
 */
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import type { AdapterError } from "../../../AdapterError.js"
import { AuthenticationError, InvalidInputError } from "../../../AdapterError.js"
import type { Note, NoteDraft } from "../../../Note.js"
import type { Page, SearchCriteria } from "../../../SearchCriteria.js"
import type * as T from "../../../Ticket.js"
import type * as TicketSystemAdapter from "../../../TicketSystemAdapter.js"
import * as Client from "../RequestTrackerClient.js"
import * as Mapping from "../RequestTrackerMapping.js"
import * as TicketSql from "../TicketSql.js"
import type { Context } from "./lookups.js"
import { checkId, descriptions, explainCreateForbidden, literallyMatching, queryOf, queueNameOf, rejected, textParts, userNameOf } from "./lookups.js"

export type { Context } from "./lookups.js"
export { makeContext } from "./lookups.js"

// ---- reading -----------------------------------------------------------------

/** tickets of a list page, whose items name their queue */
const ticketsOf = (ctx: Context, records: ReadonlyArray<Client.WithRaw<Client.Ticket>>) =>
  Effect.map(descriptions(ctx, records.map((r) => r.value.id)), (texts) =>
    records.map((r) => Mapping.toTicket(ctx.mapping, r, { description: texts.get(r.value.id) ?? "", queueName: r.value.Queue.Name })))

const getTicket = (ctx: Context, id: string): Effect.Effect<T.Ticket, AdapterError> =>
  Effect.gen(function*() {
    yield* checkId(ctx, "getTicket", id)
    const [record, texts] = yield* Effect.all([ctx.client.getTicket(id), descriptions(ctx, [id])], { concurrency: 2 })
    const queueName = record.value.Queue.Name ?? Option.getOrUndefined(yield* queueNameOf(ctx, record.value.Queue.id))
    return Mapping.toTicket(ctx.mapping, record, { description: texts.get(record.value.id) ?? "", queueName })
  })

// ---- search ------------------------------------------------------------------

/** a page of a search for text RT's `LIKE` takes wildcards from (see {@link Mapping.literalStep}) */
const literalPage = (ctx: Context, query: TicketSql.TicketSql, text: string, offset: number, size: number) =>
  Effect.gen(function*() {
    let scan: Mapping.LiteralScan<Client.WithRaw<Client.Ticket>> = { kept: [], at: offset, more: true }
    while (scan.more && scan.kept.length === 0) {
      // RT's pages of 100 (the most it gives), skipping into the one holding the offset
      const result = yield* ctx.client.searchTickets({ query, page: Mapping.pageAt(scan.at, 100).page, perPage: 100, orderBy: "id", order: "ASC" })
      const slice = Mapping.sliceOf(result, scan.at, 100)
      scan = Mapping.literalStep(scan, slice, yield* literallyMatching(ctx, slice.records, text), size)
    }
    return { items: yield* ticketsOf(ctx, scan.kept), ...Mapping.literalPageInfo(scan, offset) }
  })

const fetchPage = (ctx: Context, criteria: SearchCriteria, request: TicketSystemAdapter.PageRequest): Effect.Effect<Page<T.Ticket>, AdapterError> =>
  Effect.gen(function*() {
    const offset = Mapping.offsetOf(request.cursor)
    if (offset === undefined) {
      const operation = criteria.text !== undefined ? "searchTickets" : "fetchTickets"
      return yield* new InvalidInputError({ adapter: ctx.name, operation, detail: `invalid cursor ${JSON.stringify(request.cursor)}` })
    }
    const size = Math.max(1, Math.min(request.pageSize, 100))
    const query = yield* queryOf(ctx, criteria)
    if (criteria.text !== undefined && TicketSql.hasWildcards(criteria.text)) return yield* literalPage(ctx, query, criteria.text, offset, size)
    const result = yield* ctx.client.searchTickets({ query, page: Mapping.pageAt(offset, size).page, perPage: size, orderBy: "id", order: "ASC" })
    const slice = Mapping.sliceOf(result, offset, size)
    const items = yield* ticketsOf(ctx, slice.records)
    return { items, ...(slice.total === undefined ? {} : { total: slice.total }), ...(slice.more ? { next: String(slice.end) } : {}) }
  })

// ---- writing -----------------------------------------------------------------

const createTicket = (ctx: Context, draft: T.TicketDraft): Effect.Effect<T.Ticket, AdapterError> =>
  Effect.gen(function*() {
    const refusal = Mapping.createRefusal(ctx.name, draft)
    if (refusal !== undefined) return yield* new InvalidInputError({ adapter: ctx.name, operation: "createTicket", detail: refusal })
    const owner = draft.assignee === undefined ? undefined : yield* userNameOf(ctx, "createTicket", undefined, draft.assignee)
    const body = Mapping.ticketCreate(ctx.mapping, draft, owner)
    const created = yield* ctx.client.createTicket(body).pipe(
      Effect.catchTag("AuthenticationError", (error) => (error.status === 403 ? explainCreateForbidden(ctx, String(body.Queue), error) : Effect.fail(error)))
    )
    return yield* getTicket(ctx, created.id)
  })

const updateTicket = (ctx: Context, id: T.TicketId, update: T.TicketUpdate): Effect.Effect<T.Ticket, AdapterError> =>
  Effect.gen(function*() {
    yield* checkId(ctx, "updateTicket", id)
    const refusal = Mapping.updateRefusal(ctx.name, update)
    if (refusal !== undefined) return yield* new InvalidInputError({ adapter: ctx.name, operation: "updateTicket", detail: refusal })
    const owner = update.assignee === undefined
      ? undefined
      : update.assignee === null
      ? "Nobody"
      : yield* userNameOf(ctx, "updateTicket", id, update.assignee)
    const change = Mapping.ticketChange(ctx.mapping, update, owner)
    if (Object.keys(change).length === 0) return yield* getTicket(ctx, id)
    const started = yield* Clock.currentTimeMillis
    const { date, messages } = yield* ctx.client.updateTicketAnswer(id, change)
    const answered = yield* Clock.currentTimeMillis
    const after = yield* getTicket(ctx, id)
    let verdict = Mapping.judgeUpdate({ name: ctx.name, change, messages, after })
    if (verdict._tag === "CheckHistory") {
      const since = Mapping.updateBegan({ date, started, answered })
      const query = TicketSql.fieldChanges(Number(id), verdict.fields, since, ctx.mapping.timeZone)
      const history = yield* Client.allPages((paging) => ctx.client.searchTransactions({ ...paging, query, fields: ["Type", "Field", "Created"] }))
      verdict = Mapping.judgeWithHistory(verdict, history)
    }
    // applied: any difference left is a later write by someone else
    return verdict._tag === "Applied" ? after : yield* rejected(ctx, "updateTicket", id, verdict.reason)
  })

// ---- notes -------------------------------------------------------------------

const addNote = (ctx: Context, id: T.TicketId, note: NoteDraft): Effect.Effect<void, AdapterError> =>
  Effect.gen(function*() {
    yield* checkId(ctx, "addNote", id)
    const message: Client.Message = { Content: note.body, ContentType: note.contentType }
    yield* (note.visibility === "internal" ? ctx.client.comment(id, message) : ctx.client.correspond(id, message)).pipe(
      // RT answers 400 to a note on a missing ticket, and "Permission Denied" without the right
      Effect.catchTag("RequestRejectedError", (error) =>
        /permission denied/i.test(error.reason)
          ? Effect.fail(new AuthenticationError({ adapter: ctx.name, operation: "addNote", status: 403 }))
          : Effect.zipRight(ctx.client.getTicket(id), Effect.fail(error)))
    )
  })

const listNotes = (ctx: Context, id: T.TicketId): Effect.Effect<ReadonlyArray<Note>, AdapterError> =>
  Effect.gen(function*() {
    yield* checkId(ctx, "listNotes", id)
    const [, transactions, attachments] = yield* Effect.all([
      // the history of a missing ticket is just empty: ask for the ticket to tell
      ctx.client.getTicket(id),
      Client.allPages((paging) =>
        ctx.client.searchTransactions({ ...paging, query: TicketSql.ticketTransactions([Number(id)], ["Comment", "Correspond"]) })
      ),
      Client.allPages((paging) => ctx.client.ticketAttachments(id, { ...paging, where: textParts }))
    ], { concurrency: 3 })
    return Mapping.notesOf(transactions, attachments)
  })

// ---- the driver --------------------------------------------------------------

/**
 * The driver of a context, for `TicketSystemAdapter.make`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (ctx: Context): TicketSystemAdapter.Driver => ({
  name: ctx.name,
  kind: "request-tracker",
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
