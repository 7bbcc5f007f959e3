/**
 * The `ticketkit` command line, built with `@effect/cli`. This is the edge: the only place (with
 * `bin.ts`) where effects are run.
 *
 * Every typed error becomes a one-line message on stderr and a distinct exit code
 * ({@link ExitCode}); a stack trace is printed only for a bug, and only with `TICKETKIT_DEBUG=1`.
 *
 * @since 0.1.0
 */
import { Args, Command, Options, ValidationError } from "@effect/cli"
import type * as HttpClient from "@effect/platform/HttpClient"
import * as Cause from "effect/Cause"
import * as Console from "effect/Console"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import * as Config from "../Config.js"
import { Demo } from "../demo/index.js"
import { Note } from "../Note.js"
import * as Registry from "../Registry.js"
import * as ContractChecks from "../testing/ContractChecks.js"
import * as ReferenceServer from "../testing/ReferenceServer.js"
import { helpdeskFixtures } from "../demo/Helpdesk.js"
import * as T from "../Ticket.js"
import { TicketSystemAdapter } from "../TicketSystemAdapter.js"
import type { Service } from "../TicketSystemAdapter.js"
import { version } from "../version.js"
import { ExitCode, forTag } from "./ExitCode.js"

/**
 * Where the command runs.
 *
 * @since 0.1.0
 * @category models
 */
export interface Environment {
  /** the project directory: where `ticketkit.yaml` and `node_modules` (plugins) are looked up */
  readonly cwd: string
}

/**
 * @since 0.1.0
 * @category tags
 */
export class CliEnvironment extends Context.Tag("ticketkit/cli/Environment")<CliEnvironment, Environment>() {}

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
  Options.withDescription(`the configuration file (default: ${Config.DEFAULT_FILE} in the working directory)`),
  Options.optional
)
const systemOption = Options.text("system").pipe(
  Options.withAlias("s"),
  Options.withDescription("the configured system to use (default: the configured default, or the only one)"),
  Options.optional
)
const jsonOption = Options.boolean("json").pipe(Options.withDescription("print JSON instead of a table"))

const ref = (value: string): T.Ref => (/^\d+$/.test(value) ? { id: value } : { name: value })

/** builds the selected system's adapter for the duration of `f` */
const withSystem = <A, E, R>(
  selection: { readonly config: Option.Option<string>; readonly system: Option.Option<string> },
  f: (adapter: Service, system: Config.System) => Effect.Effect<A, E, R>
) =>
  Effect.gen(function*() {
    const env = yield* CliEnvironment
    yield* Registry.discover(env.cwd)
    const config = yield* Config.load({ file: Option.getOrUndefined(selection.config), cwd: env.cwd })
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

/**
 * Renders tickets as a table.
 *
 * @since 0.1.0
 * @category output
 */
export const table = (tickets: ReadonlyArray<T.Ticket>): string => {
  const rows = tickets.map((t) => [
    t.id,
    `${t.state.type}${t.state.name.toLowerCase() === t.state.type ? "" : ` (${t.state.name})`}`,
    `${t.priority.level}${t.priority.name.toLowerCase() === t.priority.level ? "" : ` (${t.priority.name})`}`,
    T.formatRef(t.queue),
    t.updatedAt.pipe((d) => new Date(d.epochMillis).toISOString().slice(0, 16).replace("T", " ")),
    cut(t.title.replace(/\s+/g, " "), 60)
  ])
  const header = ["ID", "STATE", "PRIORITY", "QUEUE", "UPDATED", "TITLE"]
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)))
  const line = (cells: ReadonlyArray<string>) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join("  ")
  return [line(header), ...rows.map(line)].join("\n")
}

const showTickets = (tickets: ReadonlyArray<T.Ticket>, json: boolean) =>
  json ? printJson(tickets.map((t) => encodeTicket(t))) : Console.log(tickets.length === 0 ? "no tickets" : table(tickets))

