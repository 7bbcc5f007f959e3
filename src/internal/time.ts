/**
 * Strict timestamps. `new Date(text)` (and so `Schema.DateTimeUtc`) accepts almost anything:
 * `"1"` is 2001-01-01, `"x 5"` 2001-05-01, `"2026-02-30"` March 2. A system's date is read only in
 * the formats declared here, and anything else is an error naming the field.
 *
 * @internal
 */

// 2026-11-02, 2026-11-02T08:01Z, 2026-11-02T08:01:00.123456+01:00, 2026-11-02 08:01:00Z
const iso = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?([Zz]|[+-]\d{2}(?::?\d{2})?))?$/

const daysIn = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate()

/**
 * The epoch milliseconds of an ISO 8601 / RFC 3339 timestamp: a calendar date, optionally with a
 * time, which then needs a zone (`Z` or an offset: a time without one means nothing certain).
 * `undefined` for anything else, including impossible dates such as February 30.
 *
 * @internal
 */
export const parseIso = (text: string): number | undefined => {
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
