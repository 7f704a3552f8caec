// The client's rate limit against the emulator's, as a user meets it: 130 reads of one 60-a-minute organization, the
// client limiting itself to 60 a minute, the emulator counting a sliding minute. TestClock; asserts on the request log.
import { describe, expect, it } from "@effect/vitest"
import { Clock, Effect, Either, Fiber, Option, TestClock } from "effect"
import * as Organizations from "../src/Organizations.js"
import { Emulator, type EmulatorFaults, MakeTest } from "../src/testing/index.js"
import { earliestStarts, mostInAnyWindow } from "./windows.js"

const minute = 60_000
const reads = 130

/** When each of the 130 reads is called (ms), in three shapes a program gives them. */
const patterns: ReadonlyArray<readonly [string, ReadonlyArray<number>]> = [
  ["all at once", Array.from({ length: reads }, () => 0)],
  // The boundary case: a fixed window opened by the first read lets 59 through at 59 s and 60 more at 60 s.
  ["one read, then 129 a second before the minute is out", [0, ...Array.from({ length: reads - 1 }, () => 59_000)]],
  ["a steady stream, one every 250 ms", Array.from({ length: reads }, (_, i) => i * 250)]
]

const scenario = (name: string, calledAt: ReadonlyArray<number>, window: EmulatorFaults.RateWindowMode) =>
  it.effect(`${name} (${window} window on the emulator): no 429, no 60 s with more than 60, done at the bound`, () =>
    Effect.gen(function*() {
      const orgs = yield* Organizations.Organizations
      const emulator = yield* Emulator.Emulator
      // Gamma (13) has a Core licence: apiLimit 60, the limit the emulator enforces.
      const gamma = yield* emulator.organization(13)
      expect(Option.map(gamma, (org) => org.license.apiLimit)).toEqual(Option.some(60))

      const fiber = yield* Effect.fork(
        Effect.forEach(calledAt, (at) => Effect.sleep(at).pipe(Effect.zipRight(Effect.either(orgs.get(13)))), {
          concurrency: "unbounded"
        }).pipe(Effect.zip(Clock.currentTimeMillis))
      )
      yield* TestClock.adjust("10 minutes")
      const [outcomes, done] = yield* Fiber.join(fiber)

      const log = (yield* emulator.requests).filter((request) => request.path === "/organizations/13")
      const sent = log.map((request) => request.at).sort((a, b) => a - b)
      const bound = earliestStarts(calledAt.map((at) => ({ at })), 60, minute).reduce<number>(
        (latest, start) => Math.max(latest, start ?? 0),
        0
      )
      const figures = {
        virtualSeconds: done / 1000,
        boundSeconds: bound / 1000,
        requests: log.length,
        answered429: log.filter((request) => request.status === 429).length,
        failedReads: outcomes.filter(Either.isLeft).length,
        mostInAnyMinute: mostInAnyWindow(sent, minute)
      }
      console.log(`rate limit, ${name}, ${window}:`, JSON.stringify(figures))
      expect(figures.answered429).toBe(0)
      expect(figures.requests).toBe(reads)
      expect(figures.failedReads).toBe(0)
      expect(figures.mostInAnyMinute).toBeLessThanOrEqual(60)
      // No read waits longer than the limit makes it: the last one is answered at the earliest time it can be sent.
      expect(done).toBe(bound)
    }).pipe(Effect.provide(MakeTest.layer({ rateLimit: { window }, clientRateLimit: { requestsPerMinute: 60 } }))))

describe("client rate limit against the emulator's", () => {
  for (const [name, calledAt] of patterns) {
    scenario(name, calledAt, "sliding")
    scenario(name, calledAt, "fixed")
  }
})
