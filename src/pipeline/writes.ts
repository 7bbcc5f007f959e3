/**
 * The journaled writes to a ticket system, for sinks: {@link updateTicket} (only the fields that
 * differ, by {@link diffUpdate}), {@link addNote} and {@link createTicket} — each a
 * {@link write} that knows how to tell whether a write left unconfirmed was done.
 *
 * @internal
 */
import * as DateTime from "effect/DateTime"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import type { AdapterError } from "../AdapterError.js"
import type * as Checkpoint from "../Checkpoint.js"
import { isSameNote, type NoteInput } from "../Note.js"
import * as T from "../Ticket.js"
import { CurrentTicket, defaultKey, write } from "./journal.js"
import type { SystemTag } from "./model.js"

/**
 * The errors a write can add: the system's, and the checkpoint's (which stop the run).
 *
 * @since 0.1.0
 * @category models
 */
export type WriteError = AdapterError | Checkpoint.CheckpointError

// -----------------------------------------------------------------------------
// updates
// -----------------------------------------------------------------------------

const sameRef = (wanted: T.Ref, id: string | undefined, name: string) => T.refMatches(wanted, { ...(id === undefined ? {} : { id }), name })

const formatValue = (ref: T.Ref | string) => (typeof ref === "string" ? ref : T.formatRef(ref))

/**
 * The part of an update that would change a ticket, and a description of it
 * (`queue Incoming → Billing`). Values are compared the way systems name them: states and
 * priorities by category or by the system's own name/id, queues and users by reference.
 *
 * @since 0.1.0
 * @category writes
 */
export const diffUpdate = (
  ticket: T.Ticket,
  update: typeof T.TicketUpdate.Encoded
): { readonly update: typeof T.TicketUpdate.Encoded; readonly details: ReadonlyArray<string> } => {
  const out: { -readonly [K in keyof typeof T.TicketUpdate.Encoded]: (typeof T.TicketUpdate.Encoded)[K] } = {}
  const details: Array<string> = []
  const quote = (s: string) => JSON.stringify(s.length > 40 ? `${s.slice(0, 39)}…` : s)
  if (update.title !== undefined && update.title !== ticket.title) {
    out.title = update.title
    details.push(`title ${quote(ticket.title)} → ${quote(update.title)}`)
  }
  if (update.description !== undefined && update.description !== ticket.description) {
    out.description = update.description
    details.push("description")
  }
  if (update.state !== undefined) {
    const same = typeof update.state === "string" ? update.state === ticket.state.type : sameRef(update.state, ticket.state.id, ticket.state.name)
    if (!same) {
      out.state = update.state
      details.push(`state ${ticket.state.name} → ${formatValue(update.state)}`)
    }
  }
  if (update.priority !== undefined) {
    const same = typeof update.priority === "string"
      ? update.priority === ticket.priority.level
      : sameRef(update.priority, ticket.priority.id, ticket.priority.name)
    if (!same) {
      out.priority = update.priority
      details.push(`priority ${ticket.priority.name} → ${formatValue(update.priority)}`)
    }
  }
  if (update.queue !== undefined && !T.refMatches(update.queue, ticket.queue)) {
    out.queue = update.queue
    details.push(`queue ${T.formatRef(ticket.queue)} → ${T.formatRef(update.queue)}`)
  }
  if (update.assignee !== undefined) {
    const current = ticket.assignee
    const wanted = update.assignee
    const same = wanted === null
      ? current === undefined
      : current !== undefined && ((wanted.id !== undefined && wanted.id === current.id) ||
        (wanted.id === undefined && wanted.name !== undefined && wanted.name === current.name) ||
        (wanted.id === undefined && wanted.name === undefined && wanted.email !== undefined && wanted.email === current.email))
    if (!same) {
      out.assignee = wanted
      details.push(`assignee ${T.formatRef(current)} → ${wanted === null ? "-" : T.formatRef(wanted)}`)
    }
  }
  if (update.tags !== undefined && JSON.stringify(update.tags) !== JSON.stringify(ticket.tags)) {
    out.tags = update.tags
    details.push(`tags [${ticket.tags.join(", ")}] → [${update.tags.join(", ")}]`)
  }
  if (update.customFields !== undefined) {
    const changed = Object.entries(update.customFields).filter(([k, v]) => JSON.stringify(ticket.customFields[k] ?? null) !== JSON.stringify(v))
    if (changed.length > 0) {
      out.customFields = Object.fromEntries(changed)
      details.push(...changed.map(([k]) => `custom field ${k}`))
    }
  }
  return { update: out, details }
}

/**
 * Updates a ticket, journaled (see {@link write}). Given the ticket as read (rather than its id),
 * only the fields that differ are sent, and nothing when none do.
 *
 * @since 0.1.0
 * @category writes
 */
