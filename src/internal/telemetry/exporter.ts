/**
 * The exporters: `@effect/opentelemetry`'s OTLP tracer and metrics exporter (over the platform
 * `HttpClient`, without the OpenTelemetry SDK), loaded with a dynamic `import()` only when
 * telemetry is on, and fed through a serialization that cleans every export before it is encoded:
 *
 * - every string is scrubbed of every known secret (the configuration's, the export headers', the
 *   transports' own) in its common spellings (`Redaction`);
 * - URLs in any string lose their credentials and secret query parameters (`url.full` of a span
 *   made by the platform's HTTP client records the whole URL);
 * - request and response headers recorded as attributes (`http.request.header.*`) and `url.query`
 *   are dropped.
 *
 * @internal
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import * as Effect from "effect/Effect"
import * as FiberRef from "effect/FiberRef"
import * as Redacted from "effect/Redacted"
import * as Scope from "effect/Scope"
import { ConfigError } from "../../Config.js"
import * as Redaction from "../../Redaction.js"
import { redactUrl } from "../http/text.js"
import type { Settings } from "./settings.js"
import { codeOf } from "../cause.js"

/** the modules of `@effect/opentelemetry` used (types only: the package is an optional peer) */
interface Otlp {
  readonly OtlpTracer: typeof import("@effect/opentelemetry/OtlpTracer")
  readonly OtlpMetrics: typeof import("@effect/opentelemetry/OtlpMetrics")
  readonly OtlpSerialization: typeof import("@effect/opentelemetry/OtlpSerialization")
}

/** the package name, in a variable: bundlers leave the import to run time (the package is optional) */
export const PACKAGE = "@effect/opentelemetry"

