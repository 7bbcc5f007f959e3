// Unit tests of the Redmine mapping: pure functions over Redmine's decoded JSON, no HTTP, no Redmine.
import { assert, describe, it } from "@effect/vitest"
import { DateTime, Either, Schema } from "effect"
import { RedmineClient, RedmineMapping } from "../../src/adapters/redmine/index.js"
import { SearchCriteria } from "../../src/SearchCriteria.js"
import type { PriorityLevel, StateType } from "../../src/Ticket.js"
import { TicketDraft, TicketUpdate } from "../../src/Ticket.js"

// Redmine 5's standard statuses and priorities, as its API answers them (plus one of each that
// has no default mapping)
const statuses = Schema.decodeUnknownSync(Schema.Array(RedmineClient.IssueStatus))([
  { id: 1, name: "New", is_closed: false },
  { id: 2, name: "In Progress", is_closed: false },
  { id: 3, name: "Resolved", is_closed: false },
  { id: 4, name: "Feedback", is_closed: false },
  { id: 5, name: "Closed", is_closed: true },
  { id: 6, name: "Rejected", is_closed: true },
  { id: 7, name: "Waiting for parts", is_closed: false },
  { id: 8, name: "Duplicate", is_closed: true }
])

const priorities = Schema.decodeUnknownSync(Schema.Array(RedmineClient.IssuePriority))([
  { id: 1, name: "Low" },
  { id: 2, name: "Normal", is_default: true },
  { id: 3, name: "High" },
  { id: 4, name: "Urgent" },
  { id: 5, name: "Immediate" },
  { id: 6, name: "Whenever" },
  { id: 7, name: "Someday", active: false }
])

const trackers = Schema.decodeUnknownSync(Schema.Array(RedmineClient.Tracker))([
  { id: 1, name: "Bug", default_status: { id: 1, name: "New" } },
  { id: 3, name: "Support", default_status: { id: 1, name: "New" } }
])

const projects = Schema.decodeUnknownSync(Schema.Array(RedmineClient.Project))([
  { id: 1, name: "Demo", identifier: "demo" },
  { id: 2, name: "Ops", identifier: "ops" }
])

const reference: RedmineMapping.Reference = { statuses, priorities, trackers, projects }

const options = (input: RedmineMapping.OptionsInput = {}) => Schema.decodeUnknownSync(RedmineMapping.Options)(input)

const lookupsOf = (input: RedmineMapping.OptionsInput = {}) => Either.getOrThrowWith(RedmineMapping.lookups(reference, options(input)), (e) => new Error(e))

const lookups = lookupsOf()

const decodeIssue = Schema.decodeUnknownSync(RedmineClient.Issue)

/** an issue as `GET /issues/42.json?include=journals` answers it */
const issueJson = (extra: Record<string, unknown> = {}) => ({
  id: 42,
  project: { id: 1, name: "Demo" },
  tracker: { id: 3, name: "Support" },
  status: { id: 4, name: "Feedback", is_closed: false },
  priority: { id: 4, name: "Urgent" },
  author: { id: 1, name: "Redmine Admin" },
  assigned_to: { id: 5, name: "Rita Reporter" },
  subject: "Printer on floor 3 jams",
  description: "It jams.\r\nEvery morning.\r\n",
  start_date: "2026-12-01",
  done_ratio: 0,
  is_private: false,
  custom_fields: [
    { id: 1, name: "Customer", value: "ACME" },
    { id: 2, name: "Platforms", multiple: true, value: ["linux", "mac"] },
    { id: 3, name: "Contract", value: null }
  ],
  created_on: "2026-12-01T10:00:00Z",
  updated_on: "2026-12-02T18:30:05Z",
  closed_on: null,
  ...extra
})

const issue = (extra: Record<string, unknown> = {}) => decodeIssue(issueJson(extra))

const journal = (id: number, details: ReadonlyArray<{ property: string; name: string; old_value: string | null; new_value: string | null }>, extra: Record<string, unknown> = {}) => ({
  id,
  user: { id: 2, name: "Someone Else" },
  notes: "",
  created_on: "2026-12-02T18:00:00Z",
  private_notes: false,
  details,
  ...extra
})

