/**
 * What the Request Tracker driver works with ({@link Context}: the client, the mapping, the
 * queues looked up) and the lookups its operations share: descriptions, queue names and ids, user
 * names, the literal matches of a text search, and why RT refused a create. Each a module-level
 * function of an explicit context.
 *
 * @internal
 */
import * as Cache from "effect/Cache"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as Option from "effect/Option"
import type { AdapterError, AuthenticationError } from "../../../AdapterError.js"
import { RequestRejectedError, TicketNotFoundError } from "../../../AdapterError.js"
import type { SearchCriteria } from "../../../SearchCriteria.js"
import * as T from "../../../Ticket.js"
import * as Client from "../RequestTrackerClient.js"
import * as Mapping from "../RequestTrackerMapping.js"
import * as TicketSql from "../TicketSql.js"

/**
 * What every operation works with: the client, the mapping, and the queue names looked up.
 *
 * @since 0.1.0
 * @category models
 */
export interface Context {
  readonly name: string
  readonly client: Client.Service
  readonly mapping: Mapping.Mapping
  /** queues by id (a ticket record names its queue by id only), for 5 minutes */
  readonly queues: Cache.Cache<string, Option.Option<Client.Queue>, AdapterError>
}

/**
 * The context of a client and a mapping.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeContext = (client: Client.Service, mapping: Mapping.Mapping, name: string): Effect.Effect<Context> =>
  Effect.map(
    Cache.makeWith({
      capacity: 1024,
      lookup: (id: string) => client.getQueue(id),
      timeToLive: (exit) => (Exit.isSuccess(exit) ? Duration.minutes(5) : Duration.zero)
    }),
    (queues) => ({ name, client, mapping, queues })
  )

/**
 * An RT id: a whole number (RT's ids never reach 2^53).
 *
 * @since 0.1.0
 * @category constants
 */
export const digits = /^\d{1,15}$/

/**
 * The condition on attachments that keeps the text parts of messages.
 *
 * @since 0.1.0
 * @category constants
 */
export const textParts: ReadonlyArray<Client.JsonCondition> = [{ field: "ContentType", operator: "LIKE", value: "text/" }]

/**
 * A refusal by RT, its reason scrubbed of every secret.
 *
 * @since 0.1.0
 * @category errors
 */
export const rejected = (ctx: Context, operation: string, id: string | undefined, reason: string, status?: number) =>
  new RequestRejectedError({
    adapter: ctx.name,
    operation,
    reason: ctx.client.scrub(reason),
    ...(status === undefined ? {} : { status }),
    ...(id === undefined ? {} : { ticketId: id })
  })

/**
 * RT ticket ids are numbers: anything else cannot exist (and never reaches a URL).
 *
 * @since 0.1.0
 * @category validation
 */
export const checkId = (ctx: Context, operation: string, id: string) =>
  digits.test(id) ? Effect.void : Effect.fail(new TicketNotFoundError({ adapter: ctx.name, operation, ticketId: id }))

// ---- reading -----------------------------------------------------------------

/**
 * The descriptions (text of the Create transaction) of some tickets: two requests.
 *
 * @since 0.1.0
 * @category lookups
 */
export const descriptions = (ctx: Context, ids: ReadonlyArray<string>): Effect.Effect<ReadonlyMap<string, string>, AdapterError> =>
  Effect.gen(function*() {
    const numbers = ids.filter((id) => digits.test(id)).map(Number)
    if (numbers.length === 0) return new Map()
    const creates = Mapping.ticketsOfCreates(
      yield* Client.allPages((paging) =>
        ctx.client.searchTransactions({ ...paging, query: TicketSql.ticketTransactions(numbers, ["Create"]), fields: ["ObjectId", "Type"] })
      )
    )
    if (creates.size === 0) return new Map()
    const where: ReadonlyArray<Client.JsonCondition> = [{ field: "TransactionId", operator: "IN", value: Array.from(creates.keys()).map(Number) }, ...textParts]
    return Mapping.descriptionsOf(creates, yield* Client.allPages((paging) => ctx.client.searchAttachments({ ...paging, where })))
  })

/**
 * A queue's name; none when the credentials may see a ticket but not its queue (the id alone
 * still designates it).
 *
 * @since 0.1.0
 * @category lookups
 */
