/**
 * The port: one service through which a program reads, updates, annotates and searches the
 * tickets of one ticket system.
 *
 * Adapters implement a small {@link Driver} (fetch one page, get, create, update, note, list
 * notes) and {@link make} adds what every adapter needs once: input validation, paging into a
 * `Stream`, limits, tracing spans and logs.
 *
 * A program that talks to several systems gives each a name with {@link named} / {@link layerAs},
 * so that `Request Tracker` and `Redmine` can both be in one context.
 *
 * @since 0.1.0
 */
import * as Chunk from "effect/Chunk"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import type * as FiberRef from "effect/FiberRef"
import { dual } from "effect/Function"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import type { AdapterError } from "./AdapterError.js"
import { currentOperation as currentOperationRef } from "./internal/operation.js"
import { withSpanEndingEmpty } from "./internal/span.js"
import * as Metrics from "./internal/telemetry/metrics.js"
import * as Redaction from "./Redaction.js"
import { InvalidInputError, InvalidResponseError } from "./AdapterError.js"
import type { Note, NoteInput } from "./Note.js"
import { NoteDraft } from "./Note.js"
import type { Page, SearchCriteriaInput } from "./SearchCriteria.js"
import * as SearchCriteria from "./SearchCriteria.js"
import type { PriorityLevel, StateType, Ticket } from "./Ticket.js"
import { TicketDraft, TicketId, TicketUpdate } from "./Ticket.js"

/**
 * What a system can do, so that callers (and the contract suite) can adapt.
 *
 * @since 0.1.0
 * @category models
 */
export interface Capabilities {
  /** tickets can be created through the API */
  readonly createTickets: boolean
  /** notes visible to the requester can be added */
  readonly publicNotes: boolean
  /** notes visible to agents only can be added */
  readonly internalNotes: boolean
  /** notes may be HTML */
  readonly htmlNotes: boolean
  /** `searchTickets` and the `text` criterion are supported */
  readonly textSearch: boolean
  /** tickets carry free tags */
  readonly tags: boolean
  /** the most tickets one request returns */
  readonly maxPageSize: number
  /** the state categories a ticket can be put in */
  readonly states: ReadonlyArray<StateType>
  /**
   * the priority levels a ticket can be set to (absent: all four); empty when the system has no
   * priorities (every ticket reads one level, and a priority change or filter is refused)
   */
  readonly priorities?: ReadonlyArray<PriorityLevel>
  /**
   * the system honours idempotency keys on `addNote` and `createTicket` (`idempotencyKey` of the
   * draft): a request repeated with the same key is applied once. Retries then re-send safely.
   */
  readonly idempotencyKeys?: boolean
}

/**
 * Where a page starts and how long it is, as passed to a driver.
 *
 * @since 0.1.0
 * @category models
 */
export interface PageRequest {
  /** the cursor returned with the previous page; absent for the first page */
  readonly cursor: string | undefined
  /** tickets wanted, already capped by `maxPageSize` */
  readonly pageSize: number
}

/**
 * The minimal per-system functions an adapter provides. Inputs reach a driver already validated.
 *
 * @since 0.1.0
 * @category models
 */
export interface Driver {
  /** the name the system is configured under (used in errors, spans and logs) */
  readonly name: string
  /** the kind of adapter, e.g. `in-memory`, `rest`, `redmine` */
  readonly kind: string
  readonly capabilities: Capabilities
  /** one page of tickets matching the criteria */
  readonly fetchPage: (criteria: SearchCriteria.SearchCriteria, page: PageRequest) => Effect.Effect<Page<Ticket>, AdapterError>
  /** one page of a text search; defaults to `fetchPage` with `criteria.text` set */
  readonly searchPage?: (
    query: string,
    criteria: SearchCriteria.SearchCriteria,
    page: PageRequest
  ) => Effect.Effect<Page<Ticket>, AdapterError>
  readonly getTicket: (id: TicketId) => Effect.Effect<Ticket, AdapterError>
  readonly createTicket: (draft: TicketDraft) => Effect.Effect<Ticket, AdapterError>
  /** applies the update and returns the ticket as the system now has it */
  readonly updateTicket: (id: TicketId, update: TicketUpdate) => Effect.Effect<Ticket, AdapterError>
  readonly addNote: (id: TicketId, note: NoteDraft) => Effect.Effect<void, AdapterError>
  readonly listNotes: (id: TicketId) => Effect.Effect<ReadonlyArray<Note>, AdapterError>
  /**
   * knows the secrets the driver uses (e.g. its transport's): every error leaving the port is
   * scrubbed with it, whichever layer made the error
   */
  readonly scrubber?: Redaction.Scrubber
}

