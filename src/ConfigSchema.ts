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
import * as JSONSchema from "effect/JSONSchema"
import { createHash } from "node:crypto"
import * as Option from "effect/Option"
import type * as Schema from "effect/Schema"
import * as AST from "effect/SchemaAST"
import type * as AdapterDefinition from "./AdapterDefinition.js"
import { ConfigFile } from "./Config.js"
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
export interface Unexpressed {
  /** `systems.*.options` of adapter `rest`, then the path: `rest: auth.token` */
  readonly at: string
  /** the Schema, as effect prints it */
  readonly schema: string
  readonly reason: string
}

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

// -----------------------------------------------------------------------------
// from Schema to JSON Schema
// -----------------------------------------------------------------------------

type Node = Record<string, unknown>

const isNode = (value: unknown): value is Node => typeof value === "object" && value !== null && !Array.isArray(value)

/** a value JSON can hold (so that a default or an example can be written in a file) */
const isJson = (value: unknown, depth = 0): boolean => {
  if (value === null || typeof value === "string" || typeof value === "boolean") return true
  if (typeof value === "number") return Number.isFinite(value)
  if (depth > 64 || typeof value !== "object") return false
  if (Array.isArray(value)) return value.every((v) => isJson(v, depth + 1))
  const proto = Object.getPrototypeOf(value)
  return (proto === Object.prototype || proto === null) && Object.values(value).every((v) => isJson(v, depth + 1))
}

/** the default a `Schema.optionalWith(…, { default })` supplies for a missing key, if any */
const defaultOf = (t: AST.PropertySignatureTransformation): Option.Option<unknown> => {
  try {
    return t.decode(Option.none())
  } catch {
    return Option.none()
  }
}

const hasOwnHook = (ast: AST.AST) =>
  Option.isSome(AST.getJSONSchemaAnnotation(ast)) || Option.isSome(AST.getSurrogateAnnotation(ast))

/**
 * The Schema as a file can hold it: each declared type without a JSON form (a `Redacted` or
 * `Duration` only code gives) becomes `never` — dropped from its union, or a key that cannot be
 * written — and is recorded; the defaults of optional keys become `default` annotations.
 */
const expressible = (root: AST.AST, lost: Array<{ readonly path: string; readonly schema: string }>): AST.AST => {
  const suspended = new Map<AST.AST, AST.AST>()
  const go = (ast: AST.AST, path: string): AST.AST => {
    switch (ast._tag) {
      case "Declaration":
      case "BigIntKeyword":
      case "SymbolKeyword":
      case "UniqueSymbol": {
        if (hasOwnHook(ast)) return ast
        lost.push({ path, schema: String(ast) })
        return AST.neverKeyword
      }
      case "Refinement": {
        const from = go(ast.from, path)
        return from === ast.from ? ast : new AST.Refinement(from, ast.filter, ast.annotations)
      }
      case "Suspend": {
        const known = suspended.get(ast)
        if (known !== undefined) return known
        const made: AST.AST = new AST.Suspend(() => go(ast.f(), path), ast.annotations)
        suspended.set(ast, made)
        return made
      }
      case "Union": {
        const types = ast.types.map((member) => go(member, path))
        return types.every((t, i) => t === ast.types[i]) ? ast : AST.Union.make(types, ast.annotations)
      }
      case "TupleType": {
        const elements = ast.elements.map((e, i) => {
          const type = go(e.type, `${path}[${i}]`)
          return type === e.type ? e : new AST.OptionalType(type, e.isOptional, e.annotations)
        })
        const rest = ast.rest.map((r) => {
          const type = go(r.type, `${path}[]`)
          return type === r.type ? r : new AST.Type(type, r.annotations)
        })
        return elements.every((e, i) => e === ast.elements[i]) && rest.every((r, i) => r === ast.rest[i])
          ? ast
          : new AST.TupleType(elements, rest, ast.isReadonly, ast.annotations)
      }
      case "TypeLiteral":
        return typeLiteral(ast, path, new Map())
      case "Transformation": {
        const defaults = new Map<PropertyKey, unknown>()
        if (ast.transformation._tag === "TypeLiteralTransformation") {
          for (const t of ast.transformation.propertySignatureTransformations) {
            const value = defaultOf(t)
            if (Option.isSome(value)) defaults.set(t.from, value.value)
          }
        }
        const from = ast.from._tag === "TypeLiteral" ? typeLiteral(ast.from, path, defaults) : go(ast.from, path)
        return from === ast.from ? ast : new AST.Transformation(from, ast.to, ast.transformation, ast.annotations)
      }
      default:
        return ast
    }
  }
  const join = (path: string, key: string) => (path === "" ? key : `${path}.${key}`)
  const typeLiteral = (ast: AST.TypeLiteral, path: string, defaults: ReadonlyMap<PropertyKey, unknown>): AST.AST => {
    const properties = ast.propertySignatures.map((ps) => {
      const type = go(ps.type, join(path, String(ps.name)))
      const fallback = defaults.get(ps.name)
      const annotate = defaults.has(ps.name) && Option.isNone(AST.getDefaultAnnotation(ps))
      if (type === ps.type && !annotate) return ps
      return new AST.PropertySignature(
        ps.name,
        type,
        ps.isOptional,
        ps.isReadonly,
        annotate ? { ...ps.annotations, [AST.DefaultAnnotationId]: fallback } : ps.annotations
      )
    })
    const indexes = ast.indexSignatures.map((is) => {
      const type = go(is.type, join(path, "*"))
      return type === is.type ? is : new AST.IndexSignature(is.parameter, type, is.isReadonly)
    })
    return properties.every((p, i) => p === ast.propertySignatures[i]) && indexes.every((s, i) => s === ast.indexSignatures[i])
      ? ast
      : new AST.TypeLiteral(properties, indexes, ast.annotations)
  }
  return go(root, "")
}

