/**
 * The project files of a scaffolded adapter package: `package.json`, the TypeScript
 * configurations, `.gitignore`, a `ticketkit.yaml` example and the README.
 *
 * @internal
 */
import { version } from "../../../version.js"
import type { Names } from "./names.js"

/**
 * The ranges the package declares. They follow ticketkit's own `package.json` (its peer ranges for
 * `effect` and `@effect/*`, its dev tools, its `engines`); `test/cli/New.test.ts` checks that they
 * still do.
 */
export const ranges = {
  ticketkit: `^${version}`,
  effect: "~3.22.4",
  "@effect/platform": "^0.97.2",
  "@effect/platform-node": "^0.108.2",
  "@effect/vitest": "^0.30.0",
  "@types/node": "^20.19.43",
  typescript: "~5.9",
  vitest: "~3.2.7",
  node: "^20.19.0 || ^22.0.0 || ^24.0.0"
} as const

/** `package.json`: a plugin package ticketkit finds (`"ticketkit": { "plugin": … }`) */
export const packageJson = (n: Names): string =>
  JSON.stringify(
    {
      name: n.packageName,
      version: "0.1.0",
      description: `A ticketkit adapter for ${n.pascal}`,
      keywords: ["ticketkit", "ticketkit-adapter"],
      license: "UNLICENSED",
      type: "module",
      main: "./dist/index.js",
      types: "./dist/index.d.ts",
      exports: { ".": { types: "./dist/index.d.ts", default: "./dist/index.js" } },
      files: ["dist", "src", "README.md", "ticketkit.yaml"],
      ticketkit: { plugin: "./dist/index.js" },
      scripts: {
        build: "tsc -p tsconfig.build.json",
        typecheck: "tsc -p tsconfig.json",
        test: "vitest run",
        prepack: "npm run build"
      },
      engines: { node: ranges.node },
      peerDependencies: {
        "@effect/platform": ranges["@effect/platform"],
        effect: ranges.effect,
        ticketkit: ranges.ticketkit
      },
      devDependencies: {
        "@effect/platform": ranges["@effect/platform"],
        "@effect/platform-node": ranges["@effect/platform-node"],
        "@effect/vitest": ranges["@effect/vitest"],
        "@types/node": ranges["@types/node"],
        effect: ranges.effect,
        ticketkit: ranges.ticketkit,
        typescript: ranges.typescript,
        vitest: ranges.vitest
      }
    },
    null,
    2
  ) + "\n"

/** `tsconfig.json`: the sources and the tests, checked as strictly as ticketkit checks its own */
export const tsconfig = (): string =>
  JSON.stringify(
    {
      compilerOptions: {
        target: "ES2022",
        module: "NodeNext",
        moduleResolution: "NodeNext",
        lib: ["ES2022"],
        types: ["node"],
        strict: true,
        exactOptionalPropertyTypes: true,
        noUncheckedIndexedAccess: true,
        noImplicitOverride: true,
        noFallthroughCasesInSwitch: true,
        noUnusedLocals: true,
        noUnusedParameters: true,
        isolatedModules: true,
        skipLibCheck: true,
        noEmit: true
      },
      include: ["src", "test"]
    },
    null,
    2
  ) + "\n"

/** `tsconfig.build.json`: `src/` compiled to `dist/` (what ticketkit loads) */
export const tsconfigBuild = (): string =>
  JSON.stringify(
    {
      extends: "./tsconfig.json",
      compilerOptions: { noEmit: false, declaration: true, sourceMap: true, outDir: "dist", rootDir: "src" },
      include: ["src"]
    },
    null,
    2
  ) + "\n"

/** `.gitignore` */
export const gitignore = (): string => "node_modules/\ndist/\n"

/** `ticketkit.yaml`: a system served by the adapter */
export const ticketkitYaml = (n: Names): string =>
  `# A system served by this adapter. ticketkit finds the adapter in node_modules once the package
# is installed (see README.md); the token comes from the environment and is never printed.
systems:
  desk:
    adapter: ${n.adapter}
    description: ${n.pascal}
    options:
      baseUrl: https://helpdesk.example.com
      token: \${env:${n.env}_TOKEN}
`

