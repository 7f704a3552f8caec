// `effect-make apply --durable` in process (`run(argv)` over an in-memory Output): the command is a client of the
// durable engine's replicas (ClusterClient), a replica process (test/workflows/replica-child.ts) on a fresh PostgreSQL
// database executes the runs against the emulator on a port. One line per spec and the summary; each run journaled
// in cluster_messages and executed by the replica; re-applying sends Make only GETs; without a replica, a typed error;
// a database password never printed. Real time (a child process, sockets, a database). Under CI=true an unreachable
// PostgreSQL fails this suite; elsewhere it is skipped with a message.
import { PgClient } from "@effect/sql-pg"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Schema } from "effect"
import { HttpServer } from "effect/http"
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Emulator } from "../../src/testing/index.js"
import { FleetResult } from "../../src/workflows/FleetResult.js"
import { admin, connect, freshDatabase, probe, socket } from "../workflows/postgres.js"
import { executedOn, type Replica, startReplica, stop } from "../workflows/replicas.js"
import { effectMake } from "./inProcess.js"

const postgres = await probe("apply --durable tests")

const decodeResult = Schema.decodeUnknownSync(Schema.fromJsonString(FleetResult))

const root = mkdtempSync(join(tmpdir(), "apply-durable-"))
const org = (name: string) => `organization: { name: ${name}, regionId: 1, timezoneId: 113, countryId: 1 }\n`
const spec = (name: string) => `${org(name)}teams:\n  - name: Ops\n  - name: Sales\n`
const fleet = join(root, "fleet")
mkdirSync(fleet)
writeFileSync(join(fleet, "a.yaml"), spec("Durable Alpha"))
writeFileSync(join(fleet, "b.yaml"), `${spec("Durable Bravo")}---\n${spec("Durable Charlie")}`)
writeFileSync(
  join(fleet, "d.json"),
  JSON.stringify({
    organization: { name: "Durable Delta", regionId: 1, timezoneId: 113, countryId: 1 },
    teams: [{ name: "Ops" }, { name: "Sales" }]
  })
)
const names = ["Durable Alpha", "Durable Bravo", "Durable Charlie", "Durable Delta"]

/** A password the database never asks for (the socket's trust), so that a test can look for it in the output. */
const password = "pw-durable-7f3a91"

/** A fresh database and the variables that name it, as psql reads them (the password included). */
const database = Effect.gen(function*() {
  if (!postgres.reachable) return yield* Effect.die(`PostgreSQL is unreachable under CI: ${postgres.detail}`)
  const name = yield* freshDatabase("effect_make_apply")
  return { name, env: { PGHOST: socket, PGUSER: "root", PGDATABASE: name, PGPASSWORD: password } }
})

/** A replica of the durable engine on the database, executing against the emulator: killed when the test ends. */
const replicaOn = (env: Record<string, string>) =>
  Effect.gen(function*() {
    const server = yield* HttpServer.HttpServer
    const baseUrl = `${HttpServer.formatAddress(server.address)}${Emulator.basePath}`
    return yield* Effect.acquireRelease(
      startReplica("replica", { ...env, MAKE_BASE_URL: baseUrl }),
      (replica: Replica) => stop(replica)
    )
  })

/** The workflow executions the journal holds: the entity ids of the runs' start messages. */
const journaledRuns = (name: string) =>
  Effect.flatMap(PgClient.PgClient, (sql) =>
    sql<{ readonly entity_id: string }>`
      SELECT DISTINCT entity_id FROM cluster_messages
      WHERE entity_type = 'Workflow/effect-make/Provision' AND tag = 'run'
    `).pipe(Effect.map((rows) => rows.map((row) => row.entity_id)), Effect.provide(connect(name)))

/** The runners the database has registered (its `cluster_runners` rows), by address. */
const registeredRunners = (name: string) =>
  Effect.flatMap(PgClient.PgClient, (sql) => sql<{ readonly address: string }>`SELECT address FROM cluster_runners`)
    .pipe(Effect.map((rows) => rows.map((row) => row.address)), Effect.provide(connect(name)))

const onPort = Emulator.layer({ port: 0, syncDelay: "0 millis" })

