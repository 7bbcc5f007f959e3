/**
 * The normal form of a ticket, shared by every adapter.
 *
 * Systems disagree about states, priorities and queues, so each normalised value keeps the
 * system's own value beside it: `state.type` is one of five categories every system can be
 * mapped onto, `state.name` / `state.id` is what the system itself calls it. The whole original
 * payload is kept in `raw` for anything the normal form cannot hold.
 *
 * @since 0.1.0
 */
import * as DateTime from "effect/DateTime"
import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import { getOwn } from "./internal/record.js"
import { isWellFormed } from "./internal/text.js"
import { epochMillis, parseIso } from "./internal/time.js"

/**
 * A ticket identifier as the system spells it (numbers are carried as strings).
 *
 * @since 0.1.0
 * @category schemas
 */
export const TicketId = Schema.String.pipe(
  Schema.nonEmptyString({ message: () => "a ticket id must be a non-empty string" }),
  Schema.maxLength(256, { message: () => "a ticket id must be at most 256 characters" }),
  Schema.filter((id) => isWellFormed(id), { message: () => "a ticket id must be well-formed Unicode (it has a lone surrogate)" }),
  Schema.brand("TicketId")
)

/**
 * @since 0.1.0
 * @category models
 */
export type TicketId = typeof TicketId.Type

/**
 * Builds a `TicketId` from a string or number, throwing on an empty value. Use
 * `Schema.decodeUnknown(TicketId)` for untrusted input.
 *
 * @since 0.1.0
 * @category constructors
 */
export const ticketId = (value: string | number): TicketId => TicketId.make(String(value))

/**
 * The five state categories every system is mapped onto.
 *
 * - `new`: nobody has looked at it yet
 * - `open`: being worked on
 * - `pending`: waiting for someone else (RT "stalled", Redmine "Feedback")
 * - `resolved`: done, may still be reopened
 * - `closed`: finished (closed, rejected, deleted)
 *
 * @since 0.1.0
 * @category schemas
 */
export const StateType = Schema.Literal("new", "open", "pending", "resolved", "closed")

/**
 * @since 0.1.0
 * @category models
 */
export type StateType = typeof StateType.Type

/**
 * The four priority levels every system is mapped onto.
 *
 * @since 0.1.0
 * @category schemas
 */
export const PriorityLevel = Schema.Literal("low", "normal", "high", "urgent")

/**
 * @since 0.1.0
 * @category models
 */
export type PriorityLevel = typeof PriorityLevel.Type

/**
 * A reference to something a system names: a queue, project, user, status. Systems address such
 * things by id, by name or by both, so at least one of the two must be present.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Ref = Schema.Struct({
  id: Schema.optional(Schema.String),
  name: Schema.optional(Schema.String)
}).pipe(
  Schema.filter((ref) => ref.id !== undefined || ref.name !== undefined, {
    message: () => "a reference needs an id or a name"
  })
)

/**
 * @since 0.1.0
 * @category models
 */
export type Ref = typeof Ref.Type

/**
 * A reference to a person (requester, assignee, note author).
 *
 * @since 0.1.0
 * @category schemas
 */
export const UserRef = Schema.Struct({
  id: Schema.optional(Schema.String),
  name: Schema.optional(Schema.String),
  email: Schema.optional(Schema.String)
}).pipe(
  Schema.filter((ref) => ref.id !== undefined || ref.name !== undefined || ref.email !== undefined, {
    message: () => "a user reference needs an id, a name or an email"
  })
)

/**
 * @since 0.1.0
 * @category models
 */
export type UserRef = typeof UserRef.Type

/**
 * Does `candidate` designate the same thing as `wanted`? Ids compare exactly; names compare
 * case-insensitively. A reference with an id is matched by id only.
 *
 * @since 0.1.0
 * @category utils
 */
export const refMatches = (wanted: Ref, candidate: Ref | undefined): boolean => {
  if (candidate === undefined) return false
  if (wanted.id !== undefined) return candidate.id === wanted.id
  return wanted.name !== undefined && candidate.name !== undefined &&
    wanted.name.toLowerCase() === candidate.name.toLowerCase()
}

/**
 * A human readable form of a reference (`name (#id)`, `name` or `#id`).
 *
 * @since 0.1.0
 * @category utils
 */
