/**
 * What the write checks work on — tickets the suite creates, or tickets the caller named — and
 * how their changes are put back.
 *
 * @internal
 */
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import type { AdapterError } from "../../../AdapterError.js"
import type * as Ticket from "../../../Ticket.js"
import type { Service } from "../../../TicketSystemAdapter.js"
import { blameError, Rule, Violation } from "./blame.js"
import type { FixtureWrites, Fixtures, Mode, Options } from "./model.js"

/** a random marker, so that the suite's tickets and notes can be found on a shared live system */
export const randomMarker = (): string => `tkc${Math.random().toString(36).slice(2, 10)}`

/** every priority level, the claim of an adapter that does not say (`capabilities.priorities` absent) */
const allLevels: ReadonlyArray<Ticket.PriorityLevel> = ["low", "normal", "high", "urgent"]

/** the priority levels an adapter claims: `capabilities.priorities`, all four when absent */
export const claimedLevels = (adapter: Service): ReadonlyArray<Ticket.PriorityLevel> => adapter.capabilities.priorities ?? allLevels

/**
 * The claimed state the suite writes for a state it wants: that state, or `closed` for
 * `resolved` on a system that has no resolved status; `undefined` when the adapter claims neither.
 */
export const claimedState = (adapter: Service, wanted: Ticket.StateType): Ticket.StateType | undefined => {
  const states = adapter.capabilities.states
  return states.includes(wanted) ? wanted : wanted === "resolved" && states.includes("closed") ? "closed" : undefined
}

/** does a state read back stand for the state written (a system without resolved closes the ticket)? */
export const readsAs = (written: Ticket.StateType, read: Ticket.StateType): boolean =>
  read === written || (written === "resolved" && read === "closed")

/**
 * Creates the suite's five tickets, with a common marker in their titles. Only what the adapter
 * claims is written: a priority level of `capabilities.priorities` (else the ticket is created
 * without one), a state of `capabilities.states` (else the ticket stays in the state it was
 * created in, whatever the system calls it — `new`, `open`…). What was written is recorded in
 * `written`, so that the checks expect it; the rest they read.
 */
export const makeFixtures = (adapter: Service, options: Options, marker: string = randomMarker()): Effect.Effect<Fixtures, AdapterError> =>
  Effect.gen(function*() {
    const levels = claimedLevels(adapter)
    const written: Array<FixtureWrites> = []
    const create = (title: string, level: Ticket.PriorityLevel, wanted?: Ticket.StateType, queue: Ticket.Ref = options.queue) =>
      Effect.gen(function*() {
        const priority = levels.includes(level) ? level : undefined
        const created = yield* adapter.createTicket({
          title: `${marker} ${title}`,
          description: `${title} (ticketkit contract suite)`,
          queue,
          ...(priority === undefined ? {} : { priority })
        })
        const state = wanted === undefined ? undefined : claimedState(adapter, wanted)
        // a ticket created in that state already is not moved (a system may refuse to set its
        // starting state again); the checks still expect it in that state
        const ticket = state === undefined || created.state.type === state ? created : yield* adapter.updateTicket(created.id, { state })
        written.push({ id: ticket.id, ...(state === undefined ? {} : { state }), ...(priority === undefined ? {} : { priority }) })
        return ticket
      })
    const printerOpen = yield* create("printer jammed on floor 2", "high", "open")
    const printerNew = yield* create("printer offline", "low")
    const password = yield* create(`password reset ${marker}pw`, "urgent", "pending")
    const invoiceOther = yield* create("invoice copy", "normal", undefined, options.otherQueue ?? options.queue)
    const invoiceResolved = yield* create("invoice paid twice", "normal", "resolved")
    return {
      marker,
      all: [printerOpen, printerNew, password, invoiceOther, invoiceResolved],
      printerOpen,
      printerNew,
      password,
      invoiceOther,
      invoiceResolved,
      written
    }
  })

/** what the write checks work on, or why they cannot run */
export interface Environment {
  readonly mode: Mode
  readonly marker: string
  readonly fixtures: Fixtures | undefined
  readonly targets: ReadonlyArray<Ticket.Ticket>
  /** why the suite's tickets could not be made or the named ones read */
  readonly problem: Violation | undefined
}

/**
 * Prepares the write checks: with `readOnly`, nothing; with tickets named, those (read, not
 * created); otherwise, if the adapter can create tickets, the suite's five plus one the round
 * trips change (its title has another marker, so that the filter checks do not see it).
 */
export const prepare = (adapter: Service, options: Options, readOnly: boolean): Effect.Effect<Environment> => {
  const marker = randomMarker()
  if (readOnly) return Effect.succeed({ mode: "read-only", marker, fixtures: undefined, targets: [], problem: undefined })
  const failed = (mode: Mode, doing: string) => (error: AdapterError): Environment => {
    return { mode, marker, fixtures: undefined, targets: [], problem: blameError(error, doing) }
  }
  if (options.tickets !== undefined) {
    return Effect.forEach(options.tickets, (id) => adapter.getTicket(id)).pipe(
      Effect.map((targets): Environment => ({ mode: "named tickets", marker, fixtures: undefined, targets, problem: undefined })),
      Effect.catchAll((error) => Effect.succeed(failed("named tickets", "reading the tickets named in the options")(error)))
    )
  }
  if (!adapter.capabilities.createTickets) {
    return Effect.succeed({ mode: "own tickets", marker, fixtures: undefined, targets: [], problem: undefined })
  }
  return Effect.gen(function*() {
    const fixtures = yield* makeFixtures(adapter, options)
    const levels = claimedLevels(adapter)
    const level = levels.includes("normal") ? "normal" : levels[0]
    const created = yield* adapter.createTicket({
      title: `${marker} round-trip subject`,
      description: "changed and put back by the round-trip checks (ticketkit contract suite)",
      queue: options.queue,
      ...(level === undefined ? {} : { priority: level })
    })
    // the round trips end where the ticket started, and the suite writes only claimed states: a
    // ticket created in a state the adapter does not claim (`new` where the system will not set
    // it again) starts from a claimed one
    const states = adapter.capabilities.states
    const start = states.includes("open") ? "open" : states[0]
    const subject = states.includes(created.state.type) || start === undefined ? created : yield* adapter.updateTicket(created.id, { state: start })
    return { mode: "own tickets", marker, fixtures, targets: [subject], problem: undefined } satisfies Environment
  }).pipe(Effect.catchAll((error) => Effect.succeed(failed("own tickets", "creating the suite's tickets")(error))))
}

