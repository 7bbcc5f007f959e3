/**
 * `npm start`: the triage pipeline on the embedded default.
 */
import { NodeRuntime } from "@effect/platform-node"
import { Console, Effect, Layer } from "effect"
import { InMemory } from "ticketkit"
import { RulesLive } from "./Classifier.js"
import { helpdeskFixtures } from "./fixtures.js"
import { formatSummary, triage } from "./Triage.js"

const program = Effect.gen(function*() {
  yield* Console.log("ticketkit triage demo: in-memory help desk with 300 tickets")
  for (const run of [1, 2]) {
    const summary = yield* triage({
      incoming: { name: "Incoming" },
      onTicket: (done, total) => done % 50 === 0 || done === total ? Console.log(`  triaged ${done}/${total}`) : Effect.void
    })
    yield* Console.log(`run ${run}: ${formatSummary(summary)}`)
  }
})

program.pipe(
  Effect.provide(Layer.merge(InMemory.layer({ fixtures: helpdeskFixtures() }), RulesLive)),
  NodeRuntime.runMain
)
