// A replica of the multi-replica tests (not a test file): the durable engine on an `effect/cluster` runner, configured
// from the environment as an app would be (DurableEngine.replicaConfig: RUNNER_HOST, RUNNER_PORT, PGHOST, ...),
// against the emulator the parent serves on a port (MAKE_BASE_URL). Prints one JSON a line: `{"ready": ms}` once
// the engine is up, every progress event of the runs this replica executes, and for each spec name read on stdin
// (one a line) the result of provisioning it from this replica, `{"name", "result"}` (or `{"name", "failed"}`).
// Stays up until killed.
import { Cause, Effect, Layer, Schema, Stream } from "effect"
import { createInterface } from "node:readline"
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

const live = Workflows.layer.pipe(
  Layer.provideMerge(DurableEngine.layerReplicaConfig()),
  Layer.provide(NodeMakeApi.layer({ token: Emulator.defaultToken, baseUrl, retry: { baseDelay: "50 millis" } }))
)

const print = (line: unknown) => Effect.sync(() => process.stdout.write(`${JSON.stringify(line)}\n`))
// the result as JSON (its dates as ISO strings), as the parent decodes it
const encodeResult = Schema.encodeSync(ProvisionResult)

const names = Stream.fromAsyncIterable(createInterface({ input: process.stdin }), (error) => error)

Effect.gen(function*() {
  yield* Effect.forkScoped(Progress.events.pipe(Stream.runForEach((event) => print({ event }))))
  yield* print({ ready: Date.now() - startedAt })
  yield* names.pipe(
    Stream.filter((name) => name !== ""),
    Stream.runForEach((name) =>
      Effect.forkScoped(
        Effect.flatMap(
          Provision.provision(durableSpec(name), { concurrency: 1 }),
          (result) => print({ name, result: encodeResult(result) })
        ).pipe(Effect.catchCause((cause) => print({ name, failed: Cause.pretty(cause) })))
      )
    ),
    Effect.orDie
  )
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
