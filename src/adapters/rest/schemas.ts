/**
 * The schemas of the REST adapter's configuration (re-exported by `RestOptions`, which adds the
 * presets): endpoints (method, path, body template),
 * fields (a read side and a write side, each a path and a codec), filter parameters, where things
 * are in the answers, pagination, value maps and presets. A configuration file's `options:` for
 * `adapter: rest` is decoded with {@link Options}.
 *
 * Every key has a default (the reference guide's API) but `baseUrl`; `preset: <name>` starts from
 * a named configuration instead, which the keys given override (objects are merged key by key,
 * anything else replaced).
 *
 * @internal
 */
import * as AST from "effect/SchemaAST"
import * as Schema from "effect/Schema"
import * as HttpTransport from "../../HttpTransport.js"
import { declaredFormat } from "../../internal/time.js"
import * as T from "../../Ticket.js"

import { Codec, Field, FieldPath, OptionalField, Path, TicketPath } from "./fields.js"

export { Codec, Field, FieldPath } from "./fields.js"
// -----------------------------------------------------------------------------
// endpoints
// -----------------------------------------------------------------------------

const Method = Schema.Literal("GET", "POST", "PUT", "PATCH", "DELETE").annotations({ description: "the HTTP method" })

/**
 * The template of a write's JSON body: the fields are written `within` a path (`ticket` gives
 * `{"ticket": {…}}`; default: at the top), next to `constants`.
 *
 * @since 0.1.0
 * @category configuration
 */
export const BodyTemplate = Schema.Struct({
  within: Schema.optional(FieldPath.annotations({ description: "the path the fields are written under (default: the top level)", examples: ["ticket", "ticket.comment"] })),
  constants: Schema.optional(
    Schema.Record({ key: Schema.String, value: Schema.Unknown }).annotations({ description: "JSON values always sent, at the top level of the body" })
  )
}).annotations({ description: "the body's shape: nested (within) or flat, with constants", examples: [{ within: "ticket" }] })

const endpointOf = <S extends Schema.Schema<string, string, never>>(path: S, defaults: string) =>
  Schema.Union(
    Schema.Struct({
      method: Schema.optional(Method.annotations({ description: `the HTTP method (default ${defaults})` })),
      path,
      body: Schema.optional(BodyTemplate)
    }).annotations({ description: "a method, a path and (for writes) a body template" }),
    // last: a union's last member has the telling message
    path
  ).annotations({ description: `a path, or { method, path, body } (default method ${defaults})` })

/**
 * Endpoints: a path (`{id}` stands for the ticket id), or `{ method, path, body }`. `null` for
 * what the system does not have. A note may be added through a ticket update (`addNote:
 * { method: PUT, path: "/tickets/{id}", body: { within: ticket.comment } }`).
 *
 * @since 0.1.0
 * @category configuration
 */
export const Endpoints = Schema.Struct({
  list: endpointOf(Path, "GET").annotations({ description: "the list of tickets (GET)", default: "/api/tickets" }),
  search: Schema.NullOr(endpointOf(Path, "GET")).annotations({
    description: "the text search (GET); null: search with the list endpoint and params.text",
    default: "/api/tickets/search"
  }),
  get: endpointOf(TicketPath, "GET").annotations({ description: "one ticket (GET)", default: "/api/tickets/{id}" }),
  create: Schema.NullOr(endpointOf(Path, "POST")).annotations({ description: "creates a ticket (POST); null: the system cannot", default: "/api/tickets" }),
  update: endpointOf(TicketPath, "updateMethod").annotations({ description: "updates a ticket (updateMethod, PUT by default)", default: "/api/tickets/{id}" }),
  addNote: endpointOf(TicketPath, "POST").annotations({ description: "adds a note (POST)", default: "/api/tickets/{id}/notes" }),
  listNotes: Schema.NullOr(endpointOf(TicketPath, "GET")).annotations({
    description: "the notes of a ticket (GET); null: the system cannot list them",
    default: "/api/tickets/{id}/notes"
  })
}).annotations({ description: "the system's endpoints" })

// -----------------------------------------------------------------------------
// fields
// -----------------------------------------------------------------------------

