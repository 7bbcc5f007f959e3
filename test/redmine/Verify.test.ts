// Offline: how the Redmine adapter tells an update Redmine applied (and another writer changed a
// moment later) from one it ignored, with Redmine's journal (issue 13, item 5). A stateful double
// of Redmine's API: PUT answers 204 and calls the scenario, which changes the issue and writes
// journals as Redmine would.
import { HttpClient, HttpClientResponse } from "@effect/platform"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Layer, Redacted } from "effect"
import { Redmine } from "../../src/adapters/redmine/index.js"
import { TicketSystemAdapter } from "../../src/TicketSystemAdapter.js"

interface Detail {
  readonly property: string
  readonly name: string
  readonly old_value: string | null
  readonly new_value: string | null
}

interface State {
  issue: Record<string, unknown> & { subject: string; status: { id: number; name: string } }
  journals: Array<{ id: number; user: { id: number; name: string }; notes: string; created_on: string; private_notes: boolean; details: ReadonlyArray<Detail> }>
  puts: number
  journalReads: number
}

const statuses = [
  { id: 1, name: "New", is_closed: false },
  { id: 2, name: "In Progress", is_closed: false },
  { id: 3, name: "Resolved", is_closed: false },
  { id: 4, name: "Feedback", is_closed: false },
  { id: 5, name: "Closed", is_closed: true },
  { id: 6, name: "Rejected", is_closed: true }
]

const newState = (subject: string, journals: State["journals"] = []): State => ({
  issue: {
    id: 1,
    project: { id: 1, name: "Demo" },
    tracker: { id: 1, name: "Bug" },
    status: { id: 1, name: "New" },
    priority: { id: 2, name: "Normal" },
    author: { id: 1, name: "Redmine Admin" },
    subject,
    description: "",
    created_on: "2026-12-01T10:00:00Z",
    updated_on: "2026-12-01T10:00:00Z"
  },
  journals,
  puts: 0,
  journalReads: 0
})

/** writes a journal as Redmine does: by `user`, for the attributes that change */
const write = (state: State, user: number, changes: Record<string, string>) => {
  const details: Array<Detail> = []
  for (const [name, value] of Object.entries(changes)) {
    if (name === "subject" && state.issue.subject !== value) {
      details.push({ property: "attr", name, old_value: state.issue.subject, new_value: value })
      state.issue.subject = value
    }
    if (name === "status_id" && String(state.issue.status.id) !== value) {
      details.push({ property: "attr", name, old_value: String(state.issue.status.id), new_value: value })
      state.issue.status = { id: Number(value), name: statuses.find((s) => s.id === Number(value))!.name }
    }
  }
  if (details.length === 0) return // no change, no journal
  state.journals.push({
    id: 100 + state.journals.length,
    user: { id: user, name: user === 1 ? "Redmine Admin" : "Someone Else" },
    notes: "",
    created_on: "2026-12-02T18:00:00Z",
    private_notes: false,
    details
  })
}

const ADMIN = 1
const OTHER = 2

const fakeRedmine = (state: State, onPut: (state: State, body: Record<string, unknown>) => void) =>
  HttpClient.make((request, url) =>
    Effect.sync(() => {
      const json = (status: number, body?: unknown) =>
        HttpClientResponse.fromWeb(
          request,
          body === undefined
            // Redmine's empty answers (204, 404) say so with their length
            ? new Response(null, { status, headers: { "content-length": "0" } })
            : new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } })
        )
      const path = url.pathname
      if (path === "/issue_statuses.json") return json(200, { issue_statuses: statuses })
      if (path === "/enumerations/issue_priorities.json") {
        return json(200, { issue_priorities: ["Low", "Normal", "High", "Urgent", "Immediate"].map((name, i) => ({ id: i + 1, name, is_default: i === 1 })) })
      }
      if (path === "/trackers.json") return json(200, { trackers: [{ id: 1, name: "Bug", default_status: { id: 1, name: "New" } }] })
      if (path === "/projects.json") return json(200, { projects: [{ id: 1, name: "Demo", identifier: "demo" }], total_count: 1, offset: 0, limit: 100 })
      if (path === "/issues/1.json" && request.method === "GET") {
        const journals = url.searchParams.get("include") === "journals"
        if (journals) state.journalReads++
        return json(200, { issue: { ...state.issue, ...(journals ? { journals: state.journals } : {}) } })
      }
      if (path === "/issues/1.json" && request.method === "PUT") {
        state.puts++
        const body = request.body._tag === "Uint8Array" ? JSON.parse(new TextDecoder().decode(request.body.body)) : {}
        onPut(state, body.issue)
        return json(204)
      }
      return json(404)
    })
  )

