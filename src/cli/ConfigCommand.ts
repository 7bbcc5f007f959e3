/**
 * `ticketkit config schema`: prints the JSON Schema of `ticketkit.yaml` (see `ConfigSchema`) for
 * the built-in adapters and those of the project's plugins, on stdout, for editors:
 *
 * ```sh
 * ticketkit config schema > ticketkit.schema.json
 * # then, as the first line of ticketkit.yaml:
 * # yaml-language-server: $schema=./ticketkit.schema.json
 * ```
 *
 * The plugins are those of the project that holds the configuration file (found upward from the
 * working directory), else of the working directory; a plugin that cannot be loaded is named on
 * stderr and the schema is printed without it.
 *
 * @since 0.1.0
 */
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Config from "../Config.js"
import * as ConfigSchema from "../ConfigSchema.js"
import * as Registry from "../Registry.js"

const configOption = Options.text("config").pipe(
  Options.withAlias("c"),
  Options.withDescription(`the configuration file whose project's plugins are described (default: the nearest ${Config.DEFAULT_FILE})`),
  Options.optional
)

/**
 * The `config` command and its subcommands, given where the command line runs (its working
 * directory, as an Effect of the command line's environment).
 *
 * @since 0.1.0
 * @category commands
 */
export const make = <R>(cwd: Effect.Effect<string, never, R>) => {
  const schema = Command.make("schema", { config: configOption }, ({ config }) =>
    Effect.gen(function*() {
      const directory = yield* cwd
      const located = yield* Effect.orElseSucceed(Config.locate({ file: Option.getOrUndefined(config), cwd: directory }), () => undefined)
      const discovery = yield* Registry.discover(located?.directory ?? directory)
      for (const error of discovery.errors) yield* Console.error(`ticketkit: ${error.message} (left out of the schema)`)
      const adapters = yield* Effect.flatMap(Registry.AdapterRegistry, (registry) => registry.list)
      yield* Console.log(ConfigSchema.render(ConfigSchema.make({ adapters }).schema).trimEnd())
    })).pipe(Command.withDescription("print the JSON Schema of ticketkit.yaml (built-in adapters and the project's plugins), for editors"))

  return Command.make("config").pipe(
    Command.withDescription("the configuration file: `config schema` prints its JSON Schema"),
    Command.withSubcommands([schema])
  )
}
