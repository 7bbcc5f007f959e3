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
import { redactUrl } from "../../HttpTransport.js"
import type { Note, NoteDraft } from "../../Note.js"
import type { Page, SearchCriteria } from "../../SearchCriteria.js"
import * as T from "../../Ticket.js"
import type * as TicketSystemAdapter from "../../TicketSystemAdapter.js"
import { ticketDecoder } from "./decoder.js"
import * as Mapping from "./mapping.js"
import { getPath } from "./paths.js"
import type { Options } from "./RestOptions.js"
import * as Spec from "./spec.js"

/** what every operation of the driver works with */
export interface Context {
  readonly options: Options
  readonly spec: Spec.Spec
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

/**
 * A 404 of an endpoint that names no ticket is a configuration mistake: the error says which
 * endpoint, and the URL that was really asked for.
 */
const endpointMissing = (ctx: Context, endpoint: Spec.Endpoint, path: string) => (error: AdapterError): AdapterError =>
  error._tag === "InvalidResponseError" && error.status === 404
    ? new InvalidResponseError({
      adapter: ctx.options.name,
      operation: error.operation,
      status: 404,
      detail: `${endpoint.method} ${redactUrl(`${ctx.transport.baseUrl}${path}`)} answered 404 Not Found: check baseUrl and ${endpoint.key}`
    })
    : error

/**
 * One page of tickets (of a search when the criteria have text and the system a search endpoint).
 * Where the adapter filters pages itself (`params.clientSide`), a page with no match is followed
 * by the next one, so that an empty page means the end (as the port reads it).
 */
export const fetchPage = (
  ctx: Context,
  criteria: SearchCriteria,
  request: TicketSystemAdapter.PageRequest
): Effect.Effect<Page<T.Ticket>, AdapterError> =>
  ctx.options.params.clientSide.length === 0
    ? fetchOnePage(ctx, criteria, request)
    : Effect.iterate(
      { page: undefined as Page<T.Ticket> | undefined, cursor: request.cursor },
      {
        // a cursor given back unchanged ends the walk here; the port reports it
        while: (at) => at.page === undefined || (at.page.items.length === 0 && at.page.next !== undefined && at.page.next !== at.cursor),
        body: (at) => {
          // the cursor this request asks for (the state keeps it, to see a cursor given back unchanged)
          const cursor = at.page === undefined ? at.cursor : at.page.next
          return Effect.map(fetchOnePage(ctx, criteria, { ...request, cursor }), (page) => ({ page, cursor }))
        }
      }
    ).pipe(Effect.map((at) => at.page!))

/** one request's page of tickets */
const fetchOnePage = (
  ctx: Context,
  criteria: SearchCriteria,
  request: TicketSystemAdapter.PageRequest
): Effect.Effect<Page<T.Ticket>, AdapterError> =>
  Effect.gen(function*() {
    const { options, spec, transport } = ctx
    const { responses } = options
    const searching = criteria.text !== undefined
    const operation = searching ? "searchTickets" : "fetchTickets"
    const filters = yield* refused(ctx, operation, Mapping.filterQuery(options, criteria))
    if (filters === undefined) return { items: [], total: 0 }
    const paging = yield* refused(ctx, operation, Mapping.pageQuery(options, request.cursor, Math.min(request.pageSize, options.maxPageSize)))
    const useSearch = searching && spec.endpoints.search !== undefined
    const endpoint = useSearch ? spec.endpoints.search! : spec.endpoints.list
    const listField = useSearch ? responses.search : responses.list
    // a page a Link header named carries the filters in its own query
    const path = paging.path ?? endpoint.path
    const query = paging.path === undefined ? { ...filters, ...paging.query } : paging.query
    const httpRequest: HttpTransport.Request = { method: endpoint.method, path, query, operation }
    const response = yield* transport.send(httpRequest).pipe(Effect.mapError(endpointMissing(ctx, endpoint, path)))
    const body = yield* transport.decode(Schema.Unknown, response, httpRequest)
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
    const keep = options.params.clientSide.length === 0 ? undefined : Mapping.matchesClientSide(options, criteria)
    for (let i = 0; i < rawItems.length; i++) {
      const ticket = ctx.decodeTicket(rawItems[i], operation, () => (listField === "" ? String(i) : `${listField}.${i}`))
      if (Either.isLeft(ticket)) return yield* Effect.fail(ticket.left)
      if (keep === undefined || keep(ticket.right)) items.push(ticket.right)
    }
    const total = Mapping.totalOf(options, body)
    const next = Mapping.nextCursor(
      options,
      paging,
      { body, headers: response.headers, requestUrl: `${transport.baseUrl}${path}` },
      rawItems.length,
      total
    )
    if (next instanceof Mapping.NextPageProblem) {
      return yield* new InvalidResponseError({ adapter: options.name, operation, detail: next.detail })
    }
    // a total counts what the system matched, not what the adapter then kept
    const counted = total === undefined || keep !== undefined ? {} : { total }
    return { items, ...counted, ...(next === undefined ? {} : { next }) }
  })

/** the ticket in an answer that holds one */
const ticketFrom = (ctx: Context, response: HttpTransport.Response, request: HttpTransport.Request) =>
  ctx.transport.decode(Schema.Unknown, response, request).pipe(
    Effect.flatMap((body) =>
      ctx.decodeTicket(getPath(body, ctx.options.responses.ticket), request.operation ?? "getTicket", ctx.options.responses.ticket)
    )
  )

/** one ticket */
export const getTicket = (ctx: Context, id: T.TicketId, operation = "getTicket"): Effect.Effect<T.Ticket, AdapterError> => {
  const { get } = ctx.spec.endpoints
  const request: HttpTransport.Request = { method: get.method, path: get.path, pathParams: { id }, operation, ticketId: id }
  return Effect.flatMap(ctx.transport.send(request), (response) => ticketFrom(ctx, response, request))
}

/** creates a ticket; a system that answers with the id only has the ticket read back */
export const createTicket = (ctx: Context, draft: T.TicketDraft): Effect.Effect<T.Ticket, AdapterError> =>
  Effect.gen(function*() {
    const { options, spec, transport } = ctx
    const endpoint = spec.endpoints.create
    if (endpoint === undefined) return yield* refused(ctx, "createTicket", Either.left(`${options.name} cannot create tickets`))
    const fields = yield* refused(ctx, "createTicket", Mapping.createBody(options, draft))
    const request: HttpTransport.Request = {
      method: endpoint.method,
      path: endpoint.path,
      body: Mapping.bodyOf(endpoint, fields),
      operation: "createTicket",
      idempotencyKey: keyHeader(ctx, draft.idempotencyKey)
    }
    const created = yield* transport.send(request).pipe(
      Effect.mapError(endpointMissing(ctx, endpoint, endpoint.path)),
      Effect.flatMap((response) => transport.decode(Schema.Unknown, response, request))
    )
    const answered = getPath(created, options.responses.ticket)
    const ticket = ctx.decodeTicket(answered, "createTicket", options.responses.ticket)
    if (Either.isRight(ticket)) return ticket.right
    const idSide = spec.fields.id?.read
    const id = idSide === undefined ? undefined : getPath(answered, idSide.path)
    const createdId = typeof id === "string" || typeof id === "number" ? decodeTicketId(String(id)) : undefined
    if (createdId !== undefined && Either.isRight(createdId)) return yield* getTicket(ctx, createdId.right, "createTicket")
    return yield* Effect.fail(ticket.left)
  })

/** updates a ticket; an empty answer has the ticket read back */
export const updateTicket = (ctx: Context, id: T.TicketId, update: T.TicketUpdate): Effect.Effect<T.Ticket, AdapterError> =>
  Effect.gen(function*() {
    const { options, spec, transport } = ctx
    const fields = yield* refused(ctx, "updateTicket", Mapping.writeBody(options, update))
    if (Object.keys(fields).length === 0) return yield* getTicket(ctx, id, "updateTicket")
    const endpoint = spec.endpoints.update
    const request: HttpTransport.Request = {
      method: endpoint.method,
      path: endpoint.path,
      pathParams: { id },
      body: Mapping.bodyOf(endpoint, fields),
      operation: "updateTicket",
      ticketId: id
    }
    const response = yield* transport.send(request)
    if (response.body.length === 0) return yield* getTicket(ctx, id, "updateTicket")
    return yield* ticketFrom(ctx, response, request)
  })

/** adds a note (through its own endpoint, or through a ticket update where the system adds notes so) */
export const addNote = (ctx: Context, id: T.TicketId, note: NoteDraft): Effect.Effect<void, AdapterError> =>
  Effect.gen(function*() {
    const fields = yield* refused(ctx, "addNote", Mapping.noteBody(ctx.options, note, yield* DateTime.now))
    const endpoint = ctx.spec.endpoints.addNote
    yield* ctx.transport.send({
      method: endpoint.method,
      path: endpoint.path,
      pathParams: { id },
      body: Mapping.bodyOf(endpoint, fields),
      operation: "addNote",
      ticketId: id,
      idempotencyKey: keyHeader(ctx, note.idempotencyKey)
    })
  })

/** the most pages of notes read for one ticket (a system that never ends its pages must not hang a call) */
const MAX_NOTE_PAGES = 200

/** the notes of a ticket, page after page where the system pages them (a `Link` header or `responses.notesNext`) */
export const listNotes = (ctx: Context, id: T.TicketId): Effect.Effect<ReadonlyArray<Note>, AdapterError> =>
  Effect.gen(function*() {
    const { options, spec, transport } = ctx
    const { responses } = options
    const endpoint = spec.endpoints.listNotes
    if (endpoint === undefined) return yield* refused(ctx, "listNotes", Either.left(`${options.name} cannot list notes`))
    const invalid = (detail: string, path?: string) =>
      new InvalidResponseError({ adapter: options.name, operation: "listNotes", ticketId: id, detail, ...(path === undefined ? {} : { path }) })
    const notes: Array<Note> = []
    let request: HttpTransport.Request = { method: endpoint.method, path: endpoint.path, pathParams: { id }, operation: "listNotes", ticketId: id }
    let requestUrl = `${transport.baseUrl}${endpoint.path.replace("{id}", () => encodeURIComponent(id))}`
    for (let pages = 1;; pages++) {
      const response = yield* transport.send(request)
      const body = yield* transport.decode(Schema.Unknown, response, request)
      const raw = getPath(body, responses.notes)
      if (!Array.isArray(raw)) return yield* invalid(`expected a list of notes at ${JSON.stringify(responses.notes)}`)
      for (let i = 0; i < raw.length; i++) {
        const note = Mapping.noteOf(options, raw[i])
        if (Either.isLeft(note)) {
          return yield* invalid(note.left.detail, [responses.notes, String(i), note.left.path].filter((s) => s !== "").join("."))
        }
        notes.push(note.right)
      }
      const next = raw.length === 0 ? undefined : Mapping.nextNotesPage(options, { body, headers: response.headers })
      if (next === undefined) return notes
      if (pages >= MAX_NOTE_PAGES) return yield* invalid(`more than ${MAX_NOTE_PAGES} pages of notes: the system keeps naming a next page`)
      const page = Mapping.pageAt(options, next, requestUrl)
      if (Either.isLeft(page)) return yield* invalid(page.left)
      request = { method: "GET", path: page.right.path, query: page.right.query, operation: "listNotes", ticketId: id }
      requestUrl = `${transport.baseUrl}${page.right.path}`
    }
  })

/** the capabilities a configuration gives */
export const capabilities = (options: Options): TicketSystemAdapter.Capabilities => ({
  createTickets: options.endpoints.create !== null,
  publicNotes: options.visibility.public !== null,
  internalNotes: options.visibility.internal !== null,
  htmlNotes: options.noteFields.contentType !== null || Spec.spec(options).noteFields.body?.write?.codec._tag === "html",
  textSearch: options.params.text !== null || options.params.query?.text !== undefined,
  tags: options.fields.tags !== null,
  maxPageSize: options.maxPageSize,
  states: options.capabilities.states ?? Array.from(new Set(Object.values(options.states))),
  // a priority that cannot be written is not one a ticket can be set to
  priorities: options.capabilities.priorities ??
    (Spec.spec(options).fields.priority?.write === undefined ? [] : Array.from(new Set(Object.values(options.priorities)))),
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
  spec: Spec.spec(options),
  transport,
  decodeTicket: ticketDecoder(options)
})
