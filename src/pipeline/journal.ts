/**
 * The journal of the ticket being handled, and {@link write}: the journaled write every sink is
 * made of — recorded in the checkpoint as started, then done, under a key, so that an attempt
 * after a crash or a failure does only what is not done yet.
 *
 * @internal
 */
import * as Context from "effect/Context"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import { randomUUID } from "node:crypto"
import * as Checkpoint from "../Checkpoint.js"
import type * as T from "../Ticket.js"

// -----------------------------------------------------------------------------
// models
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
 * A fresh journal over a ticket's write records, as read from the checkpoint.
 *
 * @internal
 */
export const makeJournal = (records: ReadonlyArray<Checkpoint.WriteRecord>): Journal => ({
  records: new Map(records.map((record) => [record.key, record])),
  changes: [],
  recovered: 0,
  wroteToSource: false,
  counters: new Map()
})

/**
 * The ticket being handled, given to steps and sinks by `run`.
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
 * The tag of the ticket being handled. `run` provides it; a pipeline's type never shows it.
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

// -----------------------------------------------------------------------------
// writes
// -----------------------------------------------------------------------------

/** how a write's result is kept in the checkpoint: as JSON through its schema, or not at all */
const resultCodec = <A>(key: string, schema: Schema.Schema<A, any> | undefined) => {
  const codec = schema === undefined ? undefined : Schema.parseJson(schema)
  return {
    decode: (record: Checkpoint.WriteRecord): Effect.Effect<A, Checkpoint.CheckpointError> =>
      codec === undefined || record.result === undefined
        ? Effect.succeed(undefined as A)
        : Schema.decode(codec)(record.result).pipe(
          Effect.mapError((error) =>
            new Checkpoint.CheckpointError({ operation: "write", detail: `the stored result of ${key} cannot be read: ${error.message}` })
          )
        ),
    encode: (value: A): Effect.Effect<string | undefined, Checkpoint.CheckpointError> =>
      codec === undefined ? Effect.succeed(undefined) : Schema.encode(codec)(value).pipe(
        Effect.mapError((error) =>
          new Checkpoint.CheckpointError({ operation: "write", detail: `the result of ${key} cannot be stored: ${error.message}` })
        )
      )
  }
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
    const codec = resultCodec(key, options.result)
    const complete = (value: A) =>
      Effect.gen(function*() {
        const result = yield* codec.encode(value)
        yield* context.checkpoint.completeWrite(context.pipeline, context.ticket.id, key, result)
        const record = journal.records.get(key)
        if (record !== undefined) journal.records.set(key, { ...record, status: "done", result })
      })

    const record = journal.records.get(key)
    if (record?.status === "done") {
      return yield* codec.decode(record)
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

/**
 * The next default key under a prefix in this attempt: `note:helpdesk:12#1`, `#2`…
 *
 * @internal
 */
export const defaultKey = (journal: Journal, prefix: string): string => {
  const n = (journal.counters.get(prefix) ?? 0) + 1
  journal.counters.set(prefix, n)
  return `${prefix}#${n}`
}
