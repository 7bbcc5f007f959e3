/**
 * The in-memory adapter: the reference implementation of the port's semantics and the test
 * double of every real system.
 *
 * It keeps tickets and notes in a {@link Store} (which the reference HTTP server shares), can be
 * seeded with fixtures, and comes with a {@link Control} handle for tests: inspect the store,
 * fail the next calls with a chosen error, add latency, read the call log.
 *
 * By default it can do everything. To test a program against what a real system allows, it can
 * **mimic a target**: its `capabilities` (no public notes, no tags, no ticket creation, no text
 * search, the states it has, its page size), its `priorities` and its `queues`. It then refuses
 * what the target would, with the error a real adapter gives: `InvalidInputError` for what the
 * port or the adapter refuses before sending (a public note where there are none, tags where
 * there are none), `RequestRejectedError` for what the system refuses (a status or a priority it
 * does not have, an unknown queue), and pages no longer than its page size.
 *
 * @since 0.1.0
 */
import type * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as DateTime from "effect/DateTime"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Ref from "effect/Ref"
import * as Schema from "effect/Schema"
import * as AdapterDefinition from "../AdapterDefinition.js"
import { helpdeskFixtures } from "../demo/Helpdesk.js"
import type { AdapterError } from "../AdapterError.js"
import { InvalidInputError, RequestRejectedError, TicketNotFoundError } from "../AdapterError.js"
import type { Page, SearchCriteria } from "../SearchCriteria.js"
import * as T from "../Ticket.js"
import * as TicketSystemAdapter from "../TicketSystemAdapter.js"

import { ok, stateTypes, Store } from "./in-memory/Store.js"
import type { Fixture, Queue, StoreResult } from "./in-memory/Store.js"

/**
 * The in-memory store the adapter and the reference server share (declared in
 * `in-memory/Store.ts`).
 *
 * @since 0.1.0
 * @category store
 */
export * from "./in-memory/Store.js"

// -----------------------------------------------------------------------------
// control
// -----------------------------------------------------------------------------

/**
 * A call the adapter received.
 *
 * @since 0.1.0
 * @category models
 */
export interface Call {
  readonly operation: string
  readonly ticketId?: string
}

/**
 * A planned failure: the next `times` calls (of the given operations, or of any) fail with the
 * error `error(operation)` returns. With `after: true` the call is carried out first and then
 * reported as failed — a write applied whose answer was lost.
 *
 * @since 0.1.0
 * @category models
 */
export interface Fault {
  readonly times: number
  readonly error: (context: { readonly adapter: string; readonly operation: string }) => AdapterError
  readonly operations?: ReadonlyArray<string>
  readonly after?: boolean
}

/**
 * The test handle of an in-memory adapter.
 *
 * @since 0.1.0
 * @category models
 */
export interface Control {
  readonly store: Store
  /** plans a failure of the next calls */
  readonly failNext: (fault: Fault) => Effect.Effect<void>
  /** waits this long before each call */
  readonly setLatency: (latency: Duration.DurationInput) => Effect.Effect<void>
  /** every call received so far */
  readonly calls: Effect.Effect<ReadonlyArray<Call>>
  /** forgets the call log and planned failures */
  readonly reset: Effect.Effect<void>
}

/**
 * The tag of the in-memory adapter's test handle.
 *
 * @since 0.1.0
 * @category tags
 */
export class InMemoryControl extends Context.Tag("ticketkit/InMemory/Control")<InMemoryControl, Control>() {}

// -----------------------------------------------------------------------------
// adapter
// -----------------------------------------------------------------------------

/**
 * Options of the in-memory adapter.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** the system's name in errors and logs (default `in-memory`) */
  readonly name?: string
  /** the queues tickets may be in (default {@link defaultQueues}) */
  readonly queues?: ReadonlyArray<Queue>
  /** tickets to start with */
  readonly fixtures?: ReadonlyArray<Fixture>
  /** an existing store to serve (fixtures and queues are then ignored) */
  readonly store?: Store
  /** the most tickets one page holds (default 100; `capabilities.maxPageSize` wins) */
  readonly maxPageSize?: number
  /** honour idempotency keys on addNote and createTicket (default true; `capabilities.idempotencyKeys` wins) */
  readonly idempotencyKeys?: boolean
  /**
   * what the mimicked system can do (default: everything): each capability set to `false` is
   * refused as that system's adapter would refuse it; `states` are the state categories it has,
   * `maxPageSize` caps every page
   */
  readonly capabilities?: Partial<TicketSystemAdapter.Capabilities>
  /** the priority levels the mimicked system has (default all four); another is refused */
  readonly priorities?: ReadonlyArray<T.PriorityLevel>
}

