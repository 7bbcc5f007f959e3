/**
 * One memory case, in a fresh process: streams `count` tickets from a reference server through
 * `RestAdapter.streamTickets` (or the hand-written baseline) and prints its peak RSS and heap as
 * JSON.
 *
 * Peak RSS is the kernel's (`process.resourceUsage().maxRSS`); the heap is sampled after every
 * page (`process.memoryUsage()`), so its peak is the largest heap seen between pages.
 */
import * as v8 from "node:v8"
import { makeClient } from "./baseline.js"
import { makeRuntime, stream } from "./client.js"

const args = JSON.parse(process.argv[2] ?? "{}") as {
  url: string
  token: string
  count: number
  pageSize: number
  client: "ticketkit" | "ticketkit-effect" | "baseline"
}

type Run = (onPage: (tickets: ReadonlyArray<{ readonly title: string }>) => void, limit: number) => Promise<number>
let run: Run
let close: () => Promise<void>
if (args.client === "baseline") {
  const client = makeClient(args.url, args.token)
  run = (onPage, limit) => client.stream(args.pageSize, onPage, limit)
  close = () => client.close()
} else {
  const runtime = makeRuntime(args.url, args.token)
  run = (onPage, limit) => stream(runtime, args.pageSize, onPage, limit, args.client === "ticketkit" ? "sync" : "effect")
  close = () => runtime.dispose()
}
// the fixed cost first: modules loaded, client and connection made, one page read
await run(() => {}, args.pageSize)
const idle = process.memoryUsage()

let peakHeapUsed = 0
let peakHeapTotal = 0
let peakRss = 0
let peakExternal = 0
let pages = 0
let checksum = 0
const sample = () => {
  const m = process.memoryUsage()
  if (m.heapUsed > peakHeapUsed) peakHeapUsed = m.heapUsed
  if (m.heapTotal > peakHeapTotal) peakHeapTotal = m.heapTotal
  if (m.rss > peakRss) peakRss = m.rss
  if (m.external > peakExternal) peakExternal = m.external
}
const start = performance.now()
const streamed = await run((tickets) => {
  pages++
  for (const t of tickets) checksum += t.title.length
  sample()
}, args.count)
const seconds = (performance.now() - start) / 1000
await close()
if (streamed !== args.count) throw new Error(`streamed ${streamed} tickets, expected ${args.count}`)

console.log(JSON.stringify({
  tickets: streamed,
  pages,
  seconds,
  checksum,
  idleRss: idle.rss,
  idleHeapUsed: idle.heapUsed,
  /** the kernel's high-water mark of the process, in bytes */
  maxRss: process.resourceUsage().maxRSS * 1024,
  peakRssSampled: peakRss,
  peakHeapUsed,
  peakHeapTotal,
  /** Buffers and ArrayBuffers outside the heap */
  peakExternal,
  /** compiled code and bytecode at the end: what a longer run adds to the process beside the heap */
  codeBytes: (() => {
    const c = v8.getHeapCodeStatistics()
    return c.code_and_metadata_size + c.bytecode_and_metadata_size
  })()
}))
