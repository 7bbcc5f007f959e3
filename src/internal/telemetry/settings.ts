/**
 * What telemetry exports, and where: the options as written (the configuration file's
 * `telemetry:` section, or code) completed from the standard OpenTelemetry environment variables,
 * read through effect's `Config` (so tests provide a `ConfigProvider`).
 *
 * Precedence, following the OpenTelemetry specification (explicit configuration over the
 * environment, a signal's own endpoint over the general one):
 *
 * - off when `enabled: false` or `OTEL_SDK_DISABLED=true`; otherwise on when `enabled: true` or an
 *   endpoint is configured (in the options or the environment);
 * - traces go to `tracesEndpoint`, else `endpoint` + `/v1/traces`, else
 *   `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` (as it is), else `OTEL_EXPORTER_OTLP_ENDPOINT` +
 *   `/v1/traces`, else `http://localhost:4318/v1/traces`; metrics likewise;
 * - headers: `OTEL_EXPORTER_OTLP_HEADERS`, then the signal's `OTEL_EXPORTER_OTLP_{TRACES,METRICS}_HEADERS`,
 *   then the options' `headers`, each over the one before, by header name (case-insensitively);
 * - `service.name`: `serviceName`, the options' `resourceAttributes`, `OTEL_SERVICE_NAME`,
 *   `OTEL_RESOURCE_ATTRIBUTES`, then the caller's default;
 * - the protocol: `protocol`, else `OTEL_EXPORTER_OTLP_PROTOCOL`, else `http/protobuf`;
 * - intervals: `exportIntervalMillis`, else `OTEL_BSP_SCHEDULE_DELAY` (spans, default 5000) and
 *   `OTEL_METRIC_EXPORT_INTERVAL` (metrics, default 60000).
 *
 * Headers and resource attributes in the environment are W3C Baggage lists (`k1=v1,k2=v2`, values
 * percent-encoded). A malformed value is a `ConfigError` naming the variable, never quoting it
 * (header values are secrets). An empty variable counts as unset, as the specification says.
 *
 * @internal
 */
import * as Config from "effect/Config"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import { ConfigError } from "../../Config.js"
import { controlCharacters, headerName, type Options } from "./options.js"

/**
 * Telemetry as it will be exported.
 *
 * @internal
 */
export interface Settings {
  /** where spans go, and with which headers; `undefined`: no spans are exported */
  readonly traces: Signal | undefined
  /** where metrics go, and with which headers; `undefined`: no metrics are exported */
  readonly metrics: Signal | undefined
  readonly protocol: "http/protobuf" | "http/json"
  readonly serviceName: string
  readonly serviceVersion: string | undefined
  /** the resource's attributes besides `service.name` and `service.version` */
  readonly resourceAttributes: Readonly<Record<string, string | number | boolean>>
  readonly tracesExportIntervalMillis: number
  readonly metricsExportIntervalMillis: number
  /** the longest the final export of each signal may take */
  readonly shutdownTimeoutMillis: number
  /** every header value (they are scrubbed from what is exported and printed) */
  readonly secrets: ReadonlyArray<Redacted.Redacted<string>>
}

/**
 * One signal's destination.
 *
 * @internal
 */
export interface Signal {
  readonly url: string
  readonly headers: Readonly<Record<string, Redacted.Redacted<string>>>
}

/**
 * What the caller knows better than the defaults.
 *
 * @internal
 */
export interface Defaults {
  /** the `service.name` when none is configured (default `unknown_service:node`, the specification's) */
  readonly serviceName?: string | undefined
  readonly serviceVersion?: string | undefined
}

const DEFAULT_ENDPOINT = "http://localhost:4318"
const DEFAULT_SHUTDOWN_TIMEOUT_MILLIS = 2000

const fail = (detail: string) => new ConfigError({ detail })

/** an environment variable, `None` when unset or empty */
const variable = (name: string): Effect.Effect<Option.Option<string>> =>
  Config.option(Config.string(name)).pipe(
    Effect.map(Option.filter((value) => value.trim() !== "")),
    Effect.orElseSucceed(() => Option.none<string>())
  )

const isHttpUrl = (value: string) => {
  try {
    const url = new URL(value)
    return url.protocol === "http:" || url.protocol === "https:"
  } catch {
    return false
  }
}

