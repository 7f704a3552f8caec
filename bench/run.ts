// `npm run bench`: the benchmark suite, never part of `npm test`. Each benchmark prints a table; all figures go to
// bench/results/latest.json. Every comparison is a ratio to a baseline measured in the same run, on this machine.
import { Make } from "@makehq/sdk"
import {
  Clock,
  Effect,
  Exit,
  Fiber,
  Layer,
  ManagedRuntime,
  Predicate,
  Redacted,
  Schema,
  Stream,
  TestClock,
  TestContext
} from "effect"
import { type ChildProcess, spawn } from "node:child_process"
import { mkdirSync, writeFileSync } from "node:fs"
import { cpus } from "node:os"
import { join } from "node:path"
import { Agent, request } from "undici"
import { OrganizationList } from "../src/api/OrganizationsApi.js"
import { AdminTeams, MakeClient, Organizations, Provision, type ProvisionSpec, Workflows } from "../src/index.js"
import { NodeMakeApi, UndiciHttpClient } from "../src/node/index.js"
import { Emulator, MakeTest } from "../src/testing/index.js"

const token = "6c3e2a1f-5b7d-4e8a-9c0d-1f2e3a4b5c6d"
const headers = { authorization: `Token ${token}`, accept: "application/json" }
const quick = process.env.BENCH_QUICK === "1"

// ---------------------------------------------------------------------------
// Harness
// ---------------------------------------------------------------------------

/** Starts a child process and resolves with the first line it prints (its port or base URL). */
const start = (command: string, args: ReadonlyArray<string>, env: Record<string, string> = {}) =>
  new Promise<{ readonly child: ChildProcess; readonly line: string }>((resolve, reject) => {
    const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "inherit"] })
    let output = ""
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString()
      const newline = output.indexOf("\n")
      if (newline >= 0) resolve({ child, line: output.slice(0, newline).trim() })
    })
    child.once("error", reject)
    child.once("exit", (code) => reject(new Error(`${command} exited with ${code} before it was ready`)))
  })

const percentile = (sorted: ReadonlyArray<number>, p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? Number.NaN

interface LoadResult {
  readonly client: string
  readonly concurrency: number
  readonly requests: number
  readonly requestsPerSecond: number
  readonly p50Ms: number
  readonly p99Ms: number
}

/** Runs `call` `total` times, `concurrency` at a time, timing each call; returns throughput and latency. */
const load = async (
  client: string,
  concurrency: number,
  total: number,
  call: () => Promise<unknown>
): Promise<LoadResult> => {
  const latencies: Array<number> = []
  let next = 0
  const worker = async () => {
    while (next < total) {
      next++
      const begin = performance.now()
      await call()
      latencies.push(performance.now() - begin)
    }
  }
  const begin = performance.now()
  await Promise.all(Array.from({ length: concurrency }, worker))
  const seconds = (performance.now() - begin) / 1000
  latencies.sort((a, b) => a - b)
  return {
    client,
    concurrency,
    requests: total,
    requestsPerSecond: total / seconds,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99)
  }
}

const round = (n: number, digits = 2) => Number(n.toFixed(digits))

/** Rounds per measurement: the machine is shared, so one run of a client can be off by 15 %. */
const rounds = quick ? 1 : 3

/**
 * Measures every client `rounds` times, taking turns (so that a slow spell of the machine hits them all alike), and
 * keeps each client's median round.
 */
const interleaved = async (
  clients: ReadonlyArray<readonly [string, () => Promise<unknown>]>,
  concurrency: number,
  total: number
): Promise<Array<LoadResult>> => {
  for (const [name, call] of clients) await load(name, concurrency, Math.min(total, 1000), call) // warm-up: JIT, pool
  const samples = new Map<string, Array<LoadResult>>()
  for (let i = 0; i < rounds; i++) {
    for (const [name, call] of clients) {
      const result = await load(name, concurrency, total, call)
      samples.set(name, [...(samples.get(name) ?? []), result])
    }
  }
  return clients.map(([name]) => {
    const sorted = [...(samples.get(name) ?? [])].sort((a, b) => a.requestsPerSecond - b.requestsPerSecond)
    const median = sorted[Math.floor(sorted.length / 2)]
    if (median === undefined) throw new Error(`no sample for ${name}`)
    return median
  })
}

