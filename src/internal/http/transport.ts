/**
 * The transport itself: one request through the platform `HttpClient`, with authentication, the
 * redirect policy, the timeout, the body cap, and every outcome mapped once onto the error family.
 * Each step is a module-level function of a {@link Context}, made once per transport.
 *
 * @internal
 */
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as Headers from "@effect/platform/Headers"
import * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as FiberRef from "effect/FiberRef"
import * as LogLevel from "effect/LogLevel"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import type * as Runtime from "effect/Runtime"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import type { AdapterError } from "../../AdapterError.js"
import {
  AuthenticationError,
  ConnectionError,
  fromParseError,
  InvalidInputError,
  InvalidResponseError,
  RateLimitError,
  RequestRejectedError,
  ServerError,
  TicketNotFoundError,
  TimeoutError
} from "../../AdapterError.js"
import * as Redaction from "../../Redaction.js"
import * as Json from "../json.js"
import { currentOperation } from "../operation.js"
import { withSpanEndingEmpty } from "../span.js"
import * as Metrics from "../telemetry/metrics.js"
import type { HttpTransport, Request, Response } from "./model.js"
import type { Options } from "./options.js"
import { expandPath, redactUrl, retryAfterOf, secretParams, secretValues, systemMessage } from "./text.js"
import * as Timeout from "./timeout.js"
import { codeOf as causeCode } from "../cause.js"

/** a request whose operation is known */
type Named = Request & { readonly operation: string }

/** a response and its body, read in full */
interface Answer {
  readonly response: HttpClientResponse.HttpClientResponse
  readonly body: Uint8Array
}

/** what every request of one transport shares, made once */
interface Context {
  readonly name: string
  readonly options: Options
  readonly baseUrl: string
  readonly baseOrigin: string
  readonly client: HttpClient.HttpClient
  readonly scopedClient: HttpClient.HttpClient.With<HttpClientError.HttpClientError, import("effect/Scope").Scope>
  readonly runtime: Runtime.Runtime<never>
  readonly fetchInit: globalThis.RequestInit
  readonly timeoutMillis: number
  readonly scrubber: Redaction.Scrubber
  readonly redactedNames: ReadonlyArray<string>
  readonly commonHeaders: Readonly<Record<string, string>>
}

/** redirects of a read followed (within the base URL's origin) before giving up */
const maxRedirects = 5

const decoder = new TextDecoder()

const connectionRefusedCodes = new Set([
  "ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "UND_ERR_CONNECT_TIMEOUT", "ERR_INVALID_URL"
])

const causeText = (cause: unknown): string => {
  const code = causeCode(cause)
  let current: unknown = cause
  let message: string | undefined
  for (let depth = 0; depth < 5 && typeof current === "object" && current !== null; depth++) {
    const m = (current as { message?: unknown }).message
    if (typeof m === "string" && m !== "" && m !== "fetch failed") message = m
    current = (current as { cause?: unknown }).cause
  }
  return [code, message].filter((s) => s !== undefined).join(": ") || "transport failure"
}

/** the headers that carry the credentials */
const authHeaders = (auth: Options["auth"]): Record<string, string> => {
  switch (auth._tag) {
    case "bearer":
      return { authorization: `Bearer ${Redacted.value(auth.token)}` }
    case "basic":
      return { authorization: `Basic ${Buffer.from(`${auth.username}:${Redacted.value(auth.password)}`).toString("base64")}` }
    case "api-key":
      return { [auth.header]: Redacted.value(auth.key) }
    case "header":
      return { [auth.name]: Redacted.value(auth.value) }
    case "none":
      return {}
  }
}

/** the scrubber of one request: the transport's, and the values of its secret query parameters */
const scrubberOf = (ctx: Context, request: Named): Redaction.Scrubber => {
  const extra = Object.entries(request.query ?? {}).flatMap(([k, v]) =>
    v !== undefined && !Array.isArray(v) && secretParams.includes(k.toLowerCase()) && String(v).length >= 4 ? [String(v)] : []
  )
  return extra.length === 0 ? ctx.scrubber : Redaction.make([...ctx.scrubber.secrets, ...extra])
}

const ticketOf = (request: Named) => (request.ticketId === undefined ? {} : { ticketId: request.ticketId })

