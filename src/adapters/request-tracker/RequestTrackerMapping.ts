/**
 * Request Tracker ↔ the normal form, as pure functions over plain data: no HTTP, no effects.
 * The driver ({@link RequestTracker}) asks {@link RequestTrackerClient} for RT's records and
 * hands them here; every decision about what they mean is taken in this module, so each can be
 * tested with a literal RT answer.
 *
 * - **States**: RT's lifecycle statuses ↔ state types ({@link defaultStatuses}, overridden by the
 *   `statuses` option), written as {@link statusFor} says.
 * - **Priorities**: RT's 0–100 numbers ↔ levels by bands ({@link priorityLevel}), written as the
 *   configured values ({@link priorityValue}), searched as ranges ({@link priorityRange}).
 * - **Tickets and notes**: {@link toTicket} (an RT ticket plus the looked-up description and queue
 *   name), {@link descriptionsOf} and {@link notesOf} from transactions and their attachments.
 * - **Writing**: the `TicketChange` of a `TicketUpdate` ({@link ticketChange}), the `TicketCreate`
 *   of a draft ({@link ticketCreate}), custom fields ({@link customFieldsInput}).
 * - **Evidence**: whether an update was applied, from RT's messages, the ticket read back and,
 *   when needed, RT's history ({@link judgeUpdate}, {@link judgeWithHistory}; declared in
 *   `internal/evidence.ts`).
 * - **Search**: the TicketSQL of criteria ({@link query}), RT's pages ↔ offsets ({@link pageAt},
 *   {@link sliceOf}), and the literal filtering of text with `%` or `_` ({@link literalStep});
 *   the last two declared in `internal/paging.ts`.
 *
 * @since 0.1.0
 */
import * as DateTime from "effect/DateTime"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import { setOwn } from "../../internal/record.js"
import * as ValueMap from "../../internal/valueMap.js"
import { Note } from "../../Note.js"
import type { SearchCriteria } from "../../SearchCriteria.js"
import * as T from "../../Ticket.js"
import type * as Client from "./RequestTrackerClient.js"
import * as TicketSql from "./TicketSql.js"

// -----------------------------------------------------------------------------
// the mapping
// -----------------------------------------------------------------------------

/**
 * The lowest RT priority of each level above `low`.
 *
 * @since 0.1.0
 * @category models
 */
export interface PriorityBands {
  readonly normal: number
  readonly high: number
  readonly urgent: number
}

/**
 * The RT priority written for each level.
 *
 * @since 0.1.0
 * @category models
 */
export interface PriorityValues {
  readonly low: number
  readonly normal: number
  readonly high: number
  readonly urgent: number
}

/**
 * How RT's 0–100 priorities map onto levels.
 *
 * @since 0.1.0
 * @category models
 */
export interface Priorities {
  readonly bands: PriorityBands
  readonly values: PriorityValues
}

/**
 * The default priorities: 0–24 low, 25–49 normal, 50–74 high, 75+ urgent; writing low 0,
 * normal 25, high 50, urgent 100 (so that RT's own `PriorityAsString` labels — Low 0, Medium 50,
 * High 100 — read Low, Low, Medium, High).
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultPriorities: Priorities = {
  bands: { normal: 25, high: 50, urgent: 75 },
  values: { low: 0, normal: 25, high: 50, urgent: 100 }
}

/**
 * How one RT system's values map onto the normal form.
 *
 * @since 0.1.0
 * @category models
 */
export interface Mapping {
  /** RT status (case-insensitive) ↔ state type: the defaults, then the `statuses` overrides */
  readonly statuses: ValueMap.ValueMap<T.StateType>
  readonly priorities: Priorities
  /** text search looks in message content too */
  readonly contentSearch: boolean
  /** the timezone RT reads TicketSQL dates in */
  readonly timeZone: DateTime.TimeZone
  /** the same, as {@link TicketSql.fromCriteria} takes it */
  readonly search: TicketSql.Mapping
}

/**
 * The mapping of the adapter's options (all optional: RT's defaults).
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: {
  readonly statuses?: Readonly<Record<string, T.StateType>> | undefined
  readonly priorities?: Priorities | undefined
  readonly contentSearch?: boolean | undefined
  readonly timeZone?: string | undefined
} = {}): Mapping => {
  const statuses = statusMap(options.statuses ?? {})
  const priorities = options.priorities ?? defaultPriorities
  const contentSearch = options.contentSearch ?? false
  const timeZone = DateTime.zoneMakeNamed(options.timeZone ?? "UTC").pipe(Option.getOrElse(() => DateTime.zoneMakeOffset(0)))
  return {
    statuses,
    priorities,
    contentSearch,
    timeZone,
    search: {
      // deleted tickets are never in search results
      statusesOf: (type) => statuses.remotesOf([type]).filter((status) => status !== "deleted"),
      priorityRange: (level) => priorityRange(level, priorities.bands),
      contentSearch,
      timeZone
    }
  }
}

// -----------------------------------------------------------------------------
// states
// -----------------------------------------------------------------------------

/**
 * RT's default lifecycle, as state types.
 *
 * @since 0.1.0
 * @category states
 */
