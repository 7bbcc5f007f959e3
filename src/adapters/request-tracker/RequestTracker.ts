/**
 * The Request Tracker 5 adapter: maps {@link RequestTrackerClient} (REST2) onto the
 * `TicketSystemAdapter` port.
 *
 * ```ts
 * const Rt = RequestTracker.layer({
 *   baseUrl: "https://rt.example.com",
 *   auth: { _tag: "token", token: Redacted.make(process.env.RT_TOKEN!) }
 * }).pipe(Layer.provide(NodeHttpClient.layerUndici))
 * ```
 *
 * **States** follow RT's default lifecycle: `new` → new, `open` → open, `stalled` → pending,
 * `resolved` → resolved, `rejected` and `deleted` → closed; `state.name` keeps RT's status.
 * Statuses of custom lifecycles are mapped with the `statuses` option; an unmapped status reads
 * as `open`. Writing a category picks new, open, stalled, resolved, rejected; `{ name: "…" }`
 * sets exactly that status. RT never returns deleted tickets from searches, so a `closed` filter
 * finds rejected tickets (and custom statuses mapped to closed) only.
 *
 * **Priorities** are RT's numbers, mapped by bands (`priorities.bands`, lower bounds):
 * 0–24 low, 25–49 normal, 50–74 high, 75 and above urgent (below 0 is low). Writing a level sets
 * `priorities.values`: low 0, normal 25, high 50, urgent 100 (so that RT's own
 * `PriorityAsString` labels — Low 0, Medium 50, High 100 — read Low, Low, Medium, High).
 * `priority.value` keeps the number; `{ name: "70" }` sets exactly 70 (`{ name: "High" }` is
 * passed to RT as is).
 *
 * **Description** is the text of the ticket's first message (the `Create` transaction), the
 * first inline `text/plain` or `text/html` part of it. RT cannot change it afterwards: updating
 * `description` is refused; add a note instead.
 *
 * **Notes** are the ticket's `Comment` (internal) and `Correspond` (public) transactions, oldest
 * first, with the text of their first inline text part; the `Create` transaction is not a note
 * (its text is the description), so every note added with `addNote` reads back exactly once.
 * A public note is mailed to the requestors and, on a resolved ticket, reopens it (RT's own
 * behaviour).
 *
 * **Search**: criteria become TicketSQL ({@link TicketSql}, values always quoted and escaped);
 * text matches the Subject, and message content too with `contentSearch: true` (needs RT's
 * `%FullTextSearch` enabled; it also matches comments). Pages are RT's `page`/`per_page` (at
 * most 100) ordered by id; the cursor is the offset of the next ticket; `total` is RT's count.
 * RT's `LIKE` cannot escape `%` and `_` (they stay wildcards), so for text holding either RT's
 * matches are filtered to the tickets whose subject contains the text literally
 * (case-insensitively, as RT compares) — or, with `contentSearch`, one of the text parts of its
 * messages (read per ticket whose subject does not match: a search such as `%` alone reads every
 * ticket's messages). Such a page may be shorter than asked (RT's pages are read on until one has
 * a match), the cursor stays the offset in RT's unfiltered list, and `total` is given only when
 * the first page holds every match.
 *
 * **Errors**: RT answers 200 to an update it partly refused, with the reason among the messages
 * ("Ticket 7: Status 'x' isn't a valid status for this ticket.", "That user does not exist",
 * "Queue X does not exist"); the adapter reads the ticket back and fails with
 * `RequestRejectedError` carrying RT's message, or naming the field RT left unchanged. A field that
 * reads back different because another writer changed it a moment later is not a refusal: RT
 * reports each change it makes ("Subject changed from 'a' to 'b'") and says nothing of a value the
 * ticket already has, in which case the later write is looked up in the ticket's history (the
 * field's transactions since the update began, by RT's clock: its answer's `Date`). The update
 * then succeeds with the ticket as read back.
 * Creating in a queue RT does not know answers 403 like a missing right: the adapter then looks
 * the queue up and fails with `RequestRejectedError` when it does not exist or is disabled, and
 * with `AuthenticationError` when it does (or when the credentials may not even see it).
 *
 * @since 0.1.0
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import * as Cache from "effect/Cache"
import * as Clock from "effect/Clock"
import type * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as DateTime from "effect/DateTime"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import type { AdapterError } from "../../AdapterError.js"
import { AuthenticationError, InvalidInputError, RequestRejectedError, TicketNotFoundError } from "../../AdapterError.js"
import { Note } from "../../Note.js"
import type { NoteDraft } from "../../Note.js"
import type { Page, SearchCriteria } from "../../SearchCriteria.js"
import type { AdapterDefinition } from "../../Registry.js"
import { formatParseError } from "../../SearchCriteria.js"
import * as T from "../../Ticket.js"
import * as TicketSystemAdapter from "../../TicketSystemAdapter.js"
import { ConfigurationError } from "../../AdapterError.js"
import * as Client from "./RequestTrackerClient.js"
import { RequestTrackerClient } from "./RequestTrackerClient.js"
import * as TicketSql from "./TicketSql.js"

// -----------------------------------------------------------------------------
// configuration
// -----------------------------------------------------------------------------

const PriorityNumber = Schema.Int.pipe(Schema.between(0, 100, { message: () => "a priority must be a whole number from 0 to 100" }))

/**
 * The lowest RT priority of each level above `low` (0–24 low, 25–49 normal, 50–74 high, 75+
 * urgent by default). They must rise.
 *
 * @since 0.1.0
 * @category configuration
 */
