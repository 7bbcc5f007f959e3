/**
 * The REST adapter: for custom and home-grown ticket systems with a JSON API.
 *
 * Out of the box it speaks the reference guide's API (`GET /api/tickets`,
 * `GET /api/tickets/search?q=`, `PUT /api/tickets/{id}`, `POST /api/tickets/{id}/notes`, tickets
 * as `{ id, subject, body, status, priority_level, department_id, created, modified }`). Another
 * REST system is adapted by **configuration, not code**: endpoint paths, field mapping (dot paths
 * for nested fields), state and priority value maps, filter parameter names, and the pagination
 * style (offset/limit, page, cursor, none). The configuration is a Schema-checked value: a wrong one
 * fails when the layer is built, with a message naming the bad key.
 *
 * @since 0.1.0
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import type * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import type * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import type { AdapterError } from "../AdapterError.js"
import { ConfigurationError, fromParseError, InvalidInputError, InvalidResponseError } from "../AdapterError.js"
import * as AdapterDefinition from "../AdapterDefinition.js"
import { getOwn, setOwn, unsafeKeys } from "../internal/record.js"
import { epochMillis, parseIso } from "../internal/time.js"
import * as HttpTransport from "../HttpTransport.js"
import { Note } from "../Note.js"
import type { NoteDraft } from "../Note.js"
import type { Page, SearchCriteria } from "../SearchCriteria.js"
import { formatParseError } from "../SearchCriteria.js"
import * as T from "../Ticket.js"
import * as TicketSystemAdapter from "../TicketSystemAdapter.js"

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

// -----------------------------------------------------------------------------
// JSON paths
// -----------------------------------------------------------------------------

const getPath = (value: unknown, path: string): unknown => {
  if (path === "") return value
  let current = value
  for (const key of path.split(".")) {
    if (typeof current !== "object" || current === null) return undefined
    current = getOwn(current, key)
  }
  return current
}

/** sets the value at a configured dot path (its segments are checked: no `__proto__`) */
const setPath = (target: Record<string, unknown>, path: string, value: unknown): void => {
  const keys = path.split(".")
  let current = target
  for (const key of keys.slice(0, -1)) {
    const next = getOwn(current, key)
    if (typeof next !== "object" || next === null || Array.isArray(next)) setOwn(current, key, {})
    current = getOwn(current, key) as Record<string, unknown>
  }
  setOwn(current, keys[keys.length - 1]!, value)
}

const Id = Schema.Union(
  Schema.String.pipe(Schema.nonEmptyString()),
  Schema.transform(Schema.Number, Schema.String, { strict: true, decode: (n) => String(n), encode: Number })
)
const Code = Schema.Union(Schema.String, Schema.transform(Schema.Number, Schema.String, { strict: true, decode: String, encode: Number }))
const Timestamp = Schema.Union(T.DateTimeFromIso, T.DateTimeFromEpochMillis)
const optionalNull = <S extends Schema.Schema.Any>(s: S) => Schema.optional(Schema.NullOr(s))

const numericOrString = (id: string): string | number => (/^\d{1,15}$/.test(id) ? Number(id) : id)

// -----------------------------------------------------------------------------
// the ticket decoder
// -----------------------------------------------------------------------------

/** a dot path compiled once into a reader */
const compilePath = (path: string): (value: unknown) => unknown => {
  if (path === "") return (value) => value
  const keys = path.split(".")
  if (keys.length === 1) {
    const key = keys[0]!
    return (value) => (typeof value === "object" && value !== null ? getOwn(value, key) : undefined)
  }
  return (value) => {
    let current = value
    for (const key of keys) {
      if (typeof current !== "object" || current === null) return undefined
      current = getOwn(current, key)
    }
    return current
  }
}

/** what a fast check gives when the value is anything but the plain, valid case */
const slow: unique symbol = Symbol("slow")
type Slow = typeof slow

// The fast checks: each accepts exactly what its field's schema accepts (or less) and gives what
// the schema gives; anything else goes to the schemas, whose error names the field.

