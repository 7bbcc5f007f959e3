/**
 * OTOBO / Znuny ↔ the normal form, as pure functions over plain data: no HTTP, no effects. The
 * driver asks {@link OtoboClient} for the system's records and hands them here.
 *
 * - **States** by the state's type (`StateType` of `TicketGet`): new → new, open → open,
 *   pending reminder / pending auto → pending, closed / removed / merged → closed
 *   ({@link stateTypes}); written as {@link statusFor} says (`resolved` is written as
 *   "closed successful", which reads back as closed: OTOBO has no resolved state type).
 * - **Priorities** by the default names "1 very low" … "5 very high" ({@link defaultPriorities}),
 *   or by the leading digit of other names; written as the default names.
 * - **Tickets and notes**: {@link toTicket}, {@link notesOf}; the description is the first
 *   article, notes are the articles after it; an article is internal when
 *   `IsVisibleForCustomer` is 0 (OTOBO 10+, Znuny 6+) or its `ArticleType` ends in `-internal`
 *   (older systems).
 * - **Writing**: {@link ticketCreate}, {@link ticketChange}, {@link noteArticle}.
 * - **Search**: {@link searchOf} (the `TicketSearch` criteria of the normal ones) and
 *   {@link literalMatch} (the `%`, `_` and `*` of a text are wildcards to the system: such a
 *   text is searched with wildcards and the results are kept when the title holds it literally).
 *
 * @since 0.1.0
 */
import * as DateTime from "effect/DateTime"
import * as Option from "effect/Option"
import * as ValueMap from "../../internal/valueMap.js"
import { Note } from "../../Note.js"
import type { NoteDraft } from "../../Note.js"
import type { SearchCriteria } from "../../SearchCriteria.js"
import * as T from "../../Ticket.js"
import type * as Client from "./OtoboClient.js"

// -----------------------------------------------------------------------------
// the mapping
// -----------------------------------------------------------------------------

/**
 * How one system's values map onto the normal form.
 *
 * @since 0.1.0
 * @category models
 */
export interface Mapping {
  /** priority name ↔ level */
  readonly priorities: ValueMap.ValueMap<T.PriorityLevel>
  /** the time zone of the system's timestamps (OTOBOTimeZone, default UTC) */
  readonly timeZone: DateTime.TimeZone
  /** the customer user of tickets created without a requester */
  readonly customerUser: string | undefined
  /** minutes until the reminder of a ticket set to pending */
  readonly pendingMinutes: number
  /** the subject of articles added as notes */
  readonly noteSubject: string
}

/**
 * The default priorities of OTOBO and Znuny.
 *
 * @since 0.1.0
 * @category priorities
 */
export const defaultPriorities: ReadonlyArray<readonly [string, T.PriorityLevel]> = [
  ["2 low", "low"],
  ["3 normal", "normal"],
  ["4 high", "high"],
  ["5 very high", "urgent"],
  ["1 very low", "low"]
]

/**
 * The mapping of the adapter's options.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: {
  readonly priorities?: Readonly<Record<string, T.PriorityLevel>> | undefined
  readonly timeZone?: string | undefined
  readonly customerUser?: string | undefined
  readonly pendingMinutes?: number | undefined
  readonly noteSubject?: string | undefined
} = {}): Mapping => ({
  priorities: ValueMap.make([...Object.entries(options.priorities ?? {}), ...defaultPriorities]),
  timeZone: DateTime.zoneMakeNamed(options.timeZone ?? "UTC").pipe(Option.getOrElse(() => DateTime.zoneMakeOffset(0))),
  customerUser: options.customerUser,
  pendingMinutes: options.pendingMinutes ?? 24 * 60,
  noteSubject: options.noteSubject ?? "Note"
})

// -----------------------------------------------------------------------------
// states and priorities
// -----------------------------------------------------------------------------

/**
 * The state types of OTOBO and Znuny, as normal state types.
 *
 * @since 0.1.0
 * @category states
 */
export const stateTypes: Readonly<Record<string, T.StateType>> = {
  "new": "new",
  "open": "open",
  "pending reminder": "pending",
  "pending auto": "pending",
  "closed": "closed",
  "removed": "closed",
  "merged": "closed"
}

/**
 * The state written for each normal state type (the default states of OTOBO and Znuny).
 *
 * @since 0.1.0
 * @category states
 */
