/**
 * The building blocks of the REST adapter's field mappings, as Schemas: endpoint paths, field
 * paths, codecs (how a value is read and written) and a field's read and write sides.
 *
 * @internal
 */
import * as Schema from "effect/Schema"
import { unsafeKeys } from "../../internal/record.js"

// -----------------------------------------------------------------------------
// building blocks
// -----------------------------------------------------------------------------

export const Path = Schema.String.pipe(Schema.startsWith("/", { message: () => "a path must start with /" })).annotations({
  description: "a path from the base URL (or from the host, when it repeats the base URL's path); {id} stands for the ticket id",
  examples: ["/api/tickets"]
})
export const TicketPath = Path.pipe(Schema.includes("{id}", { message: () => "a ticket path must contain {id}" })).annotations({
  description: "a path with {id} for the ticket id",
  examples: ["/api/tickets/{id}"]
})

/**
 * A dot path into the system's JSON (`team.id`); never `__proto__`, `constructor` or `prototype`.
 *
 * @since 0.1.0
 * @category configuration
 */
export const FieldPath = Schema.String.pipe(
  Schema.nonEmptyString({ message: () => "a field name must not be empty" }),
  Schema.filter((path) => {
    const bad = path.split(".").find((segment) => segment === "" || unsafeKeys.has(segment))
    return bad === undefined ||
      (bad === "" ? `the field path ${JSON.stringify(path)} has an empty segment` : `a field path may not contain ${JSON.stringify(bad)}`)
  }, { jsonSchema: {} })
).annotations({ description: "a dot path into the system's JSON", examples: ["subject", "team.id"] })

// -----------------------------------------------------------------------------
// codecs
// -----------------------------------------------------------------------------

const SimpleCodec = Schema.Literal("string", "number", "boolean", "iso", "epochSeconds", "epochMillis", "split", "list", "html", "text")
  .annotations({
    description: "a codec without parameters, by name: string, number, boolean (scalar values); iso, epochSeconds, epochMillis " +
      "(timestamps); split (a comma-separated list), list (a JSON array of strings); html, text (content)"
  })

/**
 * How a field's value is written in the system's JSON, for one side (read or write) or both:
 *
 * - scalars: `string`, `number`, `boolean` — the JSON type of a status, priority, id or team value
 *   (read strictly: a string where a number is declared is an error; written as that type)
 * - timestamps: `iso` (ISO 8601 with a zone), `epochSeconds`, `epochMillis`, or
 *   `{ _tag: format, pattern: "yyyy-MM-dd HH:mm:ss", timeZone: "Europe/Berlin" }`
 * - lists (tags): `list` (a JSON array of strings, or `{ _tag: list, item: name }` for objects
 *   with the string at `item`), or `{ _tag: split, separator: "," }` (one delimited string)
 * - content: `html` (read: HTML to plain text, entities decoded; written: plain text escaped) or
 *   `text`
 *
 * A name alone (`codec: epochSeconds`) is the codec without parameters.
 *
 * @since 0.1.0
 * @category configuration
 */
export const Codec = Schema.Union(
  SimpleCodec,
  Schema.TaggedStruct("string", {}),
  Schema.TaggedStruct("number", {}),
  Schema.TaggedStruct("boolean", {}),
  Schema.TaggedStruct("iso", {}),
  Schema.TaggedStruct("epochSeconds", {}),
  Schema.TaggedStruct("epochMillis", {}),
  Schema.TaggedStruct("format", {
    pattern: Schema.String.annotations({ description: "tokens yyyy MM dd HH mm ss SSS; any other character is literal", examples: ["yyyy-MM-dd HH:mm:ss"] }),
    timeZone: Schema.optional(Schema.String.annotations({ description: "UTC (default), an offset (+02:00) or an IANA name", examples: ["Europe/Berlin"] }))
  }).annotations({ description: "a timestamp in a declared format and time zone" }),
  Schema.TaggedStruct("split", {
    separator: Schema.optional(Schema.String.pipe(Schema.nonEmptyString()).annotations({ description: "default \",\"" }))
  }).annotations({ description: "a list in one delimited string (items trimmed, empty ones dropped)" }),
  Schema.TaggedStruct("list", {
    item: Schema.optional(FieldPath.annotations({ description: "the path of the string in each object of the array (e.g. name for [{name}])" }))
  }).annotations({ description: "a JSON array of strings, or of objects holding the string at item" }),
  Schema.TaggedStruct("html", {}),
  Schema.TaggedStruct("text", {})
).annotations({
  identifier: "RestCodec",
  description: "how the value is written in the system's JSON (default: the field's usual form)",
  examples: ["epochSeconds", { _tag: "split", separator: "," }]
})

/**
 * @since 0.1.0
 * @category configuration
 */
export type Codec = typeof Codec.Type

const FieldSide = Schema.Struct({
  path: FieldPath,
  codec: Schema.optional(Codec)
}).annotations({ identifier: "RestFieldSide", description: "a path and, optionally, its codec" })

const FieldObject = Schema.Struct({
  path: Schema.optional(FieldPath.annotations({ description: "the path for reading and writing (unless read or write say otherwise)" })),
  read: Schema.optional(
    Schema.NullOr(Schema.Union(FieldPath, FieldSide)).annotations({ description: "where the value is read (default: path); null: never read" })
  ),
  write: Schema.optional(
    Schema.NullOr(Schema.Union(FieldPath, FieldSide)).annotations({ description: "where the value is written (default: path); null: never written" })
  ),
  /** the codec of both sides (a side's own codec wins) */
  codec: Schema.optional(Codec),
  create: Schema.optional(
    Schema.NullOr(Schema.Union(FieldPath, FieldSide)).annotations({
      description: "where the value is written when a ticket is created (default: write); null: not written on creation"
    })
  ),
  default: Schema.optional(
    Schema.String.annotations({
      description: "the value read when the system sends none (absent or null), as the adapter keeps it: a key of states or priorities, " +
        "an id or a name; with read: null, every ticket has it",
      examples: ["normal"]
    })
  )
}).pipe(
  Schema.filter((f) =>
    f.path !== undefined || f.read !== undefined || f.write !== undefined || f.default !== undefined || "give path, or read and write", { jsonSchema: {} })
).annotations({
  identifier: "RestFieldObject",
  description: "a field with separate read and write sides (a side's own codec wins over codec)",
  examples: [{ read: "team.id", write: "team_id", codec: "number" }]
})

/**
 * Where a field is: a dot path (read and written there, in the field's usual form), or
 * `{ path | read | write, codec }` for separate sides and typed codecs; `create` for where a new
 * ticket takes it (Zendesk's description is the first comment), `default` for the value read when
 * the system sends none (with `read: null`: every ticket has it, and only that value can be
 * written — GitHub's one queue).
 *
 * @since 0.1.0
 * @category configuration
 */
export const Field = Schema.Union(FieldPath, FieldObject).annotations({
  description: "a dot path, or { path, read, write, codec }",
  examples: ["subject", { path: "created_at", codec: "epochSeconds" }, { read: "team.id", write: "team_id", codec: "number" }]
})

/**
 * @since 0.1.0
 * @category configuration
 */
export type Field = typeof Field.Type

export const OptionalField = (what: string) => Schema.NullOr(Field).annotations({ description: `${what}; null: the system has none` })
