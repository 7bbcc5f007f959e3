/**
 * Nimbus Desk driven through the `ticketkit` command, configured by a `ticketkit.yaml` alone:
 * reads (cursor pages, epoch seconds, split tags, nested team, HTML descriptions), updates and
 * notes in the system's own shapes, a 429 on a note retried without a duplicate, and the
 * system's own message when it refuses a change.
 */
import { assert, describe, it } from "@effect/vitest"
import { ConfigProvider, Effect } from "effect"
import { project, runCli } from "../support/RunCli.js"
import { nimbusYaml } from "./nimbus.js"
import * as NimbusDesk from "./NimbusDesk.js"

const withToken = (desk: NimbusDesk.NimbusDesk) => Effect.withConfigProvider(ConfigProvider.fromMap(new Map([["NIMBUS_TOKEN", desk.token]])))

/** runs the command in a project configured for the desk */
const cli = (desk: NimbusDesk.NimbusDesk, dir: string, ...args: ReadonlyArray<string>) =>
  Effect.gen(function*() {
    const result = yield* runCli(dir, ...args).pipe(withToken(desk))
    assert.notInclude(result.out + result.err, desk.token, "the token is never printed")
    return result
  })

describe("Nimbus Desk through the CLI", () => {
  it.live("reads, updates and notes by configuration only", () =>
    Effect.gen(function*() {
      const desk = yield* NimbusDesk.make({ tickets: 60 })
      const dir = project("nimbus", { "ticketkit.yaml": nimbusYaml(desk.url) })

      const all = yield* cli(desk, dir, "fetch", "--all", "--json")
      assert.strictEqual(all.code, 0, all.err)
      const tickets = all.out.split("\n").map((line) => JSON.parse(line) as {
        id: string
        description: string
        priority: { level: string; name: string; value?: number }
        queue: { id: string; name: string }
        tags: Array<string>
        createdAt: string
        updatedAt: string
      })
      assert.strictEqual(tickets.length, 60, "every cursor page was read")
      assert.isAtLeast(desk.requests.filter((r) => r.startsWith("GET /v2/tickets?")).length, 2)
      const second = tickets[1]!
      const stored = desk.tickets.get(2)!
      assert.strictEqual(second.createdAt, new Date(stored.created_at * 1000).toISOString())
      assert.strictEqual(second.updatedAt, new Date(stored.updated_at * 1000).toISOString())
      assert.deepStrictEqual(second.tags, ["vpn", "network"])
      assert.deepStrictEqual(second.queue, { id: String(stored.team.id), name: stored.team.name })
      assert.deepStrictEqual(second.priority, { level: ["low", "normal", "high", "urgent"][stored.urgency - 1]!, name: String(stored.urgency), value: stored.urgency })
      assert.strictEqual(second.description, "Reported by phone & mail:\ninvoice 2026-0412 missing.", "HTML read as plain text")

      const updated = yield* cli(desk, dir, "update", "2", "--priority", "urgent", "--queue", "3", "--state", "pending", "--tag", "vpn", "--tag", "escalated")
      assert.strictEqual(updated.code, 0, updated.err)
      assert.deepStrictEqual(
        { urgency: stored.urgency, team: stored.team.id, status: stored.status, tags: stored.tags },
        { urgency: 4, team: 3, status: "on_hold", tags: "vpn,escalated" },
        "written as numbers, a flat team_id, a status name and a comma-separated string"
      )
      assert.include(desk.requests.join("\n"), "PATCH /v2/tickets/2")

      // the note is refused once with 429 (before the system acts), retried, and stored once
      desk.rateLimitNext(1, 1, (method) => method === "POST")
      const noted = yield* cli(desk, dir, "note", "2", "Called the user: <VPN> & proxy reset")
      assert.strictEqual(noted.code, 0, noted.err)
      const publicNote = yield* cli(desk, dir, "note", "2", "--public", "We reset your VPN profile.")
      assert.strictEqual(publicNote.code, 0, publicNote.err)
      const comments = desk.comments.get(2)!
      assert.deepStrictEqual(comments.map((c) => [c.body_html, c.public]), [
        ["Called the user: &lt;VPN&gt; &amp; proxy reset", false],
        ["We reset your VPN profile.", true]
      ])
      const shown = yield* cli(desk, dir, "get", "2", "--notes", "--json")
      assert.strictEqual(shown.code, 0, shown.err)
      assert.include(shown.out, "internal")
      assert.include(shown.out, "public")

      const found = yield* cli(desk, dir, "search", "printer", "--json")
      assert.strictEqual(found.code, 0, found.err)
      assert.isAbove((JSON.parse(found.out) as Array<unknown>).length, 0)
      assert.include(desk.requests.join("\n"), "GET /v2/search?query=printer")
    }).pipe(Effect.scoped))

  it.live("numbers written as strings: the system refuses, and the error names the field", () =>
    Effect.gen(function*() {
      const desk = yield* NimbusDesk.make({ tickets: 5 })
      // the mistake: urgency written in its usual form (a string) instead of as a number
      const dir = project("nimbus-strings", { "ticketkit.yaml": nimbusYaml(desk.url).replace("priority: { path: urgency, codec: number }", "priority: urgency") })
      const result = yield* cli(desk, dir, "update", "1", "--priority", "urgent")
      assert.notStrictEqual(result.code, 0)
      assert.include(result.err, "urgency: expected an integer from 1 to 4, got the string \"4\"", "the system's own message, from fault.description")
      assert.strictEqual(desk.tickets.get(1)!.urgency, 2, "nothing was changed")
    }).pipe(Effect.scoped))
})
