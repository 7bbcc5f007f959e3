import { assert, describe, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { InMemory } from "ticketkit"
import { Classifier, Triage } from "ticketkit/demo"


const fixtures: ReadonlyArray<InMemory.Fixture> = [
  { id: 1, title: "Website down", description: "502 for everyone", queue: "Incoming" },
  { id: 2, title: "Charged twice", description: "please refund", queue: "Incoming", state: "open" },
  { id: 3, title: "Hello", description: "just saying hi", queue: "Incoming" },
  { id: 4, title: "Old invoice", description: "refund", queue: "Incoming", state: "resolved" },
  { id: 5, title: "Printer", description: "jammed", queue: "Support" }
]

describe("triage example", () => {
  it.effect("routes incoming tickets, notes why, and finds nothing left on a second run", () =>
    Effect.gen(function*() {
      const control = yield* InMemory.InMemoryControl
      const first = yield* Triage.triage({ incoming: { name: "Incoming" } })
      assert.strictEqual(first.seen, 3)
      assert.deepStrictEqual(first.byQueue, { Engineering: 1, Billing: 1, Support: 1 })
      const down = control.store.get("1")
      assert.isTrue(down.ok && down.value.queue.name === "Engineering" && down.value.priority.level === "urgent")
      const notes = control.store.listNotes("1")
      assert.isTrue(notes.ok)
      if (notes.ok) {
        assert.strictEqual(notes.value.length, 1)
        assert.strictEqual(notes.value[0]!.visibility, "internal")
        assert.include(notes.value[0]!.body, "mentions \"down\"")
      }
      const resolved = control.store.get("4")
      assert.isTrue(resolved.ok && resolved.value.queue.name === "Incoming", "resolved tickets are left alone")
      const second = yield* Triage.triage({ incoming: { name: "Incoming" } })
      assert.strictEqual(second.seen, 0)
      assert.include(Triage.formatSummary(first), "seen 3, routed 3, failed 0")
    }).pipe(Effect.provide(Layer.merge(InMemory.layer({ fixtures }), Classifier.RulesLive))))

  it("classifies by whole words, first rule first", () => {
    const t = (title: string, description = "") => ({ title, description }) as never
    assert.strictEqual(Classifier.classifyByRules(t("Site is down")).queue, "Engineering")
    assert.strictEqual(Classifier.classifyByRules(t("download the invoice")).queue, "Billing", "'download' does not contain the word 'down'")
    assert.strictEqual(Classifier.classifyByRules(t("hi")).reason, "no rule matched: routed to Support at normal priority for a human to look at")
  })
})
