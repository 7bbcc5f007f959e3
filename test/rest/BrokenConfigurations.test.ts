/**
 * The contract suite fails on broken REST configurations (issue 15, "Done when", line 2). Each
 * configuration here is Nimbus Desk's working one (`nimbus.ts`) with one mistake a user makes in
 * a `ticketkit.yaml`; the suite runs through the REST adapter built from it against a fresh Nimbus
 * Desk and must fail on the check that should catch the mistake, naming the rule and blaming the
 * adapter (its configuration), never the system. The working configuration passes every check, so
 * each failure below is the mistake's.
 *
 * Mistakes the adapter catches earlier (an unknown codec when the configuration is decoded, a
 * date outside 1990 to a year ahead at the first answer) are asserted there too, and the suite
 * must still not pass them.
 */
import { NodeHttpClient } from "@effect/platform-node"
import { assert, describe, it } from "@effect/vitest"
import { Context, Effect, Layer, Redacted } from "effect"
import { RestAdapter, TicketSystemAdapter } from "ticketkit"
import { AdapterContract, ContractChecks } from "ticketkit/testing"
import * as YAML from "yaml"
import { nimbusYaml } from "./nimbus.js"
import * as NimbusDesk from "./NimbusDesk.js"

/** one change to the working configuration: a dot path under `options:` and the value written there */
type Change = readonly [path: string, value: unknown]

const contract: AdapterContract.Options = {
  queue: { id: "1" },
  otherQueue: { id: "2" },
  assignee: { name: "agent.ana" },
  // what the desk's web interface would show: on ticket 3, the requester's message is public and
  // the agent's note internal (a visibility swapped on both sides can only be caught so)
  knownNotes: [
    { ticket: "3", text: NimbusDesk.CONVERSATION.public, visibility: "public" },
    { ticket: "3", text: NimbusDesk.CONVERSATION.internal, visibility: "internal" }
  ]
}

/** Nimbus Desk's working configuration (the YAML a user writes), with the changes applied */
const configuration = (desk: NimbusDesk.NimbusDesk, changes: ReadonlyArray<Change>): RestAdapter.OptionsInput => {
  const options = YAML.parse(nimbusYaml(desk.url)).systems.nimbus.options as Record<string, unknown>
  for (const [path, value] of changes) {
    const keys = path.split(".")
    let at = options
    for (const key of keys.slice(0, -1)) at = at[key] as Record<string, unknown>
    at[keys[keys.length - 1]!] = value
  }
  const auth = options.auth as Record<string, unknown>
  return { ...options, name: "nimbus", auth: { ...auth, value: Redacted.make(desk.token) } } as RestAdapter.OptionsInput
}

/**
 * a fresh desk (a conversation on every ticket), the adapter layer of the changed configuration,
 * and the adapter itself (built in the caller's scope)
 */
const setUp = (changes: ReadonlyArray<Change>) =>
  Effect.map(NimbusDesk.make({ tickets: 30, conversations: true }), (desk) => {
    const layer = RestAdapter.layer(configuration(desk, changes)).pipe(Layer.provide(NodeHttpClient.layerUndici))
    return { desk, layer, adapter: Effect.map(Layer.build(layer), Context.get(TicketSystemAdapter.TicketSystemAdapter)) }
  })

/** the suite's report on the changed configuration */
const suiteOn = (changes: ReadonlyArray<Change>) =>
  Effect.flatMap(setUp(changes), ({ layer }) => AdapterContract.run(layer, contract))

const failedNames = (report: ContractChecks.Report) => report.results.filter((r) => r.status === "failed").map((r) => r.name)

/**
 * The suite did not pass; the check `name` failed on `rule`, blaming the adapter, with a message
 * that says so and contains `phrases`; and no failure at all was blamed on the system.
 */
