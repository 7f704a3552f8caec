/**
 * The durable engine: `effect/cluster`'s ClusterWorkflowEngine, its journal in PostgreSQL (SqlMessageStorage over
 * @effect/sql-pg), on one process ({@link layer}) or on several replicas of one app that share the database and talk
 * to each other over sockets ({@link layerReplica}).
 *
 * @since 1.0.0
 */
// The durable engine, its own module so that the main entry never loads a database driver: imports `effect` (with
// `effect/cluster`, `effect/crypto`, `effect/rpc`, `effect/socket`, `effect/sql`, `effect/workflow`), `@effect/sql-pg`,
// `@effect/platform-node` (the runners' sockets, imported by the replica layers alone), workflows/.
import { PgClient } from "@effect/sql-pg"
import { Config, Effect, Layer, Option, Schema } from "effect"
import {
  ClusterError,
  ClusterWorkflowEngine,
  MachineId,
  RunnerAddress,
  RunnerHealth,
  Runners,
  RunnerStorage,
  type Sharding,
  ShardingConfig,
  SingleRunner,
  SocketRunner,
  SqlMessageStorage,
  SqlRunnerStorage
} from "effect/cluster"
import * as Digest from "effect/crypto/Digest"
import { RpcSerialization } from "effect/rpc"
import type { SocketServerError } from "effect/socket/SocketServer"
import { SqlClient } from "effect/sql"
import type { SqlError } from "effect/sql/SqlError"
import type { WorkflowEngine } from "effect/workflow"
import * as ClusterLimits from "./ClusterLimits.js"
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
 * with the dead connection, so the next process on the database takes them and resumes the run. A second process on
 * the database at once waits for the shards the first holds: for several, use {@link layerReplica} in each.
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
    Layer.provide(migrations),
    // the message storage hashes over-long deduplication keys: Web Crypto's digest, present on every Node we support
    Layer.provide([PgClient.layer(postgres), Digest.layerWebCrypto])
  )

/**
 * The engine's tables, created if missing, one process at a time: a transaction-scoped advisory lock makes every
 * process wait for the one creating them (both storages' migrations in one transaction). effect's migrator already
 * locks each storage's history table; this makes the creation of all the tables one step whatever the storages' own
 * locking does, at the cost of one lock on each start.
 */
const migrations: Layer.Layer<never, never, SqlClient.SqlClient> = Layer.effectDiscard(
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const run = (migrations: Layer.Layer<never, never, SqlClient.SqlClient>) => Effect.scoped(Layer.build(migrations))
    yield* sql.unsafe(`SELECT pg_advisory_xact_lock(${migrationLock})`).pipe(
      Effect.andThen(run(SqlMessageStorage.layerMigrations({}))),
      Effect.andThen(run(SqlRunnerStorage.layerMigrations({}))),
      sql.withTransaction,
      Effect.orDie
    )
  })
)

/** The advisory lock held while the tables are created: one 64-bit key ("effect" in ASCII), which never meets the
 * cluster's shard locks (taken as pairs of 32-bit keys, a separate space). */
const migrationLock = 0x656666656374

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

// ---------------------------------------------------------------------------
// Several replicas of one app on one database
// ---------------------------------------------------------------------------

/**
 * Where a replica's runner listens, and where the other replicas reach it.
 *
 * @since 1.0.0
 * @category models
 */
export interface RunnerOptions {
  /** The address the other replicas connect to (a host name or IP they can reach; never a wildcard). */
  readonly host: string
  /** The port the other replicas connect to; default 34431. */
  readonly port?: number | undefined
  /** The interface to listen on, when it differs from `host` (e.g. `0.0.0.0` in a container); default `host`. */
  readonly listenHost?: string | undefined
  /** The port to listen on, when it differs from `port` (a mapped port); default `port`. */
  readonly listenPort?: number | undefined
}

/**
 * A replica: the database every replica shares, its own runner, and the number of shards (the same on every
 * replica: an execution's shard is its id's hash modulo this number).
 *
 * @since 1.0.0
 * @category models
 */
export interface ReplicaOptions {
  readonly postgres: PostgresOptions
  readonly runner: RunnerOptions
  /** Default 300. Every replica of a database must use the same number. */
  readonly shardsPerGroup?: number | undefined
}

