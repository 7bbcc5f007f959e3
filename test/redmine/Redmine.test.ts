// Redmine-specific behaviour, against the live Redmine started by scripts/redmine/start.sh.
import type { HttpClient } from "@effect/platform"
import { HttpClient as Client } from "@effect/platform"
import { NodeHttpClient } from "@effect/platform-node"
import { assert } from "@effect/vitest"
import { Cause, ConfigProvider, DateTime, Effect, Exit, Layer, Redacted } from "effect"
import type { AdapterError } from "../../src/AdapterError.js"
import { Redmine, RedmineClient } from "../../src/adapters/redmine/index.js"
import * as TicketkitConfig from "../../src/Config.js"
import * as Registry from "../../src/Registry.js"
import type { Service } from "../../src/TicketSystemAdapter.js"
import { TicketSystemAdapter } from "../../src/TicketSystemAdapter.js"
import { leaks, record } from "../support/Capture.js"
import { adapterLayer, clientLayer, describeLive, Env, EnvLive, marker, projects } from "./env.js"

const queue = { id: projects.project }
const otherQueue = { id: projects.otherProject }
const TIMEOUT = 60_000

/** runs `f` with an adapter built from its own layer */
const withAdapter = <A, E>(adapterOf: Layer.Layer<TicketSystemAdapter, unknown>, f: (adapter: Service) => Effect.Effect<A, E>) =>
  Effect.flatMap(TicketSystemAdapter, f).pipe(Effect.provide(adapterOf))

const asReporter = <A, E>(f: (adapter: Service) => Effect.Effect<A, E>) => withAdapter(adapterLayer({}, "reporter"), f)

const failure = <A>(effect: Effect.Effect<A, AdapterError>) =>
  Effect.flatMap(Effect.either(effect), (result) =>
    result._tag === "Left" ? Effect.succeed(result.left) : Effect.dieMessage(`expected a failure, got ${JSON.stringify(result.right)}`))

/** an HttpClient hook recording every request */
const spy = () => {
  const requests: Array<{ readonly method: string; readonly url: string; readonly params: ReadonlyArray<readonly [string, string]>; readonly headers: Record<string, string> }> = []
  const transformClient = (client: HttpClient.HttpClient) =>
    Client.mapRequest(client, (request) => {
      requests.push({ method: request.method, url: request.url, params: request.urlParams, headers: { ...request.headers } })
      return request
    })
  return { requests, transformClient }
}

