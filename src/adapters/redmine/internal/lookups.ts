/**
 * How Redmine's reference data maps onto the normal form (re-exported by `RedmineMapping`): the
 * mapping {@link Options}; statuses → state categories and priorities → levels
 * ({@link stateTypeOf}, {@link priorityLevelOf}, overridden by the `states` / `priorities`
 * options), both ways ({@link stateMap}, {@link priorityMap}); and {@link lookups}, which checks
 * the options against Redmine's statuses, priorities, trackers and projects and makes the
 * {@link Lookups} every other mapping function reads. Pure functions over plain data.
 *
 * @internal
 */
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import * as ValueMap from "../../../internal/valueMap.js"
import * as T from "../../../Ticket.js"
import type { IssuePriority, IssueStatus, Project, Tracker } from "./schemas.js"

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
  all: ReadonlyArray<IssuePriority>,
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
  statuses: ReadonlyArray<IssueStatus>,
  overrides: ReadonlyMap<string, T.StateType> = new Map(),
  written: Partial<Record<T.StateType, IssueStatus>> = {}
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
  priorities: ReadonlyArray<IssuePriority>,
  all: ReadonlyArray<IssuePriority>,
  overrides: ReadonlyMap<string, T.PriorityLevel> = new Map(),
  written: Partial<Record<T.PriorityLevel, IssuePriority>> = {}
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
  readonly statuses: ReadonlyArray<IssueStatus>
  readonly priorities: ReadonlyArray<IssuePriority>
  readonly trackers: ReadonlyArray<Tracker>
  readonly projects: ReadonlyArray<Project>
}

/**
 * The reference data and options, checked against each other: what every mapping function needs.
 *
 * @since 0.1.0
 * @category models
 */
export interface Lookups {
  /** Redmine's statuses and priorities as read when the adapter started */
  readonly statuses: ReadonlyArray<IssueStatus>
  readonly priorities: ReadonlyArray<IssuePriority>
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
export const findProject = (projects: ReadonlyArray<Project>, ref: T.Ref): Project | undefined => {
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

const scopeOf = (projects: ReadonlyArray<Project>, keys: ReadonlyArray<string> | undefined): Either.Either<ReadonlySet<number> | undefined, string> => {
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
    const stateOf = (s: IssueStatus) => stateTypeOf(s, stateOverrides)
    const writtenStates = yield* targets(T.StateType.literals, statuses, stateOf, options.statusFor, {
      option: "statusFor",
      none: (key) => `Redmine has no status ${JSON.stringify(key)} (statuses: ${names(statuses)})`,
      remap: "status"
    })
    const active = priorities.filter((p) => p.active)
    const levelOf = (p: IssuePriority) => priorityLevelOf(p, priorities, priorityOverrides)
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
