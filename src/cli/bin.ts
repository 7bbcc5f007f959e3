#!/usr/bin/env node
/**
 * The `ticketkit` executable.
 *
 * @since 0.1.0
 */
import { NodeContext, NodeHttpClient, NodeRuntime } from "@effect/platform-node"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Cli from "./Cli.js"

Cli.main(process.argv).pipe(
  Effect.flatMap((code) => Effect.sync(() => {
    process.exitCode = code
  })),
  Effect.provide(Layer.mergeAll(Cli.layer({ cwd: process.cwd() }), NodeContext.layer, NodeHttpClient.layerUndici)),
  NodeRuntime.runMain({ disableErrorReporting: true, disablePrettyLogger: true })
)
