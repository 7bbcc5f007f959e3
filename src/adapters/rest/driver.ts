/**
 * The REST adapter's driver: the configured system's requests (through `HttpTransport`) joined to
 * the mapping (`mapping.ts`) and the ticket decoder (`decoder.ts`). Each operation is a module-level
 * function of a {@link Context}.
 *
 * @internal
 */
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import type { AdapterError } from "../../AdapterError.js"
import { InvalidInputError, InvalidResponseError } from "../../AdapterError.js"
import type * as HttpTransport from "../../HttpTransport.js"
import type { Note, NoteDraft } from "../../Note.js"
import type { Page, SearchCriteria } from "../../SearchCriteria.js"
import * as T from "../../Ticket.js"
import type * as TicketSystemAdapter from "../../TicketSystemAdapter.js"
import { ticketDecoder } from "./decoder.js"
import * as Mapping from "./mapping.js"
import { getPath } from "./paths.js"
import type { Options } from "./RestOptions.js"

/** what every operation of the driver works with */
export interface Context {
  readonly options: Options
  readonly transport: HttpTransport.HttpTransport
  readonly decodeTicket: ReturnType<typeof ticketDecoder>
}

const decodeTicketId = Schema.decodeUnknownEither(T.TicketId)

/** a `Left` of the mapping as the caller's mistake (no request was made) */
const refused = <A>(ctx: Context, operation: string, result: Either.Either<A, string>): Effect.Effect<A, InvalidInputError> =>
  Either.isRight(result)
    ? Effect.succeed(result.right)
    : Effect.fail(new InvalidInputError({ adapter: ctx.options.name, operation, detail: result.left }))

const keyHeader = (ctx: Context, key: string | undefined) =>
  key === undefined || ctx.options.idempotencyKeyHeader === null ? undefined : { header: ctx.options.idempotencyKeyHeader, key }

/** one page of tickets (of a search when the criteria have text and the system a search endpoint) */
export const fetchPage = (
  ctx: Context,
  criteria: SearchCriteria,
  request: TicketSystemAdapter.PageRequest
): Effect.Effect<Page<T.Ticket>, AdapterError> =>
  Effect.gen(function*() {
    const { options, transport } = ctx
    const { endpoints, responses } = options
    const searching = criteria.text !== undefined
    const operation = searching ? "searchTickets" : "fetchTickets"
    const filters = yield* refused(ctx, operation, Mapping.filterQuery(options, criteria))
    if (filters === undefined) return { items: [], total: 0 }
    const paging = yield* refused(ctx, operation, Mapping.pageQuery(options, request.cursor, Math.min(request.pageSize, options.maxPageSize)))
    const path = searching && endpoints.search !== null ? endpoints.search : endpoints.list
    const listField = searching && endpoints.search !== null ? responses.search : responses.list
    const spec: HttpTransport.Request = { method: "GET", path, query: { ...filters, ...paging.query }, operation }
    const body = yield* transport.json(Schema.Unknown, spec)
    const rawItems = getPath(body, listField)
    if (!Array.isArray(rawItems)) {
      return yield* new InvalidResponseError({
        adapter: options.name,
        operation,
        detail: `expected a list of tickets at ${listField === "" ? "the top level" : JSON.stringify(listField)}`,
        ...(listField === "" ? {} : { path: listField })
      })
    }
    const items: Array<T.Ticket> = []
    for (let i = 0; i < rawItems.length; i++) {
      const ticket = ctx.decodeTicket(rawItems[i], operation, () => (listField === "" ? String(i) : `${listField}.${i}`))
      if (Either.isLeft(ticket)) return yield* Effect.fail(ticket.left)
      items.push(ticket.right)
    }
    const total = Mapping.totalOf(options, body)
    const next = Mapping.nextCursor(options, paging, body, rawItems.length, total)
    return { items, ...(total === undefined ? {} : { total }), ...(next === undefined ? {} : { next }) }
  })

/** the ticket in an answer that holds one */
const ticketFrom = (ctx: Context, response: HttpTransport.Response, spec: HttpTransport.Request) =>
  ctx.transport.decode(Schema.Unknown, response, spec).pipe(
    Effect.flatMap((body) => ctx.decodeTicket(getPath(body, ctx.options.responses.ticket), spec.operation ?? "getTicket", ctx.options.responses.ticket))
  )

/** one ticket */
export const getTicket = (ctx: Context, id: T.TicketId, operation = "getTicket"): Effect.Effect<T.Ticket, AdapterError> => {
  const spec: HttpTransport.Request = { method: "GET", path: ctx.options.endpoints.get, pathParams: { id }, operation, ticketId: id }
  return Effect.flatMap(ctx.transport.send(spec), (response) => ticketFrom(ctx, response, spec))
}