/**
 * Options of a text search: every criterion but `text`.
 *
 * @since 0.1.0
 * @category models
 */
export type SearchOptions = Omit<SearchCriteriaInput, "text">

/**
 * The port every adapter provides. Every method has no requirements and fails only with an
 * {@link AdapterError}.
 *
 * @since 0.1.0
 * @category models
 */
export interface Service {
  /** the name the system is configured under */
  readonly name: string
  /** the kind of adapter */
  readonly kind: string
  readonly capabilities: Capabilities
  /** tickets matching the criteria, at most `limit` (default 100), from `cursor` on */
  readonly fetchTickets: (criteria?: SearchCriteriaInput) => Effect.Effect<ReadonlyArray<Ticket>, AdapterError>
  /** one page of tickets matching the criteria, with the cursor of the next */
  readonly fetchPage: (criteria?: SearchCriteriaInput) => Effect.Effect<Page<Ticket>, AdapterError>
  /** every ticket matching the criteria (at most `limit` if given), page by page */
  readonly streamTickets: (criteria?: SearchCriteriaInput) => Stream.Stream<Ticket, AdapterError>
  readonly getTicket: (id: string) => Effect.Effect<Ticket, AdapterError>
  readonly createTicket: (draft: typeof TicketDraft.Encoded) => Effect.Effect<Ticket, AdapterError>
  /** applies a partial update (idempotent: it sets values) and returns the updated ticket */
  readonly updateTicket: (id: string, update: typeof TicketUpdate.Encoded) => Effect.Effect<Ticket, AdapterError>
  /** adds a note; a plain string is an internal text note */
  readonly addNote: (id: string, note: NoteInput) => Effect.Effect<void, AdapterError>
  /** the notes of a ticket, oldest first */
  readonly listNotes: (id: string) => Effect.Effect<ReadonlyArray<Note>, AdapterError>
  /** tickets whose text matches the query, at most `limit` (default 100) */
  readonly searchTickets: (query: string, options?: SearchOptions) => Effect.Effect<ReadonlyArray<Ticket>, AdapterError>
}

/**
 * The tag of the port.
 *
 * @since 0.1.0
 * @category tags
 */
export class TicketSystemAdapter extends Context.Tag("ticketkit/TicketSystemAdapter")<
  TicketSystemAdapter,
  Service
>() {}

// -----------------------------------------------------------------------------
// make
// -----------------------------------------------------------------------------

const decodeId = Schema.decodeUnknown(TicketId)
const decodeDraft = Schema.decodeUnknown(TicketDraft)
const decodeUpdate = Schema.decodeUnknown(TicketUpdate)
const decodeNote = Schema.decodeUnknown(NoteDraft)
const encodeDraft = Schema.encodeSync(TicketDraft)
const encodeUpdate = Schema.encodeSync(TicketUpdate)
const encodeNote = Schema.encodeSync(NoteDraft)

/**
 * The longest text an error field carries: what a system sends is quoted up to this length.
 *
 * @since 0.1.0
 * @category constants
 */
export const MAX_ERROR_TEXT = 2000

const invalid = (adapter: string, operation: string, what: string) => (error: import("effect/ParseResult").ParseError) =>
  new InvalidInputError({ adapter, operation, detail: `${what}: ${SearchCriteria.formatParseError(error)}` })

/** a driver with what the port derives from it once */
interface Port {
  readonly driver: Driver
  readonly maxPageSize: number
  readonly scrubber: Redaction.Scrubber
}

/**
 * An error as it leaves the port: no secret in any field, no field longer than
 * {@link MAX_ERROR_TEXT}, and named after the operation the caller called (a driver's error says
 * `fetchTickets` for a page of `streamTickets`).
 */
