/**
 * Zammad ↔ the normal form, as pure functions over plain data: no HTTP, no `Effect`.
 *
 * - **States**: Zammad's state types → normal states ({@link stateTypeOf}): `new` → new, `open` →
 *   open, `pending reminder` / `pending action` (the "pending close" state) → pending, `closed`,
 *   `merged` and `removed` → closed. The `states` option overrides by state name. Zammad has no
 *   resolved state: writing `resolved` sets the first closed state (read back as `closed`).
 * - **Priorities**: Zammad's out-of-the-box priorities `1 low`, `2 normal`, `3 high` (ids 1–3) →
 *   low, normal, high; other priorities by name (`urgent`, `critical`, `immediate`, `emergency` →
 *   urgent; `low`, `normal`, `high`), override with `priorities`. `priority.name` and
 *   `priority.id` keep Zammad's. A level no priority maps to cannot be written.
 * - **Queues are groups**, by id or name.
 * - **Notes are articles**: the first article of a ticket is its description, the others its
 *   notes; `internal: true` is an internal note.
 * - **Search**: {@link escapeQueryText} makes a user's text literal in Elasticsearch's
 *   `query_string` syntax, and {@link searchQuery} joins it with the criteria as id filters.
 * - **Writing**: {@link createBody} / {@link updateBody} / {@link articleBody}.
 *
 * Functions that can refuse an input return an `Either` whose left side is the message.
 *
 * @since 0.1.0
 */
import * as DateTime from "effect/DateTime"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import { Note } from "../../Note.js"
import type { NoteDraft } from "../../Note.js"
import type { Page, SearchCriteria } from "../../SearchCriteria.js"
import * as T from "../../Ticket.js"
import type * as ZammadClient from "./ZammadClient.js"

// -----------------------------------------------------------------------------
// options
// -----------------------------------------------------------------------------

/**
 * The mapping's options.
 *
 * @since 0.1.0
 * @category configuration
 */
