// Request overhead: `Organizations.get` against a fixed-answer loopback server, both lines and the peers taking turns.
import { Make } from "@makehq/sdk"
import { request } from "@effect/platform-node/Undici"
import { Agent } from "@effect/platform-node/Undici"
import { headers, interleaved, type LoadResult, overheadRounds, quick, round, token } from "./harness.js"
import { effect3, effect4 } from "./lines.js"

/** One row per client and concurrency, with ratios to the SDK, fetch and undici of the same round. */
export const requestOverhead = async (root: string, port: number) => {
  const baseUrl = `http://127.0.0.1:${port}/api/v2`
  const url = `${baseUrl}/organizations/11`
  const agent = new Agent({ keepAliveTimeout: 60_000, connections: 64 })
  const sdk = new Make(token, `127.0.0.1:${port}`)
  sdk.protocol = "http"
  const ours = await effect4(baseUrl, token)
  const old = await effect3(root, baseUrl, token)
  const clients: ReadonlyArray<readonly [string, () => Promise<unknown>]> = [
    ["undici.request", async () => (await request(url, { dispatcher: agent, headers })).body.json()],
    ["fetch", async () => (await fetch(url, { headers })).json()],
    ["@makehq/sdk", () => sdk.organizations.get(11)],
    ["effect-make 1.x (Effect 4)", ours.get],
    ...(old === undefined ? [] : [["effect-make 0.x (Effect 3)", old.get] as const])
  ]
  const results: Array<LoadResult> = []
  for (const concurrency of [1, 32]) {
    const total = quick ? 500 : concurrency === 1 ? 3000 : 12000
    results.push(...await interleaved(clients, concurrency, total, overheadRounds))
  }
  await Promise.all([ours.dispose(), old?.dispose(), agent.close()])
  const base = (client: string, concurrency: number) =>
    results.find((b) => b.client === client && b.concurrency === concurrency)
  const rows = results.map((r) => ({
    client: r.client,
    concurrency: r.concurrency,
    requestsPerSecond: round(r.requestsPerSecond, 0),
    p50Ms: round(r.p50Ms, 3),
    p99Ms: round(r.p99Ms, 3),
    cpuMicrosPerCall: round(r.cpuMicrosPerCall, 1),
    vsSdk: round(r.requestsPerSecond / (base("@makehq/sdk", r.concurrency)?.requestsPerSecond ?? Number.NaN)),
    vsUndici: round(r.requestsPerSecond / (base("undici.request", r.concurrency)?.requestsPerSecond ?? Number.NaN))
  }))
  console.log(
    `\nRequest overhead: Organizations.get on loopback (median of ${overheadRounds} alternating rounds; req/s, client CPU µs per call, latency ms, ratios)`
  )
  console.table(rows)
  if (old === undefined) console.log("effect-make 0.x: not built here (npm --prefix effect3 run build), no row")
  return rows
}
