// The CPU profile of `provision` on the in-memory engine: RUNS runs (default 20) of 1 organization + 50 teams at
// CONCURRENCY (default 50), each on a fresh engine, against the emulator at BASE_URL (its own process, e.g.
// `node --import tsx bench/emulator-server.ts` with EMULATOR_SYNC_MS=0), else in process (`MakeTest.layer`).
// `node --cpu-prof --import tsx bench/profile-workflow.ts`; prints when the timed runs began and the ms per run.
import { Effect, Layer, Redacted } from "effect"
import * as NodeMakeApi from "../src/node/NodeMakeApi.js"
import * as MakeTest from "../src/testing/MakeTest.js"
import * as Provision from "../src/workflows/Provision.js"
import * as Workflows from "../src/workflows/Workflows.js"
import { token } from "./harness.js"

const runs = Number(process.env.RUNS ?? 20)
const concurrency = Number(process.env.CONCURRENCY ?? 50)
const baseUrl = process.env.BASE_URL

const services = baseUrl === undefined
  ? MakeTest.layer({ syncDelay: "0 millis" })
  : Layer.orDie(NodeMakeApi.layer({ token: Redacted.make(token), baseUrl }))

const once = (i: number) =>
  Provision.provision({
    organization: { name: `Profile ${process.pid} ${i}`, regionId: 1, timezoneId: 113, countryId: 1 },
    teams: Array.from({ length: 50 }, (_, t) => ({ name: `Team ${t + 1}` })),
    variables: [],
    invitations: [],
    featureControls: []
  }, { concurrency }).pipe(Effect.provide(Workflows.layerMemory.pipe(Layer.provideMerge(services))))

for (let i = 0; i < 3; i++) await Effect.runPromise(once(-i)) // warm-up
const cpu = process.cpuUsage()
const begin = performance.now()
console.log(`timed runs begin at ${(performance.timeOrigin + begin).toFixed(0)} (epoch ms)`)
for (let i = 1; i <= runs; i++) await Effect.runPromise(once(i))
const { system, user } = process.cpuUsage(cpu)
console.log(
  `${runs} runs at concurrency ${concurrency}: ${((performance.now() - begin) / runs).toFixed(1)} ms wall, ` +
    `${((user + system) / 1000 / runs).toFixed(1)} ms CPU per run`
)
