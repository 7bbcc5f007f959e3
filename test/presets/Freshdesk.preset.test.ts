/**
 * The `freshdesk` preset against the Freshdesk double, configured as a user configures it (a
 * `ticketkit.yaml` resolved by `Config.resolve`): the contract suite on tickets it creates (a
 * requester e-mail given as a constant of the create endpoint), then what is Freshdesk's own —
 * `Link` pages with `updated_since` always sent, numbers written as JSON numbers, `private` notes,
 * status/priority/group filters applied by the adapter, 429 with `Retry-After` retried without a
 * duplicate note, 401, a 404 with an empty body, Freshdesk's field error message.
 */
import { assert, describe, it } from "@effect/vitest"
import { Context, Effect, Layer } from "effect"
import { AdapterContract } from "../../src/testing/index.js"
import { TicketSystemAdapter } from "../../src/TicketSystemAdapter.js"
import { layerOf, presetYaml } from "./configured.js"
import * as Freshdesk from "./FreshdeskDouble.js"

const yaml = (double: Freshdesk.Double) =>
  presetYaml("freshdesk", "freshdesk", [
    `baseUrl: ${double.url}`,
    "auth: { _tag: basic, username: \"${env:FRESHDESK_API_KEY}\", password: X }",
    "endpoints: { create: { path: /tickets, body: { constants: { email: helpdesk@example.org } } } }"
  ])

const withDouble = Effect.acquireRelease(Effect.promise(() => Freshdesk.start()), (d) => Effect.promise(() => d.close()))

const adapterFor = (double: Freshdesk.Double, key = double.apiKey) =>
  Effect.map(Layer.build(layerOf(yaml(double), { FRESHDESK_API_KEY: key })), Context.get(TicketSystemAdapter))

AdapterContract.suite(
  "freshdesk preset ↔ Freshdesk double",
  Layer.unwrapScoped(Effect.map(withDouble, (double) => layerOf(yaml(double), { FRESHDESK_API_KEY: double.apiKey }))),
  // a status Freshdesk refuses, in the configuration's own form (a number)
  { queue: { id: "43100001" }, otherQueue: { id: "43100002" }, invalidState: "9" }
)

