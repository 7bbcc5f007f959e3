/**
 * The Request Tracker 5 adapter: maps {@link RequestTrackerClient} (REST2) onto the
 * `TicketSystemAdapter` port.
 *
 * Three parts: the typed client ({@link RequestTrackerClient}, with {@link TicketSql} for its
 * queries), the pure mapping between RT's records and the normal form
 * ({@link RequestTrackerMapping}), and a small driver joining the two (`internal/driver.ts`).
 * This module holds the configuration and the constructors: {@link make}, {@link layer} and
 * {@link layerConfig} take the configuration as written ({@link OptionsInput}), defaults applied
 * and every key checked inside, and {@link definition} is the adapter as a configuration file
 * names it.
 *
 * ```ts
 * const Rt = RequestTracker.layer({
 *   baseUrl: "https://rt.example.com",
 *   auth: { _tag: "token", token: Redacted.make(process.env.RT_TOKEN!) }
 * }).pipe(Layer.provide(NodeHttpClient.layerUndici))
 * ```
 *
 * **States** follow RT's default lifecycle: `new` → new, `open` → open, `stalled` → pending,
 * `resolved` → resolved, `rejected` and `deleted` → closed; `state.name` keeps RT's status.
 * Statuses of custom lifecycles are mapped with the `statuses` option; an unmapped status reads
 * as `open`. Writing a category picks new, open, stalled, resolved, rejected; `{ name: "…" }`
 * sets exactly that status. RT never returns deleted tickets from searches, so a `closed` filter
 * finds rejected tickets (and custom statuses mapped to closed) only.
 *
 * **Priorities** are RT's numbers, mapped by bands (`priorities.bands`, lower bounds):
 * 0–24 low, 25–49 normal, 50–74 high, 75 and above urgent (below 0 is low). Writing a level sets
 * `priorities.values`: low 0, normal 25, high 50, urgent 100 (so that RT's own
 * `PriorityAsString` labels — Low 0, Medium 50, High 100 — read Low, Low, Medium, High).
 * `priority.value` keeps the number; `{ name: "70" }` sets exactly 70 (`{ name: "High" }` is
 * passed to RT as is).
 *
 * **Description** is the text of the ticket's first message (the `Create` transaction), the
 * first inline `text/plain` or `text/html` part of it. RT cannot change it afterwards: updating
 * `description` is refused; add a note instead.
 *
 * **Notes** are the ticket's `Comment` (internal) and `Correspond` (public) transactions, oldest
 * first, with the text of their first inline text part; the `Create` transaction is not a note
 * (its text is the description), so every note added with `addNote` reads back exactly once.
 * A public note is mailed to the requestors and, on a resolved ticket, reopens it (RT's own
 * behaviour).
 *
 * **Search**: criteria become TicketSQL ({@link TicketSql}, values always quoted and escaped);
 * text matches the Subject, and message content too with `contentSearch: true` (needs RT's
 * `%FullTextSearch` enabled; it also matches comments). Pages are RT's `page`/`per_page` (at
 * most 100) ordered by id; the cursor is the offset of the next ticket; `total` is RT's count.
 * RT's `LIKE` cannot escape `%` and `_` (they stay wildcards), so for text holding either RT's
 * matches are filtered to the tickets whose subject contains the text literally
 * (case-insensitively, as RT compares) — or, with `contentSearch`, one of the text parts of its
 * messages (read per ticket whose subject does not match: a search such as `%` alone reads every
 * ticket's messages). Such a page may be shorter than asked (RT's pages are read on until one has
 * a match), the cursor stays the offset in RT's unfiltered list, and `total` is given only when
 * the first page holds every match.
 *
 * **Errors**: RT answers 200 to an update it partly refused, with the reason among the messages
 * ("Ticket 7: Status 'x' isn't a valid status for this ticket.", "That user does not exist",
 * "Queue X does not exist"); the adapter reads the ticket back and fails with
 * `RequestRejectedError` carrying RT's message, or naming the field RT left unchanged. A field that
 * reads back different because another writer changed it a moment later is not a refusal: RT
 * reports each change it makes ("Subject changed from 'a' to 'b'") and says nothing of a value the
 * ticket already has, in which case the later write is looked up in the ticket's history (the
 * field's transactions since the update began, by RT's clock: its answer's `Date`). The update
 * then succeeds with the ticket as read back.
 * Creating in a queue RT does not know answers 403 like a missing right: the adapter then looks
 * the queue up and fails with `RequestRejectedError` when it does not exist or is disabled, and
 * with `AuthenticationError` when it does (or when the credentials may not even see it).
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
import * as Client from "./RequestTrackerClient.js"
import { RequestTrackerClient } from "./RequestTrackerClient.js"
import * as Mapping from "./RequestTrackerMapping.js"

// -----------------------------------------------------------------------------
// configuration
// -----------------------------------------------------------------------------

const PriorityNumber = Schema.Int.pipe(Schema.between(0, 100, { message: () => "a priority must be a whole number from 0 to 100" }))
const { bands: defaultBands, values: defaultValues } = Mapping.defaultPriorities

/**
 * The lowest RT priority of each level above `low` (0–24 low, 25–49 normal, 50–74 high, 75+
 * urgent by default). They must rise.
 *
 * @since 0.1.0
 * @category configuration
 */
