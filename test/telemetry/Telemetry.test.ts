/**
 * Telemetry export, end to end: an in-process OTLP/HTTP receiver, the `ticketkit` command and a
 * pipeline against the reference server (behind a counting proxy that can answer 503 once),
 * telemetry configured through the configuration file and through the `OTEL_*` variables. What
 * arrives is checked: the operation spans with their attributes, the metrics with their attributes
 * and values (as many requests as the proxy saw, one retry after the injected 503, errors by tag),
 * and that no secret is in any export. Then an unreachable and a stalling collector, bad values,
 * a missing package, and the metrics without any exporter.
 */
import { assert, describe, it, layer } from "@effect/vitest"
import { NodeHttpClient } from "@effect/platform-node"
import { ConfigProvider, Effect, Layer, Metric, Option, Redacted } from "effect"
import { Checkpoint, InMemory, Pipeline, RestAdapter, Telemetry, TicketSystemAdapter } from "ticketkit"
import { ReferenceServer } from "ticketkit/testing"
import { helpdeskFixtures } from "../../src/demo/Helpdesk.js"
import * as Exporter from "../../src/internal/telemetry/exporter.js"
import { version } from "../../src/version.js"
import { project, runCli } from "../support/RunCli.js"
import { lastMetrics, proxy, receiver, spans, total } from "./support.js"
import type { Receiver } from "./support.js"

const TOKEN = "telemetry-ticket-token-6d41c9"
const COLLECTOR_KEY = "collector-key-from-env-93be71"
const unique = () => Math.random().toString(36).slice(2, 8)

/** no export carries a secret, in its body or its URL */
const assertNoSecret = (r: Receiver, secrets: ReadonlyArray<string>) => {
  assert.isAbove(r.exports.length, 0)
  for (const e of r.exports) {
    for (const secret of secrets) {
      assert.notInclude(e.raw, secret, `${e.path} carries a secret`)
      assert.notInclude(e.path, secret)
    }
  }
}