/** creates a ticket; a system that answers with the id only has the ticket read back */
export const createTicket = (ctx: Context, draft: T.TicketDraft): Effect.Effect<T.Ticket, AdapterError> =>
  Effect.gen(function*() {
    const { options, transport } = ctx
    if (options.endpoints.create === null) return yield* refused(ctx, "createTicket", Either.left(`${options.name} cannot create tickets`))
    const body = yield* refused(ctx, "createTicket", Mapping.createBody(options, draft))
    const spec: HttpTransport.Request = {
      method: "POST",
      path: options.endpoints.create,
      body,
      operation: "createTicket",
      idempotencyKey: keyHeader(ctx, draft.idempotencyKey)
    }
    const created = yield* transport.json(Schema.Unknown, spec)
    const answered = getPath(created, options.responses.ticket)
    const ticket = ctx.decodeTicket(answered, "createTicket", options.responses.ticket)
    if (Either.isRight(ticket)) return ticket.right
    const id = getPath(answered, options.fields.id)
    const createdId = typeof id === "string" || typeof id === "number" ? decodeTicketId(String(id)) : undefined
    if (createdId !== undefined && Either.isRight(createdId)) return yield* getTicket(ctx, createdId.right, "createTicket")
    return yield* Effect.fail(ticket.left)
  })

/** updates a ticket; an empty answer has the ticket read back */
export const updateTicket = (ctx: Context, id: T.TicketId, update: T.TicketUpdate): Effect.Effect<T.Ticket, AdapterError> =>
  Effect.gen(function*() {
    const { options, transport } = ctx
    const body = yield* refused(ctx, "updateTicket", Mapping.writeBody(options, update))
    if (Object.keys(body).length === 0) return yield* getTicket(ctx, id, "updateTicket")
    const spec: HttpTransport.Request = {
      method: options.updateMethod,
      path: options.endpoints.update,
      pathParams: { id },
      body,
      operation: "updateTicket",
      ticketId: id
    }
    const response = yield* transport.send(spec)
    if (response.body.length === 0) return yield* getTicket(ctx, id, "updateTicket")
    return yield* ticketFrom(ctx, response, spec)
  })

/** adds a note */
export const addNote = (ctx: Context, id: T.TicketId, note: NoteDraft): Effect.Effect<void, AdapterError> =>
  Effect.gen(function*() {
    const body = yield* refused(ctx, "addNote", Mapping.noteBody(ctx.options, note, yield* DateTime.now))
    yield* ctx.transport.send({
      method: "POST",
      path: ctx.options.endpoints.addNote,
      pathParams: { id },
      body,
      operation: "addNote",
      ticketId: id,
      idempotencyKey: keyHeader(ctx, note.idempotencyKey)
    })
  })

/** the notes of a ticket */
export const listNotes = (ctx: Context, id: T.TicketId): Effect.Effect<ReadonlyArray<Note>, AdapterError> =>
  Effect.gen(function*() {
    const { options } = ctx
    const { endpoints, responses } = options
    if (endpoints.listNotes === null) return yield* refused(ctx, "listNotes", Either.left(`${options.name} cannot list notes`))
    const spec: HttpTransport.Request = { method: "GET", path: endpoints.listNotes, pathParams: { id }, operation: "listNotes", ticketId: id }
    const raw = getPath(yield* ctx.transport.json(Schema.Unknown, spec), responses.notes)
    const invalid = (detail: string, path?: string) =>
      new InvalidResponseError({ adapter: options.name, operation: "listNotes", ticketId: id, detail, ...(path === undefined ? {} : { path }) })
    if (!Array.isArray(raw)) return yield* invalid(`expected a list of notes at ${JSON.stringify(responses.notes)}`)
    const notes: Array<Note> = []
    for (let i = 0; i < raw.length; i++) {
      const note = Mapping.noteOf(options, raw[i])
      if (Either.isLeft(note)) {
        return yield* invalid(note.left.detail, [responses.notes, String(i), note.left.path].filter((s) => s !== "").join("."))
      }
      notes.push(note.right)
    }
    return notes
  })

/** the capabilities a configuration gives */
export const capabilities = (options: Options): TicketSystemAdapter.Capabilities => ({
  createTickets: options.endpoints.create !== null,
  publicNotes: options.visibility.public !== null,
  internalNotes: true,
  htmlNotes: options.noteFields.contentType !== null,
  textSearch: options.params.text !== null,
  tags: options.fields.tags !== null,
  maxPageSize: options.maxPageSize,
  states: Array.from(new Set(Object.values(options.states))),
  idempotencyKeys: options.idempotencyKeyHeader !== null
})

/** the driver of a context */
export const driver = (ctx: Context): TicketSystemAdapter.Driver => ({
  name: ctx.options.name,
  kind: "rest",
  scrubber: ctx.transport.scrubber,
  capabilities: capabilities(ctx.options),
  fetchPage: (criteria, page) => fetchPage(ctx, criteria, page),
  getTicket: (id) => getTicket(ctx, id),
  createTicket: (draft) => createTicket(ctx, draft),
  updateTicket: (id, update) => updateTicket(ctx, id, update),
  addNote: (id, note) => addNote(ctx, id, note),
  listNotes: (id) => listNotes(ctx, id)
})

/** builds the context */
export const context = (options: Options, transport: HttpTransport.HttpTransport): Context => ({
  options,
  transport,
  decodeTicket: ticketDecoder(options)
})
