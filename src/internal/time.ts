/**
 * Strict timestamps. `new Date(text)` (and so `Schema.DateTimeUtc`) accepts almost anything:
 * `"1"` is 2001-01-01, `"x 5"` 2001-05-01, `"2026-02-30"` March 2. A system's date is read only in
 * the formats declared here, and anything else is an error naming the field.
 *
 * @internal
 */
import * as DateTime from "effect/DateTime"
import * as Option from "effect/Option"

// 2026-11-02, 2026-11-02T08:01Z, 2026-11-02T08:01:00.123456+01:00, 2026-11-02 08:01:00Z
const iso = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?([Zz]|[+-]\d{2}(?::?\d{2})?))?$/

const monthDays = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

const daysIn = (year: number, month: number) =>
  month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : monthDays[month - 1]!

/** the digits at `from`…`from + count` as a number, or -1 */
const digits = (text: string, from: number, count: number): number => {
  let n = 0
  for (let i = from; i < from + count; i++) {
    const d = text.charCodeAt(i) - 48
    if (d < 0 || d > 9) return -1
    n = n * 10 + d
  }
  return n
}

/**
 * The common case without a regular expression or an allocation: `YYYY-MM-DDTHH:MM:SSZ` or
 * `YYYY-MM-DDTHH:MM:SS.sssZ`, as most systems write UTC. `undefined` for anything else (the
 * general parser decides).
 */
const parseCanonical = (text: string): number | undefined => {
  const length = text.length
  if ((length !== 20 && length !== 24) || text.charCodeAt(length - 1) !== 90 /* Z */) return undefined
  if (text[4] !== "-" || text[7] !== "-" || text[10] !== "T" || text[13] !== ":" || text[16] !== ":") return undefined
  const year = digits(text, 0, 4)
  const month = digits(text, 5, 2)
  const day = digits(text, 8, 2)
  const hour = digits(text, 11, 2)
  const minute = digits(text, 14, 2)
  const second = digits(text, 17, 2)
  const millis = length === 24 ? (text[19] === "." ? digits(text, 20, 3) : -1) : 0
  if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59) return undefined
  if (second < 0 || second > 59 || millis < 0 || day > daysIn(year, month)) return undefined
  return Date.UTC(year, month - 1, day, hour, minute, second, millis)
}

/**
 * The epoch milliseconds of an ISO 8601 / RFC 3339 timestamp: a calendar date, optionally with a
 * time, which then needs a zone (`Z` or an offset: a time without one means nothing certain).
 * `undefined` for anything else, including impossible dates such as February 30.
 *
 * @internal
 */
export const parseIso = (text: string): number | undefined => {
  const fast = parseCanonical(text)
  if (fast !== undefined) return fast
  const m = iso.exec(text)
  if (m === null) return undefined
  const year = Number(m[1])
  const month = Number(m[2])
  const day = Number(m[3])
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return undefined
  if (m[4] === undefined) return Date.UTC(year, month - 1, day)
  const hour = Number(m[4])
  const minute = Number(m[5])
  // a leap second (:60) is read as the last moment of its minute
  const second = m[6] === undefined ? 0 : Math.min(Number(m[6]), 59)
  if (hour > 23 || minute > 59 || (m[6] !== undefined && Number(m[6]) > 60)) return undefined
  const millis = m[7] === undefined ? 0 : Math.floor(Number(`0.${m[7]}`) * 1000)
  let offset = 0
  const zone = m[8]!
  if (zone !== "Z" && zone !== "z") {
    const sign = zone[0] === "-" ? -1 : 1
    const digits = zone.slice(1).replace(":", "")
    const hours = Number(digits.slice(0, 2))
    const minutes = digits.length > 2 ? Number(digits.slice(2)) : 0
    if (hours > 23 || minutes > 59) return undefined
    offset = sign * (hours * 60 + minutes) * 60_000
  }
  const time = Date.UTC(year, month - 1, day, hour, minute, second, millis) - offset
  return Number.isFinite(time) && Math.abs(time) <= 8.64e15 ? time : undefined
}

/** the epoch milliseconds a number stands for, when it is a possible time */
export const epochMillis = (n: number): number | undefined =>
  Number.isFinite(n) && Math.abs(n) <= 8.64e15 ? n : undefined

/** the epoch milliseconds of a number of epoch seconds, when it is a possible time */
export const epochSecondsToMillis = (n: number): number | undefined =>
  Number.isFinite(n) && Math.abs(n) <= 8.64e12 ? Math.round(n * 1000) : undefined

// -----------------------------------------------------------------------------
// plausibility
// -----------------------------------------------------------------------------

/** 1990-01-01T00:00:00Z: no ticket system's date is older */
export const PLAUSIBLE_FROM = Date.UTC(1990, 0, 1)

