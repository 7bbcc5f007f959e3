/**
 * A thin typed client of the parts of Redmine's REST API that ticketkit uses: issues (list, get,
 * create, update), journals, full-text search, issue statuses, issue priorities, trackers,
 * projects, the current user and roles.
 *
 * It speaks Redmine's own vocabulary (`status_id`, `private_notes`, `total_count`) and decodes
 * Redmine's JSON with Schemas; the mapping onto the normal form is `RedmineMapping`, and the
 * adapter onto the port `Redmine`. The schemas (`Issue`, `Journal`, `IssueStatus`…) and the body
 * of issue writes ({@link IssueWrite}) are declared in `internal/schemas.ts` and re-exported here.
 *
 * - Authentication is the `X-Redmine-API-Key` header, never `?key=` (query strings end up in
 *   access logs and proxies). The key is `Redacted`, and the header is redacted in logs and spans.
 * - Every failure is an `AdapterError` (see `HttpTransport`): 401/403 → `AuthenticationError`
 *   (Redmine answers them with an empty body), 404 on an issue → `TicketNotFoundError`, 422
 *   `{"errors":[…]}` → `RequestRejectedError` whose `reason` is Redmine's messages.
 * - `updateIssue` answers nothing: Redmine replies `204 No Content`, and it also replies 204 when it
 *   silently ignored a value (an unknown `status_id`, a status the workflow does not allow, a field
 *   the user may not change). Read the issue back to know what happened.
 * - {@link IssueQuery} builds Redmine's filter parameters: the short form (`status_id=1|2`,
 *   `subject=~text`, `updated_on=>=…`) when at most one project is filtered, the long form
 *   (`f[]=project_id&op[project_id]==&v[project_id][]=1&v[project_id][]=2`) for several projects,
 *   because `project_id=` names a single project in Redmine.
 * - Errors, spans and logs name the port operation being served
 *   (`TicketSystemAdapter.currentOperation`, set by the port); used directly, each method names
 *   itself (`getIssue`, `listIssues`, …).
 *
 * {@link make}, {@link layer} and {@link layerConfig} take the options as written
 * ({@link OptionsInput}); defaults are applied and every key checked inside.
 *
 * @since 0.1.0
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"
import type { AdapterError, ConfigurationError } from "../../AdapterError.js"
import * as HttpTransport from "../../HttpTransport.js"
import * as ConfigOptions from "../../internal/options.js"
import { formatParseError } from "../../SearchCriteria.js"
import type { IssueWrite, Journal } from "./internal/schemas.js"
import { CurrentUser, Issue, IssueList, IssuePriority, IssueStatus, Project, Role, SearchResults, Tracker } from "./internal/schemas.js"

/**
 * Schemas of Redmine's JSON and the body of issue writes (declared in `internal/schemas.ts`).
 *
 * @since 0.1.0
 * @category schemas
 */
export * from "./internal/schemas.js"

// -----------------------------------------------------------------------------
// queries
// -----------------------------------------------------------------------------

/**
 * Filters and paging of `GET /issues.json`. Every filter combines with AND; a list matches any of
 * its values. An empty list matches nothing (the caller should not ask).
 *
 * @since 0.1.0
 * @category models
 */
export interface IssueQuery {
  /** issues of these projects only (not of their subprojects) */
  readonly projectIds?: ReadonlyArray<number>
  /** status ids, or Redmine's `open` / `closed` / `*` (default `*`: every status) */
  readonly statusIds?: ReadonlyArray<number> | "open" | "closed" | "*"
  readonly priorityIds?: ReadonlyArray<number>
  readonly issueIds?: ReadonlyArray<number>
  /** the subject contains every word of this text (ASCII-only case-insensitive) */
  readonly subject?: string
  /** changed at or after this time (sent to the second, rounded up) */
  readonly updatedSince?: DateTime.DateTime
  readonly offset?: number
  /** at most 100 (Redmine's cap) */
  readonly limit?: number
  /** default `id` (ascending): stable while issues are added */
  readonly sort?: string
}

/**
 * A full-text search (`GET /search.json`, or `/projects/{project}/search.json` with `project`).
 *
 * @since 0.1.0
 * @category models
 */
export interface SearchQuery {
  readonly q: string
  /** a project id or identifier to search in (default: every visible project) */
  readonly project?: number | string
  /** only issues (default true) */
  readonly issuesOnly?: boolean
  /** every word must match (default true) */
  readonly allWords?: boolean
  readonly titlesOnly?: boolean
  readonly openIssues?: boolean
  readonly offset?: number
  readonly limit?: number
}

/**
 * The most issues Redmine returns per request.
 *
 * @since 0.1.0
 * @category constants
 */
export const MAX_LIMIT = 100

