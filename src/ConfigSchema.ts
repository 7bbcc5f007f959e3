/**
 * The JSON Schema of `ticketkit.yaml`, and the configuration reference made from it.
 *
 * Both are generated, never written by hand: from the file's own Schema (`Config.ConfigFile`) and,
 * for each system, the options Schema of the adapter its `adapter:` names (one `if`/`then` per
 * adapter), on their **encoded** side — what a file holds — through effect's `JSONSchema`.
 * Descriptions, defaults and examples are the Schemas' annotations (`description`, `examples`,
 * `default`) and the defaults of `Schema.optionalWith(…, { default })`. The built-in adapters
 * are described unless others are given (a project's plugins, as `ticketkit config schema` does).
 *
 * What has no JSON form — a member of a union that only code can give (a `Redacted`, a
 * `Duration`), a declared type — is left out, and listed in {@link Generated.unexpressed}; an
 * adapter whose options cannot be described at all accepts any options.
 *
 * Inside `options`, a value may be a string holding `${env:NAME}` wherever the adapter takes a
 * string, even one of fixed values or shape (`updateMethod: "${env:METHOD}"`), since the loader
 * replaces it before the adapter's Schema decodes the options. Numbers and booleans cannot come
 * from the environment: the replaced value is a string, which a numeric option refuses — the JSON
 * Schema refuses it too. Keys outside `options` are not read from the environment.
 *
 * Draft-07 is the dialect: every version of the YAML language server (and of VS Code's JSON
 * support) reads it, while 2019-09 and 2020-12 are understood only since yaml-language-server 1.20.
 *
 * ```ts
 * import { ConfigSchema, Registry } from "ticketkit"
 *
 * const { schema, unexpressed } = ConfigSchema.make({ adapters: Registry.builtins })
 * console.log(ConfigSchema.render(schema))
 * for (const u of unexpressed) console.error(`${u.at}: ${u.reason}`)
 * ```
 *
 * @since 0.1.0
 */
import type * as Schema from "effect/Schema"
import type * as AdapterDefinition from "./AdapterDefinition.js"
import { ConfigFile } from "./Config.js"
import type * as Internal from "./internal/configSchema/jsonSchema.js"
import { deref, escapePointer, isNode, type Node, share, translate, withEnv } from "./internal/configSchema/jsonSchema.js"
import { type Row, rowsOf, sample, table, yamlValue } from "./internal/configSchema/markdown.js"
import * as TelemetryOptions from "./internal/telemetry/options.js"
import * as Registry from "./Registry.js"

// -----------------------------------------------------------------------------
// models
// -----------------------------------------------------------------------------

/**
 * A JSON value.
 *
 * @since 0.1.0
 * @category models
 */
export type Json = null | boolean | number | string | ReadonlyArray<Json> | { readonly [key: string]: Json }

/**
 * A JSON Schema (draft-07) as plain JSON.
 *
 * @since 0.1.0
 * @category models
 */
export interface JsonSchema {
  readonly [key: string]: Json
}

/**
 * A part of a Schema the JSON Schema could not express: where, what, and what was done instead.
 *
 * @since 0.1.0
 * @category models
 */
export type Unexpressed = Internal.Unexpressed

/**
 * A generated JSON Schema, with what it could not express.
 *
 * @since 0.1.0
 * @category models
 */
export interface Generated {
  readonly schema: JsonSchema
  readonly unexpressed: ReadonlyArray<Unexpressed>
}

/**
 * What an adapter contributes: its name and options Schema (its description is shown in the
 * reference). Any `AdapterDefinition` or registered adapter is one.
 *
 * @since 0.1.0
 * @category models
 */
export interface Adapter {
  readonly name: string
  readonly description: string
  readonly options: Schema.Schema<any, any, never>
}

/**
 * Options of {@link make} and {@link reference}.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** the adapters described (default: the built-in ones, `Registry.builtins`) */
  readonly adapters?: ReadonlyArray<Adapter | AdapterDefinition.Any> | undefined
  /**
   * top-level keys of the file that `Config.ConfigFile` takes as any value and decodes later with
   * a Schema of their own, after `${env:…}` is replaced (default: `telemetry`)
   */
  readonly sections?: Readonly<Record<string, Schema.Schema<any, any, never>>> | undefined
  /**
   * whether `adapter:` may name an adapter not given (a plugin installed later), whose options are
   * then not checked (default true: the names given are offered for completion)
   */
  readonly otherAdapters?: boolean | undefined
}

/**
 * The pattern of a reference to an environment variable, as `Config.interpolate` replaces it.
 *
 * @since 0.1.0
 * @category constants
 */
