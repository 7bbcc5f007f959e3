/**
 * A thin typed client of the Request Tracker 5 REST2 endpoints ticketkit uses: ticket search
 * (TicketSQL), read, create, update, comment and correspond; transaction search (TransactionSQL)
 * and attachments, for notes and descriptions; queues and users, to resolve names.
 *
 * ```ts
 * const RtClient = RequestTrackerClient.layer({
 *   baseUrl: "https://rt.example.com",
 *   auth: { _tag: "token", token: Redacted.make(process.env.RT_TOKEN!) }
 * }).pipe(Layer.provide(NodeHttpClient.layerUndici))
 * ```
 *
 * The schemas (declared in `internal/schemas.ts`, re-exported here) decode RT's JSON as it really
 * is: ids and priorities arrive as strings in lists but as numbers elsewhere (both decode to the
 * same type); unset dates arrive as `1970-01-01T00:00:00Z` (or `""`) and decode as absent;
 * `CustomFields` is `""` in lists when a ticket has none.
 *
 * Requests go through {@link HttpTransport}: `Authorization: token …` (or basic auth) held as
 * `Redacted`, timeouts, status → error mapping, ids as single path segments, no secret in errors,
 * logs or spans. Nothing is retried here; in particular no POST (a note sent twice is a real,
 * visible duplicate). The errors name the port operation being served
 * (`TicketSystemAdapter.currentOperation`, set by the port); used directly, each method names
 * itself (`getTicket`, `searchTransactions`, …).
 *
 * {@link make}, {@link layer} and {@link layerConfig} take the configuration as written
 * ({@link OptionsInput}); defaults are applied and every key checked inside.
 *
 * @since 0.1.0
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import type * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import type { AdapterError, ConfigurationError } from "../../AdapterError.js"
import * as HttpTransport from "../../HttpTransport.js"
import * as ConfigOptions from "../../internal/options.js"
import * as Redaction from "../../Redaction.js"
import {
  Attachment,
  attachmentFields,
  Collection,
  Created,
  Messages,
  Queue,
  Ticket,
  ticketFields,
  Transaction,
  transactionFields,
  User
} from "./internal/schemas.js"

// -----------------------------------------------------------------------------
// options
// -----------------------------------------------------------------------------

/**
 * How requests authenticate: an RT auth token (`Authorization: token …`, from RT's
 * "Auth Tokens" page or `RT::AuthToken`), or a user name and password (HTTP basic).
 *
 * @since 0.1.0
 * @category configuration
 */
export const Auth = HttpTransport.TokenOrBasic

/**
 * @since 0.1.0
 * @category configuration
 */
export type Auth = typeof Auth.Type

/**
 * The client's configuration.
 *
 * @since 0.1.0
 * @category configuration
 */
export const Options = Schema.Struct({ ...HttpTransport.connectionFields("request-tracker"), auth: Auth })

/**
 * @since 0.1.0
 * @category configuration
 */
export type Options = typeof Options.Type

/**
 * The input form of {@link Options} (secrets as plain strings or `Redacted`).
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
export type Hooks = HttpTransport.Hooks

/**
 * The REST2 root for a configured base URL.
 *
 * @since 0.1.0
 * @category configuration
 */
export const restUrl = (baseUrl: string): string => {
  const trimmed = baseUrl.replace(/\/+$/, "")
  return /\/REST\/2\.0$/i.test(trimmed) ? trimmed : `${trimmed}/REST/2.0`
}

/**
 * Schemas of RT's JSON (declared in `internal/schemas.ts`).
 *
 * @since 0.1.0
 * @category schemas
 */
export * from "./internal/schemas.js"

// -----------------------------------------------------------------------------
// requests
// -----------------------------------------------------------------------------

/**
 * A condition of RT's JSON search syntax (`[{ "field": …, "operator": …, "value": … }]`),
 * accepted by `/attachments`, `/users` and the other collections without a SQL dialect.
 *
 * @since 0.1.0
 * @category models
 */
export interface JsonCondition {
  readonly field: string
  readonly operator?: "=" | "!=" | "<" | ">" | "<=" | ">=" | "LIKE" | "NOT LIKE" | "IN" | "NOT IN" | "IS" | "IS NOT"
  readonly value: string | number | ReadonlyArray<string | number>
}

