/**
 * Test support: runs the `ticketkit` command in-process with a capturing console, and makes
 * throw-away project directories (inside the repository, so that plugins resolve `effect`).
 */
import { NodeContext, NodeHttpClient } from "@effect/platform-node"
import { Clock, Console, Effect, Layer } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import * as Cli from "../../src/cli/Cli.js"

export interface CliResult {
  readonly code: number
  readonly out: string
  readonly err: string
}

const capture = (out: Array<string>, err: Array<string>): Console.Console => {
  const text = (args: ReadonlyArray<unknown>) => args.map((a) => (typeof a === "string" ? a : JSON.stringify(a))).join(" ")
  const unsafe = {
    assert: () => {},
    clear: () => {},
    count: () => {},
    countReset: () => {},
    debug: (...args: ReadonlyArray<unknown>) => out.push(text(args)),
    dir: (...args: ReadonlyArray<unknown>) => out.push(text(args)),
    dirxml: (...args: ReadonlyArray<unknown>) => out.push(text(args)),
    error: (...args: ReadonlyArray<unknown>) => err.push(text(args)),
    group: () => {},
    groupCollapsed: () => {},
    groupEnd: () => {},
    info: (...args: ReadonlyArray<unknown>) => out.push(text(args)),
    log: (...args: ReadonlyArray<unknown>) => out.push(text(args)),
    table: (...args: ReadonlyArray<unknown>) => out.push(text(args)),
    time: () => {},
    timeEnd: () => {},
    timeLog: () => {},
    trace: (...args: ReadonlyArray<unknown>) => err.push(text(args)),
    warn: (...args: ReadonlyArray<unknown>) => err.push(text(args))
  } as unknown as Console.UnsafeConsole
  const lift = (name: keyof Console.UnsafeConsole) => (...args: ReadonlyArray<unknown>) =>
    Effect.sync(() => (unsafe[name] as (...a: ReadonlyArray<unknown>) => void)(...args))
  return {
    [Console.TypeId]: Console.TypeId,
    assert: (condition: boolean, ...args: ReadonlyArray<unknown>) => Effect.sync(() => condition ? undefined : err.push(text(args))),
    clear: Effect.void,
    count: () => Effect.void,
    countReset: () => Effect.void,
    debug: lift("debug"),
    dir: lift("dir"),
    dirxml: lift("dirxml"),
    error: lift("error"),
    group: () => Effect.void,
    groupEnd: Effect.void,
    info: lift("info"),
    log: lift("log"),
    table: lift("table"),
    time: () => Effect.void,
    timeEnd: () => Effect.void,
    timeLog: () => Effect.void,
    trace: lift("trace"),
    warn: lift("warn"),
    unsafe
  } as unknown as Console.Console
}

/** runs `ticketkit ...args` in `cwd` */
export const runCli = (cwd: string, ...args: ReadonlyArray<string>) =>
  Effect.gen(function*() {
    const out: Array<string> = []
    const err: Array<string> = []
    const code = yield* Cli.main(["node", "ticketkit", ...args]).pipe(
      Effect.withConsole(capture(out, err)),
      // the command runs on the real clock (its retries wait), also inside it.effect's TestClock
      Effect.withClock(Clock.make()),
      Effect.provide(Layer.mergeAll(Cli.layer({ cwd }), NodeContext.layer, NodeHttpClient.layerUndici))
    )
    return { code, out: out.join("\n"), err: err.join("\n") } satisfies CliResult
  })

const root = path.resolve(import.meta.dirname, "../../.tmp")

/** a fresh project directory with the given files (paths relative to it) */
export const project = (name: string, files: Readonly<Record<string, string>> = {}): string => {
  const dir = path.join(root, `${name}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`)
  fs.mkdirSync(dir, { recursive: true })
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true })
    fs.writeFileSync(path.join(dir, file), content)
  }
  return dir
}
