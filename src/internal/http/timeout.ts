/**
 * The transport's timeout, and its fast path.
 *
 * `Effect.timeoutFail` races the request with a timer fiber: measured, a sixth of a request's CPU.
 * With effect's live clock (told by identity with the clock of `DefaultServices.liveServices`, a
 * public value; a test clock or any other takes the plain path), no fiber is made: the request is
 * tied to a scope of its own, a plain timer closes that scope — aborting the request and its body
 * — and the failure that follows is reported as the timeout. An interrupted caller closes the
 * scope too. A finished request's scope is left to the GC: closing it would abort the request.
 *
 * @internal
 */
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as DefaultServices from "effect/DefaultServices"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Runtime from "effect/Runtime"
import * as Scope from "effect/Scope"

const liveClock = Context.get(DefaultServices.liveServices, Clock.Clock)

/** the longest delay `setTimeout` takes; longer ones never fire (as with the live clock) */
const maxTimerMillis = 2 ** 31 - 1

/**
 * The request within `millis`, else `onTimeout()`: `plain` is run under `Effect.timeoutFail`;
 * `scoped` (the same request, tied to the scope it runs in) on the fast path. `runtime` is where
 * the timer's callback enters Effect.
 */
export const within = <A, E>(
  millis: number,
  runtime: Runtime.Runtime<never>,
  plain: Effect.Effect<A, E>,
  scoped: Effect.Effect<A, E, Scope.Scope>,
  onTimeout: () => E
): Effect.Effect<A, E> =>
  Effect.clockWith((clock) => {
    if (clock !== liveClock || millis > maxTimerMillis) {
      return Effect.timeoutFail(plain, { duration: Duration.millis(millis), onTimeout })
    }
    return Effect.flatMap(Scope.make(), (scope) => {
      let timedOut = false
      const timer = setTimeout(() => {
        timedOut = true
        Runtime.runFork(runtime)(Scope.close(scope, Exit.void))
      }, millis)
      return scoped.pipe(
        Scope.extend(scope),
        Effect.onInterrupt(() => Scope.close(scope, Exit.void)),
        Effect.ensuring(Effect.sync(() => clearTimeout(timer))),
        Effect.catchAll((error) => Effect.fail(timedOut ? onTimeout() : error))
      )
    })
  })
