/**
 * Regenerates the generated documentation (`npm run docs`):
 *
 * - `ticketkit.schema.json`: the JSON Schema of `ticketkit.yaml` (`ConfigSchema.make`);
 * - `docs/configuration.md`: the configuration reference (`ConfigSchema.reference`);
 * - `docs/api/`: the API reference of the public modules, by `@effect/docgen` from the
 *   `@since`/`@category` JSDoc (it fails on an export without `@since`);
 * - `docs/README.md`: the index of the above.
 *
 * The public modules are the package's entry points (`exports` of package.json) and the modules
 * they re-export (`export * as X from`, and `export * from` outside `internal/`); every other
 * module of `src/` is left out. Docgen runs in a staging directory under `.tmp/` (it reads
 * `package.json` and `docgen.json` from its working directory and writes next to them), with the
 * settings of `docgen.json`. Its own check of the examples is off: it type-checks them with
 * TypeScript 5.9 rather than the project's compiler and settings, then runs them, and they declare
 * what they need (`declare const driver`) and do not run alone; `test/Examples.test.ts`
 * type-checks every `@example` of `src/` with the project's `tsgo` and settings instead.
 *
 * The output is deterministic — stable order, no dates — so that `test/GeneratedDocs.test.ts` can
 * regenerate into a temporary directory and compare.
 *
 * Usage: `tsx scripts/generate-docs.ts [--out DIR] [--only config|api]` (DIR relative to the
 * repository; default: the repository itself).
 */
import { spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import * as ConfigSchema from "../src/ConfigSchema.js"

const root = path.resolve(import.meta.dirname, "..")

const argument = (name: string): string | undefined => {
  const i = process.argv.indexOf(name)
  return i === -1 ? undefined : process.argv[i + 1]
}

const out = path.resolve(root, argument("--out") ?? ".")
const only = argument("--only")
if (only !== undefined && only !== "config" && only !== "api") {
  console.error(`generate-docs: --only takes config or api, not ${JSON.stringify(only)}`)
  process.exit(2)
}

const write = (file: string, text: string) => {
  const target = path.join(out, file)
  fs.mkdirSync(path.dirname(target), { recursive: true })
  fs.writeFileSync(target, text)
}

const posix = (file: string) => file.split(path.sep).join("/")

// -----------------------------------------------------------------------------
// the configuration: JSON Schema and reference
// -----------------------------------------------------------------------------

const configuration = () => {
  const generated = ConfigSchema.make()
  write("ticketkit.schema.json", ConfigSchema.render(generated.schema))
  write(path.join("docs", "configuration.md"), ConfigSchema.reference())
  console.log(`ticketkit.schema.json, docs/configuration.md (${generated.unexpressed.length} parts without a JSON form)`)
}

// -----------------------------------------------------------------------------
// the API reference
// -----------------------------------------------------------------------------

/** every `.ts` file under a directory, sorted */
const sources = (dir: string): Array<string> =>
  fs.readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => {
      const full = path.join(dir, entry.name)
      return entry.isDirectory() ? sources(full) : entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts") ? [full] : []
    })

/** the source files of the package's entry points (`exports`: `./dist/X.js` is `src/X.ts`) */
const entryPoints = (): Array<string> => {
  const manifest = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { exports?: Record<string, unknown> }
  const found: Array<string> = []
  for (const target of Object.values(manifest.exports ?? {})) {
    const file = typeof target === "string" ? target : (target as Record<string, unknown>).default
    if (typeof file !== "string" || !file.startsWith("./dist/")) continue
    found.push(path.join(root, "src", file.slice("./dist/".length).replace(/\.js$/, ".ts")))
  }
  return found
}

/** the public modules: the entry points and what they re-export as modules, or whole */
const publicModules = (): Set<string> => {
  const seen = new Set<string>()
  const visit = (file: string) => {
    if (seen.has(file) || !fs.existsSync(file)) return
    seen.add(file)
    const text = fs.readFileSync(file, "utf8")
    for (const match of text.matchAll(/^export\s+\*\s+(as\s+\w+\s+)?from\s+["'](\.[^"']+)["']/gm)) {
      const target = path.resolve(path.dirname(file), match[2]!.replace(/\.js$/, ".ts"))
      if (match[1] === undefined && posix(target).includes("/internal/")) continue
      visit(target)
    }
  }
  for (const entry of entryPoints()) visit(entry)
  return seen
}

/**
 * A page without docgen's Jekyll front matter (title, nav_order, parent), which its formatter
 * turns into a rule and a stray heading outside a Jekyll site.
 */
