import { HttpClient, HttpClientError, HttpClientResponse } from "@effect/platform"
import { NodeHttpClient } from "@effect/platform-node"
import { assert, describe, it } from "@effect/vitest"
import { Cause, Effect, Exit, Fiber, Redacted, Schema, TestClock } from "effect"
import * as http from "node:http"
import { HttpTransport } from "ticketkit"
import { leaks, record } from "./support/Capture.js"

const TOKEN = "s3cret-token-value-42"

interface Seen {
  url?: string
  headers?: Record<string, string>
  count: number
}

/** An HttpClient double answering every request with the given response. */
const double = (
  answer: (url: URL) => Response | "never" | { readonly error: unknown; readonly reason?: "Transport" },
  seen: Seen = { count: 0 }
) =>
  HttpClient.make((request, url) => {
    seen.count++
    seen.url = url.toString()
    seen.headers = { ...request.headers }
    const result = answer(url)
    if (result === "never") return Effect.never
    if ("error" in result) {
      return Effect.fail(new HttpClientError.RequestError({ request, reason: result.reason ?? "Transport", cause: result.error }))
    }
    return Effect.succeed(HttpClientResponse.fromWeb(request, result))
  })

const transport = (
  client: HttpClient.HttpClient,
  options: Partial<HttpTransport.OptionsInput> = {}
) =>
  Effect.provideService(
    Effect.flatMap(
      Schema.decodeUnknown(HttpTransport.Options)({ baseUrl: "https://help.example.test/base", auth: { _tag: "bearer", token: TOKEN }, ...options }),
      (decoded) => HttpTransport.make({ ...decoded, name: "helpdesk" })
    ),
    HttpClient.HttpClient,
    client
  ).pipe(Effect.orDie)

const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } })

const get = (t: HttpTransport.HttpTransport, ticketId?: string) =>
  t.send({ method: "GET", path: ticketId === undefined ? "/api/tickets" : "/api/tickets/{id}", ...(ticketId === undefined ? {} : { pathParams: { id: ticketId }, ticketId }), operation: "getTicket" })

