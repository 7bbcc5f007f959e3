/**
 * Self-checks run before measuring (and alone with `tsx bench/check.ts`): the optimised paths
 * must give exactly what the straightforward ones give.
 *
 * 1. `RestAdapter.ticketDecoder` (compiled fast path, schemas as fallback) against the same decoder
 *    with `{ compiled: false }` (every ticket through one `Schema.Struct` of the wire fields), on generated
 *    tickets and on odd and invalid ones, under two configurations: same tickets (prototype,
 *    keys in order, values, dates) or the same error (tag, detail, path, ticket id).
 * 2. A store with generated (lazy) tickets against one seeded with the same fixtures: the same
 *    pages, totals and tickets for unfiltered and filtered queries, and the same after updates,
 *    notes and creations.
 */
import * as DateTime from "effect/DateTime"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import type { InvalidResponseError } from "../src/AdapterError.js"
import * as InMemory from "../src/adapters/InMemory.js"
import * as RestAdapter from "../src/adapters/Rest.js"
import { SearchCriteria } from "../src/SearchCriteria.js"
import { toWire } from "../src/testing/ReferenceServer.js"
import * as T from "../src/Ticket.js"
import { fixture } from "./fixtures.js"

// ---- 1. the compiled decoder against the schemas alone (every ticket through one Schema.Struct
// of the wire fields, as the decoder was before it was compiled) -------------------------------

const referenceDecoder = (options: RestAdapter.Options) => RestAdapter.ticketDecoder(options, { compiled: false })

/** a value as a comparable string: prototypes named, keys in order, dates as epoch millis */
const show = (value: unknown): string => {
  if (DateTime.isDateTime(value)) return `DateTime(${value.epochMillis})`
  if (Array.isArray(value)) return `[${value.map(show).join(",")}]`
  if (typeof value === "object" && value !== null) {
    const proto = Object.getPrototypeOf(value) === Object.prototype ? "" : (value.constructor?.name ?? "?")
    return `${proto}{${Object.keys(value).map((k) => `${JSON.stringify(k)}:${show((value as Record<string, unknown>)[k])}`).join(",")}}`
  }
  return JSON.stringify(value) ?? String(value)
}
const showResult = (r: Either.Either<T.Ticket, InvalidResponseError>) =>
  Either.isRight(r) ? `ok ${r.right instanceof T.Ticket} ${show(r.right)}` : `error ${r.left._tag} ${r.left.detail} | ${r.left.path} | ${r.left.ticketId}`

