/**
 * Bench 4 — decode alone: tickets/s for turning parsed wire tickets (a realistic page: the
 * reference API's JSON for generated help-desk tickets) into tickets, in-process, no I/O.
 *
 * - ticketkit: `RestAdapter.ticketDecoder` — what `streamTickets` runs for every ticket
 * - field schemas: the same checks as one `Schema.Struct` of the wire fields + `new Ticket` — the
 *   decoder's fallback for invalid tickets, and what every ticket went through before
 * - Ticket schema: `Schema.decodeUnknownEither(Ticket)` from the Ticket's own encoded form
 * - hand-written validation: typeof checks of every field, dates checked, mapped to the same shape
 * - plain mapping: no checks at all (the throughput baseline's mapping)
 * and the pieces of ticketkit's path: two `DateTime`s, one `new Ticket(…, true)`.
 */
import * as DateTime from "effect/DateTime"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import * as InMemory from "../src/adapters/InMemory.js"
import * as RestAdapter from "../src/adapters/Rest.js"
import { SearchCriteria } from "../src/SearchCriteria.js"
import { toWire } from "../src/testing/ReferenceServer.js"
import * as T from "../src/Ticket.js"
import { mapTicket } from "./baseline.js"
import { generated } from "./fixtures.js"
import { median, round, spread } from "./stats.js"

type Wire = Record<string, unknown>

/** hand-written validation: what a careful user writes without a schema library */
const validateTicket = (t: unknown): { readonly ok: true; readonly ticket: unknown } | { readonly ok: false; readonly field: string } => {
  if (typeof t !== "object" || t === null) return { ok: false, field: "" }
  const w = t as Wire
  const id = w.id
  if (!(typeof id === "number" || (typeof id === "string" && id !== ""))) return { ok: false, field: "id" }
  if (typeof w.subject !== "string") return { ok: false, field: "subject" }
  if (w.body != null && typeof w.body !== "string") return { ok: false, field: "body" }
  if (typeof w.status !== "string" || !states.has(w.status)) return { ok: false, field: "status" }
  if (typeof w.priority_level !== "string" || !priorities.has(w.priority_level)) return { ok: false, field: "priority_level" }
  if (w.department_id != null && typeof w.department_id !== "number" && typeof w.department_id !== "string") return { ok: false, field: "department_id" }
  if (w.department_name != null && typeof w.department_name !== "string") return { ok: false, field: "department_name" }
  if (w.requester != null && typeof w.requester !== "string") return { ok: false, field: "requester" }
  if (w.assignee != null && typeof w.assignee !== "string") return { ok: false, field: "assignee" }
  if (w.tags != null && !(Array.isArray(w.tags) && w.tags.every((s) => typeof s === "string"))) return { ok: false, field: "tags" }
  const cf = w.custom_fields
  if (cf != null) {
    if (typeof cf !== "object" || Array.isArray(cf)) return { ok: false, field: "custom_fields" }
    for (const v of Object.values(cf)) {
      if (!(v === null || ["string", "number", "boolean"].includes(typeof v) || (Array.isArray(v) && v.every((s) => typeof s === "string")))) {
        return { ok: false, field: "custom_fields" }
      }
    }
  }
  const created = new Date(w.created as string)
  const modified = new Date(w.modified as string)
  if (Number.isNaN(created.getTime())) return { ok: false, field: "created" }
  if (Number.isNaN(modified.getTime())) return { ok: false, field: "modified" }
  return { ok: true, ticket: mapTicket(w) }
}
const states = new Set(["new", "open", "pending", "resolved", "closed"])
const priorities = new Set(["low", "normal", "high", "urgent"])

export interface DecodeRow {
  readonly name: string
  readonly ticketsPerSecond: number
  readonly microsPerTicket: number
  readonly spread: number
}

