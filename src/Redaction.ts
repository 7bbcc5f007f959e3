/**
 * One scrubber for every text that leaves ticketkit: error messages, log lines, span attributes and
 * command-line output.
 *
 * A ticket system may echo a credential back in any field of an answer, and not always as it was
 * sent: lowercased, percent-encoded, HTML-escaped (`&#x61;`), JSON-escaped (`\u0061`), or in
 * base64 (basic auth). A {@link Scrubber} knows every configured secret and finds it in all of those
 * spellings, mixed character by character and in any letter case, and replaces it with
 * `<redacted>`.
 *
 * Secrets shorter than {@link MIN_SECRET_LENGTH} characters are not looked for: scrubbing them
 * would blank ordinary words. Configure real credentials.
 *
 * @example
 * ```ts
 * import { Redacted } from "effect"
 * import { Redaction } from "ticketkit"
 *
 * const scrubber = Redaction.make([Redacted.make("s3cret-token")])
 * scrubber.scrub("unknown status S3CRET%2Dtoken") // "unknown status <redacted>"
 * ```
 *
 * @since 0.1.0
 */
import * as FiberRef from "effect/FiberRef"
import { globalValue } from "effect/GlobalValue"
import * as Redacted from "effect/Redacted"

/**
 * The replacement of a secret in text.
 *
 * @since 0.1.0
 * @category constants
 */
export const REDACTED = "<redacted>"

/**
 * Secrets shorter than this are not scrubbed (they would match ordinary text).
 *
 * @since 0.1.0
 * @category constants
 */
export const MIN_SECRET_LENGTH = 4

/**
 * Further secrets every transport built in this scope scrubs, besides its own credentials: a
 * configuration file sets it to every value it read from the environment, wherever that value was
 * placed (a base URL, a system name), while it builds a system's layer.
 *
 * @since 0.1.0
 * @category fiber refs
 */
export const currentSecrets: FiberRef.FiberRef<ReadonlyArray<string>> = globalValue(
  Symbol.for("ticketkit/Redaction/currentSecrets"),
  () => FiberRef.unsafeMake<ReadonlyArray<string>>([])
)

/**
 * Replaces every configured secret, in its common encodings, with `<redacted>`.
 *
 * @since 0.1.0
 * @category models
 */
export interface Scrubber {
  /** the text with every secret replaced */
  readonly scrub: (text: string) => string
  /** the plain secrets it knows (never print them) */
  readonly secrets: ReadonlyArray<string>
}

const escapeRegExp = (s: string) => s.replace(/[\\^$.*+?()[\]{}|/]/g, "\\$&")

const namedEntities: Readonly<Record<string, ReadonlyArray<string>>> = {
  "&": ["&amp;"],
  "<": ["&lt;"],
  ">": ["&gt;"],
  "\"": ["&quot;"],
  "'": ["&apos;"]
}

const utf8 = new TextEncoder()

/** every spelling of one character the scrubber recognises, as a regular expression */
const characterPattern = (char: string): string => {
  const code = char.codePointAt(0)!
  const hex = code.toString(16)
  const alternatives = [
    escapeRegExp(char),
    // HTML numeric references, with optional leading zeros
    `&#0*${code};`,
    `&#x0*${hex};`,
    // percent-encoding of the UTF-8 bytes
    Array.from(utf8.encode(char), (byte) => `%${byte.toString(16).padStart(2, "0")}`).join(""),
    ...(namedEntities[char] ?? []).map(escapeRegExp)
  ]
  // JSON's \uXXXX (surrogate pairs for characters beyond the BMP), also escaped again (\\uXXXX)
  alternatives.push(
    Array.from(char, (unit) => `\\\\+u${unit.charCodeAt(0).toString(16).padStart(4, "0")}`).join("")
  )
  if (char === " ") alternatives.push("\\+")
  if (char === "/") alternatives.push("\\\\+/")
  if (char === "\"" || char === "\\") alternatives.push(`\\\\+${escapeRegExp(char)}`)
  return `(?:${alternatives.join("|")})`
}

/** a pattern matching the secret in any of its spellings */
const secretPattern = (secret: string): string => Array.from(secret, characterPattern).join("")

const base64 = (s: string) => Buffer.from(s, "utf8").toString("base64")

