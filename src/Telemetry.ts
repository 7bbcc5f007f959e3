/**
 * Observability: the spans ticketkit makes (`ticketkit.<operation>` for every operation of the
 * port, `http.client <METHOD>` for every request, `ticketkit.pipeline.run` and
 * `ticketkit.pipeline.ticket` for pipelines) and its {@link metrics}, exported over OTLP/HTTP to an
 * OpenTelemetry collector.
 *
 * The exporters are `@effect/opentelemetry`'s OTLP modules (over `@effect/platform`'s
 * `HttpClient`, no OpenTelemetry SDK). That package is an optional peer dependency: install it to
 * export (`npm install @effect/opentelemetry`); it is loaded only when telemetry is on, and a
 * missing package is a `ConfigError` saying so.
 *
 * What is configured — the options (the configuration file's `telemetry:` section, or code), then
 * the standard variables (`OTEL_EXPORTER_OTLP_ENDPOINT`, `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`,
 * `OTEL_EXPORTER_OTLP_METRICS_ENDPOINT`, `OTEL_EXPORTER_OTLP_HEADERS`, `OTEL_EXPORTER_OTLP_PROTOCOL`,
 * `OTEL_SERVICE_NAME`, `OTEL_RESOURCE_ATTRIBUTES`, `OTEL_SDK_DISABLED`, `OTEL_BSP_SCHEDULE_DELAY`,
 * `OTEL_METRIC_EXPORT_INTERVAL`) — is resolved by {@link resolve}: nothing is exported unless an
 * endpoint is configured (or `enabled: true`). Bad values are `ConfigError`s that never quote a
 * header value.
 *
 * Nothing secret leaves: every export is cleaned before it is encoded — every string scrubbed of
 * the known secrets (the export headers, the configuration's, the transports'), URLs stripped of
 * credentials and secret query parameters, recorded request and response headers dropped. An
 * unreachable collector never fails a program: what cannot be sent is dropped, and the final
 * export when the scope closes takes at most `shutdownTimeoutMillis` (default 2 s).
 *
 * @example
 * ```ts
 * import { NodeHttpClient } from "@effect/platform-node"
 * import { Effect, Layer, Redacted } from "effect"
 * import { Telemetry } from "ticketkit"
 *
 * // the OTEL_* environment only (nothing is exported when no endpoint is set)
 * const FromEnvironment = Telemetry.layer()
 *
 * // or explicit options, completed from the environment
 * const Explicit = Telemetry.layer({
 *   endpoint: "http://127.0.0.1:4318",
 *   headers: { "x-api-key": Redacted.make("collector-key") },
 *   serviceName: "triage-bot"
 * })
 *
 * declare const program: Effect.Effect<void>
 * program.pipe(Effect.provide(Explicit), Effect.provide(NodeHttpClient.layerUndici))
 * ```
 *
 * @since 0.1.0
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import type * as EffectConfig from "effect/Config"
import type * as EffectConfigError from "effect/ConfigError"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as Metric from "effect/Metric"
import type * as Redacted from "effect/Redacted"
import type * as Scope from "effect/Scope"
import type { ConfigError } from "./Config.js"
import * as Exporter from "./internal/telemetry/exporter.js"
import * as Metrics from "./internal/telemetry/metrics.js"
import * as TelemetryOptions from "./internal/telemetry/options.js"
import * as TelemetrySettings from "./internal/telemetry/settings.js"

/**
 * The options, as written in the configuration file's `telemetry:` section or in code: `enabled`,
 * `endpoint`, `tracesEndpoint`, `metricsEndpoint`, `protocol`, `headers` (secrets: `Redacted`),
 * `serviceName`, `resourceAttributes`, `exportIntervalMillis`, `shutdownTimeoutMillis`. Every key
 * is optional; the environment fills in what is left out.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Options: typeof TelemetryOptions.Options = TelemetryOptions.Options

/**
 * @since 0.1.0
 * @category models
 */
export type Options = TelemetryOptions.Options

/**
 * What will be exported, and where: the options completed from the environment.
 *
 * @since 0.1.0
 * @category models
 */
export type Settings = TelemetrySettings.Settings

/**
 * One signal's destination: its URL and headers.
 *
 * @since 0.1.0
 * @category models
 */
export type Signal = TelemetrySettings.Signal

