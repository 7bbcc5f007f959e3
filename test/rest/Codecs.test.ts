/**
 * The REST adapter's codecs and mapping, alone (no HTTP): each codec reads what it writes, refuses
 * what does not fit, and a wrong unit shows at the first answer instead of becoming a ticket.
 */
import { assert, describe, it } from "@effect/vitest"
import { DateTime, Either, FastCheck as fc, JSONSchema } from "effect"
import { Note, RestAdapter, SearchCriteria, Ticket } from "ticketkit"
import * as Codecs from "../../src/adapters/rest/codecs.js"
import * as Mapping from "../../src/adapters/rest/mapping.js"
import { relativePath, spec } from "../../src/adapters/rest/spec.js"
import { declaredFormat, implausible } from "../../src/internal/time.js"

const options = (input: RestAdapter.OptionsInput = {}) => Either.getOrThrow(RestAdapter.decodeOptions({ baseUrl: "http://codec.invalid", ...input }))
const ok = <A>(value: A | Codecs.Failure): A => {
  if (value instanceof Codecs.Failure) throw new Error(value.detail)
  return value
}

/** plausible times, whole seconds */
const seconds = fc.integer({ min: Date.UTC(1990, 0, 1) / 1000, max: Date.UTC(2030, 0, 1) / 1000 })

