/**
 * The checks of the adapter contract, as plain Effects: the `@effect/vitest` suite
 * ({@link AdapterContract.suite}) registers them as tests, {@link run} runs them and returns a
 * {@link Report}, and `ticketkit check` runs them against a configured live system.
 *
 * - **Read checks** use the tickets a system already has and change nothing.
 * - **Write checks on the suite's own tickets** (filters, paging, cursors, search) create five
 *   tickets, each title carrying a random marker, so that they can run against a shared live
 *   system without seeing other tickets.
 * - **Round trips** write every field the adapter claims — title, each state of
 *   `capabilities.states`, each priority level, the queue (with `otherQueue`), tags (with
 *   `capabilities.tags`), the assignee (with `assignee`), notes of each visibility it claims and
 *   HTML notes (with `capabilities.htmlNotes`) — and read each back through `getTicket` /
 *   `listNotes`. They change one ticket and put every change back afterwards, also when a check
 *   fails: a ticket of the suite's own, or, for a system that cannot create tickets (or must not),
 *   the first of the existing tickets named in `tickets: [...]`. Notes added stay (the port
 *   cannot delete them); they carry the run's marker.
 * - **Only what the adapter claims is written**: states of `capabilities.states`, priority
 *   levels of `capabilities.priorities`. The state a created ticket is in (`new`, or `open` where
 *   the system has no new state) is read, not assumed, and the state filters are checked against
 *   it; a ticket is never written back into a state or level the adapter does not claim (the
 *   suite's own round-trip ticket starts from a claimed state; a named ticket in another is not
 *   state-round-tripped, and one the system moved out of it fails with the reason). With fewer
 *   than two claimed priority levels the priority checks are skipped, saying so.
 * - **Dates** read back must be plausible: between 1990 and a year ahead (a 1970 date is a
 *   date read in the wrong unit).
 *
 * A failed check names the rule and who broke it: the **adapter** (it dropped a field it wrote,
 * returned a ticket that does not match the criteria, a next cursor it then did not honour, a
 * capability that does not work) or the **system** (an error status, a timeout). A check that
 * cannot run is skipped with the reason, and the {@link Coverage} of a run counts both.
 *
 * @since 0.1.0
 */
import type * as Effect from "effect/Effect"
import type { AdapterError } from "../AdapterError.js"
import type { Service } from "../TicketSystemAdapter.js"
import * as blame from "./internal/contract/blame.js"
import * as internalChecks from "./internal/contract/checks.js"
import * as environment from "./internal/contract/environment.js"
import type * as model from "./internal/contract/model.js"
import * as internalRun from "./internal/contract/run.js"

/**
 * Options of the contract checks: where the suite creates its tickets (`queue`), a second queue
 * (`otherQueue`), existing tickets to change instead of creating any (`tickets`), a user the
 * assignee round trip may assign (`assignee`), notes whose visibility is known from the system
 * itself (`knownNotes`: the only way to catch a visibility mapped the wrong way round on both
 * sides), an unknown id and an invalid state.
 *
 * @since 0.1.0
 * @category models
 */
export type Options = model.Options

/**
 * A note whose visibility is known from the system itself (its web interface), for `knownNotes`.
 *
 * @since 0.1.0
 * @category models
 */
export type KnownNote = model.KnownNote

/**
 * The tickets the suite creates for its write checks.
 *
 * @since 0.1.0
 * @category models
 */
export type Fixtures = model.Fixtures

/**
 * What a check is given.
 *
 * @since 0.1.0
 * @category models
 */
export type CheckContext = model.CheckContext

/**
 * One check of the contract. An unmet expectation is a {@link ContractViolation} defect; an
 * adapter error that was not expected fails the check with that error, blamed by its kind.
 *
 * @since 0.1.0
 * @category models
 */
export type Check = model.Check

/**
 * What a check's `skipIf` is given: the adapter, the options and the ticket the round trips
 * change (`target`, when there is one).
 *
 * @since 0.1.0
 * @category models
 */
export type SkipContext = model.SkipContext

/**
 * What the suite wrote to one of its tickets: the state it put it in and the priority level it
 * created it at, each absent where the adapter does not claim it.
 *
 * @since 0.1.0
 * @category models
 */
export type FixtureWrites = model.FixtureWrites

/**
 * What a check needs to run: nothing (read checks), writes allowed, the suite's own tickets, or
 * one ticket to change and put back.
 *
 * @since 0.1.0
 * @category models
 */
export type Needs = model.Needs

/**
 * What the write checks work on: nothing (read-only), the suite's own tickets, tickets named.
 *
 * @since 0.1.0
 * @category models
 */
export type Mode = model.Mode

/**
 * Who broke a rule.
 *
 * @since 0.1.0
 * @category models
 */
