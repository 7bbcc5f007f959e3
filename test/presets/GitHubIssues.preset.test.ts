/**
 * The `github-issues` preset against the GitHub double, configured as a user configures it (a
 * `ticketkit.yaml` resolved by `Config.resolve`): the contract suite on issues of its own (created
 * `open`, as GitHub creates every issue, and without priorities, which GitHub lacks) and on an
 * existing issue, then what is GitHub's own —
 * the search query, `Link` pages, labels, no priorities, public comments only, 429 with
 * `Retry-After` retried without a duplicate comment, 401, unknown numbers, its error message.
 */
import { assert, describe, it } from "@effect/vitest"
import { Context, Effect, Layer } from "effect"
import { TicketSystemAdapter } from "../../src/TicketSystemAdapter.js"
import { AdapterContract } from "../../src/testing/index.js"
import { layerOf, presetYaml, resolve } from "./configured.js"
import * as GitHub from "./GitHubIssuesDouble.js"

const yaml = (url: string, extra: ReadonlyArray<string> = []) =>
  presetYaml("github", "github-issues", [
    `baseUrl: ${url}`,
    "variables: { owner: acme, repo: helpdesk }",
    "auth: { _tag: bearer, token: \"${env:GITHUB_TOKEN}\" }",
    ...extra
  ])

const withDouble = Effect.acquireRelease(Effect.promise(() => GitHub.start()), (d) => Effect.promise(() => d.close()))

/** the adapter of a configuration for the double, with the given token */
const adapterFor = (double: GitHub.Double, token = double.token, extra: ReadonlyArray<string> = []) =>
  Effect.map(Layer.build(layerOf(yaml(double.url, extra), { GITHUB_TOKEN: token })), Context.get(TicketSystemAdapter))

const contractLayer = Layer.unwrapScoped(Effect.map(withDouble, (double) => layerOf(yaml(double.url), { GITHUB_TOKEN: double.token })))

AdapterContract.suite("github-issues preset ↔ GitHub double, an existing issue named", contractLayer, { queue: { name: "acme/helpdesk" }, tickets: ["1"] })

// its own issues (created open, no priorities): every check it can run
AdapterContract.suite("github-issues preset ↔ GitHub double, own issues", contractLayer, { queue: { name: "acme/helpdesk" } })

