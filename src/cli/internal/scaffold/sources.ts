/**
 * The sources of a scaffolded adapter package, as templates of its names: the typed client, the
 * pure mapping, and the driver with its options, constructors, definition and plugin entry point.
 * `test/cli/New.test.ts` type-checks what they produce under the project's strict settings and
 * runs the contract suite against it.
 *
 * @internal
 */
import type { Names } from "./names.js"

/** `src/Client.ts`: the system's API */
export const client = (n: Names): string =>
  `/**
 * A thin typed client of the ${n.pascal} API: its own vocabulary (\`subject\`, \`status\`, \`comments\`),
 * its JSON decoded with Schemas, nothing of ticketkit's normal form (that is \`Mapping.ts\`).
 *
 * It is written for the system double in \`test/SystemDouble.ts\`. Replace the paths, the
 * schemas and the authentication with what your system's API documentation says; keep the shape
 * (one function per endpoint, every answer decoded).
 *
 * ticketkit's \`HttpTransport\` does the HTTP work: it prefixes the base URL, authenticates, times
 * out, caps the body, encodes path segments (an id such as \`../admin\` never changes the request
 * target), turns every failure into one typed \`AdapterError\` (401/403 → \`AuthenticationError\`,
 * 404 on a ticket → \`TicketNotFoundError\`, 422 → \`RequestRejectedError\` with the system's
 * message, 429 → \`RateLimitError\`, 5xx → \`ServerError\`, a bad answer → \`InvalidResponseError\`
 * naming the field) and keeps the token out of errors, logs and spans.
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import * as Effect from "effect/Effect"
import type * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import type { AdapterError } from "ticketkit"
import { HttpTransport, Ticket } from "ticketkit"

// -----------------------------------------------------------------------------
// the system's JSON
// -----------------------------------------------------------------------------

/** a positive integer id a JavaScript number holds exactly (a system may send anything) */
const Id = Schema.Int.pipe(Schema.between(1, Number.MAX_SAFE_INTEGER))

/** the system's own statuses (your system's may be ids, or configurable: see \`Mapping.ts\`) */
export const Status = Schema.Literal("new", "open", "waiting", "solved", "closed")
export type Status = typeof Status.Type

/** a ticket as the API sends it; other keys are ignored */
export const WireTicket = Schema.Struct({
  id: Id,
  subject: Schema.String,
  body: Schema.String,
  status: Status,
  /** 1 (low) to 4 (urgent) */
  priority: Schema.Literal(1, 2, 3, 4),
  queue: Schema.String,
  requester: Schema.NullOr(Schema.String),
  created_at: Ticket.DateTimeFromIso,
  updated_at: Ticket.DateTimeFromIso
})
export type WireTicket = typeof WireTicket.Type

/** one page of \`GET /api/v1/tickets\` */
export const WirePage = Schema.Struct({
  tickets: Schema.Array(WireTicket),
  total: Schema.Int.pipe(Schema.between(0, Number.MAX_SAFE_INTEGER))
})
export type WirePage = typeof WirePage.Type

/** a comment (ticketkit's note) */
export const WireComment = Schema.Struct({
  id: Id,
  text: Schema.String,
  internal: Schema.Boolean,
  created_at: Ticket.DateTimeFromIso
})
export type WireComment = typeof WireComment.Type

/** the query of \`GET /api/v1/tickets\`: lists are comma-separated, absent means any */
export interface TicketQuery {
  readonly status?: string | undefined
  readonly priority?: string | undefined
  readonly queue?: string | undefined
  readonly updated_since?: string | undefined
  readonly q?: string | undefined
  readonly offset: number
  readonly limit: number
}

/** the body of \`POST /api/v1/tickets\` */
export interface TicketCreate {
  readonly subject: string
  readonly body: string
  readonly queue: string
  readonly status?: string
  readonly priority?: number
  readonly requester?: string
}

/** the body of \`PATCH /api/v1/tickets/{id}\`: only what changes */
export interface TicketChange {
  readonly subject?: string
  readonly body?: string
  readonly queue?: string
  readonly status?: string
  readonly priority?: number
}

/** the body of \`POST /api/v1/tickets/{id}/comments\` */
export interface CommentCreate {
  readonly text: string
  readonly internal: boolean
}

// -----------------------------------------------------------------------------
// the client
// -----------------------------------------------------------------------------

/** the most tickets one request returns (\`limit\`) */
export const MAX_PAGE_SIZE = 100

export interface Client {
  /** the configured system's name (in errors, logs and spans) */
  readonly name: string
  /** the transport, for its scrubber (the port scrubs every error with it) */
  readonly transport: HttpTransport.HttpTransport
  readonly listTickets: (query: TicketQuery) => Effect.Effect<WirePage, AdapterError.AdapterError>
  readonly getTicket: (id: string) => Effect.Effect<WireTicket, AdapterError.AdapterError>
  readonly createTicket: (body: TicketCreate) => Effect.Effect<WireTicket, AdapterError.AdapterError>
  readonly updateTicket: (id: string, body: TicketChange) => Effect.Effect<WireTicket, AdapterError.AdapterError>
  readonly listComments: (id: string) => Effect.Effect<ReadonlyArray<WireComment>, AdapterError.AdapterError>
  readonly addComment: (id: string, body: CommentCreate) => Effect.Effect<void, AdapterError.AdapterError>
}

export interface ClientOptions {
  readonly name: string
  readonly baseUrl: string
  readonly token: Redacted.Redacted<string>
  readonly timeout: HttpTransport.OptionsInput["timeout"]
  readonly userAgent: string
  readonly maxBodyBytes: number
  readonly transformClient?: ((client: HttpClient.HttpClient) => HttpClient.HttpClient) | undefined
}

const Comments = Schema.Struct({ comments: Schema.Array(WireComment) })

/** the client over ticketkit's transport (requires an \`HttpClient\`) */
export const make = (options: ClientOptions) =>
  Effect.gen(function*() {
    const http = yield* HttpTransport.make({
      name: options.name,
      baseUrl: options.baseUrl,
      // your system's authentication: \`bearer\`, \`basic\`, \`api-key\` (a header of your choice) or
      // \`header\` (any header with a whole secret value); the secret stays Redacted
      auth: { _tag: "bearer", token: options.token },
      timeout: options.timeout,
      userAgent: options.userAgent,
      maxBodyBytes: options.maxBodyBytes,
      ...(options.transformClient === undefined ? {} : { transformClient: options.transformClient })
    })
    const client: Client = {
      name: options.name,
      transport: http,
      listTickets: (query) =>
        http.json(WirePage, { method: "GET", path: "/api/v1/tickets", query: { ...query } }),
      // \`ticketId\` tells the transport that a 404 means "no such ticket"
      getTicket: (id) =>
        http.json(WireTicket, { method: "GET", path: "/api/v1/tickets/{id}", pathParams: { id }, ticketId: id }),
      createTicket: (body) =>
        http.json(WireTicket, { method: "POST", path: "/api/v1/tickets", body }),
      updateTicket: (id, body) =>
        http.json(WireTicket, { method: "PATCH", path: "/api/v1/tickets/{id}", pathParams: { id }, body, ticketId: id }),
      listComments: (id) =>
        http.json(Comments, { method: "GET", path: "/api/v1/tickets/{id}/comments", pathParams: { id }, ticketId: id }).pipe(
          Effect.map((answer) => answer.comments)
        ),
      addComment: (id, body) =>
        Effect.asVoid(http.send({ method: "POST", path: "/api/v1/tickets/{id}/comments", pathParams: { id }, body, ticketId: id }))
    }
    return client
  })
`

