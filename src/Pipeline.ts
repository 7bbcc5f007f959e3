/**
 * Typed pipelines over ticket systems: a **source** of tickets, **steps** that work on each
 * ticket, **sinks** that write, run with bounded concurrency, a per-ticket failure policy, a
 * dry-run mode and a summary — and a {@link Checkpoint} so that a run stopped halfway is taken up
 * again without skipping or repeating work.
 *
 * ```ts
 * const Helpdesk = TicketSystemAdapter.TicketSystemAdapter
 *
 * const triage = Pipeline.make("triage", Pipeline.source(Helpdesk, { queues: [{ name: "Incoming" }], states: ["new"] })).pipe(
 *   Pipeline.step((ticket) => Effect.flatMap(Classifier, (c) => c.classify(ticket))),   // Ticket → Effect
 *   Pipeline.updateAndNote((c) => ({
 *     update: { queue: { name: c.queue }, priority: c.priority },
 *     note: `Triage: ${c.reason}.`
 *   }))
 * )
 * // Pipeline<Classification, AdapterError | CheckpointError, TicketSystemAdapter | Classifier>
 *
 * const summary = yield* Pipeline.run(triage, { concurrency: 4, onFailure: Pipeline.retryFailed(Schedule.recurs(2)) })
 * ```
 *
 * The type of a pipeline says what it needs: the systems it reads and writes (by their tags —
 * `TicketSystemAdapter.named("rt")` gives `Named<"rt">`) and the services its steps use. Running
 * it also needs a {@link Checkpoint.Checkpoint}.
 *
 * ## How a run goes
 *
 * 1. Tickets a previous run left half-done (writes started, ticket not marked handled) are read
 *    again by id and finished first — even when they no longer match the source's criteria (the
 *    update that moved a ticket out of the queue was done, the note was not).
 * 2. The source's tickets are read as a `Stream` (an incremental source asks only for tickets
 *    changed since the watermark, less an overlap). A ticket already handled at its current
 *    version (`updatedAt`) is skipped ("already handled").
 * 3. Each ticket goes through the steps and sinks, at most `concurrency` at a time. Every write
 *    is journaled in the checkpoint — started, then done — under a key, so that an attempt after a
 *    crash or a failure does only what is not done yet. A write whose outcome is unknown (started,
 *    never confirmed: a lost answer, a crash) is re-sent with the same idempotency key where the
 *    system honours keys, and otherwise checked first (a note is looked for among the ticket's
 *    notes; a created ticket with the `find` given).
 * 4. A ticket that went through is marked handled at its version (read again after the pipeline's
 *    own writes to the source system, so that those do not make it look changed). A failed ticket
 *    is handled by the failure policy: skipped and reported (the default), retried with a
 *    `Schedule`, or the run stops.
 * 5. At the end of a run that was not stopped, an incremental source's watermark moves to the
 *    newest `updatedAt` read — but never past a ticket that failed.
 *
 * Changes are told by `updatedAt`: on a system that keeps whole seconds, a change made within the
 * second of the version a run recorded shows only with the ticket's next change.
 *
 * Interrupting a run lets the tickets in flight finish (`interrupt: "finish"`, the default) or
 * abandons them (`"abandon"`: their journal says what is left); nothing is lost either way.
 *
 * In a **dry run** steps run (and read), writes do not: each is recorded as a {@link Change}
 * (`applied: false`) and the checkpoint is not changed, so the summary shows what a real run would
 * do now.
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import * as Data from "effect/Data"
import * as DateTime from "effect/DateTime"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import { dual } from "effect/Function"
import * as Option from "effect/Option"
import { type Pipeable, pipeArguments } from "effect/Pipeable"
import * as Predicate from "effect/Predicate"
import type * as Schedule from "effect/Schedule"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import { randomUUID } from "node:crypto"
import type { AdapterError } from "./AdapterError.js"
import * as Checkpoint from "./Checkpoint.js"
import { isSameNote, type NoteInput } from "./Note.js"
import type { SearchCriteriaInput } from "./SearchCriteria.js"
import * as T from "./Ticket.js"
import { withSpanEndingEmpty } from "./internal/span.js"
import type * as TicketSystemAdapter from "./TicketSystemAdapter.js"

// -----------------------------------------------------------------------------
// sources
// -----------------------------------------------------------------------------

/**
 * The tag of a ticket system: `TicketSystemAdapter.TicketSystemAdapter`, or a named one
 * (`TicketSystemAdapter.named("rt")`).
 *
 * @since 0.1.0
 * @category models
 */
export type SystemTag<I> = Context.Tag<I, TicketSystemAdapter.Service>

/**
 * Where a pipeline's tickets come from.
 *
 * @since 0.1.0
 * @category models
 */
export interface Source<I> {
  /** the system read */
  readonly tag: SystemTag<I>
  /** which tickets */
  readonly criteria: SearchCriteriaInput
  /** read only the tickets changed since the last run's watermark */
  readonly incremental: boolean
  /** how far before the watermark an incremental source reads again */
  readonly overlap: Duration.Duration
  /** read the whole list before handling any ticket */
  readonly snapshot: boolean
}

