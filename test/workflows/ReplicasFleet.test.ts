// Replicas at work (DurableEngine over effect/cluster's socket runners, one PostgreSQL database, the emulator on a
// real port): three replicas provisioning into one organization of 60 requests a minute hold it to 60 between them
// (DurableEngine.layerReplicaWorkflows: ClusterLimits), where each replica's own windows let Make answer 429s; and a
// fleet applied through three replicas, one killed with SIGKILL halfway, has every spec applied exactly once.
// Real time (the emulator counts a real minute; bounded by deadlines that say what they waited for): child processes,
// sockets and a database. Under CI=true an unreachable PostgreSQL fails this suite; elsewhere it is skipped.
import { PgClient } from "@effect/sql-pg"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Option, Schema } from "effect"
import { HttpServer } from "effect/http"
import * as Emulator from "../../src/testing/Emulator.js"
import type { RecordedRequest } from "../../src/testing/emulator/Records.js"
import { mostInAnyWindow } from "../windows.js"
import { concerns } from "./helpers.js"
import { admin, connect, freshDatabase, probe } from "./postgres.js"
import { applyOn, executedOn, type FleetCommand, fleetResultOf, type Replica, startReplica, stop } from "./replicas.js"

const postgres = await probe("replicas at work")

/** The environment of every replica of a test: the emulator, the database (psql's names), which limits. */
const replicaEnv = (limits: "cluster" | "process") =>
  Effect.gen(function*() {
    if (!postgres.reachable) return yield* Effect.die(`PostgreSQL is unreachable under CI: ${postgres.detail}`)
    const database = yield* freshDatabase("effect_make_replicas_fleet")
    const server = yield* HttpServer.HttpServer
    const baseUrl = `${HttpServer.formatAddress(server.address)}${Emulator.basePath}`
    return {
      database,
      env: {
        MAKE_BASE_URL: baseUrl,
        PGHOST: "/var/run/postgresql",
        PGUSER: "root",
        PGDATABASE: database,
        REPLICA_LIMITS: limits
      }
    }
  })

/** Three replicas for the rest of the test, started one after the other; each killed when the test ends. */
const threeReplicas = (env: Record<string, string>) =>
  Effect.forEach(["A", "B", "C"], (name) => Effect.acquireRelease(startReplica(name, env), (r) => stop(r)))

/** The fields of a create's body the tests read (the log keeps the parsed JSON). */
const CreateBody = Schema.Struct({
  name: Schema.optional(Schema.String),
  organizationId: Schema.optional(Schema.Number)
})
const decodeBody = Schema.decodeUnknownOption(CreateBody)
const bodyOf = (request: RecordedRequest): typeof CreateBody.Type =>
  Option.getOrElse(decodeBody(request.body), () => ({}))

const isWrite = (request: RecordedRequest) => request.method !== "GET" && request.method !== "HEAD"

const Holder = Schema.Struct({ pid: Schema.Number, shards: Schema.Number })

/** The sessions holding shard locks, and how many each: the cluster takes them as advisory locks on pairs of keys. */
const shardHolders = "SELECT pid, count(*)::int AS shards FROM pg_locks " +
  "WHERE locktype = 'advisory' AND objsubid = 2 AND granted " +
  "AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) GROUP BY pid"

/** Asks `check` every 100 ms until it finds what it waits for, for at most `seconds`; past that, fails saying what. */
const until = <A, E, R>(what: string, seconds: number, check: Effect.Effect<A | undefined, E, R>) =>
  Effect.gen(function*() {
    while (true) {
      const found = yield* check
      if (found !== undefined) return found
      yield* Effect.sleep("100 millis")
    }
  }).pipe(
    Effect.timeoutOrElse({
      duration: `${seconds} seconds`,
      orElse: () => Effect.fail(new Error(`not within ${seconds} s: ${what}`))
    })
  )

