/**
 * The adapter registry and plugin discovery.
 *
 * An adapter is registered under a name with its options Schema, a layer constructor from those
 * options, and a description. The built-ins are registered by {@link layer}. Adapters shipped as
 * separate npm packages are **plugins**: a package declares one in its `package.json`,
 *
 * ```json
 * { "name": "my-ticket-adapter", "ticketkit": { "plugin": "./dist/plugin.js" },
 *   "peerDependencies": { "ticketkit": "^0.1.0" } }
 * ```
 *
 * and the module exports `setup(registry)`, returning an Effect that registers its adapters.
 * {@link discover} finds such packages in a project's `node_modules` and loads them with dynamic
 * import. A broken plugin (missing file, a throw, wrong shape, duplicate name, incompatible
 * ticketkit version) gives a typed {@link PluginError} naming the package; the others still load.
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Ref from "effect/Ref"
import * as Schema from "effect/Schema"
import * as FileSystem from "@effect/platform/FileSystem"
import * as path from "node:path"
import { pathToFileURL } from "node:url"
import semver from "semver"
import * as InMemory from "./adapters/InMemory.js"
import * as Redmine from "./adapters/redmine/Redmine.js"
import * as RequestTracker from "./adapters/request-tracker/RequestTracker.js"
import * as Otobo from "./adapters/otobo/Otobo.js"
import * as RestAdapter from "./adapters/Rest.js"
import * as Zammad from "./adapters/zammad/Zammad.js"
import type * as Definition from "./AdapterDefinition.js"
import { version } from "./version.js"

/**
 * An adapter as the registry knows it (defined in `AdapterDefinition`, below both the registry and
 * the adapters; the type parameters default to any options, as the registry holds them).
 *
 * @since 0.1.0
 * @category models
 */
export type AdapterDefinition<A = any, I = any> = Definition.AdapterDefinition<A, I>

/**
 * A registered adapter, with where it came from (`ticketkit` or a plugin package).
 *
 * @since 0.1.0
 * @category models
 */
export interface Registered extends AdapterDefinition {
  readonly source: string
}

/**
 * Two sources registered the same adapter name.
 *
 * @since 0.1.0
 * @category errors
 */
export class DuplicateAdapterError extends Schema.TaggedError<DuplicateAdapterError>("ticketkit/DuplicateAdapterError")(
  "DuplicateAdapterError",
  { name: Schema.String, existingSource: Schema.String, source: Schema.String }
) {
  /**
   * @since 0.1.0
   */
  override get message(): string {
    return `adapter "${this.name}" from ${this.source} is already registered by ${this.existingSource}`
  }
}

/**
 * No adapter of that name is registered.
 *
 * @since 0.1.0
 * @category errors
 */
export class UnknownAdapterError extends Schema.TaggedError<UnknownAdapterError>("ticketkit/UnknownAdapterError")(
  "UnknownAdapterError",
  { name: Schema.String, known: Schema.Array(Schema.String) }
) {
  /**
   * @since 0.1.0
   */
  override get message(): string {
    return `unknown adapter "${this.name}" (known: ${this.known.join(", ") || "none"})`
  }
}

/**
 * A plugin package could not be loaded; the others still are.
 *
 * @since 0.1.0
 * @category errors
 */
export class PluginError extends Schema.TaggedError<PluginError>("ticketkit/PluginError")("PluginError", {
  packageName: Schema.String,
  reason: Schema.String
}) {
  /**
   * @since 0.1.0
   */
  override get message(): string {
    return `plugin ${this.packageName}: ${this.reason}`
  }
}

/**
 * What a plugin's `setup` receives.
 *
 * @since 0.1.0
 * @category models
 */
export interface PluginRegistry {
  /** the version of ticketkit loading the plugin */
  readonly ticketkitVersion: string
  readonly register: (definition: AdapterDefinition) => Effect.Effect<void, DuplicateAdapterError>
}

/**
 * The registry.
 *
 * @since 0.1.0
 * @category models
 */
export interface Service {
  /** registers an adapter; `source` defaults to `application` */
  readonly register: (definition: AdapterDefinition, source?: string) => Effect.Effect<void, DuplicateAdapterError>
  readonly get: (name: string) => Effect.Effect<Registered, UnknownAdapterError>
  readonly list: Effect.Effect<ReadonlyArray<Registered>>
  /** the registry a plugin package's `setup` is given: what it registers is attributed to it */
  readonly forPlugin: (packageName: string) => PluginRegistry
}