// ---------------------------------------------------------------------------
// 1. Request overhead: Organizations.get against a fixed-answer loopback server
// ---------------------------------------------------------------------------

const requestOverhead = async (port: number) => {
  const baseUrl = `http://127.0.0.1:${port}/api/v2`
  const url = `${baseUrl}/organizations/11`
  const agent = new Agent({ keepAliveTimeout: 60_000, connections: 64 })
  const sdk = new Make(token, `127.0.0.1:${port}`)
  sdk.protocol = "http"
  const runtime = ManagedRuntime.make(
    Layer.orDie(NodeMakeApi.layer({ token: Redacted.make(token), baseUrl }))
  )
  const orgs = await runtime.runPromise(Organizations.Organizations)
  const clients: ReadonlyArray<readonly [string, () => Promise<unknown>]> = [
    ["undici.request", async () => (await request(url, { dispatcher: agent, headers })).body.json()],
    ["fetch", async () => (await fetch(url, { headers })).json()],
    ["effect-make", () => runtime.runPromise(orgs.get(11))],
    ["@makehq/sdk", () => sdk.organizations.get(11)]
  ]
  const results: Array<LoadResult> = []
  for (const concurrency of [1, 32]) {
    const total = quick ? 500 : concurrency === 1 ? 3000 : 12000
    results.push(...await interleaved(clients, concurrency, total))
  }
  await runtime.dispose()
  await agent.close()
  const rows = results.map((r) => {
    const base = (client: string) =>
      results.find((b) => b.client === client && b.concurrency === r.concurrency)?.requestsPerSecond ?? Number.NaN
    return {
      ...r,
      requestsPerSecond: round(r.requestsPerSecond, 0),
      p50Ms: round(r.p50Ms, 3),
      p99Ms: round(r.p99Ms, 3),
      vsFetch: round(r.requestsPerSecond / base("fetch")),
      vsUndici: round(r.requestsPerSecond / base("undici.request"))
    }
  })
  console.log(
    `\nRequest overhead: Organizations.get on loopback (median of ${rounds} rounds; requests/s, latency ms, ratios)`
  )
  console.table(rows)
  return rows
}

// ---------------------------------------------------------------------------
// 1b. Where the time of one Organizations.get goes: the same request through each stage of the stack, at c=32
// ---------------------------------------------------------------------------

const stages = async (port: number) => {
  const baseUrl = `http://127.0.0.1:${port}/api/v2`
  const agent = new Agent({ keepAliveTimeout: 60_000, connections: 64 })
  const transport = UndiciHttpClient.make(agent)
  const runtime = ManagedRuntime.make(
    Layer.orDie(NodeMakeApi.layer({ token: Redacted.make(token), baseUrl }))
  )
  const { api, httpClient } = await runtime.runPromise(MakeClient.MakeClient)
  const orgs = await runtime.runPromise(Organizations.Organizations)
  const total = quick ? 500 : 12000
  const steps: ReadonlyArray<readonly [string, Effect.Effect<unknown, unknown>]> = [
    [
      "UndiciHttpClient + JSON.parse",
      Effect.flatMap(transport.get(`${baseUrl}/organizations/11`, { headers }), (response) => response.json)
    ],
    ["+ MakeClient pipeline (auth, retries)", Effect.flatMap(httpClient.get("/organizations/11"), (r) => r.json)],
    [
      "+ derived HttpApiClient (encode, decode)",
      api.organizations.get({ path: { organizationId: 11 }, urlParams: { wait: undefined, cols: undefined } })
    ],
    ["Organizations.get (validation, span, errors)", orgs.get(11)]
  ]
  const measured = await interleaved(
    [
      [
        "undici.request",
        async () => (await request(`${baseUrl}/organizations/11`, { dispatcher: agent, headers })).body.json()
      ],
      ...steps.map(([name, effect]) => [name, () => runtime.runPromise(effect)] as const)
    ],
    32,
    total
  )
  await runtime.dispose()
  await agent.close()
  const rows = measured.map((r, i) => {
    const micros = 1e6 / r.requestsPerSecond
    const previous = measured[i - 1]
    return {
      stage: r.client,
      requestsPerSecond: round(r.requestsPerSecond, 0),
      microsPerRequest: round(micros, 1),
      addedMicros: previous === undefined ? 0 : round(micros - 1e6 / previous.requestsPerSecond, 1)
    }
  })
  console.log("\nWhere the time goes: GET /organizations/11 through each stage, c=32 (µs of client CPU per request)")
  console.table(rows)
  return rows
}