const notFound = (error: unknown): boolean => {
  const code = (error as { code?: unknown } | null)?.code
  if (code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") return true
  const message = error instanceof Error ? error.message : String(error)
  return /cannot find (package|module)|failed to (load|resolve)/i.test(message)
}

/**
 * Loads `@effect/opentelemetry` (or `pkg`, for tests); a missing package is a `ConfigError` that
 * says to install it.
 *
 * @internal
 */
export const load = (pkg: string = PACKAGE): Effect.Effect<Otlp, ConfigError> =>
  Effect.tryPromise({
    try: async () => {
      const [OtlpTracer, OtlpMetrics, OtlpSerialization] = await Promise.all([
        import(`${pkg}/OtlpTracer`) as Promise<Otlp["OtlpTracer"]>,
        import(`${pkg}/OtlpMetrics`) as Promise<Otlp["OtlpMetrics"]>,
        import(`${pkg}/OtlpSerialization`) as Promise<Otlp["OtlpSerialization"]>
      ])
      return { OtlpTracer, OtlpMetrics, OtlpSerialization } satisfies Otlp
    },
    catch: (error) =>
      new ConfigError({
        detail: notFound(error)
          ? `telemetry is configured, but ${pkg} is not installed: install ${PACKAGE} to export telemetry`
          : `${pkg} could not be loaded (${error instanceof Error ? error.message.split("\n")[0] : String(error)})`
      })
  })

// -----------------------------------------------------------------------------
// cleaning what is exported
// -----------------------------------------------------------------------------

/** attributes never exported: recorded headers (credentials, cookies) and query strings */
const dropped = /^(?:http\.(?:request|response)\.header\.|url\.query$)/

/** a URL that may carry a secret: user info or a query */
const urlPattern = /\bhttps?:\/\/[^\s"'<>()\\]+/gi

const redactUrls = (text: string): string =>
  text.includes("://") ? text.replace(urlPattern, (url) => (url.includes("@") || url.includes("?") ? redactUrl(url) : url)) : text

const isKeyValue = (value: unknown): value is { readonly key: string; readonly value: unknown } =>
  typeof value === "object" && value !== null && typeof (value as { key?: unknown }).key === "string" && "value" in value

/**
 * A copy of an export's data with every string scrubbed and URLs redacted, and the attributes that
 * may hold credentials dropped.
 *
 * @internal
 */
export const clean = (scrubber: Redaction.Scrubber, data: unknown, depth = 0): unknown => {
  if (typeof data === "string") return scrubber.scrub(redactUrls(data))
  if (typeof data !== "object" || data === null || depth > 64 || data instanceof Uint8Array) return data
  if (Array.isArray(data)) {
    const result: Array<unknown> = []
    for (const item of data) {
      if (isKeyValue(item) && dropped.test(item.key)) continue
      result.push(clean(scrubber, item, depth + 1))
    }
    return result
  }
  const result: Record<string, unknown> = {}
  for (const key of Object.keys(data)) result[key] = clean(scrubber, (data as Record<string, unknown>)[key], depth + 1)
  return result
}

// -----------------------------------------------------------------------------
// starting
// -----------------------------------------------------------------------------

/** errors of a collector that is not there: no point in trying again a second later */
const absent = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"])

/**
 * The exporters retry a transport error three times, a second apart: against a collector that
 * refuses the connection, the final export would take the whole shutdown timeout. A refused
 * connection is made an error they do not retry (they drop the export, as for any failure).
 */
const failFast = (client: HttpClient.HttpClient): HttpClient.HttpClient =>
  HttpClient.catchTag(client, "RequestError", (error) => {
    const code = error.reason === "Transport" ? codeOf(error.cause) : undefined
    return Effect.fail(
      code !== undefined && absent.has(code)
        ? new HttpClientError.RequestError({ request: error.request, reason: "InvalidUrl", cause: error.cause, description: `the collector is not reachable (${code})` })
        : error
    )
  })

const plainHeaders = (headers: Readonly<Record<string, Redacted.Redacted<string>>>): Record<string, string> => {
  const result: Record<string, string> = {}
  for (const key of Object.keys(headers)) result[key] = Redacted.value(headers[key]!)
  return result
}

/**
 * Starts exporting for the current scope: the OTLP tracer becomes the tracer of the rest of the
 * scope, metrics are exported at the interval; when the scope closes, both signals are flushed at
 * once, each within `shutdownTimeoutMillis`. An unreachable collector is never an error (the
 * exporters drop what they cannot send).
 *
 * @internal
 */
export const start = (
  settings: Settings,
  options: {
    /** further secrets to scrub from what is exported (e.g. the configuration's) */
    readonly secrets?: Iterable<string | Redacted.Redacted<string>> | undefined
    /** the package to load (tests) */
    readonly pkg?: string | undefined
  } = {}
): Effect.Effect<void, ConfigError, Scope.Scope | HttpClient.HttpClient> =>
  Effect.gen(function*() {
    const otlp = yield* load(options.pkg)
    const scrubber = Redaction.make([...settings.secrets, ...(options.secrets ?? []), ...(yield* FiberRef.get(Redaction.currentSecrets))])
    const { OtlpSerialization } = otlp.OtlpSerialization
    const encoding = yield* Effect.provide(
      OtlpSerialization,
      settings.protocol === "http/json" ? otlp.OtlpSerialization.layerJson : otlp.OtlpSerialization.layerProtobuf
    )
    const serialization: typeof OtlpSerialization.Service = {
      traces: (data) => encoding.traces(clean(scrubber, data)),
      metrics: (data) => encoding.metrics(clean(scrubber, data)),
      logs: (data) => encoding.logs(clean(scrubber, data))
    }
    const resource = {
      serviceName: settings.serviceName,
      serviceVersion: settings.serviceVersion,
      attributes: { ...settings.resourceAttributes }
    }
    // each signal in its own scope, both closed (flushed) at once when the caller's scope closes
    const tracesScope = yield* Scope.make()
    const metricsScope = yield* Scope.make()
    yield* Effect.addFinalizer((exit) =>
      Effect.all([Scope.close(tracesScope, exit), Scope.close(metricsScope, exit)], { concurrency: 2, discard: true })
    )
    const shutdownTimeout = settings.shutdownTimeoutMillis
    const client = failFast(yield* HttpClient.HttpClient)
    if (settings.metrics !== undefined) {
      yield* otlp.OtlpMetrics.make({
        url: settings.metrics.url,
        resource,
        headers: plainHeaders(settings.metrics.headers),
        exportInterval: settings.metricsExportIntervalMillis,
        shutdownTimeout
      }).pipe(Scope.extend(metricsScope), Effect.provideService(OtlpSerialization, serialization), Effect.provideService(HttpClient.HttpClient, client))
    }
    if (settings.traces !== undefined) {
      const tracer = yield* otlp.OtlpTracer.make({
        url: settings.traces.url,
        resource,
        headers: plainHeaders(settings.traces.headers),
        exportInterval: settings.tracesExportIntervalMillis,
        shutdownTimeout
      }).pipe(Scope.extend(tracesScope), Effect.provideService(OtlpSerialization, serialization), Effect.provideService(HttpClient.HttpClient, client))
      yield* Effect.withTracerScoped(tracer)
    }
  })
