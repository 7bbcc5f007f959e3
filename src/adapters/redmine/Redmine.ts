/**
 * The Redmine adapter: maps a {@link RedmineClient} onto the generic `TicketSystemAdapter` port.
 * Verified against Redmine 5.0 (REST API enabled, API key in the `X-Redmine-API-Key` header).
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
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Ref from "effect/Ref"
import * as Schema from "effect/Schema"
import type { AdapterError } from "../../AdapterError.js"
import { InvalidInputError, RequestRejectedError, TicketNotFoundError } from "../../AdapterError.js"
import { Note } from "../../Note.js"
import type { NoteDraft } from "../../Note.js"
import type { AdapterDefinition } from "../../Registry.js"
import type { Page, SearchCriteria } from "../../SearchCriteria.js"
import { formatParseError } from "../../SearchCriteria.js"
import * as T from "../../Ticket.js"
import * as TicketSystemAdapter from "../../TicketSystemAdapter.js"
import { ConfigurationError } from "../../AdapterError.js"
import * as RedmineClient from "./RedmineClient.js"

// -----------------------------------------------------------------------------
// options
// -----------------------------------------------------------------------------

const RefString = Schema.String.pipe(Schema.nonEmptyString({ message: () => "a name or id must not be empty" }))

/**
 * The options that say how Redmine maps onto the port.
 *
 * @since 0.1.0
 * @category configuration
 */
export const Mapping = Schema.Struct({
  /** the tracker of new issues (name or id); default: Redmine's first tracker of the project */
  defaultTracker: Schema.optional(RefString),
  /** restrict the adapter to these projects (ids, identifiers or names) */
  projects: Schema.optional(Schema.Array(RefString).pipe(Schema.minItems(1, { message: () => "projects: give at least one project or leave it out" }))),
  /** status (name or id) → state category, overriding the defaults */
  states: Schema.optionalWith(Schema.Record({ key: Schema.String, value: T.StateType }), { default: () => ({}) }),
  /** the status (name or id) set for a category, instead of the first of that category */
  statusFor: Schema.optionalWith(
    Schema.partial(Schema.Record({ key: T.StateType, value: RefString })),
    { default: () => ({}) }
  ),
  /** priority (name or id) → level, overriding the defaults */
  priorities: Schema.optionalWith(Schema.Record({ key: Schema.String, value: T.PriorityLevel }), { default: () => ({}) }),
  /** the priority (name or id) set for a level, instead of the first of that level */
  priorityFor: Schema.optionalWith(
    Schema.partial(Schema.Record({ key: T.PriorityLevel, value: RefString })),
    { default: () => ({}) }
  ),
  /** `subject` (default): the `subject=~` filter; `full-text`: `/search.json` */
  textSearch: Schema.optionalWith(Schema.Literal("subject", "full-text"), { default: () => "subject" as const }),
  /** refuse internal notes the API user cannot mark private (Redmine would publish them) */
  checkPrivateNotes: Schema.optionalWith(Schema.Boolean, { default: () => true })
})

/**
 * @since 0.1.0
 * @category configuration
 */
export type Mapping = typeof Mapping.Type

/**
 * @since 0.1.0
 * @category configuration
 */
export type MappingInput = typeof Mapping.Encoded

/**
 * The configuration of a Redmine adapter: connection ({@link RedmineClient.Options}: `baseUrl`,
 * `apiKey`, `name` (default `redmine`), `timeout`, `userAgent`, `maxBodyBytes`) and {@link Mapping}.
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
  ...Mapping.fields
})

/**
 * @since 0.1.0
 * @category configuration
 */
export type Options = typeof Options.Type

/**
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

// -----------------------------------------------------------------------------
// state and priority maps
// -----------------------------------------------------------------------------

/**
 * The default state of Redmine's standard statuses, by lower-case name.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultStates: Readonly<Record<string, T.StateType>> = {
  "new": "new",
  "in progress": "open",
  "feedback": "pending",
  "resolved": "resolved",
  "closed": "closed",
  "rejected": "closed"
}

/**
 * The default level of Redmine's standard priorities, by lower-case name.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultPriorities: Readonly<Record<string, T.PriorityLevel>> = {
  "low": "low",
  "normal": "normal",
  "high": "high",
  "urgent": "urgent",
  "immediate": "urgent"
}

const stateOrder: ReadonlyArray<T.StateType> = ["new", "open", "pending", "resolved", "closed"]

const lowerKeys = <V>(record: Readonly<Record<string, V>>) =>
  new Map(Object.entries(record).map(([k, v]) => [k.trim().toLowerCase(), v] as const))

/** an id (`"4"`) or a name, matched against `{ id, name }` items: ids exactly, names case-insensitively */
const byIdOrName = <A extends { readonly id: number; readonly name: string }>(items: ReadonlyArray<A>, key: string) => {
  const k = key.trim()
  return items.find((item) => String(item.id) === k) ?? items.find((item) => item.name.toLowerCase() === k.toLowerCase())
}

