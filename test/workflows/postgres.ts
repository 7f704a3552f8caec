// PostgreSQL for the tests of the durable engine (not a test file): the admin connection, whether the server answers
// (under CI=true an unreachable server fails the suites; elsewhere they are skipped with a message), and a fresh
// database per test, dropped after it. Imports `effect`, `@effect/sql-pg`.
import { PgClient } from "@effect/sql-pg"
import { Cause, Effect } from "effect"

export const socket = "/var/run/postgresql"
const adminDatabase = process.env.EFFECT_MAKE_TEST_DATABASE ?? "effect_make_test"
export const inCi = process.env.CI === "true"

/** The connection that creates and drops the tests' databases. */
export const admin = PgClient.layer({
  host: socket,
  username: "root",
  database: adminDatabase,
  connectTimeout: "3 seconds"
})

/** A connection to one test's database. */
export const connect = (database: string) => PgClient.layer({ host: socket, username: "root", database })

/** Whether PostgreSQL answers, asked once when a suite loads; prints why the suite is skipped when it does not. */
export const probe = async (suite: string) => {
  const answer = await Effect.runPromise(
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
  if (!answer.reachable && !inCi) {
    console.warn(`PostgreSQL at ${socket}/${adminDatabase} is unreachable (${answer.detail}): ${suite} skipped`)
  }
  return { ...answer, skip: !answer.reachable && !inCi }
}

/** A database of its own for one test: the engine's tables and leftovers of earlier runs never meet. */
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
