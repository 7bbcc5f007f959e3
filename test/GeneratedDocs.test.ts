/**
 * The generated documentation (issue 15 item 2, issue 17 item 7): the JSON Schema of
 * `ticketkit.yaml` agrees with the loader on the project's own configurations and on wrong ones;
 * `ticketkit config schema` prints it; and the checked-in `ticketkit.schema.json`, `docs/` pages
 * and API reference are what `npm run docs` makes now (regenerated into a temporary directory and
 * compared, so that CI catches a Schema or a JSDoc changed without them).
 *
 * No JSON Schema validator is installed (ajv is not a dependency), so {@link validate} below checks
 * the subset of draft-07 the generator emits — and fails on any keyword it does not know, so that
 * it cannot pass a schema by ignoring what it says.
 */
import { assert, describe, it } from "@effect/vitest"
import { ConfigProvider, Effect, Either, Schema } from "effect"
import { spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import * as YAML from "yaml"
import { Options as HelplineOptions } from "../examples/my-ticket-adapter/src/adapter.js"
import * as Config from "../src/Config.js"
import * as ConfigSchema from "../src/ConfigSchema.js"
import * as Registry from "../src/Registry.js"
import { project, runCli } from "./support/RunCli.js"

const root = path.resolve(import.meta.dirname, "..")

// -----------------------------------------------------------------------------
// a validator for the subset of draft-07 the generator emits
// -----------------------------------------------------------------------------

type Node = Record<string, unknown>
const isNode = (v: unknown): v is Node => typeof v === "object" && v !== null && !Array.isArray(v)

const KNOWN = new Set([
  "$schema", "$id", "$ref", "$defs", "$comment", "title", "description", "default", "examples",
  "type", "enum", "const", "properties", "required", "additionalProperties", "patternProperties", "propertyNames",
  "items", "minItems", "maxItems", "anyOf", "oneOf", "allOf", "not", "if", "then", "else",
  "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "minLength", "maxLength", "pattern", "multipleOf"
])

const typeOfJson = (v: unknown): string =>
  v === null ? "null" : Array.isArray(v) ? "array" : typeof v === "number" ? (Number.isInteger(v) ? "integer" : "number") : typeof v

const equal = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b)

/** a pattern as editors read it: Unicode mode, else (effect's `.*{id}.*`) the legacy syntax */
const regex = (pattern: string) => {
  try {
    return new RegExp(pattern, "u")
  } catch {
    return new RegExp(pattern)
  }
}

