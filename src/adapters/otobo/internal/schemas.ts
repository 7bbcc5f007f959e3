/**
 * The JSON of OTOBO's / Znuny's GenericInterface ticket operations, as `effect/Schema`s: what
 * `TicketSearch`, `TicketGet`, `TicketCreate`, `TicketUpdate` and `SessionCreate` answer, and
 * the `Error` object every operation answers (with HTTP 200) when it fails.
 *
 * @internal
 */
import * as Schema from "effect/Schema"

/** ids and numbers arrive as numbers or strings depending on the version and the database */
const IdString = Schema.Union(Schema.String, Schema.Number).pipe(
  Schema.transform(Schema.String, { strict: true, decode: (v) => String(v), encode: (s) => s })
)

/**
 * The error answer of every operation: `{ "Error": { "ErrorCode": "TicketGet.AuthFail", … } }`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ErrorAnswer = Schema.Struct({
  Error: Schema.Struct({
    ErrorCode: Schema.optionalWith(Schema.String, { default: () => "" }),
    ErrorMessage: Schema.optionalWith(Schema.String, { default: () => "" })
  })
})

/**
 * @since 0.1.0
 * @category schemas
 */
export const SessionCreated = Schema.Struct({ SessionID: IdString })

/**
 * `TicketSearch`: the ids found (as strings or numbers; a single id may come alone), `{}` for none.
 *
 * @since 0.1.0
 * @category schemas
 */
export const SearchResult = Schema.Struct({
  TicketID: Schema.optionalWith(Schema.Union(Schema.Array(IdString), IdString.pipe(Schema.transform(Schema.Array(Schema.String), {
    strict: true,
    decode: (id) => [id],
    encode: (ids) => ids[0] ?? ""
  }))), { default: () => [] })
})

/**
 * One dynamic field value of a ticket or article.
 *
 * @since 0.1.0
 * @category schemas
 */
export const DynamicField = Schema.Struct({ Name: Schema.String, Value: Schema.optional(Schema.Unknown) })

/**
 * An article as `TicketGet` gives it (`AllArticles: 1`): OTOBO 10+ and Znuny 6.1+ say
 * `IsVisibleForCustomer` (0/1), older systems `ArticleType` (`note-internal`, `email-external`…).
 *
 * @since 0.1.0
 * @category schemas
 */
export const Article = Schema.Struct({
  ArticleID: IdString,
  Body: Schema.optionalWith(Schema.NullOr(Schema.String), { default: () => "" }),
  Subject: Schema.optional(Schema.NullOr(Schema.String)),
  From: Schema.optional(Schema.NullOr(Schema.String)),
  ContentType: Schema.optional(Schema.NullOr(Schema.String)),
  MimeType: Schema.optional(Schema.NullOr(Schema.String)),
  IsVisibleForCustomer: Schema.optional(Schema.NullOr(Schema.Union(Schema.Number, Schema.String))),
  ArticleType: Schema.optional(Schema.NullOr(Schema.String)),
  SenderType: Schema.optional(Schema.NullOr(Schema.String)),
  CreateTime: Schema.optional(Schema.NullOr(Schema.String)),
  IncomingTime: Schema.optional(Schema.NullOr(Schema.Union(Schema.Number, Schema.String)))
})

/**
 * @since 0.1.0
 * @category models
 */
export type Article = typeof Article.Type

/**
 * A ticket as `TicketGet` gives it. Times are `YYYY-MM-DD HH:MM:SS` in the system's time zone.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Ticket = Schema.Struct({
  TicketID: IdString,
  TicketNumber: Schema.optional(IdString),
  Title: Schema.optionalWith(Schema.NullOr(Schema.String), { default: () => "" }),
  State: Schema.String,
  StateID: Schema.optional(IdString),
  StateType: Schema.optional(Schema.String),
  Priority: Schema.String,
  PriorityID: Schema.optional(IdString),
  Queue: Schema.String,
  QueueID: Schema.optional(IdString),
  Owner: Schema.optional(Schema.NullOr(Schema.String)),
  OwnerID: Schema.optional(Schema.NullOr(IdString)),
  CustomerUserID: Schema.optional(Schema.NullOr(Schema.String)),
  Created: Schema.String,
  Changed: Schema.String,
  DynamicField: Schema.optional(Schema.Array(DynamicField)),
  Article: Schema.optional(Schema.Array(Article))
})

/**
 * @since 0.1.0
 * @category models
 */
export type Ticket = typeof Ticket.Type

/**
 * A decoded ticket and the JSON it was decoded from.
 *
 * @since 0.1.0
 * @category models
 */
export interface TicketWithRaw {
  readonly value: Ticket
  readonly raw: unknown
}

/**
 * `TicketGet`: `{ "Ticket": [ … ] }`, the raw JSON of each ticket kept.
 *
 * @since 0.1.0
 * @category schemas
 */
export const TicketGetResult = Schema.Struct({ Ticket: Schema.Array(Schema.Unknown) })

/**
 * `TicketCreate` and `TicketUpdate`: the ticket's id (and number, and the article's id).
 *
 * @since 0.1.0
 * @category schemas
 */
export const Written = Schema.Struct({
  TicketID: IdString,
  TicketNumber: Schema.optional(IdString),
  ArticleID: Schema.optional(IdString)
})
