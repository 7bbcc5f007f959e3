/**
 * A system double of Zammad's REST API v1 on node:http (127.0.0.1, ephemeral port), for the
 * adapter's tests where no Zammad runs. Each behaviour names the vendor source it follows:
 *
 * - [tickets-ctl] zammad/zammad app/controllers/tickets_controller.rb (index/show/create/update/search,
 *   `expand=true` adding `state`, `priority`, `group`, `owner`, `customer` names beside the ids,
 *   `page`/`per_page` paging, `sort_by`/`order_by`)
 * - [articles-ctl] zammad/zammad app/controllers/ticket_articles_controller.rb (`by_ticket`, create with
 *   `ticket_id`, `body`, `content_type`, `type`, `internal`)
 * - [api-doc] docs.zammad.org api/intro (token auth `Authorization: Token token=…`, basic auth; errors as
 *   `{"error": …, "error_human": …}`), api/ticket/index (ticket attributes, search), api/ticket/articles
 *   (content_type text/plain | text/html, `note` type, internal), api/ticket/states, priorities, groups
 * - [es-doc] Elasticsearch query_string syntax (Zammad passes the search query to it): field:value,
 *   field:(a OR b), ranges ["a" TO *], AND/OR/NOT, parentheses, quoted phrases, `*`, backslash escapes
 *
 * The double's own simplifications: free text matches when every word of a term occurs among the
 * words of the title or an article body (case-insensitive); a `*` alone matches everything.
 * Requiring `pending_time` with a pending state is an assumption of the double (Zammad's UI asks
 * for it), flagged as such.
 */
import * as http from "node:http"
import type { AddressInfo } from "node:net"

interface Row { id: number; title: string; group_id: number; state_id: number; priority_id: number; owner_id: number; customer_id: number; pending_time: string | null; created_at: string; updated_at: string }
interface ArticleRow { id: number; ticket_id: number; body: string; content_type: string; type: string; internal: boolean; sender: string; from: string; created_by_id: number; created_at: string }

export interface DoubleOptions {
  readonly token?: string
  readonly basic?: { readonly username: string; readonly password: string }
  /** priorities beyond Zammad's three (an admin may add them) */
  readonly extraPriorities?: ReadonlyArray<{ readonly id: number; readonly name: string }>
}

export interface Double {
  readonly url: string
  readonly token: string
  readonly tickets: Array<Row>
  readonly articles: Array<ArticleRow>
  readonly requests: Array<{ method: string; path: string; query: URLSearchParams; body: unknown }>
  /** the next N requests answer 429 with `Retry-After: seconds` */
  rateLimit(n: number, seconds: number): void
  close(): Promise<void>
}

// [api-doc] api/ticket/states: Zammad's default states and their state types
const STATES = [
  { id: 1, name: "new", state_type_id: 1, state_type: "new" },
  { id: 2, name: "open", state_type_id: 2, state_type: "open" },
  { id: 3, name: "pending reminder", state_type_id: 3, state_type: "pending reminder" },
  { id: 4, name: "closed", state_type_id: 5, state_type: "closed" },
  { id: 5, name: "merged", state_type_id: 6, state_type: "merged" },
  { id: 6, name: "removed", state_type_id: 7, state_type: "removed" },
  { id: 7, name: "pending close", state_type_id: 4, state_type: "pending action" }
].map((s) => ({ ...s, active: true }))
// [api-doc] api/ticket/priorities: "1 low", "2 normal", "3 high"
const PRIORITIES = [{ id: 1, name: "1 low" }, { id: 2, name: "2 normal" }, { id: 3, name: "3 high" }]
const GROUPS = [{ id: 1, name: "Users", active: true }, { id: 2, name: "Support", active: true }, { id: 3, name: "Billing", active: true }]
const USERS = new Map<number, string>([[1, "-"], [2, "agent@example.com"], [3, "customer@example.com"]])

// ---- query_string subset [es-doc] ------------------------------------------------------------
type Tok = { t: "op"; v: "AND" | "OR" | "NOT" | "(" | ")" } | { t: "term"; field?: string; v: string; phrase: boolean; star: boolean } | { t: "range"; field: string; from: string }

