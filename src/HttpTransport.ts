/**
 * The HTTP building blocks every HTTP adapter shares, on `@effect/platform`'s `HttpClient`.
 *
 * From {@link Options} (base URL, auth, timeout, user agent, extra header names to redact, body
 * cap) {@link make} builds a transport that prefixes URLs, authenticates, accepts JSON, times out,
 * and maps every failure once onto the ticketkit error family:
 *
 * | what happened | error |
 * |---|---|
 * | 401, 403 | `AuthenticationError` |
 * | 404 where a ticket was addressed | `TicketNotFoundError` (else `InvalidResponseError`: wrong base URL or path) |
 * | 400, 409, 422 (and other 4xx) | `RequestRejectedError` with the system's own message |
 * | 429 | `RateLimitError`, `Retry-After` parsed (seconds or HTTP-date) |
 * | 5xx | `ServerError` |
 * | no answer in time | `TimeoutError` |
 * | transport failure | `ConnectionError` (`requestSent: false` when the connection was never made) |
 * | body over the cap, not JSON, not matching the schema | `InvalidResponseError` naming the field |
 *
 * Ticket ids and other values are encoded as single path segments: an id such as `../admin` or
 * `1?x=y` never changes the request target.
 *
 * Secrets never leave as text: auth values are `Redacted`; the platform's client span (which
 * records the full URL and headers) is replaced by one whose URL has credentials and secret query
 * parameters redacted and which records no headers; error messages and logs carry no URL
 * credentials, and any secret value echoed in a system's message is scrubbed.
 *
 * The `HttpClient` stays a requirement: the application picks `NodeHttpClient.layerUndici`,
 * `FetchHttpClient.layer` or a test double.
 *
 * @since 0.1.0
 */
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as Headers from "@effect/platform/Headers"
import * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Cause from "effect/Cause"
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as FiberRef from "effect/FiberRef"
import * as LogLevel from "effect/LogLevel"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Redacted from "effect/Redacted"
import * as Runtime from "effect/Runtime"
import * as Schema from "effect/Schema"
import * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import type { AdapterError } from "./AdapterError.js"
import * as Json from "./internal/json.js"
import { currentOperation } from "./internal/operation.js"
import { withSpanEndingEmpty } from "./internal/span.js"
import { isWellFormed } from "./internal/text.js"
import * as Redaction from "./Redaction.js"
import {
  AuthenticationError,
  ConnectionError,
  fromParseError,
  InvalidInputError,
  InvalidResponseError,
  RateLimitError,
  RequestRejectedError,
  ServerError,
  TicketNotFoundError,
  TimeoutError
} from "./AdapterError.js"

// -----------------------------------------------------------------------------
// options
// -----------------------------------------------------------------------------

/**
 * A secret string: decoded from a plain string, held as `Redacted`, shown as `<redacted>`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Secret = Schema.Union(
  Schema.RedactedFromSelf(Schema.String),
  Schema.Redacted(Schema.String.pipe(Schema.nonEmptyString({ message: () => "a secret must not be empty" })))
)

/**
 * A duration: a number of milliseconds, a `Duration`, or a string such as `"30 seconds"`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const DurationInput = Schema.Union(
  Schema.DurationFromSelf,
  Schema.DurationFromMillis,
  Schema.transformOrFail(
    Schema.String,
    Schema.DurationFromSelf,
    {
      strict: true,
      decode: (s, _, ast) =>
        /^\s*\d+(\.\d+)?\s*(nanos?|micros?|millis?|seconds?|minutes?|hours?|days?|weeks?)\s*$/.test(s)
          ? Effect.succeed(Duration.decode(s.trim() as Duration.DurationInput))
          : Effect.fail(new ParseResult.Type(ast, s, `expected a duration such as "30 seconds", got ${JSON.stringify(s)}`)),
      encode: (d) => Effect.succeed(Duration.format(d))
    }
  )
).annotations({ message: () => "expected a duration such as \"30 seconds\" or a number of milliseconds" })

/**
 * How requests authenticate:
 *
 * - `bearer`: `Authorization: Bearer <token>`
 * - `basic`: `Authorization: Basic base64(username:password)`
 * - `api-key`: an API key in a header (default `X-API-Key`), e.g. Redmine's `X-Redmine-API-Key`
 * - `header`: any header with a whole secret value, e.g. Request Tracker's `Authorization: token …`
 * - `none`
 *
 * @since 0.1.0
 * @category schemas
 */
