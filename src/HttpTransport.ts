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
import type * as HttpClient from "@effect/platform/HttpClient"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import type { ConfigurationError } from "./AdapterError.js"
import type { HttpTransport } from "./internal/http/model.js"
import type { OptionsInput } from "./internal/http/options.js"
import { Options } from "./internal/http/options.js"
import * as Internal from "./internal/http/transport.js"
import * as OptionsDecoding from "./internal/options.js"

/**
 * The transport's options as Schemas — `Options`, `Auth`, `Secret`, `BaseUrl`, `DurationInput`,
 * `TokenOrBasic` — and their types (declared in `internal/http/options.ts`).
 *
 * @since 0.1.0
 * @category options
 */
export * from "./internal/http/options.js"
/**
 * Helpers for text in requests and answers (declared in `internal/http/text.ts`).
 *
 * @since 0.1.0
 * @category utils
 */
export * from "./internal/http/text.js"
/**
 * The transport's service and request types (declared in `internal/http/model.ts`).
 *
 * @since 0.1.0
 * @category models
 */
export type * from "./internal/http/model.js"

/**
 * Makes a transport from its options as written (`timeout`, `userAgent`, `redactHeaders` and
 * `maxBodyBytes` have defaults; already decoded options are fine too). Bad options fail with a
 * `ConfigurationError` naming the key. Requires an `HttpClient`.
 *
 * @example
 * ```ts
 * import { NodeHttpClient } from "@effect/platform-node"
 * import { Effect, Redacted, Schema } from "effect"
 * import { HttpTransport } from "ticketkit"
 *
 * const program = Effect.gen(function*() {
 *   const transport = yield* HttpTransport.make({
 *     name: "helpdesk",
 *     baseUrl: "https://helpdesk.example.com",
 *     auth: { _tag: "bearer", token: Redacted.make("…") }
 *   })
 *   return yield* transport.json(Schema.Struct({ total: Schema.Number }), { method: "GET", path: "/api/tickets" })
 * }).pipe(Effect.provide(NodeHttpClient.layerUndici))
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  input: OptionsInput & {
    /** the system's configured name, used in errors */
    readonly name: string
    /** adapts the platform client (logging, extra retries, proxies…) */
    readonly transformClient?: (client: HttpClient.HttpClient) => HttpClient.HttpClient
  }
): Effect.Effect<HttpTransport, ConfigurationError, HttpClient.HttpClient> => {
  // an adapter may pass its whole options: the transport's own keys are taken
  const { auth, baseUrl, maxBodyBytes, name, redactHeaders, timeout, transformClient, userAgent } = input
  const own: OptionsInput = {
    baseUrl,
    ...(auth === undefined ? {} : { auth }),
    ...(timeout === undefined ? {} : { timeout }),
    ...(userAgent === undefined ? {} : { userAgent }),
    ...(redactHeaders === undefined ? {} : { redactHeaders }),
    ...(maxBodyBytes === undefined ? {} : { maxBodyBytes })
  }
  return Effect.flatMap(
    OptionsDecoding.decode(Options, name)(own),
    (options) => Internal.make({ ...options, name, ...(transformClient === undefined ? {} : { transformClient }) })
  )
}

/**
 * A defect raised while the transport ran (a bug, not a user mistake) is kept as it is; this
 * helper tells a cause's user-facing part for logs.
 *
 * @since 0.1.0
 * @category utils
 */
export const prettyCause = (cause: Cause.Cause<unknown>): string => Cause.pretty(cause)
