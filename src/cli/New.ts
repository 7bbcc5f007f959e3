/**
 * `ticketkit new adapter <name>`: writes a plugin package for an adapter of one's own help desk —
 * a driver skeleton on the current driver shape (typed client, pure mapping, small driver,
 * `definition` and `setup`), a system double (a real HTTP server) it works against, ticketkit's
 * contract suite wired to `npm test`, a README and a `ticketkit.yaml` example.
 *
 * The package is named `ticketkit-adapter-<name>` (a scoped name such as `@acme/desk` is kept as
 * given) and registers the adapter `<name>`. It is written into `--directory`, by default a
 * directory named after the package in the working directory; an existing directory must be empty.
 *
 * @since 0.1.0
 */
import * as Args from "@effect/cli/Args"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as FileSystem from "@effect/platform/FileSystem"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as path from "node:path"
import { escapeControls } from "./Output.js"

/**
 * The name given cannot name an adapter package.
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidAdapterNameError extends Schema.TaggedError<InvalidAdapterNameError>("ticketkit/InvalidAdapterNameError")(
  "InvalidAdapterNameError",
  { name: Schema.String, reason: Schema.String }
) {
  /**
   * @since 0.1.0
   */
  override get message(): string {
    return this.reason
  }
}

/**
 * The directory to write into already holds something.
 *
 * @since 0.1.0
 * @category errors
 */
export class DirectoryNotEmptyError extends Schema.TaggedError<DirectoryNotEmptyError>("ticketkit/DirectoryNotEmptyError")(
  "DirectoryNotEmptyError",
  { directory: Schema.String, isFile: Schema.Boolean }
) {
  /**
   * @since 0.1.0
   */
  override get message(): string {
    return `${this.directory} ${this.isFile ? "is a file" : "already exists and is not empty"}: choose another directory with --directory`
  }
}

/**
 * A file of the package could not be written (nothing of the package is left behind in a
 * directory the scaffold created).
 *
 * @since 0.1.0
 * @category errors
 */
export class ScaffoldWriteError extends Schema.TaggedError<ScaffoldWriteError>("ticketkit/ScaffoldWriteError")(
  "ScaffoldWriteError",
  { path: Schema.String, reason: Schema.String }
) {
  /**
   * @since 0.1.0
   */
  override get message(): string {
    return `could not write ${this.path}: ${this.reason}`
  }
}

/**
 * What the scaffold wrote.
 *
 * @since 0.1.0
 * @category models
 */
export interface Scaffolded {
  /** the package's directory (absolute) */
  readonly directory: string
  /** its npm name */
  readonly packageName: string
  /** the adapter it registers (`adapter: <name>` in `ticketkit.yaml`) */
  readonly adapter: string
  /** the files written, relative to `directory`, `/`-separated */
  readonly files: ReadonlyArray<string>
}

/**
 * What to scaffold, and where.
 *
 * @since 0.1.0
 * @category models
 */
export interface AdapterOptions {
  /** `acme`, `ticketkit-adapter-acme` or a scoped package name (`@acme/desk`) */
  readonly name: string
  /** where to write the package; relative to `cwd`; default: a directory named after the package */
  readonly directory?: string | undefined
  /** the directory relative paths start from */
  readonly cwd: string
}

/**
 * The npm package name and adapter name for a name as typed, or why it cannot be used.
 *
 * @since 0.1.0
 * @category names
 */
export const namesOf = (name: string): Effect.Effect<{ readonly packageName: string; readonly adapter: string }, InvalidAdapterNameError> =>
  Effect.map(resolveNames(name), ({ adapter, packageName }) => ({ adapter, packageName }))

const resolveNames = (name: string) =>
  Effect.gen(function*() {
    const [Names, { builtins }] = yield* Effect.promise(() => Promise.all([import("./internal/scaffold/names.js"), import("../Registry.js")]))
    const names = Names.namesOf(name, builtins.map((definition) => definition.name))
    return Either.isLeft(names) ? yield* new InvalidAdapterNameError({ name, reason: names.left }) : names.right
  })

