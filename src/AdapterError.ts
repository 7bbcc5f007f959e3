/**
 * The error family of every ticketkit adapter.
 *
 * Each error names the system (`adapter`, the name it was configured under) and the operation
 * that failed, and its message says what to do about it. Errors are `Schema.TaggedError`s: they can
 * be matched with `Effect.catchTag`, serialised, and never carry a secret.
 *
 * @since 0.1.0
 */
import * as Duration from "effect/Duration"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Predicate from "effect/Predicate"
import * as Schema from "effect/Schema"
import * as ParseErrors from "./internal/parseError.js"

/**
 * The operations of the port, as named in errors, spans and logs.
 *
 * @since 0.1.0
 * @category models
 */
export type Operation =
  | "fetchTickets"
  | "streamTickets"
  | "getTicket"
  | "createTicket"
  | "updateTicket"
  | "addNote"
  | "listNotes"
  | "searchTickets"
  | (string & {})

const common = {
  /** the system the error comes from (the adapter's configured name) */
  adapter: Schema.String,
  /** the port operation that failed */
  operation: Schema.String
}

/**
 * The system could not be reached: refused connection, DNS failure, reset socket.
 *
 * `requestSent` tells whether the request may have reached the system before the connection
 * failed; when it is `true` a write may have been applied.
 *
 * @since 0.1.0
 * @category errors
 */
export class ConnectionError extends Schema.TaggedError<ConnectionError>("ticketkit/ConnectionError")(
  "ConnectionError",
  {
    ...common,
    detail: Schema.String,
    requestSent: Schema.Boolean
  }
) {
  /**
   * @since 0.1.0
   */
  override get message(): string {
    return `${this.adapter}: ${this.operation} could not reach the ticket system (${this.detail}). ` +
      `Check that it is running and that the base URL configured for ${this.adapter} is right.`
  }
}

/**
 * The system did not answer in time.
 *
 * @since 0.1.0
 * @category errors
 */
export class TimeoutError extends Schema.TaggedError<TimeoutError>("ticketkit/TimeoutError")("TimeoutError", {
  ...common,
  timeoutMillis: Schema.Number
}) {
  /**
   * @since 0.1.0
   */
  override get message(): string {
    return `${this.adapter}: ${this.operation} timed out after ${Duration.format(this.timeoutMillis)}. ` +
      `The system may be overloaded; raise the timeout configured for ${this.adapter} if it is just slow.`
  }
}

/**
 * The system refused the credentials (HTTP 401 or 403).
 *
 * @since 0.1.0
 * @category errors
 */
export class AuthenticationError extends Schema.TaggedError<AuthenticationError>("ticketkit/AuthenticationError")(
  "AuthenticationError",
  {
    ...common,
    status: Schema.optional(Schema.Number)
  }
) {
  /**
   * @since 0.1.0
   */
  override get message(): string {
    const what = this.status === 403 ? "refused access (403)" : "refused the credentials" +
      (this.status === undefined ? "" : ` (${this.status})`)
    return `${this.adapter}: ${this.operation} failed: the system ${what}. ` +
      `Check the API key or token configured for ${this.adapter} and its permissions.`
  }
}

/**
 * The system asked us to slow down (HTTP 429). `retryAfterMillis` is what it asked for, if it said.
 *
 * @since 0.1.0
 * @category errors
 */
export class RateLimitError extends Schema.TaggedError<RateLimitError>("ticketkit/RateLimitError")(
  "RateLimitError",
  {
    ...common,
    retryAfterMillis: Schema.optional(Schema.Number)
  }
) {
  /**
   * The wait the system asked for, if any.
   *
   * @since 0.1.0
   */
  get retryAfter(): Option.Option<Duration.Duration> {
    return this.retryAfterMillis === undefined ? Option.none() : Option.some(Duration.millis(this.retryAfterMillis))
  }
  /**
   * @since 0.1.0
   */
  override get message(): string {
    const after = this.retryAfterMillis === undefined ? "" :
      ` and asked to retry after ${Duration.format(this.retryAfterMillis)}`
    return `${this.adapter}: ${this.operation} was rate limited by the system${after}. ` +
      `Lower the request rate (client-side rate limit, concurrency) for ${this.adapter}.`
  }
}

