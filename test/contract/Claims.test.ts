// The suite follows what the adapter claims (issue 15, item 4): it reads the state a created
// ticket is in (GitHub and Freshdesk create `open` tickets, Zendesk `new` ones it will not set
// again) instead of assuming `new`; it never writes a state or priority level the adapter does not
// claim, and says so when a ticket cannot be put back for that reason; with no or few claimed
// priorities, its priority checks skip with the reason or use the claimed levels only. And it
// stays strict: an adapter that ignores a filter or drops a write still fails.
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { InMemory, SearchCriteria, Ticket, TicketSystemAdapter } from "ticketkit"
import { ContractChecks } from "ticketkit/testing"

const options: ContractChecks.Options = { queue: { name: "Support" }, otherQueue: { name: "Billing" }, assignee: { name: "Alice" } }

type Driver = TicketSystemAdapter.Driver

/**
 * An InMemory system mimicking `mimic`, its driver changed by `change`, and every state and
 * priority the suite wrote through it (to see that it wrote only claimed ones).
 */
const system = (mimic: InMemory.Options, change: (driver: Driver) => Driver = (d) => d) =>
  Effect.map(InMemory.makeWithControl(mimic), ({ adapter }) => {
    const written: Array<string> = []
    // a level or state, or the system's own name of one (as the restore writes it back)
    const name = (v: string | { readonly id?: string | undefined; readonly name?: string | undefined }) =>
      typeof v === "string" ? v : (v.name ?? v.id ?? "").toLowerCase()
    const driver = change(TicketSystemAdapter.driverOf(adapter))
    const recording: Driver = {
      ...driver,
      createTicket: (draft, ...rest) => {
        if (draft.priority !== undefined) written.push(`priority ${name(draft.priority)}`)
        return driver.createTicket(draft, ...rest)
      },
      updateTicket: (id, update) => {
        // the refused change the suite makes on purpose is no state it claims to have
        if (update.state !== undefined && name(update.state) !== "no-such-status-ticketkit") written.push(`state ${name(update.state)}`)
        if (update.priority !== undefined) written.push(`priority ${name(update.priority)}`)
        return driver.updateTicket(id, update)
      }
    }
    return { adapter: TicketSystemAdapter.make(recording), written }
  })

/** creates every ticket `open`, as GitHub and Freshdesk do (no state `new`) */
const createdOpen = (driver: Driver): Driver => ({
  ...driver,
  createTicket: (draft, ...rest) =>
    Effect.flatMap(driver.createTicket(draft, ...rest), (t) => driver.updateTicket(t.id, new Ticket.TicketUpdate({ state: "open" })))
})

const openFirst: InMemory.Options = { capabilities: { states: ["open", "pending", "resolved", "closed"] } }
/** Zendesk's shape: tickets are created new, which cannot be set again (so it is not claimed) */
const newNotClaimed: InMemory.Options = { capabilities: { states: ["open", "pending", "resolved"] } }

const failed = (r: ContractChecks.Report) => r.results.filter((x) => x.status === "failed")
const resultOf = (r: ContractChecks.Report, name: string) => r.results.find((x) => x.name === name)!

