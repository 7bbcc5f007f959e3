/**
 * Nimbus Desk: an ordinary invented help desk with an API shaped unlike the reference guide's, as
 * a real HTTP server on 127.0.0.1 (port 0). It answers like a real system: it validates what it
 * receives (types, ranges, unknown keys) and refuses what it does not understand with 422, needs
 * its own token header, and answers 429 with `Retry-After` on demand (before acting).
 *
 * ## API (under `/v2`)
 * All requests need `X-Nimbus-Token: <token>` (401 otherwise).
 *
 * | endpoint | answer |
 * |---|---|
 * | `GET /v2/tickets?limit=&cursor=&status=&team_id=&urgency=&updated_since=` | `{ data, paging: { next } }` (cursor pages; `next` null at the end) |
 * | `GET /v2/search?query=` (same filters and pages) | `{ data, paging: { next } }` |
 * | `GET /v2/tickets/{id}` | `{ ticket }`, or 404 |
 * | `POST /v2/tickets` `{ ticket: { subject, team_id, description_html?, status?, urgency?, tags?, assignee?, requester_email? } }` | 201, `{ ticket }` |
 * | `PATCH /v2/tickets/{id}` `{ ticket: { … } }` (partial) | 200, `{ ticket }` |
 * | `GET /v2/tickets/{id}/comments` | `{ data: [{ id, body_html, public, created_at, author: { name } }] }` |
 * | `POST /v2/tickets/{id}/comments` `{ body_html, public }` | 201, the comment |
 *
 * A ticket: `{ id, subject, description_html, status, urgency, team: { id, name }, tags: "a,b",
 * requester_email, assignee, created_at, updated_at }`: `urgency` 1–4, timestamps in epoch
 * seconds, `status` one of new, open, on_hold, solved, closed; `updated_since` epoch seconds.
 * Tags are written as one comma-separated string; the desk keeps them normalised (trimmed, empty
 * ones dropped, joined by ",") and refuses a tag with other characters than letters, digits,
 * `-`, `_` and `.` (as help desks restrict tags), so `"a;b"` or `"a b"` is refused, not stored.
 * Errors: `{ fault: { code, description } }`.
 *
 * With `conversations: true` every seeded ticket has a conversation, as a help desk in use has:
 * the requester's public message, then an agent's internal note (see {@link CONVERSATION}).
 */
import * as Effect from "effect/Effect"
import * as http from "node:http"
import type { AddressInfo } from "node:net"

export interface Team {
  readonly id: number
  readonly name: string
}

export interface StoredTicket {
  id: number
  subject: string
  description_html: string
  status: string
  urgency: number
  team: Team
  tags: string
  requester_email: string | null
  assignee: string | null
  created_at: number
  updated_at: number
}

export interface StoredComment {
  readonly id: number
  readonly body_html: string
  readonly public: boolean
  readonly created_at: number
  readonly author: { readonly name: string }
}

export interface NimbusDesk {
  /** the base URL, path included (`http://127.0.0.1:port/v2`) */
  readonly url: string
  readonly token: string
  readonly tickets: Map<number, StoredTicket>
  readonly comments: Map<number, Array<StoredComment>>
  /** every request, as `METHOD /path?query` */
  readonly requests: Array<string>
  /** every 422 answer's description */
  readonly refusals: Array<string>
  /**
   * the next `count` requests (that `match`, e.g. comment POSTs) are answered 429 with
   * `Retry-After: seconds`, before acting
   */
  readonly rateLimitNext: (count: number, seconds?: number, match?: (method: string, path: string) => boolean) => void
}

export const TEAMS: ReadonlyArray<Team> = [{ id: 1, name: "Support" }, { id: 2, name: "Billing" }, { id: 3, name: "Engineering" }]
const STATUSES = ["new", "open", "on_hold", "solved", "closed"]
/** the texts of a seeded conversation: the requester's public message, an agent's internal note */
export const CONVERSATION = {
  public: "Any news? The problem is still there this morning.",
  internal: "Checked the logs: waiting for the network team."
} as const

const TAG = /^[\p{L}\p{N}_.-]+$/u

/** the tags of a written comma-separated string, normalised; a tag with other characters is refused */
const normaliseTags = (written: string): string => {
  const tags = written.split(",").map((t) => t.trim()).filter((t) => t !== "")
  const bad = tags.find((t) => !TAG.test(t))
  if (bad !== undefined) {
    throw new Refused(422, "E_VALIDATION", `tags: ${JSON.stringify(bad)} is not a tag (letters, digits, -, _ and . only; tags are separated by commas)`)
  }
  return tags.join(",")
}