/** a failure of the platform client as an error of the family */
const transportError = (ctx: Context, error: HttpClientError.HttpClientError, request: Named): AdapterError => {
  const common = { adapter: ctx.name, operation: request.operation }
  if (error._tag === "RequestError" && error.reason === "InvalidUrl") return new InvalidInputError({ ...common, detail: "the request URL is invalid" })
  if (error._tag === "RequestError" && error.reason === "Encode") {
    return new InvalidInputError({ ...common, detail: "the request body could not be encoded" })
  }
  const code = causeCode(error.cause)
  return new ConnectionError({
    ...common,
    detail: scrubberOf(ctx, request).scrub(causeText(error.cause)),
    requestSent: !(error._tag === "RequestError" && code !== undefined && connectionRefusedCodes.has(code))
  })
}

/** a non-2xx answer as an error of the family */
const statusError = (ctx: Context, answer: Answer, request: Named, nowMillis: number): AdapterError => {
  const { status, headers } = answer.response
  const scrub = scrubberOf(ctx, request).scrub
  const common = { adapter: ctx.name, operation: request.operation }
  if (status === 401 || status === 403) return new AuthenticationError({ ...common, status })
  if (status === 404) {
    return request.ticketId !== undefined
      ? new TicketNotFoundError({ ...common, ticketId: request.ticketId })
      : new InvalidResponseError({
        ...common,
        status,
        detail: `${request.method} ${request.path} answered 404 Not Found; check the base URL and the endpoint paths configured`
      })
  }
  if (status === 429) {
    const retryAfterMillis = retryAfterOf(headers, nowMillis)
    return new RateLimitError({ ...common, ...(retryAfterMillis === undefined ? {} : { retryAfterMillis }) })
  }
  if (status >= 500) return new ServerError({ ...common, status, detail: systemMessage(answer.body, status, scrub) })
  return new RequestRejectedError({ ...common, status, reason: systemMessage(answer.body, status, scrub), ...ticketOf(request) })
}

/** where a redirect answer may be followed to, or why it may not */
const redirectTarget = (ctx: Context, request: Named, from: string, answer: Answer, hop: number): string | AdapterError => {
  const status = answer.response.status
  const common = { adapter: ctx.name, operation: request.operation, status, ...ticketOf(request) }
  const location = answer.response.headers["location"]
  let target: URL | undefined
  try {
    target = location === undefined ? undefined : new URL(location, from)
  } catch {
    target = undefined
  }
  const what = `${request.method} ${request.path} was redirected (${status})`
  if (target === undefined || (target.protocol !== "http:" && target.protocol !== "https:")) {
    return new InvalidResponseError({ ...common, detail: `${what} without a usable Location` })
  }
  const shown = scrubberOf(ctx, request).scrub(redactUrl(target))
  const advice = `Set the base URL of ${ctx.name} to where the system answers now.`
  if (request.method !== "GET") {
    return new InvalidResponseError({
      ...common,
      detail: `${what} to ${shown}. Writes are never sent again to another URL (a redirected POST would become a GET, ` +
        `or be applied twice); whether the system applied it is unknown. ${advice}`
    })
  }
  if (target.origin !== ctx.baseOrigin) {
    return new InvalidResponseError({ ...common, detail: `${what} to another origin, ${shown}: credentials are never sent to another origin. ${advice}` })
  }
  if (hop >= maxRedirects) return new InvalidResponseError({ ...common, detail: `${what} more than ${maxRedirects} times (last to ${shown})` })
  return target.href
}

/** the body of a response, never more than `maxBodyBytes` */
const readBody = (ctx: Context, response: HttpClientResponse.HttpClientResponse, request: Named): Effect.Effect<Uint8Array, AdapterError> => {
  const max = ctx.options.maxBodyBytes
  const tooLarge = () =>
    new InvalidResponseError({
      adapter: ctx.name,
      operation: request.operation,
      status: response.status,
      detail: `the response body is larger than the ${max} bytes allowed (maxBodyBytes)`,
      ...ticketOf(request)
    })
  const headers = response.headers
  const declared = headers["content-length"]
  if (declared !== undefined && Number(declared) > max) return Effect.fail(tooLarge())
  // a declared length within the cap, nothing to decompress: read it in one go (the length bounds
  // what is read); otherwise count the bytes as they come
  const encoding = headers["content-encoding"]
  if (declared !== undefined && /^\d+$/.test(declared) && (encoding === undefined || encoding === "identity")) {
    return response.arrayBuffer.pipe(
      Effect.mapError((error) => transportError(ctx, error, request)),
      Effect.flatMap((buffer) => (buffer.byteLength > max ? Effect.fail(tooLarge()) : Effect.succeed(new Uint8Array(buffer))))
    )
  }
  return response.stream.pipe(
    Stream.mapError((error) => transportError(ctx, error, request)),
    Stream.runFoldEffect({ chunks: [] as Array<Uint8Array>, size: 0 }, (acc, chunk) => {
      acc.size += chunk.length
      if (acc.size > max) return Effect.fail(tooLarge())
      acc.chunks.push(chunk)
      return Effect.succeed(acc)
    }),
    Effect.map(({ chunks, size }) => (chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size)))
  )
}

