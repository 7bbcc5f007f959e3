/**
 * The tests of a scaffolded adapter package, as templates of its names: the system double, the
 * contract suite against it, and the mapping's unit tests.
 *
 * @internal
 */
import type { Names } from "./names.js"

/** `test/SystemDouble.ts`: a real HTTP server that answers like the system */
export const systemDouble = (n: Names): string =>
  `/**
 * A small double of ${n.pascal}'s API for the tests: a real HTTP server on 127.0.0.1, over tickets
 * kept in memory. It speaks the API \`src/Client.ts\` is written for; when you point the client at
 * your real system, change this double the same way (it is the part of the tests that stands for
 * the system: follow the system's documentation, including its errors).
 *
 * | request | answer |
 * |---|---|
 * | any, without \`Authorization: Bearer <token>\` | 401 \`{ "error": … }\` |
 * | \`GET /api/v1/tickets?status=&priority=&queue=&updated_since=&q=&offset=&limit=\` | \`{ "tickets": [...], "total": n }\`, sorted by id |
 * | \`GET /api/v1/tickets/{id}\` | the ticket, or 404 |
 * | \`POST /api/v1/tickets\` | 201 and the ticket; 422 \`{ "error": … }\` for a bad value |
 * | \`PATCH /api/v1/tickets/{id}\` | the changed ticket; 422 for a bad value |
 * | \`GET /api/v1/tickets/{id}/comments\` | \`{ "comments": [...] }\` |
 * | \`POST /api/v1/tickets/{id}/comments\` | 201 |
 */
import { createServer, type IncomingMessage } from "node:http"

export interface WireTicket {
  id: number
  subject: string
  body: string
  status: string
  priority: number
  queue: string
  requester: string | null
  created_at: string
  updated_at: string
}

export interface WireComment {
  id: number
  text: string
  internal: boolean
  created_at: string
}

export interface SystemDouble {
  /** the base URL, e.g. \`http://127.0.0.1:41234\` */
  readonly url: string
  readonly token: string
  readonly tickets: ReadonlyArray<WireTicket>
  readonly close: () => Promise<void>
}

export const STATUSES: ReadonlyArray<string> = ["new", "open", "waiting", "solved", "closed"]
export const QUEUES: ReadonlyArray<string> = ["Support", "Billing"]
const MAX_LIMIT = 100
const MAX_BODY = 1024 * 1024

class Refused extends Error {
  constructor(readonly status: number, message: string) {
    super(message)
  }
}

const readBody = (req: IncomingMessage): Promise<Record<string, unknown>> =>
  new Promise((resolve, reject) => {
    const chunks: Array<Buffer> = []
    let size = 0
    req.on("data", (chunk: Buffer) => {
      size += chunk.length
      if (size > MAX_BODY) reject(new Refused(413, "body too large"))
      else chunks.push(chunk)
    })
    req.on("error", reject)
    req.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8")
      if (text === "") return resolve({})
      try {
        const value: unknown = JSON.parse(text)
        if (typeof value !== "object" || value === null || Array.isArray(value)) return reject(new Refused(400, "expected a JSON object"))
        resolve(value as Record<string, unknown>)
      } catch {
        reject(new Refused(400, "invalid JSON"))
      }
    })
  })

/** a field of a request body: only own keys are read (a \`__proto__\` key is just a key) */
const field = (body: Record<string, unknown>, key: string): unknown => Object.hasOwn(body, key) ? body[key] : undefined

const checkStatus = (value: unknown) => {
  if (typeof value !== "string" || !STATUSES.includes(value)) throw new Refused(422, \`unknown status \${JSON.stringify(value)}\`)
  return value
}
const checkPriority = (value: unknown) => {
  if (typeof value !== "number" || ![1, 2, 3, 4].includes(value)) throw new Refused(422, \`priority must be 1 to 4, not \${JSON.stringify(value)}\`)
  return value
}
const checkQueue = (value: unknown) => {
  if (typeof value !== "string" || !QUEUES.includes(value)) throw new Refused(422, \`unknown queue \${JSON.stringify(value)}\`)
  return value
}
const checkText = (value: unknown, what: string, required: boolean) => {
  if (typeof value !== "string" || (required && value.trim() === "")) throw new Refused(422, \`\${what} must be a \${required ? "non-empty " : ""}string\`)
  return value
}

/** starts the double; \`seed\` tickets are there from the start */
export const start = (options: { readonly token?: string; readonly seed?: number } = {}): Promise<SystemDouble> => {
  const token = options.token ?? "double-token"
  const tickets: Array<WireTicket> = []
  const comments = new Map<number, Array<WireComment>>()
  let nextTicket = 1
  let nextComment = 1
  const now = () => new Date().toISOString()
  const add = (fields: Omit<WireTicket, "id" | "created_at" | "updated_at">, at = now()) => {
    const ticket: WireTicket = { id: nextTicket++, ...fields, created_at: at, updated_at: at }
    tickets.push(ticket)
    comments.set(ticket.id, [])
    return ticket
  }
  const seed = options.seed ?? 12
  const dayAgo = new Date(Date.now() - 86_400_000).toISOString()
  for (let i = 0; i < seed; i++) {
    add({
      subject: \`\${["Printer", "Invoice", "VPN"][i % 3]} trouble #\${i + 1}\`,
      body: "Seeded by the system double.",
      status: STATUSES[i % STATUSES.length]!,
      priority: (i % 4) + 1,
      queue: QUEUES[i % QUEUES.length]!,
      requester: \`user\${i + 1}@example.com\`
    }, dayAgo)
  }

  const list = (url: URL) => {
    const values = (name: string) => url.searchParams.get(name)?.split(",")
    const number = (name: string, fallback: number, max: number) => {
      const raw = url.searchParams.get(name)
      if (raw === null) return fallback
      if (!/^\\d{1,9}$/.test(raw) || Number(raw) > max) throw new Refused(400, \`\${name} must be a number from 0 to \${max}\`)
      return Number(raw)
    }
    const since = url.searchParams.get("updated_since")
    const sinceMillis = since === null ? undefined : Date.parse(since)
    if (sinceMillis !== undefined && Number.isNaN(sinceMillis)) throw new Refused(400, "updated_since must be an ISO 8601 date")
    const q = url.searchParams.get("q")?.toLowerCase()
    const matching = tickets.filter((t) =>
      (values("status")?.includes(t.status) ?? true) &&
      (values("priority")?.includes(String(t.priority)) ?? true) &&
      (values("queue")?.includes(t.queue) ?? true) &&
      (sinceMillis === undefined || Date.parse(t.updated_at) >= sinceMillis) &&
      (q === undefined || \`\${t.subject}\\n\${t.body}\`.toLowerCase().includes(q))
    )
    const offset = number("offset", 0, Number.MAX_SAFE_INTEGER)
    const limit = number("limit", 20, MAX_LIMIT)
    return { tickets: matching.slice(offset, offset + limit), total: matching.length }
  }

  const handle = async (req: IncomingMessage): Promise<[number, unknown]> => {
    if (req.headers.authorization !== \`Bearer \${token}\`) return [401, { error: "invalid or missing token" }]
    const url = new URL(req.url ?? "/", "http://double.invalid")
    const parts = url.pathname.split("/").filter((p) => p !== "")
    if (parts[0] !== "api" || parts[1] !== "v1" || parts[2] !== "tickets") return [404, { error: "no such endpoint" }]
    const body = req.method === "POST" || req.method === "PATCH" ? await readBody(req) : {}
    if (parts.length === 3 && req.method === "GET") return [200, list(url)]
    if (parts.length === 3 && req.method === "POST") {
      const requester = field(body, "requester")
      return [201, add({
        subject: checkText(field(body, "subject"), "subject", true),
        body: checkText(field(body, "body") ?? "", "body", false),
        status: field(body, "status") === undefined ? "new" : checkStatus(field(body, "status")),
        priority: field(body, "priority") === undefined ? 2 : checkPriority(field(body, "priority")),
        queue: checkQueue(field(body, "queue")),
        requester: typeof requester === "string" ? requester : null
      })]
    }
    const ticket = /^\\d{1,15}$/.test(parts[3] ?? "") ? tickets.find((t) => t.id === Number(parts[3])) : undefined
    if (ticket === undefined) return [404, { error: \`no ticket \${JSON.stringify(parts[3])}\` }]
    if (parts.length === 4 && req.method === "GET") return [200, ticket]
    if (parts.length === 4 && req.method === "PATCH") {
      // every value is checked before any is changed: a refused change changes nothing
      const change: Partial<WireTicket> = {}
      if (field(body, "subject") !== undefined) change.subject = checkText(field(body, "subject"), "subject", true)
      if (field(body, "body") !== undefined) change.body = checkText(field(body, "body"), "body", false)
      if (field(body, "status") !== undefined) change.status = checkStatus(field(body, "status"))
      if (field(body, "priority") !== undefined) change.priority = checkPriority(field(body, "priority"))
      if (field(body, "queue") !== undefined) change.queue = checkQueue(field(body, "queue"))
      Object.assign(ticket, change, { updated_at: now() })
      return [200, ticket]
    }
    if (parts.length === 5 && parts[4] === "comments" && req.method === "GET") return [200, { comments: comments.get(ticket.id) ?? [] }]
    if (parts.length === 5 && parts[4] === "comments" && req.method === "POST") {
      const internal = field(body, "internal")
      if (typeof internal !== "boolean") throw new Refused(422, "internal must be true or false")
      const comment = { id: nextComment++, text: checkText(field(body, "text"), "text", true), internal, created_at: now() }
      comments.get(ticket.id)?.push(comment)
      ticket.updated_at = comment.created_at
      return [201, comment]
    }
    return [405, { error: "method not allowed" }]
  }

  const server = createServer((req, res) => {
    handle(req).then(
      ([status, body]) => [status, body] as const,
      (error: unknown) => error instanceof Refused ? [error.status, { error: error.message }] as const : [500, { error: "internal error" }] as const
    ).then(([status, body]) => {
      res.writeHead(status, { "content-type": "application/json" })
      res.end(JSON.stringify(body))
    })
  })
  return new Promise((resolve, reject) => {
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number }
      resolve({
        url: \`http://127.0.0.1:\${port}\`,
        token,
        tickets,
        close: () => new Promise<void>((done) => {
          server.closeAllConnections()
          server.close(() => done())
        })
      })
    })
  })
}
`

