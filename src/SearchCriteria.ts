/**
 * Criteria for fetching tickets, checked before any request is made.
 *
 * All criteria combine with AND; a list criterion (states, queues, priorities) matches any of its
 * values. `text` matches title or description (how exactly is up to the system: substring, full
 * text). `limit` caps the number of tickets returned; `pageSize` and `cursor` address one page.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import { InvalidInputError } from "./AdapterError.js"
import * as ParseErrors from "./internal/parseError.js"
import { isWellFormed } from "./internal/text.js"
import { DateTimeFromIso, PriorityLevel, Ref, StateType } from "./Ticket.js"

const PositiveInt = (what: string) =>
  Schema.Number.pipe(
    Schema.int({ message: () => `${what} must be a whole number` }),
    Schema.positive({ message: () => `${what} must be at least 1` })
  )

/**
 * A point in time, given as a `DateTime`, a `Date` or an ISO 8601 string.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Since = Schema.Union(
  Schema.DateTimeUtcFromSelf,
  Schema.DateTimeUtcFromDate,
  DateTimeFromIso
).annotations({ message: () => "updatedSince must be a DateTime, a Date or an ISO 8601 date-time string" })

/**
 * Criteria for fetching tickets.
 *
 * @since 0.1.0
 * @category models
 */
export class SearchCriteria extends Schema.Class<SearchCriteria>("ticketkit/SearchCriteria")({
  /** tickets in any of these state categories */
  states: Schema.optional(Schema.Array(StateType)),
  /** tickets in any of these queues (by id or name) */
  queues: Schema.optional(Schema.Array(Ref)),
  /** tickets with any of these priority levels */
  priorities: Schema.optional(Schema.Array(PriorityLevel)),
  /** tickets changed at or after this time */
  updatedSince: Schema.optional(Since),
  /** tickets whose title or description contains this text */
  text: Schema.optional(
    Schema.String.pipe(
      Schema.filter((text) => text.trim() !== "", { message: () => "text must not be empty or only spaces (leave it out instead)" }),
      Schema.filter((text) => isWellFormed(text), { message: () => "text must be well-formed Unicode (it has a lone surrogate)" })
    )
  ),
  /** at most this many tickets in all */
  limit: Schema.optional(PositiveInt("limit")),
  /** tickets per request (capped by the system's maximum page size) */
  pageSize: Schema.optional(PositiveInt("pageSize")),
  /** where to start: the `next` cursor of a previous page */
  cursor: Schema.optional(Schema.String)
}) {}

/**
 * The input form of criteria: a plain object, as a caller writes it.
 *
 * @since 0.1.0
 * @category models
 */
export type SearchCriteriaInput = typeof SearchCriteria.Encoded

/**
 * One page of results.
 *
 * @since 0.1.0
 * @category models
 */
export interface Page<A> {
  readonly items: ReadonlyArray<A>
  /** the cursor of the next page; absent on the last page */
  readonly next?: string | undefined
  /** how many tickets match in all, when the system says */
  readonly total?: number | undefined
}

/**
 * Default number of tickets fetched by `fetchTickets` when no limit is given.
 *
 * @since 0.1.0
 * @category constants
 */
export const DEFAULT_LIMIT = 100

/**
 * Default page size for paging through results.
 *
 * @since 0.1.0
 * @category constants
 */
export const DEFAULT_PAGE_SIZE = 100

const decodeCriteria = Schema.decodeUnknown(SearchCriteria)

/**
 * Renders a parse error as one line per problem, each naming the path of the bad value.
 *
 * @since 0.1.0
 * @category utils
 */
export const formatParseError = (error: ParseResult.ParseError): string => ParseErrors.format(error)

/**
 * Checks criteria from a caller (or from untyped input such as a CLI or config file).
 *
 * @since 0.1.0
 * @category validation
 */
export const validate = (
  input: unknown,
  context: { readonly adapter: string; readonly operation: string }
): Effect.Effect<SearchCriteria, InvalidInputError> =>
  input instanceof SearchCriteria ? Effect.succeed(input) : decodeCriteria(input ?? {}, { onExcessProperty: "error" }).pipe(
    Effect.mapError((error) =>
      new InvalidInputError({ ...context, detail: `invalid search criteria: ${formatParseError(error)}` })
    )
  )

/**
 * The criteria keys of the reference guide (`StateType`, `QueueIDs`, `limit`), as loose input.
 *
 * @since 0.1.0
 * @category models
 */
export interface SeedCriteria {
  readonly StateType?: string | ReadonlyArray<string>
  readonly QueueIDs?: ReadonlyArray<string | number>
  readonly limit?: number
}

const seedStates: Record<string, StateType> = {
  "new": "new",
  "open": "open",
  "pending": "pending",
  "pending reminder": "pending",
  "pending auto": "pending",
  "resolved": "resolved",
  "closed": "closed",
  "removed": "closed",
  "merged": "closed"
}

/**
 * Translates the guide's loose criteria into typed input: `StateType` (case-insensitive; OTRS/Znuny
 * state types such as "pending reminder" and "merged" included) → `states`, `QueueIDs` → `queues` by
 * id, `limit` → `limit`. Unknown state types are kept as they are, so that validation names them.
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromSeed = (seed: SeedCriteria): SearchCriteriaInput => {
  const stateTypes = seed.StateType === undefined ? undefined :
    typeof seed.StateType === "string" ? [seed.StateType] : seed.StateType
  return {
    ...(stateTypes === undefined ? {} : {
      states: stateTypes.map((s) => seedStates[s.trim().toLowerCase()] ?? (s as StateType))
    }),
    ...(seed.QueueIDs === undefined ? {} : { queues: seed.QueueIDs.map((id) => ({ id: String(id) })) }),
    ...(seed.limit === undefined ? {} : { limit: seed.limit })
  }
}
