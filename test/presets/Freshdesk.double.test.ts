/**
 * The Freshdesk double, over raw HTTP (fetch): each behaviour its header claims, so that a preset
 * tested against it can trust it.
 */
import { afterAll, assert, beforeAll, describe, it } from "@effect/vitest"
import * as Freshdesk from "./FreshdeskDouble.js"
import { linkOf } from "./support.js"

let double: Freshdesk.Double
beforeAll(async () => {
  double = await Freshdesk.start()
})
afterAll(() => double.close())

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`

const call = async (path: string, init: { method?: string; body?: unknown; auth?: string | null } = {}) => {
  const headers: Record<string, string> = {}
  const auth = init.auth === undefined ? basic(double.apiKey, "X") : init.auth
  if (auth !== null) headers.authorization = auth
  if (init.body !== undefined) headers["content-type"] = "application/json"
  const res = await fetch(path.startsWith("http") ? path : `${double.url}${path}`, {
    method: init.method ?? "GET",
    headers,
    ...(init.body === undefined ? {} : { body: typeof init.body === "string" ? init.body : JSON.stringify(init.body) })
  })
  const text = await res.text()
  return { status: res.status, headers: res.headers, text, json: res.headers.get("content-type")?.includes("json") ? JSON.parse(text) : undefined }
}
const ids = (items: Array<{ id: number }>) => items.map((t) => t.id)
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/
const filter = (query: string, extra = "") => call(`/search/tickets?query=${encodeURIComponent(query)}${extra}`)
const DAY = 86_400_000

describe("Freshdesk double", () => {
  it("authenticates with the API key as user name (password X); otherwise 401 invalid_credentials", async () => {
    assert.ok(double.url.endsWith("/api/v2"))
    assert.equal((await call("/tickets")).status, 200)
    for (const auth of [null, basic("wrong-key", "X"), `Bearer ${double.apiKey}`]) {
      const refused = await call("/tickets", { auth })
      assert.equal(refused.status, 401)
      assert.equal(refused.json.code, "invalid_credentials")
    }
  })

  it("lists only tickets created in the last 30 days unless updated_since is given", async () => {
    const all = [...double.tickets.values()]
    const recent = await call("/tickets?per_page=100")
    const wanted = all.filter((t) => t.createdAt >= Date.now() - 30 * DAY)
    assert.ok(wanted.length < all.length, "some seeded tickets are older than 30 days")
    assert.deepEqual(ids(recent.json).sort(), ids(wanted).sort())
    const since = new Date(Date.now() - 3.5 * DAY).toISOString()
    const updated = await call(`/tickets?per_page=100&updated_since=${since}`)
    const touched = all.filter((t) => t.updatedAt >= Date.parse(since))
    assert.ok(touched.some((t) => t.createdAt < Date.now() - 30 * DAY), "an old ticket updated recently is found")
    assert.deepEqual(ids(updated.json).sort(), ids(touched).sort())
    const everything = await call("/tickets?per_page=100&updated_since=1990-01-01T00:00:00Z")
    assert.equal(everything.json.length, all.length)
  })

  it("lists with numeric status and priority, ISO dates, no description unless included, newest first", async () => {
    const { json, headers } = await call("/tickets?updated_since=1990-01-01T00:00:00Z&per_page=100")
    assert.deepEqual(ids(json), [...double.tickets.values()].sort((a, b) => b.createdAt - a.createdAt).map((t) => t.id))
    assert.equal(typeof json[0].status, "number")
    assert.equal(typeof json[0].priority, "number")
    assert.match(json[0].created_at, ISO)
    assert.equal(json[0].description, undefined)
    const included = await call("/tickets?include=description")
    assert.match(included.json[0].description, /<div>/)
    assert.equal(typeof included.json[0].description_text, "string")
    assert.equal(included.headers.get("x-ratelimit-used-currentrequest"), "3")
    assert.equal(headers.get("x-ratelimit-total"), "400")
    const asc = await call("/tickets?updated_since=1990-01-01T00:00:00Z&order_by=updated_at&order_type=asc")
    assert.deepEqual(ids(asc.json), [...double.tickets.values()].sort((a, b) => a.updatedAt - b.updatedAt || a.id - b.id).map((t) => t.id))
  })

  it("pages with page/per_page and a Link rel=next header, absent on the last page", async () => {
    const seen: Array<number> = []
    let next: string | undefined = `${double.url}/tickets?updated_since=1990-01-01T00:00:00Z&per_page=3`
    let pages = 0
    while (next !== undefined) {
      const page = await call(next)
      seen.push(...ids(page.json))
      next = linkOf(page.headers.get("link"), "next")
      pages++
    }
    assert.equal(pages, Math.ceil(double.tickets.size / 3))
    assert.deepEqual(seen.sort(), [...double.tickets.keys()].sort())
    assert.equal((await call("/tickets?per_page=101")).status, 400)
  })

  it("refuses unknown list parameters and invalid values with Validation failed", async () => {
    const bad = await call("/tickets?status=2&order_by=subject")
    assert.equal(bad.status, 400)
    assert.equal(bad.json.description, "Validation failed")
    assert.deepEqual(bad.json.errors.map((e: { field: string; code: string }) => [e.field, e.code]).sort(), [["order_by", "invalid_value"], ["status", "invalid_field"]])
    assert.equal((await call("/tickets?updated_since=yesterday")).json.errors[0].field, "updated_since")
  })

  it("gets a ticket with description and description_text; unknown ids are 404 with an empty body", async () => {
    const got = await call("/tickets/1")
    assert.equal(got.json.subject, "Printer on floor 2 jammed")
    assert.equal(got.json.status, 2)
    assert.equal(got.json.priority, 3)
    assert.equal(got.json.description_text, "Printer on floor 2 jammed. Please help.")
    const missing = await call("/tickets/999999")
    assert.equal(missing.status, 404)
    assert.equal(missing.text, "")
  })

  it("updates with PUT: numbers stay numbers, everything else is refused with field errors", async () => {
    const updated = await call("/tickets/2", { method: "PUT", body: { status: 4, priority: 4, group_id: 43_100_001, responder_id: 43_000_002, tags: ["invoice", "vip"] } })
    assert.equal(updated.status, 200)
    assert.equal(updated.json.status, 4)
    assert.equal(updated.json.priority, 4)
    assert.equal(double.tickets.get(2)!.responderId, 43_000_002)
    assert.deepEqual(double.writes.at(-1), { method: "PUT", path: "/api/v2/tickets/2", body: { status: 4, priority: 4, group_id: 43_100_001, responder_id: 43_000_002, tags: ["invoice", "vip"] } })
    const before = { ...double.tickets.get(1)! }
    const asString = await call("/tickets/1", { method: "PUT", body: { subject: "renamed", priority: "4" } })
    assert.equal(asString.status, 400)
    assert.deepEqual(asString.json.errors, [{ field: "priority", message: "Value set is of type String.It should be a/an Integer", code: "datatype_mismatch" }])
    assert.equal(double.tickets.get(1)!.subject, before.subject, "nothing changed")
    const several = await call("/tickets/1", { method: "PUT", body: { status: 6, group_id: 1, state: "open" } })
    assert.deepEqual(several.json.errors.map((e: { field: string; code: string }) => `${e.field}:${e.code}`).sort(), ["group_id:invalid_value", "state:invalid_field", "status:invalid_value"])
    assert.match(several.json.errors.find((e: { field: string }) => e.field === "status").message, /'2,3,4,5'/)
    const notJson = await call("/tickets/1", { method: "PUT", body: "{" })
    assert.equal(notJson.status, 400)
    assert.equal(notJson.json.code, "invalid_json")
    assert.equal((await call("/tickets/999999", { method: "PUT", body: { status: 2 } })).status, 404)
  })

  it("creates tickets (201, Location): a requester and a subject are required", async () => {
    const created = await call("/tickets", { method: "POST", body: { email: "new@example.org", subject: "Monitor flickers", description: "<p>Since Monday</p>", priority: 2 } })
    assert.equal(created.status, 201)
    assert.equal(created.json.status, 2)
    assert.equal(created.json.priority, 2)
    assert.equal(created.headers.get("location"), `${double.url}/tickets/${created.json.id}`)
    const missing = await call("/tickets", { method: "POST", body: { description: "x" } })
    assert.equal(missing.status, 400)
    assert.deepEqual(missing.json.errors.map((e: { field: string }) => e.field).sort(), ["requester_id", "subject"])
  })

  it("adds notes, private unless private is false, and lists them among the conversations", async () => {
    const internal = await call("/tickets/3/notes", { method: "POST", body: { body: "<p>Checked the <b>router</b></p>" } })
    assert.equal(internal.status, 201)
    assert.equal(internal.json.private, true)
    assert.equal(internal.json.body_text, "Checked the router")
    assert.match(internal.json.created_at, ISO)
    const pub = await call("/tickets/3/notes", { method: "POST", body: { body: "A fix is on the way.", private: false } })
    assert.equal(pub.json.private, false)
    const asString = await call("/tickets/3/notes", { method: "POST", body: { body: "x", private: "false" } })
    assert.equal(asString.status, 400)
    assert.equal(asString.json.errors[0].code, "datatype_mismatch")
    assert.equal((await call("/tickets/3/notes", { method: "POST", body: {} })).json.errors[0].code, "missing_field")
    const conversations = await call("/tickets/3/conversations")
    assert.deepEqual(conversations.json.map((c: { id: number; private: boolean; source: number }) => [c.id, c.private, c.source]), [[internal.json.id, true, 2], [pub.json.id, false, 2]])
    const seeded = await call("/tickets/1/conversations?per_page=2")
    assert.deepEqual(seeded.json.map((c: { private: boolean; incoming: boolean; source: number }) => [c.private, c.incoming, c.source]), [[false, true, 0], [true, false, 2]])
    assert.ok(linkOf(seeded.headers.get("link"), "next") !== undefined)
    assert.equal((await call("/tickets/999999/notes", { method: "POST", body: { body: "x" } })).status, 404)
  })

  it("filters with a double-quoted query: AND, OR, parentheses, ranges, strings, dates, null", async () => {
    const all = [...double.tickets.values()]
    const expect = async (query: string, want: (t: Freshdesk.StoredTicket) => boolean) => {
      const res = await filter(`"${query}"`)
      assert.equal(res.status, 200, `${query}: ${res.text}`)
      const wanted = all.filter(want)
      assert.ok(wanted.length > 0 && wanted.length < all.length, `the check of ${query} is selective`)
      assert.deepEqual(ids(res.json.results), wanted.sort((a, b) => b.createdAt - a.createdAt || b.id - a.id).map((t) => t.id), query)
      assert.equal(res.json.total, wanted.length)
    }
    await expect("status:2", (t) => t.status === 2)
    await expect("(status:2 OR status:3) AND priority:>3", (t) => (t.status === 2 || t.status === 3) && t.priority >= 3)
    await expect("priority:<2", (t) => t.priority <= 2)
    await expect(`group_id:${[...double.groups.keys()][1]}`, (t) => t.groupId === [...double.groups.keys()][1])
    await expect("tag:'invoice'", (t) => t.tags.includes("invoice"))
    await expect("group_id:null", (t) => t.groupId === null)
    const day = new Date(Date.now() - 3 * DAY).toISOString().slice(0, 10)
    await expect(`updated_at:>'${day}'`, (t) => Math.floor(t.updatedAt / DAY) >= Math.floor(Date.parse(day) / DAY))
    assert.ok((await filter('"status:2"')).json.results[0].description !== undefined)
  })

  it("refuses unquoted, malformed, too long and free-text filter queries, and pages past 10", async () => {
    for (const query of ["status:2", "'status:2'", '"status:2 AND"', '"subject:\'printer\'"', '"printer"', '"updated_at:>\'2026-01-01T10:00:00Z\'"', `"${"status:2 OR ".repeat(50)}status:3"`]) {
      const res = await filter(query)
      assert.equal(res.status, 400, query)
      assert.equal(res.json.errors[0].field, "query", query)
    }
    assert.equal((await filter('"status:2"', "&page=11")).status, 400)
    assert.equal((await filter('"status:2"', "&page=10")).status, 200)
  })

  it("injects 429 with Retry-After, then answers again", async () => {
    double.rateLimit({ retryAfter: 30, path: /\/notes$/ })
    assert.equal((await call("/tickets/1")).status, 200)
    const limited = await call("/tickets/1/notes", { method: "POST", body: { body: "x" } })
    assert.equal(limited.status, 429)
    assert.equal(limited.headers.get("retry-after"), "30")
    const notesBefore = double.tickets.get(1)!.conversations.length
    assert.equal((await call("/tickets/1/notes", { method: "POST", body: { body: "x" } })).status, 201)
    assert.equal(double.tickets.get(1)!.conversations.length, notesBefore + 1, "the refused note was not stored")
  })
})
