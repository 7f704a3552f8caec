// DurableEngine's configuration from the environment (psql's names; a replica's runner), without a database. The
// first 3 cases are ported from the Effect 3 line.
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

const readReplica = (env: Record<string, string>) => DurableEngine.replicaConfig.parse(ConfigProvider.fromEnv({ env }))

describe("DurableEngine.replicaConfig", () => {
  it.effect("RUNNER_HOST alone: the runner listens and is reached there, on port 34431", () =>
    Effect.gen(function*() {
      const options = yield* readReplica({ RUNNER_HOST: "10.0.3.7", PGHOST: "/var/run/postgresql" })
      expect(options).toEqual({ postgres: { host: "/var/run/postgresql" }, runner: { host: "10.0.3.7", port: 34431 } })
    }))

  it.effect("reads the port, where to listen and the number of shards", () =>
    Effect.gen(function*() {
      const options = yield* readReplica({
        RUNNER_HOST: "replica-2.workflows.internal",
        RUNNER_PORT: "40000",
        RUNNER_LISTEN_HOST: "0.0.0.0",
        RUNNER_LISTEN_PORT: "34431",
        SHARDS_PER_GROUP: "120",
        PGDATABASE: "make_workflows"
      })
      expect(options).toEqual({
        postgres: { database: "make_workflows" },
        runner: { host: "replica-2.workflows.internal", port: 40000, listenHost: "0.0.0.0", listenPort: 34431 },
        shardsPerGroup: 120
      })
    }))

  it.effect("RUNNER_HOST is required and never a wildcard; a malformed port or shard count is a ConfigError", () =>
    Effect.gen(function*() {
      const failures = [
        {},
        { RUNNER_HOST: "" },
        { RUNNER_HOST: "0.0.0.0" },
        { RUNNER_HOST: "::" },
        { RUNNER_HOST: "10.0.3.7", RUNNER_PORT: "seventy" },
        { RUNNER_HOST: "10.0.3.7", RUNNER_LISTEN_PORT: "70000" },
        { RUNNER_HOST: "10.0.3.7", SHARDS_PER_GROUP: "0" }
      ]
      for (const env of failures) {
        const error = yield* Effect.flip(readReplica(env))
        expect(error._tag).toBe("ConfigError")
      }
      const wildcard = yield* Effect.flip(readReplica({ RUNNER_HOST: "0.0.0.0" }))
      expect(wildcard.message).toContain("the other replicas can reach")
    }))
})
