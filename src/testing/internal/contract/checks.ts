/**
 * The checks of the adapter contract. Read checks use the tickets a system has and change
 * nothing; write checks use the suite's own tickets (the filters, paging, search) or one ticket
 * whose every change is put back (the round trips of each field, notes, refused changes).
 *
 * @internal
 */
import * as Chunk from "effect/Chunk"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import type { AdapterError } from "../../../AdapterError.js"
import type * as Ticket from "../../../Ticket.js"
import type { Service } from "../../../TicketSystemAdapter.js"
import { blamed, expect, expectFailure, implausible, plainText, Rule } from "./blame.js"
import { claimedLevels, readsAs, restoring, sameUser } from "./environment.js"
import type { Check, CheckContext, Fixtures, FixtureWrites, Skip, SkipContext } from "./model.js"

const ids = (tickets: ReadonlyArray<Ticket.Ticket>) => tickets.map((t) => t.id).sort()
const show = (values: ReadonlyArray<string>) => `[${values.join(", ")}]`

/** the tickets of a stream, at most `max` (a stream that never ends — a cursor not honoured — must not hang the check) */
const collect = (stream: Stream.Stream<Ticket.Ticket, AdapterError>, max: number) =>
  Effect.map(Stream.runCollect(Stream.take(stream, max)), Chunk.toReadonlyArray)

const missing = (capability: string, why: string): Skip => ({ category: "capability missing", reason: `capabilities.${capability} is false: ${why}` })

/** the own-ticket checks find their tickets by the marker in their titles */
const needsTextSearch = ({ adapter }: Pick<CheckContext, "adapter">): Skip | undefined =>
  adapter.capabilities.textSearch ? undefined : missing("textSearch", "the checks on the suite's own tickets find them by text")

/** the claimed priority levels, when there are at least two to tell tickets apart by */
const needsTwoLevels = ({ adapter }: Pick<CheckContext, "adapter">): Skip | undefined =>
  claimedLevels(adapter).length < 2
    ? { category: "capability missing", reason: "capabilities.priorities has fewer than two levels: the system has no priorities to tell tickets apart by" }
    : undefined

/** what the suite wrote to one of its tickets */
const writtenTo = (fx: Fixtures, id: string): FixtureWrites | undefined => fx.written.find((w) => w.id === id)

/** the suite's tickets as getTicket reads them now, in the order given */
const readAll = (adapter: Service, tickets: ReadonlyArray<Ticket.Ticket>) =>
  Effect.forEach(tickets, (t) => readBack(adapter, t.id, `reading back ticket ${t.id}`))

/** tickets grouped by a key, groups in the order their first ticket comes */
const groupBy = <K>(tickets: ReadonlyArray<Ticket.Ticket>, key: (ticket: Ticket.Ticket) => K): ReadonlyArray<readonly [K, ReadonlyArray<Ticket.Ticket>]> => {
  const groups = new Map<K, Array<Ticket.Ticket>>()
  for (const t of tickets) groups.set(key(t), [...(groups.get(key(t)) ?? []), t])
  return [...groups.entries()]
}

/**
 * Why the round trips cannot start from the target's state or priority level: one the adapter does
 * not claim could not be written back. The suite's own ticket starts from a claimed state; a
 * ticket named may not.
 */
const unclaimedStart = (target: Ticket.Ticket, field: "state" | "priority", value: string, name: string, claimed: ReadonlyArray<string>): Skip => ({
  category: "no tickets",
  reason: `ticket ${target.id} has the ${field} ${value} (${name}), which the adapter does not claim (${claimed.join(", ")}): ` +
    `the round trip could not put it back; name a ticket whose ${field} is claimed`
})

/**
 * Now, by the wall clock: the plausible range is about the real world (a suite run under a test
 * clock would otherwise find every real date "more than a year ahead").
 */
const wallClock = Effect.sync(() => DateTime.unsafeNow())

/** the ticket as read back now */
const readBack = (adapter: Service, id: string, doing: string) => blamed(adapter.getTicket(id), doing)

/** the dates of a ticket are plausible */
const plausibleDates = (ticket: Ticket.Ticket, now: DateTime.Utc, where: string) => {
  for (const field of ["createdAt", "updatedAt"] as const) {
    const problem = implausible(ticket[field], now)
    expect(problem === undefined, Rule.dates, () => `${where} ticket ${ticket.id}: ${field} ${problem}`)
  }
}

