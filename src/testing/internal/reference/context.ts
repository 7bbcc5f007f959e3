/**
 * What a running reference server holds: its token and store, the faults injected now (with the
 * seeded generator they are drawn from and the rate limit's token bucket), and its counts. Every
 * request handler takes it explicitly; `setFaults` and `resetStats` replace parts of it.
 *
 * @internal
 */
import type * as InMemory from "../../../adapters/InMemory.js"
import type { Faults, Stats } from "./model.js"
import { emptyStats } from "./model.js"

/**
 * The rate limit: a token bucket holding `rateLimitPerSecond` tokens, refilled continuously.
 *
 * @since 0.1.0
 * @category models
 */
export interface Bucket {
  tokens: number
  /** when `tokens` was last refilled (`performance.now()`) */
  at: number
}

/**
 * The state of one running server. The fault fields and `stats` are replaced as a whole (by
 * {@link setFaults} and {@link resetStats}), so handlers read them through the context each time.
 *
 * @since 0.1.0
 * @category models
 */
export interface ServerContext {
  /** the accepted bearer token */
  readonly token: string
  readonly store: InMemory.Store
  /** the faults injected now */
  faults: Faults
  /** the seeded generator faults are drawn from */
  random: () => number
  bucket: Bucket
  stats: Stats
}

/**
 * A seeded generator of numbers in [0, 1) (mulberry32): the same seed gives the same faults.
 *
 * @since 0.1.0
 * @category constructors
 */
export const mulberry32 = (seed: number) => () => {
  seed |= 0
  seed = (seed + 0x6d2b79f5) | 0
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}

/** the fault fields of a context injecting `faults`, from a fresh generator and a full bucket */
const faultState = (faults: Faults): Pick<ServerContext, "faults" | "random" | "bucket"> => ({
  faults,
  random: mulberry32(faults.seed ?? 1),
  bucket: { tokens: faults.rateLimitPerSecond ?? 0, at: performance.now() }
})

/**
 * The context of a server starting with these faults and no counts.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (token: string, store: InMemory.Store, faults: Faults): ServerContext => ({
  token,
  store,
  ...faultState(faults),
  stats: emptyStats()
})

/**
 * Injects other faults from now on: the generator starts again from their seed, the bucket full.
 *
 * @since 0.1.0
 * @category mutations
 */
export const setFaults = (context: ServerContext, faults: Faults): void => {
  Object.assign(context, faultState(faults))
}

/**
 * Sets every count back to zero.
 *
 * @since 0.1.0
 * @category mutations
 */
export const resetStats = (context: ServerContext): void => {
  context.stats = emptyStats()
}
