// The HTTP conformance suite's vitest config: every file under conformance/, run against each line in lines.ts.
// Imports vitest's config helper and node:url only.
import { fileURLToPath } from "node:url"
import { defineConfig } from "vitest/config"

export default defineConfig({
  test: {
    root: fileURLToPath(new URL(".", import.meta.url)),
    include: ["**/*.test.ts"],
    // Each file starts its own emulators (a child process each, compiled by tsx on start): allow for a busy machine.
    hookTimeout: 90_000,
    testTimeout: 20_000
  }
})
