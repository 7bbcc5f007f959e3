/**
 * Child processes of the benchmark: reference servers and measurement children, each a fresh
 * Node.js process running TypeScript through tsx.
 */
import { type ChildProcess, fork } from "node:child_process"
import { readFileSync } from "node:fs"
import * as path from "node:path"
import type * as ReferenceServer from "../src/testing/ReferenceServer.js"

const here = import.meta.dirname

/** Node.js options of every child: TypeScript through tsx */
const execArgv = ["--import", "tsx"]

/** A reference server running in its own process. */
export interface ServerProcess {
  readonly url: string
  readonly token: string
  readonly pid: number
  readonly stats: () => Promise<ReferenceServer.Stats>
  readonly setFaults: (faults: ReferenceServer.Faults) => Promise<void>
  readonly resetStats: () => Promise<void>
  /** the peak resident set size of the server process so far, in bytes (Linux) */
  readonly peakRss: () => number | undefined
  readonly stop: () => Promise<void>
}

/** Starts a reference server process serving `count` generated tickets. */
export const startServer = (options: { readonly count: number; readonly faults?: ReferenceServer.Faults }): Promise<ServerProcess> =>
  new Promise((resolve, reject) => {
    // BENCH_SERVER_EXEC_ARGV: extra Node.js options of server processes (e.g. --cpu-prof to profile one)
    const extra = process.env.BENCH_SERVER_EXEC_ARGV?.split(" ").filter((s) => s !== "") ?? []
    const child = fork(path.join(here, "server.ts"), [JSON.stringify(options)], {
      execArgv: [...execArgv, ...extra],
      stdio: ["ignore", "inherit", "inherit", "ipc"]
    })
    let nextId = 0
    const pending = new Map<number, (value: unknown) => void>()
    const call = <A>(message: Record<string, unknown>) =>
      new Promise<A>((done) => {
        const id = nextId++
        pending.set(id, done as (value: unknown) => void)
        child.send({ ...message, id })
      })
    child.on("error", reject)
    child.on("exit", (code) => reject(new Error(`the reference server exited with ${code}`)))
    child.on("message", (message: { type: string; id?: number; value?: unknown; url?: string; token?: string }) => {
      if (message.type === "reply" && message.id !== undefined) {
        pending.get(message.id)?.(message.value)
        pending.delete(message.id)
      }
      if (message.type === "ready") {
        resolve({
          url: message.url!,
          token: message.token!,
          pid: child.pid!,
          stats: () => call({ type: "stats" }),
          setFaults: (faults) => call({ type: "setFaults", faults }),
          resetStats: () => call({ type: "resetStats" }),
          peakRss: () => peakRssOf(child.pid!),
          stop: () => stop(child)
        })
      }
    })
  })

const stop = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null) return resolve()
    child.removeAllListeners("exit")
    child.once("exit", () => resolve())
    child.kill("SIGTERM")
  })

/** VmHWM (peak RSS) of a process, in bytes; undefined where /proc is not there */
export const peakRssOf = (pid: number): number | undefined => {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8")
    const match = /VmHWM:\s+(\d+)\s+kB/.exec(status)
    return match === null ? undefined : Number(match[1]) * 1024
  } catch {
    return undefined
  }
}

/** Starts the bare `node:http` server of `raw-server.ts`; resolves with its URL and a stop function. */
export const startRawServer = (latencyMs: number): Promise<{ readonly url: string; readonly stop: () => Promise<void> }> =>
  new Promise((resolve, reject) => {
    const child = fork(path.join(here, "raw-server.ts"), [String(latencyMs)], { execArgv, stdio: ["ignore", "inherit", "inherit", "ipc"] })
    child.on("error", reject)
    child.once("message", (message: { url: string }) => resolve({ url: message.url, stop: () => stop(child) }))
  })

/** Runs a benchmark script in a fresh process and returns the JSON it prints last. */
export const runChild = <A>(script: string, args: unknown): Promise<A> =>
  new Promise((resolve, reject) => {
    const child = fork(path.join(here, script), [JSON.stringify(args)], { execArgv, stdio: ["ignore", "pipe", "inherit", "ipc"] })
    let out = ""
    child.stdout!.on("data", (chunk: Buffer) => (out += chunk.toString("utf8")))
    child.on("error", reject)
    child.on("exit", (code) => {
      const last = out.trim().split("\n").pop() ?? ""
      if (code !== 0) return reject(new Error(`${script} exited with ${code}: ${out}`))
      try {
        resolve(JSON.parse(last) as A)
      } catch {
        reject(new Error(`${script} printed no result: ${out}`))
      }
    })
  })
