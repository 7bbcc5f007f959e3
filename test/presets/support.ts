/**
 * What the three vendor doubles of `test/presets` share: a real `node:http` server on 127.0.0.1
 * (an ephemeral port) with a request log, a log of accepted writes, a queue of injected faults,
 * safe JSON parsing of what clients send, RFC 8288 `Link` headers and ISO timestamps without
 * milliseconds (the format all three vendors answer with).
 */
import * as http from "node:http"
import type { AddressInfo } from "node:net"

/** one request as a double saw it */
export interface SeenRequest {
  readonly method: string
  /** path and query, as sent */
  readonly url: string
  readonly headers: http.IncomingHttpHeaders
  readonly body: string
}

/** one accepted write (create, update, note), as the double applied it */
export interface Write {
  readonly method: string
  readonly path: string
  /** the parsed JSON body */
  readonly body: unknown
}

/** an answer */
export interface Reply {
  readonly status: number
  readonly headers?: Readonly<Record<string, string>>
  /** an object is sent as JSON; a string as is; undefined as an empty body */
  readonly body?: unknown
}

/** a fault answered instead of the real answer, to the next matching request(s) */
export interface Fault {
  readonly reply: Reply
  /** how many matching requests get it (default 1) */
  readonly times?: number
  /** only requests with this method */
  readonly method?: string
  /** only requests whose path (without query) matches */
  readonly path?: RegExp
}

/** the fault queue of a double */
export interface Faults {
  /** answers the next matching request(s) with this reply instead */
  readonly inject: (fault: Fault) => void
  /** forgets every pending fault */
  readonly clear: () => void
  /** faults not yet used */
  readonly pending: () => number
}

/** a parsed incoming request, as handlers see it */
export interface Incoming {
  readonly method: string
  readonly path: string
  readonly query: URLSearchParams
  readonly headers: http.IncomingHttpHeaders
  readonly rawBody: string
  /** the origin the client used (for absolute `Link` URLs) */
  readonly origin: string
}

/** a running server */
export interface Running {
  readonly origin: string
  readonly requests: Array<SeenRequest>
  readonly faults: Faults
  readonly close: () => Promise<void>
}

const matches = (fault: Fault, request: Incoming) =>
  (fault.method === undefined || fault.method === request.method) && (fault.path === undefined || fault.path.test(request.path))

/** starts a server that logs every request, answers injected faults first, then the handler */
export const serve = async (handler: (request: Incoming) => Reply): Promise<Running> => {
  const requests: Array<SeenRequest> = []
  let queue: Array<{ fault: Fault; left: number }> = []
  const server = http.createServer((req, res) => {
    const chunks: Array<Buffer> = []
    req.on("data", (c: Buffer) => chunks.push(c))
    req.on("end", () => {
      const rawBody = Buffer.concat(chunks).toString("utf8")
      const method = req.method ?? "GET"
      requests.push({ method, url: req.url ?? "/", headers: req.headers, body: rawBody })
      const { port } = server.address() as AddressInfo
      const origin = `http://127.0.0.1:${port}`
      const url = new URL(req.url ?? "/", origin)
      const incoming: Incoming = { method, path: url.pathname, query: url.searchParams, headers: req.headers, rawBody, origin }
      const queued = queue.find((q) => matches(q.fault, incoming))
      let reply: Reply
      if (queued !== undefined) {
        queued.left -= 1
        if (queued.left <= 0) queue = queue.filter((q) => q !== queued)
        reply = queued.fault.reply
      } else {
        try {
          reply = handler(incoming)
        } catch (e) {
          reply = { status: 500, body: { message: `double failed: ${e instanceof Error ? e.message : String(e)}` } }
        }
      }
      send(res, reply)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const { port } = server.address() as AddressInfo
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    faults: {
      inject: (fault) => {
        queue.push({ fault, left: fault.times ?? 1 })
      },
      clear: () => {
        queue = []
      },
      pending: () => queue.reduce((n, q) => n + q.left, 0)
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}

const send = (res: http.ServerResponse, reply: Reply) => {
  const headers: Record<string, string> = { ...reply.headers }
  let body = ""
  if (typeof reply.body === "string") body = reply.body
  else if (reply.body !== undefined) {
    body = JSON.stringify(reply.body)
    headers["content-type"] ??= "application/json; charset=utf-8"
  }
  res.writeHead(reply.status, headers).end(body)
}

/** a timestamp as the vendors write it: ISO 8601 UTC, whole seconds, `Z` */
export const isoSeconds = (millis: number): string => new Date(millis).toISOString().replace(/\.\d{3}Z$/, "Z")

/** a strict ISO 8601 timestamp or date, as millis; undefined if it is not one */
export const parseIso = (text: string): number | undefined => {
  if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(text)) return undefined
  const millis = Date.parse(text.length === 10 ? `${text}T00:00:00Z` : text)
  return Number.isNaN(millis) ? undefined : millis
}

/** JSON a client sent: `undefined` when it is not JSON; `__proto__` keys are dropped */
export const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text, (key, value) => (key === "__proto__" ? undefined : value))
  } catch {
    return undefined
  }
}

/** a plain JSON object (not an array, not null) */
export const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

/** `user:password` of a Basic `Authorization` header */
export const basicCredentials = (header: string | undefined): { readonly user: string; readonly password: string } | undefined => {
  const match = /^Basic ([A-Za-z0-9+/=]+)$/i.exec(header ?? "")
  if (match === null) return undefined
  const decoded = Buffer.from(match[1]!, "base64").toString("utf8")
  const colon = decoded.indexOf(":")
  return colon < 0 ? undefined : { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) }
}

/**
 * An RFC 8288 `Link` header for page-numbered lists: `next`/`last` unless on the last page,
 * `first`/`prev` unless on the first; each the request's own URL with `page` replaced.
 */
export const pageLinks = (request: Incoming, page: number, lastPage: number): string | undefined => {
  const at = (n: number) => {
    const query = new URLSearchParams(request.query)
    query.set("page", String(n))
    return `<${request.origin}${request.path}?${query.toString()}>`
  }
  const links: Array<string> = []
  if (page < lastPage) links.push(`${at(page + 1)}; rel="next"`, `${at(lastPage)}; rel="last"`)
  if (page > 1) links.push(`${at(1)}; rel="first"`, `${at(page - 1)}; rel="prev"`)
  return links.length === 0 ? undefined : links.join(", ")
}

/** a positive integer query parameter; `fallback` when absent, undefined when malformed */
export const intParam = (query: URLSearchParams, name: string, fallback: number): number | undefined => {
  const raw = query.get(name)
  if (raw === null || raw === "") return fallback
  return /^\d{1,9}$/.test(raw) && Number(raw) > 0 ? Number(raw) : undefined
}

/** the one RFC 8288 link of a relation in a `Link` header (for the doubles' own tests) */
export const linkOf = (header: string | null, rel: string): string | undefined => {
  for (const part of (header ?? "").split(",")) {
    const match = /<([^>]*)>\s*;\s*rel="([^"]*)"/.exec(part)
    if (match !== null && match[2]!.split(/\s+/).includes(rel)) return match[1]
  }
  return undefined
}
