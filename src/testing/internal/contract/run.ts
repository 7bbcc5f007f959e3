/**
 * Running the checks: what each needs, why one is skipped, who broke the rule of a failed one,
 * and the coverage of a run.
 *
 * @internal
 */
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import type { Service } from "../../../TicketSystemAdapter.js"
import { blameError, Violation } from "./blame.js"
import { checks } from "./checks.js"
import type { Environment } from "./environment.js"
import { prepare } from "./environment.js"
import type { Check, CheckContext, Coverage, Fixtures, Needs, Options, Report, Result, Skip } from "./model.js"

/** what a check needs, with the defaults of checks written before `needs` existed */
export const needsOf = (check: Check): Needs => check.needs ?? (check.kind === "read" ? "nothing" : "own tickets")

/** why a check cannot run in an environment, or `undefined` */
export const skipOf = (check: Check, adapter: Service, options: Options, env: Environment): Skip | undefined => {
  const needs = needsOf(check)
  if (needs !== "nothing" && env.mode === "read-only") {
    return { category: "read-only", reason: "read-only run: the adapter's writes are unverified" }
  }
  const own = check.skipIf?.({ adapter, options, target: env.targets[0] })
  if (own !== undefined) return own
  if (needs === "own tickets" && env.mode === "named tickets") {
    return { category: "no tickets", reason: "tickets were named, so the suite creates none of its own" }
  }
  if (needs === "own tickets" && env.fixtures === undefined && env.problem === undefined) {
    return { category: "no tickets", reason: "the adapter cannot create tickets (capabilities.createTickets is false); name existing ones with tickets: [...]" }
  }
  if (needs === "a ticket" && env.targets.length === 0 && env.problem === undefined) {
    return env.mode === "named tickets"
      ? { category: "no tickets", reason: "tickets: [] names no ticket" }
      : { category: "no tickets", reason: "the adapter cannot create tickets (capabilities.createTickets is false) and no tickets were named (tickets: [...])" }
  }
  return undefined
}

const failure = (check: Check, violation: Violation, millis: number): Result => ({
  name: check.name,
  kind: check.kind,
  status: "failed",
  passed: false,
  message: violation.message,
  culprit: violation.culprit,
  rule: violation.rule,
  millis
})

/** the violation a failed check's cause stands for (its first failure or defect) */
const violationOf = (cause: Cause.Cause<unknown>): Violation => {
  const failures = Cause.failures(cause)
  for (const error of failures) {
    if (typeof error === "object" && error !== null && "_tag" in error) return blameError(error as never)
  }
  for (const defect of Cause.defects(cause)) {
    if (defect instanceof Violation) return defect
    if (defect instanceof Error) {
      return new Violation("adapter", "the checks run without an unexpected error", `${defect.name}: ${defect.message.split("\n")[0]}`)
    }
  }
  return new Violation("adapter", "the checks run to their end", Cause.isInterruptedOnly(cause) ? "the check was interrupted" : Cause.pretty(cause))
}

/** runs one check in a prepared environment */
export const runCheck = (check: Check, adapter: Service, options: Options, env: Environment): Effect.Effect<Result> =>
  Effect.gen(function*() {
    const skip = skipOf(check, adapter, options, env)
    if (skip !== undefined) {
      return { name: check.name, kind: check.kind, status: "skipped", passed: false, message: skip.reason, skip, millis: 0 } satisfies Result
    }
    const needs = needsOf(check)
    if ((needs === "own tickets" || needs === "a ticket") && env.problem !== undefined) return failure(check, env.problem, 0)
    const context: CheckContext = {
      adapter,
      options,
      mode: env.mode,
      fixtures: env.fixtures as Fixtures,
      target: env.targets[0]!,
      targets: env.targets,
      marker: env.marker
    }
    const started = Date.now()
    const exit = yield* Effect.exit(Effect.suspend(() => check.run(context)))
    const millis = Date.now() - started
    return Exit.isSuccess(exit)
      ? { name: check.name, kind: check.kind, status: "passed", passed: true, millis } satisfies Result
      : failure(check, violationOf(exit.cause), millis)
  })

/** the coverage of a list of results */
export const coverageOf = (results: ReadonlyArray<Result>): Coverage => {
  const skipped = results.filter((r) => r.status === "skipped")
  const byReason = new Map<string, { reason: string; category: Skip["category"]; checks: Array<string> }>()
  for (const r of skipped) {
    const key = r.skip!.reason
    const entry = byReason.get(key) ?? { reason: key, category: r.skip!.category, checks: [] }
    entry.checks.push(r.name)
    byReason.set(key, entry)
  }
  return {
    total: results.length,
    run: results.length - skipped.length,
    passed: results.filter((r) => r.status === "passed").length,
    failed: results.filter((r) => r.status === "failed").length,
    skipped: skipped.length,
    skippedBy: [...byReason.values()],
    writesVerified: results.some((r) => r.kind === "write" && r.status !== "skipped")
  }
}

/** the coverage as lines of text */
export const formatCoverage = (name: string, coverage: Coverage): string => {
  const lines = [
    `AdapterContract coverage for ${name}: ${coverage.run} of ${coverage.total} checks run (${coverage.passed} passed, ${coverage.failed} failed), ${coverage.skipped} skipped`
  ]
  for (const group of coverage.skippedBy) {
    lines.push(`  ${group.checks.length} skipped, ${group.category} — ${group.reason}: ${group.checks.join("; ")}`)
  }
  if (!coverage.writesVerified) lines.push("  writes are unverified: no write check ran")
  return lines.join("\n")
}

/** prepares the environment and runs every check, reporting each result as it comes */
export const run = (
  adapter: Service,
  options: Options,
  config: {
    readonly readOnly?: boolean
    readonly checks?: ReadonlyArray<Check>
    readonly onResult?: (result: Result, index: number, total: number) => Effect.Effect<void>
  } = {}
): Effect.Effect<Report> =>
  Effect.gen(function*() {
    const selected = config.checks ?? checks
    const env = yield* prepare(adapter, options, config.readOnly === true)
    const results: Array<Result> = []
    for (const [index, check] of selected.entries()) {
      const result = yield* runCheck(check, adapter, options, env)
      results.push(result)
      if (config.onResult !== undefined) yield* config.onResult(result, index, selected.length)
    }
    return { adapter: adapter.name, mode: env.mode, results, coverage: coverageOf(results) }
  })

/** runs the checks that can run, leaving out the skipped ones (`ticketkit check`'s view) */
export const runRunnable = (
  adapter: Service,
  options: Options,
  config: { readonly readOnly: boolean; readonly onResult?: ((result: Result, index: number, total: number) => Effect.Effect<void>) | undefined }
): Effect.Effect<ReadonlyArray<Result>> =>
  Effect.gen(function*() {
    const env = yield* prepare(adapter, options, config.readOnly)
    const runnable = checks.filter((check) => skipOf(check, adapter, options, env) === undefined)
    const results: Array<Result> = []
    for (const [index, check] of runnable.entries()) {
      const result = yield* runCheck(check, adapter, options, env)
      results.push(result)
      if (config.onResult !== undefined) yield* config.onResult(result, index, runnable.length)
    }
    return results
  })
