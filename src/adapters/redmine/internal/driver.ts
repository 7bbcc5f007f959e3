/**
 * The Redmine driver: joins the client ({@link RedmineClient}) and the mapping
 * ({@link RedmineMapping}) into a `TicketSystemAdapter.Driver`. Each operation is a module-level
 * function of the {@link Context} made when the adapter starts; the requests it makes and the
 * errors it raises are named after the port operation being served.
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import * as Ref from "effect/Ref"
import type { AdapterError, ConfigurationError } from "../../../AdapterError.js"
import type { Note, NoteDraft } from "../../../Note.js"
import type { Page, SearchCriteria } from "../../../SearchCriteria.js"
import type * as T from "../../../Ticket.js"
import type * as TicketSystemAdapter from "../../../TicketSystemAdapter.js"
import * as RedmineClient from "../RedmineClient.js"
import * as RedmineMapping from "../RedmineMapping.js"
import type { Context } from "./context.js"
import * as C from "./context.js"

const ticketOf = (ctx: Context) => (issue: RedmineClient.Issue): T.Ticket => RedmineMapping.toTicket(issue, ctx.lookups)

const offsetOf = (ctx: Context, cursor: string | undefined) => {
  const offset = RedmineMapping.offsetOf(cursor)
  return offset === undefined ? C.invalid(ctx, `invalid cursor ${JSON.stringify(cursor)}`) : Effect.succeed(offset)
}

/** the list filters of criteria; `undefined` when no issue can match */
const filterOf = (ctx: Context, criteria: SearchCriteria, withText: boolean) =>
  Effect.gen(function*() {
    let projectIds = ctx.lookups.scope === undefined ? undefined : Array.from(ctx.lookups.scope)
    if (criteria.queues !== undefined) {
      const ids = new Set<number>()
      for (const ref of criteria.queues) ids.add((yield* C.projectOf(ctx, ref)).id)
      projectIds = Array.from(ids)
    }
    const statuses = yield* ctx.statuses.current
    return RedmineMapping.issueQuery(criteria, { projectIds, statuses, lookups: ctx.lookups, withText })
  })

const fetchPage = (ctx: Context) => (criteria: SearchCriteria, page: TicketSystemAdapter.PageRequest): Effect.Effect<Page<T.Ticket>, AdapterError> =>
  Effect.gen(function*() {
    const offset = yield* offsetOf(ctx, page.cursor)
    const filter = yield* filterOf(ctx, criteria, true)
    if (filter === undefined) return { items: [], total: 0 }
    const list = yield* ctx.client.listIssues({ ...filter, offset, limit: page.pageSize })
    return RedmineMapping.toPage(list, offset, ctx.lookups)
  })

/** full text: each page of hits read as issues with the other criteria applied */
const searchPage = (ctx: Context) =>
(query: string, criteria: SearchCriteria, page: TicketSystemAdapter.PageRequest): Effect.Effect<Page<T.Ticket>, AdapterError> =>
  Effect.gen(function*() {
    let offset = yield* offsetOf(ctx, page.cursor)
    const filter = yield* filterOf(ctx, criteria, false)
    if (filter === undefined) return { items: [], total: 0 }
    const project = filter.projectIds !== undefined && filter.projectIds.length === 1 ? filter.projectIds[0] : undefined
    const filtered = criteria.states !== undefined || criteria.priorities !== undefined || criteria.updatedSince !== undefined ||
      (filter.projectIds !== undefined && project === undefined)
    // a page whose hits are all filtered out is skipped: an empty page would end the stream
    for (;;) {
      const hits = yield* ctx.client.search({ q: query, ...(project === undefined ? {} : { project }), offset, limit: page.pageSize })
      const end = offset + hits.results.length
      const more = hits.results.length > 0 && end < hits.total_count
      const ids = RedmineMapping.hitIssueIds(hits.results)
      const issues = ids.length === 0
        ? []
        : (yield* ctx.client.listIssues({ ...filter, issueIds: ids, offset: 0, limit: RedmineClient.MAX_LIMIT })).issues
      const items = RedmineMapping.inHitOrder(ids, issues).map(ticketOf(ctx))
      if (items.length > 0 || !more) return { items, ...(filtered ? {} : { total: hits.total_count }), ...(more ? { next: String(end) } : {}) }
      offset = end
    }
  })

