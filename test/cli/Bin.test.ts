/**
 * The built `ticketkit` executable (issue 17), as users run it: built once, as `npm run build`
 * builds it (tsgo, then `scripts/build-cli.mjs`), into a scratch directory of this run.
 *
 * The launcher answers `--help`, `--version` and each command's `--help` from a record made at build
 * time: those answers must be what the command line prints (in-process, and the built command line
 * in a process of its own), and must not need Effect; anything else runs the command line, with its
 * exit codes (usage 2, configuration 3, SIGINT 130, SIGTERM 143, a closed stdout 141).
 */
import * as Command from "@effect/cli/Command"
import { Effect, HashMap } from "effect"
import { type ChildProcess, execFile, spawn } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { promisify } from "node:util"
import { afterAll, assert, beforeAll, describe, it } from "vitest"
import * as Cli from "../../src/cli/Cli.js"
import { type Answers, FILE, forms, key } from "../../src/cli/internal/fastPath.js"
import { version } from "../../src/version.js"
import { project as makeProject, runCli } from "../support/RunCli.js"

const run = promisify(execFile)
const root = path.resolve(import.meta.dirname, "../..")

/** the build of this run (inside the repository, so that the packages resolve) */
const out = path.join(root, ".tmp", `bin-test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`)
const bin = path.join(out, "cli/bin.js")
let record: Answers

/** scratch projects of this file, removed at the end */
const projects: Array<string> = []
const project = (name: string) => {
  const dir = makeProject(name)
  projects.push(dir)
  return dir
}

interface Result {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly stdout: string
  readonly stderr: string
}

const exec = (file: string, args: ReadonlyArray<string>, cwd = root, env: Record<string, string> = {}): Promise<Result> =>
  run(process.execPath, [file, ...args], { cwd, env: { ...process.env, NODE_OPTIONS: "", ...env } }).then(
    ({ stdout, stderr }) => ({ code: 0, signal: null, stdout, stderr }),
    (error: { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }) =>
      ({ code: error.code, signal: error.signal, stdout: error.stdout, stderr: error.stderr })
  )

const exited = (child: ChildProcess) =>
  new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })))

/** resolves with the first stdout line that matches */
const lineMatching = (child: ChildProcess, pattern: RegExp) =>
  new Promise<string>((resolve, reject) => {
    let text = ""
    child.stdout!.setEncoding("utf8").on("data", (data: string) => {
      text += data
      const line = text.split("\n").find((l) => pattern.test(l))
      if (line !== undefined) resolve(line)
    })
    child.on("exit", (code) => reject(new Error(`exited with ${code} before printing ${pattern}: ${text}`)))
  })

beforeAll(async () => {
  // tsgo reports type errors of work in progress elsewhere, but emits: the files are what counts
  await run(path.join(root, "node_modules/.bin/tsgo"), ["-p", "tsconfig.build.json", "--outDir", out, "--declaration", "false", "--declarationMap", "false", "--sourceMap", "false"], { cwd: root })
    .catch(() => undefined)
  assert.isTrue(fs.existsSync(bin), "tsgo emitted the launcher")
  await run(process.execPath, [path.join(root, "scripts/build-cli.mjs"), `--outdir=${out}`], { cwd: root })
  record = JSON.parse(fs.readFileSync(path.join(out, "cli", FILE), "utf8")) as Answers
}, 120_000)

afterAll(() => {
  for (const dir of [out, ...projects]) fs.rmSync(dir, { recursive: true, force: true })
})

