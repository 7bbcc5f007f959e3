/**
 * The launcher's fast path: what `ticketkit --help`, `--version` and `ticketkit <command> --help`
 * print, recorded when the CLI is built by running the command line itself
 * (`run.ts`'s `recordAnswers`), and printed from that record without loading Effect or any
 * command. This module loads nothing but `node:fs`.
 *
 * @internal
 */
import { readFileSync } from "node:fs"

/**
 * what the command line printed for one argument list, and its exit code
 *
 * @internal
 */
export interface Answer {
  readonly stdout: string
  readonly stderr: string
  readonly code: number
}

/**
 * the record written next to the built launcher
 *
 * @internal
 */
export interface Answers {
  /** the version of ticketkit that recorded them */
  readonly version: string
  /** by {@link key} of the argument list */
  readonly answers: Readonly<Record<string, Answer>>
}

/**
 * the file of the record, next to the built launcher
 *
 * @internal
 */
export const FILE = "cli-answers.json"

/**
 * the record's key of an argument list (the arguments after the executable's name)
 *
 * @internal
 */
export const key = (args: ReadonlyArray<string>): string => JSON.stringify(args)

/**
 * The argument lists answered from the record: exactly these, anything else (an option more, in
 * another place) runs the command line.
 *
 * @internal
 */
export const forms = (commands: ReadonlyArray<string>): ReadonlyArray<ReadonlyArray<string>> => [
  [],
  ["--help"],
  ["-h"],
  ["--version"],
  ...commands.flatMap((command) => [[command, "--help"], [command, "-h"]])
]

/** the shape of {@link forms}, checked before the record is read */
const candidate = (args: ReadonlyArray<string>): boolean =>
  args.length === 0 ||
  (args.length === 1 && (args[0] === "--help" || args[0] === "-h" || args[0] === "--version")) ||
  (args.length === 2 && (args[1] === "--help" || args[1] === "-h"))

const isAnswer = (value: unknown): value is Answer =>
  typeof value === "object" && value !== null &&
  typeof (value as Answer).stdout === "string" &&
  typeof (value as Answer).stderr === "string" &&
  Number.isInteger((value as Answer).code)

/**
 * The recorded answer for these arguments, if the record exists, was made by this version, and
 * holds them; otherwise `undefined` (then the command line runs, as it does from the sources).
 *
 * @internal
 */
export const lookup = (file: URL, version: string, args: ReadonlyArray<string>): Answer | undefined => {
  if (!candidate(args)) return undefined
  let record: unknown
  try {
    record = JSON.parse(readFileSync(file, "utf8"))
  } catch {
    return undefined
  }
  if (typeof record !== "object" || record === null || (record as Answers).version !== version) return undefined
  const answers = (record as Answers).answers
  if (typeof answers !== "object" || answers === null) return undefined
  const k = key(args)
  if (!Object.hasOwn(answers, k)) return undefined
  const answer = answers[k]
  return isAnswer(answer) ? answer : undefined
}