/** one issue of the adapter's projects; any other id is not found, without a request */
const getIssue = (ctx: Context, id: T.TicketId, journals = false) =>
  Effect.gen(function*() {
    const n = RedmineMapping.issueNumber(id)
    if (n === undefined) return yield* C.notFound(ctx, id)
    const issue = yield* ctx.client.getIssue(n, { journals })
    const { scope } = ctx.lookups
    return scope === undefined || scope.has(issue.project.id) ? issue : yield* C.notFound(ctx, String(issue.id))
  })

/**
 * Sends an update and checks what Redmine made of it (it answers 204 also when it ignored a
 * value): the issue read back, and when a field differs its journals since `since` (see
 * {@link RedmineMapping.ignoredFields}). Fails with `RequestRejectedError` naming what was ignored.
 */
const applyAndVerify = (ctx: Context, id: number, body: RedmineClient.IssueWrite, since: number) =>
  Effect.gen(function*() {
    yield* ctx.client.updateIssue(id, body)
    const after = yield* ctx.client.getIssue(id)
    const missing = RedmineMapping.unapplied(RedmineMapping.writtenFields(body, ctx.lookups.statuses), after)
    if (missing.length === 0) return after
    const read = yield* ctx.client.getIssue(id, { journals: true })
    const ignored = RedmineMapping.ignoredFields(missing, read, since)
    return ignored.length === 0 ? after : yield* C.rejected(ctx, RedmineMapping.ignoredReason(ignored, read), String(id))
  })

const customFieldsOf = (ctx: Context, wanted: T.TicketUpdate["customFields"], issue: RedmineClient.Issue) =>
  wanted === undefined || Object.keys(wanted).length === 0
    ? Effect.succeed(undefined)
    : C.orFail(RedmineMapping.customFieldWrites(wanted, issue), (reason) => C.rejected(ctx, reason, String(issue.id)))

const createTicket = (ctx: Context) => (draft: T.TicketDraft): Effect.Effect<T.Ticket, AdapterError> =>
  Effect.gen(function*() {
    if (draft.requester !== undefined) {
      return yield* C.invalid(ctx, "Redmine makes the API key's user the author of an issue: the requester cannot be set")
    }
    yield* C.checkTags(ctx, draft.tags)
    const project = yield* C.projectOf(ctx, draft.queue)
    const priorityId = draft.priority === undefined ? undefined : yield* C.priorityIdOf(ctx, draft.priority)
    const statusId = draft.state === undefined ? undefined : yield* C.statusIdOf(ctx, draft.state)
    const assignee = draft.assignee === undefined ? undefined : yield* C.assigneeOf(ctx, draft.assignee)
    const created = yield* ctx.client.createIssue(RedmineMapping.createBody(draft, {
      project_id: project.id,
      ...(priorityId === undefined ? {} : { priority_id: priorityId }),
      ...(assignee === undefined ? {} : { assigned_to_id: assignee })
    }, ctx.lookups.trackerId))
    // a new issue starts in its tracker's default status, and custom fields are addressed by the
    // ids it shows: both are set by an update
    const follow = RedmineMapping.followUpBody(created, statusId, yield* customFieldsOf(ctx, draft.customFields, created))
    if (Object.keys(follow).length === 0) return ticketOf(ctx)(created)
    return ticketOf(ctx)(yield* applyAndVerify(ctx, created.id, follow, 0))
  })

