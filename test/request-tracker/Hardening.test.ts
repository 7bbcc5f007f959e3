/**
 * Offline tests of issue 13 in the Request Tracker adapter, against an HttpClient double that
 * answers like RT 5: how an update's outcome is told from RT's messages and history when the
 * ticket read back differs (another writer), and the literal filtering of `%`/`_` text searches
 * with its paging.
 */
import { HttpClient, HttpClientResponse } from "@effect/platform"
import { assert, describe, it } from "@effect/vitest"
import { Chunk, Effect, Layer, Stream } from "effect"
import * as RequestTracker from "../../src/adapters/request-tracker/RequestTracker.js"
import { TicketSystemAdapter } from "../../src/TicketSystemAdapter.js"

const RT_DATE = "Wed, 02 Dec 2026 18:43:09 GMT"

interface Answer {
  readonly status: number
  readonly body: unknown
}

interface Seen {
  readonly requests: Array<{ readonly method: string; readonly url: URL; readonly body: unknown }>
}

/** an HttpClient answering like RT (with a `Date` header, as RT's Starlet sends) from a routing function */
const fakeRt = (route: (method: string, url: URL, body: unknown) => Answer, seen: Seen = { requests: [] }) =>
  HttpClient.make((request, url) =>
    Effect.sync(() => {
      const body = request.body._tag === "Uint8Array" ? JSON.parse(new TextDecoder().decode(request.body.body)) : undefined
      seen.requests.push({ method: request.method, url, body })
      const answer = route(request.method, url, body)
      return HttpClientResponse.fromWeb(
        request,
        new Response(JSON.stringify(answer.body), {
          status: answer.status,
          headers: { "content-type": "application/json; charset=\"utf-8\"", date: RT_DATE }
        })
      )
    })
  )

const adapterWith = (client: HttpClient.HttpClient, options: Partial<RequestTracker.OptionsInput> = {}) =>
  RequestTracker.layer({ baseUrl: "http://rt.test", auth: { _tag: "token", token: "1-99-0123456789abcdef0123456789abcdef" }, ...options }).pipe(
    Layer.provide(Layer.succeed(HttpClient.HttpClient, client))
  )

const collection = (items: ReadonlyArray<unknown>, total: number, page = 1, perPage = 100) => ({
  per_page: perPage,
  page,
  count: items.length,
  total,
  pages: Math.ceil(total / perPage),
  items
})

const listItem = (id: number, subject: string) => ({
  id: String(id),
  type: "ticket",
  Subject: subject,
  Status: "new",
  Priority: "0",
  Queue: { id: "3", type: "queue", Name: "Support" },
  Owner: { type: "user", id: "Nobody" },
  Requestor: [],
  Created: "2026-11-27T12:56:12Z",
  LastUpdated: "2026-11-27T12:56:13Z",
  CustomFields: ""
})

const record = (subject: string, owner = "root") => ({
  id: 10,
  Subject: subject,
  Status: "open",
  Priority: "25",
  Queue: { id: "3", type: "queue" },
  Owner: { id: owner, type: "user" },
  Requestor: [],
  Created: "2026-11-27T12:49:06Z",
  LastUpdated: "2026-12-02T18:43:09Z",
  CustomFields: []
})

const common = (method: string, url: URL): Answer | undefined => {
  if (method === "GET" && url.pathname === "/REST/2.0/queue/3") return { status: 200, body: { id: 3, Name: "Support", Disabled: "0" } }
  if (method === "GET" && url.pathname === "/REST/2.0/user/bob") return { status: 200, body: { id: 5, Name: "bob" } }
  // descriptions: no Create transactions
  if (method === "GET" && (url.pathname === "/REST/2.0/attachments" || url.pathname.endsWith("/attachments"))) {
    return { status: 200, body: collection([], 0) }
  }
  return undefined
}

// -----------------------------------------------------------------------------

