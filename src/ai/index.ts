/**
 * effect-make/ai: the Organizations and Admin Teams API as `effect/ai` agent tools, one per endpoint, plus the
 * provisioning workflows (`plan`, `provision`, `decommission`); the toolkits of them with their handlers over the
 * client, and their registrations on an MCP server (what `effect-make mcp` serves).
 *
 * @since 1.0.0
 */
// effect-make/ai, the package's agent-tools entry: re-exports ai/ modules as namespaces.
// Floor "the agent tools": re-exports ai/ modules only.

/**
 * The tools as an MCP server's registrations: the selection (read-only, allow, deny), the catalogue, the
 * instructions.
 *
 * @since 1.0.0
 */
export * as MakeMcp from "./MakeMcp.js"

/**
 * The toolkit and its handlers' layer.
 *
 * @since 1.0.0
 */
export * as MakeToolkit from "./MakeToolkit.js"

/**
 * One tool per endpoint, derived from the services' tables, and its handler.
 *
 * @since 1.0.0
 */
export * as MakeTools from "./MakeTools.js"

/**
 * A tool's failure in JSON form: the error's tag, message and fields.
 *
 * @since 1.0.0
 */
export * as ToolFailure from "./ToolFailure.js"

/**
 * The tools' names, titles, descriptions and hints, read from the contract.
 *
 * @since 1.0.0
 */
export * as ToolNaming from "./ToolNaming.js"

/**
 * The provisioning workflows as tools: `plan`, `provision`, `decommission`.
 *
 * @since 1.0.0
 */
export * as WorkflowTools from "./WorkflowTools.js"
