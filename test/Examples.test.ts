/**
 * The `@example` blocks of the library's documentation compile (issue 14.7): each is extracted
 * into a module of its own under `.tmp/examples/` and type-checked with the project's settings,
 * `ticketkit` resolving to the sources.
 */
import { assert, describe, it } from "@effect/vitest"
import { spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"

const root = path.resolve(import.meta.dirname, "..")
const out = path.join(root, ".tmp", `examples-${process.pid}`)

const sources = (dir: string): Array<string> =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name)
    return entry.isDirectory() ? sources(full) : entry.name.endsWith(".ts") ? [full] : []
  })

/** the code of every `@example` block of a file */
const examplesOf = (text: string): Array<string> =>
  Array.from(text.matchAll(/@example\s*\n\s*\*\s*```ts\n([\s\S]*?)\n\s*\*\s*```/g), (match) =>
    match[1]!.split("\n").map((line) => line.replace(/^\s*\* ?/, "")).join("\n"))

describe("documentation examples", () => {
  it("every @example compiles", () => {
    fs.rmSync(out, { recursive: true, force: true })
    fs.mkdirSync(out, { recursive: true })
    let count = 0
    for (const file of sources(path.join(root, "src"))) {
      examplesOf(fs.readFileSync(file, "utf8")).forEach((code, i) => {
        const name = `${path.relative(path.join(root, "src"), file).replace(/[\\/.]/g, "_")}_${i + 1}.ts`
        fs.writeFileSync(path.join(out, name), `// from ${path.relative(root, file)}\n${code}\nexport {}\n`)
        count++
      })
    }
    assert.isAtLeast(count, 8, "the main public functions have examples")
    fs.writeFileSync(path.join(out, "tsconfig.json"), JSON.stringify({
      extends: "../../tsconfig.json",
      compilerOptions: { noUnusedLocals: false, noUnusedParameters: false },
      include: ["./*.ts"]
    }))
    const result = spawnSync(path.join(root, "node_modules", ".bin", "tsgo"), ["--noEmit", "-p", path.join(out, "tsconfig.json")], {
      encoding: "utf8"
    })
    assert.strictEqual(result.status, 0, `examples do not compile:\n${result.stdout}${result.stderr}`)
  }, 60_000)
})