export const formatRef = (ref: Ref | UserRef | undefined): string => {
  if (ref === undefined) return "-"
  const name = ref.name ?? ("email" in ref ? ref.email : undefined)
  if (name !== undefined && ref.id !== undefined && ref.id !== name) return `${name} (#${ref.id})`
  return name ?? `#${ref.id}`
}

/**
 * A ticket's state: the normal category and the system's own status.
 *
 * @since 0.1.0
 * @category schemas
 */
export const State = Schema.Struct({
  /** the normalised category */
  type: StateType,
  /** the system's own name for the status, e.g. "In Progress" or "stalled" */
  name: Schema.String,
  /** the system's own id for the status, where it has one */
  id: Schema.optional(Schema.String)
})

/**
 * @since 0.1.0
 * @category models
 */
export type State = typeof State.Type

/**
 * A ticket's priority: the normal level and the system's own value.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Priority = Schema.Struct({
  /** the normalised level */
  level: PriorityLevel,
  /** the system's own name, e.g. "Immediate" (Redmine) or "50" (Request Tracker) */
  name: Schema.String,
  /** the system's own id, where it has one (Redmine enumeration id) */
  id: Schema.optional(Schema.String),
  /** the system's own number, where priorities are numbers (Request Tracker 0–100) */
  value: Schema.optional(Schema.Number)
})

/**
 * @since 0.1.0
 * @category models
 */
export type Priority = typeof Priority.Type

/**
 * The value of a custom field.
 *
 * @since 0.1.0
 * @category schemas
 */
export const CustomFieldValue = Schema.Union(
  Schema.String,
  Schema.Number,
  Schema.Boolean,
  Schema.Null,
  Schema.Array(Schema.String)
)

/**
 * @since 0.1.0
 * @category models
 */
export type CustomFieldValue = typeof CustomFieldValue.Type

const decodeCustomFieldValue = ParseResult.decodeUnknownEither(CustomFieldValue)

/**
 * Custom fields by name. A name is data: `__proto__` or `a.b` is a field like any other, kept as an
 * own property (a plain `Schema.Record` would let a `__proto__` key replace the object's
 * prototype).
 *
 * @since 0.1.0
 * @category schemas
 */
export const CustomFields: Schema.Schema<Readonly<Record<string, CustomFieldValue>>> = Schema.declare<
  Readonly<Record<string, CustomFieldValue>>,
  Readonly<Record<string, CustomFieldValue>>,
  readonly []
>(
  [],
  {
    decode: () => (input, _, ast) => {
      if (typeof input !== "object" || input === null || Array.isArray(input)) {
        return ParseResult.fail(new ParseResult.Type(ast, input, "expected an object of custom field values by name"))
      }
      for (const key of Object.keys(input)) {
        const value = decodeCustomFieldValue(getOwn(input, key))
        if (Either.isLeft(value)) return ParseResult.fail(new ParseResult.Pointer(key, input, value.left))
      }
      return ParseResult.succeed(input as Readonly<Record<string, CustomFieldValue>>)
    },
    encode: () => (input) => ParseResult.succeed(input as Readonly<Record<string, CustomFieldValue>>)
  },
  {
    identifier: "CustomFields",
    description: "custom field values by name",
    jsonSchema: {
      type: "object",
      additionalProperties: {
        anyOf: [{ type: "string" }, { type: "number" }, { type: "boolean" }, { type: "null" }, { type: "array", items: { type: "string" } }]
      }
    }
  }
)

/**
 * A timestamp as ISO 8601 / RFC 3339 text, read strictly: a calendar date, optionally with a time
 * and then a zone (`2026-11-02`, `2026-11-02T08:01:00Z`, `2026-11-02T09:01:00.5+01:00`). Anything
 * `new Date` would guess at (`"1"`, `"x 5"`, `"2026-02-30"`) is an error.
 *
 * @since 0.1.0
 * @category schemas
 */
export const DateTimeFromIso: Schema.Schema<DateTime.Utc, string> = Schema.transformOrFail(
  Schema.String,
  Schema.DateTimeUtcFromSelf,
  {
    strict: true,
    decode: (text, _, ast) => {
      const millis = parseIso(text)
      return millis === undefined
        ? ParseResult.fail(
          new ParseResult.Type(
            ast,
            text,
            `expected an ISO 8601 timestamp such as 2026-11-02T08:01:00Z, got ${JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text)}`
          )
        )
        : ParseResult.succeed(DateTime.unsafeMake(millis))
    },
    encode: (dateTime) => ParseResult.succeed(DateTime.formatIso(dateTime))
  }
).annotations({ identifier: "DateTimeFromIso" })

