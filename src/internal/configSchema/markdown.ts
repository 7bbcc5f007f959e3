/**
 * The configuration reference as Markdown, from a generated JSON Schema: rows of keys with their
 * type, default and description, and a minimal example configuration.
 *
 * @internal
 */
import * as Option from "effect/Option"
import { ANNOTATIONS, deref, isNode, type Node } from "./jsonSchema.js"
export interface Row {
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

export const rowsOf = (raw: Node, $defs: Node, path: string, required: boolean, out: Array<Row>, depth = 0): void => {
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

export const table = (rows: ReadonlyArray<Row>): string => {
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
export const sample = (raw: Node, $defs: Node, depth = 0): unknown => {
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

export const yamlValue = (value: unknown, indent: string): string => {
  if (isNode(value)) {
    const entries = Object.entries(value)
    if (entries.length === 0) return " {}"
    return entries.map(([k, v]) => `\n${indent}${k}:${yamlValue(v, `${indent}  `)}`).join("")
  }
  const plain = typeof value === "string" && /^[A-Za-z_/][A-Za-z0-9_./:-]*$/.test(value) &&
    !/^(true|false|null|yes|no|on|off|~)$/i.test(value)
  return ` ${plain ? value : JSON.stringify(value)}`
}
