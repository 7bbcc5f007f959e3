/**
 * What the registry (and a configuration file) knows of an adapter: its name, a description, the
 * Schema of its options and a layer constructor. Each adapter module exports its own `definition`;
 * the registry lists them. This module sits below both, so that neither imports the other.
 *
 * @example
 * ```ts
 * import { Layer, Schema } from "effect"
 * import { AdapterDefinition, TicketSystemAdapter } from "ticketkit"
 *
 * declare const makeHelpline: (options: { readonly baseUrl: string }) => TicketSystemAdapter.Service
 *
 * export const definition = AdapterDefinition.make({
 *   name: "helpline",
 *   description: "the Helpline help desk",
 *   options: Schema.Struct({ baseUrl: Schema.String }),
 *   layer: (options) => Layer.succeed(TicketSystemAdapter.TicketSystemAdapter, makeHelpline(options))
 * })
 * ```
 *
 * @since 0.1.0
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import type * as Layer from "effect/Layer"
import type * as Schema from "effect/Schema"
import type { AdapterError, ConfigurationError } from "./AdapterError.js"
import type { TicketSystemAdapter } from "./TicketSystemAdapter.js"

/**
 * What building an adapter's layer can fail with: a bad configuration, or the system refusing or
 * failing the lookups the adapter makes when it starts (statuses, queues, credentials).
 *
 * @since 0.1.0
 * @category models
 */
export type LayerError = AdapterError | ConfigurationError

/**
 * An adapter as a configuration file names it.
 *
 * @since 0.1.0
 * @category models
 */
export interface AdapterDefinition<A, I = A> {
  /** the name configurations use (`adapter: rest`) */
  readonly name: string
  readonly description: string
  /** decodes the options of a configured system */
  readonly options: Schema.Schema<A, I, never>
  /** the adapter's layer for decoded options; `system` is the configured system's name */
  readonly layer: (
    options: A,
    context: { readonly system: string }
  ) => Layer.Layer<TicketSystemAdapter, LayerError, HttpClient.HttpClient>
}

/**
 * An adapter definition of any options (what a registry holds).
 *
 * @since 0.1.0
 * @category models
 */
export interface Any {
  readonly name: string
  readonly description: string
  readonly options: Schema.Schema<any, any, never>
  readonly layer: (
    options: any,
    context: { readonly system: string }
  ) => Layer.Layer<TicketSystemAdapter, LayerError, HttpClient.HttpClient>
}

/**
 * Defines an adapter (an identity that checks the types).
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = <A, I>(definition: AdapterDefinition<A, I>): AdapterDefinition<A, I> => definition