describe("REST codecs", () => {
  it.prop("timestamps: every codec reads what it writes", [seconds], ([s]) => {
    const millis = s * 1000
    for (const codec of ["iso", "epochSeconds", "epochMillis"] as const) {
      const resolved = Codecs.resolve(codec)
      assert.strictEqual(ok(Codecs.readTime(resolved, Codecs.writeTime(resolved, millis))), millis, codec)
    }
    const berlin = Codecs.resolve({ _tag: "format", pattern: "dd.MM.yyyy HH:mm:ss", timeZone: "Europe/Berlin" })
    // a wall time of the hour that repeats when summer time ends means two instants: the earlier is read
    const written = Codecs.writeTime(berlin, millis)
    const hourBefore = millis - 3_600_000
    const expected = Codecs.writeTime(berlin, hourBefore) === written ? hourBefore : millis
    assert.strictEqual(ok(Codecs.readTime(berlin, written)), expected)
  })

  it("a declared format in a zone with summer time reads the repeated hour as its first occurrence", () => {
    const berlin = Codecs.resolve({ _tag: "format", pattern: "dd.MM.yyyy HH:mm:ss", timeZone: "Europe/Berlin" })
    assert.strictEqual(Codecs.writeTime(berlin, Date.UTC(2000, 9, 29, 1)), "29.10.2000 02:00:00")
    assert.strictEqual(Codecs.writeTime(berlin, Date.UTC(2000, 9, 29, 0)), "29.10.2000 02:00:00")
    assert.strictEqual(ok(Codecs.readTime(berlin, "29.10.2000 02:00:00")), Date.UTC(2000, 9, 29, 0))
  })

  it("timestamps are strict: the wrong type or text is a failure, never a guess", () => {
    assert.instanceOf(Codecs.readTime(Codecs.resolve("epochSeconds"), "1764244800"), Codecs.Failure, "a string where a number is declared")
    assert.instanceOf(Codecs.readTime(Codecs.resolve("iso"), 1764244800), Codecs.Failure)
    assert.instanceOf(Codecs.readTime(Codecs.resolve("iso"), "2026-02-30T00:00:00Z"), Codecs.Failure)
    const format = Codecs.resolve({ _tag: "format", pattern: "yyyy-MM-dd HH:mm", timeZone: "+02:00" })
    assert.strictEqual(ok(Codecs.readTime(format, "2026-11-02 10:01")), Date.UTC(2026, 10, 2, 8, 1))
    assert.instanceOf(Codecs.readTime(format, "2026-11-02T10:01"), Codecs.Failure)
    assert.strictEqual(Codecs.writeTime(format, Date.UTC(2026, 10, 2, 8, 1)), "2026-11-02 10:01")
    assert.isString(declaredFormat("HH:mm"), "a format without a date is refused")
    assert.isString(declaredFormat("yyyy-MM-dd", "Nowhere/City"))
  })

  it("plausibility: epoch seconds read as milliseconds are January 1970, refused", () => {
    const now = Date.UTC(2026, 10, 2)
    const asMillis = ok(Codecs.readTime(Codecs.resolve("epochMillis"), 1764244800))
    assert.include(implausible(asMillis, now) ?? "", "before 1990")
    assert.include(implausible(Date.UTC(2028, 0, 1), now) ?? "", "more than a year ahead")
    assert.isUndefined(implausible(Date.UTC(2026, 0, 1), now))
  })

  it("scalars: read strictly by type, written as the declared JSON type", () => {
    const number = Codecs.resolve("number")
    assert.strictEqual(Codecs.readScalar(number, 4), "4")
    assert.instanceOf(Codecs.readScalar(number, "4"), Codecs.Failure, "a string where a number is declared")
    assert.strictEqual(Codecs.writeScalar(number, "4"), 4)
    assert.instanceOf(Codecs.writeScalar(number, "urgent"), Codecs.Failure)
    const boolean = Codecs.resolve("boolean")
    assert.strictEqual(Codecs.readScalar(boolean, false), "false")
    assert.strictEqual(Codecs.writeScalar(boolean, "true"), true)
    assert.strictEqual(Codecs.writeScalar(Codecs.usual, "4"), "4", "the usual form writes the string")
    assert.strictEqual(Codecs.writeScalar(Codecs.usual, "4", true), 4, "an id in the usual form is written as a number when it is one")
  })

  it.prop("lists: split and list read what they write", [fc.array(fc.stringMatching(/^[a-z0-9-]{1,8}$/), { maxLength: 5 })], ([tags]) => {
    for (const codec of [Codecs.resolve("split"), Codecs.resolve({ _tag: "split", separator: ";" }), Codecs.resolve("list"), Codecs.resolve({ _tag: "list", item: "name" })]) {
      assert.deepStrictEqual(ok(Codecs.readList(codec, Codecs.writeList(codec, tags))), tags)
    }
  })

  it("lists: a tag holding the separator cannot be written; objects are read at their item path", () => {
    assert.instanceOf(Codecs.writeList(Codecs.resolve("split"), ["a,b"]), Codecs.Failure)
    assert.deepStrictEqual(Codecs.readList(Codecs.resolve("split"), " vpn , ,network"), ["vpn", "network"])
    assert.deepStrictEqual(Codecs.readList(Codecs.resolve({ _tag: "list", item: "name" }), [{ name: "bug", color: "f00" }]), ["bug"])
    assert.instanceOf(Codecs.readList(Codecs.resolve({ _tag: "list", item: "name" }), ["bug"]), Codecs.Failure)
  })

  it.prop(
    "content: plain text written as HTML reads back as the same text",
    [fc.stringMatching(/^[^\u0000-\u0009\u000b-\u001f]*$/)],
    ([text]) => {
      const html = Codecs.textToHtml(text)
      assert.notMatch(html, /<(?!br>)/, "no markup but line breaks")
      assert.strictEqual(Codecs.htmlToText(html), text.split("\n").map((l) => l.replace(/^ +| +$/g, "")).join("\n").replace(/\n{3,}/g, "\n\n").trim())
    }
  )

  it("content: HTML becomes plain text, entities decoded, scripts dropped", () => {
    assert.strictEqual(
      Codecs.htmlToText("<p>Dear &quot;Ana&quot;,</p>\n<p>the <b>VPN</b>&nbsp;is back &amp; running&#33;<br/>Bye &#x1F600;</p><script>alert(1)</script>"),
      "Dear \"Ana\",\n\nthe VPN\u00a0is back & running!\nBye 😀"
    )
    assert.strictEqual(Codecs.decodeEntities("&bogus; &#0; &#xD800;"), "&bogus; \ufffd \ufffd")
  })
})

