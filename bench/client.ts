/**
 * The ticketkit side: a `RestAdapter` over `NodeHttpClient.layerUndici`, as an application would
 * build it, in a runtime that the benchmarks reuse between runs.
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as ManagedRuntime from "effect/ManagedRuntime"
import * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"
import * as RestAdapter from "../src/adapters/Rest.js"
import * as Config from "../src/Config.js"
import * as Registry from "../src/Registry.js"
import type { Ticket } from "../src/Ticket.js"
import { TicketSystemAdapter } from "../src/TicketSystemAdapter.js"

export const makeRuntime = (url: string, token: string) =>
  ManagedRuntime.make(
    RestAdapter.layer({ name: "bench", baseUrl: url, auth: { _tag: "bearer", token: Redacted.make(token) } }).pipe(
      Layer.provide(NodeHttpClient.layerUndici),
      Layer.orDie
    )
  )

/**
 * The same system built from a configuration file's entry, as the command line builds it: the
 * registry's `rest` adapter with the default retry policy and a client-side rate limit (high
 * enough never to wait), so that the aspects on the driver are measured too.
 */
export const makeConfigRuntime = (url: string, token: string) =>
  ManagedRuntime.make(
    Layer.unwrapEffect(Effect.gen(function*() {
      const config = yield* Config.resolve({
        systems: {
          bench: {
            adapter: "rest",
            options: { baseUrl: url, auth: { _tag: "bearer", token } },
            rateLimit: { limit: 1_000_000, interval: 1000 }
          }
        }
      })
      return (yield* Config.select(config)).layer
    })).pipe(
      Layer.provide(Registry.layer()),
      Layer.provide(NodeHttpClient.layerUndici),
      Layer.orDie
    )
  )

export type Runtime = ReturnType<typeof makeRuntime> | ReturnType<typeof makeConfigRuntime>

/**
 * How the tickets are consumed:
 * - `sync`: synchronous work per page (`Stream.mapChunks` + `Stream.runDrain`), the headline figure;
 * - `effect`: an `Effect` run per page (`Stream.runForEachChunk`), as a program that does I/O per
 *   page would. Effect's sink keeps each page reachable from the channel's state for longer than a
 *   young-generation GC, so V8 promotes it; see bench/README.md.
 */
export type Consumer = "sync" | "effect"

/** streams every ticket (at most `limit`) through `streamTickets`, handing each page's tickets to `onChunk` */
export const stream = (
  runtime: Runtime,
  pageSize: number,
  onChunk: (tickets: ReadonlyArray<Ticket>) => void,
  limit?: number,
  consumer: Consumer = "sync"
): Promise<number> => {
  let count = 0
  const each = (chunk: Chunk.Chunk<Ticket>) => {
    const tickets = Chunk.toReadonlyArray(chunk)
    count += tickets.length
    onChunk(tickets)
  }
  return runtime.runPromise(
    Effect.flatMap(TicketSystemAdapter, (adapter) => {
      const tickets = adapter.streamTickets({ pageSize, ...(limit === undefined ? {} : { limit }) })
      return (consumer === "sync"
        ? Stream.runDrain(Stream.mapChunks(tickets, (chunk) => {
          each(chunk)
          return chunk
        }))
        : Stream.runForEachChunk(tickets, (chunk) => Effect.sync(() => each(chunk)))).pipe(Effect.map(() => count))
    })
  )
}
