// The client's sliding-window limiter and the workflows' registry, under TestClock: no 60 s span holds more than the
// limit, no task starts later than the limit makes it, interruptions free their turn, a key's limit can change.
import { describe, expect, it } from "@effect/vitest"
import { Array as Arr, Clock, Effect, FastCheck as fc, Fiber, Option, Supervisor, TestClock } from "effect"
import * as RateLimit from "../../src/internal/rateLimiter.js"
import { type Arrival, earliestStarts, mostInAnyWindow } from "../windows.js"

const minute = 60_000

/**
 * Calls the limiter once per arrival (each on its own fiber, at its time, giving up at `givesUpAt`) and returns when
 * each task started, relative to the start of the run (`None` for one that gave up first).
 */
const startsOf = (limit: number, arrivals: ReadonlyArray<Arrival>) =>
  Effect.gen(function*() {
    const limiter = RateLimit.makeSliding(limit, "1 minute")
    const origin = yield* Clock.currentTimeMillis
    const task = Effect.map(Clock.currentTimeMillis, (now) => now - origin)
    const fiber = yield* Effect.fork(Effect.forEach(arrivals, ({ at, givesUpAt }) =>
      Effect.sleep(at).pipe(Effect.zipRight(
        givesUpAt === undefined
          ? Effect.map(limiter(task), Option.some)
          : Effect.timeoutOption(limiter(task), givesUpAt - at)
      )), { concurrency: "unbounded" }))
    const latest = arrivals.reduce((max, { at }) =>
      Math.max(max, at), 0)
    yield* TestClock.adjust(latest + (arrivals.length / limit + 1) * minute)
    return yield* Fiber.join(fiber)
  })

const ascending = (values: ReadonlyArray<number>) => [...values].sort((a, b) => a - b)

describe("sliding-window limiter", () => {
  it.effect.prop(
    "any arrivals, bursts included: at most the limit in any 60 s, each start as early as the limit allows",
    {
      limit: fc.integer({ min: 1, max: 8 }),
      // Bursts (the same instant), boundaries (a minute apart, a millisecond either side) and scattered times.
      times: fc.array(
        fc.oneof(fc.integer({ min: 0, max: 240_000 }), fc.constantFrom(0, 1, 59_999, 60_000, 60_001, 120_000)),
        { maxLength: 40 }
      )
    },
    ({ limit, times }) =>
      Effect.gen(function*() {
        const arrivals = ascending(times).map((at) => ({ at }))
        const starts = Arr.getSomes(yield* startsOf(limit, arrivals))
        expect(starts.length).toBe(arrivals.length)
        expect(mostInAnyWindow(ascending(starts), minute)).toBeLessThanOrEqual(limit)
        // The earliest schedule within the limit, first come first served: no task waits longer than it must.
        expect(ascending(starts)).toEqual(earliestStarts(arrivals, limit, minute))
      }),
    { fastCheck: { numRuns: 60 } }
  )

  it.effect.prop(
    "tasks that give up while they wait take no place: the others start as if they had never come",
    {
      limit: fc.integer({ min: 1, max: 4 }),
      // Arrivals on even milliseconds, give-ups on odd ones: a task never gives up at the instant it could start.
      requests: fc.uniqueArray(
        fc.record({
          at: fc.integer({ min: 0, max: 60_000 }),
          patience: fc.option(fc.integer({ min: 0, max: 90_000 }))
        }),
        { selector: (request) => request.at, maxLength: 30 }
      )
    },
    ({ limit, requests }) =>
      Effect.gen(function*() {
        const arrivals = [...requests].sort((a, b) => a.at - b.at).map(({ at, patience }) => ({
          at: at * 2,
          givesUpAt: patience === null ? undefined : at * 2 + patience * 2 + 1
        }))
        const starts = (yield* startsOf(limit, arrivals)).map(Option.getOrUndefined)
        expect(starts).toEqual(earliestStarts(arrivals, limit, minute))
        expect(mostInAnyWindow(ascending(Arr.filter(starts, (start) => start !== undefined)), minute))
          .toBeLessThanOrEqual(limit)
      }),
    { fastCheck: { numRuns: 60 } }
  )

  it.effect("the one at the front gives up: the next starts when the window frees, not a window later", () =>
    Effect.gen(function*() {
      const starts = yield* startsOf(1, [{ at: 0 }, { at: 1, givesUpAt: 10_001 }, { at: 2 }])
      expect(starts).toEqual([Option.some(0), Option.none(), Option.some(minute)])
    }))

  it.effect("one behind the front gives up: it is skipped, the others keep their turns", () =>
    Effect.gen(function*() {
      const starts = yield* startsOf(1, [{ at: 0 }, { at: 1 }, { at: 2, givesUpAt: 10_001 }, { at: 3 }])
      expect(starts).toEqual([Option.some(0), Option.some(minute), Option.none(), Option.some(2 * minute)])
    }))

  it.effect("no fiber is forked, whether a task starts at once or waits", () =>
    Effect.gen(function*() {
      const limiter = RateLimit.makeSliding(2, "1 minute")
      const supervisor = yield* Supervisor.track
      const run = Effect.forEach(Arr.range(1, 5), () => limiter(Effect.void)).pipe(Effect.supervised(supervisor))
      const fiber = yield* Effect.fork(run)
      yield* TestClock.adjust("3 minutes")
      yield* Fiber.join(fiber)
      expect(yield* supervisor.value).toEqual([])
    }))

  it.effect("keys are apart: one organization's queue never delays another's", () =>
    Effect.gen(function*() {
      const limiterFor = yield* RateLimit.makeKeyed(1)
      const eleven = yield* limiterFor("11")
      expect(yield* limiterFor("11")).toBe(eleven)
      const twelve = yield* limiterFor("12")
      yield* eleven(Effect.void)
      const waiting = yield* Effect.fork(eleven(Clock.currentTimeMillis))
      expect(yield* twelve(Clock.currentTimeMillis)).toBe(0)
      yield* TestClock.adjust("1 minute")
      expect(yield* Fiber.join(waiting)).toBe(minute)
    }))
})

describe("registry of per-key windows (a provisioning run's limits)", () => {
  /** Starts `count` tasks of `key` at once; when each started. */
  const burst = (registry: RateLimit.Registry, key: string, count: number) =>
    Effect.gen(function*() {
      const task = Clock.currentTimeMillis
      const fiber = yield* Effect.fork(
        Effect.forEach(Arr.range(1, count), () => registry.limiter(key)(task), { concurrency: "unbounded" })
      )
      yield* TestClock.adjust(10 * minute)
      return yield* Fiber.join(fiber)
    })

  it.effect("a key starts at its initial limit; a learned limit applies from then on; keys do not share", () =>
    Effect.gen(function*() {
      const registry = RateLimit.makeRegistry(() => 60)
      const before = yield* burst(registry, "13", 61)
      expect(before.filter((at) => at === 0)).toHaveLength(60)
      expect(before[60]).toBe(minute)
      registry.setLimit("26", 240)
      const raised = yield* burst(registry, "26", 240)
      const at = raised[0] ?? -1
      expect(raised.every((start) => start === at)).toBe(true)
      // a lowered limit holds over the starts already in the window
      const origin = yield* Clock.currentTimeMillis
      yield* Effect.forEach(Arr.range(1, 30), () => registry.limiter("40")(Effect.void))
      registry.setLimit("40", 10)
      const next = yield* Effect.fork(registry.limiter("40")(Clock.currentTimeMillis))
      yield* TestClock.adjust(2 * minute)
      expect(yield* Fiber.join(next)).toBe(origin + minute)
    }))
})