export const Auth = Schema.Union(
  Schema.TaggedStruct("bearer", { token: Secret }),
  Schema.TaggedStruct("basic", { username: Schema.String, password: Secret }),
  Schema.TaggedStruct("api-key", { header: Schema.optionalWith(Schema.String, { default: () => "X-API-Key" }), key: Secret }),
  Schema.TaggedStruct("header", { name: Schema.String, value: Secret }),
  Schema.TaggedStruct("none", {})
)

/**
 * @since 0.1.0
 * @category models
 */
export type Auth = typeof Auth.Type

/**
 * A base URL: absolute http(s), no query or fragment.
 *
 * @since 0.1.0
 * @category schemas
 */
export const BaseUrl = Schema.String.pipe(
  Schema.filter((s) => {
    try {
      const url = new URL(s)
      if (url.protocol !== "http:" && url.protocol !== "https:") return "expected an http or https URL"
      if (url.search !== "" || url.hash !== "") return "expected a URL without query or fragment"
      return true
    } catch {
      return `expected a URL, got ${JSON.stringify(s)}`
    }
  }, { identifier: "BaseUrl" })
)

/**
 * Transport options, as a Schema (so that a config file decodes into them).
 *
 * @since 0.1.0
 * @category schemas
 */
export const Options = Schema.Struct({
  /** e.g. `https://helpdesk.example.com` (paths are appended to it) */
  baseUrl: BaseUrl,
  auth: Schema.optionalWith(Auth, { default: () => ({ _tag: "none" as const }) }),
  /** per request, the whole body included (default 30 seconds) */
  timeout: Schema.optionalWith(DurationInput, { default: () => Duration.seconds(30) }),
  userAgent: Schema.optionalWith(Schema.String, { default: () => "ticketkit/0.1" }),
  /** further header names whose values must never be recorded */
  redactHeaders: Schema.optionalWith(Schema.Array(Schema.String), { default: () => [] }),
  /** the largest response body read (default 10 MiB) */
  maxBodyBytes: Schema.optionalWith(Schema.Number.pipe(Schema.int(), Schema.positive()), { default: () => 10 * 1024 * 1024 })
})

/**
 * @since 0.1.0
 * @category models
 */
export type Options = typeof Options.Type

/**
 * The input form of {@link Options}: secrets as `Redacted` or plain strings are both fine when
 * decoded; in code pass `Redacted.make(token)`.
 *
 * @since 0.1.0
 * @category models
 */
export type OptionsInput = typeof Options.Encoded

// -----------------------------------------------------------------------------
// redaction
// -----------------------------------------------------------------------------

/**
 * Query parameter names whose values are always redacted.
 *
 * @since 0.1.0
 * @category constants
 */
export const secretParams: ReadonlyArray<string> = [
  "key", "api_key", "apikey", "api-key", "token", "access_token", "auth", "password", "pass", "secret", "sig", "signature"
]

/**
 * A URL as it may be shown: user info and secret query parameters replaced by `<redacted>`.
 *
 * @since 0.1.0
 * @category redaction
 */
export const redactUrl = (input: string | URL): string => {
  let url: URL
  try {
    url = new URL(String(input))
  } catch {
    return "<invalid url>"
  }
  if (url.username !== "") url.username = "redacted"
  if (url.password !== "") url.password = "redacted"
  for (const name of Array.from(url.searchParams.keys())) {
    if (secretParams.includes(name.toLowerCase())) url.searchParams.set(name, "<redacted>")
  }
  return url.toString()
}