/**
 * Options of {@link source}.
 *
 * @since 0.1.0
 * @category models
 */
export interface SourceOptions {
  /**
   * read only the tickets changed since the watermark of the last run (`updatedSince`); default
   * false: every matching ticket, every run (those handled at their current version are skipped)
   */
  readonly incremental?: boolean
  /**
   * an incremental source reads from the watermark less this (default 1 minute): a ticket
   * changed while the last run was reading, or whose system rounds times, is not missed; tickets
   * read again are skipped as already handled
   */
  readonly overlap?: Duration.DurationInput
  /**
   * read the whole list first, then handle the tickets (default false: handle them while the
   * pages are read). Needed when the pipeline's writes move tickets out of the criteria: paging
   * by offset over a list that shrinks underneath skips tickets. Also gives progress a total.
   */
  readonly snapshot?: boolean
}

/**
 * The tickets of a system matching criteria.
 *
 * @since 0.1.0
 * @category sources
 */
export const source = <I>(tag: SystemTag<I>, criteria: SearchCriteriaInput = {}, options: SourceOptions = {}): Source<I> => ({
  tag,
  criteria,
  incremental: options.incremental === true,
  overlap: Duration.decode(options.overlap ?? "1 minute"),
  snapshot: options.snapshot === true
})

/**
 * The tickets of a system matching criteria and changed since the last run (a {@link source}
 * with `incremental: true`).
 *
 * @since 0.1.0
 * @category sources
 */
export const incremental = <I>(
  tag: SystemTag<I>,
  criteria: SearchCriteriaInput = {},
  options: Omit<SourceOptions, "incremental"> = {}
): Source<I> => source(tag, criteria, { ...options, incremental: true })

// -----------------------------------------------------------------------------
// pipelines
// -----------------------------------------------------------------------------

/**
 * @since 0.1.0
 * @category type ids
 */
export const TypeId: unique symbol = Symbol.for("ticketkit/Pipeline")

/**
 * @since 0.1.0
 * @category type ids
 */
export type TypeId = typeof TypeId

/**
 * A pipeline: a named source and what to do with each of its tickets. `A` is what the last step
 * gave, `E` how a ticket can fail, `R` what the pipeline needs (systems and services).
 *
 * @since 0.1.0
 * @category models
 */
export interface Pipeline<out A, out E = never, out R = never> extends Pipeable {
  readonly [TypeId]: TypeId
  /** the name its checkpoint is kept under: two pipelines with the same name share one */
  readonly name: string
  readonly source: Source<unknown>
  /** the work on one ticket (steps and sinks) */
  readonly process: (ticket: T.Ticket) => Effect.Effect<A, E, R>
}

class PipelineImpl<A, E, R> implements Pipeline<A, E, R> {
  readonly [TypeId]: TypeId = TypeId
  constructor(
    readonly name: string,
    readonly source: Source<unknown>,
    readonly process: (ticket: T.Ticket) => Effect.Effect<A, E, R>
  ) {}
  pipe() {
    // eslint-disable-next-line prefer-rest-params
    return pipeArguments(this, arguments)
  }
}

/**
 * Is this a pipeline?
 *
 * @since 0.1.0
 * @category guards
 */
export const isPipeline = (u: unknown): u is Pipeline<unknown, unknown, unknown> => Predicate.hasProperty(u, TypeId)

/**
 * A pipeline that reads a source and does nothing yet: add steps and sinks.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = <I>(name: string, source: Source<I>): Pipeline<T.Ticket, never, I> =>
  new PipelineImpl(name, source as Source<unknown>, Effect.succeed)

/**
 * A step: `f` receives what the previous step gave (the ticket, first) and the ticket, and
 * returns an Effect — a classifier, a lookup in another system, anything. Its requirements and
 * errors become the pipeline's (but {@link CurrentTicket}, which the run provides). Fail with
 * {@link skip} to leave a ticket alone, with a reason.
 *
 * @since 0.1.0
 * @category steps
 */
export const step: {
  <A, B, E2, R2>(
    f: (a: A, ticket: T.Ticket) => Effect.Effect<B, E2, R2>
  ): <E, R>(self: Pipeline<A, E, R>) => Pipeline<B, E | E2, R | Exclude<R2, CurrentTicket>>
  <A, E, R, B, E2, R2>(
    self: Pipeline<A, E, R>,
    f: (a: A, ticket: T.Ticket) => Effect.Effect<B, E2, R2>
  ): Pipeline<B, E | E2, R | Exclude<R2, CurrentTicket>>
} = dual(2, <A, E, R, B, E2, R2>(
  self: Pipeline<A, E, R>,
  f: (a: A, ticket: T.Ticket) => Effect.Effect<B, E2, R2>
): Pipeline<B, E | E2, R | Exclude<R2, CurrentTicket>> =>
  new PipelineImpl(
    self.name,
    self.source,
    (ticket) => Effect.flatMap(self.process(ticket), (a) => f(a, ticket)) as Effect.Effect<B, E | E2, R | Exclude<R2, CurrentTicket>>
  ))

/**
 * A pure step.
 *
 * @since 0.1.0
 * @category steps
 */
