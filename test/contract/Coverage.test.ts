// Writes without ticket creation (named tickets, every change put back), read-only runs that say
// what they did not verify, and the suite's own coverage (issue 15, item 4).
import { assert, describe, it } from "@effect/vitest"
import { DateTime, Effect } from "effect"
import type { Ticket } from "ticketkit"
import { InMemory, TicketSystemAdapter } from "ticketkit"
import { ContractChecks } from "ticketkit/testing"

const fixtures: ReadonlyArray<InMemory.Fixture> = [
  {
    id: 7,
    title: "Printer jammed on floor 2",
    description: "the big one",
    state: "pending",
    priority: "high",
    queue: "Billing",
    tags: ["hardware", "floor-2"],
    assignee: { name: "Bob" },
    createdAt: "2026-01-05T08:00:00Z",
    updatedAt: "2026-01-06T09:30:00Z"
  },
  { id: 8, title: "Invoice copy", queue: "Support" }
]

/** a system that cannot create tickets (as many help desks' APIs cannot) */
const noCreation = InMemory.makeWithControl({ fixtures, capabilities: { createTickets: false } })

/** what the round trips may change, as it stands */
const fieldsOf = (t: Ticket.Ticket) => ({
  title: t.title,
  state: t.state,
  priority: t.priority,
  queue: t.queue,
  tags: t.tags,
  assignee: t.assignee
})

const options: ContractChecks.Options = { queue: { name: "Support" }, otherQueue: { name: "Sales" }, assignee: { name: "Alice" } }

describe("write checks on named tickets", () => {
  it.live("run on the named ticket without creating any, and put every change back", () =>
    Effect.gen(function*() {
      const { adapter, control } = yield* noCreation
      const before = fieldsOf(yield* adapter.getTicket("7"))
      const report = yield* ContractChecks.run(adapter, { ...options, tickets: ["7"] })
      assert.strictEqual(report.mode, "named tickets")
      assert.deepStrictEqual(report.results.filter((r) => r.status === "failed"), [])
      const ran = report.results.filter((r) => r.status === "passed").map((r) => r.name)
      for (
        const name of [
          "round-trips the title",
          "round-trips every claimed state",
          "round-trips every priority level",
          "round-trips the queue",
          "round-trips tags",
          "round-trips the assignee",
          "keeps the visibility and content of notes",
          "keeps HTML notes as HTML",
          "rejects an invalid change with RequestRejectedError"
        ]
      ) assert.include(ran, name)
      // nothing created, the ticket as it was; the notes added stay, marked
      assert.strictEqual(control.store.size, 2)
      assert.deepStrictEqual(fieldsOf(yield* adapter.getTicket("7")), before)
      assert.isAbove((yield* adapter.listNotes("7")).length, 0)
      assert.deepStrictEqual(yield* adapter.listNotes("8"), [], "only the first named ticket is changed")
      // the checks that need tickets of the suite's own are skipped, with why
      const skipped = report.results.filter((r) => r.status === "skipped")
      assert.include(skipped.map((r) => r.name), "filters by text")
      for (const r of skipped) assert.strictEqual(r.skip?.category, "no tickets", r.name)
      assert.include(skipped[0]!.message, "tickets were named")
    }))

  it.live("put the ticket back also when a check fails half way", () =>
    Effect.gen(function*() {
      const { adapter: working } = yield* noCreation
      const driver = TicketSystemAdapter.driverOf(working)
      // a broken mapping: "resolved" is written as "new"
      const adapter = TicketSystemAdapter.make({
        ...driver,
        updateTicket: (id, update) => driver.updateTicket(id, update.state === "resolved" ? { ...update, state: "new" } as typeof update : update)
      })
      const before = fieldsOf(yield* adapter.getTicket("7"))
      const report = yield* ContractChecks.run(adapter, { ...options, tickets: ["7"] })
      const states = report.results.find((r) => r.name === "round-trips every claimed state")!
      assert.strictEqual(states.status, "failed")
      assert.include(states.message, "wrote the state resolved")
      // the state check had moved the ticket (new, open…) before it failed: it is back as it was
      assert.deepStrictEqual(fieldsOf(yield* working.getTicket("7")), before)
    }))

  it.live("a named ticket that does not exist fails the checks that need it, blamed, and the read checks still run", () =>
    Effect.gen(function*() {
      const { adapter } = yield* noCreation
      const report = yield* ContractChecks.run(adapter, { ...options, tickets: ["4711"] })
      const title = report.results.find((r) => r.name === "round-trips the title")!
      assert.strictEqual(title.status, "failed")
      assert.include(title.message, "4711")
      assert.isTrue(report.results.filter((r) => r.kind === "read").every((r) => r.status === "passed"))
    }))
})

