/**
 * What reaches the terminal: text from a ticket system cannot act on it (control characters,
 * ANSI escapes and bidi overrides in titles, descriptions, notes and error bodies are shown as
 * visible escapes, `--json` keeps them as they are), and no error line is longer than ~2,000
 * characters.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { project, runCli } from "../support/RunCli.js"
import type { FakeRequest } from "./FakeServer.js"
import { fakeServer, wireTicket } from "./FakeServer.js"

const ESC = "\u001b"
/** a title that clears the screen, rewrites its line as a fake confirmation, and flips the rest */
const TITLE = `Refund${ESC}[2J${ESC}[H\rticketkit: added an internal note to ticket 7\u202Egpj.exe\u2066x\u2069\u0008\u007f\u009b31m`
const DESCRIPTION = `First line\r\nsecond line${ESC}]0;owned${ESC}\\\n\tthird\u0000line\u0085`
const NOTE = `Looks fine${ESC}[1A${ESC}[2K\rticketkit: ticket 7 was closed\u202E`
const ERROR_BODY = `the system failed${ESC}[2J\nticketkit: helpdesk: all is well\r`

const hostile = wireTicket(7, {
  subject: TITLE,
  body: DESCRIPTION,
  status: "open",
  department_name: `Sup${ESC}[31mport`,
  requester: `eve${ESC}[8m@example.test`,
  tags: [`vip${ESC}[5m`]
})

const handler = (request: FakeRequest) => {
  const path = request.url.pathname
  if (path === "/api/tickets" && request.method === "GET") return { json: { tickets: [hostile] } }
  if (path === "/api/tickets/search") return { json: { results: [hostile] } }
  if (path === "/api/tickets/7" && request.method === "GET") return { json: hostile }
  if (path === "/api/tickets/7" && request.method === "PUT") return { json: hostile }
  if (path === "/api/tickets/7/notes" && request.method === "GET") {
    return { json: { notes: [{ id: 1, content: NOTE, type: "internal", created: "2026-11-03T08:00:00.000Z", author: `mallory${ESC}[0m` }] } }
  }
  if (path === "/api/tickets/7/notes" && request.method === "POST") return { status: 201, json: { id: 2, content: "x", type: "internal" } }
  // an error whose message is made to look like other output
  if (path === "/api/tickets/8") return { status: 500, json: { message: ERROR_BODY } }
  // an error body of 5 MB
  if (path === "/api/tickets/9") return { status: 500, json: { message: `huge ${"x".repeat(5_000_000)}` } }
  if (path === "/api/tickets/10") return { status: 500, text: `huge ${"y".repeat(5_000_000)}` }
  return { status: 404, json: { message: "not found" } }
}

const config = (url: string) => ({
  "ticketkit.yaml": [
    "systems:",
    "  helpdesk:",
    "    adapter: rest",
    `    options: { baseUrl: "${url}" }`,
    "    retry: false"
  ].join("\n")
})

// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/

