/**
 * The REST adapter's mapping between the normal form and a configured system's requests and
 * answers, as plain functions of the configuration: filter and page parameters, the next page's
 * cursor (from the body, a header or a `Link` header), write bodies (each field through its write
 * side and codec, within the endpoint's body template), note bodies and notes. No HTTP:
 * `test/adapters/RestMapping.test.ts` tests them alone.
 *
 * @internal
 */
import type * as Headers from "@effect/platform/Headers"
import * as DateTime from "effect/DateTime"
import * as Either from "effect/Either"
import { Note } from "../../Note.js"
import type { NoteDraft } from "../../Note.js"
import type { SearchCriteria } from "../../SearchCriteria.js"
import type * as T from "../../Ticket.js"
import { getOwn, setOwn } from "../../internal/record.js"
import { implausible } from "../../internal/time.js"
import * as ValueMap from "../../internal/valueMap.js"
import * as Codecs from "./codecs.js"
import { getPath, setPath } from "./paths.js"
import type { Options } from "./RestOptions.js"
import type { Endpoint, FieldSpec, Side } from "./spec.js"
import { spec } from "./spec.js"

/** a query's parameters (an array repeats the parameter) */
export type Query = Record<string, string | number | undefined | ReadonlyArray<string>>

const maps = new WeakMap<Options, { readonly states: ValueMap.ValueMap<T.StateType>; readonly priorities: ValueMap.ValueMap<T.PriorityLevel> }>()

/** the status and priority maps of a configuration (made once per configuration) */
export const valueMaps = (options: Options) => {
  let found = maps.get(options)
  if (found === undefined) {
    found = { states: ValueMap.fromRecord(options.states), priorities: ValueMap.fromRecord(options.priorities) }
    maps.set(options, found)
  }
  return found
}

/** the codec a timestamp filter is written with: the updatedAt field's (write side first) */
const updatedAtCodec = (options: Options): Codecs.Resolved => {
  const field = spec(options).fields.updatedAt
  return field?.write?.codec ?? field?.read?.codec ?? Codecs.usual
}

/** a template with `{name}` placeholders filled (a function replacement: `$` in values stays literal) */
const fill = (template: string, values: Readonly<Record<string, string>>): string =>
  template.replace(/\{([A-Za-z][A-Za-z0-9_]*)\}/g, (whole, name: string) => Object.prototype.hasOwnProperty.call(values, name) ? values[name]! : whole)

/** the remote values of the wanted categories, or `undefined` when they are every value the map has (no filter needed) */
const narrowing = <N extends string>(map: ValueMap.ValueMap<N>, record: Readonly<Record<string, N>>, wanted: ReadonlyArray<N>): ReadonlyArray<string> | undefined => {
  const remote = map.remotesOf(wanted)
  const all = new Set(Object.keys(record).map((k) => k.toLowerCase()))
  return remote.length > 0 && remote.length >= all.size && remote.every((r) => all.has(r.toLowerCase())) ? undefined : remote
}

/**
 * The filter parameters of the criteria; `Right(undefined)` when no ticket can match (no status of
 * the system is in the wanted categories), `Left` with the reason when the system cannot filter so.
 * Criteria the adapter filters itself (`params.clientSide`) are left out; see {@link matchesClientSide}.
 */
