/**
 * The reference server's request pipeline and its Node HTTP server: every request is counted,
 * authenticated, put through the fault injector before and after acting, and routed; a defect
 * becomes a logged 500 instead of a dropped connection.
 *
 * @internal
 */
import type * as HttpServerError from "@effect/platform/HttpServerError"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import type * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import * as Effect from "effect/Effect"
import { createServer } from "node:http"
import { errorAnswer, json } from "./answers.js"
import type { ServerContext } from "./context.js"
import { afterActing, beforeActing } from "./faults.js"
import { route } from "./routes.js"

/**
 * The 401 for a request without the context's bearer token (counted), if it lacks it.
 *
 * @since 0.1.0
 * @category auth
 */
export const authorize = (
  context: ServerContext,
  request: HttpServerRequest.HttpServerRequest
): HttpServerResponse.HttpServerResponse | undefined => {
  if (request.headers["authorization"] === `Bearer ${context.token}`) return undefined
  context.stats.unauthorized++
  return json({ error: "invalid or missing bearer token" }, 401)
}

/** the decoded segments of a path; undefined when one is not valid percent-encoding */
const segments = (pathname: string): Array<string> | undefined => {
  try {
    return pathname.split("/").filter((s) => s !== "").map(decodeURIComponent)
  } catch {
    return undefined
  }
}

/**
 * Answers one request: counts it, checks its token, injects faults before acting, routes it
 * (turning a refusal into its answer), and injects faults into the answer.
 *
 * @since 0.1.0
 * @category server
 */
export const handle = (context: ServerContext) =>
  Effect.gen(function*() {
    const request = yield* HttpServerRequest.HttpServerRequest
    context.stats.requests++
    const unauthorized = authorize(context, request)
    if (unauthorized !== undefined) return unauthorized
    const injected = yield* beforeActing(context)
    if (injected !== undefined) return injected
    const url = new URL(request.url, "http://reference.invalid")
    const path = segments(url.pathname)
    if (path === undefined) return json({ error: "malformed path" }, 400)
    const response = yield* route(context, { request, method: request.method, path, params: url.searchParams }).pipe(
      Effect.catchAll((error) => Effect.succeed(errorAnswer(error)))
    )
    return yield* afterActing(context, response)
  })

/**
 * {@link handle}, with a defect logged and answered 500.
 *
 * @since 0.1.0
 * @category server
 */
export const app = (context: ServerContext) =>
  handle(context).pipe(
    Effect.catchAllDefect((defect) =>
      Effect.as(
        Effect.logError("reference server: internal error", defect),
        json({ error: `internal error: ${defect instanceof Error ? defect.message : String(defect)}` }, 500)
      )
    )
  )

/**
 * Serves the context on a Node HTTP server at this address in the current scope; gives its URL.
 *
 * @since 0.1.0
 * @category server
 */
export const serve = (context: ServerContext, address: { readonly port: number; readonly host: string }) =>
  Effect.gen(function*() {
    const server = yield* NodeHttpServer.make(() => createServer(), address)
    yield* server.serve(
      app(context) as Effect.Effect<HttpServerResponse.HttpServerResponse, HttpServerError.RequestError, HttpServerRequest.HttpServerRequest>
    )
    const bound = server.address
    return bound._tag === "TcpAddress" ? `http://${bound.hostname}:${bound.port}` : "http://127.0.0.1"
  })
