// InMemory mimicking a target system (issue 15, item 5): a program that passes against the
// default double fails against a double of a narrower system, with the errors a real adapter
// of that system gives — compared here with the Zammad adapter over its HTTP double.
import { NodeHttpClient } from "@effect/platform-node"
import { assert, describe, it } from "@effect/vitest"
import { Config, Effect } from "effect"
import type { AdapterError } from "ticketkit"
import { InMemory, TicketSystemAdapter } from "ticketkit"
import { Zammad } from "../../src/adapters/zammad/index.js"
import * as ZammadDouble from "../zammad/ZammadDouble.js"

/** the program under test: escalate a ticket, tag it, tell the requester */
const escalate = (tickets: TicketSystemAdapter.Service, id: string) =>
  Effect.gen(function*() {
    yield* tickets.updateTicket(id, { priority: "urgent", state: "pending" })
    yield* tickets.updateTicket(id, { tags: ["vip"] })
    yield* tickets.addNote(id, { body: "We are on it.", visibility: "public" })
    return yield* tickets.getTicket(id)
  })

const fixtures = [{ id: 1, title: "Printer jammed", queue: "Support" }] as const

/** how a program failed: the error's tag and the operation */
const failureOf = (effect: Effect.Effect<unknown, AdapterError.AdapterError>) =>
  Effect.map(Effect.flip(effect), (e) => ({ tag: e._tag, operation: e.operation }))

