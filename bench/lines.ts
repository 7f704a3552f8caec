// The two lines as the bench calls them: this one (1.x, Effect 4) from its sources, bundled by bench/shipped.ts as
// the package is built; the Effect 3 line (0.x) from its built package, loaded at run time from effect3/ with its own
// `effect` (effect3/bench/line.mjs), so both run in one process and take turns in the same rounds.
import { Effect, Layer, ManagedRuntime, Redacted, Stream } from "effect"
import { existsSync } from "node:fs"
import { join } from "node:path"
import { pathToFileURL } from "node:url"
import * as AdminTeams from "../src/AdminTeams.js"
import * as NodeMakeApi from "../src/node/NodeMakeApi.js"
import * as Organizations from "../src/Organizations.js"

/** What the bench does with a line: one `Organizations.get(11)`, and count a paging stream of teams. */
export interface Line {
  readonly get: () => Promise<unknown>
  readonly countTeams: (organizationId: number, limit: number) => Promise<number>
  readonly dispose: () => Promise<void>
}

/** This line over its Node layer (undici), as a user of effect-make 1.x runs it. */
export const effect4 = async (baseUrl: string, token: string): Promise<Line> => {
  const runtime = ManagedRuntime.make(Layer.orDie(NodeMakeApi.layer({ token: Redacted.make(token), baseUrl })))
  const orgs = await runtime.runPromise(Effect.service(Organizations.Organizations))
  const teams = await runtime.runPromise(Effect.service(AdminTeams.AdminTeams))
  const get = orgs.get(11)
  return {
    get: () => runtime.runPromise(get),
    countTeams: (organizationId, limit) => runtime.runPromise(Stream.runCount(teams.stream(organizationId, { limit }))),
    dispose: () => runtime.dispose()
  }
}

const isLine = (value: unknown): value is Line =>
  typeof value === "object" && value !== null && "get" in value && typeof value.get === "function" &&
  "countTeams" in value && typeof value.countTeams === "function" && "dispose" in value &&
  typeof value.dispose === "function"

const hasMake = (module: unknown): module is { readonly make: (baseUrl: string, token: string) => Promise<unknown> } =>
  typeof module === "object" && module !== null && "make" in module && typeof module.make === "function"

/**
 * The Effect 3 line, or `undefined` when it is not built here (`npm --prefix effect3 run build`): the bench then
 * says so instead of a row.
 */
export const effect3 = async (root: string, baseUrl: string, token: string): Promise<Line | undefined> => {
  const line = join(root, "effect3/bench/line.mjs")
  if (!existsSync(join(root, "effect3/dist/index.js"))) return undefined
  const module: unknown = await import(pathToFileURL(line).href)
  if (!hasMake(module)) throw new Error(`${line} does not export make`)
  const made = await module.make(baseUrl, token)
  if (!isLine(made)) throw new Error(`${line}: make did not answer a line`)
  return made
}
