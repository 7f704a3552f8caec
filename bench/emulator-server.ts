// The emulator on a free loopback port, in its own process, for the emulator throughput benchmark.
// Prints its base URL on stdout and runs until killed. `EMULATOR_EXTRA_TEAMS=n` seeds n more teams in organization 12.
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

Effect.gen(function*() {
  const server = yield* Emulator.EmulatorServer
  yield* Console.log(server.baseUrl)
  return yield* Effect.never
}).pipe(
  Effect.provide(Emulator.layerServer({ port: 0 }).pipe(Layer.provideMerge(Emulator.layer({ seed })))),
  NodeRuntime.runMain
)
