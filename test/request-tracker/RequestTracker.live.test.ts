/**
 * Request Tracker specific behaviour, against the live RT 5 (scripts/rt/start.sh): history of
 * comments and replies, TicketSQL injection attempts, RT's 200-with-an-error answers, auth
 * failures, secrets. Fails, never skips, when RT is not running.
 */
import { NodeHttpClient } from "@effect/platform-node"
import { assert, layer } from "@effect/vitest"
import { ConfigProvider, Context, Effect, Either, Exit, Layer, Option, Redacted } from "effect"
import * as Client from "../../src/adapters/request-tracker/RequestTrackerClient.js"
import { RequestTrackerClient } from "../../src/adapters/request-tracker/RequestTrackerClient.js"
import * as TicketSql from "../../src/adapters/request-tracker/TicketSql.js"
import type { AdapterError } from "../../src/AdapterError.js"
import * as TicketkitConfig from "../../src/Config.js"
import * as Registry from "../../src/Registry.js"
import type { Ticket } from "../../src/Ticket.js"
import { TicketSystemAdapter } from "../../src/TicketSystemAdapter.js"
import type * as Port from "../../src/TicketSystemAdapter.js"
import { leaks, record } from "../support/Capture.js"
import { requireRt, rtEnv, rtLayer } from "./env.js"

requireRt()

const TIMEOUT = 60_000
const random = () => Math.random().toString(36).slice(2, 10)

const expectError = <A>(effect: Effect.Effect<A, AdapterError>, tag: AdapterError["_tag"], what: string) =>
  Effect.gen(function*() {
    const result = yield* Effect.either(effect)
    if (Either.isRight(result)) return assert.fail(`${what}: expected ${tag}, but it succeeded`)
    assert.strictEqual(result.left._tag, tag, `${what}: got ${result.left._tag}: ${result.left.message}`)
    return result.left
  })

const ids = (tickets: ReadonlyArray<Ticket>) => tickets.map((t) => t.id).sort()

/** runs `f` with an adapter configured differently (inside its layer's scope) */
const withAdapter = <A, E>(
  overrides: Parameters<typeof rtLayer>[0],
  f: (adapter: Port.Service) => Effect.Effect<A, E>
) => Effect.flatMap(TicketSystemAdapter, f).pipe(Effect.provide(rtLayer(overrides)))

/** RT's admin call the adapter does not need: create (or re-enable) a queue */
const ensureQueue = (name: string) =>
  Effect.gen(function*() {
    const client = yield* RequestTrackerClient
    const existing = yield* client.getQueue(name)
    if (Option.isSome(existing) && String(existing.value.Disabled ?? "0") === "0") return existing.value.id
    const env = yield* rtEnv
    const call = (method: string, path: string, body: unknown) =>
      Effect.tryPromise(() =>
        fetch(`${env.url}/REST/2.0${path}`, {
          method,
          headers: { authorization: `token ${env.token}`, "content-type": "application/json" },
          body: JSON.stringify(body)
        }).then(async (r) => ({ status: r.status, text: await r.text() }))
      )
    const answer = Option.isSome(existing)
      ? yield* call("PUT", `/queue/${existing.value.id}`, { Disabled: 0 })
      : yield* call("POST", "/queue", { Name: name, Description: "ticketkit TicketSQL injection tests" })
    assert.isTrue(answer.status === 200 || answer.status === 201, `queue ${name}: ${answer.status} ${answer.text}`)
    const created = yield* client.getQueue(name)
    return Option.getOrThrow(created).id
  })

// -----------------------------------------------------------------------------