export const map: {
  <A, B>(f: (a: A, ticket: T.Ticket) => B): <E, R>(self: Pipeline<A, E, R>) => Pipeline<B, E, R>
  <A, E, R, B>(self: Pipeline<A, E, R>, f: (a: A, ticket: T.Ticket) => B): Pipeline<B, E, R>
} = dual(2, <A, E, R, B>(self: Pipeline<A, E, R>, f: (a: A, ticket: T.Ticket) => B): Pipeline<B, E, R> =>
  step(self, (a, ticket) => Effect.succeed(f(a, ticket))))

/**
 * Leaves alone (skips, with the reason in the summary) the tickets for which `predicate` is
 * false. A skipped ticket counts as handled at its version.
 *
 * @since 0.1.0
 * @category steps
 */
export const filter: {
  <A>(predicate: (a: A, ticket: T.Ticket) => boolean, reason: string): <E, R>(self: Pipeline<A, E, R>) => Pipeline<A, E | Skipped, R>
  <A, E, R>(self: Pipeline<A, E, R>, predicate: (a: A, ticket: T.Ticket) => boolean, reason: string): Pipeline<A, E | Skipped, R>
} = dual(3, <A, E, R>(self: Pipeline<A, E, R>, predicate: (a: A, ticket: T.Ticket) => boolean, reason: string): Pipeline<A, E | Skipped, R> =>
  step(self, (a, ticket) => (predicate(a, ticket) ? Effect.succeed(a) : skip(reason))))

/**
 * A sink: `f` does something with what the previous step gave (usually writes, with
 * {@link updateTicket}, {@link addNote}, {@link createTicket} or {@link write}); the value is
 * passed on unchanged.
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
 * The errors a write can add: the system's, and the checkpoint's (which stop the run).
 *
 * @since 0.1.0
 * @category models
 */
export type WriteError = AdapterError | Checkpoint.CheckpointError

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

// -----------------------------------------------------------------------------
// skipping
// -----------------------------------------------------------------------------

/**
 * A step's decision to leave a ticket alone (not a failure). See {@link skip}.
 *
 * @since 0.1.0
 * @category errors
 */
export class Skipped extends Data.TaggedError("Skipped")<{ readonly reason: string }> {}

/**
 * Leaves the current ticket alone, with a reason for the summary. The ticket counts as handled
 * at its version: it is looked at again when it changes.
 *
 * @since 0.1.0
 * @category steps
 */
export const skip = (reason: string): Effect.Effect<never, Skipped> => Effect.fail(new Skipped({ reason }))

// -----------------------------------------------------------------------------
// writes
// -----------------------------------------------------------------------------

/**
 * One write a pipeline made (or, in a dry run, would make).
 *
 * @since 0.1.0
 * @category models
 */
export interface Change {
  /** the source ticket being handled */
  readonly ticketId: string
  /** the system written to (its configured name) */
  readonly system: string
  /** the ticket written to (`(new)` for a ticket a dry run would create) */
  readonly target: string
  readonly kind: "create" | "update" | "note" | "write"
  /** what changes: `queue Incoming → Billing; priority normal → urgent`, a note's first words… */
  readonly detail: string
  /** false in a dry run */
  readonly applied: boolean
}

/**
 * One line for a change: `ticket 12: update helpdesk #12: queue Incoming → Billing`.
 *
 * @since 0.1.0
 * @category formatting
 */
export const formatChange = (change: Change): string => {
  const where = change.kind === "create" ? `${change.system}` : `${change.system} #${change.target}`
  return `ticket ${change.ticketId}: ${change.kind} ${where}: ${change.detail}`
}

/**
 * The journal of the ticket being handled: its write records (from the checkpoint) and the
 * changes made in this run. Used by {@link write}.
 *
 * @since 0.1.0
 * @category models
 */
export interface Journal {
  readonly records: Map<string, Checkpoint.WriteRecord>
  readonly changes: Array<Change>
  /** writes found done by an earlier attempt (through a record or a recovery check) */
  recovered: number
  /** a write went to the source system (the ticket's version is read again at the end) */
  wroteToSource: boolean
  /** calls per default key prefix in this attempt */
  readonly counters: Map<string, number>
}

/**
 * The ticket being handled, given to steps and sinks by {@link run}.
 *
 * @since 0.1.0
 * @category models
 */
export interface TicketContext {
  readonly pipeline: string
  readonly ticket: T.Ticket
  readonly dryRun: boolean
  /** the key of the source system's tag */
  readonly sourceKey: string
  readonly checkpoint: Checkpoint.Service
  readonly journal: Journal
}

/**
 * The tag of the ticket being handled. {@link run} provides it; a pipeline's type never shows it.
 *
 * @since 0.1.0
 * @category tags
 */
export class CurrentTicket extends Context.Tag("ticketkit/Pipeline/CurrentTicket")<CurrentTicket, TicketContext>() {}

/**
 * Options of {@link write}.
 *
 * @since 0.1.0
 * @category models
 */
