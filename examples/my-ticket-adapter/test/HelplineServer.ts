/**
 * A small Helpline server for tests and demos: the API the adapter speaks, over an in-memory
 * list of cases, on 127.0.0.1. Plain node:http: it stands for a system we do not control.
 */
import { createServer, type Server } from "node:http"

interface Case {
  ref: string
  headline: string
  details: string | null
  status: "NEW" | "OPEN" | "WAITING" | "SOLVED" | "CLOSED"
  urgency: 1 | 2 | 3 | 4
  team: string
  opened_at: string
  changed_at: string
}

export interface Helpline {
  readonly url: string
  readonly token: string
  readonly close: () => Promise<void>
}

const statuses = ["NEW", "OPEN", "WAITING", "SOLVED", "CLOSED"]
const teams = ["support", "billing", "ops"]

export const startHelpline = (token = "helpline-token", seed = 12): Promise<Helpline> => {
  const cases: Array<Case> = []
  const comments = new Map<string, Array<{ id: number; text: string; internal: boolean; at: string }>>()
  let next = 1
  let nextComment = 1
  const now = () => new Date().toISOString()
  const add = (c: Omit<Case, "ref" | "opened_at" | "changed_at">) => {
    const ref = `C-${next++}`
    const at = now()
    const created: Case = { ref, opened_at: at, changed_at: at, ...c }
    cases.push(created)
    comments.set(ref, [])
    return created
  }
  for (let i = 0; i < seed; i++) {
    add({ headline: `Case ${i + 1}: ${["printer", "invoice", "vpn"][i % 3]} trouble`, details: null, status: "NEW", urgency: ((i % 4) + 1) as Case["urgency"], team: teams[i % 3]! })
  }
  const server: Server = createServer((req, res) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" })
      res.end(JSON.stringify(body))
    }
    if (req.headers["x-helpline-token"] !== token) return send(401, { problem: "bad token" })
    const url = new URL(req.url ?? "/", "http://helpline.invalid")
    const parts = url.pathname.split("/").filter(Boolean).map(decodeURIComponent)
    let raw = ""
    req.on("data", (chunk: Buffer) => (raw += chunk.toString("utf8")))
    req.on("end", () => {
      const body = raw === "" ? {} : JSON.parse(raw) as Record<string, unknown>
      if (parts[0] !== "v1" || parts[1] !== "cases") return send(404, { problem: "no such endpoint" })
      if (parts.length === 2 && req.method === "GET") {
        const list = (name: string) => url.searchParams.get(name)?.split(",")
        const q = url.searchParams.get("q")?.toLowerCase()
        const since = url.searchParams.get("changed_since")
        const matching = cases.filter((c) =>
          (list("status")?.includes(c.status) ?? true) &&
          (list("urgency")?.includes(String(c.urgency)) ?? true) &&
          (list("team")?.includes(c.team) ?? true) &&
          (since === null || c.changed_at >= new Date(since).toISOString()) &&
          (q === undefined || `${c.headline} ${c.details ?? ""}`.toLowerCase().includes(q))
        )
        const page = Number(url.searchParams.get("page") ?? 1)
        const size = Math.min(50, Number(url.searchParams.get("size") ?? 20))
        return send(200, { cases: matching.slice((page - 1) * size, page * size), page, pages: Math.max(1, Math.ceil(matching.length / size)), count: matching.length })
      }
      if (parts.length === 2 && req.method === "POST") {
        if (typeof body.headline !== "string" || body.headline === "") return send(422, { problem: "headline is required" })
        if (!teams.includes(body.team as string)) return send(422, { problem: `unknown team ${String(body.team)}` })
        return send(201, add({ headline: body.headline, details: (body.details as string) ?? null, status: (body.status as Case["status"]) ?? "NEW", urgency: (body.urgency as Case["urgency"]) ?? 2, team: body.team as string }))
      }
      const found = cases.find((c) => c.ref === parts[2])
      if (found === undefined) return send(404, { problem: "no such case" })
      if (parts.length === 3 && req.method === "GET") return send(200, found)
      if (parts.length === 3 && req.method === "PATCH") {
        if (body.status !== undefined && !statuses.includes(body.status as string)) return send(422, { problem: `unknown status ${String(body.status)}` })
        if (body.team !== undefined && !teams.includes(body.team as string)) return send(422, { problem: `unknown team ${String(body.team)}` })
        Object.assign(found, body, { changed_at: now() })
        return send(200, found)
      }
      if (parts.length === 4 && parts[3] === "comments" && req.method === "POST") {
        comments.get(found.ref)!.push({ id: nextComment++, text: String(body.text), internal: body.internal === true, at: now() })
        found.changed_at = now()
        return send(201, { ok: true })
      }
      if (parts.length === 4 && parts[3] === "comments" && req.method === "GET") return send(200, { comments: comments.get(found.ref) })
      return send(405, { problem: "method not allowed" })
    })
  })
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => {
      const address = server.address() as { port: number }
      resolve({ url: `http://127.0.0.1:${address.port}`, token, close: () => new Promise((r) => server.close(() => r())) })
    })
  )
}