describe("coverage", () => {
  it.live("read-only: every write check is skipped as read-only, and the writes are said to be unverified", () =>
    Effect.gen(function*() {
      const { adapter } = yield* noCreation
      const report = yield* ContractChecks.run(adapter, options, { readOnly: true })
      const writes = report.results.filter((r) => r.kind === "write")
      assert.isAbove(writes.length, 10)
      for (const r of writes) assert.deepStrictEqual([r.status, r.skip?.category], ["skipped", "read-only"], r.name)
      assert.isFalse(report.coverage.writesVerified)
      assert.strictEqual(report.coverage.run, report.results.filter((r) => r.kind === "read").length)
      const text = ContractChecks.formatCoverage(adapter.name, report.coverage)
      assert.include(text, `${report.coverage.run} of ${report.results.length} checks run`)
      assert.include(text, "read-only run: the adapter's writes are unverified")
      assert.include(text, "writes are unverified: no write check ran")
      for (const r of writes) assert.include(text, r.name)
    }))

  it.live("no creation and no tickets named: the write checks on tickets are skipped, saying how to run them", () =>
    Effect.gen(function*() {
      const { adapter } = yield* noCreation
      const report = yield* ContractChecks.run(adapter, options)
      const roundTrip = report.results.find((r) => r.name === "round-trips the title")!
      assert.strictEqual(roundTrip.status, "skipped")
      assert.include(roundTrip.message, "tickets: [...]")
      // the write check that needs no ticket still ran
      assert.strictEqual(report.results.find((r) => r.name === "gives TicketNotFoundError for unknown ids on every operation")!.status, "passed")
      assert.isTrue(report.coverage.writesVerified)
    }))

  it.live("a capability missing: the checks of it are skipped, naming the capability", () =>
    Effect.gen(function*() {
      const adapter = yield* InMemory.make({ capabilities: { tags: false, htmlNotes: false } })
      const report = yield* ContractChecks.run(adapter, { queue: { name: "Support" } })
      const byName = new Map(report.results.map((r) => [r.name, r]))
      assert.strictEqual(byName.get("round-trips tags")!.skip?.reason, "capabilities.tags is false: the system keeps no tags")
      assert.strictEqual(byName.get("keeps HTML notes as HTML")!.skip?.category, "capability missing")
      assert.strictEqual(byName.get("round-trips the queue")!.skip?.category, "option missing")
      assert.strictEqual(byName.get("round-trips the assignee")!.skip?.category, "option missing")
      const { coverage } = report
      assert.strictEqual(coverage.run + coverage.skipped, coverage.total)
      assert.strictEqual(coverage.skipped, 4)
      assert.strictEqual(coverage.failed, 0)
      assert.deepStrictEqual(coverage.skippedBy.map((g) => g.checks.length).reduce((a, b) => a + b, 0), 4)
    }))

  it.live("runAll (ticketkit check) leaves skipped checks out and numbers the rest", () =>
    Effect.gen(function*() {
      const { adapter } = yield* noCreation
      const seen: Array<string> = []
      const results = yield* ContractChecks.runAll(adapter, options, {
        write: true,
        onResult: (r, i, total) => Effect.sync(() => seen.push(`${i + 1}/${total} ${r.status}`))
      })
      assert.isTrue(results.every((r) => r.status !== "skipped"))
      assert.deepStrictEqual(seen, results.map((r, i) => `${i + 1}/${results.length} ${r.status}`))
    }))

  it.live("dates: 1990 to a year ahead are plausible, 1970 and two years ahead are not", () =>
    Effect.gen(function*() {
      const now = yield* DateTime.now
      const old = yield* InMemory.make({ fixtures: [{ title: "old", queue: "Support", createdAt: "1991-03-01T00:00:00Z", updatedAt: "1991-03-02T00:00:00Z" }] })
      const fine = yield* ContractChecks.run(old, options, { readOnly: true })
      assert.strictEqual(fine.results.find((r) => r.name === "reads plausible dates")!.status, "passed")
      for (const date of ["1970-01-21T00:00:00Z", DateTime.formatIso(DateTime.add(now, { days: 800 }))]) {
        const odd = yield* InMemory.make({ fixtures: [{ title: "odd", queue: "Support", createdAt: date, updatedAt: date }] })
        const report = yield* ContractChecks.run(odd, options, { readOnly: true })
        const dates = report.results.find((r) => r.name === "reads plausible dates")!
        assert.strictEqual(dates.status, "failed", date)
        assert.include(dates.message, date.slice(0, 10))
      }
    }))
})
