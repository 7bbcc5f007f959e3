/**
 * The shape of the library (issue 14): no import cycle in `src` (type imports included — a cycle
 * of types is still two modules that cannot be read, tested or changed alone).
 */
import { assert, describe, it } from "@effect/vitest"
import * as fs from "node:fs"
import * as path from "node:path"

const root = path.resolve(import.meta.dirname, "../src")

const modules = (dir: string): Array<string> =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name)
    return entry.isDirectory() ? modules(full) : entry.name.endsWith(".ts") ? [full] : []
  })

/** the modules of `src` a module imports (relative specifiers, `import` and `export … from`) */
const importsOf = (file: string): Array<string> => {
  const text = fs.readFileSync(file, "utf8")
  const found: Array<string> = []
  for (const match of text.matchAll(/^\s*(?:import|export)\b[^"'`]*?\bfrom\s+["'](\.[^"']+)["']/gm)) {
    found.push(path.resolve(path.dirname(file), match[1]!.replace(/\.js$/, ".ts")))
  }
  return found
}

/** every cycle, each as the list of modules along it */
const cycles = (graph: ReadonlyMap<string, ReadonlyArray<string>>): Array<Array<string>> => {
  const found: Array<Array<string>> = []
  const state = new Map<string, "visiting" | "done">()
  const stack: Array<string> = []
  const visit = (node: string) => {
    state.set(node, "visiting")
    stack.push(node)
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === "visiting") found.push([...stack.slice(stack.indexOf(next)), next])
      else if (state.get(next) === undefined && graph.has(next)) visit(next)
    }
    stack.pop()
    state.set(node, "done")
  }
  for (const node of graph.keys()) if (state.get(node) === undefined) visit(node)
  return found
}

describe("architecture", () => {
  it("the cycle finder finds a cycle (so that its silence below means something)", () => {
    const graph = new Map([["a", ["b"]], ["b", ["c"]], ["c", ["a"]], ["d", ["a"]]])
    assert.deepStrictEqual(cycles(graph), [["a", "b", "c", "a"]])
  })

  it("src has no import cycle", () => {
    const graph = new Map(modules(root).map((file) => [file, importsOf(file)] as const))
    assert.isAbove(graph.size, 40)
    const shown = cycles(graph).map((cycle) => cycle.map((file) => path.relative(root, file)).join(" → "))
    assert.deepStrictEqual(shown, [])
  })
})