// ---------------------------------------------------------------------------
// 2. Paging: 20,000 teams in pages of 500
// ---------------------------------------------------------------------------

const measureRss = async <A>(run: () => Promise<A>) => {
  globalThis.gc?.()
  const before = process.memoryUsage().rss
  let peak = before
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss)
  }, 5)
  const begin = performance.now()
  const value = await run()
  const ms = performance.now() - begin
  clearInterval(timer)
  peak = Math.max(peak, process.memoryUsage().rss)
  return { value, ms, rssGrowthMb: (peak - before) / 2 ** 20 }
}

const paging = async (port: number) => {
  const baseUrl = `http://127.0.0.1:${port}/api/v2`
  const limit = 500
  const runtime = ManagedRuntime.make(Layer.orDie(NodeMakeApi.layer({ token: Redacted.make(token), baseUrl })))
  const teams = await runtime.runPromise(AdminTeams.AdminTeams)
  const rawLoop = async () => {
    let count = 0
    for (let offset = 0;; offset += limit) {
      const response = await fetch(`${baseUrl}/admin/teams?organizationId=11&pg[offset]=${offset}&pg[limit]=${limit}`, {
        headers
      })
      const page: unknown = await response.json()
      const size = typeof page === "object" && page !== null && "teams" in page && Array.isArray(page.teams)
        ? page.teams.length
        : 0
      count += size
      if (size < limit) return count
    }
  }
  const stream = () => runtime.runPromise(Stream.runCount(teams.stream(11, { limit })))
  await rawLoop()
  await stream()
  const raw: Array<Awaited<ReturnType<typeof measureRss<number>>>> = []
  const effect: Array<Awaited<ReturnType<typeof measureRss<number>>>> = []
  for (let i = 0; i < rounds; i++) {
    raw.push(await measureRss(rawLoop))
    effect.push(await measureRss(stream))
  }
  await runtime.dispose()
  const best = (xs: typeof raw) => xs.reduce((a, b) => (a.ms <= b.ms ? a : b))
  const rawBest = best(raw)
  const streamBest = best(effect)
  const rows = [
    {
      client: "raw fetch loop",
      teams: rawBest.value,
      ms: round(rawBest.ms, 1),
      rssGrowthMb: round(rawBest.rssGrowthMb, 1)
    },
    {
      client: "AdminTeams.stream",
      teams: streamBest.value,
      ms: round(streamBest.ms, 1),
      rssGrowthMb: round(Math.max(...effect.map((e) => e.rssGrowthMb)), 1)
    }
  ]
  console.log(`\nPaging: 20,000 teams in pages of ${limit} (best of ${rounds}; peak RSS growth is the worst round)`)
  console.table(rows.map((r) => ({ ...r, vsRaw: round(r.ms / rawBest.ms) })))
  return { rows, wallTimeRatio: round(streamBest.ms / rawBest.ms) }
}

// ---------------------------------------------------------------------------
// 3. Decode cost: a 10,000-organization list body
// ---------------------------------------------------------------------------

const organizationsBody = (count: number): string =>
  JSON.stringify({
    organizations: Array.from({ length: count }, (_, i) => ({
      id: i + 1,
      name: `Organization ${i + 1}`,
      countryId: 1,
      timezoneId: 113,
      zone: "eu1.make.com",
      serviceName: "default",
      isPaused: false,
      operations: "0",
      transfer: "0",
      license: { apps: ["T2", "T3"], users: 50, dslimit: 40, operations: 800000000, apiLimit: 240 },
      teams: [{ id: i + 100000, name: "My Team" }]
    })),
    pg: { sortBy: "name", sortDir: "asc", limit: 10000, offset: 0 }
  })

