// The README's quick start, kept compiling and running: create an organization, wait for it, add a team, list the team
// names. `npx tsx examples/quickstart.ts` runs it on the embedded emulator; with MAKE_API_TOKEN and MAKE_ZONE set, on
// real Make (where it creates data).
import { NodeRuntime } from "@effect/platform-node"
import { Effect, Stream } from "effect"
import { AdminTeams, Organizations } from "../src/index.js"
import { NodeMakeApi } from "../src/node/index.js"

const program = Effect.gen(function*() {
  const orgs = yield* Organizations.Organizations
  const teams = yield* AdminTeams.AdminTeams

  const { organization } = yield* orgs.create({ name: "Acme", regionId: 1, timezoneId: 113, countryId: 1 })
  const synced = yield* orgs.get(organization.id, { wait: true }) // Make waits for the zone to sync
  yield* teams.create({ name: "Engineering", organizationId: synced.id })

  const names = yield* Stream.runCollect(teams.stream(synced.id).pipe(Stream.map((team) => team.name)))
  yield* Effect.log([...names])
}).pipe(
  // A typed error channel: NotFound | InvalidInput | Unauthorized | ...
  Effect.catchTag("NotFound", (error) => Effect.logWarning(error.message))
)

// Real Make with MAKE_API_TOKEN (read as Redacted) and MAKE_ZONE (e.g. eu1.make.com) set; else the embedded emulator
program.pipe(Effect.provide(NodeMakeApi.layerConfigOrEmulator()), NodeRuntime.runMain)