export const ENV_REFERENCE = "\\$\\{env:[A-Za-z_][A-Za-z0-9_]*\\}"

/**
 * The meta-schema URI of the JSON Schemas made here (draft-07).
 *
 * @since 0.1.0
 * @category constants
 */
export const DIALECT = "http://json-schema.org/draft-07/schema#"

interface Built {
  readonly root: Node
  readonly $defs: Node
  readonly unexpressed: ReadonlyArray<Unexpressed>
  /** the `$defs` key of each adapter's options, in the order given */
  readonly adapters: ReadonlyArray<{ readonly adapter: Adapter; readonly key: string }>
}

const ENV_DEF = "EnvReference"

const build = (options: Options, env: boolean): Built => {
  const adapters: ReadonlyArray<Adapter> = options.adapters ?? Registry.builtins
  const otherAdapters = options.otherAdapters ?? true
  const unexpressed: Array<Unexpressed> = []
  const $defs: Node = {}
  const root = translate(ConfigFile, { label: "the file", prefix: "" }, $defs, unexpressed)
  const systems = isNode(root.properties) && isNode(root.properties.systems) ? deref(root.properties.systems, $defs) : undefined
  const system = systems !== undefined && isNode(systems.additionalProperties) ? deref(systems.additionalProperties, $defs) : undefined
  if (system === undefined || !isNode(system.properties)) {
    throw new Error("ConfigSchema: Config.ConfigFile no longer has systems: a record of systems with properties")
  }
  if (env) {
    $defs[ENV_DEF] = {
      type: "string",
      pattern: ENV_REFERENCE,
      description: "a string with ${env:NAME} in it: replaced by the environment variable NAME when the file is loaded"
    }
  }
  const interpolated: Array<string> = []
  const properties = system.properties as Node
  const sections = options.sections ?? { telemetry: TelemetryOptions.Options }
  for (const [name, schema] of Object.entries(sections)) {
    const prefix = `section.${name}.`
    const key = `${prefix}schema`
    $defs[key] = translate(schema, { label: `the file: ${name}`, prefix }, $defs, unexpressed)
    interpolated.push(prefix)
    if (isNode(root.properties)) {
      const present = isNode(root.properties[name]) ? root.properties[name] as Node : {}
      const annotations = Object.fromEntries(Object.entries(present).filter(([k]) => k === "description" || k === "title"))
      root.properties[name] = { ...annotations, $ref: `#/$defs/${escapePointer(key)}` }
    }
  }
  const keys = new Map<Schema.Schema<any, any, never>, string>()
  const listed: Array<{ adapter: Adapter; key: string }> = []
  const branches: Array<Node> = []
  for (const adapter of adapters) {
    let key = keys.get(adapter.options)
    if (key === undefined) {
      key = `${adapter.name}.options`
      interpolated.push(`${adapter.name}.`)
      const schema = translate(adapter.options, { label: `adapter ${adapter.name}`, prefix: `${adapter.name}.` }, $defs, unexpressed)
      $defs[key] = schema
      keys.set(adapter.options, key)
    }
    listed.push({ adapter, key })
    const target = deref({ $ref: `#/$defs/${escapePointer(key)}` }, $defs)
    const required = Array.isArray(target.required) && target.required.length > 0
    branches.push({
      if: { properties: { adapter: { const: adapter.name } }, required: ["adapter"] },
      then: { properties: { options: { $ref: `#/$defs/${escapePointer(key)}` } }, ...(required ? { required: ["options"] } : {}) }
    })
  }
  if (env) {
    for (const key of Object.keys($defs)) {
      if (interpolated.some((prefix) => key.startsWith(prefix))) $defs[key] = withEnv($defs[key], `#/$defs/${ENV_DEF}`)
    }
  }
  const names = Array.from(new Set(adapters.map((a) => a.name)))
  const adapterNode = isNode(properties.adapter) ? properties.adapter : {}
  const described = (node: Node, description: string) => ("description" in node ? node : { ...node, description })
  properties.adapter = described(
    otherAdapters ? { ...adapterNode, type: "string", examples: names } : { ...adapterNode, type: "string", enum: names },
    otherAdapters ? "the adapter: a built-in one, or one a plugin registers" : "the adapter"
  )
  if (isNode(properties.options)) {
    const { title: _title, ...options } = properties.options
    properties.options = described(options, "the adapter's options, decoded by its own Schema (see each adapter)")
  }
  if (branches.length > 0) system.allOf = [...(Array.isArray(system.allOf) ? system.allOf : []), ...branches]
  return { root, $defs, unexpressed, adapters: listed }
}

