/**
 * The plugin entry point ticketkit loads (declared in package.json as `"ticketkit": { "plugin":
 * "./dist/plugin.js" }`): it registers the Helpline adapter under the name `helpline`.
 */
import { Layer } from "effect"
import type { Registry } from "ticketkit"
import { TicketSystemAdapter } from "ticketkit"
import { make, Options } from "./adapter.js"

export const setup = (registry: Registry.PluginRegistry) =>
  registry.register({
    name: "helpline",
    description: "Helpline, a small REST help desk (options: baseUrl, token)",
    options: Options,
    layer: (options: Options, { system }: { readonly system: string }) =>
      Layer.effect(TicketSystemAdapter.TicketSystemAdapter, make({ ...options, name: options.name === "helpline" ? system : options.name }))
  })
