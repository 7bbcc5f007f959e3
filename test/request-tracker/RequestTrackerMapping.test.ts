/**
 * The Request Tracker mapping without HTTP: literal RT records (as RT 5.0.3 sends them) in, the
 * normal form out, and back. Statuses and their overrides, priority bands both ways, tickets,
 * notes, the bodies of updates and creates, the evidence that decides what an update did not
 * apply, the TicketSQL of criteria and the literal filtering of `%`/`_` text.
 */
import { assert, describe, it } from "@effect/vitest"
import { DateTime, Either, Schema } from "effect"
import * as Client from "../../src/adapters/request-tracker/RequestTrackerClient.js"
import * as Mapping from "../../src/adapters/request-tracker/RequestTrackerMapping.js"
import * as TicketSql from "../../src/adapters/request-tracker/TicketSql.js"
import { SearchCriteria } from "../../src/SearchCriteria.js"
import * as T from "../../src/Ticket.js"

// a list item and a record, as RT 5.0.3 gave them
const listItem = {
  LastUpdated: "2026-11-27T12:56:13Z",
  Queue: { _url: "http://rt.test/REST/2.0/queue/3", Name: "Support", id: "3", type: "queue" },
  Started: "1970-01-01T00:00:00Z",
  Due: "1970-01-01T00:00:00Z",
  Resolved: "1970-01-01T00:00:00Z",
  Subject: "printer on floor 2 smokes",
  Created: "2026-11-27T12:56:12Z",
  Requestor: [],
  type: "ticket",
  id: "10",
  _url: "http://rt.test/REST/2.0/ticket/10",
  CustomFields: "",
  Owner: { type: "user", id: "Nobody", _url: "http://rt.test/REST/2.0/user/Nobody" },
  Priority: "10",
  Status: "new"
}

const ticketRecord = {
  Requestor: [{ id: "smoke@example.test", type: "user", _url: "http://rt.test/REST/2.0/user/smoke@example.test" }],
  id: 11,
  Owner: { id: "root", type: "user", _url: "http://rt.test/REST/2.0/user/root" },
  Priority: "80",
  LastUpdated: "2026-11-27T12:49:12Z",
  Started: "2026-11-27T12:49:09Z",
  Subject: "VPN drops every ten minutes",
  Created: "2026-11-27T12:49:06Z",
  Starts: "1970-01-01T00:00:00Z",
  Status: "stalled",
  CustomFields: [
    { id: "2", type: "customfield", _url: "http://rt.test/REST/2.0/customfield/2", name: "Severity", values: ["major"] },
    { id: "3", type: "customfield", name: "Hosts", values: ["vpn1", "vpn2"] },
    { id: "4", type: "customfield", name: "Screenshot", values: [{ filename: "shot.png", content_type: "image/png" }] },
    { id: "5", type: "customfield", name: "Empty", values: [] }
  ],
  Resolved: "1970-01-01T00:00:00Z",
  Due: "1970-01-01T00:00:00Z",
  Queue: { _url: "http://rt.test/REST/2.0/queue/3", type: "queue", id: "3" }
}

const decode = (json: unknown): Client.WithRaw<Client.Ticket> => ({ value: Schema.decodeUnknownSync(Client.Ticket)(json), raw: json })

const defaults = Mapping.make()

/** a ticket as read back after an update */
const readBack = (patch: Partial<typeof ticketRecord> = {}) =>
  Mapping.toTicket(defaults, decode({ ...ticketRecord, ...patch }), { description: "", queueName: "Support" })