/**
 * The JSON Schema (draft-07) of a whole configuration file, for the adapters given (default: the
 * built-in ones), with what it could not express.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options = {}): Generated => {
  const built = build(options, true)
  share(built.root, built.$defs)
  const schema: Node = {
    $schema: DIALECT,
    title: "ticketkit configuration (ticketkit.yaml)",
    ...built.root,
    $defs: built.$defs
  }
  return { schema: schema as JsonSchema, unexpressed: built.unexpressed }
}

/**
 * A JSON Schema as the text of a file: two-space indentation, a final newline (stable: the same
 * Schemas give the same text).
 *
 * @since 0.1.0
 * @category rendering
 */
export const render = (schema: JsonSchema): string => `${JSON.stringify(schema, null, 2)}\n`

/**
 * The configuration reference, as Markdown: every key of the file and of each adapter's options,
 * with its type, default, description and examples, from the Schemas' annotations; a minimal
 * configuration per adapter; and what the JSON Schema cannot express. Stable: the same Schemas
 * give the same text.
 *
 * @since 0.1.0
 * @category rendering
 */
export const reference = (options: Options = {}): string => {
  const built = build(options, false)
  const fileRows: Array<Row> = []
  rowsOf(built.root, built.$defs, "", true, fileRows)
  const sections: Array<string> = [
    "# Configuration reference",
    "",
    "<!-- Generated by `npm run docs` from the Schemas (src/ConfigSchema.ts): do not edit by hand. -->",
    "",
    "Every key of `ticketkit.yaml` and of the options of each built-in adapter: its type, default,",
    "description and examples, as the Schemas say (`description` and `examples` annotations, and the",
    "defaults of optional keys). The same Schemas decode the file, so this page cannot drift from what",
    "ticketkit accepts. [`ticketkit.schema.json`](../ticketkit.schema.json) is the JSON Schema of the",
    "same (`ticketkit config schema` prints it, with the adapters of the project's plugins); editors",
    "validate and complete the file with it when its first line is",
    "",
    "```yaml",
    "# yaml-language-server: $schema=./ticketkit.schema.json",
    "```",
    "",
    "## Values from the environment",
    "",
    "Inside `options`, `${env:NAME}` in a string is replaced by the environment variable `NAME` when",
    "the file is loaded (an unset or empty variable is an error naming it), wherever the adapter takes",
    "a string — even one of fixed values, such as an enum, or shape, such as a path. Such a value counts",
    "as a secret: it is scrubbed from everything printed. Numbers and booleans cannot come from the",
    "environment: the variable's value is a string, which a numeric or boolean option refuses. Keys",
    "outside `options` are taken as written.",
    "",
    "## The file",
    "",
    table(fileRows),
    ""
  ]
  sections.push("## Adapters", "")
  const done = new Set<string>()
  for (const { adapter, key } of built.adapters) {
    const same = built.adapters.find((a) => a.key === key && a.adapter.name !== adapter.name && done.has(a.adapter.name))
    sections.push(`### \`${adapter.name}\``, "", adapter.description, "")
    if (same !== undefined) {
      sections.push(`The same options as [\`${same.adapter.name}\`](#${same.adapter.name.replace(/[^a-z0-9-]/gi, "").toLowerCase()}).`, "")
      done.add(adapter.name)
      continue
    }
    done.add(adapter.name)
    const schema = deref({ $ref: `#/$defs/${escapePointer(key)}` }, built.$defs)
    const rows: Array<Row> = []
    rowsOf(schema, built.$defs, "", true, rows)
    const example = { systems: { [`my-${adapter.name}`]: { adapter: adapter.name, options: sample(schema, built.$defs) } } }
    sections.push(
      "A minimal configuration (each required key with its example, its default, its first allowed",
      "value, or a placeholder):",
      "",
      "```yaml",
      yamlValue(example, "").slice(1),
      "```",
      "",
      rows.length === 0 ? "Any options (their Schema could not be expressed)." : table(rows),
      ""
    )
  }
  sections.push("## What the JSON Schema cannot express", "")
  if (built.unexpressed.length === 0) sections.push("Nothing: every Schema has a JSON form.", "")
  else {
    sections.push(
      "These parts of the Schemas have no JSON form — values only code can give (a `Redacted`, a",
      "`Duration`) — and are left out of the JSON Schema and of the tables above:",
      ""
    )
    for (const u of built.unexpressed) sections.push(`- ${u.at}: \`${u.schema.replace(/`/g, "'")}\` ${u.reason}`)
    sections.push("")
  }
  return sections.join("\n")
}
