/**
 * From effect Schemas to JSON Schema for `ticketkit.yaml`: what JSON can express of each Schema
 * (declared types left out and listed), translation through effect's `JSONSchema`, `${env:…}`
 * alternatives for strings, and sharing of repeated sub-schemas under `$defs`.
 *
 * @internal
 */
import * as JSONSchema from "effect/JSONSchema"
import * as Option from "effect/Option"
import type * as Schema from "effect/Schema"
import * as AST from "effect/SchemaAST"
import { createHash } from "node:crypto"
/** what the JSON Schema could not express (the public `ConfigSchema.Unexpressed`) */
export interface Unexpressed {
  /** `systems.*.options` of adapter `rest`, then the path: `rest: auth.token` */
  readonly at: string
  /** the Schema, as effect prints it */
  readonly schema: string
  readonly reason: string
}

export type Node = Record<string, unknown>

export const isNode = (value: unknown): value is Node => typeof value === "object" && value !== null && !Array.isArray(value)

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
export const expressible = (root: AST.AST, lost: Array<{ readonly path: string; readonly schema: string }>): AST.AST => {
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
export const tidy = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(tidy)
  if (!isNode(value)) return value
  const out: Node = {}
  for (const [key, v] of Object.entries(value)) {
    if (key === "$id" && typeof v === "string" && v.startsWith("/schemas/")) continue
    out[key] = key === "default" || key === "examples" || key === "const" || key === "enum" ? v : tidy(v)
  }
  return out
}

export const escapePointer = (key: string) => key.replace(/~/g, "~0").replace(/\//g, "~1")

/**
 * One Schema as JSON Schema, its definitions added to `$defs` under `prefix`; a Schema that cannot
 * be expressed at all becomes `{}` (anything), recorded.
 */
export const translate = (
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
export const deref = (node: Node, $defs: Node, depth = 0): Node => {
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

export const ANNOTATIONS = new Set(["title", "description", "default", "examples", "$comment"])

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
export const withEnv = (value: unknown, envRef: string): unknown => {
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
export const share = (root: Node, $defs: Node): void => {
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
