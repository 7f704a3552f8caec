// The durable engine on several replicas (DurableEngine.layerReplica over effect/cluster's socket runners): replica
// processes on one PostgreSQL database against the emulator on a real port. A run started on one replica executes on
// the replica holding its shard and returns to the caller; a replica killed mid-run has its run finished by another
// within 30 s, repeating no create; replicas started together on an empty database all come up and serve runs.
// Real time (bounded by deadlines that say what they waited for): child processes, sockets and a database. Under
// CI=true an unreachable PostgreSQL fails this suite; elsewhere it is skipped with a message.
import { PgClient } from "@effect/sql-pg"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Option, Schema } from "effect"
import { HttpServer } from "effect/http"
import * as Emulator from "../../src/testing/Emulator.js"
import type { RecordedRequest } from "../../src/testing/emulator/Records.js"
import * as DurableEngine from "../../src/workflows/DurableEngine.js"
import { admin, connect, freshDatabase, probe } from "./postgres.js"
import {
  executedOn,
  freePort,
  provisionOn,
  ready,
  type Replica,
  resultOf,
  spawnTogether,
  startReplica,
  stop,
  waitFor
} from "./replicas.js"

const postgres = await probe("multi-replica tests")
const teamNames = ["Alpha", "Bravo", "Charlie", "Delta", "Echo"]

/** The emulator on a loopback port; with `slowTeams`, each team create is held 300 ms, so a kill lands mid-run. */
const emulatorOnAPort = (slowTeams: boolean) =>
  Emulator.layer({
    port: 0,
    syncDelay: "200 millis",
    ...(slowTeams
      ? {
        faults: {
          seed: 1,
          latency: { probability: 1, duration: "300 millis" },
          match: (request) => request.method === "POST" && request.path === "/admin/teams"
        }
      }
      : {})
  })

/** The environment of every replica of a test: the emulator, the database (psql's names). */
const replicaEnv = Effect.gen(function*() {
  if (!postgres.reachable) return yield* Effect.die(`PostgreSQL is unreachable under CI: ${postgres.detail}`)
  const database = yield* freshDatabase("effect_make_replicas")
  const server = yield* HttpServer.HttpServer
  const baseUrl = `${HttpServer.formatAddress(server.address)}${Emulator.basePath}`
  return {
    database,
    env: { MAKE_BASE_URL: baseUrl, PGHOST: "/var/run/postgresql", PGUSER: "root", PGDATABASE: database }
  }
})

/** A replica for the rest of the test: killed when the test ends, however it ends. */
const replica = (start: Effect.Effect<Replica, unknown>) => Effect.acquireRelease(start, (r) => stop(r))

/** The fields of a create's body the tests read (the log keeps the parsed JSON). */
const CreateBody = Schema.Struct({
  name: Schema.optional(Schema.String),
  organizationId: Schema.optional(Schema.Number)
})
const decodeBody = Schema.decodeUnknownOption(CreateBody)
const bodyOf = (request: RecordedRequest): typeof CreateBody.Type =>
  Option.getOrElse(decodeBody(request.body), () => ({}))

/** What Make was asked to create for one spec name, from the emulator's request log and its state. */
const madeFor = (name: string) =>
  Effect.gen(function*() {
    const emulator = yield* Emulator.Emulator
    const log = yield* emulator.requests
    const orgs = (yield* emulator.organizations).filter((org) => org.name === name)
    const orgCreates = log.filter((r) =>
      r.method === "POST" && r.path === "/organizations" && r.processed && bodyOf(r).name === name
    )
    const ids = new Set(orgs.map((org) => org.id))
    const teamCreates = log.filter((r) =>
      r.method === "POST" && r.path === "/admin/teams" && r.processed && ids.has(bodyOf(r).organizationId ?? 0)
    )
    const teams = orgs.length === 1 && orgs[0] !== undefined
      ? (yield* emulator.teams(orgs[0].id)).filter((team) => !team.deleted && team.name !== "My Team")
      : []
    return {
      organizations: orgs.length,
      organizationCreates: orgCreates.length,
      teamCreates: teamCreates.map((r) => bodyOf(r).name ?? "?").sort(),
      teams: teams.map((team) => team.name).sort()
    }
  })

