// OrganizationVariables: typed custom variables (number, string, boolean, date), their history, and the licence
// gate: an organization without `customVariables` answers FeatureUnavailable, told apart from a missing variable.
// Runs on the embedded emulator: `npx tsx examples/variables.ts`.
import { NodeRuntime } from "@effect/platform-node"
import { Console, DateTime, Effect } from "effect"
import { OrganizationVariables } from "../src/index.js"
import { MakeTest } from "../src/testing/index.js"

const program = Effect.gen(function*() {
  const variables = yield* OrganizationVariables.OrganizationVariables

  yield* variables.create(11, { name: "approvalLimit", typeId: 1, value: 250 })
  yield* variables.create(11, { name: "goLiveDate", typeId: 4, value: DateTime.unsafeMake("2027-01-15T09:00:00Z") })
  yield* variables.update(11, "approvalLimit", { typeId: 1, value: 500 })
  const [latest] = yield* variables.history(11, "approvalLimit")
  yield* Console.log(`approvalLimit history, newest first: ${JSON.stringify(latest?.diffObject ?? {})}`)

  const listed = yield* variables.list(11)
  yield* Console.log(`Acme's variables: ${listed.map((v) => v.name).join(", ")}`)

  yield* variables.delete(11, "approvalLimit", { confirmed: true })

  // Gamma (13) has no customVariables in its licence
  const gated = yield* Effect.flip(variables.create(13, { name: "tier", typeId: 2, value: "gold" }))
  yield* Console.log(`Creating a variable in Gamma: ${gated._tag}`)
  const missing = yield* Effect.flip(variables.history(11, "noSuchVariable"))
  yield* Console.log(`History of a missing variable: ${missing._tag}`)
})

program.pipe(Effect.provide(MakeTest.layer()), NodeRuntime.runMain)
