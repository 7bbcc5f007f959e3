/**
 * The secret scan: the adapters' operations run through the `ticketkit` command against the
 * reference server, the live Redmine and the live Request Tracker, with debug logging and a
 * recording tracer on; every log line, span (name, attributes, events, exit), error message and
 * command output is scanned for the secrets in use — right and wrong ones. Zero hits.
 *
 * Then a system that echoes the credential back — in a ticket's status or title (so that decoding
 * fails and the error quotes it), lowercased, HTML-escaped, percent-encoded, JSON-escaped, as the
 * start of a body that is not JSON, as the `Authorization` header itself (bearer and basic auth) —
 * and values read from the environment placed in fields that are not secrets (in `baseUrl`, in
 * `name`): stdout, stderr and the `--log-level all` output are scanned for every secret in every
 * one of those spellings.
 */
import { assert, describe, it, layer } from "@effect/vitest"
import { ConfigProvider, Effect, Either } from "effect"
import { NodeHttpClient } from "@effect/platform-node"
import { Otobo, TicketSystemAdapter, Zammad } from "ticketkit"
import { ReferenceServer } from "ticketkit/testing"
import * as OtoboDouble from "../otobo/OtoboDouble.js"
import * as ZammadDouble from "../zammad/ZammadDouble.js"
import type { FakeRequest } from "../cli/FakeServer.js"
import { fakeServer, wireTicket } from "../cli/FakeServer.js"
import { loadEnv as loadRedmine } from "../redmine/env.js"
import { readRtEnv } from "../request-tracker/env.js"
import { leaks, record } from "../support/Capture.js"
import type { Recording } from "../support/Capture.js"
import { project, runCli } from "../support/RunCli.js"
import { receiver, spans } from "../telemetry/support.js"

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

// -----------------------------------------------------------------------------
// a system that echoes the credential
// -----------------------------------------------------------------------------

const TOKEN = "Echo-Secret-Tk7pQ2xZ9w"
const PASSWORD = "Basic-Pass-Wq81mZr4"
const URL_TOKEN = "UrlPath-Secret-4Fh2Lk9"
const NAME_TOKEN = "NameField-Secret-Jx38Qv"
const DESCRIPTION_TOKEN = "Description-Secret-Pp29Ty"

const base64 = (text: string) => Buffer.from(text, "utf8").toString("base64")
const hex = (text: string) => Array.from(text, (c) => c.charCodeAt(0).toString(16).padStart(2, "0"))

/** every spelling of a secret the scan looks for (each also case-insensitively) */
const spellings = (secret: string): ReadonlyArray<string> => [
  secret,
  base64(secret),
  hex(secret).map((h) => `&#x${h};`).join(""),
  Array.from(secret, (c) => `&#${c.charCodeAt(0)};`).join(""),
  hex(secret).map((h) => `%${h}`).join(""),
  hex(secret).map((h) => `\\u00${h}`).join("")
]
const SECRETS = [TOKEN, PASSWORD, `agent:${PASSWORD}`, URL_TOKEN, NAME_TOKEN]
const FORBIDDEN = SECRETS.flatMap(spellings)

/** the forbidden spellings in a text, case-insensitively */
const found = (text: string) => {
  const lower = text.toLowerCase()
  return FORBIDDEN.filter((s) => lower.includes(s.toLowerCase()))
}

/**
 * The answer to `GET /api/tickets/{id}`: each id echoes the request's own credential another way
 * (the bearer token, basic auth's password, or a secret in the request's path).
 */
