/**
 * The REST decoder's compiled fast path against its schema path (issue 14.6): over arbitrary
 * tickets — valid, odd and invalid — both give the same ticket (prototype, keys in order, values,
 * dates) or the same error (detail, path, ticket id). The bench's self-check measures the same on
 * generated tickets; this property finds the cases nobody wrote down.
 */
import { assert, describe, it } from "@effect/vitest"
import { DateTime, Either, FastCheck as fc } from "effect"
import { RestAdapter, Ticket } from "ticketkit"

/** a value as a comparable string: prototypes named, keys in order, dates as epoch millis */
const show = (value: unknown): string => {
  if (DateTime.isDateTime(value)) return `DateTime(${value.epochMillis})`
  if (Array.isArray(value)) return `[${value.map(show).join(",")}]`
  if (typeof value === "object" && value !== null) {
    const proto = Object.getPrototypeOf(value) === Object.prototype ? "" : (value.constructor?.name ?? "?")
    return `${proto}{${Object.keys(value).map((k) => `${JSON.stringify(k)}:${show((value as Record<string, unknown>)[k])}`).join(",")}}`
  }
  return JSON.stringify(value) ?? String(value)
}

const outcome = (result: ReturnType<ReturnType<typeof RestAdapter.ticketDecoder>>) =>
  Either.isRight(result)
    ? `ok ${result.right instanceof Ticket.Ticket} ${show(result.right)}`
    : `error ${result.left.detail} | ${result.left.path} | ${result.left.ticketId}`

/** values each field may take: mostly right, sometimes of the wrong type or shape */
const anyOf = <A>(right: fc.Arbitrary<A>) =>
  fc.oneof({ weight: 6, arbitrary: right }, { weight: 1, arbitrary: fc.constantFrom<unknown>(undefined, null, 0, "", [], {}, true, 1.5) })

/** mostly plausible times (1990 to 2026), sometimes implausible ones or text no codec accepts */
const plausibleMillis = fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2026, 0, 1) })
const timestamp = fc.oneof(
  { weight: 4, arbitrary: plausibleMillis },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 4_000_000_000_000 }) },
  { weight: 4, arbitrary: plausibleMillis.map((ms) => new Date(ms).toISOString()) },
  { weight: 1, arbitrary: fc.constantFrom("2026-02-30T00:00:00Z", "1", "x 5", "2026-11-02", "2026-11-02T08:01:00", "2026-11-02 08:01:00+01:00", "") }
)

/** the same ticket as a system with typed codecs writes it: epoch seconds, numeric urgency, "a,b" tags, HTML */
const codecTicket = fc.record(
  {
    id: anyOf(fc.integer({ min: 1, max: 1e9 })),
    subject: anyOf(fc.string({ maxLength: 12 })),
    description_html: anyOf(fc.constantFrom("<p>a &amp; b</p>", "plain", "<br>")),
    status: anyOf(fc.constantFrom("new", "open", "solved")),
    urgency: anyOf(fc.oneof({ weight: 4, arbitrary: fc.constantFrom(1, 2, 3, 4) }, { weight: 1, arbitrary: fc.constantFrom("4", 9) })),
    team: anyOf(fc.record({ id: anyOf(fc.integer({ min: 1, max: 3 })), name: anyOf(fc.constantFrom("Support", "Billing")) })),
    tags: anyOf(fc.constantFrom("a,b", "", " vpn ,x", 5)),
    created_at: anyOf(fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 631152000, max: 1767225600 }) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 4e12 }) })),
    updated_at: anyOf(fc.integer({ min: 631152000, max: 1767225600 }))
  },
  { requiredKeys: ["id", "subject", "status", "urgency", "created_at", "updated_at"] }
)