/** Every spec name provisioned exactly once: one organization created, each team created once, nothing else. */
const expectMadeOnce = (name: string) =>
  Effect.map(madeFor(name), (made) =>
    expect(made).toEqual({
      organizations: 1,
      organizationCreates: 1,
      teamCreates: [...teamNames].sort(),
      teams: [...teamNames].sort()
    }))

const Runner = Schema.Struct({ machine_id: Schema.Number, address: Schema.String })
const Holder = Schema.Struct({ pid: Schema.Number, shards: Schema.Number })

/** The sessions holding shard locks, and how many each: the cluster takes them as advisory locks on pairs of keys. */
const shardHolders = "SELECT pid, count(*)::int AS shards FROM pg_locks " +
  "WHERE locktype = 'advisory' AND objsubid = 2 AND granted " +
  "AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) GROUP BY pid"

/** Asks the database every 100 ms until `check` finds what it waits for, for at most `seconds`. */
const until = <A, E>(
  what: string,
  seconds: number,
  check: (sql: PgClient.PgClient) => Effect.Effect<A | undefined, E>
) =>
  Effect.gen(function*() {
    const sql = yield* PgClient.PgClient
    while (true) {
      const found = yield* check(sql)
      if (found !== undefined) return found
      yield* Effect.sleep("100 millis")
    }
  }).pipe(
    Effect.timeoutOrElse({
      duration: `${seconds} seconds`,
      orElse: () => Effect.fail(new Error(`not within ${seconds} s: ${what}`))
    })
  )