const secretValues = (auth: Auth): ReadonlyArray<string> => {
  switch (auth._tag) {
    case "bearer":
      return [Redacted.value(auth.token)]
    case "basic": {
      const password = Redacted.value(auth.password)
      return [password, Buffer.from(`${auth.username}:${password}`).toString("base64")]
    }
    case "api-key":
      return [Redacted.value(auth.key)]
    case "header": {
      // "token 1-14-abc…": a server may echo the bare token, so its long words are secrets too
      const value = Redacted.value(auth.value)
      return [value, ...value.split(/\s+/).filter((word) => word.length >= 8 && word !== value)]
    }
    case "none":
      return []
  }
}

// -----------------------------------------------------------------------------
// paths
// -----------------------------------------------------------------------------

/**
 * Encodes a value as exactly one path segment, or `undefined` when no encoding can keep it one
 * (`.` and `..`, in any percent-encoded spelling, are resolved away by URL parsers).
 *
 * @since 0.1.0
 * @category paths
 */
export const encodeSegment = (value: string): string | undefined => {
  if (value === "" || !isWellFormed(value)) return undefined
  const decodedDots = value.replace(/%2e/gi, ".")
  if (decodedDots === "." || decodedDots === "..") return undefined
  return encodeURIComponent(value)
}

/**
 * Expands a path template such as `/api/tickets/{id}/notes`, each value becoming one encoded
 * segment. `undefined` when a value cannot be a segment or a placeholder has no value.
 *
 * @since 0.1.0
 * @category paths
 */
export const expandPath = (template: string, values: Readonly<Record<string, string>> = {}): string | undefined => {
  let failed = false
  const path = template.replace(/\{([A-Za-z0-9_]+)\}/g, (_, key: string) => {
    const value = values[key]
    const encoded = value === undefined ? undefined : encodeSegment(value)
    if (encoded === undefined) failed = true
    return encoded ?? ""
  })
  return failed ? undefined : path
}

// -----------------------------------------------------------------------------
// responses
// -----------------------------------------------------------------------------

/**
 * Parses a `Retry-After` value (delay in seconds, or an HTTP-date) into milliseconds from `now`.
 *
 * @since 0.1.0
 * @category parsing
 */
export const parseRetryAfter = (value: string | undefined, nowMillis: number): number | undefined => {
  if (value === undefined) return undefined
  const trimmed = value.trim()
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000)
  if (!/[a-z]/i.test(trimmed)) return undefined
  const date = Date.parse(trimmed)
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMillis)
}

/**
 * The wait a rate-limited answer asks for: `Retry-After`, else the common `RateLimit-Reset` /
 * `X-RateLimit-Reset` headers (seconds from now, or an epoch time in seconds).
 *
 * @since 0.1.0
 * @category parsing
 */
export const retryAfterOf = (headers: Headers.Headers, nowMillis: number): number | undefined => {
  const retryAfter = parseRetryAfter(Option.getOrUndefined(Headers.get(headers, "retry-after")), nowMillis)
  if (retryAfter !== undefined) return retryAfter
  const reset = Option.getOrUndefined(Option.orElse(Headers.get(headers, "ratelimit-reset"), () => Headers.get(headers, "x-ratelimit-reset")))
  if (reset === undefined || !/^\d+(\.\d+)?$/.test(reset.trim())) return undefined
  const n = Number(reset)
  // large values are epoch seconds, small ones a delay
  return n > 1_000_000_000 ? Math.max(0, n * 1000 - nowMillis) : Math.round(n * 1000)
}

const decoder = new TextDecoder()

/** the prototype of effect's live clock: its `sleep` is a plain `setTimeout` */
const liveClockProto = Object.getPrototypeOf(Clock.make()) as object
/** redirects of a read followed (within the base URL's origin) before giving up */
const maxRedirects = 5
/** the longest delay `setTimeout` takes; longer ones never fire (as with the live clock) */
const maxTimerMillis = 2 ** 31 - 1

/**
 * The system's own message from an error body: `message`, `error`, `errors`, `detail` or
 * `title` of a JSON body, else the start of the text.
 *
 * @since 0.1.0
 * @category parsing
 */
