/**
 * What a hostile ticket server can try (issue 13), against the REST adapter over real HTTP on
 * 127.0.0.1, with both platform clients (undici and fetch):
 *
 * - redirects: credentials never reach another origin, a write is never turned into a read nor
 *   re-sent, and a redirected write fails with a typed error naming the target;
 * - prototype pollution through custom field names, from the caller and from the server;
 * - lenient dates, and echoes of the credential in decoded fields.
 */
import { FetchHttpClient, HttpClient, HttpClientResponse } from "@effect/platform"
import { NodeHttpClient } from "@effect/platform-node"
import { assert, describe, it } from "@effect/vitest"
import { Effect, FastCheck as fc, Layer, Redacted, Stream } from "effect"
import { RestAdapter, TicketSystemAdapter } from "ticketkit"
import { fakeServer, wireTicket } from "../cli/FakeServer.js"
import type { Answer, FakeRequest } from "../cli/FakeServer.js"

const KEY = "hostile-test-key-5d1c9a"

const clients = [
  ["undici", NodeHttpClient.layerUndici],
  ["fetch", FetchHttpClient.layer]
] as const

const adapterOn = (baseUrl: string, client: Layer.Layer<HttpClient.HttpClient>, auth: RestAdapter.OptionsInput["auth"] = {
  _tag: "api-key",
  header: "X-Redmine-API-Key",
  key: Redacted.make(KEY)
}) =>
  Layer.build(RestAdapter.layer({ name: "hostile", baseUrl, auth }).pipe(Layer.provide(client))).pipe(
    Effect.map((context) => context.unsafeMap.get(TicketSystemAdapter.TicketSystemAdapter.key) as TicketSystemAdapter.Service),
    Effect.orDie
  )

/** every request a server saw, with the credential it carried */
const recorder = (answer: (request: FakeRequest) => Answer) => {
  const seen: Array<{ method: string; path: string; key: string | undefined }> = []
  return {
    seen,
    handler: (request: FakeRequest): Answer => {
      const key = request.headers["x-redmine-api-key"]
      seen.push({ method: request.method, path: request.url.pathname, key: typeof key === "string" ? key : undefined })
      return answer(request)
    }
  }
}

describe("redirects (issue 13, item 1)", () => {
  for (const [clientName, client] of clients) {
    it.scoped(`${clientName}: a redirect to another origin is not followed, and no credential goes there`, () =>
      Effect.gen(function*() {
        const elsewhere = recorder(() => ({ json: wireTicket(1) }))
        const other = yield* fakeServer(elsewhere.handler)
        const system = recorder(() => ({ status: 302, headers: { location: `${other.url}/steal?x=1` } }))
        const server = yield* fakeServer(system.handler)
        const adapter = yield* adapterOn(server.url, client)
        const error = yield* Effect.flip(adapter.getTicket("1"))
        assert.strictEqual(error._tag, "InvalidResponseError")
        assert.include(error.message, `${other.url}/steal`)
        assert.include(error.message, "another origin")
        assert.strictEqual(elsewhere.seen.length, 0, "nothing reached the other origin")
        assert.notInclude(error.message, KEY)
      }))

    for (const status of [301, 302, 303, 307, 308]) {
      it.scoped(`${clientName}: a write redirected with ${status} fails typed, naming the target, and is not re-sent`, () =>
        Effect.gen(function*() {
          const system = recorder((request) =>
            request.url.pathname === "/moved/notes"
              ? { status: 201, json: { ok: true } }
              : { status, headers: { location: "/moved/notes" } }
          )
          const server = yield* fakeServer(system.handler)
          const adapter = yield* adapterOn(server.url, client)
          const error = yield* Effect.flip(adapter.addNote("7", "a note"))
          assert.strictEqual(error._tag, "InvalidResponseError")
          assert.include(error.message, `${server.url}/moved/notes`)
          assert.deepStrictEqual(system.seen.map((r) => `${r.method} ${r.path}`), ["POST /api/tickets/7/notes"], "one POST, no GET")
        }))
    }

    it.scoped(`${clientName}: a read redirected within the origin is followed, with the credential`, () =>
      Effect.gen(function*() {
        const system = recorder((request) =>
          request.url.pathname === "/v2/api/tickets/5"
            ? { json: wireTicket(5) }
            : { status: 301, headers: { location: `/v2${request.url.pathname}` } }
        )
        const server = yield* fakeServer(system.handler)
        const adapter = yield* adapterOn(server.url, client)
        const ticket = yield* adapter.getTicket("5")
        assert.strictEqual(ticket.id, "5")
        assert.deepStrictEqual(system.seen.map((r) => [r.path, r.key]), [["/api/tickets/5", KEY], ["/v2/api/tickets/5", KEY]])
      }))

    it.scoped(`${clientName}: a redirect loop ends with a typed error`, () =>
      Effect.gen(function*() {
        const system = recorder((request) => ({ status: 302, headers: { location: `${request.url.pathname}x` } }))
        const server = yield* fakeServer(system.handler)
        const adapter = yield* adapterOn(server.url, client)
        const error = yield* Effect.flip(adapter.getTicket("5"))
        assert.strictEqual(error._tag, "InvalidResponseError")
        assert.include(error.message, "more than 5 times")
        assert.strictEqual(system.seen.length, 6)
      }))
  }
})

