/**
 * A system configured the way a user configures one: a `ticketkit.yaml` text, parsed and resolved
 * by `Config.resolve` (the CLI's path: `${env:…}` secrets, the registry's `rest` adapter, the
 * default retry policy), with its adapter layer on the undici client.
 */
import { NodeHttpClient } from "@effect/platform-node"
import { ConfigProvider, Effect, Layer } from "effect"
import * as Config from "../../src/Config.js"
import * as Registry from "../../src/Registry.js"
import type { TicketSystemAdapter } from "../../src/TicketSystemAdapter.js"

/** the `ticketkit.yaml` of one `rest` system with a preset; `options` are YAML lines under `options:` */
export const presetYaml = (system: string, preset: string, options: ReadonlyArray<string>): string =>
  [
    "systems:",
    `  ${system}:`,
    "    adapter: rest",
    "    options:",
    `      preset: ${preset}`,
    ...options.map((line) => `      ${line}`)
  ].join("\n") + "\n"

/** the configuration resolved as the CLI does, with `env` as the environment */
export const resolve = (yaml: string, env: Readonly<Record<string, string>>) =>
  Config.parse(yaml, "ticketkit.yaml").pipe(
    Effect.flatMap((raw) => Config.resolve(raw, "ticketkit.yaml")),
    Effect.flatMap((config) => Config.select(config)),
    Effect.provide(Registry.layer()),
    Effect.withConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env))))
  )

/** the adapter layer of the configured system (on the undici client) */
export const layerOf = (yaml: string, env: Readonly<Record<string, string>>): Layer.Layer<TicketSystemAdapter, unknown> =>
  Layer.unwrapEffect(Effect.map(resolve(yaml, env), (system) => system.layer)).pipe(
    Layer.provide(NodeHttpClient.layerUndici),
    // the environment is read again when the layer is built (secrets scrubbed from errors)
    Layer.provide(Layer.setConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env)))))
  )