describe("HttpTransport", () => {
  it.effect("prefixes the base URL, authenticates and accepts JSON", () =>
    Effect.gen(function*() {
      const seen: Seen = { count: 0 }
      const t = yield* transport(double(() => json({ ok: true }), seen), { userAgent: "triage-bot/1" })
      const body = yield* t.json(Schema.Struct({ ok: Schema.Boolean }), { method: "GET", path: "/api/tickets", query: { state: "open", limit: 5, skip: undefined }, operation: "fetchTickets" })
      assert.deepStrictEqual(body, { ok: true })
      assert.strictEqual(seen.url, "https://help.example.test/base/api/tickets?state=open&limit=5")
      assert.strictEqual(seen.headers?.["authorization"], `Bearer ${TOKEN}`)
      assert.strictEqual(seen.headers?.["accept"], "application/json")
      assert.strictEqual(seen.headers?.["user-agent"], "triage-bot/1")
    }))

  it.effect("authenticates with basic, API-key header and custom header", () =>
    Effect.gen(function*() {
      const seen: Seen = { count: 0 }
      const client = double(() => json({}), seen)
      yield* Effect.flatMap(transport(client, { auth: { _tag: "basic", username: "bot", password: "pw" } }), (t) => get(t))
      assert.strictEqual(seen.headers?.["authorization"], `Basic ${Buffer.from("bot:pw").toString("base64")}`)
      yield* Effect.flatMap(transport(client, { auth: { _tag: "api-key", header: "X-Redmine-API-Key", key: "k3y-value" } }), (t) => get(t))
      assert.strictEqual(seen.headers?.["x-redmine-api-key"], "k3y-value")
      yield* Effect.flatMap(transport(client, { auth: { _tag: "header", name: "Authorization", value: Redacted.make("token 1-2-abc") } }), (t) => get(t))
      assert.strictEqual(seen.headers?.["authorization"], "token 1-2-abc")
    }))

  const statusCases: ReadonlyArray<[number, string, string | undefined]> = [
    [401, "AuthenticationError", "Check the API key or token configured for helpdesk"],
    [403, "AuthenticationError", "refused access (403)"],
    [404, "TicketNotFoundError", "ticket \"7\" was not found"],
    [400, "RequestRejectedError", "bad field"],
    [409, "RequestRejectedError", "bad field"],
    [422, "RequestRejectedError", "bad field"],
    [500, "ServerError", "(500)"],
    [502, "ServerError", "(502)"],
    [503, "ServerError", "(503)"]
  ]
  for (const [status, tag, text] of statusCases) {
    it.effect(`maps ${status} to ${tag}`, () =>
      Effect.gen(function*() {
        const t = yield* transport(double(() => json({ error: "bad field" }, status)))
        const error = yield* Effect.flip(get(t, "7"))
        assert.strictEqual(error._tag, tag)
        if (text !== undefined) assert.include(error.message, text)
      }))
  }

  it.effect("maps 404 on a collection to InvalidResponseError (wrong base URL)", () =>
    Effect.gen(function*() {
      const t = yield* transport(double(() => new Response("", { status: 404 })))
      const error = yield* Effect.flip(get(t))
      assert.strictEqual(error._tag, "InvalidResponseError")
      assert.include(error.message, "check the base URL")
    }))

  it.effect("gives the system's own message for rejected changes", () =>
    Effect.gen(function*() {
      const t = yield* transport(double(() => json({ errors: ["Subject cannot be blank", "Tracker is invalid"] }, 422)))
      const error = yield* Effect.flip(get(t, "7"))
      assert.strictEqual(error._tag, "RequestRejectedError")
      if (error._tag === "RequestRejectedError") assert.strictEqual(error.reason, "Subject cannot be blank; Tracker is invalid")
    }))

  it.effect("parses Retry-After in seconds", () =>
    Effect.gen(function*() {
      const t = yield* transport(double(() => json({}, 429, { "retry-after": "7" })))
      const error = yield* Effect.flip(get(t))
      assert.strictEqual(error._tag, "RateLimitError")
      if (error._tag === "RateLimitError") assert.strictEqual(error.retryAfterMillis, 7000)
    }))

  it.effect("parses Retry-After as an HTTP-date", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(Date.parse("2026-11-27T12:00:00Z"))
      const t = yield* transport(double(() => json({}, 429, { "retry-after": "Fri, 27 Nov 2026 12:00:30 GMT" })))
      const error = yield* Effect.flip(get(t))
      assert.isTrue(error._tag === "RateLimitError" && error.retryAfterMillis === 30_000)
    }))

  it.effect("reads RateLimit-Reset when there is no Retry-After", () =>
    Effect.gen(function*() {
      const t = yield* transport(double(() => json({}, 429, { "ratelimit-reset": "3" })))
      const error = yield* Effect.flip(get(t))
      assert.isTrue(error._tag === "RateLimitError" && error.retryAfterMillis === 3000)
    }))

  it.effect("times out (default 30 s) with TimeoutError", () =>
    Effect.gen(function*() {
      const t = yield* transport(double(() => "never"))
      const fiber = yield* Effect.fork(Effect.flip(get(t, "1")))
      yield* TestClock.adjust("29 seconds")
      assert.isNull(fiber.unsafePoll())
      yield* TestClock.adjust("1 second")
      const error = yield* Fiber.join(fiber)
      assert.strictEqual(error._tag, "TimeoutError")
      assert.include(error.message, "timed out after 30s")
    }))

  it.effect("tells a refused connection (not sent) from a dropped one (maybe sent)", () =>
    Effect.gen(function*() {
      const refused = yield* transport(double(() => ({ error: Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" }) })))
      const e1 = yield* Effect.flip(get(refused))
      assert.isTrue(e1._tag === "ConnectionError" && e1.requestSent === false)
      const reset = yield* transport(double(() => ({ error: new TypeError("fetch failed", { cause: Object.assign(new Error("other side closed"), { code: "UND_ERR_SOCKET" }) }) })))
      const e2 = yield* Effect.flip(get(reset))
      assert.isTrue(e2._tag === "ConnectionError" && e2.requestSent === true)
      assert.include(e2.message, "UND_ERR_SOCKET")
    }))

  it.effect("reports an unreachable host as ConnectionError over real HTTP", () =>
    Effect.gen(function*() {
      const client = yield* HttpClient.HttpClient
      const t = yield* transport(client, { baseUrl: "http://127.0.0.1:9" })
      const error = yield* Effect.flip(get(t))
      assert.strictEqual(error._tag, "ConnectionError")
      assert.isTrue(error._tag === "ConnectionError" && !error.requestSent)
      assert.include(error.message, "ECONNREFUSED")
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.live("on the live clock, a timeout or an interrupted caller aborts the request (headers or body late)", () =>
    Effect.gen(function*() {
      // a server that sends headers and half a body for /slow-body, nothing for /silent, and
      // tells when a connection closes
      const closed: Array<string> = []
      const server = yield* Effect.acquireRelease(
        Effect.async<http.Server>((resume) => {
          const s = http.createServer((req, res) => {
            req.socket.once("close", () => closed.push(req.url ?? ""))
            if (req.url?.startsWith("/slow-body")) {
              res.writeHead(200, { "content-type": "application/json", "content-length": "100" })
              res.write("{\"tickets\": [")
            }
          })
          s.listen(0, "127.0.0.1", () => resume(Effect.succeed(s)))
        }),
        (s) => Effect.sync(() => (s.closeAllConnections(), s.close()))
      )
      const port = (server.address() as { port: number }).port
      const client = yield* HttpClient.HttpClient
      const t = yield* transport(client, { baseUrl: `http://127.0.0.1:${port}`, timeout: "150 millis" })
      const call = (path: string) => t.send({ method: "GET", path, operation: "fetchTickets" })
      const waitClosed = (path: string) =>
        Effect.gen(function*() {
          for (let i = 0; i < 100 && !closed.includes(path); i++) yield* Effect.sleep("10 millis")
          return closed.includes(path)
        })

      for (const path of ["/silent", "/slow-body"]) {
        const error = yield* Effect.flip(call(path))
        assert.strictEqual(error._tag, "TimeoutError", path)
        assert.include(error.message, "timed out after 150ms")
        assert.isTrue(yield* waitClosed(path), `${path}: the connection was closed`)
      }
      // the caller gives up first: the request is aborted, no TimeoutError surfaces later
      const fiber = yield* Effect.fork(call("/silent-2"))
      yield* Effect.sleep("30 millis")
      const exit = yield* Fiber.interrupt(fiber)
      assert.isTrue(Exit.isInterrupted(exit))
      assert.isTrue(yield* waitClosed("/silent-2"), "the interrupted request was aborted")
    }).pipe(Effect.provide(NodeHttpClient.layerUndici), Effect.scoped))

  it.effect("caps the body it reads", () =>
    Effect.gen(function*() {
      const big = JSON.stringify({ tickets: "x".repeat(5000) })
      const declared = yield* transport(double(() => new Response(big, { status: 200 })), { maxBodyBytes: 1000 })
      const e1 = yield* Effect.flip(get(declared))
      assert.strictEqual(e1._tag, "InvalidResponseError")
      assert.include(e1.message, "larger than the 1000 bytes")
      // a streamed body without a length is stopped at the cap too
      const streamed = yield* transport(double(() => new Response(new ReadableStream({
        start(controller) {
          for (let i = 0; i < 10; i++) controller.enqueue(new TextEncoder().encode("x".repeat(500)))
          controller.close()
        }
      }))), { maxBodyBytes: 1000 })
      const e2 = yield* Effect.flip(get(streamed))
      assert.include(e2.message, "larger than the 1000 bytes")
    }))

  it.effect("reports malformed JSON and schema mismatches as InvalidResponseError naming the field", () =>
    Effect.gen(function*() {
      const truncated = yield* transport(double(() => new Response("{\"tickets\": [{\"id\": 1", { status: 200 })))
      const e1 = yield* Effect.flip(truncated.json(Schema.Unknown, { method: "GET", path: "/x", operation: "fetchTickets" }))
      assert.include(e1.message, "not valid JSON")
      const wrong = yield* transport(double(() => json({ tickets: [{ id: "1", modified: 5 }] })))
      const e2 = yield* Effect.flip(wrong.json(
        Schema.Struct({ tickets: Schema.Array(Schema.Struct({ id: Schema.String, modified: Schema.String })) }),
        { method: "GET", path: "/x", operation: "fetchTickets" }
      ))
      assert.isTrue(e2._tag === "InvalidResponseError" && e2.path === "tickets.0.modified")
    }))

  it.effect("encodes ids as one path segment; dot segments never reach the network", () =>
    Effect.gen(function*() {
      const seen: Seen = { count: 0 }
      const t = yield* transport(double(() => json({}), seen))
      yield* get(t, "../admin")
      assert.strictEqual(seen.url, "https://help.example.test/base/api/tickets/..%2Fadmin")
      yield* get(t, "1?x=y#z")
      assert.strictEqual(seen.url, "https://help.example.test/base/api/tickets/1%3Fx%3Dy%23z")
      const before = seen.count
      for (const id of ["..", ".", "%2e%2E", ".%2e"]) {
        const error = yield* Effect.flip(get(t, id))
        assert.strictEqual(error._tag, "TicketNotFoundError", id)
      }
      assert.strictEqual(seen.count, before, "no request for dot segments")
    }))

  it.effect("never shows a secret in errors, logs or spans", () =>
    Effect.gen(function*() {
      const secrets = [TOKEN, "k3y-value-secret", "hunter2-pass", Buffer.from("bot:hunter2-pass").toString("base64")]
      const answers = [
        () => json({ error: `token ${TOKEN} is not valid` }, 400),
        () => json({ error: "nope" }, 401),
        () => json({ error: `boom ${TOKEN}` }, 500),
        () => ({ error: Object.assign(new Error(`connect failed for ${TOKEN}`), { code: "ECONNRESET" }) }),
        () => new Response("{", { status: 200 })
      ]
      const auths: ReadonlyArray<HttpTransport.OptionsInput["auth"]> = [
        { _tag: "bearer", token: TOKEN },
        { _tag: "api-key", header: "X-Redmine-API-Key", key: "k3y-value-secret" },
        { _tag: "basic", username: "bot", password: "hunter2-pass" },
        { _tag: "header", name: "X-Custom-Auth", value: TOKEN }
      ]
      for (const auth of auths) {
        for (const answer of answers) {
          const { exit, recording } = yield* record(
            Effect.flatMap(transport(double(answer), { auth, baseUrl: "https://user:pa55word@help.example.test" }), (t) =>
              t.json(Schema.Unknown, { method: "GET", path: "/api/tickets", query: { key: TOKEN }, operation: "fetchTickets" }))
          )
          assert.isTrue(Exit.isFailure(exit))
          if (Exit.isFailure(exit)) {
            const error = Cause.squash(exit.cause) as Error
            for (const secret of [...secrets, "pa55word"]) {
              assert.notInclude(error.message, secret)
              assert.notInclude(JSON.stringify(error), secret)
            }
          }
          assert.deepStrictEqual(leaks(recording, [...secrets, "pa55word"]), [])
          assert.isTrue(recording.spans.some((s) => s.name === "http.client GET"), "the request is traced")
          assert.isTrue(recording.logs.some((l) => l.includes("GET https://redacted:redacted@help.example.test/api/tickets?key=%3Credacted%3E")), `logs: ${recording.logs.join(" | ")}`)
        }
      }
    }))
})