const TICKET_KEYS = new Set(["subject", "description_html", "status", "urgency", "team_id", "tags", "assignee", "requester_email"])

class Refused {
  constructor(readonly status: number, readonly code: string, readonly description: string) {}
}

const nowSeconds = () => Math.floor(Date.now() / 1000)

/** a seeded desk: `count` tickets, created over the last days */
const seed = (count: number): Map<number, StoredTicket> => {
  const tickets = new Map<number, StoredTicket>()
  const start = nowSeconds() - 30 * 86400
  const subjects = ["VPN drops every ten minutes", "Printer on floor 2 jammed", "Invoice 2026-0412 missing", "Password reset does not arrive"]
  for (let id = 1; id <= count; id++) {
    const created = start + id * 3600
    tickets.set(id, {
      id,
      subject: `${subjects[id % subjects.length]} (#${id})`,
      description_html: `<p>Reported by phone &amp; mail:<br>${subjects[id % subjects.length]!.toLowerCase()}.</p>`,
      status: STATUSES[id % 3]!,
      urgency: 1 + (id % 4),
      team: TEAMS[id % TEAMS.length]!,
      tags: id % 2 === 0 ? "vpn,network" : "",
      requester_email: `user${id}@example.test`,
      assignee: null,
      created_at: created,
      updated_at: created + 60
    })
  }
  return tickets
}

/** the answer's form of a ticket */
const wire = (t: StoredTicket) => ({ ...t, team: { ...t.team } })

const isInt = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v)
const describeValue = (v: unknown) => (typeof v === "string" ? `the string ${JSON.stringify(v)}` : JSON.stringify(v))

/** checks a ticket body (all keys of a creation, some of an update) and applies it */
const applyTicket = (input: unknown, target: StoredTicket, creating: boolean): void => {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw new Refused(422, "E_VALIDATION", "the body must be {\"ticket\": {…}}")
  }
  const t = input as Record<string, unknown>
  for (const key of Object.keys(t)) {
    if (!TICKET_KEYS.has(key)) throw new Refused(422, "E_VALIDATION", `${key}: unknown field`)
  }
  if (creating && (typeof t.subject !== "string" || t.team_id === undefined)) {
    throw new Refused(422, "E_VALIDATION", "subject and team_id are required")
  }
  if (t.subject !== undefined && (typeof t.subject !== "string" || t.subject.trim() === "")) {
    throw new Refused(422, "E_VALIDATION", `subject: expected a non-empty string, got ${describeValue(t.subject)}`)
  }
  if (t.description_html !== undefined && typeof t.description_html !== "string") {
    throw new Refused(422, "E_VALIDATION", `description_html: expected a string, got ${describeValue(t.description_html)}`)
  }
  if (t.status !== undefined && (typeof t.status !== "string" || !STATUSES.includes(t.status))) {
    throw new Refused(422, "E_VALIDATION", `status: expected one of ${STATUSES.join(", ")}, got ${describeValue(t.status)}`)
  }
  if (t.urgency !== undefined && (!isInt(t.urgency) || t.urgency < 1 || t.urgency > 4)) {
    throw new Refused(422, "E_VALIDATION", `urgency: expected an integer from 1 to 4, got ${describeValue(t.urgency)}`)
  }
  const team = t.team_id === undefined ? undefined : TEAMS.find((x) => x.id === t.team_id)
  if (t.team_id !== undefined && (!isInt(t.team_id) || team === undefined)) {
    throw new Refused(422, "E_VALIDATION", `team_id: expected the number of a team (1, 2 or 3), got ${describeValue(t.team_id)}`)
  }
  if (t.tags !== undefined && typeof t.tags !== "string") {
    throw new Refused(422, "E_VALIDATION", `tags: expected a comma-separated string, got ${describeValue(t.tags)}`)
  }
  const tags = t.tags === undefined ? undefined : normaliseTags(t.tags as string)
  if (t.assignee !== undefined && t.assignee !== null && typeof t.assignee !== "string") {
    throw new Refused(422, "E_VALIDATION", `assignee: expected a string or null, got ${describeValue(t.assignee)}`)
  }
  if (t.requester_email !== undefined && t.requester_email !== null && typeof t.requester_email !== "string") {
    throw new Refused(422, "E_VALIDATION", `requester_email: expected a string, got ${describeValue(t.requester_email)}`)
  }
  if (t.subject !== undefined) target.subject = t.subject as string
  if (t.description_html !== undefined) target.description_html = t.description_html as string
  if (t.status !== undefined) target.status = t.status as string
  if (t.urgency !== undefined) target.urgency = t.urgency as number
  if (team !== undefined) target.team = team
  if (tags !== undefined) target.tags = tags
  if (t.assignee !== undefined) target.assignee = t.assignee as string | null
  if (t.requester_email !== undefined) target.requester_email = t.requester_email as string | null
  target.updated_at = Math.max(nowSeconds(), target.updated_at)
}

