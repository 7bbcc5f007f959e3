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
import * as Cause from "effect/Cause"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import assert from "node:assert/strict"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type { Service } from "../TicketSystemAdapter.js"
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

interface Built {
  readonly adapter: Service
  readonly fixtures: ContractChecks.Fixtures | undefined
}

class ContractEnvironment extends Context.Tag("ticketkit/testing/AdapterContract/Environment")<
  ContractEnvironment,
  Either.Either<Built, string>
>() {}

/**
 * Registers the contract tests for an adapter layer.
 *
 * If the layer cannot be built (the system is down, the credentials are wrong) or the write
 * checks' tickets cannot be created, every test **fails** with the reason — none is skipped, so
 * that a live system that did not start is a red run, not a quiet one.
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
  const environment = Layer.scoped(
    ContractEnvironment,
    Effect.gen(function*() {
      const context = yield* Layer.build(layer)
      const adapter = Context.get(context, TicketSystemAdapter)
      const fixtures = options.readOnly === true ? undefined : yield* ContractChecks.makeFixtures(adapter, options)
      return { adapter, fixtures }
    }).pipe(
      Effect.exit,
      Effect.map(Exit.match({
        onSuccess: Either.right,
        onFailure: (cause) => {
          const failure = Cause.squash(cause)
          return Either.left(failure instanceof Error ? failure.message : String(failure))
        }
      }))
    )
  )

  vitestLayer(environment, { excludeTestServices: true, timeout: timeout * 4 })(`AdapterContract: ${name}`, (it) => {
    for (const check of ContractChecks.checks) {
      if (check.kind === "write" && options.readOnly === true) continue
      it.effect(`${check.kind}: ${check.name}`, () =>
        Effect.gen(function*() {
          const built = yield* ContractEnvironment
          if (Either.isLeft(built)) return assert.fail(`the adapter under test could not be set up: ${built.left}`)
          yield* check.run({ adapter: built.right.adapter, options, fixtures: built.right.fixtures as ContractChecks.Fixtures })
        }), timeout)
    }
  })
}
