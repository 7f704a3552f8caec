/**
 * The workflows as layers: both registered with an engine, progress events, what earlier runs sent (for `plan`), and
 * the embedded in-memory engine.
 *
 * @since 1.0.0
 */
// The workflows: imports `effect` (with `effect/workflow`), workflows/. The durable engine (PostgreSQL) is
// workflows/DurableEngine.ts, behind the `effect-make/workflows/durable` entry.
import { Effect, Layer } from "effect"
import { WorkflowEngine } from "effect/workflow"
import * as Decommission from "./Decommission.js"
import * as Limits from "./internal/limits.js"
import type * as Ops from "./internal/operations.js"
import { PreviousInvitations } from "./internal/prepare.js"
import * as Progress from "./Progress.js"
import * as Provision from "./Provision.js"

/**
 * The services the workflows call.
 *
 * @since 1.0.0
 * @category models
 */
export type Services = Ops.Services

/** `plan` asks the engine what earlier runs of a spec sent, through this service (see `internal/prepare.ts`). */
const previousInvitations: Layer.Layer<PreviousInvitations, never, WorkflowEngine.WorkflowEngine> = Layer.effect(
  PreviousInvitations,
  Effect.map(
    Effect.context<WorkflowEngine.WorkflowEngine>(),
    (context) => (prepared) => Effect.provideContext(Provision.previousInvitations(prepared), context)
  )
)

/**
 * {@link layer} with the rate-limit windows its runs share taken from `limits`: `ClusterLimits.layerSql()`
 * (`effect-make/workflows/durable`) holds each organization to its limit across every replica of a cluster, where
 * {@link layer}'s windows are this process's (three replicas on one organization of 60 a minute could send it up to 180 a minute).
 *
 * @example
 * ```ts
 * import { Layer } from "effect"
 * import { TestRunner } from "effect/cluster"
 * import { WorkflowEngine } from "effect/workflow"
 * import { Workflows } from "effect-make"
 * import { ClusterLimits } from "effect-make/workflows/durable"
 *
 * const replica = Workflows.layerWith({
 *   limits: ClusterLimits.layer().pipe(Layer.provide(ClusterLimits.slotsMemory))
 * }).pipe(
 *   Layer.provideMerge(WorkflowEngine.layerMemory),
 *   Layer.provide(TestRunner.layer)
 * )
 * ```
 *
 * @since 1.0.0
 * @category layers
 */
export const layerWith = <E, R>(options: {
  readonly limits: Layer.Layer<Limits.OrganizationLimits, E, R>
}): Layer.Layer<Progress.Progress | PreviousInvitations, E, WorkflowEngine.WorkflowEngine | Services | R> =>
  Layer.mergeAll(Provision.layer, Decommission.layer).pipe(
    Layer.provideMerge(Progress.layer),
    Layer.provide(options.limits),
    Layer.merge(previousInvitations)
  )

/**
 * `provision` and `decommission` registered with the engine in context, the {@link Progress.Progress} their runs
 * publish to, and what `Plan.plan` asks about earlier runs. Their runs share one set of rate-limit windows in this
 * process (per organization, see `RunOptions.rateLimit`; {@link layerWith} takes a cluster's). Give it an engine:
 * {@link layerMemory} embeds one; `DurableEngine.layer` (`effect-make/workflows/durable`) keeps the runs in
 * PostgreSQL.
 *
 * @example
 * ```ts
 * import { Layer } from "effect"
 * import { WorkflowEngine } from "effect/workflow"
 * import { Workflows } from "effect-make"
 *
 * const onMemory = Workflows.layer.pipe(Layer.provideMerge(WorkflowEngine.layerMemory))
 * ```
 *
 * @since 1.0.0
 * @category layers
 */
export const layer: Layer.Layer<
  Progress.Progress | PreviousInvitations,
  never,
  WorkflowEngine.WorkflowEngine | Services
> = layerWith({ limits: Limits.layer })

/**
 * The workflows on the in-memory engine (`WorkflowEngine.layerMemory`): nothing to start, runs live as long as the
 * layer. A run that dies with the process is not resumed.
 *
 * @example
 * ```ts
 * import { Effect, Layer } from "effect"
 * import { Provision, type ProvisionSpec, Workflows } from "effect-make"
 * import { NodeMakeApi } from "effect-make/node"
 *
 * const live = Workflows.layerMemory.pipe(Layer.provide(NodeMakeApi.layerConfig()))
 * const program = (spec: ProvisionSpec.ProvisionSpec) => Provision.provision(spec).pipe(Effect.provide(live))
 * ```
 *
 * @since 1.0.0
 * @category layers
 */
export const layerMemory: Layer.Layer<
  Progress.Progress | PreviousInvitations | WorkflowEngine.WorkflowEngine,
  never,
  Services
> = layer.pipe(Layer.provideMerge(WorkflowEngine.layerMemory))