export interface WriteOptions<A, E2, R2> {
  readonly kind?: Change["kind"]
  /** the system written to (its configured name) */
  readonly system: string
  /** the ticket written to */
  readonly target: string
  /** what changes, for the summary and the dry run */
  readonly detail: string
  /** the write goes to the source system (the ticket's version is then read again at the end) */
  readonly toSource?: boolean
  /** how to keep the result in the checkpoint (as JSON), for writes whose result is used later */
  readonly result?: Schema.Schema<A, any>
  /**
   * for a write started but never confirmed (a crash, a lost answer): is it done already? Some
   * result if it is (it is not sent again), none if it is not. Without it, the write is sent again.
   */
  readonly recover?: (record: Checkpoint.WriteRecord) => Effect.Effect<Option.Option<A>, E2, R2>
  /** what the write gives in a dry run (where it is not made); default `undefined` */
  readonly dryRun?: () => A
}

/**
 * The attempt of a write, as given to its effect.
 *
 * @since 0.1.0
 * @category models
 */
export interface Attempt {
  /** the same for every attempt of this write, across runs: use it as the idempotency key */
  readonly token: string
  /** an earlier attempt was started and not confirmed */
  readonly again: boolean
}

/**
 * A journaled write, inside a step or sink: done at most once per ticket version (by `key`),
 * across failures and restarts.
 *
 * - a write recorded as done is not made again: its result comes from the checkpoint;
 * - a write started and never confirmed is checked with `recover` (when given) before being
 *   made again, with the same {@link Attempt.token};
 * - in a dry run, the write is only recorded as a change.
 *
 * @since 0.1.0
 * @category writes
 */
export const write = <A, E, R, E2 = never, R2 = never>(
  key: string,
  effect: (attempt: Attempt) => Effect.Effect<A, E, R>,
  options: WriteOptions<A, E2, R2>
): Effect.Effect<A, E | E2 | Checkpoint.CheckpointError, R | R2 | CurrentTicket> =>
  Effect.gen(function*() {
    const context = yield* CurrentTicket
    const { journal } = context
    const change: Change = {
      ticketId: context.ticket.id,
      system: options.system,
      target: options.target,
      kind: options.kind ?? "write",
      detail: options.detail,
      applied: !context.dryRun
    }
    const codec = options.result === undefined ? undefined : Schema.parseJson(options.result)
    const decodeResult = (record: Checkpoint.WriteRecord) =>
      codec === undefined || record.result === undefined
        ? Effect.succeed(undefined as A)
        : Schema.decode(codec)(record.result).pipe(
          Effect.mapError((error) =>
            new Checkpoint.CheckpointError({ operation: "write", detail: `the stored result of ${key} cannot be read: ${error.message}` })
          )
        )
    const encodeResult = (value: A) =>
      codec === undefined ? Effect.succeed(undefined) : Schema.encode(codec)(value).pipe(
        Effect.mapError((error) =>
          new Checkpoint.CheckpointError({ operation: "write", detail: `the result of ${key} cannot be stored: ${error.message}` })
        )
      )
    const complete = (value: A) =>
      Effect.gen(function*() {
        const result = yield* encodeResult(value)
        yield* context.checkpoint.completeWrite(context.pipeline, context.ticket.id, key, result)
        const record = journal.records.get(key)
        if (record !== undefined) journal.records.set(key, { ...record, status: "done", result })
      })

    const record = journal.records.get(key)
    if (record?.status === "done") {
      return yield* decodeResult(record)
    }
    if (context.dryRun) {
      journal.changes.push(change)
      return options.dryRun?.() ?? (undefined as A)
    }
    if (record !== undefined && options.recover !== undefined) {
      const found = yield* options.recover(record)
      if (Option.isSome(found)) {
        yield* complete(found.value)
        journal.recovered++
        yield* Effect.logDebug(`write ${key} was already done`)
        return found.value
      }
    }
    const started = record ?? { key, token: randomUUID(), startedAt: DateTime.toEpochMillis(yield* DateTime.now), status: "started" as const, result: undefined }
    if (record === undefined) {
      yield* context.checkpoint.beginWrite(context.pipeline, context.ticket.id, started)
      journal.records.set(key, started)
    }
    if (options.toSource === true) journal.wroteToSource = true
    const value = yield* effect({ token: started.token, again: record !== undefined })
    journal.changes.push(change)
    yield* complete(value)
    return value
  })

const defaultKey = (journal: Journal, prefix: string) => {
  const n = (journal.counters.get(prefix) ?? 0) + 1
  journal.counters.set(prefix, n)
  return `${prefix}#${n}`
}

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

// -----------------------------------------------------------------------------
// failure policies
// -----------------------------------------------------------------------------

/**
 * What to do with a ticket that failed.
 *
 * @since 0.1.0
 * @category models
 */
export type FailurePolicy<E> =
  | { readonly _tag: "Skip" }
  | { readonly _tag: "Stop" }
  | { readonly _tag: "Retry"; readonly schedule: Schedule.Schedule<unknown, E>; readonly then: "skip" | "stop" }

/**
 * Skip the ticket and report it in the summary (by reason); the run goes on. The default. The
 * ticket is taken up again by the next run (its journal keeps what was done; an incremental
 * source's watermark does not move past it).
 *
 * @since 0.1.0
 * @category failure policies
 */
export const skipFailed: FailurePolicy<unknown> = { _tag: "Skip" }