const leaving = (port: Port, operation: string) => (error: AdapterError): AdapterError => {
  const clean = Redaction.scrubFields(port.scrubber, error, { max: MAX_ERROR_TEXT })
  return clean.operation === operation ? clean : Redaction.withFields(clean, { operation })
}

/** the attributes of every span of the port */
const spanAttributes = (port: Port, operation: string) => ({
  "ticketkit.system": port.driver.name,
  "ticketkit.adapter": port.driver.kind,
  "ticketkit.operation": operation
})

/**
 * One operation of the port: the operation set for everything below, its errors cleaned, a debug
 * log of a failure, and a span that ends with nothing (ended with a page, a span kept the page
 * alive). The stack trace is not taken: it would name this line in every span, at the cost of an
 * Error per operation.
 */
const instrument = (port: Port, operation: string, attributes: Record<string, unknown> = {}, errorOperation = operation) =>
<A, R>(effect: Effect.Effect<A, AdapterError, R>): Effect.Effect<A, AdapterError, R> =>
  effect.pipe(
    Effect.locally(currentOperationRef, errorOperation),
    Effect.mapError(leaving(port, errorOperation)),
    Metrics.operation(port.driver.name, operation),
    Effect.tapErrorCause((cause) => Effect.logDebug(`${operation} failed`, cause)),
    Effect.annotateLogs({ "ticketkit.system": port.driver.name, "ticketkit.operation": operation }),
    withSpanEndingEmpty(`ticketkit.${operation}`, {
      kind: "client",
      captureStackTrace: false,
      attributes: { ...spanAttributes(port, operation), ...attributes }
    })
  )

const refuse = (port: Port, operation: string, detail: string) =>
  new InvalidInputError({ adapter: port.driver.name, operation, detail })

const ticketIdOf = (port: Port, operation: string, id: unknown) =>
  decodeId(typeof id === "number" ? String(id) : id).pipe(Effect.mapError(invalid(port.driver.name, operation, "invalid ticket id")))

const criteriaOf = (port: Port, operation: string, input: unknown) =>
  SearchCriteria.validate(input, { adapter: port.driver.name, operation }).pipe(
    Effect.filterOrFail(
      (criteria) => criteria.text === undefined || port.driver.capabilities.textSearch,
      () => refuse(port, operation, `${port.driver.name} does not support text search`)
    )
  )

const pageSizeFor = (port: Port, criteria: SearchCriteria.SearchCriteria, remaining: number) =>
  Math.max(1, Math.min(criteria.pageSize ?? SearchCriteria.DEFAULT_PAGE_SIZE, port.maxPageSize, remaining))

/** one page from the driver; a cursor given back unchanged would loop forever */
const pageOf = (port: Port, operation: string, criteria: SearchCriteria.SearchCriteria, page: PageRequest) => {
  const { driver } = port
  return (driver.searchPage !== undefined && criteria.text !== undefined
    ? driver.searchPage(criteria.text, criteria, page)
    : driver.fetchPage(criteria, page)).pipe(
      Effect.filterOrFail(
        (result) => result.next === undefined || result.next !== page.cursor,
        () =>
          new InvalidResponseError({
            adapter: driver.name,
            operation,
            detail: `the system returned the same page cursor ${JSON.stringify(page.cursor)} twice`
          })
      )
    )
}

const fetchPage = (port: Port, input: unknown) =>
  criteriaOf(port, "fetchTickets", input).pipe(
    Effect.flatMap((criteria) =>
      pageOf(port, "fetchTickets", criteria, {
        cursor: criteria.cursor,
        pageSize: pageSizeFor(port, criteria, criteria.limit ?? Number.MAX_SAFE_INTEGER)
      })
    ),
    instrument(port, "fetchPage", {}, "fetchTickets")
  )