describe("RedmineMapping: states", () => {
  it("maps the standard statuses by name, others by is_closed", () => {
    assert.deepStrictEqual(
      statuses.map((s) => RedmineMapping.stateTypeOf(s)),
      ["new", "open", "resolved", "pending", "closed", "closed", "open", "closed"]
    )
    assert.strictEqual(RedmineMapping.stateTypeOf({ id: 99, name: "NEW" }), "new", "names case-insensitively")
    assert.strictEqual(RedmineMapping.stateTypeOf({ id: 99, name: "Odd" }), "open", "no is_closed: open")
  })

  it("applies the states option by name or id, trimmed and case-insensitive, before the defaults", () => {
    const overrides = RedmineMapping.overridesOf<StateType>({ " waiting FOR parts ": "pending", "8": "resolved", "Feedback": "open" })
    assert.deepStrictEqual(
      statuses.map((s) => RedmineMapping.stateTypeOf(s, overrides)),
      ["new", "open", "resolved", "open", "closed", "closed", "pending", "resolved"]
    )
  })

  it("writes the first status of a category in Redmine's order, or the one statusFor names", () => {
    assert.deepStrictEqual(
      ["new", "open", "pending", "resolved", "closed"].map((t) => lookups.states.toRemote(t as never)),
      ["1", "2", "4", "3", "5"]
    )
    const custom = lookupsOf({ states: { "Waiting for parts": "pending" }, statusFor: { pending: "Waiting for parts", closed: "rejected" } })
    assert.strictEqual(custom.states.toRemote("pending"), "7")
    assert.strictEqual(custom.states.toRemote("closed"), "6")
    assert.strictEqual(custom.states.toNormal(7), "pending")
    assert.deepStrictEqual(RedmineMapping.writableStates(lookups), ["new", "open", "pending", "resolved", "closed"])
    const fewer = Either.getOrThrow(RedmineMapping.lookups({ ...reference, statuses: statuses.slice(0, 2) }, options()))
    assert.deepStrictEqual(RedmineMapping.writableStates(fewer), ["new", "open"])
  })
})

describe("RedmineMapping: priorities", () => {
  it("maps five priorities onto four levels, others by their place around the default", () => {
    assert.deepStrictEqual(
      priorities.map((p) => RedmineMapping.priorityLevelOf({ id: p.id }, priorities)),
      ["low", "normal", "high", "urgent", "urgent", "high", "high"]
    )
    assert.strictEqual(RedmineMapping.priorityLevelOf({ id: 42 }, priorities), "normal", "unknown priority")
    const beforeDefault = [{ id: 9, name: "Trivial", is_default: false, active: true }, ...priorities]
    assert.strictEqual(RedmineMapping.priorityLevelOf({ id: 9 }, beforeDefault), "low")
  })

  it("applies the priorities option by name or id", () => {
    const overrides = RedmineMapping.overridesOf<PriorityLevel>({ Whenever: "low", "5": "high" })
    assert.strictEqual(RedmineMapping.priorityLevelOf({ id: 6 }, priorities, overrides), "low")
    assert.strictEqual(RedmineMapping.priorityLevelOf({ id: 5, name: "Immediate" }, priorities, overrides), "high")
    const custom = lookupsOf({ priorities: { Whenever: "low" }, priorityFor: { urgent: "Immediate" } })
    assert.strictEqual(custom.levels.toRemote("urgent"), "5")
    assert.strictEqual(custom.levels.toRemote("low"), "1", "the first of the level")
  })

  it("writes active priorities only, and filters by every priority", () => {
    const custom = lookupsOf({ priorities: { Urgent: "high", Immediate: "high", Someday: "urgent" } })
    assert.isUndefined(custom.levels.toRemote("urgent"), "Someday is the only urgent one, and inactive")
    const query = RedmineMapping.issueQuery(new SearchCriteria({ priorities: ["urgent"] }), { projectIds: undefined, statuses, lookups: custom, withText: true })
    assert.deepStrictEqual(query, { priorityIds: [7] })
  })
})