const showTicket = (ticket: T.Ticket, notes: ReadonlyArray<Note> | undefined, json: boolean) => {
  if (json) return printJson({ ...encodeTicket(ticket), ...(notes === undefined ? {} : { notes: notes.map((n) => encodeNote(n)) }) })
  const lines = [
    `#${ticket.id}  ${ticket.title}`,
    `state     ${ticket.state.type} (${ticket.state.name})`,
    `priority  ${ticket.priority.level} (${ticket.priority.name})`,
    `queue     ${T.formatRef(ticket.queue)}`,
    `requester ${T.formatRef(ticket.requester)}`,
    `assignee  ${T.formatRef(ticket.assignee)}`,
    ...(ticket.tags.length > 0 ? [`tags      ${ticket.tags.join(", ")}`] : []),
    `created   ${new Date(ticket.createdAt.epochMillis).toISOString()}`,
    `updated   ${new Date(ticket.updatedAt.epochMillis).toISOString()}`,
    "",
    ticket.description,
    ...(notes === undefined ? [] : notes.flatMap((n) => [
      "",
      `--- ${n.visibility} note${n.author ? ` by ${T.formatRef(n.author)}` : ""}${n.createdAt ? `, ${new Date(n.createdAt.epochMillis).toISOString()}` : ""}`,
      n.body
    ]))
  ]
  return Console.log(lines.join("\n"))
}

// -----------------------------------------------------------------------------
// commands
// -----------------------------------------------------------------------------

const systems = Command.make("systems", { config: configOption }, ({ config }) =>
  Effect.gen(function*() {
    const env = yield* CliEnvironment
    const registry = yield* Registry.AdapterRegistry
    const discovery = yield* Registry.discover(env.cwd)
    const adapters = yield* registry.list
    yield* Console.log("adapters:")
    for (const a of adapters) yield* Console.log(`  ${a.name.padEnd(18)} ${a.source.padEnd(22)} ${a.description}`)
    for (const e of discovery.errors) yield* Console.log(`  ! ${e.message}`)
    const loaded = yield* Config.load({ cwd: env.cwd, file: Option.getOrUndefined(config) })
    yield* Console.log(`systems${loaded.file === undefined ? "" : ` (${loaded.file})`}:`)
    if (loaded.systems.length === 0) yield* Console.log(`  none configured (create ${Config.DEFAULT_FILE})`)
    for (const s of loaded.systems) {
      yield* Console.log(`  ${s.name.padEnd(18)} ${s.adapter.padEnd(22)} ${s.name === loaded.default ? "(default) " : ""}${s.description ?? ""}`)
      if (s.system._tag === "Left") yield* Console.log(`  ! ${s.system.left.message}`)
    }
  })).pipe(Command.withDescription("list the adapters found (built in and plugins) and the systems configured"))

const stateChoice = ["new", "open", "pending", "resolved", "closed"] as const
const priorityChoice = ["low", "normal", "high", "urgent"] as const

const fetch = Command.make("fetch", {
  config: configOption,
  system: systemOption,
  json: jsonOption,
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
      let count = 0
      const tickets = yield* adapter.streamTickets(criteria).pipe(
        Stream.tap(() => (++count % 500 === 0 ? Console.error(`fetched ${count}…`) : Effect.void)),
        Stream.runCollect
      )
      return yield* showTickets(Array.from(tickets), o.json)
    }))).pipe(Command.withDescription("fetch tickets by criteria"))

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
        return yield* Effect.fail(ValidationError.invalidValue(
          { _tag: "Paragraph", value: { _tag: "Text", value: "nothing to update: give at least one of --state, --priority, --queue, --title, --assignee, --tag" } } as never
        ))
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
      yield* Console.log(`added a${o.public ? " public" : "n internal"} note to ticket ${o.id}`)
    }))).pipe(Command.withDescription("add a note to a ticket (internal unless --public)"))

