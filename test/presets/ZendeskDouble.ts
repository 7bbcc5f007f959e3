/**
 * A system double of the Zendesk Support REST API (`/api/v2`) for the ticket endpoints a ticket
 * adapter uses, over real HTTP (node:http, 127.0.0.1, an ephemeral port). It follows Zendesk's
 * published developer documentation (developer.zendesk.com: Tickets, Ticket Comments, Search,
 * pagination, rate limits, security and authentication); each behaviour below is described in our
 * own words.
 *
 * - auth: HTTP Basic with the user name `{email}/token` and the API token as password; anything
 *   else is 401 `{ error: "Couldn't authenticate you" }`.
 * - list `GET /tickets.json`: with `page[size]` (1–100, larger is 400 InvalidPaginationParameter)
 *   cursor pagination — `meta.has_more`, `meta.after_cursor`, `meta.before_cursor`, `links.next`,
 *   `links.prev`, the next page fetched with `page[after]`; the last page still carries its
 *   `after_cursor`, only `has_more` is false. `sort` is `id` (default), `updated_at`,
 *   `created_at`, `status`, or any of them with `-` for descending. Without `page[size]`, offset
 *   pagination: `page`, `per_page` (at most 100), `next_page`/`previous_page` URLs and `count`.
 *   The list has no filters: filtering is done through search.
 * - get `GET /tickets/{id}.json` → `{ ticket }`; unknown → 404 `{ error: "RecordNotFound",
 *   description: "Not found" }`.
 * - update `PUT /tickets/{id}.json` with `{ ticket: { subject, status, priority, group_id,
 *   assignee_id, tags, type, comment } }` → `{ ticket, audit }`. Statuses `new open pending hold
 *   solved closed`; priorities `low normal high urgent` (or null); a ticket cannot go back to
 *   `new`; a closed ticket refuses every update; an unknown value, group or assignee is 422
 *   `{ error: "RecordInvalid", description: "Record validation errors", details: { <field>:
 *   [{ description, error }] } }`. Tags are lower-cased and replace the set. Nothing is changed
 *   when the update is refused.
 * - comments are added through the update: `ticket.comment` with `body` (plain) or `html_body`
 *   and `public` — **public unless `public: false`** (strings "true"/"false" are coerced, as the
 *   Rails back end does). An empty comment is 422.
 * - comments `GET /tickets/{id}/comments.json`: oldest first (`sort_order=desc` reverses), the
 *   first being the ticket's description; each `{ id, type: "Comment", author_id, body,
 *   html_body, plain_body, public, created_at }`; cursor or offset pagination as the list.
 * - create `POST /tickets.json` (201, `Location`): `ticket.comment.body` required (422
 *   `details.description`), `requester: { email, name }` or `requester_id`, status `new` unless
 *   given.
 * - search `GET /search.json?query=…`: `type:ticket`; `status:`, `priority:`, `group_id:`,
 *   `group:` (name), `assignee_id:`, `assignee:none`, `requester_id:`, `tags:`, `subject:`,
 *   `created`/`updated` with `:`, `>`, `<`, `>=`, `<=` and a date or an ISO time; `status` and
 *   `priority` also ordered (`status<solved`); `-` negates; several terms on one property are
 *   ORed, different properties ANDed; other words and `"phrases"` must all occur in the subject,
 *   description or comments (case-insensitively). Answer `{ results (with result_type), count,
 *   next_page, previous_page, facets }`, offset paged (`per_page` ≤ 100), at most 1000 results
 *   (422 beyond); `sort_by` `updated_at`/`created_at`/`priority`/`status` with `sort_order`.
 *   An empty query is 400.
 * - export search `GET /search/export.json?query=…&filter[type]=ticket`: the same query with
 *   cursor pagination (`page[size]` ≤ 1000, `page[after]`, `meta`, `links`); `filter[type]`
 *   is required (400).
 * - rate limits: answers carry `X-Rate-Limit`, `X-Rate-Limit-Remaining`, `ratelimit-limit`,
 *   `ratelimit-remaining`, `ratelimit-reset`; {@link Double.rateLimit} injects 429 with
 *   `Retry-After` seconds.
 * - timestamps are ISO 8601 UTC without milliseconds.
 */
import type { Incoming, Reply, SeenRequest, Write } from "./support.js"
import * as S from "./support.js"

