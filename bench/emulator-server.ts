// The emulator on a free loopback port in its own process, as Make is to a client, for the workflow bench: prints its
// base URL on stdout and runs until killed. `EMULATOR_LATENCY_MS` delays every request (fault plan `latency`);
// `EMULATOR_SYNC_MS` sets the sync delay of created organizations. Imports `effect`, src/testing/.
import { NodeRuntime } from "@effect/platform-node"
import { Console, Effect } from "effect"
import { HttpServer } from "effect/http"
import * as Emulator from "../src/testing/Emulator.js"

const latencyMs = Number(process.env.EMULATOR_LATENCY_MS ?? 0)
const syncMs = process.env.EMULATOR_SYNC_MS
const options: Emulator.Options = {
  ...(latencyMs > 0 ? { faults: { seed: 1, latency: { probability: 1, duration: `${latencyMs} millis` } } } : {}),
  ...(syncMs === undefined ? {} : { syncDelay: `${Number(syncMs)} millis` })
}

Effect.gen(function*() {
  const server = yield* HttpServer.HttpServer
  yield* Console.log(`${HttpServer.formatAddress(server.address)}${Emulator.basePath}`)
  return yield* Effect.never
}).pipe(Effect.provide(Emulator.layer({ ...options, port: 0 })), NodeRuntime.runMain)