const odd: ReadonlyArray<unknown> = [
  null, 42, "x", [],
  {},
  { id: "", subject: "s", status: "new", priority_level: "low", department_id: 1, created: "2026-01-01T00:00:00Z", modified: 0 },
  { id: 7, subject: "s", body: null, status: "NEW", priority_level: "Urgent", department_id: "3", department_name: null, created: 1764244800000, modified: "2026-01-01T00:00:00+02:00" },
  { id: "a-1", subject: "s", status: "open", priority_level: "high", department_name: "Billing", requester: "", assignee: null, tags: null, custom_fields: null, created: "2026-01-01T00:00:00", modified: "2026-01-01" },
  { id: "a-2", subject: "s", status: "open", priority_level: "high", department_id: 2, tags: ["a", 1], created: "2026-01-01T00:00:00Z", modified: "2026-01-01T00:00:00Z" },
  { id: "a-3", subject: "s", status: "open", priority_level: "high", department_id: 2, custom_fields: { a: ["x", "y"], b: true, c: null, d: 1.5, e: "s" }, created: "2026-01-01T00:00:00Z", modified: "2026-01-01T00:00:00Z" },
  { id: "a-4", subject: "s", status: "open", priority_level: "high", department_id: 2, custom_fields: { a: { nested: 1 } }, created: "2026-01-01T00:00:00Z", modified: "2026-01-01T00:00:00Z" },
  { id: "a-5", subject: "s", status: "open", priority_level: "high", department_id: 2, custom_fields: ["x"], created: "2026-01-01T00:00:00Z", modified: "2026-01-01T00:00:00Z" },
  { id: "a-6", subject: "s", status: "open", priority_level: "high", department_id: 2, created: "not a date", modified: "2026-01-01T00:00:00Z" },
  { id: "a-7", subject: "s", status: "bogus", priority_level: "high", department_id: 2, created: "2026-01-01T00:00:00Z", modified: "2026-01-01T00:00:00Z" },
  { id: "a-8", subject: "s", status: "open", priority_level: 50, department_id: 2, created: "2026-01-01T00:00:00Z", modified: "2026-01-01T00:00:00Z" },
  { id: "a-9", subject: "s", status: "open", priority_level: "high", created: "2026-01-01T00:00:00Z", modified: "2026-01-01T00:00:00Z" },
  { id: "a-10", subject: 5, status: "open", priority_level: "high", department_id: 2, created: "2026-01-01T00:00:00Z", modified: "2026-01-01T00:00:00Z" },
  { id: true, subject: "s", status: "open", priority_level: "high", department_id: 2, created: "2026-01-01T00:00:00Z", modified: "2026-01-01T00:00:00Z" },
  { id: "a-11", subject: "s", body: 3, status: "open", priority_level: "high", department_id: 2, requester: 4, created: "2026-01-01T00:00:00Z", modified: "2026-01-01T00:00:00Z" },
  { id: "a-12", subject: "s", status: "open", priority_level: "high", department_id: 2, requester: "bo@example.test", assignee: "Alice", tags: [], custom_fields: {}, created: 8.64e15 + 1, modified: "2026-01-01T00:00:00Z" },
  JSON.parse('{"id":"a-13","subject":"s","status":"open","priority_level":"high","department_id":2,"custom_fields":{"__proto__":{"x":1}},"created":"2026-01-01T00:00:00Z","modified":"2026-01-01T00:00:00Z"}')
]

const checkDecoder = (): number => {
  let mismatches = 0
  const configs: Array<[string, RestAdapter.OptionsInput, (i: number) => unknown]> = [
    ["reference API", { baseUrl: "http://check.invalid" }, (i) => JSON.parse(JSON.stringify(toWire(ticketAt(i))))],
    ["nested fields, own states, numeric priorities", {
      baseUrl: "http://check.invalid",
      fields: { id: "key", title: "fields.summary", description: "fields.text", state: "fields.workflow.status", priority: "fields.severity", queueId: "fields.team.code", queueName: "fields.team.label", requester: null, assignee: null, tags: null, customFields: null, createdAt: "created_at", updatedAt: "updated_at" },
      states: { "In Progress": "open", "Waiting for customer": "pending" },
      priorities: { P1: "urgent", P3: "normal", "50": "high" }
    }, (i) => ({ key: `K-${i}`, fields: { summary: `Issue ${i}`, text: i % 3 === 0 ? null : "t", workflow: { status: i % 2 === 0 ? "In Progress" : "waiting for CUSTOMER" }, severity: i % 5 === 0 ? 50 : i % 2 === 0 ? "P1" : "p3", team: i % 7 === 0 ? null : { code: i % 4 === 0 ? 12 : "ops", label: "Operations" } }, created_at: 1764244800000 + i, updated_at: "2026-11-27T12:00:00Z" })]
  ]
  for (const [label, input, make] of configs) {
    const options = Either.getOrThrow(RestAdapter.decodeOptions(input))
    const fast = RestAdapter.ticketDecoder(options)
    const reference = referenceDecoder(options)
    const samples = [...Array.from({ length: 2000 }, (_, i) => make(i)), ...odd]
    samples.forEach((raw, i) => {
      const a = showResult(fast(raw, "check", `tickets.${i}`))
      const b = showResult(reference(raw, "check", `tickets.${i}`))
      if (a !== b) {
        if (mismatches++ < 5) console.error(`decoder mismatch (${label}, sample ${i}):\n  now:    ${a}\n  before: ${b}`)
      }
    })
  }
  return mismatches
}

// ---- 2. a lazy store against an eager one ---------------------------------------------------