describe("RedmineMapping: options checked against Redmine", () => {
  const problem = (input: RedmineMapping.OptionsInput, ref: RedmineMapping.Reference = reference) =>
    Either.match(RedmineMapping.lookups(ref, options(input)), { onLeft: (e) => e, onRight: () => "accepted" })

  it("names the bad option and what Redmine has", () => {
    assert.strictEqual(
      problem({ states: { Waiting: "pending" } }),
      `states: Redmine has no status "Waiting" (statuses: "New", "In Progress", "Resolved", "Feedback", "Closed", "Rejected", "Waiting for parts", "Duplicate")`
    )
    assert.include(problem({ priorities: { Highest: "urgent" } }), "priorities: Redmine has no priority \"Highest\"")
    assert.strictEqual(problem({ statusFor: { pending: "In Progress" } }), "statusFor.pending: status \"In Progress\" reads back as open; map it in states too")
    assert.include(problem({ priorityFor: { urgent: "Someday" } }), "priorityFor.urgent: Redmine has no active priority \"Someday\"")
    assert.strictEqual(problem({ priorityFor: { low: "High" } }), "priorityFor.low: priority \"High\" reads back as high; map it in priorities too")
    assert.strictEqual(problem({ defaultTracker: "Incident" }), "defaultTracker: Redmine has no tracker \"Incident\" (trackers: \"Bug\", \"Support\")")
    assert.strictEqual(problem({ projects: ["nowhere"] }), "projects: no project \"nowhere\" is visible to the API key (projects: demo, ops)")
  })

  it("resolves the tracker and the projects", () => {
    const custom = lookupsOf({ defaultTracker: "support", projects: ["DEMO", "2"] })
    assert.strictEqual(custom.trackerId, 3)
    assert.deepStrictEqual(custom.scope === undefined ? [] : [...custom.scope], [1, 2])
    assert.isUndefined(lookups.scope)
    assert.isUndefined(lookups.trackerId)
  })
})

describe("RedmineMapping: reading", () => {
  it("makes a ticket of a realistic issue", () => {
    const ticket = RedmineMapping.toTicket(issue(), lookups)
    assert.strictEqual(ticket.id, "42")
    assert.strictEqual(ticket.title, "Printer on floor 3 jams")
    assert.strictEqual(ticket.description, "It jams.\nEvery morning.\n", "\\r\\n becomes \\n")
    assert.deepStrictEqual(ticket.state, { type: "pending", name: "Feedback", id: "4" })
    assert.deepStrictEqual(ticket.priority, { level: "urgent", name: "Urgent", id: "4" })
    assert.deepStrictEqual(ticket.queue, { id: "1", name: "Demo" })
    assert.deepStrictEqual(ticket.requester, { id: "1", name: "Redmine Admin" })
    assert.deepStrictEqual(ticket.assignee, { id: "5", name: "Rita Reporter" })
    assert.deepStrictEqual(ticket.tags, [])
    assert.deepStrictEqual(ticket.customFields, { Customer: "ACME", Platforms: ["linux", "mac"], Contract: null })
    assert.strictEqual(DateTime.formatIso(ticket.createdAt), "2026-12-01T10:00:00.000Z")
    assert.strictEqual(DateTime.formatIso(ticket.updatedAt), "2026-12-02T18:30:05.000Z")
    assert.strictEqual((ticket.raw as RedmineClient.Issue).start_date, "2026-12-01", "raw keeps every field Redmine sent")
  })

  it("names a priority Redmine sent without a name from the reference data, and honours overrides", () => {
    const ticket = RedmineMapping.toTicket(issue({ priority: { id: 6 }, status: { id: 7, name: "Waiting for parts" }, assigned_to: undefined }), lookups)
    assert.deepStrictEqual(ticket.priority, { level: "high", name: "Whenever", id: "6" })
    assert.strictEqual(ticket.state.type, "open")
    assert.isUndefined(ticket.assignee)
    const custom = lookupsOf({ states: { "7": "pending" }, priorities: { Whenever: "low" } })
    const mapped = RedmineMapping.toTicket(issue({ priority: { id: 6 }, status: { id: 7, name: "Waiting for parts" } }), custom)
    assert.deepStrictEqual([mapped.state.type, mapped.priority.level], ["pending", "low"])
  })

  it("keeps a custom field named __proto__ as a field", () => {
    const ticket = RedmineMapping.toTicket(issue({ custom_fields: [{ id: 9, name: "__proto__", value: ["x"] }] }), lookups)
    assert.isTrue(Object.prototype.hasOwnProperty.call(ticket.customFields, "__proto__"))
    assert.strictEqual(Object.getPrototypeOf(ticket.customFields), Object.prototype)
  })

  it("reads notes from journals: non-empty notes only, private ones internal", () => {
    const read = issue({
      journals: [
        journal(10, [], { notes: "Looked at it.\r\nToner.", user: { id: 1, name: "Redmine Admin" }, private_notes: true }),
        journal(11, [{ property: "attr", name: "status_id", old_value: "1", new_value: "4" }]),
        journal(12, [], { notes: null }),
        journal(13, [], { notes: "Fixed", user: { id: 5, name: "Rita Reporter" } })
      ]
    })
    const notes = RedmineMapping.toNotes(read.journals ?? [])
    assert.deepStrictEqual(
      notes.map((n) => [n.id, n.body, n.visibility, n.author?.name]),
      [["10", "Looked at it.\nToner.", "internal", "Redmine Admin"], ["13", "Fixed", "public", "Rita Reporter"]]
    )
  })

  it("pages by offset with Redmine's total_count; refuses foreign cursors and ids", () => {
    const list = { issues: [issue(), issue({ id: 43 })], total_count: 5, offset: 2, limit: 2 }
    const page = RedmineMapping.toPage(list, 2, lookups)
    assert.deepStrictEqual([page.items.map((t) => t.id), page.total, page.next], [["42", "43"], 5, "4"])
    assert.isUndefined(RedmineMapping.toPage({ ...list, total_count: 4 }, 2, lookups).next, "the last page")
    assert.deepStrictEqual(["7", undefined, "x", "-1", "1234567890"].map(RedmineMapping.offsetOf), [7, 0, undefined, undefined, undefined])
    assert.deepStrictEqual(["42", "0", "1?x=y", "../1", "01", " 1"].map(RedmineMapping.issueNumber), [42, undefined, undefined, undefined, undefined, undefined])
  })
})

