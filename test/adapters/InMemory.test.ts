import { assert, describe, it } from "@effect/vitest"
import { Effect, Fiber, TestClock } from "effect"
import { AdapterError, InMemory } from "ticketkit"

describe("InMemory", () => {
  it.effect("is seedable and inspectable", () =>
    Effect.gen(function*() {
      const { adapter, control } = yield* InMemory.makeWithControl({
        fixtures: [{ id: 42, title: "Printer jammed", queue: "Support", notes: [{ body: "seen", visibility: "public" }] }]
      })
      const ticket = yield* adapter.getTicket("42")
      assert.strictEqual(ticket.queue.name, "Support")
      const notes = yield* adapter.listNotes("42")
      assert.deepStrictEqual(notes.map((n) => [n.body, n.visibility]), [["seen", "public"]])
      const created = yield* adapter.createTicket({ title: "Next", queue: { name: "support" } })
      assert.strictEqual(created.id, "43")
      assert.strictEqual(control.store.size, 2)
      assert.deepStrictEqual((yield* control.calls).map((c) => c.operation), ["getTicket", "listNotes", "createTicket"])
    }))

  it.effect("injects faults into the next calls only", () =>
    Effect.gen(function*() {
      const { adapter, control } = yield* InMemory.makeWithControl({ fixtures: [{ id: 1, title: "x", queue: "Support" }] })
      yield* control.failNext({
        times: 2,
        operations: ["getTicket"],
        error: (ctx) => new AdapterError.ServerError({ ...ctx, status: 503 })
      })
      const listed = yield* adapter.fetchTickets()
      assert.strictEqual(listed.length, 1, "other operations are not affected")
      assert.strictEqual((yield* Effect.flip(adapter.getTicket("1")))._tag, "ServerError")
      assert.strictEqual((yield* Effect.flip(adapter.getTicket("1")))._tag, "ServerError")
      assert.strictEqual((yield* adapter.getTicket("1")).id, "1")
    }))

  it.effect("adds latency", () =>
    Effect.gen(function*() {
      const { adapter, control } = yield* InMemory.makeWithControl({ fixtures: [{ id: 1, title: "x", queue: "Support" }] })
      yield* control.setLatency("2 seconds")
      const fiber = yield* Effect.fork(adapter.getTicket("1"))
      yield* TestClock.adjust("1999 millis")
      assert.isNull(fiber.unsafePoll())
      yield* TestClock.adjust("1 millis")
      assert.strictEqual((yield* Fiber.join(fiber)).id, "1")
    }))

  it.effect("applies updates as values: unassign, replace tags, merge custom fields", () =>
    Effect.gen(function*() {
      const { adapter } = yield* InMemory.makeWithControl({
        fixtures: [{ id: 1, title: "x", queue: "Support", assignee: { name: "ann" }, tags: ["a"], customFields: { os: "linux", seat: 3 } }]
      })
      const updated = yield* adapter.updateTicket("1", { assignee: null, tags: ["b", "c"], customFields: { seat: 4 }, queue: { id: "3" } })
      assert.isUndefined(updated.assignee)
      assert.deepStrictEqual(updated.tags, ["b", "c"])
      assert.deepStrictEqual(updated.customFields, { os: "linux", seat: 4 })
      assert.strictEqual(updated.queue.name, "Billing")
      const unknownQueue = yield* Effect.flip(adapter.updateTicket("1", { queue: { name: "Nowhere" } }))
      assert.strictEqual(unknownQueue._tag, "RequestRejectedError")
      assert.include(unknownQueue.message, "unknown queue Nowhere")
    }))

  it.effect("rejects a malformed cursor", () =>
    Effect.gen(function*() {
      const { adapter } = yield* InMemory.makeWithControl()
      const error = yield* Effect.flip(adapter.fetchPage({ cursor: "../x" }))
      assert.strictEqual(error._tag, "InvalidInputError")
    }))
})