const assertCaught = (report: ContractChecks.Report, name: string, rule: string, ...phrases: ReadonlyArray<string>) => {
  const result = report.results.find((r) => r.name === name)
  assert.isDefined(result, `a check named ${name}`)
  assert.strictEqual(result!.status, "failed", `${name} should fail`)
  assert.strictEqual(result!.rule, rule, result!.message)
  assert.strictEqual(result!.culprit, "adapter", result!.message)
  assert.include(result!.message, `the adapter broke the rule "${rule}"`)
  for (const phrase of phrases) assert.include(result!.message, phrase)
  for (const r of report.results.filter((r) => r.status === "failed")) {
    assert.strictEqual(r.culprit, "adapter", `${r.name} blames the system: ${r.message}`)
    assert.notInclude(r.message ?? "", "the system failed")
  }
  assert.isAbove(report.coverage.failed, 0)
}

describe("the contract suite on Nimbus Desk's configuration", () => {
  it.live("the working configuration passes every check (so that each failure below is its mistake's)", () =>
    Effect.gen(function*() {
      const report = yield* suiteOn([])
      assert.deepStrictEqual(report.results.filter((r) => r.status !== "passed").map((r) => `${r.name}: ${r.message}`), [])
      assert.strictEqual(report.coverage.run, ContractChecks.checks.length)
      assert.isTrue(report.coverage.writesVerified)
    }).pipe(Effect.scoped))
})

describe("dates in the wrong unit", () => {
  it.live("epoch seconds read as milliseconds: the adapter refuses the 1970 date at the first answer; the suite fails \"dates are plausible\"", () =>
    Effect.gen(function*() {
      const changes: ReadonlyArray<Change> = [
        ["fields.createdAt", { path: "created_at", codec: "epochMillis" }],
        ["fields.updatedAt", { path: "updated_at", codec: "epochMillis" }]
      ]
      // caught earlier: the date plausibility check turns the first answer into an error naming the field
      const { adapter } = yield* setUp(changes)
      const error = yield* Effect.flip(Effect.flatMap(adapter, (a) => a.fetchTickets({ limit: 1 })))
      assert.strictEqual(error._tag, "InvalidResponseError")
      assert.include(error.message, "created_at")
      assert.include(error.message, "implausible date: 1970-01-21")
      // and the suite does not pass it: the rule is the dates', the culprit the adapter's configuration
      const report = yield* suiteOn(changes)
      assertCaught(report, "reads plausible dates", ContractChecks.Rule.dates, "1970-01-21", "is before 1990", "is the date's unit or format configured right?")
      assertCaught(report, "creates tickets and reads them back", ContractChecks.Rule.dates, "1970-01-21")
    }).pipe(Effect.scoped))

  it.live("note dates in epoch seconds read as milliseconds: the suite fails \"dates are plausible\" on the notes", () =>
    Effect.gen(function*() {
      const report = yield* suiteOn([["noteFields.createdAt", { path: "created_at", codec: "epochMillis" }]])
      // the tickets' dates are right: only the checks that read notes fail
      assertCaught(report, "reads plausible dates", ContractChecks.Rule.dates, "listing the notes of ticket", "created_at", "1970-01-21")
      assertCaught(report, "keeps the visibility and content of notes", ContractChecks.Rule.dates, "1970-01-21")
      assert.strictEqual(report.results.find((r) => r.name === "creates tickets and reads them back")!.status, "passed")
    }).pipe(Effect.scoped))

  it.live("the reverse, milliseconds written where the system takes seconds (updated_since): \"filters by updatedSince\" fails, and only it", () =>
    Effect.gen(function*() {
      const report = yield* suiteOn([["fields.updatedAt", { read: { path: "updated_at", codec: "epochSeconds" }, write: { path: "updated_at", codec: "epochMillis" } }]])
      assertCaught(report, "filters by updatedSince", ContractChecks.Rule.claims, "RequestRejectedError", "updated_since: expected an integer from 0 to 4000000000")
      assert.deepStrictEqual(failedNames(report), ["filters by updatedSince"])
    }).pipe(Effect.scoped))

  it.live("a unit that does not exist (codec: seconds): caught when the configuration is decoded, so the suite cannot pass", () =>
    Effect.gen(function*() {
      const { layer } = yield* setUp([["fields.createdAt", { path: "created_at", codec: "seconds" }]])
      const error = yield* Effect.flip(AdapterContract.run(layer, contract))
      assert.strictEqual(error._tag, "ConfigurationError")
      assert.include(error.message, "fields.createdAt.codec")
      assert.include(error.message, "\"seconds\"")
    }).pipe(Effect.scoped))
})

