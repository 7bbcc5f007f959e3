// The contract suite against the Zammad double over real HTTP, and Zammad's quirks.
import { NodeHttpClient } from "@effect/platform-node"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import type * as HttpClient from "@effect/platform/HttpClient"
import { Zammad, ZammadClient } from "../../src/adapters/zammad/index.js"
import { AdapterContract } from "../../src/testing/index.js"
import * as ZammadDouble from "./ZammadDouble.js"

// an admin-added priority, so that the suite's "urgent" has a Zammad priority to map to
const doubleOptions = { extraPriorities: [{ id: 4, name: "4 urgent" }], basic: { username: "agent@example.com", password: "s3cret-pass" } }

const withDouble = (options: Partial<Zammad.OptionsInput> = {}) =>
  Layer.unwrapScoped(
    Effect.map(
      Effect.acquireRelease(Effect.promise(() => ZammadDouble.start(doubleOptions)), (d) => Effect.promise(() => d.close())),
      (double) =>
        Zammad.layer({ baseUrl: double.url, auth: { _tag: "token", token: double.token }, defaultCustomer: "customer@example.com", ...options })
    )
  ).pipe(Layer.provide(NodeHttpClient.layerUndici))

AdapterContract.suite("Zammad ↔ Zammad double (HTTP)", withDouble(), { queue: { name: "Support" }, otherQueue: { id: "3" } })

const adapterOn = (double: ZammadDouble.Double, auth?: Zammad.OptionsInput["auth"]) =>
  Zammad.make({ baseUrl: double.url, auth: auth ?? { _tag: "token", token: double.token }, defaultCustomer: "customer@example.com" })

// the HTTP client lives as long as the test: the adapter is used after it was made
const withStarted = <A, E>(f: (double: ZammadDouble.Double) => Effect.Effect<A, E, HttpClient.HttpClient>) =>
  Effect.acquireUseRelease(Effect.promise(() => ZammadDouble.start(doubleOptions)), f, (d) => Effect.promise(() => d.close())).pipe(
    Effect.provide(NodeHttpClient.layerUndici)
  )

describe("Zammad quirks (double)", () => {
  it.effect("a user's text is searched literally: query syntax in it cannot widen or alter the query", () =>
    withStarted((double) =>
      Effect.gen(function*() {
        const zammad = yield* adapterOn(double)
        const literal = yield* zammad.createTicket({ title: "state:closed OR * NOT (printer)", queue: { name: "Support" } })
        const closed = yield* zammad.createTicket({ title: "an unrelated closed one", queue: { name: "Support" }, state: "closed" })
        yield* zammad.createTicket({ title: "something else", queue: { name: "Billing" } })
        const found = yield* zammad.searchTickets("state:closed OR *")
        assert.deepStrictEqual(found.map((t) => t.id), [literal.id])
        assert.notInclude(found.map((t) => t.id), closed.id)
        // what was sent: every reserved character escaped, the operator quoted
        const sent = double.requests.filter((r) => r.path.endsWith("/tickets/search")).at(-1)!.query.get("query")
        assert.strictEqual(sent, "(state\\:closed \"OR\" \\*)")
        // grouping and negation are literal too
        assert.deepStrictEqual((yield* zammad.searchTickets("NOT (printer)")).map((t) => t.id), [literal.id])
        assert.deepStrictEqual(yield* zammad.searchTickets("group.name:Billing"), [])
      })))

  it.effect("internal and public notes are articles with internal true/false, read back with their visibility", () =>
    withStarted((double) =>
      Effect.gen(function*() {
        const zammad = yield* adapterOn(double)
        const ticket = yield* zammad.createTicket({ title: "notes", description: "first article", queue: { id: "2" } })
        yield* zammad.addNote(ticket.id, "agents only")
        yield* zammad.addNote(ticket.id, { body: "<p>hello customer</p>", visibility: "public", contentType: "text/html" })
        const posted = double.requests.filter((r) => r.method === "POST" && r.path.endsWith("/ticket_articles")).map((r) => r.body)
        assert.deepStrictEqual(posted, [
          { ticket_id: Number(ticket.id), body: "agents only", content_type: "text/plain", type: "note", internal: true },
          { ticket_id: Number(ticket.id), body: "<p>hello customer</p>", content_type: "text/html", type: "note", internal: false }
        ])
        const notes = yield* zammad.listNotes(ticket.id)
        assert.deepStrictEqual(notes.map((n) => [n.body, n.visibility, n.contentType]), [
          ["agents only", "internal", "text/plain"],
          ["<p>hello customer</p>", "public", "text/html"]
        ])
        assert.strictEqual((yield* zammad.getTicket(ticket.id)).description, "first article")
      })))

  it.effect("a wrong token is an AuthenticationError, basic auth works, and the token never shows", () =>
    withStarted((double) =>
      Effect.gen(function*() {
        const error = yield* Effect.flip(adapterOn(double, { _tag: "token", token: "wrong-token-123456" }))
        assert.strictEqual(error._tag, "AuthenticationError")
        assert.notInclude(JSON.stringify(error) + error.message, "wrong-token-123456")
        const basic = yield* adapterOn(double, { _tag: "basic", username: "agent@example.com", password: "s3cret-pass" })
        assert.deepStrictEqual(yield* basic.fetchTickets(), [])
      })))

  it.effect("an unknown id is a TicketNotFoundError; a bad state name or a description change is rejected", () =>
    withStarted((double) =>
      Effect.gen(function*() {
        const zammad = yield* adapterOn(double)
        assert.strictEqual((yield* Effect.flip(zammad.getTicket("4711")))._tag, "TicketNotFoundError")
        assert.strictEqual((yield* Effect.flip(zammad.addNote("4711", "x")))._tag, "TicketNotFoundError")
        const ticket = yield* zammad.createTicket({ title: "t", queue: { name: "Support" } })
        const bogus = yield* Effect.flip(zammad.updateTicket(ticket.id, { state: { name: "no-such" } }))
        assert.strictEqual(bogus._tag, "RequestRejectedError")
        assert.strictEqual((yield* Effect.flip(zammad.updateTicket(ticket.id, { description: "new" })))._tag, "RequestRejectedError")
        // pending sets pending_time, as Zammad wants
        const pending = yield* zammad.updateTicket(ticket.id, { state: "pending" })
        assert.deepStrictEqual([pending.state.type, pending.state.name], ["pending", "pending reminder"])
        assert.isString(double.tickets[0]!.pending_time)
      })))

  it.effect("a 422 from Zammad carries its message; a 429 its Retry-After", () =>
    withStarted((double) =>
      Effect.gen(function*() {
        const zammad = yield* adapterOn(double)
        const ticket = yield* zammad.createTicket({ title: "t", queue: { name: "Support" } })
        const raw = yield* ZammadClient.make({ baseUrl: double.url, auth: { _tag: "token", token: double.token } })
        const rejected = yield* Effect.flip(raw.updateTicket(Number(ticket.id), { state_id: 99 }))
        assert.strictEqual(rejected._tag, "RequestRejectedError")
        assert.include(rejected.message, "Couldn't find Ticket::State with 'id'=99")
        double.rateLimit(1, 7)
        const limited = yield* Effect.flip(zammad.getTicket(ticket.id))
        assert.strictEqual(limited._tag, "RateLimitError")
        assert.strictEqual(limited._tag === "RateLimitError" ? limited.retryAfterMillis : undefined, 7000)
      })))
})
