/**
 * The names of a scaffolded adapter package, from the name given to `ticketkit new adapter`:
 * the npm package name, the adapter's name in configuration files, and the forms the templates
 * need (a PascalCase name, an environment variable prefix).
 *
 * @internal
 */
import * as Either from "effect/Either"

/**
 * The names of one scaffolded package.
 */
export interface Names {
  /** the adapter's name in configuration files (`adapter: acme`) */
  readonly adapter: string
  /** a display and type name, e.g. `AcmeDesk` for `acme-desk` */
  readonly pascal: string
  /** the prefix of its environment variables, e.g. `ACME_DESK` */
  readonly env: string
  /** the npm package name, e.g. `ticketkit-adapter-acme` or `@acme/ticketkit-adapter-desk` */
  readonly packageName: string
  /** the default directory: the package name without its scope */
  readonly directoryName: string
}

/** the prefix of unscoped plugin packages */
export const PREFIX = "ticketkit-adapter-"

/** npm's limit on a package name, scope included */
const MAX_PACKAGE_NAME = 214

/** the longest adapter name accepted (it becomes a type name and an environment variable) */
const MAX_ADAPTER_NAME = 50

/** lowercase letters, digits and single hyphens, starting with a letter */
const ADAPTER = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/

/** what npm accepts in a new package name (or a scope): lowercase, URL-safe, no leading `.` or `_` */
const NPM_PART = /^[a-z0-9-][a-z0-9._-]*$/

const pascalOf = (adapter: string) => adapter.split("-").map((part) => part.charAt(0).toUpperCase() + part.slice(1)).join("")

/**
 * The names for what was typed: `acme` → `ticketkit-adapter-acme` (adapter `acme`);
 * `ticketkit-adapter-acme` → the same; `@scope/name` is kept as the package name, its adapter
 * named after the part after the slash (without the `ticketkit-adapter-` prefix). On the left,
 * why the name cannot be used, with what to do instead.
 */
export const namesOf = (input: string, taken: ReadonlyArray<string>): Either.Either<Names, string> => {
  const shown = JSON.stringify(input)
  if (input === "") return Either.left(`the name is empty: give the adapter's name, such as "acme-desk"`)
  let packageName: string
  let unscoped: string
  if (input.startsWith("@")) {
    const match = /^@([^/]*)\/([^/]*)$/.exec(input)
    if (match === null) return Either.left(`${shown} is not a scoped npm package name: write it as @scope/name`)
    const [, scope = "", name = ""] = match
    if (!NPM_PART.test(scope)) {
      return Either.left(`${shown} has an invalid npm scope: use lowercase letters, digits, "-", "." and "_" (not first)`)
    }
    packageName = input
    unscoped = name
  } else {
    unscoped = input
    packageName = input.startsWith(PREFIX) ? input : `${PREFIX}${input}`
  }
  const adapter = unscoped.startsWith(PREFIX) ? unscoped.slice(PREFIX.length) : unscoped
  if (adapter === "") return Either.left(`${shown} names no adapter: add its name after "${PREFIX}"`)
  if (!NPM_PART.test(unscoped) || !ADAPTER.test(adapter)) {
    return Either.left(
      `${shown} cannot name an adapter package: use lowercase letters, digits and single hyphens, starting with a letter (e.g. "acme-desk")`
    )
  }
  if (adapter.length > MAX_ADAPTER_NAME) return Either.left(`${shown} is too long: an adapter name has at most ${MAX_ADAPTER_NAME} characters`)
  if (packageName.length > MAX_PACKAGE_NAME) return Either.left(`${shown} is too long: npm package names have at most ${MAX_PACKAGE_NAME} characters`)
  if (taken.includes(adapter)) {
    return Either.left(`"${adapter}" is the name of an adapter built into ticketkit: choose another (e.g. "${adapter}-custom")`)
  }
  return Either.right({
    adapter,
    pascal: pascalOf(adapter),
    env: adapter.toUpperCase().replace(/-/g, "_"),
    packageName,
    directoryName: packageName.replace(/^@[^/]*\//, "")
  })
}
