// AdminTeams (White Label admin): create a team, rename it, stream an organization's teams, delete the team.
// Runs on the embedded emulator: `npx tsx examples/admin-teams.ts`.
import { NodeRuntime } from "@effect/platform-node"
import { Chunk, Console, Effect, Stream } from "effect"
import { AdminTeams } from "../src/index.js"
import { MakeTest } from "../src/testing/index.js"

const program = Effect.gen(function*() {
  const teams = yield* AdminTeams.AdminTeams

  const { team } = yield* teams.create({ name: "Platform", organizationId: 11 })
  yield* Console.log(`Created team ${team.id} "${team.name}" in organization ${team.organizationId}`)
  const renamed = yield* teams.update(team.id, { name: "Platform Engineering" })
  yield* Console.log(`Renamed it "${renamed.name}"`)

  const names = yield* Stream.runCollect(teams.stream(11, { limit: 2 }).pipe(Stream.map((t) => t.name)))
  yield* Console.log(`Teams of organization 11: ${Chunk.join(names, ", ")}`)

  yield* teams.delete(team.id)
  const missing = yield* Effect.flip(teams.update(9999, { name: "Nobody" }))
  yield* Console.log(`Renaming team 9999: ${missing.message}`)
})

program.pipe(Effect.provide(MakeTest.layer()), NodeRuntime.runMain)