export const runDecode = (options: { readonly rounds: number; readonly pages: number }): ReadonlyArray<DecodeRow> => {
  const store = new InMemory.Store({ generated: generated(10_000) })
  const criteria = Schema.decodeUnknownSync(SearchCriteria)({})
  // pages of the wire JSON, as the transport gets them
  const bodies = Array.from({ length: 10 }, (_, p) => JSON.stringify({ tickets: store.query(criteria, p * 100, 100).items.map(toWire), total: 10_000 }))
  const pages = bodies.map((b) => (JSON.parse(b) as { tickets: Array<Wire> }).tickets)
  const perPage = pages[0]!.length

  const decoder = RestAdapter.ticketDecoder(Either.getOrThrow(RestAdapter.decodeOptions({ baseUrl: "http://bench.invalid" })))
  const Code = Schema.Union(Schema.String, Schema.transform(Schema.Number, Schema.String, { strict: true, decode: String, encode: Number }))
  const Timestamp = Schema.Union(Schema.DateTimeUtc, Schema.DateTimeUtcFromNumber)
  const opt = <S extends Schema.Schema.Any>(s: S) => Schema.optional(Schema.NullOr(s))
  const decodeStruct = Schema.decodeUnknownEither(Schema.Struct({
    id: Schema.Union(Schema.String.pipe(Schema.nonEmptyString()), Schema.transform(Schema.Number, Schema.String, { strict: true, decode: String, encode: Number })),
    subject: Schema.String,
    body: opt(Schema.String),
    status: Code,
    priority_level: Code,
    department_id: opt(Code),
    department_name: opt(Schema.String),
    requester: opt(Schema.String),
    assignee: opt(Schema.String),
    tags: opt(Schema.Array(Schema.String)),
    custom_fields: opt(T.CustomFields),
    created: Timestamp,
    modified: Timestamp
  }))
  const encodedTickets = pages.map((page) => page.map((w) => Schema.encodeSync(T.Ticket)(Either.getOrThrow(decoder(w, "bench", "")))))
  const decodeTicketSchema = Schema.decodeUnknownEither(T.Ticket)
  const sink: Array<unknown> = []

  const cases: Record<string, (page: number) => void> = {
    "JSON.parse of the page (reference)": (p) => {
      sink.push(JSON.parse(bodies[p]!))
    },
    "ticketkit: RestAdapter.ticketDecoder": (p) => {
      for (const w of pages[p]!) sink.push(Either.getOrThrow(decoder(w, "bench", "")))
    },
    "field schemas (Schema.Struct) + new Ticket: the path before": (p) => {
      for (const w of pages[p]!) {
        const v = Either.getOrThrow(decodeStruct(w))
        sink.push(new T.Ticket({
          id: v.id as T.TicketId,
          title: v.subject,
          description: v.body ?? "",
          state: { type: v.status as T.StateType, name: v.status },
          priority: { level: v.priority_level as T.PriorityLevel, name: v.priority_level },
          queue: { id: v.department_id!, name: v.department_name! },
          tags: v.tags ?? [],
          createdAt: v.created,
          updatedAt: v.modified,
          customFields: v.custom_fields ?? {},
          raw: w
        }, true))
      }
    },
    "Ticket schema: decodeUnknown(Ticket) from its encoded form": (p) => {
      for (const e of encodedTickets[p]!) sink.push(Either.getOrThrow(decodeTicketSchema(e)))
    },
    "hand-written validation + mapping": (p) => {
      for (const w of pages[p]!) sink.push(validateTicket(w))
    },
    "plain mapping, no checks (the baseline's)": (p) => {
      for (const w of pages[p]!) sink.push(mapTicket(w))
    },
    "piece: 2 × DateTime.unsafeMake": (p) => {
      for (const w of pages[p]!) sink.push(DateTime.unsafeMake(w.created as string), DateTime.unsafeMake(w.modified as string))
    },
    "piece: 2 × new Date": (p) => {
      for (const w of pages[p]!) sink.push(new Date(w.created as string), new Date(w.modified as string))
    },
    "piece: new Ticket(…, true)": (p) => {
      for (const w of pages[p]!) {
        sink.push(new T.Ticket({
          id: "1" as T.TicketId, title: w.subject as string, description: "", state: { type: "new", name: "new" },
          priority: { level: "low", name: "low" }, queue: { id: "1" }, tags: [], createdAt: DateTime.unsafeMake(0),
          updatedAt: DateTime.unsafeMake(0), customFields: {}, raw: w
        }, true))
      }
    }
  }
  const samples: Record<string, Array<number>> = Object.fromEntries(Object.keys(cases).map((k) => [k, []]))
  for (let round_ = -1; round_ < options.rounds; round_++) {
    for (const [name, run] of Object.entries(cases)) {
      const start = performance.now()
      for (let i = 0; i < options.pages; i++) run(i % pages.length)
      const ms = performance.now() - start
      sink.length = 0
      if (round_ >= 0) samples[name]!.push(ms) // round -1 is the warm-up
    }
  }
  return Object.entries(samples).map(([name, ms]) => {
    const micros = (median(ms) * 1000) / (options.pages * perPage)
    return { name, ticketsPerSecond: round(1e6 / micros), microsPerTicket: round(micros, 2), spread: round(spread(ms), 3) }
  })
}
