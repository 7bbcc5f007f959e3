#!/usr/bin/env node
/**
 * The `ticketkit` executable.
 *
 * It runs the command itself (not through `NodeRuntime.runMain`, whose exit code after a signal is
 * 0) so that the exit code is the command's: SIGINT (Ctrl-C) interrupts the command — its
 * finalizers run, what was printed stays — and exits 130, SIGTERM 143 (128 + the signal's number,
 * as a shell reports a process the signal ended). A second signal exits at once. When the reader
 * of stdout goes away (`ticketkit fetch --all | head`), the command stops quietly with 141
 * (128 + SIGPIPE) instead of dying with a stack trace.
 *
 * @since 0.1.0
 */
import { NodeContext, NodeHttpClient } from "@effect/platform-node"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Cli from "./Cli.js"
import { ExitCode } from "./ExitCode.js"

const program = Cli.main(process.argv).pipe(
  Effect.provide(Layer.mergeAll(
    Cli.layer({ cwd: process.cwd(), stdoutIsTerminal: process.stdout.isTTY === true }),
    NodeContext.layer,
    NodeHttpClient.layerUndici
  ))
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