describe("RequestTrackerMapping states", () => {
  it("maps RT's default lifecycle, case-insensitively, an unknown status as open", () => {
    const cases = [["new", "new"], ["open", "open"], ["stalled", "pending"], ["Stalled", "pending"], ["resolved", "resolved"], ["rejected", "closed"], ["deleted", "closed"], ["waiting", "open"]] as const
    for (const [status, type] of cases) assert.strictEqual(Mapping.stateOf(defaults, status), type, status)
  })

  it("applies the statuses option over the defaults, for reading and searching", () => {
    const custom = Mapping.make({ statuses: { "Waiting for Customer": "pending", open: "new", ["__proto__"]: "closed" } as Record<string, T.StateType> })
    assert.strictEqual(Mapping.stateOf(custom, "waiting for customer"), "pending")
    assert.strictEqual(Mapping.stateOf(custom, "OPEN"), "new", "an override wins over the default")
    assert.strictEqual(Mapping.stateOf(custom, "stalled"), "pending", "the defaults stay")
    assert.deepStrictEqual(custom.search.statusesOf("pending"), ["stalled", "waiting for customer"])
    assert.deepStrictEqual(custom.search.statusesOf("new"), ["new", "open"])
    assert.deepStrictEqual(custom.search.statusesOf("open"), [], "open was remapped")
    assert.deepStrictEqual(defaults.search.statusesOf("closed"), ["rejected"], "deleted tickets are never in search results")
    // a status called __proto__ is data, not a prototype
    assert.strictEqual(Mapping.stateOf(custom, "__proto__"), "closed")
    assert.strictEqual(Mapping.stateOf(defaults, "__proto__"), "open")
    assert.strictEqual(Mapping.stateOf(custom, "constructor"), "open")
  })

  it("writes a state type as RT's default status, a reference exactly", () => {
    assert.deepStrictEqual(
      (["new", "open", "pending", "resolved", "closed"] as const).map(Mapping.statusValue),
      ["new", "open", "stalled", "resolved", "rejected"]
    )
    assert.strictEqual(Mapping.statusValue({ name: "deleted" }), "deleted")
    assert.strictEqual(Mapping.statusValue({ id: "waiting" }), "waiting")
  })
})

describe("RequestTrackerMapping priorities", () => {
  it("reads RT's numbers by bands", () => {
    const bands = Mapping.defaultPriorities.bands
    const cases = [[-5, "low"], [0, "low"], [24, "low"], [25, "normal"], [49, "normal"], [50, "high"], [74, "high"], [75, "urgent"], [100, "urgent"], [250, "urgent"]] as const
    for (const [value, level] of cases) assert.strictEqual(Mapping.priorityLevel(value, bands), level, String(value))
    const custom = { normal: 10, high: 60, urgent: 90 }
    assert.deepStrictEqual([9, 10, 59, 60, 89, 90].map((v) => Mapping.priorityLevel(v, custom)), ["low", "normal", "normal", "high", "high", "urgent"])
  })

  it("writes levels as the configured values, references as numbers when they are", () => {
    const { values } = Mapping.defaultPriorities
    assert.deepStrictEqual((["low", "normal", "high", "urgent"] as const).map((l) => Mapping.priorityValue(l, values)), [0, 25, 50, 100])
    assert.strictEqual(Mapping.priorityValue("urgent", { ...values, urgent: 90 }), 90)
    assert.strictEqual(Mapping.priorityValue({ name: "70" }, values), 70)
    assert.strictEqual(Mapping.priorityValue({ id: "-3" }, values), -3)
    assert.strictEqual(Mapping.priorityValue({ name: "High" }, values), "High", "RT's own label, passed on as is")
  })

  it("round-trips: each written value reads back as its level; searches by ranges", () => {
    const { bands, values } = Mapping.defaultPriorities
    for (const level of ["low", "normal", "high", "urgent"] as const) {
      assert.strictEqual(Mapping.priorityLevel(values[level], bands), level)
    }
    assert.deepStrictEqual((["low", "normal", "high", "urgent"] as const).map((l) => Mapping.priorityRange(l, bands)), [
      { to: 25 },
      { from: 25, to: 50 },
      { from: 50, to: 75 },
      { from: 75 }
    ])
    const sql = Either.getOrThrow(Mapping.query(defaults, new SearchCriteria({ priorities: ["low", "high"] })))
    assert.strictEqual(sql, "Priority < 25 OR (Priority >= 50 AND Priority < 75)")
  })
})

