/**
 * The REST adapter's mapping, alone (no HTTP): filters, pages, cursors, write and note bodies.
 */
import { Headers } from "@effect/platform"
import { assert, describe, it } from "@effect/vitest"
import { DateTime, Either } from "effect"
import { Note, RestAdapter, SearchCriteria, Ticket } from "ticketkit"
import * as Mapping from "../../src/adapters/rest/mapping.js"

const options = (input: Partial<RestAdapter.OptionsInput> = {}) =>
  Either.getOrThrow(RestAdapter.decodeOptions({ baseUrl: "http://map.invalid", ...input }))

/** an answer to a page request: its body and headers */
const answer = (body: unknown, headers: Record<string, string> = {}, requestUrl = "http://map.invalid/api/tickets") => ({
  body,
  headers: Headers.fromInput(headers),
  requestUrl
})

const criteria = (input: ConstructorParameters<typeof SearchCriteria.SearchCriteria>[0]) => new SearchCriteria.SearchCriteria(input)

describe("REST mapping", () => {
  it("filters: states and priorities through the value maps, queues by id or name, text", () => {
    const o = options({ states: { New: "new", Open: "open", Reopened: "open", Done: "closed" }, params: { separator: "|" } })
    assert.deepStrictEqual(
      Mapping.filterQuery(o, criteria({ states: ["open"], queues: [{ id: "3" }, { id: "4" }], text: "printer" })),
      Either.right({ state: "Open|Reopened", queue_ids: "3|4", q: "printer" })
    )
    assert.deepStrictEqual(Mapping.filterQuery(o, criteria({ states: ["pending"] })), Either.right(undefined), "no status in the category: nothing can match")
    const withoutText = options({ params: { text: null } })
    assert.isTrue(Either.isLeft(Mapping.filterQuery(withoutText, criteria({ text: "x" }))))
  })

  it("pages: offset, page (size kept in the cursor), cursor; foreign cursors refused", () => {
    assert.deepStrictEqual(Mapping.pageQuery(options(), "40", 20), Either.right({ query: { offset: 40, limit: 20 }, offset: 40, size: 20 }))
    assert.isTrue(Either.isLeft(Mapping.pageQuery(options(), "x", 20)))
    const paged = options({ pagination: { style: "page", pageParam: "page", sizeParam: "per_page", firstPage: 1 } })
    assert.deepStrictEqual(Mapping.pageQuery(paged, "3:25", 10), Either.right({ query: { page: 3, per_page: 25 }, offset: 3, size: 25 }))
    assert.deepStrictEqual(Mapping.nextCursor(paged, { query: {}, offset: 3, size: 25 }, answer({}), 25, 100), "4:25")
    assert.strictEqual(Mapping.nextCursor(paged, { query: {}, offset: 4, size: 25 }, answer({}), 25, 100), undefined, "the last page")
    const cursored = options({ pagination: { style: "cursor", cursorParam: "after", sizeParam: "size" }, responses: { nextCursor: "meta.next" } })
    assert.strictEqual(Mapping.nextCursor(cursored, { query: {}, offset: 0, size: 10 }, answer({ meta: { next: "abc" } }), 10, undefined), "abc")
    assert.strictEqual(Mapping.nextCursor(options(), { query: {}, offset: 40, size: 20 }, answer({}), 20, 60), undefined, "offset + count reaches the total")
    assert.strictEqual(Mapping.nextCursor(options(), { query: {}, offset: 40, size: 20 }, answer({}), 20, undefined), "60", "a full page without total")
  })

  it("write bodies: nested paths, the first remote value of a normal one, custom field names as data", () => {
    const o = options({
      fields: { title: "fields.summary", state: "fields.status", customFields: "fields.custom" },
      states: { "To Do": "new", Doing: "open", "In Progress": "open" }
    })
    const body = Mapping.writeBody(o, new Ticket.TicketUpdate({ title: "t", state: "open", customFields: { "a.b": 1, __proto__: "x" } as never }))
    assert.isTrue(Either.isRight(body))
    const fields = Either.getOrThrow(body).fields as Record<string, unknown>
    assert.strictEqual(fields.summary, "t")
    assert.strictEqual(fields.status, "Doing")
    assert.deepStrictEqual(Object.keys(fields.custom as object), ["a.b"])
    assert.isTrue(Either.isLeft(Mapping.writeBody(options({ fields: { tags: null } }), new Ticket.TicketUpdate({ tags: ["x"] }))))
    const draft = new Ticket.TicketDraft({ title: "t", queue: { id: "7" } })
    assert.deepStrictEqual(Either.getOrThrow(Mapping.createBody(options(), draft)), { subject: "t", department_id: 7, body: "" })
  })

  it("notes: visibility both ways, unknown visibility refused with its path", () => {
    const o = options({ visibility: { internal: "private", public: "public" } })
    const now = DateTime.unsafeMake(0)
    assert.deepStrictEqual(
      Either.getOrThrow(Mapping.noteBody(o, new Note.NoteDraft({ body: "b", visibility: "internal", contentType: "text/plain" }), now)),
      { content: "b", type: "private", content_type: "text/plain", timestamp: "1970-01-01T00:00:00.000Z" }
    )
    const note = Mapping.noteOf(o, { content: "b", type: "private", created: "2026-11-02T08:01:00Z" })
    assert.isTrue(Either.isRight(note) && note.right.visibility === "internal")
    const unknown = Mapping.noteOf(o, { content: "b", type: "secret" })
    assert.isTrue(Either.isLeft(unknown) && unknown.left.path === "type")
    const noPublic = options({ visibility: { internal: "internal", public: null } })
    assert.isTrue(Either.isLeft(Mapping.noteBody(noPublic, new Note.NoteDraft({ body: "b", visibility: "public", contentType: "text/plain" }), now)))
  })
})
