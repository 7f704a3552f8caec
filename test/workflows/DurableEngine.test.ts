// DurableEngine's configuration from the environment (psql's names), without a database. Ported from the Effect 3
// line (3 cases).
import { describe, expect, it } from "@effect/vitest"
import { ConfigProvider, Effect, Redacted } from "effect"
import * as DurableEngine from "../../src/workflows/DurableEngine.js"

const read = (env: Record<string, string>) => DurableEngine.postgresConfig.parse(ConfigProvider.fromEnv({ env }))

describe("DurableEngine.postgresConfig", () => {
  it.effect("reads PGHOST, PGPORT, PGDATABASE, PGUSER and PGPASSWORD (redacted)", () =>
    Effect.gen(function*() {
      const config = yield* read({
        PGHOST: "/var/run/postgresql",
        PGPORT: "5433",
        PGDATABASE: "make_workflows",
        PGUSER: "ops",
        PGPASSWORD: "s3cret"
      })
      const { password, ...rest } = config
      expect(rest).toEqual({ host: "/var/run/postgresql", port: 5433, database: "make_workflows", username: "ops" })
      expect(password !== undefined && Redacted.isRedacted(password) ? Redacted.value(password) : undefined).toBe(
        "s3cret"
      )
      expect(String(password)).not.toContain("s3cret")
    }))

  it.effect("reads DATABASE_URL as a redacted URL; nothing set gives the driver's defaults", () =>
    Effect.gen(function*() {
      const config = yield* read({ DATABASE_URL: "postgres://ops:s3cret@db:5432/make" })
      expect(config.url !== undefined ? Redacted.value(config.url) : undefined).toBe(
        "postgres://ops:s3cret@db:5432/make"
      )
      expect(String(config.url)).not.toContain("s3cret")
      expect(yield* read({})).toEqual({})
    }))

  it.effect("a malformed port is a ConfigError", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(read({ PGPORT: "five" }))
      expect(error._tag).toBe("ConfigError")
    }))
})
