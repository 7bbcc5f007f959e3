// The contract suite cannot be fooled (issue 15, item 4): each broken adapter — a working driver
// (InMemory's) wrapped to make one mistake a configuration or a driver can make — fails the
// suite, and the failure names the rule and the culprit. The suite is run programmatically
// (ContractChecks.run / AdapterContract.run) and its report asserted on.
import { assert, describe, it } from "@effect/vitest"
import { DateTime, Effect, Layer } from "effect"
import { AdapterError, InMemory, Note, SearchCriteria, Ticket, TicketSystemAdapter } from "ticketkit"
import { AdapterContract, ContractChecks } from "ticketkit/testing"

const options: ContractChecks.Options = { queue: { name: "Support" }, otherQueue: { name: "Billing" }, assignee: { name: "Alice" } }

/** an InMemory adapter whose driver is changed by `breaking`, and its store */
const broken = (breaking: (driver: TicketSystemAdapter.Driver) => TicketSystemAdapter.Driver, inMemory: InMemory.Options = {}) =>
  Effect.map(InMemory.makeWithControl(inMemory), ({ adapter, control }) => ({
    adapter: TicketSystemAdapter.make(breaking(TicketSystemAdapter.driverOf(adapter))),
    store: control.store
  }))

const report = (breaking: (driver: TicketSystemAdapter.Driver) => TicketSystemAdapter.Driver, inMemory: InMemory.Options = {}, extra: Partial<ContractChecks.Options> = {}) =>
  Effect.flatMap(broken(breaking, inMemory), ({ adapter }) => ContractChecks.run(adapter, { ...options, ...extra }))

const failed = (r: ContractChecks.Report) => r.results.filter((x) => x.status === "failed")
const resultOf = (r: ContractChecks.Report, name: string) => {
  const found = r.results.find((x) => x.name === name)
  assert.isDefined(found, `a check named ${name}`)
  return found!
}

/** the check failed, blaming `culprit` for `rule`, with a message that says both */
const assertBlamed = (r: ContractChecks.Report, name: string, culprit: ContractChecks.Culprit, rule: string, ...phrases: ReadonlyArray<string>) => {
  const result = resultOf(r, name)
  assert.strictEqual(result.status, "failed", `${name} should fail`)
  assert.strictEqual(result.culprit, culprit, result.message)
  assert.strictEqual(result.rule, rule, result.message)
  assert.include(result.message, culprit === "adapter" ? `the adapter broke the rule "${rule}"` : `the system failed, not the adapter (rule "${rule}")`)
  for (const phrase of phrases) assert.include(result.message, phrase)
}

/** a ticket with its dates read as if epoch seconds were milliseconds */
const inSecondsAsMillis = (t: Ticket.Ticket): Ticket.Ticket =>
  new Ticket.Ticket({
    ...t,
    createdAt: DateTime.unsafeMake(Math.floor(DateTime.toEpochMillis(t.createdAt) / 1000)),
    updatedAt: DateTime.unsafeMake(Math.floor(DateTime.toEpochMillis(t.updatedAt) / 1000))
  })

