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
 *   when needed, RT's history ({@link judgeUpdate}, {@link judgeWithHistory}).
 * - **Search**: the TicketSQL of criteria ({@link query}), RT's pages ↔ offsets ({@link pageAt},
 *   {@link sliceOf}), and the literal filtering of text with `%` or `_` ({@link literalStep}).
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

// -----------------------------------------------------------------------------
// evidence: what an update did not apply
// -----------------------------------------------------------------------------

const successMessage = /^(?:Ticket \d+: )?(?:.+ (?:changed from|changed to|set to) |.* (?:added|deleted|removed)\.?$|Added .+ as )/s
const failureMessage =
  /isn't a valid|is not a valid|does not exist|doesn't exist|permission denied|no permission|not allowed|illegal|invalid|could not|couldn't|can't|cannot|failed|must be|required/i
const digits = /^\d{1,15}$/

/**
 * Is one of RT's update messages the report of a change it refused? (RT answers 200 with such
 * messages among those of the changes it made.) A message of a change made never is, even when
 * the new value reads like an error.
 *
 * @since 0.1.0
 * @category evidence
 */
export const isFailureMessage = (message: string): boolean => !successMessage.test(message) && failureMessage.test(message)

/**
 * A field of an update whose value the ticket read back does not hold, and why.
 *
 * @since 0.1.0
 * @category evidence
 */
export interface Mismatch {
  /** the ticket field; `CustomFields` for a custom field that does not apply (no later write explains that) */
  readonly field: TicketSql.ChangedField | "CustomFields"
  readonly text: string
}

const sameText = (a: string, b: string) => a.replace(/\s+/g, " ").trim() === b.replace(/\s+/g, " ").trim()
const sameName = (a: string, b: string) => sameText(a.toLowerCase(), b.toLowerCase())

/**
 * What the ticket read back does not hold of the change asked for.
 *
 * @since 0.1.0
 * @category evidence
 */
export const mismatches = (change: Client.TicketChange, after: T.Ticket): ReadonlyArray<Mismatch> => {
  const problems: Array<Mismatch> = []
  if (change.Subject !== undefined && !sameText(after.title, change.Subject)) {
    problems.push({ field: "Subject", text: `the subject was not changed` })
  }
  if (change.Status !== undefined && !sameName(after.state.name, change.Status)) {
    problems.push({ field: "Status", text: `the status is ${JSON.stringify(after.state.name)}, not ${JSON.stringify(change.Status)}` })
  }
  if (typeof change.Priority === "number" && after.priority.value !== change.Priority) {
    problems.push({ field: "Priority", text: `the priority is ${after.priority.name}, not ${change.Priority}` })
  }
  if (change.Queue !== undefined) {
    const wanted = String(change.Queue)
    const ok = digits.test(wanted) ? after.queue.id === wanted : after.queue.name !== undefined && sameName(after.queue.name, wanted)
    if (!ok) problems.push({ field: "Queue", text: `the ticket is in queue ${T.formatRef(after.queue)}, not ${JSON.stringify(wanted)}` })
  }
  if (change.Owner !== undefined) {
    const ok = change.Owner.toLowerCase() === "nobody"
      ? after.assignee === undefined
      : after.assignee?.name !== undefined && sameName(after.assignee.name, change.Owner)
    if (!ok) problems.push({ field: "Owner", text: `the owner is ${T.formatRef(after.assignee)}, not ${JSON.stringify(change.Owner)}` })
  }
  if (change.CustomFields !== undefined) {
    const rawFields = (after.raw as { CustomFields?: ReadonlyArray<{ id?: unknown; name?: unknown }> } | null)?.CustomFields
    const known = Array.isArray(rawFields) ? rawFields : []
    for (const key of Object.keys(change.CustomFields)) {
      const applies = known.some((cf) => String(cf.id) === key || (typeof cf.name === "string" && sameName(cf.name, key)))
      if (!applies) problems.push({ field: "CustomFields", text: `custom field ${JSON.stringify(key)} does not apply to this ticket` })
    }
  }
  return problems
}

/**
 * What an update did: applied, or refused with a reason.
 *
 * @since 0.1.0
 * @category evidence
 */
export type Verdict =
  | { readonly _tag: "Applied" }
  | { readonly _tag: "Refused"; readonly reason: string }

/**
 * An update whose outcome RT's history must settle: the fields to look up there (a change of
 * one since the update began explains its mismatch) and what is left unexplained already.
 *
 * @since 0.1.0
 * @category evidence
 */
export interface CheckHistory {
  readonly _tag: "CheckHistory"
  readonly fields: ReadonlyArray<TicketSql.ChangedField>
  readonly toCheck: ReadonlyArray<Mismatch & { readonly field: TicketSql.ChangedField }>
  readonly left: ReadonlyArray<Mismatch>
  readonly name: string
  readonly messages: ReadonlyArray<string>
}

