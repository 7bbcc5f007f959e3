/**
 * Test support: records every log line and every span (with its attributes and events) an
 * effect produces, so that tests can scan them for secrets.
 */
import { Cause, Effect, HashMap, List, Logger, LogLevel, Tracer } from "effect"

export interface RecordedSpan {
  readonly name: string
  readonly attributes: Map<string, unknown>
  readonly events: Array<{ name: string; attributes?: Record<string, unknown> }>
  exit?: unknown
}

export interface Recording {
  readonly logs: Array<string>
  readonly spans: Array<RecordedSpan>
  /** every recorded text: log lines, span names, attributes, events, span exits */
  readonly texts: () => Array<string>
}

const makeTracer = (spans: Array<RecordedSpan>) =>
  Tracer.make({
    span(name, parent, context, links, startTime, kind) {
      const record: RecordedSpan = { name, attributes: new Map(), events: [] }
      spans.push(record)
      const span: Tracer.Span = {
        _tag: "Span",
        name,
        spanId: `span${spans.length}`,
        traceId: "trace",
        parent,
        context,
        status: { _tag: "Started", startTime },
        attributes: record.attributes,
        links,
        sampled: true,
        kind,
        end(_endTime, exit) {
          record.exit = exit
        },
        attribute(key, value) {
          record.attributes.set(key, value)
        },
        event(eventName, _startTime, attributes) {
          record.events.push(attributes === undefined ? { name: eventName } : { name: eventName, attributes })
        },
        addLinks() {}
      }
      return span
    },
    context: (f) => f()
  })

const stringify = (value: unknown): string => {
  try {
    return typeof value === "string" ? value : JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? String(v) : v)) ?? String(value)
  } catch {
    return String(value)
  }
}

/** Runs an effect with debug logging and a recording tracer. */
export const record = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.gen(function*() {
    const logs: Array<string> = []
    const spans: Array<RecordedSpan> = []
    const logger = Logger.make(({ annotations, cause, message, spans: logSpans }) => {
      const parts = [stringify(message)]
      if (!Cause.isEmpty(cause)) parts.push(Cause.pretty(cause, { renderErrorCause: true }))
      for (const [k, v] of HashMap.toEntries(annotations)) parts.push(`${k}=${stringify(v)}`)
      for (const s of List.toArray(logSpans)) parts.push(s.label)
      logs.push(parts.join(" "))
    })
    const exit = yield* effect.pipe(
      Effect.withTracer(makeTracer(spans)),
      Effect.provide(Logger.replace(Logger.defaultLogger, logger)),
      Logger.withMinimumLogLevel(LogLevel.All),
      Effect.exit
    )
    const recording: Recording = {
      logs,
      spans,
      texts: () => [
        ...logs,
        ...spans.flatMap((s) => [
          s.name,
          ...Array.from(s.attributes.entries()).map(([k, v]) => `${k}=${stringify(v)}`),
          ...s.events.map((e) => stringify(e)),
          stringify(s.exit),
          s.exit !== undefined && typeof s.exit === "object" && s.exit !== null && "cause" in s.exit
            ? Cause.pretty((s.exit as { cause: Cause.Cause<unknown> }).cause)
            : ""
        ])
      ]
    }
    return { exit, recording }
  })

/** The recorded texts that contain any of the secrets. */
export const leaks = (recording: Recording, secrets: ReadonlyArray<string>): Array<string> =>
  recording.texts().filter((text) => secrets.some((secret) => text.includes(secret)))

