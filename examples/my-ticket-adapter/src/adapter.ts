/**
 * The Helpline adapter: ticketkit's port over Helpline's REST API.
 *
 * Helpline (an invented help desk, standing for any home-grown system) calls tickets "cases":
 *
 * | Helpline | ticketkit |
 * |---|---|
 * | `ref` ("C-17") | `id` |
 * | `headline`, `details` | `title`, `description` |
 * | `status` NEW / OPEN / WAITING / SOLVED / CLOSED | `state` new / open / pending / resolved / closed |
 * | `urgency` 1–4 | `priority` low / normal / high / urgent |
 * | `team` | `queue` (by name) |
 * | comments with `internal: true/false` | notes, internal / public |
 *
 * Its comments mark visibility with a boolean, which the configurable REST adapter cannot express,
 * so this adapter is written as a small driver on ticketkit's HTTP transport: the transport gives
 * auth, timeouts, status → error mapping, the body cap and redaction; `TicketSystemAdapter.make`
 * gives validation, paging into streams, spans and logs.
 */
import type { HttpClient } from "@effect/platform"
import { DateTime, Duration, Effect, Layer, Schema } from "effect"
import { AdapterError, HttpTransport, Note, Ticket, TicketSystemAdapter } from "ticketkit"

/** Helpline's statuses and urgencies, onto ticketkit's normal form. */
const states = { NEW: "new", OPEN: "open", WAITING: "pending", SOLVED: "resolved", CLOSED: "closed" } as const
const urgencies = { 1: "low", 2: "normal", 3: "high", 4: "urgent" } as const
const toStatus = Object.fromEntries(Object.entries(states).map(([k, v]) => [v, k])) as Record<Ticket.StateType, keyof typeof states>
const toUrgency = { low: 1, normal: 2, high: 3, urgent: 4 } as const

/** A case as Helpline sends it. */
const Case = Schema.Struct({
  ref: Schema.String,
  headline: Schema.String,
  details: Schema.NullOr(Schema.String),
  status: Schema.Literal("NEW", "OPEN", "WAITING", "SOLVED", "CLOSED"),
  urgency: Schema.Literal(1, 2, 3, 4),
  team: Schema.String,
  opened_at: Schema.DateTimeUtc,
  changed_at: Schema.DateTimeUtc
})

const CasePage = Schema.Struct({ cases: Schema.Array(Case), page: Schema.Number, pages: Schema.Number, count: Schema.Number })

const Comment = Schema.Struct({ id: Schema.Number, text: Schema.String, internal: Schema.Boolean, at: Schema.DateTimeUtc })

/** The adapter's options, as a configuration file gives them. */
export const Options = Schema.Struct({
  baseUrl: HttpTransport.BaseUrl,
  token: HttpTransport.Secret,
  name: Schema.optionalWith(Schema.String, { default: () => "helpline" }),
  timeout: Schema.optionalWith(HttpTransport.DurationInput, { default: () => Duration.seconds(30) })
})
export type Options = typeof Options.Type

const toTicket = (c: typeof Case.Type, raw: unknown): Ticket.Ticket =>
  new Ticket.Ticket({
    id: Ticket.ticketId(c.ref),
    title: c.headline,
    description: c.details ?? "",
    state: { type: states[c.status], name: c.status },
    priority: { level: urgencies[c.urgency], name: String(c.urgency), value: c.urgency },
    queue: { name: c.team },
    tags: [],
    createdAt: c.opened_at,
    updatedAt: c.changed_at,
    customFields: {},
    raw
  })