export const PriorityBands = Schema.Struct({
  normal: Schema.optionalWith(PriorityNumber, { default: () => defaultBands.normal }),
  high: Schema.optionalWith(PriorityNumber, { default: () => defaultBands.high }),
  urgent: Schema.optionalWith(PriorityNumber, { default: () => defaultBands.urgent })
})

/**
 * The RT priority written for each level (low 0, normal 25, high 50, urgent 100 by default).
 * Each must lie in its level's band.
 *
 * @since 0.1.0
 * @category configuration
 */
export const PriorityValues = Schema.Struct({
  low: Schema.optionalWith(PriorityNumber, { default: () => defaultValues.low }),
  normal: Schema.optionalWith(PriorityNumber, { default: () => defaultValues.normal }),
  high: Schema.optionalWith(PriorityNumber, { default: () => defaultValues.high }),
  urgent: Schema.optionalWith(PriorityNumber, { default: () => defaultValues.urgent })
})

/**
 * How RT's 0–100 priorities map onto levels.
 *
 * @since 0.1.0
 * @category configuration
 */
export const Priorities = Schema.Struct({
  bands: Schema.optionalWith(PriorityBands, { default: () => ({ ...defaultBands }) }),
  values: Schema.optionalWith(PriorityValues, { default: () => ({ ...defaultValues }) })
}).pipe(
  Schema.filter(({ bands }) =>
    (bands.normal > 0 && bands.normal < bands.high && bands.high < bands.urgent) ||
    `priorities.bands must rise above 0: normal (${bands.normal}) < high (${bands.high}) < urgent (${bands.urgent})`
  ),
  Schema.filter(({ bands, values }) => {
    const levelOf = (value: number) => Mapping.priorityLevel(value, bands)
    const wrong = (["low", "normal", "high", "urgent"] as const).filter((level) => levelOf(values[level]) !== level)
    return wrong.length === 0 ||
      `priorities.values must lie in their bands: ${wrong.map((l) => `${l} = ${values[l]} is ${levelOf(values[l])}`).join(", ")}`
  })
)

/**
 * @since 0.1.0
 * @category configuration
 */
export type Priorities = typeof Priorities.Type

const TimeZoneName = Schema.String.pipe(
  Schema.filter((s) => Option.isSome(DateTime.zoneMakeNamed(s)) || `expected an IANA timezone such as "Europe/Berlin", got ${JSON.stringify(s)}`)
)

/**
 * The configuration of the Request Tracker adapter: the client's (`baseUrl`, `auth`, `name`,
 * `timeout`, …) and how RT's values map onto the normal form.
 *
 * @since 0.1.0
 * @category configuration
 */