export const Options = Schema.Struct({
  /** the customer of tickets created without a requester: an email (`guess:` lookup) or a user id */
  defaultCustomer: Schema.optional(Schema.String.pipe(Schema.nonEmptyString())),
  /** state name → normal state, over the mapping by state type */
  states: Schema.optional(Schema.Record({ key: Schema.String, value: T.StateType })),
  /** priority name → level, over the default mapping */
  priorities: Schema.optional(Schema.Record({ key: Schema.String, value: T.PriorityLevel })),
  /** how far ahead `pending_time` is set when a ticket is put in a pending state (default 24) */
  pendingHours: Schema.optionalWith(Schema.Number.pipe(Schema.positive()), { default: () => 24 })
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
// states, priorities, groups
// -----------------------------------------------------------------------------

/**
 * The normal state of one of Zammad's state types; `undefined` for a type it does not know.
 *
 * @since 0.1.0
 * @category states
 */
export const stateTypeOf = (stateType: string): T.StateType | undefined => {
  switch (stateType.toLowerCase()) {
    case "new":
      return "new"
    case "open":
      return "open"
    case "pending reminder":
    case "pending action":
      return "pending"
    case "closed":
    case "merged":
    case "removed":
      return "closed"
    default:
      return undefined
  }
}

/**
 * The level of a priority: an override by name, then ids 1–3 of a default Zammad, then the name.
 *
 * @since 0.1.0
 * @category priorities
 */
export const priorityLevelOf = (
  priority: { readonly id: number; readonly name: string },
  overrides: Readonly<Record<string, T.PriorityLevel>> = {}
): T.PriorityLevel => {
  const name = priority.name.toLowerCase()
  for (const [key, level] of Object.entries(overrides)) if (key.toLowerCase() === name) return level
  if (/\b(urgent|critical|immediate|emergency)\b/.test(name)) return "urgent"
  if (priority.id === 1 || /\blow\b/.test(name)) return "low"
  if (priority.id === 3 || /\bhigh\b/.test(name)) return "high"
  return "normal"
}

/**
 * Zammad's reference data as the adapter uses it, read once per layer.
 *
 * @since 0.1.0
 * @category models
 */
export interface Lookups {
  readonly states: ReadonlyArray<{ readonly state: ZammadClient.State; readonly type: T.StateType }>
  readonly priorities: ReadonlyArray<{ readonly priority: ZammadClient.Priority; readonly level: T.PriorityLevel }>
  readonly groups: ReadonlyArray<ZammadClient.Group>
}

const STATE_TYPE_NAMES: Readonly<Record<number, string>> = {
  1: "new",
  2: "open",
  3: "pending reminder",
  4: "pending action",
  5: "closed",
  6: "merged",
  7: "removed"
}

/**
 * The lookups from Zammad's lists, checked against the options: a state whose type is unknown
 * and not overridden, or an override naming no state or priority, is refused.
 *
 * @since 0.1.0
 * @category constructors
 */
export const lookups = (
  states: ReadonlyArray<ZammadClient.State>,
  priorities: ReadonlyArray<ZammadClient.Priority>,
  groups: ReadonlyArray<ZammadClient.Group>,
  options: Pick<Options, "states" | "priorities">
): Either.Either<Lookups, string> => {
  const stateOverrides = lowerKeys(options.states)
  for (const name of Object.keys(stateOverrides)) {
    if (!states.some((s) => s.name.toLowerCase() === name)) return Either.left(`states: Zammad has no state named ${JSON.stringify(name)}`)
  }
  for (const name of Object.keys(options.priorities ?? {})) {
    if (!priorities.some((p) => p.name.toLowerCase() === name.toLowerCase())) {
      return Either.left(`priorities: Zammad has no priority named ${JSON.stringify(name)}`)
    }
  }
  const mapped: Array<Lookups["states"][number]> = []
  for (const state of states) {
    const typeName = state.state_type ?? STATE_TYPE_NAMES[state.state_type_id] ?? ""
    const type = stateOverrides[state.name.toLowerCase()] ?? stateTypeOf(typeName)
    if (type === undefined) {
      return Either.left(`state ${JSON.stringify(state.name)} has the unknown state type ${JSON.stringify(typeName)}: map it with the states option`)
    }
    mapped.push({ state, type })
  }
  return Either.right({
    states: mapped,
    priorities: priorities.map((priority) => ({ priority, level: priorityLevelOf(priority, options.priorities) })),
    groups
  })
}

const lowerKeys = <V>(record: Readonly<Record<string, V>> | undefined): Record<string, V> =>
  Object.fromEntries(Object.entries(record ?? {}).map(([k, v]) => [k.toLowerCase(), v]))

const byRef = <A extends { readonly id: number; readonly name: string }>(items: ReadonlyArray<A>, ref: T.Ref): A | undefined =>
  items.find((item) => T.refMatches(ref, { id: String(item.id), name: item.name }))

/**
 * The state written for a normal state (the first active state of that type, in Zammad's order;
 * `merged` and `removed` are never written for `closed`; `resolved` is written as `closed` unless
 * the `states` option maps a state to it) or for a reference to a state.
 *
 * @since 0.1.0
 * @category states
 */
export const stateIdOf = (wanted: T.StateType | T.Ref, lookups: Pick<Lookups, "states">): Either.Either<ZammadClient.State, string> => {
  if (typeof wanted !== "string") {
    const found = byRef(lookups.states.map((s) => s.state), wanted)
    return found === undefined ? Either.left(`Zammad has no ticket state ${T.formatRef(wanted)}`) : Either.right(found)
  }
  // Zammad has no "resolved": a resolved ticket is a closed one (unless the states option maps one)
  const find = (type: T.StateType) =>
    lookups.states.find((s) => s.type === type && s.state.active && !["merged", "removed"].includes(s.state.name.toLowerCase()))
  const found = find(wanted) ?? (wanted === "resolved" ? find("closed") : undefined)
  return found === undefined ? Either.left(`Zammad has no ticket state of the kind ${wanted}`) : Either.right(found.state)
}

/**
 * The priority id written for a level (the first active priority of that level) or a reference.
 *
 * @since 0.1.0
 * @category priorities
 */
export const priorityIdOf = (
  wanted: T.PriorityLevel | T.Ref,
  lookups: Pick<Lookups, "priorities">
): Either.Either<number, string> => {
  if (typeof wanted !== "string") {
    const found = byRef(lookups.priorities.map((p) => p.priority), wanted)
    return found === undefined ? Either.left(`Zammad has no ticket priority ${T.formatRef(wanted)}`) : Either.right(found.id)
  }
  const found = lookups.priorities.find((p) => p.level === wanted && p.priority.active)
  return found === undefined
    ? Either.left(`Zammad has no ticket priority of the level ${wanted} (add one, or map one with the priorities option)`)
    : Either.right(found.priority.id)
}

/**
 * The group a queue reference designates.
 *
 * @since 0.1.0
 * @category queues
 */
export const groupOf = (ref: T.Ref, lookups: Pick<Lookups, "groups">): Either.Either<ZammadClient.Group, string> => {
  const found = byRef(lookups.groups, ref)
  return found === undefined ? Either.left(`Zammad has no group ${T.formatRef(ref)}`) : Either.right(found)
}

/**
 * The normal states a ticket can be put in.
 *
 * @since 0.1.0
 * @category states
 */
export const writableStates = (lookups: Pick<Lookups, "states">): ReadonlyArray<T.StateType> =>
  (["new", "open", "pending", "resolved", "closed"] as const).filter((type) => Either.isRight(stateIdOf(type, lookups)))

// -----------------------------------------------------------------------------
// reading
// -----------------------------------------------------------------------------

/**
 * A ticket as the normal form: the group is the queue, the customer the requester, the owner the
 * assignee (none when it is Zammad's "nobody", user 1), the description the first article's body.
 *
 * @since 0.1.0
 * @category reading
 */
export const toTicket = (ticket: ZammadClient.Ticket, lookups: Lookups, description: string): T.Ticket => {
  const state = lookups.states.find((s) => s.state.id === ticket.state_id)
  const priority = lookups.priorities.find((p) => p.priority.id === ticket.priority_id)
  const stateName = ticket.state ?? state?.state.name ?? String(ticket.state_id)
  const priorityName = ticket.priority ?? priority?.priority.name ?? String(ticket.priority_id)
  const groupName = ticket.group ?? lookups.groups.find((g) => g.id === ticket.group_id)?.name
  return new T.Ticket({
    id: T.ticketId(ticket.id),
    title: ticket.title,
    description,
    state: { type: state?.type ?? stateTypeOf(stateName) ?? "open", name: stateName, id: String(ticket.state_id) },
    priority: {
      level: priority?.level ?? priorityLevelOf({ id: ticket.priority_id, name: priorityName }),
      name: priorityName,
      id: String(ticket.priority_id)
    },
    queue: { id: String(ticket.group_id), ...(groupName == null ? {} : { name: groupName }) },
    ...(ticket.customer_id == null ? {} : { requester: userRef(ticket.customer_id, ticket.customer) }),
    ...(ticket.owner_id == null || ticket.owner_id === 1 ? {} : { assignee: userRef(ticket.owner_id, ticket.owner) }),
    tags: [],
    createdAt: ticket.created_at,
    updatedAt: ticket.updated_at,
    customFields: {},
    raw: ticket
  })
}

const userRef = (id: number, login: string | null | undefined): T.UserRef => ({
  id: String(id),
  ...(login == null ? {} : login.includes("@") ? { email: login, name: login } : { name: login })
})

/**
 * The description of a ticket: the body of its first article (`""` without one).
 *
 * @since 0.1.0
 * @category reading
 */
export const descriptionOf = (articles: ReadonlyArray<ZammadClient.Article>): string => articles[0]?.body ?? ""

/**
 * The notes of a ticket: its articles after the first (the description), oldest first.
 *
 * @since 0.1.0
 * @category reading
 */
export const toNotes = (articles: ReadonlyArray<ZammadClient.Article>): ReadonlyArray<Note> =>
  articles.slice(1).map((article) =>
    new Note({
      id: String(article.id),
      body: article.body,
      visibility: article.internal ? "internal" : "public",
      contentType: article.content_type === "text/html" ? "text/html" : "text/plain",
      ...(article.from == null || article.from === ""
        ? article.created_by_id == null ? {} : { author: { id: String(article.created_by_id) } }
        : { author: { name: article.from } }),
      createdAt: article.created_at
    }, true)
  )

// -----------------------------------------------------------------------------
// searching
// -----------------------------------------------------------------------------

const SPECIAL = /[+\-=&|!(){}[\]^"~*?:\\/]/g

/**
 * A user's text made literal in Elasticsearch's `query_string` syntax, which Zammad passes its
 * search query to: every reserved character (`+ - = && || ! ( ) { } [ ] ^ " ~ * ? : \ /`) is
 * escaped with a backslash; `<` and `>`, which cannot be escaped, are replaced by spaces; the
 * words `AND`, `OR`, `NOT` are quoted, so that none is an operator. Words stay separate terms.
 *
 * @since 0.1.0
 * @category searching
 */
export const escapeQueryText = (text: string): string =>
  text
    .replace(/[<>]/g, " ")
    .split(/\s+/)
    .filter((word) => word !== "")
    .map((word) => /^(AND|OR|NOT)$/.test(word) ? `"${word}"` : word.replace(SPECIAL, (c) => `\\${c}`))
    .join(" ")

/**
 * The ids the criteria filter by, resolved by the driver.
 *
 * @since 0.1.0
 * @category searching
 */
export interface Filter {
  readonly stateIds?: ReadonlyArray<number>
  readonly priorityIds?: ReadonlyArray<number>
  readonly groupIds?: ReadonlyArray<number>
}

/**
 * The state and priority ids of normal criteria; `undefined` when nothing can match.
 *
 * @since 0.1.0
 * @category searching
 */
export const filterOf = (criteria: SearchCriteria, lookups: Lookups, groupIds: ReadonlyArray<number> | undefined): Filter | undefined => {
  const stateIds = criteria.states === undefined
    ? undefined
    : lookups.states.filter((s) => criteria.states!.includes(s.type)).map((s) => s.state.id)
  const priorityIds = criteria.priorities === undefined
    ? undefined
    : lookups.priorities.filter((p) => criteria.priorities!.includes(p.level)).map((p) => p.priority.id)
  if (stateIds?.length === 0 || priorityIds?.length === 0 || groupIds?.length === 0) return undefined
  return {
    ...(stateIds === undefined ? {} : { stateIds }),
    ...(priorityIds === undefined ? {} : { priorityIds }),
    ...(groupIds === undefined ? {} : { groupIds })
  }
}

/**
 * The search query of criteria: id filters (`state_id:(1 OR 2)`), `updated_at:["…" TO *]` and the
 * escaped text, joined with `AND`; `*` (every ticket) when there is none.
 *
 * @since 0.1.0
 * @category searching
 */
export const searchQuery = (criteria: Pick<SearchCriteria, "text" | "updatedSince">, filter: Filter): string => {
  const parts: Array<string> = []
  const ids = (field: string, values: ReadonlyArray<number> | undefined) => {
    if (values !== undefined) parts.push(`${field}:(${values.join(" OR ")})`)
  }
  ids("state_id", filter.stateIds)
  ids("priority_id", filter.priorityIds)
  ids("group_id", filter.groupIds)
  if (criteria.updatedSince !== undefined) parts.push(`updated_at:["${DateTime.formatIso(criteria.updatedSince)}" TO *]`)
  const text = criteria.text === undefined ? "" : escapeQueryText(criteria.text)
  if (text !== "") parts.push(`(${text})`)
  return parts.length === 0 ? "*" : parts.join(" AND ")
}

/**
 * The page number of a cursor (`undefined`: the first page); `undefined` for a bad cursor.
 *
 * @since 0.1.0
 * @category searching
 */
export const pageOf = (cursor: string | undefined): number | undefined => {
  if (cursor === undefined) return 1
  return /^[1-9]\d{0,8}$/.test(cursor) ? Number(cursor) : undefined
}

/**
 * A page of the port from one page of search results: a full page has a next one (Zammad's
 * expanded search gives no total).
 *
 * @since 0.1.0
 * @category searching
 */
export const toPage = (items: ReadonlyArray<T.Ticket>, page: number, perPage: number): Page<T.Ticket> =>
  items.length >= perPage ? { items, next: String(page + 1) } : { items }

/**
 * A ticket id as Zammad's number; `undefined` for anything but a positive integer.
 *
 * @since 0.1.0
 * @category utils
 */
export const ticketNumber = (id: string): number | undefined =>
  /^[1-9]\d{0,14}$/.test(id) ? Number(id) : undefined

// -----------------------------------------------------------------------------
// writing
// -----------------------------------------------------------------------------

/**
 * The `pending_time` set with a pending state: `hours` from `now`.
 *
 * @since 0.1.0
 * @category writing
 */
export const pendingTime = (state: ZammadClient.State, lookups: Pick<Lookups, "states">, now: DateTime.Utc, hours: number) =>
  lookups.states.find((s) => s.state.id === state.id)?.type === "pending"
    ? { pending_time: DateTime.formatIso(DateTime.add(now, { millis: Math.round(hours * 3_600_000) })) }
    : {}

/**
 * The customer of a new ticket: the requester's id or email (`guess:`), else the default.
 *
 * @since 0.1.0
 * @category writing
 */
export const customerOf = (requester: T.UserRef | undefined, defaultCustomer: string | undefined): Either.Either<number | string, string> => {
  const id = requester?.id
  if (id !== undefined && /^\d+$/.test(id)) return Either.right(Number(id))
  const email = requester?.email ?? (requester?.name?.includes("@") ? requester.name : undefined) ?? defaultCustomer
  if (email === undefined) {
    return Either.left("Zammad needs a customer for a ticket: give a requester (id or email) or set the defaultCustomer option")
  }
  return Either.right(/^\d+$/.test(email) ? Number(email) : `guess:${email}`)
}

/**
 * Refuses what Zammad tickets cannot hold through this adapter: tags and custom fields.
 *
 * @since 0.1.0
 * @category writing
 */
export const unsupported = (fields: Pick<T.TicketUpdate, "tags" | "customFields">): string | undefined => {
  if (fields.tags !== undefined && fields.tags.length > 0) return "tags are not supported by the Zammad adapter"
  if (fields.customFields !== undefined && Object.keys(fields.customFields).length > 0) {
    return "custom fields are not supported by the Zammad adapter"
  }
  return undefined
}

/**
 * The resolved ids of a write.
 *
 * @since 0.1.0
 * @category writing
 */
export interface Resolved {
  readonly state?: ZammadClient.State
  readonly priority_id?: number
  readonly group_id?: number
  readonly owner_id?: number
  readonly pending_time?: string
}

/**
 * The body of `POST /tickets`: the description is the first article (a public note).
 *
 * @since 0.1.0
 * @category writing
 */
export const createBody = (draft: T.TicketDraft, resolved: Resolved & { readonly group_id: number; readonly customer_id: number | string }): ZammadClient.TicketCreate => ({
  title: draft.title,
  group_id: resolved.group_id,
  customer_id: resolved.customer_id,
  ...(resolved.state === undefined ? {} : { state_id: resolved.state.id }),
  ...(resolved.priority_id === undefined ? {} : { priority_id: resolved.priority_id }),
  ...(resolved.owner_id === undefined ? {} : { owner_id: resolved.owner_id }),
  ...(resolved.pending_time === undefined ? {} : { pending_time: resolved.pending_time }),
  article: { subject: draft.title, body: draft.description === "" ? draft.title : draft.description, content_type: "text/plain", type: "note", internal: false }
})

/**
 * The body of `PUT /tickets/{id}`; `undefined` for a description change, which Zammad cannot make
 * (the description is the first article).
 *
 * @since 0.1.0
 * @category writing
 */
export const updateBody = (update: T.TicketUpdate, resolved: Resolved): ZammadClient.TicketChange => ({
  ...(update.title === undefined ? {} : { title: update.title }),
  ...(resolved.state === undefined ? {} : { state_id: resolved.state.id }),
  ...(resolved.priority_id === undefined ? {} : { priority_id: resolved.priority_id }),
  ...(resolved.group_id === undefined ? {} : { group_id: resolved.group_id }),
  ...(resolved.owner_id === undefined ? {} : { owner_id: resolved.owner_id }),
  ...(resolved.pending_time === undefined ? {} : { pending_time: resolved.pending_time })
})

/**
 * The body of `POST /ticket_articles` for a note: `type: "note"`, `internal` from its visibility.
 *
 * @since 0.1.0
 * @category writing
 */
export const articleBody = (ticketId: number, note: NoteDraft): ZammadClient.ArticleCreate => ({
  ticket_id: ticketId,
  body: note.body,
  content_type: note.contentType,
  type: "note",
  internal: note.visibility === "internal"
})
