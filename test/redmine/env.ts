/**
 * Test support: where the live Redmine of the integration tests is, and layers on it.
 *
 * The values come from the environment (`REDMINE_URL`, `REDMINE_API_KEY`, `REDMINE_USER_API_KEY`,
 * `REDMINE_PROJECT`) or, for those not set, from the file `scripts/redmine/start.sh` writes
 * (`/tmp/ticketkit-redmine/env`, or `$REDMINE_ENV_FILE`). When Redmine is not there the tests FAIL
 * (they never skip), in CI and locally, with a message saying how to start it.
 */
import { NodeHttpClient } from "@effect/platform-node"
import { it } from "@effect/vitest"
import { Context, Effect, Either, Exit, Layer, Redacted, Scope } from "effect"
import * as fs from "node:fs"
import { afterAll, describe } from "vitest"
import type { TicketSystemAdapter } from "../../src/TicketSystemAdapter.js"
import { Redmine, RedmineClient } from "../../src/adapters/redmine/index.js"

export interface RedmineEnv {
  readonly url: string
  /** the admin's key */
  readonly apiKey: string
  /** the key of "reporter": a member of the project with the Reporter role (cannot see private notes) */
  readonly userApiKey: string
  /** the project the tests create issues in (identifier) */
  readonly project: string
  /** a second project (private, the reporter is not a member) */
  readonly otherProject: string
}

export const ENV_FILE = process.env.REDMINE_ENV_FILE ?? "/tmp/ticketkit-redmine/env"

const START_HINT = "start Redmine with scripts/redmine/start.sh"

const howToStart = (why: string) =>
  process.env.CI
    ? `Redmine is required in CI but ${why}. .ci/run must ${START_HINT} (as root) before the tests run; see its output.`
    : `${why}: ${START_HINT} (as root; it prints the values and writes ${ENV_FILE}), then run the tests again.`

