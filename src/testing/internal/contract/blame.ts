/**
 * Who broke which rule. A check states its expectations with {@link expect}; an unmet one is a
 * {@link Violation} naming the rule and the culprit. An adapter error a check did not expect is
 * blamed by its kind ({@link blameError}): errors of the system (a status, a timeout, a refused
 * connection or credentials) on the system, everything else — an answer the adapter could not
 * read, a cursor it did not honour, a change the system refused although the adapter claims it —
 * on the adapter.
 *
 * @internal
 */
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import type { AdapterError } from "../../../AdapterError.js"
import type { Culprit } from "./model.js"

/** the rules of the contract, as failures name them */
export const Rule = {
  readBack: "a ticket read back is the ticket listed",
  matches: "every ticket returned matches the criteria",
  paging: "pages neither repeat nor lose tickets",
  cursor: "a next cursor is honoured",
  limit: "limits are honoured",
  dates: "dates are plausible (1990 to a year ahead)",
  written: "a written field is read back as written",
  idempotent: "an update applied twice leaves the same values",
  visibility: "notes keep their visibility",
  content: "notes keep their content",
  noteOnce: "each note is stored once",
  notFound: "unknown ids give TicketNotFoundError",
  target: "an id cannot change the request target",
  invalidInput: "invalid input fails with InvalidInputError before any request",
  refused: "a refused change fails with RequestRejectedError and changes nothing",
  claims: "what the capabilities claim works",
  answers: "the adapter reads what the system answers",
  restored: "the checks' changes are put back",
  system: "the system answers"
} as const

/** an unmet expectation: the rule, who broke it, and what happened */
export class Violation extends Error {
  readonly culprit: Culprit
  readonly rule: string
  readonly detail: string
  constructor(culprit: Culprit, rule: string, detail: string) {
    super(describe(culprit, rule, detail))
    this.name = "ContractViolation"
    this.culprit = culprit
    this.rule = rule
    this.detail = detail
  }
}

const describe = (culprit: Culprit, rule: string, detail: string) =>
  culprit === "adapter"
    ? `the adapter broke the rule "${rule}": ${detail}`
    : `the system failed, not the adapter (rule "${rule}"): ${detail}`

/** throws a violation of the adapter unless the condition holds */
export function expect(condition: boolean, rule: string, detail: string | (() => string)): asserts condition {
  if (!condition) throw new Violation("adapter", rule, typeof detail === "string" ? detail : detail())
}

/** errors that come from the system (or the way to it), not from the adapter's mapping */
const systemTags: ReadonlySet<string> = new Set(["ConnectionError", "TimeoutError", "RateLimitError", "ServerError", "AuthenticationError"])

/** is an error the system's doing? */
export const isSystemError = (error: AdapterError): boolean => systemTags.has(error._tag)

/** the violation an adapter error stands for, where `doing` says what the check was doing */
export const blameError = (error: AdapterError, doing?: string): Violation => {
  const during = doing === undefined ? "" : ` while ${doing}`
  if (isSystemError(error)) return new Violation("system", Rule.system, `${error._tag}${during}: ${error.message}`)
  switch (error._tag) {
    case "InvalidResponseError":
      return /same page cursor/.test(error.detail)
        ? new Violation("adapter", Rule.cursor, `it returned a next cursor that it then did not honour (the page after it had the same cursor again)${during}: ${error.detail}`)
        : /implausible date/.test(error.detail)
        // the adapter refused a date it decoded (e.g. epoch seconds read as milliseconds): its unit or format is configured wrong
        ? new Violation("adapter", Rule.dates, `it read an implausible date${during}: ${error.message}`)
        : new Violation("adapter", Rule.answers, `it could not read the system's answer${during}: ${error.message}`)
    case "RequestRejectedError":
      return new Violation("adapter", Rule.claims, `the system refused (RequestRejectedError) what the adapter sent for a change its capabilities allow${during}: ${error.message}`)
    case "TicketNotFoundError":
      return new Violation("adapter", Rule.readBack, `a ticket it listed or created was not found${during}: ${error.message}`)
    default:
      return new Violation("adapter", Rule.claims, `${error._tag}${during}: ${error.message}`)
  }
}

/** runs an effect, turning its adapter error into the violation it stands for */
export const blamed = <A>(effect: Effect.Effect<A, AdapterError>, doing: string): Effect.Effect<A> =>
  Effect.catchAll(effect, (error) => Effect.die(blameError(error, doing)))

/**
 * Expects an effect to fail with one of the given errors. Success is the adapter's fault; another
 * error is the system's if it is one of the system's, else the adapter's.
 */
export const expectFailure = <A>(
  effect: Effect.Effect<A, AdapterError>,
  tags: ReadonlyArray<AdapterError["_tag"]>,
  what: string,
  rule: string
): Effect.Effect<void> =>
  Effect.flatMap(Effect.either(effect), (result) => {
    if (Either.isRight(result)) {
      return Effect.die(new Violation("adapter", rule, `${what}: expected ${tags.join(" or ")}, but it succeeded`))
    }
    const error = result.left
    if (tags.includes(error._tag)) return Effect.void
    return Effect.die(
      new Violation(isSystemError(error) ? "system" : "adapter", rule, `${what}: expected ${tags.join(" or ")}, got ${error._tag}: ${error.message}`)
    )
  })

const EARLIEST = DateTime.unsafeMake("1990-01-01T00:00:00Z")

/** why a date is not plausible (before 1990, more than a year ahead), or `undefined` */
export const implausible = (date: DateTime.Utc, now: DateTime.Utc): string | undefined => {
  if (DateTime.lessThan(date, EARLIEST)) {
    return `${DateTime.formatIso(date)} is before 1990 (a date read in the wrong unit, e.g. epoch seconds as milliseconds?)`
  }
  if (DateTime.greaterThan(date, DateTime.add(now, { days: 366 }))) {
    return `${DateTime.formatIso(date)} is more than a year ahead (a date read in the wrong unit, e.g. epoch milliseconds as seconds?)`
  }
  return undefined
}

/** text as compared for notes: tags dropped, entities of the common kind read, whitespace runs as one */
export const plainText = (text: string): string =>
  text
    .replace(/<[^>]*>/g, " ")
    .replace(/&nbsp;/g, " ")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, "\"")
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ")
    .trim()
