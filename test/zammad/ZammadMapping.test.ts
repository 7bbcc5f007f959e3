// ZammadMapping alone: pure functions, no HTTP.
import { assert, describe, it } from "@effect/vitest"
import { DateTime, Either } from "effect"
import { ZammadMapping } from "../../src/adapters/zammad/index.js"
import type { ZammadClient } from "../../src/adapters/zammad/index.js"
import { NoteDraft } from "../../src/Note.js"
import { SearchCriteria } from "../../src/SearchCriteria.js"

const states: Array<ZammadClient.State> = [
  ["new", 1, "new"], ["open", 2, "open"], ["pending reminder", 3, "pending reminder"], ["closed", 5, "closed"],
  ["merged", 6, "merged"], ["removed", 7, "removed"], ["pending close", 4, "pending action"]
].map(([name, type, typeName], i) => ({ id: i + 1, name: name as string, state_type_id: type as number, state_type: typeName as string, active: true }))
const priorities: Array<ZammadClient.Priority> = [{ id: 1, name: "1 low", active: true }, { id: 2, name: "2 normal", active: true }, { id: 3, name: "3 high", active: true }]
const groups: Array<ZammadClient.Group> = [{ id: 1, name: "Users", active: true }, { id: 2, name: "Support", active: true }]
const lookups = Either.getOrThrow(ZammadMapping.lookups(states, priorities, groups, {}))