describe("REST mapping with codecs", () => {
  const nimbus = options({
    endpoints: { update: { method: "PATCH", path: "/tickets/{id}", body: { within: "ticket", constants: { source: "ticketkit" } } } },
    fields: {
      priority: { path: "urgency", codec: "number" },
      queueId: { read: "team.id", write: "team_id", codec: "number" },
      queueName: { read: "team.name", write: null },
      tags: { path: "tags", codec: "split" },
      createdAt: { path: "created_at", codec: "epochSeconds" },
      updatedAt: { path: "updated_at", codec: "epochSeconds" }
    },
    priorities: { "1": "low", "2": "normal", "3": "high", "4": "urgent" },
    params: { updatedSince: "since" }
  })

  it("write bodies: typed values, a flat write path beside a nested read path, the body template", () => {
    const fields = Either.getOrThrow(Mapping.writeBody(nimbus, new Ticket.TicketUpdate({ priority: "urgent", queue: { id: "3" }, tags: ["vpn", "x"] })))
    assert.deepStrictEqual(fields, { urgency: 4, team_id: 3, tags: "vpn,x" })
    assert.deepStrictEqual(Mapping.bodyOf(spec(nimbus).endpoints.update, fields), { source: "ticketkit", ticket: { urgency: 4, team_id: 3, tags: "vpn,x" } })
    const byName = Mapping.writeBody(nimbus, new Ticket.TicketUpdate({ queue: { name: "Billing" } }))
    assert.isTrue(Either.isLeft(byName) && byName.left.includes("addresses queues by id"), "queue names are read only")
    const wrong = Mapping.writeBody(nimbus, new Ticket.TicketUpdate({ priority: { name: "P1" } }))
    assert.isTrue(Either.isLeft(wrong) && wrong.left.includes("fields.priority"), "a value that is not a number names the field")
  })

  it("filters: updatedSince in the updatedAt field's codec", () => {
    const query = Either.getOrThrow(Mapping.filterQuery(nimbus, new SearchCriteria.SearchCriteria({ updatedSince: DateTime.unsafeMake(Date.UTC(2026, 10, 2)) })))
    assert.deepStrictEqual(query, { since: Date.UTC(2026, 10, 2) / 1000 })
  })

  it("notes: boolean visibility both ways, through a ticket update (Zendesk's shape)", () => {
    const zendeskish = options({
      endpoints: { addNote: { method: "PUT", path: "/api/v2/tickets/{id}.json", body: { within: "ticket.comment" } } },
      noteFields: { body: "body", visibility: { path: "public", codec: "boolean" }, contentType: null, timestamp: null },
      visibility: { internal: false, public: true }
    })
    const fields = Either.getOrThrow(Mapping.noteBody(zendeskish, new Note.NoteDraft({ body: "Checked.", visibility: "internal", contentType: "text/plain" }), DateTime.unsafeMake(0)))
    assert.deepStrictEqual(Mapping.bodyOf(spec(zendeskish).endpoints.addNote, fields), { ticket: { comment: { body: "Checked.", public: false } } })
    const read = Mapping.noteOf(zendeskish, { body: "Hi", public: true })
    assert.isTrue(Either.isRight(read) && read.right.visibility === "public")
    const bad = Mapping.noteOf(zendeskish, { body: "Hi", public: "true" })
    assert.isTrue(Either.isLeft(bad) && bad.left.path === "public", "a string where a boolean is declared names the field")
    const implausibleNote = Mapping.noteOf(options({ noteFields: { createdAt: { path: "created", codec: "epochMillis" } } }), { content: "x", type: "internal", created: 1764244800 })
    assert.isTrue(Either.isLeft(implausibleNote) && implausibleNote.left.detail.includes("before 1990"))
  })

  it("a system without internal notes (GitHub's shape): every note is public, internal ones refused", () => {
    const github = options({ noteFields: { visibility: null, contentType: null, timestamp: null }, visibility: { internal: null, public: "public" } })
    const read = Mapping.noteOf(github, { content: "LGTM" })
    assert.isTrue(Either.isRight(read) && read.right.visibility === "public")
    assert.isTrue(Either.isLeft(Mapping.noteBody(github, new Note.NoteDraft({ body: "x", visibility: "internal", contentType: "text/plain" }), DateTime.unsafeMake(0))))
  })

  it("link pages: rel=next followed on the same origin only; the cursor is refused elsewhere", () => {
    const linked = options({ baseUrl: "https://api.example.test/v3", pagination: { style: "link", sizeParam: "per_page" } })
    assert.deepStrictEqual(
      Mapping.parseLinkHeader(`<https://api.example.test/v3/issues?page=2>; rel="next", <https://api.example.test/v3/issues?page=9>; rel="last"`).map((l) => l.rel),
      [["next"], ["last"]]
    )
    const answer = (link: string) => ({ body: [], headers: { link } as never, requestUrl: "https://api.example.test/v3/issues" })
    const paging = Either.getOrThrow(Mapping.pageQuery(linked, undefined, 30))
    assert.deepStrictEqual(paging.query, { per_page: 30 })
    const next = Mapping.nextCursor(linked, paging, answer(`<https://api.example.test/v3/issues?per_page=30&page=2>; rel="next"`), 30, undefined)
    assert.strictEqual(next, "/v3/issues?per_page=30&page=2")
    assert.deepStrictEqual(Either.getOrThrow(Mapping.pageQuery(linked, next as string, 30)), { query: { per_page: "30", page: "2" }, offset: 0, size: 30, path: "/issues" })
    assert.instanceOf(Mapping.nextCursor(linked, paging, answer(`<https://evil.example/v3/issues?page=2>; rel="next"`), 30, undefined), Mapping.NextPageProblem)
    assert.isTrue(Either.isLeft(Mapping.pageQuery(linked, "//evil.example/v3/issues", 30)))
    assert.isTrue(Either.isLeft(Mapping.pageQuery(linked, "/v2/other", 30)), "outside the base URL's path")
  })

  it("cursor pages: from a header, and hasMore ends the walk", () => {
    const headered = options({ pagination: { style: "cursor", cursorHeader: "X-Next-Cursor" } })
    const paging = Either.getOrThrow(Mapping.pageQuery(headered, undefined, 10))
    assert.strictEqual(Mapping.nextCursor(headered, paging, { body: {}, headers: { "x-next-cursor": "abc" } as never, requestUrl: "http://codec.invalid/api/tickets" }, 10, undefined), "abc")
    const zendeskish = options({ pagination: { style: "cursor", cursorParam: "page[after]", sizeParam: "page[size]", hasMore: "meta.has_more" }, responses: { nextCursor: "meta.after_cursor" } })
    const body = (hasMore: boolean) => ({ body: { meta: { has_more: hasMore, after_cursor: "xyz" } }, headers: {} as never, requestUrl: "http://codec.invalid/api/tickets" })
    assert.strictEqual(Mapping.nextCursor(zendeskish, paging, body(true), 10, undefined), "xyz")
    assert.isUndefined(Mapping.nextCursor(zendeskish, paging, body(false), 10, undefined))
  })

  it("base URLs with a path: an endpoint repeating the path is not sent twice", () => {
    assert.strictEqual(relativePath("/v2", "/v2/tickets"), "/tickets")
    assert.strictEqual(relativePath("/v2", "/tickets"), "/tickets")
    assert.strictEqual(relativePath("/v2", "/v20/tickets"), "/v20/tickets")
    assert.strictEqual(relativePath("", "/v2/tickets"), "/v2/tickets")
  })
})

