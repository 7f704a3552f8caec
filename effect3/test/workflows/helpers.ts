// Shared by the workflow suites: the workflows on the in-memory engine over the emulator, and a runner that lets the
// TestClock carry every wait (sync delay, retries, back-offs) of a run, however loaded the machine.
import { Chunk, Effect, Fiber, Layer, Scheduler, TestClock } from "effect"
import type * as Emulator from "../../src/testing/Emulator.js"
import { MakeTest } from "../../src/testing/index.js"
import type { ProvisionSpec } from "../../src/workflows/ProvisionSpec.js"
import * as Workflows from "../../src/workflows/Workflows.js"

/**
 * The scheduler of every fiber of a workflow test (the runs', the engine's, the emulator's): fibers yield to each
 * other through microtasks only. Effect's default scheduler yields through a real 0 ms timer after a while, and such a
 * timer may not have fired when {@link settle} looks (on a loaded machine, often not): the clock would then move while
 * a fiber still had work to do, and the run end later than its waits add up to.
 */
export const scheduler: Scheduler.Scheduler = new Scheduler.MixedScheduler(Number.MAX_SAFE_INTEGER)

/** Builds `inner` on {@link scheduler}, so that the fibers its layers fork and the emulator's runtime use it too. */
const onScheduler = <A, E, R>(inner: Layer.Layer<A, E, R>): Layer.Layer<A, E, R> =>
  Layer.unwrapScoped(Effect.withScheduler(Effect.map(Layer.build(inner), Layer.succeedContext), scheduler))

/**
 * How long a workflow test may take in real time: a guard against a hang, never what a test asserts (its times are
 * virtual). Generous, because two copies of the suites on two busy cores take several times what one takes alone.
 */
export const runTimeout = 60_000

/** The workflows (in-memory engine) over the services over a fresh emulator. */
export const layer = (options?: MakeTest.Options) =>
  onScheduler(Workflows.layerMemory.pipe(Layer.provideMerge(MakeTest.layer({ syncDelay: "2 seconds", ...options }))))

interface InFlight {
  count: number
}

const isInFlight = (value: unknown): value is InFlight =>
  typeof value === "object" && value !== null && "count" in value && typeof value.count === "number"

const digestsKey = Symbol.for("effect-make/test/workflows/digestsInFlight")

/**
 * How many WebCrypto digests are in flight. The workflow engine derives execution ids with `crypto.subtle.digest`,
 * which completes on libuv's thread pool, outside the event loop's queues: however many turns {@link settle} lets
 * pass, a digest may not be back yet (under load, often not), and a run that starts then would start late. The
 * counter wraps `digest` once per process (test files share their worker), changing nothing of what it does.
 */
const digestsInFlight = (): InFlight => {
  const existing: unknown = Reflect.get(globalThis, digestsKey)
  if (isInFlight(existing)) return existing
  const inFlight: InFlight = { count: 0 }
  const subtle = globalThis.crypto.subtle
  const digest = subtle.digest.bind(subtle)
  Object.defineProperty(subtle, "digest", {
    configurable: true,
    value: (algorithm: AlgorithmIdentifier, data: BufferSource): Promise<ArrayBuffer> => {
      inFlight.count++
      return digest(algorithm, data).finally(() => {
        inFlight.count--
      })
    }
  })
  Reflect.set(globalThis, digestsKey, inFlight)
  return inFlight
}

const digests = digestsInFlight()

/** One turn of the event loop: every microtask runs first, so every fiber (on {@link scheduler}) runs until it waits. */
const turn = Effect.zipRight(
  Effect.yieldNow(),
  Effect.promise(() => new Promise<void>((resolve) => setImmediate(resolve)))
)

/**
 * Lets every fiber run until it waits on the TestClock: turns of the event loop until no digest has been in flight for
 * two of them. Nothing else the runs do leaves the event loop's queues, so this depends on no amount of real time.
 */
const quiesce = Effect.gen(function*() {
  let quiet = 0
  while (quiet < 2) {
    yield* turn
    quiet = digests.count === 0 ? quiet + 1 : 0
  }
})

/**
 * Runs an effect in the background and moves the TestClock from one wake-up to the next until it is done. Each step
 * waits until the run is idle, then sets the clock to the earliest sleep: the virtual time a run ends at is then the
 * time its waits add up to, not rounded up to a fixed step. A run idle with nothing asleep waits on something no
 * clock will bring: that is a hang, and fails at once rather than moving the clock by some amount.
 */
export const settle = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.gen(function*() {
    const fiber = yield* Effect.fork(Effect.withScheduler(Effect.exit(effect), scheduler))
    for (let i = 0; i < 5_000; i++) {
      yield* quiesce
      const done = yield* fiber.poll
      if (done._tag === "Some") break
      const sleeps = yield* TestClock.sleeps()
      const next = Chunk.reduce(sleeps, Number.POSITIVE_INFINITY, (earliest, at) => Math.min(earliest, at))
      if (!Number.isFinite(next)) return yield* Effect.dieMessage("settle: the run waits, and not on the TestClock")
      yield* TestClock.setTime(next)
    }
    return yield* Fiber.join(fiber)
  })

/** A spec: one organization, its teams, two variables, an invitation and a feature control. */
export const acmeSpec = (name: string, teams: number = 3): ProvisionSpec => ({
  organization: { name, regionId: 1, timezoneId: 113, countryId: 1 },
  teams: Array.from({ length: teams }, (_, i) => ({ name: `Team ${i + 1}` })),
  variables: [
    { name: "region", typeId: 2, value: "eu" },
    { name: "dailyLimit", typeId: 1, value: 100 }
  ],
  invitations: [{
    email: `ops@${name.toLowerCase().replace(/[^a-z0-9]/g, "")}.example.com`,
    name: "Ops",
    teams: ["Team 1"]
  }],
  featureControls: [{ id: 7, enabled: true }]
})

/** The writes (non-GET requests) the emulator received. */
export const writes = (log: ReadonlyArray<Emulator.RecordedRequest>) => log.filter((r) => r.method !== "GET")
