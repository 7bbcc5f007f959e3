/**
 * The REST adapter's mapping between the normal form and a configured system's requests and
 * answers, as plain functions of the configuration: filter and page parameters, the next page's
 * cursor, write bodies, note bodies and notes. No HTTP: `test/adapters/RestMapping.test.ts` tests
 * them alone.
 *
 * @internal
 */
import * as DateTime from "effect/DateTime"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import { Note } from "../../Note.js"
import type { NoteDraft } from "../../Note.js"
import type { SearchCriteria } from "../../SearchCriteria.js"
import { formatParseError } from "../../SearchCriteria.js"
import type * as T from "../../Ticket.js"
import { setOwn } from "../../internal/record.js"
import * as ValueMap from "../../internal/valueMap.js"
import { Code, Timestamp } from "./decoder.js"
import { getPath, numericOrString, setPath } from "./paths.js"
import type { Options } from "./RestOptions.js"

/** a query's parameters */
export type Query = Record<string, string | number | undefined>

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

/**
 * The filter parameters of the criteria; `Right(undefined)` when no ticket can match (no status of
 * the system is in the wanted categories), `Left` with the reason when the system cannot filter so.
 */
export const filterQuery = (options: Options, criteria: SearchCriteria): Either.Either<Query | undefined, string> => {
  const { name, params } = options
  const maps = valueMaps(options)
  const query: Query = {}
  const join = (values: ReadonlyArray<string>) => values.join(params.separator)
  if (criteria.states !== undefined) {
    if (params.state === null) return Either.left(`${name} cannot filter by state`)
    const remote = maps.states.remotesOf(criteria.states)
    if (remote.length === 0) return Either.right(undefined)
    query[params.state] = join(remote)
  }
  if (criteria.priorities !== undefined) {
    if (params.priority === null) return Either.left(`${name} cannot filter by priority`)
    const remote = maps.priorities.remotesOf(criteria.priorities)
    if (remote.length === 0) return Either.right(undefined)
    query[params.priority] = join(remote)
  }
  if (criteria.queues !== undefined) {
    const ids = criteria.queues.flatMap((q) => (q.id === undefined ? [] : [q.id]))
    const names = criteria.queues.flatMap((q) => (q.id === undefined && q.name !== undefined ? [q.name] : []))
    if (ids.length > 0) {
      if (params.queueIds === null) return Either.left(`${name} cannot filter by queue id`)
      query[params.queueIds] = join(ids)
    }
    if (names.length > 0) {
      if (params.queueNames === null) return Either.left(`${name} filters queues by id only; give queue ids`)
      query[params.queueNames] = join(names)
    }
  }
  if (criteria.updatedSince !== undefined) {
    if (params.updatedSince === null) return Either.left(`${name} cannot filter by update time`)
    query[params.updatedSince] = DateTime.formatIso(criteria.updatedSince)
  }
  if (criteria.text !== undefined) {
    if (params.text === null) return Either.left(`${name} cannot search by text`)
    query[params.text] = criteria.text
  }
  return Either.right(query)
}

/** where a page starts: its query parameters, its offset (or page number) and its size */
export interface Paging {
  readonly query: Query
  readonly offset: number
  readonly size: number
}

/** the page parameters for a cursor; `Left` for a cursor this pagination never gave out */
export const pageQuery = (options: Options, cursor: string | undefined, pageSize: number): Either.Either<Paging, string> => {
  const { pagination } = options
  const bad = Either.left(`invalid cursor ${JSON.stringify(cursor)}`)
  switch (pagination.style) {
    case "offset": {
      const offset = cursor === undefined ? 0 : /^\d{1,15}$/.test(cursor) ? Number(cursor) : undefined
      if (offset === undefined) return bad
      return Either.right({ query: { [pagination.offsetParam]: offset, [pagination.limitParam]: pageSize }, offset, size: pageSize })
    }
    case "page": {
      // the page size is fixed for a whole walk: it is part of the cursor
      const match = cursor === undefined ? undefined : /^(\d{1,9}):(\d{1,6})$/.exec(cursor)
      if (cursor !== undefined && match === null) return bad
      const page = match ? Number(match[1]) : pagination.firstPage
      const size = match ? Number(match[2]) : pageSize
      return Either.right({ query: { [pagination.pageParam]: page, [pagination.sizeParam]: size }, offset: page, size })
    }
    case "cursor":
      return Either.right({ query: { [pagination.cursorParam]: cursor, [pagination.sizeParam]: pageSize }, offset: 0, size: pageSize })
    case "none":
      if (cursor !== undefined) return bad
      return Either.right({ query: pagination.limitParam === null ? {} : { [pagination.limitParam]: pageSize }, offset: 0, size: pageSize })
  }
}

/** the total an answer gives, if it gives one */
export const totalOf = (options: Options, body: unknown): number | undefined => {
  const value = options.responses.total === null ? undefined : getPath(body, options.responses.total)
  return typeof value === "number" && Number.isFinite(value) ? value : undefined
}

/** the cursor of the page after this one, `undefined` at the last page */
export const nextCursor = (options: Options, paging: Paging, body: unknown, count: number, total: number | undefined): string | undefined => {
  const { pagination, responses } = options
  switch (pagination.style) {
    case "offset": {
      const end = paging.offset + count
      const more = total !== undefined ? end < total : count >= paging.size
      return count > 0 && more ? String(end) : undefined
    }
    case "page": {
      const more = total !== undefined
        ? paging.offset * paging.size < total + (pagination.firstPage - 1) * paging.size
        : count >= paging.size
      return count > 0 && more ? `${paging.offset + 1}:${paging.size}` : undefined
    }
    case "cursor": {
      const value = responses.nextCursor === null ? undefined : getPath(body, responses.nextCursor)
      return typeof value === "string" && value !== "" ? value : typeof value === "number" ? String(value) : undefined
    }
    case "none":
      return undefined
  }
}

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