/** writes one field and checks what updateTicket answers and what getTicket reads back */
const roundTrip = <V>(
  adapter: Service,
  id: string,
  what: string,
  update: typeof Ticket.TicketUpdate.Encoded,
  read: (ticket: Ticket.Ticket) => V,
  holds: (value: V) => boolean,
  format: (value: V) => string
) =>
  Effect.gen(function*() {
    const answered = yield* blamed(adapter.updateTicket(id, update), `writing ${what} to ticket ${id}`)
    expect(holds(read(answered)), Rule.written, () => `wrote ${what} to ticket ${id}; updateTicket answered ${format(read(answered))}`)
    const again = yield* readBack(adapter, id, `reading ticket ${id} back`)
    expect(holds(read(again)), Rule.written, () => `wrote ${what} to ticket ${id}, which getTicket reads back as ${format(read(again))}: the write was dropped or mapped wrongly`)
    const now = yield* wallClock
    plausibleDates(again, now, "updated")
    return again
  })

/** every check, read checks first */
export const checks: ReadonlyArray<Check> = [
  // ---- read checks: on the tickets the system has ----------------------------
  {
    name: "fetches tickets and reads one back",
    kind: "read",
    run: ({ adapter }) =>
      Effect.gen(function*() {
        const some = yield* adapter.fetchTickets({ limit: 3 })
        expect(some.length <= 3, Rule.limit, `fetchTickets({ limit: 3 }) returned ${some.length} tickets`)
        for (const ticket of some) {
          const read = yield* readBack(adapter, ticket.id, `reading back listed ticket ${ticket.id}`)
          expect(read.id === ticket.id, Rule.readBack, `getTicket(${ticket.id}) returned ticket ${read.id}`)
          expect(read.title === ticket.title, Rule.readBack, () => `ticket ${ticket.id} is titled ${JSON.stringify(ticket.title)} in a list, ${JSON.stringify(read.title)} read alone`)
          expect(DateTime.lessThanOrEqualTo(read.createdAt, read.updatedAt), Rule.dates, `ticket ${ticket.id}: createdAt is after updatedAt`)
        }
      })
  },
  {
    name: "reads plausible dates",
    kind: "read",
    run: ({ adapter }) =>
      Effect.gen(function*() {
        const now = yield* wallClock
        const some = yield* adapter.fetchTickets({ limit: 5 })
        for (const ticket of some) plausibleDates(ticket, now, "listed")
        for (const ticket of some.slice(0, 2)) {
          const notes = yield* blamed(adapter.listNotes(ticket.id), `listing the notes of ticket ${ticket.id}`)
          for (const note of notes) {
            const problem = note.createdAt === undefined ? undefined : implausible(note.createdAt, now)
            expect(problem === undefined, Rule.dates, () => `a note of ticket ${ticket.id}: createdAt ${problem}`)
          }
        }
      })
  },
  {
    name: "pages without repeating or losing tickets",
    kind: "read",
    run: ({ adapter }) =>
      Effect.gen(function*() {
        const oneRequest = yield* adapter.fetchTickets({ limit: 6, pageSize: 6 })
        const paged = yield* collect(adapter.streamTickets({ limit: 6, pageSize: 2 }), 7)
        const seen = paged.map((t) => t.id)
        expect(new Set(seen).size === seen.length, Rule.cursor, () => `pages of 2 repeated tickets ${show(seen)}: the adapter returned a next cursor that it then did not honour`)
        expect(ids(paged).join() === ids(oneRequest).join(), Rule.paging, () => `pages of 2 gave ${show(ids(paged))}, one page of 6 gave ${show(ids(oneRequest))}`)
      })
  },
  {
    name: "filters by state",
    kind: "read",
    run: ({ adapter }) =>
      Effect.gen(function*() {
        for (const state of adapter.capabilities.states) {
          const found = yield* adapter.fetchTickets({ states: [state], limit: 10 })
          for (const t of found) expect(t.state.type === state, Rule.matches, () => `asked for state ${state}, got ticket ${t.id} in state ${t.state.type} (${t.state.name})`)
        }
      })
  },
  {
    name: "gives TicketNotFoundError for unknown ids",
    kind: "read",
    run: ({ adapter, options }) => expectFailure(adapter.getTicket(options.unknownTicketId ?? "999999999"), ["TicketNotFoundError"], "getTicket", Rule.notFound)
  },
  {
    name: "never lets an id change the request target",
    kind: "read",
    run: ({ adapter }) =>
      Effect.gen(function*() {
        const [first] = yield* adapter.fetchTickets({ limit: 1 })
        const id = first?.id ?? "1"
        yield* Effect.forEach(
          [`../${id}`, `${id}?x=y`, `${id}#x`, `${id}/../${id}`, "%2e%2e"],
          (bad) => expectFailure(adapter.getTicket(bad), ["TicketNotFoundError", "InvalidInputError"], `getTicket(${JSON.stringify(bad)})`, Rule.target),
          { discard: true }
        )
      })
  },
  {
    name: "fails with typed errors on invalid input, before any request",
    kind: "read",
    run: ({ adapter }) =>
      Effect.gen(function*() {
        const invalid = <A>(effect: Effect.Effect<A, AdapterError>, what: string) => expectFailure(effect, ["InvalidInputError"], what, Rule.invalidInput)
        yield* invalid(adapter.fetchTickets({ limit: -1 }), "negative limit")
        yield* invalid(adapter.fetchTickets({ states: ["bogus" as Ticket.StateType] }), "unknown state")
        yield* invalid(adapter.getTicket(""), "empty id")
        yield* invalid(adapter.addNote("1", { body: "" }), "empty note")
        if (adapter.capabilities.textSearch) yield* invalid(adapter.searchTickets(" \t\n "), "a query of spaces only")
        yield* invalid(adapter.getTicket("1\ud800"), "an id with a lone surrogate")
      })
  },
  // ---- write checks on the suite's own tickets --------------------------------
  {
    name: "creates tickets and reads them back",
    kind: "write",
    needs: "own tickets",
    run: ({ adapter, fixtures: fx }) =>
      Effect.gen(function*() {
        const ticket = yield* readBack(adapter, fx.printerOpen.id, "reading back a created ticket")
        expect(ticket.id === fx.printerOpen.id, Rule.readBack, `getTicket(${fx.printerOpen.id}) returned ticket ${ticket.id}`)
        const title = `${fx.marker} printer jammed on floor 2`
        expect(ticket.title === title, Rule.written, () => `created ticket ${ticket.id} titled ${JSON.stringify(title)}, read back ${JSON.stringify(ticket.title)}`)
        const description = "printer jammed on floor 2 (ticketkit contract suite)"
        expect(plainText(ticket.description) === description, Rule.written, () => `created ticket ${ticket.id} with description ${JSON.stringify(description)}, read back ${JSON.stringify(ticket.description)}`)
        const priority = writtenTo(fx, fx.printerOpen.id)?.priority
        if (priority !== undefined) {
          expect(ticket.priority.level === priority, Rule.written, `created ticket ${ticket.id} at priority ${priority}, read back ${ticket.priority.level} (${ticket.priority.name})`)
        }
        expect(ticket.queue.id !== undefined || ticket.queue.name !== undefined, Rule.readBack, `ticket ${ticket.id} has no queue`)
        expect(DateTime.lessThanOrEqualTo(ticket.createdAt, ticket.updatedAt), Rule.dates, `ticket ${ticket.id}: createdAt is after updatedAt`)
        plausibleDates(ticket, yield* wallClock, "created")
      })
  },
  {
    name: "filters by text",
    kind: "write",
    needs: "own tickets",
    skipIf: needsTextSearch,
    run: ({ adapter, fixtures: fx }) =>
      Effect.gen(function*() {
        const found = yield* adapter.fetchTickets({ text: fx.marker })
        expect(ids(found).join() === ids(fx.all).join(), Rule.matches, () => `text ${fx.marker} found ${show(ids(found))}, expected ${show(ids(fx.all))}`)
      })
  },
  {
    name: "filters by state (created tickets)",
    kind: "write",
    needs: "own tickets",
    skipIf: needsTextSearch,
    run: ({ adapter, fixtures: fx }) =>
      Effect.gen(function*() {
        const filtered = (states: ReadonlyArray<Ticket.StateType>, expected: ReadonlyArray<Ticket.Ticket>) =>
          Effect.gen(function*() {
            const found = yield* adapter.fetchTickets({ text: fx.marker, states })
            expect(ids(found).join() === ids(expected).join(), Rule.matches, () => `states ${show(states)} found ${show(ids(found))}, expected ${show(ids(expected))}`)
          })
        // the tickets left as created first: their state is what the system gives a new ticket
        // (new, open…), read rather than assumed; the others are where the suite put them
        const left = [fx.all.filter((t) => writtenTo(fx, t.id)?.state === undefined), fx.all.filter((t) => writtenTo(fx, t.id)?.state !== undefined)].flat()
        const current = yield* readAll(adapter, left)
        for (const t of current) {
          const state = writtenTo(fx, t.id)?.state
          if (state !== undefined) {
            expect(readsAs(state, t.state.type), Rule.written, () => `the suite put ticket ${t.id} in the state ${state}, which getTicket reads back as ${t.state.type} (${t.state.name})`)
          }
        }
        const groups = groupBy(current, (t) => t.state.type)
        for (const [state, tickets] of groups) yield* filtered([state], tickets)
        // several states: any of them
        if (groups.length >= 2) yield* filtered([groups[0]![0], groups[1]![0]], [...groups[0]![1], ...groups[1]![1]])
        // a claimed state none of the tickets is in finds none of them
        const empty = adapter.capabilities.states.find((s) => !groups.some(([state]) => state === s))
        if (empty !== undefined) yield* filtered([empty], [])
      })
  },
  {
    name: "filters by priority",
    kind: "write",
    needs: "own tickets",
    skipIf: (context) => needsTextSearch(context) ?? needsTwoLevels(context),
    run: ({ adapter, fixtures: fx }) =>
      Effect.gen(function*() {
        const levels = claimedLevels(adapter)
        const filtered = (priorities: ReadonlyArray<Ticket.PriorityLevel>, expected: ReadonlyArray<Ticket.Ticket>) =>
          Effect.gen(function*() {
            const found = yield* adapter.fetchTickets({ text: fx.marker, priorities })
            expect(ids(found).join() === ids(expected).join(), Rule.matches, () => `priorities ${show(priorities)} found ${show(ids(found))}, expected ${show(ids(expected))}`)
          })
        const current = yield* readAll(adapter, fx.all)
        for (const t of current) {
          const level = writtenTo(fx, t.id)?.priority
          if (level !== undefined) {
            expect(t.priority.level === level, Rule.written, () => `the suite created ticket ${t.id} at priority ${level}, which getTicket reads back as ${t.priority.level} (${t.priority.name})`)
          }
        }
        // only claimed levels are asked for (a filter by another is refused); the tickets created
        // without a priority are at the level the system gives them
        const groups = groupBy(current, (t) => t.priority.level).filter(([level]) => levels.includes(level))
        for (const [level, tickets] of groups) yield* filtered([level], tickets)
        if (groups.length >= 2) yield* filtered([groups[0]![0], groups[1]![0]], [...groups[0]![1], ...groups[1]![1]])
        const empty = levels.find((l) => !current.some((t) => t.priority.level === l))
        if (empty !== undefined) yield* filtered([empty], [])
      })
  },
  {
    name: "filters by queue",
    kind: "write",
    needs: "own tickets",
    skipIf: needsTextSearch,
    run: ({ adapter, fixtures: fx, options }) =>
      Effect.gen(function*() {
        const inQueue = (queue: Ticket.Ref, expected: ReadonlyArray<Ticket.Ticket>) =>
          Effect.gen(function*() {
            const found = yield* adapter.fetchTickets({ text: fx.marker, queues: [queue] })
            expect(ids(found).join() === ids(expected).join(), Rule.matches, () => `queue ${JSON.stringify(queue)} found ${show(ids(found))}, expected ${show(ids(expected))}`)
            return found
          })
        if (options.otherQueue === undefined) return yield* Effect.asVoid(inQueue(options.queue, fx.all))
        yield* inQueue(options.queue, fx.all.filter((t) => t !== fx.invoiceOther))
        const other = yield* inQueue(options.otherQueue, [fx.invoiceOther])
        // the queue as reported by the ticket designates the queue it was filtered by
        yield* inQueue(other[0]!.queue, [fx.invoiceOther])
      })
  },
  {
    name: "filters by updatedSince",
    kind: "write",
    needs: "own tickets",
    skipIf: needsTextSearch,
    run: ({ adapter, fixtures: fx }) =>
      Effect.gen(function*() {
        const current = yield* Effect.forEach(fx.all, (t) => readBack(adapter, t.id, `reading back ticket ${t.id}`))
        const oldest = current.reduce((a, t) => DateTime.min(a, t.updatedAt), current[0]!.updatedAt)
        const latest = current.reduce((a, t) => DateTime.max(a, t.updatedAt), current[0]!.updatedAt)
        const sinceOldest = yield* adapter.fetchTickets({ text: fx.marker, updatedSince: oldest })
        expect(ids(sinceOldest).join() === ids(fx.all).join(), Rule.matches, () => `updatedSince ${DateTime.formatIso(oldest)} found ${show(ids(sinceOldest))}, expected ${show(ids(fx.all))}`)
        const future = yield* adapter.fetchTickets({ text: fx.marker, updatedSince: DateTime.add(latest, { hours: 1 }) })
        expect(future.length === 0, Rule.matches, () => `updatedSince an hour after the latest change found ${show(ids(future))}`)
      })
  },
  {
    name: "honours limit",
    kind: "write",
    needs: "own tickets",
    skipIf: needsTextSearch,
    run: ({ adapter, fixtures: fx }) =>
      Effect.gen(function*() {
        const two = yield* adapter.fetchTickets({ text: fx.marker, limit: 2 })
        expect(two.length === 2, Rule.limit, `limit 2 gave ${two.length} tickets`)
        const searched = yield* adapter.searchTickets(fx.marker, { limit: 3, pageSize: 2 })
        expect(searched.length === 3, Rule.limit, `a search with limit 3 in pages of 2 gave ${searched.length} tickets`)
      })
  },
  {
    name: "streams every match exactly once across pages",
    kind: "write",
    needs: "own tickets",
    skipIf: needsTextSearch,
    run: ({ adapter, fixtures: fx }) =>
      Effect.gen(function*() {
        const streamed = yield* collect(adapter.streamTickets({ text: fx.marker, pageSize: 2 }), fx.all.length * 2 + 2)
        const seen = streamed.map((t) => t.id)
        expect(new Set(seen).size === seen.length, Rule.cursor, () => `pages of 2 repeated tickets ${show(seen)}: the adapter returned a next cursor that it then did not honour`)
        expect(ids(streamed).join() === ids(fx.all).join(), Rule.paging, () => `pages of 2 gave ${show(ids(streamed))}, expected ${show(ids(fx.all))}`)
        const capped = yield* collect(adapter.streamTickets({ text: fx.marker, pageSize: 2, limit: 3 }), 4)
        expect(capped.length === 3, Rule.limit, `a stream with limit 3 gave ${capped.length} tickets`)
      })
  },
  {
    name: "pages with cursors",
    kind: "write",
    needs: "own tickets",
    skipIf: needsTextSearch,
    run: ({ adapter, fixtures: fx }) =>
      Effect.gen(function*() {
        const first = yield* adapter.fetchPage({ text: fx.marker, pageSize: 2 })
        expect(first.items.length === 2, Rule.limit, `a first page of 2 of ${fx.all.length} matches has ${first.items.length} tickets`)
        expect(first.next !== undefined, Rule.paging, `a first page of 2 of ${fx.all.length} matches has no next cursor`)
        const second = yield* adapter.fetchPage({ text: fx.marker, pageSize: 2, cursor: first.next })
        const repeated = second.items.filter((t) => first.items.some((f) => f.id === t.id)).map((t) => t.id)
        expect(
          repeated.length === 0,
          Rule.cursor,
          () => `it returned the next cursor ${JSON.stringify(first.next)}, and the page it leads to repeats tickets ${show(repeated)} of the first page`
        )
        expect(second.items.length === 2, Rule.paging, `the second page of 2 of ${fx.all.length} matches has ${second.items.length} tickets`)
        if (first.total !== undefined) expect(first.total === fx.all.length, Rule.paging, `the total is ${first.total}, expected ${fx.all.length}`)
      })
  },
  {
    name: "finds tickets by text",
    kind: "write",
    needs: "own tickets",
    skipIf: needsTextSearch,
    run: ({ adapter, fixtures: fx }) =>
      Effect.gen(function*() {
        const found = yield* adapter.searchTickets(`${fx.marker}pw`)
        expect(ids(found).join() === fx.password.id, Rule.matches, () => `searching ${fx.marker}pw found ${show(ids(found))}, expected ${fx.password.id}`)
      })
  },
  // ---- write checks on one ticket, put back afterwards ------------------------
  {
    name: "gives TicketNotFoundError for unknown ids on every operation",
    kind: "write",
    needs: "writes",
    run: ({ adapter, options }) =>
      Effect.gen(function*() {
        const unknownId = options.unknownTicketId ?? "999999999"
        yield* expectFailure(adapter.updateTicket(unknownId, { title: "ticketkit contract suite" }), ["TicketNotFoundError"], "updateTicket", Rule.notFound)
        const note = adapter.capabilities.internalNotes ? { body: "hello" } : { body: "hello", visibility: "public" as const }
        if (adapter.capabilities.internalNotes || adapter.capabilities.publicNotes) {
          yield* expectFailure(adapter.addNote(unknownId, note), ["TicketNotFoundError"], "addNote", Rule.notFound)
        }
        yield* expectFailure(adapter.listNotes(unknownId), ["TicketNotFoundError"], "listNotes", Rule.notFound)
      })
  },
  {
    name: "round-trips the title",
    kind: "write",
    needs: "a ticket",
    run: ({ adapter, target, marker }) =>
      restoring(adapter, target.id, Effect.gen(function*() {
        const title = `${marker} renamed — ✓ "quoted" & more`
        yield* roundTrip(adapter, target.id, `the title ${JSON.stringify(title)}`, { title }, (t) => t.title, (v) => v === title, JSON.stringify)
        // idempotent: the same update again leaves the same values
        const again = yield* blamed(adapter.updateTicket(target.id, { title }), `writing the same title to ticket ${target.id} again`)
        expect(again.title === title, Rule.idempotent, () => `the same title written twice reads ${JSON.stringify(again.title)}`)
      }))
  },
  {
    name: "round-trips every claimed state",
    kind: "write",
    needs: "a ticket",
    skipIf: ({ adapter, target }: SkipContext) => {
      const states = adapter.capabilities.states
      if (states.length < 2) return missing("states", "fewer than two states to move between")
      return target !== undefined && !states.includes(target.state.type)
        ? unclaimedStart(target, "state", target.state.type, target.state.name, states)
        : undefined
    },
    run: ({ adapter, target }) =>
      restoring(adapter, target.id, Effect.gen(function*() {
        const from = target.state.type
        for (const state of [...adapter.capabilities.states.filter((s) => s !== from), from]) {
          // a system without a resolved status closes the ticket (as the state filters allow)
          const reads = (type: Ticket.StateType) => type === state || (state === "resolved" && type === "closed")
          yield* roundTrip(adapter, target.id, `the state ${state}`, { state }, (t) => t.state, (v) => reads(v.type), (v) => `${v.type} (${v.name})`)
        }
      }))
  },
  {
    name: "round-trips every priority level",
    kind: "write",
    needs: "a ticket",
    skipIf: ({ adapter, target }: SkipContext) => {
      const levels = claimedLevels(adapter)
      if (levels.length < 2) {
        return { category: "capability missing", reason: "capabilities.priorities has fewer than two levels: the system has no priorities to move between" }
      }
      return target !== undefined && !levels.includes(target.priority.level)
        ? unclaimedStart(target, "priority", target.priority.level, target.priority.name, levels)
        : undefined
    },
    run: ({ adapter, target }) =>
      restoring(adapter, target.id, Effect.gen(function*() {
        const levels = claimedLevels(adapter)
        const from = target.priority.level
        for (const level of [...levels.filter((l) => l !== from), from]) {
          yield* roundTrip(adapter, target.id, `the priority ${level}`, { priority: level }, (t) => t.priority, (v) => v.level === level, (v) => `${v.level} (${v.name})`)
        }
      }))
  },
  {
    name: "round-trips the queue",
    kind: "write",
    needs: "a ticket",
    skipIf: ({ options }) => options.otherQueue === undefined ? { category: "option missing", reason: "no otherQueue in the options: a queue to move the ticket to" } : undefined,
    run: ({ adapter, target, options, fixtures }) =>
      restoring(adapter, target.id, Effect.gen(function*() {
        const other = options.otherQueue!
        const designates = (wanted: Ticket.Ref) => (queue: Ticket.Ref) =>
          (wanted.id !== undefined && queue.id === wanted.id) || (wanted.name !== undefined && queue.name?.toLowerCase() === wanted.name.toLowerCase())
        const movingBack = designates(other)(target.queue)
        const away = movingBack ? options.queue : other
        // how the system reports that queue, where the suite's own tickets show it (a queue given
        // by a project identifier or a name may be reported by its numeric id); else: moved at all
        const shown = fixtures === undefined ? undefined : (movingBack ? fixtures.printerNew : fixtures.invoiceOther).queue
        const arrived = (queue: Ticket.Ref) =>
          designates(away)(queue) || (shown === undefined ? !designates(target.queue)(queue) : designates(shown)(queue))
        const moved = yield* roundTrip(adapter, target.id, `the queue ${JSON.stringify(away)}`, { queue: away }, (t) => t.queue, arrived, (v) => JSON.stringify(v))
        // the queue as the ticket reports it can be written back
        yield* roundTrip(adapter, target.id, `the queue ${JSON.stringify(moved.queue)} as read`, { queue: moved.queue }, (t) => t.queue, designates(moved.queue), (v) => JSON.stringify(v))
      }))
  },
  {
    name: "round-trips tags",
    kind: "write",
    needs: "a ticket",
    skipIf: ({ adapter }) => adapter.capabilities.tags ? undefined : missing("tags", "the system keeps no tags"),
    run: ({ adapter, target, marker }) =>
      restoring(adapter, target.id, Effect.gen(function*() {
        const tags = [`${marker}-a`, `${marker}-b`]
        const sorted = (v: ReadonlyArray<string>) => [...v].sort().join(", ")
        yield* roundTrip(adapter, target.id, `the tags ${show(tags)}`, { tags }, (t) => t.tags, (v) => sorted(v) === sorted(tags), show)
        yield* roundTrip(adapter, target.id, "no tags", { tags: [] }, (t) => t.tags, (v) => v.length === 0, show)
      }))
  },
  {
    name: "round-trips the assignee",
    kind: "write",
    needs: "a ticket",
    skipIf: ({ options }) => options.assignee === undefined ? { category: "option missing", reason: "no assignee in the options: a user the check may assign" } : undefined,
    run: ({ adapter, target, options }) =>
      restoring(adapter, target.id, Effect.gen(function*() {
        const assignee = options.assignee!
        const format = (v: Ticket.UserRef | undefined) => v === undefined ? "nobody" : JSON.stringify(v)
        yield* roundTrip(adapter, target.id, `the assignee ${format(assignee)}`, { assignee }, (t) => t.assignee, (v) => sameUser(assignee, v), format)
        yield* roundTrip(adapter, target.id, "no assignee", { assignee: null }, (t) => t.assignee, (v) => v === undefined, format)
      }))
  },
  {
    name: "keeps the visibility and content of notes",
    kind: "write",
    needs: "a ticket",
    skipIf: ({ adapter }) =>
      adapter.capabilities.internalNotes || adapter.capabilities.publicNotes ? undefined : missing("internalNotes and publicNotes", "the system takes no notes"),
    run: ({ adapter, target, marker, options }) =>
      Effect.gen(function*() {
        const caps = adapter.capabilities
        const written = [
          ...(caps.internalNotes ? [{ body: `${marker} internal note: checked the toner`, visibility: "internal" as const }] : []),
          ...(caps.publicNotes ? [{ body: `${marker} public reply: a technician is on the way`, visibility: "public" as const }] : [])
        ]
        for (const note of written) yield* blamed(adapter.addNote(target.id, note), `adding a ${note.visibility} note to ticket ${target.id}`)
        const notes = yield* blamed(adapter.listNotes(target.id), `listing the notes of ticket ${target.id}`)
        const now = yield* wallClock
        for (const note of written) {
          const found = notes.filter((n) => plainText(n.body).includes(note.body))
          expect(found.length > 0, Rule.content, () => `added a ${note.visibility} note ${JSON.stringify(note.body)} to ticket ${target.id}; listNotes does not show it (${notes.length} notes)`)
          expect(found.length === 1, Rule.noteOnce, `the ${note.visibility} note added once is listed ${found.length} times`)
          const [read] = found
          expect(
            read!.visibility === note.visibility,
            Rule.visibility,
            `a ${note.visibility} note added to ticket ${target.id} is read back as ${read!.visibility}: the adapter maps visibility the wrong way round`
          )
          const problem = read!.createdAt === undefined ? undefined : implausible(read!.createdAt, now)
          expect(problem === undefined, Rule.dates, () => `the note added to ticket ${target.id}: createdAt ${problem}`)
        }
        // the notes above round-trip even when the visibility is mapped the wrong way round on both
        // sides; the notes whose visibility the caller knows from the system do not
        for (const known of options.knownNotes ?? []) {
          const listed = yield* blamed(adapter.listNotes(known.ticket), `listing the notes of ticket ${known.ticket}`)
          const found = listed.filter((n) => plainText(n.body).includes(known.text))
          expect(
            found.length > 0,
            Rule.content,
            () => `ticket ${known.ticket} has a ${known.visibility} note containing ${JSON.stringify(known.text)} (options.knownNotes); listNotes does not show it (${listed.length} notes)`
          )
          for (const note of found) {
            expect(
              note.visibility === known.visibility,
              Rule.visibility,
              () =>
                `the note of ticket ${known.ticket} containing ${JSON.stringify(known.text)} is ${known.visibility} in the system (options.knownNotes), ` +
                `but the adapter reads it as ${note.visibility}: it maps visibility the wrong way round, on both sides (its own notes round-trip)`
            )
          }
        }
      })
  },
  {
    name: "keeps HTML notes as HTML",
    kind: "write",
    needs: "a ticket",
    skipIf: ({ adapter }) =>
      !adapter.capabilities.htmlNotes
        ? missing("htmlNotes", "the system takes plain text notes only")
        : !adapter.capabilities.internalNotes && !adapter.capabilities.publicNotes
        ? missing("internalNotes and publicNotes", "the system takes no notes")
        : undefined,
    run: ({ adapter, target, marker }) =>
      Effect.gen(function*() {
        const visibility = adapter.capabilities.internalNotes ? "internal" as const : "public" as const
        const text = `${marker} html note: toner replaced`
        yield* blamed(
          adapter.addNote(target.id, { body: `<p>${marker} html note: <b>toner</b> replaced</p>`, visibility, contentType: "text/html" }),
          `adding an HTML note to ticket ${target.id}`
        )
        const notes = yield* blamed(adapter.listNotes(target.id), `listing the notes of ticket ${target.id}`)
        const found = notes.filter((n) => plainText(n.body).includes(text))
        expect(found.length === 1, found.length === 0 ? Rule.content : Rule.noteOnce, () => `added an HTML note to ticket ${target.id}; listNotes shows it ${found.length} times`)
        expect(found[0]!.contentType === "text/html", Rule.content, `an HTML note is read back as ${found[0]!.contentType}`)
        expect(found[0]!.visibility === visibility, Rule.visibility, `an ${visibility} HTML note is read back as ${found[0]!.visibility}`)
      })
  },
  {
    name: "rejects an invalid change with RequestRejectedError",
    kind: "write",
    needs: "a ticket",
    run: ({ adapter, target, options }) =>
      restoring(adapter, target.id, Effect.gen(function*() {
        const before = yield* readBack(adapter, target.id, `reading ticket ${target.id}`)
        const bogus = options.invalidState ?? "no-such-status-ticketkit"
        yield* expectFailure(adapter.updateTicket(target.id, { state: { name: bogus } }), ["RequestRejectedError"], `updateTicket to the status ${JSON.stringify(bogus)}`, Rule.refused)
        const read = yield* readBack(adapter, target.id, `reading ticket ${target.id} back`)
        expect(read.state.type === before.state.type, Rule.refused, `the refused change moved ticket ${target.id} from ${before.state.type} to ${read.state.type}`)
      }))
  }
]