export const systemMessage = (body: Uint8Array, status: number, scrub: (text: string) => string = (t) => t): string => {
  const text = decoder.decode(body).trim()
  if (text === "") return `HTTP ${status} with an empty body`
  try {
    const json: unknown = JSON.parse(text)
    const pick = (value: unknown): string | undefined => {
      if (typeof value === "string" && value !== "") return value
      if (Array.isArray(value)) {
        const parts = value.map(pick).filter((s): s is string => s !== undefined)
        return parts.length > 0 ? parts.join("; ") : undefined
      }
      if (typeof value === "object" && value !== null) {
        const o = value as Record<string, unknown>
        return pick(o.message) ?? pick(o.error) ?? pick(o.errors) ?? pick(o.detail) ?? pick(o.title)
      }
      return undefined
    }
    const found = pick(json)
    // scrubbed before it is cut: a cut must not leave the first characters of a secret
    if (found !== undefined) return Redaction.cap(scrub(found))
  } catch {
    // not JSON: use the text
  }
  return Redaction.cap(scrub(text))
}

// -----------------------------------------------------------------------------
// transport
// -----------------------------------------------------------------------------

/**
 * HTTP methods the transport sends.
 *
 * @since 0.1.0
 * @category models
 */
export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE"

/**
 * One request: a path template (`/api/tickets/{id}`) and its values, query parameters, a JSON
 * body, and the operation it serves (for errors, spans and logs).
 *
 * @since 0.1.0
 * @category models
 */
export interface Request {
  readonly method: Method
  readonly path: string
  readonly pathParams?: Readonly<Record<string, string>>
  /** query parameters; an array repeats the parameter (`f[]=a&f[]=b`) */
  readonly query?: Readonly<Record<string, string | number | boolean | undefined | ReadonlyArray<string | number>>>
  readonly body?: unknown
  readonly headers?: Readonly<Record<string, string>>
  /**
   * the operation the request serves, for errors, spans and logs; by default the port operation
   * being served (`TicketSystemAdapter.currentOperation`), which also wins over this one
   */
  readonly operation?: string
  /** the ticket addressed: a 404 then means `TicketNotFoundError` */
  readonly ticketId?: string
  /** sent as the `Idempotency-Key` header (or the header the adapter names) */
  readonly idempotencyKey?: { readonly header: string; readonly key: string } | undefined
}

/**
 * A successful (2xx) answer, its body read in full.
 *
 * @since 0.1.0
 * @category models
 */
export interface Response {
  readonly status: number
  readonly headers: Headers.Headers
  readonly body: Uint8Array
}

/**
 * The transport an HTTP adapter is built on.
 *
 * @since 0.1.0
 * @category models
 */
export interface HttpTransport {
  /** the system's configured name */
  readonly name: string
  readonly baseUrl: string
  /** sends a request; any non-2xx answer or failure becomes an `AdapterError` */
  readonly send: (request: Request) => Effect.Effect<Response, AdapterError>
  /** sends a request and decodes its JSON body with the schema */
  readonly json: <A, I>(schema: Schema.Schema<A, I, never>, request: Request) => Effect.Effect<A, AdapterError>
  /** decodes an already read body with the schema */
  readonly decode: <A, I>(schema: Schema.Schema<A, I, never>, response: Response, request: Request) => Effect.Effect<A, AdapterError>
  /** removes every secret in use from a text */
  readonly scrub: (text: string) => string
  /** the scrubber that knows the secrets in use (for the driver: the port scrubs every error with it) */
  readonly scrubber: Redaction.Scrubber
}

/** a request whose operation is known */
type Named = Request & { readonly operation: string }

const connectionRefusedCodes = new Set([
  "ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "UND_ERR_CONNECT_TIMEOUT", "ERR_INVALID_URL"
])

const causeCode = (cause: unknown): string | undefined => {
  let current: unknown = cause
  for (let depth = 0; depth < 5 && typeof current === "object" && current !== null; depth++) {
    const code = (current as { code?: unknown }).code
    if (typeof code === "string") return code
    current = (current as { cause?: unknown }).cause
  }
  return undefined
}

const causeText = (cause: unknown): string => {
  const code = causeCode(cause)
  let current: unknown = cause
  let message: string | undefined
  for (let depth = 0; depth < 5 && typeof current === "object" && current !== null; depth++) {
    const m = (current as { message?: unknown }).message
    if (typeof m === "string" && m !== "" && m !== "fetch failed") message = m
    current = (current as { cause?: unknown }).cause
  }
  return [code, message].filter((s) => s !== undefined).join(": ") || "transport failure"
}