/**
 * Where a page starts and how long it is (`per_page` is capped at 100 by RT).
 *
 * @since 0.1.0
 * @category models
 */
export interface Paging {
  /** 1-based */
  readonly page?: number
  readonly perPage?: number
  /** `orderby` (default `id`) */
  readonly orderBy?: string
  readonly order?: "ASC" | "DESC"
}

/**
 * A ticket search.
 *
 * @since 0.1.0
 * @category models
 */
export interface TicketSearch extends Paging {
  /** TicketSQL, e.g. built with `TicketSql` */
  readonly query: string
  /** fields wanted in each item's raw JSON beyond {@link ticketFields} (e.g. `TimeWorked`) */
  readonly extraFields?: ReadonlyArray<string>
}

/**
 * A value of a custom field as RT takes it: one value, several, or `null` to clear.
 *
 * @since 0.1.0
 * @category models
 */
export type CustomFieldInput = string | ReadonlyArray<string> | null

/**
 * The fields of a ticket to create.
 *
 * @since 0.1.0
 * @category models
 */
export interface TicketCreate {
  /** queue id or name */
  readonly Queue: string | number
  readonly Subject: string
  /** the first message (RT's ticket "description") */
  readonly Content?: string
  readonly ContentType?: "text/plain" | "text/html"
  readonly Priority?: number | string
  readonly Status?: string
  /** email addresses or user names */
  readonly Requestor?: string | ReadonlyArray<string>
  /** a user name */
  readonly Owner?: string
  /** by custom field name or id */
  readonly CustomFields?: Readonly<Record<string, CustomFieldInput>>
}

/**
 * The fields of a ticket to change.
 *
 * @since 0.1.0
 * @category models
 */
export interface TicketChange {
  readonly Subject?: string
  readonly Status?: string
  readonly Priority?: number | string
  readonly Queue?: string | number
  /** a user name; `Nobody` removes the owner */
  readonly Owner?: string
  readonly CustomFields?: Readonly<Record<string, CustomFieldInput>>
}

/**
 * RT's answer to an update: its messages, and the time the answer was sent by RT's clock (its
 * `Date` header, to the second), when it said.
 *
 * @since 0.1.0
 * @category models
 */
export interface UpdateAnswer {
  readonly messages: ReadonlyArray<string>
  readonly date: DateTime.Utc | undefined
}

/**
 * A message (comment or correspondence).
 *
 * @since 0.1.0
 * @category models
 */
export interface Message {
  readonly Content: string
  readonly ContentType: "text/plain" | "text/html"
}

// -----------------------------------------------------------------------------
// service
// -----------------------------------------------------------------------------

/**
 * The REST2 endpoints ticketkit uses, typed. Every method fails only with an `AdapterError`.
 *
 * @since 0.1.0
 * @category models
 */