const readFile = (): Record<string, string> => {
  try {
    const values: Record<string, string> = {}
    for (const line of fs.readFileSync(ENV_FILE, "utf8").split("\n")) {
      const match = /^\s*([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line)
      if (match) values[match[1]!] = match[2]!.trim().replace(/^["']|["']$/g, "")
    }
    return values
  } catch {
    return {}
  }
}

/** The values, or why they are missing. */
export const loadEnv = (): Either.Either<RedmineEnv, string> => {
  const file = readFile()
  const value = (name: string) => {
    const v = process.env[name] ?? file[name]
    return v === undefined || v.trim() === "" ? undefined : v.trim()
  }
  const url = value("REDMINE_URL")
  const apiKey = value("REDMINE_API_KEY")
  const userApiKey = value("REDMINE_USER_API_KEY")
  const missing = [
    url === undefined ? "REDMINE_URL" : undefined,
    apiKey === undefined ? "REDMINE_API_KEY" : undefined,
    userApiKey === undefined ? "REDMINE_USER_API_KEY" : undefined
  ].filter((s) => s !== undefined)
  if (url === undefined || apiKey === undefined || userApiKey === undefined) {
    return Either.left(howToStart(`${missing.join(", ")} ${missing.length === 1 ? "is" : "are"} not set and ${ENV_FILE} does not provide ${missing.length === 1 ? "it" : "them"}`))
  }
  return Either.right({ url: url.replace(/\/+$/, ""), apiKey, userApiKey, project: value("REDMINE_PROJECT") ?? "demo", otherProject: "ops" })
}

/** The project identifiers the suites use, known without Redmine (the suites need them up front). */
export const projects = Either.match(loadEnv(), {
  onLeft: () => ({ project: "demo", otherProject: "ops" }),
  onRight: (env) => ({ project: env.project, otherProject: env.otherProject })
})

export class Env extends Context.Tag("test/redmine/Env")<Env, RedmineEnv>() {}

/** The environment, checked: Redmine answers and the admin key is accepted. Fails with a clear message. */
export const EnvLive: Layer.Layer<Env, Error> = Layer.effect(
  Env,
  Effect.gen(function*() {
    const env = yield* Either.match(loadEnv(), {
      onLeft: (message) => Effect.fail(new Error(message)),
      onRight: Effect.succeed
    })
    const status = yield* Effect.tryPromise({
      try: (signal) =>
        fetch(`${env.url}/issue_statuses.json`, {
          headers: { "X-Redmine-API-Key": env.apiKey },
          signal: AbortSignal.any([signal, AbortSignal.timeout(10_000)])
        }).then((response) => response.status),
      catch: (error) =>
        new Error(howToStart(`Redmine at ${env.url} does not answer (${error instanceof Error ? (error.cause as Error | undefined)?.message ?? error.message : String(error)})`))
    })
    if (status !== 200) {
      return yield* Effect.fail(new Error(howToStart(`Redmine at ${env.url} refused the admin key from the environment (HTTP ${status}); the keys may be stale`)))
    }
    return env
  })
)

export type Who = "admin" | "reporter"

export const keyOf = (env: RedmineEnv, who: Who) => (who === "admin" ? env.apiKey : env.userApiKey)

/** The adapter (and its client) on the live Redmine, as `who`, with extra options. */
export const adapterLayer = (
  options: Partial<Redmine.OptionsInput> = {},
  who: Who = "admin",
  hooks: Redmine.Hooks = {}
): Layer.Layer<TicketSystemAdapter | RedmineClient.RedmineClient, unknown> =>
  Layer.unwrapEffect(
    Effect.map(Env, (env) =>
      Redmine.layer({ baseUrl: env.url, apiKey: Redacted.make(keyOf(env, who)), timeout: "20 seconds", ...options }, hooks))
  ).pipe(Layer.provide(EnvLive), Layer.provide(NodeHttpClient.layerUndici))

/** The client alone on the live Redmine, with any key. */
export const clientLayer = (
  key: (env: RedmineEnv) => string,
  hooks: RedmineClient.Hooks = {}
): Layer.Layer<RedmineClient.RedmineClient, unknown> =>
  Layer.unwrapEffect(
    Effect.map(Env, (env) => RedmineClient.layer({ baseUrl: env.url, apiKey: Redacted.make(key(env)), timeout: "20 seconds" }, hooks))
  ).pipe(Layer.provide(EnvLive), Layer.provide(NodeHttpClient.layerUndici))

/** A marker unique to one run, for titles. */
export const marker = (prefix = "tkr") => `${prefix}${Date.now().toString(36)}${Math.random().toString(36).slice(2, 7)}`

/** Why the live Redmine cannot be used, or `undefined` when it can (for suites registered up front). */
export const redmineProblem = (): Promise<string | undefined> =>
  Effect.runPromise(Layer.build(EnvLive).pipe(
    Effect.scoped,
    Effect.match({ onFailure: (error) => error.message, onSuccess: () => undefined })
  ))

export interface LiveIt<R> {
  readonly effect: <A, E>(name: string, self: () => Effect.Effect<A, E, R>, timeout?: number) => void
}

/**
 * Like `layer(...)` of `@effect/vitest` (one layer built once for the tests of a `describe`, live
 * clock), but the layer is built by the first test rather than in `beforeAll`: when it cannot be
 * built (Redmine not started) every test FAILS with the reason, where a failing `beforeAll` would
 * only mark the tests skipped.
 */
export const describeLive = <R, E>(name: string, layer: Layer.Layer<R, E>, body: (it: LiveIt<R>) => void): void => {
  const memoMap = Effect.runSync(Layer.makeMemoMap)
  const scope = Effect.runSync(Scope.make())
  const runtime = Layer.toRuntimeWithMemoMap(layer, memoMap).pipe(
    Scope.extend(scope),
    Effect.orDie,
    Effect.cached,
    Effect.runSync
  )
  describe(name, () => {
    afterAll(() => Effect.runPromise(Scope.close(scope, Exit.void)))
    body({
      effect: (title, self, timeout) => it.live(title, () => Effect.flatMap(runtime, (rt) => Effect.provide(self(), rt)), timeout)
    })
  })
}