export const defaultStatuses: Readonly<Record<string, T.StateType>> = {
  new: "new",
  open: "open",
  stalled: "pending",
  resolved: "resolved",
  rejected: "closed",
  deleted: "closed"
}

/**
 * The RT status written for each state type.
 *
 * @since 0.1.0
 * @category states
 */
export const statusFor: Readonly<Record<T.StateType, string>> = {
  new: "new",
  open: "open",
  pending: "stalled",
  resolved: "resolved",
  closed: "rejected"
}

/**
 * RT's statuses and their state types: {@link defaultStatuses}, then the overrides (which win),
 * names lowercased.
 *
 * @since 0.1.0
 * @category states
 */
export const statusMap = (overrides: Readonly<Record<string, T.StateType>>): ValueMap.ValueMap<T.StateType> => {
  // a Map: a status called `__proto__` stays data
  const merged = new Map<string, T.StateType>()
  for (const [status, type] of [...Object.entries(defaultStatuses), ...Object.entries(overrides)]) merged.set(status.toLowerCase(), type)
  return ValueMap.make(merged)
}

/**
 * The state type of an RT status; a status no one mapped reads as `open`.
 *
 * @since 0.1.0
 * @category states
 */
export const stateOf = (mapping: Mapping, status: string): T.StateType => mapping.statuses.toNormal(status) ?? "open"

/**
 * The RT status to write: {@link statusFor} a state type, exactly the name (or id) of a reference.
 *
 * @since 0.1.0
 * @category states
 */
export const statusValue = (state: T.StateType | T.Ref): string => (typeof state === "string" ? statusFor[state] : state.name ?? state.id ?? "")

// -----------------------------------------------------------------------------
// priorities
// -----------------------------------------------------------------------------

/**
 * The level of an RT priority, by bands (lower bounds of normal, high, urgent).
 *
 * @since 0.1.0
 * @category priorities
 */
export const priorityLevel = (value: number, bands: PriorityBands): T.PriorityLevel =>
  value >= bands.urgent ? "urgent" : value >= bands.high ? "high" : value >= bands.normal ? "normal" : "low"

/**
 * The RT priorities of a level, for a search: `from` inclusive, `to` exclusive, either open.
 *
 * @since 0.1.0
 * @category priorities
 */
export const priorityRange = (level: T.PriorityLevel, bands: PriorityBands): { readonly from?: number; readonly to?: number } => {
  switch (level) {
    case "low":
      return { to: bands.normal }
    case "normal":
      return { from: bands.normal, to: bands.high }
    case "high":
      return { from: bands.high, to: bands.urgent }
    case "urgent":
      return { from: bands.urgent }
  }
}

/**
 * The RT priority to write: the configured value of a level; a reference's name (or id) as a
 * number when it is one (`{ name: "70" }` is 70), else as it is (`{ name: "High" }`).
 *
 * @since 0.1.0
 * @category priorities
 */
export const priorityValue = (priority: T.PriorityLevel | T.Ref, values: PriorityValues): number | string => {
  if (typeof priority === "string") return values[priority]
  const value = priority.name ?? priority.id ?? ""
  return /^-?\d{1,9}$/.test(value) ? Number(value) : value
}

// -----------------------------------------------------------------------------
// tickets
// -----------------------------------------------------------------------------

/**
 * A user as RT references it (`Nobody`, or no one, is no user). The email is the record's, or the
 * name when RT names the user by address.
 *
 * @since 0.1.0
 * @category tickets
 */
export const userOf = (ref: Client.ObjectRef | undefined): T.UserRef | undefined => {
  if (ref === undefined) return undefined
  const userName = ref.Name ?? ref.id
  if (userName === "" || userName.toLowerCase() === "nobody") return undefined
  const email = ref.EmailAddress !== undefined && ref.EmailAddress !== "" ? ref.EmailAddress : userName.includes("@") ? userName : undefined
  return { name: userName, ...(email === undefined ? {} : { email }) }
}

/**
 * A ticket's custom fields by name: no value is `null`, one a string, several a list (a file is
 * its name).
 *
 * @since 0.1.0
 * @category tickets
 */
export const customFieldsOf = (fields: ReadonlyArray<Client.CustomField> | undefined): Record<string, T.CustomFieldValue> => {
  const out: Record<string, T.CustomFieldValue> = {}
  for (const cf of fields ?? []) {
    const vs = cf.values.map((v) => (typeof v === "string" ? v : v.filename))
    setOwn(out, cf.name, vs.length === 0 ? null : vs.length === 1 ? vs[0]! : vs)
  }
  return out
}

