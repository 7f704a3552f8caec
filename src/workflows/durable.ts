/**
 * effect-make/workflows/durable: the durable workflow engine on PostgreSQL (`effect/cluster` + @effect/sql-pg), kept
 * out of the main entry so that `effect-make` loads no database driver.
 *
 * @since 1.0.0
 */
// The `effect-make/workflows/durable` entry: imports the workflow modules only.

/**
 * `ClusterWorkflowEngine` with `SqlMessageStorage` on PostgreSQL: on a `SingleRunner` (one process per database), or
 * on socket runners for several replicas of one app on one database (`layerReplica`, `layerReplicaConfig`; with the
 * workflows and one rate limit per organization across the replicas: `layerReplicaWorkflows`,
 * `layerReplicaWorkflowsConfig`).
 *
 * @since 1.0.0
 */
export * as DurableEngine from "./DurableEngine.js"

/**
 * One per-organization rate limit across the replicas of a cluster: an entity per organization holds its sliding
 * minute, its slots kept in PostgreSQL.
 *
 * @since 1.0.0
 */
export * as ClusterLimits from "./ClusterLimits.js"

/**
 * The workflows' layers, to put over an engine.
 *
 * @since 1.0.0
 */
export * as Workflows from "./Workflows.js"

/**
 * A client of the replicas: starts runs that the replicas execute, without being one.
 *
 * @since 1.0.0
 */
export * as ClusterClient from "./ClusterClient.js"
