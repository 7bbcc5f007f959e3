/**
 * The REST adapter: for custom and home-grown ticket systems with a JSON API.
 *
 * Out of the box it speaks the reference guide's API (`GET /api/tickets`,
 * `GET /api/tickets/search?q=`, `PUT /api/tickets/{id}`, `POST /api/tickets/{id}/notes`, tickets
 * as `{ id, subject, body, status, priority_level, department_id, created, modified }`). Another
 * REST system is adapted by **configuration, not code**: per endpoint its method, path and body
 * template (nested or flat); per field a read side and a write side, each a dot path and a codec
 * (timestamps in ISO 8601, epoch seconds or milliseconds or a declared format; numbers and
 * booleans; delimited or array lists; HTML or plain text); state, priority and visibility value
 * maps (numbers and booleans allowed); filter parameters; where the system's message is in an
 * error answer; and the pagination (offset, page, cursor from the body or a header, RFC 8288
 * `Link` headers, none). `preset: <name>` starts from a named configuration. The configuration is
 * a Schema-checked value: a wrong one fails when the layer is built, with a message naming the bad
 * key; a date that decodes before 1990 or more than a year ahead fails the answer, naming the
 * field.
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
import { withErrorMessages } from "./rest/errors.js"
import type { Hooks, OptionsInput } from "./rest/RestOptions.js"
import { Options } from "./rest/RestOptions.js"

/**
 * The configuration of the REST adapter, as Schemas (declared in `rest/RestOptions.ts`).
 *
 * @since 0.1.0
 * @category configuration
 */
export * from "./rest/RestOptions.js"
export {
  /**
   * The decoder of one ticket of a REST system (as configured by `options`) into a `Ticket`, as
   * the adapter uses it for every ticket it reads.
   *
   * @since 0.1.0
   * @category decoding
   */
  ticketDecoder
} from "./rest/decoder.js"

// -----------------------------------------------------------------------------
// constructors
// -----------------------------------------------------------------------------

/** the adapter from checked options */
const makeWith = (options: Options, hooks: Hooks): Effect.Effect<TicketSystemAdapter.Service, ConfigurationError, HttpClient.HttpClient> => {
  const errorMessages = withErrorMessages(options.responses.errorMessage)
  const transformClient = hooks.transformClient
  return Effect.map(
    HttpTransport.make({
      ...options,
      transformClient: transformClient === undefined ? errorMessages : (client) => transformClient(errorMessages(client))
    }),
    (transport) => TicketSystemAdapter.make(Driver.driver(Driver.context(options, transport)))
  )
}

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

export {
  /**
   * An error in an adapter's configuration (re-exported from `AdapterError`).
   *
   * @since 0.1.0
   * @category errors
   */
  ConfigurationError
} from "../AdapterError.js"

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
