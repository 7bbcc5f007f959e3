// The in-memory double configured from ticketkit.yaml to mimic a narrower target system (issue
// 15, item 5): the command line then refuses what that system refuses, with the same exit codes.
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { project, runCli } from "../support/RunCli.js"

const narrow = [
  "systems:",
  "  desk:",
  "    adapter: in-memory",
  "    options:",
  "      demoTickets: 5",
  "      priorities: [low, normal, high]",
  "      maxPageSize: 2",
  "      capabilities: { publicNotes: false, tags: false, createTickets: true, states: [new, open, resolved, closed] }",
  "  wide:",
  "    adapter: in-memory",
  "    options: { demoTickets: 5 }",
  "default: wide"
].join("\n")

describe("in-memory mimicking a target, from the configuration file", () => {
  it.effect("the narrow double refuses what its target lacks; the default one accepts it", () =>
    Effect.gen(function*() {
      const dir = project("in-memory-mimic", { "ticketkit.yaml": narrow })
      // the wide (default) double accepts the changes
      assert.strictEqual((yield* runCli(dir, "update", "1", "--priority", "urgent")).code, 0)
      assert.strictEqual((yield* runCli(dir, "note", "1", "hello", "--public")).code, 0)
      assert.strictEqual((yield* runCli(dir, "update", "1", "--state", "pending")).code, 0)
      // the narrow one refuses each, as its target's adapter would (exit 7: request refused)
      for (const args of [["--priority", "urgent"], ["--state", "pending"], ["--tag", "vip"]]) {
        const refused = yield* runCli(dir, "update", "--system", "desk", "2", ...args)
        assert.strictEqual(refused.code, 7, `${args.join(" ")}: ${refused.err}`)
      }
      const publicNote = yield* runCli(dir, "note", "--system", "desk", "2", "hello", "--public")
      assert.strictEqual(publicNote.code, 7, publicNote.err)
      const internal = yield* runCli(dir, "note", "--system", "desk", "2", "hello")
      assert.strictEqual(internal.code, 0, `internal notes it has: ${internal.err}`)
      assert.strictEqual((yield* runCli(dir, "update", "--system", "desk", "2", "--priority", "high")).code, 0)
    }))

  it.effect("it lists the system, and small pages lose no ticket", () =>
    Effect.gen(function*() {
      const dir = project("in-memory-mimic-caps", { "ticketkit.yaml": narrow })
      const listed = yield* runCli(dir, "systems")
      assert.strictEqual(listed.code, 0, listed.err)
      assert.include(listed.out, "desk")
      const page = yield* runCli(dir, "fetch", "--system", "desk", "--json")
      assert.strictEqual(page.code, 0, page.err)
      // pages of 2 (maxPageSize), gathered by the port: none lost, none twice
      assert.deepStrictEqual(JSON.parse(page.out).map((t: { id: string }) => t.id), ["1", "2", "3", "4", "5"])
    }))

  it.effect("demo tickets need the default queues: a clear configuration error", () =>
    Effect.gen(function*() {
      const dir = project("in-memory-mimic-bad", {
        "ticketkit.yaml": "systems:\n  d:\n    adapter: in-memory\n    options: { demoTickets: 3, queues: [{ id: a, name: A }] }\n"
      })
      const result = yield* runCli(dir, "fetch")
      assert.strictEqual(result.code, 3)
      assert.include(result.err, "demoTickets needs the default queues")
    }))
})