const intParam = (query: URLSearchParams, name: string, min: number, max: number): number | undefined => {
  const value = query.get(name)
  if (value === null) return undefined
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new Refused(422, "E_VALIDATION", `${name}: expected an integer from ${min} to ${max}, got ${JSON.stringify(value)}`)
  }
  return Number(value)
}

/** the tickets matching the filters of a list or search, one cursor page of them */
const page = (desk: { tickets: Map<number, StoredTicket> }, query: URLSearchParams, text: string | undefined) => {
  const limit = intParam(query, "limit", 1, 50) ?? 25
  const cursor = query.get("cursor")
  let offset = 0
  if (cursor !== null) {
    const m = /^c_(\d+)$/.exec(cursor)
    if (m === null) throw new Refused(422, "E_VALIDATION", `cursor: unknown cursor ${JSON.stringify(cursor)}`)
    offset = Number(m[1])
  }
  const list = (name: string) => query.get(name)?.split(",").filter((s) => s !== "")
  const statuses = list("status")
  const teams = list("team_id")
  const urgencies = list("urgency")
  const since = intParam(query, "updated_since", 0, 4_000_000_000)
  for (const value of [...(teams ?? []), ...(urgencies ?? [])]) {
    if (!/^\d+$/.test(value)) throw new Refused(422, "E_VALIDATION", `expected numbers in team_id and urgency, got ${JSON.stringify(value)}`)
  }
  const matches = Array.from(desk.tickets.values()).filter((t) =>
    (statuses === undefined || statuses.includes(t.status)) &&
    (teams === undefined || teams.includes(String(t.team.id))) &&
    (urgencies === undefined || urgencies.includes(String(t.urgency))) &&
    (since === undefined || t.updated_at >= since) &&
    (text === undefined || `${t.subject} ${t.description_html}`.toLowerCase().includes(text.toLowerCase()))
  )
  const slice = matches.slice(offset, offset + limit)
  const next = offset + limit < matches.length ? `c_${offset + limit}` : null
  return { data: slice.map(wire), paging: { next } }
}

const readJson = (req: http.IncomingMessage): Promise<unknown> =>
  new Promise((resolve, reject) => {
    const chunks: Array<Buffer> = []
    req.on("data", (c: Buffer) => chunks.push(c))
    req.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8")
      if (text === "") return resolve(undefined)
      try {
        resolve(JSON.parse(text))
      } catch {
        reject(new Refused(400, "E_JSON", "the body is not JSON"))
      }
    })
    req.on("error", reject)
  })

/** a conversation on each ticket: the requester's public message, an agent's internal note */
const converse = (tickets: Map<number, StoredTicket>): { comments: Map<number, Array<StoredComment>>; next: number } => {
  const comments = new Map<number, Array<StoredComment>>()
  let next = 1
  for (const t of tickets.values()) {
    comments.set(t.id, [
      { id: next++, body_html: `<p>${CONVERSATION.public}</p>`, public: true, created_at: t.created_at + 30, author: { name: t.requester_email ?? "customer" } },
      { id: next++, body_html: `<p>${CONVERSATION.internal}</p>`, public: false, created_at: t.created_at + 60, author: { name: "agent.ana" } }
    ])
  }
  return { comments, next }
}

/**
 * starts a Nimbus Desk with `count` tickets (with a conversation each, if `conversations`);
 * stopped when the scope closes
 */
