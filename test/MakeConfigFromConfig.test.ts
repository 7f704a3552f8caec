// Two tenants configured side by side in one app, each client from `Config` under its own prefix, over the emulator.
// Ported from the Effect 3 line's file of the same name, whose other five cases (every option under a prefix, the
// boolean followRedirects, the defaults, malformed values, a Config of one's own) are in test/MakeConfig.test.ts.
// Imports `effect`, src/.
import { describe, expect, it } from "@effect/vitest"
import { ConfigProvider, Effect, Layer, Redacted } from "effect"
import * as MakeApi from "../src/MakeApi.js"
import * as Organizations from "../src/Organizations.js"
import * as Emulator from "../src/testing/Emulator.js"

/** A ConfigProvider that reads names as the environment does (`TENANT_A_MAKE_ZONE`: a prefix joined by `_`). */
const env = (entries: Record<string, string>) => ConfigProvider.layer(ConfigProvider.fromEnv({ env: entries }))

const token = "5fdd6c5d-aaaa-4bbb-8ccc-000000000001"

describe("MakeConfig from Config", () => {
  it.effect("two tenants in one app: each client reads its own prefix (tenant B's token is refused)", () =>
    Effect.gen(function*() {
      const tenant = (prefix: string) =>
        MakeApi.layerConfig({ prefix }).pipe(Layer.provide(Emulator.layerTest()), Layer.orDie)
      const name = Effect.flatMap(Effect.service(Organizations.Organizations), (orgs) => orgs.get(11)).pipe(
        Effect.map((org) => org.name),
        Effect.catchTag("Unauthorized", (error) => Effect.succeed(`refused ${error.status}`))
      )
      const names = yield* Effect.all([
        Effect.provide(name, tenant("TENANT_A")),
        Effect.provide(name, tenant("TENANT_B"))
      ])
      expect(names).toEqual(["Acme", "refused 401"])
    }).pipe(Effect.provide(env({
      TENANT_A_MAKE_API_TOKEN: Redacted.value(Emulator.defaultToken),
      TENANT_A_MAKE_BASE_URL: Emulator.baseUrl,
      TENANT_A_MAKE_RETRY_MAX_ATTEMPTS: "1",
      TENANT_B_MAKE_API_TOKEN: token,
      TENANT_B_MAKE_BASE_URL: Emulator.baseUrl,
      TENANT_B_MAKE_RETRY_MAX_ATTEMPTS: "1"
    }))))
})
