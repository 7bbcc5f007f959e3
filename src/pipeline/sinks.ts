/**
 * Sinks: steps that write and pass their value on unchanged — any {@link sink}, and the writes
 * to the ticket in the source system ({@link update}, {@link note}, {@link updateAndNote}).
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import { dual } from "effect/Function"
import type { NoteInput } from "../Note.js"
import type * as T from "../Ticket.js"
import type { CurrentTicket } from "./journal.js"
import type { Pipeline } from "./model.js"
import { step } from "./steps.js"
import { addNote, updateTicket, type WriteError } from "./writes.js"

/**
 * A sink: `f` does something with what the previous step gave (usually writes, with
 * {@link updateTicket}, {@link addNote}, `createTicket` or `write`); the value is passed on
 * unchanged.
 *
 * @since 0.1.0
 * @category sinks
 */
export const sink: {
  <A, E2, R2>(
    f: (a: A, ticket: T.Ticket) => Effect.Effect<unknown, E2, R2>
  ): <E, R>(self: Pipeline<A, E, R>) => Pipeline<A, E | E2, R | Exclude<R2, CurrentTicket>>
  <A, E, R, E2, R2>(
    self: Pipeline<A, E, R>,
    f: (a: A, ticket: T.Ticket) => Effect.Effect<unknown, E2, R2>
  ): Pipeline<A, E | E2, R | Exclude<R2, CurrentTicket>>
} = dual(2, <A, E, R, E2, R2>(
  self: Pipeline<A, E, R>,
  f: (a: A, ticket: T.Ticket) => Effect.Effect<unknown, E2, R2>
): Pipeline<A, E | E2, R | Exclude<R2, CurrentTicket>> => step(self, (a, ticket) => Effect.as(f(a, ticket), a)))

/**
 * A sink that updates the ticket in the source system with what `f` returns (nothing when it
 * returns `undefined`). Only the fields that differ from the ticket are sent; when none do,
 * nothing is written and the ticket counts as unchanged.
 *
 * @since 0.1.0
 * @category sinks
 */
export const update: {
  <A>(f: (a: A, ticket: T.Ticket) => typeof T.TicketUpdate.Encoded | undefined): <E, R>(self: Pipeline<A, E, R>) => Pipeline<A, E | WriteError, R>
  <A, E, R>(self: Pipeline<A, E, R>, f: (a: A, ticket: T.Ticket) => typeof T.TicketUpdate.Encoded | undefined): Pipeline<A, E | WriteError, R>
} = dual(2, <A, E, R>(
  self: Pipeline<A, E, R>,
  f: (a: A, ticket: T.Ticket) => typeof T.TicketUpdate.Encoded | undefined
): Pipeline<A, E | WriteError, R> =>
  sink(self, (a, ticket) => {
    const change = f(a, ticket)
    return change === undefined ? Effect.void : updateTicket(self.source.tag, ticket, change)
  }) as Pipeline<A, E | WriteError, R>)

/**
 * A sink that adds the note `f` returns (nothing when it returns `undefined`) to the ticket in
 * the source system. A plain string is an internal text note.
 *
 * @since 0.1.0
 * @category sinks
 */
export const note: {
  <A>(f: (a: A, ticket: T.Ticket) => NoteInput | undefined): <E, R>(self: Pipeline<A, E, R>) => Pipeline<A, E | WriteError, R>
  <A, E, R>(self: Pipeline<A, E, R>, f: (a: A, ticket: T.Ticket) => NoteInput | undefined): Pipeline<A, E | WriteError, R>
} = dual(2, <A, E, R>(self: Pipeline<A, E, R>, f: (a: A, ticket: T.Ticket) => NoteInput | undefined): Pipeline<A, E | WriteError, R> =>
  sink(self, (a, ticket) => {
    const body = f(a, ticket)
    return body === undefined ? Effect.void : addNote(self.source.tag, ticket.id, body)
  }) as Pipeline<A, E | WriteError, R>)

/**
 * What {@link updateAndNote} writes to a ticket.
 *
 * @since 0.1.0
 * @category models
 */
export interface UpdateAndNote {
  readonly update?: typeof T.TicketUpdate.Encoded | undefined
  readonly note?: NoteInput | undefined
}

/**
 * A sink that updates the ticket in the source system and then adds a note: two writes, each
 * journaled, so that a run stopped between them does the note only when taken up again.
 *
 * @since 0.1.0
 * @category sinks
 */
export const updateAndNote: {
  <A>(f: (a: A, ticket: T.Ticket) => UpdateAndNote | undefined): <E, R>(self: Pipeline<A, E, R>) => Pipeline<A, E | WriteError, R>
  <A, E, R>(self: Pipeline<A, E, R>, f: (a: A, ticket: T.Ticket) => UpdateAndNote | undefined): Pipeline<A, E | WriteError, R>
} = dual(2, <A, E, R>(self: Pipeline<A, E, R>, f: (a: A, ticket: T.Ticket) => UpdateAndNote | undefined): Pipeline<A, E | WriteError, R> =>
  sink(self, (a, ticket) =>
    Effect.gen(function*() {
      const both = f(a, ticket)
      if (both?.update !== undefined) yield* updateTicket(self.source.tag, ticket, both.update)
      if (both?.note !== undefined) yield* addNote(self.source.tag, ticket.id, both.note)
    })) as Pipeline<A, E | WriteError, R>)
