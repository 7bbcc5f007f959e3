/**
 * Retry policies as plain `Schedule`s, and one combinator that applies a policy to a whole
 * adapter.
 *
 * A policy only says *when* to try again (how many times, how long to wait). {@link apply} adds
 * *what* may be retried:
 *
 * - reads and `updateTicket` (idempotent: it sets values) retry on passing errors
 *   ({@link AdapterError.isTransient});
 * - `addNote` and `createTicket` are not idempotent by nature: with idempotency keys or a check
 *   before re-sending they are made so (see {@link apply}); otherwise they are re-sent only when
 *   the system certainly did not act ({@link AdapterError.isSafeToResend}) — never after a timeout
 *   or a connection dropped after sending, where the note may already be stored;
 * - a `RateLimitError`'s retry-after is always waited for at least; a retry-after longer than
 *   `maxRetryAfter` ends the retries (the error is returned to the caller).
 *
 * @since 0.1.0
 */
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import { dual } from "effect/Function"
import * as Layer from "effect/Layer"
import * as Schedule from "effect/Schedule"
import { randomUUID } from "node:crypto"
import type { AdapterError } from "./AdapterError.js"
import { isSafeToResend, isTransient } from "./AdapterError.js"
import * as Metrics from "./internal/telemetry/metrics.js"
import { isSameNote, NoteDraft } from "./Note.js"
import { TicketDraft } from "./Ticket.js"
import type { Aspect, Driver, Service } from "./TicketSystemAdapter.js"
import { TicketSystemAdapter, withAspect } from "./TicketSystemAdapter.js"

/**
 * A retry policy: a schedule fed with the errors of failed attempts.
 *
 * @since 0.1.0
 * @category models
 */
export type Policy = Schedule.Schedule<unknown, AdapterError>

/**
 * Options of {@link exponential}.
 *
 * @since 0.1.0
 * @category models
 */
export interface ExponentialOptions {
  /** attempts in all, the first included (default 3) */
  readonly attempts?: number
  /** the first delay (default 1 second) */
  readonly base?: Duration.DurationInput
  /** the longest delay (default 10 seconds) */
  readonly max?: Duration.DurationInput
  /** growth factor of the delay (default 2) */
  readonly factor?: number
  /** randomise each delay by ±20 % (default true) */
  readonly jitter?: boolean
}

/**
 * Exponential backoff: `base`, `base × factor`, … capped at `max`, jittered, for `attempts`
 * attempts in all.
 *
 * @since 0.1.0
 * @category constructors
 */
export const exponential = (options: ExponentialOptions = {}): Policy => {
  const max = Duration.decode(options.max ?? "10 seconds")
  const base = Schedule.exponential(options.base ?? "1 second", options.factor ?? 2)
  const jittered = options.jitter === false ? base : Schedule.jittered(base)
  return jittered.pipe(
    Schedule.modifyDelay((_, delay) => Duration.min(delay, max)),
    Schedule.intersect(Schedule.recurs(Math.max(0, (options.attempts ?? 3) - 1)))
  )
}

/**
 * The default policy, the reference guide's: 3 attempts, exponential from 1 s to at most 10 s,
 * jittered.
 *
 * @since 0.1.0
 * @category constructors
 */
export const defaultPolicy: Policy = exponential()

/**
 * Never retry.
 *
 * @since 0.1.0
 * @category constructors
 */
export const none: Policy = Schedule.stop

/**
 * Options of {@link apply}.
 *
 * @since 0.1.0
 * @category models
 */
export interface ApplyOptions {
  /** give up when a system asks to wait longer than this (default 60 seconds) */
  readonly maxRetryAfter?: Duration.DurationInput
  /**
   * for systems without idempotency keys: read the notes back before re-sending a note after an
   * ambiguous failure (default true)
   */
  readonly checkNotesBeforeResend?: boolean
}

/**
 * Makes a policy wait at least the retry-after of a `RateLimitError`, and stop when that wait is
 * longer than `maxRetryAfter`.
 *
 * @since 0.1.0
 * @category combinators
 */
export const respectRetryAfter: {
  (options?: ApplyOptions): (self: Policy) => Policy
  (self: Policy, options?: ApplyOptions): Policy
} = dual((args) => Schedule.isSchedule(args[0]), (self: Policy, options: ApplyOptions = {}): Policy => {
  const maxWait = Duration.toMillis(options.maxRetryAfter ?? "60 seconds")
  return Schedule.intersect(Schedule.identity<AdapterError>(), self).pipe(
    Schedule.whileInput((error: AdapterError) =>
      error._tag !== "RateLimitError" || error.retryAfterMillis === undefined || error.retryAfterMillis <= maxWait
    ),
    Schedule.modifyDelay(([error], delay) =>
      error._tag === "RateLimitError" && error.retryAfterMillis !== undefined
        ? Duration.max(delay, Duration.millis(error.retryAfterMillis))
        : delay
    )
  )
})

/**
 * Restricts a policy to passing errors: the policy for reads and idempotent writes.
 *
 * @since 0.1.0
 * @category combinators
 */
