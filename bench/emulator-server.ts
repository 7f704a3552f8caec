// The emulator on a free loopback port, in its own process, for the emulator throughput benchmark.
// Prints its base URL on stdout and runs until killed.
import { NodeRuntime } from "@effect/platform-node"
import { Console, Effect, Layer } from "effect"
import { Emulator } from "../src/testing/index.js"

Effect.gen(function*() {
  const server = yield* Emulator.EmulatorServer
  yield* Console.log(server.baseUrl)
  return yield* Effect.never
}).pipe(
  Effect.provide(Emulator.layerServer({ port: 0 }).pipe(Layer.provideMerge(Emulator.layer()))),
  NodeRuntime.runMain
)
