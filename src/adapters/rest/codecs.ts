/**
 * The REST adapter's codecs, as plain functions: how a configured field's value is read from the
 * system's JSON and written to it — scalars of a declared JSON type, timestamps in a declared unit
 * or format, lists as arrays or delimited strings, content as HTML or plain text. A value that
 * does not fit is a {@link Failure} saying what was expected; the caller names the field.
 *
 * @internal
 */
import { getOwn } from "../../internal/record.js"
import type { DeclaredFormat } from "../../internal/time.js"
import { declaredFormat, epochMillis, epochSecondsToMillis, parseIso } from "../../internal/time.js"
import type { Codec } from "./schemas.js"

/** why a value cannot be read or written with its codec */
export class Failure {
  constructor(readonly detail: string) {}
}

/** a codec, resolved: `usual` is the field's form when no codec is configured */
export type Resolved =
  | { readonly _tag: "usual" }
  | { readonly _tag: "string" }
  | { readonly _tag: "number" }
  | { readonly _tag: "boolean" }
  | { readonly _tag: "iso" }
  | { readonly _tag: "epochSeconds" }
  | { readonly _tag: "epochMillis" }
  | { readonly _tag: "format"; readonly pattern: string; readonly format: DeclaredFormat }
  | { readonly _tag: "split"; readonly separator: string }
  | { readonly _tag: "list"; readonly item: string | undefined }
  | { readonly _tag: "html" }
  | { readonly _tag: "text" }

/** the field's usual form */
export const usual: Resolved = { _tag: "usual" }

/** a configured codec, resolved (a declared format was checked when the options were decoded) */
export const resolve = (codec: Codec | undefined): Resolved => {
  if (codec === undefined) return usual
  if (typeof codec === "string") {
    switch (codec) {
      case "split":
        return { _tag: "split", separator: "," }
      case "list":
        return { _tag: "list", item: undefined }
      default:
        return { _tag: codec }
    }
  }
  switch (codec._tag) {
    case "format": {
      const format = declaredFormat(codec.pattern, codec.timeZone)
      if (typeof format === "string") throw new Error(format) // refused by the options' schema
      return { _tag: "format", pattern: codec.pattern, format }
    }
    case "split":
      return { _tag: "split", separator: codec.separator ?? "," }
    case "list":
      return { _tag: "list", item: codec.item }
    default:
      return { _tag: codec._tag }
  }
}

const show = (value: unknown): string => {
  if (typeof value === "string") return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)
  if (Array.isArray(value)) return "an array"
  if (value === null) return "null"
  return typeof value === "object" ? "an object" : String(value)
}

// -----------------------------------------------------------------------------
// scalars: ids, statuses, priorities, queues, visibility
// -----------------------------------------------------------------------------

/** a scalar as the string the normal form keeps (a status name, an id) */
export const readScalar = (codec: Resolved, value: unknown): string | Failure => {
  switch (codec._tag) {
    case "string":
      return typeof value === "string" ? value : new Failure(`expected a string, got ${show(value)}`)
    case "number":
      return typeof value === "number" && Number.isFinite(value) ? String(value) : new Failure(`expected a number, got ${show(value)}`)
    case "boolean":
      return typeof value === "boolean" ? String(value) : new Failure(`expected a boolean, got ${show(value)}`)
    default:
      return typeof value === "string" ? value : typeof value === "number" ? String(value) : new Failure(`expected a string or a number, got ${show(value)}`)
  }
}

/** a scalar as the system wants it written; `usual` writes the string (or, `numeric`, a number when it is one) */
export const writeScalar = (codec: Resolved, value: string, numeric = false): unknown => {
  switch (codec._tag) {
    case "number": {
      const n = /^-?\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : Number.NaN
      return Number.isFinite(n) ? n : new Failure(`${JSON.stringify(value)} is written as a number, but is not one`)
    }
    case "boolean":
      return value === "true" ? true : value === "false" ? false : new Failure(`${JSON.stringify(value)} is written as a boolean, but is not one`)
    case "string":
      return value
    default:
      return numeric && /^\d{1,15}$/.test(value) ? Number(value) : value
  }
}

/** a remote value (a string, number or boolean of the system) in the codec's JSON type */
export const writeRemote = (codec: Resolved, value: string | number | boolean): unknown =>
  codec._tag === "usual" ? value : writeScalar(codec, String(value))

// -----------------------------------------------------------------------------
// text
// -----------------------------------------------------------------------------

const named: Readonly<Record<string, string>> = {
  amp: "&", lt: "<", gt: ">", quot: "\"", apos: "'", nbsp: "\u00a0", copy: "©", reg: "®", hellip: "…", mdash: "—", ndash: "–",
  lsquo: "‘", rsquo: "’", ldquo: "“", rdquo: "”", euro: "€", laquo: "«", raquo: "»", bull: "•", middot: "·", shy: ""
}

/** decodes HTML character references (`&amp;`, `&#233;`, `&#x1F600;`); unknown ones stay */
export const decodeEntities = (text: string): string =>
  text.replace(/&(#[xX][0-9a-fA-F]{1,6}|#\d{1,7}|[a-zA-Z]{2,8});/g, (whole, ref: string) => {
    if (ref[0] === "#") {
      const code = ref[1] === "x" || ref[1] === "X" ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10)
      return code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff) ? String.fromCodePoint(code) : "\ufffd"
    }
    return getOwn(named, ref.toLowerCase()) as string | undefined ?? whole
  })

const blockEnd = /<\/(p|div|li|tr|h[1-6]|blockquote|pre|ul|ol|table)\s*>|<(p|div|li|tr|h[1-6]|blockquote|pre|ul|ol|table)(\s[^>]*)?>/gi

