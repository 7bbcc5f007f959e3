// Concurrent writers on one Redmine issue (issue 13, item 5): an update that Redmine applied and
// another writer overwrote a moment later is a success, never a RequestRejectedError; an update
// Redmine ignored still is one, also among concurrent writers. Against the live Redmine.
import { assert } from "@effect/vitest"
import { Array as Arr, Effect, Either, Layer } from "effect"
import type { AdapterError } from "../../src/AdapterError.js"
import { RedmineClient } from "../../src/adapters/redmine/index.js"
import type { Service } from "../../src/TicketSystemAdapter.js"
import { TicketSystemAdapter } from "../../src/TicketSystemAdapter.js"
import { adapterLayer, describeLive, EnvLive, marker, projects } from "./env.js"

const queue = { id: projects.project }
const TIMEOUT = 120_000
const WRITERS = 20

const asReporter = <A, E>(f: (adapter: Service) => Effect.Effect<A, E>) =>
  Effect.flatMap(TicketSystemAdapter, f).pipe(Effect.provide(adapterLayer({}, "reporter")))

/** the failures among results, as "tag: message" (empty when every call succeeded) */
const failuresOf = <A>(results: ReadonlyArray<Either.Either<A, AdapterError>>) =>
  results.flatMap((r) => (Either.isLeft(r) ? [`${r.left._tag}: ${r.left.message}`] : []))

describeLive("Redmine concurrent writers (live)", Layer.merge(adapterLayer(), EnvLive), (it) => {
  it.effect(`${WRITERS} concurrent title changes to one issue all succeed, and Redmine's journal has each`, () =>
    Effect.gen(function*() {
      const adapter = yield* TicketSystemAdapter
      const client = yield* RedmineClient.RedmineClient
      const m = marker()
      const ticket = yield* adapter.createTicket({ title: `${m} concurrent titles`, queue })
      const titles = Arr.makeBy(WRITERS, (i) => `${m} writer ${i}`)
      const results = yield* Effect.forEach(titles, (title) => Effect.either(adapter.updateTicket(ticket.id, { title })), { concurrency: WRITERS })
      assert.deepStrictEqual(failuresOf(results), [], "no applied update is reported rejected")
      // each returns the issue as read back: its own title, or a later writer's
      for (const r of results) if (Either.isRight(r)) assert.include(titles, r.right.title)
      const final = yield* adapter.getTicket(ticket.id)
      assert.include(titles, final.title, "the final title is one of the writers'")
      // Redmine's own history: every writer's title was set
      const set = (yield* client.journals(Number(ticket.id))).flatMap((j) => (j.details ?? []).filter((d) => d.name === "subject").map((d) => d.new_value))
      assert.deepStrictEqual([...set].sort(), [...titles].sort())
    }), TIMEOUT)

  it.effect(`${WRITERS} concurrent state and priority changes to one issue all succeed`, () =>
    Effect.gen(function*() {
      const adapter = yield* TicketSystemAdapter
      const m = marker()
      const ticket = yield* adapter.createTicket({ title: `${m} concurrent states`, queue })
      const states = ["open", "resolved", "pending", "closed", "new"] as const
      const priorities = ["high", "low", "urgent", "normal"] as const
      const updates = Arr.makeBy(WRITERS, (i) => ({ state: states[i % states.length]!, priority: priorities[i % priorities.length]! }))
      const results = yield* Effect.forEach(updates, (update) => Effect.either(adapter.updateTicket(ticket.id, update)), { concurrency: WRITERS })
      assert.deepStrictEqual(failuresOf(results), [], "no applied update is reported rejected")
      const final = yield* adapter.getTicket(ticket.id)
      assert.include(states as ReadonlyArray<string>, final.state.type)
      assert.include(priorities as ReadonlyArray<string>, final.priority.level)
      // a status given by name, several writers at once, some already in place
      const byName = yield* Effect.forEach(
        Arr.makeBy(10, (i) => ({ state: { name: i % 2 === 0 ? "Feedback" : "In Progress" } })),
        (update) => Effect.either(adapter.updateTicket(ticket.id, update)),
        { concurrency: 10 }
      )
      assert.deepStrictEqual(failuresOf(byName), [])
      assert.include(["Feedback", "In Progress"], (yield* adapter.getTicket(ticket.id)).state.name)
    }), TIMEOUT)

  it.effect("still refuses a change Redmine ignored while other writers change the issue", () =>
    Effect.gen(function*() {
      const adapter = yield* TicketSystemAdapter
      const m = marker()
      const ticket = yield* adapter.createTicket({ title: `${m} refused among writers`, queue })
      const titles = Arr.makeBy(10, (i) => `${m} admin ${i}`)
      // the reporter may not edit issues: Redmine answers 204 and ignores its status change
      const [admins, reporter] = yield* Effect.all([
        Effect.forEach(titles, (title) => Effect.either(adapter.updateTicket(ticket.id, { title })), { concurrency: 10 }),
        asReporter((r) => Effect.either(r.updateTicket(ticket.id, { state: "closed" })))
      ], { concurrency: 2 })
      assert.deepStrictEqual(failuresOf(admins), [])
      assert.isTrue(Either.isLeft(reporter), "the ignored change is refused")
      if (Either.isLeft(reporter)) {
        assert.strictEqual(reporter.left._tag, "RequestRejectedError")
        assert.include(reporter.left.message, "did not apply: status \"Closed\" (it is still \"New\")")
        assert.notInclude(reporter.left.message, "subject", "only what was refused is named")
      }
      const final = yield* adapter.getTicket(ticket.id)
      assert.deepStrictEqual([final.state.name, titles.includes(final.title)], ["New", true])
    }), TIMEOUT)

  it.effect("an update to the values an issue already has is applied, and reads back as they are", () =>
    Effect.gen(function*() {
      const adapter = yield* TicketSystemAdapter
      const ticket = yield* adapter.createTicket({ title: `${marker()} same values`, queue, priority: "high" })
      const same = yield* adapter.updateTicket(ticket.id, { title: ticket.title, priority: "high", state: "new" })
      assert.deepStrictEqual([same.title, same.priority.level, same.state.type], [ticket.title, "high", "new"])
    }), TIMEOUT)
})