const echo = (request: FakeRequest) => {
  // a base URL may carry a path (one of them holds a secret)
  const prefix = /^(.*?)(?=\/api\/)/.exec(request.url.pathname)?.[1] ?? ""
  const path = request.url.pathname.slice(prefix.length)
  const auth = String(request.headers.authorization ?? "")
  const secret = auth.startsWith("Bearer ")
    ? auth.slice(7)
    : auth.startsWith("Basic ")
    ? Buffer.from(auth.slice(6), "base64").toString("utf8").split(":").slice(1).join(":")
    : prefix.split("/").pop() ?? ""
  const ticket = (fields: Record<string, unknown>) => ({ json: wireTicket(path.split("/")[3] ?? "1", fields) })
  const escaped = hex(secret).map((h) => `\\u00${h}`).join("")
  switch (path) {
    case "/api/tickets":
      return { json: { tickets: [wireTicket(1), wireTicket(2, { status: secret })] } }
    case "/api/tickets/1":
      return ticket({ status: secret })
    case "/api/tickets/2":
      return ticket({ subject: { leaked: secret } })
    case "/api/tickets/3":
      return ticket({ status: secret.toLowerCase() })
    case "/api/tickets/4":
      return ticket({ status: hex(secret).map((h) => `&#x${h};`).join("") })
    case "/api/tickets/5":
      return ticket({ status: hex(secret).map((h) => `%${h.toUpperCase()}`).join("") })
    case "/api/tickets/6":
      return { text: `${secret} is what you sent`, headers: { "content-type": "application/json" } }
    case "/api/tickets/7":
      return ticket({ status: auth })
    case "/api/tickets/8":
      // JSON-escaped, in a body that is not JSON (so it is quoted as it is)
      return { status: 500, text: `{"error": "bad token \\"${escaped}\\"` }
    case "/api/tickets/9":
      return { status: 500, json: { message: `the token ${secret} (${auth}) is not valid here` } }
    case "/api/tickets/10":
      return { status: 422, json: { error: `unknown user ${auth.toLowerCase()} ${secret.toUpperCase()}` } }
    default:
      return { status: 404, json: { message: `no ticket at ${request.url.pathname}` } }
  }
}

const echoProject = (url: string, telemetry: ReadonlyArray<string> = []) =>
  project("secrets-echo", {
    "ticketkit.yaml": [
      ...telemetry,
      "default: bearer",
      "systems:",
      "  bearer:",
      "    adapter: rest",
      `    options: { baseUrl: "${url}", auth: { _tag: bearer, token: "\${env:ECHO_TOKEN}" } }`,
      "    retry: false",
      "  basic:",
      "    adapter: rest",
      `    options: { baseUrl: "${url}", auth: { _tag: basic, username: agent, password: "\${env:ECHO_PASSWORD}" } }`,
      "    retry: false",
      "  env-in-url:",
      "    adapter: rest",
      `    options: { baseUrl: "${url}/t/\${env:ECHO_URL_TOKEN}" }`,
      "    retry: false",
      "  env-in-name:",
      "    adapter: rest",
      `    options: { baseUrl: "http://127.0.0.1:9", name: "\${env:ECHO_NAME_TOKEN}" }`,
      "    retry: false",
      "  env-in-bad-url:",
      "    adapter: rest",
      "    description: \"${env:ECHO_DESCRIPTION}\"",
      "    options: { baseUrl: \"not a URL \${env:ECHO_URL_TOKEN}\" }"
    ].join("\n")
  })

const echoVariables: ReadonlyArray<readonly [string, string]> = [
  ["ECHO_TOKEN", TOKEN],
  ["ECHO_PASSWORD", PASSWORD],
  ["ECHO_URL_TOKEN", URL_TOKEN],
  ["ECHO_NAME_TOKEN", NAME_TOKEN],
  ["ECHO_DESCRIPTION", DESCRIPTION_TOKEN]
]
const echoEnv = ConfigProvider.fromMap(new Map(echoVariables))

const echoCommands: ReadonlyArray<ReadonlyArray<string>> = [
  ["systems"],
  ["fetch"],
  ["fetch", "--all"],
  ["fetch", "--all", "--json"],
  ...["1", "2", "3", "4", "5", "6", "7", "8", "9", "10"].map((id) => ["get", id]),
  ...["1", "2", "3", "4", "5", "7", "9", "10"].map((id) => ["get", "--system", "basic", id]),
  ["get", "--system", "basic", "7", "--json"],
  ...["1", "3", "9"].map((id) => ["get", "--system", "env-in-url", id]),
  ["get", "--system", "env-in-url", "99999"],
  ["update", "--system", "env-in-url", "1", "--state", "open"],
  ["get", "--system", "env-in-name", "1"],
  ["fetch", "--system", "env-in-bad-url"]
]