describe("RequestTrackerMapping tickets", () => {
  it("reads a list item: string id and priority, unset 1970 dates absent, Nobody no assignee, no custom fields", () => {
    const record = decode(listItem)
    assert.isUndefined(record.value.Resolved)
    assert.isUndefined(record.value.Due)
    const t = Mapping.toTicket(defaults, record, { description: "It smokes.", queueName: record.value.Queue.Name })
    assert.strictEqual(t.id, "10")
    assert.strictEqual(t.title, "printer on floor 2 smokes")
    assert.strictEqual(t.description, "It smokes.")
    assert.deepStrictEqual(t.state, { type: "new", name: "new" })
    assert.deepStrictEqual(t.priority, { level: "low", name: "10", value: 10 })
    assert.deepStrictEqual(t.queue, { id: "3", name: "Support" })
    assert.isUndefined(t.requester)
    assert.isUndefined(t.assignee)
    assert.deepStrictEqual(t.customFields, {})
    assert.deepStrictEqual(t.tags, [])
    assert.strictEqual(DateTime.formatIso(t.createdAt), "2026-11-27T12:56:12.000Z")
    assert.strictEqual(DateTime.formatIso(t.updatedAt), "2026-11-27T12:56:13.000Z")
    assert.strictEqual(t.raw, listItem, "raw is RT's JSON, untouched")
  })

  it("reads a record: number id, stalled, priority 80, requester by address, custom fields of every arity", () => {
    const t = Mapping.toTicket(defaults, decode(ticketRecord), { description: "" })
    assert.strictEqual(t.id, "11")
    assert.deepStrictEqual(t.state, { type: "pending", name: "stalled" })
    assert.deepStrictEqual(t.priority, { level: "urgent", name: "80", value: 80 })
    assert.deepStrictEqual(t.queue, { id: "3" }, "a record names its queue by id only: the name is looked up")
    assert.deepStrictEqual(t.requester, { name: "smoke@example.test", email: "smoke@example.test" })
    assert.deepStrictEqual(t.assignee, { name: "root" })
    assert.deepStrictEqual(t.customFields, { Severity: "major", Hosts: ["vpn1", "vpn2"], Screenshot: "shot.png", Empty: null })
    const configured = Mapping.make({ statuses: { stalled: "open" }, priorities: { bands: { normal: 25, high: 50, urgent: 90 }, values: Mapping.defaultPriorities.values } })
    const again = Mapping.toTicket(configured, decode(ticketRecord), { description: "", queueName: "Support" })
    assert.deepStrictEqual([again.state.type, again.priority.level, again.queue.name], ["open", "high", "Support"])
  })

  it("keeps a custom field called __proto__ as data", () => {
    const fields = Mapping.customFieldsOf([{ id: "9", name: "__proto__", values: ["x"] }])
    assert.strictEqual(Object.getPrototypeOf(fields), Object.prototype)
    assert.deepStrictEqual(Object.entries(fields), [["__proto__", "x"]])
  })

  it("reads descriptions and notes from transactions and their first inline text part", () => {
    const attachments: ReadonlyArray<Client.Attachment> = [
      { id: "52", TransactionId: "100", ContentType: "text/plain", Content: "second part", Filename: "" },
      { id: "51", TransactionId: "100", ContentType: "text/plain", Content: "It smokes.", Filename: "" },
      { id: "53", TransactionId: "101", ContentType: "text/plain", Content: "log", Filename: "log.txt" },
      { id: "54", TransactionId: "101", ContentType: "text/html", Content: "<p>We are on it</p>", Filename: "" },
      { id: "55", TransactionId: "102", ContentType: "text/plain", Content: "Called facilities.", Filename: "" }
    ]
    const creates = Mapping.ticketsOfCreates([{ id: "100", Type: "Create", ObjectId: "10" }, { id: "99", Type: "Create" }])
    assert.deepStrictEqual([...Mapping.descriptionsOf(creates, attachments)], [["10", "It smokes."]])
    const notes = Mapping.notesOf([
      { id: "102", Type: "Comment", Creator: { id: "root" }, Created: DateTime.unsafeMake("2026-11-27T13:49:00Z") },
      { id: "100", Type: "Create" },
      { id: "101", Type: "Correspond", Creator: { id: "RT_System" } },
      { id: "103", Type: "Status" }
    ], attachments)
    assert.deepStrictEqual(
      notes.map((n) => [n.id, n.visibility, n.contentType, n.body, n.author?.name]),
      [["101", "public", "text/html", "<p>We are on it</p>", "RT_System"], ["102", "internal", "text/plain", "Called facilities.", "root"]]
    )
  })
})

