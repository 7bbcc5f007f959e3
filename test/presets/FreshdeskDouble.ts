/**
 * A system double of the Freshdesk REST API v2 (`/api/v2`) for the ticket endpoints a ticket
 * adapter uses, over real HTTP (node:http, 127.0.0.1, an ephemeral port). It follows Freshdesk's
 * published API reference (developers.freshdesk.com/api: authentication, pagination, rate limit,
 * error handling, tickets, filter tickets, conversations / notes); each behaviour below is
 * described in our own words.
 *
 * - auth: HTTP Basic with the API key as user name and any password (the documentation uses
 *   `X`); otherwise 401 `{ code: "invalid_credentials", message }`.
 * - list `GET /tickets`: only tickets **created in the last 30 days** unless `updated_since`
 *   (ISO 8601) is given, which keeps tickets updated at or after it; `filter=new_and_my_open`
 *   (open, unassigned or mine) / `watching` / `spam` / `deleted` (none here); `requester_id`;
 *   `order_by` created_at (default) / updated_at / due_by / status; `order_type` desc (default) /
 *   asc; `per_page` 1–100 (default 30); `page`; `include=description` adds `description` and
 *   `description_text` (absent otherwise). Next pages through an RFC 8288 `Link: <…>; rel="next"`
 *   header, absent on the last page. Unknown parameters and invalid values are 400.
 * - get `GET /tickets/{id}` with `description` (HTML) and `description_text`; an unknown id is
 *   404 with an **empty body**.
 * - update `PUT /tickets/{id}`: flat `{ subject, description, status, priority, group_id,
 *   responder_id, tags, type }`; `status` must be an integer 2–5 (open, pending, resolved,
 *   closed) and `priority` 1–4 (low, medium, high, urgent) — a string is refused
 *   (`datatype_mismatch`), another number too (`invalid_value`); unknown group or agent ids,
 *   unknown fields (`invalid_field`) likewise. Errors are 400 `{ description: "Validation
 *   failed", errors: [{ field, message, code }] }`, all of them at once; nothing is changed.
 * - create `POST /tickets` (201, `Location`): a requester (`email` or `requester_id`) and `subject`
 *   are required (`missing_field`); status defaults to 2, priority to 1.
 * - notes `POST /tickets/{id}/notes` (201): `body` (HTML) required; `private` a boolean,
 *   **true unless given**; answers the note with `body_text`.
 * - conversations `GET /tickets/{id}/conversations`: replies and notes, oldest first, each with
 *   `private`, `incoming`, `source` (0 reply, 2 note), `body` (HTML) and `body_text`; `page` /
 *   `per_page` with a Link header.
 * - filter `GET /search/tickets?query="…"`: the query enclosed in double quotes, at most 512
 *   characters; conditions `field:value`, `field:>value` (≥) and `field:<value` (≤) on `status`,
 *   `priority`, `group_id`, `agent_id`, `type`, `tag`, `created_at`, `updated_at`; numbers, `'strings'`,
 *   `null`; dates as `'YYYY-MM-DD'` (compared by UTC day); joined with AND / OR and parentheses.
 *   No free-text search. 30 results per page, `page` 1–10; answer `{ results, total }`, newest
 *   first. An invalid query or page is 400.
 * - rate limits: answers carry `X-RateLimit-Total`, `X-RateLimit-Remaining` and
 *   `X-RateLimit-Used-CurrentRequest`; {@link Double.rateLimit} injects 429 with `Retry-After`.
 * - timestamps are ISO 8601 UTC without milliseconds.
 */
import type { Incoming, Reply, SeenRequest, Write } from "./support.js"
import * as S from "./support.js"

/** a conversation (reply or note) as the double stores it */
export interface StoredConversation {
  readonly id: number
  /** HTML */
  readonly body: string
  readonly private: boolean
  readonly incoming: boolean
  /** 0 reply, 2 note */
  readonly source: 0 | 2
  readonly userId: number
  readonly createdAt: number
}

