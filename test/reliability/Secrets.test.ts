/**
 * The secret scan: the adapters' operations run through the `ticketkit` command against the
 * reference server, the live Redmine and the live Request Tracker, with debug logging and a
 * recording tracer on; every log line, span (name, attributes, events, exit), error message and
 * command output is scanned for the secrets in use — right and wrong ones. Zero hits.
 */
import { assert, layer } from "@effect/vitest"
import { ConfigProvider, Effect, Either } from "effect"
import { ReferenceServer } from "ticketkit/testing"
import { loadEnv as loadRedmine } from "../redmine/env.js"
import { readRtEnv } from "../request-tracker/env.js"
import { leaks, record } from "../support/Capture.js"
import { project, runCli } from "../support/RunCli.js"

const REFERENCE_TOKEN = "reference-secret-9f3a7c"
const WRONG = { rest: "wrong-rest-token-55aa11", redmine: "0123456789abcdef0123456789abcdef01234567", rt: "1-99-wrongwrongwrongwrong" }

layer(ReferenceServer.layer({ token: REFERENCE_TOKEN, fixtures: [{ title: "Printer", queue: "Support" }] }), { excludeTestServices: true })("secret scan", (it) => {
  it.effect("no secret in any log line, span, error message or command output", () =>
    Effect.gen(function*() {
      const server = yield* ReferenceServer.ReferenceServer
      const redmine = loadRedmine()
      const rt = readRtEnv()
      if (Either.isLeft(redmine)) return assert.fail(redmine.left)
      if (typeof rt === "string") return assert.fail(rt)
      const secrets = [REFERENCE_TOKEN, redmine.right.apiKey, rt.token, ...Object.values(WRONG)]
      const dir = project("secrets", {
        "ticketkit.yaml": [
          "systems:",
          "  rest:",
          "    adapter: rest",
          `    options: { baseUrl: "${server.url}", auth: { _tag: bearer, token: "\${env:REST_TOKEN}" } }`,
          "  rest-wrong:",
          "    adapter: rest",
          `    options: { baseUrl: "${server.url}", auth: { _tag: bearer, token: "\${env:REST_WRONG}" } }`,
          "  redmine:",
          "    adapter: redmine",
          `    options: { baseUrl: "${redmine.right.url}", apiKey: "\${env:REDMINE_KEY}" }`,
          "  redmine-wrong:",
          "    adapter: redmine",
          `    options: { baseUrl: "${redmine.right.url}", apiKey: "\${env:REDMINE_WRONG}" }`,
          "  rt:",
          "    adapter: rt",
          `    options: { baseUrl: "${rt.url}", auth: { _tag: token, token: "\${env:RT_TOKEN}" } }`,
          "  rt-wrong:",
          "    adapter: rt",
          `    options: { baseUrl: "${rt.url}", auth: { _tag: token, token: "\${env:RT_WRONG}" } }`
        ].join("\n")
      })
      const env = ConfigProvider.fromMap(new Map([
        ["REST_TOKEN", REFERENCE_TOKEN],
        ["REST_WRONG", WRONG.rest],
        ["REDMINE_KEY", redmine.right.apiKey],
        ["REDMINE_WRONG", WRONG.redmine],
        ["RT_TOKEN", rt.token],
        ["RT_WRONG", WRONG.rt]
      ]))
      const commands: Array<ReadonlyArray<string>> = [["systems"]]
      for (const system of ["rest", "redmine", "rt"]) {
        commands.push(
          ["fetch", "--system", system, "--limit", "3", "--json"],
          ["search", "--system", system, "printer", "--limit", "2"],
          ["get", "--system", system, "99999999"],
          ["update", "--system", system, "99999999", "--priority", "high"],
          ["note", "--system", system, "99999999", "never stored"],
          ["check", "--system", system],
          ["fetch", "--system", `${system}-wrong`],
          ["get", "--system", `${system}-wrong`, "1"]
        )
      }
      const outputs: Array<string> = []
      const { recording } = yield* record(
        Effect.forEach(commands, (args) =>
          runCli(dir, ...args).pipe(
            Effect.tap((result) => Effect.sync(() => outputs.push(`$ ${args.join(" ")} → ${result.code}\n${result.out}\n${result.err}`)))
          )).pipe(Effect.withConfigProvider(env))
      )
      const all = outputs.join("\n")
      assert.deepStrictEqual(secrets.filter((secret) => all.includes(secret)), [], "no secret in command output")
      assert.deepStrictEqual(leaks(recording, secrets), [], "no secret in logs or spans")
      // the scan saw real traffic: requests were traced and logged, failures were reported
      assert.isAbove(recording.spans.filter((s) => s.name.startsWith("http.client")).length, 50)
      assert.isAbove(recording.logs.length, 50)
      assert.include(all, "refused the credentials")
      assert.include(all, "was not found")
    }), 180_000)
})