const check = Command.make("check", {
  config: configOption,
  system: systemOption,
  write: Options.boolean("write").pipe(Options.withDescription("also run the write checks: they create 5 marked tickets, update them and add notes")),
  queue: Options.text("queue").pipe(Options.optional, Options.withDescription("where the write checks create tickets (id or name)")),
  otherQueue: Options.text("other-queue").pipe(Options.optional, Options.withDescription("a second queue, for the queue filter check"))
}, (o) =>
  withSystem(o, (adapter, system) =>
    Effect.gen(function*() {
      if (o.write && Option.isNone(o.queue)) {
        return yield* Effect.fail(ValidationError.missingValue({ _tag: "Paragraph", value: { _tag: "Text", value: "--write needs --queue: where the checks may create tickets" } } as never))
      }
      yield* Console.log(`checking ${system.name} (${system.adapter.name}): ${o.write ? "read and write" : "read-only"} contract checks`)
      const results = yield* ContractChecks.runAll(adapter, {
        queue: ref(Option.getOrElse(o.queue, () => "1")),
        ...(Option.isSome(o.otherQueue) ? { otherQueue: ref(o.otherQueue.value) } : {})
      }, {
        write: o.write,
        onResult: (r, i, total) =>
          Console.log(`  [${String(i + 1).padStart(2)}/${total}] ${r.passed ? "ok  " : "FAIL"} ${r.name} (${r.millis} ms)${r.passed ? "" : `\n         ${r.message}`}`)
      })
      const failed = results.filter((r) => !r.passed).length
      yield* Console.log(`${results.length - failed} passed, ${failed} failed`)
      if (failed > 0) return yield* new CheckFailed({ failed, total: results.length })
    }))).pipe(Command.withDescription("run the adapter contract checks against a configured live system (read-only unless --write)"))

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
    }).pipe(Effect.mapError((e) => ValidationError.invalidValue({ _tag: "Paragraph", value: { _tag: "Text", value: e.message } } as never)))
    const server = yield* ReferenceServer.make({ port: o.port, host: o.host, token: o.token, fixtures: helpdeskFixtures(o.tickets), faults })
    yield* Console.log(`reference ticket server on ${server.url} with ${server.store.size} tickets; clients send the --token as a bearer token; Ctrl-C stops it`)
    return yield* Effect.never
  }).pipe(Effect.scoped)).pipe(Command.withDescription("run the reference ticket server (the guide's REST API), with optional fault injection"))

const demo = Command.make("demo", {
  tickets: Options.integer("tickets").pipe(Options.withDefault(300))
}, (o) => Demo.run({ tickets: o.tickets })).pipe(Command.withDescription("the triage demo on the embedded reference server (what npm start runs)"))

/**
 * The command tree.
 *
 * @since 0.1.0
 * @category commands
 */
export const command = Command.make("ticketkit").pipe(
  Command.withDescription("one typed, failure-aware interface over ticket systems"),
  Command.withSubcommands([systems, fetch, get, search, update, note, check, serve, demo])
)

/**
 * Runs the command line and returns the exit code. Typed failures are printed as one line on
 * stderr; usage errors are explained by `@effect/cli`.
 *
 * @since 0.1.0
 * @category running
 */
export const main = (argv: ReadonlyArray<string>) =>
  Command.run(command, { name: "ticketkit", version })(argv).pipe(
    Effect.as(ExitCode.ok as number),
    Effect.catchAllCause((cause) => {
      if (Cause.isInterruptedOnly(cause)) return Effect.succeed(130)
      const failure = Cause.failureOption(cause)
      if (Option.isSome(failure)) {
        const error = failure.value as { readonly _tag?: string; readonly message?: string }
        if (ValidationError.isValidationError(error)) return Effect.succeed(ExitCode.usage as number)
        const code = forTag(error._tag ?? "")
        const message = typeof error.message === "string" && error.message !== "" ? error.message : String(error)
        return Effect.as(Console.error(`ticketkit: ${message}`), code)
      }
      const debug = process.env.TICKETKIT_DEBUG === "1"
      return Effect.as(
        Console.error(`ticketkit: unexpected error (a bug; run with TICKETKIT_DEBUG=1 for details)${debug ? `\n${Cause.pretty(cause)}` : ""}`),
        ExitCode.unexpected as number
      )
    })
  )

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