export const statusFor: Readonly<Record<T.StateType, string>> = {
  new: "new",
  open: "open",
  pending: "pending reminder",
  resolved: "closed successful",
  closed: "closed unsuccessful"
}

/**
 * The normal state of a ticket's state type (or, without one, of its state's name); unknown ones
 * read as `open`.
 *
 * @since 0.1.0
 * @category states
 */
export const stateOf = (stateType: string | undefined, state: string): T.StateType => {
  const byType = stateType === undefined ? undefined : stateTypes[stateType.toLowerCase()]
  if (byType !== undefined) return byType
  const name = state.toLowerCase()
  if (name.startsWith("closed") || name === "removed" || name === "merged") return "closed"
  if (name.startsWith("pending")) return "pending"
  return stateTypes[name] ?? "open"
}

/**
 * The state types a search for normal states asks for (none for `resolved`).
 *
 * @since 0.1.0
 * @category states
 */
export const stateTypesOf = (states: ReadonlyArray<T.StateType>): ReadonlyArray<string> =>
  Object.entries(stateTypes).filter(([, type]) => states.includes(type)).map(([name]) => name)

/**
 * Is the state written for a normal state a pending one (which needs a `PendingTime`)?
 *
 * @since 0.1.0
 * @category states
 */
export const isPendingState = (state: string): boolean => state.toLowerCase().startsWith("pending")

/**
 * The level of a priority: by name, else by its leading digit (1–2 low, 3 normal, 4 high, 5 urgent).
 *
 * @since 0.1.0
 * @category priorities
 */
export const priorityLevel = (mapping: Mapping, name: string): T.PriorityLevel => {
  const named = mapping.priorities.toNormal(name)
  if (named !== undefined) return named
  const digit = /^\s*(\d)/.exec(name)?.[1]
  return digit === undefined ? "normal" : digit <= "2" ? "low" : digit === "3" ? "normal" : digit === "4" ? "high" : "urgent"
}

// -----------------------------------------------------------------------------
// times
// -----------------------------------------------------------------------------

/**
 * A timestamp of the system (`YYYY-MM-DD HH:MM:SS` in its time zone) as a UTC time.
 *
 * @since 0.1.0
 * @category times
 */
export const parseTime = (mapping: Mapping, text: string): DateTime.Utc | undefined => {
  const match = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/.exec(text.trim())
  if (match === null) return undefined
  const [year, month, day, hours, minutes, seconds] = match.slice(1).map(Number) as [number, number, number, number, number, number]
  return DateTime.makeZoned({ year, month, day, hours, minutes, seconds }, { timeZone: mapping.timeZone, adjustForTimeZone: true }).pipe(
    Option.map(DateTime.toUtc),
    Option.getOrUndefined
  )
}

/**
 * A time as the system writes it (`YYYY-MM-DD HH:MM:SS` in its time zone, to the second, rounded down).
 *
 * @since 0.1.0
 * @category times
 */
export const formatTime = (mapping: Mapping, time: DateTime.DateTime): string => {
  const parts = DateTime.toParts(DateTime.setZone(time, mapping.timeZone))
  const two = (n: number) => String(n).padStart(2, "0")
  return `${parts.year}-${two(parts.month)}-${two(parts.day)} ${two(parts.hours)}:${two(parts.minutes)}:${two(parts.seconds)}`
}

// -----------------------------------------------------------------------------
// tickets and notes
// -----------------------------------------------------------------------------

/**
 * Is an article internal? `IsVisibleForCustomer` 0 (OTOBO 10+, Znuny 6+), else an
 * `ArticleType` ending in `-internal` (`note-internal`, `email-internal`; older systems).
 *
 * @since 0.1.0
 * @category notes
 */
export const isInternal = (article: Client.Article): boolean => {
  const visible = article.IsVisibleForCustomer
  if (visible !== undefined && visible !== null && visible !== "") return Number(visible) === 0
  return /-internal$/i.test(article.ArticleType ?? "")
}

/** a body sent only because the system wants one: a ticket created without description */
const EMPTY_BODY = " "

const contentTypeOf = (article: Client.Article): "text/plain" | "text/html" =>
  /^text\/html/i.test(article.ContentType ?? article.MimeType ?? "") ? "text/html" : "text/plain"