/**
 * Stop the run: the tickets in flight finish, no new one starts, and the run fails with
 * {@link PipelineStopped} (which carries the summary so far).
 *
 * @since 0.1.0
 * @category failure policies
 */
export const stopOnFailure: FailurePolicy<unknown> = { _tag: "Stop" }

/**
 * Handle the ticket again (its journaled writes are not repeated) as the schedule says, then
 * skip it (default) or stop.
 *
 * @since 0.1.0
 * @category failure policies
 */
export const retryFailed = <E>(schedule: Schedule.Schedule<unknown, E>, options: { readonly then?: "skip" | "stop" } = {}): FailurePolicy<E> => ({
  _tag: "Retry",
  schedule,
  then: options.then ?? "skip"
})

// -----------------------------------------------------------------------------
// running
// -----------------------------------------------------------------------------

/**
 * How a ticket can fail, as reported: the pipeline's errors but a skip and a checkpoint failure
 * (which stops the run), and the system's (a half-done ticket read again).
 *
 * @since 0.1.0
 * @category models
 */
export type Failure<E> = Exclude<E, Skipped | Checkpoint.CheckpointError> | AdapterError

/**
 * What happened to one ticket.
 *
 * @since 0.1.0
 * @category models
 */
export type Outcome<A, E> =
  | { readonly _tag: "Changed"; readonly ticketId: string; readonly ticket: T.Ticket; readonly value: A; readonly changes: ReadonlyArray<Change> }
  | { readonly _tag: "Unchanged"; readonly ticketId: string; readonly ticket: T.Ticket; readonly value: A }
  | { readonly _tag: "Skipped"; readonly ticketId: string; readonly ticket: T.Ticket | undefined; readonly reason: string }
  | {
    readonly _tag: "Failed"
    readonly ticketId: string
    readonly ticket: T.Ticket | undefined
    readonly reason: string
    readonly error: E
    /** writes made before the failure */
    readonly changes: ReadonlyArray<Change>
  }

/**
 * How far a run is.
 *
 * @since 0.1.0
 * @category models
 */
export interface Progress {
  /** tickets with an outcome */
  readonly done: number
  /** tickets in all, when known (a `snapshot` source) */
  readonly total: number | undefined
}

/**
 * Options of {@link run}.
 *
 * @since 0.1.0
 * @category models
 */
export interface RunOptions<A, E> {
  /** show what would change without writing (default false) */
  readonly dryRun?: boolean
  /** tickets handled at once (default 4) */
  readonly concurrency?: number
  /** what to do with a ticket that failed (default {@link skipFailed}) */
  readonly onFailure?: FailurePolicy<E>
  /**
   * on interrupt: `finish` the tickets in flight (default; an attempt runs to its end, retries
   * are not waited for) or `abandon` them (their journal says what is left for the next run)
   */
  readonly interrupt?: "finish" | "abandon"
  /** called after each ticket (progress, logging, tallies) */
  readonly onTicket?: (outcome: Outcome<A, E>, progress: Progress) => Effect.Effect<void>
}

/**
 * What a run did.
 *
 * @since 0.1.0
 * @category models
 */
export interface Summary {
  readonly pipeline: string
  readonly dryRun: boolean
  /** tickets looked at (read from the source, or taken up from a previous run) */
  readonly seen: number
  /** tickets written to (in a dry run: that would be) */
  readonly changed: number
  /** tickets that went through without a write */
  readonly unchanged: number
  readonly skipped: number
  readonly failed: number
  /** tickets taken up from a previous run that left them half-done */
  readonly resumed: number
  /** skipped tickets by reason (`already handled`, a step's reason…) */
  readonly skippedBy: Readonly<Record<string, number>>
  /** failed tickets by reason (the error's tag: `ConnectionError`, …) */
  readonly failedBy: Readonly<Record<string, number>>
  readonly failures: ReadonlyArray<{ readonly ticketId: string; readonly reason: string; readonly message: string }>
  /** the writes made (in a dry run: that would be), in the order they were made */
  readonly changes: ReadonlyArray<Change>
  /** the watermark after the run (incremental sources) */
  readonly watermark: DateTime.Utc | undefined
}

/**
 * The run stopped on a failed ticket (policy {@link stopOnFailure}, or retries then stop).
 *
 * @since 0.1.0
 * @category errors
 */
export class PipelineStopped<E> extends Data.TaggedError("PipelineStopped")<{
  readonly pipeline: string
  readonly ticketId: string
  readonly reason: string
  readonly error: E
  /** what the run did before it stopped */
  readonly summary: Summary
}> {
  /**
   * @since 0.1.0
   */
  override get message(): string {
    return `pipeline ${this.pipeline} stopped at ticket ${this.ticketId}: ${messageOf(this.error)}`
  }
}

const reasonOf = (error: unknown): string =>
  Predicate.hasProperty(error, "_tag") && typeof error._tag === "string"
    ? error._tag
    : error instanceof Error
    ? error.name
    : "error"

const messageOf = (error: unknown): string =>
  error instanceof Error
    ? error.message
    : Predicate.hasProperty(error, "message") && typeof error.message === "string"
    ? error.message
    : String(error)

