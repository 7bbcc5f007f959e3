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
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import { fromParseError, InvalidResponseError } from "../../AdapterError.js"
import { getOwn, setOwn } from "../../internal/record.js"
import { unchecked } from "../../internal/ticket.js"
import { epochMillis, implausible, parseIso } from "../../internal/time.js"
import * as T from "../../Ticket.js"
import * as Codecs from "./codecs.js"
import type { Options } from "./RestOptions.js"
import type { Side, Spec } from "./spec.js"
import { spec } from "./spec.js"

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

type Kind = "id" | "text" | "code" | "time" | "list" | "custom"

/** the fields of a ticket: what each holds, and whether a ticket must have it */
const layout: ReadonlyArray<readonly [keyof Decoded, Kind, boolean]> = [
  ["id", "id", true],
  ["title", "text", true],
  ["description", "text", false],
  ["state", "code", true],
  ["priority", "code", true],
  ["createdAt", "time", true],
  ["updatedAt", "time", true],
  ["queueId", "code", false],
  ["queueName", "text", false],
  ["requester", "text", false],
  ["assignee", "text", false],
  ["tags", "list", false],
  ["customFields", "custom", false]
]

/** the read side of every configured field of the layout */
const readSides = (spec: Spec): ReadonlyArray<{ readonly name: keyof Decoded; readonly kind: Kind; readonly required: boolean; readonly side: Side }> =>
  layout.flatMap(([name, kind, required]) => {
    const field = spec.fields[name]
    const side = field?.read
    // a field with a default may be absent or null: the default is put in after decoding
    return side === undefined ? [] : [{ name, kind, required: required && field?.default === undefined, side }]
  })

/** a configured codec's decoding, as plain function */
const codecDecode = (kind: Kind, codec: Codecs.Resolved): (value: unknown) => unknown => {
  switch (kind) {
    case "id":
    case "code":
      return (v) => Codecs.readScalar(codec, v)
    case "text":
      return (v) => Codecs.readText(codec, v)
    case "time":
      return (v) => {
        const millis = Codecs.readTime(codec, v)
        return millis instanceof Codecs.Failure ? millis : DateTime.unsafeMake(millis)
      }
    case "list":
      return (v) => Codecs.readList(codec, v)
    case "custom":
      return (v) => v
  }
}

/** a configured codec as a schema (its failure's detail as the message) */
const codecSchema = (kind: Kind, codec: Codecs.Resolved, nullable: boolean): Schema.Schema<unknown, unknown, never> => {
  const decode = codecDecode(kind, codec)
  return Schema.transformOrFail(Schema.Unknown, Schema.Unknown, {
    strict: true,
    decode: (value, _, ast) => {
      if (nullable && value === null) return ParseResult.succeed(null)
      const result = decode(value)
      return result instanceof Codecs.Failure ? ParseResult.fail(new ParseResult.Type(ast, value, result.detail)) : ParseResult.succeed(result)
    },
    encode: ParseResult.succeed
  })
}

/** the usual schema of a kind of field (the reference the compiled path is checked against) */
const usualSchema = (kind: Kind): Schema.Schema.Any => {
  switch (kind) {
    case "id":
      return Id
    case "text":
      return Schema.String
    case "code":
      return Code
    case "time":
      return Timestamp
    case "list":
      return Schema.Array(Schema.String)
    case "custom":
      return T.CustomFields
  }
}

/** the schema path: every configured field through its schema (the reference; errors name the field) */
const schemaPath = (spec: Spec): (raw: object) => Either.Either<Decoded, ParseResult.ParseError> => {
  const sides = readSides(spec)
  const itemFields: Record<string, Schema.Schema.Any | Schema.PropertySignature.Any> = {}
  for (const { kind, required, side } of sides) {
    const schema = side.codec._tag === "usual" || kind === "custom" ? usualSchema(kind) : codecSchema(kind, side.codec, !required)
    itemFields[side.path] = required ? schema : optionalNull(schema)
  }
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
    return Either.map(decodeItem(flat), (v) => {
      const decoded: Record<string, unknown> = {}
      for (const { name, side } of sides) decoded[name] = v[side.path]
      return decoded as unknown as Decoded
    })
  }
}

const absent = (): unknown => undefined