const fastCode = (v: unknown): string | Slow => (typeof v === "string" ? v : typeof v === "number" ? String(v) : slow)
const fastTimestamp = (v: unknown): DateTime.Utc | Slow => {
  // what T.DateTimeFromIso and T.DateTimeFromEpochMillis accept
  const millis = typeof v === "string" ? parseIso(v) : typeof v === "number" ? epochMillis(v) : undefined
  return millis === undefined ? slow : DateTime.unsafeMake(millis)
}
const fastStrings = (v: unknown): Array<string> | Slow => {
  if (!Array.isArray(v)) return slow
  for (let i = 0; i < v.length; i++) if (typeof v[i] !== "string") return slow
  return v.slice()
}
const fastCustomFields = (v: unknown): Record<string, T.CustomFieldValue> | Slow => {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return slow
  const out: Record<string, T.CustomFieldValue> = {}
  for (const key of Object.keys(v)) {
    const value = (v as Record<string, unknown>)[key]
    if (value === null || typeof value === "string" || typeof value === "number" || typeof value === "boolean") setOwn(out, key, value)
    else {
      const strings = fastStrings(value)
      if (strings === slow) return slow
      setOwn(out, key, strings)
    }
  }
  return out
}

/** a ticket's fields, decoded, before they are checked against the maps */
interface Decoded {
  readonly id: string
  readonly title: string
  readonly description: string | null | undefined
  readonly state: string
  readonly priority: string
  readonly createdAt: DateTime.Utc
  readonly updatedAt: DateTime.Utc
  readonly queueId: string | null | undefined
  readonly queueName: string | null | undefined
  readonly requester: string | null | undefined
  readonly assignee: string | null | undefined
  readonly tags: ReadonlyArray<string> | null | undefined
  readonly customFields: Readonly<Record<string, T.CustomFieldValue>> | null | undefined
}

/**
 * The decoder of one ticket of a REST system (as configured by `options`) into a `Ticket`, as the
 * adapter uses it for every ticket it reads; `where` is the ticket's place in the answer (e.g.
 * `tickets.3`, for the error's path), computed only on failure when given as a function.
 *
 * Valid tickets take a compiled path (plain type checks, no schema machinery); anything else is
 * decoded by the field schemas, whose error names the field. Both give the same tickets; with
 * `{ compiled: false }` every ticket goes through the schemas (the reference the compiled path is
 * checked against, in `bench/check.ts`).
 *
 * @since 0.1.0
 * @category decoding
 */
