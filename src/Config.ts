/**
 * The configuration file: named systems, each an adapter with its options.
 *
 * ```yaml
 * # ticketkit.yaml
 * default: helpdesk
 * systems:
 *   helpdesk:
 *     adapter: rest
 *     options:
 *       baseUrl: https://helpdesk.example.com
 *       auth: { _tag: bearer, token: "${env:HELPDESK_TOKEN}" }
 *     retry: { attempts: 5 }                 # default: Retry.defaultPolicy; false for none
 *     rateLimit: { limit: 10, interval: 1000 } # at most 10 requests a second, shared
 * ```
 *
 * YAML or JSON (by extension; YAML also reads JSON). `${env:NAME}` in a string is replaced by the
 * environment variable, read through effect's `Config` (so tests can provide a `ConfigProvider`);
 * secrets then become `Redacted` when the adapter's own Schema decodes the options, and are never
 * printed. Every value read from the environment counts as a secret, wherever it was placed (a
 * token inside `baseUrl` or `name` too): {@link Resolved.secrets} lists them with every `Redacted`
 * of the decoded options, and no error of the configuration quotes one. Every error names the file
 * and the path of the bad value (`systems.helpdesk.options.baseUrl: expected a URL`).
 *
 * @since 0.1.0
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import * as Config from "effect/Config"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as ParseErrors from "./internal/parseError.js"
import * as TelemetryOptions from "./internal/telemetry/options.js"
import * as FileSystem from "@effect/platform/FileSystem"
import type { LayerError } from "./AdapterDefinition.js"
import * as path from "node:path"
import * as YAML from "yaml"
import * as RateLimit from "./RateLimit.js"
import * as Redaction from "./Redaction.js"
import type { Registered } from "./Registry.js"
import { AdapterRegistry } from "./Registry.js"
import * as Retry from "./Retry.js"
import type { TicketSystemAdapter } from "./TicketSystemAdapter.js"

/**
 * The default file name, looked up in the working directory.
 *
 * @since 0.1.0
 * @category constants
 */
export const DEFAULT_FILE = "ticketkit.yaml"

/**
 * The configuration is missing, unreadable or invalid.
 *
 * @since 0.1.0
 * @category errors
 */
export class ConfigError extends Schema.TaggedError<ConfigError>("ticketkit/ConfigError")("ConfigError", {
  file: Schema.optional(Schema.String),
  path: Schema.optional(Schema.String),
  detail: Schema.String
}) {
  /**
   * @since 0.1.0
   */
  override get message(): string {
    return [this.file, this.path].filter((s) => s !== undefined && s !== "").join(": ") +
      (this.file !== undefined || (this.path !== undefined && this.path !== "") ? ": " : "") + this.detail
  }
}

/**
 * The shape of the file.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ConfigFile = Schema.Struct({
  /** the system commands use when none is named */
  default: Schema.optional(Schema.String),
  systems: Schema.optionalWith(
    Schema.Record({
      key: Schema.String,
      value: Schema.Struct({
        adapter: Schema.String,
        description: Schema.optional(Schema.String),
        options: Schema.optionalWith(Schema.Unknown, { default: () => ({}) }),
        /** the retry policy: `false` for none (default: `Retry.defaultPolicy`) */
        retry: Schema.optional(Schema.Union(
          Schema.Literal(false),
          Schema.Struct({
            attempts: Schema.optional(Schema.Int.pipe(Schema.positive())),
            baseMillis: Schema.optional(Schema.Number.pipe(Schema.positive())),
            maxMillis: Schema.optional(Schema.Number.pipe(Schema.positive()))
          })
        )),
        /** a client-side rate limit shared by everything that uses the system */
        rateLimit: Schema.optional(RateLimit.OptionsSchema)
      })
    }),
    { default: () => ({}) }
  ),
  /** telemetry export (see `Telemetry`): decoded with `Telemetry.Options` after `${env:…}` is replaced */
  telemetry: Schema.optional(Schema.Unknown)
})

/**
 * A configured system, its options decoded by its adapter.
 *
 * @since 0.1.0
 * @category models
 */
export interface System {
  readonly name: string
  readonly description?: string | undefined
  readonly adapter: Registered
  /** the decoded options (secrets `Redacted`) */
  readonly options: unknown
  /** the adapter's layer for these options */
  readonly layer: Layer.Layer<TicketSystemAdapter, LayerError, HttpClient.HttpClient>
}

