/**
 * The reference ticket server: a real HTTP server speaking the reference guide's REST API over
 * the in-memory {@link InMemory.Store}, with fault injection chosen per run. Integration tests
 * start it on an ephemeral port; `ticketkit serve` runs it for people; `npm start` runs the
 * triage demo against it.
 *
 * ## API
 * All endpoints need `Authorization: Bearer <token>` (401 otherwise).
 *
 * | endpoint | answer |
 * |---|---|
 * | `GET /api/tickets?state=&queue_ids=&queue_names=&priority=&updated_since=&q=` | `{ tickets, total, offset, limit, next_cursor }` |
 * | `GET /api/tickets/search?q=` (same filters) | `{ results, total, offset, limit, next_cursor }` |
 * | `GET /api/tickets/{id}` | the ticket, or 404 |
 * | `POST /api/tickets` `{ subject, body, department_id \| department_name, status?, priority_level?, … }` | 201, the ticket |
 * | `PUT /api/tickets/{id}` (partial) | 200, the ticket; 422 for an unknown status, priority or department |
 * | `POST /api/tickets/{id}/notes` `{ content, type, timestamp, content_type? }` | 201, the note |
 * | `GET /api/tickets/{id}/notes` | `{ notes }` |
 * | `GET /api/departments` | `{ departments }` |
 *
 * Both POSTs honour an `Idempotency-Key` header (the IETF httpapi draft's semantics): repeated with
 * the same key and the same request, the first answer is given again and nothing is done twice;
 * the same key with a different request is refused with 422.
 *
 * Lists accept comma-separated values; paging by `offset`/`limit`, `page`/`per_page`, or
 * `cursor`/`limit` (the `next_cursor` of the previous answer); `limit` is capped at 100.
 *
 * A ticket: `{ id, subject, body, status, priority_level, department_id, department_name,
 * requester, assignee, tags, custom_fields, created, modified }`.
 *
 * @since 0.1.0
 */
import type * as HttpServerError from "@effect/platform/HttpServerError"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as InMemory from "../adapters/InMemory.js"
import * as ServerContext from "./internal/reference/context.js"
import * as Model from "./internal/reference/model.js"
import * as Server from "./internal/reference/server.js"
import * as Wire from "./internal/reference/wire.js"

/**
 * Faults to inject. Rates are shares of requests (0–1), drawn from a seeded generator so that a
 * run can be repeated: `latencyMs`, `rateLimitPerSecond` (a token bucket; 429 past it),
 * `retryAfterSeconds`, `serverErrorRate`, `dropBeforeRate`, `dropAfterRate`, `malformedRate`,
 * `rateLimitRate`, `stallRate` and `stallMs`, `slowBodyMs`, `seed`.
 *
 * @since 0.1.0
 * @category models
 */
export const Faults: typeof Model.Faults = Model.Faults

/**
 * @since 0.1.0
 * @category models
 */
export type Faults = typeof Faults.Type

/**
 * Counts of what the server saw and did.
 *
 * @since 0.1.0
 * @category models
 */
export type Stats = Model.Stats

/**
 * A running reference server.
 *
 * @since 0.1.0
 * @category models
 */
export interface Service {
  /** e.g. `http://127.0.0.1:43121` */
  readonly url: string
  /** the bearer token it accepts */
  readonly token: string
  readonly store: InMemory.Store
  readonly setFaults: (faults: Faults) => Effect.Effect<void>
  readonly stats: Effect.Effect<Stats>
  readonly resetStats: Effect.Effect<void>
}

/**
 * The tag of a running reference server.
 *
 * @since 0.1.0
 * @category tags
 */
export class ReferenceServer extends Context.Tag("ticketkit/testing/ReferenceServer")<ReferenceServer, Service>() {}

/**
 * Options of the reference server.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** 0 (default) picks a free port */
  readonly port?: number
  /** default 127.0.0.1 */
  readonly host?: string
  /** the accepted bearer token (default `reference-token`) */
  readonly token?: string
  readonly store?: InMemory.Store
  readonly fixtures?: ReadonlyArray<InMemory.Fixture>
  /** tickets made on demand (before the fixtures), e.g. a million for a benchmark: see {@link InMemory.GeneratedFixtures} */
  readonly generated?: InMemory.GeneratedFixtures
  readonly faults?: Faults
}

/**
 * A ticket as the reference API sends it.
 *
 * @since 0.1.0
 * @category wire
 */
export const toWire = Wire.toWire

/**
 * Starts a reference server in the current scope.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options = {}) =>
  Effect.gen(function*() {
    const token = options.token ?? "reference-token"
    const store = options.store ?? new InMemory.Store({
      ...(options.fixtures === undefined ? {} : { fixtures: options.fixtures }),
      ...(options.generated === undefined ? {} : { generated: options.generated })
    })
    const context = ServerContext.make(token, store, options.faults ?? {})
    const url = yield* Server.serve(context, { port: options.port ?? 0, host: options.host ?? "127.0.0.1" })
    return {
      url,
      token,
      store,
      setFaults: (next) => Effect.sync(() => ServerContext.setFaults(context, next)),
      stats: Effect.sync(() => ({ ...context.stats })),
      resetStats: Effect.sync(() => ServerContext.resetStats(context))
    } satisfies Service
  })

/**
 * A layer running a reference server for as long as it is in use.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options = {}): Layer.Layer<ReferenceServer, HttpServerError.ServeError> =>
  Layer.scoped(ReferenceServer, make(options))
