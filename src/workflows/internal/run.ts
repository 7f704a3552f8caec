// What every step of a provisioning run shares: its context, how an entity's outcome is recorded and published, a
// step's items run to their end, and the rollback. The workflows: imports `effect`, internal/, services, workflows/.
/**
 * @since 1.0.0
 * @internal
 */
import { Effect, Option, Ref, type Schema } from "effect"
import { Activity } from "effect/workflow"
import { AdminTeams } from "../../AdminTeams.js"
import { Organizations } from "../../Organizations.js"
import { OrganizationVariables } from "../../OrganizationVariables.js"
import type * as Progress from "../Progress.js"
import type { RunOptions } from "../ProvisionOptions.js"
import {
  type Entry,
  type RolledBack,
  RolledBack as RolledBackSchema,
  type Status,
  type Step,
  StepError
} from "../ProvisionResult.js"
import type * as ProvisionSpec from "../ProvisionSpec.js"
import { activityName } from "./journal.js"
import * as Limits from "./limits.js"
import * as Ops from "./operations.js"

/**
 * An entity this run made, in the order it was made: what a rollback removes, last first.
 *
 * @internal
 */
export interface Made {
  readonly resource: "organization" | "team" | "variable"
  readonly key: string
  readonly id: number | string
}

/**
 * A step's failure inside the body, before the rollback turns it into `ProvisionFailed`.
 *
 * @internal
 */
export class StepFailed {
  readonly _tag = "StepFailed"
  constructor(readonly step: Step, readonly error: StepError) {}
}

/**
 * How many entries ended in each status, for `StepDone`.
 *
 * @internal
 */
export const countStatuses = (entries: ReadonlyArray<Entry>): { readonly [status: string]: number } => {
  const counts: Record<string, number> = {}
  for (const entry of entries) counts[entry.status] = (counts[entry.status] ?? 0) + 1
  return counts
}

/**
 * What every step of one run shares.
 *
 * @internal
 */
export interface Run {
  readonly executionId: string
  readonly spec: ProvisionSpec.ProvisionSpec
  readonly options: RunOptions
  readonly lookupFirst: boolean
  readonly publish: (event: Progress.ProgressEvent) => Effect.Effect<void>
  readonly made: Ref.Ref<ReadonlyArray<Made>>
  readonly applied: Ref.Ref<ReadonlyArray<Entry>>
  /** The organization's id once the first step knows it (0 before). */
  readonly organizationId: Ref.Ref<number>
  /** The rate-limit windows the runs share (of the process, or of the cluster). */
  readonly limits: Limits.Limits
}

/**
 * Holds the calls of `effect` to the run's rate limit (see `RunOptions.rateLimit`): inside the activity, so that a
 * resumed run's remaining calls are held too, wherever the engine runs them.
 *
 * @internal
 */
export const throttled = (run: Run) => <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.flatMap(
    Ref.get(run.organizationId),
    (organizationId) => Limits.throttle(run.limits, run.options.rateLimit, organizationId)(effect)
  )

/**
 * One call (or one exactly-once create) to Make, journaled under `name` (from the journal's table), held to the run's
 * rate limit.
 *
 * @internal
 */
export const activity = <S extends Schema.Top & { readonly DecodingServices: never; readonly EncodingServices: never }>(
  run: Run,
  name: string,
  success: S,
  execute: Effect.Effect<S["Type"], StepError, Ops.Services>
) => Activity.make({ name, success, error: StepError, execute: throttled(run)(execute) })

/**
 * An activity's effect told whether it runs again in this body: `Activity.make` runs an effect again when it was
 * interrupted, and a create or an invitation that was started may have reached Make before the interruption.
 *
 * @internal
 */
export const againAware = <A, E, R>(
  execute: (again: boolean) => Effect.Effect<A, E, R>
): Effect.Effect<Effect.Effect<A, E, R>> =>
  Effect.map(Ref.make(false), (started) => Effect.flatMap(Ref.getAndSet(started, true), execute))

/**
 * Why a create looks its entity up before sending, if it must: the body runs again, or the activity does.
 *
 * @internal
 */
export const lookupFirst = (run: Run, again: boolean): Option.Option<string> =>
  run.lookupFirst ? Option.some("resumed") : again ? Option.some("interrupted") : Option.none()

/**
 * Tags a step's failure with the step, for the rollback and `ProvisionFailed.step`.
 *
 * @internal
 */
