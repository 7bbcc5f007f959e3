import { NodeHttpClient } from "@effect/platform-node"
import { Effect, Layer, Redacted } from "effect"
import { RestAdapter } from "ticketkit"
import { AdapterContract, ReferenceServer } from "ticketkit/testing"

const AdapterLive = Layer.unwrapEffect(
  Effect.map(ReferenceServer.ReferenceServer, (server) =>
    RestAdapter.layer({ name: "reference", baseUrl: server.url, auth: { _tag: "bearer", token: Redacted.make(server.token) } }))
).pipe(Layer.provide(ReferenceServer.layer()), Layer.provide(NodeHttpClient.layerUndici))

AdapterContract.suite("RestAdapter ↔ reference server (HTTP)", AdapterLive, {
  queue: { name: "Support" },
  otherQueue: { id: "3" }
})