/** drops effect's marker `$id`s (`/schemas/unknown`…): they are not identifiers of this document */
const tidy = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(tidy)
  if (!isNode(value)) return value
  const out: Node = {}
  for (const [key, v] of Object.entries(value)) {
    if (key === "$id" && typeof v === "string" && v.startsWith("/schemas/")) continue
    out[key] = key === "default" || key === "examples" || key === "const" || key === "enum" ? v : tidy(v)
  }
  return out
}

const escapePointer = (key: string) => key.replace(/~/g, "~0").replace(/\//g, "~1")

/**
 * One Schema as JSON Schema, its definitions added to `$defs` under `prefix`; a Schema that cannot
 * be expressed at all becomes `{}` (anything), recorded.
 */
const translate = (
  schema: Schema.Schema<any, any, never>,
  where: { readonly label: string; readonly prefix: string },
  $defs: Node,
  unexpressed: Array<Unexpressed>
): Node => {
  const lost: Array<{ readonly path: string; readonly schema: string }> = []
  const at = (path: string) => (path === "" ? where.label : `${where.label}: ${path}`)
  const ast = expressible(schema.ast, lost)
  const seen = new Set<string>()
  for (const l of lost) {
    const key = `${l.path}\u0000${l.schema}`
    if (seen.has(key)) continue
    seen.add(key)
    unexpressed.push({ at: at(l.path), schema: l.schema, reason: "has no JSON form (only code can give it): left out" })
  }
  const definitions: Record<string, JSONSchema.JsonSchema7> = {}
  try {
    const node = JSONSchema.fromAST(ast, { definitions, definitionPath: `#/$defs/${escapePointer(where.prefix)}` })
    for (const [id, definition] of Object.entries(definitions)) $defs[`${where.prefix}${id}`] = tidy(definition)
    return tidy(node) as Node
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    unexpressed.push({
      at: at(""),
      schema: String(schema.ast),
      reason: `JSONSchema.make failed (${message.split("\n").join("; ")}): any value is accepted`
    })
    return {}
  }
}

/** follows `$ref`s (and an `allOf` of one, which carries annotations next to a `$ref`) */
const deref = (node: Node, $defs: Node, depth = 0): Node => {
  if (depth > 32) return node
  const ref = node.$ref
  if (typeof ref === "string" && ref.startsWith("#/$defs/")) {
    const key = ref.slice("#/$defs/".length).replace(/~1/g, "/").replace(/~0/g, "~")
    const target = $defs[key]
    if (!isNode(target)) return node
    const siblings = Object.entries(node).filter(([k]) => k !== "$ref")
    return siblings.length === 0 ? deref(target, $defs, depth + 1) : { ...deref(target, $defs, depth + 1), ...Object.fromEntries(siblings) }
  }
  const all = node.allOf
  if (Array.isArray(all) && all.length === 1 && isNode(all[0]) && Object.keys(node).every((k) => k === "allOf" || ANNOTATIONS.has(k))) {
    return { ...deref(all[0], $defs, depth + 1), ...Object.fromEntries(Object.entries(node).filter(([k]) => k !== "allOf")) }
  }
  return node
}

const ANNOTATIONS = new Set(["title", "description", "default", "examples", "$comment"])

/** keywords whose value is a subschema, a list of them, or a map of them */
const ONE = ["additionalProperties", "items", "not", "if", "then", "else", "contains", "additionalItems"]
const MANY = ["anyOf", "oneOf", "allOf"]
const MAP = ["properties", "patternProperties", "$defs", "definitions"]

/**
 * Does this schema take strings of fixed values or shape (which `${env:…}` would not match)? A key
 * of one allowed value (a `_tag`, a `style`) is a discriminator: it is left as it is, so that
 * editors can tell the forms of a union apart.
 */
const constrainsStrings = (node: Node): boolean => {
  if (typeof node.const === "string" || (Array.isArray(node.enum) && node.enum.length === 1)) return false
  return (node.type === "string" && ["pattern", "minLength", "maxLength", "format", "enum"].some((k) => k in node)) ||
    (Array.isArray(node.enum) && node.enum.some((v) => typeof v === "string"))
}

/** lets every string of fixed values or shape also be a `${env:NAME}` reference */
const withEnv = (value: unknown, envRef: string): unknown => {
  if (!isNode(value)) return value
  const out: Node = {}
  for (const [key, v] of Object.entries(value)) {
    if (ONE.includes(key)) out[key] = withEnv(v, envRef)
    else if (MANY.includes(key) && Array.isArray(v)) out[key] = v.map((s) => withEnv(s, envRef))
    else if (key === "items" && Array.isArray(v)) out[key] = v.map((s) => withEnv(s, envRef))
    else if (MAP.includes(key) && isNode(v)) out[key] = Object.fromEntries(Object.entries(v).map(([k, s]) => [k, withEnv(s, envRef)]))
    else out[key] = v
  }
  if (!constrainsStrings(out)) return out
  const annotations = Object.fromEntries(Object.entries(out).filter(([k]) => ANNOTATIONS.has(k)))
  const rest = Object.fromEntries(Object.entries(out).filter(([k]) => !ANNOTATIONS.has(k)))
  return { anyOf: [rest, { $ref: envRef }], ...annotations }
}

/** keywords whose values are data, not schemas */
const DATA = new Set(["default", "examples", "enum", "const", "required"])

/** the smallest subschema (as JSON text) worth sharing through `$defs` when it repeats */
const SHARE_FROM = 300

/**
 * Moves every subschema that repeats (a Schema without an identifier used in many places is
 * written out at each) into `$defs`, named by a hash of its content (so that a name changes only
 * with its schema), and `$ref`s it; one used once after that is put back in place.
 */
const share = (root: Node, $defs: Node): void => {
  interface Info { readonly id: number; readonly text: string; count: number }
  const infos = new Map<string, Info>()
  const idOf = new Map<unknown, Info>()
  const visit = (value: unknown): string => {
    if (Array.isArray(value)) return `[${value.map(visit).join(",")}]`
    if (!isNode(value)) return JSON.stringify(value)
    const parts: Array<string> = []
    for (const [key, v] of Object.entries(value)) {
      parts.push(`${JSON.stringify(key)}:${DATA.has(key) ? JSON.stringify(v) : visit(v)}`)
    }
    const text = `{${parts.join(",")}}`
    let info = infos.get(text)
    if (info === undefined) {
      info = { id: infos.size, text, count: 0 }
      infos.set(text, info)
    }
    info.count++
    idOf.set(value, info)
    return text
  }
  visit(root)
  for (const definition of Object.values($defs)) visit(definition)
  const names = new Map<Info, string>()
  const nameOf = (info: Info) => {
    let name = names.get(info)
    if (name === undefined) {
      name = `shared.${createHash("sha256").update(info.text).digest("hex").slice(0, 12)}`
      names.set(info, name)
    }
    return name
  }
  const shared = (info: Info | undefined): info is Info => info !== undefined && info.count > 1 && info.text.length >= SHARE_FROM
  const made: Node = {}
  const rewrite = (value: unknown, top: boolean): unknown => {
    if (Array.isArray(value)) return value.map((v) => rewrite(v, false))
    if (!isNode(value)) return value
    const info = idOf.get(value)
    if (!top && shared(info)) {
      const name = nameOf(info)
      if (!(name in made)) {
        made[name] = null
        made[name] = rewrite(value, true)
      }
      return { $ref: `#/$defs/${escapePointer(name)}` }
    }
    const out: Node = {}
    for (const [key, v] of Object.entries(value)) out[key] = DATA.has(key) ? v : rewrite(v, false)
    return out
  }
  const newRoot = rewrite(root, true) as Node
  const newDefs: Node = {}
  for (const [key, definition] of Object.entries($defs)) newDefs[key] = rewrite(definition, true)
  // put back what is used once
  const uses = new Map<string, number>()
  const count = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(count)
    if (!isNode(value)) return
    for (const [key, v] of Object.entries(value)) {
      if (key === "$ref" && typeof v === "string" && v.startsWith("#/$defs/shared.")) {
        const name = v.slice("#/$defs/".length)
        uses.set(name, (uses.get(name) ?? 0) + 1)
      } else if (!DATA.has(key)) count(v)
    }
  }
  count(newRoot)
  for (const definition of Object.values(newDefs)) count(definition)
  for (const definition of Object.values(made)) count(definition)
  const inline = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(inline)
    if (!isNode(value)) return value
    const ref = value.$ref
    if (typeof ref === "string" && ref.startsWith("#/$defs/shared.") && Object.keys(value).length === 1) {
      const name = ref.slice("#/$defs/".length)
      if (uses.get(name) === 1) return inline(made[name])
    }
    const out: Node = {}
    for (const [key, v] of Object.entries(value)) out[key] = DATA.has(key) ? v : inline(v)
    return out
  }
  for (const key of Object.keys(root)) delete root[key]
  Object.assign(root, inline(newRoot))
  for (const key of Object.keys($defs)) delete $defs[key]
  for (const [key, definition] of Object.entries(newDefs)) $defs[key] = inline(definition)
  for (const name of Array.from(names.values()).sort()) {
    if ((uses.get(name) ?? 0) > 1) $defs[name] = inline(made[name])
  }
}

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

