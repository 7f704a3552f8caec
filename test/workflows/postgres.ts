// The local PostgreSQL of the SQL suites (as Durable.test.ts reaches it): whether it answers, and a fresh database
// dropped after the test. Under CI=true an unreachable server fails the suite; elsewhere it is skipped. Imports
// `effect`, @effect/sql-pg.
import { PgClient } from "@effect/sql-pg"
import { Cause, Effect } from "effect"

export const socket = "/var/run/postgresql"
const adminDatabase = process.env.EFFECT_MAKE_TEST_DATABASE ?? "effect_make_test"
export const inCi = process.env.CI === "true"

/** The server's administrative database, where the fresh ones are made and dropped. */
export const admin = PgClient.layer({
  host: socket,
  username: "root",
  database: adminDatabase,
  connectTimeout: "3 seconds"
})

/** Whether the server answers (within 10 s), and why not. */
export const probe = await Effect.runPromise(
  Effect.flatMap(PgClient.PgClient, (sql) => sql.unsafe("SELECT 1")).pipe(
    Effect.provide(admin),
    Effect.as({ reachable: true, detail: "" }),
    Effect.catchCause((cause) =>
      Effect.succeed({ reachable: false, detail: Cause.pretty(cause).split("\n")[0] ?? "" })
    ),
    Effect.timeoutOrElse({
      duration: "10 seconds",
      orElse: () => Effect.succeed({ reachable: false, detail: "no answer within 10 s" })
    })
  )
)
if (!probe.reachable && !inCi) {
  console.warn(`PostgreSQL at ${socket}/${adminDatabase} is unreachable (${probe.detail}): SQL tests skipped`)
}

/** A database of its own (`prefix_…`), dropped when the scope closes. */
export const freshDatabase = (prefix: string) =>
  Effect.acquireRelease(
    Effect.gen(function*() {
      const sql = yield* PgClient.PgClient
      const name = `${prefix}_${Date.now()}_${Math.floor(Math.random() * 1e6)}`
      yield* sql.unsafe(`CREATE DATABASE ${name}`)
      return name
    }),
    (name) =>
      Effect.ignore(
        Effect.flatMap(PgClient.PgClient, (sql) => sql.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`))
      )
  )