layer(ReferenceServer.layer({ fixtures: helpdeskFixtures(20), token: TOKEN }), { excludeTestServices: true })("telemetry export", (it) => {
  it.scoped("the command exports spans and metrics configured in the file (telemetry:)", () =>
    Effect.gen(function*() {
      const server = yield* ReferenceServer.ReferenceServer
      const collector = yield* receiver()
      const front = yield* proxy(server.url)
      const system = `helpdesk-${unique()}`
      const dir = project("telemetry-file", {
        "ticketkit.yaml": [
          "telemetry:",
          `  endpoint: ${collector.url}`,
          "  protocol: http/json",
          "  headers: { x-collector-key: \"${env:COLLECTOR_KEY}\" }",
          "  serviceName: ticketkit-telemetry-test",
          "  resourceAttributes: { deployment.environment: test }",
          "systems:",
          `  ${system}:`,
          "    adapter: rest",
          `    options: { baseUrl: "${front.url}", auth: { _tag: bearer, token: "\${env:HELPDESK_TOKEN}" } }`,
          "    retry: { attempts: 3, baseMillis: 10, maxMillis: 20 }",
          "    rateLimit: { limit: 1, interval: 300 }"
        ].join("\n")
      })
      const env = ConfigProvider.fromMap(new Map([["HELPDESK_TOKEN", TOKEN], ["COLLECTOR_KEY", COLLECTOR_KEY]]))

      // a 503 first: the read is retried once
      front.failNext(/^GET \/api\/tickets\/5$/)
      const got = yield* runCli(dir, "get", "5", "--notes").pipe(Effect.withConfigProvider(env))
      assert.strictEqual(got.code, 0, got.err)
      assert.match(got.out, /^#5 /)
      const firstRequests = front.requests()
      assert.strictEqual(firstRequests, 3, "the 503, the ticket again, its notes")

      // spans: the operations, with their requests below them
      const first = spans(collector)
      assert.isTrue(collector.exports.every((e) => e.path === "/v1/traces" || e.path === "/v1/metrics"))
      const getSpan = first.find((s) => s.name === "ticketkit.getTicket")
      assert.isDefined(getSpan)
      assert.deepInclude(getSpan!.attributes, {
        "ticketkit.system": system,
        "ticketkit.adapter": "rest",
        "ticketkit.operation": "getTicket",
        "ticketkit.ticket_id": "5"
      })
      assert.strictEqual(getSpan!.status.code, 1)
      assert.deepInclude(getSpan!.resource, { "service.name": "ticketkit-telemetry-test", "deployment.environment": "test", "service.version": version })
      const requests = first.filter((s) => s.name === "http.client GET" && s.parentSpanId === getSpan!.spanId)
      assert.deepStrictEqual(requests.map((s) => s.attributes["url.template"]), ["/api/tickets/{id}", "/api/tickets/{id}"])
      assert.deepStrictEqual(requests.map((s) => s.status.code).sort(), [1, 2], "the 503 failed, the retry succeeded")
      assert.isDefined(first.find((s) => s.name === "ticketkit.listNotes" && s.attributes["ticketkit.system"] === system))
      assert.isTrue(first.every((s) => s.attributes["url.full"] === undefined))

      // metrics of the first command
      const m1 = lastMetrics(collector).points
      assert.strictEqual(total(m1, "ticketkit.http.requests", { system }), firstRequests)
      assert.strictEqual(total(m1, "ticketkit.http.requests", { system, method: "GET", status_class: "5xx", operation: "getTicket" }), 1)
      assert.strictEqual(total(m1, "ticketkit.http.requests", { system, status_class: "2xx" }), 2)
      assert.strictEqual(total(m1, "ticketkit.http.request.duration", { system }), firstRequests)
      assert.strictEqual(total(m1, "ticketkit.retries", { system, operation: "getTicket" }), 1)
      assert.strictEqual(total(m1, "ticketkit.retries", { system }), 1)
      assert.isAtLeast(total(m1, "ticketkit.rate_limit.waits", { system }), 1, "1 request per 300 ms: the retry or the notes waited")
      assert.isAbove(total(m1, "ticketkit.rate_limit.wait_time", { system }), 0)
      assert.strictEqual(total(m1, "ticketkit.operation.duration", { system, operation: "getTicket" }), 1)
      assert.strictEqual(total(m1, "ticketkit.operation.duration", { system, operation: "listNotes" }), 1)
      assert.strictEqual(total(m1, "ticketkit.errors", { system }), 0)
      const duration = m1.find((p) => p.metric === "ticketkit.operation.duration" && p.attributes.system === system)
      assert.strictEqual(duration?.unit, "s")
      assert.isAbove(duration!.sum!, 0)
      assert.isBelow(duration!.sum!, 60)

      // a ticket that is not there: an error by tag, and the exit code of the command unchanged
      const missing = yield* runCli(dir, "get", "99999").pipe(Effect.withConfigProvider(env))
      assert.strictEqual(missing.code, 6, missing.err)
      const m2 = lastMetrics(collector).points
      assert.strictEqual(total(m2, "ticketkit.errors", { system, operation: "getTicket", error: "TicketNotFoundError" }), 1)
      assert.strictEqual(total(m2, "ticketkit.errors", { system }), 1)
      assert.strictEqual(total(m2, "ticketkit.http.requests", { system }), front.requests())
      assert.strictEqual(total(m2, "ticketkit.http.requests", { system, status_class: "4xx" }), 1)
      assert.strictEqual(total(m2, "ticketkit.operation.duration", { system, operation: "getTicket" }), 2)
      const failed = spans(collector).find((s) => s.name === "ticketkit.getTicket" && s.attributes["ticketkit.ticket_id"] === "99999")
      assert.strictEqual(failed?.status.code, 2)

      // every export carried the collector's header, and no export carries a secret
      assert.isTrue(collector.exports.every((e) => e.headers["x-collector-key"] === COLLECTOR_KEY))
      assertNoSecret(collector, [TOKEN, COLLECTOR_KEY])
    }), 60_000)

  it.scoped("the command exports what the OTEL_* variables configure", () =>
    Effect.gen(function*() {
      const server = yield* ReferenceServer.ReferenceServer
      const collector = yield* receiver()
      const front = yield* proxy(server.url)
      const system = `desk-${unique()}`
      const dir = project("telemetry-env", {
        "ticketkit.yaml": [
          "systems:",
          `  ${system}:`,
          "    adapter: rest",
          `    options: { baseUrl: "${front.url}", auth: { _tag: bearer, token: "\${env:HELPDESK_TOKEN}" } }`
        ].join("\n")
      })
      const env = ConfigProvider.fromMap(new Map([
        ["HELPDESK_TOKEN", TOKEN],
        ["OTEL_EXPORTER_OTLP_ENDPOINT", `${collector.url}/otlp/`],
        ["OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", `${collector.url}/custom/metrics`],
        ["OTEL_EXPORTER_OTLP_PROTOCOL", "http/json"],
        ["OTEL_EXPORTER_OTLP_HEADERS", `authorization=Bearer%20${COLLECTOR_KEY}, x-tenant = help%2Cdesk`],
        ["OTEL_SERVICE_NAME", "env-service"],
        ["OTEL_RESOURCE_ATTRIBUTES", "service.name=overridden,deployment.environment=staging,team=help%20desk"]
      ]))
      const fetched = yield* runCli(dir, "fetch", "--limit", "3", "--json").pipe(Effect.withConfigProvider(env))
      assert.strictEqual(fetched.code, 0, fetched.err)
      assert.strictEqual((JSON.parse(fetched.out) as Array<unknown>).length, 3)

      assert.deepStrictEqual(Array.from(new Set(collector.exports.map((e) => e.path))).sort(), ["/custom/metrics", "/otlp/v1/traces"])
      assert.isTrue(collector.exports.every((e) => e.headers.authorization === `Bearer ${COLLECTOR_KEY}` && e.headers["x-tenant"] === "help,desk"))
      const fetchSpan = spans(collector).find((s) => s.name === "ticketkit.fetchTickets" && s.attributes["ticketkit.system"] === system)
      assert.isDefined(fetchSpan)
      assert.deepInclude(fetchSpan!.resource, { "service.name": "env-service", "deployment.environment": "staging", team: "help desk" })
      const metrics = lastMetrics(collector)
      assert.strictEqual(metrics.resource["service.name"], "env-service")
      assert.strictEqual(total(metrics.points, "ticketkit.http.requests", { system, operation: "fetchTickets", method: "GET", status_class: "2xx" }), front.requests())
      assert.strictEqual(total(metrics.points, "ticketkit.operation.duration", { system, operation: "fetchTickets" }), 1)
      assertNoSecret(collector, [TOKEN, COLLECTOR_KEY])
    }), 60_000)

  it.scoped("a pipeline exports its spans and metrics through Telemetry.layer", () =>
    Effect.gen(function*() {
      const server = yield* ReferenceServer.ReferenceServer
      const collector = yield* receiver()
      const front = yield* proxy(server.url)
      const system = `pipeline-${unique()}`
      const Helpdesk = TicketSystemAdapter.TicketSystemAdapter
      const raise = Pipeline.make(`raise-${system}`, Pipeline.source(Helpdesk, { limit: 4 }, { snapshot: true })).pipe(
        Pipeline.update(() => ({ tags: ["seen-by-telemetry"] }))
      )
      const adapter = RestAdapter.layer({ name: system, baseUrl: front.url, auth: { _tag: "bearer", token: Redacted.make(TOKEN) } })
      const summary = yield* Pipeline.run(raise, { concurrency: 2 }).pipe(
        Effect.provide(Layer.merge(adapter, Checkpoint.layerMemory)),
        Effect.provide(Telemetry.layer({ protocol: "http/json" }, { serviceName: "triage-bot" })),
        Effect.provide(NodeHttpClient.layerUndici),
        Effect.withConfigProvider(ConfigProvider.fromMap(new Map([["OTEL_EXPORTER_OTLP_ENDPOINT", collector.url]])))
      )
      assert.strictEqual(summary.changed, 4)

      const all = spans(collector)
      const run = all.find((s) => s.name === "ticketkit.pipeline.run")
      assert.strictEqual(run?.attributes["ticketkit.pipeline"], `raise-${system}`)
      assert.strictEqual(run?.resource["service.name"], "triage-bot")
      const tickets = all.filter((s) => s.name === "ticketkit.pipeline.ticket" && s.parentSpanId === run!.spanId)
      assert.strictEqual(tickets.length, 4)
      const updates = all.filter((s) => s.name === "ticketkit.updateTicket" && s.attributes["ticketkit.system"] === system)
      assert.strictEqual(updates.length, 4)
      assert.isTrue(updates.every((u) => tickets.some((t) => t.spanId === u.parentSpanId)), "each update within its ticket's span")
      const points = lastMetrics(collector).points
      assert.strictEqual(total(points, "ticketkit.http.requests", { system }), front.requests())
      assert.strictEqual(total(points, "ticketkit.operation.duration", { system, operation: "updateTicket" }), 4)
      assertNoSecret(collector, [TOKEN])
    }), 60_000)

  it.scoped("an unreachable or silent collector changes neither the outcome nor the exit code", () =>
    Effect.gen(function*() {
      const server = yield* ReferenceServer.ReferenceServer
      const silent = yield* receiver({ stall: true })
      const env = ConfigProvider.fromMap(new Map([["HELPDESK_TOKEN", TOKEN]]))
      const config = (endpoint: string) =>
        project("telemetry-down", {
          "ticketkit.yaml": [
            "telemetry:",
            `  endpoint: ${endpoint}`,
            "  shutdownTimeoutMillis: 300",
            "systems:",
            "  helpdesk:",
            "    adapter: rest",
            `    options: { baseUrl: "${server.url}", auth: { _tag: bearer, token: "\${env:HELPDESK_TOKEN}" } }`
          ].join("\n")
        })
      for (const endpoint of ["http://127.0.0.1:9", silent.url]) {
        const dir = config(endpoint)
        const got = yield* runCli(dir, "get", "3").pipe(Effect.withConfigProvider(env))
        assert.strictEqual(got.code, 0, `${endpoint}: ${got.err}`)
        assert.match(got.out, /^#3 /)
        assert.strictEqual(got.err, "")
        const missing = yield* runCli(dir, "get", "99999").pipe(Effect.withConfigProvider(env))
        assert.strictEqual(missing.code, 6, missing.err)
      }
      assert.isAbove(silent.exports.length, 0, "the silent collector was sent the exports")
    }), 60_000)
})

// -----------------------------------------------------------------------------
// configuration
// -----------------------------------------------------------------------------

const resolveWith = (variables: Record<string, string>, options?: Telemetry.Options) =>
  Telemetry.resolve(options, { serviceName: "default-name" }).pipe(
    Effect.withConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(variables))))
  )