// -----------------------------------------------------------------------------
// the configuration reference
// -----------------------------------------------------------------------------

interface Row {
  readonly key: string
  readonly type: string
  readonly required: boolean
  readonly default: Option.Option<unknown>
  readonly description: string
  readonly examples: ReadonlyArray<unknown>
}

const code = (value: unknown) => {
  const text = typeof value === "string" ? value : JSON.stringify(value)
  return text.includes("`") ? `\`\` ${text} \`\`` : `\`${text}\``
}

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ")

/** the one value a schema allows, if it allows one (`const`, or an `enum` of one) */
const constantOf = (node: Node): Option.Option<unknown> =>
  "const" in node ? Option.some(node.const) : Array.isArray(node.enum) && node.enum.length === 1 ? Option.some(node.enum[0]) : Option.none()

const typeOf = (raw: Node, $defs: Node): string => {
  const node = deref(raw, $defs)
  const constant = constantOf(node)
  if (Option.isSome(constant)) return code(constant.value)
  if (Array.isArray(node.enum)) return node.enum.map(code).join(" or ")
  if (Array.isArray(node.anyOf)) {
    const members = node.anyOf.filter(isNode).map((m) => deref(m, $defs))
    const objects = members.filter((m) => m.type === "object").length
    if (objects > 1) {
      const others = members.filter((m) => m.type !== "object").map((m) => typeOf(m, $defs))
      return [...others, `one of ${objects} objects (below)`].join(" or ")
    }
    return members.map((m) => typeOf(m, $defs)).join(" or ")
  }
  switch (node.type) {
    case "string": {
      const parts: Array<string> = []
      if (typeof node.minLength === "number") parts.push(node.minLength === 1 ? "non-empty" : `at least ${node.minLength} characters`)
      if (typeof node.maxLength === "number") parts.push(`at most ${node.maxLength} characters`)
      if (typeof node.pattern === "string") parts.push(`matching ${code(node.pattern)}`)
      if (typeof node.format === "string") parts.push(`format ${node.format}`)
      return parts.length === 0 ? "string" : `string (${parts.join(", ")})`
    }
    case "integer":
    case "number": {
      const parts: Array<string> = []
      if (typeof node.minimum === "number") parts.push(`≥ ${node.minimum}`)
      if (typeof node.exclusiveMinimum === "number") parts.push(`> ${node.exclusiveMinimum}`)
      if (typeof node.maximum === "number") parts.push(`≤ ${node.maximum}`)
      if (typeof node.exclusiveMaximum === "number") parts.push(`< ${node.exclusiveMaximum}`)
      const inner = Array.isArray(node.allOf) ? node.allOf.filter(isNode).map((a) => typeOf({ type: node.type, ...a }, $defs)) : []
      const base = parts.length === 0 ? String(node.type) : `${node.type} ${parts.join(", ")}`
      return inner.length === 0 ? base : `${base}; ${inner.join("; ")}`
    }
    case "boolean":
      return "boolean"
    case "null":
      return code(null)
    case "array":
      return isNode(node.items) ? `list of ${typeOf(node.items, $defs)}` : "list"
    case "object": {
      const hasProperties = isNode(node.properties) && Object.keys(node.properties).length > 0
      if (!hasProperties && isNode(node.additionalProperties)) return `map of string to ${typeOf(node.additionalProperties, $defs)}`
      return "object"
    }
    default:
      return Object.keys(node).filter((k) => !ANNOTATIONS.has(k)).length === 0 ? "any" : "see the JSON Schema"
  }
}