const createdOf = (mapping: Mapping, article: Client.Article): DateTime.Utc | undefined => {
  if (typeof article.CreateTime === "string") return parseTime(mapping, article.CreateTime)
  const incoming = Number(article.IncomingTime)
  return article.IncomingTime !== undefined && article.IncomingTime !== null && Number.isFinite(incoming) && incoming > 0
    ? DateTime.unsafeMake(incoming * 1000)
    : undefined
}

/**
 * The notes of a ticket: its articles after the first (the description), oldest first.
 *
 * @since 0.1.0
 * @category notes
 */
export const notesOf = (mapping: Mapping, articles: ReadonlyArray<Client.Article>): ReadonlyArray<Note> =>
  articles.slice(1).map((article) => {
    const createdAt = createdOf(mapping, article)
    const author = article.From === undefined || article.From === null || article.From === "" ? undefined : { name: article.From }
    return new Note({
      id: article.ArticleID,
      body: article.Body ?? "",
      visibility: isInternal(article) ? "internal" : "public",
      contentType: contentTypeOf(article),
      ...(author === undefined ? {} : { author }),
      ...(createdAt === undefined ? {} : { createdAt })
    })
  })

/**
 * The dynamic fields of a ticket as custom fields (arrays of text, text, numbers, or null).
 *
 * @since 0.1.0
 * @category tickets
 */
export const customFieldsOf = (fields: ReadonlyArray<typeof Client.DynamicField.Type> | undefined): Record<string, T.CustomFieldValue> => {
  const result: Record<string, T.CustomFieldValue> = {}
  for (const { Name, Value } of fields ?? []) {
    const value: T.CustomFieldValue = Value === undefined || Value === null
      ? null
      : Array.isArray(Value)
      ? Value.map(String)
      : typeof Value === "number" || typeof Value === "boolean"
      ? Value
      : String(Value)
    Object.defineProperty(result, Name, { value, enumerable: true, writable: true, configurable: true })
  }
  return result
}

/**
 * A `TicketGet` ticket in the normal form. Without articles asked for, the description is empty.
 *
 * @since 0.1.0
 * @category tickets
 */
export const toTicket = (mapping: Mapping, record: Client.TicketWithRaw): T.Ticket => {
  const t = record.value
  const first = t.Article?.[0]
  const description = first === undefined || first.Body === EMPTY_BODY ? "" : first.Body ?? ""
  const createdAt = parseTime(mapping, t.Created) ?? DateTime.unsafeMake(0)
  const updatedAt = parseTime(mapping, t.Changed) ?? createdAt
  const owner = t.Owner === undefined || t.Owner === null || t.Owner === "" ? undefined : t.Owner
  const customer = t.CustomerUserID === undefined || t.CustomerUserID === null || t.CustomerUserID === "" ? undefined : t.CustomerUserID
  return new T.Ticket({
    id: T.ticketId(t.TicketID),
    title: t.Title ?? "",
    description,
    state: { type: stateOf(t.StateType, t.State), name: t.State, ...(t.StateID === undefined ? {} : { id: t.StateID }) },
    priority: { level: priorityLevel(mapping, t.Priority), name: t.Priority, ...(t.PriorityID === undefined ? {} : { id: t.PriorityID }) },
    queue: { name: t.Queue, ...(t.QueueID === undefined ? {} : { id: t.QueueID }) },
    ...(customer === undefined ? {} : { requester: customer.includes("@") ? { name: customer, email: customer } : { name: customer } }),
    ...(owner === undefined ? {} : { assignee: { name: owner, ...(t.OwnerID === undefined || t.OwnerID === null ? {} : { id: t.OwnerID }) } }),
    tags: [],
    createdAt: DateTime.lessThan(updatedAt, createdAt) ? updatedAt : createdAt,
    updatedAt,
    customFields: customFieldsOf(t.DynamicField),
    raw: record.raw
  }, { disableValidation: true })
}

// -----------------------------------------------------------------------------
// writing
// -----------------------------------------------------------------------------

const refValue = (ref: T.Ref, idKey: string, nameKey: string): Record<string, string | number> =>
  ref.id !== undefined && /^\d+$/.test(ref.id) ? { [idKey]: Number(ref.id) } : { [nameKey]: ref.name ?? ref.id ?? "" }

