/**
 * Test support for telemetry: an in-process OTLP/HTTP receiver (a real `node:http` server taking
 * `POST /v1/traces` and `/v1/metrics`, JSON as `@effect/opentelemetry` sends it, protobuf kept as
 * bytes), readers of what it got, and a counting proxy in front of a ticket server that can answer
 * 503 once.
 */
import { Effect } from "effect"
import { createServer, request as httpRequest } from "node:http"
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"

export interface Export {
  readonly path: string
  readonly headers: IncomingHttpHeaders
  /** the body as text (protobuf bodies as latin1, so that a scan still finds ASCII secrets) */
  readonly raw: string
  readonly json: unknown
}

export interface Receiver {
  readonly url: string
  readonly exports: Array<Export>
}

/** a server on 127.0.0.1 that records every export; `stall`: it takes them and never answers */
export const receiver = (options: { readonly stall?: boolean } = {}) =>
  Effect.acquireRelease(
    Effect.async<Receiver & { readonly close: () => void }>((resume) => {
      const exports: Array<Export> = []
      const server = createServer((req: IncomingMessage, res: ServerResponse) => {
        const chunks: Array<Buffer> = []
        req.on("data", (chunk: Buffer) => chunks.push(chunk))
        req.on("end", () => {
          const body = Buffer.concat(chunks)
          const json = String(req.headers["content-type"] ?? "").includes("json") ? JSON.parse(body.toString("utf8")) as unknown : undefined
          exports.push({ path: req.url ?? "/", headers: req.headers, raw: json === undefined ? body.toString("latin1") : body.toString("utf8"), json })
          if (options.stall === true) return
          res.writeHead(200, { "content-type": "application/json" })
          res.end("{}")
        })
      })
      server.listen(0, "127.0.0.1", () => {
        const { port } = server.address() as AddressInfo
        resume(Effect.succeed({
          url: `http://127.0.0.1:${port}`,
          exports,
          close: () => {
            server.closeAllConnections()
            server.close()
          }
        }))
      })
    }),
    (r) => Effect.sync(() => r.close())
  )

// -----------------------------------------------------------------------------
// reading what arrived
// -----------------------------------------------------------------------------

type AnyValue = { stringValue?: string; intValue?: number | string; doubleValue?: number; boolValue?: boolean }
type KeyValue = { key: string; value: AnyValue }

const valueOf = (value: AnyValue): unknown =>
  value.stringValue ?? (value.intValue === undefined ? undefined : Number(value.intValue)) ?? value.doubleValue ?? value.boolValue

export const attributes = (list: ReadonlyArray<KeyValue> | undefined): Record<string, unknown> =>
  Object.fromEntries((list ?? []).map((kv) => [kv.key, valueOf(kv.value)]))

export interface Span {
  readonly name: string
  readonly spanId: string
  readonly parentSpanId: string | undefined
  readonly traceId: string
  readonly attributes: Record<string, unknown>
  readonly status: { readonly code: number; readonly message?: string }
  readonly resource: Record<string, unknown>
  readonly path: string
}

/** every span received */
export const spans = (r: Receiver): Array<Span> =>
  r.exports.filter((e) => e.json !== undefined && (e.json as { resourceSpans?: unknown }).resourceSpans !== undefined).flatMap((e) =>
    (e.json as { resourceSpans: Array<{ resource: { attributes: Array<KeyValue> }; scopeSpans: Array<{ spans: Array<any> }> }> }).resourceSpans
      .flatMap((rs) =>
        rs.scopeSpans.flatMap((ss) =>
          ss.spans.map((s): Span => ({
            name: s.name,
            spanId: s.spanId,
            parentSpanId: s.parentSpanId,
            traceId: s.traceId,
            attributes: attributes(s.attributes),
            status: s.status,
            resource: attributes(rs.resource.attributes),
            path: e.path
          }))
        )
      )
  )

export interface Point {
  readonly metric: string
  readonly unit: string | undefined
  readonly attributes: Record<string, unknown>
  /** a counter's value */
  readonly value: number | undefined
  /** a histogram's count and sum */
  readonly count: number | undefined
  readonly sum: number | undefined
}

/** the data points of the last metrics export received (the metrics are cumulative) */
export const lastMetrics = (r: Receiver): { readonly points: Array<Point>; readonly resource: Record<string, unknown>; readonly path: string } => {
  const last = r.exports.filter((e) => e.json !== undefined && (e.json as { resourceMetrics?: unknown }).resourceMetrics !== undefined).at(-1)
  if (last === undefined) return { points: [], resource: {}, path: "" }
  const body = last.json as { resourceMetrics: Array<{ resource: { attributes: Array<KeyValue> }; scopeMetrics: Array<{ metrics: Array<any> }> }> }
  const points = body.resourceMetrics.flatMap((rm) =>
    rm.scopeMetrics.flatMap((sm) =>
      sm.metrics.flatMap((m): Array<Point> => {
        const data = m.sum ?? m.histogram ?? m.gauge
        return (data?.dataPoints ?? []).map((p: any): Point => ({
          metric: m.name,
          unit: m.unit,
          attributes: attributes(p.attributes),
          value: p.asDouble ?? (p.asInt === undefined ? undefined : Number(p.asInt)),
          count: p.count === undefined ? undefined : Number(p.count),
          sum: p.sum
        }))
      })
    )
  )
  return { points, resource: attributes(body.resourceMetrics[0]?.resource.attributes), path: last.path }
}

/** the sum of a counter's values (or a histogram's counts) over the points matching the attributes */
export const total = (points: ReadonlyArray<Point>, metric: string, where: Record<string, unknown>): number =>
  points
    .filter((p) => p.metric === metric && Object.entries(where).every(([k, v]) => p.attributes[k] === v))
    .reduce((sum, p) => sum + (p.value ?? p.count ?? 0), 0)

// -----------------------------------------------------------------------------
// a counting proxy that can answer 503 once
// -----------------------------------------------------------------------------

export interface Proxy {
  readonly url: string
  /** requests that reached the proxy */
  readonly requests: () => number
  /** the next request whose `METHOD path` matches is answered 503, without reaching the server */
  readonly failNext: (pattern: RegExp) => void
}

export const proxy = (target: string) =>
  Effect.acquireRelease(
    Effect.async<Proxy & { readonly close: () => void }>((resume) => {
      let count = 0
      const failing: Array<RegExp> = []
      const to = new URL(target)
      const server = createServer((req: IncomingMessage, res: ServerResponse) => {
        count++
        const line = `${req.method} ${req.url}`
        const at = failing.findIndex((p) => p.test(line))
        if (at >= 0) {
          failing.splice(at, 1)
          req.resume()
          res.writeHead(503, { "content-type": "application/json" })
          res.end(JSON.stringify({ error: "injected 503" }))
          return
        }
        const forward = httpRequest(
          { host: to.hostname, port: to.port, method: req.method, path: req.url, headers: req.headers },
          (answer) => {
            res.writeHead(answer.statusCode ?? 502, answer.headers)
            answer.pipe(res)
          }
        )
        forward.on("error", () => res.destroy())
        req.pipe(forward)
      })
      server.listen(0, "127.0.0.1", () => {
        const { port } = server.address() as AddressInfo
        resume(Effect.succeed({
          url: `http://127.0.0.1:${port}`,
          requests: () => count,
          failNext: (pattern) => void failing.push(pattern),
          close: () => {
            server.closeAllConnections()
            server.close()
          }
        }))
      })
    }),
    (p) => Effect.sync(() => p.close())
  )
