// The client's sliding-window limiter and the workflows' registry, under TestClock: no 60 s span holds more than the
// limit, no task starts later than the limit makes it, interruptions free their turn, a key's limit can change.
import { describe, expect, it } from "@effect/vitest"
import { Array as Arr, Clock, Effect, Fiber, Option, Schema } from "effect"
import { TestClock } from "effect/testing"
import * as v8 from "node:v8"
import * as vm from "node:vm"
import * as RateLimit from "../../src/internal/rateLimiter.js"
import { type Arrival, earliestStarts, mostInAnyWindow } from "../windows.js"

const minute = 60_000

const between = (minimum: number, maximum: number) => Schema.Int.check(Schema.isBetween({ minimum, maximum }))
const upTo = <S extends Schema.Top>(item: S, maxLength: number) =>
  Schema.Array(item).check(Schema.isMaxLength(maxLength))

/**
 * Calls the limiter once per arrival (each on its own fiber, at its time, giving up at `givesUpAt`) and returns when
 * each task started, relative to the start of the run (`None` for one that gave up first).
 */
const startsOf = (limit: number, arrivals: ReadonlyArray<Arrival>) =>
  Effect.gen(function*() {
    const limiter = RateLimit.makeSliding(limit, "1 minute")
    const origin = yield* Clock.currentTimeMillis
    const task = Effect.map(Clock.currentTimeMillis, (now) => now - origin)
    const fiber = yield* Effect.forkChild(Effect.forEach(arrivals, ({ at, givesUpAt }) =>
      Effect.sleep(at).pipe(Effect.andThen(
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
      limit: between(1, 8),
      // Bursts (the same instant), boundaries (a minute apart, a millisecond either side) and scattered times.
      times: upTo(Schema.Union([between(0, 240_000), Schema.Literals([0, 1, 59_999, 60_000, 60_001, 120_000])]), 40)
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
    { timeout: 30_000, arbitrary: { runs: 60 } }
  )

  it.effect.prop(
    "tasks that give up while they wait take no place: the others start as if they had never come",
    {
      limit: between(1, 4),
      requests: upTo(Schema.Struct({ at: between(0, 60_000), patience: Schema.NullOr(between(0, 90_000)) }), 30)
    },
    ({ limit, requests }) =>
      Effect.gen(function*() {
        // One request per arrival time (the first of each), on even milliseconds, give-ups on odd ones: a task never
        // gives up at the instant it could start.
        const unique = requests.filter((request, i) => requests.findIndex(({ at }) => at === request.at) === i)
        const arrivals = [...unique].sort((a, b) => a.at - b.at).map(({ at, patience }) => ({
          at: at * 2,
          givesUpAt: patience === null ? undefined : at * 2 + patience * 2 + 1
        }))
        const starts = (yield* startsOf(limit, arrivals)).map(Option.getOrUndefined)
        expect(starts).toEqual(earliestStarts(arrivals, limit, minute))
        expect(mostInAnyWindow(ascending(Arr.filter(starts, (start) => start !== undefined)), minute))
          .toBeLessThanOrEqual(limit)
      }),
    { timeout: 30_000, arbitrary: { runs: 60 } }
  )

  it.effect.prop(
    "tasks that take time: wherever between its send and its answer each arrives, no 60 s holds more than the limit",
    {
      limit: between(1, 6),
      // When each task is called, how long until it is answered, and where in that time the server counts it.
      tasks: upTo(
        Schema.Struct({
          at: Schema.Union([between(0, 180_000), Schema.Literals([0, 59_999, 60_000, 60_001])]),
          takes: between(0, 5_000),
          arrivesAt: Schema.Finite.check(Schema.isBetween({ minimum: 0, maximum: 1 }))
        }),
        30
      )
    },
    ({ limit, tasks }) =>
      Effect.gen(function*() {
        const limiter = RateLimit.makeSliding(limit, "1 minute")
        const arrivals = yield* Effect.forkChild(Effect.forEach(tasks, ({ arrivesAt, at, takes }) =>
          Effect.sleep(at).pipe(Effect.andThen(limiter(Effect.gen(function*() {
            const sent = yield* Clock.currentTimeMillis
            yield* Effect.sleep(takes)
            return sent + takes * arrivesAt
          })))), { concurrency: "unbounded" }))
        yield* TestClock.adjust(180_000 + tasks.length * (minute + 5_000))
        const arrived = ascending(yield* Fiber.join(arrivals))
        expect(arrived).toHaveLength(tasks.length)
        expect(mostInAnyWindow(arrived, minute)).toBeLessThanOrEqual(limit)
      }),
    { timeout: 30_000, arbitrary: { runs: 60 } }
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

  // Effect 4 has no Supervisor to list the fibers a run forks; what the caller can see is that each task runs on the
  // fiber that called the limiter, whether it started at once or waited its turn.
  it.effect("no fiber is forked: each task runs on its caller's fiber, whether it starts at once or waits", () =>
    Effect.gen(function*() {
      const limiter = RateLimit.makeSliding(2, "1 minute")
      const fiberId = Effect.withFiber((fiber) => Effect.succeed(fiber.id))
      const run = Effect.forEach(Arr.range(1, 5), () => Effect.all([fiberId, limiter(fiberId)]))
      const fiber = yield* Effect.forkChild(run)
      yield* TestClock.adjust("3 minutes")
      const ids = yield* Fiber.join(fiber)
      expect(ids).toHaveLength(5)
      for (const [caller, task] of ids) expect(task).toBe(caller)
    }))

  it.effect("organizations are apart: one organization's queue never delays another's", () =>
    Effect.gen(function*() {
      const { limiter } = yield* RateLimit.makeKeyed(1)
      yield* limiter(11)(Effect.void)
      // a limiter looked up again is the same window: it waits behind the first start
      const waiting = yield* Effect.forkChild(limiter(11)(Clock.currentTimeMillis))
      expect(yield* limiter(12)(Clock.currentTimeMillis)).toBe(0)
      // requests about no organization share their own window
      expect(yield* limiter(undefined)(Clock.currentTimeMillis)).toBe(0)
      const shared = yield* Effect.forkChild(limiter(undefined)(Clock.currentTimeMillis))
      yield* TestClock.adjust("1 minute")
      expect([yield* Fiber.join(waiting), yield* Fiber.join(shared)]).toEqual([minute, minute])
    }))

  it.effect("a permit is held from the send until a minute after the answer, however the task ends", () =>
    Effect.gen(function*() {
      const { limiter } = yield* RateLimit.makeKeyed(1)
      // answered after 5 s, then failed, then interrupted: each holds the window until a minute after it ended
      const first = yield* Effect.forkChild(limiter(11)(Effect.sleep("5 seconds")))
      const second = yield* Effect.forkChild(
        Effect.result(limiter(11)(Effect.andThen(Clock.currentTimeMillis, (now) => Effect.fail(now))))
      )
      yield* TestClock.adjust(5_000)
      yield* Fiber.join(first)
      yield* TestClock.adjust(minute)
      expect(yield* Fiber.join(second)).toMatchObject({ _tag: "Failure", failure: 65_000 })
      const third = yield* Effect.forkChild(limiter(11)(Effect.never))
      const fourth = yield* Effect.forkChild(limiter(11)(Clock.currentTimeMillis))
      yield* TestClock.adjust(minute)
      yield* Fiber.interrupt(third)
      yield* TestClock.adjust(minute)
      expect(yield* Fiber.join(fourth)).toBe(65_000 + 2 * minute)
    }))
})

describe("keyed windows are dropped once idle", () => {
  it.effect.prop(
    "dropping idle windows, at any moment, changes no decision: each key's starts are the earliest its limit allows",
    {
      limit: between(1, 4),
      // A few organizations over five minutes: they go idle, are dropped, and come back to a new window. Boundaries
      // too, so that arrivals often fall a minute, or a moment less, after a start.
      arrivals: upTo(
        Schema.Struct({
          key: Schema.Literals([11, 12, 13]),
          at: Schema.Union([
            between(0, 300_000),
            Schema.Literals([0, 1, 59_000, 59_999, 60_000, 60_001, 119_000, 119_999, 120_000, 180_000])
          ]),
          sweepsFirst: Schema.Boolean
        }),
        40
      ),
      // Sweeps at any time, on top of those just before some arrivals and those a new key makes (a sweep floor of 1).
      sweeps: upTo(between(0, 400_000), 10)
    },
    ({ arrivals, limit, sweeps }) =>
      Effect.gen(function*() {
        const { limiter, windows } = yield* RateLimit.makeKeyed(limit, 1)
        const sweep = Effect.map(Clock.currentTimeMillis, (now) => windows.sweep(now))
        const sweeping = yield* Effect.forkChild(
          Effect.forEach(sweeps, (at) => Effect.andThen(Effect.sleep(at), sweep), { concurrency: "unbounded" })
        )
        const fiber = yield* Effect.forkChild(Effect.forEach(arrivals, ({ at, key, sweepsFirst }) =>
          Effect.sleep(at).pipe(
            Effect.andThen(sweepsFirst ? sweep : Effect.void),
            Effect.andThen(limiter(key)(Clock.currentTimeMillis)),
            Effect.map((start) => ({ key, start }))
          ), { concurrency: "unbounded" }))
        yield* TestClock.adjust(400_000 + (arrivals.length / limit + 1) * minute)
        const starts = yield* Fiber.join(fiber)
        yield* Fiber.join(sweeping)
        for (const key of [11, 12, 13]) {
          const ofKey = ascending(
            arrivals.filter((arrival) =>
              arrival.key === key
            ).map(({ at }) => at)
          )
          expect(ascending(starts.filter((start) => start.key === key).map(({ start }) => start)))
            .toEqual(earliestStarts(ofKey.map((at) => ({ at })), limit, minute))
        }
        // A minute after the last start every window is idle, and a sweep drops them all.
        windows.sweep((yield* Clock.currentTimeMillis) + minute)
        expect(windows.size).toBe(0)
      }),
    { timeout: 30_000, arbitrary: { runs: 60 } }
  )

  it.effect("a window is kept until a full window after its last start", () =>
    Effect.gen(function*() {
      const { limiter, windows } = yield* RateLimit.makeKeyed(1)
      yield* limiter(11)(Effect.void)
      windows.sweep(minute - 1)
      expect(windows.size).toBe(1)
      windows.sweep(minute)
      expect(windows.size).toBe(0)
    }))

  it.effect("a window someone waits on is kept, even once its last start is a window old", () =>
    Effect.gen(function*() {
      const { limiter, windows } = yield* RateLimit.makeKeyed(1)
      const startOf = (key: number) => limiter(key)(Clock.currentTimeMillis)
      expect(yield* startOf(11)).toBe(0)
      const waiter = yield* Effect.forkChild(startOf(11))
      yield* TestClock.adjust(1)
      // Swept as if at 61 s, before the waiter has woken: the start at 0 has left the window, the waiter has not.
      windows.sweep(minute + 1)
      expect(windows.size).toBe(1)
      const third = yield* Effect.forkChild(startOf(11))
      yield* TestClock.adjust(3 * minute)
      expect([yield* Fiber.join(waiter), yield* Fiber.join(third)]).toEqual([minute, 2 * minute])
      windows.sweep(3 * minute)
      expect(windows.size).toBe(0)
    }))
})

describe("bounded state: 10 to 100,000 organizations", () => {
  /** Heap used after a full collection: `global.gc` when node runs with --expose-gc, else V8's, enabled at run time. */
  const heapAfterGc = (): number => {
    const gc: unknown = Reflect.get(globalThis, "gc")
    if (typeof gc === "function") gc()
    else {
      v8.setFlagsFromString("--expose-gc")
      const collect: unknown = vm.runInNewContext("gc")
      if (typeof collect === "function") collect()
    }
    return process.memoryUsage().heapUsed
  }

  it.effect(
    "10, 10,000 and 100,000 organizations at 100 calls a second: windows and heap",
    () =>
      Effect.gen(function*() {
        const calls = 100_000
        const batch = 1_000
        // A limit no organization reaches: what is kept is the limiter's bookkeeping, never a wait. The i-th call goes
        // to organization i modulo 10, 10,000 or 100,000: past 10, each call of a batch is about an organization idle
        // for at least 100 s, whose window was dropped. What a call costs as the count grows is a benchmark's to
        // measure, not this test's: a timed assertion fails on a busy machine.
        const heapBefore = heapAfterGc()
        const cases = yield* Effect.forEach([10, 10_000, 100_000], (organizations) =>
          Effect.map(RateLimit.makeKeyed(1_000_000), (keyed) => ({ organizations, ...keyed, mostWindows: 0 })))
        for (let from = 0; from < calls; from += batch) {
          for (const run of cases) {
            yield* Effect.forEach(
              Arr.range(from, from + batch - 1),
              (i) =>
                run.limiter(i % run.organizations)(Effect.void),
              { discard: true }
            )
            run.mostWindows = Math.max(run.mostWindows, run.windows.size)
          }
          yield* TestClock.adjust("10 seconds")
        }
        const heapGrowth = heapAfterGc() - heapBefore
        const [at10, at10k, at100k] = cases.map(({ mostWindows }) =>
          mostWindows
        )
        // 100 new organizations a second, each idle a minute after its call: about 6,000 in use at any time, and the
        // map holds at most twice what the last sweep left (keeping every window: 10,000 and 100,000).
        expect(at10).toBe(10)
        expect(at10k).toBeLessThanOrEqual(2 * 6_100)
        expect(at100k).toBeLessThanOrEqual(2 * 6_100)
        // The three limiters are alive: their windows and logs (keeping every window: +53 MB on the Effect 3 line).
        expect(heapGrowth).toBeLessThan(16e6)
      }),
    120_000
  )
})

describe("registry of per-organization windows (a provisioning run's limits)", () => {
  /** Starts `count` tasks of `organizationId` at once; when each started. */
  const burst = (registry: RateLimit.Registry, organizationId: number, count: number) =>
    Effect.gen(function*() {
      const task = Clock.currentTimeMillis
      const fiber = yield* Effect.forkChild(
        Effect.forEach(Arr.range(1, count), () => registry.limiter(organizationId)(task), { concurrency: "unbounded" })
      )
      yield* TestClock.adjust(10 * minute)
      return yield* Fiber.join(fiber)
    })

  it.effect("an organization starts at its initial limit; a learned limit applies from then on; none share", () =>
    Effect.gen(function*() {
      const registry = RateLimit.makeRegistry(() => 60)
      const before = yield* burst(registry, 13, 61)
      expect(before.filter((at) => at === 0)).toHaveLength(60)
      expect(before[60]).toBe(minute)
      registry.setLimit(26, 240)
      const raised = yield* burst(registry, 26, 240)
      const at = raised[0] ?? -1
      expect(raised.every((start) => start === at)).toBe(true)
      // a lowered limit holds over the starts already in the window
      const origin = yield* Clock.currentTimeMillis
      yield* Effect.forEach(Arr.range(1, 30), () => registry.limiter(40)(Effect.void))
      registry.setLimit(40, 10)
      const next = yield* Effect.forkChild(registry.limiter(40)(Clock.currentTimeMillis))
      yield* TestClock.adjust(2 * minute)
      expect(yield* Fiber.join(next)).toBe(origin + minute)
    }))

  it.effect("a learned limit outlives its dropped window; a limit passed with a request is not learned", () =>
    Effect.gen(function*() {
      const registry = RateLimit.makeRegistry(() => 60, 1)
      registry.setLimit(26, 240)
      expect(yield* burst(registry, 26, 240)).toHaveLength(240)
      // a run told 120 a minute for every organization holds 27 to it, for its own requests only
      const passed = yield* Effect.forkChild(
        Effect.forEach(Arr.range(1, 120), () => registry.limiter(27, 120)(Clock.currentTimeMillis), {
          concurrency: "unbounded"
        })
      )
      yield* TestClock.adjust(minute)
      expect(new Set(yield* Fiber.join(passed)).size).toBe(1)
      // ten minutes on, both windows are idle and a new organization sweeps them
      yield* TestClock.adjust(10 * minute)
      yield* registry.limiter(28)(Effect.void)
      expect(registry.size()).toBe(1)
      const learned = yield* burst(registry, 26, 240)
      expect(new Set(learned).size).toBe(1)
      const initial = yield* burst(registry, 27, 61)
      expect(initial.filter((start) => start === initial[0])).toHaveLength(60)
    }))
})

describe("the fiber's own limit", () => {
  it.effect("unset by default; provided, it is what the calling fiber sees", () =>
    Effect.gen(function*() {
      expect(yield* RateLimit.FiberLimiter).toBeUndefined()
      const registry = RateLimit.makeRegistry(() => 1)
      const seen = yield* Effect.provideService(
        Effect.gen(function*() {
          const limiterFor = yield* RateLimit.FiberLimiter
          if (limiterFor === undefined) return []
          return [yield* limiterFor(11)(Clock.currentTimeMillis), registry.size()]
        }),
        RateLimit.FiberLimiter,
        (organizationId) => registry.limiter(organizationId)
      )
      expect(seen).toEqual([0, 1])
      expect(yield* RateLimit.FiberLimiter).toBeUndefined()
    }))
})