/** `README.md` */
export const readme = (n: Names): string =>
  `# ${n.packageName}

A [ticketkit](https://www.npmjs.com/package/ticketkit) adapter for ${n.pascal}: your help desk's
API behind ticketkit's one interface, so that ticketkit's pipelines, retries, rate limits and
\`ticketkit\` command work with it. Made by \`ticketkit new adapter ${n.adapter}\`: it is a working
adapter for the small system double in \`test/SystemDouble.ts\`, and passes ticketkit's contract
suite out of the box. Make it speak your system's API, and keep the suite green.

\`\`\`
src/Client.ts         the system's API: endpoints, JSON schemas, authentication
src/Mapping.ts        pure functions: the system's tickets, statuses, priorities ↔ ticketkit's normal form
src/index.ts          options, capabilities, the driver, make/layer, and setup(registry) for ticketkit
test/SystemDouble.ts  a real HTTP server that answers like the system
test/contract.test.ts ticketkit's contract suite against the driver and the double
test/Mapping.test.ts  the mapping alone
ticketkit.yaml        a configuration that uses the adapter
\`\`\`

## What to change first

1. **\`src/Client.ts\`**: the paths, the JSON schemas and the authentication of your system's API
   (read its API documentation). The transport already maps statuses to typed errors, times out,
   caps bodies and keeps the token out of messages and logs.
2. **\`test/SystemDouble.ts\`**: make the double answer as your system does, errors included — it
   is what the tests run against.
3. **\`src/Mapping.ts\`**: your statuses, priorities and queues onto ticketkit's states
   (\`new\`, \`open\`, \`pending\`, \`resolved\`, \`closed\`) and levels (\`low\` … \`urgent\`).
4. **\`capabilities\` in \`src/index.ts\`**: say what your system can do (public or internal notes,
   HTML, text search, tags, page size); the contract suite adapts its checks to it.

Run \`npm test\` after each step: the contract suite names what does not hold.

## Testing

\`\`\`sh
npm install
npm test            # the contract suite and the mapping tests, against the double
npm run typecheck
\`\`\`

Against a test instance of the real system, run the same checks from the command line, with the
\`ticketkit.yaml\` here (read-only unless \`--write\`, which creates marked tickets). ticketkit
finds adapters in \`node_modules\`: link the package into its own first.

\`\`\`sh
npm run build && npm link && npm link ${n.packageName}
${n.env}_TOKEN=… npx ticketkit check --system desk
\`\`\`

## Using it from ticketkit.yaml

Build it (\`npm run build\`, also run by \`npm pack\` and \`npm publish\`) and install it next to
ticketkit in the project that runs your automation:

\`\`\`sh
npm install ticketkit ${n.packageName}     # or a path to this folder while you work on it
\`\`\`

\`\`\`yaml
# ticketkit.yaml
systems:
  desk:
    adapter: ${n.adapter}
    options:
      baseUrl: https://helpdesk.example.com
      token: \${env:${n.env}_TOKEN}
\`\`\`

\`ticketkit\` finds the package in \`node_modules\` (its \`package.json\` carries
\`"ticketkit": { "plugin": "./dist/index.js" }\`) and calls its \`setup(registry)\`:

\`\`\`sh
npx ticketkit systems        # lists "${n.adapter}" from ${n.packageName}, and the desk system
npx ticketkit fetch --state open
\`\`\`

In code, the adapter is a layer like ticketkit's own:

\`\`\`ts
import { NodeHttpClient } from "@effect/platform-node"
import { Effect, Layer, Redacted } from "effect"
import { TicketSystemAdapter } from "ticketkit"
import * as ${n.pascal}Adapter from "${n.packageName}"

const Desk = ${n.pascal}Adapter.layer({ baseUrl: "https://helpdesk.example.com", token: Redacted.make(process.env.${n.env}_TOKEN ?? "") })
  .pipe(Layer.provide(NodeHttpClient.layerUndici))

const program = Effect.flatMap(TicketSystemAdapter.TicketSystemAdapter, (desk) => desk.fetchTickets({ states: ["open"] }))
Effect.runPromise(Effect.provide(program, Desk)).then((tickets) => console.log(tickets.length))
\`\`\`

## Publishing

Choose a license (\`license\` in \`package.json\`), then \`npm publish\`. The package declares
\`effect\`, \`@effect/platform\` and \`ticketkit\` as peer dependencies: the project that installs it
provides them, so that there is one copy of each.
`
