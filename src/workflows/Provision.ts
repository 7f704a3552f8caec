/**
 * `provision(spec)`: the organization with its teams, variables, invitations and feature controls, as a durable
 * Workflow whose every call to Make is an Activity.
 *
 * @since 1.0.0
 */
// The workflows: imports `effect` (with `effect/workflow`), services, workflows/.
import { Cause, Effect, type Layer, Option, Ref, Schema } from "effect"
import { Activity, Workflow, type WorkflowEngine } from "effect/workflow"
import type * as MakeError from "../MakeError.js"
import { firstIncomplete } from "./internal/generations.js"
import * as Journal from "./internal/journal.js"
import * as Limits from "./internal/limits.js"
import type * as Ops from "./internal/operations.js"
import { Invited, prepare, type Prepared } from "./internal/prepare.js"
import { type Made, rollback, type Run } from "./internal/run.js"
import { featureControlsStep, invitationsStep, organizationStep, teamsStep, variablesStep } from "./internal/steps.js"
import * as Progress from "./Progress.js"
import type { Options } from "./ProvisionOptions.js"
import { RunOptions } from "./ProvisionOptions.js"
import { type Entry, ProvisionFailed, ProvisionResult } from "./ProvisionResult.js"
import * as ProvisionSpec from "./ProvisionSpec.js"

// ---------------------------------------------------------------------------
// The workflow
// ---------------------------------------------------------------------------

/**
 * The provisioning workflow. Its execution id is derived from the spec and the options (their canonical JSON), the
 * journal's version and a generation: {@link provision} starts generation 1, resumes a generation that has not
 * completed, and moves to the next one when the last has completed, so that a re-run reads Make afresh and converges.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Provision } from "effect-make"
 *
 * // what a run of this execution id answered, if it completed
 * const result = (executionId: string) => Provision.ProvisionWorkflow.poll(executionId)
 * ```
 *
 * @since 1.0.0
 * @category workflows
 */
export const ProvisionWorkflow = Workflow.make("effect-make/Provision", {
  payload: {
    spec: ProvisionSpec.ProvisionSpec,
    options: RunOptions,
    /** The canonical JSON of the encoded spec and options. */
    specKey: Schema.String,
    generation: Schema.Int,
    /** Invitations earlier generations of this spec sent: Make cannot list pending invitations. */
    alreadyInvited: Schema.Array(Invited)
  },
  success: ProvisionResult,
  error: ProvisionFailed,
  // the journal's version in the id: a run journaled under other activity names is never replayed by this code
  idempotencyKey: (payload) => `${payload.specKey}#${payload.generation}#journal-${Journal.version}`
})

type Payload = typeof ProvisionWorkflow.payloadSchema.Type

/**
 * The workflow's body. Every call to Make is an Activity, so a run resumed after a crash replays what completed from
 * the journal and sends only what did not.
 */
const execute = (payload: Payload, executionId: string) =>
  Effect.gen(function*() {
    const progress = yield* Progress.Progress
    // Whether this execution of the body is the first: an activity's effect runs only when the journal holds no
    // result for it. A body run again (the process died, another took over) looks every entity up before creating it,
    // in case the previous process's create was in flight.
    const firstRun = yield* Ref.make(false)
    yield* Activity.make({ name: Journal.activityName("begin"), execute: Ref.set(firstRun, true) })
    const run: Run = {
      executionId,
      spec: payload.spec,
      options: payload.options,
      lookupFirst: !(yield* Ref.get(firstRun)),
      publish: progress.publish,
      made: yield* Ref.make<ReadonlyArray<Made>>([]),
      applied: yield* Ref.make<ReadonlyArray<Entry>>([]),
      organizationId: yield* Ref.make(0),
      limits: yield* Limits.OrganizationLimits
    }
    const steps = Effect.gen(function*() {
      const organization = yield* organizationStep(run)
      const teams = yield* teamsStep(run, organization.id, organization.createdTeams)
      const variables = yield* variablesStep(run, organization.id, organization.customVariables)
      const invitations = yield* invitationsStep(run, organization.id, teams, payload.alreadyInvited)
      const featureControls = yield* featureControlsStep(run, organization.id)
      return {
        executionId,
        organization: { ...organization.entry, id: organization.id },
        teams: teams.flatMap((team) => typeof team.id === "number" ? [{ ...team, id: team.id }] : []),
        variables,
        invitations,
        featureControls
      }
    })
    return yield* steps.pipe(
      Effect.tap(() => run.publish({ _tag: "Finished", executionId, outcome: "succeeded" })),
      Effect.catch((failed) =>
        Effect.gen(function*() {
          const rolledBack = payload.options.onFailure === "rollback" ? yield* rollback(run) : []
          const removed = new Set(rolledBack.filter((r) => r.outcome !== "failed").map((r) => `${r.resource}/${r.key}`))
          const applied = (yield* Ref.get(run.applied)).filter((entry) =>
            entry.status !== "kept" && entry.status !== "skipped" && !removed.has(`${entry.resource}/${entry.key}`)
          )
          const organizationId = yield* Ref.get(run.organizationId)
          yield* run.publish({ _tag: "Finished", executionId, outcome: "failed" })
          return yield* new ProvisionFailed({
            executionId,
            step: failed.step,
            error: failed.error,
            rolledBack,
            applied,
            ...(organizationId === 0 ? {} : { organizationId })
          })
        })
      )
    )
  })

