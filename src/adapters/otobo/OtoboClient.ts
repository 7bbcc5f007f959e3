/**
 * A thin typed client of the OTOBO 10/11 and Znuny 6/7 GenericInterface REST web service (the
 * example connector "GenericTicketConnectorREST"): the operations `SessionCreate`,
 * `TicketSearch`, `TicketGet`, `TicketCreate` and `TicketUpdate`, each sent to the route the
 * web service maps it to ({@link Routes}; the defaults are the example connector's).
 *
 * ```ts
 * const client = OtoboClient.make({
 *   baseUrl: "https://help.example.com/otobo/nph-genericinterface.pl/Webservice/GenericTicketConnectorREST",
 *   auth: { userLogin: "ticketkit", password: Redacted.make(process.env.OTOBO_PASSWORD!) }
 * })
 * ```
 *
 * **Credentials** travel as the connector wants them, in the request data and never in a header:
 * the password only in the JSON body of `SessionCreate` (a POST); every other operation sends the
 * `SessionID` it returned (in the body of POST/PATCH routes, as a query parameter of GET routes),
 * and a session the system no longer knows (`*.AuthFail`) is created again, once, transparently.
 * With `useSession: false` the login and password are sent in the body of each request instead;
 * GET routes still use a session, so that the password never appears in a URL.
 *
 * **Errors** arrive as HTTP 200 with `{ "Error": { "ErrorCode": "TicketGet.AuthFail", … } }`;
 * {@link errorOf} maps them onto the error family: `*.AuthFail` → `AuthenticationError` (401),
 * `*.AccessDenied` → `AuthenticationError` (403) or, for `TicketGet` of given tickets,
 * `TicketNotFoundError` (OTOBO answers a ticket that does not exist the same way),
 * `TicketGet.NotValidTicketID`/`NotTicketData` → `TicketNotFoundError`, anything else
 * (`*.InvalidParameter`, `*.MissingParameter`, …) → `RequestRejectedError` with the system's message.
 *
 * @since 0.1.0
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import type * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as FiberRef from "effect/FiberRef"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as SynchronizedRef from "effect/SynchronizedRef"
import type { AdapterError, ConfigurationError } from "../../AdapterError.js"
import { AuthenticationError, fromParseError, RequestRejectedError, TicketNotFoundError } from "../../AdapterError.js"
import * as HttpTransport from "../../HttpTransport.js"
import * as ConfigOptions from "../../internal/options.js"
import { currentOperation } from "../../internal/operation.js"
import * as Redaction from "../../Redaction.js"
import type { TicketWithRaw } from "./internal/schemas.js"
import { ErrorAnswer, SearchResult, SessionCreated, Ticket, TicketGetResult, Written } from "./internal/schemas.js"

/**
 * Schemas of the web service's JSON (declared in `internal/schemas.ts`).
 *
 * @since 0.1.0
 * @category schemas
 */
export * from "./internal/schemas.js"

// -----------------------------------------------------------------------------
// options
// -----------------------------------------------------------------------------

/**
 * An agent's login and password (the web service authenticates agents like the web interface).
 *
 * @since 0.1.0
 * @category configuration
 */
export const Auth = Schema.Struct({
  userLogin: Schema.String.pipe(Schema.nonEmptyString({ message: () => "a user login must not be empty" })),
  password: HttpTransport.Secret
})

/**
 * @since 0.1.0
 * @category configuration
 */
export type Auth = typeof Auth.Type

/**
 * Where the web service maps an operation: a method and a route below the base URL, whose
 * `:TicketID` is replaced by the ticket's id.
 *
 * @since 0.1.0
 * @category configuration
 */
export const Route = Schema.Struct({
  method: Schema.Literal("GET", "POST", "PATCH", "PUT"),
  path: Schema.String.pipe(Schema.startsWith("/", { message: () => "a route starts with /" }))
})

/**
 * @since 0.1.0
 * @category configuration
 */
export type Route = typeof Route.Type

/**
 * The operations' routes (GenericTicketConnectorREST's by default).
 *
 * @since 0.1.0
 * @category configuration
 */
export const defaultRoutes = {
  SessionCreate: { method: "POST", path: "/Session" },
  TicketSearch: { method: "POST", path: "/TicketSearch" },
  TicketGet: { method: "GET", path: "/Ticket/:TicketID" },
  TicketCreate: { method: "POST", path: "/Ticket" },
  TicketUpdate: { method: "PATCH", path: "/Ticket/:TicketID" }
} as const satisfies Record<string, Route>

/**
 * The name of an operation the client uses.
 *
 * @since 0.1.0
 * @category models
 */
