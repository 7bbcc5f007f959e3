import { HttpClient, HttpClientResponse } from "@effect/platform"
import { NodeHttpClient } from "@effect/platform-node"
import { assert, describe, it, layer } from "@effect/vitest"
import { Chunk, Effect, Either, Layer, Redacted, Stream } from "effect"
import { Retry, RestAdapter, TicketSystemAdapter } from "ticketkit"
import { ReferenceServer } from "ticketkit/testing"

const fixtures = Array.from({ length: 30 }, (_, i) => ({
  title: `Ticket ${i}`,
  description: `printer problem ${i}`,
  queue: i % 2 === 0 ? "Support" : "Billing"
}))

const fast = Retry.exponential({ base: "10 millis", max: "50 millis", attempts: 8 })

/** an adapter for the running server, with options */
const adapterFor = (server: ReferenceServer.Service, options: Partial<RestAdapter.OptionsInput> = {}) =>
  Layer.build(RestAdapter.layer({ baseUrl: server.url, auth: { _tag: "bearer", token: Redacted.make(server.token) }, ...options })).pipe(
    Effect.map((context) => TicketSystemAdapter.TicketSystemAdapter.pipe((tag) => context.unsafeMap.get(tag.key) as TicketSystemAdapter.Service))
  )

layer(Layer.merge(ReferenceServer.layer({ fixtures }), NodeHttpClient.layerUndici), { excludeTestServices: true })("RestAdapter against faults", (it) => {
  it.scoped("recovers transient 5xx faults within the retry policy", () =>
    Effect.gen(function*() {
      const server = yield* ReferenceServer.ReferenceServer
      yield* server.setFaults({ serverErrorRate: 0.25, seed: 7 })
      yield* server.resetStats
      const adapter = Retry.apply(yield* adapterFor(server), fast)
      const all = yield* Stream.runCollect(adapter.streamTickets({ pageSize: 5 }))
      assert.strictEqual(Chunk.size(all), 30)
      for (const id of ["1", "2", "3", "4", "5"]) assert.strictEqual((yield* adapter.getTicket(id)).id, id)
      const stats = yield* server.stats
      assert.isAbove(stats.serverErrors, 0, "faults were injected")
      yield* server.setFaults({})
    }))

  it.scoped("does not retry 401", () =>
    Effect.gen(function*() {
      const server = yield* ReferenceServer.ReferenceServer
      yield* server.resetStats
      const adapter = Retry.apply(yield* adapterFor(server, { auth: { _tag: "bearer", token: "wrong-token" } }), fast)
      const error = yield* Effect.flip(adapter.fetchTickets())
      assert.strictEqual(error._tag, "AuthenticationError")
      assert.include(error.message, "Check the API key or token configured for rest")
      assert.strictEqual((yield* server.stats).requests, 1)
    }))

  it.scoped("reports truncated JSON as InvalidResponseError", () =>
    Effect.gen(function*() {
      const server = yield* ReferenceServer.ReferenceServer
      yield* server.setFaults({ malformedRate: 1 })
      const adapter = yield* adapterFor(server)
      const error = yield* Effect.flip(adapter.getTicket("1"))
      assert.strictEqual(error._tag, "InvalidResponseError")
      assert.include(error.message, "not valid JSON")
      yield* server.setFaults({})
    }))

  it.scoped("reports 429 with its Retry-After, and waits for it when retrying", () =>
    Effect.gen(function*() {
      const server = yield* ReferenceServer.ReferenceServer
      yield* server.setFaults({ rateLimitPerSecond: 1, retryAfterSeconds: 1 })
      const adapter = yield* adapterFor(server)
      // fill this second's allowance (it may already be used), then one more is refused
      const results = yield* Effect.forEach([1, 2, 3], () => Effect.either(adapter.getTicket("1")))
      const limited = results.find(Either.isLeft)
      assert.isDefined(limited)
      const error = (limited as Either.Left<never, unknown>).left as { _tag: string; retryAfterMillis?: number }
      assert.strictEqual(error._tag, "RateLimitError")
      assert.strictEqual(error.retryAfterMillis, 1000)
      const retried = Retry.apply(adapter, fast)
      const ticket = yield* retried.getTicket("2")
      assert.strictEqual(ticket.id, "2")
      yield* server.setFaults({})
    }))

  it.scoped("a connection dropped before acting is a ConnectionError, and is retried", () =>
    Effect.gen(function*() {
      const server = yield* ReferenceServer.ReferenceServer
      yield* server.setFaults({ dropBeforeRate: 1 })
      const adapter = yield* adapterFor(server)
      const error = yield* Effect.flip(adapter.getTicket("1"))
      assert.strictEqual(error._tag, "ConnectionError")
      yield* server.setFaults({ dropBeforeRate: 0.5, seed: 3 })
      const ticket = yield* Retry.apply(adapter, fast).getTicket("1")
      assert.strictEqual(ticket.id, "1")
      yield* server.setFaults({})
    }))

  it.scoped("a note whose answer was lost is not posted twice", () =>
    Effect.gen(function*() {
      const server = yield* ReferenceServer.ReferenceServer
      const adapter = Retry.apply(yield* adapterFor(server), fast)
      yield* server.setFaults({ dropAfterRate: 1 })
      const error = yield* Effect.flip(adapter.addNote("3", "only once, please"))
      yield* server.setFaults({})
      assert.strictEqual(error._tag, "ConnectionError")
      assert.isTrue(error._tag === "ConnectionError" && error.requestSent)
      const notes = yield* adapter.listNotes("3")
      assert.strictEqual(notes.filter((n) => n.body === "only once, please").length, 1, "stored once, not re-sent")
    }))

  it.scoped("times out on a slow body", () =>
    Effect.gen(function*() {
      const server = yield* ReferenceServer.ReferenceServer
      yield* server.setFaults({ slowBodyMs: 200 })
      const adapter = yield* adapterFor(server, { timeout: "300 millis" })
      const error = yield* Effect.flip(adapter.fetchTickets({ limit: 20 }))
      assert.strictEqual(error._tag, "TimeoutError")
      yield* server.setFaults({})
    }))

  it.scoped("pages by page number and by cursor when so configured", () =>
    Effect.gen(function*() {
      const server = yield* ReferenceServer.ReferenceServer
      for (const pagination of [{ style: "page" as const }, { style: "cursor" as const }, { style: "offset" as const }]) {
        const adapter = yield* adapterFor(server, { pagination })
        const streamed = yield* Stream.runCollect(adapter.streamTickets({ pageSize: 7 }))
        assert.deepStrictEqual(Chunk.toReadonlyArray(streamed).map((t) => Number(t.id)), Array.from({ length: 30 }, (_, i) => i + 1), pagination.style)
        const limited = yield* adapter.fetchTickets({ pageSize: 7, limit: 10 })
        assert.strictEqual(limited.length, 10, pagination.style)
      }
    }))
})