/**
 * The capabilities of the in-memory adapter: everything.
 *
 * @since 0.1.0
 * @category constants
 */
export const capabilities = (maxPageSize = 100): TicketSystemAdapter.Capabilities => ({
  createTickets: true,
  publicNotes: true,
  internalNotes: true,
  htmlNotes: true,
  textSearch: true,
  tags: true,
  maxPageSize,
  states: stateTypes,
  idempotencyKeys: true
})

/** the capabilities of an adapter made with these options */
const capabilitiesOf = (options: Options): TicketSystemAdapter.Capabilities => {
  const own = options.capabilities ?? {}
  const defined = Object.fromEntries(Object.entries(own).filter(([, value]) => value !== undefined))
  return {
    ...capabilities(options.maxPageSize),
    idempotencyKeys: options.idempotencyKeys ?? true,
    ...defined,
    states: own.states ?? stateTypes
  }
}

const priorityLevels: ReadonlyArray<T.PriorityLevel> = ["low", "normal", "high", "urgent"]

const rejectedBy = (reason: string): StoreResult<never> => ({ ok: false, failure: { _tag: "rejected", reason } })

/** the normal value a state or priority given as a reference designates, as the store reads it */
const normalOf = (value: string | T.Ref): string => typeof value === "string" ? value : (value.name ?? value.id ?? "").toLowerCase()

/**
 * What the mimicked system refuses: with a reason the system would give (a status, a priority,
 * a kind of note, ticket creation it does not have), or, for `unsendable`, what its adapter
 * refuses before sending (tags, where it has none).
 */
const targetOf = (name: string, caps: TicketSystemAdapter.Capabilities, priorities: ReadonlyArray<T.PriorityLevel> = priorityLevels) => ({
  unsendable: (fields: { readonly tags?: ReadonlyArray<string> | undefined }): string | undefined =>
    !caps.tags && fields.tags !== undefined && fields.tags.length > 0 ? `${name} has no tags (capabilities.tags is false)` : undefined,
  refusal: (change: {
    readonly create?: boolean
    readonly state?: T.StateType | T.Ref | undefined
    readonly priority?: T.PriorityLevel | T.Ref | undefined
    readonly note?: { readonly visibility: "internal" | "public"; readonly contentType: "text/plain" | "text/html" }
  }): StoreResult<never> | undefined => {
    if (change.create === true && !caps.createTickets) return rejectedBy(`${name} does not create tickets through its API`)
    if (change.state !== undefined) {
      const state = normalOf(change.state)
      if ((stateTypes as ReadonlyArray<string>).includes(state) && !caps.states.includes(state as T.StateType)) {
        return rejectedBy(`unknown status ${JSON.stringify(state)}: ${name} has no status of that kind`)
      }
    }
    if (change.priority !== undefined) {
      const priority = normalOf(change.priority)
      if ((priorityLevels as ReadonlyArray<string>).includes(priority) && !priorities.includes(priority as T.PriorityLevel)) {
        return rejectedBy(`priorities: ${name} has no priority ${JSON.stringify(priority)}`)
      }
    }
    if (change.note !== undefined) {
      const { contentType, visibility } = change.note
      if (visibility === "public" ? !caps.publicNotes : !caps.internalNotes) return rejectedBy(`${name} takes no ${visibility} notes`)
      if (contentType === "text/html" && !caps.htmlNotes) return rejectedBy(`${name} takes no HTML notes`)
    }
    return undefined
  }
})

/**
 * Parses an offset cursor (a non-negative integer as a string).
 *
 * @since 0.1.0
 * @category utils
 */
export const parseOffsetCursor = (cursor: string | undefined): number | undefined => {
  if (cursor === undefined) return 0
  return /^\d{1,15}$/.test(cursor) ? Number(cursor) : undefined
}