/** an endpoint variable: an http(s) URL */
const endpointVariable = (name: string) =>
  Effect.flatMap(variable(name), (value) =>
    Option.isNone(value) || isHttpUrl(value.value.trim())
      ? Effect.succeed(Option.map(value, (v) => v.trim()))
      : Effect.fail(fail(`the environment variable ${name} is not an http(s) URL`)))

/** `base` + `/v1/<signal>`, keeping the base's own path (`http://host/collector` → `http://host/collector/v1/traces`) */
export const signalUrl = (base: string, signal: "traces" | "metrics"): string => {
  const url = new URL(base)
  url.pathname = `${url.pathname.replace(/\/+$/, "")}/v1/${signal}`
  return url.href
}

/**
 * Parses a W3C Baggage list (`k1=v1, k2=v2`; values percent-encoded) into its entries. Fails with
 * what is wrong, naming the entry by position and never quoting a value.
 *
 * @internal
 */
export const parseList = (text: string, what: string): Either<Array<[string, string]>> => {
  const entries: Array<[string, string]> = []
  const members = text.split(",")
  for (let i = 0; i < members.length; i++) {
    const member = members[i]!.trim()
    if (member === "") continue
    const at = member.indexOf("=")
    if (at <= 0) return { error: `${what}: entry ${i + 1} is not name=value` }
    const key = member.slice(0, at).trim()
    let value: string
    try {
      value = decodeURIComponent(member.slice(at + 1).trim())
    } catch {
      return { error: `${what}: the value of entry ${i + 1} is not valid percent-encoding` }
    }
    if (key === "") return { error: `${what}: entry ${i + 1} has no name` }
    entries.push([key, value])
  }
  return { value: entries }
}

type Either<A> = { readonly value: A; readonly error?: undefined } | { readonly error: string; readonly value?: undefined }

/** headers from a variable, names lowercased */
const headersVariable = (name: string) =>
  Effect.flatMap(variable(name), (value): Effect.Effect<Record<string, Redacted.Redacted<string>>, ConfigError> => {
    if (Option.isNone(value)) return Effect.succeed({})
    const parsed = parseList(value.value, `the environment variable ${name}`)
    if (parsed.error !== undefined) return Effect.fail(fail(parsed.error))
    const headers: Record<string, Redacted.Redacted<string>> = {}
    for (const [index, [key, v]] of parsed.value.entries()) {
      if (!headerName.test(key)) return Effect.fail(fail(`the environment variable ${name}: entry ${index + 1} is not a valid header name`))
      if (controlCharacters.test(v)) return Effect.fail(fail(`the environment variable ${name}: the value of header ${key} holds control characters`))
      headers[key.toLowerCase()] = Redacted.make(v)
    }
    return Effect.succeed(headers)
  })

const millisVariable = (name: string) =>
  Effect.flatMap(variable(name), (value) => {
    if (Option.isNone(value)) return Effect.succeed(Option.none<number>())
    const n = Number(value.value.trim())
    return /^\d+$/.test(value.value.trim()) && n > 0
      ? Effect.succeed(Option.some(n))
      : Effect.fail(fail(`the environment variable ${name} is not a positive whole number of milliseconds`))
  })

const disabledVariable = Effect.flatMap(variable("OTEL_SDK_DISABLED"), (value) => {
  if (Option.isNone(value)) return Effect.succeed(false)
  const text = value.value.trim().toLowerCase()
  if (text === "true") return Effect.succeed(true)
  if (text === "false") return Effect.succeed(false)
  return Effect.fail(fail("the environment variable OTEL_SDK_DISABLED is neither true nor false"))
})

type Protocol = Settings["protocol"]

const protocolVariable = Effect.flatMap(variable("OTEL_EXPORTER_OTLP_PROTOCOL"), (value) => {
  if (Option.isNone(value)) return Effect.succeed(Option.none<Protocol>())
  const text = value.value.trim()
  if (text === "http/protobuf" || text === "http/json") return Effect.succeed(Option.some<Protocol>(text))
  return Effect.fail(fail(`the environment variable OTEL_EXPORTER_OTLP_PROTOCOL: ${text === "grpc" ? "grpc is not supported" : "unknown protocol"}; use http/protobuf or http/json`))
})

