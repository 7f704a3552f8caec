import { defineConfig } from "vitest/config"

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Benchmarks live in bench/ and never run here.
    exclude: ["bench/**", "node_modules/**"],
    reporters: ["default"],
    sequence: { concurrent: false },
    // Test files share their worker's modules instead of each loading effect and the sources again: collecting took
    // 70 of the suite's 250 s on 2 cores. What a file may leave behind is kept from the next one: tests build their
    // layers per test or through test/support/layer.ts (never `it.layer`, lint says so), and no module keeps test
    // state of its own (test/support/Layer.test.ts shows a block's TestClock and services stay in the block).
    isolate: false,
    // Two workers on the 2 cores CI has (Vitest's default keeps one core free, so one worker): many files wait on the
    // programs they spawn (CLI, examples, servers, PostgreSQL), and the suite took 163 s with one worker, 106 s with two.
    maxWorkers: 2,
    minWorkers: 1,
    globalSetup: ["test/support/bundleRoot.ts"]
  }
})
