/**
 * Notes on a ticket: internal (seen by agents only) or public (seen by the requester).
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import { DateTimeFromIso, UserRef } from "./Ticket.js"

/**
 * Who may see a note.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Visibility = Schema.Literal("internal", "public")

/**
 * @since 0.1.0
 * @category models
 */
export type Visibility = typeof Visibility.Type

/**
 * The format of a note's body.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ContentType = Schema.Literal("text/plain", "text/html")

/**
 * @since 0.1.0
 * @category models
 */
export type ContentType = typeof ContentType.Type

/**
 * A note as read back from a system.
 *
 * @since 0.1.0
 * @category models
 */
export class Note extends Schema.Class<Note>("ticketkit/Note")({
  id: Schema.optional(Schema.String),
  body: Schema.String,
  visibility: Visibility,
  contentType: ContentType,
  author: Schema.optional(UserRef),
  createdAt: Schema.optional(DateTimeFromIso)
}) {}

/**
 * A note to add. Visibility defaults to `internal` (the safe choice: an automation's remark is
 * never shown to a customer unless asked for), the content type to `text/plain`.
 *
 * @since 0.1.0
 * @category models
 */
export class NoteDraft extends Schema.Class<NoteDraft>("ticketkit/NoteDraft")({
  body: Schema.String.pipe(Schema.nonEmptyString({ message: () => "a note needs a non-empty body" })),
  visibility: Schema.optionalWith(Visibility, { default: () => "internal" as const }),
  contentType: Schema.optionalWith(ContentType, { default: () => "text/plain" as const }),
  /**
   * makes the request repeatable where the system honours idempotency keys: the same key is
   * applied once (set by `Retry.apply`; rarely by hand)
   */
  idempotencyKey: Schema.optional(Schema.String.pipe(Schema.minLength(8), Schema.maxLength(255)))
}) {}

/**
 * The input form of a {@link NoteDraft}: a plain object, or just the body.
 *
 * @since 0.1.0
 * @category models
 */
export type NoteInput = string | typeof NoteDraft.Encoded

const normalise = (text: string) => text.replace(/\s+/g, " ").trim()

/**
 * Whether a stored note is the note `draft` would add, as systems keep notes: the same
 * visibility and the same text, whitespace runs counted as one space (systems re-wrap and trim
 * bodies). Used to tell whether a note whose answer was lost was stored.
 *
 * @since 0.1.0
 * @category predicates
 */
export const isSameNote = (draft: { readonly body: string; readonly visibility: Visibility }) => {
  const body = normalise(draft.body)
  return (note: Note): boolean => note.visibility === draft.visibility && normalise(note.body) === body
}