layer(rtLayer(), { excludeTestServices: true, timeout: "2 minutes" })("RequestTracker ↔ live RT 5", (it) => {
  it.effect("keeps comments and replies apart in RT's history", () =>
    Effect.gen(function*() {
      const rt = yield* TicketSystemAdapter
      const client = yield* RequestTrackerClient
      const tag = random()
      const ticket = yield* rt.createTicket({ title: `tk-history ${tag}`, description: `first message ${tag}`, queue: { name: "Support" } })
      yield* rt.addNote(ticket.id, { body: `internal ${tag}`, visibility: "internal" })
      yield* rt.addNote(ticket.id, { body: `<p>public ${tag}</p>`, visibility: "public", contentType: "text/html" })

      // RT's own history: a Comment and a Correspond transaction, each with its text
      const history = yield* client.searchTransactions({
        query: TicketSql.ticketTransactions([Number(ticket.id)], ["Create", "Comment", "Correspond"])
      })
      assert.deepStrictEqual(history.items.map((t) => t.Type), ["Create", "Comment", "Correspond"])
      const textOf = (txn: Client.Transaction) =>
        client.transactionAttachments(txn.id).pipe(Effect.map((a) => a.items.map((x) => x.Content).join("")))
      assert.strictEqual(yield* textOf(history.items[1]!), `internal ${tag}`)
      assert.strictEqual(yield* textOf(history.items[2]!), `<p>public ${tag}</p>`)

      // the port: both notes once, with their visibility; the first message is the description
      const notes = yield* rt.listNotes(ticket.id)
      assert.deepStrictEqual(
        notes.map((n) => [n.visibility, n.body, n.contentType]),
        [["internal", `internal ${tag}`, "text/plain"], ["public", `<p>public ${tag}</p>`, "text/html"]]
      )
      assert.deepStrictEqual(notes.map((n) => n.id), [history.items[1]!.id, history.items[2]!.id])
      assert.isTrue(notes.every((n) => n.author?.name === "root" && n.createdAt !== undefined))
      assert.strictEqual((yield* rt.getTicket(ticket.id)).description, `first message ${tag}`)
    }), TIMEOUT)

  it.effect("maps RT's lifecycle and priorities both ways", () =>
    Effect.gen(function*() {
      const rt = yield* TicketSystemAdapter
      const client = yield* RequestTrackerClient
      const ticket = yield* rt.createTicket({ title: `tk-lifecycle ${random()}`, queue: { name: "Support" }, priority: "low" })
      assert.deepStrictEqual([ticket.state, ticket.priority], [{ type: "new", name: "new" }, { level: "low", name: "0", value: 0 }])
      // unset dates are absent, not 1970
      assert.isUndefined((yield* client.getTicket(ticket.id)).value.Resolved)
      const expected = [
        ["open", "open"], ["pending", "stalled"], ["resolved", "resolved"], ["closed", "rejected"], ["new", "new"]
      ] as const
      for (const [type, status] of expected) {
        const updated = yield* rt.updateTicket(ticket.id, { state: type })
        assert.deepStrictEqual(updated.state, { type, name: status })
      }
      const deleted = yield* rt.updateTicket(ticket.id, { state: { name: "deleted" } })
      assert.deepStrictEqual(deleted.state, { type: "closed", name: "deleted" })
      yield* rt.updateTicket(ticket.id, { state: "resolved" })
      assert.isDefined((yield* client.getTicket(ticket.id)).value.Resolved, "a resolved ticket has a Resolved date")
      for (const [level, value] of [["normal", 25], ["high", 50], ["urgent", 100], ["low", 0]] as const) {
        const updated = yield* rt.updateTicket(ticket.id, { priority: level })
        assert.deepStrictEqual(updated.priority, { level, name: String(value), value })
      }
      const exact = yield* rt.updateTicket(ticket.id, { priority: { name: "74" } })
      assert.deepStrictEqual(exact.priority, { level: "high", name: "74", value: 74 })
    }), TIMEOUT)

  it.effect("sets owners by name or email, requestors, queues by id or name", () =>
    Effect.gen(function*() {
      const rt = yield* TicketSystemAdapter
      const ticket = yield* rt.createTicket({
        title: `tk-people ${random()}`,
        queue: { id: "3" },
        requester: { email: "tk-requester@example.test" },
        assignee: { name: "root" }
      })
      assert.deepStrictEqual(ticket.requester, { name: "tk-requester@example.test", email: "tk-requester@example.test" })
      assert.deepStrictEqual(ticket.assignee, { name: "root" })
      assert.deepStrictEqual(ticket.queue, { id: "3", name: "Support" })
      assert.isUndefined((yield* rt.updateTicket(ticket.id, { assignee: null })).assignee)
      assert.deepStrictEqual((yield* rt.updateTicket(ticket.id, { assignee: { email: "ROOT@localhost" } })).assignee, { name: "root" })
      const moved = yield* rt.updateTicket(ticket.id, { queue: { name: "Sales" } })
      assert.deepStrictEqual(moved.queue, { id: "4", name: "Sales" })
      assert.deepStrictEqual((yield* rt.updateTicket(ticket.id, { queue: { id: "3" } })).queue, { id: "3", name: "Support" })
    }), TIMEOUT)

  it.effect("fails with RequestRejectedError carrying RT's message when RT answers 200 to an invalid change", () =>
    Effect.gen(function*() {
      const rt = yield* TicketSystemAdapter
      const ticket = yield* rt.createTicket({ title: `tk-invalid ${random()}`, queue: { name: "Support" }, priority: "normal" })
      const status = yield* expectError(rt.updateTicket(ticket.id, { state: { name: "bogus" } }), "RequestRejectedError", "unknown status")
      assert.include(status.message, `Ticket ${ticket.id}: Status 'bogus' isn't a valid status for this ticket.`)
      assert.strictEqual(status._tag === "RequestRejectedError" ? status.ticketId : undefined, ticket.id)
      const queue = yield* expectError(rt.updateTicket(ticket.id, { queue: { name: "tk-no-such-queue" } }), "RequestRejectedError", "unknown queue")
      assert.include(queue.message, "Queue tk-no-such-queue does not exist")
      const owner = yield* expectError(rt.updateTicket(ticket.id, { assignee: { name: "tk-no-such-user" } }), "RequestRejectedError", "unknown owner")
      assert.include(owner.message, "does not exist")
      // RT applies what it can: the error says what it refused, the valid part is applied
      const partly = yield* expectError(rt.updateTicket(ticket.id, { priority: "high", state: { name: "bogus" } }), "RequestRejectedError", "partly")
      assert.include(partly.message, "isn't a valid status")
      const read = yield* rt.getTicket(ticket.id)
      assert.deepStrictEqual([read.state.name, read.priority.level, read.queue.name], ["new", "high", "Support"])
      assert.strictEqual(read.assignee, undefined)
      // a create in a queue RT does not know (RT answers 403, as for a missing right)
      const create = yield* expectError(rt.createTicket({ title: "x", queue: { name: "tk-no-such-queue" } }), "RequestRejectedError", "create")
      assert.include(create.message, "does not exist")
      // a bad status on create is a plain 400
      yield* expectError(rt.createTicket({ title: "x", queue: { name: "Support" }, state: { name: "bogus" } }), "RequestRejectedError", "create status")
      // RT cannot change the first message
      yield* expectError(rt.updateTicket(ticket.id, { description: "changed" }), "InvalidInputError", "description")
    }), TIMEOUT)

  it.effect("fails with AuthenticationError for a wrong token, a user without rights, and works with basic auth", () =>
    Effect.gen(function*() {
      const env = yield* rtEnv
      const rt = yield* TicketSystemAdapter
      const ticket = yield* rt.createTicket({ title: `tk-auth ${random()}`, queue: { name: "Support" } })

      yield* withAdapter(() => ({ auth: { _tag: "token", token: Redacted.make("1-14-00000000000000000000000000000000") } }), (bad) =>
        Effect.gen(function*() {
          const e = yield* expectError(bad.getTicket(ticket.id), "AuthenticationError", "wrong token")
          assert.strictEqual(e._tag === "AuthenticationError" ? e.status : undefined, 401)
          yield* expectError(bad.fetchTickets({ queues: [{ name: "Support" }] }), "AuthenticationError", "wrong token search")
          yield* expectError(bad.addNote(ticket.id, "x"), "AuthenticationError", "wrong token note")
        }))

      assert.isDefined(env.limitedToken, "scripts/rt/start.sh writes a token of a user without rights to limited.env")
      yield* withAdapter(() => ({ auth: { _tag: "token", token: env.limitedToken! } }), (limited) =>
        Effect.gen(function*() {
          const forbidden = yield* expectError(limited.getTicket(ticket.id), "AuthenticationError", "no right to see")
          assert.strictEqual(forbidden._tag === "AuthenticationError" ? forbidden.status : undefined, 403)
          yield* expectError(limited.createTicket({ title: "x", queue: { name: "Support" } }), "AuthenticationError", "no right to create")
          yield* expectError(limited.addNote(ticket.id, "x"), "AuthenticationError", "no right to comment")
          yield* expectError(limited.updateTicket(ticket.id, { priority: "high" }), "AuthenticationError", "no right to modify")
          assert.deepStrictEqual(yield* limited.fetchTickets({ queues: [{ name: "Support" }], limit: 5 }), [], "sees no ticket")
        }))

      const read = yield* withAdapter((env) => ({ auth: { _tag: "basic", username: "root", password: env.rootPassword } }), (basic) => basic.getTicket(ticket.id))
      assert.strictEqual(read.id, ticket.id)
    }), TIMEOUT)

  it.effect("searches message content only with contentSearch", () =>
    Effect.gen(function*() {
      const rt = yield* TicketSystemAdapter
      const word = `tkzebra${random()}`
      const ticket = yield* rt.createTicket({ title: "tk-content", description: `the body says ${word}`, queue: { name: "Support" } })
      assert.deepStrictEqual(yield* rt.searchTickets(word), [], "subject only by default")
      const later = `tkgiraffe${random()}`
      yield* rt.addNote(ticket.id, `noted ${later}`)
      yield* withAdapter(() => ({ contentSearch: true }), (content) =>
        Effect.gen(function*() {
          assert.deepStrictEqual(ids(yield* content.searchTickets(word)), [ticket.id])
          // a comment's text counts as content too
          assert.deepStrictEqual(ids(yield* content.searchTickets(later)), [ticket.id])
        }))
    }), TIMEOUT)

  it.effect("works from a configuration file (adapter: rt / request-tracker)", () =>
    Effect.gen(function*() {
      const env = yield* rtEnv
      const rt = yield* TicketSystemAdapter
      const ticket = yield* rt.createTicket({ title: `tk-config ${random()}`, queue: { name: "Support" }, priority: { name: "80" } })
      assert.strictEqual(ticket.priority.level, "urgent", "80 with the default bands")
      const yaml = [
        "default: helpdesk",
        "systems:",
        "  helpdesk:",
        "    adapter: rt",
        "    options:",
        `      baseUrl: ${env.url}`,
        "      auth: { _tag: token, token: \"${env:TK_TEST_RT_TOKEN}\" }",
        "      priorities: { bands: { urgent: 90 } }",
        "  other:",
        "    adapter: request-tracker",
        "    options: { baseUrl: \"not a url\", auth: { _tag: token, token: x } }"
      ].join("\n")
      const resolved = yield* TicketkitConfig.parse(yaml, "ticketkit.yaml").pipe(
        Effect.flatMap((raw) => TicketkitConfig.resolve(raw, "ticketkit.yaml")),
        Effect.provide(Registry.layer()),
        Effect.withConfigProvider(ConfigProvider.fromMap(new Map([["TK_TEST_RT_TOKEN", env.token]])))
      )
      const system = yield* TicketkitConfig.select(resolved)
      assert.notInclude(JSON.stringify(system.options), env.token, "the token is Redacted once decoded")
      const read = yield* Effect.flatMap(TicketSystemAdapter, (configured) =>
        Effect.map(configured.getTicket(ticket.id), (t) => ({ name: configured.name, kind: configured.kind, t }))).pipe(
          Effect.provide(Layer.provide(system.layer, NodeHttpClient.layerUndici))
        )
      assert.deepStrictEqual([read.name, read.kind], ["helpdesk", "request-tracker"])
      assert.strictEqual(read.t.priority.level, "high", "80 with the configured bands (urgent from 90)")
      const other = resolved.systems.find((s) => s.name === "other")!
      assert.isTrue(Either.isLeft(other.system))
      if (Either.isLeft(other.system)) assert.include(other.system.left.message, "systems.other.options.baseUrl")
    }), TIMEOUT)

  it.effect("keeps secrets out of errors, logs and spans", () =>
    Effect.gen(function*() {
      const env = yield* rtEnv
      const wrongToken = `1-14-${"f".repeat(32)}`
      const basicSecret = Buffer.from(`root:${env.rootPassword}`).toString("base64")
      const { exit, recording } = yield* record(
        Effect.gen(function*() {
          for (const auth of [
            { _tag: "token" as const, token: env.token },
            { _tag: "token" as const, token: wrongToken },
            { _tag: "basic" as const, username: "root", password: env.rootPassword },
            { _tag: "basic" as const, username: "root", password: `${env.rootPassword}-wrong` }
          ]) {
            yield* withAdapter(() => ({ auth }), (rt) =>
              Effect.gen(function*() {
                const created = yield* Effect.either(rt.createTicket({ title: `tk-secrets ${random()}`, queue: { name: "Support" } }))
                const id = Either.isRight(created) ? created.right.id : "1"
                yield* Effect.either(rt.getTicket(id))
                yield* Effect.either(rt.getTicket("999999999"))
                yield* Effect.either(rt.updateTicket(id, { state: { name: "bogus" } }))
                yield* Effect.either(rt.addNote(id, "secret check"))
                yield* Effect.either(rt.listNotes(id))
                yield* Effect.either(rt.fetchTickets({ text: "tk-secrets", limit: 3 }))
                const errors = yield* Effect.all([
                  Effect.flip(rt.getTicket("999999999")),
                  Effect.flip(rt.updateTicket(id, { state: { name: "bogus" } }))
                ])
                for (const error of errors) {
                  yield* Effect.logDebug(`error: ${error.message} ${JSON.stringify(error)}`)
                }
              }))
          }
        })
      )
      assert.isTrue(Exit.isSuccess(exit), String(exit))
      assert.isAbove(recording.spans.length, 20)
      assert.deepStrictEqual(leaks(recording, [env.token, wrongToken, env.rootPassword, basicSecret]), [])
    }), 2 * TIMEOUT)
})