const sampleStore = new InMemory.Store({ generated: { count: 2000, fixture } })
const ticketAt = (i: number): T.Ticket => Either.getOrThrow(storeTicket(sampleStore.get(String(i + 1))))
const storeTicket = (r: InMemory.StoreResult<T.Ticket>) => (r.ok ? Either.right(r.value) : Either.left(r.failure))
const checkStore = (): number => {
  let mismatches = 0
  const count = 300
  const fixtures = Array.from({ length: count }, (_, i) => fixture(i))
  const extra = [{ title: "seeded after", queue: "Sales", tags: ["x"], createdAt: "2026-02-01T00:00:00Z" }]
  const lazy = new InMemory.Store({ generated: { count, fixture }, fixtures: extra })
  const eager = new InMemory.Store({ fixtures: [...fixtures, ...extra] })
  const same = (what: string, a: unknown, b: unknown) => {
    const x = show(a)
    const y = show(b)
    if (x !== y && mismatches++ < 5) {
      let at = 0
      while (at < x.length && x[at] === y[at]) at++
      const from = Math.max(0, at - 150)
      console.error(`store mismatch: ${what} (at ${at})\n  lazy:  …${x.slice(from, at + 150)}\n  eager: …${y.slice(from, at + 150)}`)
    }
  }
  const criteria = (input: typeof SearchCriteria.Encoded) => Schema.decodeUnknownSync(SearchCriteria)(input)
  const queries = [
    criteria({}),
    criteria({ states: ["open", "pending"] }),
    criteria({ queues: [{ name: "billing" }], priorities: ["high", "urgent"] }),
    criteria({ text: "invoice" }),
    criteria({ updatedSince: "2025-01-01T05:00:00Z" })
  ]
  const walk = (store: InMemory.Store, c: SearchCriteria, size: number) => {
    const pages: Array<unknown> = []
    for (let offset = 0; offset < store.size + size; offset += size) pages.push(store.query(c, offset, size))
    return pages
  }
  for (const [i, c] of queries.entries()) {
    for (const size of i === 0 ? [1, 37, 100] : [7, 100]) same(`query ${i} page size ${size}`, walk(lazy, c, size), walk(eager, c, size))
  }
  const now = DateTime.unsafeMake("2026-06-01T00:00:00Z")
  same("size", lazy.size, eager.size)
  for (const id of ["1", "300", "301", "302", "0", "01", "abc"]) same(`get ${id}`, lazy.get(id), eager.get(id))
  const update = Schema.decodeUnknownSync(T.TicketUpdate)({ state: "closed", tags: ["done"], assignee: null, customFields: { seats: 3 } })
  for (const id of ["5", "300", "301", "9999"]) same(`update ${id}`, lazy.update(id, update, now), eager.update(id, update, now))
  for (const id of ["6", "301", "9999"]) {
    same(`note ${id}`, lazy.addNote(id, { body: "n", visibility: "internal", contentType: "text/plain" }, now), eager.addNote(id, { body: "n", visibility: "internal", contentType: "text/plain" }, now))
    same(`notes ${id}`, lazy.listNotes(id), eager.listNotes(id))
  }
  same("notes of an untouched generated ticket", lazy.listNotes("7"), eager.listNotes("7"))
  const draft = Schema.decodeUnknownSync(T.TicketDraft)({ title: "new", queue: { name: "Support" } })
  same("create", lazy.create(draft, now), eager.create(draft, now))
  for (const [i, c] of queries.entries()) same(`query ${i} after changes`, walk(lazy, c, 50), walk(eager, c, 50))
  same("all", lazy.all(), eager.all())
  return mismatches
}

/** runs both checks; throws when anything differs */
export const runChecks = (): void => {
  const decoder = checkDecoder()
  const store = checkStore()
  if (decoder + store > 0) throw new Error(`self-check failed: ${decoder} decoder and ${store} store mismatches (see above)`)
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runChecks()
  console.log("self-checks passed: the compiled decoder and the lazy store give what the plain ones give")
}
