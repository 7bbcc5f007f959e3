/**
 * The mirror example (examples/mirror) against the live Request Tracker and Redmine: two systems
 * in one pipeline, idempotent, and taken up after a stop in the middle without repeating a write.
 * Fails (never skips) when either server is not running.
 */
import { assert } from "@effect/vitest"
import { Effect, Layer, Option } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import { ConnectionError } from "../../src/AdapterError.js"
import * as Checkpoint from "../../src/Checkpoint.js"
import * as Pipeline from "../../src/Pipeline.js"
import type * as Ticket from "../../src/Ticket.js"
import { findMirror, markerOf, mirror, type MirrorOptions, noteTagOf, Redmine, Rt } from "../../examples/mirror/Mirror.js"
import { describeLive, marker, projects, SystemsLive } from "./live.js"

const TIMEOUT = 60_000
const project = { id: projects.project }
const dir = path.resolve(import.meta.dirname, "../../.tmp/pipeline-live")

const sqlite = (name: string) => {
  fs.mkdirSync(dir, { recursive: true })
  return Checkpoint.layerSqlite({ filename: path.join(dir, `${name}.sqlite`) })
}

const optionsFor = (m: string): MirrorOptions => ({
  criteria: { queues: [{ name: "Support" }], text: m },
  project,
  // one origin per test run, so that mirrors left by earlier runs can never be mistaken for ours
  origin: `RT-${m}`,
  name: `mirror-${m}`
})

/** the mirror of an RT ticket, with its notes; fails the test when there is not exactly one */
const mirrorOf = (options: MirrorOptions, rtTicket: Ticket.Ticket) =>
  Effect.gen(function*() {
    const redmine = yield* Redmine
    const marker = markerOf(options.origin!, rtTicket.id)
    const all = (yield* redmine.searchTickets(marker, { queues: [project], limit: 20 })).filter((t) => t.title.startsWith(marker))
    assert.strictEqual(all.length, 1, `exactly one mirror of RT #${rtTicket.id}`)
    const found = yield* findMirror(options.origin!, project, rtTicket.id)
    assert.isTrue(Option.isSome(found))
    const issue = all[0]!
    return { issue, notes: yield* redmine.listNotes(issue.id) }
  })

/** the Redmine adapter, but the `failAt`-th note is stored and its answer lost */
const losingNoteAnswer = (failAt: number) =>
  Layer.effect(
    Redmine,
    Effect.map(Redmine, (redmine) => {
      let notes = 0
      return {
        ...redmine,
        addNote: (id, note) =>
          Effect.suspend(() => {
            const n = ++notes
            return redmine.addNote(id, note).pipe(
              Effect.zipRight(
                n === failAt
                  ? Effect.fail(new ConnectionError({ adapter: redmine.name, operation: "addNote", detail: "answer lost (injected)", requestSent: true }))
                  : Effect.void
              )
            )
          })
      }
    })
  )