// The criteria are checked once for the whole stream, and the stream has one span: a span per page
// would end with the page as its exit value and keep every page reachable for longer than a
// young-generation GC (measured: peak heap ~100 → ~60 MiB over a million tickets). The HTTP
// adapters' `http.client` spans still give one child span per request.
const streamTickets = (port: Port, input: unknown): Stream.Stream<Ticket, AdapterError> =>
  Stream.unwrap(Effect.map(criteriaOf(port, "streamTickets", input), (criteria) =>
    walk(
      { cursor: criteria.cursor, remaining: criteria.limit ?? Number.POSITIVE_INFINITY },
      (at) =>
        Effect.locally(
          pageOf(port, "streamTickets", criteria, { cursor: at.cursor, pageSize: pageSizeFor(port, criteria, at.remaining) }),
          currentOperationRef,
          "streamTickets"
        )
    ))).pipe(
      Stream.mapError(leaving(port, "streamTickets")),
      Stream.tapError((error) => Metrics.streamError(port.driver.name, "streamTickets", error)),
      Stream.withSpan("ticketkit.streamTickets", { kind: "client", captureStackTrace: false, attributes: spanAttributes(port, "streamTickets") })
    )

const createTicket = (port: Port, input: typeof TicketDraft.Encoded) =>
  decodeDraft(input).pipe(
    Effect.mapError(invalid(port.driver.name, "createTicket", "invalid ticket draft")),
    Effect.filterOrFail(
      () => port.driver.capabilities.createTickets,
      () => refuse(port, "createTicket", `${port.driver.name} does not support creating tickets`)
    ),
    Effect.flatMap(port.driver.createTicket),
    Effect.tap((ticket) => Effect.annotateCurrentSpan("ticketkit.ticket_id", ticket.id)),
    Effect.tap((ticket) => Effect.logDebug(`created ticket ${ticket.id}`)),
    instrument(port, "createTicket")
  )

const updateTicket = (port: Port, id: string, input: typeof TicketUpdate.Encoded) =>
  Effect.all([
    ticketIdOf(port, "updateTicket", id),
    decodeUpdate(input).pipe(Effect.mapError(invalid(port.driver.name, "updateTicket", "invalid update")))
  ]).pipe(
    Effect.flatMap(([ticketId, update]) => port.driver.updateTicket(ticketId, update)),
    Effect.tap(() => Effect.logDebug(`updated ticket ${id}`)),
    instrument(port, "updateTicket", { "ticketkit.ticket_id": String(id) })
  )

const addNote = (port: Port, id: string, input: NoteInput) => {
  const { capabilities, name } = port.driver
  return Effect.all([
    ticketIdOf(port, "addNote", id),
    decodeNote(typeof input === "string" ? { body: input } : input).pipe(Effect.mapError(invalid(name, "addNote", "invalid note")))
  ]).pipe(
    Effect.filterOrFail(
      ([, note]) => note.visibility === "public" ? capabilities.publicNotes : capabilities.internalNotes,
      ([, note]) => refuse(port, "addNote", `${name} does not support ${note.visibility} notes`)
    ),
    Effect.filterOrFail(
      ([, note]) => note.contentType === "text/plain" || capabilities.htmlNotes,
      () => refuse(port, "addNote", `${name} does not support HTML notes`)
    ),
    Effect.flatMap(([ticketId, note]) => port.driver.addNote(ticketId, note)),
    Effect.tap(() => Effect.logDebug(`added a note to ticket ${id}`)),
    instrument(port, "addNote", { "ticketkit.ticket_id": String(id) })
  )
}

