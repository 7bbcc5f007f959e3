/**
 * The in-memory store: tickets and notes, queues, fixtures (kept or generated on demand), and
 * the port's semantics of matching, paging, updates and idempotency keys, as plain synchronous
 * methods. The in-memory adapter and the reference HTTP server share it (re-exported by
 * `InMemory`).
 *
 * @since 0.1.0
 */
import * as DateTime from "effect/DateTime"
import { unchecked } from "../../internal/ticket.js"
import { Note, type NoteDraft } from "../../Note.js"
import type { SearchCriteria } from "../../SearchCriteria.js"
import type { CustomFieldValue, PriorityLevel, StateType, TicketDraft, TicketUpdate } from "../../Ticket.js"
import * as T from "../../Ticket.js"

// -----------------------------------------------------------------------------
// store
// -----------------------------------------------------------------------------

/**
 * A queue known to the store.
 *
 * @since 0.1.0
 * @category models
 */
export interface Queue {
  readonly id: string
  readonly name: string
}

/**
 * The default queues of a store.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultQueues: ReadonlyArray<Queue> = [
  { id: "1", name: "Incoming" },
  { id: "2", name: "Support" },
  { id: "3", name: "Billing" },
  { id: "4", name: "Sales" },
  { id: "5", name: "Engineering" }
]

/**
 * A ticket to seed a store with.
 *
 * @since 0.1.0
 * @category models
 */
export interface Fixture {
  readonly id?: string | number
  readonly title: string
  readonly description?: string
  readonly state?: StateType
  readonly priority?: PriorityLevel
  /** queue name or id */
  readonly queue: string
  readonly requester?: T.UserRef
  readonly assignee?: T.UserRef
  readonly tags?: ReadonlyArray<string>
  readonly customFields?: Readonly<Record<string, CustomFieldValue>>
  readonly createdAt?: DateTime.DateTime.Input
  readonly updatedAt?: DateTime.DateTime.Input
  readonly notes?: ReadonlyArray<{ readonly body: string; readonly visibility?: "internal" | "public" }>
}

/**
 * Tickets made on demand from their position, so that a store can serve a million tickets without
 * holding them: ticket `i` (0-based) has the id `String(i + 1)` and is made by `fixture(i)` each
 * time it is read, until it is changed (from then on it is kept like any other ticket). They come
 * before any other fixture and ticket, in index order, and page exactly as the same fixtures
 * seeded one by one would.
 *
 * The generator is trusted: the first ticket is checked when the store is made (an invalid one
 * throws, as an invalid fixture does), the others are not. It must be a pure function of the
 * index; fixture ids and notes are not supported.
 *
 * @since 0.1.0
 * @category models
 */
export interface GeneratedFixtures {
  /** how many tickets */
  readonly count: number
  /** the ticket at an index */
  readonly fixture: (index: number) => Omit<Fixture, "id" | "notes">
}

/**
 * Why the store refused something: `not-found` (no such ticket) or `rejected` (a reason).
 *
 * @since 0.1.0
 * @category models
 */
export type StoreFailure =
  | { readonly _tag: "not-found"; readonly id: string }
  | { readonly _tag: "rejected"; readonly reason: string }

/**
 * Thrown-free result of a store operation.
 *
 * @since 0.1.0
 * @category models
 */
export type StoreResult<A> = { readonly ok: true; readonly value: A } | { readonly ok: false; readonly failure: StoreFailure }

/**
 * A successful store result.
 *
 * @since 0.1.0
 * @category constructors
 */
export const ok = <A>(value: A): StoreResult<A> => ({ ok: true, value })
const notFound = (id: string): StoreResult<never> => ({ ok: false, failure: { _tag: "not-found", id } })
const rejected = (reason: string): StoreResult<never> => ({ ok: false, failure: { _tag: "rejected", reason } })

/**
 * The state categories, in order.
 *
 * @since 0.1.0
 * @category constants
 */
export const stateTypes: ReadonlyArray<StateType> = ["new", "open", "pending", "resolved", "closed"]
const priorityLevels: ReadonlyArray<PriorityLevel> = ["low", "normal", "high", "urgent"]

/**
 * Does a ticket match the criteria? The reference semantics: lists match any of their values,
 * criteria combine with AND, text is a case-insensitive substring of title or description.
 *
 * @since 0.1.0
 * @category utils
 */
export const matches = (ticket: T.Ticket, criteria: SearchCriteria): boolean => {
  if (criteria.states !== undefined && !criteria.states.includes(ticket.state.type)) return false
  if (criteria.priorities !== undefined && !criteria.priorities.includes(ticket.priority.level)) return false
  if (criteria.queues !== undefined && !criteria.queues.some((q) => T.refMatches(q, ticket.queue))) return false
  if (criteria.updatedSince !== undefined && DateTime.lessThan(ticket.updatedAt, criteria.updatedSince)) return false
  if (criteria.text !== undefined) {
    const needle = criteria.text.toLowerCase()
    if (!ticket.title.toLowerCase().includes(needle) && !ticket.description.toLowerCase().includes(needle)) {
      return false
    }
  }
  return true
}

