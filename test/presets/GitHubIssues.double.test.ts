/**
 * The GitHub Issues double, over raw HTTP (fetch): each behaviour its header claims, so that a
 * preset tested against it can trust it.
 */
import { afterAll, assert, beforeAll, describe, it } from "@effect/vitest"
import * as GitHub from "./GitHubIssuesDouble.js"
import { linkOf } from "./support.js"

let double: GitHub.Double
beforeAll(async () => {
  double = await GitHub.start()
})
afterAll(() => double.close())

const call = async (path: string, init: { method?: string; body?: unknown; token?: string | null } = {}) => {
  const headers: Record<string, string> = { accept: "application/vnd.github+json" }
  const token = init.token === undefined ? double.token : init.token
  if (token !== null) headers.authorization = `Bearer ${token}`
  if (init.body !== undefined) headers["content-type"] = "application/json"
  const res = await fetch(`${double.url}${path}`, {
    method: init.method ?? "GET",
    headers,
    ...(init.body === undefined ? {} : { body: typeof init.body === "string" ? init.body : JSON.stringify(init.body) })
  })
  const text = await res.text()
  return { status: res.status, headers: res.headers, json: text === "" || !res.headers.get("content-type")?.includes("json") ? undefined : JSON.parse(text) }
}
const repo = () => `/repos/${double.owner}/${double.repo}`
const numbers = (items: Array<{ number: number }>) => items.map((i) => i.number)
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/