/**
 * Builds the port from a driver, adding validation, paging, limits, spans and logs.
 *
 * @example
 * ```ts
 * import { Effect, Stream } from "effect"
 * import { AdapterError, TicketSystemAdapter } from "ticketkit"
 *
 * declare const driver: TicketSystemAdapter.Driver
 *
 * const tickets = TicketSystemAdapter.make(driver)
 * const program = tickets.streamTickets({ states: ["new"] }).pipe(
 *   Stream.runForEach((ticket) => Effect.log(ticket.title)),
 *   Effect.catchTag("AuthenticationError", (error: AdapterError.AuthenticationError) => Effect.logError(error.message))
 * )
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (driver: Driver): Service => {
  const port: Port = { driver, maxPageSize: Math.max(1, driver.capabilities.maxPageSize), scrubber: driver.scrubber ?? Redaction.empty }
  const service: Service = {
    name: driver.name,
    kind: driver.kind,
    capabilities: driver.capabilities,
    fetchTickets: (input) => collect(service.fetchPage, input).pipe(instrument(port, "fetchTickets")),
    fetchPage: (input) => fetchPage(port, input),
    streamTickets: (input) => streamTickets(port, input),
    getTicket: (id) =>
      ticketIdOf(port, "getTicket", id).pipe(Effect.flatMap(driver.getTicket), instrument(port, "getTicket", { "ticketkit.ticket_id": String(id) })),
    createTicket: (input) => createTicket(port, input),
    updateTicket: (id, input) => updateTicket(port, id, input),
    addNote: (id, input) => addNote(port, id, input),
    listNotes: (id) =>
      ticketIdOf(port, "listNotes", id).pipe(Effect.flatMap(driver.listNotes), instrument(port, "listNotes", { "ticketkit.ticket_id": String(id) })),
    searchTickets: (query, options) => collect(service.fetchPage, { ...options, text: query }).pipe(instrument(port, "searchTickets"))
  }
  // the driver travels with the service (not enumerable: a service copied with `{ ...service }`
  // and changed is a different service), so that aspects can wrap the driver, not the service
  Object.defineProperty(service, DriverTypeId, { value: driver, enumerable: false })
  return service
}

/**
 * The port operation being served (`getTicket`, `streamTickets`, …), set by the port for the
 * driver, its client and the transport below it, which name it in their errors, spans and logs;
 * `undefined` outside an operation.
 *
 * @since 0.1.0
 * @category fiber refs
 */
export const currentOperation: FiberRef.FiberRef<string | undefined> = currentOperationRef

/**
 * @since 0.1.0
 * @category type ids
 */
export const DriverTypeId: unique symbol = Symbol.for("ticketkit/TicketSystemAdapter/Driver")

/**
 * The driver a service was made from; for a service made otherwise (a hand-written double, a
 * service copied and changed), a driver that calls the service's own operations.
 *
 * Aspects (`Retry`, `RateLimit`) wrap this driver and make the port again, so that validation,
 * paging, spans and streaming are applied once, outermost.
 *
 * @since 0.1.0
 * @category combinators
 */
export const driverOf = (service: Service): Driver => {
  const own = (service as { readonly [DriverTypeId]?: Driver })[DriverTypeId]
  if (own !== undefined && Object.prototype.hasOwnProperty.call(service, DriverTypeId)) return own
  return {
    name: service.name,
    kind: service.kind,
    capabilities: service.capabilities,
    fetchPage: (criteria, page) => {
      const { cursor: _cursor, limit: _limit, pageSize: _pageSize, ...rest } = criteria
      return service.fetchPage(
        new SearchCriteria.SearchCriteria({ ...rest, ...(page.cursor === undefined ? {} : { cursor: page.cursor }), pageSize: page.pageSize })
      )
    },
    getTicket: service.getTicket,
    createTicket: (draft) => service.createTicket(encodeDraft(draft)),
    updateTicket: (id, update) => service.updateTicket(id, encodeUpdate(update)),
    addNote: (id, note) => service.addNote(id, encodeNote(note)),
    listNotes: service.listNotes
  }
}

/**
 * A function from driver to driver: one driver call is one request whose operation is known, so
 * an aspect can decide per operation (retry reads, not ambiguous writes; limit every call).
 *
 * @since 0.1.0
 * @category models
 */
export type Aspect = (driver: Driver) => Driver

/**
 * Applies an aspect to the driver of a service and makes the port again.
 *
 * @since 0.1.0
 * @category combinators
 */
export const withAspect: {
  (aspect: Aspect): (self: Service) => Service
  (self: Service, aspect: Aspect): Service
} = dual(2, (self: Service, aspect: Aspect): Service => make(aspect(driverOf(self))))

/**
 * Every ticket matching the criteria, page by page through `fetchPage`, from the criteria's
 * cursor on, at most `limit` tickets if one is given. Stops at the last page (no `next` cursor)
 * or at an empty page.
 *
 * @since 0.1.0
 * @category combinators
 */
export const paginate = (
  fetchPage: Service["fetchPage"],
  input: SearchCriteriaInput = {}
): Stream.Stream<Ticket, AdapterError> => {
  const { cursor, limit, ...rest } = input
  return walk(
    { cursor, remaining: limit ?? Number.POSITIVE_INFINITY },
    (at) =>
      fetchPage({
        ...rest,
        ...(at.cursor === undefined ? {} : { cursor: at.cursor }),
        ...(Number.isFinite(at.remaining) ? { limit: at.remaining } : {})
      })
  )
}