export interface Service {
  /** the configured name */
  readonly name: string
  /** the REST2 root, e.g. `https://rt.example.com/REST/2.0` */
  readonly restUrl: string
  /** removes every configured secret from a text */
  readonly scrub: (text: string) => string
  /** the scrubber that knows every configured secret */
  readonly scrubber: Redaction.Scrubber
  /** `GET /tickets?query=…`: one page of a TicketSQL search (raw items kept beside the decoded) */
  readonly searchTickets: (search: TicketSearch) => Effect.Effect<Collection<WithRaw<Ticket>>, AdapterError>
  /** `GET /ticket/{id}` */
  readonly getTicket: (id: string) => Effect.Effect<WithRaw<Ticket>, AdapterError>
  /** `POST /ticket` */
  readonly createTicket: (ticket: TicketCreate) => Effect.Effect<typeof Created.Type, AdapterError>
  /** `PUT /ticket/{id}`: RT's messages, errors included (see {@link Messages}) */
  readonly updateTicket: (id: string, change: TicketChange) => Effect.Effect<ReadonlyArray<string>, AdapterError>
  /** `PUT /ticket/{id}`: RT's messages and the time of its answer by RT's clock */
  readonly updateTicketAnswer: (id: string, change: TicketChange) => Effect.Effect<UpdateAnswer, AdapterError>
  /** `POST /ticket/{id}/comment`: an internal note */
  readonly comment: (id: string, message: Message) => Effect.Effect<ReadonlyArray<string>, AdapterError>
  /** `POST /ticket/{id}/correspond`: a reply the requestors see (and are mailed) */
  readonly correspond: (id: string, message: Message) => Effect.Effect<ReadonlyArray<string>, AdapterError>
  /** `GET /transactions?query=…`: one page of a TransactionSQL search (`fields` default {@link transactionFields}) */
  readonly searchTransactions: (
    search: Paging & { readonly query: string; readonly fields?: ReadonlyArray<string> }
  ) => Effect.Effect<Collection<Transaction>, AdapterError>
  /** `GET /ticket/{id}/attachments`: one page of a ticket's attachments, optionally filtered */
  readonly ticketAttachments: (
    id: string,
    search?: Paging & { readonly where?: ReadonlyArray<JsonCondition> }
  ) => Effect.Effect<Collection<Attachment>, AdapterError>
  /** `GET /attachments?query=[…]`: one page of an attachment search */
  readonly searchAttachments: (
    search: Paging & { readonly where: ReadonlyArray<JsonCondition> }
  ) => Effect.Effect<Collection<Attachment>, AdapterError>
  /** `GET /transaction/{id}/attachments` */
  readonly transactionAttachments: (id: string, paging?: Paging) => Effect.Effect<Collection<Attachment>, AdapterError>
  /** `GET /queue/{idOrName}`; none when RT answers 404 */
  readonly getQueue: (idOrName: string) => Effect.Effect<Option.Option<Queue>, AdapterError>
  /** `GET /user/{idOrName}`; none when RT answers 404 */
  readonly getUser: (idOrName: string) => Effect.Effect<Option.Option<User>, AdapterError>
  /** `GET /users?query=[EmailAddress = …]` (case-insensitive) */
  readonly findUserByEmail: (email: string) => Effect.Effect<Option.Option<User>, AdapterError>
}

/**
 * A decoded value and the JSON it was decoded from.
 *
 * @since 0.1.0
 * @category models
 */
export interface WithRaw<A> {
  readonly value: A
  readonly raw: unknown
}

/**
 * The tag of the client.
 *
 * @since 0.1.0
 * @category tags
 */
export class RequestTrackerClient extends Context.Tag("ticketkit/RequestTrackerClient")<RequestTrackerClient, Service>() {}

const MAX_PER_PAGE = 100

const pagingQuery = (paging: Paging | undefined) => ({
  page: Math.max(1, Math.trunc(paging?.page ?? 1)),
  per_page: Math.min(MAX_PER_PAGE, Math.max(1, Math.trunc(paging?.perPage ?? MAX_PER_PAGE))),
  orderby: paging?.orderBy ?? "id",
  order: paging?.order ?? "ASC"
})

const WithRawOf = <A, I>(schema: Schema.Schema<A, I, never>) =>
  Schema.transformOrFail(Schema.Unknown, Schema.Struct({ value: Schema.typeSchema(schema), raw: Schema.Unknown }), {
    strict: true,
    decode: (raw) => ParseResult.map(ParseResult.decodeUnknown(schema)(raw), (value) => ({ value, raw })),
    encode: (w) => ParseResult.succeed(w.raw)
  })

const TicketWithRaw = WithRawOf(Ticket)
const TicketCollection = Collection(TicketWithRaw)
const TransactionCollection = Collection(Transaction)
const AttachmentCollection = Collection(Attachment)
const UserCollection = Collection(User)

/**
 * Every item of a paged collection, page by page (100 a page).
 *
 * @since 0.1.0
 * @category combinators
 */
export const allPages = <A>(
  fetch: (paging: Paging) => Effect.Effect<Collection<A>, AdapterError>,
  options: { readonly maxPages?: number } = {}
): Effect.Effect<ReadonlyArray<A>, AdapterError> =>
  Effect.gen(function*() {
    const items: Array<A> = []
    const maxPages = options.maxPages ?? 1000
    for (let page = 1; page <= maxPages; page++) {
      const result = yield* fetch({ page, perPage: MAX_PER_PAGE })
      items.push(...result.items)
      const more = result.items.length > 0 &&
        (typeof result.total === "number" ? (page - 1) * result.per_page + result.items.length < result.total : result.next_page !== undefined)
      if (!more) break
    }
    return items
  })

