/**
 * Dot paths into JSON values (`team.id`), read and written as own properties only: a segment
 * never reaches an object's prototype (configured paths are also checked: no `__proto__`).
 *
 * @internal
 */
import { getOwn, setOwn } from "../../internal/record.js"


/** the value at a dot path, `undefined` where it is absent */
export const getPath = (value: unknown, path: string): unknown => {
  if (path === "") return value
  let current = value
  for (const key of path.split(".")) {
    if (typeof current !== "object" || current === null) return undefined
    current = getOwn(current, key)
  }
  return current
}

/** sets the value at a configured dot path (its segments are checked: no `__proto__`) */
export const setPath = (target: Record<string, unknown>, path: string, value: unknown): void => {
  const keys = path.split(".")
  let current = target
  for (const key of keys.slice(0, -1)) {
    const next = getOwn(current, key)
    if (typeof next !== "object" || next === null || Array.isArray(next)) setOwn(current, key, {})
    current = getOwn(current, key) as Record<string, unknown>
  }
  setOwn(current, keys[keys.length - 1]!, value)
}
