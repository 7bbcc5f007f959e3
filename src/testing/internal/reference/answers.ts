/**
 * The reference server's answers: JSON bodies, the `HttpFailure` a handler fails with (a status
 * and a message, answered as `{ error }`), and the store's results turned into those failures.
 *
 * @internal
 */
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import type * as InMemory from "../../../adapters/InMemory.js"

/**
 * A request refused with this status; answered `{ error: message }`.
 *
 * @since 0.1.0
 * @category errors
 */
export class HttpFailure extends Data.TaggedError("HttpFailure")<{ readonly status: number; readonly message: string }> {}

/**
 * @since 0.1.0
 * @category constructors
 */
export const failure = (status: number, message: string) => new HttpFailure({ status, message })

/**
 * A JSON answer.
 *
 * @since 0.1.0
 * @category answers
 */
export const json = (body: unknown, status = 200) => HttpServerResponse.unsafeJson(body, { status })

/**
 * The answer to a failed request: an {@link HttpFailure}'s status and message, else 400.
 *
 * @since 0.1.0
 * @category answers
 */
export const errorAnswer = (error: unknown) =>
  error instanceof HttpFailure
    ? json({ error: error.message }, error.status)
    : json({ error: "invalid request" }, 400)

/**
 * A 429 with `Retry-After`.
 *
 * @since 0.1.0
 * @category answers
 */
export const rateLimited = (retryAfterSeconds: number) =>
  HttpServerResponse.unsafeJson({ error: "rate limit exceeded" }, {
    status: 429,
    headers: { "retry-after": String(retryAfterSeconds) }
  })

/**
 * A store's result: its value, or 404 for an unknown ticket and 422 for a refused change.
 *
 * @since 0.1.0
 * @category answers
 */
export const storeResult = <A>(r: InMemory.StoreResult<A>): Effect.Effect<A, HttpFailure> =>
  r.ok ? Effect.succeed(r.value) : Effect.fail(
    r.failure._tag === "not-found" ? failure(404, "ticket not found") : failure(422, r.failure.reason)
  )