/** `test/contract.test.ts`: the contract suite against the driver and the double */
export const contractTest = (n: Names): string =>
  `/**
 * The adapter against the system double: ticketkit's contract suite (every criterion, paging,
 * cursors, unknown ids, update round-trips, note visibility, text search, typed errors), then
 * what is particular to this adapter. Point \`AdapterUnderTest\` at your real system to run the
 * same suite there (on a test instance: the suite creates marked tickets).
 */
import { NodeHttpClient } from "@effect/platform-node"
import { assert, describe, it } from "@effect/vitest"
import { Context, Effect, Layer, Schema } from "effect"
import { Registry, TicketSystemAdapter } from "ticketkit"
import { AdapterContract } from "ticketkit/testing"
import * as Adapter from "../src/index.js"
import * as SystemDouble from "./SystemDouble.js"

/** a double running for as long as the scope */
const double = Effect.acquireRelease(Effect.promise(() => SystemDouble.start({ token: "double-secret-token" })), (d) => Effect.promise(d.close))

const AdapterUnderTest = Layer.unwrapScoped(
  Effect.map(double, (d) => Adapter.layer({ baseUrl: d.url, token: d.token }))
).pipe(Layer.provide(NodeHttpClient.layerUndici))

AdapterContract.suite("${n.adapter} against its system double", AdapterUnderTest, {
  queue: { name: "Support" },
  otherQueue: { name: "Billing" }
})

describe("${n.adapter} adapter", () => {
  it.scoped("is registered by setup(registry) and built from a configuration's options", () =>
    Effect.gen(function*() {
      const registry = yield* Registry.make
      yield* Adapter.setup(registry.forPlugin("${n.packageName}"))
      const registered = yield* registry.get(Adapter.ADAPTER)
      assert.strictEqual(registered.source, "${n.packageName}")
      const d = yield* double
      const options = yield* Schema.decodeUnknown(registered.options)({ baseUrl: d.url, token: d.token })
      const context = yield* Layer.build(registered.layer(options, { system: "desk" }))
      const adapter = Context.get(context, TicketSystemAdapter.TicketSystemAdapter)
      assert.strictEqual(adapter.name, "desk")
      assert.strictEqual((yield* adapter.fetchTickets({ limit: 100 })).length, d.tickets.length)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scoped("fails with AuthenticationError for a wrong token, and never shows the token", () =>
    Effect.gen(function*() {
      const d = yield* double
      const wrong = "wrong-secret-token-4711"
      const adapter = yield* Adapter.make({ baseUrl: d.url, token: wrong })
      const error = yield* Effect.flip(adapter.getTicket("1"))
      assert.strictEqual(error._tag, "AuthenticationError")
      assert.notInclude(error.message, wrong)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.effect("refuses bad options with ConfigurationError naming the option", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(Adapter.make({ baseUrl: "not a url", token: "t0ken" }))
      assert.strictEqual(error._tag, "ConfigurationError")
      assert.include(error.message, "baseUrl")
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))
})
`

