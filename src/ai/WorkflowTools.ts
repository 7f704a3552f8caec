/**
 * The provisioning workflows as agent tools: `plan` (reads only), `provision` and `decommission` (destructive: refused
 * with `NotConfirmed`, before anything is read or sent, unless confirmed). Each takes a provisioning spec (the
 * `ProvisionSpec` schema, as JSON) or, for `decommission`, an organization id.
 *
 * The session rule: `provision` runs a spec the same session planned first (the same spec, whatever its key order),
 * or one called with `confirmed: true`; `decommission` always needs `confirmed: true`. Over MCP a session is the
 * client's MCP session (one stdio process; one `Mcp-Session-Id` over HTTP); a request of a sessionless MCP revision
 * has none, so its `provision` needs `confirmed: true`. Outside MCP (a `LanguageModel` calling the toolkit) the
 * session is one build of {@link layer}.
 *
 * @since 1.0.0
 */
// Floor "the agent tools": imports the workflows, the services, the client floor, ai/ and `effect`.
import { Context, Effect, type Layer, Schema } from "effect"
import { McpSchema, Tool, Toolkit } from "effect/ai"
import { HttpServerRequest } from "effect/http"
import type { WorkflowEngine } from "effect/workflow"
import { Id } from "../domain/Common.js"
import * as MakeError from "../MakeError.js"
import * as Decommission from "../workflows/Decommission.js"
import * as Plan from "../workflows/Plan.js"
import * as Provision from "../workflows/Provision.js"
import {
  DecommissionResult,
  Plan as PlanSchema,
  ProvisionFailed,
  ProvisionResult,
  StepError
} from "../workflows/ProvisionResult.js"
import { canonicalJson, ProvisionSpec } from "../workflows/ProvisionSpec.js"
import type * as Workflows from "../workflows/Workflows.js"
import * as ToolFailure from "./ToolFailure.js"

/**
 * What a workflow tool can fail with: a step's error (any `MakeError`, a `Conflict`), or a run that failed for good.
 *
 * @since 1.0.0
 * @category models
 */
export const WorkflowFailure = Schema.Union([StepError, ProvisionFailed, Decommission.DecommissionFailed])

/**
 * The type of {@link WorkflowFailure}.
 *
 * @since 1.0.0
 * @category models
 */
export type WorkflowFailure = typeof WorkflowFailure.Type

/** A workflow tool's failure, whose JSON form carries the error's tag, message and fields. */
const Failure = ToolFailure.reported(WorkflowFailure)

const Confirmed = Schema.optionalKey(Schema.Boolean).annotate({
  description: "Must be true for this destructive run to go ahead; without it nothing is read or sent."
})

const Spec = ProvisionSpec.annotate({
  description: "The provisioning spec: the organization, its teams, variables, invitations and feature controls."
})

/** The hints of a workflow tool; planning twice answers the same plan, applying a spec twice converges on it. */
const hints = (title: string, destructive: boolean) =>
  Context.make(Tool.Title, title).pipe(
    Context.add(Tool.Readonly, !destructive),
    Context.add(Tool.Destructive, destructive),
    Context.add(Tool.Idempotent, true),
    Context.add(Tool.OpenWorld, false)
  )

/**
 * `plan`: what provisioning the spec would change, without changing anything.
 *
 * @since 1.0.0
 * @category tools
 */
export const PlanTool = Tool.make("plan", {
  description: "What provisioning the spec would create, update or keep, read from Make without changing anything.",
  parameters: Schema.Struct({ spec: Spec }),
  success: PlanSchema,
  failure: Failure,
  failureMode: "return"
}).annotateMerge(hints("Plan a provisioning spec", false))

/**
 * `provision`: creates or adopts the spec's organization and brings its teams, variables, invitations and feature
 * controls to the spec.
 *
 * @since 1.0.0
 * @category tools
 */
export const ProvisionTool = Tool.make("provision", {
  description: "Create or adopt the spec's organization and bring its teams, variables, invitations and feature " +
    "controls to the spec; undone step by step if a step fails for good. Destructive: refused with NotConfirmed " +
    "unless this session planned the same spec first (the plan tool) or the call says confirmed: true.",
  parameters: Schema.Struct({ spec: Spec, confirmed: Confirmed }),
  success: ProvisionResult,
  failure: Failure,
  failureMode: "return"
}).annotateMerge(hints("Provision a spec", true))

/**
 * `decommission`: removes an organization (by id, or the spec's) with its teams.
 *
 * @since 1.0.0
 * @category tools
 */