/** the directory is missing or empty; `true` when it is missing (the scaffold then creates it) */
const checkTarget = (files: FileSystem.FileSystem, directory: string) =>
  Effect.gen(function*() {
    const info = yield* Effect.option(files.stat(directory))
    if (Option.isNone(info)) return true
    if (info.value.type !== "Directory") return yield* new DirectoryNotEmptyError({ directory, isFile: true })
    const entries = yield* files.readDirectory(directory)
    if (entries.length > 0) return yield* new DirectoryNotEmptyError({ directory, isFile: false })
    return false
  })

/**
 * Writes an adapter package: names checked, the directory missing or empty, then every file. If a
 * file cannot be written, a directory the scaffold created is removed again.
 *
 * @since 0.1.0
 * @category scaffolding
 */
export const adapter = (
  options: AdapterOptions
): Effect.Effect<Scaffolded, InvalidAdapterNameError | DirectoryNotEmptyError | ScaffoldWriteError, FileSystem.FileSystem> =>
  Effect.gen(function*() {
    const names = yield* resolveNames(options.name)
    const { files: templates } = yield* Effect.promise(() => import("./internal/scaffold/files.js"))
    const fs = yield* FileSystem.FileSystem
    const directory = path.resolve(options.cwd, options.directory ?? names.directoryName)
    const writeError = (file: string) => (error: { readonly message: string }) =>
      new ScaffoldWriteError({ path: file, reason: error.message })
    const created = yield* checkTarget(fs, directory).pipe(
      Effect.catchTag("SystemError", "BadArgument", writeError(directory))
    )
    const files = templates(names)
    yield* Effect.forEach(files, (file) => {
      const target = path.join(directory, ...file.path.split("/"))
      return fs.makeDirectory(path.dirname(target), { recursive: true }).pipe(
        Effect.zipRight(fs.writeFileString(target, file.content)),
        Effect.mapError(writeError(target))
      )
    }, { discard: true }).pipe(
      Effect.tapError(() => created ? Effect.ignore(fs.remove(directory, { recursive: true })) : Effect.void)
    )
    return { directory, packageName: names.packageName, adapter: names.adapter, files: files.map((f) => f.path) }
  })

// -----------------------------------------------------------------------------
// the command
// -----------------------------------------------------------------------------

const report = (cwd: string, result: Scaffolded) => {
  const shown = escapeControls(path.relative(cwd, result.directory) || ".")
  return Console.log([
    `created ${result.packageName} (adapter "${result.adapter}") in ${shown}:`,
    ...result.files.map((file) => `  ${file}`),
    "next:",
    ...(shown === "." ? [] : [`  cd ${shown}`]),
    "  npm install",
    "  npm test            # the contract suite against the system double",
    "then make it speak your system's API: README.md says what to change first"
  ].join("\n"))
}

/**
 * The `new` command (`ticketkit new adapter <name> [--directory <dir>]`), given how to read the
 * working directory.
 *
 * @since 0.1.0
 * @category commands
 */
export const command = <R>(cwd: Effect.Effect<string, never, R>) => {
  const adapterCommand = Command.make("adapter", {
    directory: Options.text("directory").pipe(
      Options.withAlias("d"),
      Options.withDescription("where to write the package (default: a new directory named after the package)"),
      Options.optional
    ),
    name: Args.text({ name: "NAME" }).pipe(
      Args.withDescription("the adapter's name (the package is ticketkit-adapter-NAME), or a scoped package name such as @acme/desk")
    )
  }, (o) =>
    Effect.gen(function*() {
      const from = yield* cwd
      const result = yield* adapter({ name: o.name, directory: Option.getOrUndefined(o.directory), cwd: from })
      yield* report(from, result)
    })).pipe(
      Command.withDescription("write a plugin package for an adapter of your own help desk: driver skeleton, system double, contract tests")
    )
  return Command.make("new").pipe(
    Command.withDescription("start something new: `ticketkit new adapter NAME` writes an adapter plugin package"),
    Command.withSubcommands([adapterCommand])
  )
}