export const Options = Schema.Struct({
  ...Client.Options.fields,
  /** text search looks in message content too (`Content LIKE`; RT's `%FullTextSearch` must be enabled) */
  contentSearch: Schema.optionalWith(Schema.Boolean, { default: () => false }),
  priorities: Schema.optionalWith(Priorities, {
    default: () => ({ bands: { ...defaultBands }, values: { ...defaultValues } })
  }),
  /** statuses of custom lifecycles (or overrides): RT status → state type */
  statuses: Schema.optionalWith(Schema.Record({ key: Schema.String, value: T.StateType }), { default: () => ({}) }),
  /** the timezone RT reads TicketSQL dates in: the RT user's, else RT's `$Timezone` (default UTC) */
  timeZone: Schema.optionalWith(TimeZoneName, { default: () => "UTC" })
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
export type Hooks = Client.Hooks

// -----------------------------------------------------------------------------
// constructors
// -----------------------------------------------------------------------------

/** the name a configuration error is reported under: the configured name, if there is one */
const adapterNameOf = (input: { readonly name?: string | undefined }): string =>
  typeof input?.name === "string" && input.name !== "" ? input.name : "request-tracker"

/** the client and the port over it, from a configuration as written */
const build = (input: OptionsInput, hooks: Hooks) =>
  Effect.gen(function*() {
    const options = yield* ConfigOptions.decode(Options, adapterNameOf(input))(input)
    const { baseUrl, auth, name, timeout, userAgent, maxBodyBytes } = options
    // decoded client options are valid client input (decoding them again changes nothing)
    const client = yield* Client.make({ baseUrl, auth, name, timeout, userAgent, maxBodyBytes }, hooks)
    const context = yield* Driver.makeContext(client, Mapping.make(options), name)
    return { client, adapter: TicketSystemAdapter.make(Driver.make(context)) }
  })

/**
 * Makes the adapter (and its client) from a configuration as written: defaults applied, every key
 * checked (a bad one is a `ConfigurationError` naming it). Requires an `HttpClient`.
 *
 * @example
 * ```ts
 * import { NodeHttpClient } from "@effect/platform-node"
 * import { Config, Effect } from "effect"
 * import { RequestTracker } from "ticketkit"
 *
 * const program = Effect.gen(function*() {
 *   const token = yield* Config.redacted("RT_TOKEN")
 *   const rt = yield* RequestTracker.make({ baseUrl: "https://rt.example.com", auth: { _tag: "token", token } })
 *   return yield* rt.fetchTickets({ states: ["new"], queues: [{ name: "Support" }] })
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
  Effect.map(build(input, hooks), ({ adapter }) => adapter)

/**
 * The adapter and its client as a layer, from a configuration as written (checked when the layer
 * is built). Requires an `HttpClient`.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (
  input: OptionsInput,
  hooks: Hooks = {}
): Layer.Layer<TicketSystemAdapter.TicketSystemAdapter | RequestTrackerClient, ConfigurationError, HttpClient.HttpClient> =>
  Layer.effectContext(
    Effect.map(build(input, hooks), ({ adapter, client }) =>
      Context.make(TicketSystemAdapter.TicketSystemAdapter, adapter).pipe(Context.add(RequestTrackerClient, client)))
  )

/**
 * The adapter and its client as a layer, the configuration read from a `Config` (e.g.
 * environment variables).
 *
 * @example
 * ```ts
 * import { NodeHttpClient } from "@effect/platform-node"
 * import { Config, Layer } from "effect"
 * import { RequestTracker } from "ticketkit"
 *
 * const Rt = RequestTracker.layerConfig(Config.all({
 *   baseUrl: Config.string("RT_URL"),
 *   auth: Config.all({ _tag: Config.succeed("token" as const), token: Config.redacted("RT_TOKEN") })
 * })).pipe(Layer.provide(NodeHttpClient.layerUndici))
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig = (
  config: Config.Config<OptionsInput>,
  hooks: Hooks = {}
): Layer.Layer<
  TicketSystemAdapter.TicketSystemAdapter | RequestTrackerClient,
  ConfigError.ConfigError | ConfigurationError,
  HttpClient.HttpClient
> => Layer.unwrapEffect(Effect.map(config, (input) => layer(input, hooks)))

/**
 * The adapter as a configuration file names it (`adapter: request-tracker`; the configured
 * system's name is used unless `name` is set). The registry lists it under `rt` too.
 *
 * @since 0.1.0
 * @category definitions
 */
export const definition: AdapterDefinition.AdapterDefinition<Options, OptionsInput> = AdapterDefinition.make({
  name: "request-tracker",
  description: "Request Tracker 5 through REST2 (options: baseUrl, auth { _tag: token | basic }, contentSearch, priorities, statuses, timeZone)",
  options: Options,
  // decoded options are valid input: the layer's own decoding changes nothing
  layer: (options, { system }) => layer({ ...options, name: options.name === "request-tracker" ? system : options.name })
})
