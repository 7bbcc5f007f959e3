/**
 * The Zammad driver: joins the client ({@link ZammadClient}) and the mapping
 * ({@link ZammadMapping}) into a `TicketSystemAdapter.Driver`. Zammad's states, priorities and
 * groups are read once, when the driver is made.
 *
 * @internal
 */
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as FiberRef from "effect/FiberRef"
import type { AdapterError } from "../../../AdapterError.js"
import { ConfigurationError, InvalidInputError, RequestRejectedError, TicketNotFoundError } from "../../../AdapterError.js"
import type { Note, NoteDraft } from "../../../Note.js"
import type { Page, SearchCriteria } from "../../../SearchCriteria.js"
import * as T from "../../../Ticket.js"
import type * as TicketSystemAdapter from "../../../TicketSystemAdapter.js"
import { currentOperation } from "../../../internal/operation.js"
import type * as ZammadClient from "../ZammadClient.js"
import { MAX_PER_PAGE } from "../ZammadClient.js"
import * as ZammadMapping from "../ZammadMapping.js"

interface Context {
  readonly client: ZammadClient.Service
  readonly options: ZammadMapping.Options
  readonly lookups: ZammadMapping.Lookups
}

const opName = (fallback: string) => Effect.map(FiberRef.get(currentOperation), (o) => o ?? fallback)

const invalid = (ctx: Context, detail: string) =>
  Effect.flatMap(opName("zammad"), (op) => Effect.fail(new InvalidInputError({ adapter: ctx.client.name, operation: op, detail })))

const rejected = (ctx: Context, reason: string, ticketId?: string) =>
  Effect.flatMap(opName("zammad"), (op) =>
    Effect.fail(new RequestRejectedError({ adapter: ctx.client.name, operation: op, reason, ...(ticketId === undefined ? {} : { ticketId }) })))

const notFound = (ctx: Context, ticketId: string) =>
  Effect.flatMap(opName("zammad"), (op) => Effect.fail(new TicketNotFoundError({ adapter: ctx.client.name, operation: op, ticketId })))

/** the right of an Either, or a rejection of the change with its message */
const orReject = <A>(ctx: Context, either: Either.Either<A, string>, ticketId?: string): Effect.Effect<A, RequestRejectedError> =>
  Either.isLeft(either) ? rejected(ctx, either.left, ticketId) : Effect.succeed(either.right)

const numberOf = (ctx: Context, id: T.TicketId) => {
  const n = ZammadMapping.ticketNumber(id)
  return n === undefined ? notFound(ctx, id) : Effect.succeed(n)
}

/** a ticket with its description (the first article's body) */
const withDescription = (ctx: Context) => (ticket: ZammadClient.Ticket): Effect.Effect<T.Ticket, AdapterError> =>
  Effect.map(ctx.client.articles(ticket.id), (articles) =>
    ZammadMapping.toTicket(ticket, ctx.lookups, ZammadMapping.descriptionOf(articles)))

const groupIdsOf = (ctx: Context, criteria: SearchCriteria) =>
  criteria.queues === undefined
    ? Effect.succeed(undefined)
    : Effect.forEach(criteria.queues, (ref) => orReject(ctx, ZammadMapping.groupOf(ref, ctx.lookups)).pipe(Effect.map((g) => g.id)))

const fetchPage = (ctx: Context) => (criteria: SearchCriteria, page: TicketSystemAdapter.PageRequest): Effect.Effect<Page<T.Ticket>, AdapterError> =>
  Effect.gen(function*() {
    const number = ZammadMapping.pageOf(page.cursor)
    if (number === undefined) return yield* invalid(ctx, `invalid cursor ${JSON.stringify(page.cursor)}`)
    const filter = ZammadMapping.filterOf(criteria, ctx.lookups, yield* groupIdsOf(ctx, criteria))
    if (filter === undefined) return { items: [], total: 0 }
    const tickets = yield* ctx.client.searchTickets({ query: ZammadMapping.searchQuery(criteria, filter), page: number, perPage: page.pageSize })
    const items = yield* Effect.forEach(tickets, withDescription(ctx), { concurrency: 4 })
    return ZammadMapping.toPage(items, number, page.pageSize)
  })

const getTicket = (ctx: Context) => (id: T.TicketId) =>
  Effect.flatMap(numberOf(ctx, id), (n) => Effect.flatMap(ctx.client.getTicket(n), withDescription(ctx)))

