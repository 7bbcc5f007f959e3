/**
 * The configuration of the REST adapter, as Schemas: endpoints, field paths, filter parameters,
 * response shapes, pagination style, value maps. A configuration file's `options:` for
 * `adapter: rest` is decoded with {@link Options}.
 *
 * @since 0.1.0
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import * as Schema from "effect/Schema"
import * as HttpTransport from "../../HttpTransport.js"
import { unsafeKeys } from "../../internal/record.js"
import * as T from "../../Ticket.js"

// -----------------------------------------------------------------------------
// configuration
// -----------------------------------------------------------------------------

const Path = Schema.String.pipe(Schema.startsWith("/", { message: () => "a path must start with /" }))
const TicketPath = Path.pipe(Schema.includes("{id}", { message: () => "a ticket path must contain {id}" }))
const FieldName = Schema.String.pipe(
  Schema.nonEmptyString({ message: () => "a field name must not be empty" }),
  Schema.filter((path) => {
    const bad = path.split(".").find((segment) => segment === "" || unsafeKeys.has(segment))
    return bad === undefined ||
      (bad === "" ? `the field path ${JSON.stringify(path)} has an empty segment` : `a field path may not contain ${JSON.stringify(bad)}`)
  })
)

const withDefaults = <A, I>(struct: Schema.Schema<A, I, never>) =>
  Schema.optionalWith(struct, { default: () => Schema.decodeSync(struct)({} as I) })

/**
 * Endpoint paths; `{id}` stands for the ticket id. `null` for what the system does not have.
 *
 * @since 0.1.0
 * @category configuration
 */
export const Endpoints = Schema.Struct({
  list: Schema.optionalWith(Path, { default: () => "/api/tickets" }),
  /** `null`: search with the list endpoint and the `text` parameter */
  search: Schema.optionalWith(Schema.NullOr(Path), { default: () => "/api/tickets/search" }),
  get: Schema.optionalWith(TicketPath, { default: () => "/api/tickets/{id}" }),
  create: Schema.optionalWith(Schema.NullOr(Path), { default: () => "/api/tickets" }),
  update: Schema.optionalWith(TicketPath, { default: () => "/api/tickets/{id}" }),
  addNote: Schema.optionalWith(TicketPath, { default: () => "/api/tickets/{id}/notes" }),
  listNotes: Schema.optionalWith(Schema.NullOr(TicketPath), { default: () => "/api/tickets/{id}/notes" })
})

/**
 * Where each ticket field is in the system's JSON (dot paths for nested fields); `null` for
 * fields the system does not have.
 *
 * @since 0.1.0
 * @category configuration
 */
export const Fields = Schema.Struct({
  id: Schema.optionalWith(FieldName, { default: () => "id" }),
  title: Schema.optionalWith(FieldName, { default: () => "subject" }),
  description: Schema.optionalWith(FieldName, { default: () => "body" }),
  state: Schema.optionalWith(FieldName, { default: () => "status" }),
  priority: Schema.optionalWith(FieldName, { default: () => "priority_level" }),
  queueId: Schema.optionalWith(Schema.NullOr(FieldName), { default: () => "department_id" }),
  queueName: Schema.optionalWith(Schema.NullOr(FieldName), { default: () => "department_name" }),
  requester: Schema.optionalWith(Schema.NullOr(FieldName), { default: () => "requester" }),
  assignee: Schema.optionalWith(Schema.NullOr(FieldName), { default: () => "assignee" }),
  tags: Schema.optionalWith(Schema.NullOr(FieldName), { default: () => "tags" }),
  customFields: Schema.optionalWith(Schema.NullOr(FieldName), { default: () => "custom_fields" }),
  createdAt: Schema.optionalWith(FieldName, { default: () => "created" }),
  updatedAt: Schema.optionalWith(FieldName, { default: () => "modified" })
}).pipe(Schema.filter((f) => f.queueId !== null || f.queueName !== null || "fields: queueId and queueName cannot both be null"))

/**
 * Where each note field is in the system's JSON.
 *
 * @since 0.1.0
 * @category configuration
 */
export const NoteFields = Schema.Struct({
  id: Schema.optionalWith(Schema.NullOr(FieldName), { default: () => "id" }),
  body: Schema.optionalWith(FieldName, { default: () => "content" }),
  visibility: Schema.optionalWith(FieldName, { default: () => "type" }),
  contentType: Schema.optionalWith(Schema.NullOr(FieldName), { default: () => "content_type" }),
  /** sent with a new note: the client's time */
  timestamp: Schema.optionalWith(Schema.NullOr(FieldName), { default: () => "timestamp" }),
  createdAt: Schema.optionalWith(Schema.NullOr(FieldName), { default: () => "created" }),
  author: Schema.optionalWith(Schema.NullOr(FieldName), { default: () => "author" })
})

/**
 * Query parameter names of the list and search endpoints; `null` for filters the system lacks
 * (criteria that use them are then refused with a clear message).
 *
 * @since 0.1.0
 * @category configuration
 */
export const Params = Schema.Struct({
  state: Schema.optionalWith(Schema.NullOr(FieldName), { default: () => "state" }),
  priority: Schema.optionalWith(Schema.NullOr(FieldName), { default: () => "priority" }),
  queueIds: Schema.optionalWith(Schema.NullOr(FieldName), { default: () => "queue_ids" }),
  queueNames: Schema.optionalWith(Schema.NullOr(FieldName), { default: () => "queue_names" }),
  updatedSince: Schema.optionalWith(Schema.NullOr(FieldName), { default: () => "updated_since" }),
  text: Schema.optionalWith(Schema.NullOr(FieldName), { default: () => "q" }),
  /** how several values of one parameter are joined */
  separator: Schema.optionalWith(Schema.String, { default: () => "," })
})

