/**
 * The tests that run on every supported Node.js version (20, 22, 24): all but those that need the
 * live Redmine and Request Tracker, a native addon built for the machine's Node.js (better-sqlite3,
 * behind the SQLite checkpoints), or a packed install (`scripts/test-node-versions.sh` uses it).
 */
import { defineConfig, mergeConfig } from "vitest/config"
import base from "./vitest.config.js"

export default mergeConfig(base, defineConfig({
  test: {
    exclude: [
      "**/node_modules/**",
      ".tmp/**",
      // live systems
      "test/redmine/Concurrency.test.ts",
      "test/redmine/Paging.test.ts",
      "test/redmine/Redmine.contract.test.ts",
      "test/redmine/Redmine.test.ts",
      "test/request-tracker/*.live.test.ts",
      "test/request-tracker/RequestTracker.contract.test.ts",
      "test/reliability/Secrets.test.ts",
      "test/pipeline/mirror.live.test.ts",
      // better-sqlite3 is built for the machine's Node.js
      "test/pipeline/Checkpoint.test.ts",
      "test/pipeline/Restart.test.ts",
      // packs and installs with the machine's npm
      "test/PluginPackage.test.ts"
    ]
  }
}))