describe("RequestTrackerMapping writing", () => {
  it("builds the change of an update", () => {
    const update = new T.TicketUpdate({
      title: "VPN fixed",
      state: "pending",
      priority: "high",
      queue: { name: "Sales" },
      customFields: { Severity: "minor", Hosts: ["vpn1"], Empty: null, Count: 3 }
    })
    assert.deepStrictEqual(Mapping.ticketChange(defaults, update, "root"), {
      Subject: "VPN fixed",
      Status: "stalled",
      Priority: 50,
      Queue: "Sales",
      Owner: "root",
      CustomFields: { Severity: "minor", Hosts: ["vpn1"], Empty: null, Count: "3" }
    })
    assert.deepStrictEqual(
      Mapping.ticketChange(defaults, new T.TicketUpdate({ state: { name: "deleted" }, priority: { name: "74" }, queue: { id: "4" } }), "Nobody"),
      { Status: "deleted", Priority: 74, Queue: "4", Owner: "Nobody" }
    )
    assert.deepStrictEqual(Mapping.ticketChange(defaults, new T.TicketUpdate({}), undefined), {}, "nothing to change")
  })

  it("refuses what RT cannot change: the description, tags", () => {
    assert.include(Mapping.updateRefusal("rt", new T.TicketUpdate({ description: "x" })) ?? "", "add a note instead")
    assert.include(Mapping.updateRefusal("rt", new T.TicketUpdate({ tags: ["x"] })) ?? "", "rt (Request Tracker) has no tags")
    assert.isUndefined(Mapping.updateRefusal("rt", new T.TicketUpdate({ tags: [], title: "x" })))
    assert.isDefined(Mapping.createRefusal("rt", new T.TicketDraft({ title: "x", queue: { name: "Support" }, tags: ["x"] })))
  })

  it("builds the body of a create", () => {
    const draft = new T.TicketDraft({
      title: "Quote for 50 seats",
      description: "Could you send pricing?",
      queue: { name: "Sales" },
      state: "open",
      priority: "urgent",
      requester: { name: "bo", email: "bo@example.test" }
    })
    assert.deepStrictEqual(Mapping.ticketCreate(defaults, draft, "root"), {
      Queue: "Sales",
      Subject: "Quote for 50 seats",
      Content: "Could you send pricing?",
      ContentType: "text/plain",
      Priority: 100,
      Status: "open",
      Requestor: "bo@example.test",
      Owner: "root"
    })
    assert.deepStrictEqual(Mapping.ticketCreate(defaults, new T.TicketDraft({ title: "x", queue: { id: "3" } }), undefined), { Queue: "3", Subject: "x" })
  })
})

