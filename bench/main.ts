/**
 * `npm run bench`: ticketkit against a hand-written baseline. Prints a table of every figure
 * with its target and writes `bench/results.json`. See bench/README.md.
 *
 * Options: `--quick` (smaller sizes, for a smoke run), `--only=decode,throughput,memory,updates,cli`,
 * `--no-baseline-memory` (skip the baseline's memory cases), `--no-check` (skip the self-checks).
 */
import { existsSync, writeFileSync } from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { runChecks } from "./check.js"
import { runCli } from "./cli.js"
import { runDecode } from "./decode.js"
import { runMemoryCase } from "./memory.js"
import { mib, round } from "./stats.js"
import { runThroughput, type ThroughputResult } from "./throughput.js"
import { runUpdates } from "./updates.js"

const argv = process.argv.slice(2)
const quick = argv.includes("--quick")
const only = argv.find((a) => a.startsWith("--only="))?.slice("--only=".length).split(",")
const enabled = (name: string) => only === undefined || only.includes(name)
/** the baseline's memory too, for context (it shows what V8 itself grows by on a long run) */
const withBaselineMemory = !argv.includes("--no-baseline-memory")

const settings = {
  pageSize: 100,
  throughput: quick
    ? [{ tickets: 10_000, runs: 3, warmup: 1 }]
    : [{ tickets: 10_000, runs: 7, warmup: 5 }, { tickets: 100_000, runs: 3, warmup: 3 }],
  memory: quick ? [10_000, 100_000] : [10_000, 1_000_000],
  updates: {
    updates: quick ? 1000 : 5000,
    concurrency: 32,
    latencyMs: 10,
    // a help desk's quota (20/s) and a generous one (100/s): effect's token bucket refills one
    // token per sleep of 1000/R ms, so its timer overshoot costs more the higher R is
    rateLimits: [
      { limitPerSecond: 20, updates: quick ? 60 : 300, algorithm: "token-bucket" as const },
      { limitPerSecond: 100, updates: quick ? 300 : 1500, algorithm: "token-bucket" as const }
    ]
  },
  decode: { rounds: quick ? 3 : 9, pages: quick ? 50 : 200 },
  cli: { rounds: quick ? 5 : 15, warmup: 2 }
}

interface Row {
  readonly bench: string
  readonly figure: string
  readonly value: string
  readonly target?: string
  readonly met?: boolean
}
const rows: Array<Row> = []
const row = (r: Row) => {
  rows.push(r)
  const met = r.met === undefined ? "" : r.met ? "  [met]" : "  [NOT met]"
  console.log(`  ${r.bench.padEnd(30)} ${r.figure.padEnd(52)} ${r.value.padStart(14)}${r.target ? `   target ${r.target}` : ""}${met}`)
}
const n = (x: number) => x.toLocaleString("en-US")

const cpuModel = os.cpus()[0]?.model ?? "unknown"
const machine = {
  node: process.version,
  cpu: cpuModel,
  cores: os.cpus().length,
  platform: `${os.type()} ${os.release()}`,
  memory: `${mib(os.totalmem())} MiB`,
  loadAverageAtStart: os.loadavg().map((l) => round(l, 2))
}
console.log(`ticketkit bench — Node.js ${machine.node}, ${machine.cores} × ${machine.cpu}, load average ${machine.loadAverageAtStart.join(" ")}`)
console.log(quick ? "(--quick: smaller sizes; figures are indicative only)\n" : "")

// the CLI case runs the built command: say so before the other cases run, not after
if (enabled("cli") && !existsSync(path.join(import.meta.dirname, "../dist/cli/bin.js"))) {
  console.error("5. CLI start-up measures the built command: run `npm run build` first (or leave it out: --only=…)")
  process.exit(1)
}

const started = performance.now()
const results: Record<string, unknown> = { machine, settings, quick }

// the optimised paths first: they must give what the plain ones give
if (!argv.includes("--no-check")) {
  runChecks()
  console.log("self-checks passed: the compiled decoder and the lazy store give what the plain ones give\n")
}