/**
 * What an RT ticket record does not say and the driver looks up: its description (the text of
 * its first message) and its queue's name.
 *
 * @since 0.1.0
 * @category models
 */
export interface LookedUp {
  readonly description: string
  readonly queueName?: string | undefined
}

/**
 * The ticket in the normal form: RT's status and number kept beside the state type and level,
 * the queue by id (and name when known), `raw` the JSON RT sent.
 *
 * @since 0.1.0
 * @category tickets
 */
export const toTicket = (mapping: Mapping, record: Client.WithRaw<Client.Ticket>, lookedUp: LookedUp): T.Ticket => {
  const t = record.value
  const requester = userOf(t.Requestor?.[0])
  const assignee = userOf(t.Owner)
  return new T.Ticket({
    id: T.ticketId(t.id),
    title: t.Subject,
    description: lookedUp.description,
    state: { type: stateOf(mapping, t.Status), name: t.Status },
    priority: { level: priorityLevel(t.Priority, mapping.priorities.bands), name: String(t.Priority), value: t.Priority },
    queue: { id: t.Queue.id, ...(lookedUp.queueName === undefined ? {} : { name: lookedUp.queueName }) },
    ...(requester === undefined ? {} : { requester }),
    ...(assignee === undefined ? {} : { assignee }),
    tags: [],
    createdAt: t.Created,
    updatedAt: t.LastUpdated,
    customFields: customFieldsOf(t.CustomFields),
    raw: record.raw
  })
}

// -----------------------------------------------------------------------------
// descriptions and notes
// -----------------------------------------------------------------------------

/**
 * The first inline text part (`text/plain` or `text/html`, no file name) of each transaction, by
 * transaction id.
 *
 * @since 0.1.0
 * @category notes
 */
export const textsOf = (attachments: ReadonlyArray<Client.Attachment>): ReadonlyMap<string, Client.Attachment> => {
  const texts = new Map<string, Client.Attachment>()
  const sorted = [...attachments].sort((a, b) => Number(a.id) - Number(b.id))
  for (const a of sorted) {
    if (a.Filename !== "" || !/^text\/(plain|html)\b/i.test(a.ContentType) || texts.has(a.TransactionId)) continue
    texts.set(a.TransactionId, a)
  }
  return texts
}

/**
 * The ticket of each `Create` transaction, by transaction id.
 *
 * @since 0.1.0
 * @category notes
 */
export const ticketsOfCreates = (creates: ReadonlyArray<Client.Transaction>): ReadonlyMap<string, string> =>
  new Map(creates.flatMap((txn) => (txn.ObjectId === undefined ? [] : [[txn.id, txn.ObjectId] as const])))

/**
 * The descriptions of tickets, by ticket id: the text of their `Create` transactions.
 *
 * @since 0.1.0
 * @category notes
 */
export const descriptionsOf = (
  ticketOfCreate: ReadonlyMap<string, string>,
  attachments: ReadonlyArray<Client.Attachment>
): ReadonlyMap<string, string> => {
  const descriptions = new Map<string, string>()
  for (const [txn, text] of textsOf(attachments)) {
    const ticket = ticketOfCreate.get(txn)
    if (ticket !== undefined) descriptions.set(ticket, text.Content)
  }
  return descriptions
}

/**
 * The notes of a ticket from its transactions: `Comment` internal, `Correspond` public, oldest
 * first, with the text of their first inline text part.
 *
 * @since 0.1.0
 * @category notes
 */
export const notesOf = (
  transactions: ReadonlyArray<Client.Transaction>,
  attachments: ReadonlyArray<Client.Attachment>
): ReadonlyArray<Note> => {
  const texts = textsOf(attachments)
  return [...transactions]
    .filter((txn) => txn.Type === "Comment" || txn.Type === "Correspond")
    .sort((a, b) => Number(a.id) - Number(b.id))
    .map((txn) => {
      const text = texts.get(txn.id)
      const author = userOf(txn.Creator)
      return new Note({
        id: txn.id,
        body: text?.Content ?? "",
        visibility: txn.Type === "Comment" ? "internal" : "public",
        contentType: text !== undefined && /^text\/html\b/i.test(text.ContentType) ? "text/html" : "text/plain",
        ...(author === undefined ? {} : { author }),
        ...(txn.Created === undefined ? {} : { createdAt: txn.Created })
      }, true)
    })
}

// -----------------------------------------------------------------------------
// writing
// -----------------------------------------------------------------------------

/**
 * Custom field values as RT takes them (one, several, `null` to clear).
 *
 * @since 0.1.0
 * @category writing
 */
