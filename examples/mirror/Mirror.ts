/**
 * Mirror Request Tracker tickets into Redmine: two systems in one pipeline.
 *
 * For every RT ticket matching the criteria (incrementally: only those changed since the last
 * run), the Redmine issue that mirrors it is created or brought up to date — subject, description,
 * state, priority — and each RT comment or correspondence not yet mirrored is added as a Redmine
 * note (internal → private note, public → public note).
 *
 * It is idempotent without relying on its checkpoint: a mirror is found by the marker at the start
 * of its subject (`[RT #42] Printer on fire`), a mirrored note by its first line
 * (`RT #42 note 317 (internal, by alice, 2026-11-02 08:01 UTC):`), and only the fields that
 * differ are updated. So a second run changes nothing, even with a new checkpoint. The checkpoint
 * adds the rest: the watermark (RT is asked only for tickets changed since), the handled set, and
 * the journal of each ticket's writes (a run stopped between creating the mirror and adding its
 * notes does not create it twice).
 */
import { DateTime, Effect, Option } from "effect"
import type { AdapterError, Checkpoint, Note, SearchCriteria } from "ticketkit"
import { Pipeline, Ticket, TicketSystemAdapter } from "ticketkit"

/** The system tickets are read from. */
export const Rt = TicketSystemAdapter.named("rt")

/** The system the mirrors are kept in. */
export const Redmine = TicketSystemAdapter.named("redmine")

export interface MirrorOptions {
  /** which RT tickets to mirror */
  readonly criteria: SearchCriteria.SearchCriteriaInput
  /** the Redmine project (queue) the mirrors are created in */
  readonly project: Ticket.Ref
  /** the word marking mirrors in subjects and notes (default `RT`); one per RT instance */
  readonly origin?: string
  /** the pipeline's name, i.e. its checkpoint (default `rt-to-redmine`) */
  readonly name?: string
}

/** `[RT #42]`: the start of a mirror's subject. */
export const markerOf = (origin: string, rtId: string) => `[${origin} #${rtId}]`

/** `RT #42 note 317`: the start of a mirrored note. */
export const noteTagOf = (origin: string, rtId: string, noteId: string) => `${origin} #${rtId} note ${noteId}`

const startsWithTag = (text: string, tag: string) => text === tag || text.startsWith(`${tag} `) || text.startsWith(`${tag}\n`)

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text)

const same = (a: string, b: string) => a.replace(/\r\n/g, "\n").trim() === b.replace(/\r\n/g, "\n").trim()

/** Plain text of an HTML note (Redmine notes here are plain text). */
const textOf = (note: Note.Note) =>
  note.contentType === "text/html"
    ? note.body.replace(/<br\s*\/?>/gi, "\n").replace(/<\/p>/gi, "\n\n").replace(/<[^>]*>/g, "")
      .replace(/&nbsp;/g, " ").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, "\"").replace(/&amp;/g, "&").trim()
    : note.body.trim()

const formatTime = (note: Note.Note) =>
  note.createdAt === undefined ? "" : `, ${DateTime.formatIso(note.createdAt).slice(0, 16).replace("T", " ")} UTC`

/** The Redmine issue mirroring an RT ticket, if there is one. */
export const findMirror = (origin: string, project: Ticket.Ref, rtId: string) =>
  Effect.gen(function*() {
    const redmine = yield* Redmine
    const marker = markerOf(origin, rtId)
    const found = yield* redmine.searchTickets(marker, { queues: [project], limit: 20 })
    return Option.fromNullable(found.find((issue) => startsWithTag(issue.title, marker)))
  })

/** What the mirror of an RT ticket should say. */
export const mirrorFieldsOf = (origin: string, ticket: Ticket.Ticket) => ({
  title: clip(`${markerOf(origin, ticket.id)} ${ticket.title}`, 255),
  description: [
    `Mirror of Request Tracker ticket #${ticket.id} (queue ${Ticket.formatRef(ticket.queue)}, ` +
    `requested by ${Ticket.formatRef(ticket.requester)}, status ${ticket.state.name}).`,
    ticket.description.trim()
  ].filter((part) => part !== "").join("\n\n"),
  state: ticket.state.type,
  priority: ticket.priority.level
})

/** Creates or updates the mirror of one RT ticket, and adds the notes it lacks. */
export const mirrorTicket = (options: MirrorOptions, ticket: Ticket.Ticket, notes: ReadonlyArray<Note.Note>) =>
  Effect.gen(function*() {
    const origin = options.origin ?? "RT"
    const redmine = yield* Redmine
    const wanted = mirrorFieldsOf(origin, ticket)
    const existing = yield* findMirror(origin, options.project, ticket.id)
    let mirrorId: string
    let mirrored: ReadonlyArray<Note.Note> = []
    if (Option.isNone(existing)) {
      mirrorId = yield* Pipeline.createTicket(Redmine, { ...wanted, queue: options.project }, {
        key: "create",
        find: findMirror(origin, options.project, ticket.id)
      })
    } else {
      const mirror = existing.value
      mirrorId = mirror.id
      // titles and descriptions compare as the systems store them (line ends, outer blanks)
      yield* Pipeline.updateTicket(Redmine, mirror, {
        ...(same(mirror.title, wanted.title) ? {} : { title: wanted.title }),
        ...(same(mirror.description, wanted.description) ? {} : { description: wanted.description }),
        state: wanted.state,
        priority: wanted.priority
      }, { key: "update" })
      mirrored = yield* redmine.listNotes(mirror.id)
    }
    for (const [index, note] of notes.entries()) {
      const tag = noteTagOf(origin, ticket.id, note.id ?? `#${index + 1}`)
      if (mirrored.some((m) => startsWithTag(m.body, tag))) continue
      const author = note.author === undefined ? "" : `, by ${Ticket.formatRef(note.author)}`
      const text = textOf(note)
      yield* Pipeline.addNote(Redmine, mirrorId, {
        body: `${tag} (${note.visibility}${author}${formatTime(note)}):\n\n${text === "" ? "(no text)" : text}`,
        visibility: note.visibility
      }, { key: `note:${note.id ?? index}` })
    }
  })

/**
 * The mirror pipeline. Its type names both systems it needs:
 * `Pipeline<…, Named<"rt"> | Named<"redmine">>`.
 */
export const mirror = (options: MirrorOptions): Pipeline.Pipeline<
  ReadonlyArray<Note.Note>,
  AdapterError.AdapterError | Checkpoint.CheckpointError,
  TicketSystemAdapter.Named<"rt"> | TicketSystemAdapter.Named<"redmine">
> =>
  Pipeline.make(options.name ?? "rt-to-redmine", Pipeline.incremental(Rt, options.criteria)).pipe(
    Pipeline.step((ticket) => Effect.flatMap(Rt, (rt) => rt.listNotes(ticket.id))),
    Pipeline.sink((notes, ticket) => mirrorTicket(options, ticket, notes))
  )
