/**
 * Where a pipeline remembers how far it got, so that a run stopped halfway — interrupted,
 * crashed, or stopped by a failure — is taken up again by the next run without skipping or
 * repeating work.
 *
 * A checkpoint holds, per pipeline (by name):
 *
 * - the **watermark**: the `updatedAt` up to which an incremental source has read everything;
 * - the **handled tickets**: each ticket id with the version (`updatedAt`) it was handled at — a
 *   ticket is handled again only when it has changed since;
 * - the **writes in progress** of tickets not yet handled: one record per write (`update`, `note`,
 *   `create`…) saying whether it was started or done, with the result of a done write and a token
 *   that stays the same across attempts (the idempotency key of a re-sent write). A crash between
 *   "updated" and "noted" leaves the update done and the note not: the next run does the note
 *   only.
 *
 * Two implementations: {@link layerSqlite} (the default, {@link layer}: an embedded SQLite
 * database through `@effect/sql-sqlite-node`, durable across restarts) and {@link layerMemory}
 * (for tests and one-off runs). {@link layerSql} runs on any `@effect/sql` `SqlClient`.
 *
 * One run per pipeline name at a time: two processes running the same pipeline on one checkpoint
 * would each take the other's half-done tickets for abandoned ones.
 *
 * @since 0.1.0
 */
import * as SqlClient from "@effect/sql/SqlClient"
import type { SqlError } from "@effect/sql/SqlError"
import type * as SqliteClient from "@effect/sql-sqlite-node/SqliteClient"
import * as Reactivity from "@effect/experimental/Reactivity"
import * as Context from "effect/Context"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as fs from "node:fs"
import * as path from "node:path"

// -----------------------------------------------------------------------------
// models
// -----------------------------------------------------------------------------

/**
 * A checkpoint could not be read or written. A pipeline run stops on it: going on without a
 * checkpoint could repeat work after a restart.
 *
 * @since 0.1.0
 * @category errors
 */
export class CheckpointError extends Schema.TaggedError<CheckpointError>("ticketkit/CheckpointError")("CheckpointError", {
  /** what was being done: `open`, `watermark`, `markHandled`, … */
  operation: Schema.String,
  detail: Schema.String
}) {
  /**
   * @since 0.1.0
   */
  override get message(): string {
    return `checkpoint: ${this.operation} failed: ${this.detail}`
  }
}

/**
 * The record of one write of a ticket not yet handled.
 *
 * @since 0.1.0
 * @category models
 */
export interface WriteRecord {
  /** the write's key within the ticket (`update:redmine:12#1`, `note:4711`, …) */
  readonly key: string
  /** `started`: sent (or about to be), outcome unknown; `done`: the system confirmed it */
  readonly status: "started" | "done"
  /** the same for every attempt of this write: its idempotency key where the system honours them */
  readonly token: string
  /** when the write was first started (epoch milliseconds, local clock) */
  readonly startedAt: number
  /** the result of a done write, as JSON (e.g. the id of a created ticket) */
  readonly result: string | undefined
}

/**
 * The checkpoint store.
 *
 * @since 0.1.0
 * @category models
 */
export interface Service {
  /** the watermark of an incremental pipeline, if it has one */
  readonly watermark: (pipeline: string) => Effect.Effect<Option.Option<DateTime.Utc>, CheckpointError>
  /** moves the watermark (to any time: callers only move it forward) */
  readonly setWatermark: (pipeline: string, watermark: DateTime.Utc) => Effect.Effect<void, CheckpointError>
  /** the version (`updatedAt`) a ticket was last handled at */
  readonly handled: (pipeline: string, ticketId: string) => Effect.Effect<Option.Option<DateTime.Utc>, CheckpointError>
  /** records a ticket as handled at a version and forgets its write records, in one transaction */
  readonly markHandled: (pipeline: string, ticketId: string, version: DateTime.Utc) => Effect.Effect<void, CheckpointError>
  /** the write records of a ticket not yet handled */
  readonly writes: (pipeline: string, ticketId: string) => Effect.Effect<ReadonlyArray<WriteRecord>, CheckpointError>
  /** records a write as started (a write already recorded keeps its record) */
  readonly beginWrite: (
    pipeline: string,
    ticketId: string,
    write: { readonly key: string; readonly token: string; readonly startedAt: number }
  ) => Effect.Effect<void, CheckpointError>
  /** records a started write as done, with its result */
  readonly completeWrite: (pipeline: string, ticketId: string, key: string, result: string | undefined) => Effect.Effect<void, CheckpointError>
  /** the tickets with write records: work a previous run started and did not finish */
  readonly pending: (pipeline: string) => Effect.Effect<ReadonlyArray<string>, CheckpointError>
  /** forgets one ticket (handled version and write records) */
  readonly forget: (pipeline: string, ticketId: string) => Effect.Effect<void, CheckpointError>
  /** forgets everything about a pipeline */
  readonly reset: (pipeline: string) => Effect.Effect<void, CheckpointError>
}