/** an HTTP `Date` header (RFC 9110: `Wed, 02 Dec 2026 18:43:09 GMT`), when there is a valid one */
const dateHeader = (value: string | undefined): DateTime.Utc | undefined => {
  if (value === undefined) return undefined
  const millis = Date.parse(value)
  return Number.isFinite(millis) ? DateTime.unsafeMake(millis) : undefined
}

const optional404 = <A>(effect: Effect.Effect<A, AdapterError>): Effect.Effect<Option.Option<A>, AdapterError> =>
  effect.pipe(
    Effect.map(Option.some),
    Effect.catchIf(
      (error) => error._tag === "InvalidResponseError" && error.status === 404,
      () => Effect.succeed(Option.none())
    )
  )

const jsonQuery = (where: ReadonlyArray<JsonCondition> | undefined) =>
  where === undefined || where.length === 0 ? undefined : JSON.stringify(where)

/** the transport's auth for RT's: a token is sent as `Authorization: token …` */
const transportAuth = (auth: Auth): HttpTransport.Auth =>
  auth._tag === "token"
    ? { _tag: "header", name: "Authorization", value: Redacted.make(`token ${Redacted.value(auth.token)}`) }
    : { _tag: "basic", username: auth.username, password: auth.password }

/**
 * The endpoints over a transport. Each request names its own operation, which the port's
 * (`TicketSystemAdapter.currentOperation`) replaces when one is being served.
 */
const endpoints = (transport: HttpTransport.HttpTransport) => {
  const get = <A, I>(schema: Schema.Schema<A, I, never>, operation: string, path: string, extra: Partial<HttpTransport.Request> = {}) =>
    transport.json(schema, { method: "GET", path, operation, ...extra })
  const updateTicketAnswer = (id: string, change: TicketChange): Effect.Effect<UpdateAnswer, AdapterError> => {
    const request: HttpTransport.Request = {
      method: "PUT",
      path: "/ticket/{id}",
      pathParams: { id },
      ticketId: id,
      body: change,
      operation: "updateTicket"
    }
    return Effect.flatMap(transport.send(request), (response) =>
      Effect.map(transport.decode(Messages, response, request), (messages): UpdateAnswer => ({
        messages,
        date: dateHeader(response.headers["date"])
      })))
  }
  const post = (operation: string, path: string, id: string, message: Message) =>
    transport.json(Messages, { method: "POST", path, pathParams: { id }, ticketId: id, body: message, operation })
  const attachments = { fields: attachmentFields.join(",") }
  return {
    searchTickets: (search: TicketSearch) =>
      get(TicketCollection, "searchTickets", "/tickets", {
        query: {
          query: search.query,
          ...pagingQuery(search),
          fields: Array.from(new Set([...ticketFields, ...(search.extraFields ?? [])])).join(","),
          "fields[Queue]": "Name"
        }
      }),
    getTicket: (id: string) => get(TicketWithRaw, "getTicket", "/ticket/{id}", { pathParams: { id }, ticketId: id }),
    createTicket: (ticket: TicketCreate) => transport.json(Created, { method: "POST", path: "/ticket", body: ticket, operation: "createTicket" }),
    updateTicket: (id: string, change: TicketChange) => Effect.map(updateTicketAnswer(id, change), (answer) => answer.messages),
    updateTicketAnswer,
    comment: (id: string, message: Message) => post("comment", "/ticket/{id}/comment", id, message),
    correspond: (id: string, message: Message) => post("correspond", "/ticket/{id}/correspond", id, message),
    searchTransactions: (search: Paging & { readonly query: string; readonly fields?: ReadonlyArray<string> }) =>
      get(TransactionCollection, "searchTransactions", "/transactions", {
        // `Type` is what the schema requires
        query: { query: search.query, ...pagingQuery(search), fields: Array.from(new Set(["Type", ...(search.fields ?? transactionFields)])).join(",") }
      }),
    ticketAttachments: (id: string, search?: Paging & { readonly where?: ReadonlyArray<JsonCondition> }) =>
      get(AttachmentCollection, "ticketAttachments", "/ticket/{id}/attachments", {
        pathParams: { id },
        ticketId: id,
        query: { query: jsonQuery(search?.where), ...pagingQuery(search), ...attachments }
      }),
    searchAttachments: (search: Paging & { readonly where: ReadonlyArray<JsonCondition> }) =>
      get(AttachmentCollection, "searchAttachments", "/attachments", { query: { query: jsonQuery(search.where), ...pagingQuery(search), ...attachments } }),
    transactionAttachments: (id: string, paging?: Paging) =>
      get(AttachmentCollection, "transactionAttachments", "/transaction/{id}/attachments", { pathParams: { id }, query: { ...pagingQuery(paging), ...attachments } }),
    getQueue: (idOrName: string) => optional404(get(Queue, "getQueue", "/queue/{id}", { pathParams: { id: idOrName } })),
    getUser: (idOrName: string) => optional404(get(User, "getUser", "/user/{id}", { pathParams: { id: idOrName } })),
    findUserByEmail: (email: string) =>
      get(UserCollection, "findUser", "/users", {
        query: { query: JSON.stringify([{ field: "EmailAddress", operator: "=", value: email }]), page: 1, per_page: 2, fields: "Name,EmailAddress,RealName" }
      }).pipe(Effect.map((users) => Option.fromNullable(users.items.find((u) => u.EmailAddress?.toLowerCase() === email.toLowerCase()))))
  }
}

