// The Effect 3 line as the Effect 4 line's bench calls it (../../bench/lines.ts): its built package (dist/, from
// `npm run build`) with its own `effect`, both resolved from this folder. Plain JavaScript, so that the other line's
// bench loads it at run time without compiling Effect 3's types. Never part of this line's own suite or bench.
import { Layer, ManagedRuntime, Redacted, Stream } from "effect"
import { AdminTeams, Organizations } from "../dist/index.js"
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
