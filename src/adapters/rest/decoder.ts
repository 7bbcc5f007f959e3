/**
 * The decoder of REST tickets: the schema path (the reference, whose errors name the field) and a
 * compiled fast path for valid tickets (plain type checks, no schema machinery), which must give
 * the same tickets — `test/adapters/RestDecoder.test.ts` checks that property over arbitrary
 * answers, and `bench/check.ts` measures it.
 *
 * @internal
 */
import * as DateTime from "effect/DateTime"
import * as Either from "effect/Either"
import type * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import { fromParseError, InvalidResponseError } from "../../AdapterError.js"
import { getOwn, setOwn } from "../../internal/record.js"
import { unchecked } from "../../internal/ticket.js"
import { epochMillis, parseIso } from "../../internal/time.js"
import * as T from "../../Ticket.js"
import type { Options } from "./RestOptions.js"

const Id = Schema.Union(
  Schema.String.pipe(Schema.nonEmptyString()),
  Schema.transform(Schema.Number, Schema.String, { strict: true, decode: (n) => String(n), encode: Number })
)
export const Code = Schema.Union(Schema.String, Schema.transform(Schema.Number, Schema.String, { strict: true, decode: String, encode: Number }))
export const Timestamp = Schema.Union(T.DateTimeFromIso, T.DateTimeFromEpochMillis)
const optionalNull = <S extends Schema.Schema.Any>(s: S) => Schema.optional(Schema.NullOr(s))