/**
 * Makes a transport from options. Requires an `HttpClient`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  options: Options & {
    /** the system's configured name, used in errors */
    readonly name: string
    /** adapts the platform client (logging, extra retries, proxies…) */
    readonly transformClient?: (client: HttpClient.HttpClient) => HttpClient.HttpClient
  }
): Effect.Effect<HttpTransport, never, HttpClient.HttpClient> =>
  Effect.gen(function*() {
    const { name } = options
    const platformClient = yield* HttpClient.HttpClient
    const runtime = yield* Effect.runtime<never>()
    // The transport owns the redirect policy: `fetch` would follow redirects itself, carrying the
    // credentials to any origin and turning a redirected POST into a GET. It is told not to (the
    // undici client never follows), and `send` decides.
    const fetchInit: globalThis.RequestInit = {
      ...Option.getOrUndefined(yield* Effect.serviceOption(FetchHttpClient.RequestInit)),
      redirect: "manual"
    }
    // our own span replaces the platform's, which records the full URL and request headers
    const client = (options.transformClient ?? ((c) => c))(
      platformClient.pipe(HttpClient.withTracerDisabledWhen(() => true))
    )
    const baseUrl = options.baseUrl.replace(/\/+$/, "")
    const timeoutMillis = Duration.toMillis(options.timeout)
    const scrubber = Redaction.make([...secretValues(options.auth), ...(yield* FiberRef.get(Redaction.currentSecrets))])
    const scrubAll = (text: string, extra: ReadonlyArray<string>) =>
      extra.length === 0 ? scrubber.scrub(text) : Redaction.make([...scrubber.secrets, ...extra]).scrub(text)
    const scrub = scrubber.scrub
    /** values of secret query parameters of a request: scrubbed like the configured secrets */
    const querySecrets = (request: Named) =>
      Object.entries(request.query ?? {}).flatMap(([k, v]) =>
        v !== undefined && !Array.isArray(v) && secretParams.includes(k.toLowerCase()) && String(v).length >= 4 ? [String(v)] : []
      )
    const redactedNames: ReadonlyArray<string> = [
      "authorization", "cookie", "set-cookie", "x-api-key", "proxy-authorization",
      ...options.redactHeaders.map((h) => h.toLowerCase()),
      ...(options.auth._tag === "api-key" ? [options.auth.header.toLowerCase()] : []),
      ...(options.auth._tag === "header" ? [options.auth.name.toLowerCase()] : [])
    ]

    const authHeaders = (): Record<string, string> => {
      const auth = options.auth
      switch (auth._tag) {
        case "bearer":
          return { authorization: `Bearer ${Redacted.value(auth.token)}` }
        case "basic":
          return { authorization: `Basic ${Buffer.from(`${auth.username}:${Redacted.value(auth.password)}`).toString("base64")}` }
        case "api-key":
          return { [auth.header]: Redacted.value(auth.key) }
        case "header":
          return { [auth.name]: Redacted.value(auth.value) }
        case "none":
          return {}
      }
    }
    // the headers of every request, made once
    const commonHeaders: Record<string, string> = { accept: "application/json", "user-agent": options.userAgent, ...authHeaders() }

    const readBody = (response: HttpClientResponse.HttpClientResponse, request: Named) => {
      const tooLarge = () =>
        new InvalidResponseError({
          adapter: name,
          operation: request.operation,
          status: response.status,
          detail: `the response body is larger than the ${options.maxBodyBytes} bytes allowed (maxBodyBytes)`,
          ...(request.ticketId === undefined ? {} : { ticketId: request.ticketId })
        })
      const headers = response.headers
      const declared = headers["content-length"]
      if (declared !== undefined && Number(declared) > options.maxBodyBytes) return Effect.fail(tooLarge())
      // a declared length within the cap, nothing to decompress: read it in one go (the length
      // bounds what is read); otherwise count the bytes as they come
      const encoding = headers["content-encoding"]
      if (declared !== undefined && /^\d+$/.test(declared) && (encoding === undefined || encoding === "identity")) {
        return response.arrayBuffer.pipe(
          Effect.mapError((error) => transportError(error, request)),
          Effect.flatMap((buffer) => (buffer.byteLength > options.maxBodyBytes ? Effect.fail(tooLarge()) : Effect.succeed(new Uint8Array(buffer))))
        )
      }
      return response.stream.pipe(
        Stream.mapError((error) => transportError(error, request)),
        Stream.runFoldEffect({ chunks: [] as Array<Uint8Array>, size: 0 }, (acc, chunk) => {
          acc.size += chunk.length
          if (acc.size > options.maxBodyBytes) return Effect.fail(tooLarge())
          acc.chunks.push(chunk)
          return Effect.succeed(acc)
        }),
        Effect.map(({ chunks, size }) => (chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size)))
      )
    }

    const transportError = (error: HttpClientError.HttpClientError, request: Named): AdapterError => {
      const scrub = (text: string) => scrubAll(text, querySecrets(request))
      if (error._tag === "RequestError" && error.reason === "InvalidUrl") {
        return new InvalidInputError({ adapter: name, operation: request.operation, detail: "the request URL is invalid" })
      }
      if (error._tag === "RequestError" && error.reason === "Encode") {
        return new InvalidInputError({ adapter: name, operation: request.operation, detail: "the request body could not be encoded" })
      }
      const code = causeCode(error.cause)
      return new ConnectionError({
        adapter: name,
        operation: request.operation,
        detail: scrub(causeText(error.cause)),
        requestSent: !(error._tag === "RequestError" && code !== undefined && connectionRefusedCodes.has(code))
      })
    }

    const statusError = (status: number, headers: Headers.Headers, body: Uint8Array, request: Named, nowMillis: number): AdapterError => {
      const scrub = (text: string) => scrubAll(text, querySecrets(request))
      const common = { adapter: name, operation: request.operation }
      if (status === 401 || status === 403) return new AuthenticationError({ ...common, status })
      if (status === 404) {
        return request.ticketId !== undefined
          ? new TicketNotFoundError({ ...common, ticketId: request.ticketId })
          : new InvalidResponseError({
            ...common,
            status,
            detail: `${request.method} ${request.path} answered 404 Not Found; check the base URL and the endpoint paths configured`
          })
      }
      if (status === 429) {
        const retryAfterMillis = retryAfterOf(headers, nowMillis)
        return new RateLimitError({ ...common, ...(retryAfterMillis === undefined ? {} : { retryAfterMillis }) })
      }
      if (status >= 500) return new ServerError({ ...common, status, detail: systemMessage(body, status, scrub) })
      return new RequestRejectedError({
        ...common,
        status,
        reason: systemMessage(body, status, scrub),
        ...(request.ticketId === undefined ? {} : { ticketId: request.ticketId })
      })
    }

    const baseOrigin = new URL(baseUrl).origin
    /** where a redirect answer may be followed to, or why it may not */
    const redirectTarget = (
      request: Named,
      from: string,
      status: number,
      headers: Headers.Headers,
      hop: number
    ): string | AdapterError => {
      const common = { adapter: name, operation: request.operation, status, ...(request.ticketId === undefined ? {} : { ticketId: request.ticketId }) }
      const location = headers["location"]
      let target: URL | undefined
      try {
        target = location === undefined ? undefined : new URL(location, from)
      } catch {
        target = undefined
      }
      const what = `${request.method} ${request.path} was redirected (${status})`
      if (target === undefined || (target.protocol !== "http:" && target.protocol !== "https:")) {
        return new InvalidResponseError({ ...common, detail: `${what} without a usable Location` })
      }
      const shown = scrubAll(redactUrl(target), querySecrets(request))
      const advice = `Set the base URL of ${name} to where the system answers now.`
      if (request.method !== "GET") {
        return new InvalidResponseError({
          ...common,
          detail: `${what} to ${shown}. Writes are never sent again to another URL (a redirected POST would become a GET, ` +
            `or be applied twice); whether the system applied it is unknown. ${advice}`
        })
      }
      if (target.origin !== baseOrigin) {
        return new InvalidResponseError({
          ...common,
          detail: `${what} to another origin, ${shown}: credentials are never sent to another origin. ${advice}`
        })
      }
      if (hop >= maxRedirects) {
        return new InvalidResponseError({ ...common, detail: `${what} more than ${maxRedirects} times (last to ${shown})` })
      }
      return target.href
    }

    const scopedClient = HttpClient.withScope(client)
    const timeoutError = (request: Named) => new TimeoutError({ adapter: name, operation: request.operation, timeoutMillis })
    /** the response and its body, or a `TimeoutError` after `timeoutMillis` (body included) */
    const exchange = (
      httpRequest: HttpClientRequest.HttpClientRequest,
      request: Named
    ): Effect.Effect<{ readonly response: HttpClientResponse.HttpClientResponse; readonly body: Uint8Array }, AdapterError> => {
      const attempt = <R>(execute: Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError, R>) =>
        execute.pipe(
          Effect.provideService(FetchHttpClient.RequestInit, fetchInit),
          Effect.mapError((error) => transportError(error, request)),
          Effect.flatMap((response) => Effect.map(readBody(response, request), (body) => ({ response, body })))
        )
      return Effect.clockWith((clock) => {
        if (Object.getPrototypeOf(clock) !== liveClockProto || timeoutMillis > maxTimerMillis) {
          return Effect.timeoutFail(attempt(client.execute(httpRequest)), {
            duration: Duration.millis(timeoutMillis),
            onTimeout: () => timeoutError(request)
          })
        }
        // With the live clock, no fiber of its own (`Effect.timeoutFail` races two fibers: a
        // sixth of a request's CPU here). The request is tied to a scope of its own; a plain
        // timer closes that scope, which aborts the request and its body, and the failure that
        // follows is reported as the timeout. An interrupted caller closes it too. A finished
        // request's scope is left to the GC: closing it would abort a finished request.
        return Effect.flatMap(Scope.make(), (scope) => {
          let timedOut = false
          // the timer's callback enters Effect through the runtime the transport was made in
          const timer = setTimeout(() => {
            timedOut = true
            Runtime.runFork(runtime)(Scope.close(scope, Exit.void))
          }, timeoutMillis)
          return attempt(scopedClient.execute(httpRequest)).pipe(
            Scope.extend(scope),
            Effect.onInterrupt(() => Scope.close(scope, Exit.void)),
            Effect.ensuring(Effect.sync(() => clearTimeout(timer))),
            Effect.catchAll((error) => Effect.fail(timedOut ? timeoutError(request) : error))
          )
        })
      })
    }

    const send = (input: Request): Effect.Effect<Response, AdapterError> =>
      Effect.flatMap(FiberRef.get(currentOperation), (current) =>
        sendAs(
          current === undefined || current === input.operation ? input as Named : { ...input, operation: current },
          current ?? input.operation ?? "request"
        ))

    const sendAs = (request: Named, operation: string): Effect.Effect<Response, AdapterError> =>
      // the span ends with nothing (withSpanEndingEmpty): ended with the response, it kept the
      // body bytes alive
      Effect.gen(function*() {
        const path = expandPath(request.path, request.pathParams)
        if (path === undefined) {
          return yield* request.ticketId !== undefined
            ? new TicketNotFoundError({ adapter: name, operation: request.operation, ticketId: request.ticketId })
            : new InvalidInputError({ adapter: name, operation: request.operation, detail: `a value cannot be used in the path ${request.path}` })
        }
        const url = `${baseUrl}${path}`
        const requestHeaders = request.headers === undefined && request.idempotencyKey === undefined ? commonHeaders : {
          ...commonHeaders,
          ...request.headers,
          ...(request.idempotencyKey === undefined ? {} : { [request.idempotencyKey.header]: request.idempotencyKey.key })
        }
        let httpRequest = HttpClientRequest.make(request.method)(url).pipe(HttpClientRequest.setHeaders(requestHeaders))
        const pairs: Array<[string, string]> = []
        for (const [k, v] of Object.entries(request.query ?? {})) {
          if (v === undefined) continue
          if (Array.isArray(v)) for (const item of v) pairs.push([k, String(item)])
          else pairs.push([k, String(v)])
        }
        if (pairs.length > 0) httpRequest = HttpClientRequest.setUrlParams(httpRequest, pairs)
        if (request.body !== undefined) {
          httpRequest = HttpClientRequest.bodyUnsafeJson(httpRequest, request.body)
        }
        // the URL as logs show it, made only when a line is logged
        let shown: string | undefined
        const shownUrl = () =>
          (shown ??= scrubAll(redactUrl(url + (pairs.length === 0 ? "" : `?${new URLSearchParams(pairs)}`)), querySecrets(request)))
        const started = yield* Clock.currentTimeMillis
        let answer = yield* exchange(httpRequest, request).pipe(
          Effect.tapError((error) => Effect.logDebug(`${request.method} ${shownUrl()} failed: ${error.message}`))
        )
        let status = answer.response.status
        // redirects: only reads, only within the base URL's origin, at most `maxRedirects`
        let at = url
        for (let hop = 0; status >= 300 && status < 400 && status !== 304; hop++) {
          const target = redirectTarget(request, at, status, answer.response.headers, hop)
          if (typeof target !== "string") return yield* Effect.fail(target)
          yield* Effect.logDebug(`${request.method} ${shownUrl()} → ${status}, following to ${scrubAll(redactUrl(target), querySecrets(request))}`)
          at = target
          answer = yield* exchange(HttpClientRequest.get(target).pipe(HttpClientRequest.setHeaders(requestHeaders)), request)
          status = answer.response.status
        }
        const now = yield* Clock.currentTimeMillis
        yield* Effect.annotateCurrentSpan("http.response.status_code", status)
        yield* Effect.whenLogLevel(
          Effect.suspend(() => Effect.logDebug(`${request.method} ${shownUrl()} → ${status} (${now - started} ms)`)),
          LogLevel.Debug
        )
        const headers = answer.response.headers
        if (status < 200 || status >= 300) {
          return yield* Effect.fail(statusError(status, headers, answer.body, request, now))
        }
        return { status, headers, body: answer.body } satisfies Response
      }).pipe(
        Effect.locally(Headers.currentRedactedNames, redactedNames),
        withSpanEndingEmpty(`http.client ${request.method}`, {
          kind: "client",
          // the caller's span (ticketkit.<operation>) has the useful location; this one would
          // only point into the transport
          captureStackTrace: false,
          attributes: {
            "http.request.method": request.method,
            "url.template": request.path,
            "ticketkit.system": name,
            "ticketkit.operation": operation
          }
        })
      )

    const decode = <A, I>(schema: Schema.Schema<A, I, never>, response: Response, input: Request): Effect.Effect<A, AdapterError> => {
      const request: Named = { ...input, operation: input.operation ?? "request" }
      const context = { adapter: name, operation: request.operation, status: response.status, ticketId: request.ticketId }
      let json: unknown
      if (response.body.length > 0) {
        const parsed = Json.parse(decoder.decode(response.body))
        if (parsed._tag === "Error") {
          return Effect.fail(new InvalidResponseError({
            adapter: name,
            operation: request.operation,
            status: response.status,
            detail: parsed.detail,
            ...(request.ticketId === undefined ? {} : { ticketId: request.ticketId })
          }))
        }
        json = parsed.value
      }
      // nothing to check: the parsed body as it is
      if (schema.ast._tag === "UnknownKeyword") return Effect.succeed(json as A)
      return Schema.decodeUnknown(schema)(json).pipe(
        Effect.mapError((error) => Redaction.scrubFields(scrubber, fromParseError(error, context)))
      )
    }

    return {
      name,
      baseUrl,
      send,
      decode,
      json: (schema, request) => Effect.flatMap(send(request), (response) => decode(schema, response, request)),
      scrub,
      scrubber
    }
  })

/**
 * A defect raised while the transport ran (a bug, not a user mistake) is kept as it is; this
 * helper tells a cause's user-facing part for logs.
 *
 * @since 0.1.0
 * @category utils
 */
export const prettyCause = (cause: Cause.Cause<unknown>): string => Cause.pretty(cause)