/**
 * A timestamp as a number of milliseconds since the epoch.
 *
 * @since 0.1.0
 * @category schemas
 */
export const DateTimeFromEpochMillis: Schema.Schema<DateTime.Utc, number> = Schema.transformOrFail(
  Schema.Number,
  Schema.DateTimeUtcFromSelf,
  {
    strict: true,
    decode: (n, _, ast) => {
      const millis = epochMillis(n)
      return millis === undefined
        ? ParseResult.fail(new ParseResult.Type(ast, n, `expected epoch milliseconds, got ${n}`))
        : ParseResult.succeed(DateTime.unsafeMake(millis))
    },
    encode: (dateTime) => ParseResult.succeed(DateTime.toEpochMillis(dateTime))
  }
).annotations({ identifier: "DateTimeFromEpochMillis" })

/**
 * A ticket in the normal form. `raw` is the system's own payload, untouched.
 *
 * @since 0.1.0
 * @category models
 */
export class Ticket extends Schema.Class<Ticket>("ticketkit/Ticket")({
  id: TicketId,
  title: Schema.String,
  description: Schema.String,
  state: State,
  priority: Priority,
  queue: Ref,
  requester: Schema.optional(UserRef),
  assignee: Schema.optional(UserRef),
  tags: Schema.Array(Schema.String),
  createdAt: DateTimeFromIso,
  updatedAt: DateTimeFromIso,
  customFields: CustomFields,
  raw: Schema.Unknown
}) {}

/**
 * What is needed to create a ticket. State and priority may be given as a normal value or as the
 * system's own status (`{ name: "Feedback" }`).
 *
 * @since 0.1.0
 * @category models
 */
export class TicketDraft extends Schema.Class<TicketDraft>("ticketkit/TicketDraft")({
  title: Schema.String.pipe(Schema.nonEmptyString({ message: () => "a ticket needs a non-empty title" })),
  description: Schema.optionalWith(Schema.String, { default: () => "" }),
  queue: Ref,
  state: Schema.optional(Schema.Union(StateType, Ref)),
  priority: Schema.optional(Schema.Union(PriorityLevel, Ref)),
  requester: Schema.optional(UserRef),
  assignee: Schema.optional(UserRef),
  tags: Schema.optional(Schema.Array(Schema.String)),
  customFields: Schema.optional(CustomFields),
  /** makes the creation repeatable where the system honours idempotency keys (see `NoteDraft`) */
  idempotencyKey: Schema.optional(Schema.String.pipe(Schema.minLength(8), Schema.maxLength(255)))
}) {}

/**
 * A partial change to a ticket. Every field sets a value (updates are idempotent):
 *
 * - `state` / `priority`: a normal value, or the system's own one as a reference
 * - `assignee: null` removes the assignee
 * - `tags` replaces the whole tag list
 * - `customFields` sets the named fields and leaves the others alone
 *
 * @since 0.1.0
 * @category models
 */
export class TicketUpdate extends Schema.Class<TicketUpdate>("ticketkit/TicketUpdate")({
  title: Schema.optional(
    Schema.String.pipe(Schema.nonEmptyString({ message: () => "a ticket title cannot be empty" }))
  ),
  description: Schema.optional(Schema.String),
  state: Schema.optional(Schema.Union(StateType, Ref)),
  priority: Schema.optional(Schema.Union(PriorityLevel, Ref)),
  queue: Schema.optional(Ref),
  assignee: Schema.optional(Schema.NullOr(UserRef)),
  tags: Schema.optional(Schema.Array(Schema.String)),
  customFields: Schema.optional(CustomFields)
}) {}

/**
 * Is the update empty (changes nothing)?
 *
 * @since 0.1.0
 * @category utils
 */
export const isEmptyUpdate = (update: TicketUpdate): boolean =>
  update.title === undefined && update.description === undefined && update.state === undefined &&
  update.priority === undefined && update.queue === undefined && update.assignee === undefined &&
  update.tags === undefined && update.customFields === undefined
