// Which generation of a workflow's runs a new call joins: runs of one key are numbered 1, 2, 3, ..., each started only
// once the one before completed, so the completed ones are a prefix. The workflows: imports `effect` only.
/**
 * @since 1.0.0
 * @internal
 */
import { Effect } from "effect"

/**
 * The first generation that has not completed (it is under way, suspended, or not started), found with O(log n)
 * questions: doubling until one has not completed, then halving the gap.
 *
 * @internal
 */
export const firstIncomplete = <E, R>(
  completed: (generation: number) => Effect.Effect<boolean, E, R>
): Effect.Effect<number, E, R> =>
  Effect.gen(function*() {
    if (!(yield* completed(1))) return 1
    // invariant: `low` completed, `high` did not
    let low = 1
    let high = 2
    while (yield* completed(high)) {
      low = high
      high *= 2
    }
    while (high - low > 1) {
      const middle = Math.floor((low + high) / 2)
      if (yield* completed(middle)) low = middle
      else high = middle
    }
    return high
  })
