/**
 * The REST adapter: for custom and home-grown ticket systems with a JSON API.
 *
 * Out of the box it speaks the reference guide's API (`GET /api/tickets`,
 * `GET /api/tickets/search?q=`, `PUT /api/tickets/{id}`, `POST /api/tickets/{id}/notes`, tickets
 * as `{ id, subject, body, status, priority_level, department_id, created, modified }`). Another
 * REST system is adapted by **configuration, not code**: endpoint paths, field mapping (dot paths
 * for nested fields), state and priority value maps, filter parameter names, and the pagination
 * style (offset/limit, page, cursor, none). The configuration is a Schema-checked value: a wrong one
 * fails when the layer is built, with a message naming the bad key.
 *
 * @since 0.1.0
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import type * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"
import type { ConfigurationError } from "../AdapterError.js"
import * as AdapterDefinition from "../AdapterDefinition.js"
import * as HttpTransport from "../HttpTransport.js"
import * as OptionsDecoding from "../internal/options.js"
import { formatParseError } from "../SearchCriteria.js"
import * as TicketSystemAdapter from "../TicketSystemAdapter.js"
import * as Driver from "./rest/driver.js"
import type { Hooks, OptionsInput } from "./rest/RestOptions.js"
import { Options } from "./rest/RestOptions.js"

export * from "./rest/RestOptions.js"
export { ticketDecoder } from "./rest/decoder.js"

// -----------------------------------------------------------------------------
// constructors
// -----------------------------------------------------------------------------

/** the adapter from checked options */
const makeWith = (options: Options, hooks: Hooks): Effect.Effect<TicketSystemAdapter.Service, ConfigurationError, HttpClient.HttpClient> =>
  Effect.map(
    HttpTransport.make({ ...options, ...(hooks.transformClient ? { transformClient: hooks.transformClient } : {}) }),
    (transport) => TicketSystemAdapter.make(Driver.driver(Driver.context(options, transport)))
  )

const decode = OptionsDecoding.decode(Options, "rest")

/**
 * Makes a REST adapter from its configuration (the user-facing form: every default applied
 * here), checked first: a wrong one fails with a `ConfigurationError` naming the bad key.
 * Requires an `HttpClient`.
 *
 * @example
 * ```ts
 * import { NodeHttpClient } from "@effect/platform-node"
 * import { Effect, Redacted } from "effect"
 * import { RestAdapter } from "ticketkit"
 *
 * const program = Effect.gen(function*() {
 *   const helpdesk = yield* RestAdapter.make({
 *     baseUrl: "https://helpdesk.example.com",
 *     auth: { _tag: "bearer", token: Redacted.make("…") }
 *   })
 *   return yield* helpdesk.fetchTickets({ states: ["new"], limit: 10 })
 * }).pipe(Effect.provide(NodeHttpClient.layerUndici))
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  input: OptionsInput,
  hooks: Hooks = {}
): Effect.Effect<TicketSystemAdapter.Service, ConfigurationError, HttpClient.HttpClient> =>
  Effect.flatMap(decode(input), (options) => makeWith(options, hooks))

/**
 * Checks a configuration, with a message naming every bad key.
 *
 * @since 0.1.0
 * @category configuration
 */
export const decodeOptions = (input: unknown): Either.Either<Options, string> =>
  Schema.decodeUnknownEither(Options, { onExcessProperty: "error" })(input).pipe(Either.mapLeft(formatParseError))

/**
 * An error in an adapter's configuration (re-exported from `AdapterError`).
 *
 * @since 0.1.0
 * @category errors
 */
export { ConfigurationError } from "../AdapterError.js"

/**
 * The REST adapter as a layer, from a configuration that is checked when the layer is built.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (
  input: OptionsInput,
  hooks: Hooks = {}
): Layer.Layer<TicketSystemAdapter.TicketSystemAdapter, ConfigurationError, HttpClient.HttpClient> =>
  Layer.effect(TicketSystemAdapter.TicketSystemAdapter, make(input, hooks))

/**
 * The REST adapter as a layer, its configuration read from effect's `Config` (e.g.
 * `Config.all({ baseUrl: Config.string("HELPDESK_URL"), auth: … })`).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig = (
  config: Config.Config<OptionsInput>,
  hooks: Hooks = {}
): Layer.Layer<TicketSystemAdapter.TicketSystemAdapter, ConfigError.ConfigError | ConfigurationError, HttpClient.HttpClient> =>
  Layer.effect(
    TicketSystemAdapter.TicketSystemAdapter,
    Effect.flatMap(OptionsDecoding.fromConfig(Options, "rest")(config), (options) => makeWith(options, hooks))
  )

/**
 * The REST adapter as the registry knows it (`adapter: rest` in a configuration file). The adapter
 * is named after the configured system unless `name` is set.
 *
 * @since 0.1.0
 * @category registry
 */
export const definition = AdapterDefinition.make({
  name: "rest",
  description: "a custom REST ticket system, adapted by configuration (the reference guide's API by default)",
  options: Options,
  layer: (options, { system }) =>
    Layer.effect(TicketSystemAdapter.TicketSystemAdapter, makeWith({ ...options, name: options.name === "rest" ? system : options.name }, {}))
})
