// Every client option from `Config`, under a caller-chosen prefix: the resolved configuration for each setting, the
// errors of a malformed one, and two tenants configured side by side in one app, each with its own variables.
import { describe, expect, it } from "@effect/vitest"
import { ConfigProvider, Duration, Effect, Layer, Redacted } from "effect"
import * as MakeApi from "../src/MakeApi.js"
import * as MakeConfig from "../src/MakeConfig.js"
import * as Organizations from "../src/Organizations.js"
import { Emulator } from "../src/testing/index.js"

/** A ConfigProvider that reads names as the environment does (`TENANT_A_MAKE_ZONE`, path segments joined by `_`). */
const env = (entries: Record<string, string>) =>
  Layer.setConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(entries)), { pathDelim: "_" }))

const resolved = (source: MakeConfig.ConfigSource | undefined, entries: Record<string, string>) =>
  MakeConfig.MakeConfig.pipe(Effect.provide(MakeConfig.layerConfig(source).pipe(Layer.provide(env(entries)))))

const token = "5fdd6c5d-aaaa-4bbb-8ccc-000000000001"

describe("MakeConfig from Config", () => {
  it.effect("every option under a prefix: token, zone, timeout, retry, rate limit", () =>
    Effect.gen(function*() {
      const config = yield* resolved({ prefix: "TENANT_A" }, {
        TENANT_A_MAKE_API_TOKEN: token,
        TENANT_A_MAKE_ZONE: "us2.make.com",
        TENANT_A_MAKE_TIMEOUT: "10 seconds",
        TENANT_A_MAKE_RETRY_MAX_ATTEMPTS: "6",
        TENANT_A_MAKE_RETRY_BASE_DELAY: "250 millis",
        TENANT_A_MAKE_RETRY_MAX_DELAY: "1 minute",
        TENANT_A_MAKE_RETRY_JITTER: "0.1",
        TENANT_A_MAKE_RATE_LIMIT_PER_MINUTE: "240",
        TENANT_A_MAKE_MAX_RESPONSE_BYTES: "1048576",
        TENANT_A_MAKE_FOLLOW_REDIRECTS: "3",
        // the unprefixed names belong to another client and are not read
        MAKE_API_TOKEN: "not-this-one",
        MAKE_ZONE: "eu1.make.com"
      })
      expect(Redacted.value(config.token)).toBe(token)
      expect(config.baseUrl).toBe("https://us2.make.com/api/v2")
      expect(Duration.toMillis(config.timeout)).toBe(10_000)
      expect({ ...config.retry, baseDelay: Duration.toMillis(config.retry.baseDelay) }).toEqual({
        maxAttempts: 6,
        baseDelay: 250,
        maxDelay: Duration.minutes(1),
        jitter: 0.1
      })
      expect(config.requestsPerMinute).toBe(240)
      expect(config.maxResponseBytes).toBe(1_048_576)
      expect(config.maxRedirects).toBe(3)
    }))

  it.effect("followRedirects reads a boolean too", () =>
    Effect.gen(function*() {
      const on = yield* resolved(undefined, {
        MAKE_API_TOKEN: token,
        MAKE_ZONE: "eu1.make.com",
        MAKE_FOLLOW_REDIRECTS: "true"
      })
      const off = yield* resolved(undefined, {
        MAKE_API_TOKEN: token,
        MAKE_ZONE: "eu1.make.com",
        MAKE_FOLLOW_REDIRECTS: "false"
      })
      expect([on.maxRedirects, off.maxRedirects]).toEqual([5, 0])
    }))

  it.effect("only the token is required: the rest takes the defaults, baseUrl wins over the zone", () =>
    Effect.gen(function*() {
      const config = yield* resolved(undefined, {
        MAKE_API_TOKEN: token,
        MAKE_ZONE: "eu1.make.com",
        MAKE_BASE_URL: "http://127.0.0.1:8080/api/v2/"
      })
      expect(config).toMatchObject({
        baseUrl: "http://127.0.0.1:8080/api/v2",
        retry: MakeConfig.defaultRetry,
        requestsPerMinute: undefined
      })
      expect(Duration.toMillis(config.timeout)).toBe(Duration.toMillis(MakeConfig.defaultTimeout))
    }))

  it.effect("a malformed value fails the build naming the prefixed path, or the rule it breaks", () =>
    Effect.gen(function*() {
      const notANumber = yield* Effect.flip(resolved({ prefix: "B" }, {
        B_MAKE_API_TOKEN: token,
        B_MAKE_ZONE: "eu1.make.com",
        B_MAKE_RATE_LIMIT_PER_MINUTE: "lots"
      }))
      // ConfigError writes the path with dots whatever the provider's delimiter
      expect(String(notANumber)).toContain("Invalid data at B.MAKE_RATE_LIMIT_PER_MINUTE")
      const outOfRange = yield* Effect.flip(resolved({ prefix: "B" }, {
        B_MAKE_API_TOKEN: token,
        B_MAKE_ZONE: "eu1.make.com",
        B_MAKE_RETRY_MAX_ATTEMPTS: "50"
      }))
      expect(outOfRange).toMatchObject({
        _tag: "InvalidInput",
        issues: ["retry.maxAttempts must be an integer from 1 to 20"]
      })
      const missing = yield* Effect.flip(
        resolved({ prefix: "B" }, { MAKE_API_TOKEN: token, B_MAKE_ZONE: "eu1.make.com" })
      )
      expect(String(missing)).toContain("Missing data at B.MAKE_API_TOKEN")
    }))

  it.effect("a Config of one's own is taken as it is", () =>
    Effect.gen(function*() {
      const config = yield* resolved(MakeConfig.options, { MAKE_API_TOKEN: token, MAKE_ZONE: "eu2.make.com" })
      expect(config.baseUrl).toBe("https://eu2.make.com/api/v2")
    }))

  it.effect("two tenants in one app: each client reads its own prefix (tenant B's token is refused)", () =>
    Effect.gen(function*() {
      const tenant = (prefix: string) =>
        MakeApi.layerConfig({ prefix }).pipe(Layer.provide(Emulator.layerTest()), Layer.orDie)
      const name = Effect.flatMap(Organizations.Organizations, (orgs) => orgs.get(11)).pipe(
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