/** an adapter whose HTTP client answers from a function (no network) */
const doubleAdapter = (answer: (request: { method: string; url: URL; body: unknown }) => unknown, status = 200) =>
  Layer.build(RestAdapter.layer({ name: "double", baseUrl: "https://help.example.test", auth: { _tag: "bearer", token: Redacted.make(KEY) } })).pipe(
    Effect.map((context) => context.unsafeMap.get(TicketSystemAdapter.TicketSystemAdapter.key) as TicketSystemAdapter.Service),
    Effect.provideService(
      HttpClient.HttpClient,
      HttpClient.make((request, url) =>
        Effect.sync(() => {
          const body = request.body._tag === "Uint8Array" ? JSON.parse(new TextDecoder().decode(request.body.body)) : undefined
          const text = JSON.stringify(answer({ method: request.method, url, body }))
          return HttpClientResponse.fromWeb(request, new Response(text, { status, headers: { "content-type": "application/json" } }))
        })
      )
    ),
    Effect.scoped,
    Effect.orDie
  )

describe("prototype pollution (issue 13, item 2)", () => {
  const names = fc.oneof(
    fc.constantFrom("__proto__", "__proto__.isAdmin", "constructor", "constructor.prototype.isAdmin", "prototype", "a.__proto__.b", "toString"),
    fc.string({ maxLength: 20 }),
    fc.array(fc.constantFrom("__proto__", "constructor", "prototype", "isAdmin", "x"), { minLength: 1, maxLength: 4 }).map((parts) => parts.join("."))
  )

  it.effect.prop("custom field names from a caller are data: Object.prototype is untouched", { name: names }, ({ name }) =>
    Effect.gen(function*() {
      const sent: Array<unknown> = []
      const adapter = yield* doubleAdapter(({ body, method }) => {
        if (method !== "GET") sent.push(body)
        return wireTicket(3, { custom_fields: { [name]: "v" } })
      })
      yield* adapter.updateTicket("3", { customFields: { [name]: true } })
      yield* adapter.createTicket({ title: "t", queue: { name: "Support" }, customFields: { [name]: 1 } })
      assert.isUndefined((Object.prototype as Record<string, unknown>).isAdmin)
      assert.isUndefined(({} as Record<string, unknown>).isAdmin)
      assert.strictEqual(Object.getPrototypeOf({}), Object.prototype)
      // the name travels as one key, as it was given
      for (const body of sent) {
        const fields = (body as { custom_fields: object }).custom_fields
        assert.deepStrictEqual(Object.keys(fields), [name])
      }
    }), { fastCheck: { numRuns: 100 } })

  it.effect("custom field names from a server are data too: a ticket mirrored elsewhere pollutes nothing", () =>
    Effect.gen(function*() {
      const fields = `{"__proto__":["isAdmin"],"__proto__.isAdmin":"1","constructor":"c"}`
      const source = yield* doubleAdapter(() => ({ tickets: [{ ...wireTicket(1), custom_fields: JSON.parse(fields) }], total: 1 }))
      const [ticket] = yield* source.fetchTickets({ limit: 1 })
      assert.deepStrictEqual(Object.keys(ticket!.customFields), ["__proto__", "__proto__.isAdmin", "constructor"])
      assert.strictEqual(Object.getPrototypeOf(ticket!.customFields), Object.prototype, "the decoded object keeps its prototype")
      const sent: Array<unknown> = []
      const target = yield* doubleAdapter(({ body, method }) => {
        if (method !== "GET") sent.push(body)
        return wireTicket(9)
      })
      yield* target.updateTicket("9", { customFields: ticket!.customFields })
      assert.isUndefined((Object.prototype as Record<string, unknown>).isAdmin)
      assert.deepStrictEqual((sent[0] as { custom_fields: unknown }).custom_fields, JSON.parse(fields))
    }))
})

