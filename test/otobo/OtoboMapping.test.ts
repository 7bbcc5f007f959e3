/**
 * The OTOBO / Znuny mapping without HTTP: literal TicketGet records (OTOBO 10+ with
 * IsVisibleForCustomer, and older Znuny with ArticleType) in, the normal form out; the bodies of
 * TicketCreate and TicketUpdate; the TicketSearch criteria; the mapping of HTTP-200 errors.
 */
import { assert, describe, it } from "@effect/vitest"
import { DateTime, Schema } from "effect"
import * as Client from "../../src/adapters/otobo/OtoboClient.js"
import * as Mapping from "../../src/adapters/otobo/OtoboMapping.js"
import { NoteDraft } from "../../src/Note.js"
import { SearchCriteria } from "../../src/SearchCriteria.js"
import * as T from "../../src/Ticket.js"

const mapping = Mapping.make({ customerUser: "customer@example.com" })

const otoboTicket = {
  TicketID: 42,
  TicketNumber: "2026120210000042",
  Title: "VPN drops every ten minutes",
  State: "pending reminder",
  StateID: 6,
  StateType: "pending reminder",
  Priority: "5 very high",
  PriorityID: 5,
  Queue: "Raw",
  QueueID: 2,
  Owner: "agent1",
  OwnerID: 3,
  CustomerUserID: "smoke@example.test",
  Created: "2026-12-01 08:00:00",
  Changed: "2026-12-02 09:30:15",
  DynamicField: [
    { Name: "Severity", Value: "major" },
    { Name: "Hosts", Value: ["vpn1", "vpn2"] },
    { Name: "Empty", Value: null }
  ],
  Article: [
    { ArticleID: "100", Body: "It drops.", ContentType: "text/plain; charset=utf8", IsVisibleForCustomer: 1, CreateTime: "2026-12-01 08:00:00", From: "smoke@example.test" },
    { ArticleID: "101", Body: "checked the logs", ContentType: "text/plain; charset=utf8", IsVisibleForCustomer: 0, CreateTime: "2026-12-01 09:00:00", From: "agent1" },
    { ArticleID: "102", Body: "<p>fixed</p>", ContentType: "text/html; charset=utf8", IsVisibleForCustomer: "1", CreateTime: "2026-12-02 09:30:15" }
  ]
}

const znunyArticles = [
  { ArticleID: 7, Body: "first", ArticleType: "email-external", IncomingTime: 1764576000 },
  { ArticleID: 8, Body: "internal remark", ArticleType: "note-internal", MimeType: "text/plain", IncomingTime: 1764579600 },
  { ArticleID: 9, Body: "public remark", ArticleType: "note-external", MimeType: "text/plain", IncomingTime: "1764583200" }
]

const decodeTicket = (raw: unknown): Client.TicketWithRaw => ({ value: Schema.decodeUnknownSync(Client.Ticket)(raw), raw })