class Tally {
  seen = 0
  changed = 0
  unchanged = 0
  skipped = 0
  failed = 0
  resumed = 0
  done = 0
  readonly skippedBy: Record<string, number> = {}
  readonly failedBy: Record<string, number> = {}
  readonly failures: Array<{ readonly ticketId: string; readonly reason: string; readonly message: string }> = []
  readonly changes: Array<Change> = []
  constructor(readonly pipeline: string, readonly dryRun: boolean) {}

  count<A, E>(outcome: Outcome<A, E>) {
    this.done++
    switch (outcome._tag) {
      case "Changed":
        this.changed++
        this.changes.push(...outcome.changes)
        break
      case "Unchanged":
        this.unchanged++
        break
      case "Skipped":
        this.skipped++
        this.skippedBy[outcome.reason] = (this.skippedBy[outcome.reason] ?? 0) + 1
        break
      case "Failed":
        this.failed++
        this.changes.push(...outcome.changes)
        this.failedBy[outcome.reason] = (this.failedBy[outcome.reason] ?? 0) + 1
        this.failures.push({ ticketId: outcome.ticketId, reason: outcome.reason, message: messageOf(outcome.error) })
        break
    }
  }

  summary(watermark: DateTime.Utc | undefined): Summary {
    return {
      pipeline: this.pipeline,
      dryRun: this.dryRun,
      seen: this.seen,
      changed: this.changed,
      unchanged: this.unchanged,
      skipped: this.skipped,
      failed: this.failed,
      resumed: this.resumed,
      skippedBy: { ...this.skippedBy },
      failedBy: { ...this.failedBy },
      failures: [...this.failures],
      changes: [...this.changes],
      watermark
    }
  }
}

type Item =
  | { readonly _tag: "Pending"; readonly id: string }
  | { readonly _tag: "Source"; readonly ticket: T.Ticket }

type Attempted<A> =
  | { readonly _tag: "Done"; readonly value: A }
  | { readonly _tag: "Skip"; readonly reason: string }
  | { readonly _tag: "Fatal"; readonly error: Checkpoint.CheckpointError }

/**
 * The errors of a run: a checkpoint that cannot be used, a source that cannot be read, or a stop
 * on a failed ticket.
 *
 * @since 0.1.0
 * @category models
 */
export type RunError<E> = PipelineStopped<Failure<E>> | Checkpoint.CheckpointError | AdapterError

/**
 * Runs a pipeline once (see the module header for how a run goes) and gives its summary.
 *
 * @since 0.1.0
 * @category running
 */
