// The durable suites' shared means (not a test file): the local PostgreSQL probe, a fresh database per test, and the
// child process (test/workflows/durable-child.ts) that runs the durable engine, with its output collected line by line.
import { PgClient } from "@effect/sql-pg"
import type { Duration } from "effect"
import { Effect } from "effect"
import { type ChildProcess, spawn } from "node:child_process"
import { fileURLToPath } from "node:url"

export const socket = "/var/run/postgresql"
const adminDatabase = process.env.EFFECT_MAKE_TEST_DATABASE ?? "effect_make_test"
export const inCi = process.env.CI === "true"

/** The server's own database, where the tests create and drop theirs. */
export const admin = PgClient.layer({
  host: socket,
  username: "root",
  database: adminDatabase,
  connectTimeout: "3 seconds"
})

/** A client on one of the tests' databases, to look at what the engine left there. */
export const onDatabase = (database: string) =>
  PgClient.layer({ host: socket, username: "root", database, connectTimeout: "3 seconds" })

/**
 * Whether PostgreSQL answers. A suite is skipped with a message when it does not, except under CI=true, where its
 * tests fail (each starts with `requirePostgres`).
 */
export const probe = await Effect.runPromise(
  Effect.flatMap(PgClient.PgClient, (sql) => sql.unsafe("SELECT 1")).pipe(
    Effect.provide(admin),
    Effect.as({ reachable: true, detail: "" }),
    Effect.catchAll((error) => Effect.succeed({ reachable: false, detail: String(error) })),
    Effect.timeout("10 seconds"),
    Effect.catchAll(() => Effect.succeed({ reachable: false, detail: "no answer within 10 s" }))
  )
)
if (!probe.reachable && !inCi) {
  console.warn(`PostgreSQL at ${socket}/${adminDatabase} is unreachable (${probe.detail}): durable tests skipped`)
}

/** Whether a durable suite runs: PostgreSQL answers, or CI requires it (and the test then fails). */
export const runsDurable = probe.reachable || inCi

export const requirePostgres = probe.reachable
  ? Effect.void
  : Effect.dieMessage(`PostgreSQL is unreachable under CI: ${probe.detail}`)

const childScript = fileURLToPath(new URL("./durable-child.ts", import.meta.url))

export interface Child {
  readonly process: ChildProcess
  readonly lines: Array<string>
  readonly errors: Array<string>
  readonly exited: Promise<{ readonly code: number | null; readonly signal: NodeJS.Signals | null }>
}

/** Starts durable-child.ts with `env` on top of this process's environment; stderr is echoed and kept. */
export const startChild = (env: Record<string, string>): Child => {
  const child = spawn(process.execPath, ["--import", "tsx", childScript], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"]
  })
  const lines: Array<string> = []
  const errors: Array<string> = []
  let buffered = ""
  child.stdout?.on("data", (chunk: Buffer) => {
    buffered += chunk.toString()
    const parts = buffered.split("\n")
    buffered = parts.pop() ?? ""
    lines.push(...parts)
  })
  child.stderr?.on("data", (chunk: Buffer) => {
    errors.push(chunk.toString())
    process.stderr.write(`[child] ${chunk.toString()}`)
  })
  // "close" rather than "exit": by then the child's output is all read
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("close", (code, signal) => resolve({ code, signal }))
  )
  return { process: child, lines, errors, exited }
}

export const waitExit = (child: Child, within: Duration.DurationInput) =>
  Effect.promise(() => child.exited).pipe(
    Effect.timeoutFail({ duration: within, onTimeout: () => new Error("the child did not finish in time") })
  )

/** Whether the child has said its engine is up (`{"ready":true}`, printed once its layer is built). */
export const isReady = (child: Child): boolean => child.lines.includes(JSON.stringify({ ready: true }))

/** Whether the child has ended (exited or killed). */
export const hasEnded = (child: Child): boolean => child.process.exitCode !== null || child.process.signalCode !== null

/** A child still running is killed when the test's scope closes (a failed assertion leaves none behind). */
export const startChildScoped = (env: Record<string, string>) =>
  Effect.acquireRelease(
    Effect.sync(() => startChild(env)),
    (child) => Effect.sync(() => child.process.exitCode === null && child.process.kill("SIGKILL"))
  )

/** A database of its own for one test: the engine's tables and leftovers of earlier runs never meet. */
export const freshDatabase = Effect.acquireRelease(
  Effect.gen(function*() {
    const sql = yield* PgClient.PgClient
    const name = `effect_make_durable_${Date.now()}_${Math.floor(Math.random() * 1e6)}`
    yield* sql.unsafe(`CREATE DATABASE ${name}`)
    return name
  }),
  (name) =>
    Effect.ignore(
      Effect.flatMap(PgClient.PgClient, (sql) => sql.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`))
    )
)