const dynamicFields = (fields: Readonly<Record<string, T.CustomFieldValue>> | undefined) =>
  fields === undefined || Object.keys(fields).length === 0 ? {} : {
    DynamicField: Object.entries(fields).map(([Name, value]) => ({
      Name,
      Value: value === null ? "" : Array.isArray(value) ? value : typeof value === "string" ? value : String(value)
    }))
  }

const stateFields = (mapping: Mapping, state: T.StateType | T.Ref | undefined): Record<string, unknown> => {
  if (state === undefined) return {}
  const fields = typeof state === "string" ? { State: statusFor[state] } : refValue(state, "StateID", "State")
  const name = typeof fields.State === "string" ? fields.State : ""
  return isPendingState(name) ? { ...fields, PendingTime: { Diff: mapping.pendingMinutes } } : fields
}

const priorityFields = (mapping: Mapping, priority: T.PriorityLevel | T.Ref | undefined): Record<string, unknown> =>
  priority === undefined ? {} : typeof priority === "string"
    ? { Priority: mapping.priorities.toRemote(priority) ?? "3 normal" }
    : refValue(priority, "PriorityID", "Priority")

const userFields = (user: T.UserRef, idKey: string, nameKey: string): Record<string, unknown> =>
  user.id !== undefined && /^\d+$/.test(user.id) ? { [idKey]: Number(user.id) } : { [nameKey]: user.name ?? user.email ?? user.id ?? "" }

/**
 * Why a draft cannot be created (or nothing): OTOBO needs a customer user.
 *
 * @since 0.1.0
 * @category writing
 */
export const createRefusal = (mapping: Mapping, draft: T.TicketDraft): string | undefined => {
  if (draft.tags !== undefined && draft.tags.length > 0) return "OTOBO/Znuny tickets have no tags"
  if (draft.requester === undefined && mapping.customerUser === undefined) {
    return "OTOBO/Znuny needs a customer user for each ticket: give a requester, or configure customerUser"
  }
  return undefined
}

/**
 * The `TicketCreate` data of a draft: the ticket, its first article (the description, an
 * internal note) and its dynamic fields.
 *
 * @since 0.1.0
 * @category writing
 */
export const ticketCreate = (mapping: Mapping, draft: T.TicketDraft): Record<string, unknown> => {
  const requester = draft.requester
  const customer = requester?.email ?? requester?.name ?? requester?.id ?? mapping.customerUser ?? ""
  return {
    Ticket: {
      Title: draft.title,
      ...refValue(draft.queue, "QueueID", "Queue"),
      ...stateFields(mapping, draft.state ?? "new"),
      ...priorityFields(mapping, draft.priority ?? "normal"),
      CustomerUser: customer,
      ...(draft.assignee === undefined ? {} : userFields(draft.assignee, "OwnerID", "Owner"))
    },
    Article: articleOf(mapping, { body: draft.description === "" ? EMPTY_BODY : draft.description, visibility: "internal", contentType: "text/plain" }, draft.title),
    ...dynamicFields(draft.customFields)
  }
}

/**
 * Why an update cannot be made (or nothing).
 *
 * @since 0.1.0
 * @category writing
 */
export const updateRefusal = (update: T.TicketUpdate): string | undefined => {
  if (update.description !== undefined) return "OTOBO/Znuny cannot change a ticket's description (its first article): add a note instead"
  if (update.tags !== undefined && update.tags.length > 0) return "OTOBO/Znuny tickets have no tags"
  if (update.assignee === null) return "OTOBO/Znuny tickets always have an owner: set another owner instead of none"
  return undefined
}

/**
 * The `Ticket` (and `DynamicField`) data of a `TicketUpdate`; empty when the update changes nothing.
 *
 * @since 0.1.0
 * @category writing
 */
export const ticketChange = (mapping: Mapping, update: T.TicketUpdate): Record<string, unknown> => {
  const ticket = {
    ...(update.title === undefined ? {} : { Title: update.title }),
    ...stateFields(mapping, update.state),
    ...priorityFields(mapping, update.priority),
    ...(update.queue === undefined ? {} : refValue(update.queue, "QueueID", "Queue")),
    ...(update.assignee === undefined || update.assignee === null ? {} : userFields(update.assignee, "OwnerID", "Owner"))
  }
  return { ...(Object.keys(ticket).length === 0 ? {} : { Ticket: ticket }), ...dynamicFields(update.customFields) }
}

