/**
 * Request Tracker's JSON as REST2 really sends it, as Schemas (re-exported by
 * `RequestTrackerClient`): ids and priorities arrive as strings in lists but as numbers elsewhere
 * (both decode to the same type); unset dates arrive as `1970-01-01T00:00:00Z` (or `""`) and
 * decode as absent; `CustomFields` is `""` in lists when a ticket has none. Beside the schemas,
 * the `fields` each request asks for, so that list items carry what the schemas require.
 *
 * @internal
 */
import * as DateTime from "effect/DateTime"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import { parseIso } from "../../../internal/time.js"
import * as T from "../../../Ticket.js"

// -----------------------------------------------------------------------------
// values
// -----------------------------------------------------------------------------

/**
 * An id: a string in lists and references (`"12"`, or a user name such as `"root"`), a number in
 * a record's own `id`. Decodes to a string.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Id = Schema.Union(
  Schema.String.pipe(Schema.nonEmptyString()),
  Schema.transform(Schema.Int, Schema.String, { strict: true, decode: (n) => String(n), encode: (s) => Number(s) })
)

/**
 * A whole number that RT sends as a number or as a string of digits (`"Priority":"50"`).
 *
 * @since 0.1.0
 * @category schemas
 */
export const Int = Schema.Union(
  Schema.Int,
  Schema.transform(Schema.String.pipe(Schema.pattern(/^-?\d{1,15}$/)), Schema.Int, {
    strict: true,
    decode: (s) => Number(s),
    encode: (n) => String(n)
  })
)

/**
 * A date RT may leave unset: `1970-01-01T00:00:00Z` (RT's "not set") and `""` decode as
 * `undefined`, anything else must be an ISO 8601 date-time.
 *
 * @since 0.1.0
 * @category schemas
 */
export const OptionalDate = Schema.transformOrFail(Schema.String, Schema.UndefinedOr(Schema.DateTimeUtcFromSelf), {
  strict: true,
  decode: (s, _, ast) => {
    if (s === "" || /^1970-01-01[T ]00:00:00(\.0+)?Z?$/.test(s)) return ParseResult.succeed(undefined)
    const millis = parseIso(s)
    return millis !== undefined
      ? ParseResult.succeed(DateTime.unsafeMake(millis))
      : ParseResult.fail(new ParseResult.Type(ast, s, `expected an ISO 8601 date-time, got ${JSON.stringify(s.slice(0, 40))}`))
  },
  encode: (d) => ParseResult.succeed(d === undefined ? "1970-01-01T00:00:00Z" : DateTime.formatIso(d))
})

/**
 * A date that is always set (`Created`, `LastUpdated`).
 *
 * @since 0.1.0
 * @category schemas
 */
export const RequiredDate = T.DateTimeFromIso

/**
 * A reference to another record, as RT expands it: `{ id, type, _url }`, plus the sub-fields
 * asked for with `fields[Queue]=Name` and the like. A user's `id` is its name.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ObjectRef = Schema.Struct({
  id: Id,
  type: Schema.optional(Schema.String),
  _url: Schema.optional(Schema.String),
  Name: Schema.optional(Schema.String),
  EmailAddress: Schema.optional(Schema.String)
})

/**
 * @since 0.1.0
 * @category models
 */
export type ObjectRef = typeof ObjectRef.Type

/**
 * A reference RT may leave empty (`""`): decodes as `undefined`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const OptionalRef = Schema.Union(
  ObjectRef,
  Schema.transform(Schema.Literal(""), Schema.Undefined, { strict: true, decode: () => undefined, encode: () => "" as const })
)

/**
 * A custom field and its values on a record. Values of image and binary fields are objects.
 *
 * @since 0.1.0
 * @category schemas
 */
export const CustomField = Schema.Struct({
  id: Id,
  name: Schema.String,
  type: Schema.optional(Schema.String),
  values: Schema.Array(Schema.Union(
    Schema.String,
    Schema.Struct({ filename: Schema.String, content_type: Schema.optional(Schema.String), _url: Schema.optional(Schema.String) })
  ))
})

/**
 * @since 0.1.0
 * @category models
 */
export type CustomField = typeof CustomField.Type

/**
 * A record's custom fields: a list, or `""` (in lists, when there are none), which decodes as `[]`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const CustomFields = Schema.Union(
  Schema.Array(CustomField),
  Schema.transform(Schema.Literal(""), Schema.Array(CustomField), { strict: true, decode: () => [], encode: () => "" as const })
)

// -----------------------------------------------------------------------------
// tickets
// -----------------------------------------------------------------------------

/**
 * The ticket fields ticketkit reads, the same in a ticket record and in a list item fetched with
 * {@link ticketFields}.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Ticket = Schema.Struct({
  id: Id,
  Subject: Schema.String,
  Status: Schema.String,
  Priority: Int,
  Queue: ObjectRef,
  Owner: Schema.optional(OptionalRef),
  Requestor: Schema.optional(Schema.Array(ObjectRef)),
  Created: RequiredDate,
  LastUpdated: RequiredDate,
  Resolved: Schema.optional(OptionalDate),
  Started: Schema.optional(OptionalDate),
  Due: Schema.optional(OptionalDate),
  CustomFields: Schema.optional(CustomFields)
})

/**
 * @since 0.1.0
 * @category models
 */