describe("RequestTrackerMapping evidence", () => {
  const judge = (change: Client.TicketChange, messages: ReadonlyArray<string>, after: T.Ticket) =>
    Mapping.judgeUpdate({ name: "rt", change, messages, after })

  it("classifies RT's update messages", () => {
    const failures = [
      "Ticket 10: Status 'bogus' isn't a valid status for this ticket.",
      "Ticket 10: That user does not exist",
      "Ticket 10: Queue NoSuchQueue does not exist",
      "Permission Denied",
      "Ticket 3: Illegal value for Priority"
    ]
    const successes = [
      "Ticket 11: Priority changed from 'Low' to 'Medium'",
      "Ticket 11: Status changed from 'open' to 'stalled'",
      "Ticket 11: Subject changed from 'x' to 'x does not exist'",
      "Ticket 11: Owner changed from root to Nobody",
      "Ticket 11: Queue changed from Sales to Support",
      "Ticket 11: Ticket deleted",
      "Added a@example.test as Requestor for this ticket",
      "Severity major added"
    ]
    for (const m of failures) assert.isTrue(Mapping.isFailureMessage(m), m)
    for (const m of successes) assert.isFalse(Mapping.isFailureMessage(m), m)
  })

  it("applied: the ticket read back holds every value", () => {
    const after = readBack({ Subject: "mine", Status: "open", Priority: "50" })
    assert.deepStrictEqual(judge({ Subject: "mine", Status: "OPEN", Priority: 50, Owner: "root", Queue: "3" }, [], after), { _tag: "Applied" })
    assert.deepStrictEqual(judge({ Subject: "x does not exist" }, ["Ticket 11: Subject changed from 'a' to 'x does not exist'"], readBack({ Subject: "x  does not exist " })), { _tag: "Applied" }, "a value that reads like an error, whitespace aside")
    assert.deepStrictEqual(mismatchesOf({ Queue: "support", Owner: "Nobody" }, readBack({ Owner: { id: "Nobody", type: "user", _url: "" } })), [])
  })

  const mismatchesOf = (change: Client.TicketChange, after: T.Ticket) => Mapping.mismatches(change, after).map((m) => m.field)

  it("refused: an error among RT's messages, whatever the read-back", () => {
    const verdict = judge({ Status: "bogus", Priority: 50 }, ["Ticket 11: Priority changed from '80' to '50'", "Ticket 11: Status 'bogus' isn't a valid status for this ticket."], readBack({ Priority: "50" }))
    assert.deepStrictEqual(verdict, { _tag: "Refused", reason: "Ticket 11: Status 'bogus' isn't a valid status for this ticket." })
  })

  it("overwritten by a later writer: RT reported the change as asked, so it was applied", () => {
    assert.deepStrictEqual(judge({ Subject: "mine" }, ["Ticket 11: Subject changed from 'start' to 'mine'"], readBack({ Subject: "theirs" })), { _tag: "Applied" })
    assert.deepStrictEqual(judge({ Status: "open" }, ["Ticket 11: Status changed from 'new' to 'open'"], readBack({ Status: "resolved" })), { _tag: "Applied" })
    // priority, queue and owner are reported by name: the report alone is evidence
    assert.deepStrictEqual(judge({ Priority: 50, Owner: "bob" }, ["Ticket 11: Priority changed from 'Low' to 'Medium'", "Ticket 11: Owner changed from root to bob"], readBack()), { _tag: "Applied" })
  })

  it("refused: RT reported another value than asked (a subject cut short), with RT's message", () => {
    const said = `Ticket 11: Subject changed from 'start' to '${"x".repeat(200)}'`
    const verdict = judge({ Subject: "x".repeat(250) }, [said], readBack({ Subject: "x".repeat(200) }))
    assert.deepStrictEqual(verdict, { _tag: "Refused", reason: `rt did not apply the change: the subject was not changed (RT said: ${said})` })
  })

  it("value already set (RT silent): RT's history since the update decides", () => {
    const verdict = judge({ Subject: "mine", Priority: 50 }, ["That is already the current value"], readBack({ Subject: "theirs", Priority: "75" }))
    assert.strictEqual(verdict._tag, "CheckHistory")
    if (verdict._tag !== "CheckHistory") return
    assert.deepStrictEqual(verdict.fields, ["Subject", "Priority"])
    // a later write of each field: applied
    assert.deepStrictEqual(Mapping.judgeWithHistory(verdict, [{ Field: "Priority" }, { Field: "Subject" }]), { _tag: "Applied" })
    // only the subject's: the priority was left unchanged
    assert.deepStrictEqual(Mapping.judgeWithHistory(verdict, [{ Field: "Subject" }]), {
      _tag: "Refused",
      reason: "rt did not apply the change: the priority is 75, not 50 (RT said: That is already the current value)"
    })
    // none: neither was applied
    const none = Mapping.judgeWithHistory(verdict, [])
    assert.include(none._tag === "Refused" ? none.reason : "", "the subject was not changed; the priority is 75, not 50")
  })

  it("refused without history: a message RT may have meant for the field, a custom field that does not apply", () => {
    const owner = judge({ Owner: "bob" }, ["Ticket 11: That user may not own tickets in that queue"], readBack())
    assert.deepStrictEqual(owner, {
      _tag: "Refused",
      reason: "rt did not apply the change: the owner is root, not \"bob\" (RT said: Ticket 11: That user may not own tickets in that queue)"
    })
    const field = judge({ CustomFields: { Severity: "minor", Nope: "x" } }, [], readBack())
    assert.deepStrictEqual(field, { _tag: "Refused", reason: "rt did not apply the change: custom field \"Nope\" does not apply to this ticket" })
  })

  it("dates the update's start by RT's clock, less the time it took and a second", () => {
    const date = DateTime.unsafeMake("2026-12-02T18:43:09Z")
    const began = Mapping.updateBegan({ date, started: 1_000, answered: 1_400 })
    assert.strictEqual(DateTime.formatIso(began), "2026-12-02T18:43:07.600Z")
    assert.strictEqual(DateTime.toEpochMillis(Mapping.updateBegan({ date: undefined, started: 50_000, answered: 50_400 })), 40_000)
    assert.strictEqual(
      TicketSql.fieldChanges(11, ["Subject"], began, defaults.timeZone),
      "ObjectType = 'RT::Ticket' AND ObjectId = 11 AND Field = 'Subject' AND Created >= '2026-12-02 18:43:07'"
    )
  })
})