/**
 * The tag of the checkpoint store.
 *
 * @since 0.1.0
 * @category tags
 */
export class Checkpoint extends Context.Tag("ticketkit/Checkpoint")<Checkpoint, Service>() {}

// -----------------------------------------------------------------------------
// in memory
// -----------------------------------------------------------------------------

/**
 * A checkpoint store in memory: lost with the process. For tests and one-off runs.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeMemory: Effect.Effect<Service> = Effect.sync(() => {
  const watermarks = new Map<string, DateTime.Utc>()
  const handled = new Map<string, Map<string, DateTime.Utc>>()
  const writes = new Map<string, Map<string, Map<string, WriteRecord>>>()
  const of = <V>(map: Map<string, Map<string, V>>, key: string) => {
    let inner = map.get(key)
    if (inner === undefined) map.set(key, inner = new Map())
    return inner
  }
  return {
    watermark: (pipeline) => Effect.sync(() => Option.fromNullable(watermarks.get(pipeline))),
    setWatermark: (pipeline, watermark) => Effect.sync(() => void watermarks.set(pipeline, watermark)),
    handled: (pipeline, ticketId) => Effect.sync(() => Option.fromNullable(handled.get(pipeline)?.get(ticketId))),
    markHandled: (pipeline, ticketId, version) =>
      Effect.sync(() => {
        of(handled, pipeline).set(ticketId, version)
        writes.get(pipeline)?.delete(ticketId)
      }),
    writes: (pipeline, ticketId) => Effect.sync(() => Array.from(writes.get(pipeline)?.get(ticketId)?.values() ?? [])),
    beginWrite: (pipeline, ticketId, write) =>
      Effect.sync(() => {
        const ticket = of(of(writes, pipeline), ticketId)
        if (!ticket.has(write.key)) ticket.set(write.key, { ...write, status: "started", result: undefined })
      }),
    completeWrite: (pipeline, ticketId, key, result) =>
      Effect.sync(() => {
        const ticket = writes.get(pipeline)?.get(ticketId)
        const record = ticket?.get(key)
        if (ticket !== undefined && record !== undefined) ticket.set(key, { ...record, status: "done", result })
      }),
    pending: (pipeline) => Effect.sync(() => Array.from(writes.get(pipeline)?.keys() ?? [])),
    forget: (pipeline, ticketId) =>
      Effect.sync(() => {
        handled.get(pipeline)?.delete(ticketId)
        writes.get(pipeline)?.delete(ticketId)
      }),
    reset: (pipeline) =>
      Effect.sync(() => {
        watermarks.delete(pipeline)
        handled.delete(pipeline)
        writes.delete(pipeline)
      })
  } satisfies Service
})

/**
 * A checkpoint store in memory (see {@link makeMemory}).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerMemory: Layer.Layer<Checkpoint> = Layer.effect(Checkpoint, makeMemory)

// -----------------------------------------------------------------------------
// SQL
// -----------------------------------------------------------------------------

const failed = (operation: string) => (error: SqlError) =>
  new CheckpointError({ operation, detail: error.cause instanceof Error ? `${error.message}: ${error.cause.message}` : error.message })

/**
 * A checkpoint store in the database of an `@effect/sql` `SqlClient` (SQLite or PostgreSQL
 * syntax). Creates its three tables (`ticketkit_pipeline_watermarks`, `ticketkit_pipeline_handled`,
 * `ticketkit_pipeline_writes`) if they are missing. Every change is one statement or one
 * transaction, so a process stopped at any moment leaves a consistent checkpoint.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeSql: Effect.Effect<Service, CheckpointError, SqlClient.SqlClient> = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  yield* Effect.all([
    sql`CREATE TABLE IF NOT EXISTS ticketkit_pipeline_watermarks (
      pipeline TEXT NOT NULL PRIMARY KEY,
      watermark BIGINT NOT NULL
    )`,
    sql`CREATE TABLE IF NOT EXISTS ticketkit_pipeline_handled (
      pipeline TEXT NOT NULL,
      ticket_id TEXT NOT NULL,
      version BIGINT NOT NULL,
      PRIMARY KEY (pipeline, ticket_id)
    )`,
    sql`CREATE TABLE IF NOT EXISTS ticketkit_pipeline_writes (
      pipeline TEXT NOT NULL,
      ticket_id TEXT NOT NULL,
      write_key TEXT NOT NULL,
      status TEXT NOT NULL,
      token TEXT NOT NULL,
      started_at BIGINT NOT NULL,
      result TEXT,
      PRIMARY KEY (pipeline, ticket_id, write_key)
    )`
  ], { discard: true }).pipe(Effect.mapError(failed("open")))

  const toUtc = (millis: number | bigint | string) => DateTime.unsafeMake(Number(millis))
  const millisOf = (at: DateTime.Utc) => DateTime.toEpochMillis(at)

  return {
    watermark: (pipeline) =>
      sql<{ readonly watermark: number }>`SELECT watermark FROM ticketkit_pipeline_watermarks WHERE pipeline = ${pipeline}`.pipe(
        Effect.map((rows) => Option.map(Option.fromNullable(rows[0]), (row) => toUtc(row.watermark))),
        Effect.mapError(failed("watermark"))
      ),
    setWatermark: (pipeline, watermark) =>
      sql`INSERT INTO ticketkit_pipeline_watermarks (pipeline, watermark) VALUES (${pipeline}, ${millisOf(watermark)})
        ON CONFLICT (pipeline) DO UPDATE SET watermark = excluded.watermark`.pipe(
        Effect.asVoid,
        Effect.mapError(failed("setWatermark"))
      ),
    handled: (pipeline, ticketId) =>
      sql<{ readonly version: number }>`SELECT version FROM ticketkit_pipeline_handled
        WHERE pipeline = ${pipeline} AND ticket_id = ${ticketId}`.pipe(
        Effect.map((rows) => Option.map(Option.fromNullable(rows[0]), (row) => toUtc(row.version))),
        Effect.mapError(failed("handled"))
      ),
    markHandled: (pipeline, ticketId, version) =>
      sql.withTransaction(Effect.all([
        sql`INSERT INTO ticketkit_pipeline_handled (pipeline, ticket_id, version) VALUES (${pipeline}, ${ticketId}, ${millisOf(version)})
          ON CONFLICT (pipeline, ticket_id) DO UPDATE SET version = excluded.version`,
        sql`DELETE FROM ticketkit_pipeline_writes WHERE pipeline = ${pipeline} AND ticket_id = ${ticketId}`
      ], { discard: true })).pipe(Effect.mapError(failed("markHandled"))),
    writes: (pipeline, ticketId) =>
      sql<{
        readonly write_key: string
        readonly status: string
        readonly token: string
        readonly started_at: number
        readonly result: string | null
      }>`SELECT write_key, status, token, started_at, result FROM ticketkit_pipeline_writes
        WHERE pipeline = ${pipeline} AND ticket_id = ${ticketId}`.pipe(
        Effect.map((rows) =>
          rows.map((row): WriteRecord => ({
            key: row.write_key,
            status: row.status === "done" ? "done" : "started",
            token: row.token,
            startedAt: Number(row.started_at),
            result: row.result ?? undefined
          }))
        ),
        Effect.mapError(failed("writes"))
      ),
    beginWrite: (pipeline, ticketId, write) =>
      sql`INSERT INTO ticketkit_pipeline_writes (pipeline, ticket_id, write_key, status, token, started_at)
        VALUES (${pipeline}, ${ticketId}, ${write.key}, ${"started"}, ${write.token}, ${write.startedAt})
        ON CONFLICT (pipeline, ticket_id, write_key) DO NOTHING`.pipe(Effect.asVoid, Effect.mapError(failed("beginWrite"))),
    completeWrite: (pipeline, ticketId, key, result) =>
      sql`UPDATE ticketkit_pipeline_writes SET status = ${"done"}, result = ${result ?? null}
        WHERE pipeline = ${pipeline} AND ticket_id = ${ticketId} AND write_key = ${key}`.pipe(
        Effect.asVoid,
        Effect.mapError(failed("completeWrite"))
      ),
    pending: (pipeline) =>
      sql<{ readonly ticket_id: string }>`SELECT DISTINCT ticket_id FROM ticketkit_pipeline_writes
        WHERE pipeline = ${pipeline} ORDER BY ticket_id`.pipe(
        Effect.map((rows) => rows.map((row) => row.ticket_id)),
        Effect.mapError(failed("pending"))
      ),
    forget: (pipeline, ticketId) =>
      sql.withTransaction(Effect.all([
        sql`DELETE FROM ticketkit_pipeline_handled WHERE pipeline = ${pipeline} AND ticket_id = ${ticketId}`,
        sql`DELETE FROM ticketkit_pipeline_writes WHERE pipeline = ${pipeline} AND ticket_id = ${ticketId}`
      ], { discard: true })).pipe(Effect.mapError(failed("forget"))),
    reset: (pipeline) =>
      sql.withTransaction(Effect.all([
        sql`DELETE FROM ticketkit_pipeline_watermarks WHERE pipeline = ${pipeline}`,
        sql`DELETE FROM ticketkit_pipeline_handled WHERE pipeline = ${pipeline}`,
        sql`DELETE FROM ticketkit_pipeline_writes WHERE pipeline = ${pipeline}`
      ], { discard: true })).pipe(Effect.mapError(failed("reset")))
  } satisfies Service
})

/**
 * A checkpoint store in the database of the `SqlClient` it is given (see {@link makeSql}).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerSql: Layer.Layer<Checkpoint, CheckpointError, SqlClient.SqlClient> = Layer.effect(Checkpoint, makeSql)

/**
 * Options of {@link layerSqlite}.
 *
 * @since 0.1.0
 * @category models
 */