/**
 * An update's evidence: the system's name (for the reason), the change sent, RT's messages and
 * the ticket read back after it.
 *
 * @since 0.1.0
 * @category evidence
 */
export interface UpdateEvidence {
  readonly name: string
  readonly change: Client.TicketChange
  readonly messages: ReadonlyArray<string>
  readonly after: T.Ticket
}

const applied: Verdict = { _tag: "Applied" }

const conclude = (name: string, left: ReadonlyArray<Mismatch>, messages: ReadonlyArray<string>): Verdict => {
  if (left.length === 0) return applied
  const said = messages.length === 0 || left.every((p) => p.text.includes("(RT said: ")) ? "" : ` (RT said: ${messages.join(" ")})`
  return { _tag: "Refused", reason: `${name} did not apply the change: ${left.map((p) => p.text).join("; ")}${said}` }
}

/**
 * Judges an update by RT's own evidence. RT answers 200 to what it refused, with the reason among
 * its messages: any such message refuses the update. Else a field the ticket read back holds as
 * asked is applied; one it does not may have been changed by another writer a moment later, and
 * RT tells which:
 *
 * - RT reports every change it makes ("Ticket 7: Subject changed from 'a' to 'b'"): such a
 *   message, with the value asked for, means the change was made (a later writer overwrote it);
 *   with another value (RT cut a long subject) it was not made as asked.
 * - RT says nothing of a field that already has the value asked for (`RT::Record::Update` skips
 *   it): the change needed no work. If the field differs when read back, a later write changed
 *   it, and RT's history shows that write: the verdict is then {@link CheckHistory}, settled by
 *   {@link judgeWithHistory}. With a message RT might have meant for the field ("That user may
 *   not own tickets in that queue"), or for a custom field that does not apply, it was refused.
 *
 * @since 0.1.0
 * @category evidence
 */
export const judgeUpdate = (evidence: UpdateEvidence): Verdict | CheckHistory => {
  const { change, messages, name } = evidence
  const failures = messages.filter(isFailureMessage)
  if (failures.length > 0) return { _tag: "Refused", reason: failures.join(" ") }
  const problems = mismatches(change, evidence.after)
  if (problems.length === 0) return applied
  const said = messages.map((m) => m.replace(/^Ticket \d+: /, ""))
  const success = (m: string) => successMessage.test(m)
  // what RT said besides the changes it made (and a no-op's "That is already the current value"):
  // perhaps its reason for leaving a field alone ("That user may not own tickets in that queue")
  const unaccounted = said.filter((m) => !success(m) && !/already the current value/i.test(m))
  const left: Array<Mismatch> = []
  const toCheck: Array<Mismatch & { readonly field: TicketSql.ChangedField }> = []
  for (const problem of problems) {
    const field = problem.field
    if (field === "CustomFields") {
      left.push(problem)
      continue
    }
    const reported = messages.filter((_, i) => said[i]!.startsWith(`${field} `) && success(said[i]!))
    if (reported.length > 0) {
      const reports = reported.map((m) => m.replace(/^Ticket \d+: /, ""))
      // the value RT names is comparable for the subject and the status (others are shown by name)
      const wanted = field === "Subject" ? change.Subject : field === "Status" ? change.Status : undefined
      const same = field === "Status" ? sameName : sameText
      const made = wanted === undefined || reports.some((m) => {
        const to = m.lastIndexOf(" to '")
        return to >= 0 && m.endsWith("'") && same(m.slice(to + 5, -1), wanted)
      })
      if (!made) left.push({ field, text: `${problem.text} (RT said: ${reported.join(" ")})` })
      continue
    }
    if (unaccounted.length > 0) left.push(problem)
    else toCheck.push({ ...problem, field })
  }
  if (toCheck.length === 0) return conclude(name, left, messages)
  return { _tag: "CheckHistory", fields: toCheck.map((p) => p.field), toCheck, left, name, messages }
}

/**
 * Settles a {@link CheckHistory} with RT's history: the transactions of the fields since the
 * update began. A field no transaction changed was left unchanged by RT: the update is refused.
 *
 * @since 0.1.0
 * @category evidence
 */
export const judgeWithHistory = (check: CheckHistory, history: ReadonlyArray<{ readonly Field?: string | undefined }>): Verdict =>
  conclude(check.name, [...check.left, ...check.toCheck.filter((p) => !history.some((txn) => txn.Field === p.field))], check.messages)

/**
 * When an update began, by RT's clock: its answer's time (`date`, whole seconds) less the time it
 * took, a second earlier still; by ours (`started`, less 10 s) when RT sent no time.
 *
 * @since 0.1.0
 * @category evidence
 */
