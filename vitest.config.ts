import { defineConfig } from "vitest/config"

// The Effect 4 line's suite. The Effect 3 line (effect3/) has its own config and runs from its own folder.
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    exclude: ["effect3/**", "node_modules/**"]
  }
})
