/**
 * effect-make/workflows/durable: the durable workflow engine on PostgreSQL (@effect/cluster + @effect/sql-pg), kept
 * out of the root entry so that `effect-make` loads no database driver.
 *
 * @since 0.1.0
 */
// Imports the workflow modules only.

/**
 * `ClusterWorkflowEngine` on a `SingleRunner` with `SqlMessageStorage` on PostgreSQL.
 *
 * @since 0.1.0
 */
export * as DurableEngine from "./DurableEngine.js"

/**
 * The workflows' layers, to put over an engine.
 *
 * @since 0.1.0
 */
export * as Workflows from "./Workflows.js"
