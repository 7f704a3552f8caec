// Shared by the workflow suites: the workflows on the in-memory engine over the emulator, and a runner that lets the
// TestClock carry every wait (sync delay, retries, back-offs) of a run.
import { Chunk, Effect, Fiber, Layer, TestClock } from "effect"
import type * as Emulator from "../../src/testing/Emulator.js"
import { MakeTest } from "../../src/testing/index.js"
import type { ProvisionSpec } from "../../src/workflows/ProvisionSpec.js"
import * as Workflows from "../../src/workflows/Workflows.js"

/** The workflows (in-memory engine) over the services over a fresh emulator. */
export const layer = (options?: MakeTest.Options) =>
  Workflows.layerMemory.pipe(Layer.provideMerge(MakeTest.layer({ syncDelay: "2 seconds", ...options })))

/** Lets every fiber run until it waits: turns of the scheduler and of the event loop (the emulator is asynchronous). */
const quiesce = Effect.forEach(
  Array.from({ length: 20 }),
  () => Effect.zipRight(Effect.yieldNow(), Effect.promise(() => new Promise<void>((resolve) => setImmediate(resolve)))),
  { discard: true }
)

/**
 * Runs an effect in the background and moves the TestClock from one wake-up to the next until it is done. Each step
 * waits until the run is idle, then sets the clock to the earliest sleep: the virtual time a run ends at is then the
 * time its waits add up to, not rounded up to a fixed step.
 */
export const settle = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.gen(function*() {
    const fiber = yield* Effect.fork(Effect.exit(effect))
    for (let i = 0; i < 5_000; i++) {
      yield* quiesce
      const done = yield* fiber.poll
      if (done._tag === "Some") break
      const sleeps = yield* TestClock.sleeps()
      const next = Chunk.reduce(sleeps, Number.POSITIVE_INFINITY, (earliest, at) => Math.min(earliest, at))
      yield* Number.isFinite(next) ? TestClock.setTime(next) : TestClock.adjust("1 second")
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