/**
 * Makes an in-memory adapter and its test handle (faults, latency, the call log, the store).
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeWithControl = (options: Options = {}): Effect.Effect<{
  readonly adapter: TicketSystemAdapter.Service
  readonly control: Control
}> =>
  Effect.gen(function*() {
    const name = options.name ?? "in-memory"
    const store = options.store ?? new Store({
      ...(options.queues === undefined ? {} : { queues: options.queues }),
      ...(options.fixtures === undefined ? {} : { fixtures: options.fixtures })
    })
    const faults = yield* Ref.make<ReadonlyArray<Fault & { remaining: number }>>([])
    const latency = yield* Ref.make<Duration.Duration>(Duration.zero)
    const calls = yield* Ref.make<ReadonlyArray<Call>>([])

    const takeFault = (operation: string) =>
      Ref.modify(faults, (planned) => {
        const index = planned.findIndex((f) => f.remaining > 0 && (f.operations === undefined || f.operations.includes(operation)))
        if (index < 0) return [undefined, planned] as const
        const fault = planned[index]!
        const next = planned.map((f, i) => (i === index ? { ...f, remaining: f.remaining - 1 } : f)).filter((f) => f.remaining > 0)
        return [fault, next] as const
      })

    const fromStore = <A>(operation: string, result: StoreResult<A>): Effect.Effect<A, AdapterError> =>
      result.ok ? Effect.succeed(result.value) : result.failure._tag === "not-found"
        ? Effect.fail(new TicketNotFoundError({ adapter: name, operation, ticketId: result.failure.id }))
        : Effect.fail(new RequestRejectedError({ adapter: name, operation, reason: result.failure.reason }))

    /** runs a store operation with latency, call logging and planned faults */
    const call = <A>(operation: string, ticketId: string | undefined, run: (now: DateTime.Utc) => StoreResult<A>) =>
      Effect.gen(function*() {
        yield* Ref.update(calls, (log) => [...log, ticketId === undefined ? { operation } : { operation, ticketId }])
        const delay = yield* Ref.get(latency)
        if (Duration.greaterThan(delay, Duration.zero)) yield* Effect.sleep(delay)
        const fault = yield* takeFault(operation)
        if (fault !== undefined && fault.after !== true) return yield* Effect.fail(fault.error({ adapter: name, operation }))
        const now = yield* DateTime.now
        const result = yield* fromStore(operation, run(now))
        if (fault !== undefined) return yield* Effect.fail(fault.error({ adapter: name, operation }))
        return result
      })

    const page = (operation: string, criteria: SearchCriteria, request: TicketSystemAdapter.PageRequest) =>
      Effect.gen(function*() {
        const offset = parseOffsetCursor(request.cursor)
        if (offset === undefined) {
          return yield* new InvalidInputError({ adapter: name, operation, detail: `invalid cursor ${JSON.stringify(request.cursor)}` })
        }
        const { items, total } = yield* call(operation, undefined, () => ok(store.query(criteria, offset, request.pageSize)))
        const next = offset + items.length < total ? String(offset + items.length) : undefined
        return { items, total, next } satisfies Page<T.Ticket>
      })

    const caps = capabilitiesOf(options)
    const keyed = caps.idempotencyKeys === true
    const target = targetOf(name, caps, options.priorities)
    /** what the mimicked adapter refuses before sending: tags where the target has none */
    const checked = (operation: string, fields: { readonly tags?: ReadonlyArray<string> | undefined }) => {
      const refusal = target.unsendable(fields)
      return refusal === undefined ? Effect.void : Effect.fail(new InvalidInputError({ adapter: name, operation, detail: refusal }))
    }

    const adapter = TicketSystemAdapter.make({
      name,
      kind: "in-memory",
      capabilities: caps,
      fetchPage: (criteria, request) =>
        criteria.text !== undefined && !caps.textSearch
          ? call("searchTickets", undefined, () => rejectedBy(`${name} has no text search`))
          : page(criteria.text === undefined ? "fetchTickets" : "searchTickets", criteria, request),
      getTicket: (id) => call("getTicket", id, () => store.get(id)),
      createTicket: (draft) =>
        Effect.zipRight(
          checked("createTicket", draft),
          call("createTicket", undefined, (now) =>
            target.refusal({ create: true, ...draft }) ?? store.idempotent(keyed ? draft.idempotencyKey : undefined, `create:${JSON.stringify({ ...draft, idempotencyKey: undefined })}`, () => store.create(draft, now)))
        ),
      updateTicket: (id, update) =>
        Effect.zipRight(checked("updateTicket", update), call("updateTicket", id, (now) => target.refusal(update) ?? store.update(id, update, now))),
      addNote: (id, note) =>
        Effect.asVoid(call("addNote", id, (now) =>
          target.refusal({ note }) ??
            store.idempotent(keyed ? note.idempotencyKey : undefined, `note:${id}:${note.visibility}:${note.contentType}:${note.body}`, () => store.addNote(id, note, now)))),
      listNotes: (id) => call("listNotes", id, () => store.listNotes(id))
    })

    const control: Control = {
      store,
      failNext: (fault) => Ref.update(faults, (planned) => [...planned, { ...fault, remaining: fault.times }]),
      setLatency: (input) => Ref.set(latency, Duration.decode(input)),
      calls: Ref.get(calls),
      reset: Effect.zipRight(Ref.set(calls, []), Ref.set(faults, []))
    }
    return { adapter, control } as const
  })