/**
 * Where each ticket field is in the system's JSON, read and written. `null` for fields the system
 * does not have.
 *
 * @since 0.1.0
 * @category configuration
 */
export const Fields = Schema.Struct({
  id: Field.annotations({ description: "the ticket id (string or number)", default: "id" }),
  title: Field.annotations({ description: "the title", default: "subject" }),
  description: Field.annotations({ description: "the description (codec html for HTML bodies)", default: "body" }),
  state: Field.annotations({ description: "the status, mapped through states", default: "status" }),
  priority: Field.annotations({ description: "the priority, mapped through priorities (codec number for numeric ones)", default: "priority_level" }),
  queueId: OptionalField("the queue (team, department) id").annotations({ default: "department_id" }),
  queueName: OptionalField("the queue name").annotations({ default: "department_name" }),
  requester: OptionalField("the requester (a name or an email)").annotations({ default: "requester" }),
  assignee: OptionalField("the assignee (a name or an email)").annotations({ default: "assignee" }),
  tags: OptionalField("the tags (codec split for \"a,b\", list for arrays)").annotations({ default: "tags" }),
  customFields: OptionalField("an object of custom fields").annotations({ default: "custom_fields" }),
  createdAt: Field.annotations({ description: "when the ticket was created (ISO 8601 or epoch ms unless a codec says)", default: "created" }),
  updatedAt: Field.annotations({ description: "when the ticket was last changed (also the codec of params.updatedSince)", default: "modified" })
}).annotations({ description: "where each ticket field is in the system's JSON" })

/**
 * Where each note field is in the system's JSON.
 *
 * @since 0.1.0
 * @category configuration
 */
export const NoteFields = Schema.Struct({
  id: OptionalField("the note id").annotations({ default: "id" }),
  body: Field.annotations({ description: "the note's text (codec html for HTML bodies)", default: "content" }),
  visibility: OptionalField("the visibility, mapped through visibility (every note then has the one visibility the system has)").annotations({
    default: "type"
  }),
  contentType: OptionalField("text/plain or text/html").annotations({ default: "content_type" }),
  timestamp: OptionalField("sent with a new note: the client's time").annotations({ default: "timestamp" }),
  createdAt: OptionalField("when the note was added").annotations({ default: "created" }),
  author: OptionalField("the author's name").annotations({ default: "author" })
}).annotations({ description: "where each note field is in the system's JSON" })

/**
 * Criteria written into one query parameter in the system's own search syntax: each criterion's
 * fragment (`status:{value}`) once per value, the values joined by `valuesJoin`, the criteria by
 * `join`, all put in `template` at `{filters}`. A criterion without a fragment uses its own
 * parameter (`params.state` …). A status or priority filter that covers every mapped value is left
 * out (it matches every ticket).
 *
 * @since 0.1.0
 * @category configuration
 */
export const QueryTemplate = Schema.Struct({
  param: FieldPath.annotations({ description: "the query parameter", examples: ["query", "q"] }),
  template: Schema.String.pipe(Schema.includes("{filters}", { message: () => "a query template must contain {filters}" })).annotations({
    description: "the parameter's value; {filters} is replaced by the criteria's fragments (and {name} by variables)",
    examples: ["type:ticket {filters}", "repo:{owner}/{repo} is:issue {filters}"]
  }),
  join: Schema.optional(Schema.String.annotations({ description: "between the fragments of different criteria (default \" \")", examples: [" AND "] })),
  valuesJoin: Schema.optional(Schema.String.annotations({ description: "between the fragments of several values of one criterion (default \" \")", examples: [" OR "] })),
  state: Schema.optional(Schema.String.annotations({ description: "the fragment of one status value ({value})", examples: ["status:{value}"] })),
  priority: Schema.optional(Schema.String.annotations({ description: "the fragment of one priority value ({value})", examples: ["priority:{value}"] })),
  queueId: Schema.optional(Schema.String.annotations({ description: "the fragment of one queue id ({value})", examples: ["group_id:{value}"] })),
  updatedSince: Schema.optional(Schema.String.annotations({
    description: "the fragment of the changed-since time ({value}, in the codec of fields.updatedAt)",
    examples: ["updated>={value}"]
  })),
  text: Schema.optional(Schema.String.annotations({ description: "the fragment of the search text ({text})", examples: ["{text}"] }))
}).annotations({ identifier: "RestQueryTemplate", description: "criteria written into one query parameter in the system's search syntax" })

