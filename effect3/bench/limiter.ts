// Section `limiter` of `npm run bench` (see bench/run.ts): what the client's per-organization limiter costs per call
// as the number of organizations grows. Measured here, not in the test suite: a test asserts windows and heap, which
// do not depend on how busy the machine is; a per-call cost does.
import { Array as Arr, Effect, TestClock, TestContext } from "effect"
import * as RateLimit from "../src/internal/rateLimiter.js"
import { alternating, median, quick, round, rounds } from "./harness.js"

const sizes = [10, 10_000, 100_000] as const

/**
 * µs per call for `calls` calls whose i-th is about organization `i % organizations`, at 100 calls a (virtual) second:
 * past 10 organizations, each call is about one idle for at least 100 s, whose window was dropped (a window made,
 * kept a minute, collected).
 */
const newOrganizations = (organizations: number, calls: number) =>
  Effect.gen(function*() {
    const keys = Arr.makeBy(calls, String)
    // A limit no organization reaches: the cost is the limiter's bookkeeping, never a wait.
    const { limiter } = yield* RateLimit.makeKeyedWindows(1_000_000)
    let millis = 0
    for (let from = 0; from < calls; from += 1_000) {
      const started = performance.now()
      for (let i = from; i < from + 1_000; i++) yield* limiter(keys[i % organizations] ?? "")(Effect.void)
      millis += performance.now() - started
      yield* TestClock.adjust("10 seconds")
    }
    return millis * 1000 / calls
  }).pipe(Effect.provide(TestContext.TestContext))

/** µs per call for `calls` calls about organizations that all have a live window: only the map's size differs. */
const liveWindows = (organizations: number, calls: number) =>
  Effect.gen(function*() {
    const keys = Arr.makeBy(organizations, String)
    const { limiter } = yield* RateLimit.makeKeyedWindows(1_000_000_000)
    yield* Effect.forEach(keys, (key) => limiter(key)(Effect.void), { discard: true })
    const started = performance.now()
    for (let i = 0; i < calls; i++) yield* limiter(keys[i % organizations] ?? "")(Effect.void)
    return (performance.now() - started) * 1000 / calls
  }).pipe(Effect.provide(TestContext.TestContext))

/** One row per case: µs per call at 10 / 10,000 / 100,000 organizations (medians of alternating rounds) and ratios. */
export const limiterCost = async () => {
  const calls = quick ? 20_000 : 100_000
  const measure = async (name: string, make: (organizations: number, calls: number) => Effect.Effect<number>) => {
    const samples = await alternating(
      sizes.map((organizations) => [String(organizations), () => Effect.runPromise(make(organizations, calls))]),
      rounds + 2
    )
    const micros = sizes.map((organizations) => round(median(samples.get(String(organizations)) ?? []), 2))
    const [at10 = Number.NaN, at10k = Number.NaN, at100k = Number.NaN] = micros
    return {
      case: name,
      "µs/call at 10": at10,
      "µs/call at 10,000": at10k,
      "µs/call at 100,000": at100k,
      "100,000 / 10,000": round(at100k / at10k),
      "100,000 / 10": round(at100k / at10)
    }
  }
  const rows = [
    await measure("a new organization per call (window made, kept, collected)", newOrganizations),
    await measure("organizations with a live window", liveWindows)
  ]
  console.log(`\nLimiter: µs per call by number of organizations (${calls} calls, medians of alternating rounds)`)
  console.table(rows)
  return rows
}
