/**
 * Redmine ↔ the normal form, as pure functions over plain data: no HTTP, no `Effect`.
 *
 * - **Reading**: {@link toTicket} (an issue and the reference data read when the adapter started →
 *   `Ticket`), {@link toNotes} (journals → notes), {@link toPage} (a page of issues).
 * - **States and priorities**: {@link stateTypeOf} / {@link priorityLevelOf} and the `states` /
 *   `priorities` overrides; {@link stateMap} / {@link priorityMap} (remote id ↔ normal value, the
 *   one written first); {@link lookups} checks the {@link Options} against Redmine's own lists.
 *   Declared, with the options, in `internal/lookups.ts`.
 * - **Writing**: {@link createBody} / {@link updateBody} (`IssueWrite` from a draft or an update),
 *   {@link customFieldWrites}, {@link assigneeId}.
 * - **Evidence**: Redmine answers `204` also when it ignored a value; {@link writtenFields},
 *   {@link unapplied} and {@link ignoredFields} tell, from the issue read back and its journals,
 *   what was applied (and maybe changed again by another writer) from what Redmine ignored.
 *   Declared in `internal/evidence.ts`.
 * - **Searching**: {@link issueQuery} (list filters from `SearchCriteria`), {@link hitIssueIds} and
 *   {@link inHitOrder} (full-text search hits).
 *
 * Functions that can refuse an input return an `Either` whose left side is the message; the
 * driver turns it into the error of the family that fits.
 *
 * @since 0.1.0
 */
import * as Either from "effect/Either"
import { setOwn } from "../../internal/record.js"
import { Note } from "../../Note.js"
import type { Page, SearchCriteria } from "../../SearchCriteria.js"
import * as T from "../../Ticket.js"
import type { Lookups } from "./internal/lookups.js"
import { priorityLevelOf, priorityMap, stateMap, stateTypeOf } from "./internal/lookups.js"
import { normaliseNewlines } from "./internal/text.js"
import type * as RedmineClient from "./RedmineClient.js"

/**
 * Options, states and priorities, reference data (declared in `internal/lookups.ts`).
 *
 * @since 0.1.0
 * @category lookups
 */
export * from "./internal/lookups.js"

/**
 * Reading: `normaliseNewlines` (declared in `internal/text.ts`).
 *
 * @since 0.1.0
 * @category reading
 */
export * from "./internal/text.js"

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

/**
 * Evidence: what Redmine did with an update (declared in `internal/evidence.ts`).
 *
 * @since 0.1.0
 * @category evidence
 */
export * from "./internal/evidence.js"

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
