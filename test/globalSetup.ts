/** Clears the scratch directories tests make under .tmp/ before a run. */
import * as fs from "node:fs"
import * as path from "node:path"

export default function setup() {
  fs.rmSync(path.resolve(import.meta.dirname, "../.tmp"), { recursive: true, force: true })
}
