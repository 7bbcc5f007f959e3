/**
 * Objects built from untrusted names. A name such as `__proto__` must stay data: assigned with
 * `obj[key] = value` it replaces the object's prototype (and a path `__proto__.x` assigned
 * segment by segment writes into `Object.prototype` itself); read with `obj[key]`, `constructor`
 * or `toString` find inherited members that were never sent.
 *
 * @internal
 */

/** names that reach an object's prototype machinery when used as plain property keys */
export const unsafeKeys: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"])

/** an own, enumerable data property, whatever the key (even `__proto__`) */
export const setOwn = (target: Record<string, unknown>, key: string, value: unknown): void => {
  if (key === "__proto__") {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true })
  } else {
    target[key] = value
  }
}

/** the value of an own property, never an inherited one */
export const getOwn = (source: object, key: string): unknown =>
  Object.prototype.hasOwnProperty.call(source, key) ? (source as Record<string, unknown>)[key] : undefined