describe("OtoboMapping: tickets", () => {
  it("maps an OTOBO 10+ TicketGet record", () => {
    const ticket = Mapping.toTicket(mapping, decodeTicket(otoboTicket))
    assert.strictEqual(ticket.id, "42")
    assert.strictEqual(ticket.title, "VPN drops every ten minutes")
    assert.strictEqual(ticket.description, "It drops.")
    assert.deepStrictEqual(ticket.state, { type: "pending", name: "pending reminder", id: "6" })
    assert.deepStrictEqual(ticket.priority, { level: "urgent", name: "5 very high", id: "5" })
    assert.deepStrictEqual(ticket.queue, { name: "Raw", id: "2" })
    assert.deepStrictEqual(ticket.assignee, { name: "agent1", id: "3" })
    assert.deepStrictEqual(ticket.requester, { name: "smoke@example.test", email: "smoke@example.test" })
    assert.deepStrictEqual(ticket.customFields, { Severity: "major", Hosts: ["vpn1", "vpn2"], Empty: null })
    assert.strictEqual(DateTime.formatIso(ticket.createdAt), "2026-12-01T08:00:00.000Z")
    assert.strictEqual(DateTime.formatIso(ticket.updatedAt), "2026-12-02T09:30:15.000Z")
    assert.strictEqual(ticket.raw, otoboTicket)
  })

  it("reads times in the configured time zone", () => {
    const berlin = Mapping.make({ timeZone: "Europe/Berlin" })
    const ticket = Mapping.toTicket(berlin, decodeTicket(otoboTicket))
    assert.strictEqual(DateTime.formatIso(ticket.createdAt), "2026-12-01T07:00:00.000Z")
    assert.strictEqual(Mapping.formatTime(berlin, DateTime.unsafeMake("2026-12-01T07:00:00Z")), "2026-12-01 08:00:00")
  })

  it("maps state types onto state types", () => {
    const cases: ReadonlyArray<readonly [string | undefined, string, T.StateType]> = [
      ["new", "new", "new"],
      ["open", "open", "open"],
      ["pending reminder", "pending reminder", "pending"],
      ["pending auto", "pending auto close+", "pending"],
      ["closed", "closed successful", "closed"],
      ["closed", "closed unsuccessful", "closed"],
      ["removed", "removed", "closed"],
      ["merged", "merged", "closed"],
      [undefined, "closed successful", "closed"],
      [undefined, "in progress", "open"]
    ]
    for (const [type, name, expected] of cases) assert.strictEqual(Mapping.stateOf(type, name), expected, `${type}/${name}`)
    assert.deepStrictEqual(Mapping.stateTypesOf(["pending"]), ["pending reminder", "pending auto"])
    assert.deepStrictEqual(Mapping.stateTypesOf(["resolved"]), [])
  })

  it("maps priorities by name, then by leading digit, and writes the default names", () => {
    const levels = ["1 very low", "2 low", "3 normal", "4 high", "5 very high", "4 urgent-ish", "Other"].map((p) => Mapping.priorityLevel(mapping, p))
    assert.deepStrictEqual(levels, ["low", "low", "normal", "high", "urgent", "high", "normal"])
    assert.deepStrictEqual(mapping.priorities.remotesOf(["low"]), ["2 low", "1 very low"])
    const custom = Mapping.make({ priorities: { "P1 critical": "urgent" } })
    assert.strictEqual(Mapping.priorityLevel(custom, "p1 CRITICAL"), "urgent")
  })
})

describe("OtoboMapping: notes", () => {
  it("OTOBO 10+: IsVisibleForCustomer 0 is internal, 1 public; the first article is the description", () => {
    const notes = Mapping.notesOf(mapping, decodeTicket(otoboTicket).value.Article!)
    assert.deepStrictEqual(notes.map((n) => [n.id, n.body, n.visibility, n.contentType]), [
      ["101", "checked the logs", "internal", "text/plain"],
      ["102", "<p>fixed</p>", "public", "text/html"]
    ])
    assert.strictEqual(DateTime.formatIso(notes[0]!.createdAt!), "2026-12-01T09:00:00.000Z")
    assert.deepStrictEqual(notes[0]!.author, { name: "agent1" })
  })

  it("older Znuny: ArticleType note-internal is internal, note-external public", () => {
    const articles = znunyArticles.map((a) => Schema.decodeUnknownSync(Client.Article)(a))
    const notes = Mapping.notesOf(mapping, articles)
    assert.deepStrictEqual(notes.map((n) => [n.id, n.visibility]), [["8", "internal"], ["9", "public"]])
    assert.strictEqual(DateTime.formatIso(notes[0]!.createdAt!), "2025-12-01T09:00:00.000Z")
    assert.isTrue(Mapping.isInternal(Schema.decodeUnknownSync(Client.Article)({ ArticleID: 1, ArticleType: "email-internal" })))
    assert.isFalse(Mapping.isInternal(Schema.decodeUnknownSync(Client.Article)({ ArticleID: 1, ArticleType: "phone" })))
  })

  it("writes notes as Internal-channel articles with the visibility and content type", () => {
    const internal = Mapping.noteArticle(mapping, new NoteDraft({ body: "x", visibility: "internal", contentType: "text/plain" }))
    assert.deepStrictEqual(internal, {
      Article: {
        CommunicationChannel: "Internal",
        IsVisibleForCustomer: 0,
        SenderType: "agent",
        Subject: "Note",
        Body: "x",
        ContentType: "text/plain; charset=utf8"
      }
    })
    const pub = Mapping.noteArticle(mapping, new NoteDraft({ body: "<b>y</b>", visibility: "public", contentType: "text/html" }))
    assert.strictEqual((pub.Article as { IsVisibleForCustomer: number }).IsVisibleForCustomer, 1)
    assert.strictEqual((pub.Article as { ContentType: string }).ContentType, "text/html; charset=utf8")
  })
})