const plain = (secret: string | Redacted.Redacted<string>): string => (Redacted.isRedacted(secret) ? Redacted.value(secret) : secret)

/**
 * A scrubber for these secrets. Each is also looked for in base64, and as its long words (an
 * `Authorization: token 1-14-abc…` value may come back without its scheme).
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (secrets: Iterable<string | Redacted.Redacted<string>>): Scrubber => {
  const known = new Set<string>()
  for (const secret of secrets) {
    const value = plain(secret)
    if (value.length < MIN_SECRET_LENGTH) continue
    known.add(value)
    for (const word of value.split(/\s+/)) if (word.length >= 8) known.add(word)
  }
  if (known.size === 0) return empty
  const spellings = new Set<string>()
  for (const secret of known) {
    spellings.add(secret)
    spellings.add(base64(secret))
  }
  // the longest first, so that a secret containing another is replaced whole
  const sorted = Array.from(spellings).sort((a, b) => b.length - a.length)
  const pattern = new RegExp(sorted.map(secretPattern).join("|"), "giu")
  const list = Array.from(known)
  return {
    secrets: list,
    scrub: (text) => {
      if (text.length < MIN_SECRET_LENGTH) return text
      pattern.lastIndex = 0
      return text.replace(pattern, REDACTED)
    }
  }
}

/**
 * The scrubber that knows no secret.
 *
 * @since 0.1.0
 * @category constructors
 */
export const empty: Scrubber = { secrets: [], scrub: (text) => text }

/**
 * A scrubber that knows the secrets of both.
 *
 * @since 0.1.0
 * @category combinators
 */
export const combine = (self: Scrubber, that: Scrubber): Scrubber =>
  self.secrets.length === 0 ? that : that.secrets.length === 0 ? self : make([...self.secrets, ...that.secrets])

/**
 * Caps a text quoted from a system at `max` characters (default 500), after scrubbing it, so that a
 * cut never leaves the first characters of a secret.
 *
 * @since 0.1.0
 * @category utils
 */
export const cap = (text: string, max = 500): string => {
  if (text.length <= max) return text
  // never cut a surrogate pair in half
  let end = max
  const code = text.charCodeAt(end - 1)
  if (code >= 0xd800 && code <= 0xdbff) end--
  return `${text.slice(0, end)}… (${text.length - end} more characters)`
}

/**
 * A copy of an error (or any object with string fields) whose string fields are scrubbed (and
 * capped at `max` characters, when given); the same object when nothing changed. Works for the `Schema.TaggedError`s of the error family.
 *
 * @since 0.1.0
 * @category utils
 */
export const scrubFields = <E>(scrubber: Scrubber, error: E, options: { readonly max?: number } = {}): E => {
  const max = options.max ?? Number.POSITIVE_INFINITY
  if ((scrubber.secrets.length === 0 && max === Number.POSITIVE_INFINITY) || typeof error !== "object" || error === null) return error
  let changed: Record<string, string> | undefined
  for (const [key, value] of Object.entries(error)) {
    if (typeof value !== "string") continue
    const scrubbed = cap(scrubber.scrub(value), max)
    if (scrubbed !== value) (changed ??= {})[key] = scrubbed
  }
  return changed === undefined ? error : withFields(error, changed)
}

/**
 * A copy of an error with some fields replaced, keeping its class (and so its `message` getter,
 * its tag and `instanceof`).
 *
 * @since 0.1.0
 * @category utils
 */
export const withFields = <E>(error: E, fields: Readonly<Record<string, unknown>>): E => {
  const copy = Object.create(Object.getPrototypeOf(error)) as Record<string, unknown>
  for (const key of Object.getOwnPropertyNames(error)) {
    Object.defineProperty(copy, key, Object.getOwnPropertyDescriptor(error, key)!)
  }
  for (const [key, value] of Object.entries(fields)) {
    Object.defineProperty(copy, key, { value, enumerable: true, writable: true, configurable: true })
  }
  // the stack's first line repeats the message as it was when the error was made
  const stack = copy.stack
  if (typeof stack === "string") {
    const frames = stack.indexOf("\n    at ")
    Object.defineProperty(copy, "stack", {
      value: `${String(copy.name)}: ${String(copy.message)}${frames < 0 ? "" : stack.slice(frames)}`,
      enumerable: false,
      writable: true,
      configurable: true
    })
  }
  return copy as E
}
