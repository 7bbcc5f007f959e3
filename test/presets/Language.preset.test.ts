/**
 * What the presets added to the REST mapping language, checked on configurations alone (no
 * system): presets and their variables, a variable a path needs but no one gives, defaults only
 * where they can be read, a user's keys over a preset's, and the capabilities a configuration
 * declares.
 */
import { assert, describe, it } from "@effect/vitest"
import { Either } from "effect"
import * as RestAdapter from "../../src/adapters/Rest.js"
import { capabilities } from "../../src/adapters/rest/driver.js"

const decode = (input: unknown) => RestAdapter.decodeOptions(input)
const message = (input: unknown) => {
  const result = decode(input)
  assert.isTrue(Either.isLeft(result), "the configuration is refused")
  return Either.isLeft(result) ? result.left : ""
}

describe("the REST language's preset keys", () => {
  it("registers the three presets, and names them when another is asked for", () => {
    assert.deepStrictEqual(Object.keys(RestAdapter.presets).sort(), ["freshdesk", "github-issues", "zendesk"])
    const text = message({ baseUrl: "https://x.example", preset: "jira" })
    assert.include(text, "unknown preset \"jira\"")
    assert.include(text, "github-issues")
  })

  it("puts variables into paths as one segment each, and into the query template", () => {
    const options = decode({ preset: "github-issues", variables: { owner: "o/../x", repo: "r" } })
    assert.isTrue(Either.isRight(options))
    if (Either.isLeft(options)) return
    assert.strictEqual(options.right.endpoints.get, "/repos/o%2F..%2Fx/r/issues/{id}")
    assert.strictEqual(options.right.params.query?.template, "repo:o/../x/r is:issue {filters}")
    assert.strictEqual(options.right.fields.queueName !== null && typeof options.right.fields.queueName === "object" ? options.right.fields.queueName.default : undefined, "o/../x/r")
    assert.include(message({ preset: "github-issues", variables: { owner: "..", repo: "r" } }), "must not be empty, . or ..")
  })

  it("refuses a path whose placeholder no variable fills", () => {
    assert.include(message({ baseUrl: "https://x.example", endpoints: { get: "/{tenant}/tickets/{id}" } }), "add variables.tenant")
  })

  it("takes defaults only on fields that are read as one value", () => {
    assert.include(message({ baseUrl: "https://x.example", fields: { tags: { path: "tags", default: "a" } } }), "fields.tags takes no default")
    assert.isTrue(Either.isRight(decode({ baseUrl: "https://x.example", fields: { priority: { read: null, write: null, default: "normal" } } })))
    assert.include(message({ baseUrl: "https://x.example", fields: { priority: { read: null, write: null } } }), "fields.priority must be read")
  })

  it("lets the user's keys override the preset's, key by key", () => {
    const options = decode({ preset: "zendesk", baseUrl: "https://acme.zendesk.com/api/v2", maxPageSize: 25, capabilities: { priorities: ["low", "high"] } })
    assert.isTrue(Either.isRight(options))
    if (Either.isLeft(options)) return
    assert.strictEqual(options.right.maxPageSize, 25)
    assert.strictEqual(options.right.endpoints.get, "/tickets/{id}.json", "the preset's other keys stay")
    const claimed = capabilities(options.right)
    assert.deepStrictEqual(claimed.priorities, ["low", "high"])
    assert.deepStrictEqual(claimed.states, ["open", "pending", "resolved"], "the preset's claim stays")
  })

  it("derives the claims the configuration implies", () => {
    const github = decode({ preset: "github-issues", variables: { owner: "o", repo: "r" } })
    const freshdesk = decode({ preset: "freshdesk", baseUrl: "https://acme.freshdesk.com/api/v2" })
    assert.isTrue(Either.isRight(github) && Either.isRight(freshdesk))
    if (Either.isLeft(github) || Either.isLeft(freshdesk)) return
    assert.deepStrictEqual(capabilities(github.right).priorities, [], "a priority without a write side is none a ticket can be set to")
    assert.isTrue(capabilities(github.right).textSearch, "text goes into the query template")
    assert.isFalse(capabilities(freshdesk.right).textSearch)
    assert.deepStrictEqual(capabilities(freshdesk.right).priorities, ["low", "normal", "high", "urgent"])
  })
})
