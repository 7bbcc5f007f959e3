import { assert, describe, it } from "@effect/vitest"
import { Chunk, Effect, Either, Exit, Layer, Schema, Stream, Tracer } from "effect"
import { AdapterError, InMemory, SearchCriteria, TicketSystemAdapter } from "ticketkit"

const fixtures: ReadonlyArray<InMemory.Fixture> = [
  { title: "Printer jammed", queue: "Support", priority: "high", state: "open" },
  { title: "Invoice copy", queue: "Billing", state: "new" },
  { title: "VPN down", queue: "Support", priority: "urgent", state: "new" }
]

describe("TicketSystemAdapter", () => {
  it.effect("rejects invalid criteria before any request, with a message naming the field", () =>
    Effect.gen(function*() {
      const { adapter, control } = yield* InMemory.makeWithControl({ fixtures })
      const cases: ReadonlyArray<[unknown, string]> = [
        [{ limit: -1 }, "limit: limit must be at least 1"],
        [{ limit: 1.5 }, "limit: limit must be a whole number"],
        [{ states: ["opened"] }, "states.0"],
        [{ priorities: ["critical"] }, "priorities.0"],
        [{ queues: [{}] }, "a reference needs an id or a name"],
        [{ updatedSince: "yesterday" }, "updatedSince"],
        [{ text: "" }, "text must not be empty"],
        [{ colour: "red" }, "colour"]
      ]
      for (const [criteria, expected] of cases) {
        const result = yield* Effect.either(adapter.fetchTickets(criteria as SearchCriteria.SearchCriteriaInput))
        assert.isTrue(Either.isLeft(result), JSON.stringify(criteria))
        const error = (result as Either.Left<AdapterError.AdapterError, unknown>).left
        assert.strictEqual(error._tag, "InvalidInputError")
        assert.include(error.message, expected)
        assert.include(error.message, "in-memory: invalid input to fetchTickets")
      }
      assert.deepStrictEqual(yield* control.calls, [], "no request was made")
    }))

  it.effect("streamTickets checks its criteria once, before any request", () =>
    Effect.gen(function*() {
      const { adapter, control } = yield* InMemory.makeWithControl({ fixtures })
      const error = yield* Effect.flip(Stream.runCollect(adapter.streamTickets({ states: ["opened"] } as never)))
      assert.strictEqual(error._tag, "InvalidInputError")
      assert.include(error.message, "in-memory: invalid input to streamTickets")
      assert.include(error.message, "states.0")
      assert.deepStrictEqual(yield* control.calls, [], "no request was made")
    }))

  it.effect("one span per stream, and spans end without the tickets they returned", () =>
    Effect.gen(function*() {
      // a tracer that records how each span ended
      const ended: Array<{ readonly name: string; readonly exit: Exit.Exit<unknown, unknown> }> = []
      let ids = 0
      const tracer = Tracer.make({
        span: (name, parent, context, links, startTime, kind) => {
          const span: { -readonly [K in keyof Tracer.Span]: Tracer.Span[K] } = {
            _tag: "Span",
            name,
            spanId: String(++ids),
            traceId: "trace",
            parent,
            context,
            status: { _tag: "Started", startTime },
            attributes: new Map(),
            links,
            sampled: true,
            kind,
            end: (endTime, exit) => {
              span.status = { _tag: "Ended", startTime, endTime, exit }
              ended.push({ name, exit })
            },
            attribute: (key, value) => (span.attributes as Map<string, unknown>).set(key, value),
            event: () => {},
            addLinks: () => {}
          }
          return span
        },
        context: (f) => f()
      })
      const { adapter, control } = yield* InMemory.makeWithControl({ fixtures })
      const streamed = yield* Stream.runCollect(adapter.streamTickets({ pageSize: 1 })).pipe(Effect.withTracer(tracer))
      assert.strictEqual(Chunk.size(streamed), 3)
      assert.strictEqual((yield* control.calls).filter((c) => c.operation === "fetchTickets").length, 3, "three pages were fetched")
      assert.deepStrictEqual(ended.map((s) => s.name), ["ticketkit.streamTickets"], "one span for the whole stream")

      ended.length = 0
      const page = yield* adapter.fetchPage({ pageSize: 2 }).pipe(Effect.withTracer(tracer))
      const one = yield* adapter.getTicket(page.items[0]!.id).pipe(Effect.withTracer(tracer))
      assert.strictEqual(page.items.length, 2)
      assert.strictEqual(one.id, page.items[0]!.id)
      assert.deepStrictEqual(ended.map((s) => s.name), ["ticketkit.fetchPage", "ticketkit.getTicket"])
      for (const span of ended) {
        // a span keeps its exit: had it ended with the page, every page would live as long as the span
        assert.isTrue(Exit.isSuccess(span.exit) && span.exit.value === undefined, `${span.name} ended with nothing`)
      }
      const failed = yield* Effect.flip(adapter.getTicket("999").pipe(Effect.withTracer(tracer)))
      assert.strictEqual(failed._tag, "TicketNotFoundError")
      assert.isTrue(Exit.isFailure(ended[ended.length - 1]!.exit), "a failed operation's span ends failed")
    }))

  it.effect("translates the guide's loose criteria", () =>
    Effect.gen(function*() {
      const { adapter } = yield* InMemory.makeWithControl({ fixtures })
      const found = yield* adapter.fetchTickets(SearchCriteria.fromSeed({ StateType: "New", QueueIDs: [2], limit: 10 }))
      assert.deepStrictEqual(found.map((t) => t.title), ["VPN down"])
      const bad = yield* Effect.flip(adapter.fetchTickets(SearchCriteria.fromSeed({ StateType: "Frozen" })))
      assert.include(bad.message, "states.0")
    }))

  it.effect("accepts updatedSince as DateTime, Date or ISO string", () =>
    Effect.gen(function*() {
      const { adapter } = yield* InMemory.makeWithControl({
        fixtures: [
          { title: "old", queue: "Support", updatedAt: "2026-01-01T00:00:00Z" },
          { title: "new", queue: "Support", updatedAt: "2026-06-01T00:00:00Z" }
        ]
      })
      for (const since of ["2026-03-01T00:00:00Z", new Date("2026-03-01T00:00:00Z")]) {
        const found = yield* adapter.fetchTickets({ updatedSince: since })
        assert.deepStrictEqual(found.map((t) => t.title), ["new"])
      }
    }))

  it.effect("holds several systems in one context under their names", () =>
    Effect.gen(function*() {
      const Rt = TicketSystemAdapter.named("rt")
      const Redmine = TicketSystemAdapter.named("redmine")
      const program = Effect.gen(function*() {
        const rt = yield* Rt
        const redmine = yield* Redmine
        const source = yield* rt.fetchTickets({ states: ["new"] })
        for (const ticket of source) {
          yield* redmine.createTicket({ title: ticket.title, queue: { name: "Engineering" } })
        }
        return yield* redmine.fetchTickets({ queues: [{ name: "Engineering" }] })
      })
      const mirrored = yield* program.pipe(
        Effect.provide(Layer.mergeAll(
          TicketSystemAdapter.layerAs(InMemory.layer({ name: "rt", fixtures }), "rt"),
          InMemory.layer({ name: "redmine" }).pipe(TicketSystemAdapter.layerAs("redmine"))
        ))
      )
      assert.deepStrictEqual(mirrored.map((t) => t.title), ["Invoice copy", "VPN down"])
      // the same name gives the same tag
      assert.strictEqual(TicketSystemAdapter.named("rt").key, Rt.key)
    }))

  it.effect("a driver that repeats a cursor fails instead of looping", () =>
    Effect.gen(function*() {
      const { adapter } = yield* InMemory.makeWithControl({ fixtures })
      const looping = TicketSystemAdapter.make({
        name: "loop",
        kind: "test",
        capabilities: InMemory.capabilities(),
        fetchPage: (criteria) => Effect.map(adapter.fetchPage({ limit: 1, ...(criteria.text ? { text: criteria.text } : {}) }), (p) => ({ ...p, next: "same" })),
        getTicket: (id) => adapter.getTicket(id),
        createTicket: (d) => adapter.createTicket(d),
        updateTicket: (id, u) => adapter.updateTicket(id, u),
        addNote: (id, n) => adapter.addNote(id, n),
        listNotes: (id) => adapter.listNotes(id)
      })
      const error = yield* Effect.flip(looping.fetchTickets({ limit: 50 }))
      assert.strictEqual(error._tag, "InvalidResponseError")
      assert.include(error.message, "same page cursor")
    }))

  it.effect("fromParseError names the bad field of the bad ticket", () =>
    Effect.gen(function*() {
      const Raw = Schema.Struct({ tickets: Schema.Array(Schema.Struct({ id: Schema.Number, modified: Schema.DateTimeUtc })) })
      const parse = yield* Effect.flip(Schema.decodeUnknown(Raw)({ tickets: [{ id: 1, modified: "2026-01-01T00:00:00Z" }, { id: 2, modified: "soon" }] }))
      const error = AdapterError.fromParseError(parse, { adapter: "helpdesk", operation: "fetchTickets", ticketId: "2" })
      assert.strictEqual(error._tag, "InvalidResponseError")
      assert.strictEqual(error.path, "tickets.1.modified")
      assert.include(error.message, "ticket \"2\"")
      assert.include(error.message, "field tickets.1.modified")
    }))

  it.effect("errors say what to do", () =>
    Effect.sync(() => {
      const ctx = { adapter: "helpdesk", operation: "getTicket" }
      assert.include(new AdapterError.AuthenticationError({ ...ctx, status: 401 }).message, "Check the API key or token configured for helpdesk")
      assert.include(new AdapterError.ConnectionError({ ...ctx, detail: "ECONNREFUSED", requestSent: false }).message, "base URL configured for helpdesk")
      assert.include(new AdapterError.RateLimitError({ ...ctx, retryAfterMillis: 2000 }).message, "retry after 2s")
      assert.isTrue(AdapterError.isTransient(new AdapterError.TimeoutError({ ...ctx, timeoutMillis: 1 })))
      assert.isFalse(AdapterError.isTransient(new AdapterError.TicketNotFoundError({ ...ctx, ticketId: "1" })))
      assert.isFalse(AdapterError.isSafeToResend(new AdapterError.TimeoutError({ ...ctx, timeoutMillis: 1 })))
      assert.isTrue(AdapterError.isSafeToResend(new AdapterError.ConnectionError({ ...ctx, detail: "x", requestSent: false })))
    }))
})