/**
 * Query parameter names of the list and search endpoints; `null` for filters the system lacks
 * (criteria that use them are then refused with a clear message).
 *
 * @since 0.1.0
 * @category configuration
 */
export const Params = Schema.Struct({
  state: Schema.NullOr(FieldPath).annotations({ description: "the status filter; null: none", default: "state" }),
  priority: Schema.NullOr(FieldPath).annotations({ description: "the priority filter; null: none", default: "priority" }),
  queueIds: Schema.NullOr(FieldPath).annotations({ description: "the queue id filter; null: none", default: "queue_ids" }),
  queueNames: Schema.NullOr(FieldPath).annotations({ description: "the queue name filter; null: none", default: "queue_names" }),
  updatedSince: Schema.NullOr(FieldPath).annotations({
    description: "the changed-since filter, written with the codec of fields.updatedAt; null: none",
    default: "updated_since"
  }),
  text: Schema.NullOr(FieldPath).annotations({ description: "the text query; null: no text search", default: "q" }),
  textTemplate: Schema.NullOr(Schema.String.pipe(Schema.includes("{text}", { message: () => "a text template must contain {text}" }))).annotations({
    description: "the text query's value around the text (e.g. \"type:ticket {text}\"); null: the text alone",
    default: null
  }),
  separator: Schema.String.annotations({ description: "how several values of one parameter are joined", default: "," }),
  constants: Schema.Record({ key: Schema.String, value: Schema.String }).annotations({
    description: "query parameters always sent to the list and search endpoints (a criterion's own parameter of the same name wins)",
    default: {},
    examples: [{ "filter[type]": "ticket" }]
  }),
  query: Schema.NullOr(QueryTemplate).annotations({
    description: "criteria written into one query parameter in the system's search syntax; null: each criterion in its own parameter",
    default: null
  }),
  clientSide: Schema.Array(Schema.Literal("state", "priority", "queue")).annotations({
    description: "criteria the system cannot filter by, applied by the adapter to every page it reads (each page is still read in full)",
    default: [],
    examples: [["state", "priority", "queue"]]
  })
}).annotations({ description: "query parameters of the list and search endpoints" })

/**
 * Where things are in the answers; `""` for a list or ticket that is the whole body.
 *
 * @since 0.1.0
 * @category configuration
 */
export const Responses = Schema.Struct({
  list: Schema.String.annotations({ description: "the tickets of a list answer", default: "tickets" }),
  search: Schema.String.annotations({ description: "the tickets of a search answer", default: "results" }),
  total: Schema.NullOr(Schema.String).annotations({ description: "the total count; null: not given", default: "total" }),
  nextCursor: Schema.NullOr(Schema.String).annotations({ description: "the next page's cursor (cursor pagination); null: not in the body", default: "next_cursor" }),
  ticket: Schema.String.annotations({ description: "the ticket of a get, create or update answer", default: "" }),
  notes: Schema.String.annotations({ description: "the notes of a notes answer", default: "notes" }),
  notesNext: Schema.NullOr(FieldPath).annotations({
    description: "where a notes answer has the URL of its next page (same origin only); null: a Link header's rel=\"next\" is followed, if any",
    default: null,
    examples: ["next_page"]
  }),
  errorMessage: Schema.Array(Schema.String).annotations({
    description: "where an error answer has the system's message (the first path found wins); empty: message, error, errors, detail or title",
    default: [],
    examples: [["error.description", "details"]]
  })
}).annotations({ description: "where things are in the answers" })

const Param = (description: string, fallback: string) => Schema.optional(FieldPath.annotations({ description: `${description} (default ${fallback})` }))

/**
 * How the list endpoint pages:
 *
 * - `offset`: `offset` and `limit` parameters
 * - `page`: page number and size parameters
 * - `cursor`: the next page's cursor from the body (`responses.nextCursor`) or a header
 *   (`cursorHeader`); `hasMore` stops the walk where the system says so
 * - `link`: RFC 8288 `Link` headers (`rel="next"`, same origin as the base URL only)
 * - `none`: one answer is the whole list
 *
 * @since 0.1.0
 * @category configuration
 */