export const ticketDecoder = (options: Options, decoding: { readonly compiled?: boolean } = {}): (
  raw: unknown,
  operation: string,
  where: string | (() => string)
) => Either.Either<T.Ticket, InvalidResponseError> => {
  const { fields, name } = options
  const lower = <V>(record: Readonly<Record<string, V>>) =>
    new Map(Object.entries(record).map(([k, v]) => [k.toLowerCase(), v] as const))
  const stateOf = lower(options.states)
  const priorityOf = lower(options.priorities)

  // ---- the schemas: the reference, and the path of anything unusual
  const itemFields: Record<string, Schema.Schema.Any | Schema.PropertySignature.Any> = {
    [fields.id]: Id,
    [fields.title]: Schema.String,
    [fields.description]: optionalNull(Schema.String),
    [fields.state]: Code,
    [fields.priority]: Code,
    [fields.createdAt]: Timestamp,
    [fields.updatedAt]: Timestamp
  }
  if (fields.queueId !== null) itemFields[fields.queueId] = optionalNull(Code)
  if (fields.queueName !== null) itemFields[fields.queueName] = optionalNull(Schema.String)
  if (fields.requester !== null) itemFields[fields.requester] = optionalNull(Schema.String)
  if (fields.assignee !== null) itemFields[fields.assignee] = optionalNull(Schema.String)
  if (fields.tags !== null) itemFields[fields.tags] = optionalNull(Schema.Array(Schema.String))
  if (fields.customFields !== null) itemFields[fields.customFields] = optionalNull(T.CustomFields)
  const decodeItem = Schema.decodeUnknownEither(
    Schema.Struct(itemFields as Schema.Struct.Fields) as unknown as Schema.Schema<Record<string, unknown>, unknown, never>
  )
  const paths = Object.keys(itemFields)
  const readers = paths.map((path) => [path, compilePath(path)] as const)

  const bySchema = (raw: object): Either.Either<Decoded, ParseResult.ParseError> => {
    const flat: Record<string, unknown> = {}
    for (const [path, read] of readers) {
      const value = read(raw)
      if (value !== undefined) flat[path] = value
    }
    return Either.map(decodeItem(flat), (v): Decoded => ({
      id: v[fields.id] as string,
      title: v[fields.title] as string,
      description: v[fields.description] as string | null | undefined,
      state: v[fields.state] as string,
      priority: v[fields.priority] as string,
      createdAt: v[fields.createdAt] as DateTime.Utc,
      updatedAt: v[fields.updatedAt] as DateTime.Utc,
      queueId: fields.queueId === null ? undefined : v[fields.queueId] as string | null | undefined,
      queueName: fields.queueName === null ? undefined : v[fields.queueName] as string | null | undefined,
      requester: fields.requester === null ? undefined : v[fields.requester] as string | null | undefined,
      assignee: fields.assignee === null ? undefined : v[fields.assignee] as string | null | undefined,
      tags: fields.tags === null ? undefined : v[fields.tags] as ReadonlyArray<string> | null | undefined,
      customFields: fields.customFields === null ? undefined : v[fields.customFields] as Decoded["customFields"]
    }))
  }

  // ---- the compiled path: straight-line checks, one reader per field (only when no two fields
  // share a path: then a Struct keeps the last schema of that path, and the schemas decide)
  const configured = [
    fields.id, fields.title, fields.description, fields.state, fields.priority, fields.createdAt, fields.updatedAt,
    fields.queueId, fields.queueName, fields.requester, fields.assignee, fields.tags, fields.customFields
  ].filter((path) => path !== null)
  const compiled = decoding.compiled !== false && new Set(configured).size === configured.length
  const absent = (): unknown => undefined
  const readId = compilePath(fields.id)
  const readTitle = compilePath(fields.title)
  const readDescription = compilePath(fields.description)
  const readState = compilePath(fields.state)
  const readPriority = compilePath(fields.priority)
  const readCreatedAt = compilePath(fields.createdAt)
  const readUpdatedAt = compilePath(fields.updatedAt)
  const readQueueId = fields.queueId === null ? absent : compilePath(fields.queueId)
  const readQueueName = fields.queueName === null ? absent : compilePath(fields.queueName)
  const readRequester = fields.requester === null ? absent : compilePath(fields.requester)
  const readAssignee = fields.assignee === null ? absent : compilePath(fields.assignee)
  const readTags = fields.tags === null ? absent : compilePath(fields.tags)
  const readCustomFields = fields.customFields === null ? absent : compilePath(fields.customFields)

  const fast = (raw: object): Decoded | Slow => {
    const idValue = readId(raw)
    const id = typeof idValue === "string" ? (idValue === "" ? slow : idValue) : typeof idValue === "number" ? String(idValue) : slow
    if (id === slow) return slow
    const title = readTitle(raw)
    if (typeof title !== "string") return slow
    const description = readDescription(raw)
    if (description !== undefined && description !== null && typeof description !== "string") return slow
    const state = fastCode(readState(raw))
    if (state === slow) return slow
    const priority = fastCode(readPriority(raw))
    if (priority === slow) return slow
    const createdAt = fastTimestamp(readCreatedAt(raw))
    if (createdAt === slow) return slow
    const updatedAt = fastTimestamp(readUpdatedAt(raw))
    if (updatedAt === slow) return slow
    const queueIdValue = readQueueId(raw)
    const queueId = queueIdValue === undefined || queueIdValue === null ? queueIdValue : fastCode(queueIdValue)
    if (queueId === slow) return slow
    const queueName = readQueueName(raw)
    if (queueName !== undefined && queueName !== null && typeof queueName !== "string") return slow
    const requester = readRequester(raw)
    if (requester !== undefined && requester !== null && typeof requester !== "string") return slow
    const assignee = readAssignee(raw)
    if (assignee !== undefined && assignee !== null && typeof assignee !== "string") return slow
    const tagsValue = readTags(raw)
    const tags = tagsValue === undefined || tagsValue === null ? tagsValue : fastStrings(tagsValue)
    if (tags === slow) return slow
    const customValue = readCustomFields(raw)
    const customFields = customValue === undefined || customValue === null ? customValue : fastCustomFields(customValue)
    if (customFields === slow) return slow
    return { id, title, description, state, priority, createdAt, updatedAt, queueId, queueName, requester, assignee, tags, customFields }
  }

  const userRef = (value: string | null | undefined): T.UserRef | undefined =>
    value === undefined || value === null || value === "" ? undefined : value.includes("@") ? { email: value } : { name: value }

  // a system has few status and priority values: each is looked up (and checked) once
  const lookups = <V>(map: ReadonlyMap<string, V>) => {
    const seen = new Map<string, V>()
    return (value: string): V | undefined => {
      const known = seen.get(value)
      if (known !== undefined) return known
      const found = map.get(value.toLowerCase())
      if (found !== undefined && seen.size < 1024) seen.set(value, found)
      return found
    }
  }
  const stateType = lookups(stateOf)
  const priorityLevel = lookups(priorityOf)
  const numeric = new Map<string, number | undefined>()
  const priorityValue = (name: string): number | undefined => {
    if (numeric.has(name)) return numeric.get(name)
    const value = /^\d+(\.\d+)?$/.test(name) ? Number(name) : undefined
    if (numeric.size < 1024) numeric.set(name, value)
    return value
  }

  return (raw, operation, where) => {
    const invalid = (detail: string, path: string) => {
      const rawId = readId(raw)
      const ticketId = typeof rawId === "string" || typeof rawId === "number" ? String(rawId) : undefined
      return Either.left(new InvalidResponseError({
        adapter: name,
        operation,
        detail,
        path: [typeof where === "string" ? where : where(), path].filter((s) => s !== "").join("."),
        ...(ticketId === undefined ? {} : { ticketId })
      }))
    }
    if (typeof raw !== "object" || raw === null) return invalid("expected a ticket object", "")
    let d = compiled ? fast(raw) : slow
    if (d === slow) {
      const decoded = bySchema(raw)
      if (Either.isLeft(decoded)) {
        const rawId = readId(raw)
        const ticketId = typeof rawId === "string" || typeof rawId === "number" ? String(rawId) : undefined
        const error = fromParseError(decoded.left, { adapter: name, operation, ticketId })
        return invalid(error.detail, error.path ?? "")
      }
      d = decoded.right
    }
    const type = stateType(d.state)
    if (type === undefined) {
      return invalid(`unknown status ${JSON.stringify(d.state)}: add it to the states map of ${name}`, fields.state)
    }
    const level = priorityLevel(d.priority)
    if (level === undefined) {
      return invalid(`unknown priority ${JSON.stringify(d.priority)}: add it to the priorities map of ${name}`, fields.priority)
    }
    const queueId = d.queueId ?? undefined
    const queueName = d.queueName ?? undefined
    if (queueId === undefined && queueName === undefined) {
      return invalid("the ticket has no queue", fields.queueId ?? fields.queueName ?? "")
    }
    const value = priorityValue(d.priority)
    const queue: { id?: string; name?: string } = {}
    if (queueId !== undefined) queue.id = queueId
    if (queueName !== undefined) queue.name = queueName
    // the same keys, in the same order, as the Ticket's fields
    const props: Record<string, unknown> = {
      id: d.id,
      title: d.title,
      description: d.description ?? "",
      state: { type, name: d.state },
      priority: value === undefined ? { level, name: d.priority } : { level, name: d.priority, value },
      queue
    }
    const requester = userRef(d.requester)
    if (requester !== undefined) props.requester = requester
    const assignee = userRef(d.assignee)
    if (assignee !== undefined) props.assignee = assignee
    props.tags = d.tags ?? []
    props.createdAt = d.createdAt
    props.updatedAt = d.updatedAt
    props.customFields = d.customFields ?? {}
    props.raw = raw
    return Either.right(new T.Ticket(props as ConstructorParameters<typeof T.Ticket>[0], true))
  }
}