export const updateBegan = (answer: {
  readonly date: DateTime.Utc | undefined
  readonly started: number
  readonly answered: number
}): DateTime.Utc =>
  DateTime.unsafeMake(
    answer.date === undefined ? answer.started - 10_000 : DateTime.toEpochMillis(answer.date) - (answer.answered - answer.started) - 1_000
  )

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
 * The offset a cursor stands for (none: 0), or `undefined` for a cursor this adapter never gave.
 *
 * @since 0.1.0
 * @category search
 */
export const offsetOf = (cursor: string | undefined): number | undefined =>
  cursor === undefined ? 0 : digits.test(cursor) ? Number(cursor) : undefined

/**
 * The RT page (1-based, of `perPage`) holding an offset, and the offset it starts at: RT
 * addresses pages, not offsets.
 *
 * @since 0.1.0
 * @category search
 */
export const pageAt = (offset: number, perPage: number): { readonly page: number; readonly start: number } => {
  const page = Math.floor(offset / perPage) + 1
  return { page, start: (page - 1) * perPage }
}

/**
 * One RT page seen from an offset: its items from the offset on, the offset after it, RT's total
 * when it gave one, and whether more follow.
 *
 * @since 0.1.0
 * @category models
 */
export interface Slice<A> {
  readonly records: ReadonlyArray<A>
  readonly end: number
  readonly total: number | undefined
  readonly more: boolean
}

/**
 * The part of an RT page (read with {@link pageAt}) from an offset on.
 *
 * @since 0.1.0
 * @category search
 */
export const sliceOf = <A>(result: Client.Collection<A>, offset: number, perPage: number): Slice<A> => {
  const { start } = pageAt(offset, perPage)
  const end = start + result.items.length
  const total = typeof result.total === "number" ? result.total : undefined
  return {
    records: result.items.slice(offset - start),
    end,
    total,
    more: result.items.length > 0 && (total !== undefined ? end < total : result.items.length >= perPage)
  }
}

/**
 * The ids of the tickets whose subject contains the text literally (`%` and `_` as themselves,
 * case-insensitively as RT compares).
 *
 * @since 0.1.0
 * @category search
 */
export const subjectMatches = (records: ReadonlyArray<Client.WithRaw<Client.Ticket>>, text: string): Set<string> =>
  new Set(records.filter((r) => TicketSql.containsLiteral(r.value.Subject, text)).map((r) => r.value.id))

/**
 * Does one of a ticket's text parts contain the text literally (what RT's `Content LIKE` looks at)?
 *
 * @since 0.1.0
 * @category search
 */
export const contentMatches = (attachments: ReadonlyArray<Client.Attachment>, text: string): boolean =>
  attachments.some((a) => TicketSql.containsLiteral(a.Content, text))

/**
 * Where a search for text with `%` or `_` stands: the literal matches kept, the offset in RT's
 * (unfiltered) list to read on from, and whether RT has more.
 *
 * @since 0.1.0
 * @category models
 */
export interface LiteralScan<A> {
  readonly kept: ReadonlyArray<A>
  readonly at: number
  readonly more: boolean
}

/**
 * Folds one RT page (a {@link Slice} read at `scan.at`) into a scan, keeping the records whose
 * id is among `matching`, at most `size` in all. When the page fills, the scan stops after the
 * last ticket kept (the next page starts there).
 *
 * @since 0.1.0
 * @category search
 */
export const literalStep = <A extends Client.WithRaw<Client.Ticket>>(
  scan: LiteralScan<A>,
  slice: Slice<A>,
  matching: ReadonlySet<string>,
  size: number
): LiteralScan<A> => {
  const kept = [...scan.kept]
  let at = Math.max(scan.at, slice.end)
  let more = slice.more
  const records = slice.records
  for (let i = 0; i < records.length; i++) {
    if (!matching.has(records[i]!.value.id)) continue
    kept.push(records[i]!)
    if (kept.length === size) {
      // full: the next page starts after this ticket
      const following = at - records.length + i + 1
      if (following < at) more = true
      at = following
      break
    }
  }
  return { kept, at, more }
}

/**
 * The cursor and total of a page of literal matches read from `offset`: the cursor is the offset
 * in RT's list after the scan; the total is given only when it is exact (this first page holds
 * every match).
 *
 * @since 0.1.0
 * @category search
 */
export const literalPageInfo = (
  scan: LiteralScan<unknown>,
  offset: number
): { readonly total?: number; readonly next?: string } => ({
  ...(offset === 0 && !scan.more ? { total: scan.kept.length } : {}),
  ...(scan.more ? { next: String(scan.at) } : {})
})