/** the response and its body, or a `TimeoutError` after `timeoutMillis` (body included) */
const exchange = (ctx: Context, httpRequest: HttpClientRequest.HttpClientRequest, request: Named): Effect.Effect<Answer, AdapterError> => {
  const attempt = <R>(execute: Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError, R>) =>
    execute.pipe(
      // `fetch` follows redirects unless told not to: the transport decides (see `send`)
      Effect.provideService(FetchHttpClient.RequestInit, ctx.fetchInit),
      Effect.mapError((error) => transportError(ctx, error, request)),
      Effect.flatMap((response) => Effect.map(readBody(ctx, response, request), (body): Answer => ({ response, body })))
    )
  return Timeout.within(
    ctx.timeoutMillis,
    ctx.runtime,
    attempt(ctx.client.execute(httpRequest)),
    attempt(ctx.scopedClient.execute(httpRequest)),
    () => new TimeoutError({ adapter: ctx.name, operation: request.operation, timeoutMillis: ctx.timeoutMillis })
  ).pipe(Metrics.exchange(ctx.name, request.operation, httpRequest.method))
}

/** the platform request: URL, headers, query and JSON body */
const httpRequestOf = (ctx: Context, request: Named, url: string) => {
  const headers = request.headers === undefined && request.idempotencyKey === undefined ? ctx.commonHeaders : {
    ...ctx.commonHeaders,
    ...request.headers,
    ...(request.idempotencyKey === undefined ? {} : { [request.idempotencyKey.header]: request.idempotencyKey.key })
  }
  let httpRequest = HttpClientRequest.make(request.method)(url).pipe(HttpClientRequest.setHeaders(headers))
  const pairs: Array<[string, string]> = []
  for (const [k, v] of Object.entries(request.query ?? {})) {
    if (v === undefined) continue
    if (Array.isArray(v)) for (const item of v) pairs.push([k, String(item)])
    else pairs.push([k, String(v)])
  }
  if (pairs.length > 0) httpRequest = HttpClientRequest.setUrlParams(httpRequest, pairs)
  if (request.body !== undefined) httpRequest = HttpClientRequest.bodyUnsafeJson(httpRequest, request.body)
  return { httpRequest, headers, pairs }
}

/** one request, redirects followed where the policy allows; any non-2xx answer fails */
const sendNamed = (ctx: Context, request: Named): Effect.Effect<Response, AdapterError> =>
  Effect.gen(function*() {
    const path = expandPath(request.path, request.pathParams)
    if (path === undefined) {
      return yield* request.ticketId !== undefined
        ? new TicketNotFoundError({ adapter: ctx.name, operation: request.operation, ticketId: request.ticketId })
        : new InvalidInputError({ adapter: ctx.name, operation: request.operation, detail: `a value cannot be used in the path ${request.path}` })
    }
    const url = `${ctx.baseUrl}${path}`
    const { headers, httpRequest, pairs } = httpRequestOf(ctx, request, url)
    // the URL as logs show it, made only when a line is logged
    let shown: string | undefined
    const shownUrl = () =>
      (shown ??= scrubberOf(ctx, request).scrub(redactUrl(url + (pairs.length === 0 ? "" : `?${new URLSearchParams(pairs)}`))))
    const started = yield* Clock.currentTimeMillis
    let answer = yield* exchange(ctx, httpRequest, request).pipe(
      Effect.tapError((error) => Effect.logDebug(`${request.method} ${shownUrl()} failed: ${error.message}`))
    )
    // redirects: only reads, only within the base URL's origin, at most `maxRedirects`
    let at = url
    for (let hop = 0; answer.response.status >= 300 && answer.response.status < 400 && answer.response.status !== 304; hop++) {
      const target = redirectTarget(ctx, request, at, answer, hop)
      if (typeof target !== "string") return yield* Effect.fail(target)
      yield* Effect.logDebug(`${request.method} ${shownUrl()} → ${answer.response.status}, following to ${scrubberOf(ctx, request).scrub(redactUrl(target))}`)
      at = target
      answer = yield* exchange(ctx, HttpClientRequest.get(target).pipe(HttpClientRequest.setHeaders(headers)), request)
    }
    const status = answer.response.status
    const now = yield* Clock.currentTimeMillis
    yield* Effect.annotateCurrentSpan("http.response.status_code", status)
    yield* Effect.whenLogLevel(
      Effect.suspend(() => Effect.logDebug(`${request.method} ${shownUrl()} → ${status} (${now - started} ms)`)),
      LogLevel.Debug
    )
    if (status < 200 || status >= 300) return yield* Effect.fail(statusError(ctx, answer, request, now))
    return { status, headers: answer.response.headers, body: answer.body } satisfies Response
  })