const tokenize = (q: string): Array<Tok> => {
  const out: Array<Tok> = []
  let i = 0
  const readWord = (): { v: string; star: boolean } => {
    let v = ""
    let star = false
    while (i < q.length && !/[\s()]/.test(q[i]!)) {
      if (q[i] === "\\" && i + 1 < q.length) { v += q[i + 1]; i += 2; continue }
      if (q[i] === "*") star = true
      if (q[i] === ":") break
      v += q[i]; i++
    }
    return { v, star }
  }
  const readPhrase = () => { let v = ""; i++; while (i < q.length && q[i] !== "\"") { if (q[i] === "\\") i++; v += q[i]; i++ } i++; return v }
  while (i < q.length) {
    const c = q[i]!
    if (/\s/.test(c)) { i++; continue }
    if (c === "(" || c === ")") { out.push({ t: "op", v: c }); i++; continue }
    if (c === "\"") { out.push({ t: "term", v: readPhrase(), phrase: true, star: false }); continue }
    const word = readWord()
    if (q[i] === ":") {
      i++
      if (q[i] === "[") {
        const end = q.indexOf("]", i)
        const from = q.slice(i + 1, end).split(" TO ")[0]!.trim().replace(/^"|"$/g, "")
        out.push({ t: "range", field: word.v, from }); i = end + 1; continue
      }
      if (q[i] === "(") {
        out.push({ t: "op", v: "(" }); i++
        const inner: Array<Tok> = []
        while (i < q.length && q[i] !== ")") {
          if (/\s/.test(q[i]!)) { i++; continue }
          const w = q[i] === "\"" ? { v: readPhrase(), star: false } : readWord()
          inner.push(w.v === "OR" || w.v === "AND" ? { t: "op", v: w.v } : { t: "term", field: word.v, v: w.v, phrase: false, star: w.star })
        }
        i++
        out.push(...inner, { t: "op", v: ")" }); continue
      }
      const value = q[i] === "\"" ? { v: readPhrase(), star: false } : readWord()
      out.push({ t: "term", field: word.v, v: value.v, phrase: false, star: value.star }); continue
    }
    if (word.v === "AND" || word.v === "OR" || word.v === "NOT") out.push({ t: "op", v: word.v })
    else if (word.v === "&&") out.push({ t: "op", v: "AND" })
    else if (word.v === "||") out.push({ t: "op", v: "OR" })
    else out.push({ t: "term", v: word.v, phrase: false, star: word.star })
  }
  return out
}

type Pred = (row: Row) => boolean
const words = (s: string) => s.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((w) => w !== "")

const parse = (tokens: Array<Tok>, matchTerm: (tok: Tok & { t: "term" | "range" }) => Pred): Pred => {
  let p = 0
  const expr = (): Pred => {
    let left = and()
    while (tokens[p]?.t === "op" && (tokens[p] as { v: string }).v === "OR") { p++; const l = left, r = and(); left = (row) => l(row) || r(row) }
    return left
  }
  const and = (): Pred => {
    let left = unary()
    for (;;) {
      const tok = tokens[p]
      if (tok === undefined || (tok.t === "op" && (tok.v === "OR" || tok.v === ")"))) return left
      if (tok.t === "op" && tok.v === "AND") p++
      const l = left, r = unary(); left = (row) => l(row) && r(row) // default operator AND
    }
  }
  const unary = (): Pred => {
    const tok = tokens[p++]
    if (tok === undefined) return () => true
    if (tok.t === "op" && tok.v === "NOT") { const inner = unary(); return (row) => !inner(row) }
    if (tok.t === "op" && tok.v === "(") { const inner = expr(); p++; return inner }
    if (tok.t === "op") return () => true
    return matchTerm(tok)
  }
  return expr()
}