/** a dot path compiled once into a reader */
const compilePath = (path: string): (value: unknown) => unknown => {
  if (path === "") return (value) => value
  const keys = path.split(".")
  // a key no object inherits (not `toString`, `constructor`…) is read as a plain property: only
  // an own property can have it; the others are read as own properties only
  const readers = keys.map((key) =>
    key in Object.prototype
      ? (value: object) => getOwn(value, key)
      : (value: object) => (value as Record<string, unknown>)[key]
  )
  if (readers.length === 1) {
    const read = readers[0]!
    return (value) => (typeof value === "object" && value !== null ? read(value) : undefined)
  }
  return (value) => {
    let current = value
    for (const read of readers) {
      if (typeof current !== "object" || current === null) return undefined
      current = read(current)
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

/** the schema path: every configured field through its schema (the reference; errors name the field) */
const schemaPath = (options: Options): (raw: object) => Either.Either<Decoded, ParseResult.ParseError> => {
  const { fields } = options
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
  const readers = Object.keys(itemFields).map((path) => [path, compilePath(path)] as const)
  return (raw) => {
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
}

const absent = (): unknown => undefined

/**
 * The compiled path: straight-line checks, one reader per field; `slow` for anything but the plain
 * valid case. `undefined` when two fields share a path (a Struct then keeps the last schema of that
 * path, and the schemas decide).
 */
const compiledPath = (options: Options): ((raw: object) => Decoded | Slow) | undefined => {
  const { fields } = options
  const configured = [
    fields.id, fields.title, fields.description, fields.state, fields.priority, fields.createdAt, fields.updatedAt,
    fields.queueId, fields.queueName, fields.requester, fields.assignee, fields.tags, fields.customFields
  ].filter((path) => path !== null)
  if (new Set(configured).size !== configured.length) return undefined
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
  const optionalString = (v: unknown) => v === undefined || v === null || typeof v === "string"
  return (raw) => {
    const idValue = readId(raw)
    const id = typeof idValue === "string" ? (idValue === "" ? slow : idValue) : typeof idValue === "number" ? String(idValue) : slow
    if (id === slow) return slow
    const title = readTitle(raw)
    if (typeof title !== "string") return slow
    const description = readDescription(raw)
    if (!optionalString(description)) return slow
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
    const requester = readRequester(raw)
    const assignee = readAssignee(raw)
    if (!optionalString(queueName) || !optionalString(requester) || !optionalString(assignee)) return slow
    const tagsValue = readTags(raw)
    const tags = tagsValue === undefined || tagsValue === null ? tagsValue : fastStrings(tagsValue)
    if (tags === slow) return slow
    const customValue = readCustomFields(raw)
    const customFields = customValue === undefined || customValue === null ? customValue : fastCustomFields(customValue)
    if (customFields === slow) return slow
    return {
      id, title, description: description as string | null | undefined, state, priority, createdAt, updatedAt, queueId,
      queueName: queueName as string | null | undefined, requester: requester as string | null | undefined,
      assignee: assignee as string | null | undefined, tags, customFields
    }
  }
}

/** a lookup of a system's value in a map (case-insensitive), remembered: a system has few values */
const lookups = <V>(record: Readonly<Record<string, V>>) => {
  const map = new Map(Object.entries(record).map(([k, v]) => [k.toLowerCase(), v] as const))
  const seen = new Map<string, V>()
  return (value: string): V | undefined => {
    const known = seen.get(value)
    if (known !== undefined) return known
    const found = map.get(value.toLowerCase())
    if (found !== undefined && seen.size < 1024) seen.set(value, found)
    return found
  }
}

/** the number a priority name stands for (`"50"` → 50), remembered */
const numbers = () => {
  const numeric = new Map<string, number | undefined>()
  return (name: string): number | undefined => {
    if (numeric.has(name)) return numeric.get(name)
    const value = /^\d+(\.\d+)?$/.test(name) ? Number(name) : undefined
    if (numeric.size < 1024) numeric.set(name, value)
    return value
  }
}

const userRef = (value: string | null | undefined): T.UserRef | undefined =>
  value === undefined || value === null || value === "" ? undefined : value.includes("@") ? { email: value } : { name: value }

/** a decoded ticket checked against the maps and made a `Ticket`, or why it cannot be one */
const toTicket = (
  options: Options,
  maps: { readonly state: (v: string) => T.StateType | undefined; readonly priority: (v: string) => T.PriorityLevel | undefined; readonly value: (v: string) => number | undefined },
  d: Decoded,
  raw: object
): T.Ticket | { readonly detail: string; readonly path: string } => {
  const { fields, name } = options
  const type = maps.state(d.state)
  if (type === undefined) return { detail: `unknown status ${JSON.stringify(d.state)}: add it to the states map of ${name}`, path: fields.state }
  const level = maps.priority(d.priority)
  if (level === undefined) {
    return { detail: `unknown priority ${JSON.stringify(d.priority)}: add it to the priorities map of ${name}`, path: fields.priority }
  }
  const queueId = d.queueId ?? undefined
  const queueName = d.queueName ?? undefined
  if (queueId === undefined && queueName === undefined) return { detail: "the ticket has no queue", path: fields.queueId ?? fields.queueName ?? "" }
  const value = maps.value(d.priority)
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
  // validated above, field by field: the constructor need not check again
  return unchecked(props as ConstructorParameters<typeof T.Ticket>[0])
}

/**
 * The decoder of one ticket of a REST system (as configured by `options`) into a `Ticket`, as the
 * adapter uses it for every ticket it reads; `where` is the ticket's place in the answer (e.g.
 * `tickets.3`, for the error's path), computed only on failure when given as a function.
 *
 * Valid tickets take a compiled path (plain type checks, no schema machinery); anything else is
 * decoded by the field schemas, whose error names the field. Both give the same tickets; with
 * `{ compiled: false }` every ticket goes through the schemas (the reference the compiled path is
 * checked against, in `test/adapters/RestDecoder.test.ts` and `bench/check.ts`).
 *
 * @since 0.1.0
 * @category decoding
 */
export const ticketDecoder = (options: Options, decoding: { readonly compiled?: boolean } = {}): (
  raw: unknown,
  operation: string,
  where: string | (() => string)
) => Either.Either<T.Ticket, InvalidResponseError> => {
  const bySchema = schemaPath(options)
  const fast = decoding.compiled === false ? undefined : compiledPath(options)
  const maps = { state: lookups(options.states), priority: lookups(options.priorities), value: numbers() }
  const readId = compilePath(options.fields.id)
  return (raw, operation, where) => {
    const invalid = (detail: string, path: string) => {
      const rawId = readId(raw)
      const ticketId = typeof rawId === "string" || typeof rawId === "number" ? String(rawId) : undefined
      return Either.left(new InvalidResponseError({
        adapter: options.name,
        operation,
        detail,
        path: [typeof where === "string" ? where : where(), path].filter((s) => s !== "").join("."),
        ...(ticketId === undefined ? {} : { ticketId })
      }))
    }
    if (typeof raw !== "object" || raw === null) return invalid("expected a ticket object", "")
    let d = fast === undefined ? slow : fast(raw)
    if (d === slow) {
      const decoded = bySchema(raw)
      if (Either.isLeft(decoded)) {
        const error = fromParseError(decoded.left, { adapter: options.name, operation })
        return invalid(error.detail, error.path ?? "")
      }
      d = decoded.right
    }
    const ticket = toTicket(options, maps, d, raw)
    return ticket instanceof T.Ticket ? Either.right(ticket) : invalid(ticket.detail, ticket.path)
  }
}