const run = <A, E>(state: State, onPut: (state: State, body: Record<string, unknown>) => void, effect: Effect.Effect<A, E, TicketSystemAdapter>) =>
  effect.pipe(
    Effect.provide(
      Redmine.layer({ baseUrl: "http://redmine.test", apiKey: Redacted.make("k") }).pipe(
        Layer.provide(Layer.succeed(HttpClient.HttpClient, fakeRedmine(state, onPut)))
      )
    )
  )

const asWritten = (body: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(body).map(([k, v]) => [k, String(v)]))

describe("Redmine: applied or ignored, among other writers (offline)", () => {
  it.effect("applied, then overwritten by another writer before the read-back: success, the issue as read back", () => {
    const state = newState("start")
    return run(state, (s, body) => {
      write(s, ADMIN, asWritten(body))
      write(s, OTHER, { subject: "theirs" })
    }, Effect.gen(function*() {
      const adapter = yield* TicketSystemAdapter
      const ticket = yield* adapter.updateTicket("1", { title: "mine" })
      assert.strictEqual(ticket.title, "theirs")
      assert.strictEqual(state.journalReads, 2, "the journals before the update, and after it to explain the difference")
    }))
  })

  it.effect("already the value (no journal), changed away by another writer: success", () => {
    const state = newState("mine")
    return run(state, (s, body) => {
      write(s, ADMIN, asWritten(body)) // nothing changes: Redmine writes no journal
      write(s, OTHER, { subject: "theirs" })
    }, Effect.gen(function*() {
      const adapter = yield* TicketSystemAdapter
      assert.strictEqual((yield* adapter.updateTicket("1", { title: "mine" })).title, "theirs")
    }))
  })

  it.effect("partly ignored while another writer changed the issue: RequestRejectedError naming only what was ignored", () => {
    const state = newState("start")
    return run(state, (s, body) => {
      write(s, ADMIN, { subject: String(body.subject) }) // the status is ignored (say, the workflow)
      write(s, OTHER, { subject: "theirs" })
    }, Effect.gen(function*() {
      const adapter = yield* TicketSystemAdapter
      const error = yield* Effect.flip(adapter.updateTicket("1", { state: "closed", title: "mine" }))
      assert.strictEqual(error._tag, "RequestRejectedError")
      assert.include(error.message, "did not apply: status \"Closed\" (it is still \"New\")")
      // the subject differs too, but the journal shows it set, then changed by another writer: not named
      assert.notInclude(error.message, "subject")
    }))
  })

  it.effect("ignored, while another writer changed the same field to another value: RequestRejectedError", () => {
    const state = newState("start")
    return run(state, (s) => write(s, OTHER, { subject: "theirs" }), Effect.gen(function*() {
      const adapter = yield* TicketSystemAdapter
      const error = yield* Effect.flip(adapter.updateTicket("1", { title: "mine" }))
      assert.strictEqual(error._tag, "RequestRejectedError")
      assert.include(error.message, "did not apply: subject (title)")
    }))
  })

  it.effect("an old journal that once set the value does not count: only journals written after the update began", () => {
    // long ago the issue was closed, then reopened; now the close is ignored (e.g. the workflow)
    const state = newState("start", [
      { id: 1, user: { id: 1, name: "Redmine Admin" }, notes: "", created_on: "2026-01-01T00:00:00Z", private_notes: false, details: [{ property: "attr", name: "status_id", old_value: "1", new_value: "5" }] },
      { id: 2, user: { id: 1, name: "Redmine Admin" }, notes: "", created_on: "2026-01-02T00:00:00Z", private_notes: false, details: [{ property: "attr", name: "status_id", old_value: "5", new_value: "1" }] }
    ])
    return run(state, () => {}, Effect.gen(function*() {
      const adapter = yield* TicketSystemAdapter
      const error = yield* Effect.flip(adapter.updateTicket("1", { state: "closed" }))
      assert.strictEqual(error._tag, "RequestRejectedError")
      assert.include(error.message, "did not apply: status \"Closed\"")
    }))
  })

  it.effect("applied and read back as sent: no journal is read after the update", () => {
    const state = newState("start")
    return run(state, (s, body) => write(s, ADMIN, asWritten(body)), Effect.gen(function*() {
      const adapter = yield* TicketSystemAdapter
      const ticket = yield* adapter.updateTicket("1", { title: "mine", state: "open" })
      assert.deepStrictEqual([ticket.title, ticket.state.name], ["mine", "In Progress"])
      assert.strictEqual(state.journalReads, 1)
      assert.isUndefined((ticket.raw as { journals?: unknown }).journals, "raw is the issue as read back, without journals")
    }))
  })
})
