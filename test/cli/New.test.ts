/**
 * `ticketkit new adapter` (issue 17, item 2). Fast: the names it accepts and refuses, where it
 * writes, that the package follows ticketkit's own ranges, and that what it writes type-checks and
 * passes the contract checks against its own double (with `ticketkit` resolving to the sources).
 * Then as a user lives it: a package scaffolded outside the repository, the packed ticketkit
 * installed into it, its `npm test`, its type-check and build, and the installed `ticketkit`
 * command working through it.
 */
import type { HttpClient } from "@effect/platform"
import { NodeHttpClient } from "@effect/platform-node"
import { Effect } from "effect"
import { spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as New from "../../src/cli/New.js"
import * as ContractChecks from "../../src/testing/ContractChecks.js"
import type * as TicketSystemAdapter from "../../src/TicketSystemAdapter.js"
import { version } from "../../src/version.js"
import { exec, npmInstall, packTicketkit, root, scratch } from "../support/PackedInstall.js"
import { project, runCli } from "../support/RunCli.js"

const cli = (cwd: string, ...args: ReadonlyArray<string>) => Effect.runPromise(runCli(cwd, ...args))

const readJson = (file: string) => JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, any>

/** every file below a directory, relative, `/`-separated, sorted */
const filesBelow = (dir: string): Array<string> =>
  fs.readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join("/"))
    .sort()

const WRITTEN = [
  ".gitignore",
  "README.md",
  "package.json",
  "src/Client.ts",
  "src/Mapping.ts",
  "src/index.ts",
  "test/Mapping.test.ts",
  "test/SystemDouble.ts",
  "test/contract.test.ts",
  "ticketkit.yaml",
  "tsconfig.build.json",
  "tsconfig.json"
]

