/**
 * The `ticketkit` command line, built with `@effect/cli`. This is the edge: the only place (with
 * `bin.ts`) where effects are run.
 *
 * Every typed error becomes a one-line message on stderr and a distinct exit code
 * ({@link ExitCode}); a stack trace is printed only for a bug, and only with `TICKETKIT_DEBUG=1`.
 *
 * Everything printed — tables, tickets, errors, `systems`, log lines (`--log-level`) — goes
 * through one scrubber that knows every secret of the loaded configuration, and text from a ticket
 * system is printed with its control characters escaped (see `Output.ts`); `--json` is scrubbed
 * but not escaped. `fetch --all` prints as the tickets come, in constant memory.
 *
 * @since 0.1.0
 */
import { Args, Command, Options, ValidationError } from "@effect/cli"
import type * as HttpClient from "@effect/platform/HttpClient"
import * as Cause from "effect/Cause"
import * as Chunk from "effect/Chunk"
import * as Console from "effect/Console"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Logger from "effect/Logger"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import * as Config from "../Config.js"
import { Note } from "../Note.js"
import * as Redaction from "../Redaction.js"
import * as Registry from "../Registry.js"
import * as Telemetry from "../Telemetry.js"
import * as T from "../Ticket.js"
import { TicketSystemAdapter } from "../TicketSystemAdapter.js"
import type { Service } from "../TicketSystemAdapter.js"
import { version } from "../version.js"
import { ExitCode, forTag } from "./ExitCode.js"
import { errorLine, escapeControls, multilineText, scrubbingConsole } from "./Output.js"
import * as New from "./New.js"
import * as ConfigCommand from "./ConfigCommand.js"

/**
 * Where the command runs.
 *
 * @since 0.1.0
 * @category models
 */
export interface Environment {
  /** the project directory: where `ticketkit.yaml` and `node_modules` (plugins) are looked up */
  readonly cwd: string
  /**
   * stdout is a terminal: `fetch --all` then prints no progress on stderr (the rows show it);
   * default false
   */
  readonly stdoutIsTerminal?: boolean | undefined
}

/**
 * @since 0.1.0
 * @category tags
 */
export class CliEnvironment extends Context.Tag("ticketkit/cli/Environment")<CliEnvironment, Environment>() {}

/**
 * What the command line prints through: the scrubber of the loaded configuration's secrets (set
 * once the configuration is loaded, used for every line printed after).
 *
 * @since 0.1.0
 * @category models
 */
export interface Output {
  scrubber: Redaction.Scrubber
}

/**
 * @since 0.1.0
 * @category tags
 */
export class CliOutput extends Context.Tag("ticketkit/cli/Output")<CliOutput, Output>() {}

/**
 * Wrong usage found by a command itself (nothing to update, `--write` without `--queue`…): its
 * message is printed on stderr, and the exit code is 2, as for the usage errors `@effect/cli` finds.
 *
 * @since 0.1.0
 * @category errors
 */
export class UsageError extends Schema.TaggedError<UsageError>("ticketkit/UsageError")("UsageError", {
  detail: Schema.String
}) {
  /**
   * @since 0.1.0
   */
  override get message(): string {
    return this.detail
  }
}

/**
 * `check` found contract violations.
 *
 * @since 0.1.0
 * @category errors
 */
export class CheckFailed extends Schema.TaggedError<CheckFailed>("ticketkit/CheckFailed")("CheckFailed", {
  failed: Schema.Number,
  total: Schema.Number
}) {
  /**
   * @since 0.1.0
   */
  override get message(): string {
    return `${this.failed} of ${this.total} contract checks failed`
  }
}

// -----------------------------------------------------------------------------
// shared options
// -----------------------------------------------------------------------------

const configOption = Options.text("config").pipe(
  Options.withAlias("c"),
  Options.withDescription(`the configuration file (default: the nearest ${Config.DEFAULT_FILE}, in the working directory or above)`),
  Options.optional
)
const systemOption = Options.text("system").pipe(
  Options.withAlias("s"),
  Options.withDescription("the configured system to use (default: the configured default, or the only one)"),
  Options.optional
)
const jsonOption = Options.boolean("json").pipe(Options.withDescription("print JSON instead of a table"))