export type Culprit = model.Culprit

/**
 * Why a check did not run.
 *
 * @since 0.1.0
 * @category models
 */
export type Skip = model.Skip

/**
 * The result of one check: passed, failed (with the rule and the culprit) or skipped (with why).
 *
 * @since 0.1.0
 * @category models
 */
export type Result = model.Result

/**
 * What a run covered: checks run, passed, failed, skipped by why, and whether writes were verified.
 *
 * @since 0.1.0
 * @category models
 */
export type Coverage = model.Coverage

/**
 * The results of a run and their coverage.
 *
 * @since 0.1.0
 * @category models
 */
export type Report = model.Report

/**
 * An unmet expectation of the contract: the `rule`, who broke it (`culprit`) and what happened
 * (`detail`). Its message says all three.
 *
 * @since 0.1.0
 * @category errors
 */
export const ContractViolation = blame.Violation

/**
 * @since 0.1.0
 * @category errors
 */
export type ContractViolation = blame.Violation

/**
 * The rules of the contract, as failed checks name them.
 *
 * @since 0.1.0
 * @category constants
 */
export const Rule = blame.Rule

/**
 * Every check, read checks first.
 *
 * @since 0.1.0
 * @category checks
 */
export const checks: ReadonlyArray<Check> = internalChecks.checks

/**
 * Creates the write checks' tickets: five, with a common random marker in their titles, at the
 * states and priority levels the adapter claims (recorded in `written`; the rest as the system
 * creates them).
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeFixtures = (adapter: Service, options: Options): Effect.Effect<Fixtures, AdapterError> =>
  environment.makeFixtures(adapter, options)

/**
 * Expects an effect to fail with one of the given errors; anything else is a
 * {@link ContractViolation} of `rule`, blamed on the system for a system's error and on the
 * adapter otherwise.
 *
 * @since 0.1.0
 * @category assertions
 */
export const expectFailure = <A>(
  effect: Effect.Effect<A, AdapterError>,
  tags: ReadonlyArray<AdapterError["_tag"]>,
  what: string,
  rule: string = blame.Rule.claims
): Effect.Effect<void> => blame.expectFailure(effect, tags, what, rule)

/**
 * Runs the checks against an adapter and returns every result with the run's coverage: the read
 * checks, and unless `readOnly` the write checks — on tickets they create, or on the `tickets`
 * named in the options (changes put back). A check that cannot run (a capability missing,
 * read-only, no tickets) is a skipped result with the reason; nothing is thrown. `onResult` is
 * called after each check (for progress).
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { InMemory } from "ticketkit"
 * import { ContractChecks } from "ticketkit/testing"
 *
 * const report = Effect.gen(function*() {
 *   const adapter = yield* InMemory.make()
 *   const { coverage, results } = yield* ContractChecks.run(adapter, { queue: { name: "Support" } })
 *   for (const r of results) if (r.status === "failed") yield* Effect.logError(`${r.name}: ${r.message}`)
 *   return ContractChecks.formatCoverage(adapter.name, coverage)
 * })
 * ```
 *
 * @since 0.1.0
 * @category running
 */
export const run = (
  adapter: Service,
  options: Options,
  config: {
    readonly readOnly?: boolean
    /** the checks to run (default {@link checks}) */
    readonly checks?: ReadonlyArray<Check>
    readonly onResult?: (result: Result, index: number, total: number) => Effect.Effect<void>
  } = {}
): Effect.Effect<Report> => internalRun.run(adapter, options, config)

/**
 * Runs the checks against an adapter: the read checks, and with `write: true` the write checks.
 * Every failure (an unmet expectation or an unexpected adapter error) is a failed result naming
 * the rule and who broke it; checks that cannot run are left out (use {@link run} for them and
 * the coverage). `onResult` is called after each check that ran.
 *
 * @since 0.1.0
 * @category running
 */
export const runAll = (
  adapter: Service,
  options: Options,
  config: { readonly write: boolean; readonly onResult?: (result: Result, index: number, total: number) => Effect.Effect<void> }
): Effect.Effect<ReadonlyArray<Result>> => internalRun.runRunnable(adapter, options, { readOnly: !config.write, onResult: config.onResult })

/**
 * The coverage of a list of results.
 *
 * @since 0.1.0
 * @category running
 */
export const coverage = (results: ReadonlyArray<Result>): Coverage => internalRun.coverageOf(results)

/**
 * The coverage as text: checks run of all, passed, failed, skipped by why, and "writes are
 * unverified" when no write check ran.
 *
 * @since 0.1.0
 * @category running
 */
export const formatCoverage = (name: string, coverage: Coverage): string => internalRun.formatCoverage(name, coverage)
