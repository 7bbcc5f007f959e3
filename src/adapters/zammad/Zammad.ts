/**
 * The Zammad adapter: Zammad's REST API v1 behind the port, in three parts — the typed client
 * (`ZammadClient`), the pure mapping (`ZammadMapping`) and a small driver (internal). This module
 * holds the options and the constructors: {@link make}, {@link layer} and {@link layerConfig} take
 * the options as written ({@link OptionsInput}); {@link definition} is the adapter as a
 * configuration file names it (`adapter: zammad`).
 *
 * | port | Zammad |
 * |---|---|
 * | ticket | ticket (`expand=true`: names beside ids); description = the first article |
 * | queue | group (by id or name) |
 * | state | state type: new, open, pending reminder / pending action → pending, closed / merged / removed → closed |
 * | priority | `1 low`, `2 normal`, `3 high` (ids 1–3), others by name; names and ids kept |
 * | note | article after the first, `type: "note"`; internal = `internal: true`; text or HTML |
 * | search | `/tickets/search` (Elasticsearch `query_string`), the user's text escaped; `page`/`per_page` sorted by id |
 *
 * Zammad has no idempotency keys (`capabilities.idempotencyKeys` is false): `Retry` re-sends a
 * note only after checking it was not stored. Putting a ticket in a pending state sets
 * `pending_time` (`pendingHours` ahead, default 24). Tags and custom fields are not supported.
 *
 * @since 0.1.0
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import type * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"
import type { AdapterError, ConfigurationError } from "../../AdapterError.js"
import * as AdapterDefinition from "../../AdapterDefinition.js"
import * as ConfigOptions from "../../internal/options.js"
import * as TicketSystemAdapter from "../../TicketSystemAdapter.js"
import * as Driver from "./internal/driver.js"
import * as ZammadClient from "./ZammadClient.js"
import * as ZammadMapping from "./ZammadMapping.js"

/**
 * The configuration of a Zammad adapter: connection ({@link ZammadClient.Options}: `baseUrl`,
 * `auth`, `name`, `timeout`, `userAgent`, `maxBodyBytes`) and mapping
 * ({@link ZammadMapping.Options}: `defaultCustomer`, `states`, `priorities`, `pendingHours`).
 *
 * ```yaml
 * systems:
 *   zammad:
 *     adapter: zammad
 *     options:
 *       baseUrl: https://helpdesk.example.com
 *       auth: { _tag: token, token: "${env:ZAMMAD_TOKEN}" }
 *       defaultCustomer: automation@example.com
 * ```
 *
 * @since 0.1.0
 * @category configuration
 */
export const Options = Schema.Struct({
  ...ZammadClient.Options.fields,
  ...ZammadMapping.Options.fields
})

/**
 * @since 0.1.0
 * @category configuration
 */
export type Options = typeof Options.Type

/**
 * The input form of {@link Options}: defaults may be left out, secrets plain or `Redacted`.
 *
 * @since 0.1.0
 * @category configuration
 */
export type OptionsInput = typeof Options.Encoded

/**
 * Options that are code, not configuration.
 *
 * @since 0.1.0
 * @category configuration
 */
export type Hooks = ZammadClient.Hooks

const adapterNameOf = (input: { readonly name?: string | undefined }): string =>
  typeof input?.name === "string" && input.name !== "" ? input.name : "zammad"

const decode = (input: OptionsInput) => ConfigOptions.decode(Options, adapterNameOf(input))(input)

const split = (options: Options): { readonly client: ZammadClient.OptionsInput; readonly mapping: ZammadMapping.Options } => {
  const { auth, baseUrl, maxBodyBytes, name, timeout, userAgent, ...mapping } = options
  return { client: { auth, baseUrl, maxBodyBytes, name, timeout, userAgent }, mapping }
}

const makeDecoded = (options: Options, hooks: Hooks) =>
  Effect.gen(function*() {
    const { client, mapping } = split(options)
    const zammad = yield* ZammadClient.make(client, hooks)
    return [TicketSystemAdapter.make(yield* Driver.make(zammad, mapping)), zammad] as const
  })

/**
 * Makes the adapter from options as written. Reads Zammad's states, priorities and groups once:
 * a wrong token fails with `AuthenticationError`, a wrong option with `ConfigurationError`.
 * Requires an `HttpClient`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  input: OptionsInput,
  hooks: Hooks = {}
): Effect.Effect<TicketSystemAdapter.Service, AdapterError | ConfigurationError, HttpClient.HttpClient> =>
  Effect.flatMap(decode(input), (options) => Effect.map(makeDecoded(options, hooks), ([adapter]) => adapter))

const layerDecoded = (options: Options, hooks: Hooks) =>
  Layer.effectContext(Effect.map(makeDecoded(options, hooks), ([adapter, client]) =>
    Context.make(TicketSystemAdapter.TicketSystemAdapter, adapter).pipe(Context.add(ZammadClient.ZammadClient, client))))

/**
 * The Zammad adapter as a layer, with its client, from options as written.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (
  input: OptionsInput,
  hooks: Hooks = {}
): Layer.Layer<TicketSystemAdapter.TicketSystemAdapter | ZammadClient.ZammadClient, AdapterError | ConfigurationError, HttpClient.HttpClient> =>
  Layer.unwrapEffect(Effect.map(decode(input), (options) => layerDecoded(options, hooks)))

/**
 * The Zammad adapter as a layer, with its client, its options read from a `Config`.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig = (
  config: Config.Config<OptionsInput>,
  hooks: Hooks = {}
): Layer.Layer<
  TicketSystemAdapter.TicketSystemAdapter | ZammadClient.ZammadClient,
  AdapterError | ConfigurationError | ConfigError.ConfigError,
  HttpClient.HttpClient
> => Layer.unwrapEffect(Effect.map(Effect.flatMap(config, decode), (options) => layerDecoded(options, hooks)))

/**
 * The adapter as a configuration file names it (`adapter: zammad`), named after the configured
 * system unless `name` is set.
 *
 * @since 0.1.0
 * @category registry
 */
export const definition: AdapterDefinition.AdapterDefinition<Options, OptionsInput> = AdapterDefinition.make({
  name: "zammad",
  description: "Zammad over its REST API v1 (queues = groups; options: baseUrl, auth, defaultCustomer, states, priorities…)",
  options: Options,
  layer: (options, { system }) =>
    Layer.effect(
      TicketSystemAdapter.TicketSystemAdapter,
      Effect.map(makeDecoded({ ...options, name: options.name === "zammad" ? system : options.name }, {}), ([adapter]) => adapter)
    )
})
