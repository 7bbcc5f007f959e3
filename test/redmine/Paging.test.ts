// Paging over more than 250 issues of the live Redmine: every issue exactly once, whatever the page size.
//
// The issues carry a fixed marker and are reused by later runs (only the missing ones are created),
// so that the suite stays fast; `scripts/redmine/reset.sh` removes them.
import { assert } from "@effect/vitest"
import { Chunk, Context, Effect, Layer, Stream } from "effect"
import { RedmineClient } from "../../src/adapters/redmine/index.js"
import { TicketSystemAdapter } from "../../src/TicketSystemAdapter.js"
import { adapterLayer, describeLive, projects } from "./env.js"

const MARKER = "tkpaging1"
const COUNT = 260

interface Fixture {
  readonly projectId: number
  /** ids of every issue with the marker, as Redmine lists them */
  readonly ids: ReadonlyArray<number>
  readonly created: number
}

class PagingFixture extends Context.Tag("test/redmine/PagingFixture")<PagingFixture, Fixture>() {}

const fixture = Layer.effect(
  PagingFixture,
  Effect.gen(function*() {
    const client = yield* RedmineClient.RedmineClient
    const project = (yield* client.projects()).find((p) => p.identifier === projects.project)
    if (project === undefined) return yield* Effect.dieMessage(`project ${projects.project} not found`)
    const existing = yield* client.listIssues({ projectIds: [project.id], subject: MARKER, limit: 1 })
    const missing = Math.max(0, COUNT - existing.total_count)
    yield* Effect.forEach(
      Array.from({ length: missing }, (_, i) => existing.total_count + i + 1),
      (n) => client.createIssue({ project_id: project.id, subject: `${MARKER} paging fixture ${String(n).padStart(3, "0")}` }),
      { concurrency: 4, discard: true }
    )
    // every id, newest first: a different order and page size than the adapter's walks
    const ids: Array<number> = []
    for (;;) {
      const page = yield* client.listIssues({ projectIds: [project.id], subject: MARKER, sort: "id:desc", offset: ids.length, limit: 100 })
      ids.push(...page.issues.map((i) => i.id))
      if (page.issues.length === 0 || ids.length >= page.total_count) break
    }
    return { projectId: project.id, ids, created: missing }
  })
)

const sorted = (ids: Iterable<string | number>) => Array.from(ids, Number).sort((a, b) => a - b)

describeLive("Redmine paging (live)", Layer.provideMerge(fixture, adapterLayer()), (it) => {
  // the first test builds the fixture: creating the issues on a fresh Redmine takes ~15 s
  it.effect("has more than 250 issues to page over", () =>
    Effect.gen(function*() {
      const fx = yield* PagingFixture
      assert.isAbove(fx.ids.length, 250)
      assert.strictEqual(new Set(fx.ids).size, fx.ids.length)
    }), 120_000)

  for (const pageSize of [100, 37]) {
    it.effect(`streams each issue exactly once with pages of ${pageSize}`, () =>
      Effect.gen(function*() {
        const fx = yield* PagingFixture
        const adapter = yield* TicketSystemAdapter
        const streamed = yield* adapter.streamTickets({ text: MARKER, queues: [{ id: projects.project }], pageSize }).pipe(
          Stream.runCollect,
          Effect.map(Chunk.toReadonlyArray)
        )
        const ids = streamed.map((t) => t.id)
        assert.strictEqual(new Set(ids).size, ids.length, "no issue twice")
        assert.deepStrictEqual(sorted(ids), sorted(fx.ids), "no issue lost")
        assert.deepStrictEqual(ids.map(Number), sorted(ids), "in id order")
      }), 60_000)
  }

  it.effect("walks the pages by cursor with Redmine's total_count", () =>
    Effect.gen(function*() {
      const fx = yield* PagingFixture
      const adapter = yield* TicketSystemAdapter
      const seen: Array<string> = []
      let cursor: string | undefined
      let pages = 0
      for (;;) {
        const page = yield* adapter.fetchPage({ text: MARKER, pageSize: 100, ...(cursor === undefined ? {} : { cursor }) })
        pages++
        assert.strictEqual(page.total, fx.ids.length)
        seen.push(...page.items.map((t) => t.id))
        if (page.next === undefined) break
        assert.strictEqual(page.next, String(seen.length))
        cursor = page.next
      }
      assert.strictEqual(pages, Math.ceil(fx.ids.length / 100))
      assert.deepStrictEqual(sorted(seen), sorted(fx.ids))
      // the default limit of fetchTickets is 100; streamTickets with a limit stops there
      assert.strictEqual((yield* adapter.fetchTickets({ text: MARKER })).length, 100)
      const capped = yield* adapter.streamTickets({ text: MARKER, pageSize: 100, limit: 250 }).pipe(Stream.runCount)
      assert.strictEqual(capped, 250)
    }), 60_000)
})