describe("ticketkit new adapter", () => {
  it("names the package ticketkit-adapter-NAME, keeps a scoped name, and the adapter after it", async () => {
    const names = async (name: string) => Effect.runPromise(New.namesOf(name))
    expect(await names("acme")).toEqual({ packageName: "ticketkit-adapter-acme", adapter: "acme" })
    expect(await names("acme-desk2")).toEqual({ packageName: "ticketkit-adapter-acme-desk2", adapter: "acme-desk2" })
    expect(await names("ticketkit-adapter-acme")).toEqual({ packageName: "ticketkit-adapter-acme", adapter: "acme" })
    expect(await names("@acme/desk")).toEqual({ packageName: "@acme/desk", adapter: "desk" })
    expect(await names("@acme/ticketkit-adapter-desk")).toEqual({ packageName: "@acme/ticketkit-adapter-desk", adapter: "desk" })
  })

  it("refuses names npm or a configuration file would refuse, each with what to do", async () => {
    const refused = async (name: string) => {
      const error = await Effect.runPromise(Effect.flip(New.namesOf(name)))
      expect(error._tag).toBe("InvalidAdapterNameError")
      return error.message
    }
    for (const name of ["Acme", "my desk", "-acme", "_acme", ".acme", "acme--desk", "acme_desk", "1acme", "acme!", "ünï", "acme\u001b[31m"]) {
      expect(await refused(name)).toContain("use lowercase letters, digits and single hyphens, starting with a letter")
    }
    expect(await refused("")).toContain("the name is empty")
    expect(await refused("ticketkit-adapter-")).toContain(`add its name after "ticketkit-adapter-"`)
    expect(await refused("@acme")).toContain("write it as @scope/name")
    expect(await refused("@acme/desk/x")).toContain("write it as @scope/name")
    expect(await refused("@Acme/desk")).toContain("invalid npm scope")
    expect(await refused("a".repeat(51))).toContain("at most 50 characters")
    expect(await refused("zammad")).toBe(`"zammad" is the name of an adapter built into ticketkit: choose another (e.g. "zammad-custom")`)
    expect(await refused("rest")).toContain("built into ticketkit")
  })

  it("writes the package into a new directory named after it, and says what to do next", async () => {
    const cwd = project("new-adapter")
    const { code, err, out } = await cli(cwd, "new", "adapter", "acme-desk")
    expect(err).toBe("")
    expect(code).toBe(0)
    const dir = path.join(cwd, "ticketkit-adapter-acme-desk")
    expect(filesBelow(dir)).toEqual(WRITTEN)
    expect(out).toContain(`created ticketkit-adapter-acme-desk (adapter "acme-desk") in ticketkit-adapter-acme-desk:`)
    expect(out).toContain("  cd ticketkit-adapter-acme-desk\n  npm install\n  npm test")
    expect(fs.readFileSync(path.join(dir, "ticketkit.yaml"), "utf8")).toContain("adapter: acme-desk")
    expect(fs.readFileSync(path.join(dir, "ticketkit.yaml"), "utf8")).toContain("token: ${env:ACME_DESK_TOKEN}")
    expect(fs.readFileSync(path.join(dir, "src/index.ts"), "utf8")).toContain(`export const ADAPTER = "acme-desk"`)
    const help = await cli(cwd, "new", "adapter", "--help")
    expect(help.code).toBe(0)
    expect(help.out).toContain("where to write the package")
  })

  it("writes a scoped package into --directory, which may exist if it is empty", async () => {
    const cwd = project("new-adapter-scoped")
    fs.mkdirSync(path.join(cwd, "empty"))
    const { code, out } = await cli(cwd, "new", "adapter", "@acme/desk", "--directory", "empty")
    expect(code).toBe(0)
    expect(out).toContain(`created @acme/desk (adapter "desk") in empty:`)
    expect(readJson(path.join(cwd, "empty", "package.json")).name).toBe("@acme/desk")
    const defaulted = await cli(cwd, "new", "adapter", "@acme/other")
    expect(defaulted.code).toBe(0)
    expect(readJson(path.join(cwd, "other", "package.json")).name).toBe("@acme/other")
  })

  it("refuses a directory that is not empty, or is a file, and leaves it as it was", async () => {
    const cwd = project("new-adapter-taken", { "taken/notes.txt": "mine", "file": "mine" })
    for (const [directory, message] of [
      ["taken", `${path.join(cwd, "taken")} already exists and is not empty: choose another directory with --directory`],
      ["file", `${path.join(cwd, "file")} is a file: choose another directory with --directory`]
    ] as const) {
      const { code, err, out } = await cli(cwd, "new", "adapter", "acme", "--directory", directory)
      expect(code).toBe(2)
      expect(out).toBe("")
      expect(err).toBe(`ticketkit: ${message}`)
    }
    expect(filesBelow(path.join(cwd, "taken"))).toEqual(["notes.txt"])
    expect(fs.readFileSync(path.join(cwd, "file"), "utf8")).toBe("mine")
  })

  it("refuses a bad name on the command line with one line, writing nothing", async () => {
    const cwd = project("new-adapter-bad")
    const { code, err } = await cli(cwd, "new", "adapter", "My Desk")
    expect(code).toBe(2)
    expect(err).toBe(`ticketkit: "My Desk" cannot name an adapter package: use lowercase letters, digits and single hyphens, starting with a letter (e.g. "acme-desk")`)
    expect(fs.readdirSync(cwd)).toEqual([])
  })

  it("declares ticketkit's own ranges: effect and @effect/* as peers, its dev tools, its engines", () => {
    const cwd = project("new-adapter-ranges")
    return cli(cwd, "new", "adapter", "acme").then(({ code }) => {
      expect(code).toBe(0)
      const ours = readJson(path.join(root, "package.json"))
      const made = readJson(path.join(cwd, "ticketkit-adapter-acme", "package.json"))
      expect(made.type).toBe("module")
      expect(made.ticketkit).toEqual({ plugin: "./dist/index.js" })
      expect(made.scripts.test).toBe("vitest run")
      expect(made.engines).toEqual(ours.engines)
      expect(made.peerDependencies).toEqual({
        "@effect/platform": ours.peerDependencies["@effect/platform"],
        effect: ours.peerDependencies.effect,
        ticketkit: `^${version}`
      })
      for (const [name, range] of Object.entries(made.devDependencies as Record<string, string>)) {
        const expected = name === "ticketkit" ? `^${version}` : ours.peerDependencies[name] ?? ours.devDependencies[name]
        expect(range, `${name}: update ranges in src/cli/internal/scaffold/project.ts to follow package.json`).toBe(expected)
      }
    })
  })

  it("writes sources that type-check under the project's strict settings", async () => {
    const cwd = project("new-adapter-types")
    expect((await cli(cwd, "new", "adapter", "acme")).code).toBe(0)
    const dir = path.join(cwd, "ticketkit-adapter-acme")
    // the package's own tsconfig, with ticketkit resolving to the sources
    fs.writeFileSync(path.join(dir, "tsconfig.check.json"), JSON.stringify({
      extends: "./tsconfig.json",
      compilerOptions: {
        paths: { ticketkit: [path.join(root, "src/index.ts")], "ticketkit/testing": [path.join(root, "src/testing/index.ts")] }
      }
    }))
    const listed = spawnSync(path.join(root, "node_modules/.bin/tsgo"), ["--listFilesOnly", "-p", path.join(dir, "tsconfig.check.json")], { encoding: "utf8" })
    for (const file of WRITTEN.filter((f) => f.endsWith(".ts"))) expect(listed.stdout).toContain(path.join(dir, file))
    const result = spawnSync(path.join(root, "node_modules/.bin/tsgo"), ["--noEmit", "-p", path.join(dir, "tsconfig.check.json")], { encoding: "utf8" })
    expect(result.stdout + result.stderr).toBe("")
    expect(result.status).toBe(0)
  }, 60_000)

  it("writes a driver that passes every contract check against the double it writes", async () => {
    const cwd = project("new-adapter-contract")
    expect((await cli(cwd, "new", "adapter", "acme")).code).toBe(0)
    const dir = path.join(cwd, "ticketkit-adapter-acme")
    const Adapter = await import(path.join(dir, "src/index.ts")) as {
      readonly make: (input: { baseUrl: string; token: string }) => Effect.Effect<TicketSystemAdapter.Service, unknown, HttpClient.HttpClient>
    }
    const Double = await import(path.join(dir, "test/SystemDouble.ts")) as {
      readonly start: (options: { token: string }) => Promise<{ url: string; token: string; close: () => Promise<void> }>
    }
    const double = await Double.start({ token: "scaffold-secret-token" })
    try {
      const { coverage, results } = await Effect.runPromise(
        Effect.flatMap(Adapter.make({ baseUrl: double.url, token: double.token }), (adapter) =>
          ContractChecks.run(adapter, { queue: { name: "Support" }, otherQueue: { name: "Billing" } })).pipe(
            Effect.provide(NodeHttpClient.layerUndici)
          )
      )
      expect(results.filter((r) => r.status === "failed").map((r) => `${r.name}: ${r.message}`)).toEqual([])
      expect(coverage.writesVerified).toBe(true)
      // only what the skeleton does not claim (tags, HTML notes, assignees) is left out
      for (const skipped of coverage.skippedBy) expect(skipped.category, skipped.reason).not.toBe("read-only")
      expect(coverage.run).toBeGreaterThanOrEqual(ContractChecks.checks.length - 3)
    } finally {
      await double.close()
    }
  })
})