/** the errors of a value against a schema (empty: valid); `$ref` siblings apply too */
const validate = (schema: unknown, value: unknown, document: Node, at = "$"): Array<string> => {
  if (schema === true || (isNode(schema) && Object.keys(schema).length === 0)) return []
  if (schema === false) return [`${at}: not allowed`]
  if (!isNode(schema)) throw new Error(`not a schema at ${at}: ${JSON.stringify(schema)}`)
  for (const key of Object.keys(schema)) if (!KNOWN.has(key)) throw new Error(`the test's validator does not know the keyword ${key} (at ${at})`)
  const errors: Array<string> = []
  const s = schema
  if (typeof s.$ref === "string") {
    const pointer = s.$ref.replace(/^#\//, "").split("/").map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"))
    let target: unknown = document
    for (const p of pointer) target = isNode(target) ? target[p] : undefined
    if (target === undefined) throw new Error(`unresolved $ref ${s.$ref}`)
    errors.push(...validate(target, value, document, at))
  }
  if (s.type !== undefined) {
    const types = Array.isArray(s.type) ? s.type : [s.type]
    const actual = typeOfJson(value)
    if (!types.some((t) => t === actual || (t === "number" && actual === "integer"))) errors.push(`${at}: expected ${types.join(" or ")}, got ${actual}`)
  }
  if (Array.isArray(s.enum) && !s.enum.some((e) => equal(e, value))) errors.push(`${at}: not one of ${JSON.stringify(s.enum)}`)
  if ("const" in s && !equal(s.const, value)) errors.push(`${at}: not ${JSON.stringify(s.const)}`)
  if (typeof value === "number") {
    if (typeof s.minimum === "number" && value < s.minimum) errors.push(`${at}: < ${s.minimum}`)
    if (typeof s.maximum === "number" && value > s.maximum) errors.push(`${at}: > ${s.maximum}`)
    if (typeof s.exclusiveMinimum === "number" && value <= s.exclusiveMinimum) errors.push(`${at}: ≤ ${s.exclusiveMinimum}`)
    if (typeof s.exclusiveMaximum === "number" && value >= s.exclusiveMaximum) errors.push(`${at}: ≥ ${s.exclusiveMaximum}`)
    if (typeof s.multipleOf === "number" && !Number.isInteger(value / s.multipleOf)) errors.push(`${at}: not a multiple of ${s.multipleOf}`)
  }
  if (typeof value === "string") {
    const length = Array.from(value).length
    if (typeof s.minLength === "number" && length < s.minLength) errors.push(`${at}: shorter than ${s.minLength}`)
    if (typeof s.maxLength === "number" && length > s.maxLength) errors.push(`${at}: longer than ${s.maxLength}`)
    if (typeof s.pattern === "string" && !regex(s.pattern).test(value)) errors.push(`${at}: does not match ${s.pattern}`)
  }
  if (Array.isArray(value)) {
    if (typeof s.minItems === "number" && value.length < s.minItems) errors.push(`${at}: fewer than ${s.minItems} items`)
    if (typeof s.maxItems === "number" && value.length > s.maxItems) errors.push(`${at}: more than ${s.maxItems} items`)
    if (Array.isArray(s.items)) {
      s.items.forEach((item, i) => { if (i < value.length) errors.push(...validate(item, value[i], document, `${at}[${i}]`)) })
    } else if (s.items !== undefined) value.forEach((v, i) => errors.push(...validate(s.items, v, document, `${at}[${i}]`)))
  }
  if (isNode(value)) {
    const properties = isNode(s.properties) ? s.properties : {}
    const patterns = isNode(s.patternProperties) ? Object.entries(s.patternProperties) : []
    if (Array.isArray(s.required)) for (const key of s.required) if (!(key in value)) errors.push(`${at}: ${String(key)} is required`)
    for (const [key, v] of Object.entries(value)) {
      if (s.propertyNames !== undefined) errors.push(...validate(s.propertyNames, key, document, `${at}.${key} (name)`))
      let matched = false
      if (key in properties) {
        matched = true
        errors.push(...validate(properties[key], v, document, `${at}.${key}`))
      }
      for (const [pattern, p] of patterns) {
        if (regex(pattern).test(key)) {
          matched = true
          errors.push(...validate(p, v, document, `${at}.${key}`))
        }
      }
      if (!matched && s.additionalProperties !== undefined) {
        errors.push(...(s.additionalProperties === false ? [`${at}: unknown key ${key}`] : validate(s.additionalProperties, v, document, `${at}.${key}`)))
      }
    }
  }
  if (Array.isArray(s.allOf)) for (const sub of s.allOf) errors.push(...validate(sub, value, document, at))
  if (Array.isArray(s.anyOf) && !s.anyOf.some((sub) => validate(sub, value, document, at).length === 0)) {
    errors.push(`${at}: matches none of ${s.anyOf.length} forms`)
  }
  if (Array.isArray(s.oneOf) && s.oneOf.filter((sub) => validate(sub, value, document, at).length === 0).length !== 1) {
    errors.push(`${at}: does not match exactly one of ${s.oneOf.length} forms`)
  }
  if (s.not !== undefined && validate(s.not, value, document, at).length === 0) errors.push(`${at}: matches a forbidden form`)
  if (s.if !== undefined) {
    const branch = validate(s.if, value, document, at).length === 0 ? s.then : s.else
    if (branch !== undefined) errors.push(...validate(branch, value, document, at))
  }
  return errors
}

const check = (schema: ConfigSchema.JsonSchema, value: unknown) => validate(schema, value, schema as Node)

// -----------------------------------------------------------------------------
// configurations to check
// -----------------------------------------------------------------------------

/** the YAML blocks of a Markdown file that are configurations (they have `systems:`) */
const yamlBlocks = (file: string): Array<{ readonly name: string; readonly value: unknown }> =>
  Array.from(fs.readFileSync(file, "utf8").matchAll(/```yaml\n([\s\S]*?)```/g))
    .filter((m) => /^systems:/m.test(m[1]!))
    .map((m, i) => ({ name: `${path.relative(root, file)} block ${i + 1}`, value: YAML.parse(m[1]!) as unknown }))

const files = (dir: string): Array<string> =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name)
    if (entry.name === "node_modules" || entry.name === "dist") return []
    return entry.isDirectory() ? files(full) : [full]
  })