describe("RestAdapter configuration", () => {
  const build = (options: unknown) =>
    Layer.build(RestAdapter.layer(options as RestAdapter.OptionsInput)).pipe(
      Effect.scoped,
      Effect.provideService(HttpClient.HttpClient, HttpClient.make(() => Effect.die("no request expected"))),
      Effect.flip
    )

  it.effect("a wrong configuration fails when the layer is built, naming the key", () =>
    Effect.gen(function*() {
      const cases: ReadonlyArray<[unknown, string]> = [
        [{ baseUrl: "not a url" }, "baseUrl"],
        [{ baseUrl: "ftp://x" }, "expected an http or https URL"],
        [{ baseUrl: "http://x", endpoints: { get: "/tickets" } }, "endpoints.get: a ticket path must contain {id}"],
        [{ baseUrl: "http://x", pagination: { style: "pages" } }, "pagination.style"],
        [{ baseUrl: "http://x", states: { Open: "active" } }, "states.Open"],
        [{ baseUrl: "http://x", timeout: "soon" }, "expected a duration such as \"30 seconds\""],
        [{ baseUrl: "http://x", auth: { _tag: "bearer", token: "" } }, "auth"],
        [{ baseUrl: "http://x", colour: "red" }, "colour"]
      ]
      for (const [options, expected] of cases) {
        const error = yield* build(options)
        assert.strictEqual(error._tag, "ConfigurationError")
        assert.include(error.message, expected, JSON.stringify(options))
      }
    }))

  it.effect("adapts to a differently shaped API by configuration", () =>
    Effect.gen(function*() {
      const requests: Array<string> = []
      const issue = (n: number) => ({
        key: `OPS-${n}`,
        fields: {
          summary: `Issue ${n}`,
          text: null,
          workflow: { status: n % 2 === 0 ? "In Progress" : "Waiting for customer" },
          severity: n === 1 ? "P1" : "P3",
          team: { code: "ops", label: "Operations" }
        },
        created_at: 1764244800000 + n,
        updated_at: "2026-11-27T12:00:00Z"
      })
      const client = HttpClient.make((request, url) => {
        requests.push(url.toString())
        const cursor = url.searchParams.get("after")
        const body = url.pathname.endsWith("/rest/v2/issues")
          ? cursor === null
            ? { data: { items: [issue(1), issue(2)], more: "p2" } }
            : { data: { items: [issue(3)], more: null } }
          : url.pathname.endsWith("/OPS-2")
          ? { issue: issue(2) }
          : {}
        return Effect.succeed(HttpClientResponse.fromWeb(request, new Response(JSON.stringify(body), { status: 200 })))
      })
      const adapter = yield* Layer.build(RestAdapter.layer({
        name: "ops-tracker",
        baseUrl: "https://ops.example.test",
        auth: { _tag: "api-key", header: "X-Ops-Key", key: "k" },
        endpoints: { list: "/rest/v2/issues", search: null, get: "/rest/v2/issue/{id}", update: "/rest/v2/issue/{id}", addNote: "/rest/v2/issue/{id}/comments", listNotes: null },
        fields: {
          id: "key",
          title: "fields.summary",
          description: "fields.text",
          state: "fields.workflow.status",
          priority: "fields.severity",
          queueId: "fields.team.code",
          queueName: "fields.team.label",
          requester: null,
          assignee: null,
          tags: null,
          customFields: null,
          createdAt: "created_at",
          updatedAt: "updated_at"
        },
        responses: { list: "data.items", nextCursor: "data.more", total: null, ticket: "issue" },
        params: { state: "status", text: "jql_text" },
        pagination: { style: "cursor", cursorParam: "after", sizeParam: "max" },
        states: { "In Progress": "open", "Waiting for customer": "pending", "Done": "closed" },
        priorities: { P1: "urgent", P2: "high", P3: "normal", P4: "low" }
      })).pipe(
        Effect.map((ctx) => ctx.unsafeMap.get(TicketSystemAdapter.TicketSystemAdapter.key) as TicketSystemAdapter.Service),
        Effect.provideService(HttpClient.HttpClient, client)
      )
      const tickets = Chunk.toReadonlyArray(yield* Stream.runCollect(adapter.streamTickets({ states: ["pending", "open"], pageSize: 2 })))
      assert.deepStrictEqual(tickets.map((t) => t.id), ["OPS-1", "OPS-2", "OPS-3"])
      const first = tickets[0]!
      assert.strictEqual(first.title, "Issue 1")
      assert.strictEqual(first.description, "")
      assert.deepStrictEqual(first.state, { type: "pending", name: "Waiting for customer" })
      assert.deepStrictEqual(first.priority, { level: "urgent", name: "P1" })
      assert.deepStrictEqual(first.queue, { id: "ops", name: "Operations" })
      assert.include(requests[0]!, "status=In+Progress%2CWaiting+for+customer")
      assert.include(requests[1]!, "after=p2")
      const one = yield* adapter.getTicket("OPS-2")
      assert.strictEqual(one.state.type, "open")
      assert.isFalse(adapter.capabilities.tags)
      const noNotes = yield* Effect.flip(adapter.listNotes("OPS-2"))
      assert.include(noNotes.message, "cannot list notes")
    }).pipe(Effect.scoped))

  it.effect("an unmapped status from the system is an InvalidResponseError naming field and ticket", () =>
    Effect.gen(function*() {
      const client = HttpClient.make((request) =>
        Effect.succeed(HttpClientResponse.fromWeb(request, new Response(JSON.stringify({
          tickets: [{ id: 9, subject: "x", body: "", status: "frozen", priority_level: "low", department_id: 1, created: "2026-01-01T00:00:00Z", modified: "2026-01-01T00:00:00Z" }],
          total: 1
        }))))
      )
      const adapter = yield* Layer.build(RestAdapter.layer({ baseUrl: "http://x" })).pipe(
        Effect.map((ctx) => ctx.unsafeMap.get(TicketSystemAdapter.TicketSystemAdapter.key) as TicketSystemAdapter.Service),
        Effect.provideService(HttpClient.HttpClient, client)
      )
      const error = yield* Effect.flip(adapter.fetchTickets())
      assert.strictEqual(error._tag, "InvalidResponseError")
      assert.include(error.message, "ticket \"9\", field tickets.0.status")
      assert.include(error.message, "unknown status \"frozen\"")
    }).pipe(Effect.scoped))
})
