// A replica of the multi-replica tests (not a test file): the durable engine on an `effect/cluster` runner, configured
// from the environment (DurableEngine.replicaConfig: RUNNER_HOST, RUNNER_PORT, PG*), against the emulator the parent
// serves on a port (MAKE_BASE_URL). Prints one JSON a line: `{"ready"}` once the engine is up, each progress event
// of the runs this replica executes, and for each spec name in SPEC_NAMES (comma-separated) the result of provisioning
// it from this replica. Stays up until killed.
import { Effect, Layer, Schema, Stream } from "effect"
import { NodeMakeApi } from "../../src/node/index.js"
import { Emulator } from "../../src/testing/index.js"
import * as DurableEngine from "../../src/workflows/DurableEngine.js"
import * as Progress from "../../src/workflows/Progress.js"
import * as Provision from "../../src/workflows/Provision.js"
import { ProvisionResult } from "../../src/workflows/ProvisionResult.js"
import * as Workflows from "../../src/workflows/Workflows.js"
import { durableSpec } from "./durableSpec.js"

const startedAt = Date.now()
const baseUrl = process.env.MAKE_BASE_URL ?? ""
const specNames = (process.env.SPEC_NAMES ?? "").split(",").filter((name) => name !== "")

const live = Workflows.layer.pipe(
  Layer.provideMerge(DurableEngine.layerReplicaConfig()),
  Layer.provide(NodeMakeApi.layer({ token: Emulator.defaultToken, baseUrl, retry: { baseDelay: "50 millis" } })),
  Layer.orDie
)

const print = (line: unknown) => Effect.sync(() => process.stdout.write(`${JSON.stringify(line)}\n`))
// the result as JSON (its dates as ISO strings), as the parent decodes it
const encodeResult = Schema.encodeSync(ProvisionResult)

Effect.gen(function*() {
  yield* Effect.forkScoped(Progress.events.pipe(Stream.runForEach((event) => print({ event }))))
  yield* print({ ready: Date.now() - startedAt })
  yield* Effect.forEach(specNames, (name) =>
    Effect.flatMap(
      Provision.provision(durableSpec(name), { concurrency: 1 }),
      (result) => print({ name, result: encodeResult(result) })
    ), { concurrency: "unbounded", discard: true })
  yield* Effect.never
}).pipe(
  Effect.scoped,
  Effect.provide(live),
  Effect.runPromise
).then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`replica failed: ${String(error)}\n`)
    process.exit(1)
  }
)
