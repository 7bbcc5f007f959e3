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

const expected = /^Expected (.+), actual (.+)$/s

/**
 * The issues grouped by path: a union's members each report an issue for the same path; where
 * they all say "Expected X, actual Y", one message lists every accepted value
 * (`Expected "PUT" | "PATCH", actual "patch"`).
 */
export const grouped = (error: ParseResult.ParseError): ReadonlyArray<Issue> => {
  const byPath = new Map<string, Array<Issue>>()
  for (const issue of issues(error)) {
    const key = issue.path.join(".")
    const list = byPath.get(key)
    if (list === undefined) byPath.set(key, [issue])
    else list.push(issue)
  }
  return Array.from(byPath.values(), (list) => {
    if (list.length === 1) return list[0]!
    const parts = list.map((issue) => expected.exec(issue.message))
    if (parts.every((m) => m !== null) && new Set(parts.map((m) => m![2])).size === 1) {
      const all = Array.from(new Set(parts.map((m) => m![1]!).filter((e) => e !== "undefined")))
      // a string given where a word is wanted: the words, not the object forms of the same union
      const words = all.filter((e) => e.startsWith("\""))
      const accepted = parts[0]![2]!.startsWith("\"") && words.length > 0 ? words : all
      return { path: list[0]!.path, message: `Expected ${accepted.join(" | ")}, actual ${parts[0]![2]}` }
    }
    return list.find((issue) => !issue.message.startsWith("Expected undefined")) ?? list[0]!
  })
}

/**
 * The issue with the longest path (the first of those): when a value may take a short form or an
 * object (`path` or `{ path, codec }`), the union's short-form member reports "Expected string"
 * for the whole object while the object's member names the key that is wrong — the more telling.
 */
export const deepest = (list: ReadonlyArray<Issue>): Issue | undefined =>
  list.reduce<Issue | undefined>((best, issue) => best === undefined || issue.path.length > best.path.length ? issue : best, undefined)