export const updateTicket = <I>(
  tag: SystemTag<I>,
  target: T.Ticket | string,
  update: typeof T.TicketUpdate.Encoded,
  options: { readonly key?: string } = {}
): Effect.Effect<void, WriteError, I | CurrentTicket> =>
  Effect.gen(function*() {
    const context = yield* CurrentTicket
    const adapter = yield* tag
    const id = typeof target === "string" ? target : target.id
    const key = options.key ?? defaultKey(context.journal, `update:${adapter.name}:${id}`)
    const diff = typeof target === "string" ? { update, details: [] } : diffUpdate(target, update)
    if (typeof target !== "string" && diff.details.length === 0) return
    yield* write(key, () => adapter.updateTicket(id, diff.update), {
      kind: "update",
      system: adapter.name,
      target: id,
      detail: diff.details.length > 0 ? diff.details.join("; ") : Object.keys(update).join(", "),
      toSource: tag.key === context.sourceKey
    })
  })

// -----------------------------------------------------------------------------
// notes
// -----------------------------------------------------------------------------

const normaliseText = (text: string) => text.replace(/\s+/g, " ").trim()

const preview = (text: string) => {
  const flat = normaliseText(text)
  return JSON.stringify(flat.length > 120 ? `${flat.slice(0, 119)}…` : flat)
}

/**
 * Adds a note, journaled (see {@link write}). A note started and never confirmed is re-sent with
 * the same idempotency key where the system honours keys; otherwise the ticket's notes are read
 * first and it is sent again only when no note with the same body and visibility was added since
 * it was started (less `tolerance` for the clocks' difference, default 5 minutes; a note without
 * a date counts as such a note: in doubt, no second note).
 *
 * @since 0.1.0
 * @category writes
 */
export const addNote = <I>(
  tag: SystemTag<I>,
  target: string,
  note: NoteInput,
  options: { readonly key?: string; readonly tolerance?: Duration.DurationInput } = {}
): Effect.Effect<void, WriteError, I | CurrentTicket> =>
  Effect.gen(function*() {
    const context = yield* CurrentTicket
    const adapter = yield* tag
    const key = options.key ?? defaultKey(context.journal, `note:${adapter.name}:${target}`)
    const draft = typeof note === "string" ? { body: note } : note
    const visibility = draft.visibility ?? "internal"
    const keyed = adapter.capabilities.idempotencyKeys === true
    const tolerance = Duration.toMillis(options.tolerance ?? "5 minutes")
    const same = isSameNote({ body: draft.body, visibility })
    yield* write(key, ({ token }) => adapter.addNote(target, keyed ? { ...draft, idempotencyKey: token } : draft), {
      kind: "note",
      system: adapter.name,
      target,
      detail: `${visibility} ${preview(draft.body)}`,
      toSource: tag.key === context.sourceKey,
      ...(keyed ? {} : {
        recover: (record: Checkpoint.WriteRecord) =>
          adapter.listNotes(target).pipe(
            Effect.map((notes) =>
              notes.some((n) =>
                same(n) && (n.createdAt === undefined || DateTime.toEpochMillis(n.createdAt) >= record.startedAt - tolerance)
              )
                ? Option.some(undefined)
                : Option.none()
            )
          )
      })
    })
  })

// -----------------------------------------------------------------------------
// creations
// -----------------------------------------------------------------------------

/**
 * Creates a ticket, journaled (see {@link write}); gives its id. A creation started and never
 * confirmed is re-sent with the same idempotency key where the system honours keys; otherwise
 * `find` (when given) looks for the ticket first. In a dry run the id is `(new)`.
 *
 * @since 0.1.0
 * @category writes
 */
export const createTicket = <I, E2 = never, R2 = never>(
  tag: SystemTag<I>,
  draft: typeof T.TicketDraft.Encoded,
  options: { readonly key?: string; readonly find?: Effect.Effect<Option.Option<T.Ticket>, E2, R2> } = {}
): Effect.Effect<T.TicketId, WriteError | E2, I | R2 | CurrentTicket> =>
  Effect.gen(function*() {
    const context = yield* CurrentTicket
    const adapter = yield* tag
    const key = options.key ?? defaultKey(context.journal, `create:${adapter.name}`)
    const keyed = adapter.capabilities.idempotencyKeys === true
    const find = options.find
    return yield* write(
      key,
      ({ token }) => Effect.map(adapter.createTicket(keyed ? { ...draft, idempotencyKey: token } : draft), (ticket) => ticket.id),
      {
        kind: "create",
        system: adapter.name,
        target: "(new)",
        detail: `${JSON.stringify(draft.title)} in ${T.formatRef(draft.queue)}`,
        result: T.TicketId,
        dryRun: () => T.ticketId("(new)"),
        toSource: tag.key === context.sourceKey,
        ...(keyed || find === undefined ? {} : { recover: () => Effect.map(find, Option.map((ticket) => ticket.id)) })
      }
    )
  })