// -----------------------------------------------------------------------------
// adapter
const decodeTicketId = Schema.decodeUnknownEither(T.TicketId)

// -----------------------------------------------------------------------------

/**
 * Makes a REST adapter from a checked configuration. Requires an `HttpClient`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options, hooks: Hooks = {}): Effect.Effect<TicketSystemAdapter.Service, never, HttpClient.HttpClient> =>
  Effect.gen(function*() {
    const { endpoints, fields, name, noteFields, pagination, params, responses } = options
    const transport = yield* HttpTransport.make({ ...options, ...(hooks.transformClient ? { transformClient: hooks.transformClient } : {}) })

    const remoteNames = <V extends string>(record: Readonly<Record<string, V>>, wanted: ReadonlyArray<V>) =>
      Object.entries(record).filter(([, v]) => wanted.includes(v as V)).map(([k]) => k)
    const firstRemote = <V extends string>(record: Readonly<Record<string, V>>, value: V) =>
      Object.entries(record).find(([, v]) => v === value)?.[0]

    const decodeTicket = ticketDecoder(options)

    const fail = (operation: string, detail: string) => Effect.fail(new InvalidInputError({ adapter: name, operation, detail }))
    const keyHeader = (key: string | undefined) =>
      key === undefined || options.idempotencyKeyHeader === null ? undefined : { header: options.idempotencyKeyHeader, key }

    // ---- listing -------------------------------------------------------------

    const filterQuery = (criteria: SearchCriteria, operation: string) =>
      Effect.gen(function*() {
        const query: Record<string, string | number | undefined> = {}
        const join = (values: ReadonlyArray<string>) => values.join(params.separator)
        if (criteria.states !== undefined) {
          if (params.state === null) return yield* fail(operation, `${name} cannot filter by state`)
          const remote = remoteNames(options.states, criteria.states)
          if (remote.length === 0) return undefined // no status of the system is in these categories
          query[params.state] = join(remote)
        }
        if (criteria.priorities !== undefined) {
          if (params.priority === null) return yield* fail(operation, `${name} cannot filter by priority`)
          const remote = remoteNames(options.priorities, criteria.priorities)
          if (remote.length === 0) return undefined
          query[params.priority] = join(remote)
        }
        if (criteria.queues !== undefined) {
          const ids = criteria.queues.flatMap((q) => (q.id === undefined ? [] : [q.id]))
          const names = criteria.queues.flatMap((q) => (q.id === undefined && q.name !== undefined ? [q.name] : []))
          if (ids.length > 0) {
            if (params.queueIds === null) return yield* fail(operation, `${name} cannot filter by queue id`)
            query[params.queueIds] = join(ids)
          }
          if (names.length > 0) {
            if (params.queueNames === null) return yield* fail(operation, `${name} filters queues by id only; give queue ids`)
            query[params.queueNames] = join(names)
          }
        }
        if (criteria.updatedSince !== undefined) {
          if (params.updatedSince === null) return yield* fail(operation, `${name} cannot filter by update time`)
          query[params.updatedSince] = DateTime.formatIso(criteria.updatedSince)
        }
        if (criteria.text !== undefined) {
          if (params.text === null) return yield* fail(operation, `${name} cannot search by text`)
          query[params.text] = criteria.text
        }
        return query
      })

    const pageQuery = (cursor: string | undefined, pageSize: number, operation: string) => {
      const bad = () => fail(operation, `invalid cursor ${JSON.stringify(cursor)}`)
      switch (pagination.style) {
        case "offset": {
          const offset = cursor === undefined ? 0 : /^\d{1,15}$/.test(cursor) ? Number(cursor) : undefined
          if (offset === undefined) return bad()
          return Effect.succeed({ query: { [pagination.offsetParam]: offset, [pagination.limitParam]: pageSize }, offset, size: pageSize })
        }
        case "page": {
          // the page size is fixed for a whole walk: it is part of the cursor
          const match = cursor === undefined ? undefined : /^(\d{1,9}):(\d{1,6})$/.exec(cursor)
          if (cursor !== undefined && match === null) return bad()
          const page = match ? Number(match[1]) : pagination.firstPage
          const size = match ? Number(match[2]) : pageSize
          return Effect.succeed({ query: { [pagination.pageParam]: page, [pagination.sizeParam]: size }, offset: page, size })
        }
        case "cursor":
          return Effect.succeed({
            query: { [pagination.cursorParam]: cursor, [pagination.sizeParam]: pageSize },
            offset: 0,
            size: pageSize
          })
        case "none":
          if (cursor !== undefined) return bad()
          return Effect.succeed({ query: pagination.limitParam === null ? {} : { [pagination.limitParam]: pageSize }, offset: 0, size: pageSize })
      }
    }

    const fetchPage = (criteria: SearchCriteria, request: TicketSystemAdapter.PageRequest): Effect.Effect<Page<T.Ticket>, AdapterError> =>
      Effect.gen(function*() {
        const searching = criteria.text !== undefined
        const operation = searching ? "searchTickets" : "fetchTickets"
        const filters = yield* filterQuery(criteria, operation)
        if (filters === undefined) return { items: [], total: 0 }
        const paging = yield* pageQuery(request.cursor, Math.min(request.pageSize, options.maxPageSize), operation)
        const path = searching && endpoints.search !== null ? endpoints.search : endpoints.list
        const listField = searching && endpoints.search !== null ? responses.search : responses.list
        const spec: HttpTransport.Request = { method: "GET", path, query: { ...filters, ...paging.query }, operation }
        const response = yield* transport.send(spec)
        const body = yield* transport.decode(Schema.Unknown, response, spec)
        const rawItems = getPath(body, listField)
        if (!Array.isArray(rawItems)) {
          return yield* new InvalidResponseError({
            adapter: name,
            operation,
            detail: `expected a list of tickets at ${listField === "" ? "the top level" : JSON.stringify(listField)}`,
            ...(listField === "" ? {} : { path: listField })
          })
        }
        const items: Array<T.Ticket> = []
        for (let i = 0; i < rawItems.length; i++) {
          const ticket = decodeTicket(rawItems[i], operation, () => (listField === "" ? String(i) : `${listField}.${i}`))
          if (Either.isLeft(ticket)) return yield* Effect.fail(ticket.left)
          items.push(ticket.right)
        }
        const totalValue = responses.total === null ? undefined : getPath(body, responses.total)
        const total = typeof totalValue === "number" && Number.isFinite(totalValue) ? totalValue : undefined
        let next: string | undefined
        switch (pagination.style) {
          case "offset": {
            const end = paging.offset + rawItems.length
            const more = total !== undefined ? end < total : rawItems.length >= paging.size
            next = rawItems.length > 0 && more ? String(end) : undefined
            break
          }
          case "page": {
            const more = total !== undefined ? paging.offset * paging.size < total + (pagination.firstPage - 1) * paging.size : rawItems.length >= paging.size
            next = rawItems.length > 0 && more ? `${paging.offset + 1}:${paging.size}` : undefined
            break
          }
          case "cursor": {
            const value = responses.nextCursor === null ? undefined : getPath(body, responses.nextCursor)
            next = typeof value === "string" && value !== "" ? value : typeof value === "number" ? String(value) : undefined
            break
          }
          case "none":
            next = undefined
        }
        return { items, ...(total === undefined ? {} : { total }), ...(next === undefined ? {} : { next }) }
      })

    // ---- one ticket ------------------------------------------------------------

    const ticketFrom = (response: HttpTransport.Response, spec: HttpTransport.Request) =>
      transport.decode(Schema.Unknown, response, spec).pipe(
        Effect.flatMap((body) => decodeTicket(getPath(body, responses.ticket), spec.operation ?? "getTicket", responses.ticket))
      )

    const getTicket = (id: T.TicketId, operation = "getTicket") => {
      const spec: HttpTransport.Request = { method: "GET", path: endpoints.get, pathParams: { id }, operation, ticketId: id }
      return Effect.flatMap(transport.send(spec), (response) => ticketFrom(response, spec))
    }

    const remoteValue = <V extends string>(
      operation: string,
      what: string,
      record: Readonly<Record<string, V>>,
      value: V | T.Ref
    ): Effect.Effect<string, InvalidInputError> => {
      if (typeof value !== "string") return Effect.succeed(value.name ?? value.id ?? "")
      const remote = firstRemote(record, value)
      return remote === undefined
        ? fail(operation, `${name} has no ${what} mapped to ${JSON.stringify(value)}`)
        : Effect.succeed(remote)
    }

    const writeBody = (operation: string, change: T.TicketUpdate | T.TicketDraft) =>
      Effect.gen(function*() {
        const body: Record<string, unknown> = {}
        if (change.title !== undefined) setPath(body, fields.title, change.title)
        if (change.description !== undefined) setPath(body, fields.description, change.description)
        if (change.state !== undefined) setPath(body, fields.state, yield* remoteValue(operation, "status", options.states, change.state))
        if (change.priority !== undefined) {
          setPath(body, fields.priority, yield* remoteValue(operation, "priority", options.priorities, change.priority))
        }
        if (change.queue !== undefined) {
          if (change.queue.id !== undefined && fields.queueId !== null) setPath(body, fields.queueId, numericOrString(change.queue.id))
          else if (change.queue.name !== undefined && fields.queueName !== null) setPath(body, fields.queueName, change.queue.name)
          else return yield* fail(operation, `${name} addresses queues by ${fields.queueId !== null ? "id" : "name"}`)
        }
        if ("requester" in change && change.requester !== undefined && fields.requester !== null) {
          setPath(body, fields.requester, change.requester.email ?? change.requester.name ?? change.requester.id)
        }
        if (change.assignee !== undefined) {
          if (fields.assignee === null) return yield* fail(operation, `${name} has no assignee field`)
          setPath(body, fields.assignee, change.assignee === null ? null : change.assignee.name ?? change.assignee.email ?? change.assignee.id)
        }
        if (change.tags !== undefined) {
          if (fields.tags === null) return yield* fail(operation, `${name} has no tags`)
          setPath(body, fields.tags, change.tags)
        }
        if (change.customFields !== undefined) {
          if (fields.customFields === null) return yield* fail(operation, `${name} has no custom fields`)
          // custom field names are data, not paths: "a.b" is one field, "__proto__" an ordinary key
          const container: Record<string, unknown> = {}
          for (const [key, value] of Object.entries(change.customFields)) setOwn(container, key, value)
          setPath(body, fields.customFields, container)
        }
        return body
      })

    const createTicket = (draft: T.TicketDraft) =>
      Effect.gen(function*() {
        if (endpoints.create === null) return yield* fail("createTicket", `${name} cannot create tickets`)
        const body = yield* writeBody("createTicket", draft)
        if (getPath(body, fields.description) === undefined) setPath(body, fields.description, draft.description)
        const spec: HttpTransport.Request = {
          method: "POST",
          path: endpoints.create,
          body,
          operation: "createTicket",
          idempotencyKey: keyHeader(draft.idempotencyKey)
        }
        const response = yield* transport.send(spec)
        const created = yield* transport.decode(Schema.Unknown, response, spec)
        const ticket = decodeTicket(getPath(created, responses.ticket), "createTicket", responses.ticket)
        if (Either.isRight(ticket)) return ticket.right
        // some systems answer with the id only: read the ticket back
        const id = getPath(getPath(created, responses.ticket), fields.id)
        const createdId = typeof id === "string" || typeof id === "number" ? decodeTicketId(String(id)) : undefined
        if (createdId !== undefined && Either.isRight(createdId)) return yield* getTicket(createdId.right, "createTicket")
        return yield* Effect.fail(ticket.left)
      })

    const updateTicket = (id: T.TicketId, update: T.TicketUpdate) =>
      Effect.gen(function*() {
        const body = yield* writeBody("updateTicket", update)
        if (Object.keys(body).length === 0) return yield* getTicket(id, "updateTicket")
        const spec: HttpTransport.Request = {
          method: options.updateMethod,
          path: endpoints.update,
          pathParams: { id },
          body,
          operation: "updateTicket",
          ticketId: id
        }
        const response = yield* transport.send(spec)
        if (response.body.length === 0) return yield* getTicket(id, "updateTicket")
        return yield* ticketFrom(response, spec)
      })

    // ---- notes -----------------------------------------------------------------

    const addNote = (id: T.TicketId, note: NoteDraft) =>
      Effect.gen(function*() {
        const visibility = note.visibility === "internal" ? options.visibility.internal : options.visibility.public
        if (visibility === null) return yield* fail("addNote", `${name} has no public notes`)
        const body: Record<string, unknown> = {}
        setPath(body, noteFields.body, note.body)
        setPath(body, noteFields.visibility, visibility)
        if (noteFields.contentType !== null) setPath(body, noteFields.contentType, note.contentType)
        if (noteFields.timestamp !== null) setPath(body, noteFields.timestamp, DateTime.formatIso(yield* DateTime.now))
        yield* transport.send({
          method: "POST",
          path: endpoints.addNote,
          pathParams: { id },
          body,
          operation: "addNote",
          ticketId: id,
          idempotencyKey: keyHeader(note.idempotencyKey)
        })
      })

    const NoteItem = Schema.Struct({
      id: Schema.optional(Schema.NullOr(Code)),
      body: Schema.String,
      visibility: Schema.String,
      contentType: Schema.optional(Schema.NullOr(Schema.Literal("text/plain", "text/html"))),
      createdAt: Schema.optional(Schema.NullOr(Timestamp)),
      author: Schema.optional(Schema.NullOr(Schema.String))
    })
    const decodeNoteItem = Schema.decodeUnknownEither(NoteItem)

    const listNotes = (id: T.TicketId) =>
      Effect.gen(function*() {
        if (endpoints.listNotes === null) return yield* fail("listNotes", `${name} cannot list notes`)
        const spec: HttpTransport.Request = { method: "GET", path: endpoints.listNotes, pathParams: { id }, operation: "listNotes", ticketId: id }
        const body = yield* transport.json(Schema.Unknown, spec)
        const raw = getPath(body, responses.notes)
        if (!Array.isArray(raw)) {
          return yield* new InvalidResponseError({ adapter: name, operation: "listNotes", ticketId: id, detail: `expected a list of notes at ${JSON.stringify(responses.notes)}` })
        }
        const notes: Array<Note> = []
        for (let i = 0; i < raw.length; i++) {
          const item = raw[i]
          const pick = (path: string | null) => (path === null ? undefined : getPath(item, path))
          const decoded = decodeNoteItem({
            id: pick(noteFields.id),
            body: pick(noteFields.body),
            visibility: pick(noteFields.visibility),
            contentType: pick(noteFields.contentType),
            createdAt: pick(noteFields.createdAt),
            author: pick(noteFields.author)
          })
          if (Either.isLeft(decoded)) {
            return yield* new InvalidResponseError({
              adapter: name,
              operation: "listNotes",
              ticketId: id,
              path: `${responses.notes}.${i}`,
              detail: formatParseError(decoded.left)
            })
          }
          const n = decoded.right
          const visibility = n.visibility === options.visibility.internal ? "internal" : n.visibility === options.visibility.public ? "public" : undefined
          if (visibility === undefined) {
            return yield* new InvalidResponseError({
              adapter: name,
              operation: "listNotes",
              ticketId: id,
              path: `${responses.notes}.${i}.${noteFields.visibility}`,
              detail: `unknown note visibility ${JSON.stringify(n.visibility)}`
            })
          }
          notes.push(new Note({
            body: n.body,
            visibility,
            contentType: n.contentType ?? "text/plain",
            ...(n.id === undefined || n.id === null ? {} : { id: n.id }),
            ...(n.createdAt === undefined || n.createdAt === null ? {} : { createdAt: n.createdAt }),
            ...(n.author === undefined || n.author === null ? {} : { author: { name: n.author } })
          }, true))
        }
        return notes
      })

    return TicketSystemAdapter.make({
      name,
      kind: "rest",
      scrubber: transport.scrubber,
      capabilities: {
        createTickets: endpoints.create !== null,
        publicNotes: options.visibility.public !== null,
        internalNotes: true,
        htmlNotes: noteFields.contentType !== null,
        textSearch: params.text !== null,
        tags: fields.tags !== null,
        maxPageSize: options.maxPageSize,
        states: Array.from(new Set(Object.values(options.states))),
        idempotencyKeys: options.idempotencyKeyHeader !== null
      },
      fetchPage,
      getTicket: (id) => getTicket(id),
      createTicket,
      updateTicket,
      addNote,
      listNotes
    })
  })

/**
 * Checks a configuration, with a message naming every bad key.
 *
 * @since 0.1.0
 * @category configuration
 */
