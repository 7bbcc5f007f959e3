/**
 * The OTOBO / Znuny quirks, against the system double over real HTTP: errors that come back as
 * HTTP 200, a session renewed once (and only once), TicketGet in batches (no request per ticket),
 * and the password never in a URL, an error or a log.
 */
import { NodeHttpClient } from "@effect/platform-node"
import { afterAll, assert, beforeAll, describe, it } from "@effect/vitest"
import { Cause, Chunk, Effect, Layer, Logger, LogLevel, Schema, Stream } from "effect"
import * as Otobo from "../../src/adapters/otobo/Otobo.js"
import { OtoboClient } from "../../src/adapters/otobo/OtoboClient.js"
import { TicketSystemAdapter } from "../../src/TicketSystemAdapter.js"
import * as OtoboDouble from "./OtoboDouble.js"

const adapterOf = (double: OtoboDouble.Double, options: Partial<Otobo.OptionsInput> = {}) =>
  Otobo.layer({
    name: "otobo-double",
    baseUrl: double.url,
    auth: { userLogin: double.login, password: double.password },
    customerUser: double.customerUser,
    ...options
  }).pipe(Layer.provide(NodeHttpClient.layerUndici))

const run = <A, E>(double: OtoboDouble.Double, effect: Effect.Effect<A, E, TicketSystemAdapter | OtoboClient>, options: Partial<Otobo.OptionsInput> = {}) =>
  Effect.runPromise(Effect.either(effect).pipe(Effect.provide(adapterOf(double, options))))

const count = (double: OtoboDouble.Double, operation: string) => double.requests.filter((r) => r.operation === operation).length

const createSome = (n: number, title = "bulk") =>
  Effect.flatMap(TicketSystemAdapter, (adapter) =>
    Effect.forEach(Array.from({ length: n }, (_, i) => i), (i) => adapter.createTicket({ title: `${title} ${i}`, queue: { name: "Raw" } }), { concurrency: 8 }))

