// The emulator on a free loopback port, in its own process, for the emulator throughput and workflow benchmarks.
// Prints its base URL on stdout and runs until killed. EMULATOR_LATENCY_MS delays every request; EMULATOR_SYNC_MS
// sets the sync delay of created organizations.
import { NodeRuntime } from "@effect/platform-node"
import { Console, Effect, Layer } from "effect"
import { Emulator } from "../src/testing/index.js"

const latencyMs = Number(process.env.EMULATOR_LATENCY_MS ?? 0)
const syncMs = process.env.EMULATOR_SYNC_MS
const options: Emulator.Options = {
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