/** The Helpline adapter, for decoded options. */
export const make = (options: Options): Effect.Effect<TicketSystemAdapter.Service, AdapterError.ConfigurationError, HttpClient.HttpClient> =>
  Effect.gen(function*() {
    const http = yield* HttpTransport.make({
      name: options.name,
      baseUrl: options.baseUrl,
      auth: { _tag: "api-key", header: "X-Helpline-Token", key: options.token },
      timeout: options.timeout,
      userAgent: "my-ticket-adapter/1.0",
      maxBodyBytes: 5 * 1024 * 1024
    })
    const invalid = (operation: string, detail: string) =>
      Effect.fail(new AdapterError.InvalidInputError({ adapter: options.name, operation, detail }))
    const status = (state: Ticket.StateType | Ticket.Ref) =>
      typeof state === "string" ? Effect.succeed(toStatus[state]) : Effect.succeed(state.name ?? state.id ?? "")
    const urgency = (operation: string, priority: Ticket.PriorityLevel | Ticket.Ref) =>
      typeof priority === "string"
        ? Effect.succeed(toUrgency[priority])
        : /^[1-4]$/.test(priority.name ?? priority.id ?? "")
        ? Effect.succeed(Number(priority.name ?? priority.id))
        : invalid(operation, "Helpline urgencies are 1 to 4")
    const team = (operation: string, queue: Ticket.Ref) =>
      queue.name !== undefined ? Effect.succeed(queue.name) : invalid(operation, "Helpline addresses teams by name")

    const getCase = (id: string, operation = "getTicket") =>
      http.send({ method: "GET", path: "/v1/cases/{ref}", pathParams: { ref: id }, operation, ticketId: id }).pipe(
        Effect.flatMap((response) => Effect.zip(http.decode(Case, response, { method: "GET", path: "", operation, ticketId: id }), http.decode(Schema.Unknown, response, { method: "GET", path: "", operation }))),
        Effect.map(([c, raw]) => toTicket(c, raw))
      )

    return TicketSystemAdapter.make({
      name: options.name,
      kind: "helpline",
      capabilities: {
        createTickets: true,
        publicNotes: true,
        internalNotes: true,
        htmlNotes: false,
        textSearch: true,
        tags: false,
        maxPageSize: 50,
        states: ["new", "open", "pending", "resolved", "closed"]
      },
      fetchPage: (criteria, { cursor, pageSize }) =>
        Effect.gen(function*() {
          // the page size is part of the cursor ("page:size"), so that a walk keeps one size
          const [page, size] = cursor === undefined ? [1, pageSize] : cursor.split(":").map(Number) as [number, number]
          if (!Number.isInteger(page) || !Number.isInteger(size)) return yield* invalid("fetchTickets", `invalid cursor ${cursor}`)
          const teams = yield* Effect.forEach(criteria.queues ?? [], (q) => team("fetchTickets", q))
          const body = yield* http.json(CasePage, {
            method: "GET",
            path: "/v1/cases",
            query: {
              status: criteria.states?.map((s) => toStatus[s]).join(","),
              urgency: criteria.priorities?.map((p) => toUrgency[p]).join(","),
              team: teams.length > 0 ? teams.join(",") : undefined,
              changed_since: criteria.updatedSince === undefined ? undefined : DateTime.formatIso(criteria.updatedSince),
              q: criteria.text,
              page,
              size
            },
            operation: "fetchTickets"
          })
          return {
            items: body.cases.map((c) => toTicket(c, c)),
            total: body.count,
            ...(body.page < body.pages ? { next: `${body.page + 1}:${size}` } : {})
          }
        }),
      getTicket: (id) => getCase(id),
      createTicket: (draft) =>
        Effect.gen(function*() {
          const body = {
            headline: draft.title,
            details: draft.description,
            team: yield* team("createTicket", draft.queue),
            ...(draft.state === undefined ? {} : { status: yield* status(draft.state) }),
            ...(draft.priority === undefined ? {} : { urgency: yield* urgency("createTicket", draft.priority) })
          }
          const created = yield* http.json(Case, { method: "POST", path: "/v1/cases", body, operation: "createTicket" })
          return toTicket(created, created)
        }),
      updateTicket: (id, update) =>
        Effect.gen(function*() {
          const body = {
            ...(update.title === undefined ? {} : { headline: update.title }),
            ...(update.description === undefined ? {} : { details: update.description }),
            ...(update.state === undefined ? {} : { status: yield* status(update.state) }),
            ...(update.priority === undefined ? {} : { urgency: yield* urgency("updateTicket", update.priority) }),
            ...(update.queue === undefined ? {} : { team: yield* team("updateTicket", update.queue) })
          }
          if (update.assignee !== undefined || update.tags !== undefined || update.customFields !== undefined) {
            return yield* invalid("updateTicket", "Helpline cases have no assignee, tags or custom fields")
          }
          const updated = yield* http.json(Case, { method: "PATCH", path: "/v1/cases/{ref}", pathParams: { ref: id }, body, operation: "updateTicket", ticketId: id })
          return toTicket(updated, updated)
        }),
      addNote: (id, note) =>
        Effect.asVoid(http.send({
          method: "POST",
          path: "/v1/cases/{ref}/comments",
          pathParams: { ref: id },
          body: { text: note.body, internal: note.visibility === "internal" },
          operation: "addNote",
          ticketId: id
        })),
      listNotes: (id) =>
        http.json(Schema.Struct({ comments: Schema.Array(Comment) }), { method: "GET", path: "/v1/cases/{ref}/comments", pathParams: { ref: id }, operation: "listNotes", ticketId: id }).pipe(
          Effect.map(({ comments }) =>
            comments.map((c) => new Note.Note({ id: String(c.id), body: c.text, visibility: c.internal ? "internal" : "public", contentType: "text/plain", createdAt: c.at }))
          )
        )
    })
  })

/** The Helpline adapter as a layer, from options as written in code or a config file. */
export const layer = (input: typeof Options.Encoded) =>
  Layer.effect(TicketSystemAdapter.TicketSystemAdapter, Effect.flatMap(Effect.orDie(Schema.decodeUnknown(Options)(input)), make))