export const make = (options: { readonly tickets?: number; readonly token?: string; readonly conversations?: boolean } = {}) =>
  Effect.acquireRelease(
    Effect.async<{ readonly desk: NimbusDesk; readonly server: http.Server }>((resume) => {
      const token = options.token ?? "nimbus-token-4f9d2c"
      const tickets = seed(options.tickets ?? 40)
      const seeded = options.conversations === true ? converse(tickets) : { comments: new Map<number, Array<StoredComment>>(), next: 1 }
      const comments = seeded.comments
      const requests: Array<string> = []
      const refusals: Array<string> = []
      let limited = 0
      let retryAfter = 1
      let limitedMatch: (method: string, path: string) => boolean = () => true
      let nextId = tickets.size + 1
      let nextComment = seeded.next
      const handle = async (req: http.IncomingMessage): Promise<{ status: number; body: unknown; headers?: Record<string, string> }> => {
        const url = new URL(req.url ?? "/", "http://nimbus.invalid")
        requests.push(`${req.method} ${url.pathname}${url.search}`)
        if (req.headers["x-nimbus-token"] !== token) throw new Refused(401, "E_AUTH", "missing or wrong X-Nimbus-Token")
        if (limited > 0 && limitedMatch(req.method ?? "GET", url.pathname)) {
          limited--
          return { status: 429, body: { fault: { code: "E_RATE", description: "slow down" } }, headers: { "retry-after": String(retryAfter) } }
        }
        const path = url.pathname
        const body = req.method === "POST" || req.method === "PATCH" ? await readJson(req) : undefined
        if (req.method === "GET" && path === "/v2/tickets") return { status: 200, body: page({ tickets }, url.searchParams, undefined) }
        if (req.method === "GET" && path === "/v2/search") {
          return { status: 200, body: page({ tickets }, url.searchParams, url.searchParams.get("query") ?? "") }
        }
        if (req.method === "POST" && path === "/v2/tickets") {
          const ticket: StoredTicket = {
            id: nextId,
            subject: "",
            description_html: "",
            status: "new",
            urgency: 2,
            team: TEAMS[0]!,
            tags: "",
            requester_email: null,
            assignee: null,
            created_at: nowSeconds(),
            updated_at: nowSeconds()
          }
          applyTicket((body as { ticket?: unknown } | undefined)?.ticket, ticket, true)
          tickets.set(nextId++, ticket)
          return { status: 201, body: { ticket: wire(ticket) } }
        }
        const one = /^\/v2\/tickets\/(\d+)(\/comments)?$/.exec(path)
        const ticket = one === null ? undefined : tickets.get(Number(one[1]))
        if (one === null) throw new Refused(404, "E_NOT_FOUND", `no route ${req.method} ${path}`)
        if (ticket === undefined) throw new Refused(404, "E_NOT_FOUND", `no ticket ${one[1]}`)
        if (one[2] === undefined) {
          if (req.method === "GET") return { status: 200, body: { ticket: wire(ticket) } }
          if (req.method === "PATCH") {
            const draft = { ...ticket }
            applyTicket((body as { ticket?: unknown } | undefined)?.ticket, draft, false)
            Object.assign(ticket, draft)
            return { status: 200, body: { ticket: wire(ticket) } }
          }
        } else {
          const list = comments.get(ticket.id) ?? []
          if (req.method === "GET") return { status: 200, body: { data: list } }
          if (req.method === "POST") {
            const c = body as Record<string, unknown> | undefined
            for (const key of Object.keys(c ?? {})) {
              if (key !== "body_html" && key !== "public") throw new Refused(422, "E_VALIDATION", `${key}: unknown field`)
            }
            if (typeof c?.body_html !== "string" || c.body_html.trim() === "") {
              throw new Refused(422, "E_VALIDATION", `body_html: expected a non-empty string, got ${describeValue(c?.body_html)}`)
            }
            if (typeof c.public !== "boolean") throw new Refused(422, "E_VALIDATION", `public: expected true or false, got ${describeValue(c.public)}`)
            const comment: StoredComment = { id: nextComment++, body_html: c.body_html, public: c.public, created_at: nowSeconds(), author: { name: "api" } }
            comments.set(ticket.id, [...list, comment])
            ticket.updated_at = Math.max(nowSeconds(), ticket.updated_at)
            return { status: 201, body: comment }
          }
        }
        throw new Refused(405, "E_METHOD", `${req.method} is not allowed on ${path}`)
      }
      const server = http.createServer((req, res) => {
        handle(req).then(
          (answer) => {
            res.writeHead(answer.status, { "content-type": "application/json", ...answer.headers })
            res.end(JSON.stringify(answer.body))
          },
          (error: unknown) => {
            const refused = error instanceof Refused ? error : new Refused(500, "E_INTERNAL", String(error))
            if (refused.status === 422) refusals.push(refused.description)
            res.writeHead(refused.status, { "content-type": "application/json" })
            res.end(JSON.stringify({ fault: { code: refused.code, description: refused.description } }))
          }
        )
      })
      server.listen(0, "127.0.0.1", () => {
        const port = (server.address() as AddressInfo).port
        resume(Effect.succeed({
          server,
          desk: {
            url: `http://127.0.0.1:${port}/v2`,
            token,
            tickets,
            comments,
            requests,
            refusals,
            rateLimitNext: (count, seconds = 1, match = () => true) => {
              limited = count
              retryAfter = seconds
              limitedMatch = match
            }
          }
        }))
      })
    }),
    ({ server }) => Effect.async<void>((resume) => {
      server.closeAllConnections()
      server.close(() => resume(Effect.void))
    })
  ).pipe(Effect.map(({ desk }) => desk))