/** the ids of a write's state, priority, group and owner */
const resolve = (ctx: Context, fields: Pick<T.TicketUpdate, "state" | "priority" | "queue" | "assignee">, ticketId?: string) =>
  Effect.gen(function*() {
    const state = fields.state === undefined ? undefined : yield* orReject(ctx, ZammadMapping.stateIdOf(fields.state, ctx.lookups), ticketId)
    const priority_id = fields.priority === undefined
      ? undefined
      : yield* orReject(ctx, ZammadMapping.priorityIdOf(fields.priority, ctx.lookups), ticketId)
    const group_id = fields.queue === undefined ? undefined : (yield* orReject(ctx, ZammadMapping.groupOf(fields.queue, ctx.lookups), ticketId)).id
    const assignee = fields.assignee
    const owner_id = assignee === undefined
      ? undefined
      : assignee === null
      ? 1
      : assignee.id !== undefined && /^\d+$/.test(assignee.id)
      ? Number(assignee.id)
      : yield* invalid(ctx, "Zammad assignees are set by user id ({ id: \"5\" })")
    const pending = state === undefined
      ? {}
      : ZammadMapping.pendingTime(state, ctx.lookups, yield* DateTime.now, ctx.options.pendingHours)
    const resolved: ZammadMapping.Resolved = {
      ...(state === undefined ? {} : { state }),
      ...(priority_id === undefined ? {} : { priority_id }),
      ...(group_id === undefined ? {} : { group_id }),
      ...(owner_id === undefined ? {} : { owner_id }),
      ...pending
    }
    return resolved
  })

const createTicket = (ctx: Context) => (draft: T.TicketDraft): Effect.Effect<T.Ticket, AdapterError> =>
  Effect.gen(function*() {
    const refused = ZammadMapping.unsupported({ tags: draft.tags, customFields: draft.customFields })
    if (refused !== undefined) return yield* invalid(ctx, refused)
    const customer = ZammadMapping.customerOf(draft.requester, ctx.options.defaultCustomer)
    if (Either.isLeft(customer)) return yield* invalid(ctx, customer.left)
    const group = yield* orReject(ctx, ZammadMapping.groupOf(draft.queue, ctx.lookups))
    const resolved = yield* resolve(ctx, { state: draft.state, priority: draft.priority, assignee: draft.assignee })
    const created = yield* ctx.client.createTicket(ZammadMapping.createBody(draft, { ...resolved, group_id: group.id, customer_id: customer.right }))
    return yield* withDescription(ctx)(created)
  })

const updateTicket = (ctx: Context) => (ticketId: T.TicketId, update: T.TicketUpdate): Effect.Effect<T.Ticket, AdapterError> =>
  Effect.gen(function*() {
    const id = yield* numberOf(ctx, ticketId)
    const refused = ZammadMapping.unsupported(update)
    if (refused !== undefined) return yield* invalid(ctx, refused)
    if (update.description !== undefined) {
      return yield* rejected(ctx, "Zammad cannot change a ticket's description (its first article)", ticketId)
    }
    const body = ZammadMapping.updateBody(update, yield* resolve(ctx, update, ticketId))
    const ticket = Object.keys(body).length === 0 ? yield* ctx.client.getTicket(id) : yield* ctx.client.updateTicket(id, body)
    return yield* withDescription(ctx)(ticket)
  })

const addNote = (ctx: Context) => (ticketId: T.TicketId, note: NoteDraft): Effect.Effect<void, AdapterError> =>
  Effect.flatMap(numberOf(ctx, ticketId), (id) => Effect.asVoid(ctx.client.createArticle(ZammadMapping.articleBody(id, note))))

const listNotes = (ctx: Context) => (ticketId: T.TicketId): Effect.Effect<ReadonlyArray<Note>, AdapterError> =>
  Effect.flatMap(numberOf(ctx, ticketId), (id) => Effect.map(ctx.client.articles(id), ZammadMapping.toNotes))

/**
 * The driver on a client: reads Zammad's states, priorities and groups once, checks the options
 * against them (`ConfigurationError`), and gives the port its functions.
 */
export const make = (
  client: ZammadClient.Service,
  options: ZammadMapping.Options
): Effect.Effect<TicketSystemAdapter.Driver, AdapterError | ConfigurationError> =>
  Effect.gen(function*() {
    const [states, priorities, groups] = yield* Effect.all([client.states(), client.priorities(), client.groups()], { concurrency: 3 })
    const lookups = ZammadMapping.lookups(states, priorities, groups, options)
    if (Either.isLeft(lookups)) return yield* Effect.fail(new ConfigurationError({ adapter: client.name, detail: lookups.left }))
    const ctx: Context = { client, options, lookups: lookups.right }
    return {
      name: client.name,
      kind: "zammad",
      scrubber: client.scrubber,
      capabilities: {
        createTickets: true,
        publicNotes: true,
        internalNotes: true,
        htmlNotes: true,
        textSearch: true,
        tags: false,
        maxPageSize: MAX_PER_PAGE,
        states: ZammadMapping.writableStates(ctx.lookups),
        idempotencyKeys: false
      },
      fetchPage: fetchPage(ctx),
      getTicket: getTicket(ctx),
      createTicket: createTicket(ctx),
      updateTicket: updateTicket(ctx),
      addNote: addNote(ctx),
      listNotes: listNotes(ctx)
    } satisfies TicketSystemAdapter.Driver
  })
