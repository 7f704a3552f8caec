// The child process of the durable-resume test (not a test file): provisions a 5-team spec on the PostgreSQL engine
// against the emulator the parent serves on a port, printing each progress event and then the result, one JSON a line.
// Run as `node --import tsx test/workflows/durable-child.ts` with MAKE_BASE_URL, PGDATABASE and SPEC_NAME set.
import { Effect, Layer, Schema, Stream } from "effect"
import { NodeMakeApi } from "../../src/node/index.js"
import { Emulator } from "../../src/testing/index.js"
import * as DurableEngine from "../../src/workflows/DurableEngine.js"
import * as Progress from "../../src/workflows/Progress.js"
import * as Provision from "../../src/workflows/Provision.js"
import { ProvisionResult } from "../../src/workflows/ProvisionResult.js"
import { durableSpec } from "./durableSpec.js"

const baseUrl = process.env.MAKE_BASE_URL ?? ""
const database = process.env.PGDATABASE ?? ""
const name = process.env.SPEC_NAME ?? ""

const live = DurableEngine.layerWorkflows({ host: "/var/run/postgresql", username: "root", database }).pipe(
  Layer.provide(NodeMakeApi.layer({ token: Emulator.defaultToken, baseUrl, retry: { baseDelay: "50 millis" } })),
  Layer.orDie
)

const print = (line: unknown) => Effect.sync(() => process.stdout.write(`${JSON.stringify(line)}\n`))
// the result as JSON (its dates as ISO strings), as the parent decodes it
const encodeResult = Schema.encodeSync(ProvisionResult)

Effect.gen(function*() {
  yield* Effect.forkScoped(Progress.events.pipe(Stream.runForEach((event) => print({ event }))))
  yield* Effect.sleep("10 millis")
  const result = yield* Provision.provision(durableSpec(name), { concurrency: 1 })
  yield* print({ result: encodeResult(result) })
}).pipe(
  Effect.scoped,
  Effect.provide(live),
  Effect.runPromise
).then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`child failed: ${String(error)}\n`)
    process.exit(1)
  }
)
