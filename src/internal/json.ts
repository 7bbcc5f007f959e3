/**
 * JSON from a system, read defensively: nesting is bounded (a 100,000-deep array overflows the
 * stack of whatever walks it later: an error formatter, `JSON.stringify`), and integers beyond
 * 2^53 are kept exactly, as strings, instead of being rounded by `JSON.parse` (an id rounded is
 * another ticket's id).
 *
 * One scan over the text finds both; it skips string contents with `indexOf`, so it costs about a
 * third of `JSON.parse` itself, and only a body that needs it is rewritten.
 *
 * @internal
 */

/** the deepest nesting of arrays and objects accepted in an answer */
export const MAX_DEPTH = 256

/** the outcome of reading a JSON text */
export type Parsed =
  | { readonly _tag: "Ok"; readonly value: unknown }
  | { readonly _tag: "Error"; readonly detail: string }

const QUOTE = 34
const BACKSLASH = 92

/** the index of the quote that closes the string opened at `start`, or -1 */
const stringEnd = (text: string, start: number): number => {
  let end = text.indexOf("\"", start + 1)
  while (end > 0) {
    let backslashes = 0
    for (let k = end - 1; text.charCodeAt(k) === BACKSLASH; k--) backslashes++
    if ((backslashes & 1) === 0) return end
    end = text.indexOf("\"", end + 1)
  }
  return -1
}

/** too deep, or has a run of 16+ digits outside strings (a possibly unsafe integer) */
const scan = (text: string): "ok" | "deep" | "digits" => {
  let depth = 0
  let digits = 0
  let longDigits = false
  const length = text.length
  for (let i = 0; i < length; i++) {
    const c = text.charCodeAt(i)
    if (c === QUOTE) {
      const end = stringEnd(text, i)
      if (end < 0) return "ok" // unterminated: JSON.parse reports it
      i = end
      digits = 0
    } else if (c >= 48 && c <= 57) {
      if (++digits >= 16) longDigits = true
    } else {
      digits = 0
      if (c === 91 || c === 123) {
        if (++depth > MAX_DEPTH) return "deep"
      } else if (c === 93 || c === 125) {
        depth--
      }
    }
  }
  return longDigits ? "digits" : "ok"
}

const numberToken = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y

/** the text with every integer literal beyond ±(2^53 − 1) outside strings turned into a string */
const quoteUnsafeIntegers = (text: string): string => {
  let out = ""
  let copied = 0
  const length = text.length
  for (let i = 0; i < length; i++) {
    const c = text.charCodeAt(i)
    if (c === QUOTE) {
      const end = stringEnd(text, i)
      if (end < 0) break
      i = end
    } else if (c === 45 || (c >= 48 && c <= 57)) {
      numberToken.lastIndex = i
      const match = numberToken.exec(text)
      if (match === null) continue
      const token = match[0]
      if (/^-?\d+$/.test(token) && !Number.isSafeInteger(Number(token))) {
        out += `${text.slice(copied, i)}"${token}"`
        copied = i + token.length
      }
      i += token.length - 1
    }
  }
  return copied === 0 ? text : out + text.slice(copied)
}

/** where `JSON.parse` stopped, without quoting the text (it may hold a secret) */
const positionOf = (error: unknown): string => {
  const message = error instanceof Error ? error.message : ""
  const at = /position (\d+)/.exec(message)
  if (at !== null) return ` at position ${at[1]}`
  return /end of JSON input|Unterminated/i.test(message) ? " (it ends too early)" : ""
}

/**
 * Parses a system's JSON text. Never throws; the error's detail quotes nothing of the text.
 *
 * @internal
 */
export const parse = (text: string): Parsed => {
  const found = scan(text)
  if (found === "deep") {
    return { _tag: "Error", detail: `the body nests arrays or objects more than ${MAX_DEPTH} levels deep` }
  }
  try {
    return { _tag: "Ok", value: JSON.parse(found === "digits" ? quoteUnsafeIntegers(text) : text) }
  } catch (error) {
    return { _tag: "Error", detail: `the body is not valid JSON${positionOf(error)}` }
  }
}
