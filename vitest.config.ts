import { defineConfig } from "vitest/config"

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Benchmarks live in bench/ and never run here.
    exclude: ["bench/**", "node_modules/**"],
    reporters: ["default"],
    sequence: { concurrent: false }
  }
})