/** the discriminating key of object forms: a key every form has with one distinct constant */
const discriminator = (forms: ReadonlyArray<Node>, $defs: Node): string | undefined => {
  const first = forms[0]
  if (first === undefined || !isNode(first.properties)) return undefined
  for (const key of Object.keys(first.properties)) {
    const values = forms.map((f) =>
      isNode(f.properties) && isNode(f.properties[key]) ? Option.getOrUndefined(constantOf(deref(f.properties[key] as Node, $defs))) : undefined
    )
    if (values.every((v) => v !== undefined) && new Set(values.map((v) => JSON.stringify(v))).size === forms.length) return key
  }
  return undefined
}

/**
 * A key's description; not the generic one effect's built-in filters carry ("a non empty string",
 * titled `nonEmptyString`), which the type already says.
 */
const descriptionOf = (node: Node): string => {
  const description = typeof node.description === "string" ? node.description : ""
  const builtIn = typeof node.title === "string" && /^[a-z][A-Za-z0-9]*(\(.*\))?$/.test(node.title)
  return builtIn ? "" : description
}

const rowsOf = (raw: Node, $defs: Node, path: string, required: boolean, out: Array<Row>, depth = 0): void => {
  if (depth > 16) return
  const node = deref(raw, $defs)
  if (path !== "") {
    out.push({
      key: path,
      type: typeOf(node, $defs),
      required,
      default: "default" in node ? Option.some(node.default) : Option.none(),
      description: descriptionOf(node),
      examples: Array.isArray(node.examples) ? node.examples : []
    })
  }
  const forms = Array.isArray(node.anyOf) ? node.anyOf.filter(isNode).map((m) => deref(m, $defs)).filter((f) => f.type === "object") : []
  if (forms.length === 1) return objectRows(forms[0]!, $defs, path, out, depth + 1)
  if (forms.length > 1) {
    const by = discriminator(forms, $defs)
    forms.forEach((form, i) => {
      const tag = by !== undefined && isNode(form.properties) ? Option.getOrUndefined(constantOf(deref(form.properties[by] as Node, $defs))) : undefined
      const label = by === undefined ? `form ${i + 1}` : `${by}: ${typeof tag === "string" ? tag : JSON.stringify(tag)}`
      objectRows(form, $defs, `${path} (${label})`, out, depth + 1, by)
    })
    return
  }
  if (node.type === "object") objectRows(node, $defs, path, out, depth)
  if (node.type === "array" && isNode(node.items)) {
    const items = deref(node.items, $defs)
    if (items.type === "object") objectRows(items, $defs, `${path}[]`, out, depth)
  }
}

