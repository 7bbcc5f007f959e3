/**
 * Bench 1 — stream + decode throughput: every ticket of a reference server (no faults) through
 * `RestAdapter.streamTickets`, against the hand-written baseline, in the same run, same page size.
 * The server runs in its own process; runs alternate between the two clients after a warm-up.
 */
import { makeClient } from "./baseline.js"
import { makeConfigRuntime, makeRuntime, stream } from "./client.js"
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
  /** ticketkit, consumed synchronously page by page */
  readonly ticketkit: Summary
  /** ticketkit, with an `Effect` run per page (`Stream.runForEachChunk`) */
  readonly ticketkitEffect: Summary
  /** ticketkit built from a configuration file's entry (retry and rate limit on), consumed synchronously */
  readonly ticketkitConfig: Summary
  readonly baseline: Summary
  /** ticketkit's median time / the baseline's */
  readonly ratio: number
  /** the same with an `Effect` per page */
  readonly ratioEffect: number
  /** the same for the configuration-built adapter */
  readonly ratioConfig: number
}

export const runThroughput = async (options: { readonly tickets: number; readonly pageSize: number; readonly runs: number; readonly warmup: number }): Promise<ThroughputResult> => {
  const server = await startServer({ count: options.tickets })
  const runtime = makeRuntime(server.url, server.token)
  const configRuntime = makeConfigRuntime(server.url, server.token)
  const baseline = makeClient(server.url, server.token)
  // something to do with every ticket, so that neither side's work can be skipped
  let checksum = 0
  const consumeTicketkit = (tickets: ReadonlyArray<{ readonly title: string }>) => {
    for (const t of tickets) checksum += t.title.length
  }
  const consumeBaseline = consumeTicketkit
  type Side = "ticketkit" | "ticketkitEffect" | "ticketkitConfig" | "baseline"
  const cpu: Record<Side, Array<number>> = { ticketkit: [], ticketkitEffect: [], ticketkitConfig: [], baseline: [] }
  const timed = async (side: Side, run: () => Promise<number>, expected: number) => {
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
    timed("ticketkit", () => stream(runtime, options.pageSize, consumeTicketkit, limit, "sync"), limit ?? options.tickets)
  const timeTicketkitEffect = (limit?: number) =>
    timed("ticketkitEffect", () => stream(runtime, options.pageSize, consumeTicketkit, limit, "effect"), limit ?? options.tickets)
  const timeTicketkitConfig = (limit?: number) =>
    timed("ticketkitConfig", () => stream(configRuntime, options.pageSize, consumeTicketkit, limit, "sync"), limit ?? options.tickets)
  const timeBaseline = (limit?: number) =>
    timed("baseline", () => baseline.stream(options.pageSize, consumeBaseline, limit), limit ?? options.tickets)
  try {
    for (let i = 0; i < options.warmup; i++) {
      await timeTicketkit(Math.min(options.tickets, 10_000))
      await timeTicketkitEffect(Math.min(options.tickets, 10_000))
      await timeTicketkitConfig(Math.min(options.tickets, 10_000))
      await timeBaseline(Math.min(options.tickets, 10_000))
    }
    const samples: Record<Side, Array<number>> = { ticketkit: [], ticketkitEffect: [], ticketkitConfig: [], baseline: [] }
    const sides: ReadonlyArray<readonly [Side, () => Promise<number>]> = [
      ["ticketkit", () => timeTicketkit()],
      ["ticketkitEffect", () => timeTicketkitEffect()],
      ["ticketkitConfig", () => timeTicketkitConfig()],
      ["baseline", () => timeBaseline()]
    ]
    for (let i = 0; i < options.runs; i++) {
      // rotate the order, so that no side always runs first (on a warmer or more fragmented heap)
      for (let k = 0; k < sides.length; k++) {
        const [side, run] = sides[(i + k) % sides.length]!
        samples[side].push(await run())
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
      ticketkit: summary(samples.ticketkit, cpu.ticketkit),
      ticketkitEffect: summary(samples.ticketkitEffect, cpu.ticketkitEffect),
      ticketkitConfig: summary(samples.ticketkitConfig, cpu.ticketkitConfig),
      baseline: summary(samples.baseline, cpu.baseline),
      ratio: round(median(samples.ticketkit) / median(samples.baseline), 3),
      ratioEffect: round(median(samples.ticketkitEffect) / median(samples.baseline), 3),
      ratioConfig: round(median(samples.ticketkitConfig) / median(samples.baseline), 3)
    }
  } finally {
    await runtime.dispose()
    await configRuntime.dispose()
    await baseline.close()
    await server.stop()
  }
}
