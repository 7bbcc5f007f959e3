/**
 * A thin typed client of the parts of Zammad's REST API v1 that ticketkit uses: tickets (search,
 * read, create, update, always with `expand=true` so that state, priority and group names come
 * beside their ids), ticket articles (by ticket, create), and the reference lists (ticket states,
 * ticket priorities, groups).
 *
 * It speaks Zammad's own vocabulary (`state_id`, `group`, `internal`, `per_page`) and decodes
 * Zammad's JSON with Schemas; the mapping onto the normal form is `ZammadMapping`, the adapter
 * onto the port `Zammad`.
 *
 * - Authentication is an access token (`Authorization: Token token=…`, Zammad's profile →
 *   Token Access) or HTTP basic auth. Secrets are `Redacted`; the raw token is also scrubbed from
 *   any message Zammad echoes.
 * - Every failure is an `AdapterError` (see `HttpTransport`): 401/403 → `AuthenticationError`,
 *   404 on a ticket → `TicketNotFoundError` (Zammad answers `{"error":"Couldn't find Ticket with
 *   'id'=…"}`), 422 `{"error": …}` → `RequestRejectedError` carrying Zammad's message, 429 →
 *   `RateLimitError` with its `Retry-After`.
 * - Nothing is retried here; in particular no POST (Zammad has no idempotency keys).
 *
 * {@link make}, {@link layer} and {@link layerConfig} take the options as written
 * ({@link OptionsInput}); defaults are applied and every key checked inside.
 *
 * @since 0.1.0
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import type * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import type { AdapterError, ConfigurationError } from "../../AdapterError.js"
import * as HttpTransport from "../../HttpTransport.js"
import * as ConfigOptions from "../../internal/options.js"
import * as Redaction from "../../Redaction.js"
import { DateTimeFromIso } from "../../Ticket.js"

// -----------------------------------------------------------------------------
// options
// -----------------------------------------------------------------------------

/**
 * How requests authenticate: an access token (sent as `Authorization: Token token=…`; it needs
 * the `ticket.agent` permission) or a user name (login or email) and password (HTTP basic).
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
 * The connection options.
 *
 * @since 0.1.0
 * @category configuration
 */
export const Options = Schema.Struct({ ...HttpTransport.connectionFields("zammad"), auth: Auth })

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
 * The API root for a configured base URL.
 *
 * @since 0.1.0
 * @category configuration
 */
export const apiUrl = (baseUrl: string): string => {
  const trimmed = baseUrl.replace(/\/+$/, "")
  return /\/api\/v1$/i.test(trimmed) ? trimmed : `${trimmed}/api/v1`
}

/**
 * The most tickets one search request returns (`per_page`).
 *
 * @since 0.1.0
 * @category constants
 */
export const MAX_PER_PAGE = 100

// -----------------------------------------------------------------------------
// schemas of Zammad's JSON
// -----------------------------------------------------------------------------

const NullableString = Schema.optional(Schema.NullOr(Schema.String))
const NullableInt = Schema.optional(Schema.NullOr(Schema.Int))

/**
 * A ticket as `expand=true` gives it: ids and, beside them, the names (`state`, `priority`,
 * `group`, `owner`, `customer`). Other attributes are kept in the raw payload.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Ticket = Schema.Struct({
  id: Schema.Int,
  number: Schema.optional(Schema.String),
  title: Schema.String,
  group_id: Schema.Int,
  group: NullableString,
  state_id: Schema.Int,
  state: NullableString,
  priority_id: Schema.Int,
  priority: NullableString,
  owner_id: NullableInt,
  owner: NullableString,
  customer_id: NullableInt,
  customer: NullableString,
  pending_time: NullableString,
  created_at: DateTimeFromIso,
  updated_at: DateTimeFromIso
})

/**
 * @since 0.1.0
 * @category models
 */
export type Ticket = typeof Ticket.Type

/**
 * A ticket article (message, note, mail…).
 *
 * @since 0.1.0
 * @category schemas
 */
export const Article = Schema.Struct({
  id: Schema.Int,
  ticket_id: Schema.Int,
  body: Schema.String,
  content_type: Schema.String,
  internal: Schema.Boolean,
  type: NullableString,
  sender: NullableString,
  from: NullableString,
  created_by_id: NullableInt,
  created_at: DateTimeFromIso
})

/**
 * @since 0.1.0
 * @category models
 */
export type Article = typeof Article.Type

/**
 * A ticket state (`/ticket_states`): its type is one of Zammad's state types (`new`, `open`,
 * `pending reminder`, `pending action`, `closed`, `merged`, `removed`), given by id or, with
 * `expand=true`, by name.
 *
 * @since 0.1.0
 * @category schemas
 */
export const State = Schema.Struct({
  id: Schema.Int,
  name: Schema.String,
  state_type_id: Schema.Int,
  state_type: NullableString,
  active: Schema.optionalWith(Schema.Boolean, { default: () => true })
})

