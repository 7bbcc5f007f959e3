// A contract suite whose adapter cannot be set up is a red run, never a quiet one: every check
// fails with the reason (run in a vitest of its own, whose report is read).
import { assert, describe, it } from "@effect/vitest"
import { spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"

const root = path.resolve(import.meta.dirname, "../..")

describe("AdapterContract.suite when the adapter cannot be set up", () => {
  it("fails every check with the reason and skips none", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ticketkit-setup-failure-"))
    try {
      const report = path.join(dir, "report.json")
      const run = spawnSync(path.join(root, "node_modules", ".bin", "vitest"), [
        "run", "--config", "test/contract/fixtures/vitest.config.ts",
        "--reporter=json", `--outputFile=${report}`
      ], { cwd: root, encoding: "utf8", env: { ...process.env, CI: "true" } })
      assert.notStrictEqual(run.status, 0, "the run is red")
      const json = JSON.parse(fs.readFileSync(report, "utf8")) as {
        numTotalTests: number
        numFailedTests: number
        numPendingTests: number
        testResults: ReadonlyArray<{ assertionResults: ReadonlyArray<{ failureMessages: ReadonlyArray<string> }> }>
      }
      assert.isAtLeast(json.numTotalTests, 20)
      assert.strictEqual(json.numFailedTests, json.numTotalTests, "every check fails")
      assert.strictEqual(json.numPendingTests, 0, "none is skipped")
      for (const result of json.testResults.flatMap((file) => file.assertionResults)) {
        assert.include(result.failureMessages.join("\n"), "could not be set up: connection refused by 127.0.0.1:9")
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  }, 120_000)
})