// ---- the server ---------------------------------------------------------------------------------
export const start = async (options: DoubleOptions = {}): Promise<Double> => {
  const token = options.token ?? "zammad-double-token-0123456789"
  const priorities = [...PRIORITIES, ...(options.extraPriorities ?? [])].map((p) => ({ ...p, active: true }))
  const tickets: Array<Row> = []
  const articles: Array<ArticleRow> = []
  const requests: Double["requests"] = []
  let limited = 0
  let retryAfter = 1
  let clock = Date.parse("2026-01-01T00:00:00Z")
  const now = () => new Date(clock += 1000).toISOString()

  const textOf = (row: Row) => [row.title, ...articles.filter((a) => a.ticket_id === row.id).map((a) => a.body)].join(" ")
  const expanded = (row: Row) => ({
    ...row,
    number: String(31000 + row.id),
    state: STATES.find((s) => s.id === row.state_id)!.name,
    priority: priorities.find((p) => p.id === row.priority_id)!.name,
    group: GROUPS.find((g) => g.id === row.group_id)!.name,
    owner: USERS.get(row.owner_id) ?? "-",
    customer: USERS.get(row.customer_id) ?? "-"
  })
  const matchTerm = (tok: Tok & { t: "term" | "range" }): Pred => {
    if (tok.t === "range") return (row) => String((row as unknown as Record<string, unknown>)[tok.field]) >= tok.from
    if (tok.field === undefined) {
      if (tok.star && tok.v.replace(/\*/g, "") === "") return () => true
      const wanted = words(tok.v)
      return (row) => { const have = new Set(words(textOf(row))); return wanted.every((w) => have.has(w)) }
    }
    return (row) => {
      const e = expanded(row) as Record<string, unknown>
      const key = tok.field!.replace(/\.name$/, "")
      return String(e[key] ?? "").toLowerCase() === tok.v.toLowerCase()
    }
  }

  const authorised = (req: http.IncomingMessage): boolean => {
    // [api-doc] api/intro: "Authorization: Token token=…" or HTTP basic auth
    const header = req.headers.authorization ?? ""
    if (header === `Token token=${token}`) return true
    if (options.basic !== undefined && header.startsWith("Basic ")) {
      return Buffer.from(header.slice(6), "base64").toString() === `${options.basic.username}:${options.basic.password}`
    }
    return false
  }

  const server = http.createServer((req, res) => {
    const chunks: Array<Buffer> = []
    req.on("data", (c: Buffer) => chunks.push(c))
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://x")
      const raw = Buffer.concat(chunks).toString()
      const body = raw === "" ? undefined : JSON.parse(raw)
      requests.push({ method: req.method ?? "GET", path: url.pathname, query: url.searchParams, body })
      const send = (status: number, json: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers })
        res.end(JSON.stringify(json))
      }
      if (limited > 0) { limited--; return send(429, { error: "Too many requests" }, { "retry-after": String(retryAfter) }) }
      // [api-doc] api/intro: 401 with an error object when the credentials are missing or wrong
      if (!authorised(req)) return send(401, { error: "authentication failed", error_human: "Authentication failed!" })
      route(req.method ?? "GET", url, body, send)
    })
  })

  const notFound = (send: (s: number, j: unknown) => void, id: string) =>
    // [tickets-ctl] ActiveRecord::RecordNotFound is answered 404 with the record's message
    send(404, { error: `Couldn't find Ticket with 'id'=${id}`, error_human: `Couldn't find Ticket with 'id'=${id}` })

  const checkRefs = (b: Record<string, unknown>): string | undefined => {
    // [tickets-ctl] unknown references and invalid values are answered 422 with the reason
    if (b.state_id !== undefined && !STATES.some((s) => s.id === b.state_id)) return "Couldn't find Ticket::State with 'id'=" + String(b.state_id)
    if (b.priority_id !== undefined && !priorities.some((p) => p.id === b.priority_id)) return "Couldn't find Ticket::Priority with 'id'=" + String(b.priority_id)
    if (b.group_id !== undefined && !GROUPS.some((g) => g.id === b.group_id)) return "Couldn't find Group with 'id'=" + String(b.group_id)
    const state = STATES.find((s) => s.id === b.state_id)
    // double's assumption: a pending state needs a pending_time
    if (state !== undefined && state.state_type.startsWith("pending") && typeof b.pending_time !== "string") return "Pending time is required for pending states"
    return undefined
  }

  const route = (method: string, url: URL, body: any, send: (s: number, j: unknown) => void) => {
    const path = url.pathname.replace(/^\/api\/v1/, "")
    let m: RegExpMatchArray | null
    if (method === "GET" && path === "/ticket_states") return send(200, STATES)
    if (method === "GET" && path === "/ticket_priorities") return send(200, priorities)
    if (method === "GET" && path === "/groups") return send(200, GROUPS)
    if (method === "GET" && path === "/tickets/search") {
      // [tickets-ctl] search: query, page/per_page, sort_by/order_by; expand=true gives an array of tickets
      const pred = parse(tokenize(url.searchParams.get("query") ?? ""), matchTerm)
      const perPage = Math.min(100, Number(url.searchParams.get("per_page") ?? 50))
      const page = Number(url.searchParams.get("page") ?? 1)
      const hits = tickets.filter(pred).sort((a, b) => a.id - b.id).slice((page - 1) * perPage, page * perPage)
      return send(200, url.searchParams.get("expand") === "true" ? hits.map(expanded) : { tickets: hits.map((t) => t.id), tickets_count: hits.length })
    }
    if ((m = path.match(/^\/tickets\/([^/]+)$/)) !== null && (method === "GET" || method === "PUT")) {
      const row = tickets.find((t) => String(t.id) === decodeURIComponent(m![1]!))
      if (row === undefined) return notFound(send, decodeURIComponent(m[1]!))
      if (method === "PUT") {
        const problem = checkRefs(body)
        if (problem !== undefined) return send(422, { error: problem, error_human: problem })
        for (const key of ["title", "state_id", "priority_id", "group_id", "owner_id", "pending_time"] as const) {
          if (body[key] !== undefined) (row as any)[key] = body[key]
        }
        row.updated_at = now()
      }
      return send(200, expanded(row))
    }
    if (method === "POST" && path === "/tickets") {
      if (typeof body?.title !== "string" || body.title === "") return send(422, { error: "Title can't be blank" })
      if (body.group_id === undefined) return send(422, { error: "Group can't be blank" })
      if (body.customer_id === undefined) return send(422, { error: "Customer can't be blank" })
      const problem = checkRefs(body)
      if (problem !== undefined) return send(422, { error: problem, error_human: problem })
      const at = now()
      const row: Row = {
        id: tickets.length + 1, title: body.title, group_id: body.group_id, state_id: body.state_id ?? 1, priority_id: body.priority_id ?? 2,
        owner_id: body.owner_id ?? 1, customer_id: typeof body.customer_id === "number" ? body.customer_id : 3,
        pending_time: body.pending_time ?? null, created_at: at, updated_at: at
      }
      tickets.push(row)
      if (body.article !== undefined) addArticle({ ...body.article, ticket_id: row.id })
      return send(201, expanded(row))
    }
    if ((m = path.match(/^\/ticket_articles\/by_ticket\/([^/]+)$/)) !== null && method === "GET") {
      const id = decodeURIComponent(m[1]!)
      if (!tickets.some((t) => String(t.id) === id)) return notFound(send, id)
      return send(200, articles.filter((a) => String(a.ticket_id) === id))
    }
    if (method === "POST" && path === "/ticket_articles") {
      // [articles-ctl] create: the ticket is looked up first (404 when unknown)
      const row = tickets.find((t) => t.id === body?.ticket_id)
      if (row === undefined) return notFound(send, String(body?.ticket_id))
      if (typeof body.body !== "string" || body.body === "") return send(422, { error: "Need at least article: body" })
      if (!["text/plain", "text/html"].includes(body.content_type)) return send(422, { error: "Content type is invalid" })
      row.updated_at = now()
      return send(201, addArticle(body))
    }
    return send(404, { error: `No route matches [${method}] ${url.pathname}` })
  }

  const addArticle = (b: any): ArticleRow => {
    const article: ArticleRow = {
      id: articles.length + 1, ticket_id: b.ticket_id, body: b.body, content_type: b.content_type ?? "text/plain", type: b.type ?? "note",
      internal: b.internal === true, sender: "Agent", from: "Agent Smith", created_by_id: 2, created_at: now()
    }
    articles.push(article)
    return article
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const port = (server.address() as AddressInfo).port
  return {
    url: `http://127.0.0.1:${port}`,
    token,
    tickets,
    articles,
    requests,
    rateLimit: (n, seconds) => { limited = n; retryAfter = seconds },
    close: () => new Promise((resolve) => server.close(() => resolve()))
  }
}
