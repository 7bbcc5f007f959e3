#!/usr/bin/env node
/**
 * The `ticketkit` executable: a launcher that loads as little as it can.
 *
 * - `ticketkit`, `--help`, `-h`, `--version` and `ticketkit <command> --help` are answered from a
 *   record made when the CLI is built, by running the command line itself (`internal/fastPath.ts`):
 *   the same text `@effect/cli` prints, without loading Effect. Without the record (run from the
 *   sources, or another version's), the command line answers them.
 * - Anything else loads the command line (`internal/run.ts`) and runs it, with the exit codes of
 *   `ExitCode` (SIGINT 130, SIGTERM 143, a closed stdout 141).
 * - On Node.js ≥ 22.1, the compiled code of the modules it loads is cached on disk by Node
 *   (`module.enableCompileCache`; `NODE_DISABLE_COMPILE_CACHE=1` turns it off).
 *
 * @since 0.1.0
 */
import * as nodeModule from "node:module"
import { version } from "../version.js"
import { ExitCode } from "./ExitCode.js"
import { FILE, lookup } from "./internal/fastPath.js"

const answer = lookup(new URL(FILE, import.meta.url), version, process.argv.slice(2))

if (answer !== undefined) {
  // a reader that went away (`ticketkit --help | head -1`) ends the process quietly, as a command does
  process.stdout.on("error", (error: NodeJS.ErrnoException) => process.exit(error.code === "EPIPE" ? ExitCode.brokenPipe : ExitCode.unexpected))
  process.stdout.write(answer.stdout)
  process.stderr.write(answer.stderr)
  process.exitCode = answer.code
} else {
  // Node.js ≥ 22.1 (absent from older versions and their types)
  ;(nodeModule as { readonly enableCompileCache?: () => unknown }).enableCompileCache?.()
  const { run } = await import("./internal/run.js")
  run(process.argv)
}
