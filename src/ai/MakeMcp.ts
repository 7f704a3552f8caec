/**
 * The Make tools as an MCP server's registrations: which of the 33 tools (30 endpoints, `plan`, `provision`,
 * `decommission`) a server offers (`--read-only`, `--allow`, `--deny`), the catalogue a host or a doc lists, and the
 * instructions that tell the model what it is talking to. The transport (stdio, HTTP) is the caller's: the
 * `effect-make mcp` command chooses one.
 *
 * @since 1.0.0
 */
// Floor "the agent tools": imports ai/, the workflows, the services, the client floor and `effect`.
import { Context, Effect, Layer } from "effect"
import { McpServer, Tool, Toolkit } from "effect/ai"
import type { WorkflowEngine } from "effect/workflow"
import type { MakeClient } from "../MakeClient.js"
import * as MakeError from "../MakeError.js"
import type * as Workflows from "../workflows/Workflows.js"
import * as MakeToolkit from "./MakeToolkit.js"
import * as MakeTools from "./MakeTools.js"
import * as WorkflowTools from "./WorkflowTools.js"

// ---------------------------------------------------------------------------
// The catalogue
// ---------------------------------------------------------------------------

/**
 * Any tool a Make MCP server can offer: an endpoint's or a workflow's.
 *
 * @since 1.0.0
 * @category models
 */
export type MakeTool =
  | MakeTools.EndpointTool
  | (typeof WorkflowTools.toolkit.tools)[keyof typeof WorkflowTools.toolkit.tools]

/**
 * One tool as a host lists it: its name, title, hints, and what a call does (the endpoint's route, or the workflow).
 *
 * @since 1.0.0
 * @category models
 */
export interface Entry {
  readonly tool: MakeTool
  readonly name: string
  readonly title: string
  readonly readOnly: boolean
  readonly destructive: boolean
  readonly idempotent: boolean
  /** `GET /organizations`, or the workflow run (`Plan.plan`, `Provision.provision`, `Decommission.decommission`). */
  readonly calls: string
}

const entryOf = (tool: MakeTool, calls: string): Entry => ({
  tool,
  name: tool.name,
  title: Context.getOrElse(tool.annotations, Tool.Title, () => tool.name),
  readOnly: Context.get(tool.annotations, Tool.Readonly),
  destructive: Context.get(tool.annotations, Tool.Destructive),
  idempotent: Context.get(tool.annotations, Tool.Idempotent),
  calls
})

/**
 * Every tool, endpoints first (in the order of the services' tables), then `plan`, `provision`, `decommission`.
 *
 * @example
 * ```ts
 * import { MakeMcp } from "effect-make/ai"
 *
 * MakeMcp.catalogue.filter((entry) => entry.destructive).map((entry) => entry.name)
 * // ["organizations_delete", ..., "provision", "decommission"]
 * ```
 *
 * @since 1.0.0
 * @category catalogue
 */
export const catalogue: ReadonlyArray<Entry> = [
  ...MakeTools.derived.map((d) => entryOf(d.tool, d.facts.route)),
  entryOf(WorkflowTools.PlanTool, "Plan.plan"),
  entryOf(WorkflowTools.ProvisionTool, "Provision.provision"),
  entryOf(WorkflowTools.DecommissionTool, "Decommission.decommission")
]

// ---------------------------------------------------------------------------
// Selection
// ---------------------------------------------------------------------------

/**
 * Which tools a server offers: the read-only ones alone, then only the `allow`ed ones (when given), never the
 * `deny`ed ones. A name that is no tool's is refused: a typo must not widen or narrow a server silently.
 *
 * @since 1.0.0
 * @category selection
 */
export interface Selection {
  readonly readOnly?: boolean | undefined
  readonly allow?: ReadonlyArray<string> | undefined
  readonly deny?: ReadonlyArray<string> | undefined
}

const unknownNames = (names: ReadonlyArray<string>): ReadonlyArray<string> =>
  names.filter((name) => !catalogue.some((entry) => entry.name === name))

/**
 * The entries a selection keeps, or `InvalidInput` naming every unknown tool.
 *
 * @example
 * ```ts
 * import { MakeMcp } from "effect-make/ai"
 *
 * const reads = MakeMcp.select({ readOnly: true, deny: ["billing_list_invoices"] })
 * ```
 *
 * @since 1.0.0
 * @category selection
 */
