// FeatureControls: list an organization's feature switches, find one by name, turn it off and on again.
// Runs on the embedded emulator: `npx tsx examples/feature-controls.ts`.
import { NodeRuntime } from "@effect/platform-node"
import { Console, Effect } from "effect"
import { FeatureControls } from "../src/index.js"
import { MakeTest } from "../src/testing/index.js"

const program = Effect.gen(function*() {
  const controls = yield* FeatureControls.FeatureControls

  const all = yield* controls.list(11)
  for (const control of all) {
    yield* Console.log(`${control.id} ${control.name ?? "?"}: ${control.enabled ? "on" : "off"}`)
  }

  const [first] = all
  if (first === undefined) return yield* Console.log("Acme has no feature controls")
  const flipped = yield* controls.update(11, { id: first.id, enabled: !first.enabled })
  yield* Console.log(`Turned ${flipped.name ?? flipped.id} ${flipped.enabled ? "on" : "off"}`)
  const byName = yield* controls.list(11, { featureControlName: flipped.name ?? "", cols: ["name", "enabled"] })
  yield* Console.log(`Looked up by name: ${JSON.stringify(byName)}`)
  yield* controls.update(11, { id: first.id, enabled: first.enabled ?? false })
})

program.pipe(Effect.provide(MakeTest.layer()), NodeRuntime.runMain)