describe("OtoboMapping: writing", () => {
  it("builds TicketCreate data with the configured customer user", () => {
    const draft = new T.TicketDraft({ title: "Printer", description: "jammed", queue: { name: "Raw" }, priority: "high", customFields: { Severity: "minor" } })
    const data = Mapping.ticketCreate(mapping, draft)
    assert.deepStrictEqual(data.Ticket, { Title: "Printer", Queue: "Raw", State: "new", Priority: "4 high", CustomerUser: "customer@example.com" })
    assert.deepStrictEqual(data.DynamicField, [{ Name: "Severity", Value: "minor" }])
    assert.strictEqual((data.Article as { Body: string }).Body, "jammed")
    // an empty description still sends a body (the system requires one) that reads back empty
    const empty = Mapping.ticketCreate(mapping, new T.TicketDraft({ title: "x", queue: { id: "2" }, requester: { email: "a@b.c" } }))
    assert.strictEqual((empty.Article as { Body: string }).Body, " ")
    assert.deepStrictEqual((empty.Ticket as Record<string, unknown>).QueueID, 2)
    assert.deepStrictEqual((empty.Ticket as Record<string, unknown>).CustomerUser, "a@b.c")
  })

  it("refuses what OTOBO cannot do", () => {
    const noCustomer = Mapping.make()
    assert.match(Mapping.createRefusal(noCustomer, new T.TicketDraft({ title: "x", queue: { name: "Raw" } }))!, /customer user/)
    assert.match(Mapping.updateRefusal(new T.TicketUpdate({ description: "new" }))!, /description/)
    assert.match(Mapping.updateRefusal(new T.TicketUpdate({ assignee: null }))!, /owner/)
    assert.isUndefined(Mapping.updateRefusal(new T.TicketUpdate({ title: "ok" })))
  })

  it("builds TicketUpdate data: states with a pending time, exact references, dynamic fields", () => {
    assert.deepStrictEqual(Mapping.ticketChange(mapping, new T.TicketUpdate({ state: "pending" })), {
      Ticket: { State: "pending reminder", PendingTime: { Diff: 1440 } }
    })
    assert.deepStrictEqual(Mapping.ticketChange(mapping, new T.TicketUpdate({ state: "resolved", priority: "urgent", queue: { id: "4" } })), {
      Ticket: { State: "closed successful", Priority: "5 very high", QueueID: 4 }
    })
    assert.deepStrictEqual(Mapping.ticketChange(mapping, new T.TicketUpdate({ state: { name: "in progress" }, assignee: { name: "agent2" } })), {
      Ticket: { State: "in progress", Owner: "agent2" }
    })
    assert.deepStrictEqual(Mapping.ticketChange(mapping, new T.TicketUpdate({ customFields: { Hosts: ["a"], Gone: null } })), {
      DynamicField: [{ Name: "Hosts", Value: ["a"] }, { Name: "Gone", Value: "" }]
    })
    assert.deepStrictEqual(Mapping.ticketChange(mapping, new T.TicketUpdate({})), {})
  })
})