const ref = (value: string): T.Ref => (/^\d+$/.test(value) ? { id: value } : { name: value })

/**
 * The plugins of the project that holds the configuration file (found upward from the working
 * directory), else of the working directory.
 */
const discoverPlugins = (file: Option.Option<string>) =>
  Effect.gen(function*() {
    const env = yield* CliEnvironment
    const located = yield* Effect.orElseSucceed(Config.locate({ file: Option.getOrUndefined(file), cwd: env.cwd }), () => undefined)
    return yield* Registry.discover(located?.directory ?? env.cwd)
  })

/** loads the configuration, and from then on scrubs its secrets from everything printed */
const loadConfig = (file: Option.Option<string>) =>
  Effect.gen(function*() {
    const env = yield* CliEnvironment
    const output = yield* CliOutput
    const config = yield* Config.load({ file: Option.getOrUndefined(file), cwd: env.cwd })
    output.scrubber = Redaction.combine(output.scrubber, Redaction.make(config.secrets))
    return config
  })

/**
 * Exports spans and metrics for the rest of the command when telemetry is configured (the
 * configuration's `telemetry:` section, the `OTEL_*` variables); they are flushed when the command
 * ends or is interrupted, within the flush timeout, whatever the collector does.
 */
const startTelemetry = (config: Config.Resolved) =>
  Effect.gen(function*() {
    const output = yield* CliOutput
    const settings = yield* Telemetry.make(config.telemetry, { serviceName: "ticketkit", serviceVersion: version, secrets: config.secrets })
    if (settings !== undefined) output.scrubber = Redaction.combine(output.scrubber, Redaction.make(settings.secrets))
  })

/** builds the selected system's adapter for the duration of `f` */
const withSystem = <A, E, R>(
  selection: { readonly config: Option.Option<string>; readonly system: Option.Option<string> },
  f: (adapter: Service, system: Config.System) => Effect.Effect<A, E, R>
) =>
  Effect.gen(function*() {
    yield* discoverPlugins(selection.config)
    const config = yield* loadConfig(selection.config)
    yield* startTelemetry(config)
    const system = yield* Config.select(config, Option.getOrUndefined(selection.system))
    const context = yield* Layer.build(system.layer)
    return yield* f(Context.get(context, TicketSystemAdapter), system)
  }).pipe(Effect.scoped)

// -----------------------------------------------------------------------------
// output
// -----------------------------------------------------------------------------

const encodeTicket = Schema.encodeSync(T.Ticket)
const encodeNote = Schema.encodeSync(Note)

const printJson = (value: unknown) => Console.log(JSON.stringify(value, null, 2))

const cut = (text: string, width: number) => (text.length > width ? `${text.slice(0, width - 1)}…` : text)

/** a single-line field from a ticket system, safe to print */
const one = (text: string) => escapeControls(text)
/** a multi-line text from a ticket system (a description, a note): line breaks kept */
const many = (text: string) => escapeControls(text, { multiline: true })

const HEADER = ["ID", "STATE", "PRIORITY", "QUEUE", "UPDATED", "TITLE"] as const
/** the widest a column other than the title is made (a wider cell shifts the rest of its row) */
const MAX_COLUMN = 40
/** where a title is cut in a table */
const TITLE_WIDTH = 60

const named = (value: string, name: string) => `${value}${name.toLowerCase() === value ? "" : ` (${name})`}`

/** a ticket's cells in a table: each escaped, the title on one line and cut */
const cellsOf = (t: T.Ticket): ReadonlyArray<string> => [
  one(t.id),
  one(named(t.state.type, t.state.name)),
  one(named(t.priority.level, t.priority.name)),
  one(T.formatRef(t.queue)),
  new Date(t.updatedAt.epochMillis).toISOString().slice(0, 16).replace("T", " "),
  one(cut(t.title.replace(/\s+/g, " "), TITLE_WIDTH))
]

/** column widths for these rows: the widest cell, at most {@link MAX_COLUMN} */
const widthsOf = (rows: ReadonlyArray<ReadonlyArray<string>>): ReadonlyArray<number> =>
  HEADER.map((h, i) => {
    let width = h.length
    for (const row of rows) width = Math.max(width, row[i]!.length)
    return Math.min(width, MAX_COLUMN)
  })