describe("telemetry configuration", () => {
  it.effect("nothing is exported unless an endpoint is configured or telemetry is enabled", () =>
    Effect.gen(function*() {
      assert.isUndefined(yield* resolveWith({}))
      assert.isUndefined(yield* resolveWith({ OTEL_SERVICE_NAME: "x" }, { serviceName: "y" }))
      const enabled = yield* resolveWith({}, { enabled: true })
      assert.strictEqual(enabled?.traces?.url, "http://localhost:4318/v1/traces")
      assert.strictEqual(enabled?.protocol, "http/protobuf")
      assert.strictEqual(enabled?.serviceName, "default-name")
      assert.isUndefined(yield* resolveWith({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318", OTEL_SDK_DISABLED: "TRUE" }))
      assert.isUndefined(yield* resolveWith({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318" }, { enabled: false }))
      assert.isDefined(yield* resolveWith({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318", OTEL_SDK_DISABLED: "false" }))
    }))

  it.effect("precedence: the options over the environment, a signal's own endpoint over the general one", () =>
    Effect.gen(function*() {
      const env = {
        OTEL_EXPORTER_OTLP_ENDPOINT: "http://env:4318/base",
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "http://env-traces:4318/t",
        OTEL_EXPORTER_OTLP_HEADERS: "a=from-env,b=from-env",
        OTEL_EXPORTER_OTLP_METRICS_HEADERS: "b=metrics-env",
        OTEL_SERVICE_NAME: "env-name",
        OTEL_RESOURCE_ATTRIBUTES: "service.name=attr-name,region=eu%2Dwest",
        OTEL_BSP_SCHEDULE_DELAY: "1000",
        OTEL_METRIC_EXPORT_INTERVAL: "15000"
      }
      const fromEnv = yield* resolveWith(env)
      assert.strictEqual(fromEnv?.traces?.url, "http://env-traces:4318/t")
      assert.strictEqual(fromEnv?.metrics?.url, "http://env:4318/base/v1/metrics")
      assert.strictEqual(fromEnv?.serviceName, "env-name", "OTEL_SERVICE_NAME over service.name in OTEL_RESOURCE_ATTRIBUTES")
      assert.deepStrictEqual(fromEnv?.resourceAttributes, { region: "eu-west" })
      assert.deepStrictEqual(Object.entries(fromEnv!.traces!.headers).map(([k, v]) => [k, Redacted.value(v)]), [["a", "from-env"], ["b", "from-env"]])
      assert.deepStrictEqual(Object.entries(fromEnv!.metrics!.headers).map(([k, v]) => [k, Redacted.value(v)]), [["a", "from-env"], ["b", "metrics-env"]])
      assert.deepStrictEqual([fromEnv?.tracesExportIntervalMillis, fromEnv?.metricsExportIntervalMillis], [1000, 15000])

      const explicit = yield* resolveWith(env, {
        endpoint: "http://file:4318",
        headers: { A: Redacted.make("from-file") },
        serviceName: "file-name",
        exportIntervalMillis: 500
      })
      assert.strictEqual(explicit?.traces?.url, "http://file:4318/v1/traces")
      assert.strictEqual(explicit?.metrics?.url, "http://file:4318/v1/metrics")
      assert.strictEqual(explicit?.serviceName, "file-name")
      assert.strictEqual(Redacted.value(explicit!.traces!.headers.a!), "from-file")
      assert.deepStrictEqual([explicit?.tracesExportIntervalMillis, explicit?.metricsExportIntervalMillis], [500, 500])
      assert.deepStrictEqual(explicit?.secrets.map(Redacted.value).sort(), ["from-env", "from-file", "metrics-env"])
    }))

  it.effect("a bad value is a ConfigError naming the variable, never quoting a header value", () =>
    Effect.gen(function*() {
      const secret = "s3cret-header-value"
      const cases: ReadonlyArray<[Record<string, string>, string]> = [
        [{ OTEL_EXPORTER_OTLP_ENDPOINT: "collector:4318" }, "the environment variable OTEL_EXPORTER_OTLP_ENDPOINT is not an http(s) URL"],
        [{ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "ftp://x/y" }, "the environment variable OTEL_EXPORTER_OTLP_TRACES_ENDPOINT is not an http(s) URL"],
        [{ OTEL_EXPORTER_OTLP_ENDPOINT: "http://c", OTEL_EXPORTER_OTLP_HEADERS: `a=b,${secret}` }, "the environment variable OTEL_EXPORTER_OTLP_HEADERS: entry 2 is not name=value"],
        [{ OTEL_EXPORTER_OTLP_ENDPOINT: "http://c", OTEL_EXPORTER_OTLP_HEADERS: `key=${secret}%zz` }, "the environment variable OTEL_EXPORTER_OTLP_HEADERS: the value of entry 1 is not valid percent-encoding"],
        [{ OTEL_EXPORTER_OTLP_ENDPOINT: "http://c", OTEL_EXPORTER_OTLP_HEADERS: `bad name=${secret}` }, "the environment variable OTEL_EXPORTER_OTLP_HEADERS: entry 1 is not a valid header name"],
        [{ OTEL_EXPORTER_OTLP_ENDPOINT: "http://c", OTEL_EXPORTER_OTLP_HEADERS: `key=${secret}%0d%0aX: y` }, "the environment variable OTEL_EXPORTER_OTLP_HEADERS: the value of header key holds control characters"],
        [{ OTEL_EXPORTER_OTLP_ENDPOINT: "http://c", OTEL_RESOURCE_ATTRIBUTES: "=x" }, "the environment variable OTEL_RESOURCE_ATTRIBUTES: entry 1 is not name=value"],
        [{ OTEL_SDK_DISABLED: "yes" }, "the environment variable OTEL_SDK_DISABLED is neither true nor false"],
        [{ OTEL_EXPORTER_OTLP_ENDPOINT: "http://c", OTEL_EXPORTER_OTLP_PROTOCOL: "grpc" }, "the environment variable OTEL_EXPORTER_OTLP_PROTOCOL: grpc is not supported; use http/protobuf or http/json"],
        [{ OTEL_EXPORTER_OTLP_ENDPOINT: "http://c", OTEL_METRIC_EXPORT_INTERVAL: "10s" }, "the environment variable OTEL_METRIC_EXPORT_INTERVAL is not a positive whole number of milliseconds"]
      ]
      for (const [variables, message] of cases) {
        const error = yield* Effect.flip(resolveWith(variables))
        assert.strictEqual(error._tag, "ConfigError")
        assert.strictEqual(error.message, message)
        assert.notInclude(error.message, secret)
      }
    }))

  it.effect("a bad telemetry: section is a configuration error (exit 3) naming the key", () =>
    Effect.gen(function*() {
      const cases: ReadonlyArray<[ReadonlyArray<string>, RegExp]> = [
        [["  endpoint: collector:4318"], /^ticketkit: ticketkit\.yaml: telemetry\.endpoint: expected an http\(s\) URL$/],
        [["  exportIntervalMillis: -5"], /^ticketkit: ticketkit\.yaml: telemetry\.exportIntervalMillis: expected a positive number of milliseconds$/],
        [["  protocol: grpc"], /^ticketkit: ticketkit\.yaml: telemetry\.protocol: Expected "http\/protobuf" \| "http\/json", actual "grpc"$/],
        [["  headers: { x-key: \"${env:NOT_SET_ANYWHERE}\" }"], /^ticketkit: ticketkit\.yaml: telemetry\.headers\.x-key: the environment variable NOT_SET_ANYWHERE is not set$/],
        [["  endpoint: http://127.0.0.1:9", "  colour: blue"], /^ticketkit: ticketkit\.yaml: telemetry\.colour: /]
      ]
      for (const [lines, message] of cases) {
        const dir = project("telemetry-bad", {
          "ticketkit.yaml": ["telemetry:", ...lines, "systems:", "  scratch:", "    adapter: in-memory"].join("\n")
        })
        const result = yield* runCli(dir, "fetch").pipe(Effect.withConfigProvider(ConfigProvider.fromMap(new Map())))
        assert.strictEqual(result.code, 3, result.err)
        assert.match(result.err, message)
      }
    }))

  it.effect("without @effect/opentelemetry, configured telemetry is a ConfigError that says to install it", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(Exporter.load("@effect/opentelemetry-is-not-installed"))
      assert.strictEqual(error._tag, "ConfigError")
      assert.include(error.message, "install @effect/opentelemetry to export telemetry")
      // the real package loads
      const loaded = yield* Exporter.load()
      assert.isFunction(loaded.OtlpTracer.make)
    }))
})

// -----------------------------------------------------------------------------
// the metrics without an exporter
// -----------------------------------------------------------------------------

describe("telemetry metrics", () => {
  it.effect("exist in-process without any exporter", () =>
    Effect.gen(function*() {
      const system = `memory-${unique()}`
      const tickets = yield* InMemory.make({ name: system, fixtures: [{ title: "Printer", queue: "Support" }] })
      yield* tickets.getTicket("1")
      yield* Effect.flip(tickets.getTicket("404"))
      yield* Effect.flip(tickets.fetchTickets({ states: ["nonsense" as never] }))
      const tagged = (metric: Metric.Metric.Counter<number>, tags: Record<string, string>) =>
        Object.entries({ system, ...tags }).reduce((m, [k, v]) => Metric.tagged(m, k, v), metric)
      const notFound = yield* Metric.value(tagged(Telemetry.metrics.errors, { operation: "getTicket", error: "TicketNotFoundError" }))
      assert.strictEqual(notFound.count, 1)
      const invalid = yield* Metric.value(tagged(Telemetry.metrics.errors, { operation: "fetchTickets", error: "InvalidInputError" }))
      assert.strictEqual(invalid.count, 1)
      const snapshot = yield* Metric.snapshot
      const durations = snapshot.filter((pair) =>
        pair.metricKey.name === "ticketkit.operation.duration" &&
        pair.metricKey.tags.some((t) => t.key === "system" && t.value === system) &&
        pair.metricKey.tags.some((t) => t.key === "operation" && t.value === "getTicket")
      )
      assert.strictEqual(durations.length, 1)
      assert.strictEqual((durations[0]!.metricState as unknown as { count: number }).count, 2)
      assert.isTrue(Option.isNone(Option.fromNullable(snapshot.find((p) => p.metricKey.name === "ticketkit.http.requests" && p.metricKey.tags.some((t) => t.value === system)))))
    }))
})