/** the fast check of a field: its value, or `slow` for anything but the plain valid case */
const fastCheck = (kind: Kind, codec: Codecs.Resolved, required: boolean): (value: unknown) => unknown => {
  let check: (value: unknown) => unknown
  if (codec._tag !== "usual" && kind !== "custom") {
    const decode = codecDecode(kind, codec)
    check = (v) => {
      const result = decode(v)
      return result instanceof Codecs.Failure ? slow : result
    }
  } else {
    switch (kind) {
      case "id":
        check = (v) => (typeof v === "string" ? (v === "" ? slow : v) : typeof v === "number" ? String(v) : slow)
        break
      case "text":
        check = (v) => (typeof v === "string" ? v : slow)
        break
      case "code":
        check = fastCode
        break
      case "time":
        check = fastTimestamp
        break
      case "list":
        check = fastStrings
        break
      case "custom":
        check = fastCustomFields
        break
    }
  }
  return required ? check : (v) => (v === undefined || v === null ? v : check(v))
}

/**
 * The compiled path: straight-line checks, one reader per field; `slow` for anything but the plain
 * valid case. `undefined` when two fields share a path (a Struct then keeps the last schema of that
 * path, and the schemas decide).
 */
const compiledPath = (spec: Spec): ((raw: object) => Decoded | Slow) | undefined => {
  const sides = readSides(spec)
  if (new Set(sides.map((s) => s.side.path)).size !== sides.length) return undefined
  const steps = layout.map(([name, kind, required]) => {
    const field = spec.fields[name]
    const side = field?.read
    return {
      name,
      read: side === undefined ? absent : compilePath(side.path),
      check: side === undefined ? absent : fastCheck(kind, side.codec, required && field?.default === undefined)
    }
  })
  return (raw) => {
    const out: Record<string, unknown> = {}
    for (const step of steps) {
      const value = step.check(step.read(raw))
      if (value === slow) return slow
      out[step.name] = value
    }
    return out as unknown as Decoded
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
  spec: Spec,
  maps: { readonly state: (v: string) => T.StateType | undefined; readonly priority: (v: string) => T.PriorityLevel | undefined; readonly value: (v: string) => number | undefined },
  d: Decoded,
  raw: object
): T.Ticket | { readonly detail: string; readonly path: string } => {
  const { fields } = spec
  const { name } = spec.options
  const pathOf = (field: keyof Spec["fields"]) => fields[field]?.read?.path ?? ""
  const type = maps.state(d.state)
  if (type === undefined) return { detail: `unknown status ${JSON.stringify(d.state)}: add it to the states map of ${name}`, path: pathOf("state") }
  const level = maps.priority(d.priority)
  if (level === undefined) {
    return { detail: `unknown priority ${JSON.stringify(d.priority)}: add it to the priorities map of ${name}`, path: pathOf("priority") }
  }
  const now = Date.now()
  for (const field of ["createdAt", "updatedAt"] as const) {
    const problem = implausible(d[field].epochMillis, now)
    if (problem !== undefined) return { detail: `implausible date: ${problem}`, path: pathOf(field) }
  }
  const queueId = d.queueId ?? undefined
  const queueName = d.queueName ?? undefined
  if (queueId === undefined && queueName === undefined) {
    return { detail: "the ticket has no queue", path: fields.queueId?.read?.path ?? fields.queueName?.read?.path ?? "" }
  }
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
  const compiled = spec(options)
  const bySchema = schemaPath(compiled)
  const fast = decoding.compiled === false ? undefined : compiledPath(compiled)
  const maps = { state: lookups(options.states), priority: lookups(options.priorities), value: numbers() }
  const defaults = layout.flatMap(([name]) => {
    const value = compiled.fields[name]?.default
    return value === undefined ? [] : [[name, value] as const]
  })
  const idSide = compiled.fields.id?.read
  const readId = idSide === undefined ? absent : compilePath(idSide.path)
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
    if (defaults.length > 0) {
      const filled: Record<string, unknown> = { ...d }
      for (const [name, value] of defaults) if (filled[name] === undefined || filled[name] === null) filled[name] = value
      d = filled as unknown as Decoded
    }
    const ticket = toTicket(compiled, maps, d, raw)
    return ticket instanceof T.Ticket ? Either.right(ticket) : invalid(ticket.detail, ticket.path)
  }
}