/** how far ahead of now a date may be (a year and a day) */
export const PLAUSIBLE_AHEAD = 366 * 24 * 60 * 60 * 1000

/**
 * Why a decoded time cannot be a ticket system's date (before 1990, or more than a year ahead of
 * `nowMillis`), or `undefined` when it can: a date in the wrong unit (epoch seconds read as
 * milliseconds gives January 1970) shows here instead of becoming a ticket.
 *
 * @internal
 */
export const implausible = (millis: number, nowMillis: number): string | undefined =>
  millis < PLAUSIBLE_FROM
    ? `${new Date(millis).toISOString()} is before 1990: is the date's unit or format configured right?`
    : millis > nowMillis + PLAUSIBLE_AHEAD
    ? `${safeIso(millis)} is more than a year ahead: is the date's unit or format configured right?`
    : undefined

const safeIso = (millis: number): string => (Math.abs(millis) <= 8.64e15 ? new Date(millis).toISOString() : String(millis))

// -----------------------------------------------------------------------------
// declared formats
// -----------------------------------------------------------------------------

/** the tokens of a declared format */
const formatTokens: ReadonlyArray<readonly [token: string, part: "year" | "month" | "day" | "hours" | "minutes" | "seconds" | "millis"]> = [
  ["yyyy", "year"],
  ["MM", "month"],
  ["dd", "day"],
  ["HH", "hours"],
  ["mm", "minutes"],
  ["ss", "seconds"],
  ["SSS", "millis"]
]

/** a declared timestamp format, compiled: strict parsing and formatting in its time zone */
export interface DeclaredFormat {
  readonly parse: (text: string) => number | undefined
  readonly format: (millis: number) => string
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")

/**
 * Compiles a declared format such as `yyyy-MM-dd HH:mm:ss` (tokens `yyyy MM dd HH mm ss SSS`, any
 * other character literal) in a time zone (`UTC`, an offset such as `+02:00`, or an IANA name such
 * as `Europe/Berlin`). A string says why the format or the zone cannot be used.
 *
 * @internal
 */
export const declaredFormat = (pattern: string, timeZone = "UTC"): DeclaredFormat | string => {
  const zone = DateTime.zoneFromString(timeZone)
  if (Option.isNone(zone)) return `unknown time zone ${JSON.stringify(timeZone)} (use UTC, an offset such as +02:00, or an IANA name such as Europe/Berlin)`
  const parts: Array<{ readonly literal: string } | { readonly part: (typeof formatTokens)[number][1]; readonly width: number }> = []
  for (let i = 0; i < pattern.length;) {
    const found = formatTokens.find(([token]) => pattern.startsWith(token, i))
    if (found !== undefined) {
      parts.push({ part: found[1], width: found[0].length })
      i += found[0].length
    } else {
      parts.push({ literal: pattern[i]! })
      i++
    }
  }
  const present = new Set(parts.flatMap((p) => ("part" in p ? [p.part] : [])))
  for (const needed of ["year", "month", "day"] as const) {
    if (!present.has(needed)) return `the format ${JSON.stringify(pattern)} has no ${needed} (tokens: yyyy MM dd HH mm ss SSS)`
  }
  if (parts.filter((p) => "part" in p).length !== present.size) return `the format ${JSON.stringify(pattern)} repeats a token`
  const order = parts.flatMap((p) => ("part" in p ? [p.part] : []))
  const regex = new RegExp(`^${parts.map((p) => ("part" in p ? `(\\d{${p.width}})` : escapeRegExp(p.literal))).join("")}$`)
  const tz = zone.value
  return {
    parse: (text) => {
      const m = regex.exec(text)
      if (m === null) return undefined
      const v = { year: 0, month: 1, day: 1, hours: 0, minutes: 0, seconds: 0, millis: 0 }
      order.forEach((part, i) => (v[part] = Number(m[i + 1])))
      if (v.month < 1 || v.month > 12 || v.day < 1 || v.day > daysIn(v.year, v.month)) return undefined
      if (v.hours > 23 || v.minutes > 59 || v.seconds > 59) return undefined
      const zoned = DateTime.makeZoned(
        { year: v.year, month: v.month, day: v.day, hours: v.hours, minutes: v.minutes, seconds: v.seconds, millis: v.millis },
        { timeZone: tz, adjustForTimeZone: true, disambiguation: "compatible" }
      )
      return Option.isSome(zoned) ? DateTime.toEpochMillis(zoned.value) : undefined
    },
    format: (millis) => {
      const p = DateTime.toParts(DateTime.unsafeMakeZoned(millis, { timeZone: tz }))
      const values = { year: p.year, month: p.month, day: p.day, hours: p.hours, minutes: p.minutes, seconds: p.seconds, millis: p.millis }
      return parts.map((x) => ("part" in x ? String(values[x.part]).padStart(x.width, "0") : x.literal)).join("")
    }
  }
}
