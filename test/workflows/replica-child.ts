// A replica of the multi-replica tests (not a test file): the durable engine on an `effect/cluster` runner, configured
// from the environment as an app would be (DurableEngine.replicaConfig: RUNNER_HOST, RUNNER_PORT, PGHOST, ...),
// against the emulator the parent serves on a port (MAKE_BASE_URL). Prints one JSON a line: `{"ready": ms}` once
// the engine is up, every progress event of the runs this replica executes, and for each spec name read on stdin
// (one a line) the result of provisioning it from this replica, `{"name", "result"}` (or `{"name", "failed"}`).
// A line holding a JSON fleet command instead (`FleetCommand`: an id, specs of an organization and its teams, run
// options) is applied from this replica with Fleet.provisionAll, its answer printed as `{"fleet", "answer"}` (or
// `{"fleet", "broke"}`). With REPLICA_LIMITS=cluster the workflows hold each organization to one rate limit across
// the replicas (DurableEngine.layerReplicaWorkflowsConfig); else each replica keeps its own (Workflows.layer).
// Stays up until killed.
import { Cause, Effect, Layer, Schema, Stream } from "effect"
import { createInterface } from "node:readline"
import { NodeMakeApi } from "../../src/node/index.js"
import { Emulator } from "../../src/testing/index.js"
import * as DurableEngine from "../../src/workflows/DurableEngine.js"
import * as Fleet from "../../src/workflows/Fleet.js"
import { FleetResult } from "../../src/workflows/FleetResult.js"
import * as Progress from "../../src/workflows/Progress.js"
import * as Provision from "../../src/workflows/Provision.js"
import { ProvisionResult } from "../../src/workflows/ProvisionResult.js"
import * as Workflows from "../../src/workflows/Workflows.js"
import { durableSpec } from "./durableSpec.js"

const startedAt = Date.now()
const baseUrl = process.env.MAKE_BASE_URL ?? ""

const workflows = process.env.REPLICA_LIMITS === "cluster"
  ? DurableEngine.layerReplicaWorkflowsConfig()
  : Workflows.layer.pipe(Layer.provideMerge(DurableEngine.layerReplicaConfig()))

const live = workflows.pipe(
  Layer.provide(NodeMakeApi.layer({ token: Emulator.defaultToken, baseUrl, retry: { baseDelay: "50 millis" } }))
)

const print = (line: unknown) => Effect.sync(() => process.stdout.write(`${JSON.stringify(line)}\n`))
// the result as JSON (its dates as ISO strings), as the parent decodes it
const encodeResult = Schema.encodeSync(ProvisionResult)

const encodeFleet = Schema.encodeSync(FleetResult)

/** A fleet to apply from this replica: each spec an organization and its teams (nothing else). */
const FleetCommand = Schema.Struct({
  fleet: Schema.String,
  specs: Schema.Array(Schema.Struct({ organization: Schema.String, teams: Schema.Array(Schema.String) })),
  concurrency: Schema.optional(Schema.Number),
  rateLimit: Schema.optional(Schema.Literals(["license", "off"]))
})
const decodeCommand = Schema.decodeUnknownEffect(Schema.fromJsonString(FleetCommand))

const applyFleet = (command: typeof FleetCommand.Type) =>
  Fleet.provisionAll(
    command.specs.map((spec) => ({
      organization: { name: spec.organization, regionId: 1, timezoneId: 113, countryId: 1 },
      teams: spec.teams.map((name) => ({ name })),
      variables: [],
      invitations: [],
      featureControls: []
    })),
    { concurrency: command.concurrency, provision: { rateLimit: command.rateLimit ?? "license" } }
  ).pipe(
    Effect.flatMap((result) => print({ fleet: command.fleet, answer: encodeFleet(result) })),
    Effect.catchCause((cause) => print({ fleet: command.fleet, broke: Cause.pretty(cause) }))
  )

const names = Stream.fromAsyncIterable(createInterface({ input: process.stdin }), (error) => error)

Effect.gen(function*() {
  yield* Effect.forkScoped(Progress.events.pipe(Stream.runForEach((event) => print({ event }))))
  yield* print({ ready: Date.now() - startedAt })
  yield* names.pipe(
    Stream.filter((name) => name !== ""),
    Stream.runForEach((name) =>
      Effect.forkScoped(
        name.startsWith("{") ? Effect.flatMap(Effect.orDie(decodeCommand(name)), applyFleet) : Effect.flatMap(
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