describe("RedmineMapping: writing", () => {
  it("makes the body of an update from resolved references", () => {
    const update = new TicketUpdate({ title: "New title", description: "a\nb", customFields: { Customer: "ACME" } })
    const body = RedmineMapping.updateBody(update, { status_id: 5, priority_id: 3, assigned_to_id: "" }, [{ id: 1, value: "ACME" }])
    assert.deepStrictEqual(body, {
      subject: "New title",
      description: "a\nb",
      status_id: 5,
      priority_id: 3,
      assigned_to_id: "",
      custom_fields: [{ id: 1, value: "ACME" }]
    })
    assert.deepStrictEqual(RedmineMapping.updateBody(new TicketUpdate({}), {}), {}, "an empty update writes nothing")
  })

  it("makes the body of a new issue, and the update that follows it", () => {
    const draft = new TicketDraft({ title: "Printer jams", queue: { id: "demo" }, priority: "high", state: "pending" })
    assert.deepStrictEqual(RedmineMapping.createBody(draft, { project_id: 1, priority_id: 3, assigned_to_id: 5 }, 3), {
      project_id: 1,
      subject: "Printer jams",
      description: "",
      tracker_id: 3,
      priority_id: 3,
      assigned_to_id: 5
    })
    assert.deepStrictEqual(RedmineMapping.createBody(draft, { project_id: 1 }, undefined), { project_id: 1, subject: "Printer jams", description: "" })
    const created = issue({ status: { id: 1, name: "New" } })
    assert.deepStrictEqual(RedmineMapping.followUpBody(created, 4), { status_id: 4 })
    assert.deepStrictEqual(RedmineMapping.followUpBody(created, 1), {}, "already in that status")
    assert.deepStrictEqual(RedmineMapping.followUpBody(created, undefined, [{ id: 1, value: "x" }]), { custom_fields: [{ id: 1, value: "x" }] })
  })

  it("addresses custom fields by the ids the issue shows", () => {
    const writes = RedmineMapping.customFieldWrites({ Customer: "Initech", "2": ["linux"], contract: true, Score: null }, issue({
      custom_fields: [...issueJson().custom_fields, { id: 4, name: "Score", value: "3" }]
    }))
    // in the order of the keys (JavaScript's: integer-like keys first)
    assert.deepStrictEqual(Either.getOrThrow(writes), [
      { id: 2, value: ["linux"] },
      { id: 1, value: "Initech" },
      { id: 3, value: "1" },
      { id: 4, value: null }
    ])
    assert.deepStrictEqual(Either.getOrThrow(RedmineMapping.customFieldWrites({ Customer: 7, Contract: false }, issue())), [{ id: 1, value: "7" }, { id: 3, value: "0" }])
    const missing = RedmineMapping.customFieldWrites({ Region: "EU" }, issue())
    assert.deepStrictEqual(missing, Either.left(`issue 42 has no custom field "Region" (fields: "Customer", "Platforms", "Contract")`))
  })

  it("assigns by user id only; Redmine has no tags", () => {
    assert.deepStrictEqual(RedmineMapping.assigneeId({ id: " 5 " }), Either.right(5))
    assert.deepStrictEqual(RedmineMapping.assigneeId(null), Either.right(""))
    assert.isTrue(Either.isLeft(RedmineMapping.assigneeId({ name: "Rita Reporter" })))
    assert.isUndefined(RedmineMapping.tagsProblem([]))
    assert.isUndefined(RedmineMapping.tagsProblem(undefined))
    assert.include(RedmineMapping.tagsProblem(["x"]) ?? "", "no tags")
  })
})

