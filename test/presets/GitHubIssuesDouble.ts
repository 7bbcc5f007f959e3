/**
 * A system double of the GitHub REST API (v3, "2022-11-28") for the issue endpoints a ticket
 * adapter uses, over real HTTP (node:http, 127.0.0.1, an ephemeral port). It follows GitHub's
 * published REST reference (docs.github.com/rest: issues, issue comments, search, pagination,
 * rate limits, authentication); each behaviour below is described in our own words.
 *
 * - auth: `Authorization: Bearer <token>` (or the older `token <token>`); a wrong token is 401
 *   "Bad credentials"; no token: reads of a private repository are 404 (GitHub hides it), writes
 *   are 401 "Requires authentication"; with `visibility: "public"` anonymous reads succeed.
 * - list `GET /repos/{owner}/{repo}/issues`: `state` open (default) / closed / all; `labels`
 *   comma-separated, an issue must carry all of them; `since` (ISO 8601) keeps issues updated at or
 *   after it; `milestone` number / `*` / `none`; `assignee` login / `*` / `none`; `creator`;
 *   `sort` created (default) / updated / comments; `direction` desc (default) / asc; `per_page`
 *   default 30, at most 100 (larger values are capped); `page`. Pull requests are issues too: they
 *   appear in the list with a `pull_request` key. An invalid `state`/`sort`/`since` is 422.
 * - pagination: an RFC 8288 `Link` header with `next`/`last` (not on the last page) and
 *   `first`/`prev` (not on the first); no Link header when everything fits one page.
 * - get `GET …/issues/{number}`: the issue; an unknown number is 404 `{ message: "Not Found",
 *   documentation_url, status: "404" }`.
 * - update `PATCH …/issues/{number}`: `title`, `body`, `state` (open/closed), `state_reason`
 *   (completed / not_planned / duplicate / reopened / null, only applied with a state change;
 *   closing without one means completed, reopening sets reopened), `labels` (names or `{ name }`,
 *   replacing the set; unknown labels are created), `assignees` (replacing; a login that cannot be
 *   assigned is 422), `milestone` (number or null; unknown is 422). Validation failures are 422
 *   `{ message: "Validation Failed", errors: [{ resource, code, field }] }`; a body that is not
 *   JSON is 400 "Problems parsing JSON". `closed_at` follows the state; `updated_at` moves.
 * - create `POST …/issues`: `title` required (422 missing_field), answers 201 with `Location`.
 * - comments `GET …/issues/{number}/comments` (oldest first; `since`, `per_page`, `page`, Link)
 *   and `POST` with `{ body }` (201; an empty or missing body is 422 missing_field). Every
 *   comment is public: GitHub has no internal comments.
 * - search `GET /search/issues?q=…`: `q` required (422); qualifiers `repo:`, `is:issue`/`is:pr`,
 *   `is:open`/`is:closed`, `state:`, `type:`, `label:` (several qualifiers: all; a comma list in
 *   one: any), `-label:`, `no:label`, `assignee:`, `no:assignee`, `author:`, `reason:`,
 *   `updated:`/`created:` with `>`, `>=`, `<`, `<=` and ISO dates or times, `in:title,body`; the
 *   other terms must all occur (case-insensitively) in the title or body; `"quoted phrases"`.
 *   Answer `{ total_count, incomplete_results, items }` with a `score` per item, paged like the
 *   list (at most 100 per page); only the first 1000 results can be reached (422 beyond).
 *   A repository other than this one is 422 (it cannot be searched).
 * - rate limits: every answer carries `x-ratelimit-limit`, `-remaining`, `-used`, `-reset` (epoch
 *   seconds) and `-resource` (core or search). {@link Double.rateLimit} injects a secondary limit
 *   (403 or 429 with `retry-after` seconds); {@link Double.primaryRateLimit} the primary one (403
 *   with `x-ratelimit-remaining: 0` and `x-ratelimit-reset`).
 * - timestamps are ISO 8601 UTC without milliseconds (`2026-03-01T09:30:00Z`).
 */
import type { Incoming, Reply, SeenRequest, Write } from "./support.js"
import * as S from "./support.js"