export const filterQuery = (options: Options, criteria: SearchCriteria): Either.Either<Query | undefined, string> => {
  const { name, params } = options
  const maps = valueMaps(options)
  const query: Query = {}
  for (const [key, value] of Object.entries(params.constants)) setOwn(query as Record<string, unknown>, key, value)
  const template = params.query
  const fragments: Array<string> = []
  const join = (values: ReadonlyArray<string>) => values.join(params.separator)
  const clientSide = new Set<string>(params.clientSide)
  /** one criterion's values: into the query template when it has a fragment, else its own parameter */
  const put = (fragment: string | undefined, param: string | null, values: ReadonlyArray<string>, cannot: string): string | undefined => {
    if (fragment !== undefined) {
      fragments.push(values.map((value) => fill(fragment, { value, text: value })).join(template?.valuesJoin ?? " "))
      return undefined
    }
    if (param === null) return cannot
    query[param] = join(values)
    return undefined
  }
  if (criteria.states !== undefined && !clientSide.has("state")) {
    const remote = narrowing(maps.states, options.states, criteria.states)
    if (remote !== undefined) {
      if (remote.length === 0) return Either.right(undefined)
      const done = put(template?.state, params.state, remote, `${name} cannot filter by state`)
      if (done !== undefined) return Either.left(done)
    }
  }
  if (criteria.priorities !== undefined && !clientSide.has("priority")) {
    const remote = narrowing(maps.priorities, options.priorities, criteria.priorities)
    if (remote !== undefined) {
      if (remote.length === 0) return Either.right(undefined)
      const done = put(template?.priority, params.priority, remote, `${name} cannot filter by priority`)
      if (done !== undefined) return Either.left(done)
    }
  }
  if (criteria.queues !== undefined && !clientSide.has("queue")) {
    const ids = criteria.queues.flatMap((q) => (q.id === undefined ? [] : [q.id]))
    const names = criteria.queues.flatMap((q) => (q.id === undefined && q.name !== undefined ? [q.name] : []))
    if (ids.length > 0) {
      const done = put(template?.queueId, params.queueIds, ids, `${name} cannot filter by queue id`)
      if (done !== undefined) return Either.left(done)
    }
    if (names.length > 0) {
      if (params.queueNames === null) return Either.left(`${name} filters queues by id only; give queue ids`)
      query[params.queueNames] = join(names)
    }
  }
  if (criteria.updatedSince !== undefined) {
    const value = Codecs.writeTime(updatedAtCodec(options), DateTime.toEpochMillis(criteria.updatedSince))
    const done = put(template?.updatedSince, params.updatedSince, [String(value)], `${name} cannot filter by update time`)
    if (done !== undefined) return Either.left(done)
    if (template?.updatedSince === undefined && typeof value === "number") query[params.updatedSince!] = value
  }
  if (criteria.text !== undefined) {
    if (template?.text !== undefined) fragments.push(fill(template.text, { text: criteria.text }))
    else if (params.text === null) return Either.left(`${name} cannot search by text`)
    else query[params.text] = params.textTemplate === null ? criteria.text : params.textTemplate.replace("{text}", () => criteria.text!)
  }
  if (template !== null) {
    query[template.param] = template.template.replace("{filters}", () => fragments.join(template.join ?? " ")).trim()
  }
  return Either.right(query)
}

/** does a decoded ticket meet the criteria the adapter filters itself (`params.clientSide`)? */
export const matchesClientSide = (options: Options, criteria: SearchCriteria) => {
  const clientSide = new Set<string>(options.params.clientSide)
  const states = clientSide.has("state") ? criteria.states : undefined
  const priorities = clientSide.has("priority") ? criteria.priorities : undefined
  const queues = clientSide.has("queue") ? criteria.queues : undefined
  return (ticket: T.Ticket): boolean =>
    (states === undefined || states.includes(ticket.state.type)) &&
    (priorities === undefined || priorities.includes(ticket.priority.level)) &&
    (queues === undefined || queues.some((q) =>
      (q.id !== undefined && q.id === ticket.queue.id) || (q.id === undefined && q.name !== undefined && q.name.toLowerCase() === ticket.queue.name?.toLowerCase())
    ))
}

/** where a page starts: its query parameters, its offset (or page number), its size, and (link pages) its own path */
export interface Paging {
  readonly query: Query
  readonly offset: number
  readonly size: number
  /** the path (relative to the base URL) of a page a `Link` header named: its query has the filters */
  readonly path?: string
}

/** the query of a URL's search part (repeated parameters as arrays) */
const queryOf = (params: URLSearchParams): Query => {
  const query: Query = {}
  for (const key of new Set(params.keys())) {
    const values = params.getAll(key)
    setOwn(query as Record<string, unknown>, key, values.length === 1 ? values[0] : values)
  }
  return query
}

