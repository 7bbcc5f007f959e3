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
import * as Redaction from "./Redaction.js"
import { InvalidInputError, InvalidResponseError } from "./AdapterError.js"
import type { Note, NoteInput } from "./Note.js"
import { NoteDraft } from "./Note.js"
import type { Page, SearchCriteriaInput } from "./SearchCriteria.js"
import * as SearchCriteria from "./SearchCriteria.js"
import type { StateType, Ticket } from "./Ticket.js"
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

/**
 * Builds the port from a driver, adding validation, paging, limits, spans and logs.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (driver: Driver): Service => {
  const { capabilities, kind, name } = driver
  const maxPageSize = Math.max(1, capabilities.maxPageSize)
  const scrubber = driver.scrubber ?? Redaction.empty

  /**
   * An error as it leaves the port: no secret in any field, no field longer than
   * {@link MAX_ERROR_TEXT}, and named after the operation the caller called (a driver's error
   * says `fetchTickets` for a page of `streamTickets`).
   */
  const leaving = (operation: string) => (error: AdapterError): AdapterError => {
    const clean = Redaction.scrubFields(scrubber, error, { max: MAX_ERROR_TEXT })
    return clean.operation === operation ? clean : Redaction.withFields(clean, { operation })
  }

  // spans end with nothing (withSpanEndingEmpty): ended with a page, a span kept the page alive
  const instrument = (operation: string, attributes: Record<string, unknown> = {}, errorOperation = operation) =>
  <A, R>(effect: Effect.Effect<A, AdapterError, R>): Effect.Effect<A, AdapterError, R> =>
    effect.pipe(
      Effect.locally(currentOperationRef, errorOperation),
      Effect.mapError(leaving(errorOperation)),
      Effect.tapErrorCause((cause) => Effect.logDebug(`${operation} failed`, cause)),
      Effect.annotateLogs({ "ticketkit.system": name, "ticketkit.operation": operation }),
      withSpanEndingEmpty(`ticketkit.${operation}`, {
        kind: "client",
        // the stack trace would be taken here, inside the port, not at the caller: it would
        // name this line in every span, at the cost of an Error per operation
        captureStackTrace: false,
        attributes: {
          "ticketkit.system": name,
          "ticketkit.adapter": kind,
          "ticketkit.operation": operation,
          ...attributes
        }
      })
    )

  const ticketIdOf = (operation: string, id: unknown) =>
    decodeId(typeof id === "number" ? String(id) : id).pipe(Effect.mapError(invalid(name, operation, "invalid ticket id")))

  const criteriaOf = (operation: string, input: unknown) =>
    SearchCriteria.validate(input, { adapter: name, operation }).pipe(
      Effect.filterOrFail(
        (criteria) => criteria.text === undefined || capabilities.textSearch,
        () => new InvalidInputError({ adapter: name, operation, detail: `${name} does not support text search` })
      )
    )

  const pageSizeFor = (criteria: SearchCriteria.SearchCriteria, remaining: number) =>
    Math.max(1, Math.min(criteria.pageSize ?? SearchCriteria.DEFAULT_PAGE_SIZE, maxPageSize, remaining))

  const pageOf = (operation: string, criteria: SearchCriteria.SearchCriteria, page: PageRequest) =>
    (driver.searchPage !== undefined && criteria.text !== undefined
      ? driver.searchPage(criteria.text, criteria, page)
      : driver.fetchPage(criteria, page)).pipe(
        Effect.filterOrFail(
          (result) => result.next === undefined || result.next !== page.cursor,
          () =>
            new InvalidResponseError({
              adapter: name,
              operation,
              detail: `the system returned the same page cursor ${JSON.stringify(page.cursor)} twice`
            })
        )
      )

  const streamPages = (criteria: SearchCriteria.SearchCriteria): Stream.Stream<Ticket, AdapterError> =>
    walk(
      { cursor: criteria.cursor, remaining: criteria.limit ?? Number.POSITIVE_INFINITY },
      (at) =>
        Effect.locally(
          pageOf("streamTickets", criteria, { cursor: at.cursor, pageSize: pageSizeFor(criteria, at.remaining) }),
          currentOperationRef,
          "streamTickets"
        )
    )

  const service: Service = {
    name,
    kind,
    capabilities,
    fetchTickets: (input) => collect(service.fetchPage, input).pipe(instrument("fetchTickets")),
    fetchPage: (input) =>
      criteriaOf("fetchTickets", input).pipe(
        Effect.flatMap((criteria) =>
          pageOf("fetchTickets", criteria, {
            cursor: criteria.cursor,
            pageSize: pageSizeFor(criteria, criteria.limit ?? Number.MAX_SAFE_INTEGER)
          })
        ),
        instrument("fetchPage", {}, "fetchTickets")
      ),
    // The criteria are checked once for the whole stream, and the stream has one span: a span per
    // page would end with the page as its exit value and keep every page reachable for longer
    // than a young-generation GC (measured: peak heap ~100 → ~60 MiB over a million tickets).
    // The HTTP adapters' `http.client` spans still give one child span per request.
    streamTickets: (input) =>
      Stream.unwrap(Effect.map(criteriaOf("streamTickets", input), streamPages)).pipe(
        Stream.mapError(leaving("streamTickets")),
        Stream.withSpan("ticketkit.streamTickets", {
          kind: "client",
          captureStackTrace: false,
          attributes: { "ticketkit.system": name, "ticketkit.adapter": kind, "ticketkit.operation": "streamTickets" }
        })
      ),
    getTicket: (id) =>
      ticketIdOf("getTicket", id).pipe(
        Effect.flatMap(driver.getTicket),
        instrument("getTicket", { "ticketkit.ticket_id": String(id) })
      ),
    createTicket: (input) =>
      decodeDraft(input).pipe(
        Effect.mapError(invalid(name, "createTicket", "invalid ticket draft")),
        Effect.filterOrFail(
          () => capabilities.createTickets,
          () => new InvalidInputError({ adapter: name, operation: "createTicket", detail: `${name} does not support creating tickets` })
        ),
        Effect.flatMap(driver.createTicket),
        Effect.tap((ticket) => Effect.annotateCurrentSpan("ticketkit.ticket_id", ticket.id)),
        Effect.tap((ticket) => Effect.logDebug(`created ticket ${ticket.id}`)),
        instrument("createTicket")
      ),
    updateTicket: (id, input) =>
      Effect.all([ticketIdOf("updateTicket", id), decodeUpdate(input).pipe(Effect.mapError(invalid(name, "updateTicket", "invalid update")))]).pipe(
        Effect.flatMap(([ticketId, update]) => driver.updateTicket(ticketId, update)),
        Effect.tap(() => Effect.logDebug(`updated ticket ${id}`)),
        instrument("updateTicket", { "ticketkit.ticket_id": String(id) })
      ),
    addNote: (id, input) =>
      Effect.all([
        ticketIdOf("addNote", id),
        decodeNote(typeof input === "string" ? { body: input } : input).pipe(Effect.mapError(invalid(name, "addNote", "invalid note")))
      ]).pipe(
        Effect.filterOrFail(
          ([, note]) => note.visibility === "public" ? capabilities.publicNotes : capabilities.internalNotes,
          ([, note]) => new InvalidInputError({ adapter: name, operation: "addNote", detail: `${name} does not support ${note.visibility} notes` })
        ),
        Effect.filterOrFail(
          ([, note]) => note.contentType === "text/plain" || capabilities.htmlNotes,
          () => new InvalidInputError({ adapter: name, operation: "addNote", detail: `${name} does not support HTML notes` })
        ),
        Effect.flatMap(([ticketId, note]) => driver.addNote(ticketId, note)),
        Effect.tap(() => Effect.logDebug(`added a note to ticket ${id}`)),
        instrument("addNote", { "ticketkit.ticket_id": String(id) })
      ),
    listNotes: (id) =>
      ticketIdOf("listNotes", id).pipe(
        Effect.flatMap(driver.listNotes),
        instrument("listNotes", { "ticketkit.ticket_id": String(id) })
      ),
    searchTickets: (query, options) =>
      collect(service.fetchPage, { ...options, text: query }).pipe(instrument("searchTickets"))
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
 * const Rt = TicketSystemAdapter.named("rt")
 * const Redmine = TicketSystemAdapter.named("redmine")
 * const program = Effect.gen(function*() {
 *   const rt = yield* Rt
 *   const redmine = yield* Redmine
 *   // ...
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