/** Once the replicas hold the 300 shards between them, `count` sessions holding some each. */
const shardsSpread = (database: string, count: number) =>
  until(
    `the 300 shards spread over ${count} replicas`,
    60,
    Effect.flatMap(PgClient.PgClient, (sql) => sql.unsafe(shardHolders)).pipe(
      Effect.map(Schema.decodeUnknownSync(Schema.Array(Holder))),
      Effect.map((holders) =>
        holders.length === count && holders.reduce((sum, h) => sum + h.shards, 0) === 300 ? true : undefined
      )
    )
  ).pipe(Effect.provide(connect(database)))

// ---------------------------------------------------------------------------
// One organization of 60 a minute, three replicas at once
// ---------------------------------------------------------------------------

/** Gamma, seeded with a licence of 60 requests a minute (id 13). */
const gamma = 13
const teamsPerReplica = 20

/**
 * Three replicas each provisioning `teamsPerReplica` new teams into Gamma at once (each a fleet of one spec), against
 * the emulator enforcing each organization's licence over a sliding minute; the figures from its request log. 20
 * teams each: about 24 requests a replica that count against Gamma (the lookup and the held read of the organization,
 * its teams listed, the creates), so about 72 between them: past 60, but within a minute and a few seconds of waiting.
 */
const provisionGammaFromThree = (limits: "cluster" | "process") =>
  Effect.gen(function*() {
    const { env } = yield* replicaEnv(limits)
    const replicas = yield* threeReplicas(env)
    const startedAt = Date.now()
    const commands = replicas.map((replica): FleetCommand => ({
      fleet: `Gamma from ${replica.name}`,
      specs: [{
        organization: "Gamma",
        teams: Array.from({ length: teamsPerReplica }, (_, i) => `${replica.name} ${i + 1}`)
      }]
    }))
    yield* Effect.forEach(replicas, (replica, i) => commands[i] ? applyOn(replica, commands[i]) : Effect.void)
    const answers = yield* Effect.forEach(
      replicas,
      (replica, i) => fleetResultOf(replica, commands[i]?.fleet ?? "", 180),
      { concurrency: "unbounded" }
    )
    const seconds = (Math.max(...answers.map(({ at }) => at)) - startedAt) / 1000
    const log = yield* Effect.flatMap(Emulator.Emulator, (emulator) => emulator.requests)
    const counted = log.filter(concerns(gamma))
    const teams = (yield* Effect.flatMap(Emulator.Emulator, (emulator) => emulator.teams(gamma)))
      .filter((team) => !team.deleted).map((team) => team.name)
    return {
      applied: answers.map(({ result }) => result.summary.applied).reduce((a, b) => a + b, 0),
      requests: counted.length,
      answered429: log.filter((request) => request.status === 429).length,
      mostInAnyMinute: mostInAnyWindow(counted.map((request) => request.at).sort((a, b) => a - b), 60_000),
      teams: teams.length,
      seconds
    }
  }).pipe(Effect.scoped, Effect.provide(Emulator.layer({ port: 0, syncDelay: "200 millis", rateLimit: true })))

// ---------------------------------------------------------------------------
// A fleet through three replicas, one killed halfway
// ---------------------------------------------------------------------------

const fleetSize = 100
const fleetTeams = ["Alpha", "Bravo"]
/** The seed's organizations: none of the fleet's, and none an orphan. */
const seeded = new Set([11, 12, 13])

/**
 * A fleet of these organizations, each with the fleet's teams. 8 specs at once per replica; `rateLimit: "off"`: this
 * is about exactly-once, and with the lowest plan's 60 a minute for the requests about no organization yet (the
 * lookup and the create of each of the 100), the fleet would take over three minutes under the cluster's limit.
 */
const fleetOf = (fleet: string, organizations: ReadonlyArray<string>): FleetCommand => ({
  fleet,
  specs: organizations.map((organization) => ({ organization, teams: fleetTeams })),
  concurrency: 8,
  rateLimit: "off"
})

const processedCreates = (log: ReadonlyArray<RecordedRequest>, path: string) =>
  log.filter((request) => request.method === "POST" && request.path === path && request.processed)