/**
 * Makes an in-memory adapter.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { InMemory } from "ticketkit"
 *
 * const program = Effect.gen(function*() {
 *   const tickets = yield* InMemory.make({ fixtures: [{ title: "Printer jammed", queue: "Support" }] })
 *   yield* tickets.updateTicket("1", { priority: "high" })
 *   return yield* tickets.fetchTickets({ priorities: ["high"] })
 * })
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options = {}): Effect.Effect<TicketSystemAdapter.Service> =>
  Effect.map(makeWithControl(options), ({ adapter }) => adapter)

/**
 * A layer providing the in-memory adapter and its test handle, its options read from a `Config`.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig = (
  config: Config.Config<Options>
): Layer.Layer<TicketSystemAdapter.TicketSystemAdapter | InMemoryControl, ConfigError.ConfigError> =>
  Layer.unwrapEffect(Effect.map(config, layer))

/**
 * A layer providing the in-memory adapter and its test handle.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options = {}): Layer.Layer<TicketSystemAdapter.TicketSystemAdapter | InMemoryControl> =>
  Layer.effectContext(
    Effect.map(makeWithControl(options), ({ adapter, control }) =>
      Context.make(TicketSystemAdapter.TicketSystemAdapter, adapter).pipe(Context.add(InMemoryControl, control))
    )
  )

const ConfiguredCapabilities = Schema.Struct({
  createTickets: Schema.optionalWith(Schema.Boolean, { exact: true }),
  publicNotes: Schema.optionalWith(Schema.Boolean, { exact: true }),
  internalNotes: Schema.optionalWith(Schema.Boolean, { exact: true }),
  htmlNotes: Schema.optionalWith(Schema.Boolean, { exact: true }),
  textSearch: Schema.optionalWith(Schema.Boolean, { exact: true }),
  tags: Schema.optionalWith(Schema.Boolean, { exact: true }),
  idempotencyKeys: Schema.optionalWith(Schema.Boolean, { exact: true }),
  states: Schema.optionalWith(Schema.Array(T.StateType), { exact: true }).annotations({ description: "the state categories the mimicked system has" })
}).annotations({
  description: "what the mimicked system can do (default: everything); a capability set to false is refused as that system's adapter refuses it",
  examples: [{ publicNotes: false, tags: false, states: ["new", "open", "closed"] }]
})

const ConfiguredOptions = Schema.Struct({
  demoTickets: Schema.optional(Schema.Int.pipe(Schema.nonNegative())).annotations({
    description: "seed the store with the demo help desk of this many tickets (it uses the default queues)"
  }),
  queues: Schema.optional(Schema.NonEmptyArray(Schema.Struct({ id: Schema.NonEmptyString, name: Schema.NonEmptyString }))).annotations({
    description: "the queues tickets may be in (default: Incoming, Support, Billing, Sales, Engineering)"
  }),
  priorities: Schema.optional(Schema.Array(T.PriorityLevel)).annotations({
    description: "the priority levels the mimicked system has (default: all four); another is refused"
  }),
  maxPageSize: Schema.optional(Schema.Int.pipe(Schema.positive())).annotations({
    description: "the most tickets one page holds (default 100)"
  }),
  capabilities: Schema.optionalWith(ConfiguredCapabilities, { exact: true })
}).pipe(
  Schema.filter((o) =>
    o.queues === undefined || (o.demoTickets ?? 0) === 0 ||
    "demoTickets needs the default queues: leave out queues, or demoTickets"
  )
)

/**
 * The in-memory adapter as the registry knows it (`adapter: in-memory` in a configuration file):
 * an empty store, or the demo help desk of `demoTickets` tickets; `queues`, `priorities`,
 * `maxPageSize` and `capabilities` make it mimic a narrower target system, as {@link Options} do.
 *
 * @since 0.1.0
 * @category registry
 */
export const definition = AdapterDefinition.make({
  name: "in-memory",
  description: "tickets in memory: the reference implementation and test double (options: demoTickets, queues, priorities, maxPageSize, capabilities)",
  options: ConfiguredOptions,
  layer: (options, { system }) =>
    Layer.effect(
      TicketSystemAdapter.TicketSystemAdapter,
      make({
        name: system,
        fixtures: helpdeskFixtures(options.demoTickets ?? 0),
        ...(options.queues === undefined ? {} : { queues: options.queues }),
        ...(options.priorities === undefined ? {} : { priorities: options.priorities }),
        ...(options.maxPageSize === undefined ? {} : { maxPageSize: options.maxPageSize }),
        ...(options.capabilities === undefined ? {} : { capabilities: options.capabilities })
      })
    )
})
