/**
 * Mirror Request Tracker tickets into Redmine — once, or every interval until stopped.
 *
 *   npx tsx examples/mirror/main.ts [--dry-run] [--every SECONDS] [--queue Support] [--text WORDS]
 *                                   [--project demo] [--checkpoint .ticketkit/mirror.sqlite]
 *
 * The systems come from the environment: RT_URL, RT_TOKEN, REDMINE_URL, REDMINE_API_KEY (the start
 * scripts write them to /tmp/ticketkit-rt/env and /tmp/ticketkit-redmine/env:
 * `set -a; . /tmp/ticketkit-rt/env; . /tmp/ticketkit-redmine/env; set +a`).
 *
 * The checkpoint is an SQLite file: stop the program at any moment (Ctrl-C lets the tickets in
 * flight finish) and start it again — it takes up where it stopped, and never mirrors a note
 * twice. The pipeline itself is in ./Mirror.ts.
 */
import { NodeHttpClient, NodeRuntime } from "@effect/platform-node"
import { Config, Console, Duration, Effect, Layer, Schedule } from "effect"
import { parseArgs } from "node:util"
import { Checkpoint, Pipeline, Redmine, RequestTracker, Retry, TicketSystemAdapter } from "ticketkit"
import { mirror } from "./Mirror.js"

const { values: args } = parseArgs({
  options: {
    "dry-run": { type: "boolean", default: false },
    every: { type: "string" },
    queue: { type: "string", default: "Support" },
    text: { type: "string" },
    project: { type: "string", default: "demo" },
    checkpoint: { type: "string", default: ".ticketkit/mirror.sqlite" }
  }
})

/** Request Tracker as the system named "rt", with the default retry policy */
const RtLive = Layer.unwrapEffect(
  Effect.gen(function*() {
    const baseUrl = yield* Config.string("RT_URL")
    const token = yield* Config.redacted("RT_TOKEN")
    return Retry.layer().pipe(Layer.provide(RequestTracker.layer({ name: "rt", baseUrl, auth: { _tag: "token", token } })))
  })
).pipe(TicketSystemAdapter.layerAs("rt"))

/** Redmine as the system named "redmine" */
const RedmineLive = Layer.unwrapEffect(
  Effect.gen(function*() {
    const baseUrl = yield* Config.string("REDMINE_URL")
    const apiKey = yield* Config.redacted("REDMINE_API_KEY")
    return Retry.layer().pipe(Layer.provide(Redmine.layer({ name: "redmine", baseUrl, apiKey })))
  })
).pipe(TicketSystemAdapter.layerAs("redmine"))

const pipeline = mirror({
  criteria: { queues: [{ name: args.queue }], ...(args.text === undefined ? {} : { text: args.text }) },
  project: { id: args.project }
})

const report = (summary: Pipeline.Summary) =>
  Console.log([
    Pipeline.formatSummary(summary),
    ...summary.changes.map((change) => `  ${change.applied ? "" : "(dry run) "}${Pipeline.formatChange(change)}`)
  ].join("\n"))

const program = Effect.gen(function*() {
  const what = `RT queue ${args.queue}${args.text === undefined ? "" : ` (subject contains ${JSON.stringify(args.text)})`} → Redmine project ${args.project}`
  const options = { dryRun: args["dry-run"], concurrency: 2 }
  if (args.every === undefined) {
    yield* Console.log(`mirroring ${what}${options.dryRun ? ", dry run" : ""}`)
    return yield* report(yield* Pipeline.run(pipeline, options))
  }
  const every = Duration.seconds(Number(args.every))
  yield* Console.log(`mirroring ${what} every ${Duration.format(every)} (Ctrl-C stops cleanly)`)
  yield* Pipeline.repeat(pipeline, Schedule.spaced(every), { ...options, onRun: report })
})

program.pipe(
  Effect.provide(Layer.mergeAll(RtLive, RedmineLive, Checkpoint.layerSqlite({ filename: args.checkpoint }))),
  Effect.provide(NodeHttpClient.layerUndici),
  NodeRuntime.runMain
)