/**
 * A time as Redmine's filters accept it: `2026-11-27T12:43:30Z`, no fractional seconds (Redmine
 * answers 422 "Updated is invalid" to `12:43:30.000Z`). A time with a fraction is rounded **up**
 * to the next second: Redmine stores times to the second, so no issue changed at or after the
 * given time is lost.
 *
 * @since 0.1.0
 * @category utils
 */
export const formatTime = (time: DateTime.DateTime): string => {
  const seconds = Math.ceil(DateTime.toEpochMillis(time) / 1000)
  return new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, "Z")
}

type Query = Record<string, string | number | undefined>

const enc = encodeURIComponent

/**
 * The path and query of `GET /issues.json` for a query: short-form filters, or the long form when
 * several projects are filtered. In the long form the repeated keys (`f[]`, `v[field][]`) are
 * part of the returned path, because a transport query holds one value per key; they carry only
 * field names and ids.
 *
 * @since 0.1.0
 * @category utils
 */
export const issueListRequest = (query: IssueQuery): { readonly path: string; readonly query: Query } => {
  const paging: Query = {
    offset: Math.max(0, Math.floor(query.offset ?? 0)),
    limit: Math.max(1, Math.min(MAX_LIMIT, Math.floor(query.limit ?? 25))),
    sort: query.sort ?? "id"
  }
  const projects = query.projectIds ?? []
  const statuses = query.statusIds ?? "*"
  if (projects.length <= 1) {
    return {
      path: "/issues.json",
      query: {
        ...(projects.length === 1 ? { project_id: projects[0], subproject_id: "!*" } : {}),
        // without status_id Redmine lists open issues only
        status_id: typeof statuses === "string" ? statuses : statuses.join("|"),
        ...(query.priorityIds === undefined ? {} : { priority_id: query.priorityIds.join("|") }),
        ...(query.issueIds === undefined ? {} : { issue_id: query.issueIds.join(",") }),
        ...(query.subject === undefined ? {} : { subject: `~${query.subject}` }),
        ...(query.updatedSince === undefined ? {} : { updated_on: `>=${formatTime(query.updatedSince)}` }),
        ...paging
      }
    }
  }
  const repeated: Array<string> = ["set_filter=1"]
  const single: Query = {}
  const list = (field: string, values: ReadonlyArray<number>) => {
    repeated.push(`${enc("f[]")}=${field}`, ...values.map((v) => `${enc(`v[${field}][]`)}=${v}`))
    single[`op[${field}]`] = "="
  }
  const one = (field: string, op: string, value: string) => {
    repeated.push(`${enc("f[]")}=${field}`)
    single[`op[${field}]`] = op
    single[`v[${field}][]`] = value
  }
  list("project_id", projects)
  // the long form starts from no filter at all: every status unless asked
  if (statuses === "open" || statuses === "closed") one("status_id", statuses === "open" ? "o" : "c", "")
  else if (statuses !== "*") list("status_id", statuses)
  if (query.priorityIds !== undefined) list("priority_id", query.priorityIds)
  if (query.issueIds !== undefined) one("issue_id", "=", query.issueIds.join(","))
  if (query.subject !== undefined) one("subject", "~", query.subject)
  if (query.updatedSince !== undefined) one("updated_on", ">=", formatTime(query.updatedSince))
  return { path: `/issues.json?${repeated.join("&")}`, query: { ...single, ...paging } }
}

// -----------------------------------------------------------------------------
// service
// -----------------------------------------------------------------------------

/**
 * The client.
 *
 * @since 0.1.0
 * @category models
 */
export interface Service {
  /** the system's configured name (used in errors, logs and spans) */
  readonly name: string
  /** the transport underneath, for endpoints this client does not cover */
  readonly transport: HttpTransport.HttpTransport
  /** one page of issues */
  readonly listIssues: (query: IssueQuery) => Effect.Effect<IssueList, AdapterError>
  /** one issue; `journals: true` includes its journals */
  readonly getIssue: (id: number, options?: { readonly journals?: boolean }) => Effect.Effect<Issue, AdapterError>
  /** creates an issue (`project_id` and `subject` required) and returns it */
  readonly createIssue: (issue: IssueWrite) => Effect.Effect<Issue, AdapterError>
  /** updates an issue; Redmine answers 204 with no body, even when it ignored a value */
  readonly updateIssue: (id: number, issue: IssueWrite) => Effect.Effect<void, AdapterError>
  /** the journals of an issue, oldest first, as visible to the API user */
  readonly journals: (id: number) => Effect.Effect<ReadonlyArray<Journal>, AdapterError>
  /** one page of a full-text search */
  readonly search: (query: SearchQuery) => Effect.Effect<SearchResults, AdapterError>
  readonly statuses: () => Effect.Effect<ReadonlyArray<IssueStatus>, AdapterError>
  readonly priorities: () => Effect.Effect<ReadonlyArray<IssuePriority>, AdapterError>
  readonly trackers: () => Effect.Effect<ReadonlyArray<Tracker>, AdapterError>
  /** every project visible to the API user (all pages) */
  readonly projects: () => Effect.Effect<ReadonlyArray<Project>, AdapterError>
  /** the API key's user with its project memberships */
  readonly currentUser: () => Effect.Effect<CurrentUser, AdapterError>
  /** a role with its permissions */
  readonly role: (id: number) => Effect.Effect<Role, AdapterError>
}

