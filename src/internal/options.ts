/**
 * One way for every adapter and client to take its options: the user-facing (encoded) form,
 * defaults applied by the Schema, excess keys refused, failures as `ConfigurationError`.
 *
 * @internal
 */
import type * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { ConfigurationError } from "../AdapterError.js"
import { formatParseError } from "../SearchCriteria.js"

/** decodes user-facing options with their Schema (defaults inside), naming every bad key */
export const decode = <A, I>(schema: Schema.Schema<A, I, never>, adapter: string) =>
(input: I): Effect.Effect<A, ConfigurationError> =>
  Schema.decodeUnknown(schema, { onExcessProperty: "error" })(input).pipe(
    Effect.mapError((error) => new ConfigurationError({ adapter, detail: formatParseError(error) }))
  )

/** reads options from a `Config`, then decodes them */
export const fromConfig = <A, I>(schema: Schema.Schema<A, I, never>, adapter: string) =>
(config: Config.Config<I>): Effect.Effect<A, ConfigurationError | ConfigError.ConfigError> =>
  Effect.flatMap(config, decode(schema, adapter))