/**
 * The system failed on its side (HTTP 5xx). Usually passing.
 *
 * @since 0.1.0
 * @category errors
 */
export class ServerError extends Schema.TaggedError<ServerError>("ticketkit/ServerError")("ServerError", {
  ...common,
  status: Schema.Number,
  detail: Schema.optional(Schema.String)
}) {
  /**
   * @since 0.1.0
   */
  override get message(): string {
    return `${this.adapter}: ${this.operation} failed with a server error (${this.status})` +
      (this.detail ? `: ${this.detail}` : "") + `. It is usually passing; retry later.`
  }
}

/**
 * The addressed ticket does not exist (or is not visible to these credentials).
 *
 * @since 0.1.0
 * @category errors
 */
export class TicketNotFoundError extends Schema.TaggedError<TicketNotFoundError>("ticketkit/TicketNotFoundError")(
  "TicketNotFoundError",
  {
    ...common,
    ticketId: Schema.String
  }
) {
  /**
   * @since 0.1.0
   */
  override get message(): string {
    return `${this.adapter}: ${this.operation} failed: ticket ${JSON.stringify(this.ticketId)} was not found ` +
      `(or is not visible to the configured credentials).`
  }
}

/**
 * The system answered something that does not match what was expected: which field (`path`),
 * of which ticket (`ticketId`) when known, and why.
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidResponseError extends Schema.TaggedError<InvalidResponseError>(
  "ticketkit/InvalidResponseError"
)("InvalidResponseError", {
  ...common,
  detail: Schema.String,
  path: Schema.optional(Schema.String),
  ticketId: Schema.optional(Schema.String),
  status: Schema.optional(Schema.Number)
}) {
  /**
   * @since 0.1.0
   */
  override get message(): string {
    const where = [
      this.ticketId === undefined ? undefined : `ticket ${JSON.stringify(this.ticketId)}`,
      this.path === undefined || this.path === "" ? undefined : `field ${this.path}`
    ].filter(Predicate.isNotUndefined).join(", ")
    // one piece of advice: the detail's own where it gives one ("add it to the states map…")
    const advised = /(\badd it to\b|\bset the base url\b|\bcheck the\b|\bconfigure\b)/i.test(this.detail)
    return `${this.adapter}: ${this.operation} got an unexpected response${where ? ` (${where})` : ""}: ` +
      `${this.detail}${advised ? "" : `. Check that ${this.adapter} is the kind of system and version the adapter expects.`}`
  }
}

/**
 * Converts a failed decoding of a system's answer into an {@link InvalidResponseError} naming the
 * first bad field (`path`, e.g. `tickets.3.modified`) and summarising up to three problems.
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromParseError = (
  error: ParseResult.ParseError,
  context: {
    readonly adapter: string
    readonly operation: string
    readonly ticketId?: string | undefined
    readonly status?: number | undefined
  }
): InvalidResponseError => {
  const path = ParseErrors.firstPath(error)
  const detail = ParseErrors.format(error, 3)
  return new InvalidResponseError({
    adapter: context.adapter,
    operation: context.operation,
    detail,
    ...(path === undefined ? {} : { path }),
    ...(context.ticketId === undefined ? {} : { ticketId: context.ticketId }),
    ...(context.status === undefined ? {} : { status: context.status })
  })
}

/**
 * The system refused the request or change (HTTP 400/409/422, or an error reported inside a
 * successful answer): `reason` is the system's own message.
 *
 * @since 0.1.0
 * @category errors
 */