export type OperationName = keyof typeof defaultRoutes

const routeField = (name: OperationName) => Schema.optionalWith(Route, { default: () => ({ ...defaultRoutes[name] }) })

/**
 * The route map: each operation's method and route, defaults for those not given.
 *
 * @since 0.1.0
 * @category configuration
 */
export const Routes = Schema.Struct({
  SessionCreate: routeField("SessionCreate"),
  TicketSearch: routeField("TicketSearch"),
  TicketGet: routeField("TicketGet"),
  TicketCreate: routeField("TicketCreate"),
  TicketUpdate: routeField("TicketUpdate")
})

/**
 * The client's configuration.
 *
 * @since 0.1.0
 * @category configuration
 */
export const Options = Schema.Struct({
  ...HttpTransport.connectionFields("otobo"),
  auth: Auth,
  /** authenticate each request with a session (default) rather than the login and password */
  useSession: Schema.optionalWith(Schema.Boolean, { default: () => true }),
  routes: Schema.optionalWith(Routes, { default: () => Schema.decodeSync(Routes)({}) })
})

/**
 * @since 0.1.0
 * @category configuration
 */
export type Options = typeof Options.Type

/**
 * The input form of {@link Options} (the password as a plain string or `Redacted`).
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

// -----------------------------------------------------------------------------
// errors
// -----------------------------------------------------------------------------

/**
 * The error family's member for an `Error` answer of an operation.
 *
 * @since 0.1.0
 * @category errors
 */
export const errorOf = (
  answer: { readonly ErrorCode: string; readonly ErrorMessage: string },
  context: { readonly adapter: string; readonly operation: string; readonly ticketIds?: ReadonlyArray<string> | undefined }
): AdapterError => {
  const { adapter, operation } = context
  const [op = "", kind = ""] = answer.ErrorCode.split(".")
  const ticketId = context.ticketIds?.join(",")
  if (kind === "AuthFail") return new AuthenticationError({ adapter, operation, status: 401 })
  if (op === "TicketGet" && ticketId !== undefined && ["AccessDenied", "NotValidTicketID", "NotTicketData"].includes(kind)) {
    return new TicketNotFoundError({ adapter, operation, ticketId })
  }
  if (kind === "AccessDenied") return new AuthenticationError({ adapter, operation, status: 403 })
  const reason = [answer.ErrorCode, answer.ErrorMessage].filter((s) => s !== "").join(": ") || "the system reported an error without a message"
  return new RequestRejectedError({ adapter, operation, reason, ...(ticketId === undefined ? {} : { ticketId }) })
}

// -----------------------------------------------------------------------------
// service
// -----------------------------------------------------------------------------

/**
 * What `TicketGet` is asked to include.
 *
 * @since 0.1.0
 * @category models
 */
export interface TicketGetFlags {
  /** the articles (1) */
  readonly allArticles?: boolean
  /** at most this many articles, oldest first */
  readonly articleLimit?: number
  /** the dynamic fields (1) */
  readonly dynamicFields?: boolean
}

/**
 * The operations, typed. Every method fails only with an `AdapterError`.
 *
 * @since 0.1.0
 * @category models
 */
export interface Service {
  readonly name: string
  /** knows the password and every session id in use */
  readonly scrubber: Redaction.Scrubber
  /** `SessionCreate`: a new session id */
  readonly sessionCreate: () => Effect.Effect<string, AdapterError>
  /** `TicketSearch`: the ids found, in the order asked (the criteria as the operation takes them) */
  readonly ticketSearch: (criteria: Readonly<Record<string, unknown>>) => Effect.Effect<ReadonlyArray<string>, AdapterError>
  /** `TicketGet` of several tickets in one request (`TicketID` as a comma-separated list) */
  readonly ticketGet: (ids: ReadonlyArray<string>, flags?: TicketGetFlags) => Effect.Effect<ReadonlyArray<TicketWithRaw>, AdapterError>
  /** `TicketCreate` with `Ticket`, `Article` and optionally `DynamicField` */
  readonly ticketCreate: (data: Readonly<Record<string, unknown>>) => Effect.Effect<typeof Written.Type, AdapterError>
  /** `TicketUpdate` of one ticket with `Ticket`, `Article` and/or `DynamicField` */
  readonly ticketUpdate: (id: string, data: Readonly<Record<string, unknown>>) => Effect.Effect<typeof Written.Type, AdapterError>
}

/**
 * The tag of the client.
 *
 * @since 0.1.0
 * @category tags
 */
export class OtoboClient extends Context.Tag("ticketkit/OtoboClient")<OtoboClient, Service>() {}

