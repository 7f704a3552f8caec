// Shared by the workflow suites: the workflows on the in-memory engine over the emulator, and a runner that lets the
// TestClock carry every wait (sync delay, retries, back-offs) of a run.
import { Effect, Fiber, Layer, TestClock } from "effect"
import type * as Emulator from "../../src/testing/Emulator.js"
import { MakeTest } from "../../src/testing/index.js"
import type { ProvisionSpec } from "../../src/workflows/ProvisionSpec.js"
import * as Workflows from "../../src/workflows/Workflows.js"

/** The workflows (in-memory engine) over the services over a fresh emulator. */
export const layer = (options?: MakeTest.Options) =>
  Workflows.layerMemory.pipe(Layer.provideMerge(MakeTest.layer({ syncDelay: "2 seconds", ...options })))

/** Runs an effect in the background and advances the TestClock until it is done. */
export const settle = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.gen(function*() {
    const fiber = yield* Effect.fork(Effect.exit(effect))
    for (let i = 0; i < 200; i++) {
      const done = yield* fiber.poll
      if (done._tag === "Some") break
      yield* TestClock.adjust("5 seconds")
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
