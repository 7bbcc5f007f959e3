/**
 * The chaos suite: 10,000 mixed operations through the REST adapter against the reference server
 * with about 20 % injected faults (5xx, 429 + Retry-After, connections dropped before and after the
 * server acted, stalls past the client's timeout after the server acted, truncated JSON), checked
 * against the server's own state:
 *
 * - every update reported successful is applied as last written;
 * - every note reported added is there exactly once, and no note is there twice;
 * - every failure is a typed AdapterError, and there is no defect.
 *
 * It prints the counts (the README's reliability section quotes them).
 */
import { NodeHttpClient } from "@effect/platform-node"
import { assert, layer } from "@effect/vitest"
import { Cause, Effect, Exit, Layer, Redacted } from "effect"
import { AdapterError, RestAdapter, Retry, TicketSystemAdapter } from "ticketkit"
import { ReferenceServer } from "ticketkit/testing"

const OPERATIONS = 10_000
const WORKERS = 16
const TICKETS = 64

const faults: ReferenceServer.Faults = {
  serverErrorRate: 0.05,
  rateLimitRate: 0.04,
  retryAfterSeconds: 0,
  dropBeforeRate: 0.03,
  dropAfterRate: 0.03,
  stallRate: 0.02,
  stallMs: 400,
  malformedRate: 0.03,
  seed: 20261127
}

/** a deterministic generator for the operation mix */
const random = (seed: number) => () => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff
  return seed / 0x7fffffff
}

const fixtures = Array.from({ length: TICKETS }, (_, i) => ({
  title: `chaos ticket ${i + 1}`,
  description: `printer ${i % 3 === 0 ? "jam" : "noise"}`,
  queue: ["Support", "Billing", "Sales"][i % 3]!
}))

/** the REST adapter against the server, with idempotency keys, a short timeout and eager retries */
const chaosAdapter = (server: ReferenceServer.Service) =>
  Effect.map(
    Layer.build(RestAdapter.layer({
      name: "chaos",
      baseUrl: server.url,
      auth: { _tag: "bearer", token: Redacted.make(server.token) },
      idempotencyKeyHeader: "Idempotency-Key",
      timeout: "250 millis"
    })),
    (built) =>
      Retry.apply(
        built.unsafeMap.get(TicketSystemAdapter.TicketSystemAdapter.key) as TicketSystemAdapter.Service,
        Retry.exponential({ base: "5 millis", max: "40 millis", attempts: 12 })
      )
  )

