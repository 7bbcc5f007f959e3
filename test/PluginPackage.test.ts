/**
 * The plugin story end to end, as a user lives it: ticketkit and the example plugin package
 * (examples/my-ticket-adapter) are packed, installed into a fresh project, and the installed
 * `ticketkit` command finds the plugin and works through it against a running Helpline server.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { execFile } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { promisify } from "node:util"
import { type Helpline, startHelpline } from "../examples/my-ticket-adapter/test/HelplineServer.js"

const run = promisify(execFile)
const root = path.resolve(import.meta.dirname, "..")
const pluginDir = path.join(root, "examples/my-ticket-adapter")

let work: string
let project: string
let helpline: Helpline

const ticketkit = (...args: ReadonlyArray<string>) =>
  run(path.join(project, "node_modules/.bin/ticketkit"), args, {
    cwd: project,
    env: { ...process.env, HELPLINE_TOKEN: helpline.token }
  }).then(
    ({ stderr, stdout }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr })
  )

const packInto = async (dir: string): Promise<string> => {
  const { stdout } = await run("npm", ["pack", "--silent", "--pack-destination", work], { cwd: dir })
  return path.join(work, stdout.trim().split("\n").pop()!)
}

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), "ticketkit-pack-"))
  project = path.join(work, "project")
  fs.mkdirSync(project)
  // packing ticketkit builds dist/ (prepare); the plugin is built against those declarations
  const ticketkitTarball = await packInto(root)
  await run("npx", ["tsgo", "-p", path.join(pluginDir, "tsconfig.json")], { cwd: root })
  const pluginTarball = await packInto(pluginDir)
  // a project with an effect of its own, as every user of the library has
  const effectVersion = (JSON.parse(fs.readFileSync(path.join(root, "node_modules/effect/package.json"), "utf8")) as { version: string }).version
  fs.writeFileSync(path.join(project, "package.json"), JSON.stringify({
    name: "helpdesk-automation",
    private: true,
    type: "module",
    dependencies: { effect: effectVersion }
  }))
  await run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error", ticketkitTarball, pluginTarball], { cwd: project })
  helpline = await startHelpline("helpline-secret-token")
  fs.writeFileSync(path.join(project, "ticketkit.yaml"), [
    "systems:",
    "  desk:",
    "    adapter: helpline",
    "    options:",
    `      baseUrl: ${helpline.url}`,
    "      token: ${env:HELPLINE_TOKEN}"
  ].join("\n"))
}, 600_000)

afterAll(async () => {
  await helpline?.close()
  fs.rmSync(work, { recursive: true, force: true })
})

/** the directories of every installed copy of a package below a project */
const copiesOf = (dir: string, name: string): Array<string> => {
  const found: Array<string> = []
  const walk = (modules: string) => {
    if (!fs.existsSync(modules)) return
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

describe("ticketkit installed into a project of its own (issue 17)", () => {
  it("shares the project's effect (one copy: effect and @effect/* are peer dependencies)", () => {
    expect(copiesOf(project, "effect")).toHaveLength(1)
    expect(copiesOf(project, "@effect/platform")).toHaveLength(1)
  })

  it("runs the README's first program unchanged", async () => {
    const readme = fs.readFileSync(path.join(root, "README.md"), "utf8")
    const program = /```js\n(\/\/ main\.mjs[\s\S]*?)```/.exec(readme)?.[1]
    expect(program).toBeDefined()
    fs.writeFileSync(path.join(project, "main.mjs"), program!)
    const { stdout } = await run(process.execPath, ["main.mjs"], { cwd: project })
    expect(stdout.trim()).toBe("#1 Printer on floor 2 jammed (high)")
  })

  it("compiles nothing: the SQLite driver (a native addon) is an optional peer, not installed", () => {
    expect(copiesOf(project, "better-sqlite3")).toEqual([])
    expect(copiesOf(project, "@effect/sql-sqlite-node")).toEqual([])
  })
})

describe("a plugin package installed next to ticketkit", () => {
  it("is listed by `ticketkit systems`", async () => {
    const { code, stdout } = await ticketkit("systems")
    expect(code).toBe(0)
    expect(stdout).toContain("helpline           my-ticket-adapter      Helpline, a small REST help desk (options: baseUrl, token)")
    expect(stdout).toContain("desk               helpline")
    expect(stdout).not.toContain("helpline-secret-token")
  })

  it("serves `ticketkit fetch`, `get` and `update` through the plugin", async () => {
    const fetched = await ticketkit("fetch", "--queue", "billing", "--limit", "3")
    expect(fetched.code).toBe(0)
    const lines = fetched.stdout.trim().split("\n")
    expect(lines[0]).toMatch(/^ID\s+STATE\s+PRIORITY\s+QUEUE\s+UPDATED\s+TITLE$/)
    expect(lines.slice(1).map((l) => l.split(/\s+/)[0])).toEqual(["C-2", "C-5", "C-8"])
    expect(lines.slice(1).every((l) => l.includes(" billing "))).toBe(true)
    const updated = await ticketkit("update", "C-2", "--state", "pending", "--priority", "urgent")
    expect(updated.code).toBe(0)
    expect(updated.stdout).toContain("state     pending (WAITING)")
    const missing = await ticketkit("get", "C-404")
    expect(missing.code).toBe(6)
    expect(missing.stderr.trim()).toBe("ticketkit: desk: getTicket failed: ticket \"C-404\" was not found (or is not visible to the configured credentials).")
  })
})
