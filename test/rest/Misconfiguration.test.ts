/**
 * Wrong configurations are caught at the earliest point they can be: the first answer. Dates in
 * the wrong unit are refused naming the field; a wrong base URL or endpoint is a 404 naming the
 * endpoint and the URL really asked for; a base URL with a path joins endpoints that repeat it;
 * Link-header pages are followed on the same origin only.
 */
import { NodeHttpClient } from "@effect/platform-node"
import { assert, describe, it } from "@effect/vitest"
import { Chunk, Effect, Layer, Stream } from "effect"
import * as http from "node:http"
import type { AddressInfo } from "node:net"
import { RestAdapter, TicketSystemAdapter } from "ticketkit"
import { nimbusOptions } from "./nimbus.js"
import * as NimbusDesk from "./NimbusDesk.js"

const adapter = (options: RestAdapter.OptionsInput) =>
  Layer.build(RestAdapter.layer(options).pipe(Layer.provide(NodeHttpClient.layerUndici))).pipe(
    Effect.map((context) => context.unsafeMap.get(TicketSystemAdapter.TicketSystemAdapter.key) as TicketSystemAdapter.Service)
  )

/** a server answering each request with `answer(path and query)` */
const serve = (answer: (url: URL, origin: string) => { readonly body: unknown; readonly headers?: Record<string, string> }) =>
  Effect.acquireRelease(
    Effect.async<{ readonly server: http.Server; readonly origin: string; readonly seen: Array<string> }>((resume) => {
      const seen: Array<string> = []
      const server = http.createServer((req, res) => {
        const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
        const url = new URL(req.url ?? "/", origin)
        seen.push(url.pathname + url.search)
        const { body, headers } = answer(url, origin)
        res.writeHead(200, { "content-type": "application/json", ...headers })
        res.end(JSON.stringify(body))
      })
      server.listen(0, "127.0.0.1", () => resume(Effect.succeed({ server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen })))
    }),
    ({ server }) => Effect.async<void>((resume) => {
      server.closeAllConnections()
      server.close(() => resume(Effect.void))
    })
  )

const issue = (n: number) => ({ id: n, subject: `Issue ${n}`, body: "", status: "open", priority_level: "normal", department_id: 1, created: "2026-01-01T00:00:00Z", modified: "2026-01-02T00:00:00Z" })

describe("wrong configurations, at the first answer", () => {
  it.live("epoch seconds read as milliseconds: an InvalidResponseError naming the field, not a ticket from 1970", () =>
    Effect.gen(function*() {
      const desk = yield* NimbusDesk.make({ tickets: 3 })
      const options = nimbusOptions(desk.url, desk.token) as { fields: Record<string, unknown> }
      const helpdesk = yield* adapter({
        ...options,
        fields: { ...options.fields, createdAt: { path: "created_at", codec: "epochMillis" } }
      } as RestAdapter.OptionsInput)
      const error = yield* Effect.flip(helpdesk.fetchTickets())
      assert.strictEqual(error._tag, "InvalidResponseError")
      assert.include(error.message, "field data.0.created_at")
      assert.include(error.message, "implausible date: 1970-01-21")
      assert.include(error.message, "is before 1990")
    }).pipe(Effect.scoped))

  it.live("a base URL with a path: endpoints repeating it are not doubled; a 404 names the endpoint and the real URL", () =>
    Effect.gen(function*() {
      const desk = yield* NimbusDesk.make({ tickets: 3 })
      const options = nimbusOptions(desk.url, desk.token) as { endpoints: Record<string, unknown> }
      const repeated = yield* adapter({ ...options, endpoints: { ...options.endpoints, list: "/v2/tickets", get: "/v2/tickets/{id}" } } as RestAdapter.OptionsInput)
      assert.strictEqual((yield* repeated.fetchTickets()).length, 3)
      assert.strictEqual((yield* repeated.getTicket("2")).id, "2")
      assert.isFalse(desk.requests.some((r) => r.includes("/v2/v2")))
      const wrong = yield* adapter({ ...options, baseUrl: desk.url.replace(/\/v2$/, "/api") } as RestAdapter.OptionsInput)
      const error = yield* Effect.flip(wrong.fetchTickets())
      assert.strictEqual(error._tag, "InvalidResponseError")
      assert.include(error.message, `GET ${desk.url.replace(/\/v2$/, "/api")}/tickets answered 404 Not Found: check baseUrl and endpoints.list`)
    }).pipe(Effect.scoped))
})

describe("Link header pages", () => {
  it.live("follows rel=next within the base URL's origin, and refuses a next page elsewhere", () =>
    Effect.gen(function*() {
      const other = yield* serve(() => ({ body: [issue(99)] }))
      const api = yield* serve((url, origin) => {
        const page = Number(url.searchParams.get("page") ?? "1")
        const size = Number(url.searchParams.get("per_page"))
        const next = url.searchParams.get("evil") !== null
          ? `<${other.origin}/api/issues?page=2>; rel="next"`
          : page < 3
          ? `<${origin}/api/issues?per_page=${size}&page=${page + 1}>; rel="next", <${origin}/api/issues?page=3>; rel="last"`
          : undefined
        return { body: [issue(page * 10 + 1), issue(page * 10 + 2)], ...(next === undefined ? {} : { headers: { link: next } }) }
      })
      const base = {
        baseUrl: `${api.origin}/api`,
        endpoints: { list: "/issues" },
        responses: { list: "", total: null },
        pagination: { style: "link" as const, sizeParam: "per_page" }
      }
      const helpdesk = yield* adapter(base)
      const all = Chunk.toReadonlyArray(yield* Stream.runCollect(helpdesk.streamTickets({ pageSize: 2 })))
      assert.deepStrictEqual(all.map((t) => t.id), ["11", "12", "21", "22", "31", "32"])
      assert.deepStrictEqual(api.seen, ["/api/issues?per_page=2", "/api/issues?per_page=2&page=2", "/api/issues?per_page=2&page=3"])
      // a state filter named "evil" makes this server answer with a next page on another origin
      const poisoned = yield* adapter({ ...base, params: { state: "evil" } })
      const error = yield* Effect.flip(Stream.runCollect(poisoned.streamTickets({ states: ["open"], pageSize: 2 })))
      assert.strictEqual(error._tag, "InvalidResponseError")
      assert.include(error.message, "another origin")
      assert.deepStrictEqual(other.seen, [], "nothing was sent to the other origin")
    }).pipe(Effect.scoped))
})
