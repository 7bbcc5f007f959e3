/**
 * `ticketkit fetch --all` against a ticket list that never ends, run as a real child process:
 * rows come as the pages do, memory stays bounded, and a signal ends it with 130 (SIGINT) or 143
 * (SIGTERM), what was printed kept. A reader that goes away (`| head`) ends it quietly with 141.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { project } from "../support/RunCli.js"
import type { Child } from "./FakeServer.js"
import { endless, fakeServer, spawnCli, waitFor } from "./FakeServer.js"

const configFor = (url: string) => ({
  "ticketkit.yaml": [
    "systems:",
    "  endless:",
    "    adapter: rest",
    `    options: { baseUrl: "${url}" }`,
    "    retry: false"
  ].join("\n")
})

/** a child that is killed when the test ends, whatever happens */
const child = (dir: string, args: ReadonlyArray<string>, nodeOptions: ReadonlyArray<string> = []) =>
  Effect.acquireRelease(
    Effect.sync(() => spawnCli(dir, args, nodeOptions)),
    (c) => Effect.sync(() => c.process.exitCode === null && c.process.signalCode === null && c.process.kill("SIGKILL"))
  )

const alive = (c: Child) => c.process.exitCode === null && c.process.signalCode === null

/** waits for `n` lines of output, failing at once if the child ends first */
const lines = (c: Child, n: number, ms: number) =>
  waitFor(() => c.lines() >= n || !alive(c), ms, `${n} lines of output`).pipe(
    Effect.flatMap(() =>
      c.lines() >= n
        ? Effect.void
        : Effect.promise(() => c.exited).pipe(
          Effect.flatMap((exit) =>
            Effect.fail(new Error(`ticketkit ended (${JSON.stringify(exit)}) after ${c.lines()} lines; stderr: ${c.stderr().slice(-2000)}`))
          )
        )
    )
  )

const ROW = /^\d+ +open +normal +Support \(#1\) +2026-11-02 08:00 +Ticket number \d+$/

describe("fetch --all streams", () => {
  it.scoped("prints rows as they come, in bounded memory, from a list that never ends; SIGTERM exits 143", () =>
    Effect.gen(function*() {
      const server = yield* fakeServer(endless)
      // a heap too small to hold the list: collecting it first would abort within seconds
      const c = yield* child(project("endless", configFor(server.url)), ["fetch", "--all"], ["--max-old-space-size=128"])
      yield* lines(c, 5_000, 60_000)
      const early = c.rssMiB()
      const samples: Array<number> = []
      const sampler = setInterval(() => {
        const rss = c.rssMiB()
        if (rss !== undefined) samples.push(rss)
      }, 100)
      yield* lines(c, 40_000, 120_000).pipe(Effect.ensuring(Effect.sync(() => clearInterval(sampler))))
      const late = Math.max(...samples)
      assert.isTrue(alive(c), "still fetching: the list never ends")
      assert.isAbove(server.requests(), 400, "pages were fetched one after another")

      const [header, ...rows] = c.firstLines()
      assert.match(header!, /^ID +STATE +PRIORITY +QUEUE +UPDATED +TITLE$/)
      assert.match(rows[0]!, ROW)
      assert.match(rows[0]!, /^1 /)
      assert.match(c.lastLine()!, ROW)
      assert.isDefined(early)
      // the heap is capped at 128 MiB: a few MiB of noise, never the ~50 MiB a second of a list
      // held in memory
      assert.isBelow(late - early!, 64, `RSS after 5,000 rows ${early} MiB, after 40,000 at most ${late} MiB`)
      assert.notInclude(c.stderr(), "heap out of memory")

      c.process.kill("SIGTERM")
      const exit = yield* Effect.promise(() => c.exited)
      assert.deepStrictEqual(exit, { code: 143, signal: null }, c.stderr())
      assert.isAtLeast(c.lines(), 40_000, "what was printed is kept")
    }), 240_000)

  it.scoped("Ctrl-C (SIGINT) exits 130, with the JSON Lines printed so far kept", () =>
    Effect.gen(function*() {
      const server = yield* fakeServer(endless)
      const c = yield* child(project("endless-int", configFor(server.url)), ["fetch", "--all", "--json"])
      // rows on stdout, or progress on stderr (all a command that collects first prints)
      yield* waitFor(() => c.lines() >= 2_000 || c.stderr().includes("fetched 2500") || !alive(c), 60_000, "the fetch to be under way")
      c.process.kill("SIGINT")
      const exit = yield* Effect.promise(() => c.exited)
      assert.deepStrictEqual(exit, { code: 130, signal: null }, c.stderr())
      assert.isAtLeast(c.lines(), 2_000, "rows were printed as they came")
      const first = JSON.parse(c.firstLines()[0]!) as { id: string; title: string }
      assert.deepStrictEqual([first.id, first.title], ["1", "Ticket number 1"], "one ticket a line")
      for (const line of c.firstLines()) JSON.parse(line)
      assert.notMatch(c.stderr(), /\n\s+at /, "no stack trace")
    }), 120_000)

  it.scoped("a reader that goes away (| head) ends it quietly with 141", () =>
    Effect.gen(function*() {
      const server = yield* fakeServer(endless)
      const c = yield* child(project("endless-pipe", configFor(server.url)), ["fetch", "--all"])
      yield* lines(c, 1_000, 60_000)
      c.process.stdout.destroy()
      const exit = yield* Effect.promise(() => c.exited)
      assert.deepStrictEqual(exit, { code: 141, signal: null }, c.stderr())
      assert.notMatch(c.stderr(), /Error|\n\s+at /, "no stack trace")
    }), 120_000)
})