export const run: {
  <A, E>(options?: RunOptions<A, Failure<E>>): <R>(self: Pipeline<A, E, R>) => Effect.Effect<Summary, RunError<E>, Exclude<R, CurrentTicket> | Checkpoint.Checkpoint>
  <A, E, R>(self: Pipeline<A, E, R>, options?: RunOptions<NoInfer<A>, NoInfer<Failure<E>>>): Effect.Effect<Summary, RunError<E>, Exclude<R, CurrentTicket> | Checkpoint.Checkpoint>
} = dual((args) => isPipeline(args[0]), <A, E, R>(
  self: Pipeline<A, E, R>,
  options: RunOptions<A, Failure<E>> = {}
): Effect.Effect<Summary, RunError<E>, Exclude<R, CurrentTicket> | Checkpoint.Checkpoint> =>
  Effect.gen(function*() {
    const checkpoint = yield* Checkpoint.Checkpoint
    const source = self.source
    const adapter = yield* source.tag
    const name = self.name
    const dryRun = options.dryRun === true
    const concurrency = Math.max(1, Math.floor(options.concurrency ?? 4))
    const policy: FailurePolicy<Failure<E>> = options.onFailure ?? skipFailed
    const tally = new Tally(name, dryRun)

    // ---- what to read ----------------------------------------------------------------
    const previous = source.incremental ? yield* checkpoint.watermark(name) : Option.none<DateTime.Utc>()
    const criteria: SearchCriteriaInput = Option.match(previous, {
      onNone: () => source.criteria,
      onSome: (watermark) => {
        const since = DateTime.subtractDuration(watermark, source.overlap)
        if (source.criteria.updatedSince === undefined) return { ...source.criteria, updatedSince: since }
        // an invalid value is passed on as it is, for the adapter to reject with an InvalidInputError
        const given = DateTime.make(source.criteria.updatedSince as DateTime.DateTime.Input)
        return Option.isNone(given)
          ? source.criteria
          : { ...source.criteria, updatedSince: DateTime.max(DateTime.toUtc(given.value), since) }
      }
    })
    const pendingIds = yield* checkpoint.pending(name)
    const pending: ReadonlyArray<Item> = pendingIds.map((id) => ({ _tag: "Pending", id }))
    const fromSource = adapter.streamTickets(criteria).pipe(Stream.map((ticket): Item => ({ _tag: "Source", ticket })))
    let total: number | undefined
    let items: Stream.Stream<Item, AdapterError>
    if (source.snapshot) {
      const listed = yield* Stream.runCollect(fromSource)
      const ids = new Set<string>(pendingIds)
      for (const item of listed) if (item._tag === "Source") ids.add(item.ticket.id)
      total = ids.size
      items = Stream.fromIterable([...pending, ...listed])
    } else {
      items = Stream.concat(Stream.fromIterable(pending), fromSource)
    }

    // ---- one ticket ------------------------------------------------------------------
    const taken = new Set<string>()
    let newest: DateTime.Utc | undefined
    let oldestFailed: DateTime.Utc | undefined
    let stop: { readonly ticketId: string; readonly reason: string; readonly error: Failure<E> } | undefined

    const report = (outcome: Outcome<A, Failure<E>>) =>
      Effect.suspend(() => {
        tally.count(outcome)
        if (outcome._tag === "Failed") {
          if (outcome.ticket !== undefined) {
            const at = outcome.ticket.updatedAt
            oldestFailed = oldestFailed === undefined ? at : DateTime.min(oldestFailed, at)
          }
          const stops = policy._tag === "Stop" || (policy._tag === "Retry" && policy.then === "stop")
          if (stops && stop === undefined) stop = { ticketId: outcome.ticketId, reason: outcome.reason, error: outcome.error }
        }
        return options.onTicket?.(outcome, { done: tally.done, total }) ?? Effect.void
      })

    const attempt = (ticket: T.Ticket, journal: Journal): Effect.Effect<Attempted<A>, Failure<E>> => {
      const context: TicketContext = { pipeline: name, ticket, dryRun, sourceKey: source.tag.key, checkpoint, journal }
      const once = Effect.gen(function*() {
        journal.counters.clear()
        const result: Attempted<A> = yield* (self.process(ticket) as Effect.Effect<A, E>).pipe(
          Effect.provideService(CurrentTicket, context),
          Effect.map((value): Attempted<A> => ({ _tag: "Done", value })),
          Effect.catchIf((error): error is E & Skipped => error instanceof Skipped, (skipped) => Effect.succeed<Attempted<A>>({ _tag: "Skip", reason: skipped.reason }))
        )
        if (!dryRun) {
          // the pipeline's own writes to the source change the ticket's version: record that one
          const version = journal.wroteToSource
            ? DateTime.max(ticket.updatedAt, (yield* adapter.getTicket(ticket.id)).updatedAt)
            : ticket.updatedAt
          yield* checkpoint.markHandled(name, ticket.id, version)
        }
        return result
      }).pipe(
        Effect.catchIf(
          (error): error is typeof error & Checkpoint.CheckpointError => error instanceof Checkpoint.CheckpointError,
          (error) => Effect.succeed<Attempted<A>>({ _tag: "Fatal", error })
        )
      ) as Effect.Effect<Attempted<A>, Failure<E>>
      const guarded = options.interrupt === "abandon" ? once : Effect.uninterruptible(once)
      return policy._tag === "Retry" ? Effect.retry(guarded, policy.schedule) : guarded
    }

    const handle = (item: Item): Effect.Effect<void, Checkpoint.CheckpointError> =>
      Effect.gen(function*() {
        if (stop !== undefined) return
        const id = item._tag === "Pending" ? item.id : item.ticket.id
        if (taken.has(id)) return
        taken.add(id)
        tally.seen++
        if (item._tag === "Source") newest = newest === undefined ? item.ticket.updatedAt : DateTime.max(newest, item.ticket.updatedAt)

        let ticket: T.Ticket
        if (item._tag === "Pending") {
          tally.resumed++
          const read = yield* Effect.either(adapter.getTicket(id))
          if (Either.isLeft(read)) {
            if (read.left._tag === "TicketNotFoundError") {
              if (!dryRun) yield* checkpoint.forget(name, id)
              return yield* report({ _tag: "Skipped", ticketId: id, ticket: undefined, reason: "no longer exists" })
            }
            return yield* report({ _tag: "Failed", ticketId: id, ticket: undefined, reason: reasonOf(read.left), error: read.left, changes: [] })
          }
          ticket = read.right
        } else {
          ticket = item.ticket
          const handled = yield* checkpoint.handled(name, id)
          if (Option.isSome(handled) && DateTime.lessThanOrEqualTo(ticket.updatedAt, handled.value)) {
            return yield* report({ _tag: "Skipped", ticketId: id, ticket, reason: "already handled" })
          }
        }

        const records = yield* checkpoint.writes(name, id)
        const journal: Journal = {
          records: new Map(records.map((record) => [record.key, record])),
          changes: [],
          recovered: 0,
          wroteToSource: false,
          counters: new Map()
        }
        const result = yield* Effect.either(attempt(ticket, journal))
        if (Either.isLeft(result)) {
          return yield* report({ _tag: "Failed", ticketId: id, ticket, reason: reasonOf(result.left), error: result.left, changes: journal.changes })
        }
        const done = result.right
        switch (done._tag) {
          case "Fatal":
            tally.changes.push(...journal.changes)
            return yield* Effect.fail(done.error)
          case "Skip":
            return yield* report({ _tag: "Skipped", ticketId: id, ticket, reason: done.reason })
          case "Done":
            return yield* report(
              journal.changes.length > 0 || journal.recovered > 0 || journal.records.size > 0
                ? { _tag: "Changed", ticketId: id, ticket, value: done.value, changes: journal.changes }
                : { _tag: "Unchanged", ticketId: id, ticket, value: done.value }
            )
        }
      }).pipe(
        withSpanEndingEmpty("ticketkit.pipeline.ticket", {
          attributes: { "ticketkit.pipeline": name, "ticketkit.ticket_id": item._tag === "Pending" ? item.id : item.ticket.id }
        }),
        Effect.annotateLogs({ "ticketkit.pipeline": name, "ticketkit.ticket_id": item._tag === "Pending" ? item.id : item.ticket.id })
      )

    yield* items.pipe(
      Stream.takeWhile(() => stop === undefined),
      Stream.mapEffect(handle, { concurrency, unordered: true }),
      Stream.runDrain
    )

    // ---- the watermark ---------------------------------------------------------------
    let watermark = Option.getOrUndefined(previous)
    if (stop === undefined && source.incremental && newest !== undefined) {
      const candidate = oldestFailed === undefined ? newest : DateTime.min(newest, oldestFailed)
      if (watermark === undefined || DateTime.greaterThan(candidate, watermark)) {
        if (!dryRun) yield* checkpoint.setWatermark(name, candidate)
        watermark = candidate
      }
    }
    if (stop !== undefined) {
      return yield* Effect.fail(new PipelineStopped({ pipeline: name, ...stop, summary: tally.summary(watermark) }))
    }
    return tally.summary(watermark)
  }).pipe(
    Effect.withSpan("ticketkit.pipeline.run", { attributes: { "ticketkit.pipeline": self.name, "ticketkit.dry_run": options.dryRun === true } })
  ) as Effect.Effect<Summary, RunError<E>, Exclude<R, CurrentTicket> | Checkpoint.Checkpoint>)

