/**
 * The Zendesk Support double, over raw HTTP (fetch): each behaviour its header claims, so that a
 * preset tested against it can trust it.
 */
import { afterAll, assert, beforeAll, describe, it } from "@effect/vitest"
import * as Zendesk from "./ZendeskDouble.js"

let double: Zendesk.Double
beforeAll(async () => {
  double = await Zendesk.start()
})
afterAll(() => double.close())

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`

const call = async (path: string, init: { method?: string; body?: unknown; auth?: string | null } = {}) => {
  const headers: Record<string, string> = {}
  const auth = init.auth === undefined ? basic(double.username, double.token) : init.auth
  if (auth !== null) headers.authorization = auth
  if (init.body !== undefined) headers["content-type"] = "application/json"
  const res = await fetch(path.startsWith("http") ? path : `${double.url}${path}`, {
    method: init.method ?? "GET",
    headers,
    ...(init.body === undefined ? {} : { body: typeof init.body === "string" ? init.body : JSON.stringify(init.body) })
  })
  const text = await res.text()
  return { status: res.status, headers: res.headers, json: res.headers.get("content-type")?.includes("json") ? JSON.parse(text) : undefined, text }
}
const ids = (items: Array<{ id: number }>) => items.map((t) => t.id)
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/
const search = (query: string, extra = "") => call(`/search.json?query=${encodeURIComponent(query)}${extra}`)

describe("Zendesk double", () => {
  it("is served below /api/v2 and authenticates with {email}/token and the API token", async () => {
    assert.ok(double.url.endsWith("/api/v2"))
    assert.equal((await call("/tickets.json")).status, 200)
    for (const auth of [null, basic(double.email, double.token), basic(double.username, "wrong"), `Bearer ${double.token}`]) {
      const refused = await call("/tickets.json", { auth })
      assert.equal(refused.status, 401)
      assert.equal(refused.json.error, "Couldn't authenticate you")
    }
  })

  it("lists with cursor pagination: page[size], page[after], has_more, after_cursor, links.next", async () => {
    const seen: Array<number> = []
    let url: string | null = "/tickets.json?page[size]=3&sort=-updated_at"
    let last: { has_more: boolean; after_cursor: string | null } | undefined
    while (url !== null) {
      const page = await call(url)
      assert.equal(page.status, 200)
      seen.push(...ids(page.json.tickets))
      last = page.json.meta
      url = page.json.meta.has_more ? page.json.links.next : null
      if (url !== null) assert.ok(url.includes("page%5Bafter%5D=") || url.includes("page[after]="))
    }
    assert.equal(seen.length, double.tickets.size)
    const expected = [...double.tickets.values()].sort((a, b) => b.updatedAt - a.updatedAt || a.id - b.id).map((t) => t.id)
    assert.deepEqual(seen, expected)
    assert.equal(last!.has_more, false)
    assert.ok(last!.after_cursor !== null, "the last page still has its after_cursor")
    const tooBig = await call("/tickets.json?page[size]=101")
    assert.equal(tooBig.status, 400)
    assert.equal(tooBig.json.error, "InvalidPaginationParameter")
    assert.equal((await call("/tickets.json?page[size]=2&page[after]=garbage")).status, 400)
  })

  it("lists with offset pagination without page[size]", async () => {
    const first = await call("/tickets.json?per_page=4")
    assert.equal(first.json.tickets.length, 4)
    assert.equal(first.json.count, double.tickets.size)
    assert.equal(first.json.previous_page, null)
    const second = await call(first.json.next_page)
    assert.deepEqual([...ids(first.json.tickets), ...ids(second.json.tickets)].sort(), [...double.tickets.keys()].sort())
    assert.equal(second.json.next_page, null)
  })

  it("gets a ticket with ISO dates, named status and priority (or null); unknown is RecordNotFound", async () => {
    const got = await call("/tickets/101.json")
    assert.equal(got.json.ticket.subject, "Printer on floor 2 jammed")
    assert.equal(got.json.ticket.status, "open")
    assert.equal(got.json.ticket.priority, "high")
    assert.equal(got.json.ticket.group_id, 360001)
    assert.deepEqual(got.json.ticket.tags, ["printer", "floor2"])
    assert.match(got.json.ticket.updated_at, ISO)
    assert.equal((await call("/tickets/103.json")).json.ticket.priority, null)
    assert.ok(Number(got.headers.get("x-rate-limit-remaining")) < 700)
    const missing = await call("/tickets/999999.json")
    assert.equal(missing.status, 404)
    assert.deepEqual(missing.json, { error: "RecordNotFound", description: "Not found" })
  })

  it("updates through PUT { ticket }, answering { ticket, audit }", async () => {
    const updated = await call("/tickets/102.json", { method: "PUT", body: { ticket: { status: "open", priority: "urgent", group_id: 360001, assignee_id: 9002, tags: ["Invoice", "vip"] } } })
    assert.equal(updated.status, 200)
    assert.equal(updated.json.ticket.status, "open")
    assert.equal(updated.json.ticket.priority, "urgent")
    assert.equal(updated.json.ticket.assignee_id, 9002)
    assert.deepEqual(updated.json.ticket.tags, ["invoice", "vip"])
    assert.equal(updated.json.audit.ticket_id, 102)
    assert.equal(double.tickets.get(102)!.priority, "urgent")
    assert.deepEqual(double.writes.at(-1), { method: "PUT", path: "/api/v2/tickets/102.json", body: { ticket: { status: "open", priority: "urgent", group_id: 360001, assignee_id: 9002, tags: ["Invoice", "vip"] } } })
  })

  it("refuses invalid updates with RecordInvalid details, changing nothing", async () => {
    const before = { ...double.tickets.get(101)! }
    const bad = await call("/tickets/101.json", { method: "PUT", body: { ticket: { subject: "renamed", status: "resolved" } } })
    assert.equal(bad.status, 422)
    assert.equal(bad.json.error, "RecordInvalid")
    assert.equal(bad.json.description, "Record validation errors")
    assert.match(bad.json.details.status[0].description, /resolved/)
    assert.equal(double.tickets.get(101)!.subject, before.subject)
    assert.equal((await call("/tickets/101.json", { method: "PUT", body: { ticket: { priority: 4 } } })).json.details.priority.length, 1)
    assert.equal((await call("/tickets/101.json", { method: "PUT", body: { ticket: { group_id: "360001" } } })).status, 422)
    assert.equal((await call("/tickets/101.json", { method: "PUT", body: { ticket: { status: "new" } } })).status, 422)
    const closed = await call("/tickets/106.json", { method: "PUT", body: { ticket: { priority: "high" } } })
    assert.equal(closed.status, 422)
    assert.match(closed.json.details.status[0].description, /closed prevents ticket update/)
    const noEnvelope = await call("/tickets/101.json", { method: "PUT", body: { status: "open" } })
    assert.equal(noEnvelope.status, 400)
    assert.equal((await call("/tickets/999999.json", { method: "PUT", body: { ticket: { status: "open" } } })).status, 404)
  })

  it("adds comments through the update: public unless public is false; lists them oldest first", async () => {
    const before = (await call("/tickets/104/comments.json")).json.comments.length
    await call("/tickets/104.json", { method: "PUT", body: { ticket: { comment: { body: "Internal: reset via admin.", public: false } } } })
    await call("/tickets/104.json", { method: "PUT", body: { ticket: { comment: { body: "We reset your password." } } } })
    await call("/tickets/104.json", { method: "PUT", body: { ticket: { comment: { html_body: "<p>See <b>attached</b></p>", public: true } } } })
    const { json } = await call("/tickets/104/comments.json")
    const added = json.comments.slice(before)
    assert.deepEqual(added.map((c: { public: boolean }) => c.public), [false, true, true])
    assert.equal(added[0].body, "Internal: reset via admin.")
    assert.equal(added[2].html_body, "<p>See <b>attached</b></p>")
    assert.equal(added[2].plain_body, "See attached")
    assert.equal(json.comments[0].body, (await call("/tickets/104.json")).json.ticket.description, "the first comment is the description")
    assert.match(added[0].created_at, ISO)
    const desc = await call("/tickets/104/comments.json?sort_order=desc")
    assert.equal(desc.json.comments[0].id, added.at(-1).id)
    const blank = await call("/tickets/104.json", { method: "PUT", body: { ticket: { comment: { body: "  " } } } })
    assert.equal(blank.status, 422)
    const cursor = await call("/tickets/101/comments.json?page[size]=1")
    assert.equal(cursor.json.comments.length, 1)
    assert.equal(cursor.json.meta.has_more, true)
    assert.equal((await call("/tickets/999999/comments.json")).status, 404)
  })

  it("creates tickets (201, Location); the first comment is required", async () => {
    const created = await call("/tickets.json", { method: "POST", body: { ticket: { subject: "Monitor flickers", comment: { body: "Since Monday." }, priority: "high", group_id: 360003, requester: { email: "new@example.org", name: "New" } } } })
    assert.equal(created.status, 201)
    assert.equal(created.json.ticket.status, "new")
    assert.equal(created.json.ticket.description, "Since Monday.")
    assert.equal(created.headers.get("location"), `${double.url}/tickets/${created.json.ticket.id}.json`)
    const blank = await call("/tickets.json", { method: "POST", body: { ticket: { subject: "No description" } } })
    assert.equal(blank.status, 422)
    assert.ok(blank.json.details.description.length > 0)
  })

  it("searches: properties ANDed, repeated ones ORed, ordered status, dates, negation, words", async () => {
    const all = [...double.tickets.values()]
    const expect = async (query: string, want: (t: Zendesk.StoredTicket) => boolean) => {
      const res = await search(query)
      assert.equal(res.status, 200, query)
      assert.ok(res.json.results.every((r: { result_type: string }) => r.result_type === "ticket"))
      const wanted = all.filter(want).map((t) => t.id).sort()
      assert.ok(wanted.length > 0 && wanted.length < all.length, `the check of ${query} is selective`)
      assert.deepEqual(ids(res.json.results).sort(), wanted, query)
      assert.equal(res.json.count, wanted.length)
    }
    await expect("type:ticket status:open status:pending", (t) => t.status === "open" || t.status === "pending")
    await expect("type:ticket status<solved priority:high", (t) => ["new", "open", "pending", "hold"].includes(t.status) && t.priority === "high")
    await expect("type:ticket group_id:360002", (t) => t.groupId === 360002)
    await expect("type:ticket tags:invoice -status:solved", (t) => t.tags.includes("invoice") && t.status !== "solved")
    await expect("type:ticket printer", (t) => /printer/i.test(t.subject))
    await expect('type:ticket "technician is on the way"', (t) => t.comments.some((c) => c.body.includes("technician is on the way")))
    const since = new Date(Date.now() - 3.5 * 86_400_000).toISOString().replace(/\.\d{3}Z$/, "Z")
    await expect(`type:ticket updated>${since}`, (t) => Math.floor(t.updatedAt / 1000) * 1000 > Date.parse(since))
    const paged = await search("type:ticket", "&per_page=2")
    assert.equal(paged.json.results.length, 2)
    assert.ok(typeof paged.json.next_page === "string")
    assert.equal((await search("type:ticket", "&per_page=100&page=11")).status, 422)
    assert.equal((await call("/search.json")).status, 400)
    assert.equal((await search("type:ticket status:resolved")).status, 400)
  })

  it("export search pages with a cursor and needs filter[type]", async () => {
    const q = encodeURIComponent("type:ticket status<solved")
    const seen: Array<number> = []
    let url: string | null = `/search/export.json?query=${q}&filter[type]=ticket&page[size]=2`
    while (url !== null) {
      const page = await call(url)
      assert.equal(page.status, 200)
      seen.push(...ids(page.json.results))
      url = page.json.meta.has_more ? page.json.links.next : null
    }
    const wanted = [...double.tickets.values()].filter((t) => ["new", "open", "pending", "hold"].includes(t.status)).map((t) => t.id)
    assert.deepEqual(seen.sort(), wanted.sort())
    assert.equal((await call(`/search/export.json?query=${q}`)).status, 400)
  })

  it("injects 429 with Retry-After, then answers again", async () => {
    double.rateLimit({ retryAfter: 12, times: 2 })
    const first = await call("/tickets/101.json")
    assert.equal(first.status, 429)
    assert.equal(first.headers.get("retry-after"), "12")
    assert.equal((await call("/tickets/101.json")).status, 429)
    assert.equal((await call("/tickets/101.json")).status, 200)
    double.faults.inject({ reply: { status: 503, body: { error: "ServiceUnavailable" } }, method: "PUT" })
    assert.equal((await call("/tickets/101.json")).status, 200)
    assert.equal((await call("/tickets/101.json", { method: "PUT", body: { ticket: { priority: "high" } } })).status, 503)
  })
})
