/**
 * The configuration of the REST adapter, as Schemas: endpoints (method, path, body template),
 * fields (a read side and a write side, each a path and a codec), filter parameters, where things
 * are in the answers, pagination, value maps and presets. A configuration file's `options:` for
 * `adapter: rest` is decoded with {@link Options}.
 *
 * Every key has a default (the reference guide's API) but `baseUrl`; `preset: <name>` starts from
 * a named configuration instead, which the keys given override (objects are merged key by key,
 * anything else replaced).
 *
 * @since 0.1.0
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import * as Effect from "effect/Effect"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import { getOwn, setOwn } from "../../internal/record.js"
import { presets } from "./presets/index.js"

export {
  /**
   * The named configurations of public help desks (`preset: <name>`): `github-issues`, `zendesk`,
   * `freshdesk`.
   *
   * @since 0.1.0
   * @category presets
   */
  presets
} from "./presets/index.js"
import * as Schemas from "./schemas.js"
import { Complete, defaults, Input } from "./schemas.js"

/**
 * A dot path into the system's JSON (`team.id`).
 *
 * @since 0.1.0
 * @category configuration
 */
export const FieldPath = Schemas.FieldPath

/**
 * How a field's value is written in the system's JSON: scalars, timestamps, lists, content.
 *
 * @since 0.1.0
 * @category configuration
 */
export const Codec = Schemas.Codec

/**
 * Where a field is: a dot path, or `{ path | read | write, codec }`.
 *
 * @since 0.1.0
 * @category configuration
 */
export const Field = Schemas.Field

/**
 * The template of a write's JSON body (`within`, `constants`).
 *
 * @since 0.1.0
 * @category configuration
 */
export const BodyTemplate = Schemas.BodyTemplate

/**
 * The system's endpoints: a path, or `{ method, path, body }`.
 *
 * @since 0.1.0
 * @category configuration
 */
export const Endpoints = Schemas.Endpoints

/**
 * Where each ticket field is, read and written.
 *
 * @since 0.1.0
 * @category configuration
 */
export const Fields = Schemas.Fields

/**
 * Where each note field is, read and written.
 *
 * @since 0.1.0
 * @category configuration
 */
export const NoteFields = Schemas.NoteFields

/**
 * Query parameter names of the list and search endpoints.
 *
 * @since 0.1.0
 * @category configuration
 */
export const Params = Schemas.Params

/**
 * Criteria written into one query parameter in the system's search syntax (`params.query`).
 *
 * @since 0.1.0
 * @category configuration
 */
export const QueryTemplate = Schemas.QueryTemplate

/**
 * Where things are in the answers (lists, cursor, ticket, notes, error message).
 *
 * @since 0.1.0
 * @category configuration
 */
export const Responses = Schemas.Responses

/**
 * How the list endpoint pages (offset, page, cursor, link, none).
 *
 * @since 0.1.0
 * @category configuration
 */
export const Pagination = Schemas.Pagination

/**
 * A value of the system's own: a string, number or boolean.
 *
 * @since 0.1.0
 * @category configuration
 */
export const RemoteValue = Schemas.RemoteValue

/**
 * @since 0.1.0
 * @category configuration
 */
export type Codec = Schemas.Codec

/**
 * @since 0.1.0
 * @category configuration
 */
export type Field = Schemas.Field

/**
 * @since 0.1.0
 * @category configuration
 */
export type Pagination = Schemas.Pagination

/**
 * The input form of the configuration (as written in code or a config file).
 *
 * @since 0.1.0
 * @category configuration
 */
export type OptionsInput = Schemas.OptionsInput

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype

/**
 * `override` over `base`: plain objects are merged key by key (unless they are different variants:
 * another `style` or `_tag`), anything else replaced; `undefined` leaves the base.
 *
 * @since 0.1.0
 * @category configuration
 */
export const merge = (base: unknown, override: unknown): unknown => {
  if (override === undefined) return base
  if (!isPlainObject(base) || !isPlainObject(override)) return override
  for (const tag of ["style", "_tag"]) {
    if (override[tag] !== undefined && base[tag] !== undefined && override[tag] !== base[tag]) return override
  }
  const out: Record<string, unknown> = {}
  for (const key of Object.keys(base)) setOwn(out, key, getOwn(base, key))
  for (const key of Object.keys(override)) setOwn(out, key, merge(getOwn(out, key), getOwn(override, key)))
  return out
}

/** groups of keys whose defaults are filled in key by key; any other key's default applies only when it is absent */
const keyed = new Set(["endpoints", "fields", "noteFields", "params", "responses", "capabilities"])

/** the options with the defaults of the keys not given (a value map given replaces the default one) */
const withDefaults = (given: Record<string, unknown>): Record<string, unknown> => {
  const out: Record<string, unknown> = {}
  for (const key of Object.keys(given)) setOwn(out, key, getOwn(given, key))
  for (const [key, value] of Object.entries(defaults)) {
    const current = getOwn(out, key)
    if (current === undefined) setOwn(out, key, value)
    else if (keyed.has(key)) setOwn(out, key, merge(value, current))
  }
  return out
}

