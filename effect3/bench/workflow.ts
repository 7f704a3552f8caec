// Sections of `npm run bench` (see bench/run.ts).
import { Clock, Effect, Exit, Fiber, Layer, ManagedRuntime, Predicate, Redacted, TestClock, TestContext } from "effect"
import { AdminTeams, Organizations, Provision, type ProvisionSpec, Workflows } from "../src/index.js"
import { NodeMakeApi } from "../src/node/index.js"
import { Emulator, MakeTest } from "../src/testing/index.js"
import { quick, round, rounds, token } from "./harness.js"

// ---------------------------------------------------------------------------
// 6. Workflows: provision against the sequential script, and under a per-organization limit on the TestClock
// ---------------------------------------------------------------------------

const teamsSpec = (name: string, teams: number): ProvisionSpec.ProvisionSpec => ({
  organization: { name, regionId: 1, timezoneId: 113, countryId: 1 },
  teams: Array.from({ length: teams }, (_, i) => ({ name: `Team ${i + 1}` })),
  variables: [],
  invitations: [],
  featureControls: []
})

/**
 * The baseline: what `examples/provision.ts` did before the workflow, one call after another: create the
 * organization, read it with `wait=true` until the zone has it, create each team.
 */
const sequentialProvision = (name: string, teams: number) =>
  Effect.gen(function*() {
    const orgs = yield* Organizations.Organizations
    const admin = yield* AdminTeams.AdminTeams
    const { organization } = yield* orgs.create({ name, regionId: 1, timezoneId: 113, countryId: 1 })
    const synced = yield* orgs.get(organization.id, { wait: true })
    for (let i = 1; i <= teams; i++) yield* admin.create({ name: `Team ${i}`, organizationId: synced.id })
  })

/**
 * 1 organization + 50 teams, every request delayed 20 ms by the emulator (fault plan `latency`, real clock, sync delay
 * 0 so that only the calls are compared): the sequential script against `provision` at its default concurrency (5)
 * and at 50. A fresh emulator and engine per measurement (built before the clock starts); rounds alternate.
 */
type WorkflowContext =
  | Layer.Layer.Success<typeof Workflows.layerMemory>
  | Organizations.Organizations
  | AdminTeams.AdminTeams

/**
 * 1 organization + 50 teams against the emulator in its own process (as Make is), every request delayed 20 ms
 * there (fault plan `latency`), sync delay 0 so that only the calls are compared: the sequential script against
 * `provision` at its default concurrency (5) and at 50. A fresh client and engine per measurement (built before the
 * clock starts), a new organization name each time; rounds alternate.
 */
export const workflowSpeed = async (baseUrl: string) => {
  const teams = 50
  let runs = 0
  const timed = async (make: (name: string) => Effect.Effect<unknown, unknown, WorkflowContext>) => {
    const runtime = ManagedRuntime.make(
      Workflows.layerMemory.pipe(
        Layer.provideMerge(Layer.orDie(NodeMakeApi.layer({ token: Redacted.make(token), baseUrl })))
      )
    )
    await runtime.runtime()
    const name = `Bench ${++runs}`
    const begin = performance.now()
    const exit = await runtime.runPromiseExit(make(name))
    const ms = performance.now() - begin
    await runtime.dispose()
    if (Exit.isFailure(exit)) throw new Error(`workflow bench: a run failed: ${String(exit.cause)}`)
    return { ms }
  }
  const contenders: ReadonlyArray<
    readonly [string, (name: string) => Effect.Effect<unknown, unknown, WorkflowContext>]
  > = [
    ["sequential script", (name) => sequentialProvision(name, teams)],
    ["provision, concurrency 5 (default)", (name) => Provision.provision(teamsSpec(name, teams))],
    ["provision, concurrency 50", (name) => Provision.provision(teamsSpec(name, teams), { concurrency: 50 })]
  ]
  for (const [, effect] of contenders) await timed(effect) // warm-up: JIT
  const samples = new Map<string, Array<{ readonly ms: number }>>()
  for (let i = 0; i < rounds; i++) {
    for (const [name, effect] of contenders) samples.set(name, [...(samples.get(name) ?? []), await timed(effect)])
  }
  const median = (name: string) => {
    const sorted = [...(samples.get(name) ?? [])].sort((a, b) => a.ms - b.ms)
    const middle = sorted[Math.floor(sorted.length / 2)]
    if (middle === undefined) throw new Error(`no sample for ${name}`)
    return middle
  }
  const baseline = median("sequential script").ms
  const rows = contenders.map(([name]) => {
    const m = median(name)
    return {
      run: name,
      wallMs: round(m.ms, 0),
      speedup: round(baseline / m.ms),
      roundsMs: (samples.get(name) ?? []).map((sample) => round(sample.ms, 0)).join(" / ")
    }
  })
  console.log(
    `\nWorkflow: 1 organization + ${teams} teams, 20 ms emulator latency (median of ${rounds} alternating rounds)`
  )
  console.table(rows)
  return rows
}