describe("numbers written as strings", () => {
  it.live("urgency written with a string codec (read as a number): the system refuses \"3\"; the suite blames the adapter's claim", () =>
    Effect.gen(function*() {
      const report = yield* suiteOn([["fields.priority", { read: { path: "urgency", codec: "number" }, write: { path: "urgency", codec: "string" } }]])
      assertCaught(report, "round-trips every priority level", ContractChecks.Rule.claims, "RequestRejectedError", "urgency: expected an integer from 1 to 4, got the string")
      // the reads are right: what fails is what writes
      assert.strictEqual(report.results.find((r) => r.name === "fetches tickets and reads one back")!.status, "passed")
    }).pipe(Effect.scoped))

  it.live("the team id written as a string: the queue round trip fails on the adapter's claim", () =>
    Effect.gen(function*() {
      const report = yield* suiteOn([["fields.queueId", { read: { path: "team.id", codec: "number" }, write: { path: "team_id", codec: "string" } }]])
      assertCaught(report, "round-trips the queue", ContractChecks.Rule.claims, "team_id: expected the number of a team", "the string")
    }).pipe(Effect.scoped))

  it.live("urgency read and written as a string: the adapter refuses the first answer; the suite fails \"the adapter reads what the system answers\"", () =>
    Effect.gen(function*() {
      // caught earlier: the string codec reads strictly, and the system answers numbers
      const { adapter } = yield* setUp([["fields.priority", { path: "urgency", codec: "string" }]])
      const error = yield* Effect.flip(Effect.flatMap(adapter, (a) => a.getTicket("3")))
      assert.strictEqual(error._tag, "InvalidResponseError")
      assert.include(error.message, "field ticket.urgency")
      // the suite: the reads fail on the answer, the writes on the string the system refuses
      const report = yield* suiteOn([["fields.priority", { path: "urgency", codec: "string" }]])
      assertCaught(report, "fetches tickets and reads one back", ContractChecks.Rule.answers, "urgency", "expected a string, got")
      assertCaught(report, "round-trips every priority level", ContractChecks.Rule.claims, "urgency: expected an integer from 1 to 4, got the string")
    }).pipe(Effect.scoped))
})

describe("a dropped cursor", () => {
  it.live("the cursor parameter misnamed (page 1 again): the adapter, not the system, broke \"a next cursor is honoured\"", () =>
    Effect.gen(function*() {
      // like most APIs, the desk ignores a query parameter it does not know
      const report = yield* suiteOn([["pagination", { style: "cursor", cursorParam: "after", sizeParam: "limit" }]])
      assertCaught(report, "pages with cursors", ContractChecks.Rule.cursor, "did not honour")
      assertCaught(report, "streams every match exactly once across pages", ContractChecks.Rule.cursor)
      assertCaught(report, "pages without repeating or losing tickets", ContractChecks.Rule.cursor)
    }).pipe(Effect.scoped))

  it.live("the next-cursor path misnamed (paging stops after page 1): the adapter broke \"pages neither repeat nor lose tickets\"", () =>
    Effect.gen(function*() {
      const report = yield* suiteOn([["responses.nextCursor", "paging.next_cursor"]])
      assertCaught(report, "pages with cursors", ContractChecks.Rule.paging, "has no next cursor")
      assertCaught(report, "streams every match exactly once across pages", ContractChecks.Rule.paging, "pages of 2 gave")
      assertCaught(report, "pages without repeating or losing tickets", ContractChecks.Rule.paging)
    }).pipe(Effect.scoped))

  it.live("the page size parameter misnamed (the system's default size comes back): the adapter broke \"limits are honoured\"", () =>
    Effect.gen(function*() {
      const report = yield* suiteOn([["pagination", { style: "cursor", cursorParam: "cursor", sizeParam: "per_page" }]])
      assertCaught(report, "pages with cursors", ContractChecks.Rule.limit, "a first page of 2 of 5 matches has 5 tickets")
    }).pipe(Effect.scoped))
})

