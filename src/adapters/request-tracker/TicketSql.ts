/**
 * TicketSQL (Request Tracker's query language), built safely from search criteria.
 *
 * Values from users (queue names, search text) only ever appear inside single-quoted literals,
 * escaped the way RT's parser (`RT::SQL`) unescapes them: a backslash before `\` and `'`. Field
 * names, operators and numbers are never taken from user input — `Field` is a closed union. So a
 * queue called `Support' OR 1=1 OR Queue = 'Sales` or a search text like `') OR (id > 0` stays one
 * literal and cannot change the query's meaning.
 *
 * RT reinterprets a few quoted values after parsing them, which escaping cannot prevent:
 *
 * - a value starting with `CF.` (any case) becomes a reference to a custom field column;
 * - `__CurrentUser__`, `__CurrentUserName__` (and `__Active__`, `__Inactive__`,
 *   `__Bookmarked__` for some fields) are placeholders.
 *
 * {@link contains} neutralises them (see there); {@link equals} refuses them, so that callers can
 * address such a queue by id instead ({@link isReinterpreted} tells them apart).
 *
 * **Text search and wildcards.** RT's `LIKE` wraps the value in `%…%` and offers no way to escape
 * `%` or `_` inside it. Those two characters therefore keep their SQL meaning in search text: `%`
 * matches any run of characters and `_` any single character. A search for `100%` also finds
 * "100 pages", a search for `a_b` also finds "axb". Such a search can only match *more* tickets
 * than the literal text would (never fewer, never other criteria). {@link hasWildcards} tells
 * such text apart and {@link containsLiteral} is the exact test to filter the results with again
 * (the adapter does so). Matching is case-insensitive.
 *
 * **Dates** are compared in the timezone RT interprets TicketSQL dates in — the RT user's
 * timezone, else RT's `$Timezone` — and to the second (RT stores whole seconds); `since` is
 * rounded down, so a ticket updated in the same second is never missed.
 *
 * @since 0.1.0
 */
import type * as Brand from "effect/Brand"
import * as DateTime from "effect/DateTime"
import * as Either from "effect/Either"
import type { PriorityLevel, StateType } from "../../Ticket.js"
import type { SearchCriteria } from "../../SearchCriteria.js"

/**
 * A TicketSQL expression.
 *
 * @since 0.1.0
 * @category models
 */
export type TicketSql = string & Brand.Brand<"ticketkit/TicketSql">

const sql = (s: string): TicketSql => s as TicketSql

/**
 * The fields queries are built on: ticket fields (TicketSQL) and transaction fields
 * (TransactionSQL, used to list notes and descriptions). Never user input.
 *
 * @since 0.1.0
 * @category models
 */
export type Field =
  | "id"
  | "Queue"
  | "Status"
  | "Priority"
  | "Subject"
  | "Content"
  | "LastUpdated"
  | "Created"
  | "ObjectType"
  | "ObjectId"
  | "Type"
  | "Field"

/**
 * The fields a text search can look in.
 *
 * @since 0.1.0
 * @category models
 */
export type TextField = "Subject" | "Content"

/**
 * Comparison operators.
 *
 * @since 0.1.0
 * @category models
 */
export type Comparison = "=" | "!=" | "<" | "<=" | ">" | ">="

/**
 * A query no ticket (or transaction) matches: ids start at 1.
 *
 * @since 0.1.0
 * @category constants
 */
export const nothing: TicketSql = sql("id = 0")

/**
 * A query every (visible, not deleted) ticket matches.
 *
 * @since 0.1.0
 * @category constants
 */
export const everything: TicketSql = sql("id > 0")

/**
 * Escapes a value for a single-quoted TicketSQL literal: `\` → `\\`, `'` → `\'`.
 *
 * @since 0.1.0
 * @category quoting
 */
