/**
 * Reading a request to the reference server: list filters and paging from the query string, a
 * JSON body checked against its wire schema, and the `Idempotency-Key` header. What cannot be read
 * fails with a 400 {@link HttpFailure}.
 *
 * @internal
 */
import type * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { SearchCriteria } from "../../../SearchCriteria.js"
import { failure, HttpFailure } from "./answers.js"

/** the values of a comma-separated parameter; undefined when absent or empty */
const commaList = (value: string | null) =>
  value === null || value === "" ? undefined : value.split(",").map((s) => s.trim()).filter((s) => s !== "")

/**
 * The search criteria of a listing: `state`, `priority`, `queue_ids`, `queue_names` (lists),
 * `updated_since`, and the text searched for.
 *
 * @since 0.1.0
 * @category decoding
 */
export const criteriaFrom = (params: URLSearchParams, text: string | null) => {
  const states = commaList(params.get("state"))
  const priorities = commaList(params.get("priority"))
  const queueIds = commaList(params.get("queue_ids"))
  const queueNames = commaList(params.get("queue_names"))
  const updatedSince = params.get("updated_since")
  return Schema.decodeUnknown(SearchCriteria)({
    ...(states === undefined ? {} : { states }),
    ...(priorities === undefined ? {} : { priorities }),
    ...(queueIds === undefined && queueNames === undefined ? {} : {
      queues: [...(queueIds ?? []).map((id) => ({ id })), ...(queueNames ?? []).map((name) => ({ name }))]
    }),
    ...(updatedSince ? { updatedSince } : {}),
    ...(text ? { text } : {})
  }).pipe(Effect.mapError(() => failure(400, "invalid filter parameters")))
}

/**
 * The page asked for: `offset`/`limit`, `page`/`per_page`, or `cursor`/`limit` (a `next_cursor`,
 * `c<offset>`); `limit` defaults to 25 and is capped at 100.
 *
 * @since 0.1.0
 * @category decoding
 */
export const paging = (params: URLSearchParams): Effect.Effect<{ limit: number; offset: number }, HttpFailure> => {
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

/**
 * The request's JSON body, decoded with a wire schema.
 *
 * @since 0.1.0
 * @category decoding
 */
export const jsonBody = <A, I>(request: HttpServerRequest.HttpServerRequest, schema: Schema.Schema<A, I>) =>
  Effect.suspend(() => request.json).pipe(
    Effect.mapError(() => failure(400, "the body must be JSON")),
    Effect.flatMap((json) => Schema.decodeUnknown(schema)(json)),
    Effect.mapError((error) => (error instanceof HttpFailure ? error : failure(400, `invalid body: ${error.message.split("\n")[0]}`)))
  )

/**
 * The request's `Idempotency-Key`, if it has a non-empty one.
 *
 * @since 0.1.0
 * @category decoding
 */
export const idempotencyKey = (request: HttpServerRequest.HttpServerRequest) => {
  const key = request.headers["idempotency-key"]
  return typeof key === "string" && key !== "" ? key : undefined
}