// 4 first: it needs no server and shows where the per-ticket time goes
if (enabled("decode")) {
  console.log("4. decode alone (no I/O; parsed wire tickets → tickets)")
  const decode = runDecode(settings.decode)
  results.decode = decode
  const tk = decode.find((d) => d.name.startsWith("ticketkit"))!
  const hand = decode.find((d) => d.name.startsWith("hand-written"))!
  for (const d of decode) row({ bench: "decode", figure: d.name, value: `${n(d.ticketsPerSecond)}/s` })
  row({ bench: "decode", figure: "ticketkit µs per ticket / hand-written validation's", value: `${round(tk.microsPerTicket / hand.microsPerTicket, 2)}×` })
  console.log()
}

if (enabled("throughput")) {
  console.log(`1. stream + decode throughput (reference server in its own process, page size ${settings.pageSize})`)
  const throughput: Array<ThroughputResult> = []
  for (const t of settings.throughput) {
    const r = await runThroughput({ ...t, pageSize: settings.pageSize })
    throughput.push(r)
    const label = `stream ${n(r.tickets)}`
    row({ bench: label, figure: `ticketkit streamTickets (median of ${r.runs}, spread ${r.ticketkit.spread})`, value: `${n(r.ticketkit.ticketsPerSecond)}/s` })
    row({ bench: label, figure: `baseline undici + JSON.parse + map (spread ${r.baseline.spread})`, value: `${n(r.baseline.ticketsPerSecond)}/s` })
    row({ bench: label, figure: "time ratio ticketkit / baseline (medians)", value: `${r.ratio}×`, target: "≤ 1.25×", met: r.ratio <= 1.25 })
    row({ bench: label, figure: "client CPU per ticket: ticketkit / baseline (µs)", value: `${r.ticketkit.cpuMicrosPerTicket} / ${r.baseline.cpuMicrosPerTicket}` })
    row({ bench: label, figure: `  with an Effect per page, runForEachChunk (spread ${r.ticketkitEffect.spread})`, value: `${n(r.ticketkitEffect.ticketsPerSecond)}/s` })
    row({ bench: label, figure: "  its time ratio / baseline; CPU per ticket (µs)", value: `${r.ratioEffect}×; ${r.ticketkitEffect.cpuMicrosPerTicket}` })
    row({ bench: label, figure: `  built from a config file: retry + rate limit (spread ${r.ticketkitConfig.spread})`, value: `${n(r.ticketkitConfig.ticketsPerSecond)}/s` })
    row({ bench: label, figure: "  its time ratio / baseline; CPU per ticket (µs)", value: `${r.ratioConfig}×; ${r.ticketkitConfig.cpuMicrosPerTicket}` })
  }
  results.throughput = throughput
  console.log()
}

if (enabled("memory")) {
  console.log("2. memory while streaming (a fresh process per case; the server makes tickets on demand)")
  const memory: Record<string, unknown> = {}
  for (const client of ["ticketkit", "ticketkit-effect", "baseline"] as const) {
    const cases = []
    for (const tickets of settings.memory) {
      const c = await runMemoryCase(client, tickets, settings.pageSize)
      cases.push(c)
      const label = `memory ${client} ${n(tickets)}`
      row({ bench: label, figure: `peak RSS (after loading + one page: ${mib(c.idleRss)} MiB)`, value: `${mib(c.maxRss)} MiB` })
      row({ bench: label, figure: `peak heap used / total (${n(c.ticketsPerSecond)} tickets/s)`, value: `${mib(c.peakHeapUsed)} / ${mib(c.peakHeapTotal)} MiB` })
      row({ bench: label, figure: "peak external (buffers) / compiled code at the end", value: `${mib(c.peakExternal)} / ${mib(c.codeBytes)} MiB` })
      if (client !== "baseline") {
        row({ bench: label, figure: "the server process's peak RSS (lazy store)", value: c.serverMaxRss === undefined ? "?" : `${mib(c.serverMaxRss)} MiB` })
      }
    }
    const [small, large] = [cases[0]!, cases[cases.length - 1]!]
    const rssRatio = round(large.maxRss / small.maxRss, 3)
    const heapRatio = round(large.peakHeapUsed / small.peakHeapUsed, 3)
    const label = `memory ${client}`
    row({
      bench: label,
      figure: `peak RSS ${n(large.tickets)} / ${n(small.tickets)}`,
      value: `${rssRatio}×`,
      ...(client === "ticketkit" ? { target: "≤ 1.2×", met: rssRatio <= 1.2 } : {})
    })
    row({ bench: label, figure: `peak heap used ${n(large.tickets)} / ${n(small.tickets)}`, value: `${heapRatio}×` })
    memory[client] = { cases, rssRatio, heapRatio }
    if (!withBaselineMemory && client === "ticketkit-effect") break
  }
  results.memory = memory
  console.log()
}