describe("states: read, not assumed", () => {
  it.live("a system whose new tickets are open passes in its own-ticket mode, and only claimed states are written", () =>
    Effect.gen(function*() {
      const { adapter, written } = yield* system(openFirst, createdOpen)
      const report = yield* ContractChecks.run(adapter, options)
      assert.strictEqual(report.mode, "own tickets")
      assert.deepStrictEqual(failed(report), [])
      assert.strictEqual(resultOf(report, "filters by state (created tickets)").status, "passed")
      assert.strictEqual(report.coverage.run, ContractChecks.checks.length)
      const claimed = adapter.capabilities.states
      for (const w of written.filter((w) => w.startsWith("state "))) assert.include(claimed, w.slice(6), w)
    }))

  it.live("a system that creates new tickets but does not claim new: the suite filters by new and never writes it", () =>
    Effect.gen(function*() {
      const { adapter, written } = yield* system(newNotClaimed)
      const report = yield* ContractChecks.run(adapter, options)
      assert.deepStrictEqual(failed(report), [])
      assert.strictEqual(resultOf(report, "round-trips every claimed state").status, "passed")
      assert.strictEqual(resultOf(report, "filters by state (created tickets)").status, "passed")
      assert.isTrue(written.some((w) => w.startsWith("state ")))
      assert.isFalse(written.some((w) => /new/i.test(w)), written.join(", "))
    }))

  it.live("still strict: a state filter ignored, or a state write dropped, fails the check on tickets that start open", () =>
    Effect.gen(function*() {
      const ignoring = yield* system(openFirst, (d) => {
        const open = createdOpen(d)
        return { ...open, fetchPage: (criteria, page) => open.fetchPage(new SearchCriteria.SearchCriteria({ ...criteria, states: undefined }), page) }
      })
      const r1 = yield* ContractChecks.run(ignoring.adapter, options)
      const filter = resultOf(r1, "filters by state (created tickets)")
      assert.strictEqual(filter.status, "failed")
      assert.strictEqual(filter.rule, ContractChecks.Rule.matches)
      assert.include(filter.message, "states [open]")
      // the state the suite put a ticket in is dropped: read back, not trusted
      const dropping = yield* system(openFirst, (d) => {
        const open = createdOpen(d)
        return { ...open, updateTicket: (id, u) => open.updateTicket(id, u.state === "pending" ? new Ticket.TicketUpdate({ ...u, state: undefined }) : u) }
      })
      const r2 = yield* ContractChecks.run(dropping.adapter, options)
      const dropped = resultOf(r2, "filters by state (created tickets)")
      assert.strictEqual(dropped.status, "failed")
      assert.strictEqual(dropped.rule, ContractChecks.Rule.written)
      assert.include(dropped.message, "in the state pending, which getTicket reads back as open")
    }))

  it.live("a named ticket in a state the adapter does not claim: the state round trip is skipped, saying why", () =>
    Effect.gen(function*() {
      const { adapter, written } = yield* system({
        ...newNotClaimed,
        capabilities: { ...newNotClaimed.capabilities, createTickets: false },
        fixtures: [{ id: 5, title: "VPN drops", queue: "Support", state: "new" }]
      })
      const report = yield* ContractChecks.run(adapter, { ...options, tickets: ["5"] })
      assert.deepStrictEqual(failed(report), [])
      const states = resultOf(report, "round-trips every claimed state")
      assert.strictEqual(states.status, "skipped")
      assert.strictEqual(states.skip?.category, "no tickets")
      assert.include(states.message, "ticket 5 has the state new")
      assert.include(states.message, "name a ticket whose state is claimed")
      assert.deepStrictEqual(written.filter((w) => w.startsWith("state ")), [])
      assert.strictEqual((yield* adapter.getTicket("5")).state.type, "new")
    }))

  it.live("a ticket moved out of an unclaimed state by the system cannot be put back, and the failure says why", () =>
    Effect.gen(function*() {
      // as Zendesk does when an agent touches a new ticket: every update opens it
      const { adapter, written } = yield* system({
        ...newNotClaimed,
        capabilities: { ...newNotClaimed.capabilities, createTickets: false },
        fixtures: [{ id: 5, title: "VPN drops", queue: "Support", state: "new" }]
      }, (d) => ({ ...d, updateTicket: (id, u) => d.updateTicket(id, new Ticket.TicketUpdate({ ...u, state: u.state ?? "open" })) }))
      const report = yield* ContractChecks.run(adapter, { ...options, tickets: ["5"] })
      const title = resultOf(report, "round-trips the title")
      assert.strictEqual(title.status, "failed")
      assert.strictEqual(title.rule, ContractChecks.Rule.restored)
      assert.include(title.message, "its state was new")
      assert.include(title.message, "which the adapter does not claim (capabilities.states: open, pending, resolved)")
      assert.isFalse(written.some((w) => /new/i.test(w)), written.join(", "))
    }))
})

describe("priorities: the claimed levels only", () => {
  it.live("no priorities: tickets are created without one, and the priority checks skip with the reason", () =>
    Effect.gen(function*() {
      const { adapter, written } = yield* system({ capabilities: { priorities: [] }, priorities: [] })
      const report = yield* ContractChecks.run(adapter, options)
      assert.deepStrictEqual(failed(report), [])
      assert.deepStrictEqual(written.filter((w) => w.startsWith("priority ")), [])
      for (const name of ["filters by priority", "round-trips every priority level"]) {
        const r = resultOf(report, name)
        assert.strictEqual(r.status, "skipped", name)
        assert.strictEqual(r.skip?.category, "capability missing")
        assert.include(r.message, "capabilities.priorities has fewer than two levels")
      }
      assert.strictEqual(resultOf(report, "creates tickets and reads them back").status, "passed")
      assert.strictEqual(report.coverage.skipped, 2)
    }))

  it.live("two claimed levels: the filters use those, and an ignored priority filter still fails", () =>
    Effect.gen(function*() {
      const few: InMemory.Options = { capabilities: { priorities: ["low", "high"] }, priorities: ["low", "high"] }
      const { adapter, written } = yield* system(few)
      const report = yield* ContractChecks.run(adapter, options)
      assert.deepStrictEqual(failed(report), [])
      assert.strictEqual(resultOf(report, "filters by priority").status, "passed")
      assert.strictEqual(resultOf(report, "round-trips every priority level").status, "passed")
      for (const w of written.filter((w) => w.startsWith("priority "))) assert.oneOf(w, ["priority low", "priority high"])
      const ignoring = yield* system(few, (d) => ({
        ...d,
        fetchPage: (criteria, page) => d.fetchPage(new SearchCriteria.SearchCriteria({ ...criteria, priorities: undefined }), page)
      }))
      const broken = resultOf(yield* ContractChecks.run(ignoring.adapter, options), "filters by priority")
      assert.strictEqual(broken.status, "failed")
      assert.strictEqual(broken.rule, ContractChecks.Rule.matches)
    }))
})