/** the page parameters for a cursor; `Left` for a cursor this pagination never gave out */
export const pageQuery = (options: Options, cursor: string | undefined, pageSize: number): Either.Either<Paging, string> => {
  const { paging, basePath, baseOrigin } = spec(options)
  const bad = Either.left(`invalid cursor ${JSON.stringify(cursor)}`)
  switch (paging.style) {
    case "offset": {
      const offset = cursor === undefined ? 0 : /^\d{1,15}$/.test(cursor) ? Number(cursor) : undefined
      if (offset === undefined) return bad
      return Either.right({ query: { [paging.offsetParam]: offset, [paging.limitParam]: pageSize }, offset, size: pageSize })
    }
    case "page": {
      // the page size is fixed for a whole walk: it is part of the cursor
      const match = cursor === undefined ? undefined : /^(\d{1,9}):(\d{1,6})$/.exec(cursor)
      if (cursor !== undefined && match === null) return bad
      const page = match ? Number(match[1]) : paging.firstPage
      const size = match ? Number(match[2]) : pageSize
      return Either.right({ query: { [paging.pageParam]: page, [paging.sizeParam]: size }, offset: page, size })
    }
    case "cursor":
      return Either.right({ query: { [paging.cursorParam]: cursor, [paging.sizeParam]: pageSize }, offset: 0, size: pageSize })
    case "link": {
      if (cursor === undefined) return Either.right({ query: { [paging.sizeParam]: pageSize }, offset: 0, size: pageSize })
      // a cursor is the path and query of the next page, from the host, under the base URL's path
      if (!cursor.startsWith("/") || cursor.startsWith("//")) return bad
      let url: URL
      try {
        url = new URL(cursor, baseOrigin)
      } catch {
        return bad
      }
      if (url.origin !== baseOrigin || (basePath !== "" && url.pathname !== basePath && !url.pathname.startsWith(`${basePath}/`))) return bad
      return Either.right({ query: queryOf(url.searchParams), offset: 0, size: pageSize, path: url.pathname.slice(basePath.length) })
    }
    case "none":
      if (cursor !== undefined) return bad
      return Either.right({ query: paging.limitParam === null ? {} : { [paging.limitParam]: pageSize }, offset: 0, size: pageSize })
  }
}

/**
 * The path (relative to the base URL) and query of a page a system named (a `Link` header's or a
 * body's next URL, resolved against the URL that was read): only on the base URL's origin and
 * under its path.
 */
export const pageAt = (options: Options, target: string, requestUrl: string): Either.Either<{ readonly path: string; readonly query: Query }, string> => {
  const { basePath, baseOrigin } = spec(options)
  let url: URL
  try {
    url = new URL(target, requestUrl)
  } catch {
    return Either.left("the next page is not a URL")
  }
  if (url.origin !== baseOrigin) {
    return Either.left(`the next page is on another origin (${url.origin}, not ${baseOrigin}): credentials are never sent to another origin`)
  }
  if (basePath !== "" && url.pathname !== basePath && !url.pathname.startsWith(`${basePath}/`)) {
    return Either.left(`the next page ${url.pathname} is outside the base URL's path ${basePath}`)
  }
  return Either.right({ path: url.pathname.slice(basePath.length), query: queryOf(url.searchParams) })
}

/** the URL of the page of notes after this one: `responses.notesNext` in the body, else a `Link` header's `next` */
export const nextNotesPage = (options: Options, answer: { readonly body: unknown; readonly headers: Headers.Headers }): string | undefined => {
  if (options.responses.notesNext !== null) {
    const value = getPath(answer.body, options.responses.notesNext)
    return typeof value === "string" && value !== "" ? value : undefined
  }
  const header = getOwn(answer.headers, "link")
  return typeof header === "string" ? parseLinkHeader(header).find((link) => link.rel.includes("next"))?.target : undefined
}

/** the total an answer gives, if it gives one */
export const totalOf = (options: Options, body: unknown): number | undefined => {
  const value = options.responses.total === null ? undefined : getPath(body, options.responses.total)
  return typeof value === "number" && Number.isFinite(value) ? value : undefined
}

