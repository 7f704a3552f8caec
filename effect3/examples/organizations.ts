// Organizations: list page by page and as a stream, read one, rename it, and see a delete refused until confirmed.
// Runs on the embedded emulator: `npx tsx examples/organizations.ts` (for real Make, provide NodeMakeApi.layerConfig()).
import { NodeRuntime } from "@effect/platform-node"
import { Chunk, Console, Effect, Stream } from "effect"
import { Organizations } from "../src/index.js"
import { MakeTest } from "../src/testing/index.js"

const program = Effect.gen(function*() {
  const orgs = yield* Organizations.Organizations

  const page = yield* orgs.list({ limit: 2, sortBy: "name" })
  yield* Console.log(`First page: ${page.items.map((org) => org.name).join(", ")}`)
  const all = yield* Stream.runCollect(orgs.stream({ limit: 2 }))
  yield* Console.log(`All organizations, page after page: ${Chunk.size(all)}`)

  const acme = yield* orgs.get(11, { cols: ["id", "name", "license"] })
  yield* Console.log(`${acme.name}: API limit ${acme.license?.apiLimit ?? "unknown"} requests/minute`)
  const renamed = yield* orgs.update(12, { name: "Beta Labs EU" })
  yield* Console.log(`Renamed organization 12 to ${renamed.name}`)

  // Acme has active scenarios: Make wants the delete confirmed, and nothing is deleted without it
  const refused = yield* Effect.flip(orgs.delete(11))
  yield* Console.log(`delete(11) without confirmation: ${refused._tag}`)
  const canBuild = yield* orgs.checkTeamPermission(11, "scenario add")
  yield* Console.log(`May the caller add scenarios in Acme? ${canBuild}`)
})

program.pipe(Effect.provide(MakeTest.layer()), NodeRuntime.runMain)