const rowText = (cells: ReadonlyArray<string>, widths: ReadonlyArray<number>) =>
  cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join("  ")

/**
 * Renders tickets as a table: columns as wide as their widest cell (at most 40 characters; a wider
 * cell shifts the rest of its row), titles cut at 60; text from the system has its control
 * characters escaped.
 *
 * @since 0.1.0
 * @category output
 */
export const table = (tickets: ReadonlyArray<T.Ticket>): string => {
  const rows = tickets.map(cellsOf)
  const widths = widthsOf(rows)
  return [rowText(HEADER, widths), ...rows.map((r) => rowText(r, widths))].join("\n")
}

const showTickets = (tickets: ReadonlyArray<T.Ticket>, json: boolean) =>
  json ? printJson(tickets.map((t) => encodeTicket(t))) : Console.log(tickets.length === 0 ? "no tickets" : table(tickets))

/**
 * Prints a stream of tickets as it comes, in constant memory: a table whose column widths are
 * sized from the first page (see {@link table}), or, with `json`, JSON Lines — one ticket (its
 * normal form, as `--json` prints it) per line. Progress goes to stderr, every 500 tickets.
 */
const streamTickets = <E, R>(
  tickets: Stream.Stream<T.Ticket, E, R>,
  options: { readonly json: boolean; readonly progress: boolean }
) =>
  Effect.gen(function*() {
    let count = 0
    let widths: ReadonlyArray<number> | undefined
    yield* Stream.runForEachChunk(tickets, (chunk) => {
      if (Chunk.isEmpty(chunk)) return Effect.void
      const page = Chunk.toReadonlyArray(chunk)
      const before = count
      count += page.length
      let text: string
      if (options.json) {
        text = page.map((t) => JSON.stringify(encodeTicket(t))).join("\n")
      } else {
        const rows = page.map(cellsOf)
        const header = widths === undefined
        widths ??= widthsOf(rows)
        const lines = rows.map((r) => rowText(r, widths!))
        text = (header ? [rowText(HEADER, widths), ...lines] : lines).join("\n")
      }
      const progress = options.progress && Math.floor(before / 500) !== Math.floor(count / 500)
      return progress ? Effect.zipRight(Console.log(text), Console.error(`fetched ${count}…`)) : Console.log(text)
    })
    if (count === 0 && !options.json) yield* Console.log("no tickets")
  })

const showTicket = (ticket: T.Ticket, notes: ReadonlyArray<Note> | undefined, json: boolean) => {
  if (json) return printJson({ ...encodeTicket(ticket), ...(notes === undefined ? {} : { notes: notes.map((n) => encodeNote(n)) }) })
  const lines = [
    `#${one(ticket.id)}  ${one(ticket.title)}`,
    `state     ${one(ticket.state.type)} (${one(ticket.state.name)})`,
    `priority  ${one(ticket.priority.level)} (${one(ticket.priority.name)})`,
    `queue     ${one(T.formatRef(ticket.queue))}`,
    `requester ${one(T.formatRef(ticket.requester))}`,
    `assignee  ${one(T.formatRef(ticket.assignee))}`,
    ...(ticket.tags.length > 0 ? [`tags      ${one(ticket.tags.join(", "))}`] : []),
    `created   ${new Date(ticket.createdAt.epochMillis).toISOString()}`,
    `updated   ${new Date(ticket.updatedAt.epochMillis).toISOString()}`,
    "",
    many(ticket.description),
    ...(notes === undefined ? [] : notes.flatMap((n) => [
      "",
      `--- ${one(n.visibility)} note${n.author ? ` by ${one(T.formatRef(n.author))}` : ""}${n.createdAt ? `, ${new Date(n.createdAt.epochMillis).toISOString()}` : ""}`,
      many(n.body)
    ]))
  ]
  return Console.log(lines.join("\n"))
}

/** an error message quoted in the normal output (a plugin that failed, a broken system) */
const quoted = (message: string) => Effect.map(CliOutput, (output) => errorLine(output.scrubber, message))

// -----------------------------------------------------------------------------
// commands
// -----------------------------------------------------------------------------