/** the name a configuration error is reported under: the configured name, if there is one */
const adapterNameOf = (input: { readonly name?: string | undefined }): string =>
  typeof input?.name === "string" && input.name !== "" ? input.name : "request-tracker"

/**
 * Makes a client from a configuration as written: defaults applied, every key checked (a bad
 * one is a `ConfigurationError` naming it). Requires an `HttpClient`.
 *
 * @example
 * ```ts
 * import { NodeHttpClient } from "@effect/platform-node"
 * import { Config, Effect } from "effect"
 * import { RequestTrackerClient } from "ticketkit"
 *
 * const program = Effect.gen(function*() {
 *   const token = yield* Config.redacted("RT_TOKEN")
 *   const rt = yield* RequestTrackerClient.make({ baseUrl: "https://rt.example.com", auth: { _tag: "token", token } })
 *   return yield* rt.getQueue("Support")
 * }).pipe(Effect.provide(NodeHttpClient.layerUndici))
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (input: OptionsInput, hooks: Hooks = {}): Effect.Effect<Service, ConfigurationError, HttpClient.HttpClient> =>
  Effect.gen(function*() {
    const options = yield* ConfigOptions.decode(Options, adapterNameOf(input))(input)
    const root = restUrl(options.baseUrl)
    const transport = yield* HttpTransport.make({
      name: options.name,
      baseUrl: root,
      auth: transportAuth(options.auth),
      timeout: options.timeout,
      userAgent: options.userAgent,
      maxBodyBytes: options.maxBodyBytes,
      ...(hooks.transformClient === undefined ? {} : { transformClient: hooks.transformClient })
    })
    // the raw token, so that it is scrubbed even where RT echoes it without the `token ` prefix
    const scrubber = options.auth._tag === "token"
      ? Redaction.combine(transport.scrubber, Redaction.make([options.auth.token]))
      : transport.scrubber
    const service: Service = { name: options.name, restUrl: root, scrub: scrubber.scrub, scrubber, ...endpoints(transport) }
    return service
  })

/**
 * The client as a layer, from a configuration as written (checked when the layer is built).
 * Requires an `HttpClient`.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (input: OptionsInput, hooks: Hooks = {}): Layer.Layer<RequestTrackerClient, ConfigurationError, HttpClient.HttpClient> =>
  Layer.effect(RequestTrackerClient, make(input, hooks))

/**
 * The client as a layer, its configuration read from a `Config` (e.g. environment variables).
 *
 * @example
 * ```ts
 * import { Config } from "effect"
 * import { RequestTrackerClient } from "ticketkit"
 *
 * const RtClient = RequestTrackerClient.layerConfig(Config.all({
 *   baseUrl: Config.string("RT_URL"),
 *   auth: Config.all({ _tag: Config.succeed("token" as const), token: Config.redacted("RT_TOKEN") })
 * }))
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig = (
  config: Config.Config<OptionsInput>,
  hooks: Hooks = {}
): Layer.Layer<RequestTrackerClient, ConfigurationError | ConfigError.ConfigError, HttpClient.HttpClient> =>
  Layer.effect(RequestTrackerClient, Effect.flatMap(config, (input) => make(input, hooks)))