describe.skipIf(postgres.skip)("durable engine on several replicas (PostgreSQL)", () => {
  it.live(
    "a run started on replica B while A holds shards executes where its shard is and returns on B",
    () =>
      Effect.gen(function*() {
        const { env } = yield* replicaEnv
        const a = yield* replica(startReplica("A", env))
        const b = yield* replica(startReplica("B", env))
        // Runs started on B, a few at a time, until one executes on A (its execution's shard is A's): each completes
        // and its result comes back to B, wherever it ran.
        const prefix = `Cross ${Date.now()}`
        const names: Array<string> = []
        let remote: string | undefined
        for (let batch = 0; batch < 4 && remote === undefined; batch++) {
          const started = [1, 2, 3, 4].map((i) => `${prefix} ${batch * 4 + i}`)
          names.push(...started)
          for (const name of started) yield* provisionOn(b, name)
          for (const name of started) {
            const { result } = yield* resultOf(b, name, 90)
            expect(result.organization).toMatchObject({ key: name, status: "created" })
            expect(result.teams.map((team) => team.key)).toEqual(teamNames)
            const onA = executedOn(a, name)
            const onB = executedOn(b, name)
            // each run's body ran on exactly one replica, to the end
            expect([onA, onB].filter((run) => run !== undefined)).toHaveLength(1)
            expect((onA ?? onB)?.finished).toBe(true)
            if (onA !== undefined) remote ??= name
          }
        }
        expect(remote).toBeDefined()
        for (const name of names) yield* expectMadeOnce(name)
        console.log(
          `replicas: ${names.length} runs started on B, ${
            names.filter((name) => executedOn(a, name) !== undefined).length
          } executed on A; A up in ${yield* ready(a)} ms, B in ${yield* ready(b)} ms (spawn to engine up)`
        )
      }).pipe(Effect.scoped, Effect.provide(emulatorOnAPort(false)), Effect.provide(admin)),
    240_000
  )

  it.live(
    "replica A killed mid-run: B finishes the run within 30 s, repeating no create, and its caller gets it",
    () =>
      Effect.gen(function*() {
        const { database, env } = yield* replicaEnv
        const a = yield* replica(startReplica("A", env))
        const b = yield* replica(startReplica("B", env))
        // Once B has its share of the shards (a run started before could move from A to B mid-run, and not die with A)
        yield* until("A and B each holding shards", 60, (sql) =>
          Effect.map(sql.unsafe(shardHolders), (rows) => {
            const holders = Schema.decodeUnknownSync(Schema.Array(Holder))(rows)
            return holders.length === 2 && holders.reduce((sum, h) => sum + h.shards, 0) === 300 ? true : undefined
          })).pipe(Effect.provide(connect(database)))
        // runs started on B until one executes on A; A is killed once that run has its organization and 2 teams
        const prefix = `Failover ${Date.now()}`
        const names: Array<string> = []
        let victim: string | undefined
        for (let i = 1; i <= 16 && victim === undefined; i++) {
          const name = `${prefix} ${i}`
          names.push(name)
          yield* provisionOn(b, name)
          // where it runs shows when its organization is done (200 ms sync delay, then 300 ms a team)
          victim = yield* waitFor(b, `${name}'s organization on A or B`, () => {
            if (executedOn(a, name) !== undefined) return name
            if (executedOn(b, name) !== undefined) return ""
            return undefined
          }, 60).pipe(Effect.map((found) => found === "" ? undefined : found))
        }
        if (victim === undefined) return expect.fail("none of 16 runs executed on A")
        const name = victim
        const teamsAtKill = yield* waitFor(a, `2 teams of ${name}`, () => {
          const run = executedOn(a, name)
          return run !== undefined && run.teams.length >= 2 ? run.teams : undefined
        }, 60)
        const killedAt = Date.now()
        a.process.kill("SIGKILL")
        const exit = yield* Effect.promise(() => a.exited)
        expect(exit.signal).toBe("SIGKILL")
        expect(teamsAtKill.length).toBeLessThan(5)

        // The caller on B gets the result of the run B resumed, within 30 s of the kill.
        const { at, result } = yield* resultOf(b, name, 60)
        const failoverMillis = at - killedAt
        expect(failoverMillis).toBeLessThan(30_000)
        expect(result.organization).toMatchObject({ key: name, status: "created" })
        expect(result.teams.map((team) => team.key)).toEqual(teamNames)
        const resumed = executedOn(b, name)
        expect(resumed?.finished).toBe(true)
        // Make holds one organization with the five teams, each created once over both replicas: B created none of
        // what A had (a team whose create was in flight at the kill is looked up, then adopted), and no orphan
        for (const other of names) yield* resultOf(b, other, 60)
        for (const other of names) yield* expectMadeOnce(other)
        console.log(
          `replicas failover: A killed with ${teamsAtKill.length} of 5 teams of run ${names.indexOf(name) + 1}; ` +
            `B returned the result ${failoverMillis} ms after the kill`
        )
      }).pipe(Effect.scoped, Effect.provide(emulatorOnAPort(true)), Effect.provide(admin)),
    240_000
  )

  it.live(
    "three replicas started at once on an empty database all come up and all serve runs",
    () =>
      Effect.gen(function*() {
        const { database, env } = yield* replicaEnv
        const replicas = yield* Effect.acquireRelease(
          spawnTogether(["A", "B", "C"], env),
          (all) => Effect.forEach(all, (r) => stop(r), { discard: true })
        )
        const startup = yield* Effect.forEach(replicas, ready, { concurrency: "unbounded" })
        // Each registers (its layer is up before its first registration), with a machine id of its own, and takes
        // its share of the shards (each replica holds its shard locks on one session).
        const spreadAt = Date.now()
        const runners = yield* until("the 3 replicas registered, each holding shards", 60, (sql) =>
          Effect.gen(function*() {
            const rows = yield* sql.unsafe("SELECT machine_id, address FROM cluster_runners ORDER BY machine_id").pipe(
              Effect.map(Schema.decodeUnknownSync(Schema.Array(Runner)))
            )
            const holders = yield* sql.unsafe(shardHolders).pipe(
              Effect.map(Schema.decodeUnknownSync(Schema.Array(Holder)))
            )
            const total = holders.reduce((sum, holder) =>
              sum + holder.shards, 0)
            return rows.length === 3 && holders.length === 3 && total === 300 ? rows : undefined
          })).pipe(Effect.provide(connect(database)))
        const spreadMillis = Date.now() - spreadAt
        expect(
          runners.map((r) =>
            r.address
          ).sort()
        ).toEqual(replicas.map((r) => `127.0.0.1:${r.port}`).sort())
        expect(new Set(runners.map((r) => r.machine_id % 1024)).size).toBe(3)

        // Each serves runs, as the caller and as the executor: runs started on each, at most five rounds of two
        // until each replica has executed one; all complete and return to their caller.
        const prefix = `Together ${Date.now()}`
        const started: Array<{ readonly replica: Replica; readonly name: string }> = []
        const executorOf = (name: string) => replicas.find((r) => executedOn(r, name) !== undefined)?.name ?? "?"
        for (let round = 1; round <= 5; round++) {
          const batch = replicas.flatMap((r) =>
            [1, 2].map((i) => ({ replica: r, name: `${prefix} ${round}${r.name}${i}` }))
          )
          started.push(...batch)
          for (const { name, replica } of batch) yield* provisionOn(replica, name)
          for (const { name, replica } of batch) {
            const { result } = yield* resultOf(replica, name, 120)
            expect(result.organization).toMatchObject({ key: name, status: "created" })
          }
          if (new Set(started.map(({ name }) => executorOf(name))).size === 3) break
        }
        expect(new Set(started.map(({ name }) => executorOf(name)))).toEqual(new Set(["A", "B", "C"]))
        for (const { name } of started) yield* expectMadeOnce(name)
        console.log(
          `replicas together: up in ${startup.join(", ")} ms (spawn to engine up), shards spread over the 3 within ` +
            `${spreadMillis} ms more; runs started on ${
              started.map(({ replica }) => replica.name).join("")
            } executed ` +
            `on ${started.map(({ name }) => executorOf(name)).join("")}`
        )
      }).pipe(Effect.scoped, Effect.provide(emulatorOnAPort(false)), Effect.provide(admin)),
    240_000
  )

  it.live(
    "a replica stopped through its scope leaves no registration and no shard lock; a new one's machine id never " +
      "shares its low 10 bits with another runner's",
    () =>
      Effect.gen(function*() {
        if (!postgres.reachable) return yield* Effect.die(`PostgreSQL is unreachable under CI: ${postgres.detail}`)
        const database = yield* freshDatabase("effect_make_machine_ids")
        const replicaOn = (port: number) =>
          DurableEngine.layerReplica({
            postgres: { host: "/var/run/postgresql", username: "root", database },
            runner: { host: "127.0.0.1", port }
          })
        // the tables, from a first replica, stopped through its scope: it unregisters and releases its shards
        yield* Effect.scoped(Effect.gen(function*() {
          yield* Layer.build(replicaOn(yield* freePort))
          yield* until("the first replica registered, holding the 300 shards", 30, (sql) =>
            Effect.map(
              Effect.all([sql.unsafe("SELECT address FROM cluster_runners"), sql.unsafe(shardHolders)]),
              ([rows, holders]) =>
                rows.length === 1 && Schema.decodeUnknownSync(Schema.Array(Holder))(holders)[0]?.shards === 300
                  ? true
                  : undefined
            ))
        })).pipe(Effect.provide(connect(database)))
        const left = yield* Effect.flatMap(PgClient.PgClient, (sql) =>
          Effect.all([
            sql.unsafe("SELECT address FROM cluster_runners"),
            sql.unsafe(shardHolders)
          ])).pipe(Effect.provide(connect(database)))
        expect(left).toEqual([[], []])
        // A registered runner has machine id 1, and the serial has passed 1024: the next registration draws 1025, whose
        // low 10 bits are 1's (a Snowflake keeps only those).
        yield* Effect.flatMap(PgClient.PgClient, (sql) =>
          Effect.andThen(
            sql.unsafe(
              "INSERT INTO cluster_runners (machine_id, address, runner, healthy, last_heartbeat) " +
                "VALUES (1, '10.9.9.9:34431', 'elsewhere', true, NOW())"
            ),
            sql.unsafe("SELECT setval(pg_get_serial_sequence('cluster_runners', 'machine_id'), 1024)")
          )).pipe(Effect.provide(connect(database)))
        const port = yield* freePort
        yield* Layer.build(replicaOn(port))
        const id = yield* until(`the replica on port ${port} registered with low bits other than 1`, 30, (sql) =>
          sql.unsafe(`SELECT machine_id FROM cluster_runners WHERE address = '127.0.0.1:${port}'`).pipe(
            Effect.map(Schema.decodeUnknownSync(Schema.Array(Schema.Struct({ machine_id: Schema.Number })))),
            Effect.map((rows) =>
              rows[0] !== undefined && rows[0].machine_id % 1024 !== 1 ? rows[0].machine_id : undefined
            )
          )).pipe(Effect.provide(connect(database)))
        expect(id).toBeGreaterThan(1024)
      }).pipe(Effect.scoped, Effect.provide(admin)),
    120_000
  )
})
