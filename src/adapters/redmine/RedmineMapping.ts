/**
 * Redmine ↔ the normal form, as pure functions over plain data: no HTTP, no `Effect`.
 *
 * - **Reading**: {@link toTicket} (an issue and the reference data read when the adapter started →
 *   `Ticket`), {@link toNotes} (journals → notes), {@link toPage} (a page of issues).
 * - **States and priorities**: {@link stateTypeOf} / {@link priorityLevelOf} and the `states` /
 *   `priorities` overrides; {@link stateMap} / {@link priorityMap} (remote id ↔ normal value, the
 *   one written first); {@link lookups} checks the {@link Options} against Redmine's own lists.
 * - **Writing**: {@link createBody} / {@link updateBody} (`IssueWrite` from a draft or an update),
 *   {@link customFieldWrites}, {@link assigneeId}.
 * - **Evidence**: Redmine answers `204` also when it ignored a value; {@link writtenFields},
 *   {@link unapplied} and {@link ignoredFields} tell, from the issue read back and its journals,
 *   what was applied (and maybe changed again by another writer) from what Redmine ignored.
 * - **Searching**: {@link issueQuery} (list filters from `SearchCriteria`), {@link hitIssueIds} and
 *   {@link inHitOrder} (full-text search hits).
 *
 * Functions that can refuse an input return an `Either` whose left side is the message; the
 * driver turns it into the error of the family that fits.
 *
 * @since 0.1.0
 */
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import { setOwn } from "../../internal/record.js"
import * as ValueMap from "../../internal/valueMap.js"
import { Note } from "../../Note.js"
import type { Page, SearchCriteria } from "../../SearchCriteria.js"
import * as T from "../../Ticket.js"
import type * as RedmineClient from "./RedmineClient.js"

// -----------------------------------------------------------------------------
// options
// -----------------------------------------------------------------------------

const RefString = Schema.String.pipe(Schema.nonEmptyString({ message: () => "a name or id must not be empty" }))

/**
 * The options that say how Redmine maps onto the port (the `Redmine` adapter's options beside
 * the connection's).
 *
 * @since 0.1.0
 * @category configuration
 */
