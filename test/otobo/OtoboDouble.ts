/**
 * A system double of OTOBO 10/11 / Znuny 6/7's GenericInterface REST web service as the example
 * connector "GenericTicketConnectorREST" sets it up, over real HTTP (node:http, 127.0.0.1, an
 * ephemeral port). Each behaviour names the vendor file it follows (RotherOSS/otobo and
 * znuny/Znuny, described here in our own words):
 *
 * - routes and methods: development/webservices/GenericTicketConnectorREST (WADL/YAML): `/Session`
 *   POST, `/Ticket` POST (create), `/Ticket/:TicketID` GET (get) and PATCH (update); search at
 *   `/TicketSearch` (GET or POST) and `/Ticket` GET.
 * - transport: Kernel/GenericInterface/Transport/HTTP/REST.pm — the route's `:TicketID` and the
 *   query string become operation data, a JSON body is merged in; the answer is JSON with HTTP 200,
 *   operation errors included (`{ "Error": { "ErrorCode", "ErrorMessage" } }`, from
 *   Kernel/GenericInterface/Operation/Common.pm ReturnError).
 * - auth: Kernel/GenericInterface/Operation/Common.pm Auth — a `SessionID`, or `UserLogin` with
 *   `Password`; failing that the operation answers `<Operation>.AuthFail`.
 * - Kernel/GenericInterface/Operation/Session/SessionCreate.pm — `{ SessionID }`, or
 *   `SessionCreate.AuthFail` for wrong credentials; sessions expire (see {@link Double.expireSessions}).
 * - Kernel/GenericInterface/Operation/Ticket/TicketSearch.pm — ids only, as strings, sorted by
 *   `SortBy`/`OrderBy`, at most `Limit` (default 500); `{}` when nothing matches; `Title` with `*`
 *   and `%` as wildcards (case-insensitive, as MySQL compares), `StateType`, `Queues`,
 *   `QueueIDs`, `Priorities`, `TicketChangeTimeNewerDate`.
 * - Kernel/GenericInterface/Operation/Ticket/TicketGet.pm — `TicketID` a comma-separated list;
 *   any ticket not accessible (a missing one included) fails the whole request with
 *   `TicketGet.AccessDenied`; `DynamicFields: 1` adds `DynamicField: [{ Name, Value }]`,
 *   `AllArticles: 1` adds `Article` (with `ArticleLimit`, `ArticleOrder`).
 * - Kernel/GenericInterface/Operation/Ticket/TicketCreate.pm — `Ticket` and `Article` needed
 *   (`TicketCreate.MissingParameter`), Title/CustomerUser needed, Queue/State/Priority checked
 *   (`TicketCreate.InvalidParameter`); answers `{ TicketID, TicketNumber, ArticleID }`.
 * - Kernel/GenericInterface/Operation/Ticket/TicketUpdate.pm — a missing ticket is
 *   `TicketUpdate.AccessDenied`; an unknown state or priority `TicketUpdate.InvalidParameter`;
 *   an `Article` is added to the ticket.
 * - articles: OTOBO 10+ / Znuny 6+ `IsVisibleForCustomer` 0/1; with `legacyArticles` the older
 *   `ArticleType` (`note-internal` / `note-external`) instead.
 */
import * as http from "node:http"
import type { AddressInfo } from "node:net"

/** the path of the web service below the host */
export const SERVICE_PATH = "/otobo/nph-genericinterface.pl/Webservice/GenericTicketConnectorREST"

interface Article {
  ArticleID: number
  Subject: string
  Body: string
  ContentType: string
  IsVisibleForCustomer: number
  SenderType: string
  From: string
  CreateTime: string
  IncomingTime: number
}

interface StoredTicket {
  TicketID: number
  TicketNumber: string
  Title: string
  State: string
  Priority: string
  QueueID: number
  CustomerUserID: string
  Owner: string
  Created: string
  Changed: string
  PendingTime?: unknown
  DynamicFields: Record<string, unknown>
  Articles: Array<Article>
}

/** one request as the double saw it */
export interface SeenRequest {
  readonly method: string
  readonly url: string
  readonly body: string
  /** the operation it was routed to */
  readonly operation: string
}

/** the double and its controls */
export interface Double {
  /** the web service URL (the adapter's baseUrl) */
  readonly url: string
  readonly login: string
  readonly password: string
  readonly customerUser: string
  /** every request, in order */
  readonly requests: Array<SeenRequest>
  /** forgets every session (as if they timed out) */
  readonly expireSessions: () => void
  /** from now on, refuses every session id, even new ones (a session store that lost its mind) */
  readonly rejectSessions: () => void
  /** the tickets, by id */
  readonly tickets: Map<number, StoredTicket>
  readonly close: () => Promise<void>
}

