/**
 * What a preset of the REST adapter is: a description, the variables a configuration must give,
 * and the options of the system's API (without the account).
 *
 * @since 0.1.0
 */
import type { OptionsInput } from "../schemas.js"

/**
 * A preset: what it is for, the variables a configuration must give, and the options of the
 * system's API, without the account (`baseUrl` where every installation shares it, never `auth`).
 *
 * @since 0.1.0
 * @category models
 */
export interface Preset {
  readonly description: string
  /** the names a configuration must give under `variables` (put in for `{name}` in paths and templates) */
  readonly variables: ReadonlyArray<string>
  readonly options: Omit<OptionsInput, "preset" | "auth" | "variables" | "name">
}
