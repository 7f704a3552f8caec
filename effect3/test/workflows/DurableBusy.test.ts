// The durable engine is one process per database: a second process on a database whose engine a live process holds
// fails at start with DurableEngineBusy (rather than taking no shard and stalling its callers), writes nothing and sends
// nothing; once the holder is killed (SIGKILL) the next process takes over and finishes its run; two processes started
// at once on an empty database bring up exactly one engine, never a CREATE TABLE race; and in one process, closing the
// layer frees the lock. Real processes (the child of Durable.test.ts), real time (bounded: the engine's 5 s wait), a
// fresh database per test. Under CI=true an unreachable PostgreSQL fails this suite; elsewhere it is skipped with a
// message.
import { PgClient } from "@effect/sql-pg"
import { describe, expect, it } from "@effect/vitest"
import { Cause, Effect, Exit, Layer, Option, Schema } from "effect"
import { Emulator } from "../../src/testing/index.js"
import * as DurableEngine from "../../src/workflows/DurableEngine.js"
import { ProvisionResult } from "../../src/workflows/ProvisionResult.js"
import {
  admin,
  type Child,
  freshDatabase,
  hasEnded,
  isReady,
  onDatabase,
  requirePostgres,
  runsDurable,
  socket,
  startChildScoped,
  waitExit
} from "./durableProcess.js"

const busyMessage = (database: string) =>
  `another process holds the durable engine on database "${database}" (one process per database on the 0.x line): ` +
  `stop the other process, or give each deployment its own database`

const Failed = Schema.parseJson(
  Schema.Struct({ failed: Schema.Struct({ _tag: Schema.String, message: Schema.String }) })
)

/** The failure a child printed, if any. */
const failureOf = (child: Child) =>
  Option.map(
    Option.fromNullable(child.lines.find((line) => line.startsWith("{\"failed\""))),
    (line) => Schema.decodeUnknownSync(Failed)(line).failed
  )

/** When the child's code began (its first line), epoch ms. */
const startedAt = (child: Child) =>
  Schema.decodeUnknownSync(Schema.parseJson(Schema.Struct({ started: Schema.Number })))(child.lines[0] ?? "{}").started

/** What a CREATE TABLE race prints (`relation ... already exists`, `duplicate key ... pg_type_typname_nsp_index`). */
const ddlRace = /already exists|duplicate key/

const query = (database: string, statement: string) =>
  Effect.flatMap(PgClient.PgClient, (sql) => sql.unsafe(statement)).pipe(Effect.provide(onDatabase(database)))

const count = (database: string, table: string) =>
  Effect.map(
    query(database, `SELECT count(*)::int AS n FROM ${table}`),
    (rows) => Schema.decodeUnknownSync(Schema.Tuple(Schema.Struct({ n: Schema.Number })))(rows)[0].n
  )

const tables = (database: string) =>
  Effect.map(
    query(database, "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"),
    (rows) =>
      Schema.decodeUnknownSync(Schema.Array(Schema.Struct({ tablename: Schema.String })))(rows).map((r) => r.tablename)
  )

/** Polls a condition every 20 ms (real time: child processes), failing after `seconds`. */
const eventually = (condition: () => Effect.Effect<boolean>, what: string, seconds: number) =>
  Effect.gen(function*() {
    while (!(yield* condition())) yield* Effect.sleep("20 millis")
  }).pipe(
    Effect.timeoutFail({ duration: `${seconds} seconds`, onTimeout: () => new Error(`${what} within ${seconds} s`) })
  )

const teamNames = ["Alpha", "Bravo", "Charlie", "Delta", "Echo"]