const ownConfigurations = () => [
  ...yamlBlocks(path.join(root, "README.md")),
  ...files(path.join(root, "examples")).filter((f) => f.endsWith(".md")).flatMap(yamlBlocks),
  ...files(path.join(root, "examples")).filter((f) => /ticketkit\.ya?ml$/.test(f))
    .map((f) => ({ name: path.relative(root, f), value: YAML.parse(fs.readFileSync(f, "utf8")) as unknown }))
]

/** every `${env:NAME}` of a configuration, each set to a plausible value */
const environment = (value: unknown, values: Record<string, string> = {}) => {
  const text = JSON.stringify(value)
  const map = new Map(Array.from(text.matchAll(/\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g), (m) => [m[1]!, values[m[1]!] ?? "a-secret-value-1234"]))
  return ConfigProvider.fromMap(map)
}

/** whether the loader takes a configuration: the file is valid and every system's options decode */
const loads = (value: unknown, adapters: ReadonlyArray<Registry.AdapterDefinition> = [], env: Record<string, string> = {}) =>
  Config.resolve(value, "ticketkit.yaml").pipe(
    Effect.map((resolved) => {
      const broken = resolved.systems.filter((s) => Either.isLeft(s.system))
      return broken.length === 0 ? "ok" : broken.map((s) => Either.isLeft(s.system) ? s.system.left.message : "").join("; ")
    }),
    Effect.catchAll((error) => Effect.succeed(error.message)),
    Effect.provide(Registry.layer(adapters)),
    Effect.withConfigProvider(environment(value, env))
  )

const helpline = {
  name: "helpline",
  description: "Helpline, a small REST help desk (a plugin: examples/my-ticket-adapter)",
  options: HelplineOptions
}