const wireTicket = fc.record(
  {
    id: anyOf(fc.oneof(fc.integer({ min: 1, max: 1e9 }), fc.string({ minLength: 1, maxLength: 8 }))),
    subject: anyOf(fc.string({ maxLength: 12 })),
    body: anyOf(fc.string({ maxLength: 12 })),
    status: anyOf(fc.constantFrom("new", "open", "OPEN", "pending", "resolved", "closed", "bogus", 3)),
    priority_level: anyOf(fc.constantFrom("low", "normal", "High", "urgent", "none", 50)),
    department_id: anyOf(fc.oneof(fc.integer({ min: 1, max: 9 }), fc.constantFrom("2", "ops"))),
    department_name: anyOf(fc.constantFrom("Support", "Billing")),
    requester: anyOf(fc.constantFrom("bo@example.test", "Alice", "")),
    assignee: anyOf(fc.constantFrom("ana@example.test", "Bob")),
    tags: anyOf(fc.array(fc.oneof({ weight: 5, arbitrary: fc.string({ maxLength: 4 }) }, { weight: 1, arbitrary: fc.integer() }), { maxLength: 3 })),
    custom_fields: anyOf(fc.dictionary(
      fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom("__proto__", "constructor", "a.b")),
      fc.oneof(fc.string({ maxLength: 4 }), fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.string({ maxLength: 3 }), { maxLength: 2 }), fc.constant({ nested: 1 })),
      { maxKeys: 3 }
    )),
    created: anyOf(timestamp),
    modified: anyOf(timestamp)
  },
  { requiredKeys: ["id", "subject", "status", "priority_level", "created", "modified"] }
)

describe("RestAdapter.ticketDecoder", () => {
  const configurations: ReadonlyArray<[string, RestAdapter.OptionsInput]> = [
    ["the reference API", { baseUrl: "http://check.invalid" }],
    ["own states and numeric priorities", {
      baseUrl: "http://check.invalid",
      states: { NEW: "new", open: "open", bogus: "closed" },
      priorities: { "50": "high", low: "low", none: "low" }
    }]
  ]
  const codecs: RestAdapter.OptionsInput = {
    baseUrl: "http://check.invalid",
    fields: {
      description: { path: "description_html", codec: "html" },
      priority: { path: "urgency", codec: "number" },
      queueId: { read: "team.id", write: "team_id", codec: "number" },
      queueName: { read: "team.name", write: null },
      tags: { path: "tags", codec: "split" },
      createdAt: { path: "created_at", codec: "epochSeconds" },
      updatedAt: { path: "updated_at", codec: "epochSeconds" }
    },
    states: { new: "new", open: "open", solved: "resolved" },
    priorities: { "1": "low", "2": "normal", "3": "high", "4": "urgent" }
  }
  const cases: ReadonlyArray<[string, RestAdapter.OptionsInput, fc.Arbitrary<unknown>]> = [
    ...configurations.map(([label, input]): [string, RestAdapter.OptionsInput, fc.Arbitrary<unknown>] => [label, input, wireTicket]),
    ["typed codecs", codecs, codecTicket]
  ]
  for (const [label, input, tickets] of cases) {
    it.prop(`the compiled path gives what the schemas give (${label})`, [fc.oneof(tickets, fc.anything())], ([raw]) => {
      const options = Either.getOrThrow(RestAdapter.decodeOptions(input))
      const fast = RestAdapter.ticketDecoder(options)
      const reference = RestAdapter.ticketDecoder(options, { compiled: false })
      assert.strictEqual(outcome(fast(raw, "check", "tickets.0")), outcome(reference(raw, "check", "tickets.0")))
    }, { fastCheck: { numRuns: 500 } })
  }

  it("the property above sees both outcomes (typed codecs too)", () => {
    const decode = RestAdapter.ticketDecoder(Either.getOrThrow(RestAdapter.decodeOptions(codecs)))
    const outcomes = fc.sample(codecTicket, { numRuns: 400, seed: 42 }).map((raw) => decode(raw, "check", "t"))
    const ok = outcomes.filter(Either.isRight)
    assert.isAbove(ok.length, 20, "some generated tickets are valid")
    assert.isBelow(ok.length, 380, "some generated tickets are invalid")
    assert.isTrue(outcomes.some((o) => Either.isLeft(o) && o.left.detail.includes("implausible date")), "some dates are implausible")
  })

  it("the property above sees both outcomes", () => {
    const options = Either.getOrThrow(RestAdapter.decodeOptions({ baseUrl: "http://check.invalid" }))
    const decode = RestAdapter.ticketDecoder(options)
    const samples = fc.sample(wireTicket, { numRuns: 400, seed: 42 })
    const ok = samples.filter((raw) => Either.isRight(decode(raw, "check", "t"))).length
    assert.isAbove(ok, 20, "some generated tickets are valid")
    assert.isBelow(ok, 380, "some generated tickets are invalid")
  })
})
