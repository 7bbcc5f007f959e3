/**
 * Offline tests of the Request Tracker client and adapter: schemas of RT's real JSON (as seen on
 * RT 5.0.3), the requests sent, configuration errors, and the 200-with-an-error update answers —
 * against an HttpClient double that answers like RT.
 */
import { HttpClient, HttpClientResponse } from "@effect/platform"
import { assert, describe, it } from "@effect/vitest"
import { Config, ConfigProvider, DateTime, Effect, Either, Exit, Layer, Option, Redacted, Schema } from "effect"
import * as RequestTracker from "../../src/adapters/request-tracker/RequestTracker.js"
import * as Client from "../../src/adapters/request-tracker/RequestTrackerClient.js"
import * as TicketSystemAdapterModule from "../../src/TicketSystemAdapter.js"
import { TicketSystemAdapter } from "../../src/TicketSystemAdapter.js"
import { leaks, record } from "../support/Capture.js"

const TOKEN = "1-99-0123456789abcdef0123456789abcdef"

// answers as RT 5.0.3 gave them
const listItem = {
  LastUpdated: "2026-11-27T12:56:13Z",
  InitialPriority: "0",
  Queue: { _url: "http://rt.test/REST/2.0/queue/3", Name: "Support", id: "3", type: "queue" },
  Started: "1970-01-01T00:00:00Z",
  Due: "1970-01-01T00:00:00Z",
  Resolved: "1970-01-01T00:00:00Z",
  Subject: "probe one",
  Created: "2026-11-27T12:56:12Z",
  Requestor: [],
  type: "ticket",
  id: "10",
  _url: "http://rt.test/REST/2.0/ticket/10",
  CustomFields: "",
  Owner: { type: "user", id: "Nobody", _url: "http://rt.test/REST/2.0/user/Nobody" },
  Priority: "10",
  Status: "new"
}

const ticketRecord = {
  Requestor: [{ id: "smoke@example.test", type: "user", _url: "http://rt.test/REST/2.0/user/smoke@example.test" }],
  id: 10,
  Owner: { id: "root", type: "user", _url: "http://rt.test/REST/2.0/user/root" },
  Priority: "80",
  LastUpdated: "2026-11-27T12:49:12Z",
  Started: "2026-11-27T12:49:09Z",
  Subject: "probe one",
  Created: "2026-11-27T12:49:06Z",
  Starts: "1970-01-01T00:00:00Z",
  Status: "stalled",
  CustomFields: [{ id: "2", type: "customfield", _url: "http://rt.test/REST/2.0/customfield/2", name: "Severity", values: ["major"] }],
  Resolved: "1970-01-01T00:00:00Z",
  Due: "1970-01-01T00:00:00Z",
  Queue: { _url: "http://rt.test/REST/2.0/queue/3", type: "queue", id: "3" }
}

const collection = (items: ReadonlyArray<unknown>, total = items.length) => ({
  per_page: 100,
  page: 1,
  count: items.length,
  total,
  pages: total === 0 ? 0.0 : Math.ceil(total / 100),
  items
})

interface Seen {
  readonly requests: Array<{ method: string; url: URL; headers: Record<string, string>; body: unknown }>
}

/** an HttpClient answering like RT from a routing function */
const fakeRt = (route: (method: string, url: URL, body: unknown) => { status: number; body: unknown }, seen: Seen = { requests: [] }) =>
  HttpClient.make((request, url) =>
    Effect.gen(function*() {
      const body = request.body._tag === "Uint8Array" ? JSON.parse(new TextDecoder().decode(request.body.body)) : undefined
      seen.requests.push({ method: request.method, url, headers: { ...request.headers }, body })
      const answer = route(request.method, url, body)
      return HttpClientResponse.fromWeb(
        request,
        new Response(JSON.stringify(answer.body), { status: answer.status, headers: { "content-type": "application/json; charset=\"utf-8\"" } })
      )
    })
  )

