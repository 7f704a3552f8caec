// A replica of the replicas section (bench/replicas.ts), one process: the durable engine on an `effect/cluster` socket
// runner with the workflows and one rate limit per organization across the replicas
// (DurableEngine.layerReplicaWorkflowsConfig: RUNNER_HOST, RUNNER_PORT, PGHOST, PGDATABASE, PGUSER), against the
// emulator at MAKE_BASE_URL.
// Prints `{"ready": ms}` once its engine is up; for each fleet read on stdin as one JSON line (`{"prefix", "specs",
// "teams", "concurrency", "limit"}`, the limit a number a minute, "off" or "license") it applies `Fleet.provisionAll`
// from here and prints `{"done": {ms, applied, failed, failure}}`; and `{"finished": 1}` for each run it executed to
// its end, whoever submitted it. Stays up until killed. Imports `effect`, node:, src/, bench/harness.
import { Effect, Layer, Redacted, Schema, Stream } from "effect"
import { createInterface } from "node:readline"
import * as NodeMakeApi from "../src/node/NodeMakeApi.js"
import * as DurableEngine from "../src/workflows/DurableEngine.js"
import * as Fleet from "../src/workflows/Fleet.js"
import * as Progress from "../src/workflows/Progress.js"
import type { ProvisionSpec } from "../src/workflows/ProvisionSpec.js"
import { token } from "./harness.js"

const startedAt = performance.now()

/** A fleet to apply: `specs` specs named `{prefix} 1`, ..., each one organization and `teams` new teams. */
const Order = Schema.Struct({
  prefix: Schema.String,
  specs: Schema.Number,
  teams: Schema.Number,
  concurrency: Schema.Number,
  limit: Schema.Union([Schema.Number, Schema.Literals(["off", "license"])])
})
const decodeOrder = Schema.decodeUnknownEffect(Schema.fromJsonString(Order))

const spec = (name: string, teams: number): ProvisionSpec => ({
  organization: { name, regionId: 1, timezoneId: 113, countryId: 1 },
  teams: Array.from({ length: teams }, (_, i) => ({ name: `Team ${i + 1}` })),
  variables: [],
  invitations: [],
  featureControls: []
})

const live = DurableEngine.layerReplicaWorkflowsConfig().pipe(
  Layer.provide(
    Layer.orDie(NodeMakeApi.layer({ token: Redacted.make(token), baseUrl: process.env.MAKE_BASE_URL ?? "" }))
  )
)

const print = (line: unknown) => Effect.sync(() => process.stdout.write(`${JSON.stringify(line)}\n`))

const apply = (line: string) =>
  Effect.gen(function*() {
    const order = yield* decodeOrder(line)
    const specs = Array.from({ length: order.specs }, (_, i) => spec(`${order.prefix} ${i + 1}`, order.teams))
    const began = performance.now()
    const result = yield* Fleet.provisionAll(specs, {
      concurrency: order.concurrency,
      provision: { rateLimit: typeof order.limit === "number" ? { requestsPerMinute: order.limit } : order.limit }
    })
    const failure = result.lines.find((l) => l.outcome === "failed")
    yield* print({
      done: {
        ms: performance.now() - began,
        applied: result.summary.applied,
        failed: result.summary.failed,
        failure: failure === undefined ? null : JSON.stringify(failure).slice(0, 500)
      }
    })
  }).pipe(Effect.catchCause((cause) => print({ done: { ms: 0, applied: 0, failed: -1, failure: String(cause) } })))

const lines = Stream.fromAsyncIterable(createInterface({ input: process.stdin }), (error) => error)

Effect.gen(function*() {
  // a run's progress is published where its body runs: one line per run this replica executed to its end
  yield* Effect.forkScoped(
    Progress.events.pipe(Stream.runForEach((event) => event._tag === "Finished" ? print({ finished: 1 }) : Effect.void))
  )
  yield* print({ ready: Math.round(performance.now() - startedAt) })
  yield* lines.pipe(
    Stream.filter((line) => line.trim() !== ""),
    Stream.runForEach((line) => Effect.forkScoped(apply(line))),
    Effect.orDie
  )
  yield* Effect.never
}).pipe(Effect.scoped, Effect.provide(live), Effect.runPromise).then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`replica failed: ${String(error)}\n`)
    process.exit(1)
  }
)
