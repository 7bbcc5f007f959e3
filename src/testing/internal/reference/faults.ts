/**
 * The fault injector: what the reference server does to a request before acting on it (the rate
 * limit, injected 429s, latency, server errors, connections dropped) and to its answer after (a
 * connection dropped, a stall, truncated JSON, a body sent slowly). Each fault is drawn from the
 * context's seeded generator and counted in its stats; the faults are read from the context at
 * each step, so `setFaults` takes effect even for requests under way.
 *
 * @internal
 */
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as NodeHttpServerRequest from "@effect/platform-node/NodeHttpServerRequest"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import { json, rateLimited } from "./answers.js"
import type { ServerContext } from "./context.js"

/** whether a fault of this rate strikes now (the generator is drawn from only for a rate above 0) */
const roll = (context: ServerContext, rate: number | undefined) => rate !== undefined && rate > 0 && context.random() < rate

/** takes a token from the rate limit's bucket after refilling it; false when none is left */
const takeToken = (context: ServerContext, rate: number): boolean => {
  const now = performance.now()
  context.bucket.tokens = Math.min(rate, context.bucket.tokens + ((now - context.bucket.at) * rate) / 1000)
  context.bucket.at = now
  if (context.bucket.tokens < 1) return false
  context.bucket.tokens -= 1
  return true
}

/** closes the request's connection without an answer */
const destroySocket = Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) =>
  Effect.sync(() => NodeHttpServerRequest.toIncomingMessage(request).socket.destroy()))

/** the answer cut in half (at least one character), still labelled JSON */
const truncated = (response: HttpServerResponse.HttpServerResponse) => {
  const text = new TextDecoder().decode((response.body as { body: Uint8Array }).body)
  return HttpServerResponse.text(text.slice(0, Math.max(1, Math.floor(text.length / 2))), {
    status: response.status,
    contentType: "application/json"
  })
}

/** the body sent in chunks of 64 bytes, each after the context's `slowBodyMs` */
const slowly = (context: ServerContext, bytes: Uint8Array, status: number) => {
  const chunks = Array.from({ length: Math.ceil(bytes.length / 64) }, (_, i) => bytes.subarray(i * 64, (i + 1) * 64))
  return HttpServerResponse.stream(
    Stream.fromIterable(chunks).pipe(Stream.tap(() => Effect.sleep(Duration.millis(context.faults.slowBodyMs!)))),
    { status, contentType: "application/json" }
  )
}

/**
 * The faults injected before acting, in order: the rate limit, an injected 429, latency, a server
 * error, a dropped connection. Gives the answer given instead of acting, if one strikes.
 *
 * @since 0.1.0
 * @category faults
 */
export const beforeActing = (
  context: ServerContext
): Effect.Effect<HttpServerResponse.HttpServerResponse | undefined, never, HttpServerRequest.HttpServerRequest> =>
  Effect.gen(function*() {
    const perSecond = context.faults.rateLimitPerSecond
    if (perSecond !== undefined && !takeToken(context, perSecond)) {
      context.stats.rateLimited++
      return rateLimited(context.faults.retryAfterSeconds ?? 1)
    }
    if (roll(context, context.faults.rateLimitRate)) {
      context.stats.rateLimited++
      return rateLimited(context.faults.retryAfterSeconds ?? 1)
    }
    const latencyMs = context.faults.latencyMs
    if (latencyMs !== undefined && latencyMs > 0) yield* Effect.sleep(Duration.millis(latencyMs))
    if (roll(context, context.faults.serverErrorRate)) {
      context.stats.serverErrors++
      const status = [500, 502, 503][Math.floor(context.random() * 3)]!
      return json({ error: "injected server error" }, status)
    }
    if (roll(context, context.faults.dropBeforeRate)) {
      context.stats.droppedBefore++
      yield* destroySocket
      return HttpServerResponse.empty({ status: 500 })
    }
    return undefined
  })

/**
 * The faults injected after acting, in order: a dropped connection, a stall, truncated JSON, a
 * slow body. Gives the answer to send.
 *
 * @since 0.1.0
 * @category faults
 */
export const afterActing = (
  context: ServerContext,
  response: HttpServerResponse.HttpServerResponse
): Effect.Effect<HttpServerResponse.HttpServerResponse, never, HttpServerRequest.HttpServerRequest> =>
  Effect.gen(function*() {
    if (roll(context, context.faults.dropAfterRate)) {
      context.stats.droppedAfter++
      yield* destroySocket
      return HttpServerResponse.empty({ status: 500 })
    }
    if (roll(context, context.faults.stallRate)) {
      context.stats.stalled++
      yield* Effect.sleep(Duration.millis(context.faults.stallMs ?? 5000))
    }
    if (roll(context, context.faults.malformedRate)) {
      context.stats.malformed++
      return truncated(response)
    }
    const slowBodyMs = context.faults.slowBodyMs
    if (slowBodyMs !== undefined && slowBodyMs > 0 && response.body._tag === "Uint8Array") {
      return slowly(context, response.body.body, response.status)
    }
    return response
  })