describe("output to a terminal", () => {
  it.scoped("escapes control characters, ANSI escapes and bidi overrides from the ticket system", () =>
    Effect.gen(function*() {
      const server = yield* fakeServer(handler)
      const dir = project("terminal", config(server.url))
      const commands: ReadonlyArray<ReadonlyArray<string>> = [
        ["fetch"],
        ["fetch", "--all"],
        ["search", "refund"],
        ["get", "7", "--notes"],
        ["update", "7", "--priority", "high"],
        ["note", "7", "checked"],
        ["get", "8"]
      ]
      const results: Record<string, { code: number; out: string; err: string }> = {}
      for (const args of commands) {
        const result = yield* runCli(dir, ...args)
        results[args.join(" ")] = result
        const text = `${result.out}\n${result.err}`
        assert.notMatch(text, UNSAFE, `${args.join(" ")}: ${JSON.stringify(text)}`)
        // no line of the output can pretend to be the command's own
        for (const line of result.out.split("\n")) assert.notMatch(line, /^ticketkit: /, args.join(" "))
      }
      const visible = "Refund\\x1b[2J\\x1b[H\\rticketkit: added an internal note to ticket 7\\u202egpj.exe\\u2066x\\u2069\\x08\\x7f\\x9b31m"
      const got = results["get 7 --notes"]!
      assert.strictEqual(got.code, 0, got.err)
      assert.include(got.out, `#7  ${visible}`)
      assert.include(got.out, "queue     Sup\\x1b[31mport (#1)")
      assert.include(got.out, "requester eve\\x1b[8m@example.test")
      assert.include(got.out, "tags      vip\\x1b[5m")
      // a description keeps its line breaks (CRLF as LF), and nothing else
      assert.include(got.out, "First line\nsecond line\\x1b]0;owned\\x1b\\\n\\tthird\\x00line\\x85")
      assert.include(got.out, "--- internal note by mallory\\x1b[0m, 2026-11-03T08:00:00.000Z")
      assert.include(got.out, "Looks fine\\x1b[1A\\x1b[2K\\rticketkit: ticket 7 was closed\\u202e")
      // the table keeps the title on one line (white space as one space), cut at 60 characters
      const table = results["fetch"]!.out.split("\n")
      assert.strictEqual(table.length, 2, results["fetch"]!.out)
      assert.match(table[1]!, /^7 +open +normal +Sup\\x1b\[31mport \(#1\) +2026-11-02 08:00 +Refund\\x1b\[2J\\x1b\[H ticketkit: added an internal note to ticket 7…$/)
      assert.deepStrictEqual(results["fetch --all"]!.out.split("\n"), table)
      assert.deepStrictEqual(results["search refund"]!.out.split("\n"), table)
      assert.include(results["update 7 --priority high"]!.out, `#7  ${visible}`)
      // an error body: one line on stderr, escaped
      const failed = results["get 8"]!
      assert.strictEqual(failed.code, 8)
      assert.strictEqual(failed.err.split("\n").length, 1, failed.err)
      assert.include(failed.err, "the system failed\\x1b[2J\\nticketkit: helpdesk: all is well\\r")
    }))

  it.scoped("--json keeps the text as the system sent it", () =>
    Effect.gen(function*() {
      const server = yield* fakeServer(handler)
      const dir = project("terminal-json", config(server.url))
      const got = yield* runCli(dir, "get", "7", "--notes", "--json")
      const ticket = JSON.parse(got.out) as { title: string; description: string; notes: Array<{ body: string }> }
      assert.strictEqual(ticket.title, TITLE)
      assert.strictEqual(ticket.description, DESCRIPTION)
      assert.strictEqual(ticket.notes[0]!.body, NOTE)
      const all = yield* runCli(dir, "fetch", "--all", "--json")
      assert.strictEqual((JSON.parse(all.out) as { title: string }).title, TITLE, "JSON Lines: one ticket a line")
    }))

  it.scoped("caps every error line at about 2,000 characters, saying how much was cut", () =>
    Effect.gen(function*() {
      const server = yield* fakeServer(handler)
      const dir = project("terminal-cap", config(server.url))
      for (const id of ["9", "10"]) {
        const result = yield* runCli(dir, "get", id)
        assert.strictEqual(result.code, 8, result.err.slice(0, 300))
        assert.strictEqual(result.err.split("\n").length, 1)
        assert.isBelow(result.err.length, 2_100, `get ${id}: ${result.err.length} characters`)
        assert.match(result.err, /^ticketkit: helpdesk: getTicket .*huge [xy]+/)
      }
      // an error the command line makes itself, from the configuration
      const adapter = `z${"x".repeat(100_000)}`
      const configError = yield* runCli(project("terminal-cap-config", { "ticketkit.yaml": `systems:\n  a:\n    adapter: ${adapter}\n` }), "fetch")
      assert.strictEqual(configError.code, 3)
      assert.isBelow(configError.err.length, 2_100, `${configError.err.length} characters`)
      assert.match(configError.err, /^ticketkit: ticketkit\.yaml: systems\.a\.adapter: unknown adapter "zx+… \(\d+ more characters\)$/)
    }))
})