describe("the contract suite on broken adapters", () => {
  it.live("a working adapter passes every check (so that the failures below are the breakage's)", () =>
    Effect.gen(function*() {
      const r = yield* report((driver) => driver)
      assert.deepStrictEqual(failed(r), [])
      assert.strictEqual(r.coverage.run, ContractChecks.checks.length)
    }))

  it.live("(a) dates read in the wrong unit (1970): the adapter broke \"dates are plausible\"", () =>
    Effect.gen(function*() {
      const r = yield* report((driver) => ({
        ...driver,
        fetchPage: (criteria, page) => Effect.map(driver.fetchPage(criteria, page), (p) => ({ ...p, items: p.items.map(inSecondsAsMillis) })),
        getTicket: (id) => Effect.map(driver.getTicket(id), inSecondsAsMillis),
        createTicket: (draft) => Effect.map(driver.createTicket(draft), inSecondsAsMillis),
        updateTicket: (id, update) => Effect.map(driver.updateTicket(id, update), inSecondsAsMillis)
      }))
      assertBlamed(r, "reads plausible dates", "adapter", ContractChecks.Rule.dates, "1970-01-", "before 1990")
      assertBlamed(r, "creates tickets and reads them back", "adapter", ContractChecks.Rule.dates, "1970-01-")
      assertBlamed(r, "round-trips the title", "adapter", ContractChecks.Rule.dates, "1970-01-")
    }))

  it.live("(a) a note dated 1970: the adapter broke \"dates are plausible\"", () =>
    Effect.gen(function*() {
      const r = yield* report((driver) => ({
        ...driver,
        listNotes: (id) =>
          Effect.map(driver.listNotes(id), (notes) => notes.map((n) => new Note.Note({ ...n, createdAt: DateTime.unsafeMake(0) })))
      }))
      assertBlamed(r, "keeps the visibility and content of notes", "adapter", ContractChecks.Rule.dates, "1970-01-01")
    }))

  it.live("(b) a written field dropped (the priority never sent): the adapter broke \"a written field is read back\"", () =>
    Effect.gen(function*() {
      const r = yield* report((driver) => ({
        ...driver,
        updateTicket: (id, update) => driver.updateTicket(id, new Ticket.TicketUpdate({ ...update, priority: undefined }))
      }))
      assertBlamed(r, "round-trips every priority level", "adapter", ContractChecks.Rule.written, "wrote the priority low", "normal")
      // the other fields still round-trip: the failure is where the breakage is
      assert.strictEqual(resultOf(r, "round-trips the title").status, "passed")
      assert.strictEqual(resultOf(r, "round-trips every claimed state").status, "passed")
    }))

  it.live("(b) numbers written as strings (a priority the system does not take): refused, blamed on the adapter's claim", () =>
    Effect.gen(function*() {
      // the system's priorities are 1–4; this driver writes the level's number as a string name
      const asString = { low: "1", normal: "2", high: "3", urgent: "4" } as const
      const r = yield* report((driver) => ({
        ...driver,
        updateTicket: (id, update) =>
          driver.updateTicket(
            id,
            new Ticket.TicketUpdate({ ...update, priority: typeof update.priority === "string" ? { name: asString[update.priority] } : update.priority })
          )
      }))
      assertBlamed(r, "round-trips every priority level", "adapter", ContractChecks.Rule.claims, "RequestRejectedError", "unknown priority \"1\"")
    }))

  it.live("(b) the queue dropped on write: the adapter broke \"a written field is read back\"", () =>
    Effect.gen(function*() {
      const r = yield* report((driver) => ({
        ...driver,
        updateTicket: (id, update) => driver.updateTicket(id, new Ticket.TicketUpdate({ ...update, queue: undefined }))
      }))
      assertBlamed(r, "round-trips the queue", "adapter", ContractChecks.Rule.written, "wrote the queue", "Support")
    }))

  it.live("(b) tags dropped on write: the adapter broke \"a written field is read back\"", () =>
    Effect.gen(function*() {
      const r = yield* report((driver) => ({
        ...driver,
        updateTicket: (id, update) => driver.updateTicket(id, new Ticket.TicketUpdate({ ...update, tags: undefined }))
      }))
      assertBlamed(r, "round-trips tags", "adapter", ContractChecks.Rule.written, "wrote the tags", "updateTicket answered []")
    }))

  it.live("(c) a dropped cursor (page 1 again, with the same cursor): the adapter, not the system, broke \"a next cursor is honoured\"", () =>
    Effect.gen(function*() {
      const r = yield* report((driver) => ({ ...driver, fetchPage: (criteria, page) => driver.fetchPage(criteria, { ...page, cursor: undefined }) }))
      assertBlamed(r, "pages with cursors", "adapter", ContractChecks.Rule.cursor, "did not honour")
      assertBlamed(r, "streams every match exactly once across pages", "adapter", ContractChecks.Rule.cursor)
      assertBlamed(r, "pages without repeating or losing tickets", "adapter", ContractChecks.Rule.cursor)
    }))

  it.live("(c) a dropped cursor (page 1 again, with a new cursor each time): the adapter broke \"a next cursor is honoured\"", () =>
    Effect.gen(function*() {
      const r = yield* report((driver) => ({
        ...driver,
        fetchPage: (criteria, page) =>
          Effect.map(driver.fetchPage(criteria, { ...page, cursor: undefined }), (p) => ({
            ...p,
            next: p.next === undefined ? undefined : String(Number(page.cursor ?? "0") + p.items.length)
          }))
      }))
      assertBlamed(r, "pages with cursors", "adapter", ContractChecks.Rule.cursor, "repeats tickets")
      assertBlamed(r, "streams every match exactly once across pages", "adapter", ContractChecks.Rule.cursor, "repeated tickets")
    }))

  it.live("(d) note visibility mapped the wrong way round: the adapter broke \"notes keep their visibility\"", () =>
    Effect.gen(function*() {
      const flip = (n: Note.Note) => new Note.Note({ ...n, visibility: n.visibility === "public" ? "internal" : "public" })
      const r = yield* report((driver) => ({ ...driver, listNotes: (id) => Effect.map(driver.listNotes(id), (notes) => notes.map(flip)) }))
      assertBlamed(r, "keeps the visibility and content of notes", "adapter", ContractChecks.Rule.visibility, "internal note", "read back as public", "wrong way round")
      assertBlamed(r, "keeps HTML notes as HTML", "adapter", ContractChecks.Rule.visibility)
    }))

  it.live("(d) the note body lost: the adapter broke \"notes keep their content\"", () =>
    Effect.gen(function*() {
      const r = yield* report((driver) => ({
        ...driver,
        addNote: (id, note) => driver.addNote(id, { ...note, body: "(empty)" } as typeof note)
      }))
      assertBlamed(r, "keeps the visibility and content of notes", "adapter", ContractChecks.Rule.content, "listNotes does not show it")
    }))

  it.live("(e) capabilities it does not have (public notes, tags, HTML): the adapter broke \"what the capabilities claim works\"", () =>
    Effect.gen(function*() {
      const r = yield* report(
        (driver) => ({ ...driver, capabilities: { ...driver.capabilities, publicNotes: true, tags: true, htmlNotes: true } }),
        { capabilities: { publicNotes: false, tags: false, htmlNotes: false } }
      )
      assertBlamed(r, "keeps the visibility and content of notes", "adapter", ContractChecks.Rule.claims, "takes no public notes")
      assertBlamed(r, "round-trips tags", "adapter", ContractChecks.Rule.claims, "has no tags")
      assertBlamed(r, "keeps HTML notes as HTML", "adapter", ContractChecks.Rule.claims, "takes no HTML notes")
    }))

  it.live("(e) a state it claims but cannot write: the adapter broke \"what the capabilities claim works\"", () =>
    Effect.gen(function*() {
      const r = yield* report(
        (driver) => ({ ...driver, capabilities: { ...driver.capabilities, states: ["new", "open", "pending", "resolved", "closed"] } }),
        { capabilities: { states: ["new", "open", "resolved", "closed"] } }
      )
      assertBlamed(r, "round-trips every claimed state", "adapter", ContractChecks.Rule.claims, "unknown status \"pending\"")
    }))

  it.live("a ticket that does not match the criteria: the adapter broke \"every ticket returned matches the criteria\"", () =>
    Effect.gen(function*() {
      // the state filter is not sent: every ticket comes back
      const r = yield* report((driver) => ({
        ...driver,
        fetchPage: (criteria, page) => driver.fetchPage(new SearchCriteria.SearchCriteria({ ...criteria, states: undefined }), page)
      }))
      assertBlamed(r, "filters by state (created tickets)", "adapter", ContractChecks.Rule.matches, "states [new]")
    }))

  it.live("an error status of the system is blamed on the system, not the adapter", () =>
    Effect.gen(function*() {
      const { adapter, control } = yield* InMemory.makeWithControl()
      const r = yield* ContractChecks.run(adapter, options, {
        onResult: (result) =>
          // once the suite's tickets exist, the system starts failing the notes
          result.name === "gives TicketNotFoundError for unknown ids on every operation"
            ? control.failNext({ times: 100, operations: ["listNotes"], error: (ctx) => new AdapterError.ServerError({ ...ctx, status: 503 }) })
            : Effect.void
      })
      assertBlamed(r, "keeps the visibility and content of notes", "system", ContractChecks.Rule.system, "ServerError", "503")
    }))
})

describe("AdapterContract.run", () => {
  it.live("runs the suite on a layer and returns the report", () =>
    Effect.gen(function*() {
      const r = yield* AdapterContract.run(InMemory.layer({ fixtures: [{ title: "Printer jammed", queue: "Support" }] }), { ...options, readOnly: true })
      assert.strictEqual(r.mode, "read-only")
      assert.deepStrictEqual(failed(r), [])
      assert.isAbove(r.coverage.run, 0)
    }))

  it.live("fails when the layer cannot be built", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(
        AdapterContract.run(Layer.fail(new AdapterError.ConnectionError({ adapter: "x", operation: "connect", detail: "refused", requestSent: false })), options)
      )
      assert.strictEqual(error._tag, "ConnectionError")
    }))
})
