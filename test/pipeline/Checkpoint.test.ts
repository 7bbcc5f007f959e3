/**
 * The checkpoint store: one contract, run against the in-memory and the SQLite implementation;
 * and what only SQLite does (a restart, a file that cannot be opened).
 */
import { assert, describe, it } from "@effect/vitest"
import { DateTime, Effect, Layer, Option } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import * as Checkpoint from "../../src/Checkpoint.js"

const dir = path.resolve(import.meta.dirname, "../../.tmp/pipeline-checkpoint")
let files = 0
const newFile = () => {
  fs.mkdirSync(dir, { recursive: true })
  return path.join(dir, `checkpoint-${process.pid}-${++files}.sqlite`)
}

const at = (iso: string) => DateTime.unsafeMake(iso)

const contract = (name: string, layer: () => Layer.Layer<Checkpoint.Checkpoint, Checkpoint.CheckpointError>) =>
  describe(`Checkpoint contract: ${name}`, () => {
    it.effect("keeps a watermark per pipeline", () =>
      Effect.gen(function*() {
        const c = yield* Checkpoint.Checkpoint
        assert.isTrue(Option.isNone(yield* c.watermark("a")))
        yield* c.setWatermark("a", at("2026-11-01T08:00:00.123Z"))
        yield* c.setWatermark("a", at("2026-11-02T08:00:00.456Z"))
        yield* c.setWatermark("b", at("2026-01-01T00:00:00Z"))
        assert.deepStrictEqual(Option.map(yield* c.watermark("a"), DateTime.formatIso), Option.some("2026-11-02T08:00:00.456Z"))
        assert.deepStrictEqual(Option.map(yield* c.watermark("b"), DateTime.formatIso), Option.some("2026-01-01T00:00:00.000Z"))
      }).pipe(Effect.provide(layer())))

    it.effect("journals writes until the ticket is marked handled", () =>
      Effect.gen(function*() {
        const c = yield* Checkpoint.Checkpoint
        yield* c.beginWrite("a", "7", { key: "update#1", token: "token-update", startedAt: 1000 })
        yield* c.beginWrite("a", "7", { key: "note#1", token: "token-note-1", startedAt: 2000 })
        yield* c.beginWrite("a", "7", { key: "note#1", token: "token-note-2", startedAt: 3000 })
        yield* c.completeWrite("a", "7", "update#1", "\"42\"")
        yield* c.beginWrite("b", "8", { key: "note#1", token: "token-other", startedAt: 0 })
        const records = [...(yield* c.writes("a", "7"))].sort((x, y) => x.key.localeCompare(y.key))
        assert.deepStrictEqual(records, [
          { key: "note#1", status: "started", token: "token-note-1", startedAt: 2000, result: undefined },
          { key: "update#1", status: "done", token: "token-update", startedAt: 1000, result: "\"42\"" }
        ], "a write begun again keeps its first token")
        assert.deepStrictEqual(yield* c.pending("a"), ["7"])
        assert.isTrue(Option.isNone(yield* c.handled("a", "7")))

        yield* c.markHandled("a", "7", at("2026-11-03T10:00:00Z"))
        assert.deepStrictEqual(yield* c.writes("a", "7"), [])
        assert.deepStrictEqual(yield* c.pending("a"), [])
        assert.deepStrictEqual(yield* c.pending("b"), ["8"], "pipelines are apart")
        assert.deepStrictEqual(Option.map(yield* c.handled("a", "7"), DateTime.formatIso), Option.some("2026-11-03T10:00:00.000Z"))
        yield* c.markHandled("a", "7", at("2026-11-04T10:00:00Z"))
        assert.deepStrictEqual(Option.map(yield* c.handled("a", "7"), DateTime.formatIso), Option.some("2026-11-04T10:00:00.000Z"))
      }).pipe(Effect.provide(layer())))

    it.effect("forgets a ticket, or a whole pipeline", () =>
      Effect.gen(function*() {
        const c = yield* Checkpoint.Checkpoint
        yield* c.markHandled("a", "1", at("2026-11-01T00:00:00Z"))
        yield* c.markHandled("a", "2", at("2026-11-01T00:00:00Z"))
        yield* c.beginWrite("a", "3", { key: "k", token: "token-k-1", startedAt: 0 })
        yield* c.setWatermark("a", at("2026-11-01T00:00:00Z"))
        yield* c.markHandled("b", "1", at("2026-11-01T00:00:00Z"))
        yield* c.forget("a", "1")
        assert.isTrue(Option.isNone(yield* c.handled("a", "1")))
        assert.isTrue(Option.isSome(yield* c.handled("a", "2")))
        yield* c.reset("a")
        assert.isTrue(Option.isNone(yield* c.handled("a", "2")))
        assert.isTrue(Option.isNone(yield* c.watermark("a")))
        assert.deepStrictEqual(yield* c.pending("a"), [])
        assert.isTrue(Option.isSome(yield* c.handled("b", "1")))
      }).pipe(Effect.provide(layer())))
  })

contract("in memory", () => Checkpoint.layerMemory)
contract("SQLite", () => Checkpoint.layerSqlite({ filename: newFile() }))

describe("Checkpoint in SQLite", () => {
  it.effect("survives closing and opening the database again", () =>
    Effect.gen(function*() {
      const filename = newFile()
      yield* Effect.gen(function*() {
        const c = yield* Checkpoint.Checkpoint
        yield* c.setWatermark("p", at("2026-11-05T00:00:00Z"))
        yield* c.markHandled("p", "1", at("2026-11-05T00:00:00Z"))
        yield* c.beginWrite("p", "2", { key: "note#1", token: "token-kept", startedAt: 5 })
      }).pipe(Effect.provide(Checkpoint.layerSqlite({ filename })))
      const [watermark, handled, writes] = yield* Effect.flatMap(Checkpoint.Checkpoint, (c) =>
        Effect.all([c.watermark("p"), c.handled("p", "1"), c.writes("p", "2")])).pipe(Effect.provide(Checkpoint.layerSqlite({ filename })))
      assert.isTrue(Option.isSome(watermark) && Option.isSome(handled))
      assert.strictEqual(writes[0]?.token, "token-kept")
    }))

  it.effect("a file that cannot be opened is a CheckpointError naming it", () =>
    Effect.gen(function*() {
      const file = newFile()
      fs.writeFileSync(file, "not a directory")
      const error = yield* Effect.flip(Effect.provide(Checkpoint.Checkpoint, Checkpoint.layerSqlite({ filename: path.join(file, "db.sqlite") })))
      assert.strictEqual(error._tag, "CheckpointError")
      assert.include(error.message, "checkpoint: open failed")
      assert.include(error.message, file)
    }))

  it.effect("the default file is .ticketkit/checkpoints.sqlite", () =>
    Effect.sync(() => assert.strictEqual(Checkpoint.DEFAULT_FILENAME, ".ticketkit/checkpoints.sqlite")))
})