/** the password and every session id handed out, as one scrubber that follows new sessions */
const secretsScrubber = (base: Redaction.Scrubber, password: Redacted.Redacted<string>) => {
  const sessions: Array<string> = []
  let current = Redaction.combine(base, Redaction.make([password]))
  const scrubber: Redaction.Scrubber = {
    get secrets() {
      return current.secrets
    },
    scrub: (text) => current.scrub(text)
  }
  const remember = (session: string) => {
    if (sessions.includes(session)) return
    sessions.push(session)
    current = Redaction.combine(base, Redaction.make([password, ...sessions]))
  }
  return { scrubber, remember }
}

/** the endpoints over a transport */
const endpoints = (transport: HttpTransport.HttpTransport, options: Options, remember: (session: string) => void) => {
  const { auth, routes } = options
  const session = SynchronizedRef.unsafeMake(Option.none<string>())

  const operationName = (fallback: string) => Effect.map(FiberRef.get(currentOperation), (op) => (op === undefined || op === "" ? fallback : op))

  /** one operation's request: its data, the route's method deciding body or query */
  const send = (name: OperationName, data: Record<string, unknown>, pathParams: Record<string, string>, ticketIds?: ReadonlyArray<string>) =>
    Effect.gen(function*() {
      const route = routes[name]
      const operation = yield* operationName(name)
      const path = route.path.replace(/:([A-Za-z0-9_]+)/g, "{$1}")
      const onlyTicket = ticketIds?.length === 1 ? { ticketId: ticketIds[0]! } : {}
      const request: HttpTransport.Request = route.method === "GET"
        ? { method: "GET", path, pathParams, query: queryOf(data), operation, ...onlyTicket }
        : { method: route.method, path, pathParams, body: data, operation, ...onlyTicket }
      const answer = yield* transport.json(Schema.Unknown, request)
      const error = Schema.decodeUnknownOption(ErrorAnswer)(answer)
      return Option.isSome(error)
        ? { _tag: "Error" as const, error: error.value.Error, operation }
        : { _tag: "Ok" as const, answer, operation }
    })

  const sessionCreate = (): Effect.Effect<string, AdapterError> =>
    Effect.gen(function*() {
      const route = routes.SessionCreate
      if (route.method === "GET") {
        return yield* new RequestRejectedError({ adapter: options.name, operation: "SessionCreate", reason: "SessionCreate must be routed to POST: the password never goes in a URL" })
      }
      const result = yield* send("SessionCreate", { UserLogin: auth.userLogin, Password: Redacted.value(auth.password) }, {})
      if (result._tag === "Error") return yield* errorOf(result.error, { adapter: options.name, operation: result.operation })
      const created = yield* decode(SessionCreated, result.answer, result.operation)
      remember(created.SessionID)
      return created.SessionID
    })

  const decode = <A, I>(schema: Schema.Schema<A, I, never>, answer: unknown, operation: string, ticketId?: string) =>
    Schema.decodeUnknown(schema)(answer).pipe(Effect.mapError((error) => fromParseError(error, { adapter: options.name, operation, ticketId })))

  /** the session in use, created when there is none */
  const currentSession = SynchronizedRef.modifyEffect(session, (known) =>
    Option.isSome(known) ? Effect.succeed([known.value, known] as const) : Effect.map(sessionCreate(), (id) => [id, Option.some(id)] as const))

  /** forgets a session the system refused (unless another fiber already replaced it) */
  const forget = (id: string) => SynchronizedRef.update(session, (known) => (Option.contains(known, id) ? Option.none() : known))

  /** an operation with credentials; a refused session is renewed once */
  const call = (name: OperationName, data: Record<string, unknown>, pathParams: Record<string, string> = {}, ticketIds?: ReadonlyArray<string>) => {
    const withSession = options.useSession || routes[name].method === "GET"
    const attempt = (renewed: boolean): Effect.Effect<{ readonly answer: unknown; readonly operation: string }, AdapterError> =>
      Effect.gen(function*() {
        const sessionId = withSession ? yield* currentSession : undefined
        const credentials = sessionId !== undefined ? { SessionID: sessionId } : { UserLogin: auth.userLogin, Password: Redacted.value(auth.password) }
        const result = yield* send(name, { ...credentials, ...data }, pathParams, ticketIds)
        if (result._tag === "Ok") return result
        if (sessionId !== undefined && !renewed && result.error.ErrorCode.endsWith(".AuthFail")) {
          yield* forget(sessionId)
          return yield* attempt(true)
        }
        return yield* errorOf(result.error, { adapter: options.name, operation: result.operation, ticketIds })
      })
    return attempt(false)
  }

  const ticketGet = (ids: ReadonlyArray<string>, flags: TicketGetFlags = {}) =>
    Effect.gen(function*() {
      if (ids.length === 0) return []
      const data = {
        ...(flags.allArticles === true ? { AllArticles: 1, ArticleOrder: "ASC" } : {}),
        ...(flags.articleLimit === undefined ? {} : { ArticleLimit: flags.articleLimit }),
        ...(flags.dynamicFields === true ? { DynamicFields: 1 } : {})
      }
      const TicketID = ids.join(",")
      const inPath = routes.TicketGet.path.includes(":TicketID")
      const { answer, operation } = yield* call("TicketGet", inPath ? data : { TicketID, ...data }, { TicketID }, ids)
      const result = yield* decode(TicketGetResult, answer, operation)
      return yield* Effect.forEach(result.Ticket, (raw, index) =>
        Effect.map(decode(Ticket, raw, operation, ids[index]), (value): TicketWithRaw => ({ value, raw })))
    })

  return {
    sessionCreate,
    ticketSearch: (criteria: Readonly<Record<string, unknown>>) =>
      Effect.flatMap(call("TicketSearch", { ...criteria }), ({ answer, operation }) =>
        Effect.map(decode(SearchResult, answer, operation), (found) => found.TicketID)),
    ticketGet,
    ticketCreate: (data: Readonly<Record<string, unknown>>) =>
      Effect.flatMap(call("TicketCreate", { ...data }), ({ answer, operation }) => decode(Written, answer, operation)),
    ticketUpdate: (id: string, data: Readonly<Record<string, unknown>>) => {
      const inPath = routes.TicketUpdate.path.includes(":TicketID")
      return Effect.flatMap(
        call("TicketUpdate", inPath ? { ...data } : { TicketID: id, ...data }, { TicketID: id }, [id]),
        ({ answer, operation }) => decode(Written, answer, operation, id)
      )
    }
  }
}