const STATUSES = ["new", "open", "pending", "hold", "solved", "closed"] as const
const PRIORITIES = ["low", "normal", "high", "urgent"] as const
type Status = (typeof STATUSES)[number]
type Priority = (typeof PRIORITIES)[number]

/** a comment as the double stores it */
export interface StoredComment {
  readonly id: number
  readonly authorId: number
  readonly body: string
  readonly html: boolean
  readonly public: boolean
  readonly createdAt: number
}

/** a ticket as the double stores it */
export interface StoredTicket {
  readonly id: number
  subject: string
  status: Status
  priority: Priority | null
  groupId: number | null
  assigneeId: number | null
  readonly requesterId: number
  tags: Array<string>
  type: string | null
  readonly createdAt: number
  updatedAt: number
  readonly comments: Array<StoredComment>
}

/** options of {@link start} */
export interface Options {
  /** the agent's e-mail (default "agent@example.com") */
  readonly email?: string
  /** the API token (default "zd_double_token") */
  readonly token?: string
  readonly now?: () => number
}

/** the double and its controls */
export interface Double {
  /** `http://127.0.0.1:PORT/api/v2`: the adapter's base URL (with its path) */
  readonly url: string
  readonly email: string
  readonly token: string
  /** the Basic user name: `{email}/token` */
  readonly username: string
  readonly groups: ReadonlyMap<number, string>
  /** agents that can be assigned, by id */
  readonly agents: ReadonlyMap<number, string>
  readonly tickets: Map<number, StoredTicket>
  readonly requests: Array<SeenRequest>
  readonly writes: Array<Write>
  readonly faults: S.Faults
  /** 429 with `Retry-After` seconds on the next matching request(s) */
  readonly rateLimit: (options?: { readonly retryAfter?: number; readonly times?: number; readonly path?: RegExp }) => void
  readonly close: () => Promise<void>
}

const DAY = 86_400_000
const API = "/api/v2"