describe("RequestTrackerMapping search", () => {
  it("builds TicketSQL from criteria, with the configured statuses and queue ids looked up", () => {
    const custom = Mapping.make({ statuses: { waiting: "pending" }, contentSearch: true })
    const criteria = new SearchCriteria({ states: ["pending"], queues: [{ name: "Support" }], text: "vpn" })
    assert.strictEqual(
      Either.getOrThrow(Mapping.query(custom, criteria)),
      "Queue = 'Support' AND (Status = 'stalled' OR Status = 'waiting') AND (Subject LIKE 'vpn' OR Content LIKE 'vpn')"
    )
    const hostile = new SearchCriteria({ queues: [{ name: "CF.{x}" }, { name: "Sales" }, { name: "__CurrentUser__" }] })
    const built = Mapping.query(defaults, hostile)
    assert.deepStrictEqual(Either.isLeft(built) ? built.left.names : [], ["CF.{x}", "__CurrentUser__"])
    assert.strictEqual(
      Mapping.queryWithQueueIds(defaults, hostile, new Map([["CF.{x}", "7"], ["__CurrentUser__", "0"]])),
      "Queue = 7 OR Queue = 'Sales' OR Queue = 0"
    )
  })

  it("turns cursors into offsets and offsets into RT pages", () => {
    assert.deepStrictEqual([Mapping.offsetOf(undefined), Mapping.offsetOf("250"), Mapping.offsetOf("x"), Mapping.offsetOf("-1")], [0, 250, undefined, undefined])
    assert.deepStrictEqual(Mapping.pageAt(250, 100), { page: 3, start: 200 })
    assert.deepStrictEqual(Mapping.pageAt(74, 37), { page: 3, start: 74 })
    const items = Array.from({ length: 100 }, (_, i) => 200 + i)
    const slice = Mapping.sliceOf({ total: 360, count: 100, page: 3, per_page: 100, items }, 250, 100)
    assert.deepStrictEqual([slice.records[0], slice.records.length, slice.end, slice.total, slice.more], [250, 50, 300, 360, true])
    assert.isFalse(Mapping.sliceOf({ total: 300, count: 100, page: 3, per_page: 100, items }, 250, 100).more, "RT's total reached")
    const last = Mapping.sliceOf({ total: null, count: 60, page: 3, per_page: 100, items: items.slice(0, 60) }, 200, 100)
    assert.deepStrictEqual([last.end, last.total, last.more], [260, undefined, false], "a short page without a total is the last")
  })

  it("keeps only the literal matches of text with % or _, case-insensitively", () => {
    const records = [
      decode({ ...listItem, id: "1", Subject: "100% done" }),
      decode({ ...listItem, id: "2", Subject: "1000 done" }),
      decode({ ...listItem, id: "3", Subject: "SNAKE_case" }),
      decode({ ...listItem, id: "4", Subject: "snakexcase" })
    ]
    assert.deepStrictEqual([...Mapping.subjectMatches(records, "100%")], ["1"])
    assert.deepStrictEqual([...Mapping.subjectMatches(records, "snake_CASE")], ["3"])
    assert.deepStrictEqual([...Mapping.subjectMatches(records, "%")], ["1"])
    const parts = (content: string): Client.Attachment => ({ id: "1", TransactionId: "1", ContentType: "text/plain", Content: content, Filename: "" })
    assert.isTrue(Mapping.contentMatches([parts("nothing"), parts("load at 50%now")], "50%NOW"))
    assert.isFalse(Mapping.contentMatches([parts("load at 50 now")], "50%now"))
  })

  it("folds RT's pages into a page of literal matches: reads on past pages without one, stops when full", () => {
    const page = (from: number, count: number) => Array.from({ length: count }, (_, i) => decode({ ...listItem, id: String(from + i + 1) }))
    const slice = (records: ReadonlyArray<Client.WithRaw<Client.Ticket>>, end: number, more: boolean) => ({ records, end, total: undefined, more })
    // RT's first page (ids 1–100) has no literal match, its second (101–150) has 120 and 140
    let scan = Mapping.literalStep({ kept: [], at: 0, more: true }, slice(page(0, 100), 100, true), new Set(), 10)
    assert.deepStrictEqual([scan.kept.length, scan.at, scan.more], [0, 100, true])
    scan = Mapping.literalStep(scan, slice(page(100, 50), 150, false), new Set(["120", "140"]), 10)
    assert.deepStrictEqual([scan.kept.map((r) => r.value.id), scan.at, scan.more], [["120", "140"], 150, false])
    assert.deepStrictEqual(Mapping.literalPageInfo(scan, 0), { total: 2 }, "the first page holds every match: exact total")
    // a page of one fills at 120: the next starts after it, and there is more
    const one = Mapping.literalStep({ kept: [], at: 100, more: true }, slice(page(100, 50), 150, false), new Set(["120", "140"]), 1)
    assert.deepStrictEqual([one.kept.map((r) => r.value.id), one.at, one.more], [["120"], 120, true])
    assert.deepStrictEqual(Mapping.literalPageInfo(one, 0), { next: "120" })
    assert.deepStrictEqual(Mapping.literalPageInfo({ kept: [], at: 150, more: false }, 140), {}, "no total after the first page")
  })
})
