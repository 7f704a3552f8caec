// Sections of `npm run bench` (see bench/run.ts).
import { Make } from "@makehq/sdk"
import { Effect, Layer, ManagedRuntime, Redacted } from "effect"
import { Agent, request } from "undici"
import { MakeClient, Organizations } from "../src/index.js"
import { NodeMakeApi, UndiciHttpClient } from "../src/node/index.js"
import { headers, interleaved, type LoadResult, overheadRounds, quick, round, token } from "./harness.js"

// ---------------------------------------------------------------------------
// 1. Request overhead: Organizations.get against a fixed-answer loopback server
// ---------------------------------------------------------------------------

export const requestOverhead = async (port: number) => {
  const baseUrl = `http://127.0.0.1:${port}/api/v2`
  const url = `${baseUrl}/organizations/11`
  const agent = new Agent({ keepAliveTimeout: 60_000, connections: 64 })
  const sdk = new Make(token, `127.0.0.1:${port}`)
  sdk.protocol = "http"
  const runtime = ManagedRuntime.make(
    Layer.orDie(NodeMakeApi.layer({ token: Redacted.make(token), baseUrl }))
  )
  const orgs = await runtime.runPromise(Organizations.Organizations)
  const clients: ReadonlyArray<readonly [string, () => Promise<unknown>]> = [
    ["undici.request", async () => (await request(url, { dispatcher: agent, headers })).body.json()],
    ["fetch", async () => (await fetch(url, { headers })).json()],
    ["effect-make", () => runtime.runPromise(orgs.get(11))],
    ["@makehq/sdk", () => sdk.organizations.get(11)]
  ]
  const results: Array<LoadResult> = []
  for (const concurrency of [1, 32]) {
    const total = quick ? 500 : concurrency === 1 ? 3000 : 12000
    results.push(...await interleaved(clients, concurrency, total, overheadRounds))
  }
  await runtime.dispose()
  await agent.close()
  const rows = results.map((r) => {
    const base = (client: string) =>
      results.find((b) => b.client === client && b.concurrency === r.concurrency)?.requestsPerSecond ?? Number.NaN
    const cpu = (client: string) =>
      results.find((b) => b.client === client && b.concurrency === r.concurrency)?.cpuMicrosPerCall ?? Number.NaN
    return {
      ...r,
      requestsPerSecond: round(r.requestsPerSecond, 0),
      p50Ms: round(r.p50Ms, 3),
      p99Ms: round(r.p99Ms, 3),
      cpuMicrosPerCall: round(r.cpuMicrosPerCall, 1),
      cpuVsSdk: round(r.cpuMicrosPerCall / cpu("@makehq/sdk")),
      vsSdk: round(r.requestsPerSecond / base("@makehq/sdk")),
      vsFetch: round(r.requestsPerSecond / base("fetch")),
      vsUndici: round(r.requestsPerSecond / base("undici.request"))
    }
  })
  console.log(
    `\nRequest overhead: Organizations.get on loopback (median of ${overheadRounds} alternating rounds; req/s, client CPU µs per call, latency ms, ratios)`
  )
  console.table(rows)
  return rows
}

// ---------------------------------------------------------------------------
// 1b. Where the time of one Organizations.get goes: the same request through each stage of the stack, at c=32
// ---------------------------------------------------------------------------

export const stages = async (port: number) => {
  const baseUrl = `http://127.0.0.1:${port}/api/v2`
  const agent = new Agent({ keepAliveTimeout: 60_000, connections: 64 })
  const transport = UndiciHttpClient.make(agent)
  const runtime = ManagedRuntime.make(
    Layer.orDie(NodeMakeApi.layer({ token: Redacted.make(token), baseUrl }))
  )
  const { api, httpClient } = await runtime.runPromise(MakeClient.MakeClient)
  const orgs = await runtime.runPromise(Organizations.Organizations)
  const total = quick ? 500 : 12000
  const steps: ReadonlyArray<readonly [string, Effect.Effect<unknown, unknown>]> = [
    [
      "UndiciHttpClient + JSON.parse",
      Effect.flatMap(transport.get(`${baseUrl}/organizations/11`, { headers }), (response) => response.json)
    ],
    ["+ MakeClient pipeline (auth, retries)", Effect.flatMap(httpClient.get("/organizations/11"), (r) => r.json)],
    [
      "+ compiled client (encode, decode)",
      api.organizations.get({ path: { organizationId: 11 }, urlParams: { wait: undefined, cols: undefined } })
    ],
    ["Organizations.get (validation, span, errors)", orgs.get(11)]
  ]
  const measured = await interleaved(
    [
      [
        "undici.request",
        async () => (await request(`${baseUrl}/organizations/11`, { dispatcher: agent, headers })).body.json()
      ],
      ...steps.map(([name, effect]) => [name, () => runtime.runPromise(effect)] as const)
    ],
    32,
    total
  )
  await runtime.dispose()
  await agent.close()
  const rows = measured.map((r, i) => {
    const micros = 1e6 / r.requestsPerSecond
    const previous = measured[i - 1]
    return {
      stage: r.client,
      requestsPerSecond: round(r.requestsPerSecond, 0),
      microsPerRequest: round(micros, 1),
      addedMicros: previous === undefined ? 0 : round(micros - 1e6 / previous.requestsPerSecond, 1)
    }
  })
  console.log("\nWhere the time goes: GET /organizations/11 through each stage, c=32 (µs of client CPU per request)")
  console.table(rows)
  return rows
}