describe("ZammadMapping", () => {
  it("maps state types onto normal states", () => {
    assert.deepStrictEqual(
      ["new", "open", "pending reminder", "pending action", "closed", "merged", "removed", "odd"].map(ZammadMapping.stateTypeOf),
      ["new", "open", "pending", "pending", "closed", "closed", "closed", undefined]
    )
    assert.deepStrictEqual(lookups.states.map((s) => s.type), ["new", "open", "pending", "closed", "closed", "closed", "pending"])
  })

  it("maps priorities 1–3 and others by name, overrides first", () => {
    assert.deepStrictEqual(priorities.map((p) => ZammadMapping.priorityLevelOf(p)), ["low", "normal", "high"])
    assert.strictEqual(ZammadMapping.priorityLevelOf({ id: 4, name: "4 urgent" }), "urgent")
    assert.strictEqual(ZammadMapping.priorityLevelOf({ id: 9, name: "Critical" }), "urgent")
    assert.strictEqual(ZammadMapping.priorityLevelOf({ id: 3, name: "3 high" }, { "3 HIGH": "urgent" }), "urgent")
    assert.isTrue(Either.isLeft(ZammadMapping.priorityIdOf("urgent", lookups)))
    assert.deepStrictEqual(ZammadMapping.priorityIdOf({ name: "2 normal" }, lookups), Either.right(2))
  })

  it("writes states: first of the kind, never merged/removed, resolved as closed, references exactly", () => {
    assert.strictEqual(Either.getOrThrow(ZammadMapping.stateIdOf("closed", lookups)).name, "closed")
    assert.strictEqual(Either.getOrThrow(ZammadMapping.stateIdOf("resolved", lookups)).name, "closed")
    assert.strictEqual(Either.getOrThrow(ZammadMapping.stateIdOf("pending", lookups)).name, "pending reminder")
    assert.strictEqual(Either.getOrThrow(ZammadMapping.stateIdOf({ name: "Pending Close" }, lookups)).id, 7)
    assert.isTrue(Either.isLeft(ZammadMapping.stateIdOf({ name: "nope" }, lookups)))
    assert.deepStrictEqual(ZammadMapping.writableStates(lookups), ["new", "open", "pending", "resolved", "closed"])
  })

  it("refuses options naming no state or priority, and unknown state types", () => {
    assert.isTrue(Either.isLeft(ZammadMapping.lookups(states, priorities, groups, { states: { nope: "open" } })))
    assert.isTrue(Either.isLeft(ZammadMapping.lookups(states, priorities, groups, { priorities: { nope: "low" } })))
    assert.isTrue(Either.isLeft(ZammadMapping.lookups([{ ...states[0]!, state_type: "weird" }], priorities, groups, {})))
  })

  it("escapes every reserved character and operator of query_string", () => {
    assert.strictEqual(ZammadMapping.escapeQueryText("state:closed OR *"), "state\\:closed \"OR\" \\*")
    assert.strictEqual(
      ZammadMapping.escapeQueryText("a+b -c =d && e || f !g (h) {i} [j] ^k \"l\" ~m n? o\\p q/r"),
      "a\\+b \\-c \\=d \\&\\& e \\|\\| f \\!g \\(h\\) \\{i\\} \\[j\\] \\^k \\\"l\\\" \\~m n\\? o\\\\p q\\/r"
    )
    assert.strictEqual(ZammadMapping.escapeQueryText("x AND y NOT z and"), "x \"AND\" y \"NOT\" z and")
    assert.strictEqual(ZammadMapping.escapeQueryText("a>b <c>"), "a b c")
  })

  it("builds the search query from criteria", () => {
    const criteria = new SearchCriteria({ states: ["pending"], priorities: ["high"], text: "toner (empty)", updatedSince: DateTime.unsafeMake("2026-01-02T03:04:05Z") })
    const filter = ZammadMapping.filterOf(criteria, lookups, [2])!
    assert.strictEqual(
      ZammadMapping.searchQuery(criteria, filter),
      "state_id:(3 OR 7) AND priority_id:(3) AND group_id:(2) AND updated_at:[\"2026-01-02T03:04:05.000Z\" TO *] AND (toner \\(empty\\))"
    )
    assert.strictEqual(ZammadMapping.searchQuery(new SearchCriteria({}), {}), "*")
    assert.isUndefined(ZammadMapping.filterOf(new SearchCriteria({ priorities: ["urgent"] }), lookups, undefined))
  })

  it("reads tickets and articles", () => {
    const at = DateTime.unsafeMake("2026-01-01T00:00:00Z")
    const ticket = ZammadMapping.toTicket({
      id: 7, title: "T", group_id: 2, group: "Support", state_id: 7, state: "pending close", priority_id: 3, priority: "3 high",
      owner_id: 1, owner: "-", customer_id: 3, customer: "c@example.com", created_at: at, updated_at: at
    }, lookups, "desc")
    assert.deepStrictEqual(
      [ticket.id, ticket.state, ticket.priority, ticket.queue, ticket.assignee, ticket.requester, ticket.description],
      ["7", { type: "pending", name: "pending close", id: "7" }, { level: "high", name: "3 high", id: "3" }, { id: "2", name: "Support" }, undefined,
        { id: "3", email: "c@example.com", name: "c@example.com" }, "desc"]
    )
    const article = (id: number, internal: boolean) => ({ id, ticket_id: 7, body: `b${id}`, content_type: "text/plain", internal, created_at: at })
    const notes = ZammadMapping.toNotes([article(1, false), article(2, true), article(3, false)])
    assert.deepStrictEqual(notes.map((n) => [n.body, n.visibility]), [["b2", "internal"], ["b3", "public"]])
    assert.strictEqual(ZammadMapping.descriptionOf([article(1, false)]), "b1")
  })

  it("writes bodies, customers, pending times and pages", () => {
    assert.deepStrictEqual(ZammadMapping.articleBody(5, new NoteDraft({ body: "hi", visibility: "public" })), {
      ticket_id: 5, body: "hi", content_type: "text/plain", type: "note", internal: false
    })
    assert.deepStrictEqual(ZammadMapping.customerOf({ email: "a@b.c" }, undefined), Either.right("guess:a@b.c"))
    assert.deepStrictEqual(ZammadMapping.customerOf({ id: "12" }, "x@y.z"), Either.right(12))
    assert.isTrue(Either.isLeft(ZammadMapping.customerOf(undefined, undefined)))
    const now = DateTime.unsafeMake("2026-01-01T00:00:00Z")
    assert.deepStrictEqual(ZammadMapping.pendingTime(states[2]!, lookups, now, 24), { pending_time: "2026-01-02T00:00:00.000Z" })
    assert.deepStrictEqual(ZammadMapping.pendingTime(states[1]!, lookups, now, 24), {})
    assert.deepStrictEqual([ZammadMapping.pageOf(undefined), ZammadMapping.pageOf("3"), ZammadMapping.pageOf("0"), ZammadMapping.pageOf("x")], [1, 3, undefined, undefined])
    assert.deepStrictEqual([ZammadMapping.ticketNumber("12"), ZammadMapping.ticketNumber("../1"), ZammadMapping.ticketNumber("0")], [12, undefined, undefined])
  })
})