export const select = (selection: Selection): Effect.Effect<ReadonlyArray<Entry>, MakeError.InvalidInput> => {
  const allow = selection.allow ?? []
  const deny = selection.deny ?? []
  const unknown = unknownNames([...allow, ...deny])
  if (unknown.length > 0) {
    return Effect.fail(
      new MakeError.InvalidInput({
        operation: "MakeMcp.select",
        issues: unknown.map((name) => `${name}: no such tool (known: ${catalogue.map((e) => e.name).join(", ")})`)
      })
    )
  }
  return Effect.succeed(catalogue.filter((entry) =>
    (selection.readOnly !== true || entry.readOnly) &&
    (allow.length === 0 || allow.includes(entry.name)) &&
    !deny.includes(entry.name)
  ))
}

// ---------------------------------------------------------------------------
// Instructions
// ---------------------------------------------------------------------------

/**
 * What the server's tools reach: Make at an API base URL, or the embedded emulator.
 *
 * @since 1.0.0
 * @category instructions
 */
export type Target =
  | { readonly _tag: "Make"; readonly baseUrl: string }
  | { readonly _tag: "Emulator" }

/**
 * The server's instructions to the model: what the tools reach (never the token) and the safety rules.
 *
 * @example
 * ```ts
 * import { MakeMcp } from "effect-make/ai"
 *
 * MakeMcp.instructions({ _tag: "Emulator" })
 * ```
 *
 * @since 1.0.0
 * @category instructions
 */
export const instructions = (target: Target): string =>
  [
    target._tag === "Emulator"
      ? "No Make API token was given: these tools answer from an embedded Make emulator, in memory, seeded with " +
        "example organizations. Nothing reaches Make and everything is forgotten when the server stops."
      : `These tools call the Make API at ${target.baseUrl} with the token the server was started with.`,
    "Each endpoint tool calls one endpoint of Make's Organizations or White Label Admin Teams API. " +
    "A destructive tool (a delete, a cancellation, the free plan, a coupon) is refused with NotConfirmed, before " +
    "anything is sent, unless called with confirmed: true: ask the user first.",
    "To provision a spec, call plan with it, show the user the plan, then call provision with the same spec; " +
    "provision of a spec this session did not plan needs confirmed: true. decommission always needs confirmed: true.",
    "A failure is a tool error whose text names the error (NotFound, InvalidInput, RateLimited, ...) and its message."
  ].join("\n\n")

// ---------------------------------------------------------------------------
// Registrations
// ---------------------------------------------------------------------------

/**
 * What the registrations run over: the client (endpoint tools), the workflow engine and every service (workflows).
 *
 * @since 1.0.0
 * @category registrations
 */
export type Needs = MakeClient | WorkflowEngine.WorkflowEngine | Workflows.Services

/**
 * Registers the selected tools with an `McpServer`, with their handlers: the endpoint tools over the client, the
 * workflow tools over the engine (their `plan` remembered per MCP session). Fails with `InvalidInput` for an unknown
 * name in the selection.
 *
 * @example
 * ```ts
 * import { Layer } from "effect"
 * import { McpProtocol, McpServer } from "effect/ai"
 * import { Workflows } from "effect-make"
 * import { MakeMcp } from "effect-make/ai"
 * import { MakeTest } from "effect-make/testing"
 *
 * const server = McpServer.layerStdio({
 *   name: "make",
 *   version: "1.0.0",
 *   protocols: [McpProtocol.v2025_11_25],
 *   registrations: MakeMcp.registrations({ readOnly: true })
 * }).pipe(Layer.provide(Workflows.layerMemory), Layer.provide(MakeTest.layer()))
 * ```
 *
 * @since 1.0.0
 * @category registrations
 */
export const registrations = (
  selection: Selection
): Layer.Layer<never, MakeError.InvalidInput, McpServer.McpServer | Needs> =>
  Layer.effectDiscard(Effect.gen(function*() {
    const selected = yield* select(selection)
    yield* McpServer.registerToolkit(Toolkit.make(...selected.map((entry) => entry.tool)))
  })).pipe(
    // handlers for every tool, whatever the selection: a handler without its tool is never called
    Layer.provide(Layer.merge(MakeToolkit.layer, WorkflowTools.layer))
  )