export const PriorityBands = Schema.Struct({
  normal: Schema.optionalWith(PriorityNumber, { default: () => 25 }),
  high: Schema.optionalWith(PriorityNumber, { default: () => 50 }),
  urgent: Schema.optionalWith(PriorityNumber, { default: () => 75 })
})

/**
 * The RT priority written for each level (low 0, normal 25, high 50, urgent 100 by default).
 * Each must lie in its level's band.
 *
 * @since 0.1.0
 * @category configuration
 */
export const PriorityValues = Schema.Struct({
  low: Schema.optionalWith(PriorityNumber, { default: () => 0 }),
  normal: Schema.optionalWith(PriorityNumber, { default: () => 25 }),
  high: Schema.optionalWith(PriorityNumber, { default: () => 50 }),
  urgent: Schema.optionalWith(PriorityNumber, { default: () => 100 })
})

/**
 * How RT's 0–100 priorities map onto levels.
 *
 * @since 0.1.0
 * @category configuration
 */
export const Priorities = Schema.Struct({
  bands: Schema.optionalWith(PriorityBands, { default: () => ({ normal: 25, high: 50, urgent: 75 }) }),
  values: Schema.optionalWith(PriorityValues, { default: () => ({ low: 0, normal: 25, high: 50, urgent: 100 }) })
}).pipe(
  Schema.filter(({ bands }) =>
    (bands.normal > 0 && bands.normal < bands.high && bands.high < bands.urgent) ||
    `priorities.bands must rise above 0: normal (${bands.normal}) < high (${bands.high}) < urgent (${bands.urgent})`
  ),
  Schema.filter(({ bands, values }) => {
    const wrong = (["low", "normal", "high", "urgent"] as const).filter((level) => priorityLevel(values[level], bands) !== level)
    return wrong.length === 0 ||
      `priorities.values must lie in their bands: ${wrong.map((l) => `${l} = ${values[l]} is ${priorityLevel(values[l], bands)}`).join(", ")}`
  })
)

/**
 * @since 0.1.0
 * @category configuration
 */
export type Priorities = typeof Priorities.Type

const TimeZoneName = Schema.String.pipe(
  Schema.filter((s) => Option.isSome(DateTime.zoneMakeNamed(s)) || `expected an IANA timezone such as "Europe/Berlin", got ${JSON.stringify(s)}`)
)

/**
 * The configuration of the Request Tracker adapter: the client's (`baseUrl`, `auth`, `name`,
 * `timeout`, …) and how RT's values map onto the normal form.
 *
 * @since 0.1.0
 * @category configuration
 */
export const Options = Schema.Struct({
  ...Client.Options.fields,
  /** text search looks in message content too (`Content LIKE`; RT's `%FullTextSearch` must be enabled) */
  contentSearch: Schema.optionalWith(Schema.Boolean, { default: () => false }),
  priorities: Schema.optionalWith(Priorities, {
    default: () => ({ bands: { normal: 25, high: 50, urgent: 75 }, values: { low: 0, normal: 25, high: 50, urgent: 100 } })
  }),
  /** statuses of custom lifecycles (or overrides): RT status → state category */
  statuses: Schema.optionalWith(Schema.Record({ key: Schema.String, value: T.StateType }), { default: () => ({}) }),
  /** the timezone RT reads TicketSQL dates in: the RT user's, else RT's `$Timezone` (default UTC) */
  timeZone: Schema.optionalWith(TimeZoneName, { default: () => "UTC" })
})

/**
 * @since 0.1.0
 * @category configuration
 */
export type Options = typeof Options.Type

/**
 * The input form of the configuration (as written in code or a config file).
 *
 * @since 0.1.0
 * @category configuration
 */
export type OptionsInput = typeof Options.Encoded

/**
 * Options that are code, not configuration.
 *
 * @since 0.1.0
 * @category configuration
 */
export type Hooks = Client.Hooks

/**
 * Checks a configuration, with a message naming every bad key.
 *
 * @since 0.1.0
 * @category configuration
 */
export const decodeOptions = (input: unknown): Either.Either<Options, string> =>
  Schema.decodeUnknownEither(Options, { onExcessProperty: "error" })(input).pipe(Either.mapLeft(formatParseError))

// -----------------------------------------------------------------------------
// mapping
// -----------------------------------------------------------------------------

/**
 * RT's default lifecycle, as state categories.
 *
 * @since 0.1.0
 * @category mapping
 */
export const defaultStatuses: Readonly<Record<string, T.StateType>> = {
  new: "new",
  open: "open",
  stalled: "pending",
  resolved: "resolved",
  rejected: "closed",
  deleted: "closed"
}

/**
 * The RT status written for each state category.
 *
 * @since 0.1.0
 * @category mapping
 */
export const statusFor: Readonly<Record<T.StateType, string>> = {
  new: "new",
  open: "open",
  pending: "stalled",
  resolved: "resolved",
  closed: "rejected"
}

/**
 * The level of an RT priority, by bands (lower bounds of normal, high, urgent).
 *
 * @since 0.1.0
 * @category mapping
 */