/** The earliest start of each request (arrival order) under "at most `limit` starting in any 60 s", first come first served. */
const earliestStarts = (arrivals: ReadonlyArray<number>, limit: number): Array<number> => {
  const started: Array<number> = []
  for (const at of arrivals) {
    started.push(Math.max(at, (started[started.length - limit] ?? Number.NEGATIVE_INFINITY) + 60_000))
  }
  return started
}

/**
 * The earliest a set of runs can end under the limits, requests taking no time (virtual clock): each organization's
 * lookup and create count against the requests about no organization; its held sync read goes out when it is
 * created, and the zone answers `syncDelayMs` later; then its teams list and its team creates, all against its limit.
 */
const lowerBound = (organizations: number, teams: number, limit: number, syncDelayMs: number): number => {
  const shared = earliestStarts(Array.from({ length: 2 * organizations }, () => 0), limit)
  let bound = 0
  for (let i = 0; i < organizations; i++) {
    const createdAt = shared[organizations + i] ?? 0
    const own = earliestStarts(
      [createdAt, ...Array.from({ length: 1 + teams }, () => createdAt + syncDelayMs)],
      limit
    )
    bound = Math.max(bound, own[own.length - 1] ?? 0, createdAt + syncDelayMs)
  }
  return bound
}

/**
 * N organizations x M teams at once under a per-organization limit (the emulator answering 429 past `limit` requests
 * in a sliding minute, for every organization and for the requests about none; the runs held to the same limit), on
 * the TestClock: the virtual wall time against the lower bound the limits allow, and the 429s met.
 */
const workflowUnderLimit = async (organizations: number, teams: number) => {
  const limit = 60
  const syncDelayMs = 2000
  const specs = Array.from({ length: organizations }, (_, i) => teamsSpec(`Org ${i + 1}`, teams))
  const program = Effect.gen(function*() {
    const fiber = yield* Effect.fork(
      Effect.zip(
        Effect.forEach(
          specs,
          (spec) => Effect.exit(Provision.provision(spec, { rateLimit: { requestsPerMinute: limit } })),
          {
            concurrency: "unbounded"
          }
        ),
        Clock.currentTimeMillis
      )
    )
    for (let i = 0; i < 10_000 && (yield* fiber.poll)._tag === "None"; i++) yield* TestClock.adjust("1 second")
    const [exits, doneAt] = yield* Fiber.join(fiber)
    return { exits, doneAt, log: yield* Emulator.requests }
  }).pipe(
    Effect.provide(
      Workflows.layerMemory.pipe(
        Layer.provideMerge(MakeTest.layer({ syncDelay: `${syncDelayMs} millis`, rateLimit: { perMinute: limit } }))
      )
    ),
    Effect.provide(TestContext.TestContext)
  )
  const began = performance.now()
  const { doneAt, exits, log } = await Effect.runPromise(program)
  const cpuMs = performance.now() - began
  const bound = lowerBound(organizations, teams, limit, syncDelayMs)
  const ofOrganization = (request: Emulator.RecordedRequest) =>
    /^\/organizations\/\d+/.test(request.path) || request.path.startsWith("/admin/teams")
  const perOrganization = new Map<string, number>()
  for (const request of log.filter(ofOrganization)) {
    const key = /^\/organizations\/(\d+)/.exec(request.path)?.[1] ??
      (typeof request.query["organizationId"] === "string" ? request.query["organizationId"] : undefined) ??
      (Predicate.hasProperty(request.body, "organizationId") ? String(request.body.organizationId) : "?")
    perOrganization.set(key, (perOrganization.get(key) ?? 0) + 1)
  }
  const row = {
    organizations,
    teamsEach: teams,
    limitPerMinute: limit,
    syncDelayS: syncDelayMs / 1000,
    requestsNeededPerOrganization: 2 + teams,
    requestsSentPerOrganization: Math.max(...perOrganization.values()),
    requestsAboutNone: log.filter((request) => !ofOrganization(request)).length,
    lowerBoundS: round(bound / 1000, 2),
    virtualWallS: round(doneAt / 1000, 2),
    ratio: round(doneAt / bound),
    responses429: log.filter((request) => request.status === 429).length,
    failedRuns: exits.filter(Exit.isFailure).length,
    cpuS: round(cpuMs / 1000, 1)
  }
  return row
}

export const workflowLimits = async () => {
  const rows = [await workflowUnderLimit(20, 10), await workflowUnderLimit(20, quick ? 70 : 150)]
  console.log(
    "\nWorkflow under a 60/min per-organization limit, TestClock (virtual seconds; the bound the limits allow)"
  )
  console.table(rows)
  return rows
}