const articleOf = (mapping: Mapping, note: Pick<NoteDraft, "body" | "visibility" | "contentType">, subject: string) => ({
  CommunicationChannel: "Internal",
  IsVisibleForCustomer: note.visibility === "public" ? 1 : 0,
  SenderType: "agent",
  Subject: subject === "" ? mapping.noteSubject : subject,
  Body: note.body,
  ContentType: note.contentType === "text/html" ? "text/html; charset=utf8" : "text/plain; charset=utf8"
})

/**
 * The `TicketUpdate` data adding a note: an article of the "Internal" channel, visible to the
 * customer (1) for a public note, not (0) for an internal one.
 *
 * @since 0.1.0
 * @category writing
 */
export const noteArticle = (mapping: Mapping, note: NoteDraft): Record<string, unknown> => ({
  Article: articleOf(mapping, note, mapping.noteSubject)
})

// -----------------------------------------------------------------------------
// search
// -----------------------------------------------------------------------------

/** the characters the system's `Title` search takes as wildcards */
const WILDCARDS = /[%_*]/

/**
 * Does a text hold a character the system takes as a wildcard (`%`, `_`, `*`)?
 *
 * @since 0.1.0
 * @category search
 */
export const hasWildcards = (text: string): boolean => WILDCARDS.test(text)

/**
 * Does a ticket's title hold the text literally (case-insensitively)?
 *
 * @since 0.1.0
 * @category search
 */
export const literalMatch = (text: string, ticket: T.Ticket): boolean => ticket.title.toLowerCase().includes(text.toLowerCase())

/**
 * The `TicketSearch` criteria of normal criteria, sorted by ticket number (stable pages), or
 * `none` when nothing can match (only `resolved` asked for). `Limit` is set by the driver.
 *
 * @since 0.1.0
 * @category search
 */
export const searchOf = (
  mapping: Mapping,
  criteria: SearchCriteria
): { readonly _tag: "Criteria"; readonly criteria: Record<string, unknown> } | { readonly _tag: "None" } | { readonly _tag: "Invalid"; readonly detail: string } => {
  const result: Record<string, unknown> = { SortBy: "TicketNumber", OrderBy: "Up" }
  if (criteria.states !== undefined && criteria.states.length > 0) {
    const types = stateTypesOf(criteria.states)
    if (types.length === 0) return { _tag: "None" }
    result.StateType = types
  }
  if (criteria.queues !== undefined && criteria.queues.length > 0) {
    const byId = criteria.queues.filter((q) => q.id !== undefined)
    const byName = criteria.queues.filter((q) => q.id === undefined)
    if (byId.length > 0 && byName.length > 0) {
      return { _tag: "Invalid", detail: "give the queues all by id or all by name (OTOBO/Znuny combine QueueIDs and Queues with AND)" }
    }
    if (byId.some((q) => !/^\d+$/.test(q.id!))) return { _tag: "None" }
    if (byId.length > 0) result.QueueIDs = byId.map((q) => Number(q.id))
    else result.Queues = byName.map((q) => q.name!)
  }
  if (criteria.priorities !== undefined && criteria.priorities.length > 0) {
    result.Priorities = mapping.priorities.remotesOf(criteria.priorities)
  }
  if (criteria.updatedSince !== undefined) result.TicketChangeTimeNewerDate = formatTime(mapping, criteria.updatedSince)
  if (criteria.text !== undefined) result.Title = `*${criteria.text.replace(/[%_*]/g, "*")}*`
  return { _tag: "Criteria", criteria: result }
}

/**
 * Where a page starts in the id list: the cursor is the offset of its first id.
 *
 * @since 0.1.0
 * @category search
 */
export const offsetOf = (cursor: string | undefined): number | undefined =>
  cursor === undefined ? 0 : /^\d{1,15}$/.test(cursor) ? Number(cursor) : undefined

/**
 * Ids in batches of at most `size` (one `TicketGet` each).
 *
 * @since 0.1.0
 * @category search
 */
export const batches = <A>(items: ReadonlyArray<A>, size: number): ReadonlyArray<ReadonlyArray<A>> => {
  const result: Array<ReadonlyArray<A>> = []
  for (let i = 0; i < items.length; i += size) result.push(items.slice(i, i + size))
  return result
}
