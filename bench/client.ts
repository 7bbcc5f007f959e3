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
import type { Ticket } from "../src/Ticket.js"
import { TicketSystemAdapter } from "../src/TicketSystemAdapter.js"

export const makeRuntime = (url: string, token: string) =>
  ManagedRuntime.make(
    RestAdapter.layer({ name: "bench", baseUrl: url, auth: { _tag: "bearer", token: Redacted.make(token) } }).pipe(
      Layer.provide(NodeHttpClient.layerUndici),
      Layer.orDie
    )
  )

export type Runtime = ReturnType<typeof makeRuntime>

/** streams every ticket (at most `limit`) through `streamTickets`, handing each page's tickets to `onChunk` */
export const stream = (
  runtime: Runtime,
  pageSize: number,
  onChunk: (tickets: ReadonlyArray<Ticket>) => void,
  limit?: number
): Promise<number> => {
  let count = 0
  return runtime.runPromise(
    Effect.flatMap(TicketSystemAdapter, (adapter) =>
      adapter.streamTickets({ pageSize, ...(limit === undefined ? {} : { limit }) }).pipe(
        Stream.runForEachChunk((chunk) =>
          Effect.sync(() => {
            const tickets = Chunk.toReadonlyArray(chunk)
            count += tickets.length
            onChunk(tickets)
          })
        ),
        Effect.map(() => count)
      ))
  )
}