/** `src/Mapping.ts`: the pure mapping */
export const mapping = (n: Names): string =>
  `/**
 * The pure mapping between ${n.pascal}'s JSON (\`Client.ts\`) and ticketkit's normal form: plain
 * functions, no HTTP, unit-tested alone (\`test/Mapping.test.ts\`).
 *
 * | ${n.pascal} | ticketkit |
 * |---|---|
 * | \`id\` (a number) | \`id\` (a string) |
 * | \`subject\`, \`body\` | \`title\`, \`description\` |
 * | \`status\` new / open / waiting / solved / closed | \`state\` new / open / pending / resolved / closed |
 * | \`priority\` 1–4 | \`priority\` low / normal / high / urgent |
 * | \`queue\` (a name) | \`queue\` |
 * | comments with \`internal: true/false\` | notes, internal / public |
 *
 * Change the tables and functions below to your system's vocabulary.
 */
import * as DateTime from "effect/DateTime"
import * as Either from "effect/Either"
import type { SearchCriteria } from "ticketkit"
import { Note, Ticket } from "ticketkit"
import type * as Client from "./Client.js"

// -----------------------------------------------------------------------------
// states and priorities: one table each, read in both directions
// -----------------------------------------------------------------------------

/** each status of the system, as a normal state */
export const states: Readonly<Record<Client.Status, Ticket.StateType>> = {
  new: "new",
  open: "open",
  waiting: "pending",
  solved: "resolved",
  closed: "closed"
}

/** each priority of the system, as a normal level */
export const priorities: Readonly<Record<1 | 2 | 3 | 4, Ticket.PriorityLevel>> = { 1: "low", 2: "normal", 3: "high", 4: "urgent" }

const statusByState = Object.fromEntries(Object.entries(states).map(([status, state]) => [state, status])) as Readonly<
  Record<Ticket.StateType, Client.Status>
>

const priorityByLevel = Object.fromEntries(Object.entries(priorities).map(([value, level]) => [level, Number(value)])) as Readonly<
  Record<Ticket.PriorityLevel, number>
>

/** the status written for a normal state, or for the system's own status given by name */
export const statusOf = (state: Ticket.StateType | Ticket.Ref): string =>
  typeof state === "string" ? statusByState[state] : state.name ?? state.id ?? ""

/** the priority written for a level, or for the system's own priority given as 1–4; a message otherwise */
export const priorityOf = (priority: Ticket.PriorityLevel | Ticket.Ref): Either.Either<number, string> => {
  if (typeof priority === "string") return Either.right(priorityByLevel[priority])
  const own = priority.id ?? priority.name ?? ""
  return /^[1-4]$/.test(own) ? Either.right(Number(own)) : Either.left(\`priorities are 1 to 4, not \${JSON.stringify(own)}\`)
}

/** the queue written for a reference (this system names its queues) */
export const queueOf = (queue: Ticket.Ref): Either.Either<string, string> =>
  queue.name !== undefined ? Either.right(queue.name) : Either.left(\`queues are addressed by name, not by id (\${queue.id})\`)

// -----------------------------------------------------------------------------
// reading
// -----------------------------------------------------------------------------

/** a ticket in the normal form; \`raw\` keeps the system's own payload */
export const toTicket = (wire: Client.WireTicket): Ticket.Ticket =>
  new Ticket.Ticket({
    id: Ticket.ticketId(wire.id),
    title: wire.subject,
    description: wire.body,
    state: { type: states[wire.status], name: wire.status },
    priority: { level: priorities[wire.priority], name: String(wire.priority), value: wire.priority },
    queue: { name: wire.queue },
    ...(wire.requester === null ? {} : { requester: { email: wire.requester } }),
    tags: [],
    createdAt: wire.created_at,
    updatedAt: wire.updated_at,
    customFields: {},
    raw: wire
  })

/** a comment as a note */
export const toNote = (wire: Client.WireComment): Note.Note =>
  new Note.Note({
    id: String(wire.id),
    body: wire.text,
    visibility: wire.internal ? "internal" : "public",
    contentType: "text/plain",
    createdAt: wire.created_at
  })

// -----------------------------------------------------------------------------
// searching and paging
// -----------------------------------------------------------------------------

/** a ticket id as the system's number; \`undefined\` for anything else (no such ticket) */
export const ticketNumber = (id: string): number | undefined => /^[1-9]\\d{0,14}$/.test(id) ? Number(id) : undefined

/** the offset a cursor stands for (\`undefined\`: the first page); \`undefined\` for a bad cursor */
export const offsetOf = (cursor: string | undefined): number | undefined => {
  if (cursor === undefined) return 0
  return /^(0|[1-9]\\d{0,14})$/.test(cursor) ? Number(cursor) : undefined
}

/** the query of one page of tickets matching the criteria; a message for criteria it cannot express */
export const queryOf = (
  criteria: SearchCriteria.SearchCriteria,
  page: { readonly offset: number; readonly limit: number }
): Either.Either<Client.TicketQuery, string> => {
  const queues = (criteria.queues ?? []).map(queueOf)
  const bad = queues.find(Either.isLeft)
  if (bad !== undefined) return Either.left(bad.left)
  const list = (values: ReadonlyArray<string> | undefined) => values === undefined ? undefined : values.join(",")
  return Either.right({
    status: list(criteria.states?.map(statusOf)),
    priority: list(criteria.priorities?.map((p) => String(priorityByLevel[p]))),
    queue: list(criteria.queues === undefined ? undefined : queues.flatMap((q) => Either.isRight(q) ? [q.right] : [])),
    updated_since: criteria.updatedSince === undefined ? undefined : DateTime.formatIso(criteria.updatedSince),
    q: criteria.text,
    offset: page.offset,
    limit: page.limit
  })
}

/** a page of the port: the cursor of the next page is its offset, while there are more */
export const toPage = (answer: Client.WirePage, offset: number): SearchCriteria.Page<Ticket.Ticket> => {
  const items = answer.tickets.map(toTicket)
  const end = offset + items.length
  return items.length > 0 && end < answer.total ? { items, total: answer.total, next: String(end) } : { items, total: answer.total }
}

// -----------------------------------------------------------------------------
// writing
// -----------------------------------------------------------------------------

/** what the system cannot hold; a message, or \`undefined\` when everything can be written */
export const unsupported = (change: {
  readonly tags?: ReadonlyArray<string> | undefined
  readonly customFields?: Readonly<Record<string, unknown>> | undefined
  readonly assignee?: unknown
}): string | undefined => {
  if (change.tags !== undefined && change.tags.length > 0) return "tags are not supported"
  if (change.customFields !== undefined && Object.keys(change.customFields).length > 0) return "custom fields are not supported"
  if (change.assignee !== undefined) return "assignees are not supported"
  return undefined
}

/** the body of a new ticket */
export const createBody = (draft: Ticket.TicketDraft): Either.Either<Client.TicketCreate, string> => {
  const problem = unsupported(draft)
  if (problem !== undefined) return Either.left(problem)
  return Either.all([queueOf(draft.queue), draft.priority === undefined ? Either.right(undefined) : priorityOf(draft.priority)]).pipe(
    Either.map(([queue, priority]) => ({
      subject: draft.title,
      body: draft.description,
      queue,
      ...(draft.state === undefined ? {} : { status: statusOf(draft.state) }),
      ...(priority === undefined ? {} : { priority }),
      ...(draft.requester?.email === undefined ? {} : { requester: draft.requester.email })
    }))
  )
}

/** the body of a change: only the fields given */
export const changeBody = (update: Ticket.TicketUpdate): Either.Either<Client.TicketChange, string> => {
  const problem = unsupported(update)
  if (problem !== undefined) return Either.left(problem)
  return Either.all([
    update.queue === undefined ? Either.right(undefined) : queueOf(update.queue),
    update.priority === undefined ? Either.right(undefined) : priorityOf(update.priority)
  ]).pipe(
    Either.map(([queue, priority]) => ({
      ...(update.title === undefined ? {} : { subject: update.title }),
      ...(update.description === undefined ? {} : { body: update.description }),
      ...(update.state === undefined ? {} : { status: statusOf(update.state) }),
      ...(priority === undefined ? {} : { priority }),
      ...(queue === undefined ? {} : { queue })
    }))
  )
}

/** the body of a comment for a note (this system has no HTML comments: \`capabilities.htmlNotes\` is false) */
export const commentBody = (note: Note.NoteDraft): Client.CommentCreate => ({
  text: note.body,
  internal: note.visibility === "internal"
})
`