export const priorityLevel = (
  value: number,
  bands: { readonly normal: number; readonly high: number; readonly urgent: number }
): T.PriorityLevel => (value >= bands.urgent ? "urgent" : value >= bands.high ? "high" : value >= bands.normal ? "normal" : "low")

const successMessage = /^(?:Ticket \d+: )?(?:.+ (?:changed from|changed to|set to) |.* (?:added|deleted|removed)\.?$|Added .+ as )/s
const failureMessage =
  /isn't a valid|is not a valid|does not exist|doesn't exist|permission denied|no permission|not allowed|illegal|invalid|could not|couldn't|can't|cannot|failed|must be|required/i

/**
 * Is one of RT's update messages the report of a change it refused? (RT answers 200 with such
 * messages among those of the changes it made.) A message of a change made never is, even when
 * the new value reads like an error.
 *
 * @since 0.1.0
 * @category mapping
 */
export const isFailureMessage = (message: string): boolean => !successMessage.test(message) && failureMessage.test(message)

const digits = /^\d{1,15}$/

// -----------------------------------------------------------------------------
// adapter
// -----------------------------------------------------------------------------

/**
 * Makes the adapter on a client. Requires {@link RequestTrackerClient}.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options): Effect.Effect<TicketSystemAdapter.Service, never, RequestTrackerClient> =>
  Effect.gen(function*() {
    const client = yield* RequestTrackerClient
    const { name } = options
    const { bands, values } = options.priorities

    const statuses = new Map<string, T.StateType>(
      [...Object.entries(defaultStatuses), ...Object.entries(options.statuses)].map(([k, v]) => [k.toLowerCase(), v])
    )
    const stateOf = (status: string): T.StateType => statuses.get(status.toLowerCase()) ?? "open"
    const mapping: TicketSql.Mapping = {
      // deleted tickets are never in search results
      statusesOf: (type) => Array.from(statuses).filter(([status, t]) => t === type && status !== "deleted").map(([status]) => status),
      priorityRange: (level) => {
        switch (level) {
          case "low":
            return { to: bands.normal }
          case "normal":
            return { from: bands.normal, to: bands.high }
          case "high":
            return { from: bands.high, to: bands.urgent }
          case "urgent":
            return { from: bands.urgent }
        }
      },
      contentSearch: options.contentSearch,
      timeZone: DateTime.zoneMakeNamed(options.timeZone).pipe(Option.getOrElse(() => DateTime.zoneMakeOffset(0)))
    }

    const invalidInput = (operation: string, detail: string) => new InvalidInputError({ adapter: name, operation, detail })
    const notFound = (operation: string, id: string) => new TicketNotFoundError({ adapter: name, operation, ticketId: id })
    const rejected = (operation: string, id: string | undefined, reason: string, status?: number) =>
      new RequestRejectedError({
        adapter: name,
        operation,
        reason: client.scrub(reason),
        ...(status === undefined ? {} : { status }),
        ...(id === undefined ? {} : { ticketId: id })
      })
    /** RT ticket ids are numbers: anything else cannot exist (and never reaches a URL) */
    const checkId = (operation: string, id: string) => (digits.test(id) ? Effect.succeed(id) : Effect.fail(notFound(operation, id)))

    // ---- queue names (a ticket record names its queue by id only) ------------------

    const queues = yield* Cache.makeWith({
      capacity: 1024,
      lookup: (id: string) => client.getQueue(id),
      timeToLive: (exit) => (Exit.isSuccess(exit) ? Duration.minutes(5) : Duration.zero)
    })
    const queueNameOf = (id: string) =>
      queues.get(id).pipe(
        Effect.map(Option.map((q) => q.Name)),
        // credentials that may see a ticket but not its queue: the id alone still designates it
        Effect.catchTag("AuthenticationError", () => Effect.succeed(Option.none<string>()))
      )

    // ---- tickets -------------------------------------------------------------

    const userOf = (ref: Client.ObjectRef | undefined): T.UserRef | undefined => {
      if (ref === undefined) return undefined
      const userName = ref.Name ?? ref.id
      if (userName === "" || userName.toLowerCase() === "nobody") return undefined
      const email = ref.EmailAddress !== undefined && ref.EmailAddress !== "" ? ref.EmailAddress : userName.includes("@") ? userName : undefined
      return { name: userName, ...(email === undefined ? {} : { email }) }
    }

    const customFieldsOf = (fields: ReadonlyArray<Client.CustomField> | undefined) => {
      const out: Record<string, T.CustomFieldValue> = {}
      for (const cf of fields ?? []) {
        const vs = cf.values.map((v) => (typeof v === "string" ? v : v.filename))
        out[cf.name] = vs.length === 0 ? null : vs.length === 1 ? vs[0]! : vs
      }
      return out
    }

    const ticketOf = (record: Client.WithRaw<Client.Ticket>, description: string, queueName: string | undefined): T.Ticket => {
      const t = record.value
      const requester = userOf(t.Requestor?.[0])
      const assignee = userOf(t.Owner)
      return new T.Ticket({
        id: T.ticketId(t.id),
        title: t.Subject,
        description,
        state: { type: stateOf(t.Status), name: t.Status },
        priority: { level: priorityLevel(t.Priority, bands), name: String(t.Priority), value: t.Priority },
        queue: { id: t.Queue.id, ...(queueName === undefined ? {} : { name: queueName }) },
        ...(requester === undefined ? {} : { requester }),
        ...(assignee === undefined ? {} : { assignee }),
        tags: [],
        createdAt: t.Created,
        updatedAt: t.LastUpdated,
        customFields: customFieldsOf(t.CustomFields),
        raw: record.raw
      }, true)
    }

    /** the first inline text part of each transaction, by transaction id */
    const textsOf = (attachments: ReadonlyArray<Client.Attachment>) => {
      const texts = new Map<string, Client.Attachment>()
      const sorted = [...attachments].sort((a, b) => Number(a.id) - Number(b.id))
      for (const a of sorted) {
        if (a.Filename !== "" || !/^text\/(plain|html)\b/i.test(a.ContentType) || texts.has(a.TransactionId)) continue
        texts.set(a.TransactionId, a)
      }
      return texts
    }

    /** the descriptions (text of the Create transaction) of some tickets: two requests */
    const descriptionsOf = (ids: ReadonlyArray<string>): Effect.Effect<ReadonlyMap<string, string>, AdapterError> =>
      Effect.gen(function*() {
        const numbers = ids.filter((id) => digits.test(id)).map(Number)
        if (numbers.length === 0) return new Map()
        const creates = yield* Client.allPages((paging) =>
          client.searchTransactions({ ...paging, query: TicketSql.ticketTransactions(numbers, ["Create"]), fields: ["ObjectId", "Type"] })
        )
        const ticketOfTxn = new Map(creates.flatMap((txn) => (txn.ObjectId === undefined ? [] : [[txn.id, txn.ObjectId] as const])))
        if (ticketOfTxn.size === 0) return new Map()
        const attachments = yield* Client.allPages((paging) =>
          client.searchAttachments({
            ...paging,
            where: [
              { field: "TransactionId", operator: "IN", value: Array.from(ticketOfTxn.keys()).map(Number) },
              { field: "ContentType", operator: "LIKE", value: "text/" }
            ]
          })
        )
        const descriptions = new Map<string, string>()
        for (const [txn, text] of textsOf(attachments)) {
          const ticket = ticketOfTxn.get(txn)
          if (ticket !== undefined) descriptions.set(ticket, text.Content)
        }
        return descriptions
      })

    const getTicket = (id: string, operation = "getTicket"): Effect.Effect<T.Ticket, AdapterError> =>
      Effect.gen(function*() {
        yield* checkId(operation, id)
        const [record, descriptions] = yield* Effect.all([client.getTicket(id), descriptionsOf([id])], { concurrency: 2 })
        const queueName = record.value.Queue.Name ?? Option.getOrUndefined(yield* queueNameOf(record.value.Queue.id))
        return ticketOf(record, descriptions.get(String(record.value.id)) ?? "", queueName)
      }).pipe(Client.withOperation(operation))

    // ---- search --------------------------------------------------------------

    const queryOf = (criteria: SearchCriteria): Effect.Effect<TicketSql.TicketSql, AdapterError> =>
      Effect.gen(function*() {
        const built = TicketSql.fromCriteria(criteria, mapping)
        if (Either.isRight(built)) return built.right
        // queue names TicketSQL cannot compare with literally: search by the queue's id
        const unaddressable = new Set(built.left.names)
        const resolved = yield* Effect.forEach(criteria.queues ?? [], (queue) => {
          const key = queue.id ?? queue.name ?? ""
          if (!unaddressable.has(key)) return Effect.succeed(queue)
          return client.getQueue(key).pipe(
            Effect.map(Option.match({ onNone: () => ({ id: "0" }), onSome: (q) => ({ id: q.id }) })),
            Effect.catchTag("AuthenticationError", () => Effect.succeed({ id: "0" }))
          )
        })
        return Either.getOrElse(TicketSql.fromCriteria({ ...criteria, queues: resolved }, mapping), () => TicketSql.nothing)
      })

    /** the tickets among some whose text contains `text` literally: subject, else (with `contentSearch`) a message */
    const literallyMatching = (
      records: ReadonlyArray<Client.WithRaw<Client.Ticket>>,
      text: string
    ): Effect.Effect<ReadonlySet<string>, AdapterError> =>
      Effect.gen(function*() {
        const found = new Set(records.filter((r) => TicketSql.containsLiteral(r.value.Subject, text)).map((r) => r.value.id))
        if (!options.contentSearch) return found
        // RT's `Content LIKE` looks at every text part of the ticket's transactions: read them
        const rest = records.filter((r) => !found.has(r.value.id) && digits.test(r.value.id)).map((r) => r.value.id)
        yield* Effect.forEach(rest, (id) =>
          Client.allPages((paging) =>
            client.ticketAttachments(id, { ...paging, where: [{ field: "ContentType", operator: "LIKE", value: "text/" }] })
          ).pipe(
            Effect.map((attachments) => {
              if (attachments.some((a) => TicketSql.containsLiteral(a.Content, text))) found.add(id)
            })
          ), { concurrency: 4, discard: true })
        return found
      })

    /**
     * A page of a text search whose text RT's `LIKE` takes wildcards from (`%`, `_`): RT's matches
     * are filtered to those containing the text literally. The cursor stays the offset in RT's
     * (unfiltered) list. A page is read on through RT's pages until a match is found (an empty page
     * would end a stream) and ends with the RT page where it found one, or when it is full: it may
     * be shorter than asked. `total` is given only when it is exact: when this first page holds
     * every match.
     */
    const literalPage = (query: TicketSql.TicketSql, text: string, offset: number, size: number): Effect.Effect<Page<T.Ticket>, AdapterError> =>
      Effect.gen(function*() {
        const kept: Array<Client.WithRaw<Client.Ticket>> = []
        let at = offset
        let more = true
        while (more && kept.length === 0) {
          // RT's pages of 100 (the most it gives), skipping into the one holding the offset
          const page = Math.floor(at / 100) + 1
          const start = (page - 1) * 100
          const result = yield* client.searchTickets({ query, page, perPage: 100, orderBy: "id", order: "ASC" })
          const records = result.items.slice(at - start)
          const end = start + result.items.length
          const total = typeof result.total === "number" ? result.total : undefined
          more = result.items.length > 0 && (total !== undefined ? end < total : result.items.length >= 100)
          const matching = yield* literallyMatching(records, text)
          at = Math.max(at, end)
          for (let i = 0; i < records.length; i++) {
            if (!matching.has(records[i]!.value.id)) continue
            kept.push(records[i]!)
            if (kept.length === size) {
              // full: the next page starts after this ticket
              const following = at - records.length + i + 1
              if (following < at) more = true
              at = following
              break
            }
          }
        }
        const descriptions = yield* descriptionsOf(kept.map((r) => r.value.id))
        const items = kept.map((r) => ticketOf(r, descriptions.get(r.value.id) ?? "", r.value.Queue.Name))
        return { items, ...(offset === 0 && !more ? { total: items.length } : {}), ...(more ? { next: String(at) } : {}) }
      })

    const fetchPage = (criteria: SearchCriteria, request: TicketSystemAdapter.PageRequest): Effect.Effect<Page<T.Ticket>, AdapterError> => {
      const operation = criteria.text !== undefined ? "searchTickets" : "fetchTickets"
      return Effect.gen(function*() {
        const offset = request.cursor === undefined ? 0 : digits.test(request.cursor) ? Number(request.cursor) : undefined
        if (offset === undefined) return yield* invalidInput(operation, `invalid cursor ${JSON.stringify(request.cursor)}`)
        const size = Math.max(1, Math.min(request.pageSize, 100))
        const query = yield* queryOf(criteria)
        if (criteria.text !== undefined && TicketSql.hasWildcards(criteria.text)) return yield* literalPage(query, criteria.text, offset, size)
        // RT addresses pages, not offsets: fetch the page holding the offset and skip into it
        const page = Math.floor(offset / size) + 1
        const start = (page - 1) * size
        const result = yield* client.searchTickets({ query, page, perPage: size, orderBy: "id", order: "ASC" })
        const records = result.items.slice(offset - start)
        const end = start + result.items.length
        const total = typeof result.total === "number" ? result.total : undefined
        const more = result.items.length > 0 && (total !== undefined ? end < total : result.items.length >= size)
        const descriptions = yield* descriptionsOf(records.map((r) => r.value.id))
        const items = records.map((r) => ticketOf(r, descriptions.get(r.value.id) ?? "", r.value.Queue.Name))
        return { items, ...(total === undefined ? {} : { total }), ...(more ? { next: String(end) } : {}) }
      }).pipe(Client.withOperation(operation))
    }

    // ---- writing -------------------------------------------------------------

    const statusValue = (state: T.StateType | T.Ref) => (typeof state === "string" ? statusFor[state] : state.name ?? state.id ?? "")
    const priorityValue = (priority: T.PriorityLevel | T.Ref): number | string => {
      if (typeof priority === "string") return values[priority]
      const value = priority.name ?? priority.id ?? ""
      return /^-?\d{1,9}$/.test(value) ? Number(value) : value
    }
    const customFieldsInput = (fields: T.Ticket["customFields"]) => {
      const out: Record<string, Client.CustomFieldInput> = {}
      for (const [key, value] of Object.entries(fields)) {
        out[key] = value === null ? null : Array.isArray(value) ? value : String(value)
      }
      return out
    }

    /** an RT user name for a user reference (RT sets owners by name only) */
    const userNameOf = (operation: string, id: string | undefined, user: T.UserRef): Effect.Effect<string, AdapterError> => {
      const given = user.name ?? user.id
      const lookup = given !== undefined
        ? client.getUser(given)
        : client.findUserByEmail(user.email ?? "")
      return lookup.pipe(
        Effect.flatMap(Option.match({
          onSome: (u) => Effect.succeed(u.Name),
          onNone: () => Effect.fail(rejected(operation, id, `${T.formatRef(user)}: that user does not exist in ${name}`))
        })),
        // credentials that may not look users up: let RT decide on the name
        Effect.catchTag("AuthenticationError", (error) => (given !== undefined ? Effect.succeed(given) : Effect.fail(error)))
      )
    }

    /** RT answers 403 to a create in a queue it does not know: tell that apart from a missing right */
    const explainCreateForbidden = (queue: string, error: AuthenticationError): Effect.Effect<never, AdapterError> =>
      client.getQueue(queue).pipe(
        Effect.flatMap((found): Effect.Effect<never, AdapterError> => {
          if (Option.isNone(found)) return Effect.fail(rejected("createTicket", undefined, `queue ${JSON.stringify(queue)} does not exist`, 403))
          if (String(found.value.Disabled ?? "0") !== "0") {
            return Effect.fail(rejected("createTicket", undefined, `queue ${JSON.stringify(found.value.Name)} is disabled`, 403))
          }
          return Effect.fail(error)
        }),
        Effect.catchTag("AuthenticationError", () => Effect.fail(error))
      )

    const createTicket = (draft: T.TicketDraft): Effect.Effect<T.Ticket, AdapterError> =>
      Effect.gen(function*() {
        if (draft.tags !== undefined && draft.tags.length > 0) {
          return yield* invalidInput("createTicket", `${name} (Request Tracker) has no tags`)
        }
        const queue = draft.queue.id ?? draft.queue.name ?? ""
        const owner = draft.assignee === undefined ? undefined : yield* userNameOf("createTicket", undefined, draft.assignee)
        const requestor = draft.requester === undefined ? undefined : draft.requester.email ?? draft.requester.name ?? draft.requester.id
        const body: Client.TicketCreate = {
          Queue: queue,
          Subject: draft.title,
          ...(draft.description === "" ? {} : { Content: draft.description, ContentType: "text/plain" as const }),
          ...(draft.priority === undefined ? {} : { Priority: priorityValue(draft.priority) }),
          ...(draft.state === undefined ? {} : { Status: statusValue(draft.state) }),
          ...(requestor === undefined ? {} : { Requestor: requestor }),
          ...(owner === undefined ? {} : { Owner: owner }),
          ...(draft.customFields === undefined ? {} : { CustomFields: customFieldsInput(draft.customFields) })
        }
        const created = yield* client.createTicket(body).pipe(
          Effect.catchTag("AuthenticationError", (error) => (error.status === 403 ? explainCreateForbidden(queue, error) : Effect.fail(error)))
        )
        return yield* getTicket(created.id, "createTicket")
      }).pipe(Client.withOperation("createTicket"))

    /** a field of an update whose value the ticket read back does not hold, and why */
    interface Mismatch {
      /** the ticket field; `CustomFields` for a custom field that does not apply (no later write explains that) */
      readonly field: TicketSql.ChangedField | "CustomFields"
      readonly text: string
    }

    const sameText = (a: string, b: string) => a.replace(/\s+/g, " ").trim() === b.replace(/\s+/g, " ").trim()
    const sameName = (a: string, b: string) => sameText(a.toLowerCase(), b.toLowerCase())

    /** what the ticket read back does not hold of what was asked */
    const mismatches = (change: Client.TicketChange, after: T.Ticket): ReadonlyArray<Mismatch> => {
      const problems: Array<Mismatch> = []
      if (change.Subject !== undefined && !sameText(after.title, change.Subject)) {
        problems.push({ field: "Subject", text: `the subject was not changed` })
      }
      if (change.Status !== undefined && !sameName(after.state.name, change.Status)) {
        problems.push({ field: "Status", text: `the status is ${JSON.stringify(after.state.name)}, not ${JSON.stringify(change.Status)}` })
      }
      if (typeof change.Priority === "number" && after.priority.value !== change.Priority) {
        problems.push({ field: "Priority", text: `the priority is ${after.priority.name}, not ${change.Priority}` })
      }
      if (change.Queue !== undefined) {
        const wanted = String(change.Queue)
        const ok = digits.test(wanted) ? after.queue.id === wanted : after.queue.name !== undefined && sameName(after.queue.name, wanted)
        if (!ok) problems.push({ field: "Queue", text: `the ticket is in queue ${T.formatRef(after.queue)}, not ${JSON.stringify(wanted)}` })
      }
      if (change.Owner !== undefined) {
        const ok = change.Owner.toLowerCase() === "nobody"
          ? after.assignee === undefined
          : after.assignee?.name !== undefined && sameName(after.assignee.name, change.Owner)
        if (!ok) problems.push({ field: "Owner", text: `the owner is ${T.formatRef(after.assignee)}, not ${JSON.stringify(change.Owner)}` })
      }
      if (change.CustomFields !== undefined) {
        const rawFields = (after.raw as { CustomFields?: ReadonlyArray<{ id?: unknown; name?: unknown }> } | null)?.CustomFields
        const known = Array.isArray(rawFields) ? rawFields : []
        for (const key of Object.keys(change.CustomFields)) {
          const applies = known.some((cf) => String(cf.id) === key || (typeof cf.name === "string" && sameName(cf.name, key)))
          if (!applies) problems.push({ field: "CustomFields", text: `custom field ${JSON.stringify(key)} does not apply to this ticket` })
        }
      }
      return problems
    }

    /**
     * Explains the mismatches of an update with RT's own evidence, and gives what is left: the
     * changes RT did not make. The ticket read back may differ from the update because another
     * writer changed it a moment later; RT tells which:
     *
     * - RT reports every change it makes ("Ticket 7: Subject changed from 'a' to 'b'"): such a
     *   message, with the value asked for, means the change was made (a later writer overwrote it);
     *   with another value (RT cut a long subject) it was not made as asked.
     * - RT says nothing of a field that already has the value asked for (`RT::Record::Update` skips
     *   it): the change needed no work. If the field differs when read back, a later write changed
     *   it, and RT's history shows that write (a transaction of the field since the update began,
     *   by RT's clock). No message, no message RT might have meant for it, and no later change
     *   recorded: RT left it unchanged.
     */
    const unexplained = (
      id: string,
      change: Client.TicketChange,
      problems: ReadonlyArray<Mismatch>,
      messages: ReadonlyArray<string>,
      since: DateTime.Utc
    ): Effect.Effect<ReadonlyArray<Mismatch>, AdapterError> =>
      Effect.gen(function*() {
        const said = messages.map((m) => m.replace(/^Ticket \d+: /, ""))
        const about = (field: string) => (m: string) => m.startsWith(`${field} `)
        const success = (m: string) => successMessage.test(m)
        // what RT said besides the changes it made (and a no-op's "That is already the current value"):
        // perhaps its reason for leaving a field alone ("That user may not own tickets in that queue")
        const unaccounted = said.filter((m) => !success(m) && !/already the current value/i.test(m))
        const left: Array<Mismatch> = []
        const toCheck: Array<Mismatch & { readonly field: TicketSql.ChangedField }> = []
        for (const problem of problems) {
          const field = problem.field
          if (field === "CustomFields") {
            left.push(problem)
            continue
          }
          const reported = messages.filter((_, i) => about(field)(said[i]!) && success(said[i]!))
          const reports = reported.map((m) => m.replace(/^Ticket \d+: /, ""))
          if (reports.length > 0) {
            // the value RT names is comparable for the subject and the status (others are shown by name)
            const wanted = field === "Subject" ? change.Subject : field === "Status" ? change.Status : undefined
            const same = field === "Status" ? sameName : sameText
            const made = wanted === undefined || reports.some((m) => {
              const to = m.lastIndexOf(" to '")
              return to >= 0 && m.endsWith("'") && same(m.slice(to + 5, -1), wanted)
            })
            if (!made) left.push({ field, text: `${problem.text} (RT said: ${reported.join(" ")})` })
            continue
          }
          if (unaccounted.length > 0) left.push(problem)
          else toCheck.push({ ...problem, field })
        }
        if (toCheck.length > 0) {
          const changes = yield* Client.allPages((paging) =>
            client.searchTransactions({
              ...paging,
              query: TicketSql.fieldChanges(Number(id), toCheck.map((p) => p.field), since, mapping.timeZone),
              fields: ["Type", "Field", "Created"]
            })
          )
          for (const problem of toCheck) {
            if (!changes.some((txn) => txn.Field === problem.field)) left.push(problem)
          }
        }
        return left
      })

    const updateTicket = (id: T.TicketId, update: T.TicketUpdate): Effect.Effect<T.Ticket, AdapterError> =>
      Effect.gen(function*() {
        yield* checkId("updateTicket", id)
        if (update.description !== undefined) {
          return yield* invalidInput(
            "updateTicket",
            `${name} (Request Tracker) keeps a ticket's description as its first message, which cannot be changed; add a note instead`
          )
        }
        if (update.tags !== undefined && update.tags.length > 0) {
          return yield* invalidInput("updateTicket", `${name} (Request Tracker) has no tags`)
        }
        const owner = update.assignee === undefined
          ? undefined
          : update.assignee === null
          ? "Nobody"
          : yield* userNameOf("updateTicket", id, update.assignee)
        const change: Client.TicketChange = {
          ...(update.title === undefined ? {} : { Subject: update.title }),
          ...(update.state === undefined ? {} : { Status: statusValue(update.state) }),
          ...(update.priority === undefined ? {} : { Priority: priorityValue(update.priority) }),
          ...(update.queue === undefined ? {} : { Queue: update.queue.id ?? update.queue.name ?? "" }),
          ...(owner === undefined ? {} : { Owner: owner }),
          ...(update.customFields === undefined ? {} : { CustomFields: customFieldsInput(update.customFields) })
        }
        if (Object.keys(change).length === 0) return yield* getTicket(id, "updateTicket")
        const started = yield* Clock.currentTimeMillis
        const { date, messages } = yield* client.updateTicketAnswer(id, change)
        const answered = yield* Clock.currentTimeMillis
        const after = yield* getTicket(id, "updateTicket")
        const failures = messages.filter(isFailureMessage)
        if (failures.length > 0) return yield* rejected("updateTicket", id, failures.join(" "))
        const problems = mismatches(change, after)
        if (problems.length === 0) return after
        // when the update began, by RT's clock: its answer's time less the time it took (a second
        // earlier still, as RT keeps whole seconds); by ours when RT sent no time
        const since = DateTime.unsafeMake(
          date === undefined ? started - 10_000 : DateTime.toEpochMillis(date) - (answered - started) - 1_000
        )
        const left = yield* unexplained(id, change, problems, messages, since)
        if (left.length > 0) {
          const said = messages.length === 0 || left.every((p) => p.text.includes("(RT said: ")) ? "" : ` (RT said: ${messages.join(" ")})`
          return yield* rejected("updateTicket", id, `${name} did not apply the change: ${left.map((p) => p.text).join("; ")}${said}`)
        }
        // every difference is a later write by someone else: the change was applied
        return after
      }).pipe(Client.withOperation("updateTicket"))

    // ---- notes ---------------------------------------------------------------

    /** RT answers 400 to a note on a missing ticket, and "Permission Denied" without the right */
    const explainNoteRejection = (id: string, error: RequestRejectedError): Effect.Effect<never, AdapterError> =>
      /permission denied/i.test(error.reason)
        ? Effect.fail(new AuthenticationError({ adapter: name, operation: "addNote", status: 403 }))
        : client.getTicket(id).pipe(Effect.flatMap(() => Effect.fail(error)))

    const addNote = (id: T.TicketId, note: NoteDraft): Effect.Effect<void, AdapterError> =>
      Effect.gen(function*() {
        yield* checkId("addNote", id)
        const message: Client.Message = { Content: note.body, ContentType: note.contentType }
        const send = note.visibility === "internal" ? client.comment(id, message) : client.correspond(id, message)
        yield* send.pipe(Effect.catchTag("RequestRejectedError", (error) => explainNoteRejection(id, error)))
      }).pipe(Client.withOperation("addNote"))

    const listNotes = (id: T.TicketId): Effect.Effect<ReadonlyArray<Note>, AdapterError> =>
      Effect.gen(function*() {
        yield* checkId("listNotes", id)
        const [, transactions, attachments] = yield* Effect.all([
          // the history of a missing ticket is just empty: ask for the ticket to tell
          client.getTicket(id),
          Client.allPages((paging) =>
            client.searchTransactions({ ...paging, query: TicketSql.ticketTransactions([Number(id)], ["Comment", "Correspond"]) })
          ),
          Client.allPages((paging) =>
            client.ticketAttachments(id, { ...paging, where: [{ field: "ContentType", operator: "LIKE", value: "text/" }] })
          )
        ], { concurrency: 3 })
        const texts = textsOf(attachments)
        return [...transactions]
          .filter((txn) => txn.Type === "Comment" || txn.Type === "Correspond")
          .sort((a, b) => Number(a.id) - Number(b.id))
          .map((txn) => {
            const text = texts.get(txn.id)
            const author = userOf(txn.Creator)
            return new Note({
              id: txn.id,
              body: text?.Content ?? "",
              visibility: txn.Type === "Comment" ? "internal" : "public",
              contentType: text !== undefined && /^text\/html\b/i.test(text.ContentType) ? "text/html" : "text/plain",
              ...(author === undefined ? {} : { author }),
              ...(txn.Created === undefined ? {} : { createdAt: txn.Created })
            }, true)
          })
      }).pipe(Client.withOperation("listNotes"))

    return TicketSystemAdapter.make({
      name,
      kind: "request-tracker",
      scrubber: client.scrubber,
      capabilities: {
        createTickets: true,
        publicNotes: true,
        internalNotes: true,
        htmlNotes: true,
        textSearch: true,
        tags: false,
        maxPageSize: 100,
        states: ["new", "open", "pending", "resolved", "closed"]
      },
      fetchPage,
      getTicket: (id) => getTicket(id),
      createTicket,
      updateTicket,
      addNote,
      listNotes
    })
  })

