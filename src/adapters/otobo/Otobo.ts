/**
 * The OTOBO 10/11 and Znuny 6/7 adapter: maps {@link OtoboClient} (the GenericInterface REST web
 * service, as the example connector "GenericTicketConnectorREST" sets it up) onto the
 * `TicketSystemAdapter` port.
 *
 * Three parts: the typed client ({@link OtoboClient}), the pure mapping ({@link OtoboMapping})
 * and a small driver joining the two (`internal/driver.ts`). This module holds the configuration
 * and the constructors: {@link make}, {@link layer} and {@link layerConfig} take the
 * configuration as written ({@link OptionsInput}), and {@link definition} is the adapter as a
 * configuration file names it.
 *
 * ```ts
 * const Otobo = Otobo.layer({
 *   baseUrl: "https://help.example.com/otobo/nph-genericinterface.pl/Webservice/GenericTicketConnectorREST",
 *   auth: { userLogin: "ticketkit", password: Redacted.make(process.env.OTOBO_PASSWORD!) },
 *   customerUser: "ticketkit@example.com"
 * }).pipe(Layer.provide(NodeHttpClient.layerUndici))
 * ```
 *
 * - **States** by state type: new, open, pending reminder/auto → pending, closed/removed/merged →
 *   closed. Writing: new, open, "pending reminder" (with a reminder `pendingMinutes` ahead),
 *   `resolved` → "closed successful", `closed` → "closed unsuccessful"; `{ name }` sets exactly
 *   that state. A `resolved` filter finds nothing (no state type reads as resolved).
 * - **Priorities** "1 very low"/"2 low" → low, "3 normal", "4 high", "5 very high" → urgent
 *   (`priorities` adds names); `priority.id` keeps the PriorityID, `queue.id` the QueueID.
 * - **Description** is the first article; **notes** are the later articles, internal when not
 *   visible for the customer. Adding a note is a `TicketUpdate` with an article of the
 *   "Internal" channel. Dynamic fields are the custom fields.
 * - **Search**: `TicketSearch` (state types, queues, priorities, change time, title) returns ids
 *   only; pages slice that list and read it with `TicketGet` in batches of 50.
 *
 * @since 0.1.0
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import type * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as AdapterDefinition from "../../AdapterDefinition.js"
import type { ConfigurationError } from "../../AdapterError.js"
import * as ConfigOptions from "../../internal/options.js"
import * as T from "../../Ticket.js"
import * as TicketSystemAdapter from "../../TicketSystemAdapter.js"
import * as Driver from "./internal/driver.js"
import * as Client from "./OtoboClient.js"
import { OtoboClient } from "./OtoboClient.js"
import * as Mapping from "./OtoboMapping.js"

// -----------------------------------------------------------------------------
// configuration
// -----------------------------------------------------------------------------

const TimeZoneName = Schema.String.pipe(
  Schema.filter((s) => Option.isSome(DateTime.zoneMakeNamed(s)) || `expected an IANA timezone such as "Europe/Berlin", got ${JSON.stringify(s)}`)
)

/**
 * The configuration of the adapter: the client's (`baseUrl`, `auth`, `routes`, `name`, …) and
 * how the system's values map onto the normal form.
 *
 * @since 0.1.0
 * @category configuration
 */
export const Options = Schema.Struct({
  ...Client.Options.fields,
  name: Schema.optionalWith(Schema.String.pipe(Schema.nonEmptyString()), { default: () => "otobo" }),
  /** the customer user (login or email) of tickets created without a requester */
  customerUser: Schema.optional(Schema.String.pipe(Schema.nonEmptyString())),
  /** more priority names (or overrides): name → level */
  priorities: Schema.optionalWith(Schema.Record({ key: Schema.String, value: T.PriorityLevel }), { default: () => ({}) }),
  /** the time zone of the system's timestamps (OTOBOTimeZone; default UTC) */
  timeZone: Schema.optionalWith(TimeZoneName, { default: () => "UTC" }),
  /** minutes until the reminder of a ticket set to pending (default a day) */
  pendingMinutes: Schema.optionalWith(Schema.Int.pipe(Schema.positive()), { default: () => 24 * 60 }),
  /** the subject of the articles notes are added as (default "Note") */
  noteSubject: Schema.optionalWith(Schema.String.pipe(Schema.nonEmptyString()), { default: () => "Note" })
})

