/**
 * `npm start`: the triage pipeline on the embedded default.
 *
 * Starts the reference ticket server (a real HTTP server on 127.0.0.1, seeded with a help desk of
 * 300 tickets), then runs the triage pipeline through the REST adapter over HTTP, twice: the
 * second run finds nothing left to do.
 */
import { NodeHttpClient, NodeRuntime } from "@effect/platform-node"
import { Console, Effect, Layer, Redacted } from "effect"
import { RestAdapter, Retry } from "ticketkit"
import * as ReferenceServer from "ticketkit/server"
import { RulesLive } from "./Classifier.js"
import { helpdeskFixtures } from "./fixtures.js"
import { formatSummary, triage } from "./Triage.js"

const ServerLive = ReferenceServer.layer({ fixtures: helpdeskFixtures(300) })

/** the REST adapter pointed at the running server, with the default retry policy */
const HelpdeskLive = Layer.unwrapEffect(
  Effect.map(ReferenceServer.ReferenceServer, (server) =>
    Retry.layer(Retry.defaultPolicy).pipe(
      Layer.provide(RestAdapter.layer({ name: "helpdesk", baseUrl: server.url, auth: { _tag: "bearer", token: Redacted.make(server.token) } }))
    ))
)

const program = Effect.gen(function*() {
  const server = yield* ReferenceServer.ReferenceServer
  yield* Console.log(`reference ticket server on ${server.url}: ${server.store.size} tickets`)
  for (const run of [1, 2]) {
    yield* Console.log(`run ${run}: triaging the new and open tickets of Incoming through the REST adapter`)
    const summary = yield* triage({
      incoming: { name: "Incoming" },
      onTicket: (done, total) => (done % 60 === 0 || done === total ? Console.log(`  triaged ${done}/${total}`) : Effect.void)
    })
    yield* Console.log(formatSummary(summary).split("\n").map((line) => `  ${line}`).join("\n"))
  }
})

program.pipe(
  Effect.provide(Layer.mergeAll(HelpdeskLive, RulesLive).pipe(Layer.provideMerge(ServerLive), Layer.provide(NodeHttpClient.layerUndici))),
  NodeRuntime.runMain
)
