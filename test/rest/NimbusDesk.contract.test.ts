/**
 * The contract suite against Nimbus Desk, through the configured REST adapter alone: cursor pages,
 * its own token header, numeric urgency, epoch-second dates, boolean comment visibility,
 * comma-separated tags, a nested team read and a flat team_id written, HTML bodies.
 */
import { NodeHttpClient } from "@effect/platform-node"
import { Effect, Layer } from "effect"
import { RestAdapter } from "ticketkit"
import { AdapterContract } from "ticketkit/testing"
import { nimbusOptions } from "./nimbus.js"
import * as NimbusDesk from "./NimbusDesk.js"

const AdapterLive = Layer.unwrapScoped(
  Effect.map(NimbusDesk.make({ tickets: 30 }), (desk) => RestAdapter.layer(nimbusOptions(desk.url, desk.token)))
).pipe(Layer.provide(NodeHttpClient.layerUndici))

AdapterContract.suite("RestAdapter ↔ Nimbus Desk (configuration only)", AdapterLive, {
  queue: { id: "1" },
  otherQueue: { id: "2" },
  assignee: { name: "agent.ana" }
})
