/**
 * The durable engine: `effect/cluster`'s ClusterWorkflowEngine on a SingleRunner, its journal in PostgreSQL
 * (SqlMessageStorage over @effect/sql-pg).
 *
 * @since 1.0.0
 */
// The durable engine, its own module so that the main entry never loads a database driver: imports `effect` (with
// `effect/cluster`, `effect/crypto`, `effect/sql`, `effect/workflow`), `@effect/sql-pg`, workflows/.
import { PgClient } from "@effect/sql-pg"
import { Config, Effect, Layer, Option } from "effect"
import { ClusterWorkflowEngine, SingleRunner } from "effect/cluster"
import * as Digest from "effect/crypto/Digest"
import type { SqlError } from "effect/sql/SqlError"
import type { WorkflowEngine } from "effect/workflow"
import type * as Progress from "./Progress.js"
import * as Workflows from "./Workflows.js"

/**
 * Where the journal lives: `@effect/sql-pg`'s client options (`url`, or `host` — a directory for a Unix socket such
 * as `/var/run/postgresql` — `port`, `database`, `username`, `password`, `ssl`, `maxConnections`, ...).
 *
 * @since 1.0.0
 * @category models
 */
export type PostgresOptions = PgClient.PgPoolConfig

/**
 * The durable engine over PostgreSQL. On start it creates its tables if needed (`cluster_messages`,
 * `cluster_replies`, `cluster_runners`, `cluster_locks`) and picks up the runs a previous process left unfinished:
 * their completed activities are replayed from the journal, the others run.
 *
 * One process per database: the engine runs every shard in this process (`SingleRunner`, no runner-to-runner
 * transport). A process killed mid-run holds its shards through PostgreSQL advisory locks, which the server releases
 * with the dead connection, so the next process on the database takes them and resumes the run. Two processes on one
 * database at once are not supported: the second waits for shards the first holds.
 *
 * @example
 * ```ts
 * import { DurableEngine } from "effect-make/workflows/durable"
 *
 * const engine = DurableEngine.layer({ host: "/var/run/postgresql", database: "make_workflows", username: "ops" })
 * ```
 *
 * @since 1.0.0
 * @category layers
 */
export const layer = (
  postgres: PostgresOptions
): Layer.Layer<WorkflowEngine.WorkflowEngine, SqlError | Config.ConfigError> =>
  ClusterWorkflowEngine.layer.pipe(
    Layer.provideMerge(SingleRunner.layer({ runnerStorage: "sql" })),
    // the message storage hashes over-long deduplication keys: Web Crypto's digest, present on every Node we support
    Layer.provide([PgClient.layer(postgres), Digest.layerWebCrypto])
  )

/** An optional setting: absent when the variable is unset, an error when it is set but malformed. */
const optional = <K extends string, A>(key: K, config: Config.Config<A>): Config.Config<{ readonly [k in K]?: A }> =>
  Config.map(
    Config.option(config),
    Option.match({ onNone: () => ({}), onSome: (value) => ({ [key]: value } as { readonly [k in K]?: A }) })
  )

/**
 * The connection from the environment, with the names `psql` reads: `DATABASE_URL` (a `postgres://` URL, read as
 * `Redacted`) or `PGHOST` (a host, or a socket directory), `PGPORT`, `PGDATABASE`, `PGUSER`, `PGPASSWORD` (read as
 * `Redacted`). Nothing set gives the driver's defaults.
 *
 * @example
 * ```ts
 * import { Config } from "effect"
 * import { DurableEngine } from "effect-make/workflows/durable"
 *
 * // WORKFLOWS_PGHOST, WORKFLOWS_PGDATABASE, ...
 * const engine = DurableEngine.layerConfig(Config.nested(DurableEngine.postgresConfig, "WORKFLOWS"))
 * ```
 *
 * @since 1.0.0
 * @category config
 */
export const postgresConfig: Config.Config<PostgresOptions> = Config.all([
  optional("url", Config.Redacted("DATABASE_URL")),
  optional("host", Config.String("PGHOST")),
  optional("port", Config.Port("PGPORT")),
  optional("database", Config.String("PGDATABASE")),
  optional("username", Config.String("PGUSER")),
  optional("password", Config.Redacted("PGPASSWORD"))
]).pipe(Config.map((parts): PostgresOptions => Object.assign({}, ...parts)))

/**
 * The durable engine, connected as the environment says (see {@link postgresConfig}).
 *
 * @example
 * ```ts
 * import { DurableEngine } from "effect-make/workflows/durable"
 *
 * const engine = DurableEngine.layerConfig()
 * ```
 *
 * @since 1.0.0
 * @category layers
 */
export const layerConfig = (
  config: Config.Config<PostgresOptions> = postgresConfig
): Layer.Layer<WorkflowEngine.WorkflowEngine, SqlError | Config.ConfigError> => Layer.unwrap(Effect.map(config, layer))

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
 * @since 1.0.0
 * @category layers
 */
export const layerWorkflows = (
  postgres: PostgresOptions
): Layer.Layer<
  Progress.Progress | WorkflowEngine.WorkflowEngine,
  SqlError | Config.ConfigError,
  Workflows.Services
> => Workflows.layer.pipe(Layer.provideMerge(layer(postgres)))