const objectRows = (node: Node, $defs: Node, path: string, out: Array<Row>, depth: number, skip?: string) => {
  const join = (key: string) => (path === "" ? key : `${path}.${key}`)
  const required = new Set(Array.isArray(node.required) ? node.required : [])
  if (isNode(node.properties)) {
    for (const [key, value] of Object.entries(node.properties)) {
      if (key !== skip && isNode(value)) rowsOf(value, $defs, join(key), required.has(key), out, depth + 1)
    }
  }
  const hasProperties = isNode(node.properties) && Object.keys(node.properties).length > 0
  if (!hasProperties && isNode(node.additionalProperties)) {
    const value = deref(node.additionalProperties, $defs)
    if (value.type === "object" && isNode(value.properties)) objectRows(value, $defs, join("<name>"), out, depth + 1)
  }
}

const MAX_DEFAULT = 60

const table = (rows: ReadonlyArray<Row>): string => {
  const lines = [
    "| key | type | default | description | example |",
    "|---|---|---|---|---|"
  ]
  for (const r of rows) {
    const fallback = Option.match(r.default, {
      onNone: () => (r.required ? "required" : "—"),
      onSome: (value) => {
        const text = JSON.stringify(value)
        return text.length > MAX_DEFAULT ? "each key's default" : code(value)
      }
    })
    lines.push(
      `| ${cell(code(r.key))} | ${cell(r.type)} | ${cell(fallback)} | ${cell(r.description || "—")} | ${cell(r.examples.length > 0 ? r.examples.map(code).join(", ") : "—")} |`
    )
  }
  return lines.join("\n")
}

