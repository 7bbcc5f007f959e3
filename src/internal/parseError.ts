/**
 * The one reading of a `ParseError`: its issues, each with the path of the bad value, never
 * throwing (a value too deep or too large to show overflows effect's formatter), and one line of
 * them for messages.
 *
 * @internal
 */
import * as ParseResult from "effect/ParseResult"

/** one problem: where (a path of keys and indexes) and what */
export interface Issue {
  readonly path: ReadonlyArray<PropertyKey>
  readonly message: string
}

/** the issues of a parse error, one per bad value */
export const issues = (error: ParseResult.ParseError): ReadonlyArray<Issue> => {
  try {
    return ParseResult.ArrayFormatter.formatErrorSync(error)
  } catch {
    // a value too deep or too large to format (the stack overflowed): say what is known
    return [{ path: [], message: "a value does not match the expected shape (it is too large to show)" }]
  }
}

/**
 * The issues as one line, a problem per path: a union reports one issue per member for the same
 * path (an optional field adds "Expected undefined"), and the most telling member comes last
 * (ticketkit's schemas put it there). At most `max` problems, then how many more.
 */
export const format = (error: ParseResult.ParseError, max = Number.POSITIVE_INFINITY): string => {
  const byPath = new Map<string, string>()
  for (const issue of issues(error)) {
    const key = issue.path.join(".")
    if (byPath.has(key) && issue.message.startsWith("Expected undefined")) continue
    byPath.set(key, issue.message)
  }
  const lines = Array.from(byPath, ([path, message]) => (path !== "" ? `${path}: ${message}` : message))
  return lines.slice(0, max).join("; ") + (lines.length > max ? ` (and ${lines.length - max} more)` : "")
}

/** the path of the first bad value, if it has one */
export const firstPath = (error: ParseResult.ParseError): string | undefined => {
  const first = issues(error)[0]
  return first === undefined || first.path.length === 0 ? undefined : first.path.join(".")
}