const defaultRunnerPort = 34431

/**
 * The cluster's settings for a replica: upstream's defaults, the runner's addresses, and timings chosen so that a dead
 * replica's shards move within 30 s: heartbeat and shard locks refreshed every 5 s; a runner whose heartbeat is 15 s
 * old dropped, and a lock session idle that long ended by the server; the health check pinging every runner every 5 s
 * over the runners' socket (6 failed pings 500 ms apart mark one unhealthy); assignments read every 3 s; a joining
 * runner waiting for 1 s of quiet, so replicas starting together settle on one assignment instead of trading shards.
 */
const shardingConfig = (options: ReplicaOptions): ShardingConfig.ShardingConfig["Service"] => {
  const port = options.runner.port ?? defaultRunnerPort
  return {
    ...ShardingConfig.defaults,
    shardLockExpiration: "15 seconds",
    shardLockRefreshInterval: "5 seconds",
    runnerHealthCheckInterval: "5 seconds",
    refreshAssignmentsInterval: "3 seconds",
    runnerJoinDebounce: "1 second",
    runnerAddress: Option.some(RunnerAddress.make(options.runner.host, port)),
    runnerListenAddress: Option.some(
      RunnerAddress.make(options.runner.listenHost ?? options.runner.host, options.runner.listenPort ?? port)
    ),
    shardsPerGroup: options.shardsPerGroup ?? ShardingConfig.defaults.shardsPerGroup
  }
}

/**
 * Machine ids that differ in their low 10 bits among the registered runners. `SqlRunnerStorage` gives a runner its
 * row's serial id as machine id, and a Snowflake (a message id) keeps only the low 10 bits of it: once the serial has
 * passed 1024 (every registration draws from it, the re-registration of a known address too), a new replica's id can
 * share them with a live one's, and the two could generate the same message id. On registration, a replica whose
 * low bits another row already has moves its row to a fresh serial id, until none has them.
 */
const distinctMachineIds = Layer.effect(
  RunnerStorage.RunnerStorage,
  Effect.gen(function*() {
    const storage = yield* RunnerStorage.RunnerStorage
    const sql = yield* SqlClient.SqlClient
    const distinct = (address: string, id: number): Effect.Effect<number, SqlError> =>
      Effect.flatMap(
        sql`SELECT 1 FROM cluster_runners WHERE address <> ${address} AND machine_id % 1024 = ${id % 1024}`,
        (clashes) =>
          clashes.length === 0 ? Effect.succeed(id) : sql<{ readonly machine_id: number }>`
            UPDATE cluster_runners SET machine_id = nextval(pg_get_serial_sequence('cluster_runners', 'machine_id'))
            WHERE address = ${address} RETURNING machine_id
          `.pipe(
            Effect.flatMap((rows) => rows[0] === undefined ? Effect.succeed(id) : distinct(address, rows[0].machine_id))
          )
      )
    return RunnerStorage.RunnerStorage.of({
      ...storage,
      register: (runner, healthy) =>
        Effect.flatMap(
          storage.register(runner, healthy),
          (id) =>
            distinct(`${runner.address.host}:${runner.address.port}`, id).pipe(
              Effect.map(MachineId.make),
              ClusterError.PersistenceError.refail
            )
        )
    })
  })
)

/**
 * The durable engine on one replica of several: the same code in each replica, all on one PostgreSQL database.
 * Each replica is an `effect/cluster` runner: it registers in `cluster_runners` with a machine id of its own (so the
 * message ids of two replicas never clash), takes its share of the shards through PostgreSQL advisory locks, listens
 * on `runner.listenHost:listenPort`, and sends the messages for the other replicas' shards to them over a socket
 * (health checks are pings on the same socket). A run started on any replica executes on the replica holding its
 * execution's shard, and its result comes back to the caller.
 *
 * When a replica dies, its shards move to the others within about 20 s and its unfinished runs resume there from the
 * journal: completed activities are replayed, not repeated. A caller waiting on another replica gets the result when
 * the run ends. The repository's docs/durable-replicas.md lists the variables, ports, tables and failure modes.
 *
 * Replicas starting together on an empty database all come up: the tables are created under an advisory lock, one
 * process at a time.
 *
 * Besides the engine, the layer provides the cluster's `Sharding` and its database's `SqlClient`: what
 * `ClusterLimits.layerSql` needs to hold each organization to one rate limit across the replicas (see
 * {@link layerReplicaWorkflows}).
 *
 * @example
 * ```ts
 * import { DurableEngine } from "effect-make/workflows/durable"
 *
 * const engine = DurableEngine.layerReplica({
 *   postgres: { host: "db.internal", database: "make_workflows", username: "ops" },
 *   runner: { host: "10.0.3.7", port: 34431, listenHost: "0.0.0.0" }
 * })
 * ```
 *
 * @since 1.0.0
 * @category layers
 */
