/**
 * A pipeline against Nimbus Desk through the configured REST adapter: updates and notes land in
 * the system's own shapes (numbers, booleans, a flat team_id, HTML), dates read right, and 429s on
 * the note requests (answered before the system acts) add no duplicate note.
 */
import { NodeHttpClient } from "@effect/platform-node"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { Checkpoint, Pipeline, RestAdapter, Retry, TicketSystemAdapter } from "ticketkit"
import { nimbusOptions } from "./nimbus.js"
import * as NimbusDesk from "./NimbusDesk.js"

const Helpdesk = TicketSystemAdapter.TicketSystemAdapter

const triage = Pipeline.make(
  "nimbus-triage",
  Pipeline.source(Helpdesk, { queues: [{ id: "1" }], states: ["new", "open"] }, { snapshot: true })
).pipe(
  Pipeline.map((ticket) => ({ vpn: ticket.tags.includes("vpn"), title: ticket.title })),
  Pipeline.updateAndNote((c) => ({
    update: c.vpn ? { priority: "urgent" as const, queue: { id: "3" }, state: "pending" as const, tags: ["vpn", "triaged"] } : { priority: "high" as const, tags: ["triaged"] },
    note: { body: `Triage: ${c.vpn ? "network <VPN> issue & routed" : "kept"} (${c.title}).`, visibility: "internal" as const }
  }))
)

describe("Nimbus Desk through a pipeline", () => {
  it.live("updates and notes land once each, dates are right, 429s add no duplicate", () =>
    Effect.gen(function*() {
      const desk = yield* NimbusDesk.make({ tickets: 30 })
      const adapterLayer = RestAdapter.layer(nimbusOptions(desk.url, desk.token)).pipe(Layer.provide(NodeHttpClient.layerUndici))
      const live = Layer.mergeAll(
        Retry.layer(Retry.exponential({ base: "10 millis", max: "50 millis", attempts: 5 })).pipe(Layer.provide(adapterLayer)),
        Checkpoint.layerMemory
      )
      const wanted = Array.from(desk.tickets.values()).filter((t) => t.team.id === 1 && (t.status === "new" || t.status === "open"))
      assert.isAbove(wanted.length, 3)
      // the first comment POSTs are refused with 429 (Retry-After: 1): nothing is stored for them
      desk.rateLimitNext(2, 1, (method, path) => method === "POST" && path.endsWith("/comments"))
      const { first, second, tickets } = yield* Effect.gen(function*() {
        const first = yield* Pipeline.run(triage, { concurrency: 2 })
        const second = yield* Pipeline.run(triage, { concurrency: 2 })
        const helpdesk = yield* Helpdesk
        const tickets = yield* Effect.forEach(wanted, (t) => helpdesk.getTicket(String(t.id)))
        return { first, second, tickets }
      }).pipe(Effect.provide(live))
      assert.strictEqual(first.failed, 0, JSON.stringify(first.failures))
      assert.strictEqual(first.seen, wanted.length)
      assert.strictEqual(first.changed, wanted.length)
      assert.strictEqual(second.changed, 0, "a second run finds nothing to do")
      assert.isAtLeast(desk.requests.filter((r) => r.startsWith("POST") && r.includes("/comments")).length, wanted.length + 2, "the 429s happened")
      assert.deepStrictEqual(desk.refusals, [], "the system refused nothing it was sent")
      for (const before of wanted) {
        const stored = desk.tickets.get(before.id)!
        const comments = desk.comments.get(before.id) ?? []
        assert.strictEqual(comments.length, 1, `ticket ${before.id}: one note, whatever the 429s`)
        assert.strictEqual(comments[0]!.public, false, "an internal note is public: false")
        assert.include(comments[0]!.body_html, before.tags.includes("vpn") ? "Triage: network &lt;VPN&gt; issue &amp; routed" : "Triage: kept", "plain text is sent as escaped HTML")
        if (before.tags.includes("vpn")) {
          assert.strictEqual(stored.urgency, 4)
          assert.strictEqual(stored.team.id, 3)
          assert.strictEqual(stored.status, "on_hold")
          assert.strictEqual(stored.tags, "vpn,triaged")
        } else {
          assert.strictEqual(stored.urgency, 3)
          assert.strictEqual(stored.team.id, 1)
          assert.strictEqual(stored.tags, "triaged")
        }
      }
      for (const ticket of tickets) {
        const stored = desk.tickets.get(Number(ticket.id))!
        assert.strictEqual(ticket.createdAt.epochMillis, stored.created_at * 1000, "created_at is epoch seconds")
        assert.strictEqual(ticket.updatedAt.epochMillis, stored.updated_at * 1000, "updated_at is epoch seconds")
        assert.strictEqual(ticket.queue.name, stored.team.name)
      }
    }).pipe(Effect.scoped))
})