// -----------------------------------------------------------------------------
// TicketSQL injection
// -----------------------------------------------------------------------------

const M = "tkinj-v1"

/** queues whose names would break (or bend) an unescaped TicketSQL query */
const injectionQueues = [
  "tk-inj O'Brien's queue",
  "tk-inj x' OR Queue = 'Support",
  "tk-inj trailing\\",
  "tk-inj back\\' OR id > '0",
  "tk-inj ) OR (id > 0",
  "CF.{tk-inj}"
] as const

/** subjects (in Support) with text that would break an unescaped query */
const injectionSubjects = [
  `${M} O'Brien's printer`,
  `${M} path C:\\temp\\new`,
  `${M} x' OR 1=1 OR Subject LIKE 'y`,
  `${M} it's') OR (Subject LIKE '`,
  `${M} 100% done`,
  `${M} 1000 done`,
  `${M} CF.{Severity} field`,
  `${M} __CurrentUser__ placeholder`
] as const

interface InjectionFixtures {
  /** queue name → id and its one ticket */
  readonly queues: ReadonlyMap<string, { readonly id: string; readonly ticket: Ticket }>
  /** subject → ticket */
  readonly subjects: ReadonlyMap<string, Ticket>
}

class Injection extends Context.Tag("test/rt/Injection")<Injection, InjectionFixtures>() {}

