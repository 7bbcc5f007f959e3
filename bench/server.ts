/**
 * A reference server in its own process (so that its work does not share the client's CPU),
 * serving `count` generated tickets lazily.
 *
 * Started by `proc.ts` with one JSON argument `{ count, faults? }`; it sends
 * `{ type: "ready", url, token }` over IPC, then answers `{ type: "stats" }`,
 * `{ type: "setFaults", faults }` and `{ type: "resetStats" }`, and exits when the parent goes.
 */
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as Effect from "effect/Effect"
import * as ReferenceServer from "../src/testing/ReferenceServer.js"
import { generated } from "./fixtures.js"

const args = JSON.parse(process.argv[2] ?? "{}") as { count?: number; faults?: ReferenceServer.Faults }

const program = Effect.gen(function*() {
  const server = yield* ReferenceServer.make({
    generated: generated(args.count ?? 10_000),
    ...(args.faults === undefined ? {} : { faults: args.faults })
  })
  process.on("message", (message: { type: string; id?: number; faults?: ReferenceServer.Faults }) => {
    const reply = (value: unknown) => process.send?.({ type: "reply", id: message.id, value })
    switch (message.type) {
      case "stats":
        return reply(Effect.runSync(server.stats))
      case "setFaults":
        Effect.runSync(server.setFaults(message.faults ?? {}))
        return reply(null)
      case "resetStats":
        Effect.runSync(server.resetStats)
        return reply(null)
    }
  })
  process.on("disconnect", () => process.exit(0))
  process.send?.({ type: "ready", url: server.url, token: server.token })
  return yield* Effect.never
})

NodeRuntime.runMain(Effect.scoped(program))
