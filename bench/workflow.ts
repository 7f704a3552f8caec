// The workflow sections: `provision` against the sequential script at 20 ms of latency (both lines taking turns), and
// many runs at once under a per-organization limit on the TestClock (virtual time against the bound the limit allows).
import { Cause, Clock, Effect, Exit, Fiber, Layer, ManagedRuntime, Predicate, Redacted } from "effect"
import { WebCrypto } from "effect/crypto"
import { TestClock } from "effect/testing"
import { existsSync } from "node:fs"
import { join } from "node:path"
import { pathToFileURL } from "node:url"
import { AdminTeams } from "../src/AdminTeams.js"
import * as NodeMakeApi from "../src/node/NodeMakeApi.js"
import { Organizations } from "../src/Organizations.js"
import * as Emulator from "../src/testing/Emulator.js"
import * as MakeTest from "../src/testing/MakeTest.js"
import * as Provision from "../src/workflows/Provision.js"
import type { ProvisionSpec } from "../src/workflows/ProvisionSpec.js"
import * as Workflows from "../src/workflows/Workflows.js"
import { median, quick, round, token } from "./harness.js"

/**
 * Rounds of the speed section: a round takes about 3 s (the sequential script most of it), and on the shared 2-core
 * machine the median of five rounds moved the speed-up at concurrency 50 between 5.3× and 7.9× from run to run.
 */
const workflowRounds = quick ? 1 : 9
const teams = 50

/** One organization and `count` new teams, nothing else. */
const teamsSpec = (name: string, count: number): ProvisionSpec => ({
  organization: { name, regionId: 1, timezoneId: 113, countryId: 1 },
  teams: Array.from({ length: count }, (_, i) => ({ name: `Team ${i + 1}` })),
  variables: [],
  invitations: [],
  featureControls: []
})

/**
 * The baseline: a plain loop with the same client, one call at a time: create the organization, then each team (51
 * calls). The emulator's sync delay is 0, so the script needs no wait for the zone; `provision` still sends its own.
 */
const sequential = (name: string) =>
  Effect.gen(function*() {
    const orgs = yield* Organizations
    const admin = yield* AdminTeams
    const { organization } = yield* orgs.create({ name, regionId: 1, timezoneId: 113, countryId: 1 })
    for (let i = 1; i <= teams; i++) yield* admin.create({ name: `Team ${i}`, organizationId: organization.id })
  })

/** A run made ready (client, engine) before the clock starts, then timed alone. */
interface Prepared {
  readonly run: () => Promise<unknown>
  readonly dispose: () => Promise<void>
}

/** This line: the workflows on the in-memory engine over the Node layer, fresh for each run. */
const effect4Run = async (
  baseUrl: string,
  program: Effect.Effect<unknown, unknown, Layer.Success<typeof Workflows.layerMemory> | Workflows.Services>
): Promise<Prepared> => {
  const runtime = ManagedRuntime.make(
    Workflows.layerMemory.pipe(
      Layer.provideMerge(Layer.orDie(NodeMakeApi.layer({ token: Redacted.make(token), baseUrl })))
    )
  )
  await runtime.context()
  return {
    run: async () => {
      const exit = await runtime.runPromiseExit(program)
      if (Exit.isFailure(exit)) throw new Error(`workflow bench: a run failed: ${Cause.pretty(exit.cause)}`)
    },
    dispose: () => runtime.dispose()
  }
}

type Effect3Provision = (
  baseUrl: string,
  token: string,
  name: string,
  teams: number,
  concurrency: number
) => Promise<unknown>

const hasProvision = (module: unknown): module is { readonly provision: Effect3Provision } =>
  typeof module === "object" && module !== null && "provision" in module && typeof module.provision === "function"

const isPrepared = (value: unknown): value is Prepared =>
  typeof value === "object" && value !== null && "run" in value && typeof value.run === "function" &&
  "dispose" in value && typeof value.dispose === "function"

/** The Effect 3 line's `provision` (effect3/bench/line.mjs), or `undefined` when it is not built here. */
const effect3Provision = async (root: string) => {
  if (!existsSync(join(root, "effect3/dist/index.js"))) return undefined
  const module: unknown = await import(pathToFileURL(join(root, "effect3/bench/line.mjs")).href)
  if (!hasProvision(module)) return undefined
  return async (baseUrl: string, name: string, concurrency: number): Promise<Prepared> => {
    const made = await module.provision(baseUrl, token, name, teams, concurrency)
    if (!isPrepared(made)) throw new Error("effect3/bench/line.mjs: provision did not answer a run")
    return made
  }
}

