// Configuration from values and from `Config`: zones and base URLs checked when the layer is built, every option
// under a prefix, the token bounded and never printed, MAKE_API_TOKEN before MAKE_API_KEY.
import { describe, expect, it } from "@effect/vitest"
import { ConfigProvider, Duration, Effect, Exit, Layer, Redacted, Schema } from "effect"
import * as MakeConfig from "../src/MakeConfig.js"

const token = Redacted.make("6f1d3c52-8a9e-4c1b-9d2e-3f4a5b6c7d8e")

/** A ConfigProvider that reads names as the environment does (`TENANT_A_MAKE_ZONE`: a prefix joined by `_`). */
const env = (entries: Record<string, string>) => ConfigProvider.layer(ConfigProvider.fromEnv({ env: entries }))

const resolved = (source: MakeConfig.ConfigSource | undefined, entries: Record<string, string>) =>
  Effect.service(MakeConfig.MakeConfig).pipe(
    Effect.provide(MakeConfig.layerConfig(source).pipe(Layer.provide(env(entries))))
  )

describe("MakeConfig from values", () => {
  it.effect("a zone gives https://{zone}/api/v2", () =>
    Effect.gen(function*() {
      const config = yield* MakeConfig.make({ token, zone: "eu1.make.com" })
      expect(config.baseUrl).toBe("https://eu1.make.com/api/v2")
      expect(config.origin).toBe("https://eu1.make.com")
    }))

  it.effect("a base URL wins over the zone and loses its trailing slash", () =>
    Effect.gen(function*() {
      const config = yield* MakeConfig.make({
        token,
        zone: "eu1.make.com",
        baseUrl: "https://make.example.com/api/v2/"
      })
      expect(config.baseUrl).toBe("https://make.example.com/api/v2")
    }))

  it.effect("plain http is allowed to loopback only", () =>
    Effect.gen(function*() {
      const local = yield* MakeConfig.make({ token, baseUrl: "http://127.0.0.1:8080/api/v2" })
      expect(local.baseUrl).toBe("http://127.0.0.1:8080/api/v2")
      const error = yield* Effect.flip(MakeConfig.make({ token, baseUrl: "http://example.com/api/v2" }))
      expect(error._tag).toBe("InvalidInput")
      expect(error.message).toContain("https")
    }))

  it.effect("rejects zones that are not a bare host name, and base URLs with more than a place", () =>
    Effect.gen(function*() {
      const zones = [
        "",
        "eu1.make.com/../x",
        "http://eu1.make.com",
        "eu1.make.com:443",
        "eu1 .make.com",
        "-a.com",
        "\ud800"
      ]
      for (const zone of zones) {
        const error = yield* Effect.flip(MakeConfig.make({ token, zone }))
        expect(error).toMatchObject({ _tag: "InvalidInput", operation: "MakeConfig" })
      }
      const baseUrls = ["not a url", "ftp://eu1.make.com", "https://user:pw@eu1.make.com", "https://a.com/?x=1"]
      for (const baseUrl of [...baseUrls, "https://eu1.make.com/\ud800"]) {
        const error = yield* Effect.flip(MakeConfig.make({ token, baseUrl }))
        expect(error).toMatchObject({ _tag: "InvalidInput", operation: "MakeConfig" })
      }
    }))

  it.effect("needs a zone or a base URL, a real token, a positive timeout", () =>
    Effect.gen(function*() {
      expect((yield* Effect.flip(MakeConfig.make({ token }))).message).toContain("zone")
      expect((yield* Effect.flip(MakeConfig.make({ token: Redacted.make(""), zone: "eu1.make.com" }))).message)
        .toContain("token")
      for (const timeout of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
        expect((yield* Effect.flip(MakeConfig.make({ token, zone: "eu1.make.com", timeout }))).message)
          .toContain("timeout")
      }
    }))

  it.effect.prop(
    "a token longer than maxTokenLength is refused naming the limit, never the token",
    [Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: 20_000 }))],
    ([length]) =>
      Effect.gen(function*() {
        const secret = "x".repeat(length)
        const exit = yield* Effect.exit(MakeConfig.make({ token: Redacted.make(secret), zone: "eu1.make.com" }))
        if (length <= MakeConfig.maxTokenLength) {
          expect(Exit.isSuccess(exit)).toBe(true)
          return
        }
        const error = yield* Effect.flip(MakeConfig.make({ token: Redacted.make(secret), zone: "eu1.make.com" }))
        expect(error.issues).toEqual([
          `token is longer than ${MakeConfig.maxTokenLength} characters; a Make API token has 36 (copy the token alone)`
        ])
        expect(error.message).not.toContain(secret)
      })
  )

  it.effect("printing the configuration never shows the token", () =>
    Effect.gen(function*() {
      const config = yield* MakeConfig.make({ token, zone: "eu1.make.com" })
      const secret = Redacted.value(token)
      expect(`${JSON.stringify(config)} ${String(config.token)} ${String(Object.values(config))}`).not.toContain(secret)
    }))

  it("rateLimitFromLicense reads license.apiLimit; no limit without one", () => {
    expect(MakeConfig.rateLimitFromLicense({ apiLimit: 240 })).toEqual({ requestsPerMinute: 240 })
    expect(MakeConfig.rateLimitFromLicense({ apps: ["T2"] })).toBeUndefined()
    expect(MakeConfig.rateLimitFromLicense(undefined)).toBeUndefined()
  })

  it.effect("retry and rateLimit options are resolved with their defaults", () =>
    Effect.gen(function*() {
      const config = yield* MakeConfig.make({ token, zone: "eu1.make.com", rateLimit: { requestsPerMinute: 60 } })
      expect(config.retry).toEqual(MakeConfig.defaultRetry)
      expect(config.requestsPerMinute).toBe(60)
      expect((yield* MakeConfig.make({ token, zone: "eu1.make.com", retry: "off" })).retry.maxAttempts).toBe(1)
      expect((yield* MakeConfig.make({ token, zone: "eu1.make.com" })).requestsPerMinute).toBeUndefined()
    }))
})

