/**
 * Text checks shared by the schemas and the transport.
 *
 * @internal
 */

const loneSurrogate = /\p{Surrogate}/u

/** no lone surrogate (`encodeURIComponent` throws on one; `URLSearchParams` silently changes it) */
export const isWellFormed = (text: string): boolean => !loneSurrogate.test(text)