describe.skipIf(!runsDurable)("durable engine: one process per database (PostgreSQL)", () => {
  // The emulator holds every team create after the second (while `held`), so the first process stays alive mid-run.
  const gate = { teamCreates: 0, held: true }

  it.live(
    "a second process fails at start with DurableEngineBusy while the first lives; after a SIGKILL the next one resumes",
    () =>
      Effect.gen(function*() {
        yield* requirePostgres
        const database = yield* freshDatabase
        const emulator = yield* Emulator.Emulator
        const server = yield* Emulator.EmulatorServer
        const name = `Busy ${Date.now()}`
        const env = { MAKE_BASE_URL: server.baseUrl, PGDATABASE: database, SPEC_NAME: name }
        const specTeams = (id: number) =>
          Effect.map(emulator.teams(id), (teams) => teams.filter((t) => !t.deleted && teamNames.includes(t.name)))

        // 1. The first process: the organization and two teams made, the third team's create held.
        const first = yield* startChildScoped(env)
        yield* eventually(() => Effect.succeed(gate.teamCreates >= 3), "no third team create", 60)
        const organizationId = ((yield* emulator.organizations).find((org) => org.name === name))?.id ?? -1
        expect((yield* specTeams(organizationId)).length).toBe(2)
        const runners = yield* count(database, "cluster_runners")
        const messages = yield* count(database, "cluster_messages")
        const requestsBefore = (yield* emulator.requests).length

        // 2. A second process on the same database: fails at start, with the error that says why and what to do.
        const second = yield* startChildScoped(env)
        const secondExit = yield* waitExit(second, "60 seconds")
        const took = Date.now() - startedAt(second)
        expect(secondExit.code).toBe(1)
        expect(failureOf(second)).toEqual(Option.some({ _tag: "DurableEngineBusy", message: busyMessage(database) }))
        expect(isReady(second)).toBe(false)
        expect(hasEnded(first)).toBe(false)
        // it wrote no row (no runner, no message) and sent nothing (the first process's held create aside)
        expect(yield* count(database, "cluster_runners")).toBe(runners)
        expect(yield* count(database, "cluster_messages")).toBe(messages)
        const sent = (yield* emulator.requests).slice(requestsBefore)
        expect(sent.filter((r) => !(r.method === "POST" && r.path === "/admin/teams"))).toEqual([])

        // 3. The first process dies (SIGKILL): the next process takes the engine over and finishes the run.
        gate.held = false
        first.process.kill("SIGKILL")
        expect((yield* waitExit(first, "10 seconds")).signal).toBe("SIGKILL")
        const third = yield* startChildScoped(env)
        expect((yield* waitExit(third, "90 seconds")).code).toBe(0)
        const resultLine = third.lines.find((line) => line.startsWith("{\"result\"")) ?? "{}"
        const { result } = Schema.decodeUnknownSync(Schema.parseJson(Schema.Struct({ result: ProvisionResult })))(
          resultLine
        )
        expect(result.organization).toMatchObject({ id: organizationId, status: "created" })
        expect(result.teams.map((team) => team.key)).toEqual(teamNames)
        const all = yield* emulator.requests
        const processedPosts = (path: string) =>
          all.filter((r) => r.method === "POST" && r.path === path && r.processed)
        expect(processedPosts("/organizations")).toHaveLength(1)
        expect(processedPosts("/admin/teams")).toHaveLength(5)
        console.log(
          `durable busy: the second process failed at start ${took} ms after its code began, sending ` +
            `${sent.length - sent.filter((r) => r.method === "POST" && r.path === "/admin/teams").length} requests; ` +
            `after the SIGKILL the third finished the run (${all.length} requests in all)`
        )
      }).pipe(
        Effect.scoped,
        Effect.provide(
          Emulator.layerServer().pipe(
            Layer.provideMerge(Emulator.layer({
              syncDelay: "200 millis",
              faults: {
                seed: 1,
                latency: { probability: 1, duration: "10 minutes" },
                match: (request) =>
                  request.method === "POST" && request.path === "/admin/teams" && ++gate.teamCreates > 2 && gate.held
              }
            }))
          )
        ),
        Effect.provide(admin)
      ),
    240_000
  )

  it.live(
    "two processes started at once on an empty database: exactly one comes up, the other fails with DurableEngineBusy",
    () =>
      Effect.gen(function*() {
        yield* requirePostgres
        const database = yield* freshDatabase
        // HOLD=1: each only brings its engine up and stays (no Make API is called)
        const env = { MAKE_BASE_URL: "http://127.0.0.1:9", PGDATABASE: database, SPEC_NAME: "unused", HOLD: "1" }
        const children = [yield* startChildScoped(env), yield* startChildScoped(env)]
        yield* eventually(
          () => Effect.succeed(children.every((child) => isReady(child) || hasEnded(child))),
          "neither up nor failed",
          90
        )
        const up = children.filter(isReady)
        const down = children.filter((child) => !isReady(child))
        expect(up).toHaveLength(1)
        expect(down).toHaveLength(1)
        for (const loser of down) {
          expect((yield* waitExit(loser, "10 seconds")).code).toBe(1)
          expect(failureOf(loser)).toEqual(Option.some({ _tag: "DurableEngineBusy", message: busyMessage(database) }))
        }
        for (const child of children) expect(child.errors.join("")).not.toMatch(ddlRace)
        expect(up.filter(hasEnded)).toEqual([])
        // one engine's tables and one runner: the loser created nothing
        expect(yield* tables(database)).toEqual([
          "cluster_messages",
          "cluster_migrations",
          "cluster_replies",
          "cluster_runners"
        ])
        expect(yield* count(database, "cluster_runners")).toBe(1)
      }).pipe(Effect.scoped, Effect.provide(admin)),
    120_000
  )

  it.live(
    "in one process: the layer fails with DurableEngineBusy while another holds it, and builds once that one is closed",
    () =>
      Effect.gen(function*() {
        yield* requirePostgres
        const database = yield* freshDatabase
        const engine = DurableEngine.layer({ host: socket, username: "root", database })
        // the engine's lock is the one two-int4 advisory key on its database (the shard locks are bigint keys)
        const engineLocks = () =>
          count(
            database,
            "pg_locks WHERE locktype = 'advisory' AND objsubid = 2 AND database = " +
              "(SELECT oid FROM pg_database WHERE datname = current_database())"
          )
        yield* Effect.scoped(Effect.gen(function*() {
          yield* Layer.build(engine)
          expect(yield* engineLocks()).toBe(1)
          const refused = yield* Effect.exit(Effect.scoped(Layer.build(engine)))
          const error = Exit.match(refused, {
            onSuccess: () => undefined,
            onFailure: (cause) => Option.getOrUndefined(Cause.failureOption(cause))
          })
          expect(error).toBeInstanceOf(DurableEngine.DurableEngineBusy)
          expect(error).toMatchObject({ _tag: "DurableEngineBusy", database, message: busyMessage(database) })
        }))
        // the first layer's scope is closed (a graceful shutdown): the lock is free, and the next layer builds
        expect(yield* engineLocks()).toBe(0)
        expect(Exit.isSuccess(yield* Effect.exit(Effect.scoped(Layer.build(engine))))).toBe(true)
      }).pipe(Effect.scoped, Effect.provide(admin)),
    60_000
  )
})