const timeMedian = (rounds: number, f: () => void): number => {
  const samples: Array<number> = []
  for (let i = 0; i < rounds; i++) {
    const begin = performance.now()
    f()
    samples.push(performance.now() - begin)
  }
  samples.sort((a, b) => a - b)
  return percentile(samples, 0.5)
}

const decodeCost = () => {
  const body = organizationsBody(10_000)
  const decode = Schema.decodeUnknownSync(OrganizationList)
  for (let i = 0; i < 3; i++) decode(JSON.parse(body))
  const parseMs = timeMedian(quick ? 3 : 15, () => JSON.parse(body))
  const decodeMs = timeMedian(quick ? 3 : 15, () => decode(JSON.parse(body)))
  const row = {
    body: "10,000 organizations",
    parseMs: round(parseMs, 1),
    parseAndDecodeMs: round(decodeMs, 1),
    ratio: round(decodeMs / parseMs)
  }
  console.log("\nDecode cost: JSON.parse + our schemas vs JSON.parse alone (median)")
  console.table([row])
  return row
}

// ---------------------------------------------------------------------------
// 4. Emulator throughput on a port
// ---------------------------------------------------------------------------

const emulatorThroughput = async (baseUrl: string) => {
  const agent = new Agent({ keepAliveTimeout: 60_000, connections: 64 })
  const url = `${baseUrl}/organizations/11`
  const call = async () => (await request(url, { dispatcher: agent, headers })).body.json()
  await load("emulator", 32, 500, call)
  const result = await load("emulator (GET /organizations/11, undici, c=32)", 32, quick ? 1000 : 5000, call)
  await agent.close()
  const row = {
    ...result,
    requestsPerSecond: round(result.requestsPerSecond, 0),
    p50Ms: round(result.p50Ms, 3),
    p99Ms: round(result.p99Ms, 3)
  }
  console.log("\nEmulator throughput on a port")
  console.table([row])
  return row
}

// ---------------------------------------------------------------------------
// 5. Emulator scaling: GET /organizations/11 with 0 and with 10,000 teams in another organization (must stay flat:
// the store indexes teams by organization, so a request never scans every team)
// ---------------------------------------------------------------------------