const rtRoutes = (overrides: Partial<Record<string, { status: number; body: unknown }>> = {}) => (method: string, url: URL) => {
  const key = `${method} ${url.pathname}`
  const override = overrides[key]
  if (override !== undefined) return override
  if (key === "GET /REST/2.0/ticket/10") return { status: 200, body: ticketRecord }
  if (key === "GET /REST/2.0/queue/3") return { status: 200, body: { id: 3, Name: "Support", Disabled: "0", Lifecycle: "default" } }
  if (key === "GET /REST/2.0/tickets") return { status: 200, body: collection([listItem]) }
  if (method === "GET" && /^\/REST\/2\.0\/(queue|user|ticket)\//.test(url.pathname) && !url.pathname.endsWith("attachments")) {
    return { status: 404, body: { message: "Not Found" } }
  }
  if (method === "GET") return { status: 200, body: collection([]) }
  return { status: 404, body: { message: "Not Found" } }
}

const adapterWith = (client: HttpClient.HttpClient, options: Partial<RequestTracker.OptionsInput> = {}) =>
  RequestTracker.layer({ baseUrl: "http://rt.test", auth: { _tag: "token", token: TOKEN }, ...options }).pipe(
    Layer.provide(Layer.succeed(HttpClient.HttpClient, client))
  )

describe("RequestTrackerClient schemas", () => {
  it("decodes list items: string ids and priorities, unset dates absent, CustomFields \"\"", () => {
    const item = Schema.decodeUnknownSync(Client.Ticket)(listItem)
    assert.strictEqual(item.id, "10")
    assert.strictEqual(item.Priority, 10)
    assert.isUndefined(item.Resolved)
    assert.isUndefined(item.Due)
    assert.deepStrictEqual(item.CustomFields, [])
    assert.strictEqual(item.Queue.Name, "Support")
    assert.isTrue(DateTime.Equivalence(item.Created, DateTime.unsafeMake("2026-11-27T12:56:12Z")))
  })

  it("decodes records: number ids, custom fields, set dates", () => {
    const t = Schema.decodeUnknownSync(Client.Ticket)(ticketRecord)
    assert.strictEqual(t.id, "10")
    assert.strictEqual(t.Priority, 80)
    assert.isDefined(t.Started)
    assert.deepStrictEqual(t.CustomFields?.map((cf) => [cf.name, cf.values]), [["Severity", ["major"]]])
  })

  it("refuses what RT does not send", () => {
    const bad = (patch: Record<string, unknown>) => Either.isLeft(Schema.decodeUnknownEither(Client.Ticket)({ ...listItem, ...patch }))
    assert.isTrue(bad({ Priority: "high" }))
    assert.isTrue(bad({ Created: "yesterday" }))
    assert.isTrue(bad({ Resolved: "not a date" }))
    assert.isTrue(bad({ id: "" }))
    assert.isTrue(Either.isRight(Schema.decodeUnknownEither(Client.OptionalDate)("")))
  })

  it("builds the REST2 root from the base URL", () => {
    assert.strictEqual(Client.restUrl("https://rt.example.com"), "https://rt.example.com/REST/2.0")
    assert.strictEqual(Client.restUrl("https://example.com/rt/"), "https://example.com/rt/REST/2.0")
    assert.strictEqual(Client.restUrl("https://example.com/rt/REST/2.0/"), "https://example.com/rt/REST/2.0")
  })
})