describe("secret scan: a system that echoes the credential", () => {
  it.scoped("no secret, in any spelling, in stdout, stderr or the --log-level all output", () =>
    Effect.gen(function*() {
      const server = yield* fakeServer(echo)
      const dir = echoProject(server.url)
      const outputs: Array<string> = []
      for (const args of echoCommands) {
        for (const logging of [[], ["--log-level", "all"]]) {
          const result = yield* runCli(dir, ...logging, ...args).pipe(Effect.withConfigProvider(echoEnv))
          const text = `$ ${[...logging, ...args].join(" ")} → ${result.code}\n${result.out}\n${result.err}`
          outputs.push(text)
          assert.deepStrictEqual(found(text), [], text.slice(0, 3000))
        }
      }
      const all = outputs.join("\n")
      // the scan saw the echoes: decoding failed and the errors quoted what was echoed
      assert.include(all, "unknown status \"<redacted>\"")
      assert.include(all, "<redacted>: getTicket could not reach the ticket system")
      assert.match(all, /systems\.env-in-bad-url\.options\.baseUrl: .*not a URL <redacted>/)
      assert.include(all, "level=DEBUG")
      // a description is not read from the environment: it is shown as written
      assert.include(all, "env-in-bad-url     rest                   ${env:ECHO_DESCRIPTION}")
    }), 120_000)
})

describe("secret scan: a system that echoes the credential, library level", () => {
  // The command line scrubs what it prints; these scan what the library itself logs and traces.
  const scan = (commands: ReadonlyArray<ReadonlyArray<string>>) =>
    Effect.gen(function*() {
      const server = yield* fakeServer(echo)
      const dir = echoProject(server.url)
      const { recording } = yield* record(
        Effect.forEach(commands, (args) => runCli(dir, ...args)).pipe(Effect.withConfigProvider(echoEnv))
      )
      const leaked = (r: Recording) => r.texts().filter((text) => found(text).length > 0).map((text) => text.slice(0, 500))
      assert.deepStrictEqual(leaked(recording), [])
      assert.isAbove(recording.logs.length, commands.length)
    })

  it.scoped("the credential echoed back, in any spelling: in no log line or span of the library", () =>
    scan(echoCommands.filter((args) => !args.some((a) => a.startsWith("env-in-") || a === "systems"))), 120_000)

  // Only the configuration knows that these values came from the environment: it hands them to the
  // transports it builds (Redaction.currentSecrets), which scrub them from URLs in logs and from
  // errors. A system's `name` is the exception: it is the identifier every error, log line and span
  // names the system by (`ticketkit.system`), so an env value used as a name is scrubbed from what
  // the command prints (above), not from the library's own spans.
  it.scoped("values read from the environment into fields that are not secrets: in no log line or span of the library", () =>
    scan(echoCommands.filter((args) => args.some((a) => a.startsWith("env-in-") && a !== "env-in-name"))), 120_000)
})

// -----------------------------------------------------------------------------
// exported telemetry (issue 17)
// -----------------------------------------------------------------------------

describe("secret scan: exported telemetry", () => {
  // What an OTLP collector receives — every span (names, attributes, events, exceptions with their
  // messages and stacks), every metric and the resource — for the echo commands, in both encodings:
  // no secret of the configuration, no credential echoed back, and not the collector's own header
  // value (read from the environment), in any spelling.
  const COLLECTOR_SECRET = "Collector-Secret-Hb72Ks"
  const COLLECTOR_FORBIDDEN = spellings(COLLECTOR_SECRET)

  it.scoped("no secret, in any spelling, in any span or metric a collector receives", () =>
    Effect.gen(function*() {
      const server = yield* fakeServer(echo)
      for (const protocol of ["http/json", "http/protobuf"]) {
        const collector = yield* receiver()
        const dir = echoProject(server.url, [
          "telemetry:",
          `  endpoint: ${collector.url}`,
          `  protocol: ${protocol}`,
          "  headers: { x-collector-key: \"${env:COLLECTOR_SECRET}\" }"
        ])
        const env = ConfigProvider.fromMap(new Map([...echoVariables, ["COLLECTOR_SECRET", COLLECTOR_SECRET]]))
        for (const args of echoCommands.filter((a) => a[0] !== "systems")) {
          yield* runCli(dir, "--log-level", "all", ...args).pipe(Effect.withConfigProvider(env))
        }
        const received = collector.exports.map((e) => `${e.path}\n${e.raw}`)
        const lower = (text: string) => text.toLowerCase()
        const leaked = received.flatMap((text) =>
          [...FORBIDDEN, ...COLLECTOR_FORBIDDEN].filter((s) => lower(text).includes(lower(s))).map((s) => `${protocol}: ${s}`)
        )
        assert.deepStrictEqual(leaked, [])
        // the scan saw real telemetry: the collector's header arrived, requests were traced,
        // echoed values were exported scrubbed
        assert.isTrue(collector.exports.every((e) => e.headers["x-collector-key"] === COLLECTOR_SECRET))
        const all = received.join("\n")
        assert.include(all, "http.client GET")
        assert.include(all, "ticketkit.getTicket")
        assert.include(all, "ticketkit.http.requests")
        assert.include(all, "<redacted>")
        if (protocol === "http/json") {
          const exported = spans(collector)
          assert.isAbove(exported.filter((s) => s.name === "http.client GET").length, 20)
          assert.isAbove(exported.filter((s) => s.status.code === 2).length, 10)
        }
      }
    }), 180_000)
})