describe("OtoboMapping: search", () => {
  const criteria = (input: typeof SearchCriteria.Encoded) => Schema.decodeUnknownSync(SearchCriteria)(input)

  it("builds TicketSearch criteria", () => {
    const search = Mapping.searchOf(mapping, criteria({
      states: ["new", "closed"],
      queues: [{ name: "Raw" }, { name: "Misc" }],
      priorities: ["urgent"],
      updatedSince: "2026-12-01T10:00:00.900Z",
      text: "printer"
    }))
    assert.deepStrictEqual(search, {
      _tag: "Criteria",
      criteria: {
        SortBy: "TicketNumber",
        OrderBy: "Up",
        StateType: ["new", "closed", "removed", "merged"],
        Queues: ["Raw", "Misc"],
        Priorities: ["5 very high"],
        TicketChangeTimeNewerDate: "2026-12-01 10:00:00",
        Title: "*printer*"
      }
    })
  })

  it("queues by id, no match for resolved, refusal of mixed queue references", () => {
    assert.deepStrictEqual(Mapping.searchOf(mapping, criteria({ queues: [{ id: "2", name: "Raw" }] })), {
      _tag: "Criteria",
      criteria: { SortBy: "TicketNumber", OrderBy: "Up", QueueIDs: [2] }
    })
    assert.deepStrictEqual(Mapping.searchOf(mapping, criteria({ states: ["resolved"] })), { _tag: "None" })
    assert.strictEqual(Mapping.searchOf(mapping, criteria({ queues: [{ id: "2" }, { name: "Misc" }] }))._tag, "Invalid")
  })

  it("widens wildcards and filters literally", () => {
    const search = Mapping.searchOf(mapping, criteria({ text: "50%_off*" }))
    assert.strictEqual(search._tag === "Criteria" ? search.criteria.Title : undefined, "*50**off**")
    assert.isTrue(Mapping.hasWildcards("a%b"))
    assert.isFalse(Mapping.hasWildcards("plain text"))
    const ticket = Mapping.toTicket(mapping, decodeTicket({ ...otoboTicket, Title: "Sale: 50%_OFF* today" }))
    assert.isTrue(Mapping.literalMatch("50%_off*", ticket))
    assert.isFalse(Mapping.literalMatch("50%off", ticket))
    assert.deepStrictEqual(Mapping.batches([1, 2, 3, 4, 5], 2), [[1, 2], [3, 4], [5]])
    assert.strictEqual(Mapping.offsetOf(undefined), 0)
    assert.strictEqual(Mapping.offsetOf("12"), 12)
    assert.isUndefined(Mapping.offsetOf("x"))
  })
})

describe("OtoboClient.errorOf: HTTP-200 error answers", () => {
  const context = { adapter: "otobo", operation: "getTicket" }
  it("maps the error codes", () => {
    assert.strictEqual(Client.errorOf({ ErrorCode: "TicketSearch.AuthFail", ErrorMessage: "x" }, context)._tag, "AuthenticationError")
    const denied = Client.errorOf({ ErrorCode: "TicketUpdate.AccessDenied", ErrorMessage: "x" }, context)
    assert.strictEqual(denied._tag === "AuthenticationError" ? denied.status : undefined, 403)
    assert.strictEqual(Client.errorOf({ ErrorCode: "TicketGet.AccessDenied", ErrorMessage: "x" }, { ...context, ticketIds: ["7"] })._tag, "TicketNotFoundError")
    assert.strictEqual(Client.errorOf({ ErrorCode: "TicketGet.NotValidTicketID", ErrorMessage: "x" }, { ...context, ticketIds: ["7"] })._tag, "TicketNotFoundError")
    const rejected = Client.errorOf({ ErrorCode: "TicketUpdate.InvalidParameter", ErrorMessage: "TicketUpdate: Ticket->State parameter is invalid!" }, context)
    assert.strictEqual(rejected._tag, "RequestRejectedError")
    assert.strictEqual(rejected._tag === "RequestRejectedError" ? rejected.reason : "", "TicketUpdate.InvalidParameter: TicketUpdate: Ticket->State parameter is invalid!")
    assert.strictEqual(Client.errorOf({ ErrorCode: "TicketCreate.MissingParameter", ErrorMessage: "x" }, context)._tag, "RequestRejectedError")
  })
})
