/**
 * The process edge of the `ticketkit` executable, loaded by the launcher (`bin.ts`) when a command
 * has to run.
 *
 * It runs the command itself (not through `NodeRuntime.runMain`, whose exit code after a signal is
 * 0) so that the exit code is the command's: SIGINT (Ctrl-C) interrupts the command — its
 * finalizers run, what was printed stays — and exits 130, SIGTERM 143 (128 + the signal's number,
 * as a shell reports a process the signal ended). A second signal exits at once. When the reader
 * of stdout goes away (`ticketkit fetch --all | head`), the command stops quietly with 141
 * (128 + SIGPIPE) instead of dying with a stack trace.
 *
 * The platform comes from `@effect/platform-node`'s modules one by one: its index loads every
 * module of the package (servers, workers, sockets), which the command line does not need.
 *
 * @internal
 */
import * as Command from "@effect/cli/Command"
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as HashMap from "effect/HashMap"
import * as Layer from "effect/Layer"
import { Writable } from "node:stream"
import * as Cli from "../Cli.js"
import { ExitCode } from "../ExitCode.js"
import { type Answer, type Answers, forms, key } from "./fastPath.js"
import { version } from "../../version.js"

/** everything a command runs with */
const services = (cwd: string, stdoutIsTerminal: boolean) =>
  Layer.mergeAll(Cli.layer({ cwd, stdoutIsTerminal }), NodeContext.layer, NodeHttpClient.layerUndici)

/**
 * Runs `ticketkit` with the process's arguments, and exits with the command's exit code.
 *
 * @internal
 */
export const run = (argv: ReadonlyArray<string>): void => {
  const program = Cli.main(argv).pipe(
    Effect.provide(services(process.cwd(), process.stdout.isTTY === true))
  )

  const fiber = Effect.runFork(program)
  // the fiber may wait on nothing Node counts as work (a server's Effect.never)
  const keepAlive = setInterval(() => {}, 2 ** 31 - 1)

  /** exits once what was written to stdout and stderr is flushed */
  const exitAfterFlush = (code: number) => {
    process.exitCode = code
    let pending = 2
    const done = () => {
      if (--pending === 0) process.exit(code)
    }
    for (const stream of [process.stdout, process.stderr]) {
      if (stream.destroyed || !stream.writable) done()
      else stream.write("", () => done())
    }
    // a stream that never drains (its reader stopped reading) does not keep the process alive
    setTimeout(() => process.exit(code), 2000).unref()
  }

  let stopped: number | undefined
  const stop = (code: number) => {
    if (stopped !== undefined) return process.exit(stopped) // a second signal: no more waiting
    stopped = code
    fiber.unsafeInterruptAsFork(fiber.id())
  }
  const onSigint = () => stop(ExitCode.interrupted)
  const onSigterm = () => stop(ExitCode.terminated)
  process.on("SIGINT", onSigint)
  process.on("SIGTERM", onSigterm)
  // a write to a closed pipe fails asynchronously: the command is stopped, nothing more is written
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (stopped === undefined) stop(error.code === "EPIPE" ? ExitCode.brokenPipe : ExitCode.unexpected)
  })

  fiber.addObserver((exit) => {
    clearInterval(keepAlive)
    if (stopped !== undefined) return exitAfterFlush(stopped)
    process.removeListener("SIGINT", onSigint)
    process.removeListener("SIGTERM", onSigterm)
    const code = Exit.isSuccess(exit) ? exit.value : ExitCode.unexpected
    // success: Node exits once the last request's sockets are closed; a failure exits now
    if (code === ExitCode.ok) process.exitCode = code
    else exitAfterFlush(code)
  })
}

/**
 * What `ticketkit` prints for each argument list the launcher answers without loading the command
 * line (`--help`, `--version`, a command's `--help`): computed by running the command line itself,
 * with the console writing into memory, exactly as the process would print it. Run when the CLI is
 * built (`scripts/build-cli.mjs`); a test compares the built launcher's answers with the command
 * line's.
 *
 * @internal
 */
export const recordAnswers = async (cwd: string): Promise<Answers> => {
  const answers: Record<string, Answer> = {}
  for (const args of forms(Array.from(HashMap.keys(Command.getSubcommands(Cli.command))))) {
    const stdout: Array<string> = []
    const stderr: Array<string> = []
    const code = await Effect.runPromise(Cli.main(["node", "ticketkit", ...args]).pipe(
      Effect.withConsole(memoryConsole(stdout, stderr)),
      Effect.provide(services(cwd, false))
    ))
    answers[key(args)] = { stdout: stdout.join(""), stderr: stderr.join(""), code }
  }
  return { version, answers }
}

/** effect's console over a Node.js `Console` that writes into memory what it would write to stdout and stderr */
const memoryConsole = (stdout: Array<string>, stderr: Array<string>): Console.Console => {
  const sink = (into: Array<string>) =>
    new Writable({
      write: (chunk: Buffer, _encoding, done) => {
        into.push(chunk.toString("utf8"))
        done()
      }
    })
  const unsafe = new console.Console({ stdout: sink(stdout), stderr: sink(stderr), colorMode: false })
  const lift = <A extends Array<unknown>>(f: (...args: A) => void) => (...args: A) => Effect.sync(() => f.apply(unsafe, args))
  return {
    [Console.TypeId]: Console.TypeId,
    assert: lift(unsafe.assert),
    clear: Effect.sync(() => unsafe.clear()),
    count: lift(unsafe.count),
    countReset: lift(unsafe.countReset),
    debug: lift(unsafe.debug),
    dir: lift(unsafe.dir),
    dirxml: lift(unsafe.dirxml),
    error: lift(unsafe.error),
    group: (options) => Effect.sync(() => (options?.collapsed === true ? unsafe.groupCollapsed(options.label) : unsafe.group(options?.label))),
    groupEnd: Effect.sync(() => unsafe.groupEnd()),
    info: lift(unsafe.info),
    log: lift(unsafe.log),
    table: lift(unsafe.table),
    time: lift(unsafe.time),
    timeEnd: lift(unsafe.timeEnd),
    timeLog: lift(unsafe.timeLog),
    trace: lift(unsafe.trace),
    warn: lift(unsafe.warn),
    unsafe
  }
}