/** `test/Mapping.test.ts`: the mapping alone */
export const mappingTest = (_n: Names): string =>
  `/**
 * The mapping alone: plain functions, no HTTP.
 */
import { assert, describe, it } from "@effect/vitest"
import { DateTime, Either } from "effect"
import { SearchCriteria, Ticket } from "ticketkit"
import * as Mapping from "../src/Mapping.js"

const wire = {
  id: 7,
  subject: "Printer jammed",
  body: "on floor 2",
  status: "waiting",
  priority: 3,
  queue: "Support",
  requester: "ann@example.com",
  created_at: DateTime.unsafeMake("2026-03-01T10:00:00Z"),
  updated_at: DateTime.unsafeMake("2026-03-02T10:00:00Z")
} as const

describe("Mapping", () => {
  it("reads a ticket into the normal form, keeping the system's own values", () => {
    const ticket = Mapping.toTicket(wire)
    assert.strictEqual(ticket.id, "7")
    assert.deepStrictEqual(ticket.state, { type: "pending", name: "waiting" })
    assert.deepStrictEqual(ticket.priority, { level: "high", name: "3", value: 3 })
    assert.deepStrictEqual(ticket.requester, { email: "ann@example.com" })
    assert.strictEqual(ticket.raw, wire)
  })

  it("writes states and priorities back as the system's values", () => {
    for (const [status, state] of Object.entries(Mapping.states)) assert.strictEqual(Mapping.statusOf(state), status)
    assert.deepStrictEqual(Mapping.priorityOf("urgent"), Either.right(4))
    assert.deepStrictEqual(Mapping.priorityOf({ name: "2" }), Either.right(2))
    assert.isTrue(Either.isLeft(Mapping.priorityOf({ name: "9" })))
  })

  it("builds the query of a page from criteria", () => {
    const criteria = new SearchCriteria.SearchCriteria({ states: ["new", "pending"], priorities: ["high"], queues: [{ name: "Billing" }], text: "vpn" })
    assert.deepStrictEqual(Mapping.queryOf(criteria, { offset: 20, limit: 10 }), Either.right({
      status: "new,waiting",
      priority: "3",
      queue: "Billing",
      updated_since: undefined,
      q: "vpn",
      offset: 20,
      limit: 10
    }))
    assert.isTrue(Either.isLeft(Mapping.queryOf(new SearchCriteria.SearchCriteria({ queues: [{ id: "4" }] }), { offset: 0, limit: 10 })))
  })

  it("gives a next cursor while there are more tickets, and none after the last page", () => {
    assert.strictEqual(Mapping.toPage({ tickets: [wire, wire], total: 5 }, 2).next, "4")
    assert.strictEqual(Mapping.toPage({ tickets: [wire], total: 5 }, 4).next, undefined)
    assert.strictEqual(Mapping.offsetOf("4"), 4)
    assert.strictEqual(Mapping.offsetOf("-1"), undefined)
  })

  it("sends only what changes, and refuses what the system cannot hold", () => {
    const update = new Ticket.TicketUpdate({ title: "Renamed", state: "resolved" })
    assert.deepStrictEqual(Mapping.changeBody(update), Either.right({ subject: "Renamed", status: "solved" }))
    assert.isTrue(Either.isLeft(Mapping.changeBody(new Ticket.TicketUpdate({ tags: ["x"] }))))
  })
})
`