export const customFieldsInput = (fields: T.Ticket["customFields"]): Readonly<Record<string, Client.CustomFieldInput>> => {
  const out: Record<string, Client.CustomFieldInput> = {}
  for (const [key, value] of Object.entries(fields)) {
    setOwn(out, key, value === null ? null : Array.isArray(value) ? value : String(value))
  }
  return out
}

/**
 * Why RT cannot make an update at all (its description is its first message; it has no tags),
 * or `undefined`.
 *
 * @since 0.1.0
 * @category writing
 */
export const updateRefusal = (name: string, update: T.TicketUpdate): string | undefined =>
  update.description !== undefined
    ? `${name} (Request Tracker) keeps a ticket's description as its first message, which cannot be changed; add a note instead`
    : update.tags !== undefined && update.tags.length > 0
    ? `${name} (Request Tracker) has no tags`
    : undefined

/**
 * Why RT cannot create a ticket from a draft (it has no tags), or `undefined`.
 *
 * @since 0.1.0
 * @category writing
 */
export const createRefusal = (name: string, draft: T.TicketDraft): string | undefined =>
  draft.tags !== undefined && draft.tags.length > 0 ? `${name} (Request Tracker) has no tags` : undefined

/**
 * The fields of an update as RT changes them. `owner` is the RT user name of the assignee
 * (`Nobody` for none), looked up by the driver; empty when nothing is to change.
 *
 * @since 0.1.0
 * @category writing
 */
export const ticketChange = (mapping: Mapping, update: T.TicketUpdate, owner: string | undefined): Client.TicketChange => ({
  ...(update.title === undefined ? {} : { Subject: update.title }),
  ...(update.state === undefined ? {} : { Status: statusValue(update.state) }),
  ...(update.priority === undefined ? {} : { Priority: priorityValue(update.priority, mapping.priorities.values) }),
  ...(update.queue === undefined ? {} : { Queue: update.queue.id ?? update.queue.name ?? "" }),
  ...(owner === undefined ? {} : { Owner: owner }),
  ...(update.customFields === undefined ? {} : { CustomFields: customFieldsInput(update.customFields) })
})

/**
 * The fields of a new ticket as RT takes them. `owner` is the RT user name of the assignee,
 * looked up by the driver; the requestor is given by email, else name or id.
 *
 * @since 0.1.0
 * @category writing
 */
export const ticketCreate = (mapping: Mapping, draft: T.TicketDraft, owner: string | undefined): Client.TicketCreate => {
  const requestor = draft.requester === undefined ? undefined : draft.requester.email ?? draft.requester.name ?? draft.requester.id
  return {
    Queue: draft.queue.id ?? draft.queue.name ?? "",
    Subject: draft.title,
    ...(draft.description === "" ? {} : { Content: draft.description, ContentType: "text/plain" as const }),
    ...(draft.priority === undefined ? {} : { Priority: priorityValue(draft.priority, mapping.priorities.values) }),
    ...(draft.state === undefined ? {} : { Status: statusValue(draft.state) }),
    ...(requestor === undefined ? {} : { Requestor: requestor }),
    ...(owner === undefined ? {} : { Owner: owner }),
    ...(draft.customFields === undefined ? {} : { CustomFields: customFieldsInput(draft.customFields) })
  }
}

/**
 * Evidence: what an update applied (declared in `internal/evidence.ts`).
 *
 * @since 0.1.0
 * @category evidence
 */
export * from "./internal/evidence.js"

// -----------------------------------------------------------------------------
// search
// -----------------------------------------------------------------------------

/**
 * The TicketSQL of search criteria, or the queue names it cannot address (see
 * {@link TicketSql.fromCriteria}): look them up, then use {@link queryWithQueueIds}.
 *
 * @since 0.1.0
 * @category search
 */
export const query = (mapping: Mapping, criteria: SearchCriteria): Either.Either<TicketSql.TicketSql, TicketSql.UnaddressableQueue> =>
  TicketSql.fromCriteria(criteria, mapping.search)

/**
 * The TicketSQL of criteria whose queues given by these names (or ids) are searched by the ids
 * looked up (`"0"` for a queue that does not exist: it matches nothing).
 *
 * @since 0.1.0
 * @category search
 */
export const queryWithQueueIds = (mapping: Mapping, criteria: SearchCriteria, ids: ReadonlyMap<string, string>): TicketSql.TicketSql => {
  const queues = (criteria.queues ?? []).map((queue) => {
    const id = ids.get(queue.id ?? queue.name ?? "")
    return id === undefined ? queue : { id }
  })
  return Either.getOrElse(TicketSql.fromCriteria({ ...criteria, queues }, mapping.search), () => TicketSql.nothing)
}

/**
 * Pages and literal matches (declared in `internal/paging.ts`).
 *
 * @since 0.1.0
 * @category search
 */
export * from "./internal/paging.js"