/** the criteria `matches` filters on: with none of them set, every ticket matches */
const filterKeys = ["states", "priorities", "queues", "updatedSince", "text"] as const satisfies ReadonlyArray<keyof SearchCriteria>
const unfiltered = (criteria: SearchCriteria): boolean => filterKeys.every((key) => criteria[key] === undefined)

/**
 * The in-memory state of tickets and notes. Synchronous and single-threaded (JavaScript), so
 * each operation is atomic. Shared by the in-memory adapter and the reference HTTP server.
 *
 * @since 0.1.0
 * @category models
 */
export class Store {
  /**
   * the queues tickets may be in
   *
   * @since 0.1.0
   */
  readonly queues: ReadonlyArray<Queue>
  /** tickets held: seeded, created, and generated ones that were changed */
  private readonly tickets = new Map<string, T.Ticket>()
  private readonly notes = new Map<string, Array<Note>>()
  /** ids of the tickets after the generated ones, in creation order */
  private order: Array<string> = []
  private nextId = 1
  private nextNoteId = 1
  private readonly generatedCount: number
  private readonly generate: ((index: number) => T.Ticket) | undefined
  /** results of keyed requests: key → what was asked (fingerprint) and what was answered */
  private readonly keyed = new Map<string, { readonly fingerprint: string; readonly result: StoreResult<unknown> }>()

  constructor(
    options: {
      readonly queues?: ReadonlyArray<Queue>
      readonly fixtures?: ReadonlyArray<Fixture>
      /** tickets made on demand, before the fixtures */
      readonly generated?: GeneratedFixtures
    } = {}
  ) {
    this.queues = options.queues ?? defaultQueues
    const now = DateTime.unsafeNow()
    const generated = options.generated
    this.generatedCount = 0
    if (generated !== undefined && generated.count > 0) {
      if (!Number.isSafeInteger(generated.count)) throw new Error(`invalid generated fixtures: count must be a whole number, got ${generated.count}`)
      const queues = new Map<string, Queue>()
      const make = (index: number, validate: boolean): T.Ticket => {
        const fixture = generated.fixture(index)
        let queue = queues.get(fixture.queue)
        if (queue === undefined) {
          const resolved = this.resolveQueue(/^\d+$/.test(fixture.queue) ? { id: fixture.queue } : { name: fixture.queue })
          if (!resolved.ok) {
            throw new Error(`invalid generated fixture ${index} (${JSON.stringify(fixture.title)}): ${describe(resolved.failure)}`)
          }
          queues.set(fixture.queue, queue = resolved.value)
        }
        // a generated id (a positive whole number) is a valid TicketId
        return this.build(fixture, String(index + 1) as T.TicketId, queue, now, validate)
      }
      make(0, true)
      this.generate = (index) => make(index, false)
      this.generatedCount = generated.count
      this.nextId = generated.count + 1
    }
    for (const fixture of options.fixtures ?? []) {
      const result = this.seed(fixture, now)
      if (!result.ok) {
        throw new Error(`invalid fixture ${JSON.stringify(fixture.title)}: ${describe(result.failure)}`)
      }
    }
  }

  /** number of tickets */
  get size(): number {
    return this.generatedCount + this.order.length
  }

  /**
   * resolves a queue reference against the known queues
   *
   * @since 0.1.0
   */
  resolveQueue(ref: T.Ref): StoreResult<Queue> {
    const queue = this.queues.find((q) => T.refMatches(ref, q))
    return queue === undefined ? rejected(`unknown queue ${T.formatRef(ref)}`) : ok(queue)
  }

  /**
   * the index of a generated ticket's id, if it is one
   *
   * @internal
   */
  private generatedIndex(id: string): number | undefined {
    if (this.generatedCount === 0 || !/^[1-9]\d{0,15}$/.test(id)) return undefined
    const n = Number(id)
    return n <= this.generatedCount ? n - 1 : undefined
  }

  /**
   * the ticket at a position (0-based, creation order)
   *
   * @internal
   */
  private at(index: number): T.Ticket {
    if (index < this.generatedCount) {
      return this.tickets.get(String(index + 1)) ?? this.generate!(index)
    }
    return this.tickets.get(this.order[index - this.generatedCount]!)!
  }