/** starts the double, seeded with a handful of tickets and comments */
export const start = async (options: Options = {}): Promise<Double> => {
  const email = options.email ?? "agent@example.com"
  const token = options.token ?? "zd_double_token"
  const now = options.now ?? Date.now
  const groups = new Map([[360001, "Support"], [360002, "Billing"], [360003, "Engineering"]])
  const agents = new Map([[9001, "Agent Smith"], [9002, "Agent Jones"]])
  const requesters = new Map<string, number>([["jo@example.org", 7001], ["sam@example.org", 7002]])
  const tickets = new Map<number, StoredTicket>()
  const writes: Array<Write> = []
  let nextTicket = 101
  let nextComment = 800_001
  let nextAudit = 500_001
  let remaining = 700

  const t0 = now()
  const seed = (subject: string, fields: { status: Status; priority: Priority | null; group: number | null; age: number; touched: number; assignee?: number; tags?: ReadonlyArray<string>; notes?: ReadonlyArray<[string, boolean]> }) => {
    const id = nextTicket++
    const createdAt = t0 - fields.age * DAY
    tickets.set(id, {
      id, subject, status: fields.status, priority: fields.priority, groupId: fields.group, assigneeId: fields.assignee ?? null,
      requesterId: 7001 + (id % 2), tags: [...(fields.tags ?? [])], type: "incident", createdAt, updatedAt: t0 - fields.touched * DAY,
      comments: [
        { id: nextComment++, authorId: 7001 + (id % 2), body: `${subject}. Please help.`, html: false, public: true, createdAt },
        ...(fields.notes ?? []).map(([body, pub], i) => ({ id: nextComment++, authorId: 9001, body, html: false, public: pub, createdAt: createdAt + (i + 1) * 3_600_000 }))
      ]
    })
  }
  seed("Printer on floor 2 jammed", { status: "open", priority: "high", group: 360001, age: 12, touched: 1, assignee: 9001, tags: ["printer", "floor2"], notes: [["Toner checked, still jammed.", false], ["A technician is on the way.", true]] })
  seed("Invoice 2026-0412 missing", { status: "pending", priority: "normal", group: 360002, age: 30, touched: 5, tags: ["invoice"] })
  seed("VPN drops every hour", { status: "new", priority: null, group: null, age: 2, touched: 2 })
  seed("Password reset link expired", { status: "hold", priority: "urgent", group: 360001, age: 6, touched: 3, assignee: 9002 })
  seed("Refund for double payment", { status: "solved", priority: "low", group: 360002, age: 50, touched: 40, tags: ["invoice", "refund"] })
  seed("Old laptop returned", { status: "closed", priority: "normal", group: 360001, age: 200, touched: 190 })
  seed("Café menu shows garbage — UTF-8 ✓", { status: "open", priority: "low", group: 360003, age: 4, touched: 4, tags: ["web"] })

  const ticketOut = (origin: string, t: StoredTicket) => ({
    url: `${origin}${API}/tickets/${t.id}.json`,
    id: t.id,
    external_id: null,
    via: { channel: "web" },
    created_at: S.isoSeconds(t.createdAt),
    updated_at: S.isoSeconds(t.updatedAt),
    type: t.type,
    subject: t.subject,
    raw_subject: t.subject,
    description: t.comments[0]?.body ?? "",
    priority: t.priority,
    status: t.status,
    recipient: null,
    requester_id: t.requesterId,
    submitter_id: t.requesterId,
    assignee_id: t.assigneeId,
    organization_id: null,
    group_id: t.groupId,
    collaborator_ids: [],
    follower_ids: [],
    has_incidents: false,
    is_public: true,
    due_at: null,
    tags: t.tags,
    custom_fields: [],
    satisfaction_rating: null,
    allow_channelback: false,
    allow_attachments: true
  })
  const plain = (c: StoredComment) => (c.html ? c.body.replace(/<[^>]*>/g, "") : c.body)
  const commentOut = (c: StoredComment) => ({
    id: c.id,
    type: "Comment",
    author_id: c.authorId,
    body: plain(c),
    html_body: c.html ? c.body : `<div class="zd-comment"><p>${c.body.replace(/&/g, "&amp;").replace(/</g, "&lt;")}</p></div>`,
    plain_body: plain(c),
    public: c.public,
    attachments: [],
    audit_id: c.id + 1,
    via: { channel: "api" },
    created_at: S.isoSeconds(c.createdAt),
    metadata: {}
  })

  const limitHeaders = () => {
    remaining = Math.max(0, remaining - 1)
    return {
      "x-rate-limit": "700",
      "x-rate-limit-remaining": String(remaining),
      "ratelimit-limit": "700",
      "ratelimit-remaining": String(remaining),
      "ratelimit-reset": "60"
    }
  }
  const ok = (body: unknown, status = 200, headers: Record<string, string> = {}): Reply => ({ status, headers: { ...limitHeaders(), ...headers }, body })
  const notFound = (): Reply => ({ status: 404, body: { error: "RecordNotFound", description: "Not found" } })
  const invalid = (field: string, description: string, error = "InvalidValue"): Reply => ({
    status: 422,
    body: { error: "RecordInvalid", description: "Record validation errors", details: { [field]: [{ description, error }] } }
  })
  const badPage = (description: string): Reply => ({ status: 400, body: { error: "InvalidPaginationParameter", description } })

  // --- pagination ---------------------------------------------------------
  const encodeCursor = (key: string, position: number) => Buffer.from(`${key}|${position}`).toString("base64url")
  const decodeCursor = (key: string, cursor: string): number | undefined => {
    const [k, p] = Buffer.from(cursor, "base64url").toString("utf8").split("|")
    return k === key && p !== undefined && /^\d+$/.test(p) ? Number(p) : undefined
  }
  /** cursor pagination of `items` (`key` ties a cursor to its list and order) */
  const cursorPage = <A>(request: Incoming, key: string, items: ReadonlyArray<A>, maxSize: number): { page: Array<A>; meta: unknown; links: unknown } | Reply => {
    const size = S.intParam(request.query, "page[size]", maxSize)
    if (size === undefined || size > maxSize) return badPage(`page[size] is limited to ${maxSize}`)
    const after = request.query.get("page[after]")
    const before = request.query.get("page[before]")
    let start = 0
    let end: number
    if (after !== null) {
      const p = decodeCursor(key, after)
      if (p === undefined) return badPage("page[after] is not a valid cursor")
      start = p
      end = Math.min(items.length, start + size)
    } else if (before !== null) {
      const p = decodeCursor(key, before)
      if (p === undefined) return badPage("page[before] is not a valid cursor")
      end = p
      start = Math.max(0, end - size)
    } else end = Math.min(items.length, size)
    const page = items.slice(start, end)
    const link = (name: string, cursor: string) => {
      const query = new URLSearchParams(request.query)
      query.delete("page[after]")
      query.delete("page[before]")
      query.set(name, cursor)
      return `${request.origin}${request.path}?${query.toString()}`
    }
    const afterCursor = page.length === 0 ? null : encodeCursor(key, end)
    const beforeCursor = page.length === 0 ? null : encodeCursor(key, start)
    return {
      page,
      meta: { has_more: end < items.length, after_cursor: afterCursor, before_cursor: beforeCursor },
      links: { next: afterCursor === null ? null : link("page[after]", afterCursor), prev: beforeCursor === null ? null : link("page[before]", beforeCursor) }
    }
  }
  /** offset pagination of `items` */
  const offsetPage = <A>(request: Incoming, items: ReadonlyArray<A>, limit = Infinity): { page: Array<A>; next_page: string | null; previous_page: string | null; count: number } | Reply => {
    const perPage = S.intParam(request.query, "per_page", 100)
    const page = S.intParam(request.query, "page", 1)
    if (perPage === undefined || page === undefined) return badPage("page and per_page must be positive integers")
    const size = Math.min(perPage, 100)
    if (page * size > limit) return { status: 422, body: { error: "invalid", description: "Invalid search: Requested response size was greater than Search Response Limits" } }
    const at = (n: number) => {
      const query = new URLSearchParams(request.query)
      query.set("page", String(n))
      return `${request.origin}${request.path}?${query.toString()}`
    }
    const reachable = Math.min(items.length, limit)
    return {
      page: items.slice((page - 1) * size, Math.min(page * size, reachable)),
      next_page: page * size < reachable ? at(page + 1) : null,
      previous_page: page > 1 ? at(page - 1) : null,
      count: items.length
    }
  }

  const SORTS = ["id", "updated_at", "created_at", "status", "priority"]
  /** sorted by `sort` (a field, `-` for descending, ties by id); undefined for an unknown field */
  const sortTickets = (list: Array<StoredTicket>, sort: string): Array<StoredTicket> | undefined => {
    const desc = sort.startsWith("-")
    const field = desc ? sort.slice(1) : sort
    if (!SORTS.includes(field)) return undefined
    const key = (t: StoredTicket): number =>
      field === "id" ? t.id : field === "updated_at" ? t.updatedAt : field === "created_at" ? t.createdAt : field === "status" ? STATUSES.indexOf(t.status) : t.priority === null ? -1 : PRIORITIES.indexOf(t.priority)
    return list.sort((a, b) => (desc ? -1 : 1) * (key(a) - key(b)) || a.id - b.id)
  }

  // --- search -------------------------------------------------------------
  const ORDERED: Record<string, ReadonlyArray<string>> = { status: STATUSES, priority: PRIORITIES }
  const compare = (op: string, a: number, b: number) => (op === ":" ? a === b : op === ">" ? a > b : op === "<" ? a < b : op === ">=" ? a >= b : a <= b)
  /** the matcher of a search query, or an error text */
  const parseQuery = (query: string): ((t: StoredTicket) => boolean) | string => {
    const tokens = query.match(/-?[a-z_]+(?:>=|<=|:|>|<)(?:"[^"]*"|\S+)|"[^"]*"|\S+/gi) ?? []
    const byField = new Map<string, Array<(t: StoredTicket) => boolean>>()
    const negations: Array<(t: StoredTicket) => boolean> = []
    const words: Array<string> = []
    for (const token of tokens) {
      const m = /^(-?)([a-z_]+)(>=|<=|:|>|<)(?:"([^"]*)"|(\S+))$/i.exec(token)
      if (m === null) {
        words.push(token.replace(/^"|"$/g, "").toLowerCase())
        continue
      }
      const [, neg, rawKey, op] = m
      const key = rawKey!.toLowerCase()
      const value = (m[4] ?? m[5]!).toLowerCase()
      let test: ((t: StoredTicket) => boolean) | undefined
      switch (key) {
        case "type":
          if (value !== "ticket") test = () => false
          break
        case "status":
        case "priority": {
          const order = ORDERED[key]!
          const wanted = order.indexOf(value)
          if (wanted < 0) return `unknown ${key} ${JSON.stringify(value)}`
          test = (t) => {
            const v = key === "status" ? t.status : t.priority
            return v !== null && compare(op!, order.indexOf(v), wanted)
          }
          break
        }
        case "group_id":
          test = (t) => String(t.groupId) === value
          break
        case "group":
          test = (t) => (value === "none" ? t.groupId === null : t.groupId !== null && groups.get(t.groupId)?.toLowerCase() === value)
          break
        case "assignee_id":
          test = (t) => String(t.assigneeId) === value
          break
        case "assignee":
          test = (t) => (value === "none" ? t.assigneeId === null : t.assigneeId !== null && agents.get(t.assigneeId)?.toLowerCase() === value)
          break
        case "requester_id":
          test = (t) => String(t.requesterId) === value
          break
        case "tags":
        case "tag":
          test = (t) => t.tags.includes(value)
          break
        case "subject":
          test = (t) => t.subject.toLowerCase().includes(value)
          break
        case "created":
        case "updated": {
          const at = S.parseIso(value.toUpperCase())
          if (at === undefined) return `invalid date ${JSON.stringify(value)}`
          const dateOnly = value.length === 10
          test = (t) => {
            const v = key === "created" ? t.createdAt : t.updatedAt
            return op === ":" && dateOnly ? Math.floor(v / DAY) === Math.floor(at / DAY) : compare(op!, dateOnly ? Math.floor(v / DAY) * DAY : Math.floor(v / 1000) * 1000, at)
          }
          break
        }
        default:
          words.push(token.toLowerCase())
      }
      if (test === undefined) continue
      if (neg === "-") negations.push((t) => !test(t))
      else byField.set(key, [...(byField.get(key) ?? []), test])
    }
    const text = (t: StoredTicket) => [t.subject, ...t.comments.map(plain)].join("\n").toLowerCase()
    return (t) =>
      [...byField.values()].every((alternatives) => alternatives.some((f) => f(t))) &&
      negations.every((f) => f(t)) &&
      words.every((w) => text(t).includes(w))
  }

  const searchFiltered = (request: Incoming): Array<StoredTicket> | Reply => {
    const query = request.query.get("query")
    if (query === null || query.trim() === "") return { status: 400, body: { error: "InvalidSearchQuery", description: "The query parameter is required" } }
    const matcher = parseQuery(query)
    if (typeof matcher === "string") return { status: 400, body: { error: "InvalidSearchQuery", description: `Invalid search: ${matcher}` } }
    const sortBy = request.query.get("sort_by")
    const order = request.query.get("sort_order") === "asc" ? "" : "-"
    const field = sortBy === "updated_at" || sortBy === "created_at" || sortBy === "priority" || sortBy === "status" ? sortBy : "id"
    return sortTickets([...tickets.values()].filter(matcher), `${order}${field}`)!
  }

  // --- writes -------------------------------------------------------------
  /** checks and applies `ticket.*` to a copy; a Reply when refused */
  const applyTicket = (t: StoredTicket, data: Record<string, unknown>, creating: boolean): Reply | undefined => {
    if (!creating && t.status === "closed") return invalid("status", "Status: closed prevents ticket update", "ClosedTicket")
    if ("subject" in data) {
      if (typeof data.subject !== "string") return invalid("subject", "Subject: is invalid")
      t.subject = data.subject
    }
    if ("status" in data) {
      const s = typeof data.status === "string" ? data.status.toLowerCase() : data.status
      if (!STATUSES.includes(s as Status)) return invalid("status", `Status: ${JSON.stringify(data.status)} is not a valid status`)
      if (s === "new" && !creating && t.status !== "new") return invalid("status", "Status: cannot be set back to new")
      t.status = s as Status
    }
    if ("priority" in data) {
      const p = data.priority === "" ? null : typeof data.priority === "string" ? data.priority.toLowerCase() : data.priority
      if (p !== null && !PRIORITIES.includes(p as Priority)) return invalid("priority", `Priority: ${JSON.stringify(data.priority)} is not a valid priority`)
      t.priority = p as Priority | null
    }
    if ("group_id" in data) {
      if (data.group_id !== null && !(typeof data.group_id === "number" && groups.has(data.group_id))) return invalid("group_id", "Group: is invalid")
      t.groupId = data.group_id as number | null
    }
    if ("assignee_id" in data) {
      if (data.assignee_id !== null && !(typeof data.assignee_id === "number" && agents.has(data.assignee_id))) return invalid("assignee_id", "Assignee: is not an agent")
      t.assigneeId = data.assignee_id as number | null
    }
    if ("tags" in data) {
      if (!Array.isArray(data.tags) || data.tags.some((x) => typeof x !== "string")) return invalid("tags", "Tags: is invalid")
      t.tags = [...new Set((data.tags as Array<string>).flatMap((x) => x.toLowerCase().split(/\s+/)).filter((x) => x !== ""))]
    }
    if ("type" in data) {
      if (data.type !== null && !["problem", "incident", "question", "task"].includes(String(data.type))) return invalid("type", "Type: is invalid")
      t.type = data.type as string | null
    }
    if ("comment" in data) {
      const c = data.comment
      if (!S.isObject(c)) return invalid("comment", "Comment: is invalid")
      const html = typeof c.html_body === "string"
      const body = html ? c.html_body : c.body
      if (typeof body !== "string" || body.trim() === "") return invalid(creating ? "description" : "comment", creating ? "Description: cannot be blank" : "Comment: cannot be blank", "BlankValue")
      const pub = c.public === undefined ? true : c.public === true || c.public === "true" ? true : c.public === false || c.public === "false" ? false : undefined
      if (pub === undefined) return invalid("comment", "Comment: public is invalid")
      t.comments.push({ id: nextComment++, authorId: typeof c.author_id === "number" ? c.author_id : 9001, body, html, public: pub, createdAt: now() })
    } else if (creating) return invalid("description", "Description: cannot be blank", "BlankValue")
    t.updatedAt = now()
    return undefined
  }

  /** the `ticket` object of a request body, or the answer refusing it */
  const envelope = (request: Incoming): { readonly ticket: Record<string, unknown> } | { readonly refused: Reply } => {
    const data = S.parseJson(request.rawBody)
    if (data === undefined) return { refused: { status: 400, body: { error: "Unprocessable", description: "The request body is not valid JSON" } } }
    if (!S.isObject(data) || !S.isObject(data.ticket)) return { refused: { status: 400, body: { error: "ParameterMissing", description: "param is missing or the value is empty: ticket" } } }
    return { ticket: data.ticket }
  }

  const audit = (t: StoredTicket) => ({ id: nextAudit++, ticket_id: t.id, created_at: S.isoSeconds(t.updatedAt), author_id: 9001, events: [] })

  const update = (request: Incoming, t: StoredTicket): Reply => {
    const parsed = envelope(request)
    if ("refused" in parsed) return parsed.refused
    const data = parsed.ticket
    const copy: StoredTicket = { ...t, tags: [...t.tags], comments: [...t.comments] }
    const refused = applyTicket(copy, data, false)
    if (refused !== undefined) return refused
    t.comments.push(...copy.comments.slice(t.comments.length))
    Object.assign(t, { ...copy, comments: t.comments })
    writes.push({ method: request.method, path: request.path, body: S.parseJson(request.rawBody) })
    return ok({ ticket: ticketOut(request.origin, t), audit: audit(t) })
  }

  const create = (request: Incoming): Reply => {
    const parsed = envelope(request)
    if ("refused" in parsed) return parsed.refused
    const data = parsed.ticket
    let requesterId = 7001
    if (typeof data.requester_id === "number") requesterId = data.requester_id
    else if (S.isObject(data.requester) && typeof data.requester.email === "string") {
      const mail = data.requester.email.toLowerCase()
      if (!requesters.has(mail)) requesters.set(mail, 7000 + requesters.size + 1)
      requesterId = requesters.get(mail)!
    }
    const at = now()
    const t: StoredTicket = { id: nextTicket, subject: "", status: "new", priority: null, groupId: null, assigneeId: null, requesterId, tags: [], type: null, createdAt: at, updatedAt: at, comments: [] }
    const refused = applyTicket(t, data, true)
    if (refused !== undefined) return refused
    if (t.subject === "") t.subject = (t.comments[0]?.body ?? "").slice(0, 60)
    nextTicket++
    tickets.set(t.id, t)
    writes.push({ method: request.method, path: request.path, body: S.parseJson(request.rawBody) })
    return ok({ ticket: ticketOut(request.origin, t), audit: audit(t) }, 201, { location: `${request.origin}${API}/tickets/${t.id}.json` })
  }

  // --- routing ------------------------------------------------------------
  const handler = (request: Incoming): Reply => {
    const credentials = S.basicCredentials(request.headers.authorization)
    if (credentials === undefined || credentials.user !== `${email}/token` || credentials.password !== token) {
      return { status: 401, headers: { "www-authenticate": 'Basic realm="Web Password"' }, body: { error: "Couldn't authenticate you" } }
    }
    if (!request.path.startsWith(`${API}/`)) return { status: 404, body: { error: "InvalidEndpoint", description: "Not found" } }
    const path = request.path.slice(API.length)
    const { method } = request
    if (path === "/tickets.json") {
      if (method === "POST") return create(request)
      if (method !== "GET") return notFound()
      const sorted = sortTickets([...tickets.values()], request.query.get("sort") ?? "id")
      if (sorted === undefined) return { status: 400, body: { error: "InvalidPaginationParameter", description: "sort is not valid" } }
      if (request.query.has("page[size]")) {
        const r = cursorPage(request, `tickets:${request.query.get("sort") ?? "id"}`, sorted, 100)
        if ("status" in r) return r
        return ok({ tickets: r.page.map((t) => ticketOut(request.origin, t)), meta: r.meta, links: r.links })
      }
      const r = offsetPage(request, sorted)
      if ("status" in r) return r
      return ok({ tickets: r.page.map((t) => ticketOut(request.origin, t)), next_page: r.next_page, previous_page: r.previous_page, count: r.count })
    }
    if (path === "/search.json" && method === "GET") {
      const found = searchFiltered(request)
      if (!Array.isArray(found)) return found
      const r = offsetPage(request, found, 1000)
      if ("status" in r) return r
      return ok({ results: r.page.map((t) => ({ ...ticketOut(request.origin, t), result_type: "ticket" })), facets: null, next_page: r.next_page, previous_page: r.previous_page, count: r.count })
    }
    if (path === "/search/export.json" && method === "GET") {
      if (request.query.get("filter[type]") === null) return { status: 400, body: { error: "InvalidSearchQuery", description: "filter[type] is required" } }
      const found = searchFiltered(request)
      if (!Array.isArray(found)) return found
      const r = cursorPage(request, `export:${request.query.get("query")}`, request.query.get("filter[type]") === "ticket" ? found : [], 1000)
      if ("status" in r) return r
      return ok({ results: r.page.map((t) => ({ ...ticketOut(request.origin, t), result_type: "ticket" })), facets: null, meta: r.meta, links: r.links })
    }
    const m = /^\/tickets\/(\d+)(\/comments)?\.json$/.exec(path)
    const t = m === null ? undefined : tickets.get(Number(m[1]))
    if (m === null || t === undefined) return notFound()
    if (m[2] !== undefined) {
      if (method !== "GET") return notFound()
      const ordered = request.query.get("sort_order") === "desc" ? [...t.comments].reverse() : t.comments
      if (request.query.has("page[size]")) {
        const r = cursorPage(request, `comments:${t.id}:${request.query.get("sort_order") ?? "asc"}`, ordered, 100)
        if ("status" in r) return r
        return ok({ comments: r.page.map(commentOut), meta: r.meta, links: r.links })
      }
      const r = offsetPage(request, ordered)
      if ("status" in r) return r
      return ok({ comments: r.page.map(commentOut), next_page: r.next_page, previous_page: r.previous_page, count: r.count })
    }
    if (method === "GET") return ok({ ticket: ticketOut(request.origin, t) })
    if (method === "PUT") return update(request, t)
    return notFound()
  }

  const running = await S.serve(handler)
  return {
    url: `${running.origin}${API}`,
    email,
    token,
    username: `${email}/token`,
    groups,
    agents,
    tickets,
    requests: running.requests,
    writes,
    faults: running.faults,
    rateLimit: (o = {}) =>
      running.faults.inject({
        times: o.times ?? 1,
        ...(o.path === undefined ? {} : { path: o.path }),
        reply: { status: 429, headers: { "retry-after": String(o.retryAfter ?? 1), "x-rate-limit": "700", "x-rate-limit-remaining": "0" }, body: "Too Many Requests" }
      }),
    close: running.close
  }
}
