/**
 * The demo behind `npm start` and `ticketkit demo`: the reference ticket server on 127.0.0.1,
 * seeded with a help desk, and the triage pipeline run against it through the REST adapter over
 * HTTP: first as a dry run (what would change), then twice for real (the second run finds nothing
 * left to do).
 *
 * @since 0.1.0
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as RestAdapter from "../adapters/Rest.js"
import * as Checkpoint from "../Checkpoint.js"
import * as Pipeline from "../Pipeline.js"
import * as Retry from "../Retry.js"
import * as ReferenceServer from "../testing/ReferenceServer.js"
import { RulesLive } from "./Classifier.js"
import { helpdeskFixtures } from "./Helpdesk.js"
import { formatSummary, triage } from "./Triage.js"

/**
 * The demo's services: a running reference server, the REST adapter pointed at it (with the
 * default retry policy), the rule-based classifier, and a checkpoint in memory (the demo's server
 * is a new one each time, so a checkpoint kept on disk would describe tickets that are gone; a
 * real deployment uses `Checkpoint.layerSqlite`).
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: { readonly tickets?: number; readonly port?: number } = {}) => {
  const ServerLive = ReferenceServer.layer({ fixtures: helpdeskFixtures(options.tickets ?? 300), ...(options.port === undefined ? {} : { port: options.port }) })
  const HelpdeskLive = Layer.unwrapEffect(
    Effect.map(ReferenceServer.ReferenceServer, (server) =>
      Retry.layer(Retry.defaultPolicy).pipe(
        Layer.provide(RestAdapter.layer({ name: "helpdesk", baseUrl: server.url, auth: { _tag: "bearer", token: Redacted.make(server.token) } }))
      ))
  )
  return Layer.mergeAll(HelpdeskLive, RulesLive, Checkpoint.layerMemory).pipe(Layer.provideMerge(ServerLive))
}

/**
 * Runs the triage as a dry run, then twice for real, and prints progress and summaries.
 *
 * @since 0.1.0
 * @category programs
 */
export const program = Effect.gen(function*() {
  const server = yield* ReferenceServer.ReferenceServer
  yield* Console.log(`reference ticket server on ${server.url}: ${server.store.size} tickets`)
  yield* Console.log("dry run: what triaging Incoming would change (nothing is written)")
  const preview = yield* triage({ incoming: { name: "Incoming" }, dryRun: true })
  const changes = [...preview.run.changes].sort((a, b) => Number(a.ticketId) - Number(b.ticketId))
  for (const change of changes.slice(0, 2)) yield* Console.log(`  ${Pipeline.formatChange(change)}`)
  yield* Console.log(`  … ${changes.length} changes to ${preview.run.changed} tickets in all`)
  for (const run of [1, 2]) {
    yield* Console.log(`run ${run}: triaging the new and open tickets of Incoming through the REST adapter`)
    const summary = yield* triage({
      incoming: { name: "Incoming" },
      onTicket: (_, { done, total }) => (done % 60 === 0 || done === total ? Console.log(`  triaged ${done}/${total ?? "?"}`) : Effect.void)
    })
    yield* Console.log(formatSummary(summary).split("\n").map((line) => `  ${line}`).join("\n"))
  }
})

/**
 * The whole demo, needing only an HTTP client.
 *
 * @since 0.1.0
 * @category programs
 */
export const run = (options?: { readonly tickets?: number }): Effect.Effect<void, unknown, HttpClient.HttpClient> =>
  Effect.provide(program, layer(options))
