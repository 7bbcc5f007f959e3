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

