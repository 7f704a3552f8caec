// `npm start`: provision an organization with its teams, variables, an invitation and a feature control from
// examples/acme.yaml with the `provision` workflow, printing the plan, the run's progress and what it did; then plan
// it again to show that an applied spec has nothing left to change. Runs against the embedded emulator unless
// MAKE_API_TOKEN (or MAKE_API_KEY) is set: then against real Make (MAKE_ZONE too), where it creates real data.
import { NodeRuntime, NodeServices } from "@effect/platform-node"
import { Console, Effect, Layer, Stream } from "effect"
import { Plan, Progress, Provision, ProvisionResult, ProvisionSpec, Workflows } from "../src/index.js"
import { NodeMakeApi } from "../src/node/index.js"

const specFile = new URL("./acme.yaml", import.meta.url).pathname

/** A plain-text table: one header row, columns padded to their widest cell. */
const renderTable = (header: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<string>>): string => {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? "").length)))
  const line = (cells: ReadonlyArray<string>) =>
    cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join("  ").trimEnd()
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n")
}

const program = Effect.gen(function*() {
  const spec = yield* ProvisionSpec.load(specFile)

  const plan = yield* Plan.plan(spec)
  yield* Console.log(`Plan for ${spec.organization.name}: ${plan.changes.length} change(s)`)
  for (const change of plan.changes) yield* Console.log(`  ${change.action} ${change.resource} ${change.key}`)

  // Print every progress event of the run as it happens.
  yield* Effect.forkScoped(Progress.events.pipe(Stream.runForEach((event) => Console.log(Progress.render(event)))))
  yield* Effect.yieldNow
  yield* Console.log("\nApplying…")
  const result = yield* Provision.provision(spec)
  yield* Console.log(`\nExecution ${result.executionId}:\n`)
  yield* Console.log(renderTable(
    ["resource", "name", "id", "status"],
    ProvisionResult.entries(result).map((entry) => [entry.resource, entry.key, String(entry.id ?? ""), entry.status])
  ))

  const again = yield* Plan.plan(spec)
  yield* Console.log(
    `\nPlan after applying: ${again.changes.length} change(s) — running the spec again writes nothing.`
  )
}).pipe(Effect.scoped)

/** Real Make when a token is configured, else the embedded emulator (no network, no token), saying so once. */
const MakeLive = NodeMakeApi.layerConfigOrEmulator(undefined, { emulator: { syncDelay: "300 millis" } })

program.pipe(
  Effect.provide(Workflows.layerMemory.pipe(Layer.provideMerge(MakeLive))),
  Effect.provide(NodeServices.layer),
  Effect.tapErrorTag("Unauthorized", () => Console.error("Check MAKE_API_TOKEN and MAKE_ZONE.")),
  Effect.tapErrorTag("ProvisionFailed", (error) => Console.error(error.message)),
  NodeRuntime.runMain
)