/**
 * Registers the provisioning workflow with the engine in context; runs need the services and {@link Progress}.
 *
 * @example
 * ```ts
 * import { Provision } from "effect-make"
 *
 * // usually through `Workflows.layer`, which provides its progress and rate-limit windows
 * const registered = Provision.layer
 * ```
 *
 * @since 1.0.0
 * @category layers
 */
export const layer: Layer.Layer<
  never,
  never,
  WorkflowEngine.WorkflowEngine | Ops.Services | Progress.Progress | Limits.OrganizationLimits
> = ProvisionWorkflow.toLayer(execute)

// ---------------------------------------------------------------------------
// Running it
// ---------------------------------------------------------------------------

/**
 * The generation a run of this spec joins: the first one that has not completed (to resume it), or the one after the
 * last completed. Collects the invitations the completed ones sent.
 */
const currentGeneration = (base: Prepared) =>
  Effect.gen(function*() {
    const resultOf = (generation: number) =>
      Effect.flatMap(
        ProvisionWorkflow.executionId({ ...base, generation, alreadyInvited: [] }),
        // a method of the workflow: called on it, never passed unbound
        (executionId) => ProvisionWorkflow.poll(executionId)
      )
    const generation = yield* firstIncomplete((g) =>
      Effect.map(resultOf(g), (result) => Option.isSome(result) && result.value._tag === "Complete")
    )
    // What the completed runs sent, walking back to the last success: its result carries forward (as kept) what
    // the runs before it sent; a failed run lists what it sent in `applied`.
    const invited: Array<typeof Invited.Type> = []
    for (let earlier = generation - 1; earlier >= 1; earlier--) {
      const result = yield* resultOf(earlier)
      if (Option.isNone(result) || result.value._tag !== "Complete") continue
      const exit = result.value.exit
      if (exit._tag === "Success") {
        const value = exit.value
        for (const entry of value.invitations) invited.push({ organizationId: value.organization.id, email: entry.key })
        break
      }
      const failure = Cause.findErrorOption(exit.cause)
      if (Option.isSome(failure) && failure.value.organizationId !== undefined) {
        const organizationId = failure.value.organizationId
        for (const entry of failure.value.applied) {
          if (entry.resource === "invitation") invited.push({ organizationId, email: entry.key })
        }
      }
    }
    return { generation, alreadyInvited: invited }
  })

/**
 * The invitations earlier runs of this spec (and options) sent, by organization id: what Make cannot tell, and what
 * the workflows layer answers `Plan.plan` with (as `PreviousInvitations`).
 *
 * @internal
 */
export const previousInvitations = (
  base: Prepared
): Effect.Effect<ReadonlyArray<typeof Invited.Type>, never, WorkflowEngine.WorkflowEngine> =>
  Effect.map(currentGeneration(base), ({ alreadyInvited }) => alreadyInvited)

/**
 * Makes Make hold what the spec says: finds or creates the organization (by `externalId`, else name), waits for the
 * zone to sync it, then teams, variables, invitations (team names resolved to ids) and feature controls, a few calls
 * at a time. Each call is an Activity of the `ProvisionWorkflow`, whose execution id comes from the spec: running the
 * same spec again while a run is under way joins that run and repeats none of its completed calls; running it after a
 * run completed starts a new run, which reads Make and writes only what differs (nothing, for an applied spec).
 *
 * A create whose answer is lost (5xx, reset, timeout) is never sent twice blindly: the entity is looked up and
 * adopted if it exists. When a step fails for good, what this run created is removed (variables, teams, then the
 * organization with `confirmed: true`) unless `onFailure: "keep"`; entities it found are left alone. The failure is
 * {@link ProvisionFailed}, saying what was rolled back. An invalid spec is `InvalidInput` listing every problem, and
 * nothing is sent.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Provision, ProvisionSpec } from "effect-make"
 *
 * const program = Effect.gen(function*() {
 *   const spec = yield* ProvisionSpec.load("acme.yaml")
 *   const result = yield* Provision.provision(spec, { concurrency: 8 })
 *   for (const team of result.teams) yield* Effect.log(`${team.key}: ${team.id} ${team.status}`)
 * })
 * ```
 *
 * @since 1.0.0
 * @category workflows
 */
export const provision = (
  spec: ProvisionSpec.ProvisionSpec,
  options?: Options
): Effect.Effect<ProvisionResult, ProvisionFailed | MakeError.InvalidInput, WorkflowEngine.WorkflowEngine> =>
  Effect.flatMap(payloadOf(spec, options), (payload) => ProvisionWorkflow.execute(payload)).pipe(
    Effect.withSpan("effect-make/provision")
  )

/**
 * What {@link provision} runs: the spec and options checked, in the generation a run joins (its execution id is
 * `ProvisionWorkflow.executionId` of it). `Fleet.provisionAll` reads it to interrupt the runs it started.
 *
 * @internal
 */
export const payloadOf = (
  spec: ProvisionSpec.ProvisionSpec,
  options?: Options
): Effect.Effect<Payload, MakeError.InvalidInput, WorkflowEngine.WorkflowEngine> =>
  Effect.gen(function*() {
    const base = yield* prepare(spec, options)
    const { alreadyInvited, generation } = yield* currentGeneration(base)
    return { ...base, generation, alreadyInvited }
  })
