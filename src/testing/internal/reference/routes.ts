/**
 * The reference API's endpoints: one handler per route, each taking the server's context and the
 * request explicitly, and {@link route}, which picks the handler from the method and path. A
 * handler answers or fails with an {@link HttpFailure}; writes honour `Idempotency-Key`.
 *
 * @internal
 */
import type * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import type * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { TicketDraft, TicketUpdate } from "../../../Ticket.js"
import type { HttpFailure } from "./answers.js"
import { failure, json, storeResult } from "./answers.js"
import type { ServerContext } from "./context.js"
import { criteriaFrom, idempotencyKey, jsonBody, paging } from "./request.js"
import { draftInput, noteToWire, queueRef, toWire, updateInput, WireDraft, WireNote, WireUpdate } from "./wire.js"

/**
 * A request as the routes see it: its method, decoded path segments and query.
 *
 * @since 0.1.0
 * @category models
 */
export interface Request {
  readonly request: HttpServerRequest.HttpServerRequest
  readonly method: string
  readonly path: ReadonlyArray<string>
  readonly params: URLSearchParams
}

type Answer = Effect.Effect<HttpServerResponse.HttpServerResponse, HttpFailure>

const decodeDraft = Schema.decodeUnknown(TicketDraft)
const decodeUpdate = Schema.decodeUnknown(TicketUpdate)

/**
 * `GET /api/departments`: `{ departments }`.
 *
 * @since 0.1.0
 * @category handlers
 */
export const listDepartments = (context: ServerContext) =>
  json({ departments: context.store.queues.map((q) => ({ id: Number(q.id), name: q.name })) })

/** a page of the tickets matching the query, under `field` */
const listing = (context: ServerContext, params: URLSearchParams, field: "tickets" | "results"): Answer =>
  Effect.gen(function*() {
    const criteria = yield* criteriaFrom(params, params.get("q"))
    const { limit, offset } = yield* paging(params)
    const { items, total } = context.store.query(criteria, offset, limit)
    const end = offset + items.length
    return json({
      [field]: items.map(toWire),
      total,
      offset,
      limit,
      next_cursor: end < total ? `c${end}` : null
    })
  })

/**
 * `GET /api/tickets`: `{ tickets, total, offset, limit, next_cursor }`.
 *
 * @since 0.1.0
 * @category handlers
 */
export const listTickets = (context: ServerContext, request: Request): Answer => listing(context, request.params, "tickets")

/**
 * `GET /api/tickets/search`: `{ results, total, offset, limit, next_cursor }`.
 *
 * @since 0.1.0
 * @category handlers
 */
export const searchTickets = (context: ServerContext, request: Request): Answer => listing(context, request.params, "results")

/**
 * `GET /api/tickets/{id}`: the ticket, or 404.
 *
 * @since 0.1.0
 * @category handlers
 */
export const getTicket = (context: ServerContext, id: string): Answer =>
  Effect.suspend(() => storeResult(context.store.get(id))).pipe(Effect.map((ticket) => json(toWire(ticket))))

/**
 * `POST /api/tickets`: 201, the ticket; 422 without a department or for an invalid draft.
 *
 * @since 0.1.0
 * @category handlers
 */
export const createTicket = (context: ServerContext, request: Request, now: DateTime.Utc): Answer =>
  Effect.gen(function*() {
    const { store } = context
    const wire = yield* jsonBody(request.request, WireDraft)
    const queue = queueRef(wire.department_id, wire.department_name)
    if (queue === undefined) return yield* failure(422, "department_id or department_name is required")
    const draft = yield* decodeDraft(draftInput(wire, queue)).pipe(
      Effect.mapError((e) => failure(422, e.message.split("\n")[0] ?? "invalid ticket"))
    )
    const key = idempotencyKey(request.request)
    const ticket = yield* storeResult(store.idempotent(key, `POST /api/tickets ${JSON.stringify(wire)}`, () => store.create(draft, now)))
    return json(toWire(ticket), 201)
  })

