/**
 * The Redmine adapter: the generic `TicketSystemAdapter` port over Redmine's REST API. Verified
 * against Redmine 5.0 (REST API enabled, API key in the `X-Redmine-API-Key` header).
 *
 * Three parts: {@link RedmineClient}, the thin typed client of the REST API;
 * {@link RedmineMapping}, pure functions between Redmine's issues and the normal form (states,
 * priorities, bodies of writes, what an update's read-back and journals say was applied); and a
 * small driver (internal) joining the two into the port's `Driver`. This module holds the options
 * and the constructors: {@link make}, {@link layer} and {@link layerConfig} take the options as
 * written ({@link OptionsInput}), defaults applied inside; {@link definition} is the adapter as a
 * configuration file names it (`adapter: redmine`).
 *
 * ## Mapping
 *
 * | port | Redmine |
 * |---|---|
 * | ticket | issue (`id`, `subject`, `description`, `author` → requester, `assigned_to` → assignee, custom fields by name) |
 * | queue | **project** (`{ id: "1", name: "Demo" }`; refs by numeric id, identifier or name) |
 * | state | issue status, see below |
 * | priority | issue priority (enumeration), see below |
 * | note | journal with non-empty `notes`; internal = `private_notes: true` |
 * | tags | none (`capabilities.tags` is false) |
 * | raw | the decoded issue: every field Redmine sent, timestamps as `DateTime.Utc` |
 *
 * **Queues are projects, not trackers.** A project is where an issue lives, what permissions,
 * memberships, private notes and visibility are attached to, and what Redmine's own UI and API
 * scope everything by (`/projects/{id}/issues`, `/projects/{id}/search`); a tracker (Bug, Feature,
 * Support) is the kind of an issue inside a project and is better seen as a classification. An
 * automation that "watches the support queue" watches a project. The tracker of new issues is the
 * `defaultTracker` option (else Redmine's first tracker of the project).
 *
 * **States.** Redmine's statuses (`/issue_statuses.json`, with `is_closed`) map onto the five
 * categories by name (case-insensitive): New → `new`, In Progress → `open`, Feedback → `pending`,
 * Resolved → `resolved`, Closed and Rejected → `closed`; any other status is `closed` when Redmine
 * says `is_closed`, else `open`. The `states` option overrides this (keys: status names or ids).
 * `state.name` / `state.id` keep Redmine's status. Writing a category sets the status named for it
 * in `statusFor`, else the first status (in Redmine's order) of that category; writing a reference
 * (`{ name: "Feedback" }`, `{ id: "4" }`) sets exactly that status.
 *
 * **Priorities.** Low → `low`, Normal → `normal`, High → `high`, Urgent and Immediate → `urgent`;
 * other priorities by their place relative to Redmine's default priority (before → `low`, the
 * default → `normal`, after → `high`). Override with `priorities`; `priority.name` / `priority.id`
 * keep Redmine's value. Writing `urgent` sets Urgent (the first active priority of the level, or
 * `priorityFor`).
 *
 * ## Reading, searching, paging
 *
 * Lists use `GET /issues.json` sorted by id (stable while issues are added) with `offset`/`limit`
 * (at most 100) and Redmine's `total_count`; the cursor is the offset. Filters: `status_id`,
 * `priority_id`, `project_id` (without subprojects), `updated_on=>=` (to the second: fractional
 * seconds are rounded up, because Redmine refuses them; Redmine compares its sub-second stored time
 * with `> since − 1 s`, so a ticket changed up to one second before `updatedSince` may be included,
 * never one after it left out).
 *
 * **Text search** (the `text` criterion and `searchTickets`) uses the `subject=~` filter of the same
 * list by default (`textSearch: "subject"`): it combines with every other criterion, pages with a
 * stable order and an exact `total`. Redmine splits the text into words that must all occur in the
 * subject, and compares case-insensitively for ASCII letters only (`Grüße` finds `grüße`, not
 * `GRÜSSE`). It does not look at descriptions or notes.
 * `textSearch: "full-text"` uses `/search.json` instead (subjects, descriptions and notes; scoped to
 * the project when one queue is given): each page of hits is read as issues with the other
 * criteria applied, so pages may be shorter than asked, `total` is only given when no other
 * criterion is set, and hits are ordered newest first (issues created while paging shift pages).
 *
 * ## Writing, and Redmine's quirks
 *
 * - `PUT /issues/{id}.json` answers `204` with no body, **also when Redmine ignored a value**: an
 *   unknown `status_id`, a status the workflow does not allow, a project the issue cannot move to,
 *   any field the API user may not change. Every update is read back and compared; what was not
 *   applied fails with `RequestRejectedError` naming the fields (the fields that were applied stay
 *   applied). Unknown status, priority and project references are refused before any request.
 * - A field may read back different because **another writer** changed it a moment later. The
 *   issue's journal tells: the issue is read with its journals before the update (one request),
 *   and a field read back different counts as applied when a journal written since sets it to the
 *   value sent, or changes it from that value (Redmine writes no journal for a value the issue
 *   already has). Only a field no journal since explains is reported as ignored. (Journals the API
 *   user may not see — with a private note, without "View private notes" — cannot explain.)
 * - A new issue always starts in its tracker's default status: a draft's other state is set with a
 *   second request, read back and checked the same way.
 * - An internal note is sent with `private_notes: true`. Redmine silently stores it as a **public**
 *   note when the API user lacks the "Mark notes as private" permission; so, unless
 *   `checkPrivateNotes: false`, the adapter first checks that permission (the user's roles in the
 *   issue's project, read once and cached) and refuses with `RequestRejectedError` instead of
 *   publishing an internal remark.
 * - 401 and 404 answers have empty bodies; 422 `{"errors":[…]}` becomes `RequestRejectedError`
 *   with Redmine's messages. Issue ids are positive integers: any other id is `TicketNotFoundError`
 *   without a request (Rails would read `1?x=y` as issue 1).
 * - Descriptions and notes come back with `\r\n` line ends (Redmine normalises them); the adapter
 *   gives `\n`.
 * - Assignees are set by user id (`{ id: "5" }`); the requester is the API key's user and cannot be
 *   set; tags do not exist (an empty tag list is accepted, any tag refused).
 *
 * Statuses, priorities, trackers and projects are read once when the layer is built (and checked
 * against the options, failing with `ConfigurationError`); a reference not found is looked up again
 * once (at most every 10 seconds) before it is refused, so a project created later is found.
 *
 * @since 0.1.0
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import type * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"
import type { AdapterError, ConfigurationError } from "../../AdapterError.js"
import * as AdapterDefinition from "../../AdapterDefinition.js"
import * as ConfigOptions from "../../internal/options.js"
import { formatParseError } from "../../SearchCriteria.js"
import * as TicketSystemAdapter from "../../TicketSystemAdapter.js"
import * as Driver from "./internal/driver.js"
import * as RedmineClient from "./RedmineClient.js"
import * as RedmineMapping from "./RedmineMapping.js"

// -----------------------------------------------------------------------------
// options
// -----------------------------------------------------------------------------

/**
 * The configuration of a Redmine adapter: connection ({@link RedmineClient.Options}: `baseUrl`,
 * `apiKey`, `name` (default `redmine`), `timeout`, `userAgent`, `maxBodyBytes`) and mapping
 * ({@link RedmineMapping.Options}: `defaultTracker`, `projects`, `states`, `statusFor`,
 * `priorities`, `priorityFor`, `textSearch`, `checkPrivateNotes`).
 *
 * ```yaml
 * systems:
 *   redmine:
 *     adapter: redmine
 *     options:
 *       baseUrl: http://127.0.0.1:3010
 *       apiKey: "${env:REDMINE_API_KEY}"
 *       defaultTracker: Support
 * ```
 *
 * @since 0.1.0
 * @category configuration
 */