if (enabled("updates")) {
  const u = settings.updates
  console.log(`3. concurrent updates (${n(u.updates)} updates, concurrency ${u.concurrency}, server latency ${u.latencyMs} ms)`)
  const r = await runUpdates(u)
  results.updates = r
  row({ bench: "updates", figure: `ticketkit achieved (ideal ${n(r.latency.idealPerSecond)}/s = ${u.concurrency} / ${u.latencyMs} ms)`, value: `${n(r.latency.achievedPerSecond)}/s` })
  row({ bench: "updates", figure: "achieved / ideal", value: `${r.latency.efficiency}`, target: "≥ 0.9", met: r.latency.efficiency >= 0.9 })
  row({ bench: "updates", figure: "baseline (undici PUT, same concurrency) / ideal", value: `${r.baselineLatency.efficiency}` })
  row({ bench: "updates", figure: "machine ceiling: baseline against a bare node:http server / ideal", value: `${r.ceiling.efficiency}` })
  for (const rl of r.rateLimited) {
    const label = `updates, limit ${rl.limitPerSecond}/s`
    row({ bench: label, figure: `achieved, ${n(rl.updates)} updates, RateLimiter ${rl.algorithm} (incl. burst of ${rl.limitPerSecond})`, value: `${rl.achievedPerSecond}/s` })
    row({ bench: label, figure: "sustained after the initial burst / R", value: `${rl.steadyRatio}`, target: "≥ 0.95", met: rl.steadyRatio >= 0.95 })
    row({ bench: label, figure: "429 answers (client saw / server sent)", value: `${rl.rateLimited} / ${rl.serverRateLimited}`, target: "0", met: rl.rateLimited === 0 && rl.serverRateLimited === 0 })
  }
  console.log()
}

if (enabled("cli")) {
  console.log(`5. CLI start-up: the built ticketkit (dist/cli/bin.js) against a bare node -e 0, median of ${settings.cli.rounds} alternating rounds`)
  const r = await runCli(settings.cli)
  results.cli = r
  const [node, ...cases] = r.cases
  row({ bench: "cli", figure: `node -e 0 (Node.js ${r.nodeVersion}, spread ${node!.spread})`, value: `${node!.median} ms` })
  for (const c of cases) {
    const help = c.name.endsWith("--help")
    row({
      bench: "cli",
      figure: `${c.name}: ${c.median} ms (spread ${c.spread}) / node -e 0`,
      value: `${c.ratio}×`,
      ...(help ? { target: "≤ 5×", met: c.ratio <= 5 } : {})
    })
  }
  console.log()
}

results.rows = rows
results.loadAverageAtEnd = os.loadavg().map((l) => round(l, 2))
results.seconds = round((performance.now() - started) / 1000, 1)
const file = path.join(import.meta.dirname, "results.json")
writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`)
console.log(`done in ${results.seconds} s (load average now ${(results.loadAverageAtEnd as Array<number>).join(" ")}); wrote ${path.relative(process.cwd(), file)}`)