const updateTicket = (ctx: Context) => (ticketId: T.TicketId, update: T.TicketUpdate): Effect.Effect<T.Ticket, AdapterError> =>
  Effect.gen(function*() {
    const id = RedmineMapping.issueNumber(ticketId)
    if (id === undefined) return yield* C.notFound(ctx, ticketId)
    yield* C.checkTags(ctx, update.tags)
    const resolved: RedmineMapping.Resolved = {
      ...(update.state === undefined ? {} : { status_id: yield* C.statusIdOf(ctx, update.state, ticketId) }),
      ...(update.priority === undefined ? {} : { priority_id: yield* C.priorityIdOf(ctx, update.priority, ticketId) }),
      ...(update.queue === undefined ? {} : { project_id: (yield* C.projectOf(ctx, update.queue)).id }),
      ...(update.assignee === undefined ? {} : { assigned_to_id: yield* C.assigneeOf(ctx, update.assignee) })
    }
    // read first, with its journals: for the project restriction, the custom field ids, and to
    // tell the journals written after it
    const before = yield* getIssue(ctx, ticketId, true)
    const body = RedmineMapping.updateBody(update, resolved, yield* customFieldsOf(ctx, update.customFields, before))
    if (Object.keys(body).length === 0) {
      const { journals: _journals, ...issue } = before
      return ticketOf(ctx)(issue)
    }
    return ticketOf(ctx)(yield* applyAndVerify(ctx, id, body, RedmineMapping.lastJournalId(before)))
  })

/** may the API user mark notes private in the project? `undefined` when it is not a member */
const mayMarkPrivate = (ctx: Context, projectId: number) =>
  Effect.gen(function*() {
    const user = (yield* Ref.get(ctx.currentUser)) ?? (yield* Effect.tap(ctx.client.currentUser(), (u) => Ref.set(ctx.currentUser, u)))
    if (user.admin) return true
    const membership = user.memberships.find((m) => m.project.id === projectId)
    if (membership === undefined) return undefined
    for (const { id } of membership.roles) {
      const role = (yield* Ref.get(ctx.roles)).get(id) ??
        (yield* Effect.tap(ctx.client.role(id), (r) => Ref.update(ctx.roles, (m) => new Map(m).set(id, r))))
      if (role.permissions.includes("set_notes_private")) return true
    }
    return false
  })

const addNote = (ctx: Context) => (ticketId: T.TicketId, note: NoteDraft): Effect.Effect<void, AdapterError> =>
  Effect.gen(function*() {
    const id = RedmineMapping.issueNumber(ticketId)
    if (id === undefined) return yield* C.notFound(ctx, ticketId)
    const internal = note.visibility === "internal"
    const checkPrivate = internal && ctx.options.checkPrivateNotes
    if (checkPrivate || ctx.lookups.scope !== undefined) {
      const issue = yield* getIssue(ctx, ticketId)
      const allowed = checkPrivate ? yield* mayMarkPrivate(ctx, issue.project.id) : true
      if (allowed !== true) return yield* C.rejected(ctx, RedmineMapping.privateNoteRefusal(issue.project, allowed), ticketId)
    }
    yield* ctx.client.updateIssue(id, { notes: note.body, private_notes: internal })
  })

const listNotes = (ctx: Context) => (ticketId: T.TicketId): Effect.Effect<ReadonlyArray<Note>, AdapterError> =>
  Effect.map(getIssue(ctx, ticketId, true), (issue) => RedmineMapping.toNotes(issue.journals ?? []))

/**
 * The driver on a client: reads Redmine's reference data once, checks the options against it
 * (`ConfigurationError`), and gives the port its functions.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  client: RedmineClient.Service,
  options: RedmineMapping.Options
): Effect.Effect<TicketSystemAdapter.Driver, AdapterError | ConfigurationError> =>
  Effect.map(C.connect(client, options), (ctx): TicketSystemAdapter.Driver => ({
    name: ctx.name,
    kind: "redmine",
    scrubber: client.transport.scrubber,
    capabilities: {
      createTickets: true,
      publicNotes: true,
      internalNotes: true,
      htmlNotes: false,
      textSearch: true,
      tags: false,
      maxPageSize: RedmineClient.MAX_LIMIT,
      states: RedmineMapping.writableStates(ctx.lookups)
    },
    fetchPage: fetchPage(ctx),
    ...(options.textSearch === "full-text" ? { searchPage: searchPage(ctx) } : {}),
    getTicket: (id) => Effect.map(getIssue(ctx, id), ticketOf(ctx)),
    createTicket: createTicket(ctx),
    updateTicket: updateTicket(ctx),
    addNote: addNote(ctx),
    listNotes: listNotes(ctx)
  }))
