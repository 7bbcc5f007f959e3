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
 *
 * Both POSTs honour an `Idempotency-Key` header (the IETF httpapi draft's semantics): repeated with
 * the same key and the same request, the first answer is given again and nothing is done twice;
 * the same key with a different request is refused with 422.
 * | `GET /api/tickets/{id}/notes` | `{ notes }` |
 * | `GET /api/departments` | `{ departments }` |
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
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import * as NodeHttpServerRequest from "@effect/platform-node/NodeHttpServerRequest"
import * as Context from "effect/Context"
import * as Data from "effect/Data"
import * as DateTime from "effect/DateTime"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import { createServer } from "node:http"
import * as InMemory from "../adapters/InMemory.js"
import type { Note } from "../Note.js"
import { SearchCriteria } from "../SearchCriteria.js"
import type * as T from "../Ticket.js"
import { TicketDraft, TicketUpdate } from "../Ticket.js"

/**
 * Faults to inject. Rates are shares of requests (0–1), drawn from a seeded generator so that a
 * run can be repeated.
 *
 * @since 0.1.0
 * @category models
 */
export const Faults = Schema.Struct({
  /** added to every answer */
  latencyMs: Schema.optional(Schema.NonNegative),
  /**
   * at most this many requests a second, in bursts of at most this many (a token bucket of this
   * size, refilled continuously); past it, answer 429 with `Retry-After`
   */
  rateLimitPerSecond: Schema.optional(Schema.Positive),
  /** the `Retry-After` of a 429, in seconds (default 1) */
  retryAfterSeconds: Schema.optional(Schema.NonNegative),
  /** answer 500, 502 or 503 without acting */
  serverErrorRate: Schema.optional(Schema.Number.pipe(Schema.between(0, 1))),
  /** drop the connection before acting */
  dropBeforeRate: Schema.optional(Schema.Number.pipe(Schema.between(0, 1))),
  /** act, then drop the connection without answering */
  dropAfterRate: Schema.optional(Schema.Number.pipe(Schema.between(0, 1))),
  /** act, then answer truncated JSON */
  malformedRate: Schema.optional(Schema.Number.pipe(Schema.between(0, 1))),
  /** answer 429 with `Retry-After` (retryAfterSeconds) without acting */
  rateLimitRate: Schema.optional(Schema.Number.pipe(Schema.between(0, 1))),
  /** act, then wait `stallMs` before answering (a client timing out after the server acted) */
  stallRate: Schema.optional(Schema.Number.pipe(Schema.between(0, 1))),
  /** how long a stalled answer waits (default 5000) */
  stallMs: Schema.optional(Schema.NonNegative),
  /** send the body in small chunks, this many ms apart */
  slowBodyMs: Schema.optional(Schema.NonNegative),
  /** seed of the fault generator (default 1) */
  seed: Schema.optional(Schema.Int)
})

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
export interface Stats {
  requests: number
  unauthorized: number
  rateLimited: number
  serverErrors: number
  droppedBefore: number
  droppedAfter: number
  malformed: number
  stalled: number
}

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

// -----------------------------------------------------------------------------
// wire format
// -----------------------------------------------------------------------------

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

const noteToWire = (note: Note) => ({
  id: note.id === undefined ? null : Number(note.id),
  content: note.body,
  type: note.visibility,
  content_type: note.contentType,
  author: note.author?.name ?? null,
  created: note.createdAt === undefined ? null : DateTime.formatIso(note.createdAt)
})

const WireDraft = Schema.Struct({
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

const WireUpdate = Schema.partial(WireDraft)

const WireNote = Schema.Struct({
  content: Schema.String,
  type: Schema.optional(Schema.String),
  timestamp: Schema.optional(Schema.String),
  content_type: Schema.optional(Schema.String)
})

// -----------------------------------------------------------------------------
// server
// -----------------------------------------------------------------------------

const mulberry32 = (seed: number) => () => {
  seed |= 0
  seed = (seed + 0x6d2b79f5) | 0
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}

class HttpFailure extends Data.TaggedError("HttpFailure")<{ readonly status: number; readonly message: string }> {}

const failure = (status: number, message: string) => new HttpFailure({ status, message })

const list = (value: string | null) =>
  value === null || value === "" ? undefined : value.split(",").map((s) => s.trim()).filter((s) => s !== "")

const userRef = (value: string | null | undefined): T.UserRef | undefined =>
  value === null || value === undefined || value === "" ? undefined : value.includes("@") ? { email: value } : { name: value }

const queueRef = (id: number | string | undefined, name: string | undefined): T.Ref | undefined =>
  id !== undefined ? { id: String(id) } : name !== undefined ? { name } : undefined

const emptyStats = (): Stats => ({
  requests: 0,
  unauthorized: 0,
  rateLimited: 0,
  serverErrors: 0,
  droppedBefore: 0,
  droppedAfter: 0,
  malformed: 0,
  stalled: 0
})

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
    let faults: Faults = options.faults ?? {}
    let random = mulberry32(faults.seed ?? 1)
    let stats = emptyStats()
    // the rate limit: a token bucket holding `rateLimitPerSecond` tokens, refilled continuously
    let bucket = { tokens: faults.rateLimitPerSecond ?? 0, at: performance.now() }

    const roll = (rate: number | undefined) => rate !== undefined && rate > 0 && random() < rate

    const json = (body: unknown, status = 200) => HttpServerResponse.unsafeJson(body, { status })

    const criteriaFrom = (params: URLSearchParams, textParam: string | null) =>
      Schema.decodeUnknown(SearchCriteria)({
        ...(list(params.get("state")) === undefined ? {} : { states: list(params.get("state")) }),
        ...(list(params.get("priority")) === undefined ? {} : { priorities: list(params.get("priority")) }),
        ...(list(params.get("queue_ids")) === undefined && list(params.get("queue_names")) === undefined ? {} : {
          queues: [
            ...(list(params.get("queue_ids")) ?? []).map((id) => ({ id })),
            ...(list(params.get("queue_names")) ?? []).map((name) => ({ name }))
          ]
        }),
        ...(params.get("updated_since") ? { updatedSince: params.get("updated_since") } : {}),
        ...(textParam ? { text: textParam } : {})
      }).pipe(Effect.mapError(() => failure(400, "invalid filter parameters")))

    const paging = (params: URLSearchParams) => {
      const int = (name: string) => {
        const v = params.get(name)
        return v === null ? undefined : /^\d+$/.test(v) ? Number(v) : Number.NaN
      }
      const limit = Math.min(100, int("limit") ?? int("per_page") ?? 25)
      const cursor = params.get("cursor")
      const page = int("page")
      const offset = cursor !== null
        ? (/^c\d+$/.test(cursor) ? Number(cursor.slice(1)) : Number.NaN)
        : page !== undefined ? (page - 1) * limit : (int("offset") ?? 0)
      if (!Number.isInteger(limit) || limit < 1 || !Number.isInteger(offset) || offset < 0) {
        return Effect.fail(failure(400, "invalid paging parameters"))
      }
      return Effect.succeed({ limit, offset })
    }

    const listing = (params: URLSearchParams, field: "tickets" | "results", text: string | null) =>
      Effect.gen(function*() {
        const criteria = yield* criteriaFrom(params, text)
        const { limit, offset } = yield* paging(params)
        const { items, total } = store.query(criteria, offset, limit)
        const end = offset + items.length
        return json({
          [field]: items.map(toWire),
          total,
          offset,
          limit,
          next_cursor: end < total ? `c${end}` : null
        })
      })

    const body = <A, I>(schema: Schema.Schema<A, I>) =>
      Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) => request.json).pipe(
        Effect.mapError(() => failure(400, "the body must be JSON")),
        Effect.flatMap((json) => Schema.decodeUnknown(schema)(json)),
        Effect.mapError((error) => (error instanceof HttpFailure ? error : failure(400, `invalid body: ${error.message.split("\n")[0]}`)))
      )

    const result = <A>(r: InMemory.StoreResult<A>) =>
      r.ok ? Effect.succeed(r.value) : Effect.fail(
        r.failure._tag === "not-found" ? failure(404, "ticket not found") : failure(422, r.failure.reason)
      )

    const decodeDraft = Schema.decodeUnknown(TicketDraft)
    const decodeUpdate = Schema.decodeUnknown(TicketUpdate)

    const idempotencyKey = (request: HttpServerRequest.HttpServerRequest) => {
      const key = request.headers["idempotency-key"]
      return typeof key === "string" && key !== "" ? key : undefined
    }

    const route = (request: HttpServerRequest.HttpServerRequest, method: string, path: ReadonlyArray<string>, params: URLSearchParams) =>
      Effect.gen(function*() {
        const now = yield* DateTime.now
        if (path[0] !== "api") return yield* failure(404, "no such endpoint")
        if (method === "GET" && path.length === 2 && path[1] === "departments") {
          return json({ departments: store.queues.map((q) => ({ id: Number(q.id), name: q.name })) })
        }
        if (path[1] !== "tickets") return yield* failure(404, "no such endpoint")
        if (path.length === 2 && method === "GET") return yield* listing(params, "tickets", params.get("q"))
        if (path.length === 3 && path[2] === "search" && method === "GET") return yield* listing(params, "results", params.get("q"))
        if (path.length === 2 && method === "POST") {
          const wire = yield* body(WireDraft)
          const queue = queueRef(wire.department_id, wire.department_name)
          if (queue === undefined) return yield* failure(422, "department_id or department_name is required")
          const requester = userRef(wire.requester)
          const assignee = userRef(wire.assignee)
          const draft = yield* decodeDraft({
            title: wire.subject,
            description: wire.body ?? "",
            queue,
            ...(wire.status === undefined ? {} : { state: { name: wire.status } }),
            ...(wire.priority_level === undefined ? {} : { priority: { name: wire.priority_level } }),
            ...(requester === undefined ? {} : { requester }),
            ...(assignee === undefined ? {} : { assignee }),
            ...(wire.tags === undefined ? {} : { tags: wire.tags }),
            ...(wire.custom_fields === undefined ? {} : { customFields: wire.custom_fields })
          }).pipe(Effect.mapError((e) => failure(422, e.message.split("\n")[0] ?? "invalid ticket")))
          const key = idempotencyKey(request)
          const ticket = yield* result(store.idempotent(key, `POST /api/tickets ${JSON.stringify(wire)}`, () => store.create(draft, now)))
          return json(toWire(ticket), 201)
        }
        const id = path[2]!
        if (path.length === 3 && method === "GET") return json(toWire(yield* result(store.get(id))))
        if (path.length === 3 && (method === "PUT" || method === "PATCH")) {
          const wire = yield* body(WireUpdate)
          const queue = queueRef(wire.department_id, wire.department_name)
          const update = yield* decodeUpdate({
            ...(wire.subject === undefined ? {} : { title: wire.subject }),
            ...(wire.body === undefined ? {} : { description: wire.body }),
            ...(wire.status === undefined ? {} : { state: { name: wire.status } }),
            ...(wire.priority_level === undefined ? {} : { priority: { name: wire.priority_level } }),
            ...(queue === undefined ? {} : { queue }),
            ...(wire.assignee === undefined ? {} : { assignee: userRef(wire.assignee) ?? null }),
            ...(wire.tags === undefined ? {} : { tags: wire.tags }),
            ...(wire.custom_fields === undefined ? {} : { customFields: wire.custom_fields })
          }).pipe(Effect.mapError((e) => failure(422, e.message.split("\n")[0] ?? "invalid update")))
          return json(toWire(yield* result(store.update(id, update, now))))
        }
        if (path.length === 4 && path[3] === "notes" && method === "POST") {
          const wire = yield* body(WireNote)
          const visibility = wire.type ?? "internal"
          if (visibility !== "internal" && visibility !== "public") {
            return yield* failure(422, `type must be "internal" or "public"`)
          }
          const contentType = wire.content_type ?? "text/plain"
          if (contentType !== "text/plain" && contentType !== "text/html") {
            return yield* failure(422, `content_type must be "text/plain" or "text/html"`)
          }
          if (wire.content === "") return yield* failure(422, "content must not be empty")
          const key = idempotencyKey(request)
          const note = yield* result(store.idempotent(
            key,
            `POST /api/tickets/${id}/notes ${JSON.stringify({ ...wire, timestamp: undefined })}`,
            () => store.addNote(id, { body: wire.content, visibility, contentType }, now, { name: "api" })
          ))
          return json(noteToWire(note), 201)
        }
        if (path.length === 4 && path[3] === "notes" && method === "GET") {
          return json({ notes: (yield* result(store.listNotes(id))).map(noteToWire) })
        }
        return yield* failure(method === "GET" ? 404 : 405, "no such endpoint")
      })

    const destroySocket = Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) =>
      Effect.sync(() => NodeHttpServerRequest.toIncomingMessage(request).socket.destroy()))

    const app = Effect.gen(function*() {
      const request = yield* HttpServerRequest.HttpServerRequest
      stats.requests++
      if (request.headers["authorization"] !== `Bearer ${token}`) {
        stats.unauthorized++
        return json({ error: "invalid or missing bearer token" }, 401)
      }
      if (faults.rateLimitPerSecond !== undefined) {
        const rate = faults.rateLimitPerSecond
        const now = performance.now()
        bucket.tokens = Math.min(rate, bucket.tokens + ((now - bucket.at) * rate) / 1000)
        bucket.at = now
        if (bucket.tokens >= 1) {
          bucket.tokens -= 1
        } else {
          stats.rateLimited++
          return HttpServerResponse.unsafeJson({ error: "rate limit exceeded" }, {
            status: 429,
            headers: { "retry-after": String(faults.retryAfterSeconds ?? 1) }
          })
        }
      }
      if (roll(faults.rateLimitRate)) {
        stats.rateLimited++
        return HttpServerResponse.unsafeJson({ error: "rate limit exceeded" }, {
          status: 429,
          headers: { "retry-after": String(faults.retryAfterSeconds ?? 1) }
        })
      }
      if (faults.latencyMs !== undefined && faults.latencyMs > 0) yield* Effect.sleep(Duration.millis(faults.latencyMs))
      if (roll(faults.serverErrorRate)) {
        stats.serverErrors++
        const status = [500, 502, 503][Math.floor(random() * 3)]!
        return json({ error: "injected server error" }, status)
      }
      if (roll(faults.dropBeforeRate)) {
        stats.droppedBefore++
        yield* destroySocket
        return HttpServerResponse.empty({ status: 500 })
      }
      const url = new URL(request.url, "http://reference.invalid")
      let path: Array<string>
      try {
        path = url.pathname.split("/").filter((s) => s !== "").map(decodeURIComponent)
      } catch {
        return json({ error: "malformed path" }, 400)
      }
      const response = yield* route(request, request.method, path, url.searchParams).pipe(
        Effect.catchAll((error) =>
          Effect.succeed(
            error instanceof HttpFailure
              ? json({ error: error.message }, error.status)
              : json({ error: "invalid request" }, 400)
          )
        )
      )
      if (roll(faults.dropAfterRate)) {
        stats.droppedAfter++
        yield* destroySocket
        return HttpServerResponse.empty({ status: 500 })
      }
      if (roll(faults.stallRate)) {
        stats.stalled++
        yield* Effect.sleep(Duration.millis(faults.stallMs ?? 5000))
      }
      if (roll(faults.malformedRate)) {
        stats.malformed++
        const text = new TextDecoder().decode((response.body as { body: Uint8Array }).body)
        return HttpServerResponse.text(text.slice(0, Math.max(1, Math.floor(text.length / 2))), {
          status: response.status,
          contentType: "application/json"
        })
      }
      if (faults.slowBodyMs !== undefined && faults.slowBodyMs > 0 && response.body._tag === "Uint8Array") {
        const bytes = response.body.body
        const chunks = Array.from({ length: Math.ceil(bytes.length / 64) }, (_, i) => bytes.subarray(i * 64, (i + 1) * 64))
        return HttpServerResponse.stream(
          Stream.fromIterable(chunks).pipe(Stream.tap(() => Effect.sleep(Duration.millis(faults.slowBodyMs!)))),
          { status: response.status, contentType: "application/json" }
        )
      }
      return response
    })

    const served = app.pipe(
      Effect.catchAllDefect((defect) =>
        Effect.as(
          Effect.logError("reference server: internal error", defect),
          json({ error: `internal error: ${defect instanceof Error ? defect.message : String(defect)}` }, 500)
        )
      )
    )

    const server = yield* NodeHttpServer.make(() => createServer(), {
      port: options.port ?? 0,
      host: options.host ?? "127.0.0.1"
    })
    yield* server.serve(served as Effect.Effect<HttpServerResponse.HttpServerResponse, HttpServerError.RequestError, HttpServerRequest.HttpServerRequest>)
    const address = server.address
    const url = address._tag === "TcpAddress" ? `http://${address.hostname}:${address.port}` : "http://127.0.0.1"

    return {
      url,
      token,
      store,
      setFaults: (next) =>
        Effect.sync(() => {
          faults = next
          random = mulberry32(next.seed ?? 1)
          bucket = { tokens: next.rateLimitPerSecond ?? 0, at: performance.now() }
        }),
      stats: Effect.sync(() => ({ ...stats })),
      resetStats: Effect.sync(() => {
        stats = emptyStats()
      })
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
