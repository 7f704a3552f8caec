/**
 * A client of the durable engine's replicas: the workflow engine of a process that starts runs on a cluster of
 * replicas (`DurableEngine.layerReplica`) without being one. Its runs execute on the replicas.
 *
 * @since 1.0.0
 */
// The durable engine's client, beside DurableEngine.ts behind the `effect-make/workflows/durable` entry: imports
// `effect` (with `effect/cluster`, `effect/crypto`, `effect/rpc`, `effect/sql`, `effect/workflow`), `@effect/sql-pg`,
// `@effect/platform-node` (the runners' sockets, loaded when the layer is built), workflows/.
import { PgClient } from "@effect/sql-pg"
import { Config, Effect, Layer, Option, Schema } from "effect"
import {
  ClusterWorkflowEngine,
  ShardingConfig,
  SocketRunner,
  SqlMessageStorage,
  SqlRunnerStorage
} from "effect/cluster"
import * as Digest from "effect/crypto/Digest"
import { RpcSerialization } from "effect/rpc"
import { SqlClient } from "effect/sql"
import type { SqlError } from "effect/sql/SqlError"
import type { WorkflowEngine } from "effect/workflow"
import * as DurableEngine from "./DurableEngine.js"

/**
 * The database the replicas share, and their number of shards.
 *
 * @since 1.0.0
 * @category models
 */
export interface ClientOptions {
  readonly postgres: DurableEngine.PostgresOptions
  /** The replicas' number of shards (their `SHARDS_PER_GROUP`); default 300. */
  readonly shardsPerGroup?: number | undefined
}

/**
 * No replica of the durable engine is live on the database (none has a heartbeat younger than 15 s, or the engine's
 * tables are not there): a run sent now would wait in the journal until one starts.
 *
 * @since 1.0.0
 * @category errors
 */
export class NoReplicas extends Schema.TaggedError<NoReplicas>()("NoReplicas", {}) {
  override get message(): string {
    return "no replica of the durable engine is running on this database (cluster_runners lists none alive)"
  }
}

/**
 * The replicas' live runners: their rows whose heartbeat is younger than the replicas' lock expiration (15 s), as
 * the replicas themselves count them. No table means no replica ever ran on the database.
 */
const liveReplicas: Effect.Effect<number, SqlError | NoReplicas, SqlClient.SqlClient> = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const [table] = yield* sql<{ readonly present: string | null }>`SELECT to_regclass('cluster_runners') AS present`
  if (table?.present === null || table?.present === undefined) return yield* new NoReplicas()
  const rows = yield* sql<{ readonly live: number }>`
    SELECT count(*)::int AS live FROM cluster_runners
    WHERE healthy AND last_heartbeat > now() - interval '15 seconds'
  `
  const live = rows[0]?.live ?? 0
  return live > 0 ? live : yield* new NoReplicas()
})

/** The runners' sockets, loaded when the layer is built: the rest of the durable entry needs no platform-node. */
const nodeSockets = Effect.tryPromise({
  try: () => import("@effect/platform-node/NodeClusterSocket"),
  catch: () => "ClusterClient.layer needs @effect/platform-node: npm install @effect/platform-node@^4.1.5"
}).pipe(Effect.orDie)