describe("InMemory mimicking a target system", () => {
  it.effect("the default double accepts the program (everything is allowed, as before)", () =>
    Effect.gen(function*() {
      const tickets = yield* InMemory.make({ fixtures })
      const ticket = yield* escalate(tickets, "1")
      assert.deepStrictEqual([ticket.priority.level, ticket.state.type, ticket.tags], ["urgent", "pending", ["vip"]])
      assert.deepStrictEqual(tickets.capabilities, InMemory.capabilities())
    }))

  it.effect("a priority the target lacks is refused by the system: RequestRejectedError, nothing changed", () =>
    Effect.gen(function*() {
      const { adapter, control } = yield* InMemory.makeWithControl({ fixtures, priorities: ["low", "normal", "high"] })
      const error = yield* Effect.flip(escalate(adapter, "1"))
      assert.strictEqual(error._tag, "RequestRejectedError")
      assert.include(error.message, "has no priority \"urgent\"")
      assert.strictEqual((yield* adapter.getTicket("1")).priority.level, "normal")
      // the request was made (the system refused it), as a real system's would be
      assert.deepStrictEqual((yield* control.calls).map((c) => c.operation), ["updateTicket", "getTicket"])
      // a priority given as the system's own name is refused the same way
      assert.strictEqual((yield* Effect.flip(adapter.updateTicket("1", { priority: { name: "Urgent" } })))._tag, "RequestRejectedError")
    }))

  it.effect("a state the target lacks is refused by the system; the others are allowed", () =>
    Effect.gen(function*() {
      const tickets = yield* InMemory.make({ fixtures, capabilities: { states: ["new", "open", "closed"] } })
      assert.deepStrictEqual(tickets.capabilities.states, ["new", "open", "closed"])
      const error = yield* Effect.flip(tickets.updateTicket("1", { state: "pending" }))
      assert.strictEqual(error._tag, "RequestRejectedError")
      assert.include(error.message, "unknown status \"pending\"")
      assert.strictEqual((yield* tickets.updateTicket("1", { state: "closed" })).state.type, "closed")
    }))

  it.effect("tags, public notes, HTML notes, ticket creation and text search the target lacks: InvalidInputError, nothing sent", () =>
    Effect.gen(function*() {
      const { adapter, control } = yield* InMemory.makeWithControl({
        fixtures,
        capabilities: { tags: false, publicNotes: false, htmlNotes: false, createTickets: false, textSearch: false }
      })
      const refused = [
        yield* failureOf(adapter.updateTicket("1", { tags: ["vip"] })),
        yield* failureOf(adapter.addNote("1", { body: "hello", visibility: "public" })),
        yield* failureOf(adapter.addNote("1", { body: "<p>hello</p>", contentType: "text/html" })),
        yield* failureOf(adapter.createTicket({ title: "new", queue: { name: "Support" } })),
        yield* failureOf(adapter.searchTickets("printer"))
      ]
      assert.deepStrictEqual(refused, [
        { tag: "InvalidInputError", operation: "updateTicket" },
        { tag: "InvalidInputError", operation: "addNote" },
        { tag: "InvalidInputError", operation: "addNote" },
        { tag: "InvalidInputError", operation: "createTicket" },
        { tag: "InvalidInputError", operation: "searchTickets" }
      ])
      assert.deepStrictEqual(yield* control.calls, [], "nothing reached the store")
      // what it has still works: an internal plain note, clearing tags
      yield* adapter.addNote("1", "seen")
      assert.deepStrictEqual((yield* adapter.updateTicket("1", { tags: [] })).tags, [])
    }))

  it.effect("a driver that claims more than the target has is refused by the system (RequestRejectedError)", () =>
    Effect.gen(function*() {
      const narrow = yield* InMemory.make({ fixtures, capabilities: { publicNotes: false, createTickets: false } })
      const driver = TicketSystemAdapter.driverOf(narrow)
      const lying = TicketSystemAdapter.make({ ...driver, capabilities: { ...driver.capabilities, publicNotes: true, createTickets: true } })
      assert.strictEqual((yield* Effect.flip(lying.addNote("1", { body: "hello", visibility: "public" })))._tag, "RequestRejectedError")
      assert.strictEqual((yield* Effect.flip(lying.createTicket({ title: "x", queue: { name: "Support" } })))._tag, "RequestRejectedError")
      assert.deepStrictEqual(yield* lying.listNotes("1"), [])
    }))

  it.effect("the page size caps every page", () =>
    Effect.gen(function*() {
      const tickets = yield* InMemory.make({
        fixtures: Array.from({ length: 5 }, (_, i) => ({ title: `t${i}`, queue: "Support" })),
        capabilities: { maxPageSize: 2 }
      })
      const page = yield* tickets.fetchPage({ pageSize: 50 })
      assert.strictEqual(page.items.length, 2)
      assert.strictEqual(page.next, "2")
      assert.strictEqual((yield* tickets.fetchTickets()).length, 5, "every ticket, page by page")
    }))

  it.effect("queues: an unknown one is refused by the system", () =>
    Effect.gen(function*() {
      const tickets = yield* InMemory.make({ queues: [{ id: "7", name: "Helpdesk" }], fixtures: [{ id: 1, title: "x", queue: "Helpdesk" }] })
      assert.strictEqual((yield* Effect.flip(tickets.updateTicket("1", { queue: { name: "Support" } })))._tag, "RequestRejectedError")
    }))

  it.effect("layerConfig takes the same options", () =>
    Effect.gen(function*() {
      const tickets = yield* Effect.provide(TicketSystemAdapter.TicketSystemAdapter, InMemory.layerConfig(Config.succeed({ fixtures, priorities: ["low", "normal"] as const })))
      assert.strictEqual((yield* Effect.flip(tickets.updateTicket("1", { priority: "high" })))._tag, "RequestRejectedError")
    }))

  it.live("fails where the real adapter of the mimicked system fails, with the same errors (Zammad)", () =>
    Effect.gen(function*() {
      const double = yield* Effect.acquireRelease(Effect.promise(() => ZammadDouble.start()), (d) => Effect.promise(() => d.close()))
      const zammad = yield* Zammad.make({ baseUrl: double.url, auth: { _tag: "token", token: double.token }, defaultCustomer: "customer@example.com" })
      const created = yield* zammad.createTicket({ title: "Printer jammed", queue: { name: "Users" } })
      // a double of Zammad: its capabilities, its three priorities, its groups
      const mimic = yield* InMemory.make({
        fixtures: [{ id: 1, title: "Printer jammed", queue: "Users" }],
        queues: [{ id: "1", name: "Users" }],
        capabilities: zammad.capabilities,
        priorities: ["low", "normal", "high"]
      })
      const programs = [
        (t: TicketSystemAdapter.Service, id: string) => t.updateTicket(id, { priority: "urgent" }),
        (t: TicketSystemAdapter.Service, id: string) => t.updateTicket(id, { tags: ["vip"] }),
        (t: TicketSystemAdapter.Service, id: string) => t.updateTicket(id, { queue: { name: "Nowhere" } })
      ]
      for (const program of programs) {
        const real = yield* failureOf(program(zammad, created.id))
        const mimicked = yield* failureOf(program(mimic, "1"))
        assert.deepStrictEqual(mimicked, real)
      }
      assert.deepStrictEqual(
        [(yield* failureOf(programs[0]!(zammad, created.id))).tag, (yield* failureOf(programs[1]!(zammad, created.id))).tag],
        ["RequestRejectedError", "InvalidInputError"],
        "a priority Zammad lacks is refused by Zammad, tags by the adapter"
      )
      // and what Zammad allows, the mimic allows
      yield* escalateQuietly(mimic, "1")
    }).pipe(Effect.scoped, Effect.provide(NodeHttpClient.layerUndici)))
})

/** the parts of the program Zammad allows */
const escalateQuietly = (tickets: TicketSystemAdapter.Service, id: string) =>
  Effect.gen(function*() {
    yield* tickets.updateTicket(id, { priority: "high", state: "pending" })
    yield* tickets.addNote(id, { body: "We are on it.", visibility: "public" })
  })