describe("the github-issues preset", () => {
  it.scopedLive("the repository is the one queue: a filter by it keeps every issue, by another keeps none", () =>
    Effect.gen(function*() {
      const double = yield* withDouble
      const github = yield* adapterFor(double)
      const all = yield* github.fetchTickets({ limit: 100 })
      const own = yield* github.fetchTickets({ queues: [{ name: "acme/helpdesk" }], limit: 100 })
      assert.isAbove(all.length, 0)
      assert.deepStrictEqual(own.map((t) => t.id), all.map((t) => t.id))
      assert.deepStrictEqual(yield* github.fetchTickets({ queues: [{ name: "acme/other" }], limit: 100 }), [])
    }))

  it.scopedLive("lists issues through the search endpoint, never pull requests, across Link pages", () =>
    Effect.gen(function*() {
      const double = yield* withDouble
      const github = yield* adapterFor(double)
      const all = yield* github.fetchTickets({ pageSize: 2, limit: 100 })
      const expected = [...double.issues.values()].filter((i) => !i.pullRequest).map((i) => String(i.number)).sort()
      assert.deepStrictEqual(all.map((t) => t.id).sort(), expected)
      const searches = double.requests.filter((r) => r.method === "GET" && r.url.startsWith("/search/issues?"))
      assert.strictEqual(searches.length, Math.ceil(expected.length / 2), "one request per page of 2")
      const q = new URL(searches[0]!.url, double.url).searchParams.get("q")
      assert.strictEqual(q, "repo:acme/helpdesk is:issue")
      assert.include(searches[1]!.url, "page=2", "the next page is the one the Link header named")
      const one = all.find((t) => t.id === "1")!
      assert.deepStrictEqual(one.tags, ["bug", "customer"], "label names")
      assert.deepStrictEqual(one.queue, { name: "acme/helpdesk" }, "the repository is the queue")
      assert.strictEqual(one.priority.level, "normal")
      assert.deepStrictEqual(one.assignee, { name: "octo-agent" })
      assert.strictEqual(one.createdAt.epochMillis, double.issues.get(1)!.createdAt - (double.issues.get(1)!.createdAt % 1000))
    }))

  it.scopedLive("renders criteria into the search query", () =>
    Effect.gen(function*() {
      const double = yield* withDouble
      const github = yield* adapterFor(double)
      const closed = yield* github.fetchTickets({ states: ["closed"], text: "printer" })
      assert.deepStrictEqual(closed.map((t) => t.id), ["6"])
      const q = new URL(double.requests.at(-1)!.url, double.url).searchParams.get("q")
      assert.strictEqual(q, "repo:acme/helpdesk is:issue state:closed printer")
      // open and closed together are every state: no qualifier at all
      yield* github.fetchTickets({ states: ["open", "closed"], limit: 1 })
      assert.strictEqual(new URL(double.requests.at(-1)!.url, double.url).searchParams.get("q"), "repo:acme/helpdesk is:issue")
      const since = Date.now() - 4 * 86_400_000
      const recent = yield* github.fetchTickets({ updatedSince: new Date(since) })
      const expected = [...double.issues.values()].filter((i) => !i.pullRequest && i.updatedAt >= since).map((i) => String(i.number))
      assert.isAtLeast(expected.length, 2)
      assert.deepStrictEqual(recent.map((t) => t.id).sort(), expected.sort())
      assert.match(new URL(double.requests.at(-1)!.url, double.url).searchParams.get("q")!, /^repo:acme\/helpdesk is:issue updated:>=\d{4}-\d\d-\d\dT/)
    }))

  it.scopedLive("claims no priorities and no internal notes, and refuses them before any request", () =>
    Effect.gen(function*() {
      const double = yield* withDouble
      const github = yield* adapterFor(double)
      assert.deepStrictEqual(github.capabilities.priorities, [])
      assert.isFalse(github.capabilities.internalNotes)
      assert.deepStrictEqual(github.capabilities.states, ["open", "closed"])
      const before = double.requests.length
      const priority = yield* Effect.flip(github.updateTicket("1", { priority: "high" }))
      assert.strictEqual(priority._tag, "InvalidInputError")
      assert.include(priority.message, "priority")
      const internal = yield* Effect.flip(github.addNote("1", { body: "agents only" }))
      assert.strictEqual(internal._tag, "InvalidInputError")
      const queue = yield* Effect.flip(github.updateTicket("1", { queue: { name: "acme/other" } }))
      assert.strictEqual(queue._tag, "InvalidInputError")
      assert.strictEqual(double.requests.length, before, "nothing was sent")
    }))

  it.scopedLive("writes labels as the whole set, closes and reopens", () =>
    Effect.gen(function*() {
      const double = yield* withDouble
      const github = yield* adapterFor(double)
      const updated = yield* github.updateTicket("3", { tags: ["customer", "vip"], state: "closed" })
      assert.deepStrictEqual(double.writes.at(-1), { method: "PATCH", path: "/repos/acme/helpdesk/issues/3", body: { labels: ["customer", "vip"], state: "closed" } })
      assert.deepStrictEqual([...updated.tags].sort(), ["customer", "vip"])
      assert.strictEqual(updated.state.type, "closed")
      const created = yield* github.createTicket({ title: "Scanner offline", description: "since Monday", queue: { name: "acme/helpdesk" }, tags: ["bug"] })
      assert.deepStrictEqual(double.writes.at(-1)!.body, { title: "Scanner offline", labels: ["bug"], body: "since Monday" })
      assert.strictEqual(created.state.type, "open")
    }))

  it.scopedLive("retries a comment answered 429 with Retry-After, without a duplicate", () =>
    Effect.gen(function*() {
      const double = yield* withDouble
      const github = yield* adapterFor(double)
      const comments = double.issues.get(5)!.comments
      const before = comments.length
      // the comment itself is refused (the retry first lists the comments, to see whether it landed)
      double.faults.inject({
        method: "POST",
        path: /\/issues\/5\/comments$/,
        reply: { status: 429, headers: { "retry-after": "1" }, body: { message: "You have exceeded a secondary rate limit." } }
      })
      yield* github.addNote("5", { body: "A fix is on the way.", visibility: "public" })
      assert.strictEqual(comments.length, before + 1, "the comment was added once")
      const posts = double.requests.filter((r) => r.method === "POST" && r.url.endsWith("/issues/5/comments"))
      assert.strictEqual(posts.length, 2, "the refused request and its retry")
      assert.strictEqual(double.faults.pending(), 0)
      const notes = yield* github.listNotes("5")
      assert.strictEqual(notes.filter((n) => n.body === "A fix is on the way.").length, 1)
      assert.isTrue(notes.every((n) => n.visibility === "public"))
    }))

  it.scopedLive("waits out the primary rate limit (403 with x-ratelimit-remaining 0), which is no credential problem", () =>
    Effect.gen(function*() {
      const double = yield* withDouble
      const github = yield* adapterFor(double)
      double.primaryRateLimit({ resetIn: 1, path: /\/issues\/2$/ })
      const issue = yield* github.getTicket("2")
      assert.strictEqual(issue.title, "Invoice 2026-0412 missing")
      assert.strictEqual(double.requests.filter((r) => r.url === "/repos/acme/helpdesk/issues/2").length, 2, "refused once, then read")
      assert.strictEqual(double.faults.pending(), 0)
    }))

  it.scopedLive("reads every page of a long comment thread (GitHub sends 30 a page)", () =>
    Effect.gen(function*() {
      const double = yield* withDouble
      const github = yield* adapterFor(double)
      const comments = double.issues.get(3)!.comments
      const at = double.issues.get(3)!.createdAt
      for (let i = 0; i < 64; i++) comments.push({ id: 9_000_000 + i, body: `comment ${i}`, author: "hubot", createdAt: at + i * 60_000 })
      const notes = yield* github.listNotes("3")
      assert.deepStrictEqual(notes.map((n) => n.body), comments.map((c) => c.body))
      assert.strictEqual(double.requests.filter((r) => r.url.startsWith("/repos/acme/helpdesk/issues/3/comments")).length, 3)
    }))

  it.scopedLive("types 401, unknown numbers and GitHub's own message", () =>
    Effect.gen(function*() {
      const double = yield* withDouble
      const wrong = yield* adapterFor(double, "ghp_wrong")
      const denied = yield* Effect.flip(wrong.getTicket("1"))
      assert.strictEqual(denied._tag, "AuthenticationError")
      assert.notInclude(denied.message, "ghp_wrong")
      const github = yield* adapterFor(double)
      const missing = yield* Effect.flip(github.getTicket("4242"))
      assert.strictEqual(missing._tag, "TicketNotFoundError")
      const refused = yield* Effect.flip(github.updateTicket("1", { state: { name: "archived" } }))
      assert.strictEqual(refused._tag, "RequestRejectedError")
      assert.include(refused.message, "Validation Failed")
    }))

  it.effect("needs the repository: a configuration without variables names them", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(resolve(presetYaml("github", "github-issues", ["baseUrl: https://api.github.com"]), {}))
      assert.include(error.message, "variables.owner")
      assert.include(error.message, "variables.repo")
    }))
})