const emulatorScaling = async () => {
  const rows = []
  for (const extraTeams of [0, 10_000]) {
    const emulator = await start(
      process.execPath,
      ["--import", "tsx", join(import.meta.dirname, "emulator-server.ts")],
      {
        EMULATOR_EXTRA_TEAMS: String(extraTeams)
      }
    )
    try {
      const agent = new Agent({ keepAliveTimeout: 60_000, connections: 64 })
      const url = `${emulator.line}/organizations/11`
      const call = async () => (await request(url, { dispatcher: agent, headers })).body.json()
      await load("warm-up", 32, 500, call)
      const result = await load("emulator", 32, quick ? 1000 : 5000, call)
      await agent.close()
      rows.push({
        teamsInOrganization12: extraTeams + 1,
        requestsPerSecond: round(result.requestsPerSecond, 0),
        p50Ms: round(result.p50Ms, 3),
        p99Ms: round(result.p99Ms, 3)
      })
    } finally {
      emulator.child.kill()
    }
  }
  const ratio = round((rows[1]?.requestsPerSecond ?? Number.NaN) / (rows[0]?.requestsPerSecond ?? Number.NaN))
  console.log("\nEmulator scaling: GET /organizations/11, undici, c=32, with 0 and 10,000 teams elsewhere")
  console.table(rows)
  return { rows, ratio }
}

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
const workflowSpeed = async (baseUrl: string) => {
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

const workflowLimits = async () => {
  const rows = [await workflowUnderLimit(20, 10), await workflowUnderLimit(20, quick ? 70 : 150)]
  console.log(
    "\nWorkflow under a 60/min per-organization limit, TestClock (virtual seconds; the bound the limits allow)"
  )
  console.table(rows)
  return rows
}

// ---------------------------------------------------------------------------

const main = async () => {
  const began = performance.now()
  const server = await start(process.execPath, [join(import.meta.dirname, "server.mjs")])
  const emulator = await start(process.execPath, ["--import", "tsx", join(import.meta.dirname, "emulator-server.ts")])
  const slowEmulator = await start(process.execPath, [
    "--import",
    "tsx",
    join(import.meta.dirname, "emulator-server.ts")
  ], {
    EMULATOR_LATENCY_MS: "20",
    EMULATOR_SYNC_MS: "0"
  })
  try {
    const port = Number(server.line)
    const overhead = await requestOverhead(port)
    const breakdown = await stages(port)
    const pages = await paging(port)
    const decode = decodeCost()
    const emulatorRow = await emulatorThroughput(emulator.line)
    const scaling = await emulatorScaling()
    const workflowRows = await workflowSpeed(slowEmulator.line)
    const limitRows = await workflowLimits()
    const at32 = (client: string) => overhead.find((r) => r.client === client && r.concurrency === 32)
    const effectMake = at32("effect-make")?.requestsPerSecond ?? Number.NaN
    const targets = [
      {
        target: "c=32: effect-make >= 0.7x undici.request",
        value: round(effectMake / (at32("undici.request")?.requestsPerSecond ?? Number.NaN)),
        met: effectMake >= 0.7 * (at32("undici.request")?.requestsPerSecond ?? Number.POSITIVE_INFINITY)
      },
      {
        target: "c=32: effect-make >= 2x @makehq/sdk",
        value: round(effectMake / (at32("@makehq/sdk")?.requestsPerSecond ?? Number.NaN)),
        met: effectMake >= 2 * (at32("@makehq/sdk")?.requestsPerSecond ?? Number.POSITIVE_INFINITY)
      },
      { target: "paging wall time <= 1.2x raw loop", value: pages.wallTimeRatio, met: pages.wallTimeRatio <= 1.2 },
      {
        target: "emulator: 10,000 teams elsewhere keep >= 0.8x the req/s of none",
        value: scaling.ratio,
        met: scaling.ratio >= 0.8
      },
      {
        target: "paging peak RSS growth < 30 MB",
        value: pages.rows[1]?.rssGrowthMb ?? Number.NaN,
        met: (pages.rows[1]?.rssGrowthMb ?? Number.POSITIVE_INFINITY) < 30
      }
    ]
    const speedup = (run: string) => workflowRows.find((r) => r.run === run)?.speedup ?? Number.NaN
    for (const run of ["provision, concurrency 5 (default)", "provision, concurrency 50"]) {
      targets.push({
        target: `workflow 1 org + 50 teams, ${run}: >= 8x sequential`,
        value: speedup(run),
        met: speedup(run) >= 8
      })
    }
    for (const row of limitRows) {
      targets.push({
        target: `${row.organizations} orgs x ${row.teamsEach} teams at 60/min: virtual time <= 1.2x bound`,
        value: row.ratio,
        met: row.ratio <= 1.2
      })
      targets.push({
        target: `${row.organizations} orgs x ${row.teamsEach} teams at 60/min: 0 responses 429`,
        value: row.responses429,
        met: row.responses429 === 0 && row.failedRuns === 0
      })
    }
    console.log("\nTargets")
    console.table(targets)
    const results = {
      at: new Date().toISOString(),
      node: process.version,
      cpus: cpus().length,
      cpu: cpus()[0]?.model,
      quick,
      seconds: round((performance.now() - began) / 1000, 1),
      requestOverhead: overhead,
      stages: breakdown,
      paging: pages,
      decodeCost: decode,
      emulatorThroughput: emulatorRow,
      emulatorScaling: scaling,
      workflow: { oneOrganizationFiftyTeams: workflowRows, underLimit: limitRows },
      targets
    }
    const out = join(import.meta.dirname, "results")
    mkdirSync(out, { recursive: true })
    writeFileSync(join(out, "latest.json"), JSON.stringify(results, null, 2) + "\n")
    console.log(`\nbench/results/latest.json written (${results.seconds} s)`)
  } finally {
    server.child.kill()
    emulator.child.kill()
    slowEmulator.child.kill()
  }
}

if (process.env.BENCH_ONLY === "emulatorScaling") {
  await emulatorScaling()
} else {
  await main()
}
process.exit(0)