// -----------------------------------------------------------------------------
// the Zammad and OTOBO/Znuny clients (issue 16), against their system doubles
// -----------------------------------------------------------------------------

describe("secret scan: Zammad and OTOBO/Znuny, library level", () => {
  /** every operation of an adapter, right credentials and wrong ones, with debug logs and spans */
  const exercise = (adapter: TicketSystemAdapter.Service, queue: string) =>
    Effect.gen(function*() {
      const created = yield* adapter.createTicket({ title: "secret scan", description: "d", queue: { name: queue } })
      yield* adapter.updateTicket(created.id, { priority: "high" })
      yield* adapter.addNote(created.id, "internal remark")
      yield* adapter.listNotes(created.id)
      yield* adapter.fetchTickets({ limit: 5 })
      yield* adapter.searchTickets("secret")
      yield* Effect.either(adapter.getTicket("999999"))
    })

  it.scoped("Zammad: the token is in no log line, span, error or answer", () =>
    Effect.gen(function*() {
      const double = yield* Effect.acquireRelease(Effect.promise(() => ZammadDouble.start()), (d) => Effect.promise(() => d.close()))
      const make = (token: string) =>
        Zammad.make({ baseUrl: double.url, auth: { _tag: "token", token }, defaultCustomer: "customer@example.com" })
      const wrong = "zammad-wrong-token-9876543210"
      const { exit, recording } = yield* record(Effect.gen(function*() {
        yield* exercise(yield* make(double.token), "Support")
        return yield* Effect.flip(make(wrong))
      }).pipe(Effect.provide(NodeHttpClient.layerUndici)))
      assert.isTrue(exit._tag === "Success", String(exit))
      const texts = [...recording.texts(), exit._tag === "Success" ? `${exit.value.message} ${JSON.stringify(exit.value)}` : ""]
      assert.deepStrictEqual(texts.filter((t) => t.includes(double.token) || t.includes(wrong)), [])
      assert.isAbove(recording.spans.filter((s) => s.name.startsWith("http.client")).length, 5)
    }), 60_000)

  it.scoped("OTOBO/Znuny: the password and the session ids are in no log line, span, error or answer", () =>
    Effect.gen(function*() {
      const double = yield* Effect.acquireRelease(Effect.promise(() => OtoboDouble.start()), (d) => Effect.promise(() => d.close()))
      const make = (password: string) =>
        Otobo.make({ baseUrl: double.url, auth: { userLogin: double.login, password }, customerUser: double.customerUser })
      const wrong = "otobo-wrong-password-123"
      const { exit, recording } = yield* record(Effect.gen(function*() {
        yield* exercise(yield* make(double.password), "Raw")
        return yield* Effect.flip(Effect.flatMap(make(wrong), (adapter) => adapter.fetchTickets({ limit: 1 })))
      }).pipe(Effect.provide(NodeHttpClient.layerUndici)))
      assert.isTrue(exit._tag === "Success", String(exit))
      // every session id the double saw, in a URL or a body
      const sessions = double.requests.flatMap((r) => {
        const inUrl = new URL(r.url, "http://x").searchParams.get("SessionID")
        const inBody = /"SessionID"\s*:\s*"([^"]+)"/.exec(r.body)?.[1]
        return [inUrl, inBody].filter((id): id is string => typeof id === "string" && id.length >= 4)
      })
      const secrets = [double.password, wrong, ...sessions]
      const texts = [...recording.texts(), exit._tag === "Success" ? `${exit.value.message} ${JSON.stringify(exit.value)}` : ""]
      assert.deepStrictEqual(texts.filter((t) => secrets.some((secret) => t.includes(secret))), [])
      assert.isAbove(recording.spans.filter((s) => s.name.startsWith("http.client")).length, 5)
    }), 60_000)
})