export const decodeOptions = (input: unknown): Either.Either<Options, string> =>
  Schema.decodeUnknownEither(Options, { onExcessProperty: "error" })(input).pipe(Either.mapLeft(formatParseError))

/**
 * An error in an adapter's configuration (re-exported from `AdapterError`).
 *
 * @since 0.1.0
 * @category errors
 */
export { ConfigurationError } from "../AdapterError.js"

/**
 * The REST adapter as a layer, from a configuration that is checked when the layer is built.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (
  input: OptionsInput,
  hooks: Hooks = {}
): Layer.Layer<TicketSystemAdapter.TicketSystemAdapter, ConfigurationError, HttpClient.HttpClient> =>
  Layer.effect(
    TicketSystemAdapter.TicketSystemAdapter,
    Effect.flatMap(
      Either.match(decodeOptions(input), {
        onLeft: (detail) => Effect.fail(new ConfigurationError({ adapter: "rest", detail })),
        onRight: Effect.succeed
      }),
      (options) => make(options, hooks)
    )
  )

/**
 * The REST adapter as a layer, its configuration read from effect's `Config` (e.g.
 * `Config.all({ baseUrl: Config.string("HELPDESK_URL"), auth: … })`).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig = (
  config: Config.Config<OptionsInput>,
  hooks: Hooks = {}
): Layer.Layer<TicketSystemAdapter.TicketSystemAdapter, ConfigError.ConfigError | ConfigurationError, HttpClient.HttpClient> =>
  Layer.unwrapEffect(Effect.map(config, (input) => layer(input, hooks)))

/**
 * The REST adapter as the registry knows it (`adapter: rest` in a configuration file). The adapter
 * is named after the configured system unless `name` is set.
 *
 * @since 0.1.0
 * @category registry
 */
export const definition = AdapterDefinition.make({
  name: "rest",
  description: "a custom REST ticket system, adapted by configuration (the reference guide's API by default)",
  options: Options,
  layer: (options, { system }) =>
    Layer.effect(TicketSystemAdapter.TicketSystemAdapter, make({ ...options, name: options.name === "rest" ? system : options.name }))
})
