// Paging 20,000 teams (both lines against a raw loop) and the decode cost of a 10,000-organization body.
import { Schema } from "effect"
import * as SchemaJITCompiler from "effect/schema/SchemaJITCompiler"
import { OrganizationList } from "../src/api/OrganizationsApi.js"
import * as FastDecoder from "../src/internal/fastDecoder.js"
import { alternating, headers, measureRss, median, quick, round, rounds, token } from "./harness.js"
import { effect3, effect4 } from "./lines.js"

/** 20,000 teams in pages of 500: each line's stream against a raw fetch loop, median wall time of alternating rounds. */
export const paging = async (root: string, port: number) => {
  const baseUrl = `http://127.0.0.1:${port}/api/v2`
  const limit = 500
  const ours = await effect4(baseUrl, token)
  const old = await effect3(root, baseUrl, token)
  const rawLoop = async () => {
    let count = 0
    for (let offset = 0;; offset += limit) {
      const response = await fetch(`${baseUrl}/admin/teams?organizationId=11&pg[offset]=${offset}&pg[limit]=${limit}`, {
        headers
      })
      const page: unknown = await response.json()
      const size = typeof page === "object" && page !== null && "teams" in page && Array.isArray(page.teams)
        ? page.teams.length
        : 0
      count += size
      if (size < limit) return count
    }
  }
  const contenders: Array<readonly [string, () => Promise<number>]> = [
    ["raw fetch loop", rawLoop],
    ["effect-make 1.x AdminTeams.stream", () => ours.countTeams(11, limit)]
  ]
  if (old !== undefined) contenders.push(["effect-make 0.x AdminTeams.stream", () => old.countTeams(11, limit)])
  for (const [, run] of contenders) await run()
  const samples = await alternating(contenders.map(([name, run]) => [name, () => measureRss(run)] as const))
  await Promise.all([ours.dispose(), old?.dispose()])
  const rows = [...samples].map(([client, xs]) => ({
    client,
    teams: xs[0]?.value ?? 0,
    ms: round(median(xs.map((x) => x.ms)), 1),
    rssGrowthMb: round(Math.max(...xs.map((x) => x.rssGrowthMb)), 1)
  }))
  const rawMs = rows[0]?.ms ?? Number.NaN
  console.log(`\nPaging: 20,000 teams in pages of ${limit} (median of ${rounds} alternating rounds; RSS: worst round)`)
  console.table(rows.map((r) => ({ ...r, vsRaw: round(r.ms / rawMs) })))
  return { rows, wallTimeRatio: round((rows[1]?.ms ?? Number.NaN) / rawMs) }
}

/** A 10,000-organization list body in Make's shape (counters as strings). */
export const organizationsBody = (count: number): string =>
  JSON.stringify({
    organizations: Array.from({ length: count }, (_, i) => ({
      id: i + 1,
      name: `Organization ${i + 1}`,
      countryId: 1,
      timezoneId: 113,
      zone: "eu1.make.com",
      serviceName: "default",
      isPaused: false,
      operations: "0",
      transfer: "0",
      license: { apps: ["T2", "T3"], users: 50, dslimit: 40, operations: 800000000, apiLimit: 240 },
      teams: [{ id: i + 100000, name: "My Team" }]
    })),
    pg: { sortBy: "name", sortDir: "asc", limit: 10000, offset: 0 }
  })

const timed = (f: () => void) => async () => {
  const begin = performance.now()
  f()
  return performance.now() - begin
}

/** JSON.parse plus the contract's schema, as the client decodes a list answer (Schema's own parser), vs JSON.parse. */
export const decodeCost = async () => {
  const body = organizationsBody(10_000)
  // as src/internal/endpoints.ts compiles a success schema: the fast path derived from the JSON codec's AST, then
  // Schema's JIT parser for whatever it leaves undecided
  const json = Schema.toCodecJson(OrganizationList)
  SchemaJITCompiler.enable(json.ast)
  const schemaDecode = Schema.decodeUnknownResult(json)
  const fast = FastDecoder.compile(json.ast)
  const decode = (input: unknown) => fast(input) ?? schemaDecode(input)
  // the figure is the fast path's only if it answers this body
  if (fast(JSON.parse(body)) === undefined) throw new Error("bench: the fast path does not decode the body")
  for (let i = 0; i < 3; i++) decode(JSON.parse(body))
  const samples = await alternating([
    ["parse", timed(() => JSON.parse(body))],
    ["parse+decode", timed(() => decode(JSON.parse(body)))]
  ], quick ? 3 : 15)
  const parseMs = median(samples.get("parse") ?? [])
  const decodeMs = median(samples.get("parse+decode") ?? [])
  const row = {
    body: "10,000 organizations",
    parseMs: round(parseMs, 1),
    parseAndDecodeMs: round(decodeMs, 1),
    ratio: round(decodeMs / parseMs)
  }
  console.log("\nDecode cost: JSON.parse + the contract's schema (fast path, then JIT-compiled Schema, as the client runs it) vs JSON.parse alone (median of alternating runs)")
  console.table([row])
  return row
}
