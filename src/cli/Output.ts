/**
 * What the `ticketkit` command prints, made safe for a terminal and for a log file:
 *
 * - **scrubbed**: every line (stdout, stderr, log lines) goes through one {@link Redaction.Scrubber}
 *   that knows every secret of the loaded configuration ({@link scrubbingConsole});
 * - **escaped**: text that came from a ticket system (ticket fields, notes, error bodies) cannot
 *   move the cursor, clear the screen, rewrite a line or reorder it: C0 controls (ESC, CR, BS,
 *   and newlines in single-line fields), DEL, C1 controls and the bidi overrides and isolates are
 *   shown as visible escapes — `\x1b`, `\r`, `\u202e` ({@link escapeControls});
 * - **bounded**: an error or log line is cut at {@link MAX_ERROR_LINE} characters, saying how many
 *   were cut ({@link errorLine}).
 *
 * `--json` output is not escaped (JSON has its own escaping), but it is scrubbed.
 *
 * @since 0.1.0
 */
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import { format } from "node:util"
import * as Redaction from "../Redaction.js"

/**
 * The longest error (or log) line printed; the rest is cut with `… (N more characters)`.
 *
 * @since 0.1.0
 * @category constants
 */
export const MAX_ERROR_LINE = 2000

// C0 controls, DEL, C1 controls, line/paragraph separators, bidi embeddings/overrides (U+202A–E)
// and isolates (U+2066–9)
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g
// the same, but a newline may stay
// eslint-disable-next-line no-control-regex
const UNSAFE_BUT_NEWLINE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g

const named: Readonly<Record<string, string>> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" }

const visible = (char: string): string => {
  const name = named[char]
  if (name !== undefined) return name
  const code = char.charCodeAt(0)
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`
}

/**
 * Shows the characters that would act on a terminal as visible escapes (`\x1b`, `\r`, `\t`,
 * `\x7f`, `\x9b`, `\u202e`…). With `multiline`, a line break stays a line break (CRLF becomes LF);
 * otherwise it is shown as `\n`.
 *
 * @since 0.1.0
 * @category escaping
 */
export const escapeControls = (text: string, options?: { readonly multiline?: boolean }): string =>
  options?.multiline === true
    ? text.replace(/\r\n/g, "\n").replace(UNSAFE_BUT_NEWLINE, visible)
    : text.replace(UNSAFE, visible)

/**
 * One line of an error message as printed: scrubbed, escaped (a single line), then capped at
 * {@link MAX_ERROR_LINE} characters.
 *
 * @since 0.1.0
 * @category escaping
 */
export const errorLine = (scrubber: Redaction.Scrubber, text: string, max: number = MAX_ERROR_LINE): string =>
  Redaction.cap(escapeControls(scrubber.scrub(text)), max)

/**
 * Scrubbed text as printed by a log line or a debug report: escaped but for its line breaks, and
 * capped.
 *
 * @since 0.1.0
 * @category escaping
 */
export const multilineText = (scrubber: Redaction.Scrubber, text: string, max: number): string =>
  Redaction.cap(escapeControls(scrubber.scrub(text), { multiline: true }), max)

const textOf = (args: ReadonlyArray<unknown>): string =>
  args.length === 1 && typeof args[0] === "string" ? args[0] : format(...args)

/**
 * A console that scrubs everything written through it with the scrubber `current()` returns at
 * the time of writing (the configuration, and so the secrets, are known only once it is loaded).
 *
 * @since 0.1.0
 * @category console
 */
export const scrubbingConsole = (console: Console.Console, current: () => Redaction.Scrubber): Console.Console => {
  const clean = (args: ReadonlyArray<unknown>): string => current().scrub(textOf(args))
  const inner = console.unsafe
  const unsafe: Console.UnsafeConsole = {
    assert: (condition, ...args) => {
      if (!condition) inner.error(clean(["Assertion failed:", ...args]))
    },
    clear: () => inner.clear(),
    count: (label) => inner.count(label),
    countReset: (label) => inner.countReset(label),
    debug: (...args) => inner.debug(clean(args)),
    dir: (item) => inner.log(clean([item])),
    dirxml: (...args) => inner.log(clean(args)),
    error: (...args) => inner.error(clean(args)),
    group: (...args) => inner.group(...(args.length === 0 ? [] : [clean(args)])),
    groupCollapsed: (...args) => inner.groupCollapsed(...(args.length === 0 ? [] : [clean(args)])),
    groupEnd: () => inner.groupEnd(),
    info: (...args) => inner.info(clean(args)),
    log: (...args) => inner.log(clean(args)),
    table: (data) => inner.log(clean([data])),
    time: (label) => inner.time(label),
    timeEnd: (label) => inner.timeEnd(label),
    timeLog: (label, ...args) => inner.log(clean([label ?? "default", ...args])),
    trace: (...args) => inner.error(clean(args)),
    warn: (...args) => inner.warn(clean(args))
  }
  const sync = <A extends ReadonlyArray<unknown>>(f: (...args: A) => void) => (...args: A) => Effect.sync(() => f(...args))
  return {
    [Console.TypeId]: Console.TypeId,
    assert: sync(unsafe.assert),
    clear: Effect.sync(() => unsafe.clear()),
    count: sync(unsafe.count),
    countReset: sync(unsafe.countReset),
    debug: sync(unsafe.debug),
    dir: sync(unsafe.dir),
    dirxml: sync(unsafe.dirxml),
    error: sync(unsafe.error),
    group: (options) =>
      Effect.sync(() =>
        options?.collapsed === true
          ? unsafe.groupCollapsed(...(options.label === undefined ? [] : [options.label]))
          : unsafe.group(...(options?.label === undefined ? [] : [options.label]))
      ),
    groupEnd: Effect.sync(() => unsafe.groupEnd()),
    info: sync(unsafe.info),
    log: sync(unsafe.log),
    table: sync(unsafe.table),
    time: sync(unsafe.time),
    timeEnd: sync(unsafe.timeEnd),
    timeLog: sync(unsafe.timeLog),
    trace: sync(unsafe.trace),
    warn: sync(unsafe.warn),
    unsafe
  }
}