describe("RequestTracker updates among other writers (offline)", () => {
  /** a ticket whose subject another writer set just after the update; RT's answer and history as given */
  const scenario = (options: {
    readonly messages: ReadonlyArray<string>
    readonly readBack: ReturnType<typeof record>
    readonly history?: ReadonlyArray<unknown>
  }) => {
    const seen: Seen = { requests: [] }
    const client = fakeRt((method, url) => {
      const shared = common(method, url)
      if (shared !== undefined && !(method === "GET" && url.pathname === "/REST/2.0/transactions")) return shared
      if (method === "PUT" && url.pathname === "/REST/2.0/ticket/10") return { status: 200, body: options.messages }
      if (method === "GET" && url.pathname === "/REST/2.0/ticket/10") return { status: 200, body: options.readBack }
      if (method === "GET" && url.pathname === "/REST/2.0/transactions") {
        const query = url.searchParams.get("query") ?? ""
        // the descriptions' Create transactions, or the history of changed fields
        const items = query.includes("Field = ") ? options.history ?? [] : []
        return { status: 200, body: collection(items, items.length) }
      }
      return { status: 404, body: { message: "Not Found" } }
    }, seen)
    return { seen, layer: adapterWith(client) }
  }

  const historyQueries = (seen: Seen) =>
    seen.requests.filter((r) => r.url.pathname === "/REST/2.0/transactions" && (r.url.searchParams.get("query") ?? "").includes("Field = "))
      .map((r) => r.url.searchParams.get("query") ?? "")

  it.effect("a change RT reports made is applied, though another writer overwrote it before the read-back", () => {
    const { layer, seen } = scenario({ messages: ["Ticket 10: Subject changed from 'start' to 'mine'"], readBack: record("theirs") })
    return Effect.gen(function*() {
      const rt = yield* TicketSystemAdapter
      const ticket = yield* rt.updateTicket("10", { title: "mine" })
      assert.strictEqual(ticket.title, "theirs", "the ticket as read back")
      assert.deepStrictEqual(historyQueries(seen), [], "RT's message is evidence enough")
    }).pipe(Effect.provide(layer))
  })

  it.effect("no message (RT had the value already) and a later change in RT's history: applied", () => {
    const { layer, seen } = scenario({
      messages: [],
      readBack: record("theirs"),
      history: [{ id: "99", Type: "Set", Field: "Subject", Created: "2026-12-02T18:43:09Z" }]
    })
    return Effect.gen(function*() {
      const rt = yield* TicketSystemAdapter
      const ticket = yield* rt.updateTicket("10", { title: "mine" })
      assert.strictEqual(ticket.title, "theirs")
      const [query] = historyQueries(seen)
      // since the update began by RT's clock: its answer's Date less the time taken, a second earlier still
      assert.match(query ?? "", /^ObjectType = 'RT::Ticket' AND ObjectId = 10 AND Field = 'Subject' AND Created >= '2026-12-02 18:43:0[78]'$/)
    }).pipe(Effect.provide(layer))
  })

  it.effect("no message and no later change in RT's history: RequestRejectedError", () => {
    const { layer } = scenario({ messages: [], readBack: record("theirs"), history: [] })
    return Effect.gen(function*() {
      const rt = yield* TicketSystemAdapter
      const error = yield* Effect.flip(rt.updateTicket("10", { title: "mine" }))
      assert.strictEqual(error._tag, "RequestRejectedError")
      assert.include(error.message, "did not apply the change: the subject was not changed")
    }).pipe(Effect.provide(layer))
  })

  it.effect("RT reports it set another value (a subject cut short): RequestRejectedError with RT's message", () => {
    const long = "x".repeat(250)
    const { layer } = scenario({ messages: [`Ticket 10: Subject changed from 'start' to '${"x".repeat(200)}'`], readBack: record("x".repeat(200)) })
    return Effect.gen(function*() {
      const rt = yield* TicketSystemAdapter
      const error = yield* Effect.flip(rt.updateTicket("10", { title: long }))
      assert.strictEqual(error._tag, "RequestRejectedError")
      assert.include(error.message, "the subject was not changed (RT said: Ticket 10: Subject changed from 'start' to 'xxx")
    }).pipe(Effect.provide(layer))
  })

  it.effect("a refusal RT words without naming the field (\"may not own tickets\"): RequestRejectedError, no history needed", () => {
    const { layer, seen } = scenario({ messages: ["Ticket 10: That user may not own tickets in that queue"], readBack: record("start", "root") })
    return Effect.gen(function*() {
      const rt = yield* TicketSystemAdapter
      const error = yield* Effect.flip(rt.updateTicket("10", { assignee: { name: "bob" } }))
      assert.strictEqual(error._tag, "RequestRejectedError")
      assert.include(error.message, "the owner is root, not \"bob\"")
      assert.include(error.message, "may not own tickets in that queue")
      assert.deepStrictEqual(historyQueries(seen), [])
    }).pipe(Effect.provide(layer))
  })

  it.effect("an error among RT's messages is a RequestRejectedError whatever the read-back", () => {
    const { layer } = scenario({ messages: ["Ticket 10: Status 'bogus' isn't a valid status for this ticket."], readBack: record("start") })
    return Effect.gen(function*() {
      const rt = yield* TicketSystemAdapter
      const error = yield* Effect.flip(rt.updateTicket("10", { state: { name: "bogus" } }))
      assert.strictEqual(error._tag, "RequestRejectedError")
      assert.include(error.message, "Status 'bogus' isn't a valid status")
    }).pipe(Effect.provide(layer))
  })
})