/**
 * @since 0.1.0
 * @category configuration
 */
export type Options = typeof Options.Type

/**
 * The input form of the configuration (as written in code or a config file).
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
export type Hooks = Client.Hooks & {
  /** the adapter's kind in spans and logs (default `otobo`; e.g. `znuny`) */
  readonly kind?: string
}

// -----------------------------------------------------------------------------
// constructors
// -----------------------------------------------------------------------------

const adapterNameOf = (input: { readonly name?: string | undefined }): string =>
  typeof input?.name === "string" && input.name !== "" ? input.name : "otobo"

const build = (input: OptionsInput, hooks: Hooks) =>
  Effect.gen(function*() {
    const options = yield* ConfigOptions.decode(Options, adapterNameOf(input))(input)
    const { auth, baseUrl, maxBodyBytes, name, routes, timeout, useSession, userAgent } = options
    const { kind, ...clientHooks } = hooks
    const client = yield* Client.make({
      name,
      baseUrl,
      auth,
      routes,
      useSession,
      timeout,
      userAgent,
      maxBodyBytes
    }, clientHooks)
    const mapping = Mapping.make(options)
    return { client, adapter: TicketSystemAdapter.make(Driver.make({ name, client, mapping }, kind ?? "otobo")) }
  })

/**
 * Makes the adapter from a configuration as written: defaults applied, every key checked (a bad
 * one is a `ConfigurationError` naming it). Requires an `HttpClient`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (input: OptionsInput, hooks: Hooks = {}): Effect.Effect<TicketSystemAdapter.Service, ConfigurationError, HttpClient.HttpClient> =>
  Effect.map(build(input, hooks), ({ adapter }) => adapter)

/**
 * The adapter and its client as a layer, from a configuration as written. Requires an `HttpClient`.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (
  input: OptionsInput,
  hooks: Hooks = {}
): Layer.Layer<TicketSystemAdapter.TicketSystemAdapter | OtoboClient, ConfigurationError, HttpClient.HttpClient> =>
  Layer.effectContext(
    Effect.map(build(input, hooks), ({ adapter, client }) =>
      Context.make(TicketSystemAdapter.TicketSystemAdapter, adapter).pipe(Context.add(OtoboClient, client)))
  )

/**
 * The adapter and its client as a layer, the configuration read from a `Config`.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig = (
  config: Config.Config<OptionsInput>,
  hooks: Hooks = {}
): Layer.Layer<TicketSystemAdapter.TicketSystemAdapter | OtoboClient, ConfigError.ConfigError | ConfigurationError, HttpClient.HttpClient> =>
  Layer.unwrapEffect(Effect.map(config, (input) => layer(input, hooks)))

/**
 * A definition of the adapter under another name (e.g. `znuny`), the same options.
 *
 * @since 0.1.0
 * @category definitions
 */
export const definitionNamed = (adapterName: string, description: string): AdapterDefinition.AdapterDefinition<Options, OptionsInput> =>
  AdapterDefinition.make({
    name: adapterName,
    description,
    options: Options,
    // decoded options are valid input: the layer's own decoding changes nothing
    layer: (options, { system }) =>
      layer({ ...options, name: options.name === "otobo" ? system : options.name }, { kind: adapterName })
  })

/**
 * The adapter as a configuration file names it (`adapter: otobo`; the configured system's name
 * is used unless `name` is set).
 *
 * @since 0.1.0
 * @category definitions
 */
export const definition: AdapterDefinition.AdapterDefinition<Options, OptionsInput> = definitionNamed(
  "otobo",
  "OTOBO 10/11 and Znuny 6/7 through the GenericInterface REST web service (options: baseUrl, auth { userLogin, password }, customerUser, routes, useSession, priorities, timeZone)"
)

/**
 * The same adapter registered as `znuny`.
 *
 * @since 0.1.0
 * @category definitions
 */
export const znunyDefinition: AdapterDefinition.AdapterDefinition<Options, OptionsInput> = definitionNamed(
  "znuny",
  "Znuny 6/7 (and OTOBO) through the GenericInterface REST web service (the otobo adapter's options)"
)