/**
 * The tag of the adapter registry.
 *
 * @since 0.1.0
 * @category tags
 */
export class AdapterRegistry extends Context.Tag("ticketkit/AdapterRegistry")<AdapterRegistry, Service>() {}

/**
 * An empty registry.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<Service> = Effect.gen(function*() {
  const entries = yield* Ref.make<ReadonlyArray<Registered>>([])
  const register = (definition: AdapterDefinition, source = "application") =>
    Ref.modify(entries, (current): [Effect.Effect<void, DuplicateAdapterError>, ReadonlyArray<Registered>] => {
      const existing = current.find((e) => e.name === definition.name)
      if (existing !== undefined) {
        return [Effect.fail(new DuplicateAdapterError({ name: definition.name, existingSource: existing.source, source })), current]
      }
      return [Effect.void, [...current, { ...definition, source }]]
    }).pipe(Effect.flatten)
  return {
    register,
    get: (name) =>
      Effect.flatMap(Ref.get(entries), (current) => {
        const found = current.find((e) => e.name === name)
        return found === undefined
          ? Effect.fail(new UnknownAdapterError({ name, known: current.map((e) => e.name) }))
          : Effect.succeed(found)
      }),
    list: Ref.get(entries),
    forPlugin: (packageName) => ({ ticketkitVersion: version, register: (definition) => register(definition, packageName) })
  }
})

// -----------------------------------------------------------------------------
// built-ins
// -----------------------------------------------------------------------------

/**
 * The in-memory adapter, as registered.
 *
 * @since 0.1.0
 * @category built-ins
 */
export const inMemoryDefinition: AdapterDefinition = InMemory.definition

/**
 * The REST adapter, as registered.
 *
 * @since 0.1.0
 * @category built-ins
 */
export const restDefinition: AdapterDefinition = RestAdapter.definition

/**
 * The built-in adapters.
 *
 * @since 0.1.0
 * @category built-ins
 */
export const builtins: ReadonlyArray<AdapterDefinition> = [
  inMemoryDefinition,
  restDefinition,
  Redmine.definition,
  RequestTracker.definition,
  { ...RequestTracker.definition, name: "rt", description: "the same as request-tracker" },
  Zammad.definition,
  Otobo.definition,
  Otobo.znunyDefinition
]

/**
 * A registry with the built-in adapters and any further definitions (real-system adapters add
 * theirs here as they land).
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (extra: ReadonlyArray<AdapterDefinition> = []): Layer.Layer<AdapterRegistry> =>
  Layer.effect(
    AdapterRegistry,
    Effect.gen(function*() {
      const registry = yield* make
      for (const definition of [...builtins, ...extra]) yield* Effect.orDie(registry.register(definition, "ticketkit"))
      return registry
    })
  )

// -----------------------------------------------------------------------------
// discovery
// -----------------------------------------------------------------------------

/**
 * What discovery found.
 *
 * @since 0.1.0
 * @category models
 */
export interface Discovery {
  /** plugin packages loaded, with the adapters each registered */
  readonly loaded: ReadonlyArray<{ readonly packageName: string; readonly adapters: ReadonlyArray<string> }>
  /** plugin packages that could not be loaded */
  readonly errors: ReadonlyArray<PluginError>
}

interface Candidate {
  readonly packageName: string
  readonly directory: string
  readonly manifest: Record<string, unknown>
}

const readJson = (files: FileSystem.FileSystem, file: string) =>
  files.readFileString(file).pipe(
    Effect.flatMap((text) => Effect.try(() => JSON.parse(text) as unknown)),
    Effect.option
  )

const listing = (files: FileSystem.FileSystem, directory: string) =>
  Effect.orElseSucceed(files.readDirectory(directory), () => [] as Array<string>)