  /** @internal */
  private build(fixture: Omit<Fixture, "id" | "notes">, id: T.TicketId, queue: Queue, now: DateTime.Utc, validate: boolean): T.Ticket {
    const createdAt = fixture.createdAt === undefined ? now : DateTime.toUtc(DateTime.unsafeMake(fixture.createdAt))
    const updatedAt = fixture.updatedAt === undefined ? createdAt : DateTime.toUtc(DateTime.unsafeMake(fixture.updatedAt))
    const props = {
      id,
      title: fixture.title,
      description: fixture.description ?? "",
      state: stateOf(fixture.state ?? "new"),
      priority: priorityOf(fixture.priority ?? "normal"),
      queue: { id: queue.id, name: queue.name },
      ...(fixture.requester === undefined ? {} : { requester: fixture.requester }),
      ...(fixture.assignee === undefined ? {} : { assignee: fixture.assignee }),
      tags: fixture.tags ?? [],
      createdAt,
      updatedAt,
      customFields: fixture.customFields ?? {},
      raw: null
    }
    return validate ? new T.Ticket(props) : unchecked(props)
  }

  /**
   * adds a fixture (with its own timestamps and notes)
   *
   * @since 0.1.0
   */
  seed(fixture: Fixture, now: DateTime.Utc): StoreResult<T.Ticket> {
    const queue = this.resolveQueue(/^\d+$/.test(fixture.queue) ? { id: fixture.queue } : { name: fixture.queue })
    if (!queue.ok) return queue
    const id = fixture.id === undefined ? String(this.nextId++) : String(fixture.id)
    if (this.tickets.has(id) || this.generatedIndex(id) !== undefined) return rejected(`duplicate ticket id ${id}`)
    if (/^\d+$/.test(id)) this.nextId = Math.max(this.nextId, Number(id) + 1)
    const ticket = this.build(fixture, T.ticketId(id), queue.value, now, true)
    this.tickets.set(id, ticket)
    this.order.push(id)
    this.notes.set(id, [])
    for (const note of fixture.notes ?? []) {
      this.addNote(id, { body: note.body, visibility: note.visibility ?? "internal", contentType: "text/plain" }, ticket.updatedAt)
    }
    return ok(ticket)
  }

  /**
   * a ticket by id
   *
   * @since 0.1.0
   */
  get(id: string): StoreResult<T.Ticket> {
    const ticket = this.tickets.get(id)
    if (ticket !== undefined) return ok(ticket)
    const index = this.generatedIndex(id)
    return index === undefined ? notFound(id) : ok(this.generate!(index))
  }

  /**
   * every ticket, in creation order (generated tickets are all made: mind the size)
   *
   * @since 0.1.0
   */
  all(): ReadonlyArray<T.Ticket> {
    const size = this.size
    const all = new Array<T.Ticket>(size)
    for (let i = 0; i < size; i++) all[i] = this.at(i)
    return all
  }

  /**
   * The tickets matching the criteria, from `offset`, at most `pageSize`, with the total. Without
   * filters a page is made directly; with filters every ticket is looked at once (and, for
   * generated ones, made and dropped), never all held at once.
   *
   * @since 0.1.0
   */
  query(criteria: SearchCriteria, offset: number, pageSize: number): { readonly items: ReadonlyArray<T.Ticket>; readonly total: number } {
    const size = this.size
    const items: Array<T.Ticket> = []
    if (unfiltered(criteria)) {
      const end = Math.min(size, offset + pageSize)
      for (let i = offset; i < end; i++) items.push(this.at(i))
      return { items, total: size }
    }
    let total = 0
    for (let i = 0; i < size; i++) {
      const ticket = this.at(i)
      if (!matches(ticket, criteria)) continue
      if (total >= offset && items.length < pageSize) items.push(ticket)
      total++
    }
    return { items, total }
  }

  /**
   * Runs a request once per idempotency key (the IETF httpapi draft's semantics): the same key
   * with the same request gives the first answer again without acting; the same key with another
   * request is refused. Failed requests are not remembered, so that they can be retried.
   *
   * @since 0.1.0
   */
  idempotent<A>(key: string | undefined, fingerprint: string, run: () => StoreResult<A>): StoreResult<A> {
    if (key === undefined) return run()
    const seen = this.keyed.get(key)
    if (seen !== undefined) {
      return seen.fingerprint === fingerprint
        ? (seen.result as StoreResult<A>)
        : rejected("the idempotency key was already used for a different request")
    }
    const result = run()
    if (result.ok) this.keyed.set(key, { fingerprint, result })
    return result
  }

