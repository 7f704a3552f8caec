// Which generation a run joins: the first that has not completed, found with a logarithmic number of polls, so a spec
// applied a thousand times costs a handful of journal reads, not a thousand. Ported from the Effect 3 line.
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { firstIncomplete } from "../../src/workflows/internal/generations.js"

describe("firstIncomplete", () => {
  it.effect("finds the first generation not completed, asking about O(log n) of them", () =>
    Effect.gen(function*() {
      for (const completedRuns of [0, 1, 2, 3, 4, 5, 7, 8, 9, 31, 32, 33, 100, 1000, 4095]) {
        const asked: Array<number> = []
        const found = yield* firstIncomplete((generation) =>
          Effect.sync(() => {
            asked.push(generation)
            return generation <= completedRuns
          })
        )
        expect(found).toBe(completedRuns + 1)
        expect(asked.length).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(completedRuns + 2)) + 1)
      }
    }))
})