describe("MakeConfig from Config", () => {
  it.effect("every option under a prefix: token, zone, timeout, retry, rate limit, size cap, redirects", () =>
    Effect.gen(function*() {
      const config = yield* resolved({ prefix: "TENANT_A" }, {
        TENANT_A_MAKE_API_TOKEN: "abc",
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
      expect(Redacted.value(config.token)).toBe("abc")
      expect(config.baseUrl).toBe("https://us2.make.com/api/v2")
      expect(Duration.toMillis(config.timeout)).toBe(10_000)
      expect([
        config.retry.maxAttempts,
        Duration.toMillis(config.retry.baseDelay),
        Duration.toMillis(config.retry.maxDelay),
        config.retry.jitter
      ]).toEqual([6, 250, 60_000, 0.1])
      expect([config.requestsPerMinute, config.maxResponseBytes, config.maxRedirects]).toEqual([240, 1_048_576, 3])
    }))

  it.effect("followRedirects reads a boolean too; only the token is required, baseUrl wins over the zone", () =>
    Effect.gen(function*() {
      const base = { MAKE_API_TOKEN: "abc", MAKE_ZONE: "eu1.make.com" }
      const on = yield* resolved(undefined, { ...base, MAKE_FOLLOW_REDIRECTS: "true" })
      const off = yield* resolved(undefined, { ...base, MAKE_FOLLOW_REDIRECTS: "false" })
      expect([on.maxRedirects, off.maxRedirects]).toEqual([5, 0])
      const config = yield* resolved(undefined, { ...base, MAKE_BASE_URL: "http://127.0.0.1:8080/api/v2/" })
      expect(config).toMatchObject({ baseUrl: "http://127.0.0.1:8080/api/v2", requestsPerMinute: undefined })
      expect(config.retry).toEqual(MakeConfig.defaultRetry)
      expect(Duration.toMillis(config.timeout)).toBe(Duration.toMillis(MakeConfig.defaultTimeout))
    }))

  it.effect("MAKE_API_KEY (the name Make's own SDK reads) is taken when MAKE_API_TOKEN is not set; the latter wins", () =>
    Effect.gen(function*() {
      const key = yield* resolved(undefined, { MAKE_API_KEY: "from-key", MAKE_ZONE: "eu1.make.com" })
      expect(Redacted.value(key.token)).toBe("from-key")
      const both = yield* resolved(undefined, {
        MAKE_API_KEY: "from-key",
        MAKE_API_TOKEN: "from-token",
        MAKE_ZONE: "eu1.make.com"
      })
      expect(Redacted.value(both.token)).toBe("from-token")
      const prefixed = yield* resolved({ prefix: "T" }, { T_MAKE_API_KEY: "prefixed-key", T_MAKE_ZONE: "eu1.make.com" })
      expect(Redacted.value(prefixed.token)).toBe("prefixed-key")
    }))

  it.effect("a malformed value fails the build naming the prefixed name, or the rule it breaks", () =>
    Effect.gen(function*() {
      const base = { B_MAKE_API_TOKEN: "abc", B_MAKE_ZONE: "eu1.make.com" }
      const notANumber = yield* Effect.flip(
        resolved({ prefix: "B" }, { ...base, B_MAKE_RATE_LIMIT_PER_MINUTE: "lots" })
      )
      expect(notANumber._tag).toBe("ConfigError")
      expect(String(notANumber)).toContain("MAKE_RATE_LIMIT_PER_MINUTE")
      const outOfRange = yield* Effect.flip(resolved({ prefix: "B" }, { ...base, B_MAKE_RETRY_MAX_ATTEMPTS: "50" }))
      expect(outOfRange).toMatchObject({
        _tag: "InvalidInput",
        issues: ["retry.maxAttempts must be an integer from 1 to 20"]
      })
      const badZone = yield* Effect.flip(resolved({ prefix: "B" }, { ...base, B_MAKE_ZONE: "eu1.make.com/../x" }))
      expect(badZone.message).toContain("is not a host name")
      const missing = yield* Effect.flip(
        resolved({ prefix: "B" }, { MAKE_API_TOKEN: "abc", B_MAKE_ZONE: "eu1.make.com" })
      )
      expect(missing._tag).toBe("ConfigError")
      expect(String(missing)).toContain("MAKE_API_TOKEN")
      expect(String(missing)).not.toContain("abc")
    }))

  it.effect("a Config of one's own is taken as it is", () =>
    Effect.gen(function*() {
      const config = yield* resolved(MakeConfig.options, { MAKE_API_TOKEN: "abc", MAKE_ZONE: "eu2.make.com" })
      expect(config.baseUrl).toBe("https://eu2.make.com/api/v2")
    }))
})
