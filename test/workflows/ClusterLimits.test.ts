// The cluster's per-organization limit (ClusterLimits: the OrganizationLimiter entity on effect/cluster's TestRunner,
// in process, on the TestClock): callers as if on several replicas share one window; leases never released expire; a
// learned limit holds everywhere; a window that moves to another runner starts from the slots still counting.
import { describe, expect, it } from "@effect/vitest"
import { Clock, Context, Effect, Exit, Fiber, Layer, Schema, Scope } from "effect"
import { TestRunner } from "effect/cluster"
import { TestClock } from "effect/testing"
import * as ClusterLimits from "../../src/workflows/ClusterLimits.js"
import * as Limits from "../../src/workflows/internal/limits.js"
import { earliestStarts, mostInAnyWindow } from "../windows.js"
import { settle } from "./helpers.js"

const minute = 60_000

/** The cluster limits over a fresh TestRunner, with the slots `slots` keeps. */
const cluster = (
  slots: Layer.Layer<ClusterLimits.Slots> = ClusterLimits.slotsMemory,
  options?: ClusterLimits.Options
) => ClusterLimits.layer(options).pipe(Layer.provideMerge(TestRunner.layer), Layer.provideMerge(slots))

/**
 * The replicas' limits over one cluster: each its own client (a layer built apart, as in a process of its own) over
 * the cluster's sharding.
 */
const replicas = (count: number) =>
  Effect.gen(function*() {
    const shared = yield* Layer.build(cluster())
    const limits = yield* Effect.forEach(Array.from({ length: count }), () =>
      Effect.map(
        Layer.build(ClusterLimits.layer().pipe(Layer.fresh, Layer.provide(Layer.succeedContext(shared)))),
        Context.get(Limits.OrganizationLimits)
      ))
    return { shared, limits }
  })

/**
 * Waits until the cluster delivers (a fresh runner takes its shards first: a message sent before is retried a
 * moment later), through an entity no test uses; the time then is the tests' origin.
 */
const ready = Effect.gen(function*() {
  const client = yield* ClusterLimits.OrganizationLimiter.client
  yield* client("ready").Learn({ apiLimit: 60 })
  return yield* Clock.currentTimeMillis
})

/** When each task starts, in millis since `origin` (set once the cluster is ready), in start order. */
const startLog = () => {
  const starts: Array<number> = []
  let origin = 0
  const task = (hold: number = 0) =>
    Effect.andThen(
      Effect.flatMap(Clock.currentTimeMillis, (at) => Effect.sync(() => starts.push(at - origin))),
      Effect.sleep(hold)
    )
  const begin = Effect.map(ready, (at) => {
    origin = at
  })
  return { starts, task, begin }
}

const between = (minimum: number, maximum: number) => Schema.Int.check(Schema.isBetween({ minimum, maximum }))