export const Pagination = Schema.Union(
  Schema.Struct({
    style: Schema.Literal("offset"),
    offsetParam: Param("the offset parameter", "offset"),
    limitParam: Param("the page size parameter", "limit")
  }).annotations({ description: "offset and limit parameters" }),
  Schema.Struct({
    style: Schema.Literal("page"),
    pageParam: Param("the page number parameter", "page"),
    sizeParam: Param("the page size parameter", "per_page"),
    firstPage: Schema.optional(Schema.Int.annotations({ description: "the number of the first page (default 1)" }))
  }).annotations({ description: "page number and size parameters" }),
  Schema.Struct({
    style: Schema.Literal("cursor"),
    cursorParam: Param("the cursor parameter", "cursor"),
    sizeParam: Param("the page size parameter", "limit"),
    cursorHeader: Schema.optional(Schema.String.annotations({ description: "the response header with the next cursor (default: responses.nextCursor in the body)" })),
    hasMore: Schema.optional(FieldPath.annotations({ description: "a boolean in the body: false means the last page, whatever the cursor" }))
  }).annotations({ description: "an opaque cursor from the body or a header" }),
  Schema.Struct({
    style: Schema.Literal("link"),
    sizeParam: Param("the page size parameter of the first request", "per_page")
  }).annotations({ description: "RFC 8288 Link headers: rel=\"next\" is followed (same origin only)" }),
  Schema.Struct({
    style: Schema.Literal("none"),
    limitParam: Schema.optional(Schema.NullOr(FieldPath).annotations({ description: "a limit parameter, if any" }))
  }).annotations({ description: "no pages: one answer is the whole list" })
).annotations({ description: "how the list endpoint pages", default: { style: "offset" }, examples: [{ style: "cursor", cursorParam: "after", hasMore: "meta.has_more" }] })

/**
 * @since 0.1.0
 * @category configuration
 */
export type Pagination = typeof Pagination.Type

/**
 * A value of the system's own (a status, priority or visibility), as its JSON has it.
 *
 * @since 0.1.0
 * @category configuration
 */
export const RemoteValue = Schema.Union(Schema.String, Schema.Number, Schema.Boolean).annotations({
  description: "the system's value (a string, number or boolean)"
})

/** the placeholders the adapter fills itself */
const reservedVariables = new Set(["id", "text", "value", "filters", "values"])

const identityStates = { new: "new", open: "open", pending: "pending", resolved: "resolved", closed: "closed" } as const
const identityPriorities = { low: "low", normal: "normal", high: "high", urgent: "urgent" } as const

// -----------------------------------------------------------------------------
// options
// -----------------------------------------------------------------------------