/**
 * @since 0.1.0
 * @category models
 */
export type State = typeof State.Type

/**
 * A ticket priority (`/ticket_priorities`): `1 low`, `2 normal`, `3 high` out of the box.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Priority = Schema.Struct({
  id: Schema.Int,
  name: Schema.String,
  active: Schema.optionalWith(Schema.Boolean, { default: () => true })
})

/**
 * @since 0.1.0
 * @category models
 */
export type Priority = typeof Priority.Type

/**
 * A group (`/groups`): where tickets live; ticketkit's queue.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Group = Schema.Struct({
  id: Schema.Int,
  name: Schema.String,
  active: Schema.optionalWith(Schema.Boolean, { default: () => true })
})

/**
 * @since 0.1.0
 * @category models
 */
export type Group = typeof Group.Type

/**
 * The body of `POST /tickets` (the first article is the ticket's description).
 *
 * @since 0.1.0
 * @category models
 */
export interface TicketCreate {
  readonly title: string
  readonly group_id: number
  /** a user id, or `guess:<email>` (Zammad creates the customer when unknown) */
  readonly customer_id: number | string
  readonly state_id?: number
  readonly priority_id?: number
  readonly owner_id?: number
  readonly pending_time?: string
  readonly article: ArticleCreate | Omit<ArticleCreate, "ticket_id">
}

/**
 * The body of `PUT /tickets/{id}`: only the attributes that change.
 *
 * @since 0.1.0
 * @category models
 */
export interface TicketChange {
  readonly title?: string
  readonly group_id?: number
  readonly state_id?: number
  readonly priority_id?: number
  /** `1` is Zammad's "nobody" user: no owner */
  readonly owner_id?: number
  readonly pending_time?: string
}

/**
 * The body of `POST /ticket_articles`.
 *
 * @since 0.1.0
 * @category models
 */
export interface ArticleCreate {
  readonly ticket_id: number
  readonly body: string
  readonly content_type: "text/plain" | "text/html"
  readonly type: "note"
  readonly internal: boolean
  readonly subject?: string
}

// -----------------------------------------------------------------------------
// service
// -----------------------------------------------------------------------------

/**
 * A ticket search: Elasticsearch `query_string` text (see `ZammadMapping.searchQuery`), paged.
 *
 * @since 0.1.0
 * @category models
 */
export interface TicketSearch {
  readonly query: string
  /** 1-based */
  readonly page: number
  /** at most {@link MAX_PER_PAGE} */
  readonly perPage: number
}

/**
 * The client.
 *
 * @since 0.1.0
 * @category models
 */
export interface Service {
  /** the system's configured name */
  readonly name: string
  /** the API root, e.g. `https://helpdesk.example.com/api/v1` */
  readonly apiUrl: string
  /** the scrubber that knows every configured secret */
  readonly scrubber: Redaction.Scrubber
  /** `GET /tickets/search?query=…&page=…&per_page=…&expand=true`, sorted by id */
  readonly searchTickets: (search: TicketSearch) => Effect.Effect<ReadonlyArray<Ticket>, AdapterError>
  /** `GET /tickets/{id}?expand=true` */
  readonly getTicket: (id: number) => Effect.Effect<Ticket, AdapterError>
  /** `POST /tickets?expand=true` */
  readonly createTicket: (ticket: TicketCreate) => Effect.Effect<Ticket, AdapterError>
  /** `PUT /tickets/{id}?expand=true` */
  readonly updateTicket: (id: number, change: TicketChange) => Effect.Effect<Ticket, AdapterError>
  /** `GET /ticket_articles/by_ticket/{id}`: every article the user may see, oldest first */
  readonly articles: (ticketId: number) => Effect.Effect<ReadonlyArray<Article>, AdapterError>
  /** `POST /ticket_articles` */
  readonly createArticle: (article: ArticleCreate) => Effect.Effect<Article, AdapterError>
  /** `GET /ticket_states?expand=true` */
  readonly states: () => Effect.Effect<ReadonlyArray<State>, AdapterError>
  /** `GET /ticket_priorities` */
  readonly priorities: () => Effect.Effect<ReadonlyArray<Priority>, AdapterError>
  /** `GET /groups` */
  readonly groups: () => Effect.Effect<ReadonlyArray<Group>, AdapterError>
}

/**
 * The tag of the client.
 *
 * @since 0.1.0
 * @category tags
 */
export class ZammadClient extends Context.Tag("ticketkit/ZammadClient")<ZammadClient, Service>() {}

/** the transport's auth for Zammad's: a token is sent as `Authorization: Token token=…` */
const transportAuth = (auth: Auth): HttpTransport.Auth =>
  auth._tag === "token"
    ? { _tag: "header", name: "Authorization", value: Redacted.make(`Token token=${Redacted.value(auth.token)}`) }
    : { _tag: "basic", username: auth.username, password: auth.password }

