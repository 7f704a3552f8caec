// The Effect 3 line as the Effect 4 line's bench calls it (../../bench/lines.ts, ../../bench/workflow.ts): its built
// package (dist/, from `npm run build`) with its own `effect`, both resolved from this folder. Plain JavaScript, so that the other line's
// bench loads it at run time without compiling Effect 3's types. Never part of this line's own suite or bench.
import { Cause, Exit, Layer, ManagedRuntime, Redacted, Stream } from "effect"
import { AdminTeams, Organizations, Provision, Workflows } from "../dist/index.js"
import { NodeMakeApi } from "../dist/node/index.js"

/** `Organizations.get(11)` and a paging stream over the Node layer, as a user of the 0.x line runs them. */
export const make = async (baseUrl, token) => {
  const runtime = ManagedRuntime.make(Layer.orDie(NodeMakeApi.layer({ token: Redacted.make(token), baseUrl })))
  const orgs = await runtime.runPromise(Organizations.Organizations)
  const teams = await runtime.runPromise(AdminTeams.AdminTeams)
  const get = orgs.get(11)
  return {
    get: () => runtime.runPromise(get),
    countTeams: (organizationId, limit) => runtime.runPromise(Stream.runCount(teams.stream(organizationId, { limit }))),
    dispose: () => runtime.dispose()
  }
}

/**
 * One `provision` of an organization and `teams` new teams at `concurrency`, on a fresh in-memory engine over the Node
 * layer: made ready (client, engine) first, so that the caller times `run` alone.
 */
export const provision = async (baseUrl, token, name, teams, concurrency) => {
  const runtime = ManagedRuntime.make(
    Workflows.layerMemory.pipe(
      Layer.provideMerge(Layer.orDie(NodeMakeApi.layer({ token: Redacted.make(token), baseUrl })))
    )
  )
  await runtime.runtime()
  const spec = {
    organization: { name, regionId: 1, timezoneId: 113, countryId: 1 },
    teams: Array.from({ length: teams }, (_, i) => ({ name: `Team ${i + 1}` })),
    variables: [],
    invitations: [],
    featureControls: []
  }
  return {
    run: async () => {
      const exit = await runtime.runPromiseExit(Provision.provision(spec, { concurrency }))
      if (Exit.isFailure(exit)) throw new Error(`effect-make 0.x provision failed: ${Cause.pretty(exit.cause)}`)
    },
    dispose: () => runtime.dispose()
  }
}