/**
 * Plain text of an HTML body: line breaks where the markup breaks lines (`<br>`, paragraphs and
 * other blocks), source whitespace as HTML renders it (a space), tags removed, entities decoded.
 */
export const htmlToText = (html: string): string =>
  decodeEntities(
    html
      .replace(/<!--[\s\S]*?-->/g, "")
      .replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, "")
      .replace(/[\t\r\n]+/g, " ")
      .replace(/<br\s*\/?>/gi, "\n")
      .replace(blockEnd, "\n")
      .replace(/<\/?[a-zA-Z][^>]*>/g, "")
  ).split("\n").map((line) => line.replace(/^ +| +$/g, "")).join("\n").replace(/\n{3,}/g, "\n\n").trim()

/** plain text as HTML: characters that mean markup escaped, line breaks as `<br>` */
export const textToHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => (c === "&" ? "&amp;" : c === "<" ? "&lt;" : c === ">" ? "&gt;" : c === "\"" ? "&quot;" : "&#39;"))
    .replace(/\r\n?|\n/g, "<br>")

/** a text field's value */
export const readText = (codec: Resolved, value: unknown): string | Failure => {
  if (typeof value !== "string") return new Failure(`expected a string, got ${show(value)}`)
  return codec._tag === "html" ? htmlToText(value) : value
}

/** a text as the system wants it: escaped for an HTML field unless it already is HTML */
export const writeText = (codec: Resolved, value: string, isHtml = false): string =>
  codec._tag === "html" && !isHtml ? textToHtml(value) : value

// -----------------------------------------------------------------------------
// timestamps
// -----------------------------------------------------------------------------

/** the epoch milliseconds of a timestamp */
export const readTime = (codec: Resolved, value: unknown): number | Failure => {
  let millis: number | undefined
  switch (codec._tag) {
    case "iso":
      millis = typeof value === "string" ? parseIso(value) : undefined
      return millis ?? new Failure(`expected an ISO 8601 timestamp with a time zone, got ${show(value)}`)
    case "epochSeconds":
      millis = typeof value === "number" ? epochSecondsToMillis(value) : undefined
      return millis ?? new Failure(`expected epoch seconds (a number), got ${show(value)}`)
    case "epochMillis":
      millis = typeof value === "number" ? epochMillis(value) : undefined
      return millis ?? new Failure(`expected epoch milliseconds (a number), got ${show(value)}`)
    case "format":
      millis = typeof value === "string" ? codec.format.parse(value) : undefined
      return millis ?? new Failure(`expected a timestamp such as ${JSON.stringify(codec.pattern)}, got ${show(value)}`)
    default:
      millis = typeof value === "string" ? parseIso(value) : typeof value === "number" ? epochMillis(value) : undefined
      return millis ?? new Failure(`expected an ISO 8601 timestamp or epoch milliseconds, got ${show(value)}`)
  }
}

/** a timestamp as the system wants it */
export const writeTime = (codec: Resolved, millis: number): unknown => {
  switch (codec._tag) {
    case "epochSeconds":
      return Math.floor(millis / 1000)
    case "epochMillis":
      return millis
    case "format":
      return codec.format.format(millis)
    default:
      return new Date(millis).toISOString()
  }
}

// -----------------------------------------------------------------------------
// lists
// -----------------------------------------------------------------------------

/** a list of strings */
export const readList = (codec: Resolved, value: unknown): ReadonlyArray<string> | Failure => {
  if (codec._tag === "split") {
    if (typeof value !== "string") return new Failure(`expected a ${JSON.stringify(codec.separator)}-separated string, got ${show(value)}`)
    return value.split(codec.separator).map((s) => s.trim()).filter((s) => s !== "")
  }
  if (!Array.isArray(value)) return new Failure(`expected an array, got ${show(value)}`)
  const item = codec._tag === "list" ? codec.item : undefined
  const out: Array<string> = []
  for (let i = 0; i < value.length; i++) {
    const v: unknown = item === undefined ? value[i] : readPath(value[i], item)
    if (typeof v !== "string") return new Failure(`expected ${item === undefined ? "strings" : `objects with a string at ${item}`} in the array, got ${show(value[i])} at ${i}`)
    out.push(v)
  }
  return out
}

/** a list as the system wants it */
export const writeList = (codec: Resolved, values: ReadonlyArray<string>): unknown => {
  if (codec._tag === "split") {
    const bad = values.find((v) => v.includes(codec.separator))
    return bad === undefined ? values.join(codec.separator) : new Failure(`the tag ${JSON.stringify(bad)} contains the separator ${JSON.stringify(codec.separator)}`)
  }
  if (codec._tag === "list" && codec.item !== undefined) {
    const item = codec.item
    return values.map((v) => writePath({}, item, v))
  }
  return values.slice()
}

// -----------------------------------------------------------------------------
// paths (own properties only)
// -----------------------------------------------------------------------------

const readPath = (value: unknown, path: string): unknown => {
  let current = value
  for (const key of path.split(".")) {
    if (typeof current !== "object" || current === null) return undefined
    current = getOwn(current, key)
  }
  return current
}

const writePath = (target: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> => {
  const keys = path.split(".")
  let current = target
  for (const key of keys.slice(0, -1)) {
    const next: Record<string, unknown> = {}
    Object.defineProperty(current, key, { value: next, enumerable: true, writable: true, configurable: true })
    current = next
  }
  Object.defineProperty(current, keys[keys.length - 1]!, { value, enumerable: true, writable: true, configurable: true })
  return target
}