// -----------------------------------------------------------------------------

describe("RequestTracker text search with % and _ (offline)", () => {
  // 150 tickets RT's LIKE '%_m%' finds (any character before "m"); 120 and 140 contain "_m" literally
  const subjects = new Map(Array.from({ length: 150 }, (_, i) => [i + 1, i + 1 === 120 || i + 1 === 140 ? `lit _m ${i + 1}` : `decoy xm ${i + 1}`]))
  const tickets = (seen: Seen) =>
    adapterWith(fakeRt((method, url) => {
      const shared = common(method, url)
      if (shared !== undefined) return shared
      if (method === "GET" && url.pathname === "/REST/2.0/tickets") {
        const page = Number(url.searchParams.get("page"))
        const perPage = Number(url.searchParams.get("per_page"))
        const all = Array.from(subjects, ([id, subject]) => listItem(id, subject))
        return { status: 200, body: collection(all.slice((page - 1) * perPage, page * perPage), all.length, page, perPage) }
      }
      if (method === "GET" && url.pathname === "/REST/2.0/transactions") return { status: 200, body: collection([], 0) }
      return { status: 404, body: { message: "Not Found" } }
    }, seen))

  const searches = (seen: Seen) => seen.requests.filter((r) => r.url.pathname === "/REST/2.0/tickets").map((r) => r.url.searchParams.get("page"))

  it.effect("keeps the literal matches, reading on past RT pages without one; total only when exact", () => {
    const seen: Seen = { requests: [] }
    return Effect.gen(function*() {
      const rt = yield* TicketSystemAdapter
      const page = yield* rt.fetchPage({ text: "_m", pageSize: 10 })
      assert.deepStrictEqual(page.items.map((t) => t.id), ["120", "140"])
      assert.deepStrictEqual([page.total, page.next], [2, undefined], "the first page holds every match: exact total")
      assert.deepStrictEqual(searches(seen), ["1", "2"], "RT's first page had no literal match: the second was read")
      assert.include(seen.requests[0]!.url.searchParams.get("query") ?? "", "Subject LIKE '_m'")
    }).pipe(Effect.provide(tickets(seen)))
  })

  it.effect("pages by cursor over RT's unfiltered list: no total, each page non-empty until the end, the stream complete", () =>
    Effect.gen(function*() {
      const rt = yield* TicketSystemAdapter
      const first = yield* rt.fetchPage({ text: "_M", pageSize: 1 })
      assert.deepStrictEqual([first.items.map((t) => t.id), first.total, first.next], [["120"], undefined, "120"])
      const second = yield* rt.fetchPage({ text: "_M", pageSize: 1, cursor: "120" })
      assert.deepStrictEqual([second.items.map((t) => t.id), second.total, second.next], [["140"], undefined, "140"])
      const last = yield* rt.fetchPage({ text: "_M", pageSize: 1, cursor: "140" })
      assert.deepStrictEqual([last.items, last.total, last.next], [[], undefined, undefined])
      const streamed = yield* rt.streamTickets({ text: "_m", pageSize: 1 }).pipe(Stream.runCollect, Effect.map(Chunk.toReadonlyArray))
      assert.deepStrictEqual(streamed.map((t) => t.id), ["120", "140"])
      assert.deepStrictEqual((yield* rt.searchTickets("_m")).map((t) => t.id), ["120", "140"])
      assert.deepStrictEqual((yield* rt.fetchTickets({ text: "_m", limit: 1 })).map((t) => t.id), ["120"])
    }).pipe(Effect.provide(tickets({ requests: [] }))))

  it.effect("text without wildcards is RT's search as it was: one request, RT's total", () => {
    const seen: Seen = { requests: [] }
    return Effect.gen(function*() {
      const rt = yield* TicketSystemAdapter
      const page = yield* rt.fetchPage({ text: "m", pageSize: 10 })
      assert.deepStrictEqual([page.items.length, page.total, page.next], [10, 150, "10"])
      assert.deepStrictEqual(searches(seen), ["1"])
    }).pipe(Effect.provide(tickets(seen)))
  })
})
