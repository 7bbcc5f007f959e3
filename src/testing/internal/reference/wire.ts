/**
 * The reference API's wire format: tickets and notes as it sends them, the bodies it accepts, and
 * the pure mapping of those bodies onto ticketkit's draft and update (decoded by the handlers).
 *
 * @internal
 */
import * as DateTime from "effect/DateTime"
import * as Schema from "effect/Schema"
import type { Note } from "../../../Note.js"
import type * as T from "../../../Ticket.js"

/**
 * A ticket as the reference API sends it.
 *
 * @since 0.1.0
 * @category wire
 */
export const toWire = (ticket: T.Ticket) => ({
  id: /^\d+$/.test(ticket.id) ? Number(ticket.id) : ticket.id,
  subject: ticket.title,
  body: ticket.description,
  status: ticket.state.name,
  priority_level: ticket.priority.name,
  department_id: ticket.queue.id === undefined ? null : Number(ticket.queue.id),
  department_name: ticket.queue.name ?? null,
  requester: ticket.requester?.email ?? ticket.requester?.name ?? null,
  assignee: ticket.assignee?.name ?? ticket.assignee?.email ?? null,
  tags: ticket.tags,
  custom_fields: ticket.customFields,
  created: DateTime.formatIso(ticket.createdAt),
  modified: DateTime.formatIso(ticket.updatedAt)
})

/**
 * A note as the reference API sends it.
 *
 * @since 0.1.0
 * @category wire
 */
export const noteToWire = (note: Note) => ({
  id: note.id === undefined ? null : Number(note.id),
  content: note.body,
  type: note.visibility,
  content_type: note.contentType,
  author: note.author?.name ?? null,
  created: note.createdAt === undefined ? null : DateTime.formatIso(note.createdAt)
})

/**
 * The body of `POST /api/tickets`.
 *
 * @since 0.1.0
 * @category wire
 */
export const WireDraft = Schema.Struct({
  subject: Schema.String,
  body: Schema.optional(Schema.String),
  status: Schema.optional(Schema.String),
  priority_level: Schema.optional(Schema.String),
  department_id: Schema.optional(Schema.Union(Schema.Number, Schema.String)),
  department_name: Schema.optional(Schema.String),
  requester: Schema.optional(Schema.NullOr(Schema.String)),
  assignee: Schema.optional(Schema.NullOr(Schema.String)),
  tags: Schema.optional(Schema.Array(Schema.String)),
  custom_fields: Schema.optional(Schema.Record({ key: Schema.String, value: Schema.Unknown }))
})

/**
 * The body of `PUT /api/tickets/{id}`: any fields of a draft.
 *
 * @since 0.1.0
 * @category wire
 */
export const WireUpdate = Schema.partial(WireDraft)

/**
 * The body of `POST /api/tickets/{id}/notes`.
 *
 * @since 0.1.0
 * @category wire
 */
export const WireNote = Schema.Struct({
  content: Schema.String,
  type: Schema.optional(Schema.String),
  timestamp: Schema.optional(Schema.String),
  content_type: Schema.optional(Schema.String)
})

/**
 * A user named on the wire: an email when it has an `@`, else a name; none when empty.
 *
 * @since 0.1.0
 * @category mapping
 */
export const userRef = (value: string | null | undefined): T.UserRef | undefined =>
  value === null || value === undefined || value === "" ? undefined : value.includes("@") ? { email: value } : { name: value }

/**
 * The queue named on the wire, by `department_id` (preferred) or `department_name`.
 *
 * @since 0.1.0
 * @category mapping
 */
export const queueRef = (id: number | string | undefined, name: string | undefined): T.Ref | undefined =>
  id !== undefined ? { id: String(id) } : name !== undefined ? { name } : undefined

/**
 * The input of a `TicketDraft` from a create body and its queue.
 *
 * @since 0.1.0
 * @category mapping
 */
export const draftInput = (wire: typeof WireDraft.Type, queue: T.Ref) => {
  const requester = userRef(wire.requester)
  const assignee = userRef(wire.assignee)
  return {
    title: wire.subject,
    description: wire.body ?? "",
    queue,
    ...(wire.status === undefined ? {} : { state: { name: wire.status } }),
    ...(wire.priority_level === undefined ? {} : { priority: { name: wire.priority_level } }),
    ...(requester === undefined ? {} : { requester }),
    ...(assignee === undefined ? {} : { assignee }),
    ...(wire.tags === undefined ? {} : { tags: wire.tags }),
    ...(wire.custom_fields === undefined ? {} : { customFields: wire.custom_fields })
  }
}

/**
 * The input of a `TicketUpdate` from an update body: only the fields it has; an empty assignee
 * unassigns.
 *
 * @since 0.1.0
 * @category mapping
 */
export const updateInput = (wire: typeof WireUpdate.Type) => {
  const queue = queueRef(wire.department_id, wire.department_name)
  return {
    ...(wire.subject === undefined ? {} : { title: wire.subject }),
    ...(wire.body === undefined ? {} : { description: wire.body }),
    ...(wire.status === undefined ? {} : { state: { name: wire.status } }),
    ...(wire.priority_level === undefined ? {} : { priority: { name: wire.priority_level } }),
    ...(queue === undefined ? {} : { queue }),
    ...(wire.assignee === undefined ? {} : { assignee: userRef(wire.assignee) ?? null }),
    ...(wire.tags === undefined ? {} : { tags: wire.tags }),
    ...(wire.custom_fields === undefined ? {} : { customFields: wire.custom_fields })
  }
}