/** the body of an update or a creation; `Left` with the reason when the system cannot hold a field */
export const writeBody = (options: Options, change: T.TicketUpdate | T.TicketDraft): Either.Either<Record<string, unknown>, string> =>
  Either.gen(function*() {
    const { fields, name } = options
    const maps = valueMaps(options)
    const body: Record<string, unknown> = {}
    if (change.title !== undefined) setPath(body, fields.title, change.title)
    if (change.description !== undefined) setPath(body, fields.description, change.description)
    if (change.state !== undefined) setPath(body, fields.state, yield* remoteValue(options, "status", maps.states, change.state))
    if (change.priority !== undefined) setPath(body, fields.priority, yield* remoteValue(options, "priority", maps.priorities, change.priority))
    if (change.queue !== undefined) {
      if (change.queue.id !== undefined && fields.queueId !== null) setPath(body, fields.queueId, numericOrString(change.queue.id))
      else if (change.queue.name !== undefined && fields.queueName !== null) setPath(body, fields.queueName, change.queue.name)
      else return yield* Either.left(`${name} addresses queues by ${fields.queueId !== null ? "id" : "name"}`)
    }
    if ("requester" in change && change.requester !== undefined && fields.requester !== null) {
      setPath(body, fields.requester, change.requester.email ?? change.requester.name ?? change.requester.id)
    }
    if (change.assignee !== undefined) {
      if (fields.assignee === null) return yield* Either.left(`${name} has no assignee field`)
      setPath(body, fields.assignee, change.assignee === null ? null : change.assignee.name ?? change.assignee.email ?? change.assignee.id)
    }
    if (change.tags !== undefined) {
      if (fields.tags === null) return yield* Either.left(`${name} has no tags`)
      setPath(body, fields.tags, change.tags)
    }
    if (change.customFields !== undefined) {
      if (fields.customFields === null) return yield* Either.left(`${name} has no custom fields`)
      // custom field names are data, not paths: "a.b" is one field, "__proto__" an ordinary key
      const container: Record<string, unknown> = {}
      for (const [key, value] of Object.entries(change.customFields)) setOwn(container, key, value)
      setPath(body, fields.customFields, container)
    }
    return body
  })

/** the body of a creation: the write body, with the description always set */
export const createBody = (options: Options, draft: T.TicketDraft): Either.Either<Record<string, unknown>, string> =>
  Either.map(writeBody(options, draft), (body) => {
    if (getPath(body, options.fields.description) === undefined) setPath(body, options.fields.description, draft.description)
    return body
  })

/** the body of a note; `Left` when the system has no notes of that visibility */
export const noteBody = (options: Options, note: NoteDraft, now: DateTime.Utc): Either.Either<Record<string, unknown>, string> => {
  const { noteFields } = options
  const visibility = note.visibility === "internal" ? options.visibility.internal : options.visibility.public
  if (visibility === null) return Either.left(`${options.name} has no public notes`)
  const body: Record<string, unknown> = {}
  setPath(body, noteFields.body, note.body)
  setPath(body, noteFields.visibility, visibility)
  if (noteFields.contentType !== null) setPath(body, noteFields.contentType, note.contentType)
  if (noteFields.timestamp !== null) setPath(body, noteFields.timestamp, DateTime.formatIso(now))
  return Either.right(body)
}

const NoteItem = Schema.Struct({
  id: Schema.optional(Schema.NullOr(Code)),
  body: Schema.String,
  visibility: Schema.String,
  contentType: Schema.optional(Schema.NullOr(Schema.Literal("text/plain", "text/html"))),
  createdAt: Schema.optional(Schema.NullOr(Timestamp)),
  author: Schema.optional(Schema.NullOr(Schema.String))
})
const decodeNoteItem = Schema.decodeUnknownEither(NoteItem)

/** a problem with one item of an answer: where (a path below the item) and what */
export interface ItemProblem {
  readonly path: string
  readonly detail: string
}

/** one note of a notes answer */
export const noteOf = (options: Options, item: unknown): Either.Either<Note, ItemProblem> => {
  const { noteFields } = options
  const pick = (path: string | null) => (path === null ? undefined : getPath(item, path))
  const decoded = decodeNoteItem({
    id: pick(noteFields.id),
    body: pick(noteFields.body),
    visibility: pick(noteFields.visibility),
    contentType: pick(noteFields.contentType),
    createdAt: pick(noteFields.createdAt),
    author: pick(noteFields.author)
  })
  if (Either.isLeft(decoded)) return Either.left({ path: "", detail: formatParseError(decoded.left) })
  const n = decoded.right
  const visibility = n.visibility === options.visibility.internal ? "internal" : n.visibility === options.visibility.public ? "public" : undefined
  if (visibility === undefined) {
    return Either.left({ path: noteFields.visibility, detail: `unknown note visibility ${JSON.stringify(n.visibility)}` })
  }
  return Either.right(
    new Note({
      body: n.body,
      visibility,
      contentType: n.contentType ?? "text/plain",
      ...(n.id === undefined || n.id === null ? {} : { id: n.id }),
      ...(n.createdAt === undefined || n.createdAt === null ? {} : { createdAt: n.createdAt }),
      ...(n.author === undefined || n.author === null ? {} : { author: { name: n.author } })
    }, true)
  )
}
