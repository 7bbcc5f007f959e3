import { assert, describe, it } from "@effect/vitest"
import { DateTime, Either, FastCheck as fc, Option } from "effect"
import * as TicketSql from "../../src/adapters/request-tracker/TicketSql.js"
import type { StateType } from "../../src/Ticket.js"

// -----------------------------------------------------------------------------
// A port of RT 5.0's TicketSQL lexer/parser (lib/RT/SQL.pm, RT::SQL::Parse) and of the value
// reinterpretation in RT::Tickets::_parser: what RT makes of a query string.
// -----------------------------------------------------------------------------

const w = String.raw`[\p{L}\p{N}_]`
const delim = String.raw`'(?:[^\\']*(?:\\.[^\\']*)*)'|"(?:[^\\"]*(?:\\.[^\\"]*)*)"`
const cf = String.raw`[Cc][Ff]\.\{.+?\}(?:\.(?:[Cc]ontent|[Ll]arge[Cc]ontent))?`
const reAggreg = String.raw`(?:AND|OR)`
const reOp = String.raw`(?:SHALLOW )?(?:=|!=|>=|<=|>|<|IS NOT|IS|NOT LIKE|LIKE|NOT STARTSWITH|STARTSWITH|NOT ENDSWITH|ENDSWITH)`
const reKeyword = `${cf}|(?:[{}.]|${w})+|${delim}`
const reValue = `${cf}|(?:${w}|\\.)+|[+-]?\\d+|NULL|${delim}`
const full = (re: string) => new RegExp(`^(?:${re})$`, "iu")
const lexer = () => new RegExp(`(${reAggreg}|${reOp}|${reKeyword}|${reValue}|\\(|\\))`, "giu")

type Token =
  | { readonly kind: "condition"; readonly key: string; readonly op: string; readonly value: string; readonly quoted: boolean }
  | { readonly kind: "aggregator"; readonly value: string }
  | { readonly kind: "open" | "close" }

/** RT's parse of a query (throws like RT on a malformed one) */
const parse = (query: string): ReadonlyArray<Token> => {
  const VALUE = 1, AGGREG = 2, OP = 4, OPEN = 8, CLOSE = 16, KEYWORD = 32
  const out: Array<Token> = []
  let want = KEYWORD | OPEN
  let depth = 0
  let key = "", op = ""
  let last = 0
  for (const m of query.matchAll(lexer())) {
    const match = m[1]!
    let current = 0
    if (want & OP && full(reOp).test(match)) current = OP
    if (want & VALUE && full(reValue).test(match)) current = VALUE
    if (want & KEYWORD && full(reKeyword).test(match)) current = KEYWORD
    if (want & AGGREG && full(reAggreg).test(match)) current = AGGREG
    if (want & OPEN && match === "(") current = OPEN
    if (want & CLOSE && match === ")") current = CLOSE
    if (!(current & want)) throw new Error(`Wrong query at ${JSON.stringify(match)} in ${query}`)
    if (current & OPEN) {
      out.push({ kind: "open" })
      depth++
      want = KEYWORD | OPEN
    } else if (current & CLOSE) {
      out.push({ kind: "close" })
      depth--
      want = AGGREG | (depth ? CLOSE : 0)
    } else if (current & AGGREG) {
      out.push({ kind: "aggregator", value: match.toUpperCase() })
      want = KEYWORD | OPEN
    } else if (current & KEYWORD) {
      key = match
      want = OP
    } else if (current & OP) {
      op = match.toUpperCase()
      want = VALUE
    } else {
      const quoted = full(delim).test(match)
      // remove the quotes, unescape (Perl's `.` stops at a newline)
      const value = (quoted ? match.slice(1, -1) : match).replace(/\\([^\n])/gu, "$1")
      out.push({ kind: "condition", key, op, value, quoted })
      want = AGGREG | (depth ? CLOSE : 0)
    }
    last = current
  }
  if (last !== 0 && !(last & (CLOSE | VALUE))) throw new Error(`Incomplete query ${query}`)
  if (depth !== 0) throw new Error(`Unclosed parens in ${query}`)
  return out
}

/** would RT read the value as something else than the string (RT::Tickets::_parser)? */
const reinterpreted = (token: Token) =>
  token.kind === "condition" && token.quoted &&
  (/^CF\.(?:\{(.*)\}|(.*?))(?:\.(Content|LargeContent))?$/i.test(token.value) || token.value === "__CurrentUser__" ||
    token.value === "__CurrentUserName__" || /^__(active|inactive|bookmarked)__$/i.test(token.value))

/** the query's structure with every value replaced: what must not depend on user input */
const shape = (tokens: ReadonlyArray<Token>) =>
  tokens.map((t) => (t.kind === "condition" ? `${t.key} ${t.op} ?` : t.kind === "aggregator" ? t.value : t.kind)).join(" ")