export const Options = Schema.Struct({
  ...RedmineClient.Options.fields,
  ...RedmineMapping.Options.fields
})

/**
 * @since 0.1.0
 * @category configuration
 */
export type Options = typeof Options.Type

/**
 * The input form of {@link Options} (in code or a config file): defaults may be left out, and
 * `apiKey` may be a plain string or a `Redacted`.
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
export type Hooks = RedmineClient.Hooks

/**
 * Checks a configuration, with a message naming every bad key.
 *
 * @since 0.1.0
 * @category configuration
 */
export const decodeOptions = (input: unknown): Either.Either<Options, string> =>
  Schema.decodeUnknownEither(Options, { onExcessProperty: "error" })(input).pipe(Either.mapLeft(formatParseError))

/** the name a configuration error is reported under: the configured name, if there is one */
const adapterNameOf = (input: { readonly name?: string | undefined }): string =>
  typeof input?.name === "string" && input.name !== "" ? input.name : "redmine"

const decode = (input: OptionsInput) => ConfigOptions.decode(Options, adapterNameOf(input))(input)

/** the connection's options and the mapping's */
const split = (options: Options): { readonly client: RedmineClient.Options; readonly mapping: RedmineMapping.Options } => {
  const { apiKey, baseUrl, maxBodyBytes, name, timeout, userAgent, ...mapping } = options
  return { client: { apiKey, baseUrl, maxBodyBytes, name, timeout, userAgent }, mapping }
}

// -----------------------------------------------------------------------------
// constructors
// -----------------------------------------------------------------------------

/** the port on a client: the driver, made into the service */
const makeOn = (client: RedmineClient.Service, mapping: RedmineMapping.Options) =>
  Effect.map(Driver.make(client, mapping), TicketSystemAdapter.make)