export const DecommissionTool = Tool.make("decommission", {
  description: "Remove an organization and its teams, given its organizationId or the spec that provisioned it " +
    "(exactly one). Destructive: refused with NotConfirmed unless called with confirmed: true.",
  parameters: Schema.Struct({
    organizationId: Schema.optionalKey(Id),
    spec: Schema.optionalKey(Spec),
    confirmed: Confirmed
  }),
  success: DecommissionResult,
  failure: Failure,
  failureMode: "return"
}).annotateMerge(hints("Decommission an organization", true))

/**
 * The three workflow tools.
 *
 * @example
 * ```ts
 * import { WorkflowTools } from "effect-make/ai"
 *
 * Object.keys(WorkflowTools.toolkit.tools) // ["plan", "provision", "decommission"]
 * ```
 *
 * @since 1.0.0
 * @category toolkits
 */
export const toolkit = Toolkit.make(PlanTool, ProvisionTool, DecommissionTool)

/** What the handlers run over: the workflow engine and every service. */
type Needs = WorkflowEngine.WorkflowEngine | Workflows.Services

const notConfirmed = (tool: string, detail: string): MakeError.NotConfirmed =>
  new MakeError.NotConfirmed({ status: 0, detail: `${tool} is destructive (${detail}); nothing was read or sent` })

/**
 * The session a call belongs to, read when the call runs (where the MCP server provides its request's services):
 * outside MCP, this build of the layer (`"local"`); over HTTP, the `Mcp-Session-Id` (each POST is its own client to
 * the server); over stdio, the client; none for a request without a session (a sessionless MCP revision).
 */
const sessionOf: Effect.Effect<string | undefined> = Effect.gen(function*() {
  if ((yield* Effect.serviceOption(McpSchema.McpRequestContext))._tag === "None") return "local"
  const http = yield* Effect.serviceOption(HttpServerRequest.HttpServerRequest)
  if (http._tag === "Some") {
    const id = http.value.headers["mcp-session-id"]
    return id === undefined ? undefined : `http ${id}`
  }
  const client = yield* Effect.serviceOption(McpSchema.McpServerClient)
  return client._tag === "Some" ? `client ${client.value.clientId}` : undefined
})

/**
 * The handlers, over the workflow engine and the services (e.g. `Workflows.layerMemory` over `NodeMakeApi` or
 * `MakeTest`). The layer remembers, per session (see the module's overview), the specs `plan` planned, which
 * `provision` then runs without `confirmed`.
 *
 * @example
 * ```ts
 * import { Layer } from "effect"
 * import { Workflows } from "effect-make"
 * import { WorkflowTools } from "effect-make/ai"
 * import { MakeTest } from "effect-make/testing"
 *
 * const handlers = WorkflowTools.layer.pipe(
 *   Layer.provideMerge(Workflows.layerMemory),
 *   Layer.provideMerge(MakeTest.layer())
 * )
 * ```
 *
 * @since 1.0.0
 * @category layers
 */
export const layer: Layer.Layer<Tool.HandlersFor<typeof toolkit.tools>, never, Needs> = toolkit.toLayer(
  Effect.map(Effect.context<Needs>(), (context) => {
    const run = <A, E>(effect: Effect.Effect<A, E, Needs>) => Effect.provideContext(effect, context)
    // the specs each session planned, each as its canonical text (the same spec whatever its key order)
    const planned = new Map<string, Set<string>>()
    const remember = (spec: ProvisionSpec) =>
      Effect.map(sessionOf, (session) => {
        if (session === undefined) return
        const specs = planned.get(session) ?? new Set<string>()
        planned.set(session, specs.add(canonicalJson(spec)))
      })
    const wasPlanned = (spec: ProvisionSpec) =>
      Effect.map(
        sessionOf,
        (session) => session !== undefined && planned.get(session)?.has(canonicalJson(spec)) === true
      )
    return toolkit.of({
      plan: ({ spec }) => run(Plan.plan(spec)).pipe(Effect.tap(() => remember(spec))),
      provision: ({ confirmed, spec }) =>
        Effect.flatMap(
          wasPlanned(spec),
          (known): Effect.Effect<ProvisionResult, WorkflowFailure> =>
            confirmed === true || known
              ? run(Provision.provision(spec))
              : Effect.fail(notConfirmed("provision", `provisions ${spec.organization.name}, not planned first`))
        ),
      decommission: ({ confirmed, organizationId, spec }) => {
        const target = organizationId ?? spec
        if (target === undefined || (organizationId !== undefined && spec !== undefined)) {
          return Effect.fail(
            new MakeError.InvalidInput({
              operation: "decommission",
              issues: ["give exactly one of organizationId and spec"]
            })
          )
        }
        return confirmed === true
          ? run(Decommission.decommission(target))
          : Effect.fail(notConfirmed("decommission", "removes an organization and its teams"))
      }
    })
  })
)
