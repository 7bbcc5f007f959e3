/**
 * Strict timestamps. `new Date(text)` (and so `Schema.DateTimeUtc`) accepts almost anything:
 * `"1"` is 2001-01-01, `"x 5"` 2001-05-01, `"2026-02-30"` March 2. A system's date is read only in
 * the formats declared here, and anything else is an error naming the field.
 *
 * @internal
 */

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
