import { NodeHttpClient } from "@effect/platform-node"
import { assert, describe, it } from "@effect/vitest"
import { Context, Effect, Layer, Schema } from "effect"
import { Registry, TicketSystemAdapter } from "ticketkit"
import { AdapterContract } from "ticketkit/testing"
import * as Helpline from "../src/adapter.js"
import { setup } from "../src/plugin.js"
import { startHelpline } from "./HelplineServer.js"

const ServerLive = Layer.unwrapScoped(
  Effect.acquireRelease(Effect.promise(() => startHelpline()), (server) => Effect.promise(server.close)).pipe(
    Effect.map((server) => Helpline.layer({ baseUrl: server.url, token: server.token }))
  )
).pipe(Layer.provide(NodeHttpClient.layerUndici))

AdapterContract.suite("Helpline (my-ticket-adapter)", ServerLive, {
  queue: { name: "support" },
  otherQueue: { name: "billing" },
  unknownTicketId: "C-999999"
})

describe("my-ticket-adapter plugin", () => {
  it.effect("registers the helpline adapter, usable from its options", () =>
    Effect.gen(function*() {
      const registry = yield* Registry.make
      yield* setup(registry.forPlugin("my-ticket-adapter"))
      const helpline = yield* registry.get("helpline")
      assert.strictEqual(helpline.source, "my-ticket-adapter")
      const server = yield* Effect.acquireRelease(Effect.promise(() => startHelpline()), (s) => Effect.promise(s.close))
      const options = yield* Schema.decodeUnknown(helpline.options)({ baseUrl: server.url, token: server.token })
      const context = yield* Layer.build(helpline.layer(options, { system: "desk" }))
      const adapter = Context.get(context, TicketSystemAdapter.TicketSystemAdapter)
      assert.strictEqual(adapter.name, "desk")
      assert.strictEqual((yield* adapter.fetchTickets({ limit: 100 })).length, 12)
    }).pipe(Effect.scoped, Effect.provide(NodeHttpClient.layerUndici)))
})
