// Unit tests of the Redmine client's request building and the adapter's maps: no Redmine needed.
import { assert, describe, it } from "@effect/vitest"
import { DateTime, Either } from "effect"
import { Redmine, RedmineClient, RedmineMapping } from "../../src/adapters/redmine/index.js"

const priorities: ReadonlyArray<RedmineClient.IssuePriority> = [
  { id: 1, name: "Low", is_default: false, active: true },
  { id: 2, name: "Normal", is_default: true, active: true },
  { id: 3, name: "High", is_default: false, active: true },
  { id: 4, name: "Urgent", is_default: false, active: true },
  { id: 5, name: "Immediate", is_default: false, active: true },
  { id: 6, name: "Whenever", is_default: false, active: true }
]

describe("RedmineClient (offline)", () => {
  it("formats times as Redmine's filters accept them, rounding fractions up", () => {
    assert.strictEqual(RedmineClient.formatTime(DateTime.unsafeMake("2026-11-27T12:43:30Z")), "2026-11-27T12:43:30Z")
    assert.strictEqual(RedmineClient.formatTime(DateTime.unsafeMake("2026-11-27T12:43:30.001Z")), "2026-11-27T12:43:31Z")
    assert.strictEqual(RedmineClient.formatTime(DateTime.unsafeMake("2026-12-31T23:59:59.999Z")), "2027-01-01T00:00:00Z")
  })

  it("builds short-form filters for at most one project", () => {
    const { path, query } = RedmineClient.issueListRequest({
      projectIds: [1],
      statusIds: [1, 2],
      priorityIds: [4, 5],
      subject: "printer jam",
      updatedSince: DateTime.unsafeMake("2026-11-27T12:43:30.5Z"),
      offset: 200,
      limit: 500
    })
    assert.strictEqual(path, "/issues.json")
    assert.deepStrictEqual(query, {
      project_id: 1,
      subproject_id: "!*",
      status_id: "1|2",
      priority_id: "4|5",
      subject: "~printer jam",
      updated_on: ">=2026-11-27T12:43:31Z",
      offset: 200,
      limit: 100,
      sort: "id"
    })
    // without a status filter Redmine would list open issues only
    assert.strictEqual(RedmineClient.issueListRequest({}).query.status_id, "*")
  })

  it("builds the long form for several projects, repeated keys in the path", () => {
    const { path, query } = RedmineClient.issueListRequest({ projectIds: [1, 2], statusIds: [3], subject: "a&b=c" })
    const url = new URL(`http://x${path}`)
    for (const [key, value] of Object.entries(query)) if (value !== undefined) url.searchParams.append(key, String(value))
    assert.deepStrictEqual(url.searchParams.getAll("f[]"), ["project_id", "status_id", "subject"])
    assert.deepStrictEqual(url.searchParams.getAll("v[project_id][]"), ["1", "2"])
    assert.deepStrictEqual(url.searchParams.getAll("v[status_id][]"), ["3"])
    assert.strictEqual(url.searchParams.get("op[project_id]"), "=")
    assert.strictEqual(url.searchParams.get("op[subject]"), "~")
    assert.strictEqual(url.searchParams.get("v[subject][]"), "a&b=c", "text stays one value")
    assert.strictEqual(url.searchParams.get("set_filter"), "1")
    assert.strictEqual(url.searchParams.get("sort"), "id")
    assert.notInclude(path, "a&b", "free text is never in the path (span attribute url.template)")
  })

  it("checks options with messages naming the bad key", () => {
    const bad = RedmineClient.decodeOptions({ baseUrl: "ftp://x", apiKey: "k" })
    assert.isTrue(Either.isLeft(bad) && bad.left.includes("baseUrl"))
    const missing = Redmine.decodeOptions({ baseUrl: "http://127.0.0.1:3010" })
    assert.isTrue(Either.isLeft(missing) && missing.left.includes("apiKey"))
    const excess = Redmine.decodeOptions({ baseUrl: "http://127.0.0.1:3010", apiKey: "k", tracker: "Bug" })
    assert.isTrue(Either.isLeft(excess) && excess.left.includes("tracker"))
    const ok = Redmine.decodeOptions({ baseUrl: "http://127.0.0.1:3010", apiKey: "k", statusFor: { pending: "Feedback" } })
    assert.isTrue(Either.isRight(ok) && ok.right.name === "redmine" && ok.right.textSearch === "subject")
    assert.isTrue(Either.isRight(ok) && String(ok.right.apiKey) === "<redacted>", "the key is Redacted")
  })
})

describe("Redmine maps (offline)", () => {
  it("maps the standard statuses, and others by is_closed", () => {
    const type = (name: string, is_closed = false) => RedmineMapping.stateTypeOf({ id: 99, name, is_closed })
    assert.deepStrictEqual(
      ["New", "In Progress", "Feedback", "Resolved", "Closed", "Rejected"].map((n) => type(n)),
      ["new", "open", "pending", "resolved", "closed", "closed"]
    )
    assert.strictEqual(type("Waiting for parts"), "open")
    assert.strictEqual(type("Duplicate", true), "closed")
    assert.strictEqual(RedmineMapping.stateTypeOf({ id: 7, name: "Waiting for parts" }, new Map([["waiting for parts", "pending"]])), "pending")
    assert.strictEqual(RedmineMapping.stateTypeOf({ id: 7, name: "Waiting" }, new Map([["7", "pending"]])), "pending", "overrides by id")
  })

  it("maps five priorities onto four levels, others by their place", () => {
    const level = (id: number) => RedmineMapping.priorityLevelOf({ id }, priorities)
    assert.deepStrictEqual([1, 2, 3, 4, 5].map(level), ["low", "normal", "high", "urgent", "urgent"])
    assert.strictEqual(level(6), "high", "after the default")
    assert.strictEqual(RedmineMapping.priorityLevelOf({ id: 6 }, priorities, new Map([["whenever", "low"]])), "low")
    assert.strictEqual(RedmineMapping.priorityLevelOf({ id: 42 }, priorities), "normal", "unknown priority")
  })
})