export const Options = Schema.Struct({
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
export type Options = typeof Options.Type

/**
 * @since 0.1.0
 * @category configuration
 */
export type OptionsInput = typeof Options.Encoded

// -----------------------------------------------------------------------------
// states and priorities
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

/**
 * The `states` / `priorities` option as the maps read it: keys trimmed and lower-cased (a status
 * or priority id, or a lower-case name).
 *
 * @since 0.1.0
 * @category mapping
 */
export const overridesOf = <V>(record: Readonly<Record<string, V>>): ReadonlyMap<string, V> =>
  new Map(Object.entries(record).map(([k, v]) => [k.trim().toLowerCase(), v] as const))

/**
 * The state category of a status, given the overrides (lower-case name or id → category): the
 * override, else the default of a standard status name, else `closed` when Redmine says
 * `is_closed` and `open` otherwise.
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
 * priority that has no default level: before the default → `low`, after → `high`).
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

/** `[id, normal]` pairs: the chosen ones first (the one written for their value), then every item */
const entries = <A extends { readonly id: number }, N extends string>(
  items: ReadonlyArray<A>,
  normalOf: (item: A) => N,
  chosen: Partial<Record<N, A>>
): Array<readonly [string, N]> => [
  ...(Object.entries(chosen) as Array<[N, A | undefined]>).flatMap(([normal, item]) => item === undefined ? [] : [[String(item.id), normal] as const]),
  ...items.map((item) => [String(item.id), normalOf(item)] as const)
]

/**
 * Status id ↔ state category for these statuses. The status written for a category is the one
 * `written` names for it (the `statusFor` option), else the first of the category in Redmine's
 * order.
 *
 * @since 0.1.0
 * @category mapping
 */
export const stateMap = (
  statuses: ReadonlyArray<RedmineClient.IssueStatus>,
  overrides: ReadonlyMap<string, T.StateType> = new Map(),
  written: Partial<Record<T.StateType, RedmineClient.IssueStatus>> = {}
): ValueMap.ValueMap<T.StateType> => ValueMap.make(entries(statuses, (s) => stateTypeOf(s, overrides), written))

/**
 * Priority id ↔ level for these priorities (`all`: every priority, for the place of one without
 * a default level). The priority written for a level is the one `written` names for it (the
 * `priorityFor` option), else the first of the level.
 *
 * @since 0.1.0
 * @category mapping
 */
export const priorityMap = (
  priorities: ReadonlyArray<RedmineClient.IssuePriority>,
  all: ReadonlyArray<RedmineClient.IssuePriority>,
  overrides: ReadonlyMap<string, T.PriorityLevel> = new Map(),
  written: Partial<Record<T.PriorityLevel, RedmineClient.IssuePriority>> = {}
): ValueMap.ValueMap<T.PriorityLevel> => ValueMap.make(entries(priorities, (p) => priorityLevelOf(p, all, overrides), written))

// -----------------------------------------------------------------------------
// reference data
// -----------------------------------------------------------------------------

/**
 * Redmine's reference data, as read when the adapter starts.
 *
 * @since 0.1.0
 * @category models
 */
export interface Reference {
  readonly statuses: ReadonlyArray<RedmineClient.IssueStatus>
  readonly priorities: ReadonlyArray<RedmineClient.IssuePriority>
  readonly trackers: ReadonlyArray<RedmineClient.Tracker>
  readonly projects: ReadonlyArray<RedmineClient.Project>
}

/**
 * The reference data and options, checked against each other: what every mapping function needs.
 *
 * @since 0.1.0
 * @category models
 */
export interface Lookups {
  /** Redmine's statuses and priorities as read when the adapter started */
  readonly statuses: ReadonlyArray<RedmineClient.IssueStatus>
  readonly priorities: ReadonlyArray<RedmineClient.IssuePriority>
  /** the `states` and `priorities` options (see {@link overridesOf}) */
  readonly stateOverrides: ReadonlyMap<string, T.StateType>
  readonly priorityOverrides: ReadonlyMap<string, T.PriorityLevel>
  /** status id ↔ category; `toRemote` gives the status written for a category */
  readonly states: ValueMap.ValueMap<T.StateType>
  /** active priority id ↔ level; `toRemote` gives the priority written for a level */
  readonly levels: ValueMap.ValueMap<T.PriorityLevel>
  /** the tracker of new issues (`defaultTracker`) */
  readonly trackerId: number | undefined
  /** the projects the adapter is restricted to (`projects`) */
  readonly scope: ReadonlySet<number> | undefined
}

/** an id (`"4"`) or a name, matched against `{ id, name }` items: ids exactly, names case-insensitively */
const byIdOrName = <A extends { readonly id: number; readonly name: string }>(items: ReadonlyArray<A>, key: string) => {
  const k = key.trim()
  return items.find((item) => String(item.id) === k) ?? items.find((item) => item.name.toLowerCase() === k.toLowerCase())
}

/**
 * The item a reference designates: by id exactly when it has one, else by name case-insensitively.
 *
 * @since 0.1.0
 * @category references
 */
export const findByRef = <A extends { readonly id: number; readonly name: string }>(items: ReadonlyArray<A>, ref: T.Ref): A | undefined =>
  ref.id !== undefined
    ? items.find((item) => String(item.id) === ref.id!.trim())
    : ref.name === undefined
    ? undefined
    : items.find((item) => item.name.toLowerCase() === ref.name!.trim().toLowerCase())

/**
 * The project a queue reference designates: an id is a numeric id or an identifier, a name a
 * name or an identifier.
 *
 * @since 0.1.0
 * @category references
 */
export const findProject = (projects: ReadonlyArray<RedmineClient.Project>, ref: T.Ref): RedmineClient.Project | undefined => {
  if (ref.id !== undefined) {
    const id = ref.id.trim()
    return /^\d+$/.test(id) ? projects.find((p) => String(p.id) === id) : projects.find((p) => p.identifier === id.toLowerCase())
  }
  const wanted = (ref.name ?? "").trim().toLowerCase()
  return projects.find((p) => p.name.toLowerCase() === wanted) ?? projects.find((p) => p.identifier === wanted)
}

/**
 * The quoted names of items, for messages.
 *
 * @since 0.1.0
 * @category utils
 */
export const names = (items: ReadonlyArray<{ readonly name: string }>): string => items.map((i) => JSON.stringify(i.name)).join(", ")

const checkKeys = (
  keys: ReadonlyArray<string>,
  items: ReadonlyArray<{ readonly id: number; readonly name: string }>,
  what: string,
  option: string
): Either.Either<void, string> => {
  const missing = keys.find((key) => byIdOrName(items, key) === undefined)
  return missing === undefined
    ? Either.void
    : Either.left(`${option}: Redmine has no ${what} ${JSON.stringify(missing)} (${what === "status" ? "statuses" : "priorities"}: ${names(items)})`)
}

/** for each normal value, the item written: the one the option names (checked), else the first of that value */
const targets = <N extends string, A extends { readonly id: number; readonly name: string }>(
  normals: ReadonlyArray<N>,
  items: ReadonlyArray<A>,
  normalOf: (item: A) => N,
  wanted: { readonly [K in N]?: string | undefined },
  messages: { readonly option: string; readonly none: (key: string) => string; readonly remap: string }
): Either.Either<Partial<Record<N, A>>, string> => {
  const out: Partial<Record<N, A>> = {}
  for (const normal of normals) {
    const key = wanted[normal]
    const item = key === undefined ? items.find((i) => normalOf(i) === normal) : byIdOrName(items, key)
    if (key !== undefined && item === undefined) return Either.left(`${messages.option}.${normal}: ${messages.none(key)}`)
    if (item === undefined) continue
    if (normalOf(item) !== normal) {
      return Either.left(
        `${messages.option}.${normal}: ${messages.remap} ${JSON.stringify(item.name)} reads back as ${normalOf(item)}; map it in ${messages.option === "statusFor" ? "states" : "priorities"} too`
      )
    }
    out[normal] = item
  }
  return Either.right(out)
}

const scopeOf = (projects: ReadonlyArray<RedmineClient.Project>, keys: ReadonlyArray<string> | undefined): Either.Either<ReadonlySet<number> | undefined, string> => {
  if (keys === undefined) return Either.right(undefined)
  const ids = new Set<number>()
  for (const key of keys) {
    const k = key.trim()
    const project = projects.find((p) => String(p.id) === k) ?? projects.find((p) => p.identifier === k.toLowerCase()) ??
      projects.find((p) => p.name.toLowerCase() === k.toLowerCase())
    if (project === undefined) {
      return Either.left(
        `projects: no project ${JSON.stringify(key)} is visible to the API key (projects: ${projects.map((p) => p.identifier).join(", ") || "none"})`
      )
    }
    ids.add(project.id)
  }
  return Either.right(ids)
}

/**
 * Checks the options against Redmine's reference data and makes the {@link Lookups}; the left
 * side names the bad option and what Redmine has instead.
 *
 * @since 0.1.0
 * @category reference data
 */
export const lookups = (reference: Reference, options: Options): Either.Either<Lookups, string> =>
  Either.gen(function*() {
    const { priorities, statuses, trackers } = reference
    const stateOverrides = overridesOf(options.states)
    const priorityOverrides = overridesOf(options.priorities)
    yield* checkKeys(Object.keys(options.states), statuses, "status", "states")
    yield* checkKeys(Object.keys(options.priorities), priorities, "priority", "priorities")
    const stateOf = (s: RedmineClient.IssueStatus) => stateTypeOf(s, stateOverrides)
    const writtenStates = yield* targets(T.StateType.literals, statuses, stateOf, options.statusFor, {
      option: "statusFor",
      none: (key) => `Redmine has no status ${JSON.stringify(key)} (statuses: ${names(statuses)})`,
      remap: "status"
    })
    const active = priorities.filter((p) => p.active)
    const levelOf = (p: RedmineClient.IssuePriority) => priorityLevelOf(p, priorities, priorityOverrides)
    const writtenLevels = yield* targets(T.PriorityLevel.literals, active, levelOf, options.priorityFor, {
      option: "priorityFor",
      none: (key) => `Redmine has no active priority ${JSON.stringify(key)} (priorities: ${names(active)})`,
      remap: "priority"
    })
    const tracker = options.defaultTracker === undefined ? undefined : byIdOrName(trackers, options.defaultTracker)
    if (options.defaultTracker !== undefined && tracker === undefined) {
      return yield* Either.left(`defaultTracker: Redmine has no tracker ${JSON.stringify(options.defaultTracker)} (trackers: ${names(trackers)})`)
    }
    const scope = yield* scopeOf(reference.projects, options.projects)
    return {
      statuses,
      priorities,
      stateOverrides,
      priorityOverrides,
      states: stateMap(statuses, stateOverrides, writtenStates),
      levels: priorityMap(active, priorities, priorityOverrides, writtenLevels),
      trackerId: tracker?.id,
      scope
    }
  })

/**
 * The state categories a ticket can be put in: those with a status to write.
 *
 * @since 0.1.0
 * @category reference data
 */
export const writableStates = (lookups: Pick<Lookups, "states">): ReadonlyArray<T.StateType> =>
  T.StateType.literals.filter((type) => lookups.states.toRemote(type) !== undefined)

// -----------------------------------------------------------------------------
// reading
// -----------------------------------------------------------------------------

/**
 * Redmine's `\r\n` (and `\r`) line ends as `\n`.
 *
 * @since 0.1.0
 * @category utils
 */
export const normaliseNewlines = (text: string): string => text.replace(/\r\n?/g, "\n")

const userRefOf = (user: RedmineClient.IdName | undefined): T.UserRef | undefined =>
  user === undefined ? undefined : { id: String(user.id), ...(user.name === undefined ? {} : { name: user.name }) }

/**
 * An issue as a ticket: the project is the queue, the author the requester, custom fields by
 * name, `raw` the issue as decoded.
 *
 * @since 0.1.0
 * @category reading
 */
export const toTicket = (
  issue: RedmineClient.Issue,
  lookups: Pick<Lookups, "priorities" | "stateOverrides" | "priorityOverrides">
): T.Ticket => {
  const requester = userRefOf(issue.author)
  const assignee = userRefOf(issue.assigned_to)
  const customFields: Record<string, T.CustomFieldValue> = {}
  // a field named __proto__ stays a field
  for (const field of issue.custom_fields ?? []) setOwn(customFields, field.name, field.value ?? null)
  return new T.Ticket({
    id: T.ticketId(issue.id),
    title: issue.subject,
    description: normaliseNewlines(issue.description ?? ""),
    state: { type: stateTypeOf(issue.status, lookups.stateOverrides), name: issue.status.name, id: String(issue.status.id) },
    priority: {
      level: priorityLevelOf(issue.priority, lookups.priorities, lookups.priorityOverrides),
      name: issue.priority.name ?? lookups.priorities.find((p) => p.id === issue.priority.id)?.name ?? String(issue.priority.id),
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
  })
}

/**
 * The notes of an issue: its journals with non-empty `notes`, oldest first; a private note is
 * internal.
 *
 * @since 0.1.0
 * @category reading
 */
export const toNotes = (journals: ReadonlyArray<RedmineClient.Journal>): ReadonlyArray<Note> =>
  journals.flatMap((journal) => {
    if (journal.notes === undefined || journal.notes === null || journal.notes === "") return []
    const author = userRefOf(journal.user)
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

/**
 * A page of the port from a page of issues read at `offset`: the next cursor is the offset after
 * it, while Redmine's `total_count` says there are more.
 *
 * @since 0.1.0
 * @category reading
 */
export const toPage = (
  list: RedmineClient.IssueList,
  offset: number,
  lookups: Pick<Lookups, "priorities" | "stateOverrides" | "priorityOverrides">
): Page<T.Ticket> => {
  const end = offset + list.issues.length
  return {
    items: list.issues.map((issue) => toTicket(issue, lookups)),
    total: list.total_count,
    ...(list.issues.length > 0 && end < list.total_count ? { next: String(end) } : {})
  }
}

const ISSUE_ID = /^[1-9][0-9]{0,9}$/
const CURSOR = /^\d{1,9}$/

/**
 * The issue number of a ticket id; `undefined` for anything but a positive integer (Rails would
 * read `1?x=y` as issue 1).
 *
 * @since 0.1.0
 * @category reading
 */
export const issueNumber = (id: string): number | undefined => (ISSUE_ID.test(id) ? Number(id) : undefined)

/**
 * The offset a page cursor stands for; `undefined` for a cursor this adapter did not make.
 *
 * @since 0.1.0
 * @category reading
 */
export const offsetOf = (cursor: string | undefined): number | undefined =>
  cursor === undefined ? 0 : CURSOR.test(cursor) ? Number(cursor) : undefined

// -----------------------------------------------------------------------------
// writing
// -----------------------------------------------------------------------------

/**
 * The ids references were resolved to, as an update or a new issue writes them.
 *
 * @since 0.1.0
 * @category writing
 */
export interface Resolved {
  readonly status_id?: number
  readonly priority_id?: number
  readonly project_id?: number
  readonly assigned_to_id?: number | ""
}

/**
 * The body of `PUT /issues/{id}.json` for an update whose references are resolved.
 *
 * @since 0.1.0
 * @category writing
 */
export const updateBody = (
  update: T.TicketUpdate,
  resolved: Resolved,
  customFields?: RedmineClient.IssueWrite["custom_fields"]
): RedmineClient.IssueWrite => ({
  ...(update.title === undefined ? {} : { subject: update.title }),
  ...(update.description === undefined ? {} : { description: update.description }),
  ...resolved,
  ...(customFields === undefined || customFields.length === 0 ? {} : { custom_fields: customFields })
})

/**
 * The body of `POST /issues.json` for a draft. The state and custom fields are not in it: a new
 * issue starts in its tracker's default status, and custom fields are addressed by the ids the
 * new issue shows; see {@link followUpBody}.
 *
 * @since 0.1.0
 * @category writing
 */
export const createBody = (
  draft: T.TicketDraft,
  resolved: Resolved & { readonly project_id: number },
  trackerId: number | undefined
): RedmineClient.IssueWrite => ({
  project_id: resolved.project_id,
  subject: draft.title,
  description: draft.description,
  ...(trackerId === undefined ? {} : { tracker_id: trackerId }),
  ...(resolved.priority_id === undefined ? {} : { priority_id: resolved.priority_id }),
  ...(resolved.assigned_to_id === undefined ? {} : { assigned_to_id: resolved.assigned_to_id })
})

/**
 * The update that follows the creation of an issue: its status, when another than the one it
 * started in, and its custom fields. Empty when nothing is left to set.
 *
 * @since 0.1.0
 * @category writing
 */
export const followUpBody = (
  created: RedmineClient.Issue,
  statusId: number | undefined,
  customFields?: RedmineClient.IssueWrite["custom_fields"]
): RedmineClient.IssueWrite => ({
  ...(statusId === undefined || statusId === created.status.id ? {} : { status_id: statusId }),
  ...(customFields === undefined ? {} : { custom_fields: customFields })
})

/**
 * The user id an assignee is set by (`""` removes the assignee); the left side when the
 * reference has no numeric id.
 *
 * @since 0.1.0
 * @category writing
 */
export const assigneeId = (user: T.UserRef | null): Either.Either<number | "", string> => {
  if (user === null) return Either.right("")
  if (user.id !== undefined && /^\d+$/.test(user.id.trim())) return Either.right(Number(user.id.trim()))
  return Either.left(`Redmine assigns by user id: give the assignee as { id: "<user id>" } (got ${T.formatRef(user)})`)
}

/**
 * Why a tag list cannot be written (Redmine issues have no tags), or `undefined` for none.
 *
 * @since 0.1.0
 * @category writing
 */
export const tagsProblem = (tags: ReadonlyArray<string> | undefined): string | undefined =>
  tags === undefined || tags.length === 0 ? undefined : "Redmine issues have no tags (capabilities.tags is false)"

/**
 * Custom fields to write, by the ids of the fields the issue shows (looked up by name, then id,
 * then name case-insensitively); the left side names a field the issue does not have.
 *
 * @since 0.1.0
 * @category writing
 */
export const customFieldWrites = (
  wanted: Readonly<Record<string, T.CustomFieldValue>>,
  issue: RedmineClient.Issue
): Either.Either<NonNullable<RedmineClient.IssueWrite["custom_fields"]>, string> => {
  const available = issue.custom_fields ?? []
  const out: Array<{ id: number; value: string | ReadonlyArray<string> | null }> = []
  for (const [key, value] of Object.entries(wanted)) {
    const field = available.find((f) => f.name === key) ?? available.find((f) => String(f.id) === key) ??
      available.find((f) => f.name.toLowerCase() === key.toLowerCase())
    if (field === undefined) {
      return Either.left(
        `issue ${issue.id} has no custom field ${JSON.stringify(key)} (fields: ${available.map((f) => JSON.stringify(f.name)).join(", ") || "none"})`
      )
    }
    out.push({
      id: field.id,
      value: value === null ? null : Array.isArray(value) ? value : typeof value === "boolean" ? (value ? "1" : "0") : String(value)
    })
  }
  return Either.right(out)
}

/**
 * The private-notes permission check, as a message refusing an internal note the API user cannot
 * mark private (`allowed`: `false`, or `undefined` when the user is no member of the project).
 *
 * @since 0.1.0
 * @category writing
 */
export const privateNoteRefusal = (project: RedmineClient.IdName, allowed: false | undefined): string =>
  `the API user ${allowed === undefined ? "is not a member of" : "may not mark notes private in"} project ` +
  `${JSON.stringify(project.name ?? project.id)}, so Redmine would store this internal note as a public one. ` +
  `Grant its role the "Mark notes as private" permission, or add the note as public`

// -----------------------------------------------------------------------------
// evidence: what Redmine did with an update
// -----------------------------------------------------------------------------

/**
 * One field of an update: does an issue hold the value sent, and is a value recorded in a
 * journal detail (`property`/`name`, as Redmine writes them) that value?
 *
 * @since 0.1.0
 * @category evidence
 */
export interface WrittenField {
  readonly property: "attr" | "cf"
  /** the attribute (`status_id`, `subject`…) or the custom field id */
  readonly name: string
  readonly holds: (issue: RedmineClient.Issue) => boolean
  readonly isSent: (recorded: string | null | undefined) => boolean
  /** what is said of it when it was not applied */
  readonly describe: (issue: RedmineClient.Issue) => string
}

const sameValue = (a: unknown, b: unknown) => {
  const norm = (v: unknown) => (Array.isArray(v) ? [...v].map(String).sort().join("\u0000") : v === null || v === undefined ? "" : String(v))
  return norm(a) === norm(b)
}

const attribute = (name: string, sent: string, holds: WrittenField["holds"], describe: WrittenField["describe"]): WrittenField => ({
  property: "attr",
  name,
  holds,
  isSent: (v) => (v ?? "") === sent,
  describe
})

const customField = (field: { readonly id: number; readonly value: string | ReadonlyArray<string> | null }): WrittenField => {
  const values = field.value === null ? [] : Array.isArray(field.value) ? field.value.map(String) : [String(field.value)]
  return {
    property: "cf",
    name: String(field.id),
    holds: (i) => {
      const now = i.custom_fields?.find((f) => f.id === field.id)
      return now !== undefined && sameValue(now.value, field.value)
    },
    // a multiple-value field records one detail per value added or removed
    isSent: (v) => (v === null || v === undefined || v === "" ? values.length === 0 : values.includes(v)),
    describe: (i) => `custom field ${JSON.stringify(i.custom_fields?.find((f) => f.id === field.id)?.name ?? field.id)}`
  }
}

/**
 * The fields an update body writes, in the order a refusal names them (`statuses` names the
 * status sent).
 *
 * @since 0.1.0
 * @category evidence
 */
export const writtenFields = (
  body: RedmineClient.IssueWrite,
  statuses: ReadonlyArray<RedmineClient.IssueStatus>
): ReadonlyArray<WrittenField> => {
  const out: Array<WrittenField> = []
  if (body.status_id !== undefined) {
    const id = body.status_id
    const name = statuses.find((s) => s.id === id)?.name ?? `#${id}`
    out.push(attribute("status_id", String(id), (i) => i.status.id === id, (i) => `status ${JSON.stringify(name)} (it is still ${JSON.stringify(i.status.name)})`))
  }
  if (body.priority_id !== undefined) {
    const id = body.priority_id
    out.push(attribute("priority_id", String(id), (i) => i.priority.id === id, () => "priority"))
  }
  if (body.project_id !== undefined) {
    const id = String(body.project_id)
    out.push(attribute("project_id", id, (i) => String(i.project.id) === id, () => "project (queue)"))
  }
  if (body.subject !== undefined) {
    const subject = body.subject
    out.push({ ...attribute("subject", subject, (i) => i.subject === subject, () => "subject (title)"), isSent: (v) => (v ?? "").trim() === subject.trim() })
  }
  if (body.description !== undefined) {
    const description = normaliseNewlines(body.description)
    out.push({
      ...attribute("description", description, (i) => normaliseNewlines(i.description ?? "") === description, () => "description"),
      isSent: (v) => normaliseNewlines(v ?? "") === description
    })
  }
  if (body.assigned_to_id !== undefined) {
    const id = body.assigned_to_id
    out.push(attribute("assigned_to_id", String(id), (i) => (i.assigned_to?.id ?? "") === id, () => "assignee"))
  }
  for (const field of body.custom_fields ?? []) out.push(customField(field))
  return out
}

/**
 * The fields an issue read back does not hold (empty: the update was applied as sent).
 *
 * @since 0.1.0
 * @category evidence
 */
export const unapplied = (fields: ReadonlyArray<WrittenField>, issue: RedmineClient.Issue): ReadonlyArray<WrittenField> =>
  fields.filter((field) => !field.holds(issue))

/**
 * The id of the newest journal of an issue (0 when it has none): journals after it were written
 * after the issue was read.
 *
 * @since 0.1.0
 * @category evidence
 */
export const lastJournalId = (issue: RedmineClient.Issue): number => (issue.journals ?? []).reduce((max, j) => Math.max(max, j.id), 0)

/**
 * Of the fields an update did not leave in place, those Redmine ignored. `issue` is read with its
 * journals; `since` is the newest journal id before the update began. A field that does not hold
 * the value sent counts as applied when a journal since
 *
 * - set it to the value sent (a later write changed it again), or
 * - changed it from the value sent (the value was there — Redmine writes no journal for a value
 *   the issue already has — and a later write changed it);
 *
 * with neither, nobody changed it since and it does not hold the value: Redmine ignored it.
 *
 * @since 0.1.0
 * @category evidence
 */
export const ignoredFields = (
  missing: ReadonlyArray<WrittenField>,
  issue: RedmineClient.Issue,
  since: number
): ReadonlyArray<WrittenField> => {
  const details = (issue.journals ?? []).filter((j) => j.id > since).flatMap((j) => j.details ?? [])
  return missing.filter((field) =>
    !field.holds(issue) &&
    !details.some((d) => d.property === field.property && d.name === field.name && (field.isSent(d.new_value) || field.isSent(d.old_value)))
  )
}

/**
 * The reason of the refusal of an update Redmine partly ignored, naming the fields.
 *
 * @since 0.1.0
 * @category evidence
 */
export const ignoredReason = (ignored: ReadonlyArray<WrittenField>, issue: RedmineClient.Issue): string =>
  `Redmine accepted the update but did not apply: ${ignored.map((field) => field.describe(issue)).join(", ")}. It silently ignores unknown values and ` +
  `changes the API user may not make (missing permission, or a status transition its workflow does not allow)`

// -----------------------------------------------------------------------------
// searching
// -----------------------------------------------------------------------------

/**
 * The list filters of search criteria, with the queues resolved to `projectIds` (or the
 * adapter's scope) and `statuses` the statuses known now; `undefined` when no issue can match
 * (no status or priority of the wanted categories). `withText` sends `criteria.text` as the
 * `subject=~` filter.
 *
 * @since 0.1.0
 * @category searching
 */
export const issueQuery = (
  criteria: SearchCriteria,
  context: {
    readonly projectIds: ReadonlyArray<number> | undefined
    readonly statuses: ReadonlyArray<RedmineClient.IssueStatus>
    readonly lookups: Pick<Lookups, "priorities" | "stateOverrides" | "priorityOverrides">
    readonly withText: boolean
  }
): RedmineClient.IssueQuery | undefined => {
  const { lookups, projectIds } = context
  const statusIds = criteria.states === undefined
    ? undefined
    : stateMap(context.statuses, lookups.stateOverrides).remotesOf(criteria.states).map(Number)
  const priorityIds = criteria.priorities === undefined
    ? undefined
    : priorityMap(lookups.priorities, lookups.priorities, lookups.priorityOverrides).remotesOf(criteria.priorities).map(Number)
  if (statusIds?.length === 0 || priorityIds?.length === 0) return undefined
  return {
    ...(projectIds === undefined ? {} : { projectIds }),
    ...(statusIds === undefined ? {} : { statusIds }),
    ...(priorityIds === undefined ? {} : { priorityIds }),
    ...(context.withText && criteria.text !== undefined ? { subject: criteria.text } : {}),
    ...(criteria.updatedSince === undefined ? {} : { updatedSince: criteria.updatedSince })
  }
}

/**
 * The issue ids among full-text search hits, in the order of the hits.
 *
 * @since 0.1.0
 * @category searching
 */
export const hitIssueIds = (results: ReadonlyArray<RedmineClient.SearchResult>): ReadonlyArray<number> =>
  results.filter((r) => r.type.startsWith("issue")).map((r) => r.id)

/**
 * The issues in the order of the hits' ids (ids with no issue, e.g. filtered out, are left out).
 *
 * @since 0.1.0
 * @category searching
 */
export const inHitOrder = (ids: ReadonlyArray<number>, issues: ReadonlyArray<RedmineClient.Issue>): ReadonlyArray<RedmineClient.Issue> => {
  const byId = new Map(issues.map((issue) => [issue.id, issue] as const))
  return ids.flatMap((id) => {
    const issue = byId.get(id)
    return issue === undefined ? [] : [issue]
  })
}