const STATES: Record<string, string> = {
  "new": "new",
  "open": "open",
  "pending reminder": "pending reminder",
  "pending auto close+": "pending auto",
  "pending auto close-": "pending auto",
  "closed successful": "closed",
  "closed unsuccessful": "closed",
  "merged": "merged",
  "removed": "removed"
}
const PRIORITIES = ["1 very low", "2 low", "3 normal", "4 high", "5 very high"]
const QUEUES: Record<number, string> = { 1: "Postmaster", 2: "Raw", 3: "Junk", 4: "Misc" }

const pad = (n: number) => String(n).padStart(2, "0")
/** a time as OTOBO writes it (OTOBOTimeZone UTC) */
const stamp = (millis: number) => {
  const d = new Date(millis)
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`
}

const list = (value: unknown): Array<string> =>
  value === undefined || value === null || value === "" ? [] : Array.isArray(value) ? value.map(String) : [String(value)]

const error = (ErrorCode: string, ErrorMessage: string) => ({ Error: { ErrorCode, ErrorMessage } })

/** a LIKE pattern of TicketSearch's `Title` (`*` and `%` any text), case-insensitive */
const likeOf = (pattern: string) =>
  new RegExp(`^${pattern.split("").map((c) => (c === "*" || c === "%" ? ".*" : c.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))).join("")}$`, "is")

/** the double's state and the helpers of its operations */
interface Store {
  readonly options: { readonly legacyArticles?: boolean }
  readonly login: string
  readonly password: string
  readonly customerUser: string
  readonly sessions: Set<string>
  readonly tickets: Map<number, StoredTicket>
  readonly requests: Array<SeenRequest>
  nextTicket: number
  nextArticle: number
  sessionCounter: number
  rejectingSessions: boolean
  authenticate: (data: Record<string, unknown>) => boolean
  articleOut: (a: Article) => unknown
  ticketOut: (t: StoredTicket, data: Record<string, unknown>) => Record<string, unknown>
  checkArticle: (op: string, article: Record<string, unknown>) => ReturnType<typeof error> | undefined
  addArticle: (t: StoredTicket, article: Record<string, unknown>, now: number) => number
  queueOf: (ticket: Record<string, unknown>) => number | undefined
  stateOf: (ticket: Record<string, unknown>) => string | undefined
  priorityOf: (ticket: Record<string, unknown>) => string | undefined
}

const makeStore = (options: { readonly legacyArticles?: boolean }): Store => {
  const s = {
    options,
    login: "ticketkit-agent",
    password: "s3cr3t-Pa55word!",
    customerUser: "customer@example.com",
    sessions: new Set<string>(),
    tickets: new Map<number, StoredTicket>(),
    requests: [] as Array<SeenRequest>,
    nextTicket: 1,
    nextArticle: 1,
    sessionCounter: 0,
    rejectingSessions: false
  } as Store
  s.authenticate = (data: Record<string, unknown>): boolean => {
    if (typeof data.SessionID === "string" && data.SessionID !== "") return !s.rejectingSessions && s.sessions.has(data.SessionID)
    return data.UserLogin === s.login && data.Password === s.password
  }

  s.articleOut = (a: Article) =>
    s.options.legacyArticles === true
      ? { ...a, IsVisibleForCustomer: undefined, ArticleType: a.IsVisibleForCustomer === 1 ? "note-external" : "note-internal" }
      : a

  s.ticketOut = (t: StoredTicket, data: Record<string, unknown>) => {
    const out: Record<string, unknown> = {
      TicketID: t.TicketID, // numbers in TicketGet, as the POD shows
      TicketNumber: t.TicketNumber,
      Title: t.Title,
      State: t.State,
      StateID: Object.keys(STATES).indexOf(t.State) + 1,
      StateType: STATES[t.State],
      Priority: t.Priority,
      PriorityID: PRIORITIES.indexOf(t.Priority) + 1,
      Queue: QUEUES[t.QueueID],
      QueueID: t.QueueID,
      Owner: t.Owner,
      OwnerID: 2,
      CustomerUserID: t.CustomerUserID,
      Lock: "unlock",
      Created: t.Created,
      Changed: t.Changed
    }
    if (String(data.DynamicFields ?? "0") === "1" && Object.keys(t.DynamicFields).length > 0) {
      out.DynamicField = Object.entries(t.DynamicFields).map(([Name, Value]) => ({ Name, Value }))
    }
    if (String(data.AllArticles ?? "0") === "1") {
      let articles = [...t.Articles]
      if (data.ArticleOrder === "DESC") articles.reverse()
      const limit = Number(data.ArticleLimit ?? 0)
      if (limit > 0) articles = articles.slice(0, limit)
      if (articles.length > 0) out.Article = articles.map(s.articleOut)
    }
    return out
  }

  s.checkArticle = (op: string, article: Record<string, unknown>) => {
    for (const needed of ["Subject", "Body"]) {
      if (!article[needed]) return error(`${op}.MissingParameter`, `${op}: Article->${needed} parameter is missing!`)
    }
    if (!article.ContentType && !(article.MimeType && article.Charset)) {
      return error(`${op}.MissingParameter`, `${op}: Article->ContentType or Ticket->MimeType and Article->Charset parameters are required!`)
    }
    if (!["Internal", "Email", "Phone"].includes(String(article.CommunicationChannel ?? "Internal"))) {
      return error(`${op}.InvalidParameter`, `${op}: Article->CommunicationChannel or Article->CommunicationChannelID parameter is invalid or not supported!`)
    }
    return undefined
  }

  s.addArticle = (t: StoredTicket, article: Record<string, unknown>, now: number) => {
    const id = s.nextArticle++
    t.Articles.push({
      ArticleID: id,
      Subject: String(article.Subject),
      Body: String(article.Body),
      ContentType: String(article.ContentType ?? `${article.MimeType}; charset=${article.Charset}`),
      IsVisibleForCustomer: Number(article.IsVisibleForCustomer ?? 0) === 1 ? 1 : 0,
      SenderType: String(article.SenderType ?? "agent"),
      From: s.login,
      CreateTime: stamp(now),
      IncomingTime: Math.floor(now / 1000)
    })
    return id
  }

  s.queueOf = (ticket: Record<string, unknown>): number | undefined => {
    if (ticket.QueueID !== undefined) return QUEUES[Number(ticket.QueueID)] === undefined ? undefined : Number(ticket.QueueID)
    const found = Object.entries(QUEUES).find(([, name]) => name === ticket.Queue)
    return found === undefined ? undefined : Number(found[0])
  }
  s.stateOf = (ticket: Record<string, unknown>) =>
    ticket.StateID !== undefined ? Object.keys(STATES)[Number(ticket.StateID) - 1] : STATES[String(ticket.State)] === undefined ? undefined : String(ticket.State)
  s.priorityOf = (ticket: Record<string, unknown>) =>
    ticket.PriorityID !== undefined ? PRIORITIES[Number(ticket.PriorityID) - 1] : PRIORITIES.includes(String(ticket.Priority)) ? String(ticket.Priority) : undefined

  return s
}

// Session/SessionCreate.pm
const sessionCreate = (s: Store, data: Record<string, unknown>): unknown => {
  if (data.UserLogin !== s.login || data.Password !== s.password) return error("SessionCreate.AuthFail", "SessionCreate: Authorization failing!")
  const id = `sess${++s.sessionCounter}x${Math.random().toString(36).slice(2, 14)}`
  s.sessions.add(id)
  return { SessionID: id }
}

// Ticket/TicketSearch.pm
const ticketSearch = (s: Store, data: Record<string, unknown>): unknown => {
  if (!s.authenticate(data)) return error("TicketSearch.AuthFail", "TicketSearch: Authorization failing!")
  let found = [...s.tickets.values()]
  const titles = list(data.Title).map(likeOf)
  if (titles.length > 0) found = found.filter((t) => titles.some((re) => re.test(t.Title)))
  const types = list(data.StateType).map((s) => s.toLowerCase())
  if (types.length > 0) {
    found = found.filter((t) => {
      const type = STATES[t.State]!
      return types.includes(type) || (types.includes("open") && data.StateType === "Open" && !/^(closed|merged|removed)$/.test(type)) ||
        (types.includes("closed") && data.StateType === "Closed" && /^(closed|merged|removed)$/.test(type))
    })
  }
  const queues = list(data.Queues)
  if (queues.length > 0) found = found.filter((t) => queues.includes(QUEUES[t.QueueID]!))
  const queueIds = list(data.QueueIDs).map(Number)
  if (queueIds.length > 0) found = found.filter((t) => queueIds.includes(t.QueueID))
  const priorities = list(data.Priorities)
  if (priorities.length > 0) found = found.filter((t) => priorities.includes(t.Priority))
  if (typeof data.TicketChangeTimeNewerDate === "string") found = found.filter((t) => t.Changed >= String(data.TicketChangeTimeNewerDate))
  const by = String(data.SortBy ?? "Age")
  const up = String(data.OrderBy ?? "Down") === "Up"
  found.sort((a, b) => (by === "TicketNumber" ? a.TicketNumber.localeCompare(b.TicketNumber) : a.Created.localeCompare(b.Created) || a.TicketID - b.TicketID))
  if (!up) found.reverse()
  found = found.slice(0, Number(data.Limit ?? 500) || 500)
  return found.length === 0 ? {} : { TicketID: found.map((t) => String(t.TicketID)) }
}

// Ticket/TicketGet.pm
const ticketGet = (s: Store, data: Record<string, unknown>): unknown => {
  if (!s.authenticate(data)) return error("TicketGet.AuthFail", "TicketGet: Authorization failing!")
  const ids = Array.isArray(data.TicketID) ? data.TicketID.map(String) : String(data.TicketID ?? "").split(",").filter((s) => s !== "")
  if (ids.length === 0) return error("TicketGet.MissingParameter", "TicketGet: TicketID parameter is missing!")
  if (ids.some((id) => !s.tickets.has(Number(id)) || !/^\d+$/.test(id))) {
    return error("TicketGet.AccessDenied", "TicketGet: User does not have access to the ticket!")
  }
  return { Ticket: ids.map((id) => s.ticketOut(s.tickets.get(Number(id))!, data)) }
}

// Ticket/TicketCreate.pm
const ticketCreate = (s: Store, data: Record<string, unknown>): unknown => {
  if (!s.authenticate(data)) return error("TicketCreate.AuthFail", "TicketCreate: User could not be authenticated!")
  const ticket = data.Ticket as Record<string, unknown> | undefined
  const article = data.Article as Record<string, unknown> | undefined
  if (typeof ticket !== "object" || ticket === null) return error("TicketCreate.MissingParameter", "TicketCreate: Ticket parameter is missing or not valid!")
  if (typeof article !== "object" || article === null) return error("TicketCreate.MissingParameter", "TicketCreate: Article parameter is missing or not valid!")
  for (const needed of ["Title", "CustomerUser"]) {
    if (!ticket[needed]) return error("TicketCreate.MissingParameter", `TicketCreate: Ticket->${needed} parameter is missing!`)
  }
  const queue = s.queueOf(ticket)
  if (queue === undefined) return error("TicketCreate.InvalidParameter", "TicketCreate: Ticket->QueueID or Ticket->Queue parameter is invalid!")
  const state = s.stateOf(ticket)
  if (state === undefined) return error("TicketCreate.InvalidParameter", "TicketCreate: Ticket->StateID or Ticket->State parameter is invalid!")
  const priority = s.priorityOf(ticket)
  if (priority === undefined) return error("TicketCreate.InvalidParameter", "TicketCreate: Ticket->PriorityID or Ticket->Priority parameter is invalid!")
  const bad = s.checkArticle("TicketCreate", article)
  if (bad !== undefined) return bad
  const now = Date.now()
  const id = s.nextTicket++
  const t: StoredTicket = {
    TicketID: id,
    TicketNumber: `2026120210000${String(id).padStart(3, "0")}`,
    Title: String(ticket.Title).trim(),
    State: state,
    Priority: priority,
    QueueID: queue,
    CustomerUserID: String(ticket.CustomerUser),
    Owner: String(ticket.Owner ?? s.login),
    Created: stamp(now),
    Changed: stamp(now),
    DynamicFields: {},
    Articles: []
  }
  for (const df of (Array.isArray(data.DynamicField) ? data.DynamicField : data.DynamicField ? [data.DynamicField] : []) as Array<{ Name: string; Value: unknown }>) {
    t.DynamicFields[df.Name] = df.Value
  }
  s.tickets.set(id, t)
  const articleId = s.addArticle(t, article, now)
  return { TicketID: String(id), TicketNumber: t.TicketNumber, ArticleID: String(articleId) }
}

// Ticket/TicketUpdate.pm
const ticketUpdate = (s: Store, data: Record<string, unknown>): unknown => {
  if (!s.authenticate(data)) return error("TicketUpdate.AuthFail", "TicketUpdate: User could not be authenticated!")
  const t = s.tickets.get(Number(data.TicketID))
  if (t === undefined || !/^\d+$/.test(String(data.TicketID))) return error("TicketUpdate.AccessDenied", "TicketUpdate: User does not have access to the ticket!")
  const ticket = (data.Ticket ?? {}) as Record<string, unknown>
  const article = data.Article as Record<string, unknown> | undefined
  const state = ticket.State !== undefined || ticket.StateID !== undefined ? s.stateOf(ticket) : t.State
  if (state === undefined) return error("TicketUpdate.InvalidParameter", "TicketUpdate: Ticket->StateID or Ticket->State parameter is invalid!")
  const priority = ticket.Priority !== undefined || ticket.PriorityID !== undefined ? s.priorityOf(ticket) : t.Priority
  if (priority === undefined) return error("TicketUpdate.InvalidParameter", "TicketUpdate: Ticket->PriorityID or Ticket->Priority parameter is invalid!")
  const queue = ticket.Queue !== undefined || ticket.QueueID !== undefined ? s.queueOf(ticket) : t.QueueID
  if (queue === undefined) return error("TicketUpdate.InvalidParameter", "TicketUpdate: Ticket->QueueID or Ticket->Queue parameter is invalid!")
  if (article !== undefined) {
    const bad = s.checkArticle("TicketUpdate", article)
    if (bad !== undefined) return bad
  }
  const now = Date.now()
  Object.assign(t, { State: state, Priority: priority, QueueID: queue, Changed: stamp(now) })
  if (typeof ticket.Title === "string") t.Title = ticket.Title.trim()
  if (typeof ticket.Owner === "string") t.Owner = ticket.Owner
  if (ticket.PendingTime !== undefined) t.PendingTime = ticket.PendingTime
  for (const df of (Array.isArray(data.DynamicField) ? data.DynamicField : []) as Array<{ Name: string; Value: unknown }>) t.DynamicFields[df.Name] = df.Value
  const articleId = article === undefined ? undefined : s.addArticle(t, article, now)
  return { TicketID: t.TicketID, TicketNumber: t.TicketNumber, ...(articleId === undefined ? {} : { ArticleID: String(articleId) }) }
}

const operations: Record<string, (s: Store, data: Record<string, unknown>) => unknown> = {
  SessionCreate: sessionCreate,
  TicketSearch: ticketSearch,
  TicketGet: ticketGet,
  TicketCreate: ticketCreate,
  TicketUpdate: ticketUpdate
}

/** starts the double */
export const start = async (options: { readonly legacyArticles?: boolean } = {}): Promise<Double> => {
  const s = makeStore(options)

  /** the example connector's route map (REST.pm matches method and route) */
  const route = (method: string, path: string): { operation: string; params: Record<string, string> } | undefined => {
    if (path === "/Session" && method === "POST") return { operation: "SessionCreate", params: {} }
    if (path === "/TicketSearch" && (method === "GET" || method === "POST")) return { operation: "TicketSearch", params: {} }
    if (path === "/Ticket" && method === "GET") return { operation: "TicketSearch", params: {} }
    if (path === "/Ticket" && method === "POST") return { operation: "TicketCreate", params: {} }
    const match = /^\/Ticket\/([^/]+)$/.exec(path)
    if (match !== null && method === "GET") return { operation: "TicketGet", params: { TicketID: decodeURIComponent(match[1]!) } }
    if (match !== null && method === "PATCH") return { operation: "TicketUpdate", params: { TicketID: decodeURIComponent(match[1]!) } }
    return undefined
  }

  const server = http.createServer((req, res) => {
    const chunks: Array<Buffer> = []
    req.on("data", (c: Buffer) => chunks.push(c))
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8")
      const url = new URL(req.url ?? "/", "http://127.0.0.1")
      const path = url.pathname.startsWith(SERVICE_PATH) ? url.pathname.slice(SERVICE_PATH.length) : undefined
      const found = path === undefined ? undefined : route(req.method ?? "GET", path)
      s.requests.push({ method: req.method ?? "", url: req.url ?? "", body, operation: found?.operation ?? "" })
      if (found === undefined) {
        res.writeHead(500, { "content-type": "text/plain" }).end("Request could not be mapped to an operation")
        return
      }
      const data: Record<string, unknown> = {}
      for (const key of new Set(url.searchParams.keys())) {
        const values = url.searchParams.getAll(key)
        data[key] = values.length === 1 ? values[0] : values
      }
      try {
        if (body !== "") Object.assign(data, JSON.parse(body))
      } catch {
        res.writeHead(500, { "content-type": "text/plain" }).end("Error while decoding request content")
        return
      }
      Object.assign(data, found.params)
      const answer = operations[found.operation]!(s, data)
      res.writeHead(200, { "content-type": "application/json; charset=UTF-8" }).end(JSON.stringify(answer))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}${SERVICE_PATH}`,
    login: s.login,
    password: s.password,
    customerUser: s.customerUser,
    requests: s.requests,
    tickets: s.tickets,
    expireSessions: () => s.sessions.clear(),
    rejectSessions: () => {
      s.rejectingSessions = true
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}