/** the links of an RFC 8288 `Link` header: each target with its relations (lower case) */
export const parseLinkHeader = (value: string): ReadonlyArray<{ readonly target: string; readonly rel: ReadonlyArray<string> }> => {
  const links: Array<{ target: string; rel: Array<string> }> = []
  const pattern = /<([^>]*)>((?:\s*;\s*[^;,]+(?:=(?:"[^"]*"|[^;,]*))?)*)/g
  for (let m = pattern.exec(value); m !== null; m = pattern.exec(value)) {
    const rel = /;\s*rel\s*=\s*(?:"([^"]*)"|([^;,\s]+))/i.exec(m[2] ?? "")
    links.push({ target: m[1]!, rel: (rel?.[1] ?? rel?.[2] ?? "").toLowerCase().split(/\s+/).filter((r) => r !== "") })
  }
  return links
}

/** an answer's next-page problem: the system named a page the adapter must not follow */
export class NextPageProblem {
  constructor(readonly detail: string) {}
}

/**
 * The cursor of the page after this one, `undefined` at the last page; a {@link NextPageProblem}
 * when the `Link` header points to another origin. `requestUrl` is where this page was read
 * (relative links resolve against it).
 */
export const nextCursor = (
  options: Options,
  paging: Paging,
  answer: { readonly body: unknown; readonly headers: Headers.Headers; readonly requestUrl: string },
  count: number,
  total: number | undefined
): string | undefined | NextPageProblem => {
  const { responses } = options
  const compiled = spec(options)
  const p = compiled.paging
  switch (p.style) {
    case "offset": {
      const end = paging.offset + count
      const more = total !== undefined ? end < total : count >= paging.size
      return count > 0 && more ? String(end) : undefined
    }
    case "page": {
      const more = total !== undefined
        ? paging.offset * paging.size < total + (p.firstPage - 1) * paging.size
        : count >= paging.size
      return count > 0 && more ? `${paging.offset + 1}:${paging.size}` : undefined
    }
    case "cursor": {
      if (p.hasMore !== undefined && getPath(answer.body, p.hasMore) === false) return undefined
      const value = p.cursorHeader !== undefined
        ? getOwn(answer.headers, p.cursorHeader.toLowerCase())
        : responses.nextCursor === null
        ? undefined
        : getPath(answer.body, responses.nextCursor)
      return typeof value === "string" && value !== "" ? value : typeof value === "number" ? String(value) : undefined
    }
    case "link": {
      const header = getOwn(answer.headers, "link")
      if (typeof header !== "string") return undefined
      const next = parseLinkHeader(header).find((link) => link.rel.includes("next"))
      if (next === undefined) return undefined
      let url: URL
      try {
        url = new URL(next.target, answer.requestUrl)
      } catch {
        return new NextPageProblem(`the Link header's next page is not a URL`)
      }
      if (url.origin !== compiled.baseOrigin) {
        return new NextPageProblem(
          `the Link header's next page is on another origin (${url.origin}, not ${compiled.baseOrigin}): credentials are never sent to another origin`
        )
      }
      const { basePath } = compiled
      if (basePath !== "" && url.pathname !== basePath && !url.pathname.startsWith(`${basePath}/`)) {
        return new NextPageProblem(`the Link header's next page ${url.pathname} is outside the base URL's path ${basePath}`)
      }
      return url.pathname + url.search
    }
    case "none":
      return undefined
  }
}

// -----------------------------------------------------------------------------
// writes
// -----------------------------------------------------------------------------

/** the system's value for a state or priority: a normal value through the map, a reference as it is */
const remoteValue = <N extends string>(
  options: Options,
  what: string,
  map: ValueMap.ValueMap<N>,
  value: N | T.Ref
): Either.Either<string, string> => {
  if (typeof value !== "string") return Either.right(value.name ?? value.id ?? "")
  const remote = map.toRemote(value)
  return remote === undefined ? Either.left(`${options.name} has no ${what} mapped to ${JSON.stringify(value)}`) : Either.right(remote)
}

/** a field's write side, or why the system cannot hold the field */
const writable = (options: Options, key: string, field: FieldSpec | undefined, what: string): Either.Either<Side, string> =>
  field === undefined
    ? Either.left(`${options.name} has no ${what}`)
    : field.write === undefined
    ? Either.left(`${options.name} cannot write the ${what} (${key} has no write side)`)
    : Either.right(field.write)

/**
 * Is the value the one every ticket has (a field not written, with a default): then writing it
 * changes nothing (GitHub's one queue, the repository), and any other value is refused.
 */
const fixedAlready = (field: FieldSpec | undefined, value: string | T.Ref | undefined): boolean => {
  if (field === undefined || field.write !== undefined || field.default === undefined || value === undefined) return false
  const wanted = typeof value === "string" ? value : value.name ?? value.id
  return wanted !== undefined && wanted.toLowerCase() === field.default.toLowerCase()
}

/** an encoded value, or the codec's failure naming the field */
const encoded = (key: string, value: unknown): Either.Either<unknown, string> =>
  value instanceof Codecs.Failure ? Either.left(`${key}: ${value.detail}`) : Either.right(value)

/**
 * The fields of an update or a creation (before the endpoint's body template); `Left` with the
 * reason when the system cannot hold a field or a value does not fit its codec.
 */
export const writeBody = (
  options: Options,
  change: T.TicketUpdate | T.TicketDraft,
  mode: "update" | "create" = "update"
): Either.Either<Record<string, unknown>, string> =>
  Either.gen(function*() {
    const fields = mode === "create" ? creating(options) : spec(options).fields
    const maps = valueMaps(options)
    const body: Record<string, unknown> = {}
    const put = (side: Side, value: unknown) => setPath(body, side.path, value)
    if (change.title !== undefined) {
      const side = yield* writable(options, "fields.title", fields.title, "title")
      put(side, Codecs.writeText(side.codec, change.title))
    }
    if (change.description !== undefined) {
      const side = yield* writable(options, "fields.description", fields.description, "description")
      put(side, Codecs.writeText(side.codec, change.description))
    }
    if (change.state !== undefined) {
      const side = yield* writable(options, "fields.state", fields.state, "status")
      const remote = yield* remoteValue(options, "status", maps.states, change.state)
      put(side, yield* encoded("fields.state", Codecs.writeScalar(side.codec, remote)))
    }
    if (change.priority !== undefined && !fixedAlready(fields.priority, change.priority)) {
      const side = yield* writable(options, "fields.priority", fields.priority, "priority")
      const remote = yield* remoteValue(options, "priority", maps.priorities, change.priority)
      put(side, yield* encoded("fields.priority", Codecs.writeScalar(side.codec, remote)))
    }
    if (change.queue !== undefined && !fixedAlready(fields.queueId, change.queue.id) && !fixedAlready(fields.queueName, change.queue.name)) {
      const byId = fields.queueId?.write
      const byName = fields.queueName?.write
      if (change.queue.id !== undefined && byId !== undefined) {
        put(byId, yield* encoded("fields.queueId", Codecs.writeScalar(byId.codec, change.queue.id, true)))
      } else if (change.queue.name !== undefined && byName !== undefined) {
        put(byName, Codecs.writeText(byName.codec, change.queue.name))
      } else {
        return yield* Either.left(
          byId === undefined && byName === undefined
            ? `${options.name} cannot write the queue`
            : `${options.name} addresses queues by ${byId !== undefined ? "id" : "name"}`
        )
      }
    }
    if ("requester" in change && change.requester !== undefined && fields.requester?.write !== undefined) {
      const side = fields.requester.write
      put(side, Codecs.writeText(side.codec, change.requester.email ?? change.requester.name ?? change.requester.id ?? ""))
    }
    if (change.assignee !== undefined) {
      const side = yield* writable(options, "fields.assignee", fields.assignee, "assignee field")
      const who = change.assignee === null ? null : change.assignee.name ?? change.assignee.email ?? change.assignee.id ?? null
      put(side, who === null ? null : Codecs.writeText(side.codec, who))
    }
    if (change.tags !== undefined) {
      const side = yield* writable(options, "fields.tags", fields.tags, "tags")
      put(side, yield* encoded("fields.tags", Codecs.writeList(side.codec, change.tags)))
    }
    if (change.customFields !== undefined) {
      const side = yield* writable(options, "fields.customFields", fields.customFields, "custom fields")
      // custom field names are data, not paths: "a.b" is one field, "__proto__" an ordinary key
      const container: Record<string, unknown> = {}
      for (const [key, value] of Object.entries(change.customFields)) setOwn(container, key, value)
      put(side, container)
    }
    return body
  })

/** the fields with their creation sides as write sides */
const creating = (options: Options): ReturnType<typeof spec>["fields"] => {
  const fields = spec(options).fields
  const out: Record<string, FieldSpec | undefined> = {}
  for (const [name, field] of Object.entries(fields)) out[name] = field === undefined ? undefined : { ...field, write: field.create }
  return out as unknown as ReturnType<typeof spec>["fields"]
}

/** the fields of a creation: the creation sides of the fields, with the description always set */
export const createBody = (options: Options, draft: T.TicketDraft): Either.Either<Record<string, unknown>, string> =>
  Either.map(writeBody(options, draft, "create"), (body) => {
    const side = spec(options).fields.description?.create
    if (side !== undefined && getPath(body, side.path) === undefined) setPath(body, side.path, Codecs.writeText(side.codec, draft.description))
    return body
  })

const copyJson = (value: unknown, depth = 0): unknown => {
  if (depth > 32 || typeof value !== "object" || value === null) return value
  if (Array.isArray(value)) return value.map((v) => copyJson(v, depth + 1))
  const out: Record<string, unknown> = {}
  for (const key of Object.keys(value)) setOwn(out, key, copyJson(getOwn(value, key), depth + 1))
  return out
}

/** a request body from an endpoint's template: its constants, and the fields within its path */
export const bodyOf = (endpoint: Endpoint, fields: Record<string, unknown>): Record<string, unknown> => {
  const body = (endpoint.constants === undefined ? {} : copyJson(endpoint.constants)) as Record<string, unknown>
  if (endpoint.within !== undefined) {
    const existing = getPath(body, endpoint.within)
    if (typeof existing === "object" && existing !== null && !Array.isArray(existing)) {
      for (const key of Object.keys(fields)) setOwn(existing as Record<string, unknown>, key, getOwn(fields, key))
    } else {
      setPath(body, endpoint.within, fields)
    }
  } else {
    for (const key of Object.keys(fields)) setOwn(body, key, getOwn(fields, key))
  }
  return body
}

/** the fields of a note; `Left` when the system has no notes of that visibility */
export const noteBody = (options: Options, note: NoteDraft, now: DateTime.Utc): Either.Either<Record<string, unknown>, string> =>
  Either.gen(function*() {
    const { noteFields } = spec(options)
    const visibility = note.visibility === "internal" ? options.visibility.internal : options.visibility.public
    if (visibility === null) return yield* Either.left(`${options.name} has no ${note.visibility} notes`)
    const body: Record<string, unknown> = {}
    const bodySide = yield* writable(options, "noteFields.body", noteFields.body, "note body")
    setPath(body, bodySide.path, Codecs.writeText(bodySide.codec, note.body, note.contentType === "text/html"))
    const visibilitySide = noteFields.visibility?.write
    if (visibilitySide !== undefined) {
      setPath(body, visibilitySide.path, yield* encoded("noteFields.visibility", Codecs.writeRemote(visibilitySide.codec, visibility)))
    }
    const contentType = noteFields.contentType?.write
    // a body written as HTML is HTML, whatever the draft was
    if (contentType !== undefined) setPath(body, contentType.path, bodySide.codec._tag === "html" ? "text/html" : note.contentType)
    const timestamp = noteFields.timestamp?.write
    if (timestamp !== undefined) setPath(body, timestamp.path, Codecs.writeTime(timestamp.codec, DateTime.toEpochMillis(now)))
    return body
  })

// -----------------------------------------------------------------------------
// notes
// -----------------------------------------------------------------------------

/** a problem with one item of an answer: where (a path below the item) and what */
export interface ItemProblem {
  readonly path: string
  readonly detail: string
}

const sameRemote = (value: unknown, remote: string | number | boolean | null): boolean =>
  remote !== null && (value === remote || ((typeof value === "string" || typeof value === "number" || typeof value === "boolean") && String(value) === String(remote)))

/** one note of a notes answer */
export const noteOf = (options: Options, item: unknown): Either.Either<Note, ItemProblem> =>
  Either.gen(function*() {
    const { noteFields } = spec(options)
    const read = (side: Side | undefined) => (side === undefined ? undefined : getPath(item, side.path))
    const fail = (side: Side | undefined, detail: string) => Either.left<ItemProblem>({ path: side?.path ?? "", detail })
    if (typeof item !== "object" || item === null) return yield* fail(undefined, "expected a note object")
    const bodySide = noteFields.body?.read
    const rawBody = read(bodySide)
    if (rawBody === undefined) return yield* fail(bodySide, "is missing")
    // an HTML note stays HTML (its content type says so); a ticket's HTML text becomes plain text
    const asHtml = bodySide?.codec._tag === "html"
    const body = Codecs.readText(asHtml ? Codecs.usual : bodySide?.codec ?? Codecs.usual, rawBody)
    if (body instanceof Codecs.Failure) return yield* fail(bodySide, body.detail)
    // visibility: the configured field, or the one visibility the system has
    const visibilitySide = noteFields.visibility?.read
    let visibility: "internal" | "public"
    if (visibilitySide === undefined) {
      visibility = options.visibility.public === null ? "internal" : "public"
    } else {
      const raw = read(visibilitySide)
      if (raw === undefined) return yield* fail(visibilitySide, "is missing")
      if (visibilitySide.codec._tag !== "usual") {
        const checked = Codecs.readScalar(visibilitySide.codec, raw)
        if (checked instanceof Codecs.Failure) return yield* fail(visibilitySide, checked.detail)
      }
      if (sameRemote(raw, options.visibility.internal)) visibility = "internal"
      else if (sameRemote(raw, options.visibility.public)) visibility = "public"
      else return yield* fail(visibilitySide, `unknown note visibility ${JSON.stringify(raw)}`)
    }
    let contentType: "text/plain" | "text/html" = asHtml ? "text/html" : "text/plain"
    const contentSide = noteFields.contentType?.read
    const rawType = read(contentSide)
    if (!asHtml && rawType !== undefined && rawType !== null) {
      if (rawType !== "text/plain" && rawType !== "text/html") {
        return yield* fail(contentSide, `expected "text/plain" or "text/html", got ${JSON.stringify(rawType)}`)
      }
      contentType = rawType
    }
    const props: Record<string, unknown> = { body, visibility, contentType }
    const idSide = noteFields.id?.read
    const rawId = read(idSide)
    if (rawId !== undefined && rawId !== null) {
      const id = Codecs.readScalar(idSide!.codec, rawId)
      if (id instanceof Codecs.Failure) return yield* fail(idSide, id.detail)
      props.id = id
    }
    const createdSide = noteFields.createdAt?.read
    const rawCreated = read(createdSide)
    if (rawCreated !== undefined && rawCreated !== null) {
      const millis = Codecs.readTime(createdSide!.codec, rawCreated)
      if (millis instanceof Codecs.Failure) return yield* fail(createdSide, millis.detail)
      const problem = implausible(millis, Date.now())
      if (problem !== undefined) return yield* fail(createdSide, `implausible date: ${problem}`)
      props.createdAt = DateTime.unsafeMake(millis)
    }
    const authorSide = noteFields.author?.read
    const rawAuthor = read(authorSide)
    if (rawAuthor !== undefined && rawAuthor !== null) {
      const author = Codecs.readText(authorSide!.codec, rawAuthor)
      if (author instanceof Codecs.Failure) return yield* fail(authorSide, author.detail)
      props.author = { name: author }
    }
    return new Note(props as ConstructorParameters<typeof Note>[0], true)
  })