/**
 * Options of {@link repeat}.
 *
 * @since 0.1.0
 * @category models
 */
export interface RepeatOptions<A, E> extends RunOptions<A, E> {
  /** called after each run with its summary */
  readonly onRun?: (summary: Summary) => Effect.Effect<void>
}

/**
 * Runs a pipeline now and then as the schedule says (it is fed each run's summary):
 * `Schedule.spaced("5 minutes")` runs it every five minutes after the previous run ended, until
 * interrupted. A failed run ends the repetition with its error (put a retry around it to go on).
 * Interrupting stops cleanly: tickets in flight finish (see `interrupt`), the checkpoint keeps
 * what was done, and the next start takes up from there.
 *
 * @since 0.1.0
 * @category running
 */
export const repeat: {
  <A, E, Out, R2>(
    schedule: Schedule.Schedule<Out, Summary, R2>,
    options?: RepeatOptions<A, Failure<E>>
  ): <R>(self: Pipeline<A, E, R>) => Effect.Effect<Out, RunError<E>, Exclude<R, CurrentTicket> | Checkpoint.Checkpoint | R2>
  <A, E, R, Out, R2>(
    self: Pipeline<A, E, R>,
    schedule: Schedule.Schedule<Out, Summary, R2>,
    options?: RepeatOptions<NoInfer<A>, NoInfer<Failure<E>>>
  ): Effect.Effect<Out, RunError<E>, Exclude<R, CurrentTicket> | Checkpoint.Checkpoint | R2>
} = dual((args) => isPipeline(args[0]), <A, E, R, Out, R2>(
  self: Pipeline<A, E, R>,
  schedule: Schedule.Schedule<Out, Summary, R2>,
  options: RepeatOptions<A, Failure<E>> = {}
) =>
  run(self, options).pipe(
    Effect.tap((summary) => options.onRun?.(summary) ?? Effect.void),
    Effect.repeat(schedule)
  ))

// -----------------------------------------------------------------------------
// formatting
// -----------------------------------------------------------------------------

/**
 * A summary as text: the counts on the first line, then reasons and failures.
 *
 * ```
 * seen 12, changed 9, unchanged 1, skipped 1, failed 1
 *   skipped: already handled 1
 *   failed: ConnectionError 1
 *     ticket 7: helpdesk: addNote could not reach the ticket system (…)
 * ```
 *
 * @since 0.1.0
 * @category formatting
 */
export const formatSummary = (summary: Summary): string => {
  const byReason = (counts: Readonly<Record<string, number>>) =>
    Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)).map(([reason, n]) => `${reason} ${n}`).join(", ")
  const lines = [
    `${summary.dryRun ? "dry run: " : ""}seen ${summary.seen}, ${summary.dryRun ? "would change" : "changed"} ${summary.changed}, ` +
    `unchanged ${summary.unchanged}, skipped ${summary.skipped}, failed ${summary.failed}` +
    (summary.resumed > 0 ? ` (${summary.resumed} taken up from an earlier run)` : "")
  ]
  if (summary.skipped > 0) lines.push(`  skipped: ${byReason(summary.skippedBy)}`)
  if (summary.failed > 0) {
    lines.push(`  failed: ${byReason(summary.failedBy)}`)
    for (const failure of summary.failures) lines.push(`    ticket ${failure.ticketId}: ${failure.message}`)
  }
  return lines.join("\n")
}
