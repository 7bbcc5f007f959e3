/**
 * The plugin story end to end, as a user lives it: ticketkit and the example plugin package
 * (examples/my-ticket-adapter) are packed, installed into a fresh project, and the installed
 * `ticketkit` command finds the plugin and works through it against a running Helpline server.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as fs from "node:fs"
import * as path from "node:path"
import { type Helpline, startHelpline } from "../examples/my-ticket-adapter/test/HelplineServer.js"
import { copiesOf, effectVersion, exec, npmInstall, pack, packTicketkit, root, scratch, whileDistIsStable } from "./support/PackedInstall.js"

const pluginDir = path.join(root, "examples/my-ticket-adapter")

let work: string
let project: string
let helpline: Helpline

const ticketkit = (...args: ReadonlyArray<string>) =>
  exec(path.join(project, "node_modules/.bin/ticketkit"), args, {
    cwd: project,
    env: { ...process.env, HELPLINE_TOKEN: helpline.token }
  })

beforeAll(async () => {
  work = scratch("ticketkit-pack")
  project = path.join(work, "project")
  fs.mkdirSync(project)
  const ticketkitTarball = await packTicketkit()
  // the plugin is built against ticketkit's declarations in dist/: no other test may rebuild it meanwhile
  const pluginTarball = await whileDistIsStable(async () => {
    const built = await exec(path.join(root, "node_modules/.bin/tsgo"), ["-p", path.join(pluginDir, "tsconfig.json")], { cwd: root })
    if (built.code !== 0) throw new Error(`the example plugin does not compile:\n${built.stdout}${built.stderr}`)
    return pack(pluginDir, work)
  })
  // a project with an effect of its own, as every user of the library has
  fs.writeFileSync(path.join(project, "package.json"), JSON.stringify({
    name: "helpdesk-automation",
    private: true,
    type: "module",
    dependencies: { effect: effectVersion() }
  }))
  await npmInstall(project, [ticketkitTarball, pluginTarball])
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

const run = (file: string, args: ReadonlyArray<string>, options: { readonly cwd: string }) =>
  exec(file, args, options).then((result) => {
    if (result.code !== 0) throw new Error(`${file} ${args.join(" ")} exited ${result.code}:\n${result.stderr}`)
    return result
  })

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
