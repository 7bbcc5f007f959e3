/**
 * Clears stale scratch directories tests made under .tmp/ (older than an hour). Every test makes
 * its own directory (named with its process id), so runs that overlap do not remove each other's.
 */
import * as fs from "node:fs"
import * as path from "node:path"

const staleAfterMs = 60 * 60 * 1000

export default function setup() {
  const root = path.resolve(import.meta.dirname, "../.tmp")
  if (!fs.existsSync(root)) return
  const now = Date.now()
  for (const entry of fs.readdirSync(root)) {
    const full = path.join(root, entry)
    try {
      if (now - fs.statSync(full).mtimeMs > staleAfterMs) fs.rmSync(full, { recursive: true, force: true })
    } catch {
      // removed meanwhile by another run
    }
  }
}
