// The Node-ready layers: the real services over undici and a real socket (the emulator on a free port), configured
// from values and from the environment; one test per layer constructor.
import { describe, expect, it } from "@effect/vitest"
import { ConfigProvider, Effect, Either, Exit, Layer, Redacted } from "effect"
import * as AdminTeams from "../../src/AdminTeams.js"
import { NodeMakeApi } from "../../src/node/index.js"
import * as Organizations from "../../src/Organizations.js"
import { Emulator } from "../../src/testing/index.js"

const emulatorOnAPort = Emulator.layerServer({ port: 0 }).pipe(Layer.provideMerge(Emulator.layer()))

/** Builds `layer` from the address of the running emulator. */
const overServer = <A, E>(layer: (server: Emulator.ServerInfo) => Layer.Layer<A, E>) =>
  Layer.unwrapEffect(Effect.map(Emulator.EmulatorServer, layer)).pipe(Layer.provideMerge(emulatorOnAPort))

const env = (entries: Record<string, string>, pathDelim?: string) =>
  Layer.setConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(entries)), pathDelim ? { pathDelim } : {}))

describe("NodeMakeApi", () => {
  it.live("layer: the services over undici, to the emulator on a real port", () =>
    Effect.gen(function*() {
      const orgs = yield* Organizations.Organizations
      const teams = yield* AdminTeams.AdminTeams
      expect((yield* orgs.get(11)).name).toBe("Acme")
      const { team } = yield* teams.create({ name: "Over undici", organizationId: 11 })
      expect((yield* teams.list(11)).items.map((t) => t.id)).toContain(team.id)
      const error = yield* Effect.flip(orgs.delete(11))
      expect(error).toMatchObject({ _tag: "NotConfirmed", code: "IM004", resource: "organization", id: 11 })
    }).pipe(
      Effect.provide(overServer((server) =>
        NodeMakeApi.layer({ token: Emulator.defaultToken, baseUrl: server.baseUrl }).pipe(Layer.orDie)
      ))
    ))

  it.live("layerConfig: configured from MAKE_API_TOKEN and MAKE_BASE_URL", () =>
    Effect.gen(function*() {
      const orgs = yield* Organizations.Organizations
      const page = yield* orgs.list({ limit: 2 })
      expect(page.items).toHaveLength(2)
    }).pipe(
      Effect.provide(overServer((server) =>
        NodeMakeApi.layerConfig().pipe(
          Layer.provide(env({ MAKE_API_TOKEN: Redacted.value(Emulator.defaultToken), MAKE_BASE_URL: server.baseUrl })),
          Layer.orDie
        )
      ))
    ))

  it.effect("layerConfig: no token configured fails the layer build, before any request", () =>
    Effect.gen(function*() {
      const exit = yield* Effect.exit(
        Layer.build(NodeMakeApi.layerConfig().pipe(Layer.provide(env({ MAKE_ZONE: "eu1.make.com" })))).pipe(
          Effect.scoped
        )
      )
      expect(Exit.isFailure(exit)).toBe(true)
      expect(String(exit)).toContain("MAKE_API_TOKEN")
    }))

  it.effect("layer: plain http to a non-loopback host fails the layer build with InvalidInput", () =>
    Effect.gen(function*() {
      const exit = yield* Effect.exit(
        Layer.build(NodeMakeApi.layer({ token: Emulator.defaultToken, baseUrl: "http://make.example.com/api/v2" }))
          .pipe(Effect.scoped)
      )
      expect(Exit.isFailure(exit)).toBe(true)
      expect(String(exit)).toContain("InvalidInput")
    }))

  it.live("layerConfig under a prefix: the agent's pool from TENANT_A_MAKE_AGENT_CONNECTIONS, calls over it", () =>
    Effect.gen(function*() {
      const orgs = yield* Organizations.Organizations
      expect((yield* orgs.get(11)).name).toBe("Acme")
    }).pipe(
      Effect.provide(overServer((server) =>
        NodeMakeApi.layerConfig({ prefix: "TENANT_A" }).pipe(
          Layer.provide(env({
            TENANT_A_MAKE_API_TOKEN: Redacted.value(Emulator.defaultToken),
            TENANT_A_MAKE_BASE_URL: server.baseUrl,
            TENANT_A_MAKE_AGENT_CONNECTIONS: "2",
            TENANT_A_MAKE_AGENT_KEEP_ALIVE_TIMEOUT: "5 seconds"
          }, "_")),
          Layer.orDie
        )
      ))
    ))

  it.effect("layerConfig under a prefix reads the agent's settings there: a pool of 0 fails the build", () =>
    Effect.gen(function*() {
      const exit = yield* Effect.exit(
        Layer.build(
          NodeMakeApi.layerConfig({ prefix: "TENANT_A" }).pipe(Layer.provide(env({
            TENANT_A_MAKE_API_TOKEN: Redacted.value(Emulator.defaultToken),
            TENANT_A_MAKE_ZONE: "eu1.make.com",
            TENANT_A_MAKE_AGENT_CONNECTIONS: "0"
          }, "_")))
        ).pipe(Effect.scoped)
      )
      expect(Exit.isFailure(exit)).toBe(true)
      expect(String(exit)).toContain("MAKE_AGENT_CONNECTIONS")
    }))

  it.effect("agentOptions: each setting optional, a pool below 1 is a ConfigError naming the setting", () =>
    Effect.gen(function*() {
      const read = (entries: Record<string, string>) =>
        Effect.either(Effect.withConfigProvider(
          NodeMakeApi.agentOptions,
          ConfigProvider.fromMap(new Map(Object.entries(entries)), { pathDelim: "_" })
        ))
      expect(yield* read({})).toEqual(Either.right({}))
      expect(yield* read({ MAKE_AGENT_CONNECTIONS: "16", MAKE_AGENT_KEEP_ALIVE_TIMEOUT: "30 seconds" })).toEqual(
        Either.right({ connections: 16, keepAliveTimeout: 30_000 })
      )
      const refused = yield* read({ MAKE_AGENT_CONNECTIONS: "0" })
      expect(Either.isLeft(refused) && String(refused.left)).toContain("MAKE_AGENT_CONNECTIONS")
    }))
})