describe("note visibility", () => {
  it.live("mapped the wrong way round (internal: true, public: false): the notes the system shows reveal it", () =>
    Effect.gen(function*() {
      const report = yield* suiteOn([["visibility", { internal: true, public: false }]])
      // the suite's own notes round-trip (written and read through the same swapped map); the
      // notes whose visibility is known from the system (options.knownNotes) do not
      assertCaught(
        report,
        "keeps the visibility and content of notes",
        ContractChecks.Rule.visibility,
        `containing ${JSON.stringify(NimbusDesk.CONVERSATION.public)} is public in the system`,
        "reads it as internal",
        "wrong way round"
      )
      assert.deepStrictEqual(failedNames(report), ["keeps the visibility and content of notes"])
    }).pipe(Effect.scoped))

  it.live("booleans written as strings (\"false\" without the boolean codec): refused by the system, blamed on the adapter's claim", () =>
    Effect.gen(function*() {
      const report = yield* suiteOn([["visibility", { internal: "false", public: "true" }], ["noteFields.visibility", "public"]])
      assertCaught(report, "keeps the visibility and content of notes", ContractChecks.Rule.claims, "public: expected true or false, got the string \"false\"")
      assertCaught(report, "keeps HTML notes as HTML", ContractChecks.Rule.claims)
    }).pipe(Effect.scoped))
})

describe("other mistakes", () => {
  it.live("the status map sends resolved to a value the system does not have (resolved, not solved): \"round-trips every claimed state\" fails", () =>
    Effect.gen(function*() {
      const report = yield* suiteOn([["states", { new: "new", open: "open", on_hold: "pending", resolved: "resolved", closed: "closed" }]])
      assertCaught(report, "round-trips every claimed state", ContractChecks.Rule.claims, "status: expected one of new, open, on_hold, solved, closed, got the string \"resolved\"")
    }).pipe(Effect.scoped))

  it.live("tags not split (read as a JSON array): the adapter refuses the first answer naming the field", () =>
    Effect.gen(function*() {
      // caught earlier: the answer's tags are a string, not the array the configuration says
      const report = yield* suiteOn([["fields.tags", "tags"]])
      assertCaught(report, "fetches tickets and reads one back", ContractChecks.Rule.answers, "field data.0.tags")
    }).pipe(Effect.scoped))

  it.live("tags split by the wrong separator (;): the system refuses \"a;b\" as one tag; \"round-trips tags\" fails, and only it", () =>
    Effect.gen(function*() {
      const report = yield* suiteOn([["fields.tags", { path: "tags", codec: { _tag: "split", separator: ";" } }]])
      assertCaught(report, "round-trips tags", ContractChecks.Rule.claims, "is not a tag")
      assert.deepStrictEqual(failedNames(report), ["round-trips tags"])
    }).pipe(Effect.scoped))

  it.live("the team read and written at one path (team.id, where the system takes team_id): the queue round trip fails", () =>
    Effect.gen(function*() {
      const report = yield* suiteOn([["fields.queueId", { path: "team.id", codec: "number" }]])
      assertCaught(report, "round-trips the queue", ContractChecks.Rule.claims, "team: unknown field")
    }).pipe(Effect.scoped))

  it.live("a filter parameter misnamed (state, where the system takes status): the filter is ignored; \"filters by state\" fails", () =>
    Effect.gen(function*() {
      const report = yield* suiteOn([["params.state", "state"]])
      assertCaught(report, "filters by state", ContractChecks.Rule.matches, "asked for state")
      assertCaught(report, "filters by state (created tickets)", ContractChecks.Rule.matches)
    }).pipe(Effect.scoped))

  it.live("the changed-since parameter misnamed: the filter is ignored; \"filters by updatedSince\" fails, and only it", () =>
    Effect.gen(function*() {
      const report = yield* suiteOn([["params.updatedSince", "updated_after"]])
      assertCaught(report, "filters by updatedSince", ContractChecks.Rule.matches, "an hour after the latest change found")
      assert.deepStrictEqual(failedNames(report), ["filters by updatedSince"])
    }).pipe(Effect.scoped))
})