const injectionFixtures = Layer.effect(
  Injection,
  Effect.gen(function*() {
    const rt = yield* TicketSystemAdapter
    const client = yield* RequestTrackerClient
    // reuse the tickets of earlier runs: look for the marker first, create only what is missing
    const existing = (queueId: string) =>
      client.searchTickets({ query: TicketSql.and([`Queue = ${Number(queueId)}` as TicketSql.TicketSql, TicketSql.contains("Subject", M)]) }).pipe(
        Effect.map((page) => page.items.map((i) => i.value))
      )
    const queues = new Map<string, { id: string; ticket: Ticket }>()
    yield* Effect.forEach(injectionQueues, (name) =>
      Effect.gen(function*() {
        const id = yield* ensureQueue(name)
        const found = (yield* existing(id)).find((t) => t.Subject === `${M} ticket in ${name}`)
        const ticket = found !== undefined ? yield* rt.getTicket(found.id) : yield* rt.createTicket({ title: `${M} ticket in ${name}`, queue: { id } })
        queues.set(name, { id, ticket })
      }), { concurrency: 2 })
    const support = yield* existing("3")
    const subjects = new Map<string, Ticket>()
    yield* Effect.forEach(injectionSubjects, (subject) =>
      Effect.gen(function*() {
        const found = support.find((t) => t.Subject === subject)
        subjects.set(subject, found !== undefined ? yield* rt.getTicket(found.id) : yield* rt.createTicket({ title: subject, queue: { name: "Support" } }))
      }), { concurrency: 2 })
    return { queues, subjects }
  })
)