/**
 * A module only some commands need (the reference server, the contract checks, the demo), loaded
 * when one of them runs: the others start without it.
 */
const lazy = <A>(load: () => Promise<A>): Effect.Effect<A> => Effect.promise(load)

const systems = Command.make("systems", { config: configOption }, ({ config }) =>
  Effect.gen(function*() {
    const registry = yield* Registry.AdapterRegistry
    const discovery = yield* discoverPlugins(config)
    const adapters = yield* registry.list
    // the configuration first: its secrets are scrubbed from everything printed
    const loading = yield* Effect.either(loadConfig(config))
    yield* Console.log("adapters:")
    for (const a of adapters) yield* Console.log(`  ${one(a.name).padEnd(18)} ${one(a.source).padEnd(22)} ${one(a.description)}`)
    for (const e of discovery.errors) yield* Console.log(`  ! ${yield* quoted(e.message)}`)
    const loaded = yield* loading
    yield* Console.log(`systems${loaded.file === undefined ? "" : ` (${one(loaded.file)})`}:`)
    if (loaded.systems.length === 0) yield* Console.log(`  none configured (create ${Config.DEFAULT_FILE})`)
    for (const s of loaded.systems) {
      yield* Console.log(`  ${one(s.name).padEnd(18)} ${one(s.adapter).padEnd(22)} ${s.name === loaded.default ? "(default) " : ""}${one(s.description ?? "")}`)
      if (s.system._tag === "Left") yield* Console.log(`  ! ${yield* quoted(s.system.left.message)}`)
    }
  })).pipe(Command.withDescription("list the adapters found (built in and plugins) and the systems configured"))

const stateChoice = ["new", "open", "pending", "resolved", "closed"] as const
const priorityChoice = ["low", "normal", "high", "urgent"] as const

const fetch = Command.make("fetch", {
  config: configOption,
  system: systemOption,
  json: Options.boolean("json").pipe(Options.withDescription("print JSON instead of a table (with --all: JSON Lines, one ticket a line)")),
  state: Options.choice("state", stateChoice).pipe(Options.repeated, Options.withDescription("only tickets in this state (repeatable)")),
  queue: Options.text("queue").pipe(Options.repeated, Options.withDescription("only tickets in this queue, by id or name (repeatable)")),
  priority: Options.choice("priority", priorityChoice).pipe(Options.repeated, Options.withDescription("only tickets with this priority (repeatable)")),
  since: Options.text("since").pipe(Options.optional, Options.withDescription("only tickets updated since (ISO 8601)")),
  text: Options.text("text").pipe(Options.optional, Options.withDescription("only tickets whose text contains this")),
  limit: Options.integer("limit").pipe(Options.withDefault(20), Options.withDescription("at most this many tickets")),
  all: Options.boolean("all").pipe(Options.withDescription("every matching ticket, page by page (ignores --limit)"))
}, (o) =>
  withSystem(o, (adapter) =>
    Effect.gen(function*() {
      const criteria = {
        ...(o.state.length > 0 ? { states: o.state } : {}),
        ...(o.queue.length > 0 ? { queues: o.queue.map(ref) } : {}),
        ...(o.priority.length > 0 ? { priorities: o.priority } : {}),
        ...(Option.isSome(o.since) ? { updatedSince: o.since.value } : {}),
        ...(Option.isSome(o.text) ? { text: o.text.value } : {})
      }
      if (!o.all) return yield* showTickets(yield* adapter.fetchTickets({ ...criteria, limit: o.limit }), o.json)
      const env = yield* CliEnvironment
      return yield* streamTickets(adapter.streamTickets(criteria), { json: o.json, progress: env.stdoutIsTerminal !== true })
    }))).pipe(Command.withDescription("fetch tickets by criteria; with --all, printed as they come (--json: JSON Lines)"))

const get = Command.make("get", {
  config: configOption,
  system: systemOption,
  json: jsonOption,
  notes: Options.boolean("notes").pipe(Options.withDescription("also show the ticket's notes")),
  id: Args.text({ name: "ID" })
}, (o) =>
  withSystem(o, (adapter) =>
    Effect.gen(function*() {
      const ticket = yield* adapter.getTicket(o.id)
      const notes = o.notes ? yield* adapter.listNotes(o.id) : undefined
      yield* showTicket(ticket, notes, o.json)
    }))).pipe(Command.withDescription("show one ticket"))