const clientOptionsOf = (options: Options): Client.Options => ({
  name: options.name,
  baseUrl: options.baseUrl,
  auth: options.auth,
  timeout: options.timeout,
  userAgent: options.userAgent,
  maxBodyBytes: options.maxBodyBytes
})

/**
 * The adapter (and its client) as a layer, from an already checked configuration.
 * Requires an `HttpClient`.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerFromOptions = (
  options: Options,
  hooks: Hooks = {}
): Layer.Layer<TicketSystemAdapter.TicketSystemAdapter | RequestTrackerClient, never, HttpClient.HttpClient> =>
  Layer.effect(TicketSystemAdapter.TicketSystemAdapter, make(options)).pipe(
    Layer.provideMerge(Layer.effect(RequestTrackerClient, Client.make(clientOptionsOf(options), hooks)))
  )

/**
 * The adapter (and its client) as a layer, from a configuration checked when the layer is built.
 * Requires an `HttpClient`.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (
  input: OptionsInput,
  hooks: Hooks = {}
): Layer.Layer<TicketSystemAdapter.TicketSystemAdapter | RequestTrackerClient, ConfigurationError, HttpClient.HttpClient> =>
  Either.match(decodeOptions(input), {
    onLeft: (detail) =>
      Layer.fail(
        new ConfigurationError({
          adapter: typeof input?.name === "string" && input.name !== "" ? input.name : "request-tracker",
          detail
        })
      ),
    onRight: (options) => layerFromOptions(options, hooks)
  })

/**
 * The adapter as a layer, its configuration read from `Config` (e.g. environment variables).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig = (
  config: Config.Config<OptionsInput>,
  hooks: Hooks = {}
): Layer.Layer<
  TicketSystemAdapter.TicketSystemAdapter | RequestTrackerClient,
  ConfigError.ConfigError | ConfigurationError,
  HttpClient.HttpClient
> => Layer.unwrapEffect(Effect.map(config, (input) => layer(input, hooks)))

/**
 * The adapter as the registry knows it (`adapter: request-tracker` in a configuration file; the
 * configured system's name is used unless `name` is set). Register it under `rt` too with
 * `{ ...definition, name: "rt" }`.
 *
 * @since 0.1.0
 * @category registry
 */
export const definition: AdapterDefinition<Options, OptionsInput> = {
  name: "request-tracker",
  description: "Request Tracker 5 through REST2 (options: baseUrl, auth { _tag: token | basic }, contentSearch, priorities, statuses, timeZone)",
  options: Options,
  layer: (options, { system }) => layerFromOptions({ ...options, name: options.name === "request-tracker" ? system : options.name })
}
