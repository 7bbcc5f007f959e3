/**
 * The system's own message in an error answer, where the configuration says it is
 * (`responses.errorMessage`): a step on the platform client that rewrites a non-2xx JSON body into
 * `{"message": …}` before the transport reads it, so that the transport's error (scrubbed, capped,
 * typed by status) carries that message. The body is read up to a bound; anything that is not JSON
 * or has none of the paths is passed on as it came.
 *
 * @internal
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import * as Json from "../../internal/json.js"
import { getPath } from "./paths.js"

/** the most of an error body read for its message */
const MAX_ERROR_BODY = 64 * 1024

/** the text of a value at a message path: a string, or the strings of an array or object, joined */
export const messageText = (value: unknown, depth = 0): string | undefined => {
  if (typeof value === "string") return value.trim() === "" ? undefined : value
  if (typeof value === "number" || typeof value === "boolean") return String(value)
  if (depth > 4 || typeof value !== "object" || value === null) return undefined
  const parts = (Array.isArray(value) ? value : Object.values(value)).map((v) => messageText(v, depth + 1)).filter((s) => s !== undefined)
  return parts.length === 0 ? undefined : parts.join("; ")
}

/** the message of an error body at the first of the paths that has one */
export const messageOf = (body: unknown, paths: ReadonlyArray<string>): string | undefined => {
  for (const path of paths) {
    const found = messageText(getPath(body, path))
    if (found !== undefined) return found
  }
  return undefined
}

const readBounded = (response: HttpClientResponse.HttpClientResponse) =>
  response.stream.pipe(
    Stream.runFoldWhile(
      { chunks: [] as Array<Uint8Array>, size: 0 },
      (acc) => acc.size <= MAX_ERROR_BODY,
      (acc, chunk) => {
        acc.chunks.push(chunk)
        acc.size += chunk.length
        return acc
      }
    ),
    Effect.map(({ chunks, size }) => Buffer.concat(chunks, size))
  )

/**
 * A 403 that says it is a rate limit (GitHub's: `x-ratelimit-remaining: 0`, or a `Retry-After`) is
 * one: it is answered as a 429, so that the transport waits and retries instead of reporting a
 * refused credential.
 */
export const isRateLimited403 = (response: HttpClientResponse.HttpClientResponse): boolean =>
  response.status === 403 &&
  (response.headers["x-ratelimit-remaining"]?.trim() === "0" || response.headers["retry-after"] !== undefined)

const asRateLimit = (response: HttpClientResponse.HttpClientResponse) =>
  isRateLimited403(response)
    ? Effect.map(readBounded(response), (bytes) =>
      HttpClientResponse.fromWeb(
        response.request,
        new Response(bytes, { status: 429, headers: Object.entries(response.headers).filter(([name]) => name !== "content-length" && name !== "content-encoding") })
      )).pipe(Effect.orElseSucceed(() => response))
    : Effect.succeed(response)

/**
 * The client with error bodies rewritten to the system's message found at `paths`, and a 403 that
 * is a rate limit answered as a 429.
 */
export const withErrorMessages = (paths: ReadonlyArray<string>) => (client: HttpClient.HttpClient): HttpClient.HttpClient =>
  HttpClient.transformResponse(client, Effect.flatMap((answer) => Effect.flatMap(asRateLimit(answer), (response) => {
    if (response.status < 400 || paths.length === 0) return Effect.succeed(response)
    const declared = Number(response.headers["content-length"])
    if (declared > MAX_ERROR_BODY) return Effect.succeed(response)
    return readBounded(response).pipe(
      Effect.map((bytes) => {
        const parsed = bytes.length > MAX_ERROR_BODY ? undefined : Json.parse(new TextDecoder().decode(bytes))
        const message = parsed?._tag === "Ok" ? messageOf(parsed.value, paths) : undefined
        const headers = Object.entries(response.headers).filter(([name]) => name !== "content-length" && name !== "content-encoding")
        return HttpClientResponse.fromWeb(
          response.request,
          new Response(message === undefined ? bytes : JSON.stringify({ message }), {
            status: response.status,
            headers: message === undefined ? headers : [...headers.filter(([name]) => name !== "content-type"), ["content-type", "application/json"]]
          })
        )
      }),
      // a body that cannot be read is the transport's to report: pass the answer on as it is
      Effect.orElseSucceed(() => response)
    )
  })))