describe("the freshdesk preset", () => {
  it.scopedLive("reads every ticket through Link pages, with updated_since always sent", () =>
    Effect.gen(function*() {
      const double = yield* withDouble
      const freshdesk = yield* adapterFor(double)
      const all = yield* freshdesk.fetchTickets({ pageSize: 2, limit: 100 })
      assert.deepStrictEqual(all.map((t) => t.id).sort(), [...double.tickets.keys()].map(String).sort(), "older than 30 days too")
      const pages = double.requests.filter((r) => r.method === "GET" && r.url.startsWith("/api/v2/tickets?"))
      assert.strictEqual(pages.length, Math.ceil(double.tickets.size / 2))
      const first = new URL(pages[0]!.url, double.url).searchParams
      assert.strictEqual(first.get("updated_since"), "1990-01-01T00:00:00Z")
      assert.strictEqual(first.get("include"), "description")
      assert.strictEqual(first.get("per_page"), "2")
      assert.strictEqual(new URL(pages[1]!.url, double.url).searchParams.get("page"), "2", "the page the Link header named")
      const printer = all.find((t) => t.title === "Printer on floor 2 jammed")!
      assert.deepStrictEqual([printer.state.type, printer.priority.level, printer.queue.id], ["open", "high", "43100001"])
      assert.strictEqual(printer.description, "Printer on floor 2 jammed. Please help.")
      assert.deepStrictEqual(all.find((t) => t.title === "VPN drops every hour")!.queue, { id: "none" })
    }))

  it.scopedLive("filters status, priority and group on every page it reads", () =>
    Effect.gen(function*() {
      const double = yield* withDouble
      const freshdesk = yield* adapterFor(double)
      const found = yield* freshdesk.fetchTickets({ states: ["pending", "resolved"], queues: [{ id: "43100002" }], pageSize: 1 })
      const expected = [...double.tickets.values()].filter((t) => (t.status === 3 || t.status === 4) && t.groupId === 43_100_002).map((t) => String(t.id))
      assert.isAtLeast(expected.length, 2)
      assert.deepStrictEqual(found.map((t) => t.id).sort(), expected.sort())
      const sent = double.requests.filter((r) => r.url.startsWith("/api/v2/tickets?")).map((r) => new URL(r.url, double.url).searchParams)
      assert.isTrue(sent.every((q) => !q.has("status") && !q.has("group_id")), "Freshdesk's list has no such parameters")
      const since = yield* freshdesk.fetchTickets({ updatedSince: new Date(Date.now() - 3.5 * 86_400_000) })
      assert.strictEqual(new URL(double.requests.at(-1)!.url, double.url).searchParams.getAll("updated_since").length, 1, "the criterion replaces the default")
      assert.deepStrictEqual(since.map((t) => t.id).sort(), [...double.tickets.values()].filter((t) => t.updatedAt >= Date.now() - 3.5 * 86_400_000).map((t) => String(t.id)).sort())
    }))

  it.scopedLive("writes statuses, priorities and groups as JSON numbers, and notes with private", () =>
    Effect.gen(function*() {
      const double = yield* withDouble
      const freshdesk = yield* adapterFor(double)
      const updated = yield* freshdesk.updateTicket("2", { state: "resolved", priority: "urgent", queue: { id: "43100001" } })
      assert.deepStrictEqual(double.writes.at(-1), { method: "PUT", path: "/api/v2/tickets/2", body: { status: 4, priority: 4, group_id: 43_100_001 } })
      assert.deepStrictEqual([updated.state.type, updated.priority.level, updated.queue.id], ["resolved", "urgent", "43100001"])
      yield* freshdesk.addNote("2", { body: "Refund approved <ok>" })
      assert.deepStrictEqual(double.writes.at(-1)!.body, { body: "Refund approved &lt;ok&gt;", private: true })
      yield* freshdesk.addNote("2", { body: "Your refund is on its way.", visibility: "public" })
      assert.deepStrictEqual(double.writes.at(-1)!.body, { body: "Your refund is on its way.", private: false })
      const notes = yield* freshdesk.listNotes("1")
      assert.deepStrictEqual(notes.map((n) => [n.visibility, n.body]), [
        ["public", "<div>It still jams.</div>"],
        ["internal", "<div>Toner checked.</div>"],
        ["public", "<div>A technician is on the way.</div>"]
      ])
    }))

  it.scopedLive("reads every page of conversations (Freshdesk sends 30 a page)", () =>
    Effect.gen(function*() {
      const double = yield* withDouble
      const freshdesk = yield* adapterFor(double)
      const conversations = double.tickets.get(4)!.conversations
      for (let i = 0; i < 45; i++) {
        conversations.push({ id: 45_000_000 + i, body: `<div>step ${i}</div>`, private: i % 3 === 0, incoming: false, source: 2, userId: double.agentId, createdAt: Date.now() - 3_600_000 + i })
      }
      const notes = yield* freshdesk.listNotes("4")
      assert.strictEqual(notes.length, conversations.length)
      assert.deepStrictEqual(notes.map((n) => n.visibility), conversations.map((c) => (c.private ? "internal" : "public")))
      assert.strictEqual(double.requests.filter((r) => r.url.startsWith("/api/v2/tickets/4/conversations")).length, 2)
    }))

  it.scopedLive("retries a note answered 429 with Retry-After, without a duplicate", () =>
    Effect.gen(function*() {
      const double = yield* withDouble
      const freshdesk = yield* adapterFor(double)
      const conversations = double.tickets.get(3)!.conversations
      const before = conversations.length
      double.faults.inject({ method: "POST", path: /\/tickets\/3\/notes$/, reply: { status: 429, headers: { "retry-after": "1" }, body: { message: "slow down" } } })
      yield* freshdesk.addNote("3", { body: "Router replaced." })
      assert.strictEqual(conversations.length, before + 1, "added once")
      assert.strictEqual(double.requests.filter((r) => r.method === "POST" && r.url === "/api/v2/tickets/3/notes").length, 2)
    }))

  it.scopedLive("types 401, a 404 without a body and Freshdesk's field errors", () =>
    Effect.gen(function*() {
      const double = yield* withDouble
      const wrong = yield* adapterFor(double, "wrong-key")
      const denied = yield* Effect.flip(wrong.getTicket("1"))
      assert.strictEqual(denied._tag, "AuthenticationError")
      assert.notInclude(denied.message, "wrong-key")
      const freshdesk = yield* adapterFor(double)
      assert.strictEqual((yield* Effect.flip(freshdesk.getTicket("4242")))._tag, "TicketNotFoundError")
      const refused = yield* Effect.flip(freshdesk.updateTicket("1", { state: { name: "9" } }))
      assert.strictEqual(refused._tag, "RequestRejectedError")
      assert.include(refused.message, "It should be one of these values: '2,3,4,5'")
      assert.strictEqual(double.tickets.get(1)!.status, 2, "nothing changed")
      const text = yield* Effect.flip(freshdesk.searchTickets("printer"))
      assert.strictEqual(text._tag, "InvalidInputError", "Freshdesk cannot search text")
    }))
})
