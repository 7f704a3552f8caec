/**
 * `decommission(organizationId | spec)`: the organization's teams, then the organization (confirmed), each reported,
 * as a durable Workflow.
 *
 * @since 1.0.0
 */
// The workflows: imports `effect` (with `effect/workflow`), services, workflows/.
import { Effect, type Layer, Option, Schema } from "effect"
import { Activity, Workflow, type WorkflowEngine } from "effect/workflow"
import { AdminTeams } from "../AdminTeams.js"
import type * as MakeError from "../MakeError.js"
import { Organizations } from "../Organizations.js"
import { firstIncomplete } from "./internal/generations.js"
import * as Journal from "./internal/journal.js"
import * as Limits from "./internal/limits.js"
import * as Ops from "./internal/operations.js"
import * as Progress from "./Progress.js"
import { DecommissionResult, RolledBack, StepError } from "./ProvisionResult.js"
import * as ProvisionSpec from "./ProvisionSpec.js"

/**
 * A decommissioning run failed for good; `removed` says what was removed before.
 *
 * @since 1.0.0
 * @category errors
 */
export class DecommissionFailed extends Schema.TaggedError<DecommissionFailed>()("DecommissionFailed", {
  organizationId: Schema.Number,
  error: StepError,
  removed: Schema.Array(RolledBack)
}) {
  override get message(): string {
    return `Decommissioning organization ${this.organizationId} failed after removing ${this.removed.length} entities: ${this.error.message}`
  }
}

/**
 * The decommissioning workflow, one execution per organization id and generation (see `Provision.ProvisionWorkflow`).
 *
 * @example
 * ```ts
 * import { Decommission } from "effect-make"
 *
 * const result = (executionId: string) => Decommission.DecommissionWorkflow.poll(executionId)
 * ```
 *
 * @since 1.0.0
 * @category workflows
 */
export const DecommissionWorkflow = Workflow.make("effect-make/Decommission", {
  payload: { organizationId: Schema.Number, maxAttempts: Schema.Int, generation: Schema.Int },
  success: DecommissionResult,
  error: DecommissionFailed,
  idempotencyKey: (payload) =>
    `${payload.organizationId}#${payload.maxAttempts}#${payload.generation}#journal-${Journal.version}`
})

type Payload = typeof DecommissionWorkflow.payloadSchema.Type

const TeamsListed = Schema.Array(Schema.Struct({ id: Schema.Number, name: Schema.String }))

const execute = (payload: Payload, executionId: string) =>
  Effect.gen(function*() {
    const progress = yield* Progress.Progress
    const retry = Ops.retryTransient(payload.maxAttempts)
    const organizationId = payload.organizationId
    // held to the organization's licence limit when a run of this process learned it, else to the lowest plan's
    const throttle = Limits.throttle(yield* Limits.OrganizationLimits, "license", organizationId)
    const removed: Array<RolledBack> = []
    const removal = (
      resource: "team" | "organization",
      key: string,
      id: number,
      remove: Effect.Effect<void, StepError, Ops.Services>
    ) =>
      Effect.gen(function*() {
        const outcome = yield* Activity.make({
          name: Journal.activityName("remove", { resource, id }),
          success: RolledBack,
          error: StepError,
          execute: throttle(retry(remove)).pipe(
            Effect.as<RolledBack>({ resource, key, id, outcome: "deleted" }),
            Effect.catchTag("NotFound", () => Effect.succeed<RolledBack>({ resource, key, id, outcome: "gone" }))
          )
        })
        removed.push(outcome)
        yield* progress.publish({ _tag: "Compensated", executionId, rolledBack: outcome })
      })
    return yield* Effect.gen(function*() {
      const teams = yield* Activity.make({
        name: Journal.activityName("teamsList"),
        success: TeamsListed,
        error: StepError,
        execute: throttle(retry(
          Effect.map(Ops.liveTeams(organizationId), (all) => all.map((team) => ({ id: team.id, name: team.name })))
        )).pipe(
          // an organization that is already gone has no teams left to remove
          Effect.catchTag("NotFound", () => Effect.succeed([]))
        )
      })
      yield* progress.publish({ _tag: "StepStarted", executionId, step: "rollback", total: teams.length + 1 })
      for (const team of teams) {
        yield* removal("team", team.name, team.id, Effect.flatMap(AdminTeams, (admin) => admin.delete(team.id)))
      }
      yield* removal(
        "organization",
        String(organizationId),
        organizationId,
        Effect.flatMap(Organizations, (orgs) => orgs.delete(organizationId, { confirmed: true }))
      )
      yield* progress.publish({ _tag: "Finished", executionId, outcome: "succeeded" })
      return { organizationId, removed }
    }).pipe(
      Effect.catch((error) =>
        Effect.andThen(
          progress.publish({ _tag: "Finished", executionId, outcome: "failed" }),
          Effect.fail(new DecommissionFailed({ organizationId, error, removed }))
        )
      )
    )
  })