/**
 * 1 organization + 50 teams against the emulator in its own process, every request delayed 20 ms there (fault plan
 * `latency`), sync delay 0 so that only the calls are compared: the sequential script against `provision` at its
 * default concurrency (5) and at 50, on this line and (when built) the Effect 3 line. A fresh client and engine per
 * run, made before the clock starts, a new organization name each time; rounds alternate; medians of wall time.
 */
export const workflowSpeed = async (root: string, baseUrl: string) => {
  let runs = 0
  const name = () => `Bench ${++runs}`
  const old = await effect3Provision(root)
  const contenders: Array<readonly [string, () => Promise<Prepared>]> = [
    ["sequential script (1.x client)", () => effect4Run(baseUrl, sequential(name()))],
    ...[5, 50].map((concurrency) =>
      [
        `effect-make 1.x provision, concurrency ${concurrency}${concurrency === 5 ? " (default)" : ""}`,
        () => effect4Run(baseUrl, Provision.provision(teamsSpec(name(), teams), { concurrency }))
      ] as const
    ),
    ...(old === undefined ? [] : [5, 50].map((concurrency) =>
      [
        `effect-make 0.x provision, concurrency ${concurrency}${concurrency === 5 ? " (default)" : ""}`,
        () => old(baseUrl, name(), concurrency)
      ] as const
    ))
  ]
  const timed = async (prepare: () => Promise<Prepared>) => {
    const prepared = await prepare()
    const begin = performance.now()
    await prepared.run()
    const ms = performance.now() - begin
    await prepared.dispose()
    return ms
  }
  for (const [, prepare] of contenders) await timed(prepare) // warm-up: JIT, connections
  const samples = new Map<string, Array<number>>(contenders.map(([label]) => [label, []]))
  for (let i = 0; i < workflowRounds; i++) {
    for (const [label, prepare] of contenders) samples.get(label)?.push(await timed(prepare))
  }
  const baseline = median(samples.get(contenders[0]?.[0] ?? "") ?? [])
  const rows = contenders.map(([label]) => {
    const xs = samples.get(label) ?? []
    return {
      run: label,
      wallMs: round(median(xs), 0),
      speedup: round(baseline / median(xs)),
      roundsMs: xs.map((ms) => round(ms, 0)).join(" / ")
    }
  })
  console.log(
    `\nWorkflow: 1 organization + ${teams} teams, 20 ms emulator latency (median of ${workflowRounds} alternating rounds)`
  )
  console.table(rows)
  if (old === undefined) console.log("effect-make 0.x: not built here (npm --prefix effect3 run build), no row")
  return rows
}

// ---------------------------------------------------------------------------
// Under a per-organization limit, on the TestClock
// ---------------------------------------------------------------------------

/** How many WebCrypto digests are in flight: the engine derives execution ids with them, off the event loop. */
let digestsInFlight = 0

/** `globalThis.crypto` with its digests counted, given to the engine through the `WebCrypto` reference. */
const countedCrypto = (): Crypto => {
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
  return new Proxy(globalThis.crypto, {
    get: (target, property) => {
      if (property === "subtle") return subtle
      const value: unknown = Reflect.get(target, property)
      return typeof value === "function" ? value.bind(target) : value
    }
  })
}

/** One turn of the event loop: every microtask and every immediate queued before it runs first. */
const turn = Effect.andThen(
  Effect.yieldNow,
  Effect.promise(() => new Promise<void>((resolve) => setImmediate(resolve)))
)

/** Turns of the event loop until no digest has been in flight for two of them: every run waits on the clock. */
const quiesce = Effect.gen(function*() {
  let quiet = 0
  while (quiet < 2) {
    yield* turn
    quiet = digestsInFlight === 0 ? quiet + 1 : 0
  }
})

/**
 * Runs `effect` in the background and moves the TestClock 250 ms at a time (the sync wait's reads are quarter seconds)
 * until it is done, letting the runs go idle before each step (as test/workflows/helpers.ts does).
 */
const settle = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.gen(function*() {
    const fiber = yield* Effect.forkChild(Effect.exit(effect))
    for (let i = 0; i < (3_600_000 / 250); i++) {
      yield* quiesce
      if (fiber.pollUnsafe() !== undefined) break
      yield* TestClock.adjust(250)
    }
    return yield* Fiber.join(fiber)
  })

/** The earliest start of each request (arrival order) under "at most `limit` starting in any 60 s", first come first served. */
const earliestStarts = (arrivals: ReadonlyArray<number>, limit: number): Array<number> => {
  const started: Array<number> = []
  for (const at of arrivals) {
    started.push(Math.max(at, (started[started.length - limit] ?? Number.NEGATIVE_INFINITY) + 60_000))
  }
  return started
}