/** the keys of the adapter itself (the transport's come from `HttpTransport.Options`) */
const ownFields = {
  endpoints: Endpoints,
  updateMethod: Schema.Literal("PUT", "PATCH").annotations({ description: "the method of endpoints.update given as a path", default: "PUT" }),
  fields: Fields,
  noteFields: NoteFields,
  params: Params,
  responses: Responses,
  pagination: Pagination,
  states: Schema.Record({ key: Schema.String, value: T.StateType }).annotations({
    description: "the system's status values → state categories (matched case-insensitively; the first of a category is written)",
    default: identityStates,
    examples: [{ New: "new", Open: "open", "On hold": "pending", Solved: "resolved", Closed: "closed" }]
  }),
  priorities: Schema.Record({ key: Schema.String, value: T.PriorityLevel }).annotations({
    description: "the system's priority values → levels (numbers as strings: \"1\": low; the field's codec says how they are written)",
    default: identityPriorities,
    examples: [{ "1": "low", "2": "normal", "3": "high", "4": "urgent" }]
  }),
  visibility: Schema.Struct({
    internal: Schema.NullOr(RemoteValue).annotations({ description: "the value of an internal note; null: the system has none" }),
    public: Schema.NullOr(RemoteValue).annotations({ description: "the value of a public note; null: the system has none" })
  }).annotations({
    description: "the system's values of note visibility (strings, numbers or booleans)",
    default: { internal: "internal", public: "public" },
    examples: [{ internal: false, public: true }]
  }),
  maxPageSize: Schema.Int.pipe(Schema.positive()).annotations({ description: "the most tickets one request may ask for", default: 100 }),
  idempotencyKeyHeader: Schema.NullOr(FieldPath).annotations({
    description: "the header through which the system honours idempotency keys on POSTs; null: it does not (notes are then checked before re-sending)",
    default: null,
    examples: ["Idempotency-Key"]
  }),
  capabilities: Schema.Struct({
    states: Schema.optional(Schema.Array(T.StateType).annotations({
      description: "the states a ticket can be put in through the API (default: every category of states)",
      examples: [["open", "pending", "resolved"]]
    })),
    priorities: Schema.optional(Schema.Array(T.PriorityLevel).annotations({
      description: "the priority levels a ticket can be set to (default: every level of priorities, none when fields.priority has no write side)",
      examples: [[]]
    }))
  }).annotations({
    description: "what the adapter claims where the maps say more than the system does (a status it shows but refuses to set)",
    default: {}
  }),
  variables: Schema.Record({
    key: Schema.String.pipe(Schema.pattern(/^[A-Za-z][A-Za-z0-9_]*$/), Schema.filter((k) => !reservedVariables.has(k) || `{${k}} is not a variable name`)),
    value: Schema.String.pipe(Schema.filter((v) => (v !== "" && v !== "." && v !== "..") || "a variable must not be empty, . or .."))
  }).annotations({
    description: "values put in for {name} in endpoint paths (as one path segment each), query templates and field defaults (a preset says which it needs)",
    default: {},
    examples: [{ owner: "octo-org", repo: "helpdesk" }]
  })
}

/** the defaults of the adapter's own keys: the reference guide's API */
export const defaults = {
  name: "rest",
  endpoints: {
    list: "/api/tickets",
    search: "/api/tickets/search",
    get: "/api/tickets/{id}",
    create: "/api/tickets",
    update: "/api/tickets/{id}",
    addNote: "/api/tickets/{id}/notes",
    listNotes: "/api/tickets/{id}/notes"
  },
  updateMethod: "PUT",
  fields: {
    id: "id",
    title: "subject",
    description: "body",
    state: "status",
    priority: "priority_level",
    queueId: "department_id",
    queueName: "department_name",
    requester: "requester",
    assignee: "assignee",
    tags: "tags",
    customFields: "custom_fields",
    createdAt: "created",
    updatedAt: "modified"
  },
  noteFields: {
    id: "id",
    body: "content",
    visibility: "type",
    contentType: "content_type",
    timestamp: "timestamp",
    createdAt: "created",
    author: "author"
  },
  params: {
    state: "state",
    priority: "priority",
    queueIds: "queue_ids",
    queueNames: "queue_names",
    updatedSince: "updated_since",
    text: "q",
    textTemplate: null,
    separator: ",",
    constants: {},
    query: null,
    clientSide: []
  },
  responses: { list: "tickets", search: "results", total: "total", nextCursor: "next_cursor", ticket: "", notes: "notes", notesNext: null, errorMessage: [] },
  pagination: { style: "offset" },
  states: identityStates,
  priorities: identityPriorities,
  visibility: { internal: "internal", public: "public" },
  maxPageSize: 100,
  idempotencyKeyHeader: null,
  capabilities: {},
  variables: {}
} as const

/** the kinds of value each field holds, for the codecs it accepts */
const timeCodecs = new Set(["iso", "epochSeconds", "epochMillis", "format"])
const scalarCodecs = new Set(["string", "number", "boolean"])
const textCodecs = new Set(["string", "html", "text"])
const listCodecs = new Set(["list", "split"])
const kinds = {
  fields: {
    id: scalarCodecs, title: textCodecs, description: textCodecs, state: scalarCodecs, priority: scalarCodecs, queueId: scalarCodecs,
    queueName: textCodecs, requester: textCodecs, assignee: textCodecs, tags: listCodecs, customFields: new Set<string>(),
    createdAt: timeCodecs, updatedAt: timeCodecs
  },
  noteFields: {
    id: scalarCodecs, body: textCodecs, visibility: scalarCodecs, contentType: new Set(["string"]), timestamp: timeCodecs,
    createdAt: timeCodecs, author: textCodecs
  }
} as const