const DOCS = "https://docs.github.com/rest"

/** a user as GitHub embeds it */
const user = (login: string) => ({ login, id: [...login].reduce((h, c) => (h * 31 + c.charCodeAt(0)) % 1_000_000, 7), type: "User" })

/** an issue as the double stores it */
export interface StoredIssue {
  readonly id: number
  readonly number: number
  title: string
  body: string | null
  state: "open" | "closed"
  state_reason: "completed" | "not_planned" | "duplicate" | "reopened" | null
  labels: Array<string>
  assignees: Array<string>
  readonly author: string
  milestone: number | null
  readonly createdAt: number
  updatedAt: number
  closedAt: number | null
  /** a pull request (listed with the issues) */
  readonly pullRequest: boolean
  readonly comments: Array<StoredComment>
}

/** a comment as the double stores it */
export interface StoredComment {
  readonly id: number
  readonly body: string
  readonly author: string
  readonly createdAt: number
}

/** options of {@link start} */
export interface Options {
  readonly owner?: string
  readonly repo?: string
  /** the valid token (default "ghp_double_token") */
  readonly token?: string
  /** private (default): anonymous reads are 404; public: anonymous reads succeed */
  readonly visibility?: "private" | "public"
  /** the clock (default Date.now) */
  readonly now?: () => number
}

/** the double and its controls */
export interface Double {
  /** the API root (`https://api.github.com` in production): the adapter's base URL */
  readonly url: string
  readonly owner: string
  readonly repo: string
  readonly token: string
  /** logins that may be assigned */
  readonly assignable: ReadonlyArray<string>
  /** milestones by number */
  readonly milestones: ReadonlyMap<number, string>
  /** issues (and pull requests) by number */
  readonly issues: Map<number, StoredIssue>
  readonly requests: Array<SeenRequest>
  /** the writes the double accepted, in order */
  readonly writes: Array<Write>
  readonly faults: S.Faults
  /** a secondary rate limit on the next matching request(s): `retry-after` seconds */
  readonly rateLimit: (options?: { readonly retryAfter?: number; readonly status?: 403 | 429; readonly times?: number; readonly path?: RegExp }) => void
  /** the primary rate limit on the next matching request(s): remaining 0, reset in `resetIn` seconds */
  readonly primaryRateLimit: (options?: { readonly resetIn?: number; readonly times?: number; readonly path?: RegExp }) => void
  readonly close: () => Promise<void>
}

const DAY = 86_400_000

