/**
 * The machine's ceiling for the updates bench: a bare `node:http` server (no framework, no store)
 * that reads the body, waits `latencyMs`, and answers a fixed ticket. Prints nothing; sends
 * `{ type: "ready", url }` over IPC.
 */
import { createServer } from "node:http"

const latencyMs = Number(process.argv[2] ?? 10)
const answer = JSON.stringify({ id: 1, subject: "s", body: "b", status: "open", priority_level: "high", department_id: 1, department_name: "Incoming", tags: [], custom_fields: {}, created: "2026-01-01T00:00:00.000Z", modified: "2026-01-01T00:00:00.000Z" })
const server = createServer((request, response) => {
  request.resume()
  request.on("end", () =>
    setTimeout(() => {
      response.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(answer) })
      response.end(answer)
    }, latencyMs))
})
server.listen(0, "127.0.0.1", () => {
  const address = server.address()
  process.send?.({ type: "ready", url: `http://127.0.0.1:${typeof address === "object" && address !== null ? address.port : 0}` })
})
process.on("disconnect", () => process.exit(0))
