// Shared by the workflow suites: the workflows on the in-memory engine over the emulator, the emulator's state by
// organization, and a runner that lets the TestClock carry every wait of a run (sync delay, retries, back-offs).
// Ported from the Effect 3 line; imports `effect`, src/.
import { Cause, Effect, Exit, Fiber, Layer, Predicate } from "effect"
import { WebCrypto } from "effect/crypto"
import { TestClock } from "effect/testing"
import * as Emulator from "../../src/testing/Emulator.js"
import * as Store from "../../src/testing/emulator/Store.js"
import * as MakeTest from "../../src/testing/MakeTest.js"
import type { ProvisionSpec } from "../../src/workflows/ProvisionSpec.js"
import * as Workflows from "../../src/workflows/Workflows.js"

/**
 * How long a workflow test may take in real time: a guard against a hang, never what a test asserts (its times are
 * virtual). Generous, because two copies of the suites on two busy cores take several times what one takes alone.
 */
export const runTimeout = 60_000

/** How many WebCrypto digests are in flight (see {@link countedCrypto}). */
let digestsInFlight = 0

/**
 * `globalThis.crypto` with its digests counted. The workflow engine derives execution ids with `crypto.subtle.digest`
 * (through the `WebCrypto` reference), which completes on libuv's thread pool, outside the event loop's queues: a run
 * waiting on one is busy, not waiting on the clock. Effect 3 patched the global; here the reference is provided.
 */
const subtle = new Proxy(globalThis.crypto.subtle, {
  get: (target, property) => {
    const value: unknown = Reflect.get(target, property)
    if (property !== "digest" || typeof value !== "function") {
      return typeof value === "function" ? value.bind(target) : value
    }
    return (algorithm: AlgorithmIdentifier, data: BufferSource): Promise<ArrayBuffer> => {
      digestsInFlight++
      return target.digest(algorithm, data).finally(() => {
        digestsInFlight--
      })
    }
  }
})
export const countedCrypto = new Proxy(globalThis.crypto, {
  get: (target, property) => {
    if (property === "subtle") return subtle
    const value: unknown = Reflect.get(target, property)
    return typeof value === "function" ? value.bind(target) : value
  }
})

/** The workflows (in-memory engine) over the services over a fresh emulator (2 s sync delay, as on Effect 3). */
export const layer = (options?: MakeTest.Options) =>
  Workflows.layerMemory.pipe(
    Layer.provideMerge(MakeTest.layer({ syncDelay: "2 seconds", ...options })),
    Layer.provideMerge(WebCrypto.layer(countedCrypto))
  )

/** One turn of the event loop: every microtask and every immediate queued before it runs first. */
const turn = Effect.andThen(
  Effect.yieldNow,
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
    quiet = digestsInFlight === 0 ? quiet + 1 : 0
  }
})

/** The clock's step: the back-offs are whole seconds, the sync wait's reads quarter seconds. */
const step = 250

/**
 * Runs an effect in the background and moves the TestClock until it is done: each step lets the runs go idle (no
 * fiber runnable, no digest in flight), then moves the clock by {@link step}. Within a step the TestClock wakes each
 * sleep at its own instant and waits for the fibers it woke to suspend, so a run ends at the time its waits add up
 * to; only a fiber that leaves the event loop in the middle of a step (a digest) would start its next wait up to one
 * step late. Effect 3's runner jumped to the next pending sleep (`TestClock.sleeps()`), which Effect 4's TestClock
 * does not list; a run that waits on anything but the clock is caught by the test's timeout, not at once.
 */
export const settle = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.gen(function*() {
    const fiber = yield* Effect.forkChild(Effect.exit(effect))
    // a day of virtual time at most: far beyond any run of the suites
    for (let i = 0; i < (24 * 3_600_000) / step; i++) {
      yield* quiesce
      const done = fiber.pollUnsafe()
      if (done !== undefined) break
      yield* TestClock.adjust(step)
    }
    const exit = yield* Fiber.join(fiber)
    return exit
  })

/** Whether the emulator counts the request against `organizationId` (its path, `organizationId` query or body). */
export const concerns = (organizationId: number) => (request: Emulator.RecordedRequest): boolean =>
  request.path === `/organizations/${organizationId}` || request.path.startsWith(`/organizations/${organizationId}/`) ||
  (request.path === "/admin/teams" &&
    (request.query["organizationId"] === String(organizationId) ||
      (Predicate.hasProperty(request.body, "organizationId") && request.body.organizationId === organizationId)))

/** The exit's value, or the test fails saying what the cause was. */
export const succeed = <A, E>(exit: Exit.Exit<A, E>): A => {
  if (Exit.isFailure(exit)) throw new Error(`expected a success, got ${Cause.pretty(exit.cause)}`)
  return exit.value
}

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

/** What the emulator holds for an organization (Effect 3's `emulator.variables(id)`, `invitations(id)`, ...). */
export const held = (organizationId: number) =>
  Effect.map(Effect.flatMap(Emulator.Emulator, (emulator) => emulator.snapshot), (data) => ({
    teams: Store.teamsOf(data, organizationId),
    variables: Store.inOrganization(data.variables, organizationId),
    invitations: Store.inOrganization(data.invitations, organizationId),
    featureControls: Store.inOrganization(data.featureControls, organizationId)
  }))
