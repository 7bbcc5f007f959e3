/**
 * A client-side rate limit for a whole adapter: every request of every fiber that uses the system
 * goes through one limiter (effect's `RateLimiter`), so a program stays under a system's quota
 * instead of learning it from 429s.
 *
 * Put it **inside** the retry policy, so that retries are counted too:
 *
 * ```ts
 * const HelpdeskLive = Retry.layer().pipe(
 *   Layer.provide(RateLimit.layer({ limit: 10, interval: "1 second" })),
 *   Layer.provide(RestAdapter.layer(options))
 * )
 * ```
 *
 * For bulk work, bound the concurrency as well (`Effect.forEach(…, { concurrency: 8 })`): the
 * limiter spaces requests, concurrency bounds how many wait at once.
 *
 * @since 0.1.0
 */
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import { dual } from "effect/Function"
import * as Layer from "effect/Layer"
import * as RateLimiter from "effect/RateLimiter"
import * as Schema from "effect/Schema"
import * as Metrics from "./internal/telemetry/metrics.js"
import type { Aspect, Driver, Service } from "./TicketSystemAdapter.js"
import { TicketSystemAdapter, withAspect } from "./TicketSystemAdapter.js"

/**
 * Options of a limit: at most `limit` requests per `interval`.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  readonly limit: number
  readonly interval: Duration.DurationInput
  /** `token-bucket` (default: smooth) or `fixed-window` */
  readonly algorithm?: "token-bucket" | "fixed-window" | undefined
}

/**
 * The options as a Schema, for configuration files (`rateLimit: { limit: 10, interval: 1000 }`).
 *
 * @since 0.1.0
 * @category schemas
 */
export const OptionsSchema = Schema.Struct({
  limit: Schema.Int.pipe(Schema.positive()),
  /** milliseconds */
  interval: Schema.Number.pipe(Schema.positive()),
  algorithm: Schema.optional(Schema.Literal("token-bucket", "fixed-window"))
})

/**
 * The rate-limit aspect of a driver: every driver call (one request) waits for the limiter.
 *
 * @since 0.1.0
 * @category aspects
 */
export const aspect = (rateLimiter: RateLimiter.RateLimiter): Aspect => (self: Driver): Driver => {
  // a wait for the limiter is counted and timed (the `ticketkit.rate_limit.*` metrics)
  const limiter = <A, E, R>(effect: Effect.Effect<A, E, R>) => Metrics.limited(self.name, rateLimiter, effect)
  const { searchPage } = self
  return {
    ...self,
    fetchPage: (criteria, page) => limiter(self.fetchPage(criteria, page)),
    ...(searchPage === undefined ? {} : { searchPage: (query, criteria, page) => limiter(searchPage(query, criteria, page)) }),
    getTicket: (id) => limiter(self.getTicket(id)),
    createTicket: (draft) => limiter(self.createTicket(draft)),
    updateTicket: (id, update) => limiter(self.updateTicket(id, update)),
    addNote: (id, note) => limiter(self.addNote(id, note)),
    listNotes: (id) => limiter(self.listNotes(id))
  }
}

/**
 * Makes every operation of an adapter go through a limiter: {@link aspect} on its driver, the
 * port made again around it. Streams are limited page by page.
 *
 * @since 0.1.0
 * @category combinators
 */
export const apply: {
  (limiter: RateLimiter.RateLimiter): (self: Service) => Service
  (self: Service, limiter: RateLimiter.RateLimiter): Service
} = dual(2, (self: Service, limiter: RateLimiter.RateLimiter): Service => withAspect(self, aspect(limiter)))

/**
 * A layer that limits the `TicketSystemAdapter` below it; one limiter for everything that uses
 * the layer.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options): Layer.Layer<TicketSystemAdapter, never, TicketSystemAdapter> =>
  Layer.scoped(
    TicketSystemAdapter,
    Effect.gen(function*() {
      const limiter = yield* RateLimiter.make({
        limit: options.limit,
        interval: Duration.decode(options.interval),
        ...(options.algorithm === undefined ? {} : { algorithm: options.algorithm })
      })
      const self = yield* TicketSystemAdapter
      return apply(self, limiter)
    })
  )