describeLive("mirror: Request Tracker → Redmine (live)", SystemsLive, (it) => {
  it.effect("mirrors tickets with their notes; a second run changes nothing, even with a new checkpoint", () =>
    Effect.gen(function*() {
      const rt = yield* Rt
      const m = marker("tkmirror")
      const options = optionsFor(m)
      const fire = yield* rt.createTicket({ title: `${m} printer on fire`, description: "Smoke from the printer on floor 2.", queue: { name: "Support" }, priority: "high" })
      yield* rt.addNote(fire.id, "Called facilities.")
      yield* rt.addNote(fire.id, { body: "We are on it, please leave the floor.", visibility: "public" })
      const vpn = yield* rt.createTicket({ title: `${m} VPN drops`, description: "Every ten minutes.", queue: { name: "Support" }, priority: "low" })
      yield* rt.addNote(vpn.id, "Asked for the client logs.")
      const checkpoint = sqlite(m)

      const first = yield* Pipeline.run(mirror(options)).pipe(Effect.provide(checkpoint))
      assert.deepInclude(first, { seen: 2, changed: 2, failed: 0 }, Pipeline.formatSummary(first))
      assert.deepStrictEqual(first.changes.map((c) => c.kind).sort(), ["create", "create", "note", "note", "note"])

      const fireMirror = yield* mirrorOf(options, fire)
      assert.strictEqual(fireMirror.issue.title, `${markerOf(options.origin!, fire.id)} ${m} printer on fire`)
      assert.strictEqual(fireMirror.issue.priority.level, "high")
      assert.include(fireMirror.issue.description, "Smoke from the printer on floor 2.")
      assert.deepStrictEqual(fireMirror.notes.map((n) => n.visibility), ["internal", "public"])
      assert.isTrue(fireMirror.notes[0]!.body.startsWith(noteTagOf(options.origin!, fire.id, (yield* rt.listNotes(fire.id))[0]!.id!)))
      assert.include(fireMirror.notes[1]!.body, "We are on it, please leave the floor.")
      const vpnMirror = yield* mirrorOf(options, vpn)
      assert.strictEqual(vpnMirror.issue.priority.level, "low")
      assert.strictEqual(vpnMirror.notes.length, 1)

      // again, same checkpoint: the tickets read again (overlap) are already handled
      const second = yield* Pipeline.run(mirror(options)).pipe(Effect.provide(checkpoint))
      assert.deepInclude(second, { changed: 0, failed: 0 }, Pipeline.formatSummary(second))
      // again, with no checkpoint at all: the mirror finds everything in place
      const fresh = yield* Pipeline.run(mirror(options)).pipe(Effect.provide(Checkpoint.layerMemory))
      assert.deepInclude(fresh, { seen: 2, changed: 0, unchanged: 2, failed: 0 }, Pipeline.formatSummary(fresh))
      assert.deepStrictEqual(fresh.changes, [])

      // a change in RT: only that ticket is mirrored again, and only what changed
      yield* rt.addNote(fire.id, "Facilities say it was the toner.")
      yield* rt.updateTicket(fire.id, { priority: "urgent", state: "resolved" })
      const third = yield* Pipeline.run(mirror(options)).pipe(Effect.provide(checkpoint))
      assert.deepInclude(third, { changed: 1, failed: 0 }, Pipeline.formatSummary(third))
      assert.deepStrictEqual(third.changes.map((c) => c.kind), ["update", "note"])
      const updated = yield* mirrorOf(options, fire)
      assert.strictEqual(updated.issue.priority.level, "urgent")
      assert.strictEqual(updated.issue.state.type, "resolved")
      assert.strictEqual(updated.notes.length, 3)
      assert.strictEqual((yield* mirrorOf(options, vpn)).notes.length, 1)
    }), TIMEOUT)

  it.effect("stopped in the middle (a note stored, its answer lost) and started again: nothing skipped, nothing repeated", () =>
    Effect.gen(function*() {
      const rt = yield* Rt
      const m = marker("tkrestart")
      const options = optionsFor(m)
      const tickets: Array<Ticket.Ticket> = []
      for (const n of [1, 2, 3]) {
        const ticket = yield* rt.createTicket({ title: `${m} ticket ${n}`, description: `Problem ${n}.`, queue: { name: "Support" } })
        yield* rt.addNote(ticket.id, `First remark on ${n}.`)
        yield* rt.addNote(ticket.id, `Second remark on ${n}.`)
        tickets.push(ticket)
      }

      // run 1: one ticket at a time; the 3rd note (ticket 2's first) is stored, its answer lost
      const stopped = yield* Pipeline.run(mirror(options), { concurrency: 1, onFailure: Pipeline.stopOnFailure }).pipe(
        Effect.provide(losingNoteAnswer(3)),
        Effect.provide(sqlite(m)),
        Effect.flip
      )
      assert.strictEqual(stopped._tag, "PipelineStopped", String(stopped))
      if (stopped._tag !== "PipelineStopped") return
      assert.strictEqual(stopped.ticketId, tickets[1]!.id)
      assert.strictEqual(stopped.reason, "ConnectionError")
      assert.deepInclude(stopped.summary, { changed: 1, failed: 1 })
      assert.strictEqual((yield* mirrorOf(options, tickets[1]!)).notes.length, 1, "the lost answer's note is stored")

      // run 2, a new process on the same checkpoint file
      const resumed = yield* Pipeline.run(mirror(options), { concurrency: 1 }).pipe(Effect.provide(sqlite(m)))
      assert.deepInclude(resumed, { changed: 2, failed: 0, resumed: 1 }, Pipeline.formatSummary(resumed))
      assert.deepStrictEqual(resumed.skippedBy, { "already handled": 1 })
      assert.deepStrictEqual(
        resumed.changes.map((c) => `${c.kind}`),
        ["note", "create", "note", "note"],
        "ticket 2: only its second note; ticket 3: everything"
      )
      for (const [i, ticket] of tickets.entries()) {
        const { notes } = yield* mirrorOf(options, ticket)
        assert.deepStrictEqual(
          notes.map((n) => n.body.split("\n\n")[1]),
          [`First remark on ${i + 1}.`, `Second remark on ${i + 1}.`],
          `the mirror of ticket ${i + 1} has each note once`
        )
      }

      // run 3: nothing left
      const again = yield* Pipeline.run(mirror(options)).pipe(Effect.provide(sqlite(m)))
      assert.deepInclude(again, { changed: 0, failed: 0 }, Pipeline.formatSummary(again))
    }), TIMEOUT)

  it.effect("a dry run says what it would create and note, and writes nothing", () =>
    Effect.gen(function*() {
      const rt = yield* Rt
      const m = marker("tkdry")
      const options = optionsFor(m)
      const ticket = yield* rt.createTicket({ title: `${m} dry`, queue: { name: "Support" } })
      yield* rt.addNote(ticket.id, "A remark.")
      const checkpoint = sqlite(m)
      const preview = yield* Pipeline.run(mirror(options), { dryRun: true }).pipe(Effect.provide(checkpoint))
      assert.deepInclude(preview, { dryRun: true, seen: 1, changed: 1 })
      assert.deepStrictEqual(preview.changes.map((c) => [c.kind, c.target, c.applied]), [["create", "(new)", false], ["note", "(new)", false]])
      assert.isTrue(Option.isNone(yield* findMirror(options.origin!, project, ticket.id)), "nothing was created")
      const real = yield* Pipeline.run(mirror(options)).pipe(Effect.provide(checkpoint))
      assert.deepInclude(real, { changed: 1 }, "the dry run left the checkpoint alone")
    }), TIMEOUT)
})
