import { assert, describe, it } from "@effect/vitest"
import { ConfigProvider, Effect, Either, Redacted } from "effect"
import * as Config from "../../src/Config.js"
import * as Registry from "../../src/Registry.js"
import * as path from "node:path"
import { project, runCli } from "../support/RunCli.js"

/** the one-line message and exit code of `ticketkit fetch` with this config file */
const fetchWith = (files: Record<string, string>, ...args: ReadonlyArray<string>) =>
  Effect.map(runCli(project("config", files), "fetch", ...args), ({ code, err }) => ({ code, err }))

describe("configuration file", () => {
  const cases: ReadonlyArray<[string, Record<string, string>, ReadonlyArray<string>, string | RegExp]> = [
    [
      "no configuration",
      {},
      [],
      "ticketkit: no systems are configured: create ticketkit.yaml (see the README) or pass --config"
    ],
    [
      "a --config that does not exist",
      {},
      ["--config", "missing.yaml"],
      "ticketkit: missing.yaml: the configuration file does not exist"
    ],
    [
      "invalid YAML",
      { "ticketkit.yaml": "systems:\n  a: [unclosed\n" },
      [],
      "ticketkit: ticketkit.yaml: not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a ] at line 3, column 1"
    ],
    [
      "invalid JSON",
      { "tk.json": "{ \"systems\": " },
      ["--config", "tk.json"],
      "ticketkit: tk.json: not valid JSON: Unexpected end of JSON input"
    ],
    [
      "an unknown key",
      { "ticketkit.yaml": "sytems: {}\n" },
      [],
      "ticketkit: ticketkit.yaml: sytems: is unexpected, expected: \"default\" | \"systems\" | \"telemetry\""
    ],
    [
      "an unknown adapter",
      { "ticketkit.yaml": "systems:\n  helpdesk:\n    adapter: zendesk\n" },
      [],
      /^ticketkit: ticketkit\.yaml: systems\.helpdesk\.adapter: unknown adapter "zendesk" \(known: in-memory, rest, redmine, request-tracker, rt, zammad, otobo, znuny\); plugins were looked for in \/.*\/config-[^/]+\/node_modules$/
    ],
    [
      "a value that is not one of the accepted ones (all of them are listed)",
      { "ticketkit.yaml": "systems:\n  helpdesk:\n    adapter: rest\n    options: { baseUrl: \"http://x\", updateMethod: patch }\n" },
      [],
      "ticketkit: ticketkit.yaml: systems.helpdesk.options.updateMethod: Expected \"PUT\" | \"PATCH\", actual \"patch\""
    ],
    [
      "a bad base URL",
      { "ticketkit.yaml": "systems:\n  helpdesk:\n    adapter: rest\n    options: { baseUrl: nope }\n" },
      [],
      "ticketkit: ticketkit.yaml: systems.helpdesk.options.baseUrl: expected a URL, got \"nope\""
    ],
    [
      "a missing option",
      { "ticketkit.yaml": "systems:\n  helpdesk:\n    adapter: rest\n    options: { auth: { _tag: none } }\n" },
      [],
      "ticketkit: ticketkit.yaml: systems.helpdesk.options.baseUrl: is missing"
    ],
    [
      "a misspelt option",
      { "ticketkit.yaml": "systems:\n  helpdesk:\n    adapter: rest\n    options: { baseUrl: \"http://x\", timout: 5 }\n" },
      [],
      "ticketkit: ticketkit.yaml: systems.helpdesk.options.timout: is unexpected, expected: \"name\" | \"baseUrl\" | \"auth\" | \"timeout\" | \"userAgent\" | \"redactHeaders\" | \"maxBodyBytes\" | \"endpoints\" | \"updateMethod\" | \"fields\" | \"noteFields\" | \"params\" | \"responses\" | \"pagination\" | \"states\" | \"priorities\" | \"visibility\" | \"maxPageSize\" | \"idempotencyKeyHeader\" | \"capabilities\" | \"variables\" | \"preset\""
    ],
    [
      "a misspelt codec: the accepted words are listed, not the object forms",
      { "ticketkit.yaml": "systems:\n  helpdesk:\n    adapter: rest\n    options:\n      baseUrl: http://x\n      fields: { createdAt: { path: created_at, codec: seconds } }\n" },
      [],
      "ticketkit: ticketkit.yaml: systems.helpdesk.options.fields.createdAt.codec: Expected \"string\" | \"number\" | \"boolean\" | \"iso\" | \"epochSeconds\" | \"epochMillis\" | \"split\" | \"list\" | \"html\" | \"text\", actual \"seconds\""
    ],
    [
      "a field given as an object with a wrong key: the key is named, not \"expected a string\"",
      { "ticketkit.yaml": "systems:\n  helpdesk:\n    adapter: rest\n    options:\n      baseUrl: http://x\n      fields: { tags: { path: tags, codec: { _tag: split, separtor: \";\" } } }\n" },
      [],
      "ticketkit: ticketkit.yaml: systems.helpdesk.options.fields.tags.codec.separtor: is unexpected, expected: \"_tag\" | \"separator\""
    ],
    [
      "an environment variable that is not set",
      { "ticketkit.yaml": "systems:\n  helpdesk:\n    adapter: rest\n    options:\n      baseUrl: http://x\n      auth: { _tag: bearer, token: \"${env:TK_UNSET_TOKEN}\" }\n" },
      [],
      "ticketkit: ticketkit.yaml: systems.helpdesk.options.auth.token: the environment variable TK_UNSET_TOKEN is not set"
    ],
    [
      "a default that names no system",
      { "ticketkit.yaml": "default: nope\nsystems:\n  a: { adapter: in-memory }\n" },
      [],
      "ticketkit: ticketkit.yaml: default: no system is called \"nope\""
    ],
    [
      "several systems and no choice",
      { "ticketkit.yaml": "systems:\n  a: { adapter: in-memory }\n  b: { adapter: in-memory }\n" },
      [],
      "ticketkit: ticketkit.yaml: several systems are configured (a, b): choose one with --system or set \"default\""
    ],
    [
      "an unknown --system",
      { "ticketkit.yaml": "systems:\n  a: { adapter: in-memory }\n" },
      ["--system", "b"],
      "ticketkit: ticketkit.yaml: no system is called \"b\" (configured: a)"
    ]
  ]
  for (const [name, files, args, message] of cases) {
    it.effect(name, () =>
      Effect.gen(function*() {
        const { code, err } = yield* fetchWith(files, ...args)
        if (typeof message === "string") assert.strictEqual(err, message)
        else assert.match(err, message)
        assert.strictEqual(code, 3)
      }))
  }

  it.effect("an environment variable that is empty is named as such", () =>
    Effect.gen(function*() {
      const dir = project("config-empty", {
        "ticketkit.yaml": "systems:\n  helpdesk:\n    adapter: rest\n    options:\n      baseUrl: http://x\n      auth: { _tag: bearer, token: \"${env:TK_EMPTY}\" }\n"
      })
      const { code, err } = yield* runCli(dir, "fetch").pipe(Effect.withConfigProvider(ConfigProvider.fromMap(new Map([["TK_EMPTY", ""]]))))
      assert.strictEqual(err, "ticketkit: ticketkit.yaml: systems.helpdesk.options.auth.token: the environment variable TK_EMPTY is empty")
      assert.strictEqual(code, 3)
    }))

  it.effect("the configuration is found from a subdirectory, upward", () =>
    Effect.gen(function*() {
      const dir = project("config-upward", {
        "ticketkit.yaml": "systems:\n  scratch: { adapter: in-memory, options: { demoTickets: 3 } }\n",
        "deep/er/.keep": ""
      })
      const result = yield* runCli(path.join(dir, "deep", "er"), "fetch", "--json")
      assert.strictEqual(result.code, 0, result.err)
      assert.strictEqual(JSON.parse(result.out).length, 3)
    }))

  it.effect("a broken system does not spoil the others", () =>
    Effect.gen(function*() {
      const { code, err } = yield* fetchWith({
        "ticketkit.yaml": "systems:\n  good: { adapter: in-memory, options: { demoTickets: 3 } }\n  bad: { adapter: rest, options: { baseUrl: nope } }\n"
      }, "--system", "good")
      assert.strictEqual(err, "")
      assert.strictEqual(code, 0)
    }))

  it.effect("environment variables are read through effect's Config, and secrets never printed", () =>
    Effect.gen(function*() {
      const dir = project("config-env", {
        "ticketkit.yaml": "systems:\n  helpdesk:\n    adapter: rest\n    options:\n      baseUrl: http://127.0.0.1:9\n      auth: { _tag: bearer, token: \"${env:TK_TOKEN}\" }\n"
      })
      const secret = "very-secret-token-123"
      for (const args of [["systems"], ["fetch"], ["get", "1"], ["fetch", "--json"]]) {
        const result = yield* runCli(dir, ...args).pipe(
          Effect.withConfigProvider(ConfigProvider.fromMap(new Map([["TK_TOKEN", secret]])))
        )
        assert.notInclude(result.out + result.err, secret, args.join(" "))
        if (args[0] !== "systems") {
          assert.strictEqual(result.code, 5, `${args.join(" ")}: ${result.err}`)
          assert.match(result.err, /^ticketkit: helpdesk: (fetchTickets|getTicket) could not reach the ticket system \(ECONNREFUSED/)
        }
      }
    }))

  it.effect("every value read from the environment is a secret, wherever it is placed", () =>
    Effect.gen(function*() {
      const env = ConfigProvider.fromMap(new Map([
        ["TK_PATH", "path-secret-81kq"],
        ["TK_NAME", "name-secret-27zp"],
        ["TK_PASSWORD", "pw-secret-55rt"],
        ["TK_BAD", "bad-url-secret-93mw"]
      ]))
      const raw = {
        systems: {
          a: { adapter: "rest", options: { baseUrl: "http://127.0.0.1:9/x/${env:TK_PATH}", name: "${env:TK_NAME}" } },
          b: { adapter: "rest", options: { baseUrl: "http://127.0.0.1:9", auth: { _tag: "basic", username: "agent", password: "${env:TK_PASSWORD}" } } },
          c: { adapter: "rest", options: { baseUrl: "nope ${env:TK_BAD}" } },
          d: { adapter: "redmine", options: { baseUrl: "http://127.0.0.1:9", apiKey: "an-inline-api-key-0001" } }
        }
      }
      const resolved = yield* Config.resolve(raw, "tk.yaml").pipe(
        Effect.withConfigProvider(env),
        Effect.provide(Registry.layer())
      )
      assert.sameMembers(resolved.secrets.map(Redacted.value), [
        "path-secret-81kq",
        "name-secret-27zp",
        "pw-secret-55rt",
        "agent:pw-secret-55rt",
        "bad-url-secret-93mw",
        "an-inline-api-key-0001"
      ])
      // the error of a system quotes no value read from the environment, even in a field that is
      // not a secret
      const c = resolved.systems.find((s) => s.name === "c")!.system
      assert.isTrue(Either.isLeft(c))
      if (Either.isLeft(c)) assert.strictEqual(c.left.message, "tk.yaml: systems.c.options.baseUrl: expected a URL, got \"nope <redacted>\"")
    }))

  it.effect("systems and configuration errors never print a value read from the environment", () =>
    Effect.gen(function*() {
      const secret = "env-in-url-secret-4711"
      const dir = project("config-env-url", {
        "ticketkit.yaml": [
          "default: bad",
          "systems:",
          "  bad: { adapter: rest, options: { baseUrl: \"nope-${env:TK_URL_PART}\" } }",
          "  named: { adapter: rest, options: { baseUrl: \"http://127.0.0.1:9\", name: \"${env:TK_URL_PART}\" }, retry: false }"
        ].join("\n")
      })
      const run = (...args: ReadonlyArray<string>) =>
        runCli(dir, ...args).pipe(Effect.withConfigProvider(ConfigProvider.fromMap(new Map([["TK_URL_PART", secret]]))))
      const systems = yield* run("systems")
      assert.include(systems.out, "  ! ticketkit.yaml: systems.bad.options.baseUrl: expected a URL, got \"nope-<redacted>\"")
      const fetched = yield* run("fetch")
      assert.strictEqual(fetched.code, 3)
      assert.strictEqual(fetched.err, "ticketkit: ticketkit.yaml: systems.bad.options.baseUrl: expected a URL, got \"nope-<redacted>\"")
      const named = yield* run("--log-level", "all", "get", "1", "--system", "named")
      assert.strictEqual(named.code, 5)
      assert.match(named.err, /^ticketkit: <redacted>: getTicket could not reach the ticket system/m)
      for (const result of [systems, fetched, named]) assert.notInclude(`${result.out}\n${result.err}`, secret)
    }))
})
