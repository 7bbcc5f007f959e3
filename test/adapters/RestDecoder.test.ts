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

const timestamp = fc.oneof(
  fc.integer({ min: 0, max: 4_000_000_000_000 }),
  fc.date({ min: new Date("1990-01-01"), max: new Date("2100-01-01"), noInvalidDate: true }).map((d) => d.toISOString()),
  fc.constantFrom("2026-02-30T00:00:00Z", "1", "x 5", "2026-11-02", "2026-11-02T08:01:00", "2026-11-02 08:01:00+01:00", "")
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
  for (const [label, input] of configurations) {
    it.prop(`the compiled path gives what the schemas give (${label})`, [fc.oneof(wireTicket, fc.anything())], ([raw]) => {
      const options = Either.getOrThrow(RestAdapter.decodeOptions(input))
      const fast = RestAdapter.ticketDecoder(options)
      const reference = RestAdapter.ticketDecoder(options, { compiled: false })
      assert.strictEqual(outcome(fast(raw, "check", "tickets.0")), outcome(reference(raw, "check", "tickets.0")))
    }, { fastCheck: { numRuns: 500 } })
  }

  it("the property above sees both outcomes", () => {
    const options = Either.getOrThrow(RestAdapter.decodeOptions({ baseUrl: "http://check.invalid" }))
    const decode = RestAdapter.ticketDecoder(options)
    const samples = fc.sample(wireTicket, { numRuns: 400, seed: 42 })
    const ok = samples.filter((raw) => Either.isRight(decode(raw, "check", "t"))).length
    assert.isAbove(ok, 20, "some generated tickets are valid")
    assert.isBelow(ok, 380, "some generated tickets are invalid")
  })
})