describe("ConfigSchema", () => {
  const builtins = ConfigSchema.make()

  it("the test's validator is not blind: it refuses what a schema forbids", () => {
    const schema = { type: "object", properties: { a: { type: "integer", minimum: 1 } }, required: ["a"], additionalProperties: false }
    assert.deepStrictEqual(check(schema, { a: 2 }), [])
    assert.isNotEmpty(check(schema, { a: 0 }))
    assert.isNotEmpty(check(schema, {}))
    assert.isNotEmpty(check(schema, { a: 1, b: 1 }))
    assert.throws(() => check({ format: "uri" }, "x"), /does not know the keyword format/)
  })

  it.effect("accepts the project's own configurations, as the loader does", () =>
    Effect.gen(function*() {
      const configurations = ownConfigurations()
      assert.isAtLeast(configurations.length, 5, "the README and the examples have configurations")
      for (const { name, value } of configurations) {
        const plugin = JSON.stringify(value).includes("helpline")
        const schema = plugin ? ConfigSchema.make({ adapters: [...Registry.builtins, helpline] }).schema : builtins.schema
        assert.deepStrictEqual(check(schema, value), [], `${name} is refused by the JSON Schema`)
        assert.strictEqual(yield* loads(value, plugin ? [{ ...helpline, layer: () => { throw new Error("not built") } }] : []), "ok", `${name} is refused by the loader`)
      }
    }))

  const base = { adapter: "rest", options: { baseUrl: "http://127.0.0.1:8080" } }
  const wrong: ReadonlyArray<readonly [string, unknown]> = [
    ["an unknown key of the file", { sytems: {} }],
    ["an unknown key of a system", { systems: { a: { ...base, retries: 3 } } }],
    ["an unknown option of an adapter", { systems: { a: { ...base, options: { ...base.options, baseUrll: "http://x" } } } }],
    ["a wrong enum value", { systems: { a: { ...base, options: { ...base.options, updateMethod: "patch" } } } }],
    ["a wrong enum value of the file", { systems: { a: { ...base, rateLimit: { limit: 1, interval: 1000, algorithm: "leaky" } } } }],
    ["a missing required key", { systems: { a: { ...base, rateLimit: { limit: 10 } } } }],
    ["a number out of range", { systems: { a: { ...base, retry: { attempts: 0 } } } }],
    ["a negative count", { systems: { a: { adapter: "in-memory", options: { demoTickets: -1 } } } }],
    ["a string for a number", { systems: { a: { adapter: "in-memory", options: { demoTickets: "20" } } } }],
    ["a number from the environment", { systems: { a: { adapter: "in-memory", options: { demoTickets: "${env:COUNT}" } } } }],
    ["an auth without its secret", { systems: { a: { adapter: "rt", options: { baseUrl: "http://127.0.0.1:3020", auth: { _tag: "token" } } } } }],
    ["an unknown auth", { systems: { a: { adapter: "zammad", options: { baseUrl: "http://h", auth: { _tag: "oauth", token: "x" } } } } }],
    ["options of another adapter", { systems: { a: { adapter: "redmine", options: { baseUrl: "http://h", apiKey: "k", updateMethod: "PUT" } } } }],
    ["an adapter without its required options", { systems: { a: { adapter: "redmine" } } }]
  ]
  for (const [label, value] of wrong) {
    it.effect(`refuses ${label}, as the loader does`, () =>
      Effect.gen(function*() {
        assert.isNotEmpty(check(builtins.schema, value), "the JSON Schema accepts it")
        assert.notStrictEqual(yield* loads(value, [], { COUNT: "20" }), "ok", "the loader accepts it: the test case is wrong")
      }))
  }

  it.effect("takes ${env:NAME} wherever a string is allowed, even of fixed values, as the loader does", () =>
    Effect.gen(function*() {
      const value = {
        systems: {
          a: { adapter: "rest", options: { baseUrl: "${env:URL}", updateMethod: "${env:METHOD}", auth: { _tag: "bearer", token: "${env:TOKEN}" } } }
        }
      }
      assert.deepStrictEqual(check(builtins.schema, value), [])
      assert.strictEqual(yield* loads(value, [], { URL: "http://127.0.0.1:1", METHOD: "PATCH", TOKEN: "a-secret-value-1234" }), "ok")
      // outside options nothing is replaced
      assert.isNotEmpty(check(builtins.schema, { systems: { a: { ...base, retry: { attempts: "${env:N}" } } } }))
    }))

  it("describes the options of plugin adapters passed in", () => {
    const { schema } = ConfigSchema.make({ adapters: [...Registry.builtins, helpline] })
    const desk = (options: unknown) => ({ systems: { desk: { adapter: "helpline", options } } })
    assert.deepStrictEqual(check(schema, desk({ baseUrl: "https://helpline.example.com", token: "${env:T}" })), [])
    assert.isNotEmpty(check(schema, desk({ baseUrl: "https://helpline.example.com" })), "token is required")
    assert.isNotEmpty(check(schema, desk({ baseUrl: "https://helpline.example.com", token: "t", colour: "red" })))
    // without it, an adapter that is not known is taken with any options (a plugin installed later)
    assert.deepStrictEqual(check(builtins.schema, desk({ colour: "red" })), [])
    assert.isNotEmpty(check(ConfigSchema.make({ otherAdapters: false }).schema, desk({})), "otherAdapters: false refuses unknown adapters")
  })

  it("lists what it could not express, and keeps the JSON forms of those unions", () => {
    console.log(`not expressed in the JSON Schema (${builtins.unexpressed.length}):\n${builtins.unexpressed.map((u) => `  ${u.at}: ${u.schema}: ${u.reason}`).join("\n")}`)
    for (const u of builtins.unexpressed) assert.match(u.at, /^(adapter [a-z-]+|the file)/)
    // a Duration only code can give is left out, a number of milliseconds or "30 seconds" stay
    const timeout = (value: unknown) => check(builtins.schema, { systems: { a: { ...base, options: { ...base.options, timeout: value } } } })
    assert.deepStrictEqual(timeout(5000), [])
    assert.deepStrictEqual(timeout("30 seconds"), [])
    assert.isNotEmpty(timeout(true))
    // a declared type alone: its key cannot be written; a Schema JSONSchema cannot walk: any options
    interface Tree { readonly children: ReadonlyArray<Tree> }
    const Tree: Schema.Schema<Tree> = Schema.Struct({ children: Schema.Array(Schema.suspend(() => Tree)) })
    const odd = ConfigSchema.make({
      adapters: [
        { name: "dated", description: "", options: Schema.Struct({ at: Schema.optional(Schema.DateTimeUtcFromSelf), name: Schema.String }) },
        { name: "tree", description: "", options: Tree }
      ]
    })
    assert.deepStrictEqual(odd.unexpressed.map((u) => u.at), ["adapter dated: at", "adapter tree"])
    assert.match(odd.unexpressed[1]!.reason, /JSONSchema.make failed.*any value is accepted/)
    const system = (adapter: string, options: unknown) => check(odd.schema, { systems: { s: { adapter, options } } })
    assert.deepStrictEqual(system("dated", { name: "x" }), [])
    assert.isNotEmpty(system("dated", { name: "x", at: "2026-01-01T00:00:00Z" }))
    assert.deepStrictEqual(system("tree", { anything: 1 }), [])
  })

  it.effect("ticketkit config schema prints it (with the project's adapters), exit 0", () =>
    Effect.gen(function*() {
      const dir = project("config-schema")
      const result = yield* runCli(dir, "config", "schema")
      assert.strictEqual(result.code, 0, result.err)
      assert.deepStrictEqual(JSON.parse(result.out), JSON.parse(ConfigSchema.render(builtins.schema)))
    }))
})

