/**
 * Test support for the command-line tests: a tiny `node:http` server speaking the REST adapter's
 * default API (the reference guide's), whose answers the test scripts — an endless ticket list, a
 * ticket with hostile text, an answer echoing the credential — and a way to run the real
 * `ticketkit` executable as a child process.
 */
import { Effect } from "effect"
import { spawn } from "node:child_process"
import type { ChildProcessWithoutNullStreams } from "node:child_process"
import * as fs from "node:fs"
import { createServer } from "node:http"
import type { IncomingMessage, ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"
import * as path from "node:path"

/** a ticket in the reference guide's wire form */
export const wireTicket = (id: number | string, fields: Record<string, unknown> = {}): Record<string, unknown> => ({
  id,
  subject: `Ticket number ${id}`,
  body: "a ticket of the endless list",
  status: "open",
  priority_level: "normal",
  department_id: 1,
  department_name: "Support",
  requester: "someone@example.test",
  assignee: null,
  tags: [],
  created: "2026-11-01T08:00:00.000Z",
  modified: "2026-11-02T08:00:00.000Z",
  ...fields
})

export interface FakeRequest {
  readonly method: string
  readonly url: URL
  readonly headers: IncomingMessage["headers"]
  readonly body: string
}

export type Answer = { readonly status?: number; readonly json?: unknown; readonly text?: string; readonly headers?: Record<string, string> }

/** a scoped server on 127.0.0.1 answering every request with `handler` */
export const fakeServer = (handler: (request: FakeRequest) => Answer) =>
  Effect.acquireRelease(
    Effect.async<{ readonly url: string; readonly requests: () => number }>((resume) => {
      let requests = 0
      const server = createServer((req: IncomingMessage, res: ServerResponse) => {
        const chunks: Array<Buffer> = []
        req.on("data", (c: Buffer) => chunks.push(c))
        req.on("end", () => {
          requests++
          const answer = handler({
            method: req.method ?? "GET",
            url: new URL(req.url ?? "/", "http://127.0.0.1"),
            headers: req.headers,
            body: Buffer.concat(chunks).toString("utf8")
          })
          const body = answer.text ?? JSON.stringify(answer.json ?? null)
          res.writeHead(answer.status ?? 200, {
            "content-type": answer.text === undefined ? "application/json" : "text/plain",
            ...answer.headers
          })
          res.end(body)
        })
      })
      server.listen(0, "127.0.0.1", () => {
        const { port } = server.address() as AddressInfo
        resume(Effect.succeed(Object.assign(server, { url: `http://127.0.0.1:${port}`, requests: () => requests })))
      })
    }),
    (server) =>
      Effect.async<void>((resume) => {
        const s = server as unknown as ReturnType<typeof createServer>
        s.closeAllConnections()
        s.close(() => resume(Effect.void))
      })
  )

/** the endless ticket list: every page is full, whatever the offset, so the list never ends */
export const endless = (request: FakeRequest): Answer => {
  if (request.url.pathname !== "/api/tickets") return { status: 404, json: { error: "not found" } }
  const offset = Number(request.url.searchParams.get("offset") ?? "0")
  const limit = Number(request.url.searchParams.get("limit") ?? "100")
  return { json: { tickets: Array.from({ length: limit }, (_, i) => wireTicket(offset + i + 1)) } }
}

const root = path.resolve(import.meta.dirname, "../..")
const bin = path.join(root, "src/cli/bin.ts")

export interface Child {
  readonly process: ChildProcessWithoutNullStreams
  /** complete stdout lines so far (only counted, and the last few kept, once `keep` is reached) */
  readonly lines: () => number
  readonly firstLines: () => ReadonlyArray<string>
  readonly lastLine: () => string | undefined
  readonly stderr: () => string
  /** resolves with the exit code (or the signal's name) */
  readonly exited: Promise<{ readonly code: number | null; readonly signal: NodeJS.Signals | null }>
  /** the child's resident set size now, in MiB (from /proc) */
  readonly rssMiB: () => number | undefined
}

/** runs the real `ticketkit` (the TypeScript sources, through tsx) as a child process */
export const spawnCli = (cwd: string, args: ReadonlyArray<string>, nodeOptions: ReadonlyArray<string> = [], env: Record<string, string> = {}): Child => {
  const child = spawn(process.execPath, [...nodeOptions, "--import", "tsx", bin, ...args], {
    cwd,
    env: { ...process.env, ...env, NODE_OPTIONS: "" },
    stdio: ["pipe", "pipe", "pipe"]
  })
  let count = 0
  let partial = ""
  const first: Array<string> = []
  let last: string | undefined
  let stderr = ""
  child.stdout.setEncoding("utf8")
  child.stdout.on("data", (data: string) => {
    const parts = (partial + data).split("\n")
    partial = parts.pop()!
    for (const line of parts) {
      count++
      if (first.length < 20) first.push(line)
      last = line
    }
  })
  child.stderr.setEncoding("utf8")
  child.stderr.on("data", (data: string) => {
    if (stderr.length < 100_000) stderr += data
  })
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal }))
  )
  return {
    process: child,
    lines: () => count,
    firstLines: () => first,
    lastLine: () => last,
    stderr: () => stderr,
    exited,
    rssMiB: () => {
      try {
        const status = fs.readFileSync(`/proc/${child.pid}/status`, "utf8")
        const match = /^VmRSS:\s+(\d+) kB/m.exec(status)
        return match ? Number(match[1]) / 1024 : undefined
      } catch {
        return undefined
      }
    }
  }
}

/** waits until `condition` holds (checked every 20 ms), or fails after `ms` */
export const waitFor = (condition: () => boolean, ms: number, what: string) =>
  Effect.tryPromise({
    try: () =>
      new Promise<void>((resolve, reject) => {
        const started = Date.now()
        const tick = () => {
          if (condition()) return resolve()
          if (Date.now() - started > ms) return reject(new Error(`timed out after ${ms} ms waiting for ${what}`))
          setTimeout(tick, 20)
        }
        tick()
      }),
    catch: (error) => error as Error
  })