/**
 * Where things are in the answers; `""` for a list or ticket that is the whole body.
 *
 * @since 0.1.0
 * @category configuration
 */
export const Responses = Schema.Struct({
  list: Schema.optionalWith(Schema.String, { default: () => "tickets" }),
  search: Schema.optionalWith(Schema.String, { default: () => "results" }),
  total: Schema.optionalWith(Schema.NullOr(Schema.String), { default: () => "total" }),
  nextCursor: Schema.optionalWith(Schema.NullOr(Schema.String), { default: () => "next_cursor" }),
  ticket: Schema.optionalWith(Schema.String, { default: () => "" }),
  notes: Schema.optionalWith(Schema.String, { default: () => "notes" })
})

/**
 * How the list endpoint pages.
 *
 * @since 0.1.0
 * @category configuration
 */
export const Pagination = Schema.Union(
  Schema.Struct({
    style: Schema.Literal("offset"),
    offsetParam: Schema.optionalWith(FieldName, { default: () => "offset" }),
    limitParam: Schema.optionalWith(FieldName, { default: () => "limit" })
  }),
  Schema.Struct({
    style: Schema.Literal("page"),
    pageParam: Schema.optionalWith(FieldName, { default: () => "page" }),
    sizeParam: Schema.optionalWith(FieldName, { default: () => "per_page" }),
    firstPage: Schema.optionalWith(Schema.Int, { default: () => 1 })
  }),
  Schema.Struct({
    style: Schema.Literal("cursor"),
    cursorParam: Schema.optionalWith(FieldName, { default: () => "cursor" }),
    sizeParam: Schema.optionalWith(FieldName, { default: () => "limit" })
  }),
  Schema.Struct({
    style: Schema.Literal("none"),
    limitParam: Schema.optionalWith(Schema.NullOr(FieldName), { default: () => null })
  })
)

/**
 * @since 0.1.0
 * @category configuration
 */
export type Pagination = typeof Pagination.Type

const identityStates = { new: "new", open: "open", pending: "pending", resolved: "resolved", closed: "closed" } as const
const identityPriorities = { low: "low", normal: "normal", high: "high", urgent: "urgent" } as const

/**
 * The configuration of a REST adapter. Everything but `baseUrl` has a default: the reference
 * guide's API.
 *
 * @since 0.1.0
 * @category configuration
 */
export const Options = Schema.Struct({
  /** the system's name in errors, logs and spans */
  name: Schema.optionalWith(Schema.String, { default: () => "rest" }),
  ...HttpTransport.Options.fields,
  endpoints: withDefaults(Endpoints),
  /** `PUT` (default) or `PATCH` for partial updates */
  updateMethod: Schema.optionalWith(Schema.Literal("PUT", "PATCH"), { default: () => "PUT" as const }),
  fields: Schema.optionalWith(Fields, { default: () => Schema.decodeSync(Fields)({}) }),
  noteFields: withDefaults(NoteFields),
  params: withDefaults(Params),
  responses: withDefaults(Responses),
  pagination: Schema.optionalWith(Pagination, { default: () => ({ style: "offset" as const, offsetParam: "offset", limitParam: "limit" }) }),
  /** the system's status values → state categories (matched case-insensitively) */
  states: Schema.optionalWith(Schema.Record({ key: Schema.String, value: T.StateType }), { default: () => identityStates }),
  /** the system's priority values → levels (matched case-insensitively) */
  priorities: Schema.optionalWith(Schema.Record({ key: Schema.String, value: T.PriorityLevel }), { default: () => identityPriorities }),
  /** the system's values for note visibility */
  visibility: Schema.optionalWith(
    Schema.Struct({ internal: Schema.String, public: Schema.NullOr(Schema.String) }),
    { default: () => ({ internal: "internal", public: "public" }) }
  ),
  /** the most tickets one request may ask for */
  maxPageSize: Schema.optionalWith(Schema.Int.pipe(Schema.positive()), { default: () => 100 }),
  /**
   * the header through which the system honours idempotency keys on POSTs (e.g.
   * `Idempotency-Key`); `null` (default) if it does not — notes are then checked before re-sending
   */
  idempotencyKeyHeader: Schema.optionalWith(Schema.NullOr(FieldName), { default: () => null })
}).pipe(
  Schema.filter((o) => Object.keys(o.states).length > 0 || "states: at least one status must be mapped"),
  Schema.filter((o) => Object.keys(o.priorities).length > 0 || "priorities: at least one priority must be mapped")
)

/**
 * @since 0.1.0
 * @category configuration
 */
export type Options = typeof Options.Type

/**
 * The input form of the configuration (as written in code or a config file).
 *
 * @since 0.1.0
 * @category configuration
 */
export type OptionsInput = typeof Options.Encoded

/**
 * Options that are code, not configuration.
 *
 * @since 0.1.0
 * @category configuration
 */
export interface Hooks {
  /** adapts the platform client (logging, proxies, extra retries…) */
  readonly transformClient?: (client: HttpClient.HttpClient) => HttpClient.HttpClient
}