// -----------------------------------------------------------------------------
// the checked-in output is what npm run docs makes
// -----------------------------------------------------------------------------

/** the generated files under a root: the schema, the docs' index and reference, the API pages */
const generated = (base: string): Map<string, string> => {
  const found = new Map<string, string>()
  const add = (relative: string) => {
    const file = path.join(base, relative)
    if (fs.existsSync(file)) found.set(relative, fs.readFileSync(file, "utf8"))
  }
  add("ticketkit.schema.json")
  add(path.join("docs", "README.md"))
  add(path.join("docs", "configuration.md"))
  const api = path.join(base, "docs", "api")
  if (fs.existsSync(api)) for (const file of files(api)) add(path.relative(base, file))
  return found
}

describe("generated documentation", () => {
  it("the checked-in files are what `npm run docs` makes (run npm run docs after changing a Schema or a JSDoc)", () => {
    const out = path.join(".tmp", `docs-check-${process.pid}`)
    fs.rmSync(path.join(root, out), { recursive: true, force: true })
    const started = Date.now()
    const result = spawnSync(process.execPath, [path.join(root, "node_modules", "tsx", "dist", "cli.mjs"), "scripts/generate-docs.ts", "--out", out], {
      cwd: root,
      encoding: "utf8"
    })
    console.log(`npm run docs into ${out}: ${((Date.now() - started) / 1000).toFixed(1)} s`)
    assert.strictEqual(result.status, 0, `generating the documentation failed:\n${result.stdout}${result.stderr}`)
    const fresh = generated(path.join(root, out))
    const current = generated(root)
    assert.isAtLeast(fresh.size, 10, "the generator made the schema, the reference and the API pages")
    const differ = [
      ...Array.from(fresh.keys()).filter((f) => !current.has(f)).map((f) => `${f} (missing)`),
      ...Array.from(current.keys()).filter((f) => !fresh.has(f)).map((f) => `${f} (no longer generated)`),
      ...Array.from(fresh.keys()).filter((f) => current.has(f) && current.get(f) !== fresh.get(f)).map((f) => `${f} (differs)`)
    ].sort()
    fs.rmSync(path.join(root, out), { recursive: true, force: true })
    assert.deepStrictEqual(differ, [], `the generated documentation is out of date: run npm run docs and commit the result.\n  ${differ.join("\n  ")}`)
  }, 300_000)
})
