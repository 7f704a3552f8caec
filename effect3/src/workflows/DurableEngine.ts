/**
 * The durable engine: ClusterWorkflowEngine on a SingleRunner, journal in PostgreSQL (SqlMessageStorage,
 * @effect/sql-pg).
 *
 * @since 0.1.0
 */
// Floor 5, its own module so the root entry never loads `pg`: imports `effect`,
// `@effect/cluster|sql|sql-pg|workflow`.
import { ClusterWorkflowEngine, SingleRunner } from "@effect/cluster"
import type { SqlError } from "@effect/sql"
import { PgClient } from "@effect/sql-pg"
import type { WorkflowEngine } from "@effect/workflow"
import { Config, type ConfigError, Layer, Option, Redacted } from "effect"
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
 * The durable engine over PostgreSQL. On start it creates its tables if needed (`cluster_messages`,
 * `cluster_replies`, `cluster_runners`, `cluster_locks`) and picks up the runs a previous process left unfinished:
 * their completed activities are replayed from the journal, the others run.
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
): Layer.Layer<WorkflowEngine.WorkflowEngine, SqlError.SqlError | ConfigError.ConfigError> =>
  ClusterWorkflowEngine.layer.pipe(
    Layer.provideMerge(SingleRunner.layer({ runnerStorage: "sql" })),
    Layer.provide(PgClient.layer(postgres))
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
): Layer.Layer<WorkflowEngine.WorkflowEngine, SqlError.SqlError | ConfigError.ConfigError> =>
  Layer.unwrapEffect(Config.map(config, layer))

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
  SqlError.SqlError | ConfigError.ConfigError,
  Workflows.Services
> => Workflows.layer.pipe(Layer.provideMerge(layer(postgres)))