const byRef = <A extends { readonly id: number; readonly name: string }>(items: ReadonlyArray<A>, ref: T.Ref) =>
  ref.id !== undefined
    ? items.find((item) => String(item.id) === ref.id!.trim())
    : ref.name === undefined
    ? undefined
    : items.find((item) => item.name.toLowerCase() === ref.name!.trim().toLowerCase())

const names = (items: ReadonlyArray<{ readonly name: string }>) => items.map((i) => JSON.stringify(i.name)).join(", ")

/**
 * The state category of a status, given the overrides (lower-case name or id → category).
 *
 * @since 0.1.0
 * @category mapping
 */
export const stateTypeOf = (
  status: { readonly id: number; readonly name: string; readonly is_closed?: boolean | undefined },
  overrides: ReadonlyMap<string, T.StateType> = new Map()
): T.StateType =>
  overrides.get(String(status.id)) ?? overrides.get(status.name.toLowerCase()) ?? defaultStates[status.name.toLowerCase()] ??
    (status.is_closed === true ? "closed" : "open")

/**
 * The level of a priority, given the overrides and Redmine's priorities (for the place of a
 * priority that has no default level).
 *
 * @since 0.1.0
 * @category mapping
 */
export const priorityLevelOf = (
  priority: { readonly id: number; readonly name?: string | undefined },
  all: ReadonlyArray<RedmineClient.IssuePriority>,
  overrides: ReadonlyMap<string, T.PriorityLevel> = new Map()
): T.PriorityLevel => {
  const name = (priority.name ?? all.find((p) => p.id === priority.id)?.name ?? "").toLowerCase()
  const known = overrides.get(String(priority.id)) ?? overrides.get(name) ?? defaultPriorities[name]
  if (known !== undefined) return known
  const index = all.findIndex((p) => p.id === priority.id)
  const defaultIndex = all.findIndex((p) => p.is_default)
  if (index < 0 || defaultIndex < 0 || index === defaultIndex) return "normal"
  return index < defaultIndex ? "low" : "high"
}

// -----------------------------------------------------------------------------
// helpers
// -----------------------------------------------------------------------------

const normaliseNewlines = (text: string) => text.replace(/\r\n?/g, "\n")

const ISSUE_ID = /^[1-9][0-9]{0,9}$/

/** a reference list kept in memory, looked up again on a miss (at most every `minAgeMillis`) */
interface Cached<A> {
  readonly current: Effect.Effect<ReadonlyArray<A>>
  /** the first item `find` accepts, reloading the list once if none does */
  readonly find: (
    accept: (items: ReadonlyArray<A>) => A | undefined,
    operation: string
  ) => Effect.Effect<A | undefined, AdapterError>
}

const makeCached = <A>(
  initial: ReadonlyArray<A>,
  load: (operation: string) => Effect.Effect<ReadonlyArray<A>, AdapterError>,
  minAgeMillis = 10_000
): Effect.Effect<Cached<A>> =>
  Effect.gen(function*() {
    const state = yield* Ref.make({ items: initial, loadedAt: yield* Clock.currentTimeMillis })
    return {
      current: Effect.map(Ref.get(state), (s) => s.items),
      find: (accept, operation) =>
        Effect.gen(function*() {
          const { items, loadedAt } = yield* Ref.get(state)
          const found = accept(items)
          const now = yield* Clock.currentTimeMillis
          if (found !== undefined || now - loadedAt < minAgeMillis) return found
          const reloaded = yield* load(operation)
          yield* Ref.set(state, { items: reloaded, loadedAt: now })
          return accept(reloaded)
        })
    }
  })

const CURSOR = /^\d{1,9}$/

// -----------------------------------------------------------------------------
// make
// -----------------------------------------------------------------------------