/**
 * What the caller knows better than the defaults: the `service.name` when none is configured
 * (default `unknown_service:node`), the `service.version`, and further secrets to scrub from what
 * is exported (a configuration's `secrets`).
 *
 * @since 0.1.0
 * @category models
 */
export interface Defaults extends TelemetrySettings.Defaults {
  readonly secrets?: Iterable<string | Redacted.Redacted<string>> | undefined
}

/**
 * Resolves options against the `OTEL_*` environment (read through effect's `Config`), as the
 * OpenTelemetry specification orders them: the options first, then a signal's own variable, then
 * the general one. `undefined` when telemetry is off (`enabled: false`, `OTEL_SDK_DISABLED=true`)
 * or not configured (no endpoint anywhere, and not `enabled: true`).
 *
 * @since 0.1.0
 * @category resolving
 */
export const resolve: (options?: Options, defaults?: TelemetrySettings.Defaults) => Effect.Effect<Settings | undefined, ConfigError> =
  TelemetrySettings.resolve

/**
 * Starts exporting for the current scope, as {@link resolve} says: the OTLP tracer is the tracer
 * of the rest of the scope and metrics are exported at the interval; when the scope closes, both
 * are flushed, each within `shutdownTimeoutMillis`. Gives the settings, `undefined` when nothing
 * is exported.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  options?: Options,
  defaults: Defaults = {}
): Effect.Effect<Settings | undefined, ConfigError, Scope.Scope | HttpClient.HttpClient> =>
  Effect.flatMap(resolve(options, defaults), (settings) =>
    settings === undefined ? Effect.succeed(undefined) : Effect.as(Exporter.start(settings, { secrets: defaults.secrets }), settings))

/**
 * A layer that exports the spans and metrics of the program it is provided to (see {@link make}).
 * Without options, the `OTEL_*` environment alone decides.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options?: Options, defaults?: Defaults): Layer.Layer<never, ConfigError, HttpClient.HttpClient> =>
  Layer.scopedDiscard(make(options, defaults))

/**
 * {@link layer} with options read from effect's `Config` (e.g.
 * `Config.all({ endpoint: Config.string("COLLECTOR_URL") })`).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig = (
  config: EffectConfig.Config<Options>,
  defaults?: Defaults
): Layer.Layer<never, ConfigError | EffectConfigError.ConfigError, HttpClient.HttpClient> =>
  Layer.unwrapEffect(Effect.map(config, (options) => layer(options, defaults)))

/**
 * The metrics ticketkit records, with effect's `Metric` module: they exist without an exporter
 * (read them with `Metric.snapshot` or `Metric.value`). Every data point has the attributes
 * `system` (the configured name) and `operation` (the port operation):
 *
 * | metric | kind | further attributes |
 * |---|---|---|
 * | `ticketkit.http.requests` | counter | `method`, `status_class` (`2xx`…`5xx`, `none` when no answer came) |
 * | `ticketkit.http.request.duration` | histogram, seconds | `method` |
 * | `ticketkit.retries` | counter: requests sent again by `Retry` | |
 * | `ticketkit.rate_limit.waits` | counter: requests held back by `RateLimit` | |
 * | `ticketkit.rate_limit.wait_time` | counter, seconds waited | |
 * | `ticketkit.errors` | counter: failed operations of the port | `error` (the error's tag) |
 * | `ticketkit.operation.duration` | histogram, seconds: operations of the port | |
 *
 * @since 0.1.0
 * @category metrics
 */
export const metrics: {
  readonly requests: Metric.Metric.Counter<number>
  readonly requestDuration: Metric.Metric.Histogram<number>
  readonly retries: Metric.Metric.Counter<number>
  readonly rateLimitWaits: Metric.Metric.Counter<number>
  readonly rateLimitWaitTime: Metric.Metric.Counter<number>
  readonly errors: Metric.Metric.Counter<number>
  readonly operationDuration: Metric.Metric.Histogram<number>
} = {
  requests: Metrics.requests,
  requestDuration: Metrics.requestDuration,
  retries: Metrics.retries,
  rateLimitWaits: Metrics.rateLimitWaits,
  rateLimitWaitTime: Metrics.rateLimitWaitTime,
  errors: Metrics.errors,
  operationDuration: Metrics.operationDuration
} as const