/** a value for a required key in the minimal example: its example, default, first allowed value, or a placeholder */
const sample = (raw: Node, $defs: Node, depth = 0): unknown => {
  const node = deref(raw, $defs)
  if (Array.isArray(node.examples) && node.examples.length > 0) return node.examples[0]
  if ("default" in node) return node.default
  if ("const" in node) return node.const
  if (Array.isArray(node.enum) && node.enum.length > 0) return node.enum[0]
  if (Array.isArray(node.anyOf)) {
    const first = node.anyOf.find(isNode)
    return first === undefined ? null : sample(first, $defs, depth + 1)
  }
  switch (node.type) {
    case "object": {
      const out: Record<string, unknown> = {}
      const required = Array.isArray(node.required) ? node.required : []
      if (depth < 8 && isNode(node.properties)) {
        for (const key of required) {
          const value = node.properties[key as string]
          if (isNode(value)) out[key as string] = sample(value, $defs, depth + 1)
        }
      }
      return out
    }
    case "array":
      return []
    case "integer":
    case "number":
      return typeof node.minimum === "number" ? node.minimum : typeof node.exclusiveMinimum === "number" ? node.exclusiveMinimum + 1 : 1
    case "boolean":
      return true
    case "string":
      return "<string>"
    default:
      return null
  }
}

const yamlValue = (value: unknown, indent: string): string => {
  if (isNode(value)) {
    const entries = Object.entries(value)
    if (entries.length === 0) return " {}"
    return entries.map(([k, v]) => `\n${indent}${k}:${yamlValue(v, `${indent}  `)}`).join("")
  }
  const plain = typeof value === "string" && /^[A-Za-z_/][A-Za-z0-9_./:-]*$/.test(value) &&
    !/^(true|false|null|yes|no|on|off|~)$/i.test(value)
  return ` ${plain ? value : JSON.stringify(value)}`
}

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
