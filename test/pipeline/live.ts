/**
 * Both live systems in one program, for the pipeline tests: Request Tracker as `named("rt")` and
 * Redmine as `named("redmine")`, with the env helpers of their own suites — so that when either
 * server is not there, every test FAILS (never skips) with the message saying how to start it.
 * Each has a retry policy, as a real program would: the servers are shared with other suites
 * running at the same time, and a passing 5xx or timeout is not what these tests are about.
 */
import { Layer } from "effect"
import * as Retry from "../../src/Retry.js"
import * as TicketSystemAdapter from "../../src/TicketSystemAdapter.js"
import { adapterLayer } from "../redmine/env.js"
import { rtLayer } from "../request-tracker/env.js"

export { describeLive, marker, projects } from "../redmine/env.js"
export { readRtEnv, rtEnv } from "../request-tracker/env.js"

const policy = Retry.exponential({ attempts: 4, base: "250 millis", max: "2 seconds" })

/** `named("rt")` on the live RT and `named("redmine")` on the live Redmine (admin key). */
export const SystemsLive: Layer.Layer<TicketSystemAdapter.Named<"rt"> | TicketSystemAdapter.Named<"redmine">, unknown> = Layer.mergeAll(
  TicketSystemAdapter.layerAs(Retry.layer(policy).pipe(Layer.provide(rtLayer())), "rt"),
  TicketSystemAdapter.layerAs(Retry.layer(policy).pipe(Layer.provide(adapterLayer())), "redmine")
)
