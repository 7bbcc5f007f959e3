/**
 * The contract suite against the live Request Tracker 5 (scripts/rt/start.sh). Fails, never
 * skips, when RT is not running.
 */
import { AdapterContract } from "../../src/testing/index.js"
import { requireRt, rtLayer } from "./env.js"

requireRt()

AdapterContract.suite("RequestTracker ↔ live RT 5 (REST2)", rtLayer(), {
  queue: { name: "Support" },
  otherQueue: { name: "Sales" },
  timeout: 60_000
})