export const layerReplica = (
  options: ReplicaOptions
): Layer.Layer<
  WorkflowEngine.WorkflowEngine | Sharding.Sharding | SqlClient.SqlClient,
  SqlError | SocketServerError
> => {
  const serialization = RpcSerialization.layerSchemaBinary({})
  const runner = Layer.unwrap(Effect.map(nodeSockets, (sockets) => {
    const clientProtocol = Layer.provide(sockets.layerClientProtocol, serialization)
    const health = RunnerHealth.layerPing.pipe(Layer.provide(Runners.layerRpc), Layer.provide(clientProtocol))
    return SocketRunner.layer.pipe(Layer.provide([sockets.layerSocketServer, clientProtocol, serialization, health]))
  })).pipe(
    Layer.provideMerge(SqlMessageStorage.layerStorage({})),
    Layer.provide(distinctMachineIds.pipe(Layer.provide(SqlRunnerStorage.layerStorage({})))),
    Layer.provide(ShardingConfig.layer(shardingConfig(options)))
  )
  return ClusterWorkflowEngine.layer.pipe(
    Layer.provideMerge(runner),
    Layer.provide(migrations),
    Layer.provideMerge(PgClient.layer(options.postgres)),
    Layer.provide(Digest.layerWebCrypto)
  )
}

/** The runners' sockets, loaded by the replica layers alone: the single-process engine needs no platform-node. */
const nodeSockets = Effect.tryPromise({
  try: () => import("@effect/platform-node/NodeClusterSocket"),
  catch: () => "DurableEngine.layerReplica needs @effect/platform-node: npm install @effect/platform-node@^4.1.5"
}).pipe(Effect.orDie)

/** A host the other replicas can connect to: not empty, not a wildcard address. */
const ReachableHost = Schema.String.check(
  Schema.isPattern(/^(?!(0\.0\.0\.0|::|\[::\])$)\S+$/, {
    expected: "a host name or address the other replicas can reach (not 0.0.0.0 or ::)"
  })
)

/**
 * A replica from the environment: the database as {@link postgresConfig} reads it, and
 *
 * - `RUNNER_HOST` (required): the host name or address the other replicas reach this one at (a pod IP, a service
 *   host name; not `0.0.0.0`);
 * - `RUNNER_PORT`: the port they connect to, default 34431;
 * - `RUNNER_LISTEN_HOST`, `RUNNER_LISTEN_PORT`: where to listen, when that differs (`0.0.0.0` in a container, a
 *   mapped port); default `RUNNER_HOST` and `RUNNER_PORT`;
 * - `SHARDS_PER_GROUP`: the number of shards, default 300, the same on every replica.
 *
 * @example
 * ```ts
 * import { ConfigProvider, Effect } from "effect"
 * import { DurableEngine } from "effect-make/workflows/durable"
 *
 * const env = { RUNNER_HOST: "10.0.3.7", RUNNER_LISTEN_HOST: "0.0.0.0", PGHOST: "db.internal" }
 * const options = DurableEngine.replicaConfig.parse(ConfigProvider.fromEnv({ env }))
 * ```
 *
 * @since 1.0.0
 * @category config
 */
export const replicaConfig: Config.Config<ReplicaOptions> = Config.all([
  postgresConfig,
  Config.schema(ReachableHost, "RUNNER_HOST"),
  Config.Port("RUNNER_PORT").pipe(Config.withDefault(defaultRunnerPort)),
  optional("listenHost", Config.String("RUNNER_LISTEN_HOST")),
  optional("listenPort", Config.Port("RUNNER_LISTEN_PORT")),
  optional("shardsPerGroup", Config.schema(Schema.Int.check(Schema.isGreaterThan(0)), "SHARDS_PER_GROUP"))
]).pipe(Config.map(([postgres, host, port, listen, listenPort, shards]): ReplicaOptions => ({
  postgres,
  runner: { host, port, ...listen, ...listenPort },
  ...shards
})))