/**
 * Makes the adapter on the `RedmineClient` in context. Reads Redmine's statuses, priorities,
 * trackers and projects once, and checks the mapping against them.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  mapping: Mapping
): Effect.Effect<TicketSystemAdapter.Service, AdapterError | ConfigurationError, RedmineClient.RedmineClient> =>
  Effect.gen(function*() {
    const client = yield* RedmineClient.RedmineClient
    const { name } = client
    const setup = { operation: "connect" }

    // ---- lookups, read once ---------------------------------------------------
    const [statusList, priorityList, trackerList, projectList] = yield* Effect.all([
      client.statuses(setup),
      client.priorities(setup),
      client.trackers(setup),
      client.projects(setup)
    ], { concurrency: 4 })

    const configError = (detail: string) => new ConfigurationError({ adapter: name, detail })
    const stateOverrides = lowerKeys(mapping.states)
    const priorityOverrides = lowerKeys(mapping.priorities)

    for (const key of Object.keys(mapping.states)) {
      if (byIdOrName(statusList, key) === undefined) {
        return yield* configError(`states: Redmine has no status ${JSON.stringify(key)} (statuses: ${names(statusList)})`)
      }
    }
    for (const key of Object.keys(mapping.priorities)) {
      if (byIdOrName(priorityList, key) === undefined) {
        return yield* configError(`priorities: Redmine has no priority ${JSON.stringify(key)} (priorities: ${names(priorityList)})`)
      }
    }
    const statusTargets = new Map<T.StateType, RedmineClient.IssueStatus>()
    for (const type of stateOrder) {
      const wanted = mapping.statusFor[type]
      const status = wanted === undefined
        ? statusList.find((s) => stateTypeOf(s, stateOverrides) === type)
        : byIdOrName(statusList, wanted)
      if (wanted !== undefined && status === undefined) {
        return yield* configError(`statusFor.${type}: Redmine has no status ${JSON.stringify(wanted)} (statuses: ${names(statusList)})`)
      }
      if (status === undefined) continue
      if (stateTypeOf(status, stateOverrides) !== type) {
        return yield* configError(
          `statusFor.${type}: status ${JSON.stringify(status.name)} reads back as ${stateTypeOf(status, stateOverrides)}; map it in states too`
        )
      }
      statusTargets.set(type, status)
    }
    const activePriorities = priorityList.filter((p) => p.active)
    const priorityTargets = new Map<T.PriorityLevel, RedmineClient.IssuePriority>()
    for (const level of T.PriorityLevel.literals) {
      const wanted = mapping.priorityFor[level]
      const priority = wanted === undefined
        ? activePriorities.find((p) => priorityLevelOf(p, priorityList, priorityOverrides) === level)
        : byIdOrName(activePriorities, wanted)
      if (wanted !== undefined && priority === undefined) {
        return yield* configError(`priorityFor.${level}: Redmine has no active priority ${JSON.stringify(wanted)} (priorities: ${names(activePriorities)})`)
      }
      if (priority === undefined) continue
      if (priorityLevelOf(priority, priorityList, priorityOverrides) !== level) {
        return yield* configError(
          `priorityFor.${level}: priority ${JSON.stringify(priority.name)} reads back as ${priorityLevelOf(priority, priorityList, priorityOverrides)}; map it in priorities too`
        )
      }
      priorityTargets.set(level, priority)
    }
    let trackerId: number | undefined
    if (mapping.defaultTracker !== undefined) {
      const tracker = byIdOrName(trackerList, mapping.defaultTracker)
      if (tracker === undefined) {
        return yield* configError(`defaultTracker: Redmine has no tracker ${JSON.stringify(mapping.defaultTracker)} (trackers: ${names(trackerList)})`)
      }
      trackerId = tracker.id
    }
    const projectByKey = (projects: ReadonlyArray<RedmineClient.Project>, key: string) =>
      projects.find((p) => String(p.id) === key.trim()) ??
        projects.find((p) => p.identifier === key.trim().toLowerCase()) ??
        projects.find((p) => p.name.toLowerCase() === key.trim().toLowerCase())
    let scope: ReadonlySet<number> | undefined
    if (mapping.projects !== undefined) {
      const ids = new Set<number>()
      for (const key of mapping.projects) {
        const project = projectByKey(projectList, key)
        if (project === undefined) {
          return yield* configError(
            `projects: no project ${JSON.stringify(key)} is visible to the API key (projects: ${projectList.map((p) => p.identifier).join(", ") || "none"})`
          )
        }
        ids.add(project.id)
      }
      scope = ids
    }

    const statuses = yield* makeCached(statusList, (operation) => client.statuses({ operation }))
    const priorities = yield* makeCached(priorityList, (operation) => client.priorities({ operation }))
    const projects = yield* makeCached(projectList, (operation) => client.projects({ operation }))

    // ---- errors ----------------------------------------------------------------
    const invalid = (operation: string, detail: string) => new InvalidInputError({ adapter: name, operation, detail })
    const rejected = (operation: string, reason: string, ticketId?: string) =>
      new RequestRejectedError({ adapter: name, operation, reason, ...(ticketId === undefined ? {} : { ticketId }) })
    const notFound = (operation: string, ticketId: string) => new TicketNotFoundError({ adapter: name, operation, ticketId })

    const issueIdOf = (id: T.TicketId, operation: string): Effect.Effect<number, TicketNotFoundError> =>
      ISSUE_ID.test(id) ? Effect.succeed(Number(id)) : Effect.fail(notFound(operation, id))

    const inScope = (issue: RedmineClient.Issue, operation: string): Effect.Effect<RedmineClient.Issue, TicketNotFoundError> =>
      scope === undefined || scope.has(issue.project.id) ? Effect.succeed(issue) : Effect.fail(notFound(operation, String(issue.id)))

    // ---- issue → ticket ---------------------------------------------------------
    const toTicket = (issue: RedmineClient.Issue): T.Ticket => {
      const userRef = (user: RedmineClient.IdName | undefined): T.UserRef | undefined =>
        user === undefined ? undefined : { id: String(user.id), ...(user.name === undefined ? {} : { name: user.name }) }
      const requester = userRef(issue.author)
      const assignee = userRef(issue.assigned_to)
      const customFields: Record<string, T.CustomFieldValue> = {}
      for (const field of issue.custom_fields ?? []) customFields[field.name] = field.value ?? null
      return new T.Ticket({
        id: T.ticketId(issue.id),
        title: issue.subject,
        description: normaliseNewlines(issue.description ?? ""),
        state: { type: stateTypeOf(issue.status, stateOverrides), name: issue.status.name, id: String(issue.status.id) },
        priority: {
          level: priorityLevelOf(issue.priority, priorityList, priorityOverrides),
          name: issue.priority.name ?? priorityList.find((p) => p.id === issue.priority.id)?.name ?? String(issue.priority.id),
          id: String(issue.priority.id)
        },
        queue: { id: String(issue.project.id), ...(issue.project.name === undefined ? {} : { name: issue.project.name }) },
        ...(requester === undefined ? {} : { requester }),
        ...(assignee === undefined ? {} : { assignee }),
        tags: [],
        createdAt: issue.created_on,
        updatedAt: issue.updated_on,
        customFields,
        raw: issue
      }, true)
    }

    // ---- references → ids ---------------------------------------------------------
    const projectOf = (ref: T.Ref, operation: string): Effect.Effect<RedmineClient.Project, AdapterError> =>
      Effect.gen(function*() {
        const accept = (items: ReadonlyArray<RedmineClient.Project>) => {
          if (ref.id !== undefined) {
            const id = ref.id.trim()
            return /^\d+$/.test(id) ? items.find((p) => String(p.id) === id) : items.find((p) => p.identifier === id.toLowerCase())
          }
          const wanted = (ref.name ?? "").trim().toLowerCase()
          return items.find((p) => p.name.toLowerCase() === wanted) ?? items.find((p) => p.identifier === wanted)
        }
        const project = yield* projects.find(accept, operation)
        if (project === undefined) {
          const visible = (yield* projects.current).filter((p) => scope === undefined || scope.has(p.id))
          return yield* rejected(
            operation,
            `Redmine has no project ${T.formatRef(ref)} visible to the API key (projects: ${visible.map((p) => p.identifier).join(", ") || "none"})`
          )
        }
        if (scope !== undefined && !scope.has(project.id)) {
          return yield* rejected(operation, `project ${JSON.stringify(project.identifier)} is outside the projects ${name} is restricted to`)
        }
        return project
      })

    const statusOf = (value: T.StateType | T.Ref, operation: string, ticketId?: string) =>
      Effect.gen(function*() {
        if (typeof value === "string") {
          const status = statusTargets.get(value)
          if (status === undefined) return yield* invalid(operation, `${name} has no status in the state category ${JSON.stringify(value)}`)
          return status
        }
        const status = yield* statuses.find((items) => byRef(items, value), operation)
        if (status === undefined) {
          return yield* rejected(operation, `Redmine has no status ${T.formatRef(value)} (statuses: ${names(yield* statuses.current)})`, ticketId)
        }
        return status
      })

    const priorityOf = (value: T.PriorityLevel | T.Ref, operation: string, ticketId?: string) =>
      Effect.gen(function*() {
        if (typeof value === "string") {
          const priority = priorityTargets.get(value)
          if (priority === undefined) return yield* invalid(operation, `${name} has no priority of the level ${JSON.stringify(value)}`)
          return priority
        }
        const priority = yield* priorities.find((items) => byRef(items.filter((p) => p.active), value), operation)
        if (priority === undefined) {
          return yield* rejected(operation, `Redmine has no active priority ${T.formatRef(value)} (priorities: ${names(activePriorities)})`, ticketId)
        }
        return priority
      })

    const assigneeOf = (user: T.UserRef | null, operation: string): Effect.Effect<number | "", InvalidInputError> => {
      if (user === null) return Effect.succeed("")
      if (user.id !== undefined && /^\d+$/.test(user.id.trim())) return Effect.succeed(Number(user.id.trim()))
      return Effect.fail(invalid(operation, `Redmine assigns by user id: give the assignee as { id: "<user id>" } (got ${T.formatRef(user)})`))
    }

    const checkTags = (tags: ReadonlyArray<string> | undefined, operation: string) =>
      tags === undefined || tags.length === 0
        ? Effect.void
        : Effect.fail(invalid(operation, `Redmine issues have no tags (capabilities.tags is false)`))

    const customFieldsOf = (
      wanted: Readonly<Record<string, T.CustomFieldValue>>,
      issue: RedmineClient.Issue,
      operation: string
    ): Effect.Effect<NonNullable<RedmineClient.IssueWrite["custom_fields"]>, AdapterError> =>
      Effect.gen(function*() {
        const available = issue.custom_fields ?? []
        const out: Array<{ id: number; value: string | ReadonlyArray<string> | null }> = []
        for (const [key, value] of Object.entries(wanted)) {
          const field = available.find((f) => f.name === key) ?? available.find((f) => String(f.id) === key) ??
            available.find((f) => f.name.toLowerCase() === key.toLowerCase())
          if (field === undefined) {
            return yield* rejected(
              operation,
              `issue ${issue.id} has no custom field ${JSON.stringify(key)} (fields: ${available.map((f) => JSON.stringify(f.name)).join(", ") || "none"})`,
              String(issue.id)
            )
          }
          out.push({
            id: field.id,
            value: value === null ? null : Array.isArray(value) ? value : typeof value === "boolean" ? (value ? "1" : "0") : String(value)
          })
        }
        return out
      })

    // ---- read back: what Redmine ignored ------------------------------------------
    const sameValue = (a: unknown, b: unknown) => {
      const norm = (v: unknown) => (Array.isArray(v) ? [...v].map(String).sort().join("\u0000") : v === null || v === undefined ? "" : String(v))
      return norm(a) === norm(b)
    }
    const statusName = (id: number) => statusList.find((s) => s.id === id)?.name ?? `#${id}`

    /**
     * One field of an update: does an issue hold the value sent, and is a value recorded in a
     * journal detail (`property`/`name`, as Redmine writes them) that value?
     */
    interface Written {
      readonly property: "attr" | "cf"
      readonly name: string
      readonly holds: (issue: RedmineClient.Issue) => boolean
      readonly isSent: (recorded: string | null | undefined) => boolean
      /** what is said of it when it was not applied */
      readonly describe: (issue: RedmineClient.Issue) => string
    }

    const writtenFields = (body: RedmineClient.IssueWrite): ReadonlyArray<Written> => {
      const out: Array<Written> = []
      const attr = (name: string, sent: string, holds: Written["holds"], describe: Written["describe"]) =>
        out.push({ property: "attr", name, holds, isSent: (v) => (v ?? "") === sent, describe })
      if (body.status_id !== undefined) {
        const id = body.status_id
        attr("status_id", String(id), (i) => i.status.id === id, (i) => `status ${JSON.stringify(statusName(id))} (it is still ${JSON.stringify(i.status.name)})`)
      }
      if (body.priority_id !== undefined) {
        const id = body.priority_id
        attr("priority_id", String(id), (i) => i.priority.id === id, () => "priority")
      }
      if (body.project_id !== undefined) {
        const id = String(body.project_id)
        attr("project_id", id, (i) => String(i.project.id) === id, () => "project (queue)")
      }
      if (body.subject !== undefined) {
        const subject = body.subject
        out.push({
          property: "attr",
          name: "subject",
          holds: (i) => i.subject === subject,
          isSent: (v) => (v ?? "").trim() === subject.trim(),
          describe: () => "subject (title)"
        })
      }
      if (body.description !== undefined) {
        const description = normaliseNewlines(body.description)
        out.push({
          property: "attr",
          name: "description",
          holds: (i) => normaliseNewlines(i.description ?? "") === description,
          isSent: (v) => normaliseNewlines(v ?? "") === description,
          describe: () => "description"
        })
      }
      if (body.assigned_to_id !== undefined) {
        const id = body.assigned_to_id
        attr("assigned_to_id", String(id), (i) => (i.assigned_to?.id ?? "") === id, () => "assignee")
      }
      for (const field of body.custom_fields ?? []) {
        const values = field.value === null ? [] : Array.isArray(field.value) ? field.value.map(String) : [String(field.value)]
        out.push({
          property: "cf",
          name: String(field.id),
          holds: (i) => {
            const now = i.custom_fields?.find((f) => f.id === field.id)
            return now !== undefined && sameValue(now.value, field.value)
          },
          // a multiple-value field records one detail per value added or removed
          isSent: (v) => (v === null || v === undefined || v === "" ? values.length === 0 : values.includes(v)),
          describe: (i) => `custom field ${JSON.stringify(i.custom_fields?.find((f) => f.id === field.id)?.name ?? field.id)}`
        })
      }
      return out
    }

    /** the id of the newest journal of an issue (0 when it has none) */
    const lastJournalId = (issue: RedmineClient.Issue) => (issue.journals ?? []).reduce((max, j) => Math.max(max, j.id), 0)

    /**
     * Sends an update and checks what Redmine made of it. Redmine answers 204 also when it ignored
     * a value, so the issue is read back; a field that does not hold the value sent is looked up in
     * the issue's journal since the update began (the journals newer than `since`, the newest
     * journal id before it):
     *
     * - a journal that set the field to the value sent: applied (a later write changed it again);
     * - a journal that changed the field from the value sent: the value was there (Redmine writes
     *   no journal for a value an issue already has), and a later write changed it;
     * - neither: nobody changed the field since, and it does not hold the value: Redmine ignored it.
     *
     * Only the fields of the last kind fail the update, with `RequestRejectedError` naming them.
     */
    const applyAndVerify = (id: number, body: RedmineClient.IssueWrite, operation: string, since: number) =>
      Effect.gen(function*() {
        yield* client.updateIssue(id, body, { operation })
        const after = yield* client.getIssue(id, { operation })
        const written = writtenFields(body)
        const missing = written.filter((field) => !field.holds(after))
        if (missing.length === 0) return after
        // another writer may have changed the issue after this update: Redmine's journal tells
        const read = yield* client.getIssue(id, { operation, journals: true })
        const details = (read.journals ?? []).filter((j) => j.id > since).flatMap((j) => j.details ?? [])
        const ignored = missing.filter((field) =>
          !field.holds(read) &&
          !details.some((d) => d.property === field.property && d.name === field.name && (field.isSent(d.new_value) || field.isSent(d.old_value)))
        )
        if (ignored.length > 0) {
          return yield* rejected(
            operation,
            `Redmine accepted the update but did not apply: ${ignored.map((field) => field.describe(read)).join(", ")}. It silently ignores unknown values and ` +
              `changes the API user may not make (missing permission, or a status transition its workflow does not allow)`,
            String(id)
          )
        }
        // every difference is a later write by someone else: the update was applied
        return after
      })

    // ---- listing ---------------------------------------------------------------------
    /** the list filters of the criteria; `undefined` when no issue can match */
    const filterOf = (criteria: SearchCriteria, operation: string, withText: boolean) =>
      Effect.gen(function*() {
        let projectIds: ReadonlyArray<number> | undefined = scope === undefined ? undefined : Array.from(scope)
        if (criteria.queues !== undefined) {
          const ids = new Set<number>()
          for (const ref of criteria.queues) ids.add((yield* projectOf(ref, operation)).id)
          projectIds = Array.from(ids)
        }
        let statusIds: ReadonlyArray<number> | undefined
        if (criteria.states !== undefined) {
          const wanted = criteria.states
          statusIds = (yield* statuses.current).filter((s) => wanted.includes(stateTypeOf(s, stateOverrides))).map((s) => s.id)
          if (statusIds.length === 0) return undefined
        }
        let priorityIds: ReadonlyArray<number> | undefined
        if (criteria.priorities !== undefined) {
          const wanted = criteria.priorities
          priorityIds = priorityList.filter((p) => wanted.includes(priorityLevelOf(p, priorityList, priorityOverrides))).map((p) => p.id)
          if (priorityIds.length === 0) return undefined
        }
        const query: RedmineClient.IssueQuery = {
          ...(projectIds === undefined ? {} : { projectIds }),
          ...(statusIds === undefined ? {} : { statusIds }),
          ...(priorityIds === undefined ? {} : { priorityIds }),
          ...(withText && criteria.text !== undefined ? { subject: criteria.text } : {}),
          ...(criteria.updatedSince === undefined ? {} : { updatedSince: criteria.updatedSince })
        }
        return query
      })

    const offsetOf = (cursor: string | undefined, operation: string) =>
      cursor === undefined
        ? Effect.succeed(0)
        : CURSOR.test(cursor)
        ? Effect.succeed(Number(cursor))
        : Effect.fail(invalid(operation, `invalid cursor ${JSON.stringify(cursor)}`))

    const fetchPage = (criteria: SearchCriteria, page: TicketSystemAdapter.PageRequest): Effect.Effect<Page<T.Ticket>, AdapterError> =>
      Effect.gen(function*() {
        const operation = criteria.text === undefined ? "fetchTickets" : "searchTickets"
        const offset = yield* offsetOf(page.cursor, operation)
        const filter = yield* filterOf(criteria, operation, true)
        if (filter === undefined) return { items: [], total: 0 }
        const list = yield* client.listIssues({ ...filter, offset, limit: page.pageSize }, { operation })
        const end = offset + list.issues.length
        return {
          items: list.issues.map(toTicket),
          total: list.total_count,
          ...(list.issues.length > 0 && end < list.total_count ? { next: String(end) } : {})
        }
      })

    const searchPage = (query: string, criteria: SearchCriteria, page: TicketSystemAdapter.PageRequest): Effect.Effect<Page<T.Ticket>, AdapterError> =>
      Effect.gen(function*() {
        const operation = "searchTickets"
        let offset = yield* offsetOf(page.cursor, operation)
        const filter = yield* filterOf(criteria, operation, false)
        if (filter === undefined) return { items: [], total: 0 }
        const project = filter.projectIds !== undefined && filter.projectIds.length === 1 ? filter.projectIds[0] : undefined
        const filtered = criteria.states !== undefined || criteria.priorities !== undefined || criteria.updatedSince !== undefined ||
          (filter.projectIds !== undefined && project === undefined)
        // a page whose hits are all filtered out is skipped: an empty page would end the stream
        for (;;) {
          const hits = yield* client.search({ q: query, ...(project === undefined ? {} : { project }), offset, limit: page.pageSize }, { operation })
          const end = offset + hits.results.length
          const more = hits.results.length > 0 && end < hits.total_count
          const ids = hits.results.filter((r) => r.type.startsWith("issue")).map((r) => r.id)
          let items: ReadonlyArray<T.Ticket> = []
          if (ids.length > 0) {
            const list = yield* client.listIssues({ ...filter, issueIds: ids, offset: 0, limit: RedmineClient.MAX_LIMIT }, { operation })
            const byId = new Map(list.issues.map((issue) => [issue.id, issue] as const))
            items = ids.flatMap((id) => {
              const issue = byId.get(id)
              return issue === undefined ? [] : [toTicket(issue)]
            })
          }
          if (items.length > 0 || !more) {
            return {
              items,
              ...(filtered ? {} : { total: hits.total_count }),
              ...(more ? { next: String(end) } : {})
            }
          }
          offset = end
        }
      })

    // ---- one ticket --------------------------------------------------------------
    const getIssue = (id: T.TicketId, operation: string, journals = false) =>
      issueIdOf(id, operation).pipe(
        Effect.flatMap((n) => client.getIssue(n, { operation, journals })),
        Effect.flatMap((issue) => inScope(issue, operation))
      )

    const createTicket = (draft: T.TicketDraft) =>
      Effect.gen(function*() {
        const operation = "createTicket"
        if (draft.requester !== undefined) {
          return yield* invalid(operation, "Redmine makes the API key's user the author of an issue: the requester cannot be set")
        }
        yield* checkTags(draft.tags, operation)
        const project = yield* projectOf(draft.queue, operation)
        const priority = draft.priority === undefined ? undefined : yield* priorityOf(draft.priority, operation)
        const status = draft.state === undefined ? undefined : yield* statusOf(draft.state, operation)
        const assignee = draft.assignee === undefined ? undefined : yield* assigneeOf(draft.assignee, operation)
        const created = yield* client.createIssue({
          project_id: project.id,
          subject: draft.title,
          description: draft.description,
          ...(trackerId === undefined ? {} : { tracker_id: trackerId }),
          ...(priority === undefined ? {} : { priority_id: priority.id }),
          ...(assignee === undefined ? {} : { assigned_to_id: assignee })
        }, { operation })
        // a new issue starts in its tracker's default status: set another one (and custom fields,
        // addressed by the ids the new issue shows) with an update
        const customFields = draft.customFields === undefined || Object.keys(draft.customFields).length === 0
          ? undefined
          : yield* customFieldsOf(draft.customFields, created, operation)
        const follow: RedmineClient.IssueWrite = {
          ...(status === undefined || status.id === created.status.id ? {} : { status_id: status.id }),
          ...(customFields === undefined ? {} : { custom_fields: customFields })
        }
        if (Object.keys(follow).length === 0) return toTicket(created)
        return toTicket(yield* applyAndVerify(created.id, follow, operation, 0))
      })

    const updateTicket = (ticketId: T.TicketId, update: T.TicketUpdate) =>
      Effect.gen(function*() {
        const operation = "updateTicket"
        const id = yield* issueIdOf(ticketId, operation)
        yield* checkTags(update.tags, operation)
        const fields: RedmineClient.IssueWrite = {
          ...(update.title === undefined ? {} : { subject: update.title }),
          ...(update.description === undefined ? {} : { description: update.description }),
          ...(update.state === undefined ? {} : { status_id: (yield* statusOf(update.state, operation, ticketId)).id }),
          ...(update.priority === undefined ? {} : { priority_id: (yield* priorityOf(update.priority, operation, ticketId)).id }),
          ...(update.queue === undefined ? {} : { project_id: (yield* projectOf(update.queue, operation)).id }),
          ...(update.assignee === undefined ? {} : { assigned_to_id: yield* assigneeOf(update.assignee, operation) })
        }
        // the issue is read first, with its journals: to check the project restriction, to find custom
        // field ids, and to tell the journals written after it (see applyAndVerify)
        const before = yield* getIssue(ticketId, operation, true)
        const body: RedmineClient.IssueWrite = update.customFields !== undefined && Object.keys(update.customFields).length > 0
          ? { ...fields, custom_fields: yield* customFieldsOf(update.customFields, before, operation) }
          : fields
        if (Object.keys(body).length === 0) {
          const { journals: _journals, ...issue } = before
          return toTicket(issue)
        }
        return toTicket(yield* applyAndVerify(id, body, operation, lastJournalId(before)))
      })

    // ---- notes -------------------------------------------------------------------------
    const currentUser = yield* Ref.make<RedmineClient.CurrentUser | undefined>(undefined)
    const roles = yield* Ref.make<ReadonlyMap<number, RedmineClient.Role>>(new Map())

    /** may the API user mark notes private in the project? `undefined` when it is not a member */
    const mayMarkPrivate = (projectId: number, operation: string) =>
      Effect.gen(function*() {
        const user = (yield* Ref.get(currentUser)) ?? (yield* Effect.tap(client.currentUser({ operation }), (u) => Ref.set(currentUser, u)))
        if (user.admin) return true
        const membership = user.memberships.find((m) => m.project.id === projectId)
        if (membership === undefined) return undefined
        for (const { id } of membership.roles) {
          const role = (yield* Ref.get(roles)).get(id) ??
            (yield* Effect.tap(client.role(id, { operation }), (r) => Ref.update(roles, (m) => new Map(m).set(id, r))))
          if (role.permissions.includes("set_notes_private")) return true
        }
        return false
      })

    const addNote = (ticketId: T.TicketId, note: NoteDraft) =>
      Effect.gen(function*() {
        const operation = "addNote"
        const id = yield* issueIdOf(ticketId, operation)
        const internal = note.visibility === "internal"
        if ((internal && mapping.checkPrivateNotes) || scope !== undefined) {
          const issue = yield* getIssue(ticketId, operation)
          if (internal && mapping.checkPrivateNotes) {
            const allowed = yield* mayMarkPrivate(issue.project.id, operation)
            if (allowed !== true) {
              return yield* rejected(
                operation,
                `the API user ${allowed === undefined ? "is not a member of" : "may not mark notes private in"} project ` +
                  `${JSON.stringify(issue.project.name ?? issue.project.id)}, so Redmine would store this internal note as a public one. ` +
                  `Grant its role the "Mark notes as private" permission, or add the note as public`,
                ticketId
              )
            }
          }
        }
        yield* client.updateIssue(id, { notes: note.body, private_notes: internal }, { operation })
      })

    const listNotes = (ticketId: T.TicketId) =>
      getIssue(ticketId, "listNotes", true).pipe(
        Effect.map((issue) =>
          (issue.journals ?? []).flatMap((journal) => {
            if (journal.notes === undefined || journal.notes === null || journal.notes === "") return []
            const author: T.UserRef | undefined = journal.user === undefined ? undefined : {
              id: String(journal.user.id),
              ...(journal.user.name === undefined ? {} : { name: journal.user.name })
            }
            return [
              new Note({
                id: String(journal.id),
                body: normaliseNewlines(journal.notes),
                visibility: journal.private_notes ? "internal" : "public",
                contentType: "text/plain",
                ...(author === undefined ? {} : { author }),
                createdAt: journal.created_on
              }, true)
            ]
          })
        )
      )

    return TicketSystemAdapter.make({
      name,
      kind: "redmine",
      scrubber: client.transport.scrubber,
      capabilities: {
        createTickets: true,
        publicNotes: true,
        internalNotes: true,
        htmlNotes: false,
        textSearch: true,
        tags: false,
        maxPageSize: RedmineClient.MAX_LIMIT,
        states: stateOrder.filter((type) => statusTargets.has(type))
      },
      fetchPage,
      ...(mapping.textSearch === "full-text" ? { searchPage } : {}),
      getTicket: (id) => Effect.map(getIssue(id, "getTicket"), toTicket),
      createTicket,
      updateTicket,
      addNote,
      listNotes
    })
  })