/** what a text search finds: a case-insensitive substring, `%` and `_` as themselves */
const contains = (text: string, subject: string) => subject.toLowerCase().includes(text.toLowerCase())

layer(Layer.provideMerge(injectionFixtures, rtLayer()), { excludeTestServices: true, timeout: "2 minutes" })("RequestTracker TicketSQL injection (live RT 5)", (it) => {
  it.effect("finds exactly the tickets of queues with hostile names", () =>
    Effect.gen(function*() {
      const rt = yield* TicketSystemAdapter
      const fx = yield* Injection
      for (const [name, { id, ticket }] of fx.queues) {
        const byName = yield* rt.fetchTickets({ queues: [{ name }] })
        assert.deepStrictEqual(ids(byName), [ticket.id], `queue ${JSON.stringify(name)} by name`)
        assert.deepStrictEqual(byName[0]!.queue, { id, name })
        assert.deepStrictEqual(ids(yield* rt.fetchTickets({ queues: [{ id }] })), [ticket.id], `queue ${JSON.stringify(name)} by id`)
        assert.deepStrictEqual(ids(yield* rt.fetchTickets({ queues: [{ name }], states: ["new"], text: M })), [ticket.id], "combined")
      }
      // two hostile queues at once: the union of exactly their tickets
      const [a, b] = [fx.queues.get(injectionQueues[1])!, fx.queues.get(injectionQueues[2])!]
      assert.deepStrictEqual(ids(yield* rt.fetchTickets({ queues: [{ name: injectionQueues[1] }, { name: injectionQueues[2] }] })), ids([a.ticket, b.ticket]))
      // hostile names of queues that do not exist find nothing (not every ticket)
      for (const name of ["Support' OR 1=1 OR Queue = '", "x') OR (id > 0", "Support\\", "CF.{nope}", "__CurrentUser__"]) {
        assert.deepStrictEqual(yield* rt.fetchTickets({ queues: [{ name }], limit: 5 }), [], JSON.stringify(name))
      }
    }), TIMEOUT)

  it.effect("finds exactly the tickets whose subject contains hostile text", () =>
    Effect.gen(function*() {
      const rt = yield* TicketSystemAdapter
      const fx = yield* Injection
      const cases: ReadonlyArray<readonly [string, ReadonlyArray<string>]> = [
        ["O'Brien's printer", [injectionSubjects[0]]],
        ["C:\\temp\\new", [injectionSubjects[1]]],
        ["' OR 1=1 OR Subject LIKE '", [injectionSubjects[2]]],
        ["') OR (Subject LIKE '", [injectionSubjects[3]]],
        ["CF.{Severity}", [injectionSubjects[6]]],
        ["cf.{severity} FIELD", [injectionSubjects[6]]],
        ["__CurrentUser__", [injectionSubjects[7]]],
        // `%` cannot be escaped in RT's LIKE (it finds "1000 done" too): the adapter keeps the literal matches
        ["100% done", [injectionSubjects[4]]],
        ["\\", [injectionSubjects[1]]],
        ["'", [injectionSubjects[0], injectionSubjects[2], injectionSubjects[3]]]
      ]
      for (const [text, expected] of cases) {
        const found = yield* rt.fetchTickets({ text, queues: [{ name: "Support" }], limit: 1000 })
        const ours = found.filter((t) => t.title.startsWith(M))
        assert.deepStrictEqual(ids(ours), ids(expected.map((s) => fx.subjects.get(s)!)), `text ${JSON.stringify(text)}`)
        for (const t of found) assert.isTrue(contains(text, t.title), `${JSON.stringify(t.title)} does not contain ${JSON.stringify(text)}`)
      }
      // hostile text in a search that cannot match anything finds nothing
      for (const text of [`${M}' OR 1=1 OR Subject LIKE '`, `${M}\\' OR 1=1 OR Subject LIKE \\'`, `${M}%' OR '1'='1`]) {
        assert.deepStrictEqual(yield* rt.fetchTickets({ text, limit: 5 }), [], JSON.stringify(text))
      }
    }), TIMEOUT)
})