/**
 * Registers the decommissioning workflow with the engine in context.
 *
 * @example
 * ```ts
 * import { Decommission } from "effect-make"
 *
 * // usually through `Workflows.layer`, which provides its progress and rate-limit windows
 * const registered = Decommission.layer
 * ```
 *
 * @since 1.0.0
 * @category layers
 */
export const layer: Layer.Layer<
  never,
  never,
  WorkflowEngine.WorkflowEngine | Ops.Services | Progress.Progress | Limits.OrganizationLimits
> = DecommissionWorkflow.toLayer(execute)

/**
 * Removes an organization: its teams one by one, then the organization with `confirmed: true`, each reported (and
 * published as a `Compensated` progress event). Given a spec, the organization is the one the spec means (found as
 * `provision` finds it); when there is none, nothing is removed and the result says so with `organizationId: 0`.
 * Given an id, the organization must exist when a run starts: an id that names none fails with `NotFound`, and
 * nothing is sent but that read. Within a run, a team or the organization already gone (a retried or resumed
 * removal) is reported `gone`. Running it again after it completed starts a new run.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Decommission } from "effect-make"
 *
 * const program = Effect.gen(function*() {
 *   const result = yield* Decommission.decommission(1234)
 *   return result.removed.map((r) => `${r.resource} ${r.key}: ${r.outcome}`)
 * })
 * ```
 *
 * @since 1.0.0
 * @category workflows
 */
export const decommission = (
  target: number | ProvisionSpec.ProvisionSpec,
  options?: { readonly maxAttempts?: number | undefined }
): Effect.Effect<
  DecommissionResult,
  DecommissionFailed | MakeError.InvalidInput | StepError,
  WorkflowEngine.WorkflowEngine | Organizations
> =>
  Effect.gen(function*() {
    const maxAttempts = options?.maxAttempts ?? 6
    let organizationId: number
    if (typeof target === "number") {
      organizationId = target
    } else {
      const spec = yield* ProvisionSpec.validate(target)
      const found = yield* Ops.retryTransient(maxAttempts)(Ops.findOrganization(spec.organization))
      if (Option.isNone(found)) return { organizationId: 0, removed: [] }
      organizationId = found.value.id
    }
    const payload = (generation: number) => ({ organizationId, maxAttempts, generation })
    const poll = (generation: number) =>
      Effect.flatMap(DecommissionWorkflow.executionId(payload(generation)), (executionId) =>
        DecommissionWorkflow.poll(executionId))
    const generation = yield* firstIncomplete((g) =>
      Effect.map(poll(g), (result) =>
        Option.isSome(result) && result.value._tag === "Complete")
    )
    // An id that names no organization is `NotFound`, as reading it is: asked before a new run starts (inside a run,
    // "already gone" is how a retried or resumed removal succeeds, so the run cannot tell). A run under way is not
    // asked: it may have removed the organization already, before the process stopped.
    if (typeof target === "number" && Option.isNone(yield* poll(generation))) {
      yield* Ops.retryTransient(maxAttempts)(
        Effect.flatMap(Organizations, (orgs) => orgs.get(organizationId, { wait: true }))
      )
    }
    return yield* DecommissionWorkflow.execute(payload(generation))
  }).pipe(Effect.withSpan("effect-make/decommission"))
