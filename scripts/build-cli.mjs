#!/usr/bin/env node
// The last step of `npm run build`, after tsgo: records what the built command line prints for
// `ticketkit`, `--help`, `-h`, `--version` and each command's `--help` / `-h`, into
// dist/cli/cli-answers.json, which the launcher (dist/cli/bin.js) prints without loading Effect
// (see src/cli/internal/fastPath.ts). The answers come from running the built command line itself
// (`recordAnswers` in src/cli/internal/run.ts), in an empty scratch directory.
//
// Usage: node scripts/build-cli.mjs [--outdir=dist]   (the directory tsgo emitted into)
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { pathToFileURL } from "node:url"

const root = path.resolve(import.meta.dirname, "..")
const outdir = path.resolve(root, process.argv.find((a) => a.startsWith("--outdir="))?.slice("--outdir=".length) ?? "dist")
const cli = path.join(outdir, "cli")

const started = performance.now()
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "ticketkit-build-cli-"))
try {
  const { recordAnswers } = await import(pathToFileURL(path.join(cli, "internal/run.js")).href)
  const { FILE } = await import(pathToFileURL(path.join(cli, "internal/fastPath.js")).href)
  const record = await recordAnswers(scratch)
  fs.writeFileSync(path.join(cli, FILE), `${JSON.stringify(record)}\n`)
  fs.chmodSync(path.join(cli, "bin.js"), 0o755)
  const count = Object.keys(record.answers).length
  console.log(`recorded ${count} answers of the command line in ${path.relative(root, path.join(cli, FILE))} (${Math.round(performance.now() - started)} ms)`)
} finally {
  fs.rmSync(scratch, { recursive: true, force: true })
}
