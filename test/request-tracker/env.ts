/**
 * Where the live Request Tracker is: RT_URL / RT_TOKEN from the environment, else the files
 * scripts/rt/start.sh writes ($RT_STATE_DIR or /tmp/ticketkit-rt: env, limited.env).
 *
 * When RT is not configured or does not answer, every test that needs it FAILS (never skips)
 * with a message saying how to start it.
 */
import { NodeHttpClient } from "@effect/platform-node"
import { it } from "@effect/vitest"
import { Duration, Effect, Layer, Redacted } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import * as RequestTracker from "../../src/adapters/request-tracker/RequestTracker.js"

export const HOW_TO_START = "start Request Tracker with scripts/rt/start.sh"

export interface RtEnv {
  readonly url: string
  readonly token: string
  readonly queue: string
  /** the token of "ticketkit-limited", a user without any rights (403s) */
  readonly limitedToken: string | undefined
  /** root's password (basic auth), RT_ROOT_PASSWORD or start.sh's default */
  readonly rootPassword: string
}

const stateDir = () => process.env.RT_STATE_DIR ?? "/tmp/ticketkit-rt"

const readEnvFile = (file: string): Record<string, string> => {
  try {
    const out: Record<string, string> = {}
    for (const line of fs.readFileSync(file, "utf8").split("\n")) {
      const match = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line.trim())
      if (match) out[match[1]!] = match[2]!
    }
    return out
  } catch {
    return {}
  }
}

/** the configuration, without checking that RT answers */
export const readRtEnv = (): RtEnv | string => {
  const file = readEnvFile(path.join(stateDir(), "env"))
  const limited = readEnvFile(path.join(stateDir(), "limited.env"))
  const url = process.env.RT_URL ?? file.RT_URL
  const token = process.env.RT_TOKEN ?? file.RT_TOKEN
  if (url === undefined || url === "" || token === undefined || token === "") {
    return `Request Tracker is not configured (no RT_URL/RT_TOKEN in the environment or in ${path.join(stateDir(), "env")}): ${HOW_TO_START}`
  }
  return {
    url,
    token,
    queue: process.env.RT_QUEUE ?? file.RT_QUEUE ?? "Support",
    limitedToken: process.env.RT_LIMITED_TOKEN ?? limited.RT_LIMITED_TOKEN,
    rootPassword: process.env.RT_ROOT_PASSWORD ?? "ticketkit-root-pw"
  }
}

/** The configuration of a running RT; fails (with how to start it) when there is none. */
export const rtEnv: Effect.Effect<RtEnv, Error> = Effect.gen(function*() {
  const env = readRtEnv()
  if (typeof env === "string") return yield* Effect.fail(new Error(env))
  const status = yield* Effect.tryPromise({
    try: (signal) =>
      fetch(`${env.url}/REST/2.0/rt`, { headers: { authorization: `token ${env.token}` }, signal: AbortSignal.any([signal, AbortSignal.timeout(10_000)]) })
        .then((r) => r.status),
    catch: (error) => new Error(`Request Tracker does not answer at ${env.url} (${String(error)}): ${HOW_TO_START}`)
  })
  if (status !== 200) {
    return yield* Effect.fail(new Error(`Request Tracker at ${env.url} answered ${status} to the configured token: ${HOW_TO_START}`))
  }
  return env
}).pipe(Effect.cached, Effect.runSync)

/** The adapter (and its client) against the live RT; options may override the defaults. */
export const rtLayer = (
  overrides: (env: RtEnv) => Partial<RequestTracker.OptionsInput> = () => ({})
) =>
  Layer.unwrapEffect(
    Effect.map(rtEnv, (env) =>
      RequestTracker.layer({
        baseUrl: env.url,
        auth: { _tag: "token", token: Redacted.make(env.token) },
        timeout: Duration.seconds(60),
        ...overrides(env)
      }))
  ).pipe(Layer.provide(NodeHttpClient.layerUndici))

/**
 * Registers a test that fails (never skips) when RT is not there, so that a missing RT shows as
 * a failed test and not only as a failed suite with skipped tests.
 */
export const requireRt = (): void => {
  it.live(`Request Tracker is running (${HOW_TO_START})`, () => Effect.asVoid(rtEnv), 30_000)
}