/** `src/index.ts`: options, the driver, constructors and the plugin entry point */
export const index = (n: Names): string =>
  `/**
 * The ${n.pascal} adapter for ticketkit: ${n.pascal}'s API behind ticketkit's port, in three parts —
 * the typed client (\`Client.ts\`), the pure mapping (\`Mapping.ts\`) and the small driver below —
 * with its options, its constructors (\`make\`, \`layer\`, \`layerConfig\`), its \`definition\` (what a
 * \`ticketkit.yaml\` names: \`adapter: ${n.adapter}\`) and \`setup\`, the plugin entry point ticketkit calls
 * (\`"ticketkit": { "plugin": "./dist/index.js" }\` in package.json).
 *
 * A driver is six functions and the system's capabilities. \`TicketSystemAdapter.make(driver)\`
 * adds what every adapter needs: it validates criteria, ids, updates and notes before they reach
 * the driver, pages into streams, honours limits, and adds spans and logs.
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import type * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as FiberRef from "effect/FiberRef"
import * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"
import type { Registry } from "ticketkit"
import { AdapterDefinition, AdapterError, HttpTransport, SearchCriteria, TicketSystemAdapter } from "ticketkit"
import * as Client from "./Client.js"
import * as Mapping from "./Mapping.js"

/** the adapter's name in configuration files (\`adapter: ${n.adapter}\`) */
export const ADAPTER = "${n.adapter}"

// -----------------------------------------------------------------------------
// options
// -----------------------------------------------------------------------------

/**
 * The options, as a configuration file gives them:
 *
 * \`\`\`yaml
 * systems:
 *   desk:
 *     adapter: ${n.adapter}
 *     options:
 *       baseUrl: https://helpdesk.example.com
 *       token: \${env:${n.env}_TOKEN}
 * \`\`\`
 *
 * \`token\` is decoded into a \`Redacted\`: it is never printed, logged or put in a span.
 */
export const Options = Schema.Struct({
  baseUrl: HttpTransport.BaseUrl,
  token: HttpTransport.Secret,
  /** the system's name in errors, logs and spans (a configuration file sets it to the system's) */
  name: Schema.optionalWith(Schema.String.pipe(Schema.nonEmptyString()), { default: () => ADAPTER }),
  /** per request (default 30 seconds) */
  timeout: Schema.optionalWith(HttpTransport.DurationInput, { default: () => Duration.seconds(30) }),
  userAgent: Schema.optionalWith(Schema.String, { default: () => "${n.packageName}" }),
  /** the largest answer read (default 10 MiB) */
  maxBodyBytes: Schema.optionalWith(Schema.Int.pipe(Schema.positive()), { default: () => 10 * 1024 * 1024 })
})
export type Options = typeof Options.Type

/** the options as written: defaults may be left out, the token plain or \`Redacted\` */
export type OptionsInput = typeof Options.Encoded

/** options that are code, not configuration */
export interface Hooks {
  /** adapts the platform client (logging, proxies…) */
  readonly transformClient?: (client: HttpClient.HttpClient) => HttpClient.HttpClient
}

const decode = (input: OptionsInput): Effect.Effect<Options, AdapterError.ConfigurationError> =>
  Schema.decodeUnknown(Options, { onExcessProperty: "error" })(input).pipe(
    Effect.mapError((error) => new AdapterError.ConfigurationError({ adapter: ADAPTER, detail: SearchCriteria.formatParseError(error) }))
  )

// -----------------------------------------------------------------------------
// the driver
// -----------------------------------------------------------------------------

/** what the system can do: the contract suite and callers adapt to it */
export const capabilities: TicketSystemAdapter.Capabilities = {
  createTickets: true,
  publicNotes: true,
  internalNotes: true,
  htmlNotes: false,
  textSearch: true,
  tags: false,
  maxPageSize: Client.MAX_PAGE_SIZE,
  states: ["new", "open", "pending", "resolved", "closed"]
}

/** the operation being served, for errors made here (the port names it) */
const operation = FiberRef.get(TicketSystemAdapter.currentOperation).pipe(Effect.map((op) => op ?? ADAPTER))

/** a change the system cannot make, refused before any request */
const rejected = (client: Client.Client, reason: string, ticketId?: string) =>
  Effect.flatMap(operation, (op) =>
    Effect.fail(new AdapterError.RequestRejectedError({ adapter: client.name, operation: op, reason, ...(ticketId === undefined ? {} : { ticketId }) })))

const orReject = <A>(client: Client.Client, either: Either.Either<A, string>, ticketId?: string) =>
  Either.isLeft(either) ? rejected(client, either.left, ticketId) : Effect.succeed(either.right)

/** an id the system cannot have (not a number) is a ticket that is not there */
const numberOf = (client: Client.Client, id: string) => {
  const n = Mapping.ticketNumber(id)
  return n !== undefined
    ? Effect.succeed(String(n))
    : Effect.flatMap(operation, (op) => Effect.fail(new AdapterError.TicketNotFoundError({ adapter: client.name, operation: op, ticketId: id })))
}

/** the driver: each function one request (or two), inputs already validated by the port */
export const driver = (client: Client.Client): TicketSystemAdapter.Driver => ({
  name: client.name,
  kind: ADAPTER,
  capabilities,
  scrubber: client.transport.scrubber,
  fetchPage: (criteria, page) =>
    Effect.gen(function*() {
      const offset = Mapping.offsetOf(page.cursor)
      if (offset === undefined) {
        return yield* Effect.flatMap(operation, (op) =>
          Effect.fail(new AdapterError.InvalidInputError({ adapter: client.name, operation: op, detail: \`not a cursor of this system: \${JSON.stringify(page.cursor)}\` })))
      }
      const query = yield* orReject(client, Mapping.queryOf(criteria, { offset, limit: page.pageSize }))
      return Mapping.toPage(yield* client.listTickets(query), offset)
    }),
  getTicket: (id) => Effect.flatMap(numberOf(client, id), (n) => Effect.map(client.getTicket(n), Mapping.toTicket)),
  createTicket: (draft) =>
    Effect.flatMap(orReject(client, Mapping.createBody(draft)), (body) => Effect.map(client.createTicket(body), Mapping.toTicket)),
  updateTicket: (id, update) =>
    Effect.gen(function*() {
      const n = yield* numberOf(client, id)
      const body = yield* orReject(client, Mapping.changeBody(update), id)
      return Mapping.toTicket(yield* client.updateTicket(n, body))
    }),
  addNote: (id, note) => Effect.flatMap(numberOf(client, id), (n) => client.addComment(n, Mapping.commentBody(note))),
  listNotes: (id) => Effect.flatMap(numberOf(client, id), (n) => Effect.map(client.listComments(n), (comments) => comments.map(Mapping.toNote)))
})

// -----------------------------------------------------------------------------
// constructors
// -----------------------------------------------------------------------------

const makeDecoded = (options: Options, hooks: Hooks) =>
  Effect.map(Client.make({ ...options, ...hooks }), (client) => TicketSystemAdapter.make(driver(client)))

/**
 * The adapter, from options as written. A bad option fails with \`ConfigurationError\`. Requires an
 * \`HttpClient\` (\`NodeHttpClient.layerUndici\` from \`@effect/platform-node\`).
 */
export const make = (
  input: OptionsInput,
  hooks: Hooks = {}
): Effect.Effect<TicketSystemAdapter.Service, AdapterError.ConfigurationError, HttpClient.HttpClient> =>
  Effect.flatMap(decode(input), (options) => makeDecoded(options, hooks))

/** the adapter as a layer */
export const layer = (
  input: OptionsInput,
  hooks: Hooks = {}
): Layer.Layer<TicketSystemAdapter.TicketSystemAdapter, AdapterError.ConfigurationError, HttpClient.HttpClient> =>
  Layer.effect(TicketSystemAdapter.TicketSystemAdapter, make(input, hooks))

/** the adapter as a layer, its options read from a \`Config\` */
export const layerConfig = (
  config: Config.Config<OptionsInput>,
  hooks: Hooks = {}
): Layer.Layer<TicketSystemAdapter.TicketSystemAdapter, AdapterError.ConfigurationError | ConfigError.ConfigError, HttpClient.HttpClient> =>
  Layer.effect(TicketSystemAdapter.TicketSystemAdapter, Effect.flatMap(config, (input) => make(input, hooks)))

// -----------------------------------------------------------------------------
// the plugin
// -----------------------------------------------------------------------------

/**
 * The adapter as a configuration file names it (\`adapter: ${n.adapter}\`), named after the configured
 * system unless \`name\` is set.
 */
export const definition: AdapterDefinition.AdapterDefinition<Options, OptionsInput> = AdapterDefinition.make({
  name: ADAPTER,
  description: "${n.pascal} (options: baseUrl, token)",
  options: Options,
  layer: (options, { system }) =>
    Layer.effect(TicketSystemAdapter.TicketSystemAdapter, makeDecoded({ ...options, name: options.name === ADAPTER ? system : options.name }, {}))
})

/** the plugin entry point: ticketkit calls it with its registry when it finds this package */
export const setup = (registry: Registry.PluginRegistry) => registry.register(definition)
`