const candidates = (files: FileSystem.FileSystem, root: string): Effect.Effect<ReadonlyArray<Candidate>> =>
  Effect.gen(function*() {
    const modules = path.join(root, "node_modules")
    const entries = yield* listing(files, modules)
    const directories: Array<string> = []
    for (const entry of entries.sort()) {
      if (entry.startsWith(".")) continue
      if (entry.startsWith("@")) {
        const scoped = yield* listing(files, path.join(modules, entry))
        for (const name of scoped.sort()) directories.push(path.join(modules, entry, name))
      } else {
        directories.push(path.join(modules, entry))
      }
    }
    const found: Array<Candidate> = []
    for (const directory of directories) {
      const manifest = yield* readJson(files, path.join(directory, "package.json"))
      if (manifest._tag === "None" || typeof manifest.value !== "object" || manifest.value === null) continue
      const m = manifest.value as Record<string, unknown>
      if (typeof m.ticketkit !== "object" || m.ticketkit === null || !("plugin" in m.ticketkit)) continue
      found.push({ packageName: typeof m.name === "string" ? m.name : path.basename(directory), directory, manifest: m })
    }
    return found
  })

const loadOne = (files: FileSystem.FileSystem, registry: Service, candidate: Candidate): Effect.Effect<ReadonlyArray<string>, PluginError> =>
  Effect.gen(function*() {
    const { directory, manifest, packageName } = candidate
    const fail = (reason: string) => Effect.fail(new PluginError({ packageName, reason }))
    const declared = (manifest.ticketkit as Record<string, unknown>).plugin
    if (typeof declared !== "string" || declared === "") {
      return yield* fail(`"ticketkit.plugin" in package.json must be the path of the plugin module`)
    }
    const peers = manifest.peerDependencies as Record<string, unknown> | undefined
    const range = typeof peers?.ticketkit === "string" ? peers.ticketkit : undefined
    if (range !== undefined && !semver.satisfies(version, range, { includePrerelease: true })) {
      return yield* fail(`requires ticketkit ${range}, but this is ticketkit ${version}`)
    }
    const file = path.resolve(directory, declared)
    if (!file.startsWith(directory + path.sep)) return yield* fail(`the plugin module ${declared} is outside the package`)
    const exists = yield* Effect.orElseSucceed(files.exists(file), () => false)
    if (!exists) return yield* fail(`the plugin module ${declared} does not exist (is the package built?)`)
    const module = yield* Effect.tryPromise({
      try: () => import(pathToFileURL(file).href) as Promise<Record<string, unknown>>,
      catch: (error) => new PluginError({ packageName, reason: `loading ${declared} failed: ${error instanceof Error ? error.message : String(error)}` })
    })
    const setup = module.setup ?? (module.default as Record<string, unknown> | undefined)?.setup
    if (typeof setup !== "function") return yield* fail(`${declared} does not export a setup(registry) function`)
    const before = new Set((yield* registry.list).map((r) => r.name))
    const pluginRegistry = registry.forPlugin(packageName)
    const result = yield* Effect.try({
      try: () => (setup as (r: PluginRegistry) => unknown)(pluginRegistry),
      catch: (error) => new PluginError({ packageName, reason: `setup threw: ${error instanceof Error ? error.message : String(error)}` })
    })
    if (!Effect.isEffect(result)) return yield* fail(`setup(registry) must return an Effect`)
    yield* (result as Effect.Effect<unknown, unknown>).pipe(
      Effect.catchAllCause((cause) => {
        const failure = cause._tag === "Fail" ? cause.error : cause._tag === "Die" ? cause.defect : undefined
        const reason = failure instanceof DuplicateAdapterError
          ? failure.message
          : `setup failed: ${failure instanceof Error ? failure.message : failure === undefined ? "interrupted" : String(failure)}`
        return fail(reason)
      })
    )
    return (yield* registry.list).filter((r) => !before.has(r.name)).map((r) => r.name)
  })

/**
 * Finds the plugin packages installed in `root/node_modules` and loads each into the registry.
 * Never fails: each broken plugin is reported in `errors` and the others still load.
 *
 * @since 0.1.0
 * @category discovery
 */
export const discover = (root: string): Effect.Effect<Discovery, never, AdapterRegistry | FileSystem.FileSystem> =>
  Effect.gen(function*() {
    const registry = yield* AdapterRegistry
    const files = yield* FileSystem.FileSystem
    const found = yield* candidates(files, root)
    const loaded: Array<{ packageName: string; adapters: ReadonlyArray<string> }> = []
    const errors: Array<PluginError> = []
    for (const candidate of found) {
      const result = yield* Effect.either(loadOne(files, registry, candidate))
      if (result._tag === "Right") loaded.push({ packageName: candidate.packageName, adapters: result.right })
      else errors.push(result.left)
    }
    return { loaded, errors }
  })
