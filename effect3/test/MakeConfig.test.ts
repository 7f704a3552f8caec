// Configuration: zones and base URLs are checked at layer build, the token stays redacted when printed.
import { describe, expect, it } from "@effect/vitest"
import { ConfigProvider, Effect, Exit, Layer, Redacted } from "effect"
import * as MakeConfig from "../src/MakeConfig.js"

const token = Redacted.make("6f1d3c52-8a9e-4c1b-9d2e-3f4a5b6c7d8e")

describe("MakeConfig", () => {
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

  for (const zone of ["", "eu1.make.com/../x", "http://eu1.make.com", "eu1.make.com:443", "eu1 .make.com", "-a.com"]) {
    it.effect(`rejects the zone ${JSON.stringify(zone)}`, () =>
      Effect.gen(function*() {
        const error = yield* Effect.flip(MakeConfig.make({ token, zone }))
        expect(error._tag).toBe("InvalidInput")
        expect(error.operation).toBe("MakeConfig")
      }))
  }

  for (const baseUrl of ["not a url", "ftp://eu1.make.com", "https://user:pw@eu1.make.com", "https://a.com/?x=1"]) {
    it.effect(`rejects the base URL ${JSON.stringify(baseUrl)}`, () =>
      Effect.gen(function*() {
        const error = yield* Effect.flip(MakeConfig.make({ token, baseUrl }))
        expect(error._tag).toBe("InvalidInput")
      }))
  }

  it.effect("needs a zone or a base URL, a real token, a positive timeout", () =>
    Effect.gen(function*() {
      expect((yield* Effect.flip(MakeConfig.make({ token }))).message).toContain("zone")
      expect((yield* Effect.flip(MakeConfig.make({ token: Redacted.make(""), zone: "eu1.make.com" }))).message)
        .toContain("token")
      expect((yield* Effect.flip(MakeConfig.make({ token, zone: "eu1.make.com", timeout: 0 }))).message)
        .toContain("timeout")
    }))

  it.effect("layerConfig reads MAKE_API_TOKEN, MAKE_ZONE, MAKE_BASE_URL, MAKE_TIMEOUT", () =>
    Effect.gen(function*() {
      const config = yield* MakeConfig.MakeConfig
      expect(config.baseUrl).toBe("https://us2.make.com/api/v2")
      expect(Redacted.value(config.token)).toBe("abc")
      expect(config.timeout.toJSON()).toMatchObject({ _tag: "Millis", millis: 5000 })
    }).pipe(
      Effect.provide(
        MakeConfig.layerConfig().pipe(Layer.provide(Layer.setConfigProvider(
          ConfigProvider.fromMap(
            new Map([["MAKE_API_TOKEN", "abc"], ["MAKE_ZONE", "us2.make.com"], ["MAKE_TIMEOUT", "5 seconds"]])
          )
        )))
      )
    ))

  it.effect("layerConfig fails at build on a malformed zone", () =>
    Effect.gen(function*() {
      const exit = yield* Effect.exit(
        Layer.build(
          MakeConfig.layerConfig().pipe(Layer.provide(Layer.setConfigProvider(
            ConfigProvider.fromMap(new Map([["MAKE_API_TOKEN", "abc"], ["MAKE_ZONE", "eu1.make.com/../x"]]))
          )))
        ).pipe(Effect.scoped)
      )
      expect(Exit.isFailure(exit)).toBe(true)
      expect(String(exit)).toContain("is not a host name")
    }))

  it.effect("printing the configuration never shows the token", () =>
    Effect.gen(function*() {
      const config = yield* MakeConfig.make({ token, zone: "eu1.make.com" })
      const secret = Redacted.value(token)
      expect(String(config.token)).not.toContain(secret)
      expect(JSON.stringify(config)).not.toContain(secret)
      expect(`${JSON.stringify(config)} ${String(Object.values(config))}`).not.toContain(secret)
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