/** sends a request as the operation being served (the port's, else the request's own) */
const send = (ctx: Context, input: Request): Effect.Effect<Response, AdapterError> =>
  Effect.flatMap(FiberRef.get(currentOperation), (current) => {
    const operation = current ?? input.operation ?? "request"
    const request: Named = input.operation === operation ? input as Named : { ...input, operation }
    // the span ends with nothing (withSpanEndingEmpty): ended with the response, it kept the body
    // bytes alive
    return sendNamed(ctx, request).pipe(
      Effect.locally(Headers.currentRedactedNames, ctx.redactedNames),
      withSpanEndingEmpty(`http.client ${request.method}`, {
        kind: "client",
        // the caller's span (ticketkit.<operation>) has the useful location; this one would
        // only point into the transport
        captureStackTrace: false,
        attributes: {
          "http.request.method": request.method,
          "url.template": request.path,
          "ticketkit.system": ctx.name,
          "ticketkit.operation": operation
        }
      })
    )
  })

/** decodes a read body with the schema: bounded JSON, errors naming the field, scrubbed */
const decode = <A, I>(ctx: Context, schema: Schema.Schema<A, I, never>, response: Response, input: Request): Effect.Effect<A, AdapterError> => {
  const operation = input.operation ?? "request"
  const common = { adapter: ctx.name, operation, status: response.status, ...(input.ticketId === undefined ? {} : { ticketId: input.ticketId }) }
  let json: unknown
  if (response.body.length > 0) {
    const parsed = Json.parse(decoder.decode(response.body))
    if (parsed._tag === "Error") return Effect.fail(new InvalidResponseError({ ...common, detail: parsed.detail }))
    json = parsed.value
  }
  // nothing to check: the parsed body as it is
  if (schema.ast._tag === "UnknownKeyword") return Effect.succeed(json as A)
  return Schema.decodeUnknown(schema)(json).pipe(
    Effect.mapError((error) => Redaction.scrubFields(ctx.scrubber, fromParseError(error, { ...common, ticketId: input.ticketId })))
  )
}

/** makes the transport's context, then the transport */
export const make = (
  options: Options & {
    readonly name: string
    readonly transformClient?: (client: HttpClient.HttpClient) => HttpClient.HttpClient
  }
): Effect.Effect<HttpTransport, never, HttpClient.HttpClient> =>
  Effect.gen(function*() {
    const platform = yield* HttpClient.HttpClient
    // our own span replaces the platform's, which records the full URL and request headers
    const client = (options.transformClient ?? ((c) => c))(platform.pipe(HttpClient.withTracerDisabledWhen(() => true)))
    const baseUrl = options.baseUrl.replace(/\/+$/, "")
    const ctx: Context = {
      name: options.name,
      options,
      baseUrl,
      baseOrigin: new URL(baseUrl).origin,
      client,
      scopedClient: HttpClient.withScope(client),
      runtime: yield* Effect.runtime<never>(),
      fetchInit: { ...Option.getOrUndefined(yield* Effect.serviceOption(FetchHttpClient.RequestInit)), redirect: "manual" },
      timeoutMillis: Duration.toMillis(options.timeout),
      scrubber: Redaction.make([...secretValues(options.auth), ...(yield* FiberRef.get(Redaction.currentSecrets))]),
      redactedNames: [
        "authorization", "cookie", "set-cookie", "x-api-key", "proxy-authorization",
        ...options.redactHeaders.map((h) => h.toLowerCase()),
        ...(options.auth._tag === "api-key" ? [options.auth.header.toLowerCase()] : []),
        ...(options.auth._tag === "header" ? [options.auth.name.toLowerCase()] : [])
      ],
      commonHeaders: { accept: "application/json", "user-agent": options.userAgent, ...authHeaders(options.auth) }
    }
    return {
      name: ctx.name,
      baseUrl,
      send: (request) => send(ctx, request),
      decode: (schema, response, request) => decode(ctx, schema, response, request),
      json: (schema, request) => Effect.flatMap(send(ctx, request), (response) => decode(ctx, schema, response, request)),
      scrub: ctx.scrubber.scrub,
      scrubber: ctx.scrubber
    }
  })