// -----------------------------------------------------------------------------

const utc = DateTime.zoneMakeOffset(0)
const mapping = (contentSearch = false): TicketSql.Mapping => ({
  statusesOf: (type: StateType) =>
    ({ new: ["new"], open: ["open"], pending: ["stalled"], resolved: ["resolved"], closed: ["rejected"] })[type],
  priorityRange: (level) =>
    ({ low: { to: 25 }, normal: { from: 25, to: 50 }, high: { from: 50, to: 75 }, urgent: { from: 75 } })[level],
  contentSearch,
  timeZone: utc
})

const build = (criteria: Parameters<typeof TicketSql.fromCriteria>[0], contentSearch = false) =>
  Either.getOrThrow(TicketSql.fromCriteria(criteria, mapping(contentSearch)))

const nasty = [
  "O'Brien",
  "back\\slash",
  "trailing backslash\\",
  "\\'",
  "' OR 1=1 OR Subject LIKE '",
  "x') OR (id > 0",
  "Support' OR Queue = 'Sales",
  "\" OR \"1\"=\"1",
  "line\nbreak",
  "backslash before newline\\\nx",
  "tab\there",
  "100% sure",
  "under_score",
  "ünïcödé 🎫",
  "AND",
  ") OR (",
  "NULL",
  "a''b",
  "\\\\'\\'"
]