describe("RedmineMapping: evidence of what an update did", () => {
  const body = { subject: "mine", status_id: 5 } satisfies RedmineClient.IssueWrite
  const fields = RedmineMapping.writtenFields(body, statuses)
  /** the issue before the update: journal 20 is the newest */
  const since = RedmineMapping.lastJournalId(issue({ journals: [journal(19, []), journal(20, [])] }))

  it("knows the fields an update writes, and the newest journal before it", () => {
    assert.deepStrictEqual(fields.map((f) => [f.property, f.name]), [["attr", "status_id"], ["attr", "subject"]])
    assert.strictEqual(since, 20)
    assert.strictEqual(RedmineMapping.lastJournalId(issue()), 0)
  })

  it("applied: the issue read back holds every value sent", () => {
    assert.deepStrictEqual(RedmineMapping.unapplied(fields, issue({ subject: "mine", status: { id: 5, name: "Closed" } })), [])
    const description = RedmineMapping.writtenFields({ description: "a\nb" }, statuses)
    assert.deepStrictEqual(RedmineMapping.unapplied(description, issue({ description: "a\r\nb" })), [], "Redmine's \\r\\n is the same text")
  })

  it("ignored: no journal since explains the difference, and the refusal names only those fields", () => {
    const read = issue({
      subject: "mine",
      status: { id: 1, name: "New" },
      journals: [journal(20, []), journal(21, [{ property: "attr", name: "subject", old_value: "start", new_value: "mine" }])]
    })
    const missing = RedmineMapping.unapplied(fields, read)
    assert.deepStrictEqual(missing.map((f) => f.name), ["status_id"])
    const ignored = RedmineMapping.ignoredFields(missing, read, since)
    assert.deepStrictEqual(ignored.map((f) => f.name), ["status_id"])
    assert.strictEqual(
      RedmineMapping.ignoredReason(ignored, read),
      "Redmine accepted the update but did not apply: status \"Closed\" (it is still \"New\"). It silently ignores unknown values and " +
        "changes the API user may not make (missing permission, or a status transition its workflow does not allow)"
    )
  })

  it("overwritten by a later writer: a journal since set the value sent, another changed it again", () => {
    const read = issue({
      subject: "theirs",
      status: { id: 5, name: "Closed" },
      journals: [
        journal(21, [{ property: "attr", name: "subject", old_value: "start", new_value: "mine" }, { property: "attr", name: "status_id", old_value: "1", new_value: "5" }]),
        journal(22, [{ property: "attr", name: "subject", old_value: "mine", new_value: "theirs" }])
      ]
    })
    const missing = RedmineMapping.unapplied(fields, read)
    assert.deepStrictEqual(missing.map((f) => f.name), ["subject"])
    assert.deepStrictEqual(RedmineMapping.ignoredFields(missing, read, since), [])
  })

  it("value already set: no journal for it, but a later one changed it away from the value sent", () => {
    const read = issue({
      subject: "theirs",
      status: { id: 5, name: "Closed" },
      journals: [journal(20, []), journal(23, [{ property: "attr", name: "subject", old_value: " mine ", new_value: "theirs" }])]
    })
    assert.deepStrictEqual(RedmineMapping.ignoredFields(RedmineMapping.unapplied(fields, read), read, since), [], "Redmine strips the subject: compared trimmed")
  })

  it("another writer set another value, and nobody set the one sent: ignored", () => {
    const read = issue({
      subject: "theirs",
      status: { id: 5, name: "Closed" },
      journals: [journal(21, [{ property: "attr", name: "subject", old_value: "start", new_value: "theirs" }])]
    })
    const ignored = RedmineMapping.ignoredFields(RedmineMapping.unapplied(fields, read), read, since)
    assert.deepStrictEqual(ignored.map((f) => f.describe(read)), ["subject (title)"])
  })

  it("journals from before the update do not count", () => {
    const read = issue({
      status: { id: 1, name: "New" },
      subject: "mine",
      journals: [
        journal(3, [{ property: "attr", name: "status_id", old_value: "1", new_value: "5" }]),
        journal(4, [{ property: "attr", name: "status_id", old_value: "5", new_value: "1" }])
      ]
    })
    const ignored = RedmineMapping.ignoredFields(RedmineMapping.unapplied(fields, read), read, since)
    assert.deepStrictEqual(ignored.map((f) => f.describe(read)), ["status \"Closed\" (it is still \"New\")"])
    assert.deepStrictEqual(RedmineMapping.ignoredFields(RedmineMapping.unapplied(fields, read), read, 0), [], "with every journal counted, the old close explains it")
  })

  it("custom fields: multiple values compared as sets, each journal detail one value", () => {
    const cf = RedmineMapping.writtenFields({ custom_fields: [{ id: 2, value: ["mac", "linux"] }] }, statuses)
    assert.deepStrictEqual(RedmineMapping.unapplied(cf, issue()), [], "the same values in another order")
    const read = issue({
      custom_fields: [{ id: 2, name: "Platforms", multiple: true, value: ["windows"] }],
      journals: [journal(21, [{ property: "cf", name: "2", old_value: null, new_value: "mac" }])]
    })
    const missing = RedmineMapping.unapplied(cf, read)
    assert.deepStrictEqual(missing.map((f) => f.describe(read)), ["custom field \"Platforms\""])
    assert.deepStrictEqual(RedmineMapping.ignoredFields(missing, read, since), [], "a value sent was added since")
    assert.deepStrictEqual(RedmineMapping.ignoredFields(missing, { ...read, journals: [] }, since).length, 1)
  })
})

