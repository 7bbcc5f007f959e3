/**
 * `Effect.withSpan` for effects that return large values.
 *
 * A span keeps the value it ended with (its exit) for as long as the span lives, and a finished
 * span can stay reachable for a while (from its children's `parent`, from a tracer's buffer).
 * Ended with a page of tickets, a span made V8 promote every page to the old generation (peak
 * heap ~2× over a long walk; bench/README.md). This span ends with nothing, and the value is
 * handed out past it; failures still end the span failed.
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import type * as Tracer from "effect/Tracer"

/** @internal */
export const withSpanEndingEmpty = (name: string, options: Tracer.SpanOptions) =>
<A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.suspend(() => {
    let result: A
    return self.pipe(
      Effect.map((value) => {
        result = value
      }),
      Effect.withSpan(name, options),
      Effect.map(() => result)
    )
  })
