import { assert, layer } from "@effect/vitest"
import { ConfigProvider, Effect } from "effect"
import { ReferenceServer } from "ticketkit/testing"
import { helpdeskFixtures } from "../../src/demo/Helpdesk.js"
import { project, runCli } from "../support/RunCli.js"

const TOKEN = "cli-secret-token-4711"

/** runs the CLI in a project configured for the running reference server */
const cli = (...args: ReadonlyArray<string>) =>
  Effect.gen(function*() {
    const server = yield* ReferenceServer.ReferenceServer
    const dir = project("cli", {
      "ticketkit.yaml": [
        "default: helpdesk",
        "systems:",
        "  helpdesk:",
        "    adapter: rest",
        "    description: the reference server",
        "    options:",
        `      baseUrl: ${server.url}`,
        "      auth: { _tag: bearer, token: \"${env:HELPDESK_TOKEN}\" }",
        "  wrong-token:",
        "    adapter: rest",
        `    options: { baseUrl: "${server.url}", auth: { _tag: bearer, token: not-the-token } }`,
        "  unreachable:",
        "    adapter: rest",
        "    options: { baseUrl: \"http://127.0.0.1:9\" }"
      ].join("\n")
    })
    const result = yield* runCli(dir, ...args).pipe(
      Effect.withConfigProvider(ConfigProvider.fromMap(new Map([["HELPDESK_TOKEN", TOKEN]])))
    )
    assert.notInclude(result.out + result.err, TOKEN, "the token is never printed")
    return result
  })