/** a ticket as the double stores it */
export interface StoredTicket {
  readonly id: number
  subject: string
  /** HTML */
  description: string
  status: number
  priority: number
  groupId: number | null
  responderId: number | null
  readonly requesterId: number
  tags: Array<string>
  type: string | null
  readonly createdAt: number
  updatedAt: number
  readonly conversations: Array<StoredConversation>
}

/** options of {@link start} */
export interface Options {
  /** the API key (default "fd_double_key") */
  readonly apiKey?: string
  readonly now?: () => number
}

/** the double and its controls */
export interface Double {
  /** `http://127.0.0.1:PORT/api/v2`: the adapter's base URL (with its path) */
  readonly url: string
  readonly apiKey: string
  /** the agent the API key belongs to */
  readonly agentId: number
  readonly groups: ReadonlyMap<number, string>
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

interface FieldError {
  readonly field: string
  readonly message: string
  readonly code: string
}

const validationFailed = (errors: ReadonlyArray<FieldError>): Reply => ({ status: 400, body: { description: "Validation failed", errors } })
const htmlToText = (html: string) => html.replace(/<br\s*\/?>/gi, "\n").replace(/<[^>]*>/g, "").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&").trim()
const typeName = (value: unknown) => (value === null ? "Null" : Array.isArray(value) ? "Array" : typeof value === "string" ? "String" : typeof value === "number" ? "Number" : typeof value === "boolean" ? "Boolean" : "Object")

/** an integer among `allowed`, or its field error */
const checkInt = (field: string, value: unknown, allowed: ReadonlyArray<number>): FieldError | undefined =>
  typeof value !== "number" || !Number.isInteger(value)
    ? { field, message: `Value set is of type ${typeName(value)}.It should be a/an Integer`, code: "datatype_mismatch" }
    : allowed.includes(value)
    ? undefined
    : { field, message: `It should be one of these values: '${allowed.join(",")}'`, code: "invalid_value" }

/** starts the double, seeded with a handful of tickets, replies and notes */
export const start = async (options: Options = {}): Promise<Double> => {
  const apiKey = options.apiKey ?? "fd_double_key"
  const now = options.now ?? Date.now
  const agentId = 43_000_001
  const groups = new Map([[43_100_001, "Support"], [43_100_002, "Billing"], [43_100_003, "Escalations"]])
  const agents = new Map([[agentId, "API Agent"], [43_000_002, "Second Agent"]])
  const tickets = new Map<number, StoredTicket>()
  const writes: Array<Write> = []
  let nextConversation = 44_000_001
  let remaining = 400

  const t0 = now()
  let nextTicket = 1
  const seed = (subject: string, f: { status: number; priority: number; group: number | null; age: number; touched: number; responder?: number; tags?: ReadonlyArray<string>; conversations?: ReadonlyArray<[string, "reply" | "public" | "private"]> }) => {
    const id = nextTicket++
    const createdAt = t0 - f.age * DAY
    tickets.set(id, {
      id, subject, description: `<div>${subject}. Please help.</div>`, status: f.status, priority: f.priority, groupId: f.group, responderId: f.responder ?? null,
      requesterId: 43_200_001, tags: [...(f.tags ?? [])], type: "Question", createdAt, updatedAt: t0 - f.touched * DAY,
      conversations: (f.conversations ?? []).map(([body, kind], i) => ({
        id: nextConversation++, body: `<div>${body}</div>`, private: kind === "private", incoming: kind === "reply", source: kind === "reply" ? 0 : 2,
        userId: kind === "reply" ? 43_200_001 : agentId, createdAt: createdAt + (i + 1) * 3_600_000
      }))
    })
  }
  seed("Printer on floor 2 jammed", { status: 2, priority: 3, group: 43_100_001, age: 5, touched: 1, responder: agentId, tags: ["printer"], conversations: [["It still jams.", "reply"], ["Toner checked.", "private"], ["A technician is on the way.", "public"]] })
  seed("Invoice 2026-0412 missing", { status: 3, priority: 2, group: 43_100_002, age: 12, touched: 4, tags: ["invoice"] })
  seed("VPN drops every hour", { status: 2, priority: 4, group: null, age: 2, touched: 2 })
  seed("Refund for double payment", { status: 4, priority: 1, group: 43_100_002, age: 20, touched: 10, tags: ["invoice", "refund"] })
  seed("Old laptop returned", { status: 5, priority: 2, group: 43_100_001, age: 90, touched: 3 })
  seed("Password reset link expired", { status: 2, priority: 2, group: 43_100_001, age: 45, touched: 40, responder: 43_000_002 })
  seed("Café menu shows garbage — UTF-8 ✓", { status: 3, priority: 1, group: 43_100_003, age: 1, touched: 1, tags: ["web"] })

  const ticketOut = (t: StoredTicket, withDescription: boolean) => ({
    cc_emails: [],
    fwd_emails: [],
    reply_cc_emails: [],
    fr_escalated: false,
    spam: false,
    email_config_id: null,
    group_id: t.groupId,
    priority: t.priority,
    requester_id: t.requesterId,
    responder_id: t.responderId,
    source: 2,
    company_id: null,
    status: t.status,
    subject: t.subject,
    to_emails: null,
    product_id: null,
    id: t.id,
    type: t.type,
    due_by: S.isoSeconds(t.createdAt + 3 * DAY),
    fr_due_by: S.isoSeconds(t.createdAt + DAY),
    is_escalated: false,
    custom_fields: {},
    created_at: S.isoSeconds(t.createdAt),
    updated_at: S.isoSeconds(t.updatedAt),
    tags: t.tags,
    ...(withDescription ? { description: t.description, description_text: htmlToText(t.description) } : {})
  })
  const conversationOut = (t: StoredTicket, c: StoredConversation) => ({
    id: c.id,
    body: c.body,
    body_text: htmlToText(c.body),
    incoming: c.incoming,
    private: c.private,
    user_id: c.userId,
    support_email: null,
    source: c.source,
    category: c.source === 0 ? 3 : 2,
    ticket_id: t.id,
    to_emails: [],
    from_email: null,
    cc_emails: [],
    bcc_emails: [],
    attachments: [],
    created_at: S.isoSeconds(c.createdAt),
    updated_at: S.isoSeconds(c.createdAt)
  })

  const limitHeaders = (cost: number) => {
    remaining = Math.max(0, remaining - cost)
    return { "x-ratelimit-total": "400", "x-ratelimit-remaining": String(remaining), "x-ratelimit-used-currentrequest": String(cost) }
  }
  const ok = (body: unknown, status = 200, headers: Record<string, string> = {}, cost = 1): Reply => ({ status, headers: { ...limitHeaders(cost), ...headers }, body })
  const notFound = (): Reply => ({ status: 404 })

  /** one page of `items` with the `Link: rel="next"` header */
  const paged = <A>(request: Incoming, items: ReadonlyArray<A>): { page: Array<A>; headers: Record<string, string> } | Reply => {
    const errors: Array<FieldError> = []
    const perPage = S.intParam(request.query, "per_page", 30)
    const page = S.intParam(request.query, "page", 1)
    if (perPage === undefined || perPage > 100) errors.push({ field: "per_page", message: "It should be a/an Positive Integer less than or equal to 100", code: "invalid_value" })
    if (page === undefined) errors.push({ field: "page", message: "It should be a/an Positive Integer", code: "invalid_value" })
    if (perPage === undefined || page === undefined || errors.length > 0) return validationFailed(errors)
    const headers: Record<string, string> = {}
    if (page * perPage < items.length) {
      const query = new URLSearchParams(request.query)
      query.set("page", String(page + 1))
      headers.link = `<${request.origin}${request.path}?${query.toString()}>; rel="next"`
    }
    return { page: items.slice((page - 1) * perPage, page * perPage), headers }
  }

  // --- list -----------------------------------------------------------------
  const LIST_PARAMS = ["filter", "requester_id", "email", "unique_external_id", "company_id", "updated_since", "order_by", "order_type", "include", "page", "per_page"]
  const list = (request: Incoming): Reply => {
    const q = request.query
    const errors: Array<FieldError> = []
    for (const key of new Set(q.keys())) if (!LIST_PARAMS.includes(key)) errors.push({ field: key, message: "Unexpected/invalid field in request", code: "invalid_field" })
    const filter = q.get("filter")
    if (filter !== null && !["new_and_my_open", "watching", "spam", "deleted"].includes(filter)) errors.push({ field: "filter", message: "It should be one of these values: 'new_and_my_open,watching,spam,deleted'", code: "invalid_value" })
    const sinceRaw = q.get("updated_since")
    const since = sinceRaw === null ? undefined : S.parseIso(sinceRaw)
    if (sinceRaw !== null && since === undefined) errors.push({ field: "updated_since", message: "It should be in the 'valid date time' format", code: "invalid_value" })
    const orderBy = q.get("order_by") ?? "created_at"
    if (!["created_at", "due_by", "updated_at", "status"].includes(orderBy)) errors.push({ field: "order_by", message: "It should be one of these values: 'created_at,due_by,updated_at,status'", code: "invalid_value" })
    const orderType = q.get("order_type") ?? "desc"
    if (!["asc", "desc"].includes(orderType)) errors.push({ field: "order_type", message: "It should be one of these values: 'asc,desc'", code: "invalid_value" })
    const include = q.get("include")
    if (include !== null && !include.split(",").every((i) => ["description", "requester", "stats", "company"].includes(i))) errors.push({ field: "include", message: "It should be one of these values: 'description,requester,stats,company'", code: "invalid_value" })
    if (errors.length > 0) return validationFailed(errors)
    const requester = q.get("requester_id")
    const matching = [...tickets.values()].filter((t) =>
      (since === undefined ? t.createdAt >= now() - 30 * DAY : t.updatedAt >= since) &&
      (filter === null || (filter === "new_and_my_open" && t.status === 2 && (t.responderId === null || t.responderId === agentId))) &&
      (requester === null || String(t.requesterId) === requester)
    )
    const key = (t: StoredTicket) => (orderBy === "updated_at" ? t.updatedAt : orderBy === "status" ? t.status : orderBy === "due_by" ? t.createdAt + 3 * DAY : t.createdAt)
    const sign = orderType === "asc" ? 1 : -1
    matching.sort((a, b) => sign * (key(a) - key(b)) || sign * (a.id - b.id))
    const r = paged(request, matching)
    if ("status" in r) return r
    const withDescription = include?.split(",").includes("description") ?? false
    return ok(r.page.map((t) => ticketOut(t, withDescription)), 200, r.headers, withDescription ? 3 : 1)
  }

  // --- filter (search) -------------------------------------------------------
  type Node = (t: StoredTicket) => boolean
  /** parses the filter query (without its quotes); a string is the reason it is invalid */
  const parseFilter = (text: string): Node | string => {
    const tokens = text.match(/\(|\)|[a-z_]+:[<>]?(?:'[^']*'|[^\s()]+)|\S+/gi) ?? []
    let at = 0
    const condition = (token: string): Node | string => {
      const m = /^([a-z_]+):([<>]?)(?:'([^']*)'|([^\s()]+))$/i.exec(token)
      if (m === null) return `unexpected ${JSON.stringify(token)}`
      const [, field, op] = m
      const quoted = m[3]
      const raw = quoted ?? m[4]!
      const pick: Record<string, (t: StoredTicket) => number | string | null | ReadonlyArray<string>> = {
        status: (t) => t.status,
        priority: (t) => t.priority,
        group_id: (t) => t.groupId,
        agent_id: (t) => t.responderId,
        type: (t) => t.type,
        tag: (t) => t.tags,
        created_at: (t) => t.createdAt,
        updated_at: (t) => t.updatedAt
      }
      const get = pick[field!]
      if (get === undefined) return `${field} is not a searchable field`
      if (field === "created_at" || field === "updated_at") {
        if (quoted === undefined || !/^\d{4}-\d{2}-\d{2}$/.test(quoted)) return `${field} takes a date as 'YYYY-MM-DD'`
        const day = Math.floor(S.parseIso(quoted)! / DAY)
        return (t) => {
          const d = Math.floor((get(t) as number) / DAY)
          return op === ">" ? d >= day : op === "<" ? d <= day : d === day
        }
      }
      if (raw === "null" && quoted === undefined) return (t) => { const v = get(t); return v === null || (Array.isArray(v) && v.length === 0) }
      if (field === "tag" || field === "type") {
        if (quoted === undefined || op !== "") return `${field} takes a 'quoted string'`
        return (t) => { const v = get(t); return Array.isArray(v) ? v.includes(quoted) : v === quoted }
      }
      if (!/^\d+$/.test(raw) || quoted !== undefined) return `${field} takes a number`
      const n = Number(raw)
      return (t) => { const v = get(t) as number | null; return v !== null && (op === ">" ? v >= n : op === "<" ? v <= n : v === n) }
    }
    const factor = (): Node | string => {
      const token = tokens[at++]
      if (token === undefined) return "the query ends too early"
      if (token === "(") {
        const inner = expression()
        if (typeof inner === "string") return inner
        if (tokens[at++] !== ")") return "a parenthesis is not closed"
        return inner
      }
      return condition(token)
    }
    const term = (): Node | string => {
      let left = factor()
      while (typeof left !== "string" && tokens[at] === "AND") {
        at++
        const right = factor()
        if (typeof right === "string") return right
        const l = left
        left = (t) => l(t) && right(t)
      }
      return left
    }
    const expression = (): Node | string => {
      let left = term()
      while (typeof left !== "string" && tokens[at] === "OR") {
        at++
        const right = term()
        if (typeof right === "string") return right
        const l = left
        left = (t) => l(t) || right(t)
      }
      return left
    }
    const node = expression()
    if (typeof node !== "string" && at < tokens.length) return `unexpected ${JSON.stringify(tokens[at])}`
    return node
  }

  const filterTickets = (request: Incoming): Reply => {
    const query = request.query.get("query")
    const invalidQuery = (why: string) => validationFailed([{ field: "query", message: `Given query is invalid: ${why}`, code: "invalid_value" }])
    if (query === null) return validationFailed([{ field: "query", message: "It should be a/an String", code: "missing_field" }])
    if (query.length > 514) return invalidQuery("it is longer than 512 characters")
    if (!/^".*"$/s.test(query) || query.length < 2) return invalidQuery("it must be enclosed in double quotes")
    const page = S.intParam(request.query, "page", 1)
    if (page === undefined || page > 10) return validationFailed([{ field: "page", message: "It should be a/an Positive Integer less than or equal to 10", code: "invalid_value" }])
    const node = parseFilter(query.slice(1, -1))
    if (typeof node === "string") return invalidQuery(node)
    const found = [...tickets.values()].filter(node).sort((a, b) => b.createdAt - a.createdAt || b.id - a.id)
    return ok({ results: found.slice((page - 1) * 30, page * 30).map((t) => ticketOut(t, true)), total: found.length })
  }

  // --- writes ---------------------------------------------------------------
  const UPDATABLE = ["subject", "description", "status", "priority", "group_id", "responder_id", "tags", "type"]
  /** the field errors of an update body (checked against the ticket being created or updated) */
  const checkTicket = (data: Record<string, unknown>, allowed: ReadonlyArray<string>): Array<FieldError> => {
    const errors: Array<FieldError> = []
    for (const key of Object.keys(data)) if (!allowed.includes(key)) errors.push({ field: key, message: "Unexpected/invalid field in request", code: "invalid_field" })
    for (const key of ["subject", "description", "type"]) {
      if (key in data && typeof data[key] !== "string" && !(key === "type" && data[key] === null)) errors.push({ field: key, message: `Value set is of type ${typeName(data[key])}.It should be a/an String`, code: "datatype_mismatch" })
    }
    const add = (e: FieldError | undefined) => e !== undefined && errors.push(e)
    if ("status" in data) add(checkInt("status", data.status, [2, 3, 4, 5]))
    if ("priority" in data) add(checkInt("priority", data.priority, [1, 2, 3, 4]))
    if ("group_id" in data && data.group_id !== null) {
      if (typeof data.group_id !== "number") add({ field: "group_id", message: `Value set is of type ${typeName(data.group_id)}.It should be a/an Integer`, code: "datatype_mismatch" })
      else if (!groups.has(data.group_id)) add({ field: "group_id", message: "There is no group matching the given group_id", code: "invalid_value" })
    }
    if ("responder_id" in data && data.responder_id !== null) {
      if (typeof data.responder_id !== "number") add({ field: "responder_id", message: `Value set is of type ${typeName(data.responder_id)}.It should be a/an Integer`, code: "datatype_mismatch" })
      else if (!agents.has(data.responder_id)) add({ field: "responder_id", message: "There is no agent matching the given responder_id", code: "invalid_value" })
    }
    if ("tags" in data && (!Array.isArray(data.tags) || data.tags.some((x) => typeof x !== "string"))) add({ field: "tags", message: "It should be a/an Array of String", code: "datatype_mismatch" })
    return errors
  }
  const assign = (t: StoredTicket, data: Record<string, unknown>) => {
    if ("subject" in data) t.subject = data.subject as string
    if ("description" in data) t.description = data.description as string
    if ("status" in data) t.status = data.status as number
    if ("priority" in data) t.priority = data.priority as number
    if ("group_id" in data) t.groupId = data.group_id as number | null
    if ("responder_id" in data) t.responderId = data.responder_id as number | null
    if ("tags" in data) t.tags = [...new Set(data.tags as Array<string>)]
    if ("type" in data) t.type = data.type as string | null
    t.updatedAt = now()
  }
  const jsonBody = (request: Incoming): { readonly data: Record<string, unknown> } | { readonly refused: Reply } => {
    const data = S.parseJson(request.rawBody)
    return S.isObject(data) ? { data } : { refused: { status: 400, body: { code: "invalid_json", message: "Request body has invalid json format" } } }
  }

  const update = (request: Incoming, t: StoredTicket): Reply => {
    const parsed = jsonBody(request)
    if ("refused" in parsed) return parsed.refused
    const errors = checkTicket(parsed.data, UPDATABLE)
    if (errors.length > 0) return validationFailed(errors)
    assign(t, parsed.data)
    writes.push({ method: request.method, path: request.path, body: parsed.data })
    return ok(ticketOut(t, true))
  }

  const create = (request: Incoming): Reply => {
    const parsed = jsonBody(request)
    if ("refused" in parsed) return parsed.refused
    const data = parsed.data
    const errors = checkTicket(data, [...UPDATABLE, "email", "requester_id", "name", "source"])
    if (!("email" in data) && !("requester_id" in data)) errors.push({ field: "requester_id", message: "Please fill at least 1 of email, mobile, phone, requester_id, twitter_id, unique_external_id fields", code: "missing_field" })
    if (!("subject" in data)) errors.push({ field: "subject", message: "It should be a/an String", code: "missing_field" })
    if (errors.length > 0) return validationFailed(errors)
    const at = now()
    const t: StoredTicket = {
      id: Math.max(0, ...tickets.keys()) + 1, subject: "", description: "", status: 2, priority: 1, groupId: null, responderId: null,
      requesterId: typeof data.requester_id === "number" ? data.requester_id : 43_200_002, tags: [], type: null, createdAt: at, updatedAt: at, conversations: []
    }
    assign(t, data)
    tickets.set(t.id, t)
    writes.push({ method: request.method, path: request.path, body: data })
    return ok(ticketOut(t, true), 201, { location: `${request.origin}${API}/tickets/${t.id}` })
  }

  const addNote = (request: Incoming, t: StoredTicket): Reply => {
    const parsed = jsonBody(request)
    if ("refused" in parsed) return parsed.refused
    const data = parsed.data
    const errors: Array<FieldError> = []
    for (const key of Object.keys(data)) if (!["body", "private", "incoming", "notify_emails", "user_id"].includes(key)) errors.push({ field: key, message: "Unexpected/invalid field in request", code: "invalid_field" })
    if (!("body" in data)) errors.push({ field: "body", message: "It should be a/an String", code: "missing_field" })
    else if (typeof data.body !== "string") errors.push({ field: "body", message: `Value set is of type ${typeName(data.body)}.It should be a/an String`, code: "datatype_mismatch" })
    else if (data.body.trim() === "") errors.push({ field: "body", message: "It should not be blank as this is a mandatory field", code: "invalid_value" })
    for (const key of ["private", "incoming"]) {
      if (key in data && typeof data[key] !== "boolean") errors.push({ field: key, message: `Value set is of type ${typeName(data[key])}.It should be a/an Boolean`, code: "datatype_mismatch" })
    }
    if (errors.length > 0) return validationFailed(errors)
    const note: StoredConversation = {
      id: nextConversation++, body: data.body as string, private: data.private !== false, incoming: data.incoming === true, source: 2,
      userId: typeof data.user_id === "number" ? data.user_id : agentId, createdAt: now()
    }
    t.conversations.push(note)
    t.updatedAt = note.createdAt
    writes.push({ method: request.method, path: request.path, body: data })
    const { source: _source, category: _category, from_email: _from, cc_emails: _cc, bcc_emails: _bcc, ...out } = conversationOut(t, note)
    return ok({ ...out, notified_to: [] }, 201)
  }

  // --- routing ----------------------------------------------------------------
  const handler = (request: Incoming): Reply => {
    const credentials = S.basicCredentials(request.headers.authorization)
    if (credentials === undefined || credentials.user !== apiKey) {
      return { status: 401, body: { code: "invalid_credentials", message: "You have to be logged in to perform this action." } }
    }
    if (!request.path.startsWith(`${API}/`)) return notFound()
    const path = request.path.slice(API.length)
    const { method } = request
    if (path === "/tickets") {
      if (method === "GET") return list(request)
      if (method === "POST") return create(request)
      return { status: 405, headers: { allow: "GET, POST" } }
    }
    if (path === "/search/tickets" && method === "GET") return filterTickets(request)
    const m = /^\/tickets\/([^/]+)(\/notes|\/conversations)?$/.exec(path)
    const t = m !== null && /^\d+$/.test(m[1]!) ? tickets.get(Number(m[1])) : undefined
    if (m === null || t === undefined) return notFound()
    if (m[2] === "/notes") return method === "POST" ? addNote(request, t) : { status: 405, headers: { allow: "POST" } }
    if (m[2] === "/conversations") {
      if (method !== "GET") return { status: 405, headers: { allow: "GET" } }
      const r = paged(request, t.conversations)
      if ("status" in r) return r
      return ok(r.page.map((c) => conversationOut(t, c)), 200, r.headers)
    }
    if (method === "GET") return ok(ticketOut(t, true))
    if (method === "PUT") return update(request, t)
    return { status: 405, headers: { allow: "GET, PUT, DELETE" } }
  }

  const running = await S.serve(handler)
  return {
    url: `${running.origin}${API}`,
    apiKey,
    agentId,
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
        reply: { status: 429, headers: { "retry-after": String(o.retryAfter ?? 1), "x-ratelimit-total": "400", "x-ratelimit-remaining": "0" }, body: { message: "You have exceeded the limit of requests per minute" } }
      }),
    close: running.close
  }
}
