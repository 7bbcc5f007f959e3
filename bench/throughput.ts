/**
 * Bench 1 — stream + decode throughput: every ticket of a reference server (no faults) through
 * `RestAdapter.streamTickets`, against the hand-written baseline, in the same run, same page size.
 * The server runs in its own process; runs alternate between the two clients after a warm-up.
 */
import { makeClient } from "./baseline.js"
import { makeRuntime, stream } from "./client.js"
import { startServer } from "./proc.js"
import { median, round, spread } from "./stats.js"

export interface Summary {
  readonly medianMs: number
  readonly ticketsPerSecond: number
  /** (max − min) / median of the runs */
  readonly spread: number
  readonly samplesMs: ReadonlyArray<number>
  /** the client process's CPU time (user + system) per ticket, median of the runs */
  readonly cpuMicrosPerTicket: number
}

export interface ThroughputResult {
  readonly tickets: number
  readonly pageSize: number
  readonly runs: number
  readonly ticketkit: Summary
  readonly baseline: Summary
  /** ticketkit's median time / the baseline's */
  readonly ratio: number
}

export const runThroughput = async (options: { readonly tickets: number; readonly pageSize: number; readonly runs: number; readonly warmup: number }): Promise<ThroughputResult> => {
  const server = await startServer({ count: options.tickets })
  const runtime = makeRuntime(server.url, server.token)
  const baseline = makeClient(server.url, server.token)
  // something to do with every ticket, so that neither side's work can be skipped
  let checksum = 0
  const consumeTicketkit = (tickets: ReadonlyArray<{ readonly title: string }>) => {
    for (const t of tickets) checksum += t.title.length
  }
  const consumeBaseline = consumeTicketkit
  const cpu: { ticketkit: Array<number>; baseline: Array<number> } = { ticketkit: [], baseline: [] }
  const timed = async (side: "ticketkit" | "baseline", run: () => Promise<number>, expected: number) => {
    const cpuStart = process.cpuUsage()
    const start = performance.now()
    const n = await run()
    const ms = performance.now() - start
    const used = process.cpuUsage(cpuStart)
    if (n !== expected) throw new Error(`${side} streamed ${n} tickets, expected ${expected}`)
    if (expected === options.tickets) cpu[side].push((used.user + used.system) / n)
    return ms
  }
  const timeTicketkit = (limit?: number) =>
    timed("ticketkit", () => stream(runtime, options.pageSize, consumeTicketkit, limit), limit ?? options.tickets)
  const timeBaseline = (limit?: number) =>
    timed("baseline", () => baseline.stream(options.pageSize, consumeBaseline, limit), limit ?? options.tickets)
  try {
    for (let i = 0; i < options.warmup; i++) {
      await timeTicketkit(Math.min(options.tickets, 10_000))
      await timeBaseline(Math.min(options.tickets, 10_000))
    }
    const tk: Array<number> = []
    const base: Array<number> = []
    for (let i = 0; i < options.runs; i++) {
      // alternate the order, so that neither side always runs on a warmer (or more fragmented) heap
      if (i % 2 === 0) {
        tk.push(await timeTicketkit())
        base.push(await timeBaseline())
      } else {
        base.push(await timeBaseline())
        tk.push(await timeTicketkit())
      }
    }
    const summary = (samples: Array<number>, cpuPerTicket: Array<number>): Summary => ({
      medianMs: round(median(samples), 1),
      ticketsPerSecond: round((options.tickets / median(samples)) * 1000),
      spread: round(spread(samples), 3),
      samplesMs: samples.map((s) => round(s, 1)),
      cpuMicrosPerTicket: round(median(cpuPerTicket), 2)
    })
    if (checksum === 0) throw new Error("nothing was streamed")
    return {
      tickets: options.tickets,
      pageSize: options.pageSize,
      runs: options.runs,
      ticketkit: summary(tk, cpu.ticketkit),
      baseline: summary(base, cpu.baseline),
      ratio: round(median(tk) / median(base), 3)
    }
  } finally {
    await runtime.dispose()
    await baseline.close()
    await server.stop()
  }
}