export const escape = (value: string): string => value.replace(/[\\']/g, (c) => `\\${c}`)

/**
 * A single-quoted, escaped literal. Beware of the values RT reinterprets ({@link isReinterpreted}):
 * use {@link equals} or {@link contains}, which deal with them.
 *
 * @since 0.1.0
 * @category quoting
 */
export const literal = (value: string): TicketSql => sql(`'${escape(value)}'`)

/**
 * Does RT give this quoted value another meaning (a custom field reference such as `CF.{Foo}`, or
 * a placeholder such as `__CurrentUser__`)?
 *
 * @since 0.1.0
 * @category quoting
 */
export const isReinterpreted = (value: string): boolean => /^cf\./i.test(value) || /^__\w+__$/.test(value)

/**
 * `field op n` for a whole number.
 *
 * @since 0.1.0
 * @category constructors
 */
export const compareInt = (field: Field, op: Comparison, n: number): Either.Either<TicketSql, string> =>
  Number.isSafeInteger(n) ? Either.right(sql(`${field} ${op} ${n}`)) : Either.left(`${n} is not a whole number`)

/**
 * `field = 'value'`. Fails for a value RT would reinterpret (see {@link isReinterpreted}): no
 * quoting can make RT compare with it literally.
 *
 * @since 0.1.0
 * @category constructors
 */
export const equals = (field: Field, value: string): Either.Either<TicketSql, string> =>
  isReinterpreted(value)
    ? Either.left(`Request Tracker cannot compare ${field} with ${JSON.stringify(value)} literally`)
    : Either.right(sql(`${field} = ${literal(value)}`))

/**
 * `field LIKE '…text…'`: the field contains the text (case-insensitive; `%` and `_` stay
 * wildcards, see the module documentation). A text RT would reinterpret gets a leading `%`, which
 * changes nothing for `LIKE` (RT adds `%` on both sides anyway) but keeps it a plain string.
 *
 * @since 0.1.0
 * @category constructors
 */
export const contains = (field: TextField, text: string): TicketSql =>
  sql(`${field} LIKE ${literal(isReinterpreted(text) ? `%${text}` : text)}`)

/**
 * Does the text hold a character RT's `LIKE` takes as a wildcard (`%` any run, `_` any single
 * character)? A search for such text finds a superset of the tickets that contain it literally.
 *
 * @since 0.1.0
 * @category text
 */
export const hasWildcards = (text: string): boolean => /[%_]/.test(text)

/**
 * Does `value` contain `text` literally (`%` and `_` as themselves), compared case-insensitively
 * as RT's `LIKE` is? The exact test that RT's `LIKE` cannot make for wildcard characters.
 *
 * @since 0.1.0
 * @category text
 */
export const containsLiteral = (value: string, text: string): boolean => value.toLowerCase().includes(text.toLowerCase())

/**
 * `field op 'YYYY-MM-DD HH:MM:SS'`, the instant written in the given timezone and rounded down to
 * the second.
 *
 * @since 0.1.0
 * @category constructors
 */
export const compareDate = (
  field: "LastUpdated" | "Created",
  op: Comparison,
  instant: DateTime.DateTime,
  timeZone: DateTime.TimeZone
): TicketSql => sql(`${field} ${op} ${literal(formatDate(instant, timeZone))}`)

const pad = (n: number, width = 2) => String(n).padStart(width, "0")

/**
 * An instant as RT reads dates in TicketSQL: local time in the timezone, to the second.
 *
 * @since 0.1.0
 * @category utils
 */
export const formatDate = (instant: DateTime.DateTime, timeZone: DateTime.TimeZone): string => {
  const p = DateTime.toParts(DateTime.setZone(instant, timeZone))
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)} ${pad(p.hours)}:${pad(p.minutes)}:${pad(p.seconds)}`
}

/** does the expression combine conditions at its top level (outside quotes and parentheses)? */
const isCompound = (expression: string): boolean => {
  let depth = 0
  let quoted = false
  for (let i = 0; i < expression.length; i++) {
    const c = expression[i]
    if (quoted) {
      if (c === "\\") i++
      else if (c === "'") quoted = false
    } else if (c === "'") quoted = true
    else if (c === "(") depth++
    else if (c === ")") depth--
    else if (depth === 0 && (expression.startsWith(" AND ", i) || expression.startsWith(" OR ", i))) return true
  }
  return false
}

const group = (aggregator: "AND" | "OR", empty: TicketSql, parts: ReadonlyArray<TicketSql>): TicketSql =>
  parts.length === 0 ? empty : parts.length === 1 ? parts[0]! :
    sql(parts.map((p) => (isCompound(p) ? `(${p})` : p)).join(` ${aggregator} `))

/**
 * All of the conditions (every ticket when there are none).
 *
 * @since 0.1.0
 * @category combinators
 */
export const and = (parts: ReadonlyArray<TicketSql>): TicketSql => group("AND", everything, parts)

/**
 * Any of the conditions (no ticket when there are none).
 *
 * @since 0.1.0
 * @category combinators
 */
export const or = (parts: ReadonlyArray<TicketSql>): TicketSql => group("OR", nothing, parts)

// -----------------------------------------------------------------------------
// criteria
// -----------------------------------------------------------------------------

/**
 * How the adapter maps normal values onto RT's, as needed to search.
 *
 * @since 0.1.0
 * @category models
 */
export interface Mapping {
  /** the RT statuses in a state category */
  readonly statusesOf: (type: StateType) => ReadonlyArray<string>
  /** the priority values of a level: `from` inclusive, `to` exclusive, either open-ended */
  readonly priorityRange: (level: PriorityLevel) => { readonly from?: number | undefined; readonly to?: number | undefined }
  /** search message content too (`Content LIKE`, needs RT's full-text search enabled) */
  readonly contentSearch: boolean
  /** the timezone RT interprets TicketSQL dates in */
  readonly timeZone: DateTime.TimeZone
}

/**
 * A queue name that TicketSQL cannot compare with (see {@link isReinterpreted}): the caller should
 * look the queue up and search by its id.
 *
 * @since 0.1.0
 * @category models
 */
export interface UnaddressableQueue {
  readonly _tag: "UnaddressableQueue"
  readonly names: ReadonlyArray<string>
}

const queueCondition = (ref: { readonly id?: string | undefined; readonly name?: string | undefined }): Either.Either<TicketSql, string> => {
  // RT's Queue condition takes an id or a name (a name made of digits is taken as an id, as RT does)
  if (ref.id !== undefined) {
    return /^\d{1,15}$/.test(ref.id) ? compareInt("Queue", "=", Number(ref.id)) : equals("Queue", ref.id)
  }
  return equals("Queue", ref.name ?? "")
}

/**
 * Builds the TicketSQL of search criteria. Criteria combine with AND, the values of one criterion
 * with OR. Queues whose names RT would reinterpret are returned as {@link UnaddressableQueue}.
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromCriteria = (
  criteria: Pick<SearchCriteria, "states" | "queues" | "priorities" | "updatedSince" | "text">,
  mapping: Mapping
): Either.Either<TicketSql, UnaddressableQueue> => {
  const parts: Array<TicketSql> = []
  if (criteria.queues !== undefined) {
    const conditions = criteria.queues.map(queueCondition)
    const bad = criteria.queues.filter((_, i) => Either.isLeft(conditions[i]!)).map((q) => q.id ?? q.name ?? "")
    if (bad.length > 0) return Either.left({ _tag: "UnaddressableQueue", names: bad })
    parts.push(or(conditions.flatMap((c) => (Either.isRight(c) ? [c.right] : []))))
  }
  if (criteria.states !== undefined) {
    const statuses = Array.from(new Set(criteria.states.flatMap(mapping.statusesOf)))
    // statuses come from the configuration; one RT would reinterpret cannot be searched for
    parts.push(or(statuses.flatMap((status) => Either.getOrElse(Either.map(equals("Status", status), (c) => [c]), () => []))))
  }
  if (criteria.priorities !== undefined) {
    parts.push(or(criteria.priorities.map((level) => {
      const { from, to } = mapping.priorityRange(level)
      const bounds = [
        from === undefined ? undefined : compareInt("Priority", ">=", from),
        to === undefined ? undefined : compareInt("Priority", "<", to)
      ].flatMap((c) => (c !== undefined && Either.isRight(c) ? [c.right] : []))
      return and(bounds)
    })))
  }
  if (criteria.updatedSince !== undefined) {
    parts.push(compareDate("LastUpdated", ">=", criteria.updatedSince, mapping.timeZone))
  }
  if (criteria.text !== undefined) {
    parts.push(
      mapping.contentSearch
        ? or([contains("Subject", criteria.text), contains("Content", criteria.text)])
        : contains("Subject", criteria.text)
    )
  }
  return Either.right(and(parts))
}

// -----------------------------------------------------------------------------
// transactions
// -----------------------------------------------------------------------------

/**
 * The transaction types ticketkit reads: the ticket's creation (its description) and notes.
 *
 * @since 0.1.0
 * @category models
 */
export type TransactionType = "Create" | "Comment" | "Correspond"

/**
 * TransactionSQL for the transactions of some types on some tickets.
 *
 * @since 0.1.0
 * @category constructors
 */
export const ticketTransactions = (
  ticketIds: ReadonlyArray<number>,
  types: ReadonlyArray<TransactionType>
): TicketSql =>
  and([
    sql(`ObjectType = ${literal("RT::Ticket")}`),
    or(ticketIds.filter((id) => Number.isSafeInteger(id) && id > 0).map((id) => sql(`ObjectId = ${id}`))),
    or(types.map((type) => sql(`Type = ${literal(type)}`)))
  ])

/**
 * The ticket fields whose changes RT records as transactions with a `Field` (`Set`, `Status`,
 * `SetWatcher` for the owner).
 *
 * @since 0.1.0
 * @category models
 */
export type ChangedField = "Subject" | "Status" | "Priority" | "Queue" | "Owner"

/**
 * TransactionSQL for the changes of some fields of one ticket recorded at or after an instant
 * (to the second, rounded down, in the timezone RT reads dates in).
 *
 * @since 0.1.0
 * @category constructors
 */
export const fieldChanges = (
  ticketId: number,
  fields: ReadonlyArray<ChangedField>,
  since: DateTime.DateTime,
  timeZone: DateTime.TimeZone
): TicketSql =>
  Number.isSafeInteger(ticketId) && ticketId > 0
    ? and([
      sql(`ObjectType = ${literal("RT::Ticket")}`),
      sql(`ObjectId = ${ticketId}`),
      or(fields.map((field) => sql(`Field = ${literal(field)}`))),
      compareDate("Created", ">=", since, timeZone)
    ])
    : nothing