/** GET data as query parameters: arrays repeat the parameter, objects are not sent */
const queryOf = (data: Record<string, unknown>): Record<string, string | number | ReadonlyArray<string | number>> => {
  const query: Record<string, string | number | ReadonlyArray<string | number>> = {}
  for (const [key, value] of Object.entries(data)) {
    if (typeof value === "string" || typeof value === "number") query[key] = value
    else if (typeof value === "boolean") query[key] = value ? 1 : 0
    else if (Array.isArray(value)) query[key] = value.map((v) => (typeof v === "number" ? v : String(v)))
  }
  return query
}

/** the name a configuration error is reported under: the configured name, if there is one */
const adapterNameOf = (input: { readonly name?: string | undefined }): string =>
  typeof input?.name === "string" && input.name !== "" ? input.name : "otobo"

/**
 * Makes a client from a configuration as written: defaults applied, every key checked (a bad one
 * is a `ConfigurationError` naming it). Requires an `HttpClient`. No request is made until an
 * operation is called (the session is created by the first).
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (input: OptionsInput, hooks: Hooks = {}): Effect.Effect<Service, ConfigurationError, HttpClient.HttpClient> =>
  Effect.gen(function*() {
    const options = yield* ConfigOptions.decode(Options, adapterNameOf(input))(input)
    const transport = yield* HttpTransport.make({
      name: options.name,
      baseUrl: options.baseUrl,
      timeout: options.timeout,
      userAgent: options.userAgent,
      maxBodyBytes: options.maxBodyBytes,
      ...(hooks.transformClient === undefined ? {} : { transformClient: hooks.transformClient })
    })
    // the transport does not know the password (it is sent in bodies) nor the sessions
    const { remember, scrubber } = secretsScrubber(transport.scrubber, options.auth.password)
    const service: Service = { name: options.name, scrubber, ...endpoints(transport, options, remember) }
    return service
  })

/**
 * The client as a layer, from a configuration as written. Requires an `HttpClient`.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (input: OptionsInput, hooks: Hooks = {}): Layer.Layer<OtoboClient, ConfigurationError, HttpClient.HttpClient> =>
  Layer.effect(OtoboClient, make(input, hooks))

/**
 * The client as a layer, its configuration read from a `Config`.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig = (
  config: Config.Config<OptionsInput>,
  hooks: Hooks = {}
): Layer.Layer<OtoboClient, ConfigurationError | ConfigError.ConfigError, HttpClient.HttpClient> =>
  Layer.effect(OtoboClient, Effect.flatMap(config, (input) => make(input, hooks)))