layer(Layer.merge(ReferenceServer.layer({ fixtures }), NodeHttpClient.layerUndici), { excludeTestServices: true })("chaos", (it) => {
  it.effect(`${OPERATIONS} operations under ~20 % faults: nothing lost, nothing twice, every failure typed`, () =>
    Effect.gen(function*() {
      const server = yield* ReferenceServer.ReferenceServer
      const adapter = yield* chaosAdapter(server)
      yield* server.setFaults(faults)
      yield* server.resetStats

      const outcomes = { ok: 0, failed: 0, defects: 0, byOperation: {} as Record<string, { ok: number; failed: number }> }
      const failures: Record<string, number> = {}
      /** per ticket: the writes in order, each with whether it was reported successful */
      const writes = new Map<string, Array<{ title: string; ok: boolean }>>()
      const notes: Array<{ ticket: string; body: string; ok: boolean }> = []

      const record = (operation: string, exit: Exit.Exit<unknown, AdapterError.AdapterError>) => {
        const entry = (outcomes.byOperation[operation] ??= { ok: 0, failed: 0 })
        if (Exit.isSuccess(exit)) {
          outcomes.ok++
          entry.ok++
          return
        }
        const failure = Cause.failureOption(exit.cause)
        if (failure._tag === "Some" && AdapterError.isAdapterError(failure.value)) {
          outcomes.failed++
          entry.failed++
          failures[failure.value._tag] = (failures[failure.value._tag] ?? 0) + 1
        } else {
          outcomes.defects++
          console.error("not a typed failure:", Cause.pretty(exit.cause))
        }
      }

      const worker = (index: number) =>
        Effect.gen(function*() {
          const next = random(1000 + index)
          // each worker writes only to its own tickets, so "last written" is well defined
          const own = Array.from({ length: TICKETS }, (_, i) => String(i + 1)).filter((id) => Number(id) % WORKERS === index)
          for (let n = 0; n < OPERATIONS / WORKERS; n++) {
            const roll = next()
            const anyTicket = String(1 + Math.floor(next() * TICKETS))
            const mine = own[Math.floor(next() * own.length)]!
            if (roll < 0.35) {
              record("getTicket", yield* Effect.exit(adapter.getTicket(anyTicket)))
            } else if (roll < 0.5) {
              record("fetchTickets", yield* Effect.exit(adapter.fetchTickets({ queues: [{ name: "Support" }], limit: 10 })))
            } else if (roll < 0.6) {
              record("searchTickets", yield* Effect.exit(adapter.searchTickets("jam", { limit: 5 })))
            } else if (roll < 0.85) {
              const title = `chaos ticket ${mine} v${index}.${n}`
              const exit = yield* Effect.exit(adapter.updateTicket(mine, { title }))
              record("updateTicket", exit)
              const list = writes.get(mine) ?? []
              list.push({ title, ok: Exit.isSuccess(exit) })
              writes.set(mine, list)
            } else {
              const body = `chaos note ${index}.${n}`
              const exit = yield* Effect.exit(adapter.addNote(mine, { body, visibility: n % 2 === 0 ? "internal" : "public" }))
              record("addNote", exit)
              notes.push({ ticket: mine, body, ok: Exit.isSuccess(exit) })
            }
          }
        })

      const started = Date.now()
      yield* Effect.forEach(Array.from({ length: WORKERS }, (_, i) => i), worker, { concurrency: WORKERS, discard: true })
      const seconds = (Date.now() - started) / 1000
      yield* server.setFaults({})
      const stats = yield* server.stats

      // ---- check against the server's own state -----------------------------------------
      let updatesChecked = 0
      for (const [id, list] of writes) {
        const stored = server.store.get(id)
        assert.isTrue(stored.ok)
        if (!stored.ok) continue
        const lastOk = list.map((w) => w.ok).lastIndexOf(true)
        // after the last successful write, a failed one may or may not have been applied
        const allowed = new Set([...(lastOk < 0 ? [] : [list[lastOk]!.title]), ...list.slice(lastOk + 1).map((w) => w.title)])
        if (lastOk < 0) allowed.add(`chaos ticket ${id}`)
        assert.isTrue(allowed.has(stored.value.title), `ticket ${id}: ${stored.value.title} is not the last write`)
        updatesChecked++
      }
      let notesPresent = 0
      for (const note of notes) {
        const stored = server.store.listNotes(note.ticket)
        const count = stored.ok ? stored.value.filter((n) => n.body === note.body).length : -1
        assert.isAtMost(count, 1, `note ${note.body} is there ${count} times`)
        if (note.ok) assert.strictEqual(count, 1, `note ${note.body} was reported added but is not there`)
        notesPresent += count
      }
      assert.strictEqual(outcomes.defects, 0, "no defect")
      assert.strictEqual(outcomes.ok + outcomes.failed, OPERATIONS)

      const injected = stats.serverErrors + stats.rateLimited + stats.droppedBefore + stats.droppedAfter + stats.stalled + stats.malformed
      console.log([
        `chaos: ${OPERATIONS} operations in ${seconds.toFixed(1)} s, ${stats.requests} requests, ${injected} faults injected ` +
        `(${(100 * injected / stats.requests).toFixed(1)} %: ${stats.serverErrors} 5xx, ${stats.rateLimited} 429, ${stats.droppedBefore} dropped before, ` +
        `${stats.droppedAfter} dropped after, ${stats.stalled} stalled past the timeout, ${stats.malformed} truncated JSON)`,
        `chaos: ${outcomes.ok} succeeded, ${outcomes.failed} failed with typed errors ${JSON.stringify(failures)}, ${outcomes.defects} defects`,
        `chaos: by operation ${JSON.stringify(outcomes.byOperation)}`,
        `chaos: ${updatesChecked} tickets hold their last write; ${notes.filter((n) => n.ok).length} notes reported added, ${notesPresent} present, none twice`
      ].join("\n"))
      assert.isAbove(injected / stats.requests, 0.1, "faults were injected")
    }).pipe(Effect.scoped), 240_000)

  // issue 13: concurrent writers on the same tickets. Every write a caller was told succeeded is
  // the ticket's state unless a write that started after it ended replaced it; no change is
  // reported rejected; every note reported added is there once, and none twice.
  it.effect("16 writers on the same 4 tickets under faults: no false rejection, nothing lost, nothing twice", () =>
    Effect.gen(function*() {
      const server = yield* ReferenceServer.ReferenceServer
      const adapter = yield* chaosAdapter(server)
      const shared = ["1", "2", "3", "4"]
      yield* server.setFaults({ ...faults, seed: 20261202 })
      interface Write { readonly ticket: string; readonly title: string; readonly ok: boolean; readonly start: number; readonly end: number }
      const writes: Array<Write> = []
      const notes: Array<{ ticket: string; body: string; ok: boolean }> = []
      const rejected: Array<string> = []
      const writer = (index: number) =>
        Effect.gen(function*() {
          const next = random(5000 + index)
          for (let n = 0; n < 125; n++) {
            const ticket = shared[Math.floor(next() * shared.length)]!
            if (next() < 0.7) {
              const title = `shared ${ticket} by ${index}.${n}`
              const start = performance.now()
              const exit = yield* Effect.exit(adapter.updateTicket(ticket, { title, priority: n % 2 === 0 ? "high" : "low" }))
              writes.push({ ticket, title, ok: Exit.isSuccess(exit), start, end: performance.now() })
              if (Exit.isFailure(exit)) {
                const failure = Cause.failureOption(exit.cause)
                assert.isTrue(failure._tag === "Some" && AdapterError.isAdapterError(failure.value), Cause.pretty(exit.cause))
                if (failure._tag === "Some" && failure.value._tag === "RequestRejectedError") rejected.push(failure.value.message)
              }
            } else {
              const body = `shared note ${index}.${n}`
              const exit = yield* Effect.exit(adapter.addNote(ticket, body))
              notes.push({ ticket, body, ok: Exit.isSuccess(exit) })
            }
          }
        })
      yield* Effect.forEach(Array.from({ length: WORKERS }, (_, i) => i), writer, { concurrency: WORKERS, discard: true })
      yield* server.setFaults({})

      assert.deepStrictEqual(rejected, [], "no applied change is reported rejected")
      for (const ticket of shared) {
        const stored = server.store.get(ticket)
        assert.isTrue(stored.ok)
        if (!stored.ok) continue
        const mine = writes.filter((w) => w.ticket === ticket)
        const final = mine.find((w) => w.title === stored.value.title)
        assert.isDefined(final, `ticket ${ticket}: ${stored.value.title} was never written`)
        // a write that succeeded after the final one had ended would have replaced it: lost
        const later = mine.filter((w) => w.ok && final !== undefined && w.start > final.end)
        assert.deepStrictEqual(later.map((w) => w.title), [], `ticket ${ticket}: successful writes lost`)
      }
      for (const note of notes) {
        const stored = server.store.listNotes(note.ticket)
        const count = stored.ok ? stored.value.filter((n) => n.body === note.body).length : -1
        assert.isAtMost(count, 1, `note ${note.body} is there ${count} times`)
        if (note.ok) assert.strictEqual(count, 1, `note ${note.body} was reported added but is not there`)
      }
      console.log(
        `chaos (shared tickets): ${writes.length} updates (${writes.filter((w) => w.ok).length} succeeded), ` +
          `${notes.length} notes (${notes.filter((n) => n.ok).length} reported added), 0 rejected, 0 lost, 0 twice`
      )
    }).pipe(Effect.scoped), 240_000)
})