/**
 * A configured system as listed: its options may be invalid (or need an environment variable
 * that is not set) without spoiling the other systems; the problem shows when it is used.
 *
 * @since 0.1.0
 * @category models
 */
export interface Entry {
  readonly name: string
  readonly adapter: string
  readonly description?: string | undefined
  readonly system: Either.Either<System, ConfigError>
}

/**
 * A loaded configuration.
 *
 * @since 0.1.0
 * @category models
 */
export interface Resolved {
  /** the file read, if any */
  readonly file?: string | undefined
  readonly systems: ReadonlyArray<Entry>
  readonly default?: string | undefined
  /**
   * Every secret of the configuration: each value read from the environment (`${env:NAME}`),
   * wherever it was placed, and each `Redacted` value of the systems' decoded options (with
   * `username:password` for a `username` next to a `Redacted` `password`, as basic auth sends
   * it). Feed them to `Redaction.make` to scrub whatever is printed.
   */
  readonly secrets: ReadonlyArray<Redacted.Redacted<string>>
  /** the project directory: the configuration file's, else the working directory */
  readonly directory?: string | undefined
  /** the `telemetry:` section, decoded (header values `Redacted`); see `Telemetry.make` */
  readonly telemetry?: TelemetryOptions.Options | undefined
}

const issuesOf = ParseErrors.grouped

/**
 * Parses the text of a configuration file (JSON for `.json`, YAML otherwise).
 *
 * @since 0.1.0
 * @category parsing
 */
export const parse = (text: string, file: string): Effect.Effect<unknown, ConfigError> =>
  Effect.try({
    try: () => {
      if (file.endsWith(".json")) return JSON.parse(text) as unknown
      const doc = YAML.parseDocument(text, { prettyErrors: true })
      if (doc.errors.length > 0) throw doc.errors[0]
      return doc.toJS() as unknown
    },
    catch: (error) =>
      new ConfigError({
        file,
        detail: `not valid ${file.endsWith(".json") ? "JSON" : "YAML"}: ${error instanceof Error ? error.message.split("\n")[0]!.replace(/:$/, "") : String(error)}`
      })
  })

const ENV = /\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g

/**
 * Replaces `${env:NAME}` in every string of a parsed configuration, reading the variables through
 * effect's `Config`. With `found`, every value read is added to it (they are treated as secrets).
 *
 * @since 0.1.0
 * @category parsing
 */
export const interpolate = (value: unknown, at: string, file?: string, found?: Set<string>): Effect.Effect<unknown, ConfigError> => {
  if (typeof value === "string") {
    const names = Array.from(value.matchAll(ENV), (m) => m[1]!)
    if (names.length === 0) return Effect.succeed(value)
    return Effect.forEach(names, (name) =>
      Config.string(name).pipe(
        Effect.mapError(() =>
          new ConfigError({ ...(file === undefined ? {} : { file }), path: at, detail: `the environment variable ${name} is not set` })
        ),
        Effect.filterOrFail(
          (v) => v !== "",
          () => new ConfigError({ ...(file === undefined ? {} : { file }), path: at, detail: `the environment variable ${name} is empty` })
        ),
        Effect.map((v) => [name, v] as const)
      )).pipe(Effect.map((pairs) => {
        const values = new Map(pairs)
        if (found !== undefined) for (const v of values.values()) if (v !== "") found.add(v)
        return value.replace(ENV, (_, name: string) => values.get(name) ?? "")
      }))
  }
  if (Array.isArray(value)) return Effect.forEach(value, (v, i) => interpolate(v, `${at}.${i}`, file, found))
  if (typeof value === "object" && value !== null) {
    return Effect.map(
      Effect.forEach(Object.entries(value), ([k, v]) => Effect.map(interpolate(v, at === "" ? k : `${at}.${k}`, file, found), (r) => [k, r] as const)),
      Object.fromEntries
    )
  }
  return Effect.succeed(value)
}