describe("the README in the npm package", () => {
  it("ships every file of the repository it links to or names", () => {
    const packed = spawnSync("npm", ["pack", "--dry-run", "--ignore-scripts", "--json"], { cwd: root, encoding: "utf8" })
    expect(packed.status, packed.stderr).toBe(0)
    const shipped = (JSON.parse(packed.stdout) as Array<{ files: Array<{ path: string }> }>)[0]!.files.map((f) => f.path)
    const ships = (target: string) => shipped.some((file) => file === target || file.startsWith(`${target.replace(/\/$/, "")}/`))
    const readme = fs.readFileSync(path.join(root, "README.md"), "utf8")
    const links = Array.from(readme.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g), (m) => m[1]!).filter((target) => !/^[a-z]+:/.test(target))
    // paths in code spans that are files of this repository (a scaffolded package's own paths are not)
    const named = Array.from(readme.matchAll(/`((?:examples|test)\/[^`\s<>*]+)`/g), (m) => m[1]!)
      .filter((target) => fs.existsSync(path.join(root, target)))
    expect(links.length).toBeGreaterThan(3)
    expect(named.length).toBeGreaterThan(3)
    expect([...links, ...named].filter((target) => !ships(target))).toEqual([])
  })
})

// -----------------------------------------------------------------------------
// as a user lives it
// -----------------------------------------------------------------------------

describe("a scaffolded adapter package with the packed ticketkit installed", () => {
  let work: string
  let dir: string
  let double: { url: string; token: string; close: () => Promise<void> } | undefined

  beforeAll(async () => {
    work = scratch("ticketkit-scaffold")
    const made = await cli(work, "new", "adapter", "acme")
    expect(made.code).toBe(0)
    dir = path.join(work, "ticketkit-adapter-acme")
    // one install, with the packed ticketkit as the development copy (the peer range stays)
    const manifest = readJson(path.join(dir, "package.json"))
    manifest.devDependencies.ticketkit = `file:${await packTicketkit()}`
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify(manifest, null, 2))
    await npmInstall(dir)
  }, 600_000)

  afterAll(async () => {
    await double?.close()
    if (work !== undefined) fs.rmSync(work, { recursive: true, force: true })
  })

  it("runs its npm test green: the contract suite against its double, and the mapping tests", async () => {
    const { code, stderr, stdout } = await exec("npm", ["test"], { cwd: dir, env: { ...process.env, CI: "1", NO_COLOR: "1" } })
    // eslint-disable-next-line no-control-regex
    const output = (stdout + stderr).replace(/\u001b\[[0-9;]*m/g, "")
    expect(code, output).toBe(0)
    expect(output).not.toMatch(/\b[1-9]\d* failed/)
    expect(output).toMatch(/✓ test\/contract\.test\.ts \(\d+ tests?/)
    expect(output).toMatch(/✓ test\/Mapping\.test\.ts \(\d+ tests?/)
    const passed = /Tests\s+(\d+) passed/.exec(output)
    expect(passed, output).not.toBeNull()
    expect(Number(passed![1])).toBeGreaterThan(0)
  }, 120_000)

  it("builds, and type-checks with its README's program against the installed ticketkit", async () => {
    const build = await exec("npm", ["run", "build"], { cwd: dir })
    expect(build.code, build.stdout + build.stderr).toBe(0)
    expect(fs.existsSync(path.join(dir, "dist/index.js"))).toBe(true)
    const readme = fs.readFileSync(path.join(dir, "README.md"), "utf8")
    const program = /```ts\n([\s\S]*?)```/.exec(readme)?.[1]
    expect(program).toBeDefined()
    fs.writeFileSync(path.join(dir, "test/readme-program.ts"), program!)
    const check = await exec("npm", ["run", "typecheck"], { cwd: dir })
    expect(check.code, check.stdout + check.stderr).toBe(0)
  }, 120_000)

  it("serves `ticketkit systems` and `get` through the plugin, with its ticketkit.yaml", async () => {
    // what `npm link && npm link ticketkit-adapter-acme` leaves, as the README says
    fs.symlinkSync("..", path.join(dir, "node_modules", "ticketkit-adapter-acme"), "dir")
    const Double = await import(path.join(dir, "test/SystemDouble.ts")) as {
      readonly start: (options: { token: string }) => Promise<{ url: string; token: string; close: () => Promise<void> }>
    }
    double = await Double.start({ token: "acme-secret-token-4711" })
    const config = path.join(dir, "ticketkit.yaml")
    fs.writeFileSync(config, fs.readFileSync(config, "utf8").replace("https://helpdesk.example.com", double.url))
    const ticketkit = (...args: ReadonlyArray<string>) =>
      exec(path.join(dir, "node_modules/.bin/ticketkit"), args, { cwd: dir, env: { ...process.env, ACME_TOKEN: double!.token } })

    const systems = await ticketkit("systems")
    expect(systems.code, systems.stderr).toBe(0)
    expect(systems.stdout).toMatch(/^ {2}acme +ticketkit-adapter-acme +Acme \(options: baseUrl, token\)$/m)
    expect(systems.stdout).toMatch(/^ {2}desk +acme +/m)
    const got = await ticketkit("get", "2")
    expect(got.code, got.stderr).toBe(0)
    expect(got.stdout).toContain("#2  Invoice trouble #2")
    expect(got.stdout).toContain("queue     Billing")
    const missing = await ticketkit("get", "424242")
    expect(missing.code).toBe(6)
    expect(missing.stderr.trim()).toBe(`ticketkit: desk: getTicket failed: ticket "424242" was not found (or is not visible to the configured credentials).`)
    for (const result of [systems, got, missing]) expect(result.stdout + result.stderr).not.toContain(double.token)
  }, 60_000)
})