describe.skipIf(postgres.skip)("effect-make apply --durable (PostgreSQL, a replica process)", () => {
  it.live(
    "a folder of specs: one line per spec and the summary, each run journaled and executed by the replica; " +
      "re-applying sends only GETs; the password is never printed",
    () =>
      Effect.gen(function*() {
        const emulator = yield* Emulator.Emulator
        const db = yield* database
        const replica = yield* replicaOn(db.env)

        const applied = yield* effectMake(["apply", "--durable", fleet], { env: db.env })
        expect(applied.stderr).toBe("")
        expect(applied.code).toBe(0)
        const lines = applied.stdout.trimEnd().split("\n")
        expect(lines.slice(1, -1).map((line) => line.replaceAll(fleet, "<fleet>").split(/\s{2,}/))).toEqual([
          ["<fleet>/a.yaml", "Durable Alpha", expect.stringMatching(/^\d+$/), "applied", "created 3"],
          ["<fleet>/b.yaml#1", "Durable Bravo", expect.stringMatching(/^\d+$/), "applied", "created 3"],
          ["<fleet>/b.yaml#2", "Durable Charlie", expect.stringMatching(/^\d+$/), "applied", "created 3"],
          ["<fleet>/d.json", "Durable Delta", expect.stringMatching(/^\d+$/), "applied", "created 3"]
        ])
        expect(lines.at(-1)).toBe("4 specs: 4 applied, 0 unchanged, 0 failed (created 12)")
        // each spec its own durable run, in the journal, whose body ran on the replica (not in the command)
        expect(yield* journaledRuns(db.name)).toHaveLength(4)
        for (const name of names) expect(executedOn(replica, name)).toMatchObject({ finished: true })
        // the command was no runner: the replica is the only one the database ever registered
        expect(yield* registeredRunners(db.name)).toEqual([`127.0.0.1:${replica.port}`])

        yield* emulator.clearRequests
        const again = yield* effectMake(["apply", "--durable", fleet], { env: db.env })
        expect(again.code).toBe(0)
        expect(again.stdout.trimEnd().split("\n").at(-1)).toBe(
          "4 specs: 0 applied, 4 unchanged, 0 failed (unchanged 12)"
        )
        expect(new Set((yield* emulator.requests).map((request) => request.method))).toEqual(new Set(["GET"]))
        // a new generation of each spec's run: journaled too
        expect(yield* journaledRuns(db.name)).toHaveLength(8)
        const json = yield* effectMake(["--json", "apply", "--durable", fleet], { env: db.env })
        expect(json.code).toBe(0)
        expect(decodeResult(json.stdout).summary).toMatchObject({ specs: 4, applied: 0, unchanged: 4, failed: 0 })

        for (const output of [applied.stdout, applied.stderr, again.stdout, again.stderr, json.stdout, json.stderr]) {
          expect(output).not.toContain(password)
        }
      }).pipe(Effect.scoped, Effect.provide(Layer.merge(onPort, admin))),
    120_000
  )

  it.live(
    "no replica on the database: NoReplicas, exit 1, nothing sent; a database URL's password is never printed",
    () =>
      Effect.gen(function*() {
        const emulator = yield* Emulator.Emulator
        const db = yield* database
        const url = `postgres://root:${password}@localhost/${db.name}?host=${socket}`
        for (const verbose of [[], ["--verbose"], ["--json"]]) {
          const refused = yield* effectMake([...verbose, "apply", "--durable", fleet], { env: { DATABASE_URL: url } })
          expect(refused.code).toBe(1)
          expect(refused.stdout).toBe("")
          expect(refused.stderr).toContain("no replica of the durable engine is running on this database")
          expect(refused.stderr).not.toContain(password)
        }
        const human = yield* effectMake(["apply", "--durable", fleet], { env: { DATABASE_URL: url } })
        expect(human.stderr).toBe(
          "NoReplicas: no replica of the durable engine is running on this database (cluster_runners lists none " +
            "alive)\n  → Start the app's replicas (DurableEngine.layerReplica) on this database, or apply without " +
            "--durable.\n"
        )
        expect(yield* emulator.requests).toEqual([])
      }).pipe(Effect.scoped, Effect.provide(Layer.merge(onPort, admin))),
    60_000
  )

  it.live(
    "a database that does not answer: SqlError, exit 1; its password is never printed",
    () =>
      Effect.gen(function*() {
        // a port nothing listens on: the connection is refused at once
        const url = `postgres://root:${password}@127.0.0.1:9/effect_make_nowhere`
        for (const flags of [[], ["--verbose"], ["--json"]]) {
          const failed = yield* effectMake([...flags, "apply", "--durable", fleet], { env: { DATABASE_URL: url } })
          expect(failed.code).toBe(1)
          expect(failed.stdout).toBe("")
          expect(failed.stderr).toContain("SqlError")
          expect(failed.stderr).not.toContain(password)
        }
        const viaPassword = yield* effectMake(["--verbose", "apply", "--durable", fleet], {
          env: { PGHOST: "127.0.0.1", PGPORT: "9", PGPASSWORD: password }
        })
        expect(viaPassword.code).toBe(1)
        expect(viaPassword.stderr).not.toContain(password)
      }),
    60_000
  )

  it.effect("--token, --zone or --base-url with --durable: refused before anything (exit 2)", () =>
    Effect.gen(function*() {
      const refused = yield* effectMake(
        ["--token", "tok-x", "--base-url", "http://127.0.0.1:1/api/v2", "apply", "--durable", fleet],
        { env: { PGHOST: "127.0.0.1", PGPORT: "9" } }
      )
      expect(refused.code).toBe(2)
      expect(refused.stdout).toBe("")
      expect(refused.stderr).toContain(
        "--token is not used with --durable: the replicas execute the runs with their own Make settings"
      )
      expect(refused.stderr).toContain("--base-url is not used with --durable")
      expect(refused.stderr).not.toContain("SqlError")
    }))
})