export class RequestRejectedError extends Schema.TaggedError<RequestRejectedError>(
  "ticketkit/RequestRejectedError"
)("RequestRejectedError", {
  ...common,
  reason: Schema.String,
  status: Schema.optional(Schema.Number),
  ticketId: Schema.optional(Schema.String)
}) {
  /**
   * @since 0.1.0
   */
  override get message(): string {
    const ticket = this.ticketId === undefined ? "" : ` for ticket ${JSON.stringify(this.ticketId)}`
    return `${this.adapter}: ${this.operation}${ticket} was rejected by the system: ${this.reason}`
  }
}

/**
 * The caller's input (criteria, update, note, ticket id) is invalid; no request was made.
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidInputError extends Schema.TaggedError<InvalidInputError>("ticketkit/InvalidInputError")(
  "InvalidInputError",
  {
    ...common,
    detail: Schema.String
  }
) {
  /**
   * @since 0.1.0
   */
  override get message(): string {
    return `${this.adapter}: invalid input to ${this.operation}: ${this.detail}`
  }
}

/**
 * An adapter's configuration is invalid (raised when its layer is built, before any request).
 *
 * @since 0.1.0
 * @category errors
 */
export class ConfigurationError extends Schema.TaggedError<ConfigurationError>("ticketkit/ConfigurationError")(
  "ConfigurationError",
  { adapter: Schema.String, detail: Schema.String }
) {
  /**
   * @since 0.1.0
   */
  override get message(): string {
    return `invalid configuration of the ${this.adapter} adapter: ${this.detail}`
  }
}

/**
 * Any error an adapter operation can fail with.
 *
 * @since 0.1.0
 * @category models
 */
export type AdapterError =
  | ConnectionError
  | TimeoutError
  | AuthenticationError
  | RateLimitError
  | ServerError
  | TicketNotFoundError
  | InvalidResponseError
  | RequestRejectedError
  | InvalidInputError

/**
 * The schema of the whole family (for serialising errors, e.g. in the CLI's `--json` output).
 *
 * @since 0.1.0
 * @category schemas
 */
export const AdapterError = Schema.Union(
  ConnectionError,
  TimeoutError,
  AuthenticationError,
  RateLimitError,
  ServerError,
  TicketNotFoundError,
  InvalidResponseError,
  RequestRejectedError,
  InvalidInputError
)

const tags: ReadonlySet<string> = new Set([
  "ConnectionError",
  "TimeoutError",
  "AuthenticationError",
  "RateLimitError",
  "ServerError",
  "TicketNotFoundError",
  "InvalidResponseError",
  "RequestRejectedError",
  "InvalidInputError"
])

/**
 * Is `u` one of the adapter errors?
 *
 * @since 0.1.0
 * @category guards
 */
export const isAdapterError = (u: unknown): u is AdapterError =>
  Predicate.hasProperty(u, "_tag") && typeof u._tag === "string" && tags.has(u._tag) &&
  Predicate.hasProperty(u, "adapter")

/**
 * Is the failure passing, so that the same request may succeed later? Connection failures,
 * timeouts, rate limits and server errors are; everything else (wrong credentials, unknown
 * ticket, rejected change, bad response) will fail the same way again.
 *
 * @since 0.1.0
 * @category guards
 */
export const isTransient = (error: AdapterError): boolean => {
  switch (error._tag) {
    case "ConnectionError":
    case "TimeoutError":
    case "RateLimitError":
    case "ServerError":
      return true
    default:
      return false
  }
}

/**
 * Can a request that is **not** idempotent (adding a note, creating a ticket) be sent again after
 * this error without risking a duplicate? Only when the system certainly did not act on it: a rate
 * limit answer, or a connection that failed before the request was sent. A timeout, a connection
 * dropped after sending, or any 5xx (503 included: a proxy answers 503 when the system behind it
 * was too slow, which may have acted) is ambiguous: the note or ticket may be stored already.
 *
 * @since 0.1.0
 * @category guards
 */
export const isSafeToResend = (error: AdapterError): boolean => {
  switch (error._tag) {
    case "RateLimitError":
      return true
    case "ConnectionError":
      return !error.requestSent
    default:
      return false
  }
}