describe("TicketSql", () => {
  it("escapes backslash and quote, nothing else", () => {
    assert.strictEqual(TicketSql.escape("O'Brien"), "O\\'Brien")
    assert.strictEqual(TicketSql.escape("C:\\temp"), "C:\\\\temp")
    assert.strictEqual(TicketSql.escape("\\'"), "\\\\\\'")
    assert.strictEqual(TicketSql.escape("100%_x\"y"), "100%_x\"y")
    assert.strictEqual(TicketSql.literal("it's"), "'it\\'s'")
  })

  it("builds the query of every criterion", () => {
    const since = DateTime.unsafeMake("2026-03-04T05:06:07.890Z")
    assert.strictEqual(
      build({
        queues: [{ name: "Support" }, { id: "4" }],
        states: ["new", "open"],
        priorities: ["low", "urgent"],
        updatedSince: since,
        text: "printer"
      }),
      "(Queue = 'Support' OR Queue = 4) AND (Status = 'new' OR Status = 'open') AND (Priority < 25 OR Priority >= 75)" +
        " AND LastUpdated >= '2026-03-04 05:06:07' AND Subject LIKE 'printer'"
    )
    assert.strictEqual(build({ priorities: ["normal"] }), "Priority >= 25 AND Priority < 50")
    assert.strictEqual(build({ text: "x" }, true), "Subject LIKE 'x' OR Content LIKE 'x'")
    assert.strictEqual(build({}), "id > 0")
    assert.strictEqual(build({ states: [] }), "id = 0", "an empty list matches nothing")
  })

  it("writes dates in RT's timezone, rounded down to the second", () => {
    const instant = DateTime.unsafeMake("2026-01-15T23:30:59.999Z")
    assert.strictEqual(TicketSql.formatDate(instant, utc), "2026-01-15 23:30:59")
    const berlin = Option.getOrThrow(DateTime.zoneMakeNamed("Europe/Berlin"))
    assert.strictEqual(TicketSql.formatDate(instant, berlin), "2026-01-16 00:30:59")
    const newYork = Option.getOrThrow(DateTime.zoneMakeNamed("America/New_York"))
    assert.strictEqual(TicketSql.formatDate(DateTime.unsafeMake("2026-07-01T03:00:00Z"), newYork), "2026-06-30 23:00:00")
  })

  it("keeps the meaning of a query whatever the values (table)", () => {
    const reference = shape(parse(build({ queues: [{ name: "q" }], text: "t", states: ["open"] })))
    for (const value of nasty) {
      const tokens = parse(build({ queues: [{ name: value }], text: value, states: ["open"] }))
      assert.strictEqual(shape(tokens), reference, JSON.stringify(value))
      const conditions = tokens.filter((t) => t.kind === "condition")
      assert.deepStrictEqual(conditions.map((c) => c.kind === "condition" && c.value), [value, "open", value], JSON.stringify(value))
      assert.isFalse(tokens.some(reinterpreted), JSON.stringify(value))
    }
  })

  it("neutralises values RT would reinterpret in text search, refuses them as queue names", () => {
    for (const value of ["CF.{Customer}", "cf.Severity", "CF.{x}.Content", "__CurrentUser__", "__CurrentUserName__", "__Active__"]) {
      const tokens = parse(TicketSql.contains("Subject", value))
      assert.strictEqual(tokens.length, 1)
      const [condition] = tokens
      assert.isFalse(reinterpreted(condition!), value)
      // `%` is a no-op in front: RT's LIKE adds `%…%` anyway
      assert.deepStrictEqual(condition, { kind: "condition", key: "Subject", op: "LIKE", value: `%${value}`, quoted: true })
      assert.isTrue(TicketSql.isReinterpreted(value))
      assert.isTrue(Either.isLeft(TicketSql.equals("Queue", value)))
    }
    const built = TicketSql.fromCriteria({ queues: [{ name: "Support" }, { name: "CF.x" }] }, mapping())
    assert.deepStrictEqual(built, Either.left({ _tag: "UnaddressableQueue" as const, names: ["CF.x"] }))
    assert.isFalse(TicketSql.isReinterpreted("Support CF.x"))
    assert.isFalse(TicketSql.isReinterpreted("_x_"))
  })

  it("builds transaction queries from numbers only", () => {
    assert.strictEqual(
      TicketSql.ticketTransactions([3, 4.5, -1, 7], ["Comment", "Correspond"]),
      "ObjectType = 'RT::Ticket' AND (ObjectId = 3 OR ObjectId = 7) AND (Type = 'Comment' OR Type = 'Correspond')"
    )
    assert.strictEqual(TicketSql.ticketTransactions([], ["Create"]), "ObjectType = 'RT::Ticket' AND id = 0 AND Type = 'Create'")
  })

  it("tells text RT's LIKE takes wildcards from, and tests literal containment as RT compares (case-insensitive)", () => {
    assert.isTrue(TicketSql.hasWildcards("100% done"))
    assert.isTrue(TicketSql.hasWildcards("a_b"))
    assert.isFalse(TicketSql.hasWildcards("O'Brien \\ (x)"))
    assert.isTrue(TicketSql.containsLiteral("Load at 100% Done", "100% done"))
    assert.isFalse(TicketSql.containsLiteral("1000 done", "100% done"), "% is no wildcard")
    assert.isTrue(TicketSql.containsLiteral("x A_B y", "a_b"))
    assert.isFalse(TicketSql.containsLiteral("axb", "a_b"), "_ is no wildcard")
  })

  it.prop("literal containment is exactly a substring, whatever the characters", [fc.string(), fc.string(), fc.string()], ([before, text, after]) => {
    assert.isTrue(TicketSql.containsLiteral(`${before}${text}${after}`, text))
  })

  it("builds the query of a ticket's field changes since an instant, from numbers and fixed names only", () => {
    const since = DateTime.unsafeMake("2026-12-02T18:43:08.700Z")
    assert.strictEqual(
      TicketSql.fieldChanges(7, ["Subject", "Status"], since, DateTime.zoneMakeOffset(0)),
      "ObjectType = 'RT::Ticket' AND ObjectId = 7 AND (Field = 'Subject' OR Field = 'Status') AND Created >= '2026-12-02 18:43:08'"
    )
    assert.strictEqual(TicketSql.fieldChanges(0, ["Owner"], since, DateTime.zoneMakeOffset(0)), TicketSql.nothing)
  })

  const text = fc.oneof(
    fc.string({ unit: "grapheme", minLength: 1, maxLength: 40 }),
    fc.string({ unit: fc.constantFrom("'", "\\", "\"", " ", "(", ")", "%", "_", "\n", "O", "R", "=", "1", "C", "F", ".", "{", "}"), minLength: 1, maxLength: 30 }),
    fc.constantFrom(...nasty)
  )

  it.prop("keeps the meaning of a query whatever the values (property)", [text, text], ([queue, search]) => {
    const queueOk = !TicketSql.isReinterpreted(queue)
    const criteria = { ...(queueOk ? { queues: [{ name: queue }, { id: "3" }] } : {}), text: search, states: ["open", "pending"] as const }
    const tokens = parse(build(criteria, true))
    const reference = parse(build({ ...(queueOk ? { queues: [{ name: "q" }, { id: "3" }] } : {}), text: "t", states: ["open", "pending"] }, true))
    assert.strictEqual(shape(tokens), shape(reference))
    assert.isFalse(tokens.some(reinterpreted))
    const values = tokens.flatMap((t) => (t.kind === "condition" && (t.key === "Subject" || t.key === "Content") ? [t.value] : []))
    const expected = TicketSql.isReinterpreted(search) ? `%${search}` : search
    assert.deepStrictEqual(values, [expected, expected])
    if (queueOk) {
      const queueValues = tokens.flatMap((t) => (t.kind === "condition" && t.key === "Queue" ? [t.value] : []))
      assert.deepStrictEqual(queueValues, [queue, "3"])
    }
  }, { fastCheck: { numRuns: 500 } })
})
