/**
 * The `telemetry:` section of the configuration file, as a Schema (re-exported by `Telemetry`; the
 * configuration file decodes its section with it). It imports nothing of ticketkit, so that
 * `Config` can use it without an import cycle.
 *
 * @internal
 */
import * as Schema from "effect/Schema"

/** an absolute http(s) URL; the message never quotes the value (it may carry a secret) */
const HttpUrl = Schema.String.pipe(
  Schema.filter((value) => {
    try {
      const url = new URL(value)
      return url.protocol === "http:" || url.protocol === "https:"
    } catch {
      return false
    }
  }, { message: () => "expected an http(s) URL" })
)

/** an HTTP header name (RFC 9110 token) */
export const headerName = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/

/** control characters, which no header value may hold (CR and LF would start another header) */
// eslint-disable-next-line no-control-regex
export const controlCharacters = /[\u0000-\u0008\u000a-\u001f\u007f]/

const HeaderName = Schema.String.pipe(
  Schema.filter((name) => headerName.test(name), { message: () => "expected an HTTP header name (letters, digits and !#$%&'*+.^_`|~-)" })
)

const HeaderValue = Schema.Redacted(
  Schema.String.pipe(Schema.filter((value) => !controlCharacters.test(value), { message: () => "a header value cannot hold control characters (line breaks)" }))
)

const Millis = Schema.Number.pipe(
  Schema.filter((n) => Number.isFinite(n) && n > 0, { message: () => "expected a positive number of milliseconds" })
)

/**
 * The options of telemetry export, as written in the `telemetry:` section of the configuration
 * file or in code. Every key is optional: what is left out comes from the standard `OTEL_*`
 * environment variables, then from the defaults.
 *
 * @internal
 */
export const Options = Schema.Struct({
  /**
   * `false` turns telemetry off whatever the environment says; `true` turns it on even without an
   * endpoint (then `http://localhost:4318`, the OTLP/HTTP default). Unset: on when an endpoint is
   * configured here or in the environment.
   */
  enabled: Schema.optional(Schema.Boolean),
  /** the collector's base URL: traces go to `<endpoint>/v1/traces`, metrics to `<endpoint>/v1/metrics` */
  endpoint: Schema.optional(HttpUrl),
  /** the full URL traces are sent to (instead of `<endpoint>/v1/traces`) */
  tracesEndpoint: Schema.optional(HttpUrl),
  /** the full URL metrics are sent to (instead of `<endpoint>/v1/metrics`) */
  metricsEndpoint: Schema.optional(HttpUrl),
  /** `http/protobuf` (the default) or `http/json` */
  protocol: Schema.optional(Schema.Literal("http/protobuf", "http/json")),
  /** headers sent with every export (e.g. the collector's API key, as `${env:NAME}`): secrets */
  headers: Schema.optional(Schema.Record({ key: HeaderName, value: HeaderValue })),
  /** the `service.name` of the resource */
  serviceName: Schema.optional(Schema.NonEmptyTrimmedString),
  /** further attributes of the resource (`deployment.environment: production`) */
  resourceAttributes: Schema.optional(
    Schema.Record({ key: Schema.NonEmptyTrimmedString, value: Schema.Union(Schema.String, Schema.Number, Schema.Boolean) })
  ),
  /** how often spans and metrics are sent while a program runs (default: 5 s for spans, 60 s for metrics) */
  exportIntervalMillis: Schema.optional(Millis),
  /** the longest the final export may take when the program ends (default 2000) */
  shutdownTimeoutMillis: Schema.optional(Millis)
})

/** @internal */
export type Options = typeof Options.Type