/** `{name}` of the variables put in, encoded as one path segment where it is a path */
const substitute = (template: string, variables: Readonly<Record<string, string>>, encode: boolean): string =>
  template.replace(/\{([A-Za-z][A-Za-z0-9_]*)\}/g, (whole, name: string) => {
    if (!Object.prototype.hasOwnProperty.call(variables, name)) return whole
    const value = variables[name]!
    return encode ? encodeURIComponent(value) : value
  })

/**
 * The options with their variables put in: endpoint paths (each value one path segment), the
 * query template, the text template, query constants and field defaults. A variable that is not
 * a string is left for the schema to refuse.
 */
const withVariables = (options: Record<string, unknown>): Record<string, unknown> => {
  const variables = getOwn(options, "variables")
  if (!isPlainObject(variables) || Object.keys(variables).length === 0) return options
  if (!Object.values(variables).every((v) => typeof v === "string")) return options
  const vars = variables as Record<string, string>
  const out: Record<string, unknown> = { ...options }
  const endpoints = getOwn(options, "endpoints")
  if (isPlainObject(endpoints)) {
    const mapped: Record<string, unknown> = {}
    for (const key of Object.keys(endpoints)) {
      const e = getOwn(endpoints, key)
      setOwn(
        mapped,
        key,
        typeof e === "string"
          ? substitute(e, vars, true)
          : isPlainObject(e) && typeof e.path === "string"
          ? { ...e, path: substitute(e.path, vars, true) }
          : e
      )
    }
    out.endpoints = mapped
  }
  const params = getOwn(options, "params")
  if (isPlainObject(params)) {
    const p: Record<string, unknown> = { ...params }
    if (typeof p.textTemplate === "string") p.textTemplate = substitute(p.textTemplate, vars, false)
    if (isPlainObject(p.query) && typeof p.query.template === "string") p.query = { ...p.query, template: substitute(p.query.template, vars, false) }
    if (isPlainObject(p.constants)) {
      const c: Record<string, unknown> = {}
      for (const key of Object.keys(p.constants)) {
        const v = getOwn(p.constants, key)
        setOwn(c, key, typeof v === "string" ? substitute(v, vars, false) : v)
      }
      p.constants = c
    }
    out.params = p
  }
  const fields = getOwn(options, "fields")
  if (isPlainObject(fields)) {
    const f: Record<string, unknown> = {}
    for (const key of Object.keys(fields)) {
      const field = getOwn(fields, key)
      setOwn(f, key, isPlainObject(field) && typeof field.default === "string" ? { ...field, default: substitute(field.default, vars, false) } : field)
    }
    out.fields = f
  }
  return out
}

/**
 * The configuration of a REST adapter. Everything but `baseUrl` has a default (the reference
 * guide's API); `preset` starts from a named configuration instead.
 *
 * @since 0.1.0
 * @category configuration
 */
export const Options: Schema.Schema<typeof Complete.Type, typeof Input.Encoded> = Schema.transformOrFail(Input, Schema.typeSchema(Complete), {
  strict: false,
  decode: (input, options, ast) =>
    Effect.gen(function*() {
      const { preset: name, ...given } = input
      let base: unknown = {}
      if (name !== undefined) {
        const preset = Object.prototype.hasOwnProperty.call(presets, name) ? presets[name] : undefined
        if (preset === undefined) {
          const known = Object.keys(presets)
          return yield* Effect.fail(
            new ParseResult.Pointer(
              "preset",
              input,
              new ParseResult.Type(
                ast,
                name,
                `unknown preset ${JSON.stringify(name)} (${known.length === 0 ? "no presets are known" : `known: ${known.join(", ")}`})`
              )
            )
          )
        }
        base = merge(base, preset.options)
        const missing = preset.variables.filter((v) => given.variables === undefined || !Object.prototype.hasOwnProperty.call(given.variables, v))
        if (missing.length > 0) {
          return yield* Effect.fail(
            new ParseResult.Pointer(
              "variables",
              input,
              new ParseResult.Type(
                ast,
                given.variables,
                `the preset ${name} needs ${missing.map((v) => `variables.${v}`).join(" and ")} (e.g. variables: { ${preset.variables.map((v) => `${v}: …`).join(", ")} })`
              )
            )
          )
        }
      }
      const merged = withDefaults(merge(base, given) as Record<string, unknown>)
      return yield* ParseResult.decodeUnknown(Complete)(withVariables(merged), options)
    }),
  encode: (options) => ParseResult.succeed(options as never)
})

/**
 * @since 0.1.0
 * @category configuration
 */
export type Options = typeof Options.Type

/**
 * Options that are code, not configuration.
 *
 * @since 0.1.0
 * @category configuration
 */
export interface Hooks {
  /** adapts the platform client (logging, proxies, extra retries…) */
  readonly transformClient?: (client: HttpClient.HttpClient) => HttpClient.HttpClient
}