export const inStep = (step: Step) => <A, R>(effect: Effect.Effect<A, StepError, R>) =>
  Effect.mapError(effect, (error) => new StepFailed(step, error))

/**
 * Records an entity's outcome, publishes it, and notes what this run made for a rollback.
 *
 * @internal
 */
export const done = (run: Run, step: Step, entry: Entry, adoptedAfter?: string) =>
  Effect.gen(function*() {
    yield* Ref.update(run.applied, (all) => [...all, entry])
    if (
      entry.id !== undefined && (entry.status === "created" || entry.status === "adopted") &&
      (entry.resource === "organization" || entry.resource === "team" || entry.resource === "variable")
    ) {
      const made: Made = { resource: entry.resource, key: entry.key, id: entry.id }
      yield* Ref.update(run.made, (all) => [...all, made])
    }
    if (adoptedAfter !== undefined) {
      yield* run.publish({ _tag: "Adopted", executionId: run.executionId, step, entry, after: adoptedAfter })
    }
    yield* run.publish({ _tag: "EntityDone", executionId: run.executionId, step, entry })
    return entry
  })

/**
 * Runs a step's items, `concurrency` at once, each to its end (an in-flight create is never interrupted, so never
 * lost), then fails with the first failure.
 *
 * @internal
 */
export const eachToEnd = <A, R>(
  run: Run,
  step: Step,
  items: ReadonlyArray<A>,
  f: (item: A) => Effect.Effect<Entry, StepError, R>
) =>
  Effect.gen(function*() {
    yield* run.publish({ _tag: "StepStarted", executionId: run.executionId, step, total: items.length })
    const outcomes = yield* Effect.forEach(items, (item) => Effect.result(f(item)), {
      concurrency: run.options.concurrency
    })
    const entries: Array<Entry> = []
    for (const outcome of outcomes) {
      if (outcome._tag === "Failure") return yield* Effect.fail(new StepFailed(step, outcome.failure))
      entries.push(outcome.success)
    }
    yield* run.publish({ _tag: "StepDone", executionId: run.executionId, step, counts: countStatuses(entries) })
    return entries
  })

/**
 * `created`, or `adopted` when the create's answer was lost and the entity was found instead.
 *
 * @internal
 */
export const createdStatus = (created: { readonly adoptedAfter?: string | undefined }): Status =>
  created.adoptedAfter === undefined ? "created" : "adopted"

/**
 * Removes what this run made, last first (variables, teams, then the organization with `confirmed: true`).
 *
 * @internal
 */
export const rollback = (run: Run) =>
  Effect.gen(function*() {
    const made = yield* Ref.get(run.made)
    const ordered = [
      ...made.filter((m) => m.resource === "variable").reverse(),
      ...made.filter((m) => m.resource === "team").reverse(),
      ...made.filter((m) => m.resource === "organization")
    ]
    const organizationId = yield* Ref.get(run.organizationId)
    const retry = Ops.retryTransient(run.options.maxAttempts)
    const results: Array<RolledBack> = []
    for (const entity of ordered) {
      const remove: Effect.Effect<void, StepError, Ops.Services> = entity.resource === "team"
        ? Effect.flatMap(AdminTeams, (teams) => teams.delete(Number(entity.id)))
        : entity.resource === "organization"
        ? Effect.flatMap(Organizations, (orgs) => orgs.delete(Number(entity.id), { confirmed: true }))
        : Effect.flatMap(OrganizationVariables, (vars) =>
          vars.delete(organizationId, String(entity.id), { confirmed: true }))
      const outcome = yield* Activity.make({
        name: activityName("rollback", { resource: entity.resource, key: entity.key }),
        success: RolledBackSchema,
        execute: throttled(run)(retry(remove)).pipe(
          Effect.as<RolledBack>({ resource: entity.resource, key: entity.key, id: entity.id, outcome: "deleted" }),
          Effect.catch((error) =>
            Effect.succeed<RolledBack>({
              resource: entity.resource,
              key: entity.key,
              id: entity.id,
              ...(error._tag === "NotFound" ? { outcome: "gone" } : { outcome: "failed", detail: error.message })
            })
          )
        )
      })
      results.push(outcome)
      yield* run.publish({ _tag: "Compensated", executionId: run.executionId, rolledBack: outcome })
    }
    return results
  })