describeLive("Redmine (live)", Layer.merge(adapterLayer(), EnvLive), (it) => {
  it.effect("fails with AuthenticationError on a wrong key: building the layer, and on every call", () =>
    Effect.gen(function*() {
      const env = yield* Env
      const wrong = Redmine.layer({ baseUrl: env.url, apiKey: Redacted.make("0123456789abcdef-wrong-key") })
      const built = yield* failure(Layer.build(wrong).pipe(Effect.scoped, Effect.provide(NodeHttpClient.layerUndici)) as Effect.Effect<unknown, AdapterError>)
      assert.strictEqual(built._tag, "AuthenticationError")
      assert.include(built.message, "Check the API key")
      const error = yield* Effect.flatMap(RedmineClient.RedmineClient, (client) => failure(client.getIssue(1))).pipe(
        Effect.provide(clientLayer(() => "0123456789abcdef-wrong-key"))
      )
      assert.isTrue(error._tag === "AuthenticationError" && error.status === 401, `got ${error._tag}`)
    }), TIMEOUT)

  it.effect("gives Redmine's own message for a 422 validation error as RequestRejectedError", () =>
    Effect.gen(function*() {
      const adapter = yield* TicketSystemAdapter
      const tooLong = yield* failure(adapter.createTicket({ title: `${marker()} ${"x".repeat(300)}`, queue }))
      assert.isTrue(tooLong._tag === "RequestRejectedError" && tooLong.status === 422, `got ${tooLong._tag}: ${tooLong.message}`)
      assert.include(tooLong.message, "Subject is too long")
      const client = yield* RedmineClient.RedmineClient
      const blank = yield* failure(client.createIssue({ project_id: projects.project, subject: "" }))
      assert.isTrue(blank._tag === "RequestRejectedError" && blank.reason === "Subject cannot be blank", blank.message)
    }), TIMEOUT)

  it.effect("maps statuses and priorities both ways, keeping Redmine's own values", () =>
    Effect.gen(function*() {
      const adapter = yield* TicketSystemAdapter
      assert.deepStrictEqual(adapter.capabilities.states, ["new", "open", "pending", "resolved", "closed"])
      assert.strictEqual(adapter.capabilities.maxPageSize, 100)
      const m = marker()
      const ticket = yield* adapter.createTicket({ title: `${m} states`, queue, priority: "urgent", state: "pending" })
      assert.deepStrictEqual([ticket.state.type, ticket.state.name], ["pending", "Feedback"])
      assert.deepStrictEqual([ticket.priority.level, ticket.priority.name], ["urgent", "Urgent"])
      const seen: Array<[string, string]> = []
      for (const state of ["open", "resolved", "closed", "new"] as const) {
        const t = yield* adapter.updateTicket(ticket.id, { state })
        seen.push([t.state.type, t.state.name])
      }
      assert.deepStrictEqual(seen, [["open", "In Progress"], ["resolved", "Resolved"], ["closed", "Closed"], ["new", "New"]])
      const rejected = yield* adapter.updateTicket(ticket.id, { state: { name: "rejected" }, priority: { name: "Immediate" } })
      assert.deepStrictEqual([rejected.state.type, rejected.state.name], ["closed", "Rejected"])
      assert.match(rejected.state.id ?? "", /^\d+$/, "Redmine's status id is kept")
      assert.deepStrictEqual([rejected.priority.level, rejected.priority.name], ["urgent", "Immediate"])
      const found = yield* adapter.fetchTickets({ text: m, states: ["closed"], priorities: ["urgent"] })
      assert.deepStrictEqual(found.map((t) => t.id), [ticket.id])
    }), TIMEOUT)

  it.effect("refuses an unknown status, and detects by reading back a change Redmine ignored (204)", () =>
    Effect.gen(function*() {
      const adapter = yield* TicketSystemAdapter
      const client = yield* RedmineClient.RedmineClient
      const ticket = yield* adapter.createTicket({ title: `${marker()} invalid status`, queue })
      const unknown = yield* failure(adapter.updateTicket(ticket.id, { state: { id: "999" }, title: "must not be applied" }))
      assert.strictEqual(unknown._tag, "RequestRejectedError")
      assert.include(unknown.message, "no status #999")
      assert.strictEqual((yield* adapter.getTicket(ticket.id)).title, ticket.title, "nothing was sent")
      // the quirk itself: Redmine answers 204 to an unknown status id and changes nothing
      yield* client.updateIssue(Number(ticket.id), { status_id: 999 })
      assert.strictEqual((yield* client.getIssue(Number(ticket.id))).status.id, 1)
      // the reporter may not change issues: Redmine answers 204 and ignores it; the read-back catches it
      const ignored = yield* asReporter((reporter) => failure(reporter.updateTicket(ticket.id, { state: "closed", title: `${ticket.title} (reporter)` })))
      assert.strictEqual(ignored._tag, "RequestRejectedError")
      assert.include(ignored.message, "did not apply: status \"Closed\" (it is still \"New\"), subject (title)")
      const read = yield* adapter.getTicket(ticket.id)
      assert.deepStrictEqual([read.state.name, read.title], ["New", ticket.title])
    }), TIMEOUT)

  it.effect("keeps internal notes from the reporter; refuses internal notes Redmine would publish", () =>
    Effect.gen(function*() {
      const adapter = yield* TicketSystemAdapter
      const m = marker()
      const ticket = yield* adapter.createTicket({ title: `${m} private notes`, queue })
      yield* adapter.addNote(ticket.id, `${m} internal: the customer is on the watch list`)
      yield* adapter.addNote(ticket.id, { body: `${m} public: we are on it`, visibility: "public" })
      const asAdmin = yield* adapter.listNotes(ticket.id)
      assert.deepStrictEqual(asAdmin.map((n) => [n.body.slice(m.length + 1, m.length + 9), n.visibility]), [["internal", "internal"], ["public: ", "public"]])
      assert.strictEqual(asAdmin[0]!.author?.name, "Redmine Admin")

      const asReporterNotes = yield* asReporter((reporter) => reporter.listNotes(ticket.id))
      assert.deepStrictEqual(asReporterNotes.map((n) => n.body), [`${m} public: we are on it`], "the reporter sees the public note only")

      // the reporter cannot mark notes private: Redmine would store it as public, so the adapter refuses
      const refused = yield* asReporter((reporter) => failure(reporter.addNote(ticket.id, `${m} reporter internal`)))
      assert.strictEqual(refused._tag, "RequestRejectedError")
      assert.include(refused.message, "Mark notes as private")
      yield* asReporter((reporter) => reporter.addNote(ticket.id, { body: `${m} reporter public`, visibility: "public" }))
      const after = yield* adapter.listNotes(ticket.id)
      assert.deepStrictEqual(after.map((n) => n.visibility), ["internal", "public", "public"])
      assert.isFalse(after.some((n) => n.body.includes("reporter internal")), "nothing was published")
      assert.strictEqual(after[2]!.author?.name, "Rita Reporter")
    }), TIMEOUT)

  it.effect("round-trips non-ASCII text in titles, descriptions and notes", () =>
    Effect.gen(function*() {
      const adapter = yield* TicketSystemAdapter
      const m = marker()
      const title = `${m} Grüße — 日本語 ✓`
      const description = "Zeile 1: Übergrößenträger\nZeile 2: 日本語のテキスト ✓ — “quotes” & <tags>\n"
      const created = yield* adapter.createTicket({ title, description, queue })
      const read = yield* adapter.getTicket(created.id)
      assert.deepStrictEqual([read.title, read.description], [title, description], "\\r\\n from Redmine becomes \\n again")
      yield* adapter.addNote(created.id, { body: "Notiz: Straße ✓\n日本語", visibility: "public" })
      assert.deepStrictEqual((yield* adapter.listNotes(created.id)).map((n) => n.body), ["Notiz: Straße ✓\n日本語"])
      const renamed = yield* adapter.updateTicket(created.id, { title: `${m} Ünïcödé ✓✓` })
      assert.strictEqual(renamed.title, `${m} Ünïcödé ✓✓`)
      // subject search: every word must occur; case-insensitive for ASCII letters only
      assert.deepStrictEqual((yield* adapter.searchTickets(`Ünïcödé ${m}`)).map((t) => t.id), [created.id])
      assert.deepStrictEqual((yield* adapter.searchTickets(`${m.toUpperCase()} Ünïcödé`)).map((t) => t.id), [created.id], "ASCII: case-insensitive")
      assert.deepStrictEqual((yield* adapter.searchTickets(`${m} ünïcödé`)).map((t) => t.id), [], "non-ASCII: case-sensitive (Redmine on SQLite)")
    }), TIMEOUT)

  it.effect("filters by several projects at once (Redmine's long filter form)", () =>
    Effect.gen(function*() {
      const adapter = yield* TicketSystemAdapter
      const m = marker()
      const a = yield* adapter.createTicket({ title: `${m} in demo`, queue, priority: "high" })
      const b = yield* adapter.createTicket({ title: `${m} in ops`, queue: otherQueue, priority: "high" })
      const c = yield* adapter.createTicket({ title: `${m} in ops, low`, queue: otherQueue, priority: "low" })
      const both = yield* adapter.fetchTickets({ text: m, queues: [queue, otherQueue] })
      assert.deepStrictEqual(both.map((t) => t.id), [a.id, b.id, c.id])
      const high = yield* adapter.fetchTickets({ text: m, queues: [queue, otherQueue], priorities: ["high"], states: ["new"] })
      assert.deepStrictEqual(high.map((t) => t.id), [a.id, b.id])
      const page = yield* adapter.fetchPage({ text: m, queues: [queue, otherQueue], pageSize: 2 })
      assert.deepStrictEqual([page.items.length, page.total, page.next], [2, 3, "2"])
      const unknown = yield* failure(adapter.fetchTickets({ queues: [{ name: "no-such-project" }] }))
      assert.strictEqual(unknown._tag, "RequestRejectedError")
      assert.include(unknown.message, "no project no-such-project")
    }), TIMEOUT)

  it.effect("sends updatedSince to the second (fractions rounded up) without losing a ticket", () =>
    Effect.gen(function*() {
      const adapter = yield* TicketSystemAdapter
      const m = marker()
      const ticket = yield* adapter.createTicket({ title: `${m} since`, queue })
      const at = ticket.updatedAt
      const same = yield* adapter.fetchTickets({ text: m, updatedSince: at })
      assert.deepStrictEqual(same.map((t) => t.id), [ticket.id])
      const fraction = yield* adapter.fetchTickets({ text: m, updatedSince: DateTime.subtract(at, { millis: 500 }) })
      assert.deepStrictEqual(fraction.map((t) => t.id), [ticket.id], "a fractional time is accepted (Redmine refuses .000Z)")
      const later = yield* adapter.fetchTickets({ text: m, updatedSince: DateTime.add(at, { seconds: 2 }) })
      assert.deepStrictEqual(later, [])
    }), TIMEOUT)

  it.effect("assigns by user id, and unassigns", () =>
    Effect.gen(function*() {
      const adapter = yield* TicketSystemAdapter
      const reporter = yield* Effect.flatMap(RedmineClient.RedmineClient, (c) => c.currentUser()).pipe(
        Effect.provide(clientLayer((env) => env.userApiKey))
      )
      const ticket = yield* adapter.createTicket({ title: `${marker()} assign`, queue, assignee: { id: String(reporter.id) } })
      assert.deepStrictEqual(ticket.assignee, { id: String(reporter.id), name: "Rita Reporter" })
      assert.strictEqual(ticket.requester?.name, "Redmine Admin")
      const unassigned = yield* adapter.updateTicket(ticket.id, { assignee: null })
      assert.isUndefined(unassigned.assignee)
      const byName = yield* failure(adapter.updateTicket(ticket.id, { assignee: { name: "Rita Reporter" } }))
      assert.strictEqual(byName._tag, "InvalidInputError")
      const tags = yield* failure(adapter.updateTicket(ticket.id, { tags: ["x"] }))
      assert.strictEqual(tags._tag, "InvalidInputError")
      assert.strictEqual((yield* adapter.updateTicket(ticket.id, { tags: [] })).id, ticket.id, "an empty tag list is fine")
    }), TIMEOUT)

  it.effect("searches full text (descriptions and notes) with textSearch: full-text", () =>
    Effect.gen(function*() {
      const adapter = yield* TicketSystemAdapter
      const m = marker()
      const byDescription = yield* adapter.createTicket({ title: `${m} one`, description: `the ${m}zebra is loose`, queue })
      const byNote = yield* adapter.createTicket({ title: `${m} two`, queue: otherQueue })
      yield* adapter.addNote(byNote.id, { body: `seen a ${m}zebra`, visibility: "public" })
      // the subject filter does not look at descriptions or notes
      assert.deepStrictEqual(yield* adapter.searchTickets(`${m}zebra`), [])
      yield* withAdapter(adapterLayer({ textSearch: "full-text" }), (fullText) =>
        Effect.gen(function*() {
          const found = yield* fullText.searchTickets(`${m}zebra`)
          assert.deepStrictEqual(found.map((t) => t.id).sort(), [byDescription.id, byNote.id].sort())
          const inDemo = yield* fullText.searchTickets(`${m}zebra`, { queues: [queue] })
          assert.deepStrictEqual(inDemo.map((t) => t.id), [byDescription.id])
          const paged = yield* fullText.fetchPage({ text: `${m}zebra`, pageSize: 1 })
          assert.deepStrictEqual([paged.items.length, paged.total, paged.next], [1, 2, "1"])
        }))
    }), TIMEOUT)

  it.effect("restricts the adapter to the configured projects", () =>
    Effect.gen(function*() {
      const adapter = yield* TicketSystemAdapter
      const m = marker()
      const inDemo = yield* adapter.createTicket({ title: `${m} restricted`, queue })
      const inOps = yield* adapter.createTicket({ title: `${m} restricted`, queue: otherQueue })
      yield* withAdapter(adapterLayer({ projects: [projects.project] }), (restricted) =>
        Effect.gen(function*() {
          assert.deepStrictEqual((yield* restricted.fetchTickets({ text: m })).map((t) => t.id), [inDemo.id])
          assert.strictEqual((yield* failure(restricted.getTicket(inOps.id)))._tag, "TicketNotFoundError")
          assert.strictEqual((yield* failure(restricted.updateTicket(inOps.id, { priority: "high" })))._tag, "TicketNotFoundError")
          assert.strictEqual((yield* failure(restricted.addNote(inOps.id, "x")))._tag, "TicketNotFoundError")
          assert.strictEqual((yield* failure(restricted.createTicket({ title: "x", queue: otherQueue })))._tag, "RequestRejectedError")
        }))
    }), TIMEOUT)

  it.effect("checks the configuration against Redmine with ConfigurationError", () =>
    Effect.gen(function*() {
      const env = yield* Env
      const build = (options: Partial<Redmine.OptionsInput>) =>
        Layer.build(Redmine.layer({ baseUrl: env.url, apiKey: Redacted.make(env.apiKey), ...options })).pipe(
          Effect.scoped,
          Effect.provide(NodeHttpClient.layerUndici),
          Effect.flip
        )
      const cases: ReadonlyArray<[Partial<Redmine.OptionsInput>, string]> = [
        [{ baseUrl: "localhost:3010" }, "baseUrl"],
        [{ defaultTracker: "Incident" }, "defaultTracker: Redmine has no tracker \"Incident\" (trackers: \"Bug\", \"Feature\", \"Support\")"],
        [{ states: { Waiting: "pending" } }, "states: Redmine has no status \"Waiting\""],
        [{ statusFor: { pending: "In Progress" } }, "statusFor.pending: status \"In Progress\" reads back as open"],
        [{ priorityFor: { urgent: "Highest" } }, "priorityFor.urgent: Redmine has no active priority \"Highest\""],
        [{ projects: ["nowhere"] }, "projects: no project \"nowhere\""]
      ]
      for (const [options, text] of cases) {
        const error = yield* build(options)
        assert.strictEqual(error._tag, "ConfigurationError", JSON.stringify(options))
        assert.include(error.message, text)
      }
      // overrides that fit are accepted: Feedback becomes "open", In Progress is written for "pending"
      yield* withAdapter(
        adapterLayer({ defaultTracker: "Support", states: { "In Progress": "pending", Feedback: "open" }, statusFor: { open: "Feedback" } }),
        (custom) =>
          Effect.gen(function*() {
            const t = yield* custom.createTicket({ title: `${marker()} overrides`, queue, state: "pending" })
            assert.deepStrictEqual([t.state.type, t.state.name], ["pending", "In Progress"])
            assert.strictEqual((t.raw as RedmineClient.Issue).tracker.name, "Support")
            const open = yield* custom.updateTicket(t.id, { state: "open" })
            assert.deepStrictEqual([open.state.type, open.state.name], ["open", "Feedback"])
          })
      )
    }), TIMEOUT)

  it.effect("works from a configuration file entry (adapter: redmine), the key from the environment", () =>
    Effect.gen(function*() {
      const env = yield* Env
      const registry = yield* Registry.make
      yield* Effect.ignore(registry.register(Redmine.definition, "ticketkit")) // a no-op once it is a built-in
      const resolved = yield* TicketkitConfig.resolve({
        systems: {
          tracker: { adapter: "redmine", options: { baseUrl: env.url, apiKey: "${env:TK_TEST_REDMINE_KEY}", defaultTracker: "Support" } }
        }
      }).pipe(
        Effect.provideService(Registry.AdapterRegistry, registry),
        Effect.withConfigProvider(ConfigProvider.fromMap(new Map([["TK_TEST_REDMINE_KEY", env.apiKey]])))
      )
      const system = yield* TicketkitConfig.select(resolved, "tracker")
      assert.isTrue(Redacted.isRedacted((system.options as Redmine.Options).apiKey), "the key is Redacted once decoded")
      const [name, kind, count] = yield* Effect.flatMap(TicketSystemAdapter, (adapter) =>
        Effect.map(adapter.fetchTickets({ queues: [queue], limit: 2 }), (tickets) => [adapter.name, adapter.kind, tickets.length] as const)).pipe(
          Effect.provide(system.layer),
          Effect.provide(NodeHttpClient.layerUndici)
        )
      assert.deepStrictEqual([name, kind], ["tracker", "redmine"])
      assert.isAtMost(count, 2)
      // layerConfig, from effect's Config
      const fromConfig = yield* Effect.flatMap(TicketSystemAdapter, (adapter) => adapter.fetchTickets({ limit: 1 })).pipe(
        Effect.provide(Redmine.layerConfig(RedmineClient.configFromEnv)),
        Effect.provide(NodeHttpClient.layerUndici),
        Effect.withConfigProvider(ConfigProvider.fromMap(new Map([["REDMINE_URL", env.url], ["REDMINE_API_KEY", env.apiKey]])))
      )
      assert.isAtMost(fromConfig.length, 1)
    }), TIMEOUT)

  it.effect("reads statuses, priorities, trackers and projects once per layer", () =>
    Effect.gen(function*() {
      const { requests, transformClient } = spy()
      yield* withAdapter(adapterLayer({}, "admin", { transformClient }), (adapter) =>
        Effect.gen(function*() {
          const m = marker()
          const t = yield* adapter.createTicket({ title: `${m} lookups`, queue, priority: "high" })
          yield* adapter.updateTicket(t.id, { state: "open", priority: "low", queue: otherQueue })
          yield* adapter.fetchTickets({ text: m, states: ["open"], priorities: ["low"], queues: [otherQueue] })
          yield* adapter.addNote(t.id, "internal")
          yield* adapter.addNote(t.id, "internal again")
        }))
      const count = (path: string) => requests.filter((r) => new URL(r.url).pathname === path).length
      assert.deepStrictEqual(
        ["/issue_statuses.json", "/enumerations/issue_priorities.json", "/trackers.json", "/projects.json", "/users/current.json"].map(count),
        [1, 1, 1, 1, 1]
      )
    }), TIMEOUT)

  it.effect("sends the key in X-Redmine-API-Key only, and never shows a key in errors, logs or spans", () =>
    Effect.gen(function*() {
      const env = yield* Env
      const wrongKey = "feedfacefeedface-not-a-key"
      const secrets = [env.apiKey, env.userApiKey, wrongKey]
      const { requests, transformClient } = spy()
      const { exit, recording } = yield* record(
        Effect.gen(function*() {
          const errors: Array<AdapterError> = []
          const collect = <A>(effect: Effect.Effect<A, AdapterError>) => Effect.flatMap(failure(effect), (e) => Effect.sync(() => errors.push(e)))
          yield* withAdapter(adapterLayer({}, "admin", { transformClient }), (adapter) =>
            Effect.gen(function*() {
              const t = yield* adapter.createTicket({ title: `${marker()} secrets`, queue })
              yield* adapter.updateTicket(t.id, { priority: "high" })
              yield* adapter.addNote(t.id, "internal note")
              yield* adapter.listNotes(t.id)
              yield* adapter.fetchTickets({ text: "secrets", limit: 3 })
              yield* collect(adapter.getTicket("999999999"))
              yield* collect(adapter.updateTicket(t.id, { state: { id: "999" } }))
              yield* collect(adapter.createTicket({ title: "x".repeat(300), queue }))
            }))
          yield* withAdapter(adapterLayer({}, "reporter", { transformClient }), (adapter) =>
            Effect.gen(function*() {
              yield* collect(adapter.addNote("999999999", "x"))
              yield* collect(adapter.fetchTickets({ queues: [otherQueue] }))
            }))
          yield* Effect.flatMap(RedmineClient.RedmineClient, (wrong) => collect(wrong.getIssue(1))).pipe(
            Effect.provide(clientLayer(() => wrongKey, { transformClient }))
          )
          return errors
        })
      )
      assert.isTrue(Exit.isSuccess(exit), Exit.isFailure(exit) ? Cause.pretty(exit.cause) : "")
      const errors = Exit.isSuccess(exit) ? exit.value : []
      assert.deepStrictEqual(errors.map((e) => e._tag), [
        "TicketNotFoundError",
        "RequestRejectedError",
        "RequestRejectedError",
        "TicketNotFoundError",
        "RequestRejectedError",
        "AuthenticationError"
      ])
      for (const error of errors) {
        for (const secret of secrets) {
          assert.notInclude(error.message, secret)
          assert.notInclude(JSON.stringify(error), secret)
        }
      }
      assert.deepStrictEqual(leaks(recording, secrets), [])
      assert.isTrue(recording.spans.some((s) => s.name === "http.client PUT"), "requests are traced")
      assert.isTrue(recording.logs.some((l) => l.includes("/issues.json")), "requests are logged")
      // the key travels in the header, never in the URL
      assert.isTrue(requests.length > 10)
      for (const request of requests) {
        const url = new URL(request.url)
        assert.isFalse([...url.searchParams.keys(), ...request.params.map(([k]) => k)].includes("key"), request.url)
        assert.isTrue(secrets.some((s) => request.headers["x-redmine-api-key"] === s), "X-Redmine-API-Key is set")
      }
    }), TIMEOUT)
})