const search = Command.make("search", {
  config: configOption,
  system: systemOption,
  json: jsonOption,
  limit: Options.integer("limit").pipe(Options.withDefault(20)),
  query: Args.text({ name: "QUERY" })
}, (o) => withSystem(o, (adapter) => Effect.flatMap(adapter.searchTickets(o.query, { limit: o.limit }), (t) => showTickets(t, o.json))))
  .pipe(Command.withDescription("search tickets by text"))

const update = Command.make("update", {
  config: configOption,
  system: systemOption,
  json: jsonOption,
  state: Options.text("state").pipe(Options.optional, Options.withDescription("new | open | pending | resolved | closed, or the system's own status name")),
  priority: Options.text("priority").pipe(Options.optional, Options.withDescription("low | normal | high | urgent, or the system's own priority name")),
  queue: Options.text("queue").pipe(Options.optional, Options.withDescription("queue id or name")),
  title: Options.text("title").pipe(Options.optional),
  assignee: Options.text("assignee").pipe(Options.optional, Options.withDescription("user name or email; \"-\" to unassign")),
  tag: Options.text("tag").pipe(Options.repeated, Options.withDescription("replace the tags (repeatable)")),
  id: Args.text({ name: "ID" })
}, (o) =>
  withSystem(o, (adapter) =>
    Effect.gen(function*() {
      const normal = <L extends string>(value: string, levels: ReadonlyArray<L>): L | T.Ref =>
        (levels as ReadonlyArray<string>).includes(value) ? (value as L) : { name: value }
      const change = {
        ...(Option.isSome(o.state) ? { state: normal(o.state.value, stateChoice) } : {}),
        ...(Option.isSome(o.priority) ? { priority: normal(o.priority.value, priorityChoice) } : {}),
        ...(Option.isSome(o.queue) ? { queue: ref(o.queue.value) } : {}),
        ...(Option.isSome(o.title) ? { title: o.title.value } : {}),
        ...(Option.isSome(o.assignee) ? { assignee: o.assignee.value === "-" ? null : o.assignee.value.includes("@") ? { email: o.assignee.value } : { name: o.assignee.value } } : {}),
        ...(o.tag.length > 0 ? { tags: o.tag } : {})
      }
      if (Object.keys(change).length === 0) {
        return yield* new UsageError({ detail: "nothing to update: give at least one of --state, --priority, --queue, --title, --assignee, --tag" })
      }
      const ticket = yield* adapter.updateTicket(o.id, change)
      yield* showTicket(ticket, undefined, o.json)
    }))).pipe(Command.withDescription("change a ticket's state, priority, queue, title, assignee or tags"))

const note = Command.make("note", {
  config: configOption,
  system: systemOption,
  public: Options.boolean("public").pipe(Options.withDescription("visible to the requester (default: internal)")),
  html: Options.boolean("html").pipe(Options.withDescription("the text is HTML")),
  id: Args.text({ name: "ID" }),
  text: Args.text({ name: "TEXT" })
}, (o) =>
  withSystem(o, (adapter) =>
    Effect.gen(function*() {
      yield* adapter.addNote(o.id, { body: o.text, visibility: o.public ? "public" : "internal", contentType: o.html ? "text/html" : "text/plain" })
      yield* Console.log(`added a${o.public ? " public" : "n internal"} note to ticket ${one(o.id)}`)
    }))).pipe(Command.withDescription("add a note to a ticket (internal unless --public)"))