const codecTag = (codec: Codec): string => (typeof codec === "string" ? codec : codec._tag)

/** the codecs of a field (its own, its sides') */
const codecsOf = (field: Field): ReadonlyArray<readonly [path: ReadonlyArray<string>, codec: Codec]> => {
  if (typeof field === "string") return []
  const found: Array<readonly [ReadonlyArray<string>, Codec]> = []
  if (field.codec !== undefined) found.push([["codec"], field.codec])
  for (const side of ["read", "write", "create"] as const) {
    const value = field[side]
    if (typeof value === "object" && value !== null && value.codec !== undefined) found.push([[side, "codec"], value.codec])
  }
  return found
}

/** the first codec given to a field that cannot hold it, or a declared format that cannot be used */
const codecProblem = (o: {
  readonly fields: typeof Fields.Type
  readonly noteFields: typeof NoteFields.Type
}): { readonly path: ReadonlyArray<string>; readonly message: string } | undefined => {
  for (const group of ["fields", "noteFields"] as const) {
    const accepted: Readonly<Record<string, ReadonlySet<string>>> = kinds[group]
    for (const [name, field] of Object.entries(o[group] as Record<string, Field | null>)) {
      if (field === null) continue
      for (const [at, codec] of codecsOf(field)) {
        const tag = codecTag(codec)
        const ok = accepted[name]!
        if (!ok.has(tag)) {
          return {
            path: [group, name, ...at],
            message: ok.size === 0
              ? `${group}.${name} takes no codec`
              : `${group}.${name} takes the codecs ${Array.from(ok).join(", ")}, not ${tag}`
          }
        }
        if (typeof codec !== "string" && codec._tag === "format") {
          const format = declaredFormat(codec.pattern, codec.timeZone)
          if (typeof format === "string") return { path: [group, name, ...at], message: format }
        }
      }
    }
  }
  return undefined
}

/** a placeholder left in an endpoint path: a variable the configuration does not give */
const unfilledPlaceholder = (o: { readonly endpoints: typeof Endpoints.Type }): { readonly path: ReadonlyArray<string>; readonly message: string } | undefined => {
  for (const [key, endpoint] of Object.entries(o.endpoints)) {
    if (endpoint === null) continue
    const path = typeof endpoint === "string" ? endpoint : endpoint.path
    const left = Array.from(path.matchAll(/\{([^}]*)\}/g), (m) => m[1]!).find((name) => name !== "id")
    if (left !== undefined) return { path: ["endpoints", key], message: `endpoints.${key} has {${left}}, which no variable gives: add variables.${left}` }
  }
  return undefined
}

/** the fields that may have a default: scalars and texts of a ticket */
const defaultable = new Set(["title", "description", "state", "priority", "queueId", "queueName", "requester", "assignee"])

/** a default given to a field that cannot have one */
const defaultProblem = (o: {
  readonly fields: typeof Fields.Type
  readonly noteFields: typeof NoteFields.Type
}): { readonly path: ReadonlyArray<string>; readonly message: string } | undefined => {
  for (const group of ["fields", "noteFields"] as const) {
    for (const [name, field] of Object.entries(o[group] as Record<string, Field | null>)) {
      if (typeof field === "object" && field !== null && field.default !== undefined && (group === "noteFields" || !defaultable.has(name))) {
        return { path: [group, name, "default"], message: `${group}.${name} takes no default (only ${Array.from(defaultable).join(", ")} of fields do)` }
      }
    }
  }
  return undefined
}

/** the fields every ticket and note has: each needs a read side */
const mustRead = { fields: ["id", "title", "state", "priority", "createdAt", "updatedAt"], noteFields: ["body"] } as const

/** a field every ticket needs that the configuration never reads */
const unreadable = (o: {
  readonly fields: typeof Fields.Type
  readonly noteFields: typeof NoteFields.Type
}): { readonly path: ReadonlyArray<string>; readonly message: string } | undefined => {
  for (const group of ["fields", "noteFields"] as const) {
    for (const name of mustRead[group]) {
      const field = (o[group] as Record<string, Field>)[name]!
      if (typeof field === "object" && field.default === undefined && (field.read === null || (field.read === undefined && field.path === undefined))) {
        return { path: [group, name], message: `${group}.${name} must be read: give path or read (or a default)` }
      }
    }
  }
  return undefined
}