/** the adapter and its client from decoded options (decoded options are valid options as written) */
const makeDecoded = (options: Options, hooks: Hooks) =>
  Effect.gen(function*() {
    const { client, mapping } = split(options)
    const redmine = yield* RedmineClient.make(client, hooks)
    return [yield* makeOn(redmine, mapping), redmine] as const
  })

/**
 * Makes the adapter (and its client) from options as written: defaults applied, every key
 * checked. Reads Redmine's statuses, priorities, trackers and projects once and checks the
 * options against them: a wrong key fails with `AuthenticationError`, a wrong option with
 * `ConfigurationError`. Requires an `HttpClient`.
 *
 * @example
 * ```ts
 * import { NodeHttpClient } from "@effect/platform-node"
 * import { Config, Effect } from "effect"
 * import { Redmine } from "ticketkit"
 *
 * const program = Effect.gen(function*() {
 *   const apiKey = yield* Config.redacted("REDMINE_API_KEY")
 *   const redmine = yield* Redmine.make({ baseUrl: "https://redmine.example.com", apiKey, defaultTracker: "Support" })
 *   return yield* redmine.fetchTickets({ states: ["new"], limit: 10 })
 * }).pipe(Effect.provide(NodeHttpClient.layerUndici))
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  input: OptionsInput,
  hooks: Hooks = {}
): Effect.Effect<TicketSystemAdapter.Service, AdapterError | ConfigurationError, HttpClient.HttpClient> =>
  Effect.flatMap(decode(input), (options) => Effect.map(makeDecoded(options, hooks), ([adapter]) => adapter))

/** the adapter and its client, from decoded options */
const layerDecoded = (
  options: Options,
  hooks: Hooks
): Layer.Layer<TicketSystemAdapter.TicketSystemAdapter | RedmineClient.RedmineClient, AdapterError | ConfigurationError, HttpClient.HttpClient> =>
  Layer.effectContext(Effect.map(makeDecoded(options, hooks), ([adapter, client]) =>
    Context.make(TicketSystemAdapter.TicketSystemAdapter, adapter).pipe(Context.add(RedmineClient.RedmineClient, client))))

/**
 * The Redmine adapter as a layer, with its client (so that Redmine-specific endpoints are at hand
 * too), from options as written, checked when the layer is built (see {@link make}).
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (
  input: OptionsInput,
  hooks: Hooks = {}
): Layer.Layer<
  TicketSystemAdapter.TicketSystemAdapter | RedmineClient.RedmineClient,
  AdapterError | ConfigurationError,
  HttpClient.HttpClient
> => Layer.unwrapEffect(Effect.map(decode(input), (options) => layerDecoded(options, hooks)))

/**
 * The Redmine adapter as a layer, with its client, its options read from a `Config`:
 *
 * ```ts
 * Redmine.layerConfig(Config.all({
 *   baseUrl: Config.string("REDMINE_URL"),
 *   apiKey: Config.redacted("REDMINE_API_KEY")
 * }))
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig = (
  config: Config.Config<OptionsInput>,
  hooks: Hooks = {}
): Layer.Layer<
  TicketSystemAdapter.TicketSystemAdapter | RedmineClient.RedmineClient,
  AdapterError | ConfigurationError | ConfigError.ConfigError,
  HttpClient.HttpClient
> => Layer.unwrapEffect(Effect.map(Effect.flatMap(config, decode), (options) => layerDecoded(options, hooks)))

/**
 * The adapter on a `RedmineClient` provided separately, e.g. one client shared with code that
 * uses Redmine-specific endpoints, or made with {@link RedmineClient.layerConfig}. Takes the
 * mapping options as written ({@link RedmineMapping.OptionsInput}).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerFromClient = (
  input: RedmineMapping.OptionsInput = {}
): Layer.Layer<TicketSystemAdapter.TicketSystemAdapter, AdapterError | ConfigurationError, RedmineClient.RedmineClient> =>
  Layer.effect(
    TicketSystemAdapter.TicketSystemAdapter,
    Effect.gen(function*() {
      const client = yield* RedmineClient.RedmineClient
      const mapping = yield* ConfigOptions.decode(RedmineMapping.Options, client.name)(input)
      return yield* makeOn(client, mapping)
    })
  )

/**
 * The adapter as a configuration file names it (`adapter: redmine`). The adapter is named after
 * the configured system unless `name` is set.
 *
 * @since 0.1.0
 * @category registry
 */
export const definition: AdapterDefinition.AdapterDefinition<Options, OptionsInput> = AdapterDefinition.make({
  name: "redmine",
  description: "Redmine 5 over its REST API (queues = projects; options: baseUrl, apiKey, defaultTracker, projects, states, priorities…)",
  options: Options,
  layer: (options, { system }) =>
    Layer.effect(
      TicketSystemAdapter.TicketSystemAdapter,
      Effect.map(makeDecoded({ ...options, name: options.name === "redmine" ? system : options.name }, {}), ([adapter]) => adapter)
    )
})