const check = Command.make("check", {
  config: configOption,
  system: systemOption,
  write: Options.boolean("write").pipe(
    Options.withDescription("also run the write checks: they create 5 marked tickets (or change the --ticket ones and put them back), update them and add notes")
  ),
  queue: Options.text("queue").pipe(Options.optional, Options.withDescription("where the write checks create tickets (id or name)")),
  otherQueue: Options.text("other-queue").pipe(Options.optional, Options.withDescription("a second queue, for the queue filter and round-trip checks")),
  tickets: Options.text("ticket").pipe(
    Options.repeated,
    Options.withDescription("an existing ticket the write checks may change instead of creating tickets (repeatable); every change is put back, notes added stay")
  )
}, (o) =>
  withSystem(o, (adapter, system) =>
    Effect.gen(function*() {
      if (o.tickets.length > 0 && !o.write) {
        return yield* new UsageError({ detail: "--ticket names tickets the write checks change: add --write" })
      }
      if (o.write && o.tickets.length === 0 && Option.isNone(o.queue)) {
        return yield* new UsageError({ detail: "--write needs --queue (where the checks may create tickets) or --ticket (existing tickets they may change)" })
      }
      const output = yield* CliOutput
      yield* Console.log(`checking ${one(system.name)} (${one(system.adapter.name)}): ${o.write ? "read and write" : "read-only"} contract checks`)
      const ContractChecks = yield* lazy(() => import("../testing/ContractChecks.js"))
      const mark = (r: { readonly status: string }) => r.status === "passed" ? "ok  " : r.status === "failed" ? "FAIL" : "skip"
      const report = yield* ContractChecks.run(adapter, {
        queue: ref(Option.getOrElse(o.queue, () => "1")),
        ...(Option.isSome(o.otherQueue) ? { otherQueue: ref(o.otherQueue.value) } : {}),
        ...(o.tickets.length > 0 ? { tickets: o.tickets } : {})
      }, {
        readOnly: !o.write,
        onResult: (r, i, total) =>
          r.status === "skipped"
            ? Effect.void
            : Console.log(`  [${String(i + 1).padStart(2)}/${total}] ${mark(r)} ${r.name} (${r.millis} ms)${r.passed ? "" : `\n         ${errorLine(output.scrubber, r.message ?? "")}`}`)
      })
      yield* Console.log(multilineText(output.scrubber, ContractChecks.formatCoverage(system.name, report.coverage), MAX_LOG_LINE))
      const { failed, passed } = report.coverage
      yield* Console.log(`${passed} passed, ${failed} failed`)
      if (failed > 0) return yield* new CheckFailed({ failed, total: passed + failed })
    }))).pipe(Command.withDescription("run the adapter contract checks against a configured live system (read-only unless --write); prints what ran and what was skipped"))

const rate = (name: string, description: string) =>
  Options.float(name).pipe(Options.optional, Options.withDescription(description))

const serve = Command.make("serve", {
  port: Options.integer("port").pipe(Options.withDefault(8080)),
  host: Options.text("host").pipe(Options.withDefault("127.0.0.1")),
  token: Options.text("token").pipe(Options.withDefault("reference-token"), Options.withDescription("the bearer token clients must send")),
  tickets: Options.integer("tickets").pipe(Options.withDefault(300), Options.withDescription("seed with the demo help desk of this many tickets")),
  latencyMs: Options.integer("latency-ms").pipe(Options.optional),
  rateLimit: Options.integer("rate-limit").pipe(Options.optional, Options.withDescription("answer 429 past this many requests per second")),
  errorRate: rate("error-rate", "share of requests answered 500/502/503 (0–1)"),
  dropBeforeRate: rate("drop-before-rate", "share of connections dropped before acting"),
  dropAfterRate: rate("drop-after-rate", "share of connections dropped after acting"),
  malformedRate: rate("malformed-rate", "share of answers with truncated JSON"),
  slowBodyMs: Options.integer("slow-body-ms").pipe(Options.optional),
  seed: Options.integer("seed").pipe(Options.optional)
}, (o) =>
  Effect.gen(function*() {
    const [ReferenceServer, { helpdeskFixtures }] = yield* lazy(() => Promise.all([import("../testing/ReferenceServer.js"), import("../demo/Helpdesk.js")]))
    const opt = <A>(value: Option.Option<A>, key: string) => (Option.isSome(value) ? { [key]: value.value } : {})
    const faults = yield* Schema.decodeUnknown(ReferenceServer.Faults)({
      ...opt(o.latencyMs, "latencyMs"),
      ...opt(o.rateLimit, "rateLimitPerSecond"),
      ...opt(o.errorRate, "serverErrorRate"),
      ...opt(o.dropBeforeRate, "dropBeforeRate"),
      ...opt(o.dropAfterRate, "dropAfterRate"),
      ...opt(o.malformedRate, "malformedRate"),
      ...opt(o.slowBodyMs, "slowBodyMs"),
      ...opt(o.seed, "seed")
    }).pipe(Effect.mapError((e) => new UsageError({ detail: e.message })))
    const server = yield* ReferenceServer.make({ port: o.port, host: o.host, token: o.token, fixtures: helpdeskFixtures(o.tickets), faults })
    yield* Console.log(`reference ticket server on ${server.url} with ${server.store.size} tickets; clients send the --token as a bearer token; Ctrl-C stops it`)
    return yield* Effect.never
  }).pipe(Effect.scoped)).pipe(Command.withDescription("run the reference ticket server (the guide's REST API), with optional fault injection"))

