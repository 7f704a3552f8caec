// The emulator on a free loopback port, in its own process, for the emulator and workflow benchmarks. Prints its base
// URL on stdout and runs until killed. `EMULATOR_EXTRA_TEAMS=n` seeds n more teams in organization 12;
// `EMULATOR_LATENCY_MS` delays every request; `EMULATOR_SYNC_MS` sets the sync delay of created organizations.
import { NodeRuntime } from "@effect/platform-node"
import { Console, Effect, Layer } from "effect"
import { Emulator } from "../src/testing/index.js"

const extraTeams = Number(process.env.EMULATOR_EXTRA_TEAMS ?? 0)
const seed: Emulator.Seed = {
  ...Emulator.defaultSeed,
  teams: [
    ...(Emulator.defaultSeed.teams ?? []),
    ...Array.from({ length: extraTeams }, (_, i) => ({ id: 100_000 + i, name: `Team ${i}`, organizationId: 12 }))
  ]
}
const latencyMs = Number(process.env.EMULATOR_LATENCY_MS ?? 0)
const syncMs = process.env.EMULATOR_SYNC_MS
const options: Emulator.Options = {
  seed,
  ...(latencyMs > 0 ? { faults: { seed: 1, latency: { probability: 1, duration: `${latencyMs} millis` } } } : {}),
  ...(syncMs === undefined ? {} : { syncDelay: `${Number(syncMs)} millis` })
}

Effect.gen(function*() {
  const server = yield* Emulator.EmulatorServer
  yield* Console.log(server.baseUrl)
  return yield* Effect.never
}).pipe(
  Effect.provide(Emulator.layerServer({ port: 0 }).pipe(Layer.provideMerge(Emulator.layer(options)))),
  NodeRuntime.runMain
)
