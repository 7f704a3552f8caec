// Sections of `npm run bench` (see bench/run.ts).
import { Layer, ManagedRuntime, Redacted, Stream } from "effect"
import { OrganizationList } from "../src/api/OrganizationsApi.js"
import { AdminTeams } from "../src/index.js"
import * as Decoder from "../src/internal/decoder.js"
import { NodeMakeApi } from "../src/node/index.js"
import { alternating, headers, measureRss, median, quick, round, rounds, token } from "./harness.js"

// ---------------------------------------------------------------------------
// 2. Paging: 20,000 teams in pages of 500
// ---------------------------------------------------------------------------

export const paging = async (port: number) => {
  const baseUrl = `http://127.0.0.1:${port}/api/v2`
  const limit = 500
  const runtime = ManagedRuntime.make(Layer.orDie(NodeMakeApi.layer({ token: Redacted.make(token), baseUrl })))
  const teams = await runtime.runPromise(AdminTeams.AdminTeams)
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
  const stream = () => runtime.runPromise(Stream.runCount(teams.stream(11, { limit })))
  await rawLoop()
  await stream()
  // Alternating rounds, each client's median wall time; the RSS growth reported is the worst round's.
  const samples = await alternating<Awaited<ReturnType<typeof measureRss<number>>>>([
    ["raw fetch loop", () => measureRss(rawLoop)],
    ["AdminTeams.stream", () => measureRss(stream)]
  ])
  await runtime.dispose()
  const rows = [...samples].map(([client, xs]) => ({
    client,
    teams: xs[0]?.value ?? 0,
    ms: round(median(xs.map((x) => x.ms)), 1),
    rssGrowthMb: round(Math.max(...xs.map((x) => x.rssGrowthMb)), 1)
  }))
  const rawMs = rows[0]?.ms ?? Number.NaN
  const streamMs = rows[1]?.ms ?? Number.NaN
  console.log(`\nPaging: 20,000 teams in pages of ${limit} (median of ${rounds} alternating rounds; RSS: worst round)`)
  console.table(rows.map((r) => ({ ...r, vsRaw: round(r.ms / rawMs) })))
  return { rows, wallTimeRatio: round(streamMs / rawMs) }
}

// ---------------------------------------------------------------------------
// 3. Decode cost: a 10,000-organization list body
// ---------------------------------------------------------------------------

/** A 10,000-organization list body in Make's shape (counters as strings), for the decode measures. */
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

export const decodeCost = async () => {
  const body = organizationsBody(10_000)
  // What the client runs on a list answer: the contract's schema compiled once into its one-pass decoder.
  const decode = Decoder.compile(OrganizationList)
  for (let i = 0; i < 3; i++) decode(JSON.parse(body))
  // Alternating single runs, the median of each: a slow spell of the machine hits both alike.
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
  console.log("\nDecode cost: JSON.parse + our schemas vs JSON.parse alone (median of alternating runs)")
  console.table([row])
  return row
}
