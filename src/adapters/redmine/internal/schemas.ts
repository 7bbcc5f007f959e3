/**
 * Redmine's JSON (re-exported by `RedmineClient`): what the REST API answers, as Schemas (issues,
 * journals, statuses, priorities, trackers, projects, search hits, the current user, roles), and
 * what an issue write sends ({@link IssueWrite}). Redmine's own vocabulary throughout
 * (`status_id`, `private_notes`, `total_count`). The fields ticketkit reads are checked; an issue
 * keeps every other field as it came.
 *
 * @internal
 */
import * as Schema from "effect/Schema"
import * as T from "../../../Ticket.js"

// -----------------------------------------------------------------------------
// what Redmine answers
// -----------------------------------------------------------------------------

/**
 * A reference as Redmine embeds it in other objects: `{ "id": 1, "name": "Demo" }`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const IdName = Schema.Struct({
  id: Schema.Int,
  name: Schema.optional(Schema.String)
})

/**
 * @since 0.1.0
 * @category models
 */
export type IdName = typeof IdName.Type

/**
 * An issue status (`GET /issue_statuses.json`).
 *
 * @since 0.1.0
 * @category schemas
 */
export const IssueStatus = Schema.Struct({
  id: Schema.Int,
  name: Schema.String,
  is_closed: Schema.optionalWith(Schema.Boolean, { default: () => false })
})

/**
 * @since 0.1.0
 * @category models
 */
export type IssueStatus = typeof IssueStatus.Type

/**
 * An issue priority (`GET /enumerations/issue_priorities.json`).
 *
 * @since 0.1.0
 * @category schemas
 */
export const IssuePriority = Schema.Struct({
  id: Schema.Int,
  name: Schema.String,
  is_default: Schema.optionalWith(Schema.Boolean, { default: () => false }),
  active: Schema.optionalWith(Schema.Boolean, { default: () => true })
})

/**
 * @since 0.1.0
 * @category models
 */
export type IssuePriority = typeof IssuePriority.Type

/**
 * A tracker (`GET /trackers.json`).
 *
 * @since 0.1.0
 * @category schemas
 */
export const Tracker = Schema.Struct({
  id: Schema.Int,
  name: Schema.String,
  default_status: Schema.optional(Schema.NullOr(IdName))
})

/**
 * @since 0.1.0
 * @category models
 */
export type Tracker = typeof Tracker.Type

/**
 * A project (`GET /projects.json`).
 *
 * @since 0.1.0
 * @category schemas
 */
export const Project = Schema.Struct({
  id: Schema.Int,
  name: Schema.String,
  identifier: Schema.String,
  status: Schema.optional(Schema.Int),
  is_public: Schema.optional(Schema.Boolean),
  parent: Schema.optional(IdName)
})

/**
 * @since 0.1.0
 * @category models
 */
export type Project = typeof Project.Type

/**
 * The value of a custom field on an issue: a string, a list of strings (multiple values) or null.
 *
 * @since 0.1.0
 * @category schemas
 */
export const CustomFieldValue = Schema.Struct({
  id: Schema.Int,
  name: Schema.String,
  multiple: Schema.optional(Schema.Boolean),
  value: Schema.optional(Schema.NullOr(Schema.Union(Schema.String, Schema.Array(Schema.String))))
})

/**
 * @since 0.1.0
 * @category models
 */
export type CustomFieldValue = typeof CustomFieldValue.Type

/**
 * A journal entry of an issue: a note and/or attribute changes.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Journal = Schema.Struct({
  id: Schema.Int,
  user: Schema.optional(IdName),
  notes: Schema.optional(Schema.NullOr(Schema.String)),
  created_on: T.DateTimeFromIso,
  private_notes: Schema.optionalWith(Schema.Boolean, { default: () => false }),
  details: Schema.optional(Schema.Array(Schema.Struct({
    property: Schema.String,
    name: Schema.String,
    old_value: Schema.optional(Schema.NullOr(Schema.String)),
    new_value: Schema.optional(Schema.NullOr(Schema.String))
  })))
})

/**
 * @since 0.1.0
 * @category models
 */
export type Journal = typeof Journal.Type

