/**
 * The provisioning workflows as agent tools: `plan` (reads only), `provision` and `decommission` (destructive: refused
 * with `NotConfirmed`, before anything is read or sent, unless confirmed). Each takes a provisioning spec (the
 * `ProvisionSpec` schema, as JSON) or, for `decommission`, an organization id.
 *
 * The session rule: `provision` runs a spec the same session planned first (the same spec, whatever its key order),
 * or one called with `confirmed: true`; `decommission` always needs `confirmed: true`. A session is one build of
 * {@link layer}: a server gives each client session its own (over stdio, one process is one session).
 *
 * @since 1.0.0
 */
// Floor "the agent tools": imports the workflows, the services, the client floor, ai/ and `effect`.
import { Context, Effect, type Layer, Schema } from "effect"
import { Tool, Toolkit } from "effect/ai"
import type { WorkflowEngine } from "effect/workflow"
import { Id } from "../domain/Common.js"
import * as MakeError from "../MakeError.js"
import * as Decommission from "../workflows/Decommission.js"
import * as Plan from "../workflows/Plan.js"
import * as Provision from "../workflows/Provision.js"
import { ProvisionFailed, StepError } from "../workflows/ProvisionResult.js"
import { canonicalJson, ProvisionSpec } from "../workflows/ProvisionSpec.js"
import type * as Workflows from "../workflows/Workflows.js"
import * as MakeTools from "./MakeTools.js"

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
  success: Schema.Json,
  failure: WorkflowFailure,
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
  success: Schema.Json,
  failure: WorkflowFailure,
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
  success: Schema.Json,
  failure: WorkflowFailure,
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
 * The handlers, over the workflow engine and the services (e.g. `Workflows.layerMemory` over `NodeMakeApi` or
 * `MakeTest`). Each build of the layer is one session: it remembers the specs its `plan` planned, which its
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
    const run = <A, E>(effect: Effect.Effect<A, E, Needs>) =>
      effect.pipe(Effect.map(MakeTools.toJson), Effect.provideContext(context))
    // the specs this session planned, each as its canonical text (the same spec whatever its key order)
    const planned = new Set<string>()
    return toolkit.of({
      plan: ({ spec }) =>
        run(Plan.plan(spec)).pipe(Effect.tap(() => Effect.sync(() => planned.add(canonicalJson(spec))))),
      provision: ({ confirmed, spec }) =>
        confirmed === true || planned.has(canonicalJson(spec))
          ? run(Provision.provision(spec))
          : Effect.fail(notConfirmed("provision", `provisions ${spec.organization.name}, not planned first`)),
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