// -----------------------------------------------------------------------------
// layers
// -----------------------------------------------------------------------------

const decodeOrFail = (input: unknown): Effect.Effect<Options, ConfigurationError> =>
  Either.match(decodeOptions(input), {
    onLeft: (detail) => Effect.fail(new ConfigurationError({ adapter: "redmine", detail })),
    onRight: Effect.succeed
  })

const split = (options: Options): { readonly client: RedmineClient.Options; readonly mapping: Mapping } => {
  const { apiKey, baseUrl, maxBodyBytes, name, timeout, userAgent, ...mapping } = options
  return { client: { apiKey, baseUrl, maxBodyBytes, name, timeout, userAgent }, mapping }
}

/**
 * The adapter on a `RedmineClient` provided separately (e.g. one client shared with code that uses
 * Redmine-specific endpoints).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerFromClient = (
  input: MappingInput = {}
): Layer.Layer<TicketSystemAdapter.TicketSystemAdapter, AdapterError | ConfigurationError, RedmineClient.RedmineClient> =>
  Layer.effect(
    TicketSystemAdapter.TicketSystemAdapter,
    Schema.decodeUnknown(Mapping, { onExcessProperty: "error" })(input).pipe(
      Effect.mapError((error) => new ConfigurationError({ adapter: "redmine", detail: formatParseError(error) })),
      Effect.flatMap(make)
    )
  )

/**
 * Makes the adapter (and its client) from checked options. Requires an `HttpClient`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeFromOptions = (
  options: Options,
  hooks: Hooks = {}
): Effect.Effect<TicketSystemAdapter.Service, AdapterError | ConfigurationError, HttpClient.HttpClient> =>
  Effect.gen(function*() {
    const { client, mapping } = split(options)
    const redmine = yield* RedmineClient.make(client, hooks)
    return yield* Effect.provideService(make(mapping), RedmineClient.RedmineClient, redmine)
  })

/**
 * The Redmine adapter as a layer, with its client (so that Redmine-specific endpoints are at hand
 * too), from options checked when the layer is built. Building it reads Redmine's statuses,
 * priorities, trackers and projects: a wrong key fails it with `AuthenticationError`, a wrong
 * option with `ConfigurationError`.
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
> =>
  Layer.unwrapEffect(Effect.map(decodeOrFail(input), (options) => layerFromOptions(options, hooks)))

const layerFromOptions = (options: Options, hooks: Hooks) => {
  const { client, mapping } = split(options)
  const clientLayer = Layer.effect(RedmineClient.RedmineClient, RedmineClient.make(client, hooks))
  return Layer.effect(TicketSystemAdapter.TicketSystemAdapter, make(mapping)).pipe(Layer.provideMerge(clientLayer))
}

/**
 * The Redmine adapter as a layer, from a `Config`:
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
> => Layer.unwrapEffect(Effect.map(Effect.flatMap(config, decodeOrFail), (options) => layerFromOptions(options, hooks)))

/**
 * The adapter as the registry knows it (`adapter: redmine` in a configuration file). The adapter
 * is named after the configured system unless `name` is set.
 *
 * @since 0.1.0
 * @category registry
 */
export const definition: AdapterDefinition<Options, OptionsInput> = {
  name: "redmine",
  description: "Redmine 5 over its REST API (queues = projects; options: baseUrl, apiKey, defaultTracker, projects, states, priorities…)",
  options: Options,
  layer: (options, { system }) =>
    Layer.effect(
      TicketSystemAdapter.TicketSystemAdapter,
      makeFromOptions({ ...options, name: options.name === "redmine" ? system : options.name })
    )
}
