/**
 * The transport's pure helpers (re-exported by `HttpTransport`): URL redaction, path segments,
 * `Retry-After`, a system's own message from an error body.
 *
 * @internal
 */
import * as Headers from "@effect/platform/Headers"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Redaction from "../../Redaction.js"
import { isWellFormed } from "../text.js"
import type { Auth } from "./options.js"

// -----------------------------------------------------------------------------
// redaction
// -----------------------------------------------------------------------------

/**
 * Query parameter names whose values are always redacted.
 *
 * @since 0.1.0
 * @category constants
 */
export const secretParams: ReadonlyArray<string> = [
  "key", "api_key", "apikey", "api-key", "token", "access_token", "auth", "password", "pass", "secret", "sig", "signature",
  "sessionid", "session_id", "session"
]

/**
 * A URL as it may be shown: user info and secret query parameters replaced by `<redacted>`.
 *
 * @since 0.1.0
 * @category redaction
 */
export const redactUrl = (input: string | URL): string => {
  let url: URL
  try {
    url = new URL(String(input))
  } catch {
    return "<invalid url>"
  }
  if (url.username !== "") url.username = "redacted"
  if (url.password !== "") url.password = "redacted"
  for (const name of Array.from(url.searchParams.keys())) {
    if (secretParams.includes(name.toLowerCase())) url.searchParams.set(name, "<redacted>")
  }
  return url.toString()
}

/**
 * The secret values of an auth configuration (for the scrubber).
 *
 * @internal
 */
export const secretValues = (auth: Auth): ReadonlyArray<string> => {
  switch (auth._tag) {
    case "bearer":
      return [Redacted.value(auth.token)]
    case "basic": {
      const password = Redacted.value(auth.password)
      return [password, Buffer.from(`${auth.username}:${password}`).toString("base64")]
    }
    case "api-key":
      return [Redacted.value(auth.key)]
    case "header": {
      // "token 1-14-abc…": a server may echo the bare token, so its long words are secrets too
      const value = Redacted.value(auth.value)
      return [value, ...value.split(/\s+/).filter((word) => word.length >= 8 && word !== value)]
    }
    case "none":
      return []
  }
}

// -----------------------------------------------------------------------------
// paths
// -----------------------------------------------------------------------------

/**
 * Encodes a value as exactly one path segment, or `undefined` when no encoding can keep it one
 * (`.` and `..`, in any percent-encoded spelling, are resolved away by URL parsers).
 *
 * @since 0.1.0
 * @category paths
 */
export const encodeSegment = (value: string): string | undefined => {
  if (value === "" || !isWellFormed(value)) return undefined
  const decodedDots = value.replace(/%2e/gi, ".")
  if (decodedDots === "." || decodedDots === "..") return undefined
  return encodeURIComponent(value)
}

/**
 * Expands a path template such as `/api/tickets/{id}/notes`, each value becoming one encoded
 * segment. `undefined` when a value cannot be a segment or a placeholder has no value.
 *
 * @since 0.1.0
 * @category paths
 */
export const expandPath = (template: string, values: Readonly<Record<string, string>> = {}): string | undefined => {
  let failed = false
  const path = template.replace(/\{([A-Za-z0-9_]+)\}/g, (_, key: string) => {
    const value = values[key]
    const encoded = value === undefined ? undefined : encodeSegment(value)
    if (encoded === undefined) failed = true
    return encoded ?? ""
  })
  return failed ? undefined : path
}

// -----------------------------------------------------------------------------
// responses
// -----------------------------------------------------------------------------

/**
 * Parses a `Retry-After` value (delay in seconds, or an HTTP-date) into milliseconds from `now`.
 *
 * @since 0.1.0
 * @category parsing
 */
export const parseRetryAfter = (value: string | undefined, nowMillis: number): number | undefined => {
  if (value === undefined) return undefined
  const trimmed = value.trim()
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000)
  if (!/[a-z]/i.test(trimmed)) return undefined
  const date = Date.parse(trimmed)
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMillis)
}

/**
 * The wait a rate-limited answer asks for: `Retry-After`, else the common `RateLimit-Reset` /
 * `X-RateLimit-Reset` headers (seconds from now, or an epoch time in seconds).
 *
 * @since 0.1.0
 * @category parsing
 */
export const retryAfterOf = (headers: Headers.Headers, nowMillis: number): number | undefined => {
  const retryAfter = parseRetryAfter(Option.getOrUndefined(Headers.get(headers, "retry-after")), nowMillis)
  if (retryAfter !== undefined) return retryAfter
  const reset = Option.getOrUndefined(Option.orElse(Headers.get(headers, "ratelimit-reset"), () => Headers.get(headers, "x-ratelimit-reset")))
  if (reset === undefined || !/^\d+(\.\d+)?$/.test(reset.trim())) return undefined
  const n = Number(reset)
  // large values are epoch seconds, small ones a delay
  return n > 1_000_000_000 ? Math.max(0, n * 1000 - nowMillis) : Math.round(n * 1000)
}

const decoder = new TextDecoder()


/**
 * The system's own message from an error body: `message`, `error`, `errors`, `detail` or
 * `title` of a JSON body, else the start of the text.
 *
 * @since 0.1.0
 * @category parsing
 */
export const systemMessage = (body: Uint8Array, status: number, scrub: (text: string) => string = (t) => t): string => {
  const text = decoder.decode(body).trim()
  if (text === "") return `HTTP ${status} with an empty body`
  try {
    const json: unknown = JSON.parse(text)
    const pick = (value: unknown): string | undefined => {
      if (typeof value === "string" && value !== "") return value
      if (Array.isArray(value)) {
        const parts = value.map(pick).filter((s): s is string => s !== undefined)
        return parts.length > 0 ? parts.join("; ") : undefined
      }
      if (typeof value === "object" && value !== null) {
        const o = value as Record<string, unknown>
        return pick(o.message) ?? pick(o.error) ?? pick(o.errors) ?? pick(o.detail) ?? pick(o.title)
      }
      return undefined
    }
    const found = pick(json)
    // scrubbed before it is cut: a cut must not leave the first characters of a secret
    if (found !== undefined) return Redaction.cap(scrub(found))
  } catch {
    // not JSON: use the text
  }
  return Redaction.cap(scrub(text))
}