/** the options with every key present (after the defaults and the preset were merged) */
export const Complete = Schema.Struct({
  name: Schema.String.annotations({ description: "the system's name in errors, logs and spans", default: "rest" }),
  ...HttpTransport.Options.fields,
  ...ownFields
}).pipe(
  Schema.filter((o) => Object.keys(o.states).length > 0 || { path: ["states"], message: "at least one status must be mapped" }),
  Schema.filter((o) => Object.keys(o.priorities).length > 0 || { path: ["priorities"], message: "at least one priority must be mapped" }),
  Schema.filter((o) => o.fields.queueId !== null || o.fields.queueName !== null || { path: ["fields"], message: "queueId and queueName cannot both be null" }),
  Schema.filter((o) =>
    o.visibility.internal !== null || o.visibility.public !== null ||
    { path: ["visibility"], message: "internal and public cannot both be null" }
  ),
  Schema.filter((o) => unreadable(o) ?? defaultProblem(o) ?? unfilledPlaceholder(o) ?? codecProblem(o) ?? true)
)

/** a property of the transport's options as an optional input key (no default applied) */
const optionalInput = (property: Schema.Schema.All | Schema.PropertySignature.All): Schema.PropertySignature.Any => {
  if (Schema.isPropertySignature(property)) {
    const ast = property.ast
    const type = ast._tag === "PropertySignatureTransformation" ? ast.from.type : ast.type
    // an optional key's type is `T | undefined`: the key is optional, its value is T
    const defined = AST.isUnion(type) ? AST.Union.make(type.types.filter((t) => !AST.isUndefinedKeyword(t)), type.annotations) : type
    return Schema.optionalWith(Schema.make(defined), { exact: true })
  }
  return Schema.optionalWith(property as Schema.Schema.Any, { exact: true })
}

const transportInput = Object.fromEntries(
  Object.entries(HttpTransport.Options.fields).map(([key, property]) => [key, optionalInput(property)])
) as { readonly [K in keyof typeof HttpTransport.Options.fields]: Schema.PropertySignature<"?:", Exclude<typeof HttpTransport.Options.Type[K], undefined>, never, "?:", Exclude<typeof HttpTransport.Options.Encoded[K], undefined>, false, never> }

const opt = <S extends Schema.Schema.Any>(schema: S) => Schema.optionalWith(schema, { exact: true })

export const Input = Schema.Struct({
  name: opt(Schema.String.annotations({ description: "the system's name in errors, logs and spans (default: the system's name in the configuration)" })),
  ...transportInput,
  endpoints: opt(Schema.partialWith(Endpoints, { exact: true })),
  updateMethod: opt(ownFields.updateMethod),
  fields: opt(Schema.partialWith(Fields, { exact: true })),
  noteFields: opt(Schema.partialWith(NoteFields, { exact: true })),
  params: opt(Schema.partialWith(Params, { exact: true })),
  responses: opt(Schema.partialWith(Responses, { exact: true })),
  pagination: opt(Pagination),
  states: opt(ownFields.states),
  priorities: opt(ownFields.priorities),
  visibility: opt(ownFields.visibility),
  maxPageSize: opt(ownFields.maxPageSize),
  idempotencyKeyHeader: opt(ownFields.idempotencyKeyHeader),
  capabilities: opt(ownFields.capabilities),
  variables: opt(ownFields.variables),
  preset: opt(Schema.String.annotations({
    description: "a named base configuration (see RestAdapter.presets) that the keys given here override, objects key by key; " +
      "a preset may need variables (github-issues: owner, repo)",
    examples: ["github-issues", "zendesk", "freshdesk"]
  }))
}).annotations({
  title: "REST adapter options",
  description: "a REST ticket system, described by configuration; every key has a default (the reference guide's API) but baseUrl"
})

/**
 * The input form of the configuration (as written in code or a config file).
 *
 * @since 0.1.0
 * @category configuration
 */
export type OptionsInput = typeof Input.Encoded
