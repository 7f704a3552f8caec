/**
 * The workflows as layers: both registered with an engine, progress events, and the embedded in-memory engine.
 *
 * @since 0.1.0
 */
// Floor 5: imports `effect`, `@effect/workflow`, workflows/. The durable engine lives apart, in DurableEngine.ts.
import { WorkflowEngine } from "@effect/workflow"
import { Layer } from "effect"
import * as Decommission from "./Decommission.js"
import * as Limits from "./internal/limits.js"
import type * as Ops from "./internal/operations.js"
import * as Progress from "./Progress.js"
import * as Provision from "./Provision.js"

/**
 * The services the workflows call.
 *
 * @since 0.1.0
 * @category models
 */
export type Services = Ops.Services

/**
 * `provision` and `decommission` registered with the engine in context, and the {@link Progress.Progress} their runs
 * publish to. Their runs share one set of rate-limit windows (per organization, see `RunOptions.rateLimit`). Give it an engine: {@link layerMemory} embeds one, `DurableEngine.layer` keeps runs in PostgreSQL.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<Progress.Progress, never, WorkflowEngine.WorkflowEngine | Services> = Layer.mergeAll(
  Provision.layer,
  Decommission.layer
).pipe(Layer.provideMerge(Progress.layer), Layer.provide(Limits.layer))

/**
 * The workflows on the in-memory engine (`WorkflowEngine.layerMemory`): nothing to start, runs live as long as the
 * layer. A run that dies with the process is not resumed; use `DurableEngine` for that.
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
 * @since 0.1.0
 * @category layers
 */
export const layerMemory: Layer.Layer<Progress.Progress | WorkflowEngine.WorkflowEngine, never, Services> = layer.pipe(
  Layer.provideMerge(WorkflowEngine.layerMemory)
)
