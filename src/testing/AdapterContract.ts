/**
 * The contract every adapter must pass, as an `@effect/vitest` suite.
 *
 * ```ts
 * import { AdapterContract } from "ticketkit/testing"
 * AdapterContract.suite("my system", MyAdapter.layer(options), { queue: { name: "Support" } })
 * ```
 *
 * It registers every check of {@link ContractChecks} as a test: each criterion filters correctly,
 * limits are honoured, streams yield every match exactly once across pages, unknown ids give
 * `TicketNotFoundError`, updates round-trip, notes keep their visibility, search finds by text,
 * errors are typed. The write checks share one set of tickets created when the suite's layer is
 * built. It adapts to the adapter's `capabilities`.
 *
 * @since 0.1.0
 */
import { layer as vitestLayer } from "@effect/vitest"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { TicketSystemAdapter } from "../TicketSystemAdapter.js"
import * as ContractChecks from "./ContractChecks.js"

/**
 * Options of the contract suite.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options extends ContractChecks.Options {
  /** per-test timeout in milliseconds (default 30 000) */
  readonly timeout?: number
  /** only the read checks (for systems where the suite must not write) */
  readonly readOnly?: boolean
}

class ContractFixtures extends Context.Tag("ticketkit/testing/AdapterContract/Fixtures")<
  ContractFixtures,
  ContractChecks.Fixtures | undefined
>() {}

/**
 * Registers the contract tests for an adapter layer.
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
  const fixtures = Layer.effect(
    ContractFixtures,
    options.readOnly === true
      ? Effect.succeed(undefined)
      : Effect.flatMap(TicketSystemAdapter, (adapter) => ContractChecks.makeFixtures(adapter, options))
  )
  const withFixtures = Layer.provideMerge(fixtures, layer)

  vitestLayer(withFixtures, { excludeTestServices: true, timeout: timeout * 4 })(`AdapterContract: ${name}`, (it) => {
    for (const check of ContractChecks.checks) {
      if (check.kind === "write" && options.readOnly === true) continue
      it.effect(`${check.kind}: ${check.name}`, () =>
        Effect.gen(function*() {
          const adapter = yield* TicketSystemAdapter
          const fx = yield* ContractFixtures
          yield* check.run({ adapter, options, fixtures: fx as ContractChecks.Fixtures })
        }), timeout)
    }
  })
}