/**
 * The durable engine on a replica configured from the environment (see {@link replicaConfig}).
 *
 * @example
 * ```ts
 * import { Layer } from "effect"
 * import { NodeMakeApi } from "effect-make/node"
 * import { DurableEngine, Workflows } from "effect-make/workflows/durable"
 *
 * // RUNNER_HOST=10.0.3.7 RUNNER_LISTEN_HOST=0.0.0.0 PGHOST=db.internal PGDATABASE=make_workflows node app.js
 * const live = Workflows.layer.pipe(
 *   Layer.provideMerge(DurableEngine.layerReplicaConfig()),
 *   Layer.provide(NodeMakeApi.layerConfig())
 * )
 * ```
 *
 * @since 1.0.0
 * @category layers
 */
export const layerReplicaConfig = (
  config: Config.Config<ReplicaOptions> = replicaConfig
): Layer.Layer<
  WorkflowEngine.WorkflowEngine | Sharding.Sharding | SqlClient.SqlClient,
  SqlError | SocketServerError | Config.ConfigError
> => Layer.unwrap(Effect.map(config, layerReplica))

/**
 * `provision` and `decommission` on a replica, every organization held to one rate limit across the replicas:
 * {@link Workflows.layerWith} with `ClusterLimits.layerSql` (each organization's sliding minute an entity of the
 * cluster, its slots in the shared database) over {@link layerReplica}. Three replicas provisioning into one
 * organization of 60 a minute then send it 60 a minute between them; over {@link layerReplica} with `Workflows.layer`,
 * each replica counts its own minute and together they may send up to 180. A request waits for its lease from the
 * replica holding its organization's entity (a round trip over the runners' socket when that is another replica, and a
 * row written in PostgreSQL for each grant and release); a run with `rateLimit: "off"` takes none.
 *
 * @example
 * ```ts
 * import { Layer } from "effect"
 * import { NodeMakeApi } from "effect-make/node"
 * import { DurableEngine } from "effect-make/workflows/durable"
 *
 * const live = DurableEngine.layerReplicaWorkflows({
 *   postgres: { host: "db.internal", database: "make_workflows", username: "ops" },
 *   runner: { host: "10.0.3.7", listenHost: "0.0.0.0" }
 * }).pipe(Layer.provide(NodeMakeApi.layerConfig()))
 * ```
 *
 * @since 1.0.0
 * @category layers
 */
export const layerReplicaWorkflows = (
  options: ReplicaOptions,
  limits?: ClusterLimits.Options
): Layer.Layer<
  Progress.Progress | WorkflowEngine.WorkflowEngine,
  SqlError | SocketServerError,
  Workflows.Services
> => Workflows.layerWith({ limits: ClusterLimits.layerSql(limits) }).pipe(Layer.provideMerge(layerReplica(options)))

/**
 * {@link layerReplicaWorkflows} on a replica configured from the environment (see {@link replicaConfig}).
 *
 * @example
 * ```ts
 * import { Layer } from "effect"
 * import { NodeMakeApi } from "effect-make/node"
 * import { DurableEngine } from "effect-make/workflows/durable"
 *
 * // RUNNER_HOST=10.0.3.7 RUNNER_LISTEN_HOST=0.0.0.0 PGHOST=db.internal PGDATABASE=make_workflows node app.js
 * const live = DurableEngine.layerReplicaWorkflowsConfig().pipe(Layer.provide(NodeMakeApi.layerConfig()))
 * ```
 *
 * @since 1.0.0
 * @category layers
 */
export const layerReplicaWorkflowsConfig = (
  config: Config.Config<ReplicaOptions> = replicaConfig,
  limits?: ClusterLimits.Options
): Layer.Layer<
  Progress.Progress | WorkflowEngine.WorkflowEngine,
  SqlError | SocketServerError | Config.ConfigError,
  Workflows.Services
> => Layer.unwrap(Effect.map(config, (options) => layerReplicaWorkflows(options, limits)))
