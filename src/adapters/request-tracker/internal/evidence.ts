/**
 * The evidence of an update to Request Tracker (re-exported by `RequestTrackerMapping`): RT
 * answers 200 to a change it partly refused, so whether an update was applied is judged from RT's
 * messages, the ticket read back and, when those cannot tell a refusal from a later write by
 * someone else, RT's history of the fields since the update began ({@link judgeUpdate},
 * {@link judgeWithHistory}, {@link updateBegan}). Pure functions over plain data.
 *
 * @internal
 */
import * as DateTime from "effect/DateTime"
import * as T from "../../../Ticket.js"
import type * as Client from "../RequestTrackerClient.js"
import type * as TicketSql from "../TicketSql.js"

// -----------------------------------------------------------------------------
// messages
// -----------------------------------------------------------------------------

const successMessage = /^(?:Ticket \d+: )?(?:.+ (?:changed from|changed to|set to) |.* (?:added|deleted|removed)\.?$|Added .+ as )/s
const failureMessage =
  /isn't a valid|is not a valid|does not exist|doesn't exist|permission denied|no permission|not allowed|illegal|invalid|could not|couldn't|can't|cannot|failed|must be|required/i
/** an RT id: a whole number */
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

// -----------------------------------------------------------------------------
// mismatches: what the ticket read back does not hold
// -----------------------------------------------------------------------------

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

// -----------------------------------------------------------------------------
// verdicts
// -----------------------------------------------------------------------------

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
