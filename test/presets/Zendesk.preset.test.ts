/**
 * The `zendesk` preset against the Zendesk double, configured as a user configures it (a
 * `ticketkit.yaml` resolved by `Config.resolve`): the contract suite on tickets of its own (they
 * are created `new`, a status the preset does not claim because Zendesk refuses to set it again:
 * the suite reads it, filters by it, and never writes it) and on an existing open ticket, then
 * what is Zendesk's own — cursor pages with `has_more`, criteria in the search
 * syntax, nested writes, notes through the update with `public: false`, 429 with `Retry-After`
 * retried without a duplicate comment, 401, unknown ids and Zendesk's error description.
 */
import { assert, describe, it } from "@effect/vitest"
import { Context, Effect, Layer } from "effect"
import { AdapterContract } from "../../src/testing/index.js"
import { TicketSystemAdapter } from "../../src/TicketSystemAdapter.js"
import { layerOf, presetYaml } from "./configured.js"
import * as Zendesk from "./ZendeskDouble.js"

const yaml = (double: Zendesk.Double) =>
  presetYaml("zendesk", "zendesk", [
    `baseUrl: ${double.url}`,
    `auth: { _tag: basic, username: "${double.username}", password: "\${env:ZENDESK_TOKEN}" }`
  ])

const withDouble = Effect.acquireRelease(Effect.promise(() => Zendesk.start()), (d) => Effect.promise(() => d.close()))

const adapterFor = (double: Zendesk.Double, token = double.token) =>
  Effect.map(Layer.build(layerOf(yaml(double), { ZENDESK_TOKEN: token })), Context.get(TicketSystemAdapter))

const queryOf = (double: Zendesk.Double, url: string) => new URL(url, double.url).searchParams

const contractLayer = Layer.unwrapScoped(Effect.map(withDouble, (double) => layerOf(yaml(double), { ZENDESK_TOKEN: double.token })))

AdapterContract.suite("zendesk preset ↔ Zendesk double", contractLayer, { queue: { id: "360001" }, otherQueue: { id: "360002" } })

AdapterContract.suite("zendesk preset ↔ Zendesk double, an existing ticket named", contractLayer, {
  queue: { id: "360001" },
  otherQueue: { id: "360002" },
  tickets: ["101"]
})