const Tickets = Schema.Array(Ticket)
const Articles = Schema.Array(Article)
const expand = { expand: "true" }

/** the endpoints over a transport; each request names its own operation (the port's wins) */
const endpoints = (transport: HttpTransport.HttpTransport): Omit<Service, "name" | "apiUrl" | "scrubber"> => {
  const get = <A, I>(schema: Schema.Schema<A, I, never>, operation: string, path: string, extra: Partial<HttpTransport.Request> = {}) =>
    transport.json(schema, { method: "GET", path, operation, ...extra })
  return {
    searchTickets: (search) =>
      get(Tickets, "searchTickets", "/tickets/search", {
        query: {
          query: search.query,
          page: Math.max(1, Math.trunc(search.page)),
          per_page: Math.min(MAX_PER_PAGE, Math.max(1, Math.trunc(search.perPage))),
          sort_by: "id",
          order_by: "asc",
          ...expand
        }
      }),
    getTicket: (id) => get(Ticket, "getTicket", "/tickets/{id}", { pathParams: { id: String(id) }, ticketId: String(id), query: expand }),
    createTicket: (ticket) => transport.json(Ticket, { method: "POST", path: "/tickets", query: expand, body: ticket, operation: "createTicket" }),
    updateTicket: (id, change) =>
      transport.json(Ticket, {
        method: "PUT",
        path: "/tickets/{id}",
        pathParams: { id: String(id) },
        ticketId: String(id),
        query: expand,
        body: change,
        operation: "updateTicket"
      }),
    articles: (ticketId) =>
      get(Articles, "listArticles", "/ticket_articles/by_ticket/{id}", { pathParams: { id: String(ticketId) }, ticketId: String(ticketId) }),
    createArticle: (article) =>
      transport.json(Article, { method: "POST", path: "/ticket_articles", body: article, ticketId: String(article.ticket_id), operation: "createArticle" }),
    states: () => get(Schema.Array(State), "listStates", "/ticket_states", { query: expand }),
    priorities: () => get(Schema.Array(Priority), "listPriorities", "/ticket_priorities"),
    groups: () => get(Schema.Array(Group), "listGroups", "/groups")
  }
}

/** the name a configuration error is reported under: the configured name, if there is one */
const adapterNameOf = (input: { readonly name?: string | undefined }): string =>
  typeof input?.name === "string" && input.name !== "" ? input.name : "zammad"

/**
 * Makes a client from options as written: defaults applied, every key checked (a bad one is a
 * `ConfigurationError` naming it). Requires an `HttpClient`.
 *
 * @example
 * ```ts
 * import { NodeHttpClient } from "@effect/platform-node"
 * import { Config, Effect } from "effect"
 * import { ZammadClient } from "ticketkit"
 *
 * const program = Effect.gen(function*() {
 *   const token = yield* Config.redacted("ZAMMAD_TOKEN")
 *   const zammad = yield* ZammadClient.make({ baseUrl: "https://helpdesk.example.com", auth: { _tag: "token", token } })
 *   return yield* zammad.groups()
 * }).pipe(Effect.provide(NodeHttpClient.layerUndici))
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (input: OptionsInput, hooks: Hooks = {}): Effect.Effect<Service, ConfigurationError, HttpClient.HttpClient> =>
  Effect.gen(function*() {
    const options = yield* ConfigOptions.decode(Options, adapterNameOf(input))(input)
    const root = apiUrl(options.baseUrl)
    const transport = yield* HttpTransport.make({
      name: options.name,
      baseUrl: root,
      auth: transportAuth(options.auth),
      timeout: options.timeout,
      userAgent: options.userAgent,
      maxBodyBytes: options.maxBodyBytes,
      ...(hooks.transformClient === undefined ? {} : { transformClient: hooks.transformClient })
    })
    // the raw token too, so that it is scrubbed where Zammad echoes it without the prefix
    const scrubber = options.auth._tag === "token"
      ? Redaction.combine(transport.scrubber, Redaction.make([options.auth.token]))
      : transport.scrubber
    const service: Service = { name: options.name, apiUrl: root, scrubber, ...endpoints(transport) }
    return service
  })

/**
 * The client as a layer, from options as written (checked when the layer is built).
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (input: OptionsInput, hooks: Hooks = {}): Layer.Layer<ZammadClient, ConfigurationError, HttpClient.HttpClient> =>
  Layer.effect(ZammadClient, make(input, hooks))

/**
 * The client as a layer, its options read from a `Config`.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig = (
  config: Config.Config<OptionsInput>,
  hooks: Hooks = {}
): Layer.Layer<ZammadClient, ConfigurationError | ConfigError.ConfigError, HttpClient.HttpClient> =>
  Layer.effect(ZammadClient, Effect.flatMap(config, (input) => make(input, hooks)))