export const forIdempotent = (self: Policy, options?: ApplyOptions): Policy =>
  respectRetryAfter(Schedule.whileInput(self, isTransient), options)

/**
 * Restricts a policy to errors after which the system certainly did not act: the policy for
 * writes that are not idempotent (adding a note, creating a ticket).
 *
 * @since 0.1.0
 * @category combinators
 */
export const forNonIdempotent = (self: Policy, options?: ApplyOptions): Policy =>
  respectRetryAfter(Schedule.whileInput(self, isSafeToResend), options)

/**
 * The retry aspect of a driver (see the module header for what is retried when). One driver call
 * is one request, so each is retried on its own: a failed page is fetched again, the pages before
 * it are not.
 *
 * Writes that are not idempotent by nature are made so where the system allows:
 *
 * - if the adapter honours idempotency keys (`capabilities.idempotencyKeys`), `addNote` and
 *   `createTicket` get one key per call, kept across attempts, and retry like idempotent writes;
 * - otherwise, `addNote` checks before re-sending: it counts the ticket's notes with the same body
 *   and visibility before the first attempt, and after an ambiguous failure re-sends only if no
 *   new such note is there (`checkNotesBeforeResend`, default true; it costs one `listNotes` per
 *   note);
 * - otherwise they are re-sent only when the system certainly did not act.
 *
 * @since 0.1.0
 * @category aspects
 */
export const aspect = (policy: Policy = defaultPolicy, options: ApplyOptions = {}): Aspect => (self: Driver): Driver => {
  const idempotent = forIdempotent(policy, options)
  const nonIdempotent = forNonIdempotent(policy, options)
  // each re-attempt is counted (the `ticketkit.retries` metric)
  const retryWith = <A>(effect: Effect.Effect<A, AdapterError>, policy: Policy) => Metrics.retrying(self.name, effect, policy)
  const retry = <A>(effect: Effect.Effect<A, AdapterError>) => retryWith(effect, idempotent)
  const keyed = self.capabilities.idempotencyKeys === true
  const newKey = Effect.sync(() => randomUUID())

  const addNote: Driver["addNote"] = (id, note) =>
    Effect.gen(function*() {
      if (keyed) {
        const idempotencyKey = note.idempotencyKey ?? (yield* newKey)
        return yield* retry(self.addNote(id, new NoteDraft({ ...note, idempotencyKey })))
      }
      if (options.checkNotesBeforeResend === false) return yield* retryWith(self.addNote(id, note), nonIdempotent)
      const countSame = retry(self.listNotes(id)).pipe(Effect.map((notes) => notes.filter(isSameNote(note)).length))
      const before = yield* Effect.either(countSame)
      if (before._tag === "Left") {
        // notes cannot be read back here: only re-send when the system certainly did not act
        if (before.left._tag === "TicketNotFoundError") return yield* Effect.fail(before.left)
        return yield* retryWith(self.addNote(id, note), nonIdempotent)
      }
      let attempts = 0
      return yield* retryWith(
        Effect.suspend(() =>
          attempts++ === 0
            ? self.addNote(id, note)
            : Effect.flatMap(countSame, (now) => (now > before.right ? Effect.void : self.addNote(id, note)))
        ),
        idempotent
      )
    })

  const { searchPage } = self
  return {
    ...self,
    fetchPage: (criteria, page) => retry(self.fetchPage(criteria, page)),
    ...(searchPage === undefined ? {} : { searchPage: (query, criteria, page) => retry(searchPage(query, criteria, page)) }),
    getTicket: (id) => retry(self.getTicket(id)),
    listNotes: (id) => retry(self.listNotes(id)),
    updateTicket: (id, update) => retry(self.updateTicket(id, update)),
    createTicket: (draft) =>
      keyed
        ? Effect.flatMap(newKey, (key) => retry(self.createTicket(new TicketDraft({ ...draft, idempotencyKey: draft.idempotencyKey ?? key }))))
        : retryWith(self.createTicket(draft), nonIdempotent),
    addNote
  }
}

/**
 * Applies a policy to every operation of an adapter: {@link aspect} on its driver, the port made
 * again around it (so that criteria are checked once per call and a stream has one span).
 *
 * @since 0.1.0
 * @category combinators
 */
export const apply: {
  (policy: Policy, options?: ApplyOptions): (self: Service) => Service
  (self: Service, policy: Policy, options?: ApplyOptions): Service
} = dual(
  (args) => typeof args[0] === "object" && args[0] !== null && "fetchPage" in args[0],
  (self: Service, policy: Policy, options: ApplyOptions = {}): Service => withAspect(self, aspect(policy, options))
)

/**
 * A layer that wraps the `TicketSystemAdapter` below it with a policy:
 * `MyAdapter.layer(options).pipe(Layer.provide(...))` → `Retry.layer(policy).pipe(Layer.provide(adapterLayer))`.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (
  policy: Policy = defaultPolicy,
  options?: ApplyOptions
): Layer.Layer<TicketSystemAdapter, never, TicketSystemAdapter> =>
  Layer.effect(TicketSystemAdapter, Effect.map(TicketSystemAdapter, (service) => apply(service, policy, options)))
