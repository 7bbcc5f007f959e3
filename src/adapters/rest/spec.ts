/**
 * The REST adapter's options compiled once into what the driver works with: every field's read
 * and write side (a path and a resolved codec), every endpoint's method, path (relative to the
 * base URL) and body template, and the pagination with its defaults.
 *
 * @internal
 */
import type * as HttpTransport from "../../HttpTransport.js"
import * as Codecs from "./codecs.js"
import type { Options } from "./RestOptions.js"
import type { Codec, Field } from "./schemas.js"

/** one side of a field: where, and in which form */
export interface Side {
  readonly path: string
  readonly codec: Codecs.Resolved
}

/** a field's read and write sides (`undefined`: not read, or not written) */
export interface FieldSpec {
  readonly read: Side | undefined
  readonly write: Side | undefined
  /** where the value is written when a ticket is created */
  readonly create: Side | undefined
  /** the value read when the system sends none */
  readonly default: string | undefined
}

/** an endpoint: method, path relative to the base URL, body template */
export interface Endpoint {
  /** the configuration key, for messages (`endpoints.list`) */
  readonly key: string
  readonly method: HttpTransport.Method
  readonly path: string
  readonly within: string | undefined
  readonly constants: Readonly<Record<string, unknown>> | undefined
}

/** the pagination with its defaults */
export type Paging =
  | { readonly style: "offset"; readonly offsetParam: string; readonly limitParam: string }
  | { readonly style: "page"; readonly pageParam: string; readonly sizeParam: string; readonly firstPage: number }
  | {
    readonly style: "cursor"
    readonly cursorParam: string
    readonly sizeParam: string
    readonly cursorHeader: string | undefined
    readonly hasMore: string | undefined
  }
  | { readonly style: "link"; readonly sizeParam: string }
  | { readonly style: "none"; readonly limitParam: string | null }

type TicketField = keyof Options["fields"]
type NoteField = keyof Options["noteFields"]

/** the compiled options */
export interface Spec {
  readonly options: Options
  /** the base URL's path without a trailing slash (`/v2`, or `""`) */
  readonly basePath: string
  readonly baseOrigin: string
  readonly fields: { readonly [K in TicketField]: FieldSpec | undefined }
  readonly noteFields: { readonly [K in NoteField]: FieldSpec | undefined }
  readonly endpoints: {
    readonly list: Endpoint
    readonly search: Endpoint | undefined
    readonly get: Endpoint
    readonly create: Endpoint | undefined
    readonly update: Endpoint
    readonly addNote: Endpoint
    readonly listNotes: Endpoint | undefined
  }
  readonly paging: Paging
}

const sideOf = (value: string | { readonly path: string; readonly codec?: Codec | undefined } | null | undefined, fallback: Side | undefined, codec: Codecs.Resolved): Side | undefined => {
  if (value === undefined) return fallback
  if (value === null) return undefined
  if (typeof value === "string") return { path: value, codec }
  return { path: value.path, codec: value.codec === undefined ? codec : Codecs.resolve(value.codec) }
}

/** a configured field's sides */
export const fieldSpec = (field: Field | null): FieldSpec | undefined => {
  if (field === null) return undefined
  if (typeof field === "string") {
    const side = { path: field, codec: Codecs.usual }
    return { read: side, write: side, create: side, default: undefined }
  }
  const codec = Codecs.resolve(field.codec)
  const both = field.path === undefined ? undefined : { path: field.path, codec }
  const write = sideOf(field.write, both, codec)
  return { read: sideOf(field.read, both, codec), write, create: sideOf(field.create, write, codec), default: field.default }
}

/**
 * An endpoint path relative to the base URL: a path that repeats the base URL's path
 * (`/v2/tickets` under `http://host/v2`) is taken from the host, so that it is not sent as
 * `/v2/v2/tickets`.
 */
export const relativePath = (basePath: string, path: string): string =>
  basePath !== "" && (path === basePath || path.startsWith(`${basePath}/`)) ? path.slice(basePath.length) : path

type EndpointInput = string | { readonly method?: HttpTransport.Method | undefined; readonly path: string; readonly body?: { readonly within?: string | undefined; readonly constants?: { readonly [x: string]: unknown } | undefined } | undefined }

const endpointOf = (basePath: string, key: string, input: EndpointInput, method: HttpTransport.Method): Endpoint =>
  typeof input === "string"
    ? { key: `endpoints.${key}`, method, path: relativePath(basePath, input), within: undefined, constants: undefined }
    : {
      key: `endpoints.${key}`,
      method: input.method ?? method,
      path: relativePath(basePath, input.path),
      within: input.body?.within,
      constants: input.body?.constants
    }

const pagingOf = (p: Options["pagination"]): Paging => {
  switch (p.style) {
    case "offset":
      return { style: "offset", offsetParam: p.offsetParam ?? "offset", limitParam: p.limitParam ?? "limit" }
    case "page":
      return { style: "page", pageParam: p.pageParam ?? "page", sizeParam: p.sizeParam ?? "per_page", firstPage: p.firstPage ?? 1 }
    case "cursor":
      return {
        style: "cursor",
        cursorParam: p.cursorParam ?? "cursor",
        sizeParam: p.sizeParam ?? "limit",
        cursorHeader: p.cursorHeader,
        hasMore: p.hasMore
      }
    case "link":
      return { style: "link", sizeParam: p.sizeParam ?? "per_page" }
    case "none":
      return { style: "none", limitParam: p.limitParam ?? null }
  }
}

const compiled = new WeakMap<Options, Spec>()

/** the compiled options (made once per options value) */
export const spec = (options: Options): Spec => {
  const known = compiled.get(options)
  if (known !== undefined) return known
  const base = new URL(options.baseUrl)
  const basePath = base.pathname.replace(/\/+$/, "")
  const e = options.endpoints
  const f = options.fields
  const n = options.noteFields
  const made: Spec = {
    options,
    basePath,
    baseOrigin: base.origin,
    fields: {
      id: fieldSpec(f.id),
      title: fieldSpec(f.title),
      description: fieldSpec(f.description),
      state: fieldSpec(f.state),
      priority: fieldSpec(f.priority),
      queueId: fieldSpec(f.queueId),
      queueName: fieldSpec(f.queueName),
      requester: fieldSpec(f.requester),
      assignee: fieldSpec(f.assignee),
      tags: fieldSpec(f.tags),
      customFields: fieldSpec(f.customFields),
      createdAt: fieldSpec(f.createdAt),
      updatedAt: fieldSpec(f.updatedAt)
    },
    noteFields: {
      id: fieldSpec(n.id),
      body: fieldSpec(n.body),
      visibility: fieldSpec(n.visibility),
      contentType: fieldSpec(n.contentType),
      timestamp: fieldSpec(n.timestamp),
      createdAt: fieldSpec(n.createdAt),
      author: fieldSpec(n.author)
    },
    endpoints: {
      list: endpointOf(basePath, "list", e.list, "GET"),
      search: e.search === null ? undefined : endpointOf(basePath, "search", e.search, "GET"),
      get: endpointOf(basePath, "get", e.get, "GET"),
      create: e.create === null ? undefined : endpointOf(basePath, "create", e.create, "POST"),
      update: endpointOf(basePath, "update", e.update, options.updateMethod),
      addNote: endpointOf(basePath, "addNote", e.addNote, "POST"),
      listNotes: e.listNotes === null ? undefined : endpointOf(basePath, "listNotes", e.listNotes, "GET")
    },
    paging: pagingOf(options.pagination)
  }
  compiled.set(options, made)
  return made
}