const lowercased = (headers: Readonly<Record<string, Redacted.Redacted<string>>> | undefined) => {
  const result: Record<string, Redacted.Redacted<string>> = {}
  for (const key of Object.keys(headers ?? {})) result[key.toLowerCase()] = headers![key]!
  return result
}

/**
 * Resolves the options against the environment; `undefined` when telemetry is off or not
 * configured.
 *
 * @internal
 */
export const resolve = (options: Options = {}, defaults: Defaults = {}): Effect.Effect<Settings | undefined, ConfigError> =>
  Effect.gen(function*() {
    if (options.enabled === false || (yield* disabledVariable)) return undefined
    const env = {
      endpoint: yield* endpointVariable("OTEL_EXPORTER_OTLP_ENDPOINT"),
      traces: yield* endpointVariable("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"),
      metrics: yield* endpointVariable("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT")
    }
    const configured = options.endpoint !== undefined || options.tracesEndpoint !== undefined || options.metricsEndpoint !== undefined ||
      Option.isSome(env.endpoint) || Option.isSome(env.traces) || Option.isSome(env.metrics)
    if (!configured && options.enabled !== true) return undefined
    const urlOf = (signal: "traces" | "metrics", own: string | undefined, envOwn: Option.Option<string>) =>
      own ?? (options.endpoint !== undefined ? signalUrl(options.endpoint, signal) : undefined) ??
        Option.getOrUndefined(envOwn) ?? signalUrl(Option.getOrElse(env.endpoint, () => DEFAULT_ENDPOINT), signal)
    const common = yield* headersVariable("OTEL_EXPORTER_OTLP_HEADERS")
    const own = lowercased(options.headers)
    const traces: Signal = {
      url: urlOf("traces", options.tracesEndpoint, env.traces),
      headers: { ...common, ...(yield* headersVariable("OTEL_EXPORTER_OTLP_TRACES_HEADERS")), ...own }
    }
    const metrics: Signal = {
      url: urlOf("metrics", options.metricsEndpoint, env.metrics),
      headers: { ...common, ...(yield* headersVariable("OTEL_EXPORTER_OTLP_METRICS_HEADERS")), ...own }
    }
    const attributesText = yield* variable("OTEL_RESOURCE_ATTRIBUTES")
    let envAttributes: Record<string, string> = {}
    if (Option.isSome(attributesText)) {
      const parsed = parseList(attributesText.value, "the environment variable OTEL_RESOURCE_ATTRIBUTES")
      if (parsed.error !== undefined) return yield* fail(parsed.error)
      envAttributes = Object.fromEntries(parsed.value)
    }
    const attributes: Record<string, string | number | boolean> = { ...envAttributes, ...options.resourceAttributes }
    const ownName = options.resourceAttributes?.["service.name"]
    const serviceName = options.serviceName ?? (ownName === undefined ? undefined : String(ownName)) ??
      Option.getOrUndefined(yield* variable("OTEL_SERVICE_NAME"))?.trim() ?? envAttributes["service.name"] ??
      defaults.serviceName ?? "unknown_service:node"
    const version = attributes["service.version"]
    const serviceVersion = version === undefined ? defaults.serviceVersion : String(version)
    delete attributes["service.name"]
    delete attributes["service.version"]
    const protocol: Protocol = options.protocol ?? Option.getOrElse(yield* protocolVariable, (): Protocol => "http/protobuf")
    const interval = options.exportIntervalMillis
    const tracesInterval = interval ?? Option.getOrElse(yield* millisVariable("OTEL_BSP_SCHEDULE_DELAY"), () => 5000)
    const metricsInterval = interval ?? Option.getOrElse(yield* millisVariable("OTEL_METRIC_EXPORT_INTERVAL"), () => 60_000)
    const secrets = new Set<string>()
    for (const signal of [traces, metrics]) for (const value of Object.values(signal.headers)) secrets.add(Redacted.value(value))
    return {
      traces,
      metrics,
      protocol,
      serviceName,
      serviceVersion,
      resourceAttributes: attributes,
      tracesExportIntervalMillis: tracesInterval,
      metricsExportIntervalMillis: metricsInterval,
      shutdownTimeoutMillis: options.shutdownTimeoutMillis ?? DEFAULT_SHUTDOWN_TIMEOUT_MILLIS,
      secrets: Array.from(secrets, (secret) => Redacted.make(secret))
    } satisfies Settings
  })