/**
 * `PUT` (or `PATCH`) `/api/tickets/{id}`, partial: 200, the ticket; 422 for an unknown status,
 * priority or department.
 *
 * @since 0.1.0
 * @category handlers
 */
export const updateTicket = (context: ServerContext, request: Request, id: string, now: DateTime.Utc): Answer =>
  Effect.gen(function*() {
    const wire = yield* jsonBody(request.request, WireUpdate)
    const update = yield* decodeUpdate(updateInput(wire)).pipe(
      Effect.mapError((e) => failure(422, e.message.split("\n")[0] ?? "invalid update"))
    )
    return json(toWire(yield* storeResult(context.store.update(id, update, now))))
  })

/**
 * `POST /api/tickets/{id}/notes`: 201, the note; 422 for an unknown type or content type, or no
 * content. The timestamp sent is not part of what `Idempotency-Key` compares.
 *
 * @since 0.1.0
 * @category handlers
 */
export const addNote = (context: ServerContext, request: Request, id: string, now: DateTime.Utc): Answer =>
  Effect.gen(function*() {
    const { store } = context
    const wire = yield* jsonBody(request.request, WireNote)
    const visibility = wire.type ?? "internal"
    if (visibility !== "internal" && visibility !== "public") {
      return yield* failure(422, `type must be "internal" or "public"`)
    }
    const contentType = wire.content_type ?? "text/plain"
    if (contentType !== "text/plain" && contentType !== "text/html") {
      return yield* failure(422, `content_type must be "text/plain" or "text/html"`)
    }
    if (wire.content === "") return yield* failure(422, "content must not be empty")
    const key = idempotencyKey(request.request)
    const note = yield* storeResult(store.idempotent(
      key,
      `POST /api/tickets/${id}/notes ${JSON.stringify({ ...wire, timestamp: undefined })}`,
      () => store.addNote(id, { body: wire.content, visibility, contentType }, now, { name: "api" })
    ))
    return json(noteToWire(note), 201)
  })

/**
 * `GET /api/tickets/{id}/notes`: `{ notes }`, or 404.
 *
 * @since 0.1.0
 * @category handlers
 */
export const listNotes = (context: ServerContext, id: string): Answer =>
  Effect.suspend(() => storeResult(context.store.listNotes(id))).pipe(
    Effect.map((notes) => json({ notes: notes.map(noteToWire) }))
  )

/**
 * Answers a request with the handler of its method and path: 404 outside `/api/tickets` and
 * `/api/departments` and for an unknown `GET`, 405 for any other unknown method and path.
 *
 * @since 0.1.0
 * @category handlers
 */
export const route = (context: ServerContext, request: Request): Answer =>
  Effect.gen(function*() {
    const now = yield* DateTime.now
    const { method, path } = request
    if (path[0] !== "api") return yield* failure(404, "no such endpoint")
    if (method === "GET" && path.length === 2 && path[1] === "departments") return listDepartments(context)
    if (path[1] !== "tickets") return yield* failure(404, "no such endpoint")
    if (path.length === 2 && method === "GET") return yield* listTickets(context, request)
    if (path.length === 3 && path[2] === "search" && method === "GET") return yield* searchTickets(context, request)
    if (path.length === 2 && method === "POST") return yield* createTicket(context, request, now)
    const id = path[2]!
    if (path.length === 3 && method === "GET") return yield* getTicket(context, id)
    if (path.length === 3 && (method === "PUT" || method === "PATCH")) return yield* updateTicket(context, request, id, now)
    if (path.length === 4 && path[3] === "notes" && method === "POST") return yield* addNote(context, request, id, now)
    if (path.length === 4 && path[3] === "notes" && method === "GET") return yield* listNotes(context, id)
    return yield* failure(method === "GET" ? 404 : 405, "no such endpoint")
  })