describe("RedmineMapping: searching", () => {
  const criteria = (input: ConstructorParameters<typeof SearchCriteria>[0]) => new SearchCriteria(input)
  const context = { projectIds: undefined, statuses, lookups, withText: true }

  it("filters by the statuses and priorities of the wanted categories", () => {
    const since = DateTime.unsafeMake("2026-12-01T00:00:00Z")
    const query = RedmineMapping.issueQuery(criteria({ states: ["closed", "pending"], priorities: ["urgent"], text: "printer", updatedSince: since }), {
      ...context,
      projectIds: [1, 2]
    })
    assert.deepStrictEqual(query, { projectIds: [1, 2], statusIds: [4, 5, 6, 8], priorityIds: [4, 5], subject: "printer", updatedSince: since })
    assert.deepStrictEqual(RedmineMapping.issueQuery(criteria({ text: "printer" }), { ...context, withText: false }), {}, "full text searches elsewhere")
  })

  it("knows when no issue can match", () => {
    const fewer = { ...context, statuses: statuses.slice(0, 2) }
    assert.isUndefined(RedmineMapping.issueQuery(criteria({ states: ["closed"] }), fewer))
    const custom = lookupsOf({ priorities: { Urgent: "high", Immediate: "high" } })
    assert.isUndefined(RedmineMapping.issueQuery(criteria({ priorities: ["urgent"] }), { ...context, lookups: custom }))
  })

  it("reads full-text hits as issue ids, in the hits' order", () => {
    const hits = Schema.decodeUnknownSync(RedmineClient.SearchResults)({
      results: [
        { id: 43, title: "Bug #43", type: "issue" },
        { id: 7, title: "Wiki", type: "wiki-page" },
        { id: 42, title: "Bug #42 (Closed)", type: "issue-closed" },
        { id: 44, title: "Bug #44", type: "issue" }
      ],
      total_count: 4,
      offset: 0,
      limit: 25
    })
    const ids = RedmineMapping.hitIssueIds(hits.results)
    assert.deepStrictEqual(ids, [43, 42, 44])
    assert.deepStrictEqual(RedmineMapping.inHitOrder(ids, [issue(), issue({ id: 43 })]).map((i) => i.id), [43, 42], "44 was filtered out")
  })
})
