/**
 * Reading the system error code (`ECONNREFUSED`, `UND_ERR_CONNECT_TIMEOUT`…) out of an error
 * chain: the platform wraps Node's and undici's errors in causes of its own.
 *
 * @internal
 */

/** the first string `code` along an error's `cause` chain (at most 5 deep) */
export const codeOf = (cause: unknown): string | undefined => {
  let current: unknown = cause
  for (let depth = 0; depth < 5 && typeof current === "object" && current !== null; depth++) {
    const code = (current as { code?: unknown }).code
    if (typeof code === "string") return code
    current = (current as { cause?: unknown }).cause
  }
  return undefined
}
