import * as path from "node:path"
import { defineConfig } from "vitest/config"

const src = (file: string) => path.resolve(import.meta.dirname, "src", file)

export default defineConfig({
  resolve: {
    // inside the repository, "ticketkit" is the source (consumers get dist/ through package.json)
    alias: [
      { find: /^ticketkit\/testing$/, replacement: src("testing/index.ts") },
      { find: /^ticketkit\/server$/, replacement: src("testing/ReferenceServer.ts") },
      { find: /^ticketkit\/demo$/, replacement: src("demo/index.ts") },
      { find: /^ticketkit$/, replacement: src("index.ts") }
    ]
  },
  test: {
    include: ["test/**/*.test.ts", "examples/**/*.test.ts"],
    exclude: ["**/node_modules/**", ".tmp/**"],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    globalSetup: ["test/globalSetup.ts"]
  }
})
