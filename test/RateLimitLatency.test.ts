// The client's rate limit against the emulator's sliding minute when requests take time to arrive: the server counts
// arrivals, the latency is jittered (seeded), reads run a few at a time. TestClock; asserts on the request log.
import { describe, expect, it } from "@effect/vitest"
import { Clock, Duration, Effect, Fiber, Result, Schema } from "effect"
import { TestClock } from "effect/testing"
import * as Organizations from "../src/Organizations.js"
import * as Emulator from "../src/testing/Emulator.js"
import * as EmulatorFaults from "../src/testing/EmulatorFaults.js"
import * as MakeTest from "../src/testing/MakeTest.js"

const minute = 60_000

const between = (minimum: number, maximum: number) => Schema.Int.check(Schema.isBetween({ minimum, maximum }))

// The Effect 3 line ran these under a scheduler that yields through microtasks only, because its TestClock.adjust let
// a woken sleeper run through one real timer turn and could move on while a request was on its way. Effect 4's
// TestClock waits for the fibers it woke to suspend again before it moves the clock, so the default scheduler is kept.

interface Scenario {
  readonly reads: number
  readonly concurrency: number
  readonly perMinute: number
  readonly seed: number
  /** How many requests are delayed (the others arrive at once: a mix of fast and slow, the worst for a send log). */
  readonly delayed: number
  /** The fastest arrival, and how much slower one can be. */
  readonly latencyMillis: number
  readonly jitterMillis: number
}

/**
 * `reads` GETs of Gamma (13), `concurrency` at a time, the client limited to `perMinute` and the emulator counting
 * `perMinute` in a sliding minute of arrivals, every request delayed by the seeded latency. What the user and the
 * emulator saw.
 */
const run = (scenario: Scenario) =>
  Effect.gen(function*() {
    const orgs = yield* Organizations.Organizations
    const emulator = yield* Emulator.Emulator
    const fiber = yield* Effect.forkChild(
      Effect.forEach(Array.from({ length: scenario.reads }), () => Effect.result(orgs.get(13)), {
        concurrency: scenario.concurrency
      }).pipe(Effect.zip(Clock.currentTimeMillis))
    )
    yield* TestClock.adjust(Duration.minutes(2 * Math.ceil(scenario.reads / scenario.perMinute) + 2))
    const [outcomes, done] = yield* Fiber.join(fiber)
    const log = (yield* emulator.requests).filter((request) => request.path === "/organizations/13")
    return {
      virtualSeconds: done / 1000,
      requests: log.length,
      answered429: log.filter((request) => request.status === 429).length,
      failedReads: outcomes.filter(Result.isFailure).length
    }
  }).pipe(
    Effect.provide(MakeTest.layer({
      rateLimit: { perMinute: scenario.perMinute, window: "sliding" },
      clientRateLimit: { requestsPerMinute: scenario.perMinute },
      faults: {
        seed: scenario.seed,
        latency: {
          probability: scenario.delayed,
          duration: Duration.millis(scenario.latencyMillis),
          jitter: Duration.millis(scenario.jitterMillis)
        }
      }
    }))
  )

/**
 * The latest the last read can end when each permit is held until a minute after its answer: each group of
 * `perMinute` reads goes out once the group before it is answered and a minute has passed, `concurrency` at a time,
 * each answered within the slowest latency.
 */
const upperBound = ({ concurrency, jitterMillis, latencyMillis, perMinute, reads }: Scenario): number => {
  const groups = Math.ceil(reads / perMinute)
  const rounds = Math.ceil(Math.min(perMinute, reads) / concurrency)
  return (groups - 1) * minute + groups * rounds * (latencyMillis + jitterMillis)
}

describe("client rate limit, with the latency of a real network", () => {
  it.effect(
    "130 reads of a 60/min organization, 10 at a time, arrivals jittered by 20-500 ms: no 429",
    () =>
      Effect.gen(function*() {
        const scenario = {
          reads: 130,
          concurrency: 10,
          perMinute: 60,
          seed: 2026,
          delayed: 1,
          latencyMillis: 20,
          jitterMillis: 480
        }
        const figures = yield* run(scenario)
        expect(figures).toMatchObject({ requests: 130, answered429: 0, failedReads: 0 })
        // two minutes of the limit, and a few round trips (the limit a minute after the answers, not the sends)
        expect(figures.virtualSeconds).toBeGreaterThanOrEqual(120)
        expect(figures.virtualSeconds * 1000).toBeLessThanOrEqual(upperBound(scenario))
      }),
    60_000
  )

  it.effect.prop(
    "any latency, its spread and mix, any concurrency: no 429, and no slower than a round trip per permit and minute",
    {
      perMinute: between(2, 60),
      extra: between(1, 100),
      concurrency: between(1, 20),
      seed: between(-2_147_483_648, 2_147_483_647),
      delayed: Schema.Literals([1, 0.5, 0.1]),
      latencyMillis: between(0, 1_000),
      jitterMillis: between(0, 3_000)
    },
    ({ extra, ...rest }) =>
      Effect.gen(function*() {
        const scenario = { ...rest, reads: rest.perMinute + extra }
        const figures = yield* run(scenario)
        expect(figures).toMatchObject({ requests: scenario.reads, answered429: 0, failedReads: 0 })
        expect(figures.virtualSeconds * 1000).toBeLessThanOrEqual(upperBound(scenario))
      }),
    { timeout: 120_000, arbitrary: { runs: 15 } }
  )

  it.prop(
    "the emulator's jittered latency: within [duration, duration + jitter], whole milliseconds, the same for a seed",
    {
      seed: between(-2_147_483_648, 2_147_483_647),
      index: between(0, 10_000),
      duration: between(0, 5_000),
      jitter: between(0, 5_000)
    },
    ({ duration, index, jitter, seed }) => {
      const plan = {
        seed,
        latency: { probability: 1, duration: Duration.millis(duration), jitter: Duration.millis(jitter) }
      }
      const decision = EmulatorFaults.decide(plan, index)
      expect(decision).toEqual(EmulatorFaults.decide(plan, index))
      if (decision._tag !== "Latency") return expect.fail(`expected a latency fault, got ${decision._tag}`)
      const millis = Duration.toMillis(decision.duration)
      expect(Number.isInteger(millis)).toBe(true)
      expect(millis).toBeGreaterThanOrEqual(duration)
      expect(millis).toBeLessThanOrEqual(duration + jitter)
    }
  )
})