export const queueNameOf = (ctx: Context, id: string): Effect.Effect<Option.Option<string>, AdapterError> =>
  ctx.queues.get(id).pipe(
    Effect.map(Option.map((q) => q.Name)),
    Effect.catchTag("AuthenticationError", () => Effect.succeedNone)
  )

// ---- search ------------------------------------------------------------------

/**
 * The TicketSQL of criteria; queue names TicketSQL cannot compare with are looked up and searched
 * by id.
 *
 * @since 0.1.0
 * @category lookups
 */
export const queryOf = (ctx: Context, criteria: SearchCriteria): Effect.Effect<TicketSql.TicketSql, AdapterError> => {
  const built = Mapping.query(ctx.mapping, criteria)
  if (Either.isRight(built)) return Effect.succeed(built.right)
  // queue names TicketSQL cannot compare with literally: search by the queue's id
  return Effect.forEach(built.left.names, (name) =>
    ctx.client.getQueue(name).pipe(
      Effect.map((queue) => [name, Option.match(queue, { onNone: () => "0", onSome: (q) => q.id })] as const),
      Effect.catchTag("AuthenticationError", () => Effect.succeed([name, "0"] as const))
    )).pipe(Effect.map((ids) => Mapping.queryWithQueueIds(ctx.mapping, criteria, new Map(ids))))
}

/**
 * The ids of the tickets among some whose text contains `text` literally: the subject, else
 * (with `contentSearch`) a message, whose text parts are read per ticket.
 *
 * @since 0.1.0
 * @category lookups
 */
export const literallyMatching = (
  ctx: Context,
  records: ReadonlyArray<Client.WithRaw<Client.Ticket>>,
  text: string
): Effect.Effect<ReadonlySet<string>, AdapterError> => {
  const found = Mapping.subjectMatches(records, text)
  if (!ctx.mapping.contentSearch) return Effect.succeed(found)
  // RT's `Content LIKE` looks at every text part of the ticket's transactions: read them
  const rest = records.filter((r) => !found.has(r.value.id) && digits.test(r.value.id)).map((r) => r.value.id)
  return Effect.as(
    Effect.forEach(rest, (id) =>
      Client.allPages((paging) => ctx.client.ticketAttachments(id, { ...paging, where: textParts })).pipe(
        Effect.map((attachments) => {
          if (Mapping.contentMatches(attachments, text)) found.add(id)
        })
      ), { concurrency: 4, discard: true }),
    found
  )
}

// ---- writing -----------------------------------------------------------------

/**
 * An RT user name for a user reference (RT sets owners by name only).
 *
 * @since 0.1.0
 * @category lookups
 */
export const userNameOf = (ctx: Context, operation: string, id: string | undefined, user: T.UserRef): Effect.Effect<string, AdapterError> => {
  const given = user.name ?? user.id
  return (given !== undefined ? ctx.client.getUser(given) : ctx.client.findUserByEmail(user.email ?? "")).pipe(
    Effect.flatMap(Option.match({
      onSome: (u) => Effect.succeed(u.Name),
      onNone: () => Effect.fail(rejected(ctx, operation, id, `${T.formatRef(user)}: that user does not exist in ${ctx.name}`))
    })),
    // credentials that may not look users up: let RT decide on the name
    Effect.catchTag("AuthenticationError", (error) => (given !== undefined ? Effect.succeed(given) : Effect.fail(error)))
  )
}

/**
 * RT answers 403 to a create in a queue it does not know: tell that apart from a missing right.
 *
 * @since 0.1.0
 * @category lookups
 */
export const explainCreateForbidden = (ctx: Context, queue: string, error: AuthenticationError): Effect.Effect<never, AdapterError> =>
  ctx.client.getQueue(queue).pipe(
    Effect.flatMap((found) =>
      Effect.fail(
        Option.isNone(found)
          ? rejected(ctx, "createTicket", undefined, `queue ${JSON.stringify(queue)} does not exist`, 403)
          : String(found.value.Disabled ?? "0") !== "0"
          ? rejected(ctx, "createTicket", undefined, `queue ${JSON.stringify(found.value.Name)} is disabled`, 403)
          : error
      )
    ),
    Effect.catchTag("AuthenticationError", () => Effect.fail(error))
  )
