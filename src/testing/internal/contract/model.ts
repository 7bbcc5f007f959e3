/**
 * The shapes of the contract checks: options, the environment a check runs in, a check, its
 * result and the coverage of a run. Re-exported by `ContractChecks`.
 *
 * @internal
 */
import type * as Effect from "effect/Effect"
import type { AdapterError } from "../../../AdapterError.js"
import type * as Ticket from "../../../Ticket.js"
import type { Service } from "../../../TicketSystemAdapter.js"

/** options of the contract checks */
export interface Options {
  /** the queue write checks create their tickets in */
  readonly queue: Ticket.Ref
  /** a second queue, for the queue filter and the queue round trip (skipped without one) */
  readonly otherQueue?: Ticket.Ref
  /** an id no ticket has (default "999999999") */
  readonly unknownTicketId?: string
  /** a state the system refuses, given as its own name (default "no-such-status-ticketkit") */
  readonly invalidState?: string
  /**
   * existing tickets (ids) the write checks change instead of tickets of their own; every change
   * is put back afterwards (notes added stay: the port cannot delete them). With tickets named the
   * suite creates none, so the checks that need tickets of their own are skipped.
   */
  readonly tickets?: ReadonlyArray<string>
  /** a user the assignee round trip may assign (skipped without one) */
  readonly assignee?: Ticket.UserRef
  /**
   * notes whose visibility you know from the system itself (its web interface shows which are
   * replies the requester sees and which are internal): the ticket, a text the note contains, and
   * its visibility. A visibility mapped the wrong way round on both sides — written as wrongly as
   * it is read — round-trips unnoticed: only notes known this way reveal it. Checked with the
   * suite's own notes (by the check that keeps the visibility and content of notes).
   */
  readonly knownNotes?: ReadonlyArray<KnownNote>
}

/** a note whose visibility is known from the system itself */
export interface KnownNote {
  /** the ticket that has the note */
  readonly ticket: string
  /** a text the note contains (as plain text) */
  readonly text: string
  readonly visibility: "internal" | "public"
}

/** the tickets the suite creates for its write checks */
export interface Fixtures {
  readonly marker: string
  readonly all: ReadonlyArray<Ticket.Ticket>
  readonly printerOpen: Ticket.Ticket
  readonly printerNew: Ticket.Ticket
  readonly password: Ticket.Ticket
  readonly invoiceOther: Ticket.Ticket
  readonly invoiceResolved: Ticket.Ticket
  /**
   * what the suite wrote to each of its tickets (by id): the state it put the ticket in and the
   * priority level it created it at. Absent where the adapter does not claim the value (the
   * ticket stays as the system created it): the checks then read what the ticket is.
   */
  readonly written: ReadonlyArray<FixtureWrites>
}

/** what the suite wrote to one of its tickets */
export interface FixtureWrites {
  readonly id: string
  /** the state the suite put the ticket in; absent: left in the state it was created in */
  readonly state?: Ticket.StateType
  /** the priority level it was created at; absent: created without one */
  readonly priority?: Ticket.PriorityLevel
}

/** who broke a rule: the adapter (its mapping, paging, claims) or the system (errors, timeouts) */
export type Culprit = "adapter" | "system"

/** why a check did not run */
export type SkipCategory = "read-only" | "capability missing" | "no tickets" | "option missing"

/** a reason a check did not run */
export interface Skip {
  readonly category: SkipCategory
  readonly reason: string
}

/** what the write checks have to work with */
export type Mode =
  /** no write check runs */
  | "read-only"
  /** the suite's own tickets, created for the run */
  | "own tickets"
  /** tickets the caller named */
  | "named tickets"

/** what a check is given */
export interface CheckContext {
  readonly adapter: Service
  readonly options: Options
  readonly mode: Mode
  /** the suite's own tickets (present for the checks that need them) */
  readonly fixtures: Fixtures
  /** the ticket the round trips change (one of the suite's own or the first named one) */
  readonly target: Ticket.Ticket
  /** every ticket the write checks may change */
  readonly targets: ReadonlyArray<Ticket.Ticket>
  /** a random text the notes and values the checks write carry */
  readonly marker: string
}

/** what a check's `skipIf` is given */
export interface SkipContext extends Pick<CheckContext, "adapter" | "options"> {
  /** the ticket the round trips change, when there is one */
  readonly target?: Ticket.Ticket | undefined
}

/** what a check needs, besides its capabilities */
export type Needs = "nothing" | "writes" | "own tickets" | "a ticket"

/** one check of the contract */
export interface Check {
  readonly name: string
  readonly kind: "read" | "write"
  /** what it needs to run (default: nothing for read checks, the suite's own tickets for write checks) */
  readonly needs?: Needs
  /**
   * why the adapter's capabilities, the options or the ticket the round trips change (`target`,
   * absent when there is none) do not allow it, or `undefined`
   */
  readonly skipIf?: (context: SkipContext) => Skip | undefined
  readonly run: (context: CheckContext) => Effect.Effect<void, AdapterError>
}

/** the result of one check */
export interface Result {
  readonly name: string
  readonly kind: "read" | "write"
  readonly status: "passed" | "failed" | "skipped"
  readonly passed: boolean
  /** why it failed, naming the rule and who broke it; or why it was skipped */
  readonly message?: string
  /** who broke the rule, for a failed check */
  readonly culprit?: Culprit
  /** the rule broken, for a failed check */
  readonly rule?: string
  /** why it did not run, for a skipped check */
  readonly skip?: Skip
  readonly millis: number
}

/** what a run covered */
export interface Coverage {
  readonly total: number
  readonly run: number
  readonly passed: number
  readonly failed: number
  readonly skipped: number
  /** the skipped checks by why */
  readonly skippedBy: ReadonlyArray<{ readonly reason: string; readonly category: SkipCategory; readonly checks: ReadonlyArray<string> }>
  /** did any write check run (and so verify the adapter's writes)? */
  readonly writesVerified: boolean
}

/** the results of a run and what they covered */
export interface Report {
  readonly adapter: string
  readonly mode: Mode
  readonly results: ReadonlyArray<Result>
  readonly coverage: Coverage
}