/** where a walk over pages stands: the next page's cursor, and how many tickets are still wanted */
interface Position {
  readonly cursor: string | undefined
  readonly remaining: number
}

/** the tickets of the pages from a position on, until the last page, an empty one, or the limit */
const walk = (
  start: Position,
  fetchAt: (at: Position) => Effect.Effect<Page<Ticket>, AdapterError>
): Stream.Stream<Ticket, AdapterError> =>
  Stream.paginateChunkEffect(
    start,
    (at): Effect.Effect<readonly [Chunk.Chunk<Ticket>, Option.Option<Position>], AdapterError> =>
      Effect.map(fetchAt(at), (page) => {
        const items = page.items.length > at.remaining ? page.items.slice(0, at.remaining) : page.items
        const remaining = at.remaining - items.length
        const more = page.next !== undefined && items.length > 0 && remaining > 0
        return [Chunk.unsafeFromArray(items), more ? Option.some({ cursor: page.next, remaining }) : Option.none()] as const
      })
  )

/**
 * Collects the tickets matching the criteria through `fetchPage`, at most `limit` (default
 * {@link SearchCriteria.DEFAULT_LIMIT}).
 *
 * @since 0.1.0
 * @category combinators
 */
export const collect = (
  fetchPage: Service["fetchPage"],
  input: SearchCriteriaInput = {}
): Effect.Effect<ReadonlyArray<Ticket>, AdapterError> =>
  paginate(fetchPage, { ...input, limit: input.limit ?? SearchCriteria.DEFAULT_LIMIT }).pipe(
    Stream.runCollect,
    Effect.map(Chunk.toReadonlyArray)
  )

/**
 * A layer providing the port from a driver.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (driver: Driver): Layer.Layer<TicketSystemAdapter> => Layer.succeed(TicketSystemAdapter, make(driver))

// -----------------------------------------------------------------------------
// several systems in one program
// -----------------------------------------------------------------------------

/**
 * @since 0.1.0
 * @category type ids
 */
export const NamedTypeId: unique symbol = Symbol.for("ticketkit/TicketSystemAdapter/Named")

/**
 * @since 0.1.0
 * @category type ids
 */
export type NamedTypeId = typeof NamedTypeId

/**
 * The identity of the adapter registered under `Name` (a type-level key, so that a program's
 * requirements say which systems it needs: `Named<"rt"> | Named<"redmine">`).
 *
 * @since 0.1.0
 * @category models
 */
export interface Named<Name extends string> {
  readonly [NamedTypeId]: Name
}

/**
 * The tag of the adapter for the system called `name`. Tags with the same name are the same tag.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { TicketSystemAdapter } from "ticketkit"
 *
 * const Rt = TicketSystemAdapter.named("rt")
 * const Redmine = TicketSystemAdapter.named("redmine")
 * const program = Effect.gen(function*() {
 *   const rt = yield* Rt
 *   const redmine = yield* Redmine
 *   const open = yield* rt.fetchTickets({ states: ["open"] })
 *   yield* Effect.forEach(open, (ticket) => redmine.createTicket({ title: ticket.title, queue: { name: "Support" } }))
 * })
 * ```
 *
 * @since 0.1.0
 * @category tags
 */
export const named = <const Name extends string>(name: Name): Context.Tag<Named<Name>, Service> =>
  Context.GenericTag<Named<Name>, Service>(`ticketkit/TicketSystemAdapter/${name}`)

/**
 * Provides an adapter layer under a name instead of the default tag.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerAs: {
  <const Name extends string>(name: Name): <E, R>(self: Layer.Layer<TicketSystemAdapter, E, R>) => Layer.Layer<Named<Name>, E, R>
  <E, R, const Name extends string>(self: Layer.Layer<TicketSystemAdapter, E, R>, name: Name): Layer.Layer<Named<Name>, E, R>
} = dual(
  2,
  <E, R, const Name extends string>(self: Layer.Layer<TicketSystemAdapter, E, R>, name: Name): Layer.Layer<Named<Name>, E, R> =>
    Layer.effect(named(name), TicketSystemAdapter).pipe(Layer.provide(self))
)