const withoutFrontMatter = (text: string): string => {
  const match = /^(?:\*\*\*|---)\n[\s\S]*?\n---\n+/.exec(text)
  return match === null ? text : text.slice(match[0].length)
}

const api = () => {
  const settings = JSON.parse(fs.readFileSync(path.join(root, "docgen.json"), "utf8")) as Record<string, unknown>
  const visible = publicModules()
  const hidden = sources(path.join(root, "src")).filter((file) => !visible.has(file)).map((file) => posix(path.relative(root, file)))
  const stage = fs.mkdtempSync(path.join(root, ".tmp", "docgen-"))
  try {
    fs.symlinkSync(path.join(root, "src"), path.join(stage, "src"), "dir")
    // docgen needs a name and a homepage; neither appears in the pages kept
    fs.writeFileSync(path.join(stage, "package.json"), JSON.stringify({ name: "ticketkit", homepage: "https://www.npmjs.com/package/ticketkit" }))
    const exclude = [...(Array.isArray(settings.exclude) ? settings.exclude as Array<string> : []), ...hidden]
    fs.writeFileSync(path.join(stage, "docgen.json"), JSON.stringify({ ...settings, $schema: undefined, outDir: "docs", exclude }, null, 2))
    // docgen 0.5 ignores its --no-run-examples flag; the variable is read as the option's fallback
    const result = spawnSync(process.execPath, [path.join(root, "node_modules", "@effect", "docgen", "bin.cjs")], {
      cwd: stage,
      encoding: "utf8",
      env: {
        ...process.env,
        DOCGEN_RUN_EXAMPLES: "false",
        PATH: `${path.join(root, "node_modules", ".bin")}${path.delimiter}${process.env.PATH ?? ""}`
      }
    })
    if (result.status !== 0) {
      console.error(`generate-docs: @effect/docgen failed (an export without @since, or a JSDoc it cannot parse):\n${result.stdout}${result.stderr}`)
      process.exit(1)
    }
    const pages = path.join(stage, "docs", "modules")
    const target = path.join(out, "docs", "api")
    fs.rmSync(target, { recursive: true, force: true })
    const listed: Array<string> = []
    const copy = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
        const full = path.join(dir, entry.name)
        if (entry.isDirectory()) copy(full)
        else if (entry.name.endsWith(".ts.md")) {
          const relative = path.relative(pages, full)
          write(path.join("docs", "api", relative), withoutFrontMatter(fs.readFileSync(full, "utf8")))
          listed.push(posix(relative))
        }
      }
    }
    copy(pages)
    listed.sort()
    write(path.join("docs", "api", "README.md"), [
      "# API reference",
      "",
      "<!-- Generated by `npm run docs` (@effect/docgen, from the JSDoc of src/): do not edit by hand. -->",
      "",
      "The public modules of `ticketkit` (`ticketkit`, `ticketkit/testing`, `ticketkit/server`,",
      "`ticketkit/demo`): every export with its signature, description, examples and the version it",
      "appeared in, grouped by category.",
      "",
      ...listed.map((page) => `- [${page.replace(/\.ts\.md$/, "")}](${page})`),
      ""
    ].join("\n"))
    console.log(`docs/api: ${listed.length} modules (${hidden.length} private modules left out)`)
  } finally {
    fs.rmSync(stage, { recursive: true, force: true })
  }
}

// -----------------------------------------------------------------------------
// the index
// -----------------------------------------------------------------------------

const index = () =>
  write(path.join("docs", "README.md"), [
    "# ticketkit documentation",
    "",
    "<!-- Generated by `npm run docs`: do not edit by hand. -->",
    "",
    "The tutorial and the concepts are in the [README](../README.md). Generated from the sources, and",
    "checked in CI (`test/GeneratedDocs.test.ts` regenerates them and compares):",
    "",
    "- [Configuration reference](configuration.md): every key of `ticketkit.yaml` and of each",
    "  adapter's options, from the Schemas that decode them;",
    "- [`ticketkit.schema.json`](../ticketkit.schema.json): the JSON Schema of `ticketkit.yaml`, for",
    "  editors (`# yaml-language-server: $schema=./ticketkit.schema.json`; `ticketkit config schema`",
    "  prints it with the adapters of your plugins);",
    "- [API reference](api/README.md): every public module and export, from the JSDoc.",
    "",
    "Regenerate them with `npm run docs`.",
    ""
  ].join("\n"))

fs.mkdirSync(path.join(root, ".tmp"), { recursive: true })
if (only !== "api") {
  configuration()
  index()
}
if (only !== "config") api()
