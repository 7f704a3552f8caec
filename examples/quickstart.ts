// The README's quick start, kept compiling: create an organization, wait for it, add a team, list the team names.
// Run against real Make with MAKE_API_TOKEN and MAKE_ZONE set: `npx tsx examples/quickstart.ts` (it creates data).
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

// MAKE_API_TOKEN (read as Redacted), MAKE_ZONE (e.g. eu1.make.com), optional MAKE_BASE_URL and MAKE_TIMEOUT
program.pipe(Effect.provide(NodeMakeApi.layerConfig()), NodeRuntime.runMain)