describe("the launcher's recorded answers", () => {
  it("cover ticketkit, --help, -h, --version and --help / -h of every command", () => {
    const commands = Array.from(HashMap.keys(Command.getSubcommands(Cli.command)))
    assert.isAtLeast(commands.length, 9)
    assert.strictEqual(record.version, version)
    assert.sameMembers(Object.keys(record.answers), forms(commands).map(key))
  })

  it("are what the command line prints, byte for byte, with its exit code", async () => {
    const dir = project("bin-answers")
    for (const args of forms(Array.from(HashMap.keys(Command.getSubcommands(Cli.command))))) {
      const built = await exec(bin, args, dir)
      const inProcess = await Effect.runPromise(runCli(dir, ...args))
      const label = `ticketkit ${args.join(" ")}`
      assert.strictEqual(built.code, inProcess.code, label)
      assert.strictEqual(built.stdout, inProcess.out === "" ? "" : `${inProcess.out}\n`, label)
      assert.strictEqual(built.stderr, inProcess.err === "" ? "" : `${inProcess.err}\n`, label)
      assert.strictEqual(built.stdout + built.stderr, record.answers[key(args)]!.stdout + record.answers[key(args)]!.stderr, label)
    }
    assert.include(record.answers[key(["--help"])]!.stdout, "USAGE")
    assert.strictEqual(record.answers[key(["--version"])]!.stdout.trim(), version)
  })

  it("are what the built command line prints in a process of its own; a record of another version is ignored", async () => {
    // the same build, with a record that is not this version's: the command line answers
    const other = path.join(out, "cli-other")
    fs.cpSync(path.join(out, "cli"), other, { recursive: true })
    fs.writeFileSync(path.join(other, FILE), JSON.stringify({
      version: "0.0.0-other",
      answers: Object.fromEntries(Object.keys(record.answers).map((k) => [k, { stdout: "stale\n", stderr: "", code: 0 }]))
    }))
    for (const args of [["--help"], ["--version"], ["get", "--help"]]) {
      const full = await exec(path.join(other, "bin.js"), args)
      const answer = record.answers[key(args)]!
      assert.deepStrictEqual({ code: full.code, stdout: full.stdout, stderr: full.stderr }, answer, args.join(" "))
    }
  })

  it("are printed without loading any package (no Effect)", async () => {
    // the launcher's files alone, where no node_modules can be found
    const lone = fs.mkdtempSync(path.join(os.tmpdir(), "ticketkit-launcher-"))
    try {
      for (const file of ["version.js", "cli/bin.js", "cli/ExitCode.js", `cli/${FILE}`, "cli/internal/fastPath.js"]) {
        fs.mkdirSync(path.dirname(path.join(lone, file)), { recursive: true })
        fs.copyFileSync(path.join(out, file), path.join(lone, file))
      }
      const help = await exec(path.join(lone, "cli/bin.js"), ["get", "--help"], lone)
      assert.deepStrictEqual({ code: help.code, stdout: help.stdout, stderr: help.stderr }, record.answers[key(["get", "--help"])])
      // anything else needs the command line, which is not there
      const other = await exec(path.join(lone, "cli/bin.js"), ["get", "1"], lone)
      assert.notStrictEqual(other.code, 0)
    } finally {
      fs.rmSync(lone, { recursive: true, force: true })
    }
  })
})

describe("the built command line", () => {
  it("exits 2 on wrong usage and 3 on a configuration error, as in-process", async () => {
    const dir = project("bin-usage")
    const codes: Array<number | null> = []
    for (const args of [["bogus"], ["get"], ["systems", "--config", "missing.yaml"]]) {
      const built = await exec(bin, args, dir)
      const inProcess = await Effect.runPromise(runCli(dir, ...args))
      assert.strictEqual(built.code, inProcess.code, args.join(" "))
      assert.strictEqual(built.stdout.trim(), inProcess.out.trim(), args.join(" "))
      assert.strictEqual(built.stderr.trim(), inProcess.err.trim(), args.join(" "))
      codes.push(built.code)
    }
    assert.deepStrictEqual(codes, [2, 2, 3])
  })

  it("serves get against a reference server it runs; SIGINT ends with 130, SIGTERM with 143, a closed stdout with 141", async () => {
    const dir = project("bin-serve")
    const env = { ...process.env, NODE_OPTIONS: "" }
    const start = () => {
      const server = spawn(process.execPath, [bin, "serve", "--port", "0", "--tickets", "3000", "--token", "bin-test-token"], { cwd: dir, env, stdio: ["ignore", "pipe", "pipe"] })
      return { server, exit: exited(server), url: lineMatching(server, /^reference ticket server on /).then((l) => /on (http:\/\/\S+) /.exec(l)![1]!) }
    }
    const first = start()
    const url = await first.url
    fs.writeFileSync(path.join(dir, "ticketkit.yaml"), [
      "systems:",
      "  desk:",
      "    adapter: rest",
      `    options: { baseUrl: "${url}", auth: { _tag: bearer, token: bin-test-token } }`
    ].join("\n"))
    const got = await exec(bin, ["get", "1"], dir)
    assert.strictEqual(got.code, 0, got.stderr)
    assert.match(got.stdout, /^#1 /)
    assert.strictEqual((await exec(bin, ["get", "999999"], dir)).code, 6)

    // a reader that goes away
    const fetch = spawn(process.execPath, [bin, "fetch", "--all"], { cwd: dir, env, stdio: ["ignore", "pipe", "pipe"] })
    const fetchExit = exited(fetch)
    await lineMatching(fetch, /^ID\s+STATE/)
    fetch.stdout.destroy()
    assert.deepStrictEqual(await fetchExit, { code: 141, signal: null })

    first.server.kill("SIGINT")
    assert.deepStrictEqual(await first.exit, { code: 130, signal: null })
    const second = start()
    await second.url
    second.server.kill("SIGTERM")
    assert.deepStrictEqual(await second.exit, { code: 143, signal: null })
  }, 60_000)
})