describe("the zendesk preset", () => {
  it.scopedLive("reads every ticket through cursor pages until has_more is false", () =>
    Effect.gen(function*() {
      const double = yield* withDouble
      const zendesk = yield* adapterFor(double)
      const all = yield* zendesk.fetchTickets({ pageSize: 2, limit: 100 })
      assert.deepStrictEqual(all.map((t) => t.id).sort(), [...double.tickets.keys()].map(String).sort())
      const pages = double.requests.filter((r) => r.url.startsWith("/api/v2/search/export.json?"))
      assert.strictEqual(pages.length, Math.ceil(double.tickets.size / 2))
      const first = queryOf(double, pages[0]!.url)
      assert.strictEqual(first.get("query"), "type:ticket")
      assert.strictEqual(first.get("filter[type]"), "ticket")
      assert.strictEqual(first.get("page[size]"), "2")
      assert.isNull(first.get("page[after]"))
      assert.isNotNull(queryOf(double, pages[1]!.url).get("page[after]"), "the next page asks for the cursor of the last")
      // a ticket without priority reads as normal; one in no group has the queue id "none"
      const vpn = all.find((t) => t.title === "VPN drops every hour")!
      assert.strictEqual(vpn.priority.level, "normal")
      assert.deepStrictEqual(vpn.queue, { id: "none" })
      assert.strictEqual(all.find((t) => t.id === "104")!.state.type, "pending", "hold reads as pending")
    }))

  it.scopedLive("writes criteria in Zendesk's search syntax", () =>
    Effect.gen(function*() {
      const double = yield* withDouble
      const zendesk = yield* adapterFor(double)
      const found = yield* zendesk.fetchTickets({ states: ["pending"], priorities: ["urgent"], queues: [{ id: "360001" }] })
      assert.deepStrictEqual(found.map((t) => t.id), ["104"])
      assert.strictEqual(
        queryOf(double, double.requests.at(-1)!.url).get("query"),
        "type:ticket status:pending status:hold priority:urgent group_id:360001"
      )
      const since = Date.now() - 4.5 * 86_400_000
      const recent = yield* zendesk.fetchTickets({ updatedSince: new Date(since) })
      const expected = [...double.tickets.values()].filter((t) => t.updatedAt >= since).map((t) => String(t.id))
      assert.isAtLeast(expected.length, 2)
      assert.deepStrictEqual(recent.map((t) => t.id).sort(), expected.sort())
      assert.match(queryOf(double, double.requests.at(-1)!.url).get("query")!, /^type:ticket updated>=\d{4}-\d\d-\d\dT/)
      const text = yield* zendesk.searchTickets("refund")
      assert.deepStrictEqual(text.map((t) => t.id), ["105"])
    }))

  it.scopedLive("nests writes under ticket, and adds notes through the update with public false", () =>
    Effect.gen(function*() {
      const double = yield* withDouble
      const zendesk = yield* adapterFor(double)
      const updated = yield* zendesk.updateTicket("102", { priority: "high", queue: { id: "360001" }, tags: ["invoice", "vip"], state: "resolved" })
      assert.deepStrictEqual(double.writes.at(-1), {
        method: "PUT",
        path: "/api/v2/tickets/102.json",
        body: { ticket: { status: "solved", priority: "high", group_id: 360001, tags: ["invoice", "vip"] } }
      })
      assert.strictEqual(updated.state.type, "resolved")
      assert.deepStrictEqual(updated.queue, { id: "360001" })
      yield* zendesk.addNote("102", { body: "Checked the ledger <internal>." })
      assert.deepStrictEqual(double.writes.at(-1)!.body, { ticket: { comment: { html_body: "Checked the ledger &lt;internal&gt;.", public: false } } })
      assert.isFalse(double.tickets.get(102)!.comments.at(-1)!.public, "stored as Zendesk stores an internal note")
      yield* zendesk.addNote("102", { body: "We found it.", visibility: "public" })
      const notes = yield* zendesk.listNotes("102")
      assert.deepStrictEqual(notes.slice(-2).map((n) => [n.visibility, n.contentType]), [["internal", "text/html"], ["public", "text/html"]])
      const refused = yield* Effect.flip(zendesk.updateTicket("102", { description: "rewritten" }))
      assert.strictEqual(refused._tag, "InvalidInputError", "a description change would add a public comment: refused")
    }))

  it.scopedLive("reads every page of comments through next_page", () =>
    Effect.gen(function*() {
      const double = yield* withDouble
      const zendesk = yield* adapterFor(double)
      const comments = double.tickets.get(107)!.comments
      for (let i = 0; i < 150; i++) comments.push({ id: 990_000 + i, authorId: 9001, body: `update ${i}`, html: false, public: i % 2 === 0, createdAt: comments[0]!.createdAt + i * 1000 })
      const notes = yield* zendesk.listNotes("107")
      assert.strictEqual(notes.length, comments.length)
      assert.deepStrictEqual(notes.slice(-2).map((n) => n.visibility), ["public", "internal"])
      assert.strictEqual(double.requests.filter((r) => r.url.startsWith("/api/v2/tickets/107/comments.json")).length, 2)
    }))

  it.scopedLive("retries a note answered 429 with Retry-After, without a duplicate", () =>
    Effect.gen(function*() {
      const double = yield* withDouble
      const zendesk = yield* adapterFor(double)
      const comments = double.tickets.get(101)!.comments
      const before = comments.length
      double.faults.inject({ method: "PUT", path: /\/tickets\/101\.json$/, reply: { status: 429, headers: { "retry-after": "1" }, body: "Too Many Requests" } })
      yield* zendesk.addNote("101", { body: "Escalated to the vendor." })
      assert.strictEqual(comments.length, before + 1, "added once")
      assert.strictEqual(double.requests.filter((r) => r.method === "PUT" && r.url === "/api/v2/tickets/101.json").length, 2)
      assert.strictEqual(double.faults.pending(), 0)
    }))

  it.scopedLive("types 401, unknown ids and Zendesk's error description", () =>
    Effect.gen(function*() {
      const double = yield* withDouble
      const wrong = yield* adapterFor(double, "not-the-token")
      const denied = yield* Effect.flip(wrong.getTicket("101"))
      assert.strictEqual(denied._tag, "AuthenticationError")
      assert.notInclude(denied.message, "not-the-token")
      const zendesk = yield* adapterFor(double)
      assert.strictEqual((yield* Effect.flip(zendesk.getTicket("999")))._tag, "TicketNotFoundError")
      const closed = yield* Effect.flip(zendesk.updateTicket("106", { title: "reopen me" }))
      assert.strictEqual(closed._tag, "RequestRejectedError")
      assert.include(closed.message, "Status: closed prevents ticket update")
    }))
})
