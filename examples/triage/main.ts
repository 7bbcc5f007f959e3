/**
 * `npm start`: the triage pipeline on the embedded default.
 *
 * Starts the reference ticket server (a real HTTP server on 127.0.0.1, seeded with a help desk of
 * 300 tickets), then runs the triage pipeline through the REST adapter over HTTP: first as a dry
 * run (what would change, nothing written), then twice for real: the second run finds nothing
 * left to do.
 *
 * The pieces, to read: `src/demo/Triage.ts` (the pipeline, built from `Pipeline` combinators),
 * `src/demo/Classifier.ts` (the classifier service a model can replace), `src/demo/Demo.ts` (how
 * the layers are composed, with an in-memory checkpoint).
 */
import { NodeHttpClient, NodeRuntime } from "@effect/platform-node"
import { Effect } from "effect"
import { Demo } from "ticketkit/demo"

Demo.run({ tickets: 300 }).pipe(Effect.provide(NodeHttpClient.layerUndici), NodeRuntime.runMain)
