/**
 * The transport's options as Schemas (re-exported by `HttpTransport`).
 *
 * @internal
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"

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


/**
 * The connection fields of a system's client: its name (default `name`), and the transport's
 * options but `auth` (each system authenticates its own way) and `redactHeaders`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const connectionFields = (name: string) => {
  const { auth: _auth, redactHeaders: _redactHeaders, ...transport } = Options.fields
  return {
    /** the system's name in errors, logs and spans */
    name: Schema.optionalWith(Schema.String.pipe(Schema.nonEmptyString()), { default: () => name }),
    ...transport
  }
}

/**
 * A token or a user name and password (HTTP basic): how Request Tracker and Zammad authenticate.
 *
 * @since 0.1.0
 * @category schemas
 */
export const TokenOrBasic = Schema.Union(
  Schema.TaggedStruct("token", { token: Secret }),
  Schema.TaggedStruct("basic", {
    username: Schema.String.pipe(Schema.nonEmptyString({ message: () => "a user name must not be empty" })),
    password: Secret
  })
)

/**
 * Options of a client that are code, not configuration.
 *
 * @since 0.1.0
 * @category models
 */
export interface Hooks {
  /** adapts the platform client (logging, proxies, retries of idempotent requests…) */
  readonly transformClient?: (client: HttpClient.HttpClient) => HttpClient.HttpClient
}
