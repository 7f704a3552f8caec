/**
 * The durable engine: ClusterWorkflowEngine on a SingleRunner, journal in PostgreSQL (SqlMessageStorage,
 * @effect/sql-pg).
 *
 * @since 0.1.0
 */
// Floor 5, its own module so the root entry never loads `pg`: imports `effect`,
// `@effect/cluster|sql|sql-pg|workflow`.
import { ClusterWorkflowEngine, SingleRunner } from "@effect/cluster"
import { SqlClient, type SqlError } from "@effect/sql"
import { PgClient } from "@effect/sql-pg"
import type { WorkflowEngine } from "@effect/workflow"
import { Config, type ConfigError, Effect, Layer, Option, Redacted, Schedule, Schema } from "effect"
import type * as Progress from "./Progress.js"
import * as Workflows from "./Workflows.js"

/**
 * Where the journal lives: `@effect/sql-pg`'s client options (`url`, or `host` — a directory for a Unix socket such
 * as `/var/run/postgresql` — `port`, `database`, `username`, `password`, `ssl`, `maxConnections`, ...).
 *
 * @since 0.1.0
 * @category models
 */
export type PostgresOptions = PgClient.PgClientConfig

/**
 * Another live process holds the durable engine on this database. The engine is a `SingleRunner`: one process per
 * database, which takes every shard. A second process would take none, so its calls would send nothing until the
 * first one exits; it fails at start with this error instead. Stop the other process, or give each deployment its own
 * database.
 *
 * @example
 * ```ts
 * import { Console, Effect, Layer } from "effect"
 * import { DurableEngine } from "effect-make/workflows/durable"
 *
 * const engine = DurableEngine.layer({ host: "/var/run/postgresql", database: "make_workflows" }).pipe(
 *   Layer.tapError((error) => error._tag === "DurableEngineBusy" ? Console.error(error.message) : Effect.void)
 * )
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export class DurableEngineBusy extends Schema.TaggedError<DurableEngineBusy>()("DurableEngineBusy", {
  /** The database, as the server names it (`current_database()`). */
  database: Schema.String
}) {
  override get message(): string {
    return `another process holds the durable engine on database "${this.database}" (one process per database on ` +
      `the 0.x line): stop the other process, or give each deployment its own database`
  }
}

/** 32-bit FNV-1a of a name, as a signed int4: one half of the engine's advisory-lock key. */
const lockHalf = (name: string): number => {
  let hash = 0x811c9dc5
  for (const char of name) hash = Math.imul(hash ^ (char.codePointAt(0) ?? 0), 0x01000193)
  return hash | 0
}

/**
 * The engine's session-level advisory lock: the two-int4 form, which PostgreSQL keeps apart from the one-bigint keys
 * the cluster's shard locks use, so the two never meet. Advisory locks belong to one database, so the key is fixed.
 */
const engineLock = [lockHalf("effect-make"), lockHalf("workflows/durable")] as const

const LockAnswer = Schema.Tuple(Schema.Struct({ taken: Schema.Boolean, database: Schema.String }))

/**
 * How long start-up waits for a busy engine: 10 more tries, 500 ms apart (5 s). Long enough for a process that is
 * shutting down (a rolling restart) to let go; short enough that a second live process is reported at once rather
 * than stalling — a supervisor restarting the new process covers a longer shutdown. A process that died (even by
 * SIGKILL) holds nothing: the server frees its lock with its connection.
 */
const busyWait = Schedule.intersect(Schedule.spaced("500 millis"), Schedule.recurs(10))

/**
 * Holds the engine's lock for the layer's lifetime on a connection of its own (a pool of one, so the engine's own pool
 * keeps every connection it is given). It is built before the cluster's layers, which create their tables and take the
 * shards only once the lock is held: two processes starting at once on an empty database never race on
 * `CREATE TABLE`. Released on shutdown (unlocked before the connection is closed), and by the server when the process
 * dies with its connection. Not covered: that connection cut while the process lives (the server restarted), which
 * takes the lock with it; it is not taken again, and the cluster's own shard locks decide from then on, as they did
 * before this lock.
 */
const exclusive = (postgres: PostgresOptions): Layer.Layer<never, DurableEngineBusy | SqlError.SqlError> =>
  Layer.scopedDiscard(Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const connection = yield* sql.reserve
    const attempt = connection.execute(
      "SELECT pg_try_advisory_lock($1::int4, $2::int4) AS taken, current_database() AS database",
      engineLock,
      undefined
    ).pipe(
      // the server's answer to this fixed query has one shape: anything else is a defect
      Effect.flatMap((rows) => Effect.orDie(Schema.decodeUnknown(LockAnswer)(rows))),
      Effect.flatMap(([{ database, taken }]) => taken ? Effect.void : Effect.fail(new DurableEngineBusy({ database })))
    )
    yield* Effect.retry(attempt, { schedule: busyWait, while: (error) => error._tag === "DurableEngineBusy" })
    yield* Effect.addFinalizer(() =>
      Effect.ignore(connection.executeRaw("SELECT pg_advisory_unlock($1::int4, $2::int4)", engineLock))
    )
  })).pipe(
    // a connection held for the process's life: no recycling (`connectionTTL`), no idle pool beside it
    Layer.provide(PgClient.layer({ ...postgres, maxConnections: 1, minConnections: 0, connectionTTL: undefined }))
  )

