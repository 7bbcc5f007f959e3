/**
 * Test support: ticketkit as a user gets it — packed with `npm pack` (which builds `dist/`) and
 * installed into a fresh project outside the repository, where nothing resolves from the
 * repository's own `node_modules`.
 *
 * Packing rebuilds `dist/` (`prepack`), so test files that pack must not do it at the same time:
 * {@link packTicketkit} packs under a lock shared by every test process, once per process.
 * `TICKETKIT_TARBALL=<file>` uses a tarball packed before instead (CI can pack once).
 */
import { execFile } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { promisify } from "node:util"

const run = promisify(execFile)

/** the repository */
export const root = path.resolve(import.meta.dirname, "../..")

/** a fresh directory outside the repository, removed by the caller */
export const scratch = (prefix: string): string => fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`))

/** packs the package in `dir` into `destination`; the tarball's path */
export const pack = async (dir: string, destination: string): Promise<string> => {
  const { stdout } = await run("npm", ["pack", "--silent", "--pack-destination", destination], { cwd: dir, maxBuffer: 16 * 1024 * 1024 })
  return path.join(destination, stdout.trim().split("\n").pop()!)
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** runs `f` holding a lock directory (atomic `mkdir`); a lock older than `staleMs` is taken over */
const withLock = async <A>(lock: string, f: () => Promise<A>, staleMs = 10 * 60_000): Promise<A> => {
  fs.mkdirSync(path.dirname(lock), { recursive: true })
  for (;;) {
    try {
      fs.mkdirSync(lock)
      break
    } catch {
      const age = Date.now() - (fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now())
      if (age > staleMs) fs.rmSync(lock, { recursive: true, force: true })
      else await sleep(250)
    }
  }
  try {
    return await f()
  } finally {
    fs.rmSync(lock, { recursive: true, force: true })
  }
}

const lock = path.join(root, ".tmp", "npm-pack.lock")

/**
 * Runs `f` while no other test process rebuilds `dist/` (packing does): for steps that read
 * `dist/`, such as building a plugin against ticketkit's declarations.
 */
export const whileDistIsStable = <A>(f: () => Promise<A>): Promise<A> => withLock(lock, f)

let packed: Promise<string> | undefined

/**
 * The packed ticketkit: `TICKETKIT_TARBALL` if set, else packed from the repository (once per
 * process, under a lock shared with other test processes) into a directory of its own.
 */
export const packTicketkit = (): Promise<string> => {
  const given = process.env.TICKETKIT_TARBALL
  if (given !== undefined && given !== "") return Promise.resolve(path.resolve(given))
  packed ??= withLock(lock, () => {
    const destination = scratch("ticketkit-tarball")
    process.once("exit", () => fs.rmSync(destination, { recursive: true, force: true }))
    return pack(root, destination)
  })
  return packed
}

/** `npm install` in a project, from the cache where it can (the registry is reachable) */
export const npmInstall = (project: string, specs: ReadonlyArray<string> = []) =>
  run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error", ...specs], {
    cwd: project,
    maxBuffer: 16 * 1024 * 1024
  })

/** the version of `effect` the repository is tested with */
export const effectVersion = (): string =>
  (JSON.parse(fs.readFileSync(path.join(root, "node_modules/effect/package.json"), "utf8")) as { version: string }).version

/** the directories of every installed copy of a package below a project */
export const copiesOf = (dir: string, name: string): Array<string> => {
  const found: Array<string> = []
  // a linked package (`npm link`) may point back up the tree: each real directory is seen once
  const seen = new Set<string>()
  const walk = (modules: string) => {
    if (!fs.existsSync(modules)) return
    const real = fs.realpathSync(modules)
    if (seen.has(real)) return
    seen.add(real)
    for (const entry of fs.readdirSync(modules)) {
      const full = path.join(modules, entry)
      if (entry.startsWith("@")) {
        for (const scoped of fs.readdirSync(full)) visit(path.join(full, scoped), `${entry}/${scoped}`)
      } else visit(full, entry)
    }
  }
  const visit = (pkg: string, pkgName: string) => {
    if (pkgName === name) found.push(pkg)
    walk(path.join(pkg, "node_modules"))
  }
  walk(path.join(dir, "node_modules"))
  return found
}

/** runs a command, giving its exit code and output whether it succeeds or not */
export const exec = (
  file: string,
  args: ReadonlyArray<string>,
  options: { readonly cwd: string; readonly env?: NodeJS.ProcessEnv }
): Promise<{ readonly code: number; readonly stdout: string; readonly stderr: string }> =>
  run(file, args, { cwd: options.cwd, env: options.env ?? process.env, maxBuffer: 16 * 1024 * 1024 }).then(
    ({ stderr, stdout }) => ({ code: 0, stdout, stderr }),
    (error: { code?: number | string; stdout?: string; stderr?: string }) => ({
      code: typeof error.code === "number" ? error.code : 1,
      stdout: error.stdout ?? "",
      stderr: error.stderr ?? String(error)
    })
  )