describe("Otobo quirks", () => {
  let double: OtoboDouble.Double
  beforeAll(async () => {
    double = await OtoboDouble.start()
  })
  afterAll(() => double.close())

  it("maps errors answered with HTTP 200", async () => {
    const wrong = await Effect.runPromise(
      Effect.either(Effect.flatMap(TicketSystemAdapter, (a) => a.fetchTickets({ limit: 1 }))).pipe(
        Effect.provide(adapterOf(double, { auth: { userLogin: double.login, password: "not-the-password" } }))
      )
    )
    assert.isTrue(wrong._tag === "Left" && wrong.left._tag === "AuthenticationError", "a wrong password is an AuthenticationError")

    const result = await run(double, Effect.gen(function*() {
      const adapter = yield* TicketSystemAdapter
      const [ticket] = yield* createSome(1, "errors")
      const badState = yield* Effect.either(adapter.updateTicket(ticket!.id, { state: { name: "no such state" } }))
      const badQueue = yield* Effect.either(adapter.createTicket({ title: "x", queue: { name: "Nowhere" } }))
      const missing = yield* Effect.either(adapter.getTicket("987654"))
      const missingUpdate = yield* Effect.either(adapter.addNote("987654", "hello"))
      return { badState, badQueue, missing, missingUpdate }
    }))
    assert.strictEqual(result._tag, "Right")
    if (result._tag !== "Right") return
    const { badQueue, badState, missing, missingUpdate } = result.right
    assert.isTrue(badState._tag === "Left" && badState.left._tag === "RequestRejectedError" && /TicketUpdate\.InvalidParameter/.test(badState.left.reason))
    assert.isTrue(badQueue._tag === "Left" && badQueue.left._tag === "RequestRejectedError" && /Queue parameter is invalid/.test(badQueue.left.reason))
    assert.isTrue(missing._tag === "Left" && missing.left._tag === "TicketNotFoundError")
    assert.isTrue(missingUpdate._tag === "Left" && missingUpdate.left._tag === "TicketNotFoundError", "TicketUpdate.AccessDenied of a missing ticket")
  })

  it("renews an expired session once, transparently", async () => {
    const result = await run(double, Effect.gen(function*() {
      const adapter = yield* TicketSystemAdapter
      const [ticket] = yield* createSome(1, "session")
      const sessionsBefore = count(double, "SessionCreate")
      double.expireSessions()
      const read = yield* adapter.getTicket(ticket!.id)
      return { id: read.id, expected: ticket!.id, created: count(double, "SessionCreate") - sessionsBefore }
    }))
    assert.isTrue(result._tag === "Right")
    if (result._tag === "Right") {
      assert.strictEqual(result.right.id, result.right.expected)
      assert.strictEqual(result.right.created, 1, "one new session")
    }
  })

  it("renews a refused session only once, then fails with AuthenticationError", async () => {
    const local = await OtoboDouble.start()
    try {
      const result = await run(local, Effect.gen(function*() {
        const adapter = yield* TicketSystemAdapter
        const [ticket] = yield* createSome(1, "refused")
        local.rejectSessions()
        const before = { sessions: count(local, "SessionCreate"), gets: count(local, "TicketGet") }
        const read = yield* Effect.either(adapter.getTicket(ticket!.id))
        return { read, sessions: count(local, "SessionCreate") - before.sessions, gets: count(local, "TicketGet") - before.gets }
      }))
      assert.isTrue(result._tag === "Right")
      if (result._tag !== "Right") return
      assert.isTrue(result.right.read._tag === "Left" && result.right.read.left._tag === "AuthenticationError")
      assert.strictEqual(result.right.sessions, 1, "one renewal")
      assert.strictEqual(result.right.gets, 2, "the first try and one retry")
    } finally {
      await local.close()
    }
  })

  it("reads pages with TicketGet in batches of 50: no request per ticket", async () => {
    const local = await OtoboDouble.start()
    try {
      const result = await run(local, Effect.gen(function*() {
        const adapter = yield* TicketSystemAdapter
        yield* createSome(120, "batch")
        local.requests.length = 0
        const page = yield* adapter.fetchTickets({ limit: 100, pageSize: 100 })
        const pageCounts = { search: count(local, "TicketSearch"), get: count(local, "TicketGet") }
        local.requests.length = 0
        const all = Chunk.toReadonlyArray(yield* Stream.runCollect(adapter.streamTickets({ pageSize: 100 })))
        const streamCounts = { search: count(local, "TicketSearch"), get: count(local, "TicketGet") }
        const batchSizes = local.requests.filter((r) => r.operation === "TicketGet").map((r) => decodeURIComponent(r.url.split("?")[0]!.split("/").pop()!).split(",").length)
        return { page: page.length, pageCounts, all: all.map((t) => t.id), streamCounts, batchSizes }
      }))
      assert.isTrue(result._tag === "Right")
      if (result._tag !== "Right") return
      const r = result.right
      assert.strictEqual(r.page, 100)
      assert.deepStrictEqual(r.pageCounts, { search: 1, get: 2 })
      assert.strictEqual(r.all.length, 120)
      assert.strictEqual(new Set(r.all).size, 120, "each ticket once")
      assert.deepStrictEqual(r.streamCounts, { search: 2, get: 3 })
      assert.deepStrictEqual(r.batchSizes, [50, 50, 20])
    } finally {
      await local.close()
    }
  })

  it("pages a text with wildcards by literal matches", async () => {
    const local = await OtoboDouble.start()
    try {
      const result = await run(local, Effect.gen(function*() {
        const adapter = yield* TicketSystemAdapter
        yield* createSome(3, "sale 50%")
        yield* createSome(3, "sale 50x")
        const found = yield* adapter.searchTickets("50%", { limit: 10, pageSize: 2 })
        return found.map((t) => t.title).sort()
      }))
      assert.deepStrictEqual(result._tag === "Right" ? result.right : result, ["sale 50% 0", "sale 50% 1", "sale 50% 2"])
    } finally {
      await local.close()
    }
  })

  it("never puts the password in a URL, an error or a log; only SessionCreate's body carries it", async () => {
    const local = await OtoboDouble.start()
    try {
      const logs: Array<string> = []
      const logger = Logger.make(({ cause, message }) => {
        logs.push(`${String(message)} ${Cause.pretty(cause)}`)
      })
      const result = await run(local, Effect.gen(function*() {
        const adapter = yield* TicketSystemAdapter
        const client = yield* OtoboClient
        const [ticket] = yield* createSome(2, "secret")
        yield* adapter.addNote(ticket!.id, { body: "a note", visibility: "public" })
        yield* adapter.listNotes(ticket!.id)
        const failures = yield* Effect.all([
          Effect.flip(adapter.updateTicket(ticket!.id, { state: { name: "no such state" } })),
          Effect.flip(adapter.getTicket("999999"))
        ])
        return { failures, scrubbed: client.scrubber.scrub(`echo ${local.password} and ${local.requests.find((r) => r.operation === "TicketGet")!.url}`) }
      }).pipe(Logger.withMinimumLogLevel(LogLevel.Debug), Effect.provide(Logger.replace(Logger.defaultLogger, logger))))
      assert.isTrue(result._tag === "Right")
      if (result._tag !== "Right") return
      for (const request of local.requests) {
        assert.notInclude(request.url, local.password)
        assert.notInclude(decodeURIComponent(request.url), local.password)
        if (request.operation !== "SessionCreate") assert.notInclude(request.body, local.password, `${request.operation} body`)
      }
      assert.include(local.requests.find((r) => r.operation === "SessionCreate")!.body, local.password)
      for (const error of result.right.failures) {
        assert.notInclude(JSON.stringify(error), local.password)
        assert.notInclude(error.message, local.password)
      }
      assert.notInclude(result.right.scrubbed, local.password)
      assert.notMatch(result.right.scrubbed, /SessionID=sess/)
      for (const line of logs) assert.notInclude(line, local.password)
      assert.isAbove(logs.length, 0, "the failures were logged")
    } finally {
      await local.close()
    }
  })

  it("with useSession: false, sends the login in POST bodies and still never the password in a URL", async () => {
    const local = await OtoboDouble.start()
    try {
      const result = await run(local, Effect.gen(function*() {
        yield* createSome(2, "nosession")
        return yield* Effect.flatMap(TicketSystemAdapter, (a) => a.fetchTickets({ limit: 5 }))
      }), { useSession: false })
      assert.isTrue(result._tag === "Right" && result.right.length === 2)
      const search = local.requests.find((r) => r.operation === "TicketSearch")!
      assert.include(search.body, "UserLogin")
      for (const request of local.requests) assert.notInclude(decodeURIComponent(request.url), local.password)
      assert.isTrue(local.requests.filter((r) => r.operation === "TicketGet").every((r) => r.url.includes("SessionID=")), "GET routes use a session")
    } finally {
      await local.close()
    }
  })

  it("follows a configured route map (OTOBO's WADL: TicketSearch as GET /Ticket)", async () => {
    const local = await OtoboDouble.start()
    try {
      const result = await run(local, Effect.gen(function*() {
        yield* createSome(3, "routes")
        return yield* Effect.flatMap(TicketSystemAdapter, (a) => a.fetchTickets({ text: "routes", states: ["new"], limit: 10 }))
      }), { routes: { TicketSearch: { method: "GET", path: "/Ticket" } } })
      assert.isTrue(result._tag === "Right" && result.right.length === 3)
      const searches = local.requests.filter((r) => r.operation === "TicketSearch")
      assert.isTrue(searches.length > 0 && searches.every((r) => r.method === "GET" && r.url.includes("StateType=new")))
      for (const request of local.requests) assert.notInclude(decodeURIComponent(request.url), local.password)
    } finally {
      await local.close()
    }
  })

  it("definitions: options decoded by the registry's schema, kind otobo or znuny, bad keys refused", async () => {
    const local = await OtoboDouble.start()
    try {
      const input = { baseUrl: local.url, auth: { userLogin: local.login, password: local.password }, customerUser: local.customerUser }
      for (const definition of [Otobo.definition, Otobo.znunyDefinition]) {
        const options = Schema.decodeUnknownSync(definition.options)(input)
        const adapter = await Effect.runPromise(
          Effect.provide(TicketSystemAdapter, definition.layer(options, { system: "helpdesk" }).pipe(Layer.provide(NodeHttpClient.layerUndici)))
        )
        assert.strictEqual(adapter.name, "helpdesk")
        assert.strictEqual(adapter.kind, definition.name)
      }
      const bad = await Effect.runPromise(Effect.either(Otobo.make({ ...input, bogus: 1 } as Otobo.OptionsInput)).pipe(Effect.provide(NodeHttpClient.layerUndici)))
      assert.isTrue(bad._tag === "Left" && bad.left._tag === "ConfigurationError" && /bogus/.test(bad.left.detail))
    } finally {
      await local.close()
    }
  })
})