describe("answers a decoder must not trust (issue 13, items 4 and 9)", () => {
  for (const [value, what] of [["1", "a bare number"], ["x 5", "text with a number"], ["2026-02-30T10:00:00Z", "February 30"], ["2026-11-02T08:01:00", "a time without a zone"]] as const) {
    it.effect(`a date that is ${what} (${JSON.stringify(value)}) is an InvalidResponseError naming the field`, () =>
      Effect.gen(function*() {
        const adapter = yield* doubleAdapter(() => wireTicket(4, { modified: value }))
        const error = yield* Effect.flip(adapter.getTicket("4"))
        assert.strictEqual(error._tag, "InvalidResponseError")
        assert.strictEqual(error._tag === "InvalidResponseError" ? error.path : undefined, "modified")
      }))
  }

  it.effect("strict dates still read every ISO 8601 form a system sends", () =>
    Effect.gen(function*() {
      for (const [value, iso] of [
        ["2026-11-02T08:01:00Z", "2026-11-02T08:01:00.000Z"],
        ["2026-11-02T09:01:00.5+01:00", "2026-11-02T08:01:00.500Z"],
        ["2026-11-02 08:01:00Z", "2026-11-02T08:01:00.000Z"],
        ["2026-11-02", "2026-11-02T00:00:00.000Z"]
      ] as const) {
        const adapter = yield* doubleAdapter(() => wireTicket(4, { modified: value }))
        const ticket = yield* adapter.getTicket("4")
        assert.strictEqual(ticket.updatedAt.toJSON(), iso)
      }
    }))

  const echoes: ReadonlyArray<readonly [string, (key: string) => unknown]> = [
    ["as an unknown status", (key) => ({ status: key })],
    ["in a title of the wrong type", (key) => ({ subject: { text: key } })],
    ["lowercased", (key) => ({ status: key.toUpperCase() })],
    ["HTML-escaped", (key) => ({ status: Array.from(key, (c) => `&#x${c.charCodeAt(0).toString(16)};`).join("") })],
    ["percent-encoded", (key) => ({ status: encodeURIComponent(key).replace(/-/g, "%2D") })]
  ]
  for (const [how, fields] of echoes) {
    it.effect(`a credential echoed ${how} never reaches the error, its message or its stack`, () =>
      Effect.gen(function*() {
        const ticket = wireTicket(4, fields(KEY) as Record<string, unknown>)
        const adapter = yield* doubleAdapter(({ url }) => (url.pathname === "/api/tickets" ? { tickets: [ticket], total: 1 } : ticket))
        for (const operation of ["getTicket", "fetchTickets"] as const) {
          const error = yield* Effect.flip(
            operation === "getTicket" ? Effect.asVoid(adapter.getTicket("4")) : Effect.asVoid(adapter.fetchTickets({ limit: 1 }))
          )
          assert.strictEqual(error._tag, "InvalidResponseError")
          const text = `${error.message}\n${error.stack}\n${JSON.stringify(error)}`.toLowerCase()
          assert.notInclude(text, KEY.toLowerCase())
          assert.notInclude(text, "hostile-test")
          assert.include(text, "<redacted>")
        }
      }))
  }

  it.effect("a body that is not JSON is not quoted (its first characters could be the credential)", () =>
    Effect.gen(function*() {
      const adapter = yield* Layer.build(
        RestAdapter.layer({ name: "double", baseUrl: "https://help.example.test", auth: { _tag: "bearer", token: Redacted.make(KEY) } })
      ).pipe(
        Effect.map((context) => context.unsafeMap.get(TicketSystemAdapter.TicketSystemAdapter.key) as TicketSystemAdapter.Service),
        Effect.provideService(
          HttpClient.HttpClient,
          HttpClient.make((request) =>
            Effect.succeed(HttpClientResponse.fromWeb(request, new Response(`${KEY.slice(0, 12)}{not json`, { status: 200 })))
          )
        ),
        Effect.scoped,
        Effect.orDie
      )
      const error = yield* Effect.flip(adapter.getTicket("4"))
      assert.strictEqual(error._tag, "InvalidResponseError")
      assert.notInclude(error.message, KEY.slice(0, 6))
    }))

  it.effect("a stream's error names streamTickets (issue 13, item 12)", () =>
    Effect.gen(function*() {
      const adapter = yield* doubleAdapter(() => ({ tickets: [wireTicket(1, { status: 5 })], total: 1 }))
      const error = yield* Effect.flip(Stream.runDrain(adapter.streamTickets({ pageSize: 10 })))
      assert.strictEqual(error.operation, "streamTickets")
      assert.include(error.message, "streamTickets")
    }))

  it.effect("a huge system message is capped in every error field", () =>
    Effect.gen(function*() {
      const adapter = yield* doubleAdapter(() => ({ message: "x".repeat(5_000_000) }), 422)
      const error = yield* Effect.flip(adapter.updateTicket("4", { title: "t" }))
      assert.strictEqual(error._tag, "RequestRejectedError")
      assert.isBelow(error.message.length, 3000)
    }))
})