describe("REST options", () => {
  const problem = (input: unknown) => {
    const result = RestAdapter.decodeOptions({ baseUrl: "http://codec.invalid", ...(input as object) })
    return Either.isLeft(result) ? result.left : "accepted"
  }

  it("wrong configurations are refused when decoded, naming the key", () => {
    assert.include(problem({ fields: { createdAt: { path: "c", codec: "number" } } }), "fields.createdAt.codec: fields.createdAt takes the codecs iso, epochSeconds, epochMillis, format, not number")
    assert.include(problem({ fields: { title: { write: "t" } } }), "fields.title must be read")
    assert.include(problem({ fields: { tags: { path: "t", codec: { _tag: "format", pattern: "yyyy" } } } }), "fields.tags")
    assert.include(problem({ fields: { createdAt: { path: "c", codec: { _tag: "format", pattern: "yyyy-MM-dd", timeZone: "Mars/Base" } } } }), "unknown time zone")
    assert.include(problem({ preset: "no-such-desk" }), "preset: unknown preset \"no-such-desk\"")
    assert.include(problem({ visibility: { internal: null, public: null } }), "visibility")
    assert.include(problem({ endpoints: { update: { method: "PATCH", path: "/tickets" } } }), "endpoints.update")
    assert.strictEqual(problem({ fields: { title: { read: "a.b", write: "c", codec: "text" } } }), "accepted")
  })

  it("merge: objects key by key, other values and other variants replaced", () => {
    assert.deepStrictEqual(
      RestAdapter.merge({ fields: { title: "a", state: "s" }, pagination: { style: "cursor", cursorParam: "after" }, maxPageSize: 100 }, {
        fields: { title: { path: "b", codec: "html" } },
        pagination: { style: "page" },
        maxPageSize: 50
      }),
      { fields: { title: { path: "b", codec: "html" }, state: "s" }, pagination: { style: "page" }, maxPageSize: 50 }
    )
    const given = options({ states: { Open: "open" } })
    assert.deepStrictEqual(given.states, { Open: "open" }, "a value map given replaces the default one")
  })

  it("every Schema of the options can be written as JSON Schema, with descriptions", () => {
    for (const schema of [RestAdapter.Codec, RestAdapter.Field, RestAdapter.Endpoints, RestAdapter.Fields, RestAdapter.NoteFields, RestAdapter.Params, RestAdapter.Responses, RestAdapter.Pagination, RestAdapter.BodyTemplate]) {
      const json = JSON.stringify(JSONSchema.make(schema as never))
      assert.include(json, "\"description\"")
    }
  })
})