describe("RequestTrackerClient requests", () => {
  const client = (http: HttpClient.HttpClient, auth: Client.OptionsInput["auth"] = { _tag: "token", token: TOKEN }) =>
    Effect.provideService(Client.make({ baseUrl: "http://rt.test/", auth }), HttpClient.HttpClient, http).pipe(Effect.orDie)

  it.effect("authenticates with `Authorization: token …` and searches with TicketSQL, fields and paging", () =>
    Effect.gen(function*() {
      const seen: Seen = { requests: [] }
      const c = yield* client(fakeRt(rtRoutes(), seen))
      const page = yield* c.searchTickets({ query: "Queue = 'Support'", page: 2, perPage: 500 })
      assert.strictEqual(page.items[0]?.value.id, "10")
      assert.strictEqual((page.items[0]?.raw as { id: string }).id, "10", "the raw item is kept")
      const request = seen.requests[0]!
      assert.strictEqual(request.headers["authorization"], `token ${TOKEN}`)
      assert.strictEqual(request.url.pathname, "/REST/2.0/tickets")
      const q = request.url.searchParams
      assert.strictEqual(q.get("query"), "Queue = 'Support'")
      assert.strictEqual(q.get("page"), "2")
      assert.strictEqual(q.get("per_page"), "100", "RT's maximum")
      assert.strictEqual(q.get("orderby"), "id")
      assert.strictEqual(q.get("fields[Queue]"), "Name")
      assert.include(q.get("fields") ?? "", "Priority")
    }))

  it.effect("authenticates with basic auth", () =>
    Effect.gen(function*() {
      const seen: Seen = { requests: [] }
      const c = yield* client(fakeRt(rtRoutes(), seen), { _tag: "basic", username: "root", password: "pw-secret" })
      yield* c.getTicket("10")
      assert.strictEqual(seen.requests[0]!.headers["authorization"], `Basic ${Buffer.from("root:pw-secret").toString("base64")}`)
    }))

  it.effect("gives none for a queue or user RT does not know, TicketNotFoundError for a ticket", () =>
    Effect.gen(function*() {
      const c = yield* client(fakeRt(rtRoutes()))
      assert.isTrue(Option.isNone(yield* c.getQueue("nope")))
      assert.isTrue(Option.isSome(yield* c.getQueue("3")))
      assert.isTrue(Option.isNone(yield* c.getUser("nope")))
      const error = yield* Effect.flip(c.getTicket("999"))
      assert.strictEqual(error._tag, "TicketNotFoundError")
    }))

  it.effect("names the port operation in errors (the port's when one is served, else its own)", () =>
    Effect.gen(function*() {
      const c = yield* client(fakeRt(rtRoutes()))
      const error = yield* Effect.flip(Effect.locally(c.getTicket("999"), TicketSystemAdapterModule.currentOperation, "listNotes"))
      assert.strictEqual(error.operation, "listNotes")
      assert.strictEqual((yield* Effect.flip(c.getTicket("999"))).operation, "getTicket")
    }))

  it.effect("takes its configuration as written, from code or a Config, and names a bad key", () =>
    Effect.gen(function*() {
      const http = Layer.succeed(HttpClient.HttpClient, fakeRt(rtRoutes()))
      const fromConfig = Client.layerConfig(Config.all({
        baseUrl: Config.string("RT_URL"),
        auth: Config.all({ _tag: Config.succeed("token" as const), token: Config.redacted("RT_TOKEN") })
      })).pipe(Layer.provide(http))
      const c = yield* Effect.provide(Client.RequestTrackerClient, fromConfig).pipe(
        Effect.withConfigProvider(ConfigProvider.fromMap(new Map([["RT_URL", "http://rt.test"], ["RT_TOKEN", TOKEN]])))
      )
      assert.deepStrictEqual([c.name, c.restUrl], ["request-tracker", "http://rt.test/REST/2.0"])
      assert.isTrue(Option.isSome(yield* c.getQueue("3")))
      const bad = yield* Effect.flip(Layer.build(Client.layer({ baseUrl: "http://rt.test", auth: { _tag: "token", token: TOKEN }, timeout: "soon" })).pipe(
        Effect.provide(http),
        Effect.scoped
      ))
      assert.strictEqual(bad._tag, "ConfigurationError")
      assert.include(bad.message, "timeout")
    }))
})

