// Where the time of one `Organizations.get` goes on this line: the same request through each stage of the stack, at
// c=32, each stage's client CPU per request and what it adds to the one before (the profile the targets refer to).
import { Effect, Layer, ManagedRuntime, Redacted, Result } from "effect"
import { HttpClientRequest } from "effect/http"
import { Agent, request } from "@effect/platform-node/Undici"
import * as Endpoints from "../src/internal/endpoints.js"
import { BufferedResponse } from "../src/internal/bounded.js"
import * as MakeClient from "../src/MakeClient.js"
import * as MakeConfig from "../src/MakeConfig.js"
import * as NodeMakeApi from "../src/node/NodeMakeApi.js"
import * as UndiciHttpClient from "../src/node/UndiciHttpClient.js"
import * as Organizations from "../src/Organizations.js"
import { headers, interleaved, quick, round, token } from "./harness.js"

const bodyOf = (response: unknown) => response instanceof BufferedResponse ? response.jsonNow() : undefined

export const stages = async (port: number) => {
  const baseUrl = `http://127.0.0.1:${port}/api/v2`
  const url = `${baseUrl}/organizations/11`
  const agent = new Agent({ keepAliveTimeout: 60_000, connections: 64 })
  const runtime = ManagedRuntime.make(Layer.orDie(NodeMakeApi.layer({ token: Redacted.make(token), baseUrl })))
  const config = await runtime.runPromise(MakeConfig.make({ token: Redacted.make(token), baseUrl }))
  const send = await runtime.runPromise(UndiciHttpClient.transportWith(agent).make(config))
  const client = await runtime.runPromise(Effect.service(MakeClient.MakeClient))
  const orgs = await runtime.runPromise(Effect.service(Organizations.Organizations))
  const get = Endpoints.endpoint("organizations", "get")
  const built = get.request({ params: { organizationId: 11 }, query: {} })
  if (Result.isFailure(built)) throw new Error("the bench's request does not encode")
  const steps: ReadonlyArray<readonly [string, Effect.Effect<unknown, unknown>]> = [
    ["undici transport (Send) + JSON.parse", Effect.map(send(HttpClientRequest.get(url, { headers })), bodyOf)],
    ["+ pipeline (auth, bounds, limiter, redirects, retries)", Effect.map(client.execute(built.success, 11), bodyOf)],
    ["+ endpoint decode (fast path, Schema JIT)", Effect.flatMap(client.execute(built.success, 11), get.decode)],
    ["Organizations.get (validation, encode, span, errors)", orgs.get(11)]
  ]
  const measured = await interleaved(
    [
      ["undici.request + JSON.parse", async () => (await request(url, { dispatcher: agent, headers })).body.json()],
      ...steps.map(([name, effect]) => [name, () => runtime.runPromise(effect)] as const)
    ],
    32,
    quick ? 500 : 12000
  )
  await runtime.dispose()
  await agent.close()
  const rows = measured.map((r, i) => {
    const previous = measured[i - 1]
    return {
      stage: r.client,
      requestsPerSecond: round(r.requestsPerSecond, 0),
      cpuMicrosPerCall: round(r.cpuMicrosPerCall, 1),
      addedCpuMicros: previous === undefined ? 0 : round(r.cpuMicrosPerCall - previous.cpuMicrosPerCall, 1)
    }
  })
  console.log("\nWhere the time goes: GET /organizations/11 through each stage, c=32 (client CPU µs per request)")
  console.table(rows)
  return rows
}