const demo = Command.make("demo", {
  tickets: Options.integer("tickets").pipe(Options.withDefault(300))
}, (o) => Effect.flatMap(lazy(() => import("../demo/index.js")), ({ Demo }) => Demo.run({ tickets: o.tickets }))).pipe(Command.withDescription("the triage demo on the embedded reference server (what npm start runs)"))

/**
 * The command tree.
 *
 * @since 0.1.0
 * @category commands
 */
export const command = Command.make("ticketkit").pipe(
  Command.withDescription("one typed, failure-aware interface over ticket systems"),
  Command.withSubcommands([systems, fetch, get, search, update, note, check, serve, demo, New.command(Effect.map(CliEnvironment, (env) => env.cwd)), ConfigCommand.make(Effect.map(CliEnvironment, (env) => env.cwd))])
)

/** the longest log line printed (a log line may hold a cause with its stack) */
const MAX_LOG_LINE = 20_000

/**
 * Runs the command line and returns the exit code. Typed failures are printed as one line on
 * stderr (scrubbed, escaped, capped at 2,000 characters); usage errors are explained by
 * `@effect/cli`. Everything printed — and the log lines of `--log-level`, on stderr — goes through
 * the scrubber of the loaded configuration's secrets.
 *
 * @since 0.1.0
 * @category running
 */
export const main = (argv: ReadonlyArray<string>) =>
  Effect.gen(function*() {
    const output: Output = { scrubber: Redaction.empty }
    const console = scrubbingConsole(yield* Effect.console, () => output.scrubber)
    const logger = Logger.make((options) => console.unsafe.error(multilineText(output.scrubber, Logger.stringLogger.log(options), MAX_LOG_LINE)))
    return yield* Command.run(command, { name: "ticketkit", version })(argv).pipe(
      Effect.as(ExitCode.ok as number),
      Effect.catchAllCause((cause) => {
        if (Cause.isInterruptedOnly(cause)) return Effect.succeed(ExitCode.interrupted as number)
        const failure = Cause.failureOption(cause)
        if (Option.isSome(failure)) {
          const error = failure.value as { readonly _tag?: string; readonly message?: string }
          if (ValidationError.isValidationError(error)) return Effect.succeed(ExitCode.usage as number)
          const code = forTag(error._tag ?? "")
          const message = typeof error.message === "string" && error.message !== "" ? error.message : String(error)
          return Effect.as(Console.error(`ticketkit: ${errorLine(output.scrubber, message)}`), code)
        }
        const debug = process.env.TICKETKIT_DEBUG === "1"
        return Effect.as(
          Console.error(`ticketkit: unexpected error (a bug; run with TICKETKIT_DEBUG=1 for details)${debug ? `\n${multilineText(output.scrubber, Cause.pretty(cause), MAX_LOG_LINE)}` : ""}`),
          ExitCode.unexpected as number
        )
      }),
      Effect.provideService(CliOutput, output),
      Effect.provide(Logger.replace(Logger.defaultLogger, logger)),
      Effect.withConsole(console)
    )
  })

/**
 * The services the command line needs besides the platform: the registry of adapters.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (
  environment: Environment,
  adapters: ReadonlyArray<Registry.AdapterDefinition> = []
): Layer.Layer<CliEnvironment | Registry.AdapterRegistry> =>
  Layer.merge(Layer.succeed(CliEnvironment, environment), Registry.layer(adapters))

/**
 * The platform a command needs (provided by `bin.ts`).
 *
 * @since 0.1.0
 * @category models
 */
export type Requirements = HttpClient.HttpClient
