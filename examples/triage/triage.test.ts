import { assert, describe, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { Checkpoint, InMemory, Pipeline } from "ticketkit"
import { Classifier, Triage } from "ticketkit/demo"

const fixtures: ReadonlyArray<InMemory.Fixture> = [
  { id: 1, title: "Website down", description: "502 for everyone", queue: "Incoming" },
  { id: 2, title: "Charged twice", description: "please refund", queue: "Incoming", state: "open" },
  { id: 3, title: "Hello", description: "just saying hi", queue: "Incoming" },
  { id: 4, title: "Old invoice", description: "refund", queue: "Incoming", state: "resolved" },
  { id: 5, title: "Printer", description: "jammed", queue: "Support" }
]

const TestLive = Layer.mergeAll(InMemory.layer({ fixtures }), Classifier.RulesLive, Checkpoint.layerMemory)

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
    }).pipe(Effect.provide(TestLive)))

  it.effect("a dry run shows the routing without writing anything", () =>
    Effect.gen(function*() {
      const control = yield* InMemory.InMemoryControl
      const preview = yield* Triage.triage({ incoming: { name: "Incoming" }, dryRun: true })
      assert.strictEqual(preview.seen, 3)
      assert.deepStrictEqual(preview.byQueue, { Engineering: 1, Billing: 1, Support: 1 })
      assert.deepStrictEqual(
        preview.run.changes.filter((c) => c.ticketId === "1").map(Pipeline.formatChange),
        [
          "ticket 1: update in-memory #1: state new → open; priority normal → urgent; queue Incoming (#1) → Engineering",
          "ticket 1: note in-memory #1: internal \"Triage: mentions \\\"down\\\": routed to Engineering at urgent priority.\""
        ]
      )
      assert.isTrue(preview.run.changes.every((c) => !c.applied))
      const writes = (yield* control.calls).filter((c) => c.operation === "updateTicket" || c.operation === "addNote")
      assert.deepStrictEqual(writes, [], "nothing was written")
      assert.include(Triage.formatSummary(preview), "dry run: seen 3, would route 3, failed 0")
      const real = yield* Triage.triage({ incoming: { name: "Incoming" } })
      assert.strictEqual(real.routed, 3, "the dry run left everything to do")
    }).pipe(Effect.provide(TestLive)))

  it("classifies by whole words, first rule first", () => {
    const t = (title: string, description = "") => ({ title, description }) as never
    assert.strictEqual(Classifier.classifyByRules(t("Site is down")).queue, "Engineering")
    assert.strictEqual(Classifier.classifyByRules(t("download the invoice")).queue, "Billing", "'download' does not contain the word 'down'")
    assert.strictEqual(Classifier.classifyByRules(t("hi")).reason, "no rule matched: routed to Support at normal priority for a human to look at")
  })
})