/** every `Redacted` string in decoded options (plain objects and arrays), and basic auth's pair */
const redactedIn = (value: unknown, found: Set<string>, seen = new Set<unknown>(), depth = 0): void => {
  if (depth > 32 || typeof value !== "object" || value === null || seen.has(value)) return
  seen.add(value)
  if (Redacted.isRedacted(value)) {
    const secret: unknown = Redacted.value(value)
    if (typeof secret === "string" && secret !== "") found.add(secret)
    return
  }
  if (Array.isArray(value)) {
    for (const item of value) redactedIn(item, found, seen, depth + 1)
    return
  }
  const proto = Object.getPrototypeOf(value)
  if (proto !== Object.prototype && proto !== null) return
  const record = value as Record<string, unknown>
  for (const key of Object.keys(record)) redactedIn(record[key], found, seen, depth + 1)
  const password = record.password
  const username = record.username ?? record.user
  if (Redacted.isRedacted(password) && typeof username === "string") {
    const secret: unknown = Redacted.value(password)
    if (typeof secret === "string" && secret !== "") found.add(`${username}:${secret}`)
  }
}

/**
 * Checks a parsed configuration and decodes each system's options with its adapter's Schema.
 *
 * @since 0.1.0
 * @category loading
 */
export const resolve = (
  raw: unknown,
  file?: string,
  context: {
    /** where plugins were looked for (named when an adapter is unknown) */
    readonly pluginRoot?: string | undefined
  } = {}
): Effect.Effect<Resolved, ConfigError, AdapterRegistry> =>
  Effect.gen(function*() {
    const where = file === undefined ? {} : { file }
    const registry = yield* AdapterRegistry
    const shape = yield* Schema.decodeUnknown(ConfigFile, { onExcessProperty: "error" })(raw ?? {}).pipe(
      Effect.mapError((error) => {
        const issue = ParseErrors.deepest(issuesOf(error))
        return new ConfigError({ ...where, path: issue?.path.join(".") ?? "", detail: issue?.message ?? "invalid configuration" })
      })
    )
    const systems: Array<Entry> = []
    const secrets = new Set<string>()
    for (const [name, entry] of Object.entries(shape.systems)) {
      const at = `systems.${name}`
      const system = yield* Effect.either(Effect.gen(function*() {
        const adapter = yield* registry.get(entry.adapter).pipe(
          Effect.mapError((error) =>
            new ConfigError({
              ...where,
              path: `${at}.adapter`,
              detail: context.pluginRoot === undefined
                ? error.message
                : `${error.message}; plugins were looked for in ${path.join(context.pluginRoot, "node_modules")}`
            })
          )
        )
        const withEnv = yield* interpolate(entry.options, `${at}.options`, file, secrets)
        const options = yield* Schema.decodeUnknown(adapter.options, { onExcessProperty: "error" })(withEnv).pipe(
          Effect.mapError((error) => {
            const issue = ParseErrors.deepest(issuesOf(error))
            return new ConfigError({
              ...where,
              path: [`${at}.options`, ...(issue?.path ?? []).map(String)].join("."),
              detail: issue?.message ?? "invalid options"
            })
          })
        )
        redactedIn(options, secrets)
        // the adapter's transport scrubs every value read from the environment, wherever it was
        // placed (the set is complete when the layer is built)
        const built = Layer.suspend(() =>
          Layer.locally(adapter.layer(options, { system: name }), Redaction.currentSecrets, Array.from(secrets))
        )
        const limited = entry.rateLimit === undefined
          ? built
          : RateLimit.layer(entry.rateLimit).pipe(Layer.provide(built))
        const retried = entry.retry === false ? limited : Retry.layer(
          entry.retry === undefined ? Retry.defaultPolicy : Retry.exponential({
            ...(entry.retry.attempts === undefined ? {} : { attempts: entry.retry.attempts }),
            ...(entry.retry.baseMillis === undefined ? {} : { base: entry.retry.baseMillis }),
            ...(entry.retry.maxMillis === undefined ? {} : { max: entry.retry.maxMillis })
          })
        ).pipe(Layer.provide(limited))
        return { name, description: entry.description, adapter, options, layer: retried } satisfies System
      }))
      systems.push({ name, adapter: entry.adapter, description: entry.description, system })
    }
    if (shape.default !== undefined && !systems.some((s) => s.name === shape.default)) {
      return yield* new ConfigError({ ...where, path: "default", detail: `no system is called "${shape.default}"` })
    }
    const telemetry = shape.telemetry === undefined ? undefined : yield* Effect.gen(function*() {
      const withEnv = yield* interpolate(shape.telemetry, "telemetry", file, secrets)
      const decoded = yield* Schema.decodeUnknown(TelemetryOptions.Options, { onExcessProperty: "error" })(withEnv).pipe(
        Effect.mapError((error) => {
          const issue = ParseErrors.deepest(issuesOf(error))
          // a bad header value may have been read from the environment: the error never quotes it
          return Redaction.scrubFields(Redaction.make(secrets), new ConfigError({
            ...where,
            path: ["telemetry", ...(issue?.path ?? []).map(String)].join("."),
            detail: issue?.message ?? "invalid telemetry options"
          }))
        })
      )
      redactedIn(decoded.headers, secrets)
      return decoded
    })
    // an error may quote a value read from the environment (a bad baseUrl built from one)
    const scrubber = Redaction.make(secrets)
    return {
      ...(telemetry === undefined ? {} : { telemetry }),
      file,
      systems: systems.map((s) =>
        Either.isLeft(s.system) ? { ...s, system: Either.left(Redaction.scrubFields(scrubber, s.system.left)) } : s
      ),
      default: shape.default,
      secrets: Array.from(secrets, (secret) => Redacted.make(secret))
    }
  })