layer(ReferenceServer.layer({ fixtures: helpdeskFixtures(40), token: TOKEN }), { excludeTestServices: true })("ticketkit command", (it) => {
  it.effect("every command has --help", () =>
    Effect.gen(function*() {
      for (const command of ["systems", "fetch", "get", "search", "update", "note", "check", "serve", "demo"]) {
        const { code, out } = yield* cli(command, "--help")
        assert.strictEqual(code, 0, command)
        // eslint-disable-next-line no-control-regex
        assert.include(out.replace(/\u001b\[[0-9;]*m/g, ""), `$ ${command}`, command)
      }
      const fetchHelp = yield* cli("fetch", "--help")
      assert.include(fetchHelp.out.replace(/\u001b\[[0-9;]*m/g, ""), "--state")
      assert.include(fetchHelp.out, "only tickets in this state (repeatable)")
    }))

  it.effect("systems lists adapters and configured systems", () =>
    Effect.gen(function*() {
      const { code, out } = yield* cli("systems")
      assert.strictEqual(code, 0)
      assert.include(out, "rest               ticketkit")
      assert.include(out, "helpdesk           rest                   (default) the reference server")
    }))

  it.effect("fetch prints a table, filters, and --json prints the normal form", () =>
    Effect.gen(function*() {
      const table = yield* cli("fetch", "--state", "new", "--queue", "Incoming", "--limit", "3")
      assert.strictEqual(table.code, 0, table.err)
      const lines = table.out.split("\n")
      assert.match(lines[0]!, /^ID\s+STATE\s+PRIORITY\s+QUEUE\s+UPDATED\s+TITLE$/)
      assert.strictEqual(lines.length, 4)
      assert.isTrue(lines.slice(1).every((l) => / new .* Incoming/.test(l)), table.out)
      const json = yield* cli("fetch", "--priority", "normal", "--limit", "2", "--json")
      const tickets = JSON.parse(json.out) as Array<{ id: string; priority: { level: string }; createdAt: string }>
      assert.strictEqual(tickets.length, 2)
      assert.strictEqual(tickets[0]!.priority.level, "normal")
      assert.match(tickets[0]!.createdAt, /^\d{4}-\d\d-\d\dT/)
      // --all prints as it fetches: JSON Lines, one ticket a line
      const all = yield* cli("fetch", "--all", "--json")
      const jsonLines = all.out.split("\n")
      assert.strictEqual(jsonLines.length, 40)
      assert.deepStrictEqual(jsonLines.map((l) => (JSON.parse(l) as { id: string }).id), Array.from({ length: 40 }, (_, i) => String(i + 1)))
      const allTable = yield* cli("fetch", "--all")
      assert.strictEqual(allTable.out.split("\n").length, 41)
      assert.match(allTable.out.split("\n")[0]!, /^ID\s+STATE\s+PRIORITY\s+QUEUE\s+UPDATED\s+TITLE$/)
      assert.strictEqual(allTable.err, "", "no progress under 500 tickets")
      const none = yield* cli("fetch", "--all", "--text", "no ticket has this text")
      assert.strictEqual(none.out, "no tickets")
    }))

  it.effect("get, update, note, search", () =>
    Effect.gen(function*() {
      const got = yield* cli("get", "5")
      assert.strictEqual(got.code, 0, got.err)
      assert.match(got.out, /^#5 /)
      const updated = yield* cli("update", "5", "--priority", "urgent", "--queue", "Engineering", "--tag", "vip", "--tag", "web")
      assert.strictEqual(updated.code, 0, updated.err)
      assert.include(updated.out, "priority  urgent (urgent)")
      assert.include(updated.out, "queue     Engineering (#5)")
      assert.include(updated.out, "tags      vip, web")
      const noted = yield* cli("note", "5", "Called the customer back.", "--public")
      assert.strictEqual(noted.out, "added a public note to ticket 5")
      const withNotes = yield* cli("get", "5", "--notes", "--json")
      const parsed = JSON.parse(withNotes.out) as { notes: Array<{ body: string; visibility: string }> }
      assert.deepStrictEqual(parsed.notes.map((n) => [n.body, n.visibility]), [["Called the customer back.", "public"]])
      const found = yield* cli("search", "invoice", "--json")
      const results = JSON.parse(found.out) as Array<{ title: string; description: string }>
      assert.isAbove(results.length, 0)
      assert.isTrue(results.every((t) => `${t.title} ${t.description}`.toLowerCase().includes("invoice")))
    }))

  it.effect("each kind of failure has its own one-line message and exit code", () =>
    Effect.gen(function*() {
      const cases: ReadonlyArray<[ReadonlyArray<string>, number, RegExp]> = [
        [["get", "99999"], 6, /^ticketkit: helpdesk: getTicket failed: ticket "99999" was not found/],
        [["get", "1", "--system", "wrong-token"], 4, /^ticketkit: wrong-token: getTicket failed: the system refused the credentials \(401\)\. Check the API key or token configured for wrong-token/],
        [["fetch", "--system", "unreachable"], 5, /^ticketkit: unreachable: fetchTickets could not reach the ticket system \(ECONNREFUSED/],
        [["update", "5", "--state", "frozen"], 7, /^ticketkit: helpdesk: updateTicket for ticket "5" was rejected by the system: unknown status "frozen"$/],
        [["fetch", "--since", "yesterday"], 7, /^ticketkit: helpdesk: invalid input to fetchTickets: invalid search criteria: updatedSince: /],
        [["note", "5", ""], 7, /^ticketkit: helpdesk: invalid input to addNote: invalid note: body: a note needs a non-empty body$/]
      ]
      for (const [args, code, message] of cases) {
        const result = yield* cli(...args)
        assert.strictEqual(result.code, code, `${args.join(" ")}: ${result.err}`)
        assert.match(result.err, message)
        assert.strictEqual(result.err.split("\n").length, 1, "one line")
      }
      const usage = yield* cli("fetch", "--state", "frozen")
      assert.strictEqual(usage.code, 2)
      const nothing = yield* cli("update", "5")
      assert.strictEqual(nothing.code, 2)
      assert.strictEqual(nothing.err, "ticketkit: nothing to update: give at least one of --state, --priority, --queue, --title, --assignee, --tag")
      assert.strictEqual(nothing.out, "")
      const noQueue = yield* cli("check", "--write")
      assert.strictEqual(noQueue.code, 2)
      assert.strictEqual(noQueue.err, "ticketkit: --write needs --queue (where the checks may create tickets) or --ticket (existing tickets they may change)")
    }))

  it.effect("reports a malformed answer with exit code 9, and a busy server with 8", () =>
    Effect.gen(function*() {
      const server = yield* ReferenceServer.ReferenceServer
      yield* server.setFaults({ malformedRate: 1 })
      const malformed = yield* cli("get", "1")
      yield* server.setFaults({ serverErrorRate: 1 })
      const busy = yield* cli("get", "1")
      yield* server.setFaults({})
      assert.strictEqual(malformed.code, 9, malformed.err)
      assert.include(malformed.err, "not valid JSON")
      assert.strictEqual(busy.code, 8, busy.err)
    }))

  it.effect("check runs the contract checks: read-only by default, write checks with --write", () =>
    Effect.gen(function*() {
      const read = yield* cli("check")
      assert.strictEqual(read.code, 0, read.out)
      assert.include(read.out, "checking helpdesk (rest): read-only contract checks")
      assert.match(read.out, /\n7 passed, 0 failed$/)
      const write = yield* cli("check", "--write", "--queue", "Support", "--other-queue", "Billing")
      assert.strictEqual(write.code, 0, write.out)
      assert.match(write.out, /\n26 passed, 0 failed$/)
      const refused = yield* cli("check", "--system", "wrong-token")
      assert.strictEqual(refused.code, 10)
      assert.include(refused.err, "ticketkit: 6 of 7 contract checks failed") // the input checks make no request
    }))

  it.effect("check prints its coverage, and runs the write checks on named tickets with --ticket, putting them back", () =>
    Effect.gen(function*() {
      const read = yield* cli("check")
      assert.match(read.out, /coverage for helpdesk: 7 of \d+ checks run \(7 passed, 0 failed\), \d+ skipped/)
      assert.include(read.out, "writes are unverified")
      const lonely = yield* cli("check", "--ticket", "1")
      assert.strictEqual(lonely.code, 2)
      assert.strictEqual(lonely.err, "ticketkit: --ticket names tickets the write checks change: add --write")
      const before = JSON.parse((yield* cli("get", "1", "--json")).out)
      const named = yield* cli("check", "--write", "--ticket", "1", "--other-queue", "Billing")
      assert.strictEqual(named.code, 0, named.out)
      assert.notInclude(named.out, "writes are unverified")
      assert.match(named.out, /\n(\d+) passed, 0 failed$/)
      const passed = Number(/\n(\d+) passed, 0 failed$/.exec(named.out)![1])
      assert.isAbove(passed, 7, "write checks ran")
      const after = JSON.parse((yield* cli("get", "1", "--json")).out)
      for (const key of ["title", "state", "priority", "queue", "tags", "assignee"]) {
        assert.deepStrictEqual(after[key], before[key], `${key} is put back`)
      }
    }))
})