  /**
   * creates a ticket
   *
   * @since 0.1.0
   */
  create(draft: TicketDraft, now: DateTime.Utc): StoreResult<T.Ticket> {
    const queue = this.resolveQueue(draft.queue)
    if (!queue.ok) return queue
    const state = draft.state === undefined ? ok(stateOf("new")) : resolveState(draft.state)
    if (!state.ok) return state
    const priority = draft.priority === undefined ? ok(priorityOf("normal")) : resolvePriority(draft.priority)
    if (!priority.ok) return priority
    const id = String(this.nextId++)
    const ticket = new T.Ticket({
      id: T.ticketId(id),
      title: draft.title,
      description: draft.description,
      state: state.value,
      priority: priority.value,
      queue: { id: queue.value.id, name: queue.value.name },
      ...(draft.requester === undefined ? {} : { requester: draft.requester }),
      ...(draft.assignee === undefined ? {} : { assignee: draft.assignee }),
      tags: draft.tags ?? [],
      createdAt: now,
      updatedAt: now,
      customFields: draft.customFields ?? {},
      raw: null
    })
    this.tickets.set(id, ticket)
    this.order.push(id)
    this.notes.set(id, [])
    return ok(ticket)
  }

  /**
   * applies an update (setting values: applying it twice changes nothing more)
   *
   * @since 0.1.0
   */
  update(id: string, update: TicketUpdate, now: DateTime.Utc): StoreResult<T.Ticket> {
    const found = this.get(id)
    if (!found.ok) return found
    const current = found.value
    const state = update.state === undefined ? ok(current.state) : resolveState(update.state)
    if (!state.ok) return state
    const priority = update.priority === undefined ? ok(current.priority) : resolvePriority(update.priority)
    if (!priority.ok) return priority
    const queue = update.queue === undefined ? ok(undefined) : this.resolveQueue(update.queue)
    if (!queue.ok) return queue
    const { assignee: _assignee, requester, ...rest } = current
    const assignee = update.assignee === undefined ? current.assignee : update.assignee ?? undefined
    const ticket = unchecked({
      ...rest,
      ...(requester === undefined ? {} : { requester }),
      ...(assignee === undefined ? {} : { assignee }),
      title: update.title ?? current.title,
      description: update.description ?? current.description,
      state: state.value,
      priority: priority.value,
      queue: queue.value === undefined ? current.queue : { id: queue.value.id, name: queue.value.name },
      tags: update.tags ?? current.tags,
      customFields: update.customFields === undefined ? current.customFields : { ...current.customFields, ...update.customFields },
      updatedAt: now
    })
    this.tickets.set(id, ticket)
    return ok(ticket)
  }

  /**
   * adds a note
   *
   * @since 0.1.0
   */
  addNote(id: string, note: Pick<NoteDraft, "body" | "visibility" | "contentType">, now: DateTime.Utc, author?: T.UserRef): StoreResult<Note> {
    const notes = this.notesOf(id)
    if (notes === undefined) return notFound(id)
    const ticket = this.get(id)
    if (!ticket.ok) return ticket
    const stored = new Note({
      id: String(this.nextNoteId++),
      body: note.body,
      visibility: note.visibility,
      contentType: note.contentType,
      ...(author === undefined ? {} : { author }),
      createdAt: now
    })
    notes.push(stored)
    this.notes.set(id, notes)
    this.tickets.set(id, unchecked({ ...ticket.value, updatedAt: now }))
    return ok(stored)
  }

  /**
   * the notes of a ticket, oldest first
   *
   * @since 0.1.0
   */
  listNotes(id: string): StoreResult<ReadonlyArray<Note>> {
    const notes = this.notesOf(id)
    return notes === undefined ? notFound(id) : ok(notes.slice())
  }

  /**
   * the notes of a ticket (a generated ticket has none until one is added)
   *
   * @internal
   */
  private notesOf(id: string): Array<Note> | undefined {
    return this.notes.get(id) ?? (this.generatedIndex(id) === undefined ? undefined : [])
  }
}

const describe = (failure: StoreFailure) =>
  failure._tag === "not-found" ? `ticket ${failure.id} not found` : failure.reason

const stateOf = (type: StateType): T.State => ({ type, name: type })
const priorityOf = (level: PriorityLevel): T.Priority => ({ level, name: level })

const resolveState = (state: StateType | T.Ref): StoreResult<T.State> => {
  const name = typeof state === "string" ? state : (state.name ?? state.id ?? "").toLowerCase()
  return (stateTypes as ReadonlyArray<string>).includes(name)
    ? ok(stateOf(name as StateType))
    : rejected(`unknown status ${JSON.stringify(typeof state === "string" ? state : T.formatRef(state))}`)
}

const resolvePriority = (priority: PriorityLevel | T.Ref): StoreResult<T.Priority> => {
  const name = typeof priority === "string" ? priority : (priority.name ?? priority.id ?? "").toLowerCase()
  return (priorityLevels as ReadonlyArray<string>).includes(name)
    ? ok(priorityOf(name as PriorityLevel))
    : rejected(`unknown priority ${JSON.stringify(typeof priority === "string" ? priority : T.formatRef(priority))}`)
}

