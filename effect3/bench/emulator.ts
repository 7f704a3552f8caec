// Sections of `npm run bench` (see bench/run.ts).
import { Effect, TestContext } from "effect"
import { join } from "node:path"
import { Agent, request } from "undici"
import { AdminTeams, Organizations, OrganizationVariables, Usage } from "../src/index.js"
import { MakeTest } from "../src/testing/index.js"
import { headers, load, median, quick, round, rounds, start } from "./harness.js"

// ---------------------------------------------------------------------------
// 4. Emulator throughput on a port
// ---------------------------------------------------------------------------

export const emulatorThroughput = async (baseUrl: string) => {
  const agent = new Agent({ keepAliveTimeout: 60_000, connections: 64 })
  const url = `${baseUrl}/organizations/11`
  const call = async () => (await request(url, { dispatcher: agent, headers })).body.json()
  await load("emulator", 32, 500, call)
  const result = await load("emulator (GET /organizations/11, undici, c=32)", 32, quick ? 1000 : 5000, call)
  await agent.close()
  const row = {
    ...result,
    requestsPerSecond: round(result.requestsPerSecond, 0),
    cpuMicrosPerCall: round(result.cpuMicrosPerCall, 1),
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

export const emulatorScaling = async () => {
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
// 7. The in-process emulator as users' test suites meet it: a fresh MakeTest.layer() per test (as Effect.provide
// per it.effect builds it), on the TestContext it.effect provides, and a mixed read/write workload in each test
// ---------------------------------------------------------------------------

/** The operations one simulated test runs: the reads and writes a typical test of a user's code makes. */
const workload = Effect.gen(function*() {
  const orgs = yield* Organizations.Organizations
  const teams = yield* AdminTeams.AdminTeams
  const usage = yield* Usage.Usage
  const variables = yield* OrganizationVariables.OrganizationVariables
  yield* orgs.list()
  yield* orgs.get(11)
  const { team } = yield* teams.create({ name: "Bench team", organizationId: 11 })
  yield* teams.update(team.id, { name: "Bench team renamed" })
  yield* teams.list(11)
  yield* usage.get(11)
  yield* variables.list(11)
  yield* teams.delete(team.id)
})
const operationsPerTest = 8

/** One simulated test: the layer's build time (until the program starts) and the workload's time, in ms. */
const oneTest = async () => {
  const begin = performance.now()
  let started = begin
  await Effect.runPromise(
    Effect.sync(() => {
      started = performance.now()
    }).pipe(
      Effect.zipRight(workload),
      Effect.provide(MakeTest.layer()),
      Effect.provide(TestContext.TestContext)
    )
  )
  return { setupMs: started - begin, workloadMs: performance.now() - started }
}

export const testWorkload = async () => {
  const tests = quick ? 30 : 100
  for (let i = 0; i < 20; i++) await oneTest() // warm-up: JIT
  const samples: Array<{ readonly opsPerSecond: number; readonly setupMs: number; readonly wallOpsPerSecond: number }> =
    []
  for (let r = 0; r < rounds; r++) {
    const runs: Array<{ readonly setupMs: number; readonly workloadMs: number }> = []
    for (let i = 0; i < tests; i++) runs.push(await oneTest())
    const workloadMs = runs.reduce((sum, run) => sum + run.workloadMs, 0)
    const setupMs = runs.reduce((sum, run) => sum + run.setupMs, 0)
    samples.push({
      opsPerSecond: (tests * operationsPerTest) / (workloadMs / 1000),
      wallOpsPerSecond: (tests * operationsPerTest) / ((workloadMs + setupMs) / 1000),
      setupMs: median(runs.map((run) => run.setupMs))
    })
  }
  const row = {
    tests,
    operationsPerTest,
    opsPerSecond: round(median(samples.map((s) => s.opsPerSecond)), 0),
    opsPerSecondWithSetup: round(median(samples.map((s) => s.wallOpsPerSecond)), 0),
    setupMsPerTest: round(median(samples.map((s) => s.setupMs)), 2)
  }
  console.log(
    `\nEmulator test workload: MakeTest.layer() per test, ${operationsPerTest} mixed operations each (median of ${rounds} rounds)`
  )
  console.table([row])
  return row
}