/**
 * The tag of the client.
 *
 * @since 0.1.0
 * @category tags
 */
export class RedmineClient extends Context.Tag("ticketkit/RedmineClient")<RedmineClient, Service>() {}

// -----------------------------------------------------------------------------
// options
// -----------------------------------------------------------------------------

/**
 * The connection options: base URL and API key, plus the transport's timeout, user agent and body
 * cap.
 *
 * @since 0.1.0
 * @category configuration
 */
export const Options = Schema.Struct({
  ...HttpTransport.connectionFields("redmine"),
  /** the API key (My account → API access key), sent in the `X-Redmine-API-Key` header */
  apiKey: HttpTransport.Secret
})

/**
 * @since 0.1.0
 * @category configuration
 */
export type Options = typeof Options.Type

/**
 * The input form of the options (in code or a config file); `apiKey` may be a plain string or a
 * `Redacted`.
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
export type Hooks = HttpTransport.Hooks

/**
 * The header that carries the API key.
 *
 * @since 0.1.0
 * @category constants
 */
export const API_KEY_HEADER = "X-Redmine-API-Key"

/**
 * Checks options, with a message naming every bad key.
 *
 * @since 0.1.0
 * @category configuration
 */
export const decodeOptions = (input: unknown): Either.Either<Options, string> =>
  Schema.decodeUnknownEither(Options, { onExcessProperty: "error" })(input).pipe(Either.mapLeft(formatParseError))

// -----------------------------------------------------------------------------
// constructors
// -----------------------------------------------------------------------------

const Statuses = Schema.Struct({ issue_statuses: Schema.Array(IssueStatus) })
const Priorities = Schema.Struct({ issue_priorities: Schema.Array(IssuePriority) })
const Trackers = Schema.Struct({ trackers: Schema.Array(Tracker) })
const Projects = Schema.Struct({
  projects: Schema.Array(Project),
  total_count: Schema.optional(Schema.Int),
  offset: Schema.optional(Schema.Int),
  limit: Schema.optional(Schema.Int)
})
const OneIssue = Schema.Struct({ issue: Issue })
const OneUser = Schema.Struct({ user: CurrentUser })
const OneRole = Schema.Struct({ role: Role })

/**
 * The endpoints over a transport. Each request names its own operation, which the port's
 * (`TicketSystemAdapter.currentOperation`) replaces when one is being served.
 */
