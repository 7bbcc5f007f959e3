import { NodeFileSystem } from "@effect/platform-node"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Schema } from "effect"
import { Registry } from "ticketkit"
import { project, runCli } from "./support/RunCli.js"

const pkg = (name: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ name, version: "1.0.0", type: "module", ticketkit: { plugin: "./plugin.js" }, ...extra })

/** a working plugin: an adapter over a fixed list of tickets */
const goodPlugin = `
import { Context, Effect, Layer, Schema } from "effect"
const Port = Context.GenericTag("ticketkit/TicketSystemAdapter")
const none = () => Effect.succeed([])
export const setup = (registry) => registry.register({
  name: "fixed",
  description: "a fixed list of tickets (test plugin)",
  options: Schema.Struct({ greeting: Schema.String }),
  layer: (options, { system }) => Layer.succeed(Port, {
    name: system, kind: "fixed",
    capabilities: { createTickets: false, publicNotes: false, internalNotes: false, htmlNotes: false, textSearch: false, tags: false, maxPageSize: 10, states: ["new"] },
    fetchTickets: none, fetchPage: () => Effect.succeed({ items: [] }), searchTickets: none,
    streamTickets: () => { throw new Error("unused") },
    getTicket: (id) => Effect.die(options.greeting + " " + id),
    createTicket: none, updateTicket: none, addNote: none, listNotes: none
  })
})
`

const plugins: Record<string, string> = {
  "node_modules/good-plugin/package.json": pkg("good-plugin", { peerDependencies: { ticketkit: "^0.1.0" } }),
  "node_modules/good-plugin/plugin.js": goodPlugin,
  "node_modules/bad-missing/package.json": JSON.stringify({ name: "bad-missing", type: "module", ticketkit: { plugin: "./dist/plugin.js" } }),
  "node_modules/bad-throws/package.json": pkg("bad-throws"),
  "node_modules/bad-throws/plugin.js": `throw new Error("boom at import")`,
  "node_modules/bad-setup-throws/package.json": pkg("bad-setup-throws"),
  "node_modules/bad-setup-throws/plugin.js": `export const setup = () => { throw new Error("no database") }`,
  "node_modules/bad-shape/package.json": pkg("bad-shape"),
  "node_modules/bad-shape/plugin.js": `export const register = () => {}`,
  "node_modules/bad-not-effect/package.json": pkg("bad-not-effect"),
  "node_modules/bad-not-effect/plugin.js": `export const setup = async () => {}`,
  "node_modules/@acme/bad-duplicate/package.json": pkg("@acme/bad-duplicate"),
  "node_modules/@acme/bad-duplicate/plugin.js": `
import { Effect, Layer, Schema } from "effect"
export const setup = (registry) => registry.register({ name: "rest", description: "mine", options: Schema.Unknown, layer: () => Layer.empty })`,
  "node_modules/bad-version/package.json": pkg("bad-version", { peerDependencies: { ticketkit: "^2.0.0" } }),
  "node_modules/bad-version/plugin.js": goodPlugin.replace(`name: "fixed"`, `name: "never-loaded"`),
  "node_modules/bad-path/package.json": JSON.stringify({ name: "bad-path", ticketkit: { plugin: "../../../../etc/passwd" } }),
  "node_modules/not-a-plugin/package.json": JSON.stringify({ name: "not-a-plugin", version: "1.0.0" })
}

describe("AdapterRegistry", () => {
  it.effect("registering a name twice is an error naming both sources", () =>
    Effect.gen(function*() {
      const registry = yield* Registry.make
      const definition = { name: "x", description: "", options: Schema.Unknown, layer: () => { throw new Error("unused") } }
      yield* registry.register(definition, "first-package")
      const error = yield* Effect.flip(registry.register(definition, "second-package"))
      assert.strictEqual(error.message, `adapter "x" from second-package is already registered by first-package`)
    }))

  it.effect("discovers plugins; each broken one is a PluginError naming the package, the others still load", () =>
    Effect.gen(function*() {
      const dir = project("plugins", plugins)
      const registry = yield* Registry.AdapterRegistry
      const discovery = yield* Registry.discover(dir)
      assert.deepStrictEqual(discovery.loaded, [{ packageName: "good-plugin", adapters: ["fixed"] }])
      assert.deepStrictEqual(discovery.errors.map((e) => e.message).sort(), [
        `plugin @acme/bad-duplicate: adapter "rest" from @acme/bad-duplicate is already registered by ticketkit`,
        "plugin bad-missing: the plugin module ./dist/plugin.js does not exist (is the package built?)",
        "plugin bad-not-effect: setup(registry) must return an Effect",
        "plugin bad-path: the plugin module ../../../../etc/passwd is outside the package",
        "plugin bad-setup-throws: setup threw: no database",
        "plugin bad-shape: ./plugin.js does not export a setup(registry) function",
        "plugin bad-throws: loading ./plugin.js failed: boom at import",
        "plugin bad-version: requires ticketkit ^2.0.0, but this is ticketkit 0.1.0"
      ])
      assert.isTrue(discovery.errors.every((e) => e._tag === "PluginError"))
      const names = (yield* registry.list).map((r) => `${r.name} (${r.source})`)
      assert.deepStrictEqual(names, [
        "in-memory (ticketkit)", "rest (ticketkit)", "redmine (ticketkit)", "request-tracker (ticketkit)", "rt (ticketkit)", "zammad (ticketkit)", "otobo (ticketkit)", "znuny (ticketkit)", "fixed (good-plugin)"
      ])
    }).pipe(Effect.provide(Registry.layer()), Effect.provide(NodeFileSystem.layer)))

  it.effect("ticketkit systems lists plugins and their problems; a plugin adapter works from the config", () =>
    Effect.gen(function*() {
      const dir = project("plugins-cli", {
        ...plugins,
        "ticketkit.yaml": "systems:\n  fixed-one:\n    adapter: fixed\n    options: { greeting: hello }\n"
      })
      const systems = yield* runCli(dir, "systems")
      assert.strictEqual(systems.code, 0)
      assert.include(systems.out, "fixed              good-plugin            a fixed list of tickets (test plugin)")
      assert.include(systems.out, "! plugin bad-throws: loading ./plugin.js failed: boom at import")
      assert.include(systems.out, "fixed-one          fixed")
      const fetched = yield* runCli(dir, "fetch")
      assert.strictEqual(fetched.code, 0, fetched.err)
      assert.strictEqual(fetched.out, "no tickets")
    }))
})