describe("ClusterLimits", () => {
  it.effect.prop(
    "calls from three replicas that take time: wherever between send and answer each arrives, no minute holds more",
    {
      limit: between(1, 6),
      // Which replica calls, when, how long until it is answered, and where in that time Make counts it.
      calls: Schema.Array(
        Schema.Struct({
          replica: between(0, 2),
          at: Schema.Union([between(0, 180_000), Schema.Literals([0, 59_999, 60_000, 60_001])]),
          takes: between(0, 5_000),
          arrivesAt: Schema.Finite.check(Schema.isBetween({ minimum: 0, maximum: 1 }))
        })
      ).check(Schema.isMaxLength(24))
    },
    ({ calls, limit }) =>
      Effect.gen(function*() {
        const { limits, shared } = yield* replicas(3)
        yield* settle(Effect.provideContext(ready, shared))
        // the call, sent and answered `takes` later; when Make counts it
        const call = (takes: number, arrivesAt: number) =>
          Effect.gen(function*() {
            const sent = yield* Clock.currentTimeMillis
            yield* Effect.sleep(takes)
            return sent + takes * arrivesAt
          })
        const arrivals = yield* Effect.forkChild(Effect.forEach(calls, ({ arrivesAt, at, replica, takes }) => {
          const on = limits[replica]
          if (on === undefined) return Effect.die(`no replica ${replica}`)
          return Effect.andThen(Effect.sleep(at), on.limiter(42, limit)(call(takes, arrivesAt)))
        }, { concurrency: "unbounded" }))
        yield* TestClock.adjust(180_000 + calls.length * (minute + 5_000))
        const arrived = (yield* Fiber.join(arrivals)).sort((a, b) => a - b)
        expect(arrived).toHaveLength(calls.length)
        expect(mostInAnyWindow(arrived, minute)).toBeLessThanOrEqual(limit)
      }),
    { timeout: 60_000, arbitrary: { runs: 25 } }
  )

  it.effect("three replicas' calls on one organization (60 a minute): at most 60 in any minute, none later than due", () =>
    Effect.gen(function*() {
      const { limits: three, shared } = yield* replicas(3)
      const { begin, starts, task } = startLog()
      const calls = three.flatMap((limits) => Array.from({ length: 50 }, () => limits.limiter(42)(task())))
      const exit = yield* settle(
        Effect.andThen(Effect.provideContext(begin, shared), Effect.all(calls, { concurrency: "unbounded" }))
      )
      expect(Exit.isSuccess(exit)).toBe(true)
      expect(starts.length).toBe(150)
      expect(mostInAnyWindow(starts, minute)).toBe(60)
      // as early as one window of 60 allows: 60 at once, 60 a minute later, 30 two minutes later
      expect(starts).toEqual(earliestStarts(starts.map(() => ({ at: 0 })), 60, minute))
    }))

  it.effect("a slot counts until a minute after its task ends, on whichever replica it ran", () =>
    Effect.gen(function*() {
      const { limits: [north, south], shared } = yield* replicas(2)
      if (north === undefined || south === undefined) return yield* Effect.die("two replicas")
      const { begin, starts, task } = startLog()
      // north's 60 calls take 10 s each; south's call may start only a minute after the first of them ends
      const exit = yield* settle(
        Effect.andThen(
          Effect.provideContext(begin, shared),
          Effect.all([
            Effect.all(Array.from({ length: 60 }, () => north.limiter(42)(task(10_000))), { concurrency: "unbounded" }),
            Effect.andThen(Effect.sleep(1000), south.limiter(42)(task()))
          ], { concurrency: "unbounded" })
        )
      )
      expect(Exit.isSuccess(exit)).toBe(true)
      expect(starts.at(-1)).toBe(10_000 + minute)
    }))

  it.effect("a lease never released (its replica died mid-request) counts until its timeout after the grant", () =>
    Effect.gen(function*() {
      const { begin, task, starts } = startLog()
      const result = yield* settle(
        Effect.gen(function*() {
          yield* begin
          const limits = yield* Limits.OrganizationLimits
          const entity = (yield* ClusterLimits.OrganizationLimiter.client)(ClusterLimits.entityId(42))
          // a dead replica's 60 grants: acquired, never released
          yield* Effect.forEach(Array.from({ length: 60 }, (_, i) => `dead-${i}`), (lease) => entity.Acquire({ lease }))
          yield* limits.limiter(42)(task())
        }).pipe(Effect.provide(cluster(ClusterLimits.slotsMemory, { leaseTimeout: "90 seconds" })))
      )
      expect(Exit.isSuccess(result)).toBe(true)
      expect(starts).toEqual([90_000])
    }))

  it.effect("a caller interrupted while it waits takes no slot and holds nobody up", () =>
    Effect.gen(function*() {
      const { begin, task, starts } = startLog()
      const result = yield* settle(
        Effect.gen(function*() {
          yield* begin
          const limits = yield* Limits.OrganizationLimits
          const oneAMinute = limits.limiter(7, 1)
          yield* oneAMinute(task())
          const gaveUp = yield* Effect.forkChild(oneAMinute(task()))
          yield* Effect.sleep(1000)
          yield* Fiber.interrupt(gaveUp)
          yield* oneAMinute(task())
        }).pipe(Effect.provide(cluster()))
      )
      expect(Exit.isSuccess(result)).toBe(true)
      expect(starts).toEqual([0, minute])
    }))

  it.effect("a limit learned on one replica holds on every other: 120 at once, the 121st a minute later", () =>
    Effect.gen(function*() {
      const { limits: [reader, caller], shared } = yield* replicas(2)
      if (reader === undefined || caller === undefined) return yield* Effect.die("two replicas")
      const { begin, starts, task } = startLog()
      const exit = yield* settle(
        Effect.andThen(
          Effect.andThen(Effect.provideContext(begin, shared), reader.learn(42, 120)),
          Effect.all(Array.from({ length: 121 }, () => caller.limiter(42)(task())), { concurrency: "unbounded" })
        )
      )
      expect(Exit.isSuccess(exit)).toBe(true)
      expect(starts.filter((at) => at === 0).length).toBe(120)
      expect(starts.at(-1)).toBe(minute)
    }))

  it.effect("requests about no organization share one window of their own", () =>
    Effect.gen(function*() {
      const { begin, starts, task } = startLog()
      const exit = yield* settle(
        Effect.gen(function*() {
          yield* begin
          const limits = yield* Limits.OrganizationLimits
          yield* Effect.all(Array.from({ length: 61 }, () => limits.limiter(undefined)(task())), {
            concurrency: "unbounded"
          })
          // another organization's window is untouched by them
          yield* limits.limiter(42)(task())
        }).pipe(Effect.provide(cluster()))
      )
      expect(Exit.isSuccess(exit)).toBe(true)
      expect(starts.slice(-2)).toEqual([minute, minute])
      expect(ClusterLimits.entityId(undefined)).toBe("shared")
    }))

  it.effect("a window that moves to another runner starts from the slots still counting, not empty", () =>
    Effect.gen(function*() {
      const slots = yield* Layer.build(ClusterLimits.slotsMemory)
      const kept = Layer.succeedContext(slots)
      const { begin, starts, task } = startLog()
      const exit = yield* settle(Effect.gen(function*() {
        // the first runner grants 60 slots at 0 (answered at once), then dies
        const first = yield* Scope.make()
        const before = yield* Layer.buildWithScope(cluster(kept), first)
        const limits = Context.get(before, Limits.OrganizationLimits)
        yield* Effect.provideContext(begin, before)
        yield* Effect.all(Array.from({ length: 60 }, () => limits.limiter(42)(task())), { concurrency: "unbounded" })
        yield* Effect.sleep(5000)
        yield* Scope.close(first, Exit.void)
        // the next runner holds the organization's window from the slots kept
        const next = yield* Layer.build(cluster(kept))
        yield* Effect.provideContext(ready, next)
        const after = Context.get(next, Limits.OrganizationLimits)
        yield* after.limiter(42)(task())
      }))
      expect(Exit.isSuccess(exit)).toBe(true)
      expect(starts.length).toBe(61)
      expect(starts.at(-1)).toBe(minute)
    }))

  it.effect("the slots in memory: each lease's latest end; a write drops its window's slots past, a start everyone's", () =>
    Effect.gen(function*() {
      const slots = yield* ClusterLimits.Slots
      yield* slots.save("organization-42", ["a", 70_000], 0)
      yield* slots.save("organization-42", ["b", 30_000], 0)
      yield* slots.save("organization-42", ["a", 90_000], 10_000)
      yield* slots.save("organization-7", ["d", 40_000], 10_000)
      yield* slots.save("organization-42", ["e", 95_000], 35_000)
      expect(yield* slots.load("organization-42", 35_000)).toEqual([["a", 90_000], ["e", 95_000]])
      expect(yield* slots.load("organization-7", 35_000)).toEqual([["d", 40_000]])
      expect(yield* slots.load("organization-7", 40_000)).toEqual([])
    }).pipe(Effect.provide(ClusterLimits.slotsMemory)))
})
