// Usage: an organization's operations, data transfer and credits over the past 30 days, in the caller's or the
// organization's timezone. Runs on the embedded emulator: `npx tsx examples/usage.ts`.
import { NodeRuntime } from "@effect/platform-node"
import { Console, Effect } from "effect"
import { Usage } from "../src/index.js"
import { MakeTest } from "../src/testing/index.js"

const program = Effect.gen(function*() {
  const usage = yield* Usage.Usage

  const days = yield* usage.get(11, { organizationTimezone: true })
  const operations = days.reduce((sum, day) => sum + day.operations, 0)
  const credits = days.reduce((sum, day) => sum + day.centicredits, 0) / 100
  yield* Console.log(`Acme, ${days[0]?.date} to ${days.at(-1)?.date}: ${operations} operations, ${credits} credits`)
  const busiest = days.reduce((top, day) => (day.operations > top.operations ? day : top))
  yield* Console.log(`Busiest day: ${busiest.date} (${busiest.operations} operations)`)

  const missing = yield* Effect.flip(usage.get(999))
  yield* Console.log(`Usage of organization 999: ${missing._tag}`)
})

program.pipe(Effect.provide(MakeTest.layer()), NodeRuntime.runMain)