/** How many times each key occurs, the keys occurring more than once. */
const repeated = (keys: ReadonlyArray<string>) => {
  const counts = new Map<string, number>()
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1)
  return [...counts].filter(([, n]) => n > 1)
}

/** The first line at or after `from` on any of the replicas that `find` accepts: when it arrived. */
const firstAt = (
  replicas: ReadonlyArray<Replica>,
  from: number,
  find: (line: Replica["lines"][number]["line"]) => boolean
) => {
  const ats = replicas.flatMap((r) => r.lines.filter(({ at, line }) => at >= from && find(line)).map(({ at }) => at))
  return ats.length === 0 ? undefined : Math.min(...ats)
}

describe.skipIf(postgres.skip)("replicas at work (PostgreSQL)", () => {
  it.live(
    `a fleet of ${fleetSize} specs through three replicas, one killed with SIGKILL halfway: each applied exactly once`,
    () =>
      Effect.gen(function*() {
        const { database, env } = yield* replicaEnv("cluster")
        const replicas = yield* threeReplicas(env)
        const [a, b, c] = replicas
        if (a === undefined || b === undefined || c === undefined) return expect.fail("three replicas")
        yield* shardsSpread(database, 3)
        const emulator = yield* Emulator.Emulator
        const prefix = `Fleet ${Date.now()}`
        const names = Array.from({ length: fleetSize }, (_, i) => `${prefix} ${i + 1}`)
        const shareOf = (k: number) => names.filter((_, i) => i % 3 === k)
        // each replica applies its third of the fleet; its runs execute wherever their shards are
        const startedAt = Date.now()
        yield* applyOn(a, fleetOf("A", shareOf(0)))
        yield* applyOn(b, fleetOf("B", shareOf(1)))
        yield* applyOn(c, fleetOf("C", shareOf(2)))
        // halfway: as many teams created as half the fleet has
        yield* until(
          `${fleetSize} of the ${2 * fleetSize} team creates`,
          120,
          Effect.map(emulator.requests, (log) =>
            processedCreates(log, "/admin/teams").length >= fleetSize ? true : undefined)
        )
        const killedAt = Date.now()
        c.process.kill("SIGKILL")
        const exit = yield* Effect.promise(() =>
          c.exited
        )
        expect(exit.signal).toBe("SIGKILL")
        const doneAtKill = (yield* emulator.organizations).filter((org) => names.includes(org.name)).length
        // the runs C was executing when it died: resumed on A or B once its shards moved
        const cutShort = names.flatMap((name) => {
          const run = executedOn(c, name)
          return run !== undefined && !run.finished ? [run.executionId] : []
        })

        // A's and B's fleets end; C's third applied again through A, as an operator re-running C's apply would
        const answerA = yield* fleetResultOf(a, "A", 180)
        const answerB = yield* fleetResultOf(b, "B", 180)
        yield* applyOn(a, fleetOf("C again", shareOf(2)))
        const answerC = yield* fleetResultOf(a, "C again", 180)
        // the kill cut runs short on C (else it would test no failover), and each was finished on A or B
        expect(cutShort.length).toBeGreaterThan(0)
        const doneAt = Math.max(answerA.at, answerB.at, answerC.at)
        for (const { result } of [answerA, answerB, answerC]) expect(result.summary.failed).toBe(0)
        expect(answerA.result.summary.specs + answerB.result.summary.specs + answerC.result.summary.specs).toBe(
          fleetSize
        )
        const survivors = [a, b]
        const resumedAt = firstAt(survivors, killedAt, (line) =>
          "event" in line && cutShort.includes(line.event.executionId))
        const finishedAt = cutShort.map((id) =>
          firstAt(survivors, killedAt, (line) =>
            "event" in line && line.event.executionId === id && line.event._tag === "Finished") ?? Infinity
        )
        expect(finishedAt.filter((at) =>
          at === Infinity
        )).toEqual([])
        const failover = { first: (resumedAt ?? Infinity) - killedAt, last: Math.max(...finishedAt) - killedAt }

        // Make: each organization once, with its teams, each created once; nothing else; nothing deleted
        const log = yield* emulator.requests
        expect(yield* emulator.droppedRequests).toBe(0)
        const organizations = yield* emulator.organizations
        const fleetOrganizations = organizations.filter((org) =>
          names.includes(org.name)
        )
        expect(
          fleetOrganizations.map((org) =>
            org.name
          ).sort()
        ).toEqual([...names].sort())
        expect(organizations.filter((org) => !seeded.has(org.id) && !names.includes(org.name))).toEqual([])
        const organizationCreates = processedCreates(log, "/organizations").map((r) => bodyOf(r).name ?? "?")
        expect(organizationCreates).toHaveLength(fleetSize)
        expect(repeated(organizationCreates)).toEqual([])
        const teamCreates = processedCreates(log, "/admin/teams").map((r) =>
          `${bodyOf(r).organizationId ?? "?"}/${bodyOf(r).name ?? "?"}`
        )
        expect(teamCreates).toHaveLength(2 * fleetSize)
        expect(repeated(teamCreates)).toEqual([])
        for (const org of fleetOrganizations) {
          const teams = (yield* emulator.teams(org.id)).filter((team) => !team.deleted && team.name !== "My Team")
          expect(teams.map((team) => team.name).sort()).toEqual(fleetTeams)
        }
        expect(log.filter((request) => request.method === "DELETE")).toEqual([])

        // the whole fleet again, through B: every spec unchanged, not one write
        const before = log.length
        const againAt = Date.now()
        yield* applyOn(b, fleetOf("all again", names))
        const again = yield* fleetResultOf(b, "all again", 180)
        expect(again.result.summary).toMatchObject({ specs: fleetSize, unchanged: fleetSize, failed: 0 })
        const reapplied = (yield* emulator.requests).slice(before)
        expect(reapplied.filter(isWrite).map((r) => `${r.method} ${r.path}`)).toEqual([])
        console.log(
          `replicas fleet: ${fleetSize} specs × (1 organization + ${fleetTeams.length} teams) over A, B, C; C killed ` +
            `${killedAt - startedAt} ms in, with ${doneAtKill} organizations created and ${cutShort.length} runs ` +
            `under way on C; the first of them resumed on A/B ${failover.first} ms after the kill, all finished ` +
            `within ${failover.last} ms; the fleet applied (C's third again through A) ${
              doneAt - startedAt
            } ms after the start; ` +
            `re-applying all: ${reapplied.length} requests, ${reapplied.filter(isWrite).length} writes, ` +
            `${again.at - againAt} ms`
        )
      }).pipe(
        Effect.scoped,
        Effect.provide(Emulator.layer({ port: 0, syncDelay: "200 millis" })),
        Effect.provide(admin)
      ),
    300_000
  )

  it.live(
    "three replicas provisioning into one organization of 60 a minute: 0 answers 429 with the cluster's limit",
    () =>
      Effect.gen(function*() {
        const figures = yield* provisionGammaFromThree("cluster")
        console.log("three replicas into Gamma (60 a minute), the cluster's limit:", JSON.stringify(figures))
        expect(figures.applied).toBe(3)
        expect(figures.teams).toBe(1 + 3 * teamsPerReplica)
        expect(figures.requests).toBeGreaterThan(60)
        expect(figures.answered429).toBe(0)
        expect(figures.mostInAnyMinute).toBeLessThanOrEqual(60)
      }).pipe(Effect.provide(admin)),
    300_000
  )

  it.live(
    "the same with each replica's own limit: Make answers 429s (the contrast)",
    () =>
      Effect.gen(function*() {
        const figures = yield* provisionGammaFromThree("process")
        console.log("three replicas into Gamma (60 a minute), each replica's own limit:", JSON.stringify(figures))
        expect(figures.applied).toBe(3)
        expect(figures.teams).toBe(1 + 3 * teamsPerReplica)
        expect(figures.answered429).toBeGreaterThan(0)
      }).pipe(Effect.provide(admin)),
    300_000
  )
})
