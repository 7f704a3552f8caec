// The Node-ready layers: the real services over undici and a real socket (the emulator on a free port), configured
// from values and from the environment; one test per layer constructor.
import { describe, expect, it } from "@effect/vitest"
import { ConfigProvider, Effect, Exit, Layer, Redacted, Result } from "effect"
import { HttpServer } from "effect/http"
import { NodeMakeApi } from "../../src/node/index.js"
import * as Organizations from "../../src/Organizations.js"
import { Emulator } from "../../src/testing/index.js"

const emulatorOnAPort = Emulator.layer({ port: 0 })

/** Builds `layer` from the base URL of the emulator running on a port (`http://127.0.0.1:PORT/api/v2`). */
const overServer = <A, E>(layer: (baseUrl: string) => Layer.Layer<A, E>) =>
  Layer.unwrap(
    Effect.map(
      Effect.service(HttpServer.HttpServer),
      (server) => layer(`${HttpServer.formatAddress(server.address)}${Emulator.basePath}`)
    )
  ).pipe(Layer.provideMerge(emulatorOnAPort))

/** The environment as `entries`, names read as the environment does (`TENANT_A_MAKE_ZONE`: a prefix joined by `_`). */
const env = (entries: Record<string, string>) => ConfigProvider.layer(ConfigProvider.fromEnv({ env: entries }))

/** Builds `layer` alone, as its Exit: a layer that must fail fails before any request. */
const buildExit = <A, E>(layer: Layer.Layer<A, E>) => Effect.exit(Effect.scoped(Layer.build(layer)))

describe("NodeMakeApi", () => {
  it.live("layer: the services over undici, to the emulator on a real port", () =>
    Effect.gen(function*() {
      const orgs = yield* Organizations.Organizations
      expect((yield* orgs.get(11)).name).toBe("Acme")
      // Effect 3 created an AdminTeams team here; that service is not on this line yet, so the write over undici is an
      // organization's update, read back
      const updated = yield* orgs.update(11, { name: "Over undici" })
      expect(updated.name).toBe("Over undici")
      expect((yield* orgs.list()).items.map((org) => org.name)).toContain("Over undici")
      const error = yield* Effect.flip(orgs.delete(11))
      expect(error).toMatchObject({ _tag: "NotConfirmed", code: "IM004", resource: "organization", id: 11 })
      expect((yield* Emulator.requests).map((request) => [request.method, request.path, request.status])).toEqual([
        ["GET", "/organizations/11", 200],
        ["PATCH", "/organizations/11", 200],
        ["GET", "/organizations", 200],
        ["DELETE", "/organizations/11", 406]
      ])
    }).pipe(
      Effect.provide(
        overServer((baseUrl) => NodeMakeApi.layer({ token: Emulator.defaultToken, baseUrl }).pipe(Layer.orDie))
      )
    ))

  it.live("layerConfig: configured from MAKE_API_TOKEN and MAKE_BASE_URL", () =>
    Effect.gen(function*() {
      const orgs = yield* Organizations.Organizations
      const page = yield* orgs.list({ limit: 2 })
      expect(page.items).toHaveLength(2)
      expect(yield* Emulator.requests).toEqual([
        expect.objectContaining({ method: "GET", path: "/organizations", status: 200, authenticated: true })
      ])
    }).pipe(
      Effect.provide(overServer((baseUrl) =>
        NodeMakeApi.layerConfig().pipe(
          Layer.provide(env({ MAKE_API_TOKEN: Redacted.value(Emulator.defaultToken), MAKE_BASE_URL: baseUrl })),
          Layer.orDie
        )
      ))
    ))

  it.effect("layerConfig: no token configured fails the layer build, before any request", () =>
    Effect.gen(function*() {
      const exit = yield* buildExit(NodeMakeApi.layerConfig().pipe(Layer.provide(env({ MAKE_ZONE: "eu1.make.com" }))))
      expect(Exit.isFailure(exit)).toBe(true)
      expect(String(exit)).toContain("MAKE_API_TOKEN")
    }))

  it.effect("layer: plain http to a non-loopback host fails the layer build with InvalidInput", () =>
    Effect.gen(function*() {
      const exit = yield* buildExit(
        NodeMakeApi.layer({ token: Emulator.defaultToken, baseUrl: "http://make.example.com/api/v2" })
      )
      expect(exit).toMatchObject({ _tag: "Failure", cause: { reasons: [{ error: { _tag: "InvalidInput" } }] } })
    }))

  it.live("layerConfig under a prefix: the agent's pool from TENANT_A_MAKE_AGENT_CONNECTIONS, calls over it", () =>
    Effect.gen(function*() {
      const orgs = yield* Organizations.Organizations
      expect((yield* orgs.get(11)).name).toBe("Acme")
    }).pipe(
      Effect.provide(overServer((baseUrl) =>
        NodeMakeApi.layerConfig({ prefix: "TENANT_A" }).pipe(
          Layer.provide(env({
            TENANT_A_MAKE_API_TOKEN: Redacted.value(Emulator.defaultToken),
            TENANT_A_MAKE_BASE_URL: baseUrl,
            TENANT_A_MAKE_AGENT_CONNECTIONS: "2",
            TENANT_A_MAKE_AGENT_KEEP_ALIVE_TIMEOUT: "5 seconds"
          })),
          Layer.orDie
        )
      ))
    ))

  it.effect("layerConfig under a prefix reads the agent's settings there: a pool of 0 fails the build", () =>
    Effect.gen(function*() {
      const exit = yield* buildExit(
        NodeMakeApi.layerConfig({ prefix: "TENANT_A" }).pipe(Layer.provide(env({
          TENANT_A_MAKE_API_TOKEN: Redacted.value(Emulator.defaultToken),
          TENANT_A_MAKE_ZONE: "eu1.make.com",
          TENANT_A_MAKE_AGENT_CONNECTIONS: "0"
        })))
      )
      expect(Exit.isFailure(exit)).toBe(true)
      expect(String(exit)).toContain("MAKE_AGENT_CONNECTIONS")
    }))

  it.effect("agentOptions: each setting optional, a pool below 1 is a ConfigError naming the setting", () =>
    Effect.gen(function*() {
      const read = (entries: Record<string, string>) =>
        Effect.result(NodeMakeApi.agentOptions.parse(ConfigProvider.fromEnv({ env: entries })))
      expect(yield* read({})).toEqual(Result.succeed({}))
      expect(yield* read({ MAKE_AGENT_CONNECTIONS: "16", MAKE_AGENT_KEEP_ALIVE_TIMEOUT: "30 seconds" })).toEqual(
        Result.succeed({ connections: 16, keepAliveTimeout: 30_000 })
      )
      const refused = yield* read({ MAKE_AGENT_CONNECTIONS: "0" })
      expect(Result.isFailure(refused) && String(refused.failure)).toContain("MAKE_AGENT_CONNECTIONS")
    }))
})