/**
 * The durable engine over PostgreSQL, one process per database. On start it takes the database's engine lock (a
 * PostgreSQL advisory lock, held until the process ends): while another live process holds it, start-up fails with
 * {@link DurableEngineBusy} after waiting up to 5 s. Then it creates its tables if needed (`cluster_messages`,
 * `cluster_replies`, `cluster_runners`, `cluster_migrations`) and picks up the runs a previous process left
 * unfinished: their completed activities are replayed from the journal, the others run.
 *
 * @example
 * ```ts
 * import { Layer } from "effect"
 * import { DurableEngine, Workflows } from "effect-make/workflows/durable"
 *
 * const engine = DurableEngine.layer({ host: "/var/run/postgresql", database: "make_workflows", username: "ops" })
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (
  postgres: PostgresOptions
): Layer.Layer<
  WorkflowEngine.WorkflowEngine,
  DurableEngineBusy | SqlError.SqlError | ConfigError.ConfigError
> =>
  ClusterWorkflowEngine.layer.pipe(
    Layer.provideMerge(SingleRunner.layer({ runnerStorage: "sql" })),
    Layer.provide(PgClient.layer(postgres)),
    // built first: nothing of the cluster's starts before the lock is held
    Layer.provide(exclusive(postgres))
  )

/**
 * The connection from the environment, with the names `psql` reads: `DATABASE_URL` (a `postgres://` URL, read as
 * `Redacted`) or `PGHOST` (a host, or a socket directory), `PGPORT`, `PGDATABASE`, `PGUSER`, `PGPASSWORD`.
 *
 * @since 0.1.0
 * @category config
 */
export const postgresConfig: Config.Config<PostgresOptions> = Config.all({
  url: Config.option(Config.redacted("DATABASE_URL")),
  host: Config.option(Config.string("PGHOST")),
  port: Config.option(Config.integer("PGPORT")),
  database: Config.option(Config.string("PGDATABASE")),
  username: Config.option(Config.string("PGUSER")),
  password: Config.option(Config.redacted("PGPASSWORD"))
}).pipe(
  Config.map((c): PostgresOptions => ({
    ...Option.match(c.url, { onNone: () => ({}), onSome: (url) => ({ url: Redacted.make(Redacted.value(url)) }) }),
    ...Option.match(c.host, { onNone: () => ({}), onSome: (host) => ({ host }) }),
    ...Option.match(c.port, { onNone: () => ({}), onSome: (port) => ({ port }) }),
    ...Option.match(c.database, { onNone: () => ({}), onSome: (database) => ({ database }) }),
    ...Option.match(c.username, { onNone: () => ({}), onSome: (username) => ({ username }) }),
    ...Option.match(c.password, { onNone: () => ({}), onSome: (password) => ({ password }) })
  }))
)

/**
 * The durable engine, connected as the environment says (see {@link postgresConfig}).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig = (
  config: Config.Config<PostgresOptions> = postgresConfig
): Layer.Layer<
  WorkflowEngine.WorkflowEngine,
  DurableEngineBusy | SqlError.SqlError | ConfigError.ConfigError
> => Layer.unwrapEffect(Config.map(config, layer))

/**
 * `provision` and `decommission` on the durable engine: {@link Workflows.layer} over {@link layer}.
 *
 * @example
 * ```ts
 * import { Effect, Layer, Redacted } from "effect"
 * import { Provision, type ProvisionSpec } from "effect-make"
 * import { NodeMakeApi } from "effect-make/node"
 * import { DurableEngine } from "effect-make/workflows/durable"
 *
 * const live = DurableEngine.layerWorkflows({ url: Redacted.make(process.env.DATABASE_URL ?? "") }).pipe(
 *   Layer.provide(NodeMakeApi.layerConfig())
 * )
 * const program = (spec: ProvisionSpec.ProvisionSpec) => Provision.provision(spec).pipe(Effect.provide(live))
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layerWorkflows = (
  postgres: PostgresOptions
): Layer.Layer<
  Progress.Progress | WorkflowEngine.WorkflowEngine,
  DurableEngineBusy | SqlError.SqlError | ConfigError.ConfigError,
  Workflows.Services
> => Workflows.layer.pipe(Layer.provideMerge(layer(postgres)))