export type Ticket = typeof Ticket.Type

/**
 * The `fields` parameter that makes list items carry the {@link Ticket} fields.
 *
 * @since 0.1.0
 * @category constants
 */
export const ticketFields: ReadonlyArray<string> = [
  "Subject", "Status", "Priority", "Queue", "Owner", "Requestor", "Created", "LastUpdated", "Resolved", "Started", "Due", "CustomFields"
]

// -----------------------------------------------------------------------------
// collections and answers
// -----------------------------------------------------------------------------

/**
 * A page of a collection (`/tickets`, `/transactions`, …). `total` is `null` when the user may not
 * see every match; `pages` may be a float (`0.0`).
 *
 * @since 0.1.0
 * @category schemas
 */
export const Collection = <A, I>(item: Schema.Schema<A, I, never>) =>
  Schema.Struct({
    total: Schema.optional(Schema.NullOr(Schema.Number)),
    count: Schema.Number,
    page: Schema.Number,
    per_page: Schema.Number,
    pages: Schema.optional(Schema.NullOr(Schema.Number)),
    next_page: Schema.optional(Schema.String),
    prev_page: Schema.optional(Schema.String),
    items: Schema.Array(item)
  })

/**
 * @since 0.1.0
 * @category models
 */
export interface Collection<A> {
  readonly total?: number | null | undefined
  readonly count: number
  readonly page: number
  readonly per_page: number
  readonly pages?: number | null | undefined
  readonly next_page?: string | undefined
  readonly prev_page?: string | undefined
  readonly items: ReadonlyArray<A>
}

/**
 * The answer to a create: the new record's id (a string).
 *
 * @since 0.1.0
 * @category schemas
 */
export const Created = Schema.Struct({ id: Id, type: Schema.optional(Schema.String), _url: Schema.optional(Schema.String) })

/**
 * The answer to an update, comment or correspond: RT's messages. Errors can be among them with a
 * 200 status (RT reports every field it could not set this way).
 *
 * @since 0.1.0
 * @category schemas
 */
export const Messages = Schema.Array(Schema.String)

// -----------------------------------------------------------------------------
// history: transactions and attachments
// -----------------------------------------------------------------------------

/**
 * A transaction (one entry of a ticket's history).
 *
 * @since 0.1.0
 * @category schemas
 */
export const Transaction = Schema.Struct({
  id: Id,
  Type: Schema.String,
  /** the field a `Set`, `Status` or `CustomField` transaction changed (asked for with `fields`) */
  Field: Schema.optional(Schema.String),
  Created: Schema.optional(RequiredDate),
  Creator: Schema.optional(OptionalRef),
  ObjectId: Schema.optional(Id),
  ObjectType: Schema.optional(Schema.String)
})

/**
 * @since 0.1.0
 * @category models
 */
export type Transaction = typeof Transaction.Type

/**
 * The transaction fields ticketkit asks for.
 *
 * @since 0.1.0
 * @category constants
 */
export const transactionFields: ReadonlyArray<string> = ["Type", "Created", "Creator", "ObjectId", "ObjectType"]

/**
 * An attachment (a MIME part of a transaction's message). In collections `Content` is the decoded
 * text (unlike `GET /attachment/:id`, which sends base64).
 *
 * @since 0.1.0
 * @category schemas
 */
export const Attachment = Schema.Struct({
  id: Id,
  TransactionId: Id,
  ContentType: Schema.String,
  Content: Schema.optionalWith(Schema.String, { default: () => "" }),
  Filename: Schema.optionalWith(Schema.String, { default: () => "" })
})

/**
 * @since 0.1.0
 * @category models
 */
export type Attachment = typeof Attachment.Type

/**
 * The attachment fields ticketkit asks for. (Not `Parent`: RT 5.0 answers 500 when asked for the
 * parent of a top-level part.)
 *
 * @since 0.1.0
 * @category constants
 */
export const attachmentFields: ReadonlyArray<string> = ["TransactionId", "ContentType", "Content", "Filename"]

// -----------------------------------------------------------------------------
// queues and users
// -----------------------------------------------------------------------------

/**
 * A queue.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Queue = Schema.Struct({
  id: Id,
  Name: Schema.String,
  Description: Schema.optional(Schema.String),
  Lifecycle: Schema.optional(Schema.String),
  Disabled: Schema.optional(Schema.Union(Schema.String, Schema.Number))
})

/**
 * @since 0.1.0
 * @category models
 */
export type Queue = typeof Queue.Type

/**
 * A user. In collections `id` is the user's name; in a record it is the number.
 *
 * @since 0.1.0
 * @category schemas
 */
export const User = Schema.Struct({
  id: Id,
  Name: Schema.String,
  EmailAddress: Schema.optional(Schema.String),
  RealName: Schema.optional(Schema.String)
})

/**
 * @since 0.1.0
 * @category models
 */
export type User = typeof User.Type
