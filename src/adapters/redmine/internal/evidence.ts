/**
 * The evidence of an update to Redmine (re-exported by `RedmineMapping`): Redmine answers `204`
 * also when it silently ignored a value, so what an update applied is judged from the issue read
 * back and its journals. {@link writtenFields} lists the fields a body writes, {@link unapplied}
 * those the issue read back does not hold, and {@link ignoredFields} those no journal since the
 * update began ({@link lastJournalId}) explains as a later change by another writer: the ones
 * Redmine ignored ({@link ignoredReason}). Pure functions over plain data.
 *
 * @internal
 */
import type { Issue, IssueStatus, IssueWrite } from "./schemas.js"
import { normaliseNewlines } from "./text.js"

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
  readonly holds: (issue: Issue) => boolean
  readonly isSent: (recorded: string | null | undefined) => boolean
  /** what is said of it when it was not applied */
  readonly describe: (issue: Issue) => string
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
  body: IssueWrite,
  statuses: ReadonlyArray<IssueStatus>
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
export const unapplied = (fields: ReadonlyArray<WrittenField>, issue: Issue): ReadonlyArray<WrittenField> =>
  fields.filter((field) => !field.holds(issue))

/**
 * The id of the newest journal of an issue (0 when it has none): journals after it were written
 * after the issue was read.
 *
 * @since 0.1.0
 * @category evidence
 */
export const lastJournalId = (issue: Issue): number => (issue.journals ?? []).reduce((max, j) => Math.max(max, j.id), 0)

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
  issue: Issue,
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
export const ignoredReason = (ignored: ReadonlyArray<WrittenField>, issue: Issue): string =>
  `Redmine accepted the update but did not apply: ${ignored.map((field) => field.describe(issue)).join(", ")}. It silently ignores unknown values and ` +
  `changes the API user may not make (missing permission, or a status transition its workflow does not allow)`