export interface SqliteOptions {
  /** the database file (its directory is created); default `.ticketkit/checkpoints.sqlite` */
  readonly filename?: string
}

/**
 * The default database file of {@link layerSqlite}, relative to the working directory.
 *
 * @since 0.1.0
 * @category constants
 */
export const DEFAULT_FILENAME = ".ticketkit/checkpoints.sqlite"

/**
 * A checkpoint store in an embedded SQLite database (`@effect/sql-sqlite-node`, better-sqlite3,
 * an optional peer dependency: install it to use this layer): durable across restarts. The database is in WAL mode with `synchronous = NORMAL`: a committed
 * change survives the process being killed at any moment (a power loss may lose the last ones).
 * The file is closed when the layer's scope closes.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerSqlite = (options: SqliteOptions = {}): Layer.Layer<Checkpoint, CheckpointError> => {
  const filename = options.filename ?? DEFAULT_FILENAME
  const client = Layer.scoped(
    SqlClient.SqlClient,
    Effect.gen(function*() {
      if (filename !== ":memory:") {
        yield* Effect.try({
          try: () => fs.mkdirSync(path.dirname(path.resolve(filename)), { recursive: true }),
          catch: (error) => new CheckpointError({ operation: "open", detail: `cannot create the directory of ${filename}: ${String(error)}` })
        })
      }
      // loaded only here: @effect/sql-sqlite-node (and better-sqlite3, a native addon) is an
      // optional peer dependency, needed by SQLite checkpoints alone
      const sqlite = yield* Effect.tryPromise({
        try: () => import("@effect/sql-sqlite-node/SqliteClient") as Promise<typeof SqliteClient>,
        catch: (error) =>
          new CheckpointError({
            operation: "open",
            detail: `SQLite checkpoints need @effect/sql-sqlite-node (npm install @effect/sql-sqlite-node): ${
              error instanceof Error ? error.message : String(error)
            }`
          })
      })
      const sql: SqlClient.SqlClient = yield* sqlite.make({ filename }).pipe(
        Effect.catchAllDefect((defect) =>
          Effect.fail(new CheckpointError({ operation: "open", detail: `cannot open ${filename}: ${defect instanceof Error ? defect.message : String(defect)}` }))
        )
      )
      yield* sql`PRAGMA synchronous = NORMAL`.pipe(Effect.mapError(failed("open")))
      return sql
    })
  ).pipe(Layer.provide(Reactivity.layer))
  return layerSql.pipe(Layer.provide(client))
}

/**
 * The default checkpoint store: {@link layerSqlite}.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: (options?: SqliteOptions) => Layer.Layer<Checkpoint, CheckpointError> = layerSqlite
