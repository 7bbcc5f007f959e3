/**
 * The contract every adapter must pass, as a vitest suite ({@link suite}) or as an Effect that
 * returns the results ({@link run}).
 *
 * ```ts
 * import { AdapterContract } from "ticketkit/testing"
 * AdapterContract.suite("my system", MyAdapter.layer(options), { queue: { name: "Support" } })
 * ```
 *
 * It registers every check of {@link ContractChecks} as a test: each criterion filters correctly,
 * limits are honoured, streams yield every match exactly once across pages, unknown ids give
 * `TicketNotFoundError`, every field the adapter claims round-trips, notes keep their visibility
 * and content, dates are plausible, errors are typed. A check the adapter's capabilities or the
 * options do not allow is reported **skipped, with the reason**, and the suite prints its
 * coverage at the end: checks run, skipped and why, and whether writes were verified.
 *
 * @since 0.1.0
 */
import { afterAll, beforeAll, describe, it } from "@effect/vitest"
import * as Cause from "effect/Cause"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as ManagedRuntime from "effect/ManagedRuntime"
import type { Service } from "../TicketSystemAdapter.js"
import { TicketSystemAdapter } from "../TicketSystemAdapter.js"
import * as ContractChecks from "./ContractChecks.js"
import type { Environment } from "./internal/contract/environment.js"
import { prepare } from "./internal/contract/environment.js"
import { coverageOf, formatCoverage, runCheck } from "./internal/contract/run.js"

/**
 * Options of the contract suite.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options extends ContractChecks.Options {
  /** per-test timeout in milliseconds (default 30 000) */
  readonly timeout?: number
  /**
   * only the read checks (for systems where the suite must not write): the write checks are
   * reported skipped, and the coverage says that writes are unverified. To verify writes on a
   * system that cannot create tickets, name existing ones instead (`tickets: [...]`).
   */
  readonly readOnly?: boolean
}

/** the adapter under test and the suite's prepared tickets, shared by the tests of one suite */
class Prepared extends Context.Tag("ticketkit/testing/AdapterContract/Prepared")<
  Prepared,
  { readonly adapter: Service; readonly env: Environment }
>() {}

const messageOf = (cause: Cause.Cause<unknown>): string => {
  const failure = Cause.squash(cause)
  return failure instanceof Error ? failure.message : String(failure)
}

/**
 * Registers the contract tests for an adapter layer.
 *
 * If the layer cannot be built (the system is down, the credentials are wrong) every test
 * **fails** with the reason — none is skipped, so that a live system that did not start is a red
 * run, not a quiet one. If the suite's tickets cannot be created (or the named ones read), the
 * checks that need them fail with the reason, blamed on the adapter or the system; the read
 * checks still run. Checks that cannot run are skipped with the reason (vitest shows it next to
 * the test), and the coverage is printed after the last test.
 *
 * @since 0.1.0
 * @category suites
 */
export const suite = <E>(
  name: string,
  layer: Layer.Layer<TicketSystemAdapter, E>,
  options: Options
): void => {
  const timeout = options.timeout ?? 30_000
  describe(`AdapterContract: ${name}`, () => {
    // vitest is the edge: one runtime holds the adapter and the prepared tickets for every test,
    // and is disposed (the adapter's scope closed) after the last one
    const runtime = ManagedRuntime.make(Layer.effect(Prepared, Effect.gen(function*() {
      const adapter = yield* TicketSystemAdapter
      const env = yield* prepare(adapter, options, options.readOnly === true)
      return { adapter, env }
    })).pipe(Layer.provide(layer)))
    let problem: string | undefined = "its layer was not built"
    const results: Array<ContractChecks.Result> = []

    beforeAll(async () => {
      const exit = await runtime.runPromiseExit(Prepared)
      problem = Exit.isSuccess(exit) ? undefined : messageOf(exit.cause)
    }, timeout * 4)

    afterAll(async () => {
      if (results.length > 0) console.log(formatCoverage(name, coverageOf(results)))
      await runtime.dispose()
    })

    for (const check of ContractChecks.checks) {
      it(`${check.kind}: ${check.name}`, async (context) => {
        if (problem !== undefined) throw new Error(`the adapter under test could not be set up: ${problem}`)
        const result = await runtime.runPromise(Effect.flatMap(Prepared, ({ adapter, env }) => runCheck(check, adapter, options, env)))
        results.push(result)
        // a skip is vitest's own exception: thrown here, outside the effect
        if (result.status === "skipped") context.skip(result.message)
        if (result.status === "failed") throw new Error(result.message)
      }, timeout)
    }
  })
}

/**
 * Runs the contract against an adapter layer outside vitest and returns the {@link
 * ContractChecks.Report}: every check's result (failed ones naming the rule and the culprit,
 * skipped ones the reason) and the coverage. Fails only if the layer cannot be built.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { InMemory } from "ticketkit"
 * import { AdapterContract, ContractChecks } from "ticketkit/testing"
 *
 * const program = Effect.gen(function*() {
 *   const report = yield* AdapterContract.run(InMemory.layer(), { queue: { name: "Support" }, otherQueue: { name: "Billing" } })
 *   yield* Effect.log(ContractChecks.formatCoverage("in-memory", report.coverage))
 *   return report.results.filter((r) => r.status === "failed")
 * })
 * ```
 *
 * @since 0.1.0
 * @category running
 */
export const run = <E>(
  layer: Layer.Layer<TicketSystemAdapter, E>,
  options: Options
): Effect.Effect<ContractChecks.Report, E> =>
  Effect.scoped(
    Effect.flatMap(Layer.build(layer), (context) =>
      ContractChecks.run(Context.get(context, TicketSystemAdapter), options, { readOnly: options.readOnly === true }))
  )