/**
 * Loads a configuration file: the given one (which must exist), or `ticketkit.yaml` in `cwd` if
 * there is one (else an empty configuration).
 *
 * @since 0.1.0
 * @category loading
 */
export const load = (
  options: { readonly file?: string | undefined; readonly cwd: string }
): Effect.Effect<Resolved, ConfigError, AdapterRegistry | FileSystem.FileSystem> =>
  Effect.gen(function*() {
    const files = yield* FileSystem.FileSystem
    const located = yield* locate(options)
    if (located === undefined) return { systems: [], secrets: [], directory: options.cwd }
    const text = yield* files.readFileString(located.path).pipe(
      Effect.catchAll((error) =>
        Effect.fail(new ConfigError({
          file: located.shown,
          detail: `cannot read the configuration file (${error._tag === "SystemError" ? error.reason : "error"})`
        }))
      )
    )
    const raw = yield* parse(text, located.shown)
    return { ...(yield* resolve(raw, located.shown, { pluginRoot: located.directory })), directory: located.directory }
  })

/**
 * Where a configuration file is: its absolute path, how messages name it, and its directory (the
 * project whose `node_modules` holds the plugins).
 *
 * @since 0.1.0
 * @category models
 */
export interface Located {
  readonly path: string
  readonly shown: string
  readonly directory: string
}

/**
 * The configuration file to read: the one given (relative to `cwd`; it must exist), else the
 * nearest `ticketkit.yaml` in `cwd` or a directory above it; `undefined` when there is none.
 *
 * @since 0.1.0
 * @category loading
 */
export const locate = (
  options: { readonly file?: string | undefined; readonly cwd: string }
): Effect.Effect<Located | undefined, ConfigError, FileSystem.FileSystem> =>
  Effect.gen(function*() {
    const files = yield* FileSystem.FileSystem
    const exists = (file: string) => Effect.orElseSucceed(files.exists(file), () => false)
    if (options.file !== undefined) {
      const file = path.resolve(options.cwd, options.file)
      if (!(yield* exists(file))) return yield* new ConfigError({ file: options.file, detail: "the configuration file does not exist" })
      return { path: file, shown: options.file, directory: path.dirname(file) }
    }
    for (let directory = path.resolve(options.cwd); ; directory = path.dirname(directory)) {
      const file = path.join(directory, DEFAULT_FILE)
      if (yield* exists(file)) return { path: file, shown: path.relative(options.cwd, file) || DEFAULT_FILE, directory }
      if (path.dirname(directory) === directory) return undefined
    }
  })

/**
 * The system to use: the one named, else the configured default, else the only one.
 *
 * @since 0.1.0
 * @category loading
 */
export const select = (config: Resolved, name?: string): Effect.Effect<System, ConfigError> => {
  const where = config.file === undefined ? {} : { file: config.file }
  if (config.systems.length === 0) {
    return Effect.fail(new ConfigError({
      ...where,
      detail: `no systems are configured: create ${DEFAULT_FILE} (see the README) or pass --config`
    }))
  }
  const wanted = name ?? config.default
  if (wanted === undefined) {
    if (config.systems.length === 1) return config.systems[0]!.system
    return Effect.fail(new ConfigError({
      ...where,
      detail: `several systems are configured (${config.systems.map((s) => s.name).join(", ")}): choose one with --system or set "default"`
    }))
  }
  const found = config.systems.find((s) => s.name === wanted)
  return found === undefined
    ? Effect.fail(new ConfigError({ ...where, detail: `no system is called "${wanted}" (configured: ${config.systems.map((s) => s.name).join(", ")})` }))
    : found.system
}