/** starts the double, seeded with a handful of issues, one pull request and comments */
export const start = async (options: Options = {}): Promise<Double> => {
  const owner = options.owner ?? "acme"
  const repo = options.repo ?? "helpdesk"
  const token = options.token ?? "ghp_double_token"
  const now = options.now ?? Date.now
  const assignable = ["octo-agent", "hubot", "monalisa"]
  const milestones = new Map([[1, "v1.0"], [2, "v2.0"]])
  const knownLabels = new Set(["bug", "enhancement", "question", "customer", "good first issue"])
  const issues = new Map<number, StoredIssue>()
  const writes: Array<Write> = []
  let nextId = 1_000_001
  let nextCommentId = 5_000_001
  let used = 0

  const t0 = now()
  const seed = (
    number: number,
    title: string,
    fields: Partial<Pick<StoredIssue, "body" | "state" | "state_reason" | "labels" | "assignees" | "milestone" | "pullRequest">> & {
      readonly age: number
      readonly touched: number
      readonly author?: string
      readonly comments?: ReadonlyArray<string>
    }
  ) => {
    const createdAt = t0 - fields.age * DAY
    const updatedAt = t0 - fields.touched * DAY
    const state = fields.state ?? "open"
    issues.set(number, {
      id: nextId++,
      number,
      title,
      body: fields.body === undefined ? `${title}.` : fields.body,
      state,
      state_reason: fields.state_reason ?? null,
      labels: [...(fields.labels ?? [])],
      assignees: [...(fields.assignees ?? [])],
      author: fields.author ?? "customer-jo",
      milestone: fields.milestone ?? null,
      createdAt,
      updatedAt,
      closedAt: state === "closed" ? updatedAt : null,
      pullRequest: fields.pullRequest ?? false,
      comments: (fields.comments ?? []).map((body, i) => ({ id: nextCommentId++, body, author: "octo-agent", createdAt: createdAt + (i + 1) * 3_600_000 }))
    })
  }
  seed(1, "Printer on floor 2 jammed", { age: 40, touched: 2, labels: ["bug", "customer"], assignees: ["octo-agent"], comments: ["Looking into it."] })
  seed(2, "Invoice 2026-0412 missing", { age: 35, touched: 30, state: "closed", state_reason: "completed", labels: ["question"], milestone: 1 })
  seed(3, "Dark mode for the portal", { age: 20, touched: 20, labels: ["enhancement"], body: null })
  seed(4, "Fix printer driver timeout", { age: 10, touched: 9, pullRequest: true, labels: ["bug"] })
  seed(5, "VPN drops every hour", { age: 8, touched: 1, labels: ["bug"], assignees: ["hubot", "monalisa"], milestone: 2, comments: ["Which client version?", "4.2.1 on Windows."] })
  seed(6, "Duplicate: printer jam", { age: 7, touched: 6, state: "closed", state_reason: "duplicate" })
  seed(7, "Old closed issue without a reason", { age: 400, touched: 390, state: "closed" })
  seed(8, "Café menu shows \u00e9 as garbage — UTF-8 ✓", { age: 3, touched: 3, labels: ["bug", "good first issue"] })
  seed(9, "Wontfix: support Windows XP", { age: 60, touched: 50, state: "closed", state_reason: "not_planned" })

  const repoPath = `/repos/${owner}/${repo}`
  const base = (origin: string) => `${origin}${repoPath}`

  const issueOut = (origin: string, i: StoredIssue) => ({
    url: `${base(origin)}/issues/${i.number}`,
    repository_url: base(origin),
    labels_url: `${base(origin)}/issues/${i.number}/labels{/name}`,
    comments_url: `${base(origin)}/issues/${i.number}/comments`,
    html_url: `https://github.com/${owner}/${repo}/${i.pullRequest ? "pull" : "issues"}/${i.number}`,
    id: i.id,
    node_id: `I_${i.id}`,
    number: i.number,
    title: i.title,
    user: user(i.author),
    labels: i.labels.map((name) => ({ id: name.length * 1000 + name.charCodeAt(0), name, color: "ededed", default: false, description: null })),
    state: i.state,
    state_reason: i.state_reason,
    locked: false,
    assignee: i.assignees.length === 0 ? null : user(i.assignees[0]!),
    assignees: i.assignees.map(user),
    milestone: i.milestone === null ? null : { number: i.milestone, title: milestones.get(i.milestone), state: "open" },
    comments: i.comments.length,
    created_at: S.isoSeconds(i.createdAt),
    updated_at: S.isoSeconds(i.updatedAt),
    closed_at: i.closedAt === null ? null : S.isoSeconds(i.closedAt),
    author_association: "NONE",
    body: i.body,
    ...(i.pullRequest ? { pull_request: { url: `${base(origin)}/pulls/${i.number}`, merged_at: null } } : {})
  })

  const commentOut = (origin: string, issue: StoredIssue, c: StoredComment) => ({
    url: `${base(origin)}/issues/comments/${c.id}`,
    html_url: `https://github.com/${owner}/${repo}/issues/${issue.number}#issuecomment-${c.id}`,
    issue_url: `${base(origin)}/issues/${issue.number}`,
    id: c.id,
    node_id: `IC_${c.id}`,
    user: user(c.author),
    created_at: S.isoSeconds(c.createdAt),
    updated_at: S.isoSeconds(c.createdAt),
    author_association: "MEMBER",
    body: c.body
  })

  const rateHeaders = (resource: "core" | "search") => {
    used += 1
    const limit = resource === "core" ? 5000 : 30
    return {
      "x-ratelimit-limit": String(limit),
      "x-ratelimit-remaining": String(Math.max(0, limit - used)),
      "x-ratelimit-used": String(used),
      "x-ratelimit-reset": String(Math.floor(now() / 1000) + 3600),
      "x-ratelimit-resource": resource,
      "x-github-api-version-selected": "2022-11-28"
    }
  }

  const message = (status: number, text: string, extra: Record<string, unknown> = {}): Reply => ({
    status,
    body: { message: text, ...extra, documentation_url: DOCS, status: String(status) }
  })
  const notFound = () => message(404, "Not Found")
  const invalid = (resource: string, field: string, code = "invalid", value?: unknown): Reply =>
    message(422, "Validation Failed", { errors: [{ resource, code, field, ...(value === undefined ? {} : { value }) }] })

  /** a page of items with its Link header */
  const paged = <A>(request: Incoming, items: ReadonlyArray<A>, maxReachable = Infinity): { page: Array<A>; link: string | undefined } | Reply => {
    const perPage = S.intParam(request.query, "per_page", 30)
    const page = S.intParam(request.query, "page", 1)
    if (perPage === undefined) return invalid("Pagination", "per_page")
    if (page === undefined) return invalid("Pagination", "page")
    const size = Math.min(perPage, 100)
    if ((page - 1) * size >= maxReachable) return message(422, "Only the first 1000 search results are available")
    const reachable = Math.min(items.length, maxReachable)
    const last = Math.max(1, Math.ceil(reachable / size))
    return { page: items.slice((page - 1) * size, Math.min(page * size, reachable)), link: S.pageLinks(request, page, last) }
  }

  const sortIssues = (list: Array<StoredIssue>, sort: string, direction: string) => {
    const key = (i: StoredIssue) => (sort === "updated" ? i.updatedAt : sort === "comments" ? i.comments.length : i.createdAt)
    const sign = direction === "asc" ? 1 : -1
    return list.sort((a, b) => sign * (key(a) - key(b)) || sign * (a.number - b.number))
  }

  // --- list ---------------------------------------------------------------
  const list = (request: Incoming): Reply => {
    const q = request.query
    const state = q.get("state") ?? "open"
    if (!["open", "closed", "all"].includes(state)) return invalid("Issue", "state")
    const sort = q.get("sort") ?? "created"
    if (!["created", "updated", "comments"].includes(sort)) return invalid("Issue", "sort")
    const direction = q.get("direction") ?? "desc"
    if (!["asc", "desc"].includes(direction)) return invalid("Issue", "direction")
    const sinceRaw = q.get("since")
    const since = sinceRaw === null ? undefined : S.parseIso(sinceRaw)
    if (sinceRaw !== null && since === undefined) return invalid("Issue", "since")
    const labels = (q.get("labels") ?? "").split(",").map((l) => l.trim().toLowerCase()).filter((l) => l !== "")
    const milestone = q.get("milestone")
    const assignee = q.get("assignee")
    const creator = q.get("creator")
    const matching = [...issues.values()].filter((i) =>
      (state === "all" || i.state === state) &&
      labels.every((l) => i.labels.some((x) => x.toLowerCase() === l)) &&
      (since === undefined || i.updatedAt >= since) &&
      (milestone === null || (milestone === "*" ? i.milestone !== null : milestone === "none" ? i.milestone === null : String(i.milestone) === milestone)) &&
      (assignee === null || (assignee === "*" ? i.assignees.length > 0 : assignee === "none" ? i.assignees.length === 0 : i.assignees.includes(assignee))) &&
      (creator === null || i.author === creator)
    )
    const result = paged(request, sortIssues(matching, sort, direction))
    if ("status" in result) return result
    return { status: 200, headers: { ...rateHeaders("core"), ...(result.link === undefined ? {} : { link: result.link }) }, body: result.page.map((i) => issueOut(request.origin, i)) }
  }

  // --- writes -------------------------------------------------------------
  /** applies the writable fields of an issue body; a Reply when one is invalid */
  const apply = (issue: StoredIssue, data: Record<string, unknown>, creating: boolean): Reply | undefined => {
    if ("title" in data && (typeof data.title !== "string" && typeof data.title !== "number" || String(data.title).trim() === "")) return invalid("Issue", "title", "missing_field")
    if ("body" in data && data.body !== null && typeof data.body !== "string") return invalid("Issue", "body")
    if ("state" in data && data.state !== "open" && data.state !== "closed") return invalid("Issue", "state", "invalid", data.state)
    const reasons = ["completed", "not_planned", "duplicate", "reopened", null]
    if ("state_reason" in data && !reasons.includes(data.state_reason as string | null)) return invalid("Issue", "state_reason", "invalid", data.state_reason)
    let labels: Array<string> | undefined
    if ("labels" in data) {
      if (!Array.isArray(data.labels)) return invalid("Issue", "labels")
      labels = []
      for (const l of data.labels as Array<unknown>) {
        const name = typeof l === "string" ? l : S.isObject(l) && typeof l.name === "string" ? l.name : undefined
        if (name === undefined || name.trim() === "" || name.length > 50) return invalid("Label", "name", "invalid", l)
        if (!labels.includes(name)) labels.push(name)
      }
    }
    let assignees: Array<string> | undefined
    if ("assignees" in data) {
      if (!Array.isArray(data.assignees) || data.assignees.some((a) => typeof a !== "string")) return invalid("Issue", "assignees")
      const bad = (data.assignees as Array<string>).find((a) => !assignable.includes(a))
      if (bad !== undefined) return invalid("Issue", "assignees", "invalid", bad)
      assignees = [...new Set(data.assignees as Array<string>)]
    }
    if ("milestone" in data && data.milestone !== null && !(typeof data.milestone === "number" && milestones.has(data.milestone))) return invalid("Issue", "milestone", "invalid", data.milestone)
    // everything valid: apply
    if ("title" in data) issue.title = String(data.title)
    if ("body" in data) issue.body = data.body as string | null
    if (labels !== undefined) {
      issue.labels = labels
      for (const l of labels) knownLabels.add(l)
    }
    if (assignees !== undefined) issue.assignees = assignees
    if ("milestone" in data) issue.milestone = data.milestone as number | null
    if ("state" in data && data.state !== issue.state) {
      issue.state = data.state as "open" | "closed"
      if (issue.state === "closed") {
        issue.closedAt = now()
        const reason = data.state_reason as StoredIssue["state_reason"] | undefined
        issue.state_reason = reason === undefined || reason === null || reason === "reopened" ? "completed" : reason
      } else {
        issue.closedAt = null
        issue.state_reason = creating ? null : "reopened"
      }
    }
    issue.updatedAt = now()
    return undefined
  }

  /** the JSON object a client sent, or undefined (then the answer is 400 "Problems parsing JSON") */
  const bodyOf = (request: Incoming): Record<string, unknown> | undefined => {
    const data = S.parseJson(request.rawBody)
    return S.isObject(data) ? data : undefined
  }
  const unparsable = () => message(400, "Problems parsing JSON")

  const update = (request: Incoming, issue: StoredIssue): Reply => {
    const data = bodyOf(request)
    if (data === undefined) return unparsable()
    const copy: StoredIssue = { ...issue, labels: [...issue.labels], assignees: [...issue.assignees] }
    const failed = apply(copy, data, false)
    if (failed !== undefined) return failed
    Object.assign(issue, copy)
    writes.push({ method: request.method, path: request.path, body: data })
    return { status: 200, headers: rateHeaders("core"), body: issueOut(request.origin, issue) }
  }

  const create = (request: Incoming): Reply => {
    const data = bodyOf(request)
    if (data === undefined) return unparsable()
    if (!("title" in data)) return invalid("Issue", "title", "missing_field")
    const number = Math.max(0, ...issues.keys()) + 1
    const at = now()
    const issue: StoredIssue = {
      id: nextId++, number, title: "", body: null, state: "open", state_reason: null, labels: [], assignees: [], author: "octo-agent",
      milestone: null, createdAt: at, updatedAt: at, closedAt: null, pullRequest: false, comments: []
    }
    const failed = apply(issue, { ...data, state: "open" }, true)
    if (failed !== undefined) return failed
    issues.set(number, issue)
    writes.push({ method: request.method, path: request.path, body: data })
    return { status: 201, headers: { ...rateHeaders("core"), location: `${base(request.origin)}/issues/${number}` }, body: issueOut(request.origin, issue) }
  }

  const comments = (request: Incoming, issue: StoredIssue): Reply => {
    if (request.method === "POST") {
      const data = bodyOf(request)
      if (data === undefined) return unparsable()
      if (typeof data.body !== "string" || data.body.trim() === "") return invalid("IssueComment", "body", "missing_field")
      const comment: StoredComment = { id: nextCommentId++, body: data.body, author: "octo-agent", createdAt: now() }
      issue.comments.push(comment)
      issue.updatedAt = comment.createdAt
      writes.push({ method: request.method, path: request.path, body: data })
      return { status: 201, headers: { ...rateHeaders("core"), location: `${base(request.origin)}/issues/comments/${comment.id}` }, body: commentOut(request.origin, issue, comment) }
    }
    const sinceRaw = request.query.get("since")
    const since = sinceRaw === null ? undefined : S.parseIso(sinceRaw)
    if (sinceRaw !== null && since === undefined) return invalid("IssueComment", "since")
    const result = paged(request, issue.comments.filter((c) => since === undefined || c.createdAt >= since))
    if ("status" in result) return result
    return { status: 200, headers: { ...rateHeaders("core"), ...(result.link === undefined ? {} : { link: result.link }) }, body: result.page.map((c) => commentOut(request.origin, issue, c)) }
  }

  // --- search -------------------------------------------------------------
  const search = (request: Incoming): Reply => {
    const q = request.query.get("q")
    if (q === null || q.trim() === "") return message(422, "Validation Failed", { errors: [{ resource: "Search", field: "q", code: "missing" }] })
    const tokens = q.match(/-?[a-z-]+:"[^"]*"|-?[a-z-]+:\S+|"[^"]*"|\S+/gi) ?? []
    const filters: Array<(i: StoredIssue) => boolean> = []
    const words: Array<string> = []
    let scope: ReadonlyArray<"title" | "body"> = ["title", "body"]
    for (const token of tokens) {
      const m = /^(-?)([a-z-]+):(?:"([^"]*)"|(\S+))$/i.exec(token)
      if (m === null) {
        words.push(token.replace(/^"|"$/g, "").toLowerCase())
        continue
      }
      const negate = m[1] === "-"
      const key = m[2]!.toLowerCase()
      const value = m[3] ?? m[4]!
      const add = (f: (i: StoredIssue) => boolean) => filters.push(negate ? (i) => !f(i) : f)
      switch (key) {
        case "repo":
          if (value.toLowerCase() !== `${owner}/${repo}`.toLowerCase()) {
            return message(422, "Validation Failed", {
              errors: [{ message: "The listed users and repositories cannot be searched either because the resources do not exist or you do not have permission to view them.", resource: "Search", field: "q", code: "invalid" }]
            })
          }
          break
        case "is":
        case "type":
        case "state": {
          const v = value.toLowerCase()
          if (v === "issue") add((i) => !i.pullRequest)
          else if (v === "pr" || v === "pull-request") add((i) => i.pullRequest)
          else if (v === "open" || v === "closed") add((i) => i.state === v)
          break
        }
        case "label": {
          const any = value.split(",").map((l) => l.toLowerCase())
          add((i) => i.labels.some((l) => any.includes(l.toLowerCase())))
          break
        }
        case "no":
          if (value === "label") add((i) => i.labels.length === 0)
          if (value === "assignee") add((i) => i.assignees.length === 0)
          if (value === "milestone") add((i) => i.milestone === null)
          break
        case "assignee":
          add((i) => i.assignees.includes(value))
          break
        case "author":
          add((i) => i.author === value)
          break
        case "reason": {
          const reason = value.toLowerCase().replace(" ", "_")
          add((i) => i.state_reason === reason)
          break
        }
        case "updated":
        case "created": {
          const r = /^(>=|<=|>|<)?(.+)$/.exec(value)!
          const at = S.parseIso(r[2]!)
          if (at === undefined) return message(422, "Validation Failed", { errors: [{ resource: "Search", field: "q", code: "invalid", value }] })
          const pick = (i: StoredIssue) => (key === "updated" ? i.updatedAt : i.createdAt)
          const op = r[1] ?? ""
          add((i) => (op === ">=" ? pick(i) >= at : op === ">" ? pick(i) > at : op === "<=" ? pick(i) <= at : op === "<" ? pick(i) < at : Math.floor(pick(i) / DAY) === Math.floor(at / DAY)))
          break
        }
        case "in":
          scope = value.toLowerCase().split(",").filter((s): s is "title" | "body" => s === "title" || s === "body")
          break
        default:
          words.push(token.toLowerCase())
      }
    }
    const text = (i: StoredIssue) => scope.map((f) => (f === "title" ? i.title : i.body ?? "")).join("\n").toLowerCase()
    const sort = request.query.get("sort")
    const order = request.query.get("order") ?? "desc"
    const found = sortIssues(
      [...issues.values()].filter((i) => filters.every((f) => f(i)) && words.every((w) => text(i).includes(w))),
      sort === "updated" || sort === "comments" ? sort : "created",
      order
    )
    const result = paged(request, found, 1000)
    if ("status" in result) return result
    return {
      status: 200,
      headers: { ...rateHeaders("search"), ...(result.link === undefined ? {} : { link: result.link }) },
      body: { total_count: found.length, incomplete_results: false, items: result.page.map((i) => ({ ...issueOut(request.origin, i), score: 1 })) }
    }
  }

  // --- routing ------------------------------------------------------------
  const handler = (request: Incoming): Reply => {
    const auth = request.headers.authorization
    const write = request.method !== "GET" && request.method !== "HEAD"
    if (auth !== undefined) {
      const m = /^(?:Bearer|token) (.+)$/i.exec(auth)
      if (m === null || m[1] !== token) return message(401, "Bad credentials")
    } else if (write) {
      return message(401, "Requires authentication")
    }
    const anonymous = auth === undefined
    if (request.path === "/search/issues" && request.method === "GET") return search(request)
    if (!request.path.startsWith(`${repoPath}/`) && request.path !== repoPath) return notFound()
    if (anonymous && options.visibility !== "public") return notFound()
    const rest = request.path.slice(repoPath.length)
    if (rest === "/issues") {
      if (request.method === "GET") return list(request)
      if (request.method === "POST") return create(request)
      return notFound()
    }
    const m = /^\/issues\/([^/]+)(\/comments)?$/.exec(rest)
    if (m === null) return notFound()
    const issue = /^\d+$/.test(m[1]!) ? issues.get(Number(m[1])) : undefined
    if (issue === undefined) return notFound()
    if (m[2] !== undefined) return request.method === "GET" || request.method === "POST" ? comments(request, issue) : notFound()
    if (request.method === "GET") return { status: 200, headers: rateHeaders("core"), body: issueOut(request.origin, issue) }
    if (request.method === "PATCH") return update(request, issue)
    return notFound()
  }

  const running = await S.serve(handler)
  return {
    url: running.origin,
    owner,
    repo,
    token,
    assignable,
    milestones,
    issues,
    requests: running.requests,
    writes,
    faults: running.faults,
    rateLimit: (o = {}) =>
      running.faults.inject({
        times: o.times ?? 1,
        ...(o.path === undefined ? {} : { path: o.path }),
        reply: {
          status: o.status ?? 429,
          headers: { "retry-after": String(o.retryAfter ?? 1) },
          body: { message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.", documentation_url: DOCS, status: String(o.status ?? 429) }
        }
      }),
    primaryRateLimit: (o = {}) =>
      running.faults.inject({
        times: o.times ?? 1,
        ...(o.path === undefined ? {} : { path: o.path }),
        reply: {
          status: 403,
          headers: {
            "x-ratelimit-limit": "5000",
            "x-ratelimit-remaining": "0",
            "x-ratelimit-used": "5000",
            "x-ratelimit-reset": String(Math.floor(now() / 1000) + (o.resetIn ?? 60)),
            "x-ratelimit-resource": "core"
          },
          body: { message: "API rate limit exceeded for user ID 1.", documentation_url: DOCS, status: "403" }
        }
      }),
    close: running.close
  }
}