/** a reference to a state, priority or queue as the ticket reports it */
const refOf = (value: { readonly id?: string | undefined; readonly name?: string | undefined }): Ticket.Ref =>
  value.id !== undefined ? { id: value.id, ...(value.name === undefined ? {} : { name: value.name }) } : { name: value.name ?? "" }

/** do two user references designate the same person (by id, email or name)? */
export const sameUser = (a: Ticket.UserRef | undefined, b: Ticket.UserRef | undefined): boolean =>
  a === undefined || b === undefined ? a === b : (a.id !== undefined && a.id === b.id) ||
    (a.email !== undefined && a.email.toLowerCase() === b.email?.toLowerCase()) ||
    (a.name !== undefined && a.name.toLowerCase() === b.name?.toLowerCase())

/**
 * Puts a ticket back as it was: each field that differs now, set to the system's own value it had
 * (its status, priority, queue by id or name), or to the normal value where the system does not
 * take its own back. A state or priority level the adapter does not claim is never written: the
 * ticket cannot be put back then, and the failure says so.
 */
export const restore = (adapter: Service, before: Ticket.Ticket): Effect.Effect<void, AdapterError> =>
  Effect.gen(function*() {
    const now = yield* adapter.getTicket(before.id)
    const problems: Array<string> = []
    const set = (update: typeof Ticket.TicketUpdate.Encoded, fallback?: typeof Ticket.TicketUpdate.Encoded) =>
      fallback === undefined
        ? adapter.updateTicket(before.id, update)
        : Effect.orElse(adapter.updateTicket(before.id, update), () => adapter.updateTicket(before.id, fallback))
    if (now.title !== before.title) yield* set({ title: before.title })
    if (now.state.type !== before.state.type || now.state.name !== before.state.name) {
      const states = adapter.capabilities.states
      if (!states.includes(before.state.type)) {
        problems.push(unclaimed("state", before.state, now.state, `capabilities.states: ${states.join(", ") || "none"}`))
      } else {
        yield* set({ state: refOf(before.state) }, { state: before.state.type })
      }
    }
    if (now.priority.level !== before.priority.level || now.priority.name !== before.priority.name) {
      const levels = claimedLevels(adapter)
      if (!levels.includes(before.priority.level)) {
        problems.push(unclaimed("priority", before.priority, now.priority, `capabilities.priorities: ${levels.join(", ") || "none"}`))
      } else {
        yield* set({ priority: refOf(before.priority) }, { priority: before.priority.level })
      }
    }
    if (now.queue.id !== before.queue.id || now.queue.name !== before.queue.name) yield* set({ queue: refOf(before.queue) })
    if (adapter.capabilities.tags && [...now.tags].sort().join("\n") !== [...before.tags].sort().join("\n")) yield* set({ tags: before.tags })
    if (!sameUser(now.assignee, before.assignee)) yield* set({ assignee: before.assignee ?? null })
    if (problems.length > 0) return yield* Effect.die(new Error(problems.join("; ")))
  })

/** why a field cannot be put back: the value it had is not one the adapter claims, so the suite does not write it */
const unclaimed = (
  field: "state" | "priority",
  before: { readonly type?: string; readonly level?: string; readonly name?: string | undefined },
  now: { readonly type?: string; readonly level?: string; readonly name?: string | undefined },
  claims: string
) => {
  const show = (v: typeof before) => `${v.type ?? v.level} (${v.name ?? "unnamed"})`
  return `its ${field} was ${show(before)}, which the adapter does not claim (${claims}), so the suite does not write it back; ` +
    `it is now ${show(now)}: name a ticket whose ${field} is one the adapter claims`
}

/**
 * Runs a check's changes to a ticket and puts the ticket back afterwards, also when the check
 * failed. A ticket that cannot be put back fails the check (after its own failure, if it had one).
 */
export const restoring = <A, E>(adapter: Service, ticketId: string, body: Effect.Effect<A, E>): Effect.Effect<A, E | AdapterError> =>
  Effect.flatMap(adapter.getTicket(ticketId), (before) =>
    Effect.flatMap(Effect.exit(body), (exit) =>
      Effect.flatMap(Effect.exit(restore(adapter, before)), (restored) => {
        if (Exit.isSuccess(restored)) return exit
        const why = Cause.squash(restored.cause)
        const detail = `ticket ${before.id} could not be put back as it was: ${why instanceof Error ? why.message : String(why)}`
        if (Exit.isFailure(exit)) {
          return Effect.failCause(Cause.sequential(exit.cause, Cause.die(new Violation("adapter", Rule.restored, detail))))
        }
        return Effect.die(new Violation("adapter", Rule.restored, detail))
      })))
