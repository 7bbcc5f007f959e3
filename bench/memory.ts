/**
 * Bench 2 — memory: peak RSS and heap while streaming N tickets, one fresh child process per case,
 * from a reference server (its own process) that makes tickets on demand, so that a million are
 * served without being held.
 */
import { runChild, startServer } from "./proc.js"

/** `ticketkit-effect`: ticketkit with an `Effect` run per page (`Stream.runForEachChunk`) */
export type Client = "ticketkit" | "ticketkit-effect" | "baseline"

export interface MemoryCase {
  readonly client: Client
  readonly tickets: number
  readonly seconds: number
  readonly ticketsPerSecond: number
  /** RSS after loading, connecting and reading one page: the fixed cost */
  readonly idleRss: number
  /** the process's peak RSS (kernel high-water mark) */
  readonly maxRss: number
  readonly peakHeapUsed: number
  readonly peakHeapTotal: number
  readonly peakExternal: number
  readonly codeBytes: number
  /** the server process's peak RSS, for the lazy store */
  readonly serverMaxRss: number | undefined
}

/** what the child process measures: the case without what the parent adds */
type ChildResult = Omit<MemoryCase, "client" | "ticketsPerSecond" | "serverMaxRss">

export const runMemoryCase = async (client: Client, tickets: number, pageSize: number): Promise<MemoryCase> => {
  const server = await startServer({ count: tickets })
  try {
    const r = await runChild<ChildResult>("memory-child.ts", { url: server.url, token: server.token, count: tickets, pageSize, client })
    return {
      ...r,
      client,
      ticketsPerSecond: Math.round(r.tickets / r.seconds),
      serverMaxRss: server.peakRss()
    }
  } finally {
    await server.stop()
  }
}