describe("GitHub Issues double", () => {
  it("authenticates with a bearer token: wrong 401, missing 404 on a private repo, writes 401", async () => {
    const wrong = await call(`${repo()}/issues`, { token: "nope" })
    assert.equal(wrong.status, 401)
    assert.equal(wrong.json.message, "Bad credentials")
    assert.equal((await call(`${repo()}/issues`, { token: null })).status, 404)
    const anonymousWrite = await call(`${repo()}/issues/1/comments`, { method: "POST", body: { body: "x" }, token: null })
    assert.equal(anonymousWrite.status, 401)
    assert.equal(anonymousWrite.json.message, "Requires authentication")
    const old = await fetch(`${double.url}${repo()}/issues/1`, { headers: { authorization: `token ${double.token}` } })
    assert.equal(old.status, 200)
  })

  it("lists open issues by default, pull requests included, newest first, with ISO dates", async () => {
    const { status, json, headers } = await call(`${repo()}/issues`)
    assert.equal(status, 200)
    const open = [...double.issues.values()].filter((i) => i.state === "open").sort((a, b) => b.createdAt - a.createdAt)
    assert.deepEqual(numbers(json), open.map((i) => i.number))
    assert.ok(json.some((i: { pull_request?: unknown }) => i.pull_request !== undefined), "a pull request is listed")
    assert.match(json[0].created_at, ISO)
    assert.equal(json[0].closed_at, null)
    assert.ok(Number(headers.get("x-ratelimit-remaining")) < 5000)
    assert.equal(headers.get("x-ratelimit-resource"), "core")
  })

  it("filters by state, labels (all of them), since, milestone and assignee", async () => {
    const closed = await call(`${repo()}/issues?state=closed`)
    assert.ok(closed.json.length > 0 && closed.json.every((i: { state: string }) => i.state === "closed"))
    const all = await call(`${repo()}/issues?state=all&per_page=100`)
    assert.equal(all.json.length, double.issues.size)
    const both = await call(`${repo()}/issues?state=all&labels=bug,customer`)
    assert.deepEqual(numbers(both.json), [1])
    const since = new Date(Date.now() - 3.5 * 86_400_000).toISOString()
    const recent = await call(`${repo()}/issues?state=all&since=${since}`)
    assert.deepEqual(numbers(recent.json).sort(), [1, 5, 8])
    assert.deepEqual(numbers((await call(`${repo()}/issues?state=all&milestone=2`)).json), [5])
    assert.deepEqual(numbers((await call(`${repo()}/issues?assignee=hubot`)).json), [5])
    assert.equal((await call(`${repo()}/issues?state=nope`)).status, 422)
    assert.equal((await call(`${repo()}/issues?since=yesterday`)).status, 422)
  })

  it("pages with a Link header until the last page, which has no next", async () => {
    const seen: Array<number> = []
    let next: string | undefined = `${double.url}${repo()}/issues?state=all&per_page=4&sort=updated&direction=asc`
    let pages = 0
    while (next !== undefined) {
      const res = await fetch(next, { headers: { authorization: `Bearer ${double.token}` } })
      const items = (await res.json()) as Array<{ number: number }>
      seen.push(...numbers(items))
      const link = res.headers.get("link")
      if (pages > 0) assert.ok(linkOf(link, "prev") !== undefined && linkOf(link, "first") !== undefined)
      next = linkOf(link, "next")
      if (next !== undefined) assert.ok(linkOf(link, "last") !== undefined)
      pages++
    }
    assert.equal(pages, Math.ceil(double.issues.size / 4))
    assert.deepEqual([...seen].sort((a, b) => a - b), [...double.issues.keys()].sort((a, b) => a - b))
    const single = await call(`${repo()}/issues?state=all&per_page=100`)
    assert.equal(single.headers.get("link"), null)
    const capped = await call(`${repo()}/issues?state=all&per_page=500`)
    assert.equal(capped.json.length, double.issues.size)
  })

  it("gets an issue; an unknown number is a documented 404", async () => {
    const got = await call(`${repo()}/issues/5`)
    assert.equal(got.json.title, "VPN drops every hour")
    assert.deepEqual(got.json.labels.map((l: { name: string }) => l.name), ["bug"])
    assert.deepEqual(got.json.assignees.map((a: { login: string }) => a.login), ["hubot", "monalisa"])
    assert.equal(got.json.assignee.login, "hubot")
    const missing = await call(`${repo()}/issues/999999`)
    assert.equal(missing.status, 404)
    assert.equal(missing.json.message, "Not Found")
    assert.equal((await call(`${repo()}/issues/abc`)).status, 404)
  })

  it("updates with PATCH: labels and assignees replace, state_reason follows the state", async () => {
    const closed = await call(`${repo()}/issues/3`, { method: "PATCH", body: { state: "closed", state_reason: "not_planned", labels: ["question", { name: "new-label" }], assignees: ["monalisa"] } })
    assert.equal(closed.status, 200)
    assert.equal(closed.json.state, "closed")
    assert.equal(closed.json.state_reason, "not_planned")
    assert.match(closed.json.closed_at, ISO)
    assert.deepEqual(closed.json.labels.map((l: { name: string }) => l.name), ["question", "new-label"])
    assert.deepEqual(closed.json.assignees.map((a: { login: string }) => a.login), ["monalisa"])
    // state_reason alone, without a state change, is ignored
    const ignored = await call(`${repo()}/issues/3`, { method: "PATCH", body: { state_reason: "completed" } })
    assert.equal(ignored.json.state_reason, "not_planned")
    const reopened = await call(`${repo()}/issues/3`, { method: "PATCH", body: { state: "open" } })
    assert.equal(reopened.json.state_reason, "reopened")
    assert.equal(reopened.json.closed_at, null)
    const done = await call(`${repo()}/issues/3`, { method: "PATCH", body: { state: "closed" } })
    assert.equal(done.json.state_reason, "completed")
    assert.equal(double.issues.get(3)!.state, "closed")
    assert.deepEqual(double.writes.filter((w) => w.path.endsWith("/issues/3")).length, 4)
  })

  it("refuses invalid updates with 422 Validation Failed, changing nothing", async () => {
    const before = { ...double.issues.get(1)! }
    const bad = await call(`${repo()}/issues/1`, { method: "PATCH", body: { title: "renamed", state: "resolved" } })
    assert.equal(bad.status, 422)
    assert.equal(bad.json.message, "Validation Failed")
    assert.equal(bad.json.errors[0].field, "state")
    assert.equal(double.issues.get(1)!.title, before.title)
    const nobody = await call(`${repo()}/issues/1`, { method: "PATCH", body: { assignees: ["nobody-here"] } })
    assert.equal(nobody.status, 422)
    assert.equal(nobody.json.errors[0].field, "assignees")
    assert.equal((await call(`${repo()}/issues/1`, { method: "PATCH", body: { milestone: 99 } })).status, 422)
    const notJson = await call(`${repo()}/issues/1`, { method: "PATCH", body: "{not json" })
    assert.equal(notJson.status, 400)
    assert.equal(notJson.json.message, "Problems parsing JSON")
    // a __proto__ key from a client is dropped, not merged
    const proto = await call(`${repo()}/issues/1`, { method: "PATCH", body: '{"__proto__":{"title":"x"},"body":"safe"}' })
    assert.equal(proto.status, 200)
    assert.equal(proto.json.title, before.title)
    assert.equal(proto.json.body, "safe")
  })

  it("creates issues (201, Location) and requires a title", async () => {
    const created = await call(`${repo()}/issues`, { method: "POST", body: { title: "New from API", body: "text", labels: ["bug"] } })
    assert.equal(created.status, 201)
    assert.equal(created.headers.get("location"), `${double.url}${repo()}/issues/${created.json.number}`)
    assert.equal(created.json.state, "open")
    assert.equal((await call(`${repo()}/issues/${created.json.number}`)).json.title, "New from API")
    const untitled = await call(`${repo()}/issues`, { method: "POST", body: { body: "no title" } })
    assert.equal(untitled.status, 422)
    assert.equal(untitled.json.errors[0].code, "missing_field")
  })

  it("adds and lists comments, oldest first; all public, an empty body is 422", async () => {
    const before = (await call(`${repo()}/issues/5/comments`)).json.length
    const added = await call(`${repo()}/issues/5/comments`, { method: "POST", body: { body: "Fixed in **4.2.2**." } })
    assert.equal(added.status, 201)
    assert.equal(added.json.body, "Fixed in **4.2.2**.")
    assert.match(added.json.created_at, ISO)
    const listed = await call(`${repo()}/issues/5/comments`)
    assert.equal(listed.json.length, before + 1)
    assert.equal(listed.json.at(-1).id, added.json.id)
    assert.ok(listed.json.every((c: { id: number }, i: number, all: Array<{ id: number }>) => i === 0 || all[i - 1]!.id < c.id))
    assert.equal((await call(`${repo()}/issues/5`)).json.comments, before + 1)
    const empty = await call(`${repo()}/issues/5/comments`, { method: "POST", body: { body: " " } })
    assert.equal(empty.status, 422)
    assert.equal(empty.json.errors[0].resource, "IssueComment")
    assert.equal((await call(`${repo()}/issues/999999/comments`)).status, 404)
  })

  it("searches with qualifiers and words; q is required; other repositories are refused", async () => {
    const q = (query: string) => call(`/search/issues?q=${encodeURIComponent(query)}`)
    const printer = await q(`repo:${double.owner}/${double.repo} is:issue printer`)
    assert.equal(printer.status, 200)
    assert.equal(printer.headers.get("x-ratelimit-resource"), "search")
    assert.deepEqual(numbers(printer.json.items).sort(), [1, 6])
    assert.equal(printer.json.total_count, 2)
    assert.equal(printer.json.incomplete_results, false)
    const withPr = await q(`repo:${double.owner}/${double.repo} printer`)
    assert.deepEqual(numbers(withPr.json.items).sort(), [1, 4, 6])
    const openBugs = await q(`repo:${double.owner}/${double.repo} is:issue is:open label:bug -label:customer`)
    const expected = [...double.issues.values()].filter((i) => !i.pullRequest && i.state === "open" && i.labels.includes("bug") && !i.labels.includes("customer"))
    assert.ok(expected.length >= 2)
    assert.deepEqual(numbers(openBugs.json.items).sort(), numbers(expected).sort())
    const reason = await q(`repo:${double.owner}/${double.repo} reason:"not planned"`)
    assert.ok(numbers(reason.json.items).includes(9))
    const since = new Date(Date.now() - 2.5 * 86_400_000).toISOString()
    const updated = await q(`repo:${double.owner}/${double.repo} is:issue updated:>=${since}`)
    const touched = [...double.issues.values()].filter((i) => !i.pullRequest && i.updatedAt >= Date.parse(since))
    assert.ok(touched.length > 0 && touched.length < double.issues.size)
    assert.deepEqual(numbers(updated.json.items).sort(), numbers(touched).sort())
    const phrase = await q(`repo:${double.owner}/${double.repo} "UTF-8 ✓"`)
    assert.deepEqual(numbers(phrase.json.items), [8])
    assert.equal((await call("/search/issues")).status, 422)
    assert.equal((await q("repo:someone/else printer")).status, 422)
    const paged = await call(`/search/issues?q=${encodeURIComponent(`repo:${double.owner}/${double.repo}`)}&per_page=2`)
    assert.equal(paged.json.items.length, 2)
    assert.ok(linkOf(paged.headers.get("link"), "next")?.includes("page=2"))
    const beyond = await call(`/search/issues?q=${encodeURIComponent(`repo:${double.owner}/${double.repo}`)}&per_page=100&page=11`)
    assert.equal(beyond.status, 422)
  })

  it("injects secondary (retry-after) and primary (remaining 0, reset) rate limits, then recovers", async () => {
    double.rateLimit({ retryAfter: 7, path: /\/issues$/ })
    const limited = await call(`${repo()}/issues`)
    assert.equal(limited.status, 429)
    assert.equal(limited.headers.get("retry-after"), "7")
    assert.equal((await call(`${repo()}/issues`)).status, 200)
    double.primaryRateLimit({ resetIn: 30 })
    const primary = await call(`${repo()}/issues/1`)
    assert.equal(primary.status, 403)
    assert.equal(primary.headers.get("x-ratelimit-remaining"), "0")
    const reset = Number(primary.headers.get("x-ratelimit-reset"))
    assert.ok(reset > Date.now() / 1000 && reset <= Date.now() / 1000 + 31)
    assert.equal((await call(`${repo()}/issues/1`)).status, 200)
    double.faults.inject({ reply: { status: 502, body: "bad gateway" }, times: 2 })
    assert.equal((await call(`${repo()}/issues/1`)).status, 502)
    assert.equal(double.faults.pending(), 1)
    double.faults.clear()
    assert.equal((await call(`${repo()}/issues/1`)).status, 200)
  })
})