describe("RequestTracker configuration", () => {
  const configError = (input: unknown) =>
    Effect.gen(function*() {
      const exit = yield* Layer.build(
        RequestTracker.layer(input as RequestTracker.OptionsInput).pipe(Layer.provide(Layer.succeed(HttpClient.HttpClient, fakeRt(rtRoutes()))))
      ).pipe(Effect.scoped, Effect.exit)
      assert.isTrue(Exit.isFailure(exit), "expected a ConfigurationError")
      const error = yield* Effect.flip(exit)
      assert.strictEqual(error._tag, "ConfigurationError")
      assert.notInclude(error.message, TOKEN)
      return error.message
    })

  it.effect("refuses a bad configuration with a message naming the key", () =>
    Effect.gen(function*() {
      const auth = { _tag: "token", token: TOKEN }
      assert.include(yield* configError({ baseUrl: "rt.example.com", auth }), "baseUrl")
      assert.include(yield* configError({ baseUrl: "http://rt.test" }), "auth")
      assert.include(yield* configError({ baseUrl: "http://rt.test", auth: { _tag: "token", token: "" } }), "auth")
      assert.include(yield* configError({ baseUrl: "http://rt.test", auth: { _tag: "bearer", token: TOKEN } }), "auth")
      assert.include(yield* configError({ baseUrl: "http://rt.test", auth, contentsearch: true }), "contentsearch")
      assert.include(yield* configError({ baseUrl: "http://rt.test", auth, timeZone: "Mars/Olympus" }), "timezone")
      assert.include(yield* configError({ baseUrl: "http://rt.test", auth, timeout: "soon" }), "timeout")
      assert.include(yield* configError({ baseUrl: "http://rt.test", auth, statuses: { waiting: "later" } }), "statuses")
      assert.include(yield* configError({ baseUrl: "http://rt.test", auth, priorities: { bands: { normal: 60, high: 50 } } }), "must rise")
      assert.include(yield* configError({ baseUrl: "http://rt.test", auth, priorities: { values: { urgent: 60 } } }), "urgent = 60 is high")
      assert.include(yield* configError({ baseUrl: "http://rt.test", auth, priorities: { values: { low: 101 } } }), "0 to 100")
    }))

  const http = Layer.succeed(HttpClient.HttpClient, fakeRt(rtRoutes()))

  it.effect("make, layer and layerConfig take the configuration as written, defaults inside", () =>
    Effect.gen(function*() {
      const made = yield* RequestTracker.make({ baseUrl: "http://rt.test", auth: { _tag: "token", token: TOKEN } }).pipe(Effect.provide(http))
      assert.deepStrictEqual([made.name, made.kind], ["request-tracker", "request-tracker"])
      assert.strictEqual((yield* made.getTicket("10")).priority.level, "urgent", "80 with the default bands")
      const fromConfig = RequestTracker.layerConfig(Config.all({
        baseUrl: Config.string("RT_URL"),
        auth: Config.all({ _tag: Config.succeed("token" as const), token: Config.redacted("RT_TOKEN") }),
        name: Config.string("RT_NAME"),
        priorities: Config.succeed({ bands: { urgent: 90 } })
      })).pipe(Layer.provide(http))
      const [adapter, client] = yield* Effect.all([TicketSystemAdapter, Client.RequestTrackerClient]).pipe(
        Effect.provide(fromConfig),
        Effect.withConfigProvider(ConfigProvider.fromMap(new Map([["RT_URL", "http://rt.test"], ["RT_TOKEN", TOKEN], ["RT_NAME", "helpdesk"]])))
      )
      assert.deepStrictEqual([adapter.name, client.name], ["helpdesk", "helpdesk"])
      assert.strictEqual((yield* adapter.getTicket("10")).priority.level, "high", "80 with the configured bands")
    }))

  it.effect("the definition takes decoded options and names the adapter after the configured system", () =>
    Effect.gen(function*() {
      assert.strictEqual(RequestTracker.definition.name, "request-tracker")
      const options = Schema.decodeUnknownSync(RequestTracker.definition.options)({ baseUrl: "http://rt.test", auth: { _tag: "token", token: TOKEN } })
      const adapter = yield* Effect.provide(TicketSystemAdapter, RequestTracker.definition.layer(options, { system: "support-rt" }).pipe(Layer.provide(http)))
      assert.strictEqual(adapter.name, "support-rt")
      const named = yield* Effect.provide(TicketSystemAdapter, RequestTracker.definition.layer({ ...options, name: "mine" }, { system: "support-rt" }).pipe(Layer.provide(http)))
      assert.strictEqual(named.name, "mine")
    }))
})