/**
 * The workflow engine of a client of the replicas (`effect/cluster`'s `SocketRunner.layerClientOnly` under
 * `ClusterWorkflowEngine`): no runner of its own, so it registers nowhere, holds no shard and listens on no port. A
 * run it starts (`Provision.provision`, `Fleet.provisionAll`) is written to the journal and sent to the replica
 * holding its execution's shard, which executes it with its own Make settings (token, zone); the result comes back
 * over the runners' socket or from the journal. Closing the layer leaves the replicas as they were.
 *
 * Building the layer fails with {@link NoReplicas} when no replica is live on the database: the runs would wait.
 * The client creates no table; the replicas do. It needs `@effect/platform-node` (the runners' sockets) besides
 * `@effect/sql-pg`, and connects to the replicas' `RUNNER_HOST:RUNNER_PORT` as they connect to each other.
 *
 * @example
 * ```ts
 * import { Effect, Layer } from "effect"
 * import { Fleet, type ProvisionSpec } from "effect-make"
 * import { ClusterClient } from "effect-make/workflows/durable"
 *
 * const onReplicas = ClusterClient.layer({ postgres: { host: "db.internal", database: "make_workflows" } })
 * const apply = (specs: ReadonlyArray<ProvisionSpec.ProvisionSpec>) =>
 *   Fleet.provisionAll(specs).pipe(Effect.provide(onReplicas))
 * ```
 *
 * @since 1.0.0
 * @category layers
 */
export const layer = (
  options: ClientOptions
): Layer.Layer<WorkflowEngine.WorkflowEngine, SqlError | NoReplicas> => {
  const serialization = RpcSerialization.layerSchemaBinary({})
  const client = Layer.unwrap(Effect.map(nodeSockets, (sockets) =>
    SocketRunner.layerClientOnly.pipe(
      Layer.provide(Layer.provide(sockets.layerClientProtocol, serialization))
    ))).pipe(
      Layer.provideMerge(SqlMessageStorage.layerStorage({})),
      Layer.provide(SqlRunnerStorage.layerStorage({})),
      Layer.provide(ShardingConfig.layer({
        ...ShardingConfig.defaults,
        // the replicas' view of a live runner and of the assignments (DurableEngine's replica timings)
        shardLockExpiration: "15 seconds",
        refreshAssignmentsInterval: "3 seconds",
        runnerAddress: Option.none(),
        shardsPerGroup: options.shardsPerGroup ?? ShardingConfig.defaults.shardsPerGroup
      }))
    )
  return ClusterWorkflowEngine.layer.pipe(
    Layer.provideMerge(client),
    Layer.provide(Layer.effectDiscard(liveReplicas)),
    Layer.provide([PgClient.layer(options.postgres), Digest.layerWebCrypto])
  )
}

/**
 * The client's settings from the environment: the database as `DurableEngine.postgresConfig` reads it
 * (`DATABASE_URL` or `PGHOST`, `PGPORT`, `PGDATABASE`, `PGUSER`, `PGPASSWORD`; the URL and the password as
 * `Redacted`), and `SHARDS_PER_GROUP` (the replicas' number, default 300).
 *
 * @example
 * ```ts
 * import { ConfigProvider } from "effect"
 * import { ClusterClient } from "effect-make/workflows/durable"
 *
 * const options = ClusterClient.clientConfig.parse(ConfigProvider.fromEnv({ env: { PGHOST: "db.internal" } }))
 * ```
 *
 * @since 1.0.0
 * @category config
 */
export const clientConfig: Config.Config<ClientOptions> = Config.all([
  DurableEngine.postgresConfig,
  Config.option(Config.schema(Schema.Int.check(Schema.isGreaterThan(0)), "SHARDS_PER_GROUP"))
]).pipe(Config.map(([postgres, shards]): ClientOptions => ({
  postgres,
  shardsPerGroup: Option.getOrUndefined(shards)
})))

/**
 * The client of the replicas, configured from the environment (see {@link clientConfig}).
 *
 * @example
 * ```ts
 * import { ClusterClient } from "effect-make/workflows/durable"
 *
 * // DATABASE_URL=postgres://ops@db.internal/make_workflows node submit.js
 * const engine = ClusterClient.layerConfig()
 * ```
 *
 * @since 1.0.0
 * @category layers
 */
export const layerConfig = (
  config: Config.Config<ClientOptions> = clientConfig
): Layer.Layer<WorkflowEngine.WorkflowEngine, SqlError | NoReplicas | Config.ConfigError> =>
  Layer.unwrap(Effect.map(config, layer))