/** The requests a run sends about its new organization: the held sync read and the team creates (no list). */
const requestsPerOrganization = (teams: number) => 1 + teams

/**
 * The earliest a set of runs can end under the limits, requests taking no time (virtual clock): each organization's
 * lookup and create count against the requests about no organization; its held sync read goes out when it is
 * created, and the zone answers `syncDelayMs` later; then its team creates (a new organization's teams come with the
 * create's answer, unlisted), all against its limit.
 */
export const lowerBound = (organizations: number, teams: number, limit: number, syncDelayMs: number): number => {
  const shared = earliestStarts(Array.from({ length: 2 * organizations }, () => 0), limit)
  let bound = 0
  for (let i = 0; i < organizations; i++) {
    const createdAt = shared[organizations + i] ?? 0
    const creates = Array.from({ length: requestsPerOrganization(teams) - 1 }, () => createdAt + syncDelayMs)
    const own = earliestStarts([createdAt, ...creates], limit)
    bound = Math.max(bound, own[own.length - 1] ?? 0, createdAt + syncDelayMs)
  }
  return bound
}

/** The organization a request concerns, as the emulator counts it (its path, `organizationId` query or body). */
export const organizationOf = (request: Emulator.RecordedRequest): string | undefined =>
  /^\/organizations\/(\d+)/.exec(request.path)?.[1] ??
    (request.path.startsWith("/admin/teams")
      ? (typeof request.query["organizationId"] === "string" ? request.query["organizationId"] : undefined) ??
        (Predicate.hasProperty(request.body, "organizationId") ? String(request.body.organizationId) : "?")
      : undefined)

/**
 * N organizations x M teams at once under a per-organization limit (the emulator answering 429 past `limit` requests
 * in a sliding minute, for every organization and for the requests about none; the runs held to the same limit), on
 * the TestClock: the virtual wall time against the lower bound the limits allow, and the 429s met.
 */
const underLimit = async (organizations: number, teamsEach: number) => {
  const limit = 60
  const syncDelayMs = 2000
  const specs = Array.from({ length: organizations }, (_, i) => teamsSpec(`Org ${i + 1}`, teamsEach))
  const program = Effect.gen(function*() {
    const exit = yield* settle(Effect.zip(
      Effect.forEach(
        specs,
        (spec) => Effect.exit(Provision.provision(spec, { rateLimit: { requestsPerMinute: limit } })),
        { concurrency: "unbounded" }
      ),
      Clock.currentTimeMillis
    ))
    if (Exit.isFailure(exit)) return yield* Effect.die(exit.cause)
    const [exits, doneAt] = exit.value
    return { exits, doneAt, log: yield* Emulator.requests }
  }).pipe(
    Effect.provide(
      Workflows.layerMemory.pipe(
        Layer.provideMerge(MakeTest.layer({ syncDelay: `${syncDelayMs} millis`, rateLimit: { perMinute: limit } })),
        Layer.provideMerge(WebCrypto.layer(countedCrypto()))
      )
    ),
    Effect.provide(TestClock.layer())
  )
  const began = performance.now()
  const { doneAt, exits, log } = await Effect.runPromise(program)
  const cpuMs = performance.now() - began
  const bound = lowerBound(organizations, teamsEach, limit, syncDelayMs)
  const perOrganization = new Map<string, number>()
  for (const request of log) {
    const key = organizationOf(request)
    if (key !== undefined) perOrganization.set(key, (perOrganization.get(key) ?? 0) + 1)
  }
  return {
    organizations,
    teamsEach,
    limitPerMinute: limit,
    syncDelayS: syncDelayMs / 1000,
    requestsNeededPerOrganization: requestsPerOrganization(teamsEach),
    requestsSentPerOrganization: Math.max(...perOrganization.values()),
    requestsAboutNone: log.filter((request) => organizationOf(request) === undefined).length,
    lowerBoundS: round(bound / 1000, 2),
    virtualWallS: round(doneAt / 1000, 2),
    ratio: round(doneAt / bound),
    responses429: log.filter((request) => request.status === 429).length,
    failedRuns: exits.filter(Exit.isFailure).length,
    realS: round(cpuMs / 1000, 1)
  }
}

/** 20 organizations x 10 and x 150 teams at 60 requests a minute (TestClock). */
export const workflowLimits = async () => {
  const rows = [await underLimit(20, 10), await underLimit(20, quick ? 70 : 150)]
  console.log("\nWorkflow under a 60/min per-organization limit, TestClock (virtual seconds; the bound the limits allow)")
  console.table(rows)
  return rows
}