/**
 * An issue. The fields ticketkit reads are checked; every other field Redmine sends (dates,
 * versions, categories, spent time, plugin fields…) is kept as it came.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Issue = Schema.Struct(
  {
    id: Schema.Int,
    project: IdName,
    tracker: IdName,
    status: Schema.Struct({ id: Schema.Int, name: Schema.String, is_closed: Schema.optional(Schema.Boolean) }),
    priority: IdName,
    author: Schema.optional(IdName),
    assigned_to: Schema.optional(IdName),
    subject: Schema.String,
    description: Schema.optional(Schema.NullOr(Schema.String)),
    custom_fields: Schema.optional(Schema.Array(CustomFieldValue)),
    created_on: T.DateTimeFromIso,
    updated_on: T.DateTimeFromIso,
    closed_on: Schema.optional(Schema.NullOr(T.DateTimeFromIso)),
    journals: Schema.optional(Schema.Array(Journal))
  },
  Schema.Record({ key: Schema.String, value: Schema.Unknown })
)

/**
 * @since 0.1.0
 * @category models
 */
export type Issue = typeof Issue.Type

/**
 * A page of issues (`GET /issues.json`).
 *
 * @since 0.1.0
 * @category schemas
 */
export const IssueList = Schema.Struct({
  issues: Schema.Array(Issue),
  total_count: Schema.Int,
  offset: Schema.Int,
  limit: Schema.Int
})

/**
 * @since 0.1.0
 * @category models
 */
export type IssueList = typeof IssueList.Type

/**
 * One hit of a full-text search (`GET /search.json`). For issues `id` is the issue id and
 * `type` is `issue` or `issue-closed`; `datetime` is the issue's creation time.
 *
 * @since 0.1.0
 * @category schemas
 */
export const SearchResult = Schema.Struct({
  id: Schema.Int,
  title: Schema.String,
  type: Schema.String,
  url: Schema.optional(Schema.String),
  description: Schema.optional(Schema.NullOr(Schema.String)),
  datetime: Schema.optional(T.DateTimeFromIso)
})

/**
 * @since 0.1.0
 * @category models
 */
export type SearchResult = typeof SearchResult.Type

/**
 * A page of search results.
 *
 * @since 0.1.0
 * @category schemas
 */
export const SearchResults = Schema.Struct({
  results: Schema.Array(SearchResult),
  total_count: Schema.Int,
  offset: Schema.Int,
  limit: Schema.Int
})

/**
 * @since 0.1.0
 * @category models
 */
export type SearchResults = typeof SearchResults.Type

/**
 * The user the API key belongs to (`GET /users/current.json?include=memberships`). Redmine also
 * sends the user's API key in this answer: the schema leaves it out, so it never reaches a value.
 *
 * @since 0.1.0
 * @category schemas
 */
export const CurrentUser = Schema.Struct({
  id: Schema.Int,
  login: Schema.optional(Schema.String),
  admin: Schema.optionalWith(Schema.Boolean, { default: () => false }),
  firstname: Schema.optional(Schema.String),
  lastname: Schema.optional(Schema.String),
  memberships: Schema.optionalWith(
    Schema.Array(Schema.Struct({
      id: Schema.optional(Schema.Int),
      project: IdName,
      roles: Schema.Array(Schema.Struct({ id: Schema.Int, name: Schema.String, inherited: Schema.optional(Schema.Boolean) }))
    })),
    { default: () => [] }
  )
})

/**
 * @since 0.1.0
 * @category models
 */
export type CurrentUser = typeof CurrentUser.Type

/**
 * A role with its permissions (`GET /roles/{id}.json`).
 *
 * @since 0.1.0
 * @category schemas
 */
export const Role = Schema.Struct({
  id: Schema.Int,
  name: Schema.String,
  permissions: Schema.optionalWith(Schema.Array(Schema.String), { default: () => [] })
})

/**
 * @since 0.1.0
 * @category models
 */
export type Role = typeof Role.Type

// -----------------------------------------------------------------------------
// what an issue write sends
// -----------------------------------------------------------------------------

/**
 * The fields of an issue that can be written (`POST /issues.json`, `PUT /issues/{id}.json`).
 * `assigned_to_id: ""` removes the assignee. A note is added with `notes`; `private_notes: true`
 * makes it visible only to users allowed to see private notes.
 *
 * @since 0.1.0
 * @category models
 */
export interface IssueWrite {
  readonly project_id?: number | string
  readonly tracker_id?: number
  readonly status_id?: number
  readonly priority_id?: number
  readonly subject?: string
  readonly description?: string
  readonly assigned_to_id?: number | ""
  readonly custom_fields?: ReadonlyArray<{ readonly id: number; readonly value: string | ReadonlyArray<string> | null }>
  readonly notes?: string
  readonly private_notes?: boolean
}
