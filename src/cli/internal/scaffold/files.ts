/**
 * Every file of a scaffolded adapter package, by its path inside the package.
 *
 * @internal
 */
import type { Names } from "./names.js"
import * as Project from "./project.js"
import * as Sources from "./sources.js"
import * as Tests from "./tests.js"

/** a file to write: its path inside the package (`/`-separated) and its content */
export interface File {
  readonly path: string
  readonly content: string
}

/** the files of the package, in the order they are written and listed */
export const files = (n: Names): ReadonlyArray<File> => [
  { path: "package.json", content: Project.packageJson(n) },
  { path: "README.md", content: Project.readme(n) },
  { path: "ticketkit.yaml", content: Project.ticketkitYaml(n) },
  { path: "tsconfig.json", content: Project.tsconfig() },
  { path: "tsconfig.build.json", content: Project.tsconfigBuild() },
  { path: ".gitignore", content: Project.gitignore() },
  { path: "src/Client.ts", content: Sources.client(n) },
  { path: "src/Mapping.ts", content: Sources.mapping(n) },
  { path: "src/index.ts", content: Sources.index(n) },
  { path: "test/SystemDouble.ts", content: Tests.systemDouble(n) },
  { path: "test/contract.test.ts", content: Tests.contractTest(n) },
  { path: "test/Mapping.test.ts", content: Tests.mappingTest(n) }
]