describe("RequestTracker adapter (offline)", () => {
  it.effect("reads a ticket: states, priorities, queue name, users, custom fields, raw", () =>
    Effect.gen(function*() {
      const rt = yield* TicketSystemAdapter
      const t = yield* rt.getTicket("10")
      assert.deepStrictEqual(t.state, { type: "pending", name: "stalled" })
      assert.deepStrictEqual(t.priority, { level: "urgent", name: "80", value: 80 })
      assert.deepStrictEqual(t.queue, { id: "3", name: "Support" })
      assert.deepStrictEqual(t.requester, { name: "smoke@example.test", email: "smoke@example.test" })
      assert.deepStrictEqual(t.assignee, { name: "root" })
      assert.deepStrictEqual(t.customFields, { Severity: "major" })
      assert.strictEqual((t.raw as { Priority: string }).Priority, "80")
      const [listed] = yield* rt.fetchTickets({ queues: [{ name: "Support" }] })
      assert.strictEqual(listed?.priority.level, "low")
      assert.isUndefined(listed?.assignee, "Nobody is no assignee")
    }).pipe(Effect.provide(adapterWith(fakeRt(rtRoutes())))))

  it.effect("fails with RequestRejectedError when RT answers 200 with an error among its messages", () =>
    Effect.gen(function*() {
      const rt = yield* TicketSystemAdapter
      const error = yield* Effect.flip(rt.updateTicket("10", { state: { name: "bogus" } }))
      assert.strictEqual(error._tag, "RequestRejectedError")
      assert.include(error.message, "Status 'bogus' isn't a valid status")
    }).pipe(Effect.provide(adapterWith(fakeRt(rtRoutes({
      "PUT /REST/2.0/ticket/10": { status: 200, body: ["Ticket 10: Status 'bogus' isn't a valid status for this ticket."] }
    }))))))

  it.effect("fails when RT silently leaves a field unchanged, never when a new value reads like an error", () =>
    Effect.gen(function*() {
      const rt = yield* TicketSystemAdapter
      // RT says nothing but the ticket still has priority 80
      const error = yield* Effect.flip(rt.updateTicket("10", { priority: "low" }))
      assert.strictEqual(error._tag, "RequestRejectedError")
      assert.include(error.message, "priority is 80, not 0")
      // a subject that reads like an error, applied
      const ok = yield* rt.updateTicket("10", { title: "probe one", state: "pending" })
      assert.strictEqual(ok.state.name, "stalled")
    }).pipe(Effect.provide(adapterWith(fakeRt(rtRoutes({
      "PUT /REST/2.0/ticket/10": { status: 200, body: ["Ticket 10: Subject changed from 'x' to 'probe one does not exist'"] }
    }))))))

  it.effect("refuses what RT cannot do before any request", () =>
    Effect.gen(function*() {
      const rt = yield* TicketSystemAdapter
      const seen = (yield* Effect.flip(rt.updateTicket("10", { description: "new text" })))
      assert.strictEqual(seen._tag, "InvalidInputError")
      assert.include(seen.message, "add a note instead")
      assert.strictEqual((yield* Effect.flip(rt.updateTicket("10", { tags: ["x"] })))._tag, "InvalidInputError")
      assert.strictEqual((yield* Effect.flip(rt.createTicket({ title: "x", queue: { name: "Support" }, tags: ["x"] })))._tag, "InvalidInputError")
      assert.strictEqual((yield* Effect.flip(rt.getTicket("10abc")))._tag, "TicketNotFoundError")
      assert.strictEqual((yield* Effect.flip(rt.fetchPage({ cursor: "x" })))._tag, "InvalidInputError")
    }).pipe(Effect.provide(adapterWith(fakeRt(() => ({ status: 500, body: { message: "must not be called" } }))))))

  it.effect("keeps the token out of errors, logs and spans", () =>
    Effect.gen(function*() {
      const { exit, recording } = yield* record(
        Effect.gen(function*() {
          const rt = yield* TicketSystemAdapter
          yield* Effect.either(rt.getTicket("10"))
          yield* Effect.either(rt.updateTicket("10", { state: "open" }))
        }).pipe(Effect.provide(adapterWith(fakeRt(() => ({ status: 401, body: { message: `Unauthorized token ${TOKEN}` } })))))
      )
      assert.isTrue(Exit.isSuccess(exit))
      assert.deepStrictEqual(leaks(recording, [TOKEN]), [])
    }))

  it("keeps secrets redacted in the decoded options", () => {
    const options = Schema.decodeUnknownSync(RequestTracker.Options)({ baseUrl: "http://rt.test", auth: { _tag: "token", token: TOKEN } })
    assert.notInclude(JSON.stringify(options), TOKEN)
    assert.notInclude(String(options.auth._tag === "token" ? options.auth.token : ""), TOKEN)
    assert.strictEqual(options.auth._tag === "token" ? Redacted.value(options.auth.token) : "", TOKEN)
  })
})