const endpoints = (transport: HttpTransport.HttpTransport): Omit<Service, "name" | "transport"> => {
  const get = <A, I>(schema: Schema.Schema<A, I, never>, operation: string, request: Omit<HttpTransport.Request, "method" | "operation">) =>
    transport.json(schema, { method: "GET", operation, ...request })

  const getIssue: Service["getIssue"] = (id, options) =>
    get(OneIssue, options?.journals === true ? "listJournals" : "getIssue", {
      path: "/issues/{id}.json",
      pathParams: { id: String(id) },
      ...(options?.journals === true ? { query: { include: "journals" } } : {}),
      ticketId: String(id)
    }).pipe(Effect.map((body) => body.issue))

  const projects: Service["projects"] = () =>
    Effect.gen(function*() {
      const all: Array<Project> = []
      for (let page = 0; page < 1000; page++) {
        const body = yield* get(Projects, "listProjects", { path: "/projects.json", query: { offset: all.length, limit: MAX_LIMIT } })
        all.push(...body.projects)
        if (body.projects.length === 0 || body.total_count === undefined || all.length >= body.total_count) break
      }
      return all
    })

  return {
    listIssues: (query) => get(IssueList, "listIssues", issueListRequest(query)),
    getIssue,
    createIssue: (issue) =>
      transport.json(OneIssue, { method: "POST", path: "/issues.json", body: { issue }, operation: "createIssue" }).pipe(Effect.map((body) => body.issue)),
    updateIssue: (id, issue) =>
      transport.send({
        method: "PUT",
        path: "/issues/{id}.json",
        pathParams: { id: String(id) },
        body: { issue },
        operation: "updateIssue",
        ticketId: String(id)
      }).pipe(Effect.asVoid),
    journals: (id) => getIssue(id, { journals: true }).pipe(Effect.map((issue) => issue.journals ?? [])),
    search: (query) =>
      get(SearchResults, "search", {
        path: query.project === undefined ? "/search.json" : "/projects/{project}/search.json",
        ...(query.project === undefined ? {} : { pathParams: { project: String(query.project) } }),
        query: {
          q: query.q,
          ...(query.issuesOnly === false ? {} : { issues: 1 }),
          // Redmine's defaults: every word must match, titles and descriptions (and notes)
          ...(query.allWords === false ? { all_words: "" } : {}),
          ...(query.titlesOnly === true ? { titles_only: 1 } : {}),
          ...(query.openIssues === true ? { open_issues: 1 } : {}),
          offset: Math.max(0, Math.floor(query.offset ?? 0)),
          limit: Math.max(1, Math.min(MAX_LIMIT, Math.floor(query.limit ?? 25)))
        }
      }),
    statuses: () => get(Statuses, "listStatuses", { path: "/issue_statuses.json" }).pipe(Effect.map((b) => b.issue_statuses)),
    priorities: () =>
      get(Priorities, "listPriorities", { path: "/enumerations/issue_priorities.json" }).pipe(Effect.map((b) => b.issue_priorities)),
    trackers: () => get(Trackers, "listTrackers", { path: "/trackers.json" }).pipe(Effect.map((b) => b.trackers)),
    projects,
    currentUser: () =>
      get(OneUser, "currentUser", { path: "/users/current.json", query: { include: "memberships" } }).pipe(Effect.map((b) => b.user)),
    role: (id) => get(OneRole, "getRole", { path: "/roles/{id}.json", pathParams: { id: String(id) } }).pipe(Effect.map((b) => b.role))
  }
}

/** the name a configuration error is reported under: the configured name, if there is one */
const adapterNameOf = (input: { readonly name?: string | undefined }): string =>
  typeof input?.name === "string" && input.name !== "" ? input.name : "redmine"

/**
 * Makes a client from options as written: defaults applied, every key checked (a bad one is a
 * `ConfigurationError` naming it). Requires an `HttpClient`.
 *
 * @example
 * ```ts
 * import { NodeHttpClient } from "@effect/platform-node"
 * import { Config, Effect } from "effect"
 * import { RedmineClient } from "ticketkit"
 *
 * const program = Effect.gen(function*() {
 *   const apiKey = yield* Config.redacted("REDMINE_API_KEY")
 *   const redmine = yield* RedmineClient.make({ baseUrl: "https://redmine.example.com", apiKey })
 *   return yield* redmine.statuses()
 * }).pipe(Effect.provide(NodeHttpClient.layerUndici))
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (input: OptionsInput, hooks: Hooks = {}): Effect.Effect<Service, ConfigurationError, HttpClient.HttpClient> =>
  Effect.gen(function*() {
    const options = yield* ConfigOptions.decode(Options, adapterNameOf(input))(input)
    const transport = yield* HttpTransport.make({
      baseUrl: options.baseUrl,
      timeout: options.timeout,
      userAgent: options.userAgent,
      maxBodyBytes: options.maxBodyBytes,
      auth: { _tag: "api-key", header: API_KEY_HEADER, key: options.apiKey },
      name: options.name,
      ...(hooks.transformClient === undefined ? {} : { transformClient: hooks.transformClient })
    })
    const service: Service = { name: options.name, transport, ...endpoints(transport) }
    return service
  })

/**
 * The client as a layer, from options as written (checked when the layer is built). Requires an
 * `HttpClient`.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (
  input: OptionsInput,
  hooks: Hooks = {}
): Layer.Layer<RedmineClient, ConfigurationError, HttpClient.HttpClient> => Layer.effect(RedmineClient, make(input, hooks))

/**
 * The client as a layer, its options read from a `Config` (e.g. {@link configFromEnv}, or
 * `Config.all({ baseUrl: Config.string("REDMINE_URL"), apiKey: Config.redacted("REDMINE_API_KEY") })`).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig = (
  config: Config.Config<OptionsInput>,
  hooks: Hooks = {}
): Layer.Layer<RedmineClient, ConfigurationError | ConfigError.ConfigError, HttpClient.HttpClient> =>
  Layer.effect(RedmineClient, Effect.flatMap(config, (input) => make(input, hooks)))

/**
 * Reads the standard environment: `REDMINE_URL` and `REDMINE_API_KEY` (redacted).
 *
 * @since 0.1.0
 * @category configuration
 */
export const configFromEnv: Config.Config<OptionsInput> = Config.all({
  baseUrl: Config.string("REDMINE_URL"),
  apiKey: Config.redacted("REDMINE_API_KEY")
})
