/**
 * 5. CLI start-up (issue 17): the built `ticketkit` command, as users run it (`node dist/cli/bin.js`),
 * against a bare `node -e 0` start of the same Node.js, in the same run.
 *
 * Cases: `ticketkit --help`, and `ticketkit get 1` against a reference server (in its own process,
 * `bench/server.ts`) configured in a `ticketkit.yaml` of a scratch project. Each round runs every
 * case once, in a rotating order; after warm-up rounds, the median wall time of each case (spawn to
 * exit) over the rounds, and its ratio to `node -e 0`'s median. Every run's exit code and output
 * are checked, so a broken build cannot look fast.
 *
 * Alone: `npx tsx bench/cli.ts [--bin=path/to/bin.js] [--node=path/to/node] [--rounds=N]`.
 */
import { spawn } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { startServer } from "./proc.js"
import { median, round, spread } from "./stats.js"

export interface CliSettings {
  /** the `ticketkit` executable to run (default: the built one, dist/cli/bin.js) */
  readonly bin?: string
  /** the Node.js binary (default: the one running the bench) */
  readonly node?: string
  readonly rounds: number
  readonly warmup: number
}

export interface CliCase {
  readonly name: string
  readonly millis: ReadonlyArray<number>
  readonly median: number
  readonly spread: number
  /** median / `node -e 0`'s median */
  readonly ratio: number
}

export interface CliResult {
  readonly bin: string
  readonly node: string
  readonly nodeVersion: string
  readonly rounds: number
  readonly cases: ReadonlyArray<CliCase>
}

interface Run {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
  readonly millis: number
}

const exec = (command: string, args: ReadonlyArray<string>, cwd: string, env: NodeJS.ProcessEnv): Promise<Run> =>
  new Promise((resolve, reject) => {
    const started = performance.now()
    const child = spawn(command, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] })
    let stdout = ""
    let stderr = ""
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d))
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d))
    child.on("error", reject)
    child.on("close", (code) => resolve({ code, stdout, stderr, millis: performance.now() - started }))
  })

const repository = path.resolve(import.meta.dirname, "..")

export const runCli = async (settings: CliSettings): Promise<CliResult> => {
  const bin = path.resolve(settings.bin ?? path.join(repository, "dist/cli/bin.js"))
  if (!fs.existsSync(bin)) throw new Error(`${bin} does not exist: run \`npm run build\` first`)
  const node = settings.node ?? process.execPath
  const server = await startServer({ count: 100 })
  // a scratch project: the configuration, and no node_modules (no plugins to discover)
  const project = fs.mkdtempSync(path.join(os.tmpdir(), "ticketkit-bench-cli-"))
  try {
    fs.writeFileSync(path.join(project, "ticketkit.yaml"), [
      "systems:",
      "  helpdesk:",
      "    adapter: rest",
      "    options:",
      `      baseUrl: ${server.url}`,
      "      auth: { _tag: bearer, token: \"${env:BENCH_TOKEN}\" }"
    ].join("\n"))
    // NODE_OPTIONS of the bench (tsx) must not reach the measured processes
    const env = { ...process.env, NODE_OPTIONS: "", BENCH_TOKEN: server.token }
    const cases: ReadonlyArray<{ readonly name: string; readonly args: ReadonlyArray<string>; readonly check: (r: Run) => boolean }> = [
      { name: "node -e 0", args: ["-e", "0"], check: (r) => r.code === 0 },
      { name: "ticketkit --help", args: [bin, "--help"], check: (r) => r.code === 0 && r.stdout.includes("USAGE") && r.stdout.includes("get") },
      { name: "ticketkit get 1", args: [bin, "get", "1"], check: (r) => r.code === 0 && r.stdout.startsWith("#1 ") }
    ]
    const samples = cases.map(() => [] as Array<number>)
    for (let round_ = 0; round_ < settings.warmup + settings.rounds; round_++) {
      for (let k = 0; k < cases.length; k++) {
        const i = (round_ + k) % cases.length
        const c = cases[i]!
        const r = await exec(node, c.args, project, env)
        if (!c.check(r)) {
          throw new Error(`${c.name} failed (exit code ${r.code}):\n${r.stdout.slice(0, 500)}\n${r.stderr.slice(0, 2000)}`)
        }
        if (round_ >= settings.warmup) samples[i]!.push(r.millis)
      }
    }
    const baseline = median(samples[0]!)
    const nodeVersion = (await exec(node, ["--version"], project, env)).stdout.trim()
    return {
      bin: path.relative(repository, bin) || bin,
      node,
      nodeVersion,
      rounds: settings.rounds,
      cases: cases.map((c, i) => ({
        name: c.name,
        millis: samples[i]!.map((m) => round(m, 1)),
        median: round(median(samples[i]!), 1),
        spread: round(spread(samples[i]!), 2),
        ratio: round(median(samples[i]!) / baseline, 2)
      }))
    }
  } finally {
    await server.stop()
    fs.rmSync(project, { recursive: true, force: true })
  }
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3)
  const result = await runCli({
    ...(arg("bin") === undefined ? {} : { bin: arg("bin")! }),
    ...(arg("node") === undefined ? {} : { node: arg("node")! }),
    rounds: Number(arg("rounds") ?? 11),
    warmup: 2
  })
  console.log(`${result.bin} on Node.js ${result.nodeVersion}, median of ${result.rounds} rounds`)
  for (const c of result.cases) console.log(`  ${c.name.padEnd(20)} ${String(c.median).padStart(8)} ms  ${String(c.ratio).padStart(6)}×  (spread ${c.spread})`)
}
