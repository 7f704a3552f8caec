// `provision(spec)`: the organization with its teams, variables, invitations and feature controls, as a durable
// Workflow whose every call to Make is an Activity. Floor 5: imports `effect`, `@effect/workflow`, services, workflows/.
/**
 * @since 0.1.0
 */
import type { WorkflowEngine } from "@effect/workflow"
import { Activity, Workflow } from "@effect/workflow"
import type { Layer } from "effect"
import { Cause, Effect, Option, Ref, Schema } from "effect"
import { AdminTeams } from "../AdminTeams.js"
import { OrganizationVariable } from "../domain/OrganizationVariable.js"
import { FeatureControls } from "../FeatureControls.js"
import * as MakeError from "../MakeError.js"
import { Organizations } from "../Organizations.js"
import { OrganizationVariables } from "../OrganizationVariables.js"
import * as Ops from "./internal/operations.js"
import * as Progress from "./Progress.js"
import {
  type Entry,
  ProvisionFailed,
  ProvisionResult,
  type RolledBack,
  RolledBack as RolledBackSchema,
  type Status,
  type Step,
  StepError
} from "./ProvisionResult.js"
import * as ProvisionSpec from "./ProvisionSpec.js"

// ---------------------------------------------------------------------------
// Options
// ---------------------------------------------------------------------------

/**
 * How a run behaves; part of the execution id, since they change what the run does.
 *
 * @since 0.1.0
 * @category models
 */
export const RunOptions = Schema.Struct({
  /** A licence without `customVariables`: `skip` the variables (reported as skipped) or `fail` the run. */
  variablesWithoutLicense: Schema.Literal("skip", "fail"),
  /** A step failing for good: `rollback` what this run created, or `keep` the partial work. */
  onFailure: Schema.Literal("rollback", "keep"),
  /**
   * An invitation whose answer was lost (5xx, reset, timeout): `report` it as `unconfirmed` and never send it twice
   * (Make cannot list pending invitations to check), or `resend` it (the user may get two e-mails).
   */
  invitationsOnLostAnswer: Schema.Literal("report", "resend"),
  /** How many calls of one step run at once. */
  concurrency: Schema.Int.pipe(Schema.between(1, 64)),
  /** How many times a call is tried in all on transient failures (5xx, resets, timeouts, 429). */
  maxAttempts: Schema.Int.pipe(Schema.between(1, 20))
}).annotations({ identifier: "RunOptions", parseOptions: { errors: "all" } })

/**
 * @since 0.1.0
 * @category models
 */
export type RunOptions = typeof RunOptions.Type

/**
 * The options of {@link provision}; each has a default.
 *
 * @since 0.1.0
 * @category models
 */
export type Options = Partial<RunOptions>

/**
 * The defaults: skip variables without the licence, roll back on failure, report lost invitations, 5 calls at once,
 * 6 attempts.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultOptions: RunOptions = {
  variablesWithoutLicense: "skip",
  onFailure: "rollback",
  invitationsOnLostAnswer: "report",
  concurrency: 5,
  maxAttempts: 6
}

/**
 * The options with defaults filled in, checked: `InvalidInput` before any request.
 *
 * @since 0.1.0
 * @category constructors
 */
export const resolveOptions = (options?: Options): Effect.Effect<RunOptions, MakeError.InvalidInput> =>
  Effect.mapError(
    Schema.validate(RunOptions, { errors: "all" })({ ...defaultOptions, ...options }),
    (error) => MakeError.invalidInput("provision options", error)
  )

// ---------------------------------------------------------------------------
// The workflow
// ---------------------------------------------------------------------------

const Invited = Schema.Struct({ organizationId: Schema.Number, email: Schema.String })

/**
 * The provisioning workflow. Its execution id is derived from the spec and the options (their canonical JSON) and a
 * generation: {@link provision} starts generation 1, resumes a generation that has not completed, and moves to the
 * next one when the last has completed, so that a re-run reads Make afresh and converges.
 *
 * @since 0.1.0
 * @category workflows
 */
export const ProvisionWorkflow = Workflow.make({
  name: "effect-make/Provision",
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
  idempotencyKey: (payload) => `${payload.specKey}#${payload.generation}`
})

const OrganizationFound = Schema.Struct({
  id: Schema.Number,
  name: Schema.String,
  countryId: Schema.optional(Schema.Number),
  timezoneId: Schema.optional(Schema.Number)
})

const Created = Schema.Struct({ id: Schema.Number, adoptedAfter: Schema.optional(Schema.String) })

const TeamsFound = Schema.Array(Schema.Struct({
  id: Schema.Number,
  name: Schema.String,
  externalId: Schema.optional(Schema.String)
}))

const ControlsFound = Schema.Array(Schema.Struct({ id: Schema.Number, enabled: Schema.optional(Schema.Boolean) }))

const InvitationOutcome = Schema.Struct({
  status: Schema.Literal("created", "kept", "unconfirmed"),
  hash: Schema.optional(Schema.String),
  detail: Schema.optional(Schema.String)
})

/** An entity this run made, in the order it was made: what a rollback removes, last first. */
interface Made {
  readonly resource: "organization" | "team" | "variable"
  readonly key: string
  readonly id: number | string
}

/** A step's failure inside the body, before the rollback turns it into {@link ProvisionFailed}. */
class StepFailed {
  readonly _tag = "StepFailed"
  constructor(readonly step: Step, readonly error: StepError) {}
}

const countStatuses = (entries: ReadonlyArray<Entry>): { readonly [status: string]: number } => {
  const counts: Record<string, number> = {}
  for (const entry of entries) counts[entry.status] = (counts[entry.status] ?? 0) + 1
  return counts
}

type Payload = typeof ProvisionWorkflow.payloadSchema.Type

/** What every step of one run shares. */
interface Run {
  readonly executionId: string
  readonly spec: ProvisionSpec.ProvisionSpec
  readonly options: RunOptions
  readonly lookupFirst: boolean
  readonly publish: (event: Progress.ProgressEvent) => Effect.Effect<void>
  readonly made: Ref.Ref<ReadonlyArray<Made>>
  readonly applied: Ref.Ref<ReadonlyArray<Entry>>
  /** The organization's id once the first step knows it (0 before). */
  readonly organizationId: Ref.Ref<number>
}

/** One call (or one exactly-once create) to Make, journaled. */
const activity = <A, I>(
  name: string,
  success: Schema.Schema<A, I>,
  execute: Effect.Effect<A, StepError, Ops.Services>
) => Activity.make({ name, success, error: StepError, execute })

const inStep = (step: Step) => <A, R>(effect: Effect.Effect<A, StepError, R>) =>
  Effect.mapError(effect, (error) => new StepFailed(step, error))

/** Records an entity's outcome, publishes it, and notes what this run made for a rollback. */
const done = (run: Run, step: Step, entry: Entry, adoptedAfter?: string) =>
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

/** Runs a step's items, `concurrency` at once, each to its end (an in-flight create is never interrupted, so never
 * lost), then fails with the first failure. */
const eachToEnd = <A, R>(
  run: Run,
  step: Step,
  items: ReadonlyArray<A>,
  f: (item: A) => Effect.Effect<Entry, StepError, R>
) =>
  Effect.gen(function*() {
    yield* run.publish({ _tag: "StepStarted", executionId: run.executionId, step, total: items.length })
    const outcomes = yield* Effect.forEach(items, (item) => Effect.either(f(item)), {
      concurrency: run.options.concurrency
    })
    const entries: Array<Entry> = []
    for (const outcome of outcomes) {
      if (outcome._tag === "Left") return yield* Effect.fail(new StepFailed(step, outcome.left))
      entries.push(outcome.right)
    }
    yield* run.publish({ _tag: "StepDone", executionId: run.executionId, step, counts: countStatuses(entries) })
    return entries
  })

const createdStatus = (created: { readonly adoptedAfter?: string | undefined }): Status =>
  created.adoptedAfter === undefined ? "created" : "adopted"

/** 1. The organization: found by externalId (else name), created exactly once, or brought in line; then synced. */
const organizationStep = (run: Run) =>
  Effect.gen(function*() {
    const { options, spec } = run
    const retry = Ops.retryTransient(options.maxAttempts)
    yield* run.publish({ _tag: "StepStarted", executionId: run.executionId, step: "organization", total: 1 })
    const found = yield* activity(
      "Organization/find",
      Schema.OptionFromNullOr(OrganizationFound),
      retry(Effect.map(
        Ops.findOrganization(spec.organization),
        Option.map((org) => ({
          id: org.id,
          name: org.name,
          countryId: org.countryId,
          timezoneId: org.timezoneId
        }))
      ))
    )
    const key = spec.organization.name
    let entry: Entry
    let id: number
    if (Option.isNone(found)) {
      const created = yield* activity(
        "Organization/create",
        Created,
        Effect.gen(function*() {
          const orgs = yield* Organizations
          const { externalId: _, ...body } = spec.organization
          const outcome = yield* Ops.createOnce({
            create: Effect.map(orgs.create(body), (answer) => answer.organization),
            find: Ops.findOrganizationByName(spec.organization),
            lookupFirst: run.lookupFirst,
            maxAttempts: options.maxAttempts
          })
          return { id: outcome.value.id, adoptedAfter: Option.getOrUndefined(outcome.adoptedAfter) }
        })
      )
      id = created.id
      entry = yield* done(run, "organization", {
        resource: "organization",
        key,
        id,
        status: createdStatus(created)
      }, created.adoptedAfter)
    } else {
      const org = found.value
      id = org.id
      const changes = {
        ...(org.name === spec.organization.name ? {} : { name: spec.organization.name }),
        ...(org.countryId === spec.organization.countryId ? {} : { countryId: spec.organization.countryId }),
        ...(org.timezoneId === spec.organization.timezoneId ? {} : { timezoneId: spec.organization.timezoneId })
      }
      const changed = Object.keys(changes).length > 0
      if (changed) {
        yield* activity(
          "Organization/update",
          Schema.Void,
          retry(Effect.flatMap(Organizations, (orgs) => Effect.asVoid(orgs.update(org.id, changes))))
        )
      }
      entry = yield* done(run, "organization", {
        resource: "organization",
        key,
        id,
        status: changed ? "updated" : "kept"
      })
    }
    yield* Ref.set(run.organizationId, id)
    // The zone must have it before anything refers to it; its licence decides about variables.
    const customVariables = yield* activity(
      "Organization/sync",
      Schema.Boolean,
      retry(Effect.flatMap(Organizations, (orgs) =>
        Effect.map(orgs.awaitSynced(id), (org) =>
          org.license?.customVariables === true)))
    )
    yield* run.publish({
      _tag: "StepDone",
      executionId: run.executionId,
      step: "organization",
      counts: countStatuses([entry])
    })
    return { id, entry, customVariables }
  }).pipe(inStep("organization"))

/** 2. Teams: kept, renamed (found by externalId), or created exactly once. */
const teamsStep = (run: Run, organizationId: number) =>
  Effect.gen(function*() {
    const retry = Ops.retryTransient(run.options.maxAttempts)
    const existing = yield* activity(
      "Teams/list",
      TeamsFound,
      retry(Effect.map(Ops.liveTeams(organizationId), (teams) =>
        teams.map((team) => ({
          id: team.id,
          name: team.name,
          ...(team.externalId === undefined ? {} : { externalId: team.externalId })
        }))))
    ).pipe(inStep("teams"))
    return yield* eachToEnd(run, "teams", run.spec.teams, (team) =>
      Effect.gen(function*() {
        const match = Ops.matchTeam(team, existing)
        if (Option.isSome(match)) {
          const teamId = match.value.id
          if (match.value.name !== team.name) {
            yield* activity(
              `Team/update/${team.name}`,
              Schema.Void,
              retry(Effect.flatMap(AdminTeams, (teams) => Effect.asVoid(teams.update(teamId, { name: team.name }))))
            )
          }
          const status = match.value.name === team.name ? "kept" : "updated"
          return yield* done(run, "teams", { resource: "team", key: team.name, id: teamId, status })
        }
        const created = yield* activity(
          `Team/create/${team.name}`,
          Created,
          Effect.gen(function*() {
            const teams = yield* AdminTeams
            const outcome = yield* Ops.createOnce({
              create: Effect.map(teams.create({ name: team.name, organizationId }), (answer) => answer.team),
              find: Effect.map(
                Ops.liveTeams(organizationId),
                (live) => Option.fromNullable(live.find((t) => t.name === team.name))
              ),
              lookupFirst: run.lookupFirst,
              maxAttempts: run.options.maxAttempts
            })
            return { id: outcome.value.id, adoptedAfter: Option.getOrUndefined(outcome.adoptedAfter) }
          })
        )
        return yield* done(
          run,
          "teams",
          { resource: "team", key: team.name, id: created.id, status: createdStatus(created) },
          created.adoptedAfter
        )
      }))
  })

/** 3. Variables: kept, updated, created exactly once; skipped (or failed) without the licence. */
const variablesStep = (run: Run, organizationId: number, customVariables: boolean) =>
  Effect.gen(function*() {
    const { options, spec } = run
    const retry = Ops.retryTransient(options.maxAttempts)
    if (!customVariables && spec.variables.length > 0 && options.variablesWithoutLicense === "fail") {
      return yield* Effect.fail(
        new StepFailed(
          "variables",
          new MakeError.FeatureUnavailable({ organizationId, feature: "customVariables" })
        )
      )
    }
    const existing = customVariables && spec.variables.length > 0
      ? yield* activity(
        "Variables/list",
        Schema.Array(OrganizationVariable),
        retry(Ops.customVariables(organizationId))
      ).pipe(inStep("variables"))
      : []
    return yield* eachToEnd(run, "variables", spec.variables, (variable) =>
      Effect.gen(function*() {
        const key = variable.name
        if (!customVariables) {
          return yield* done(run, "variables", {
            resource: "variable",
            key,
            status: "skipped",
            detail: `organization ${organizationId} has no customVariables in its licence`
          })
        }
        const current = existing.find((v) => v.name === key)
        if (current !== undefined) {
          const same = Ops.sameVariable(variable, current)
          if (!same) {
            yield* activity(
              `Variable/update/${key}`,
              Schema.Void,
              retry(
                Effect.flatMap(
                  OrganizationVariables,
                  (vars) => Effect.asVoid(vars.update(organizationId, key, variable))
                )
              )
            )
          }
          return yield* done(run, "variables", {
            resource: "variable",
            key,
            id: key,
            status: same ? "kept" : "updated"
          })
        }
        const created = yield* activity(
          `Variable/create/${key}`,
          Schema.Struct({ adoptedAfter: Schema.optional(Schema.String) }),
          Effect.gen(function*() {
            const vars = yield* OrganizationVariables
            const outcome = yield* Ops.createOnce({
              create: vars.create(organizationId, variable),
              find: Effect.map(
                Ops.customVariables(organizationId),
                (all) => Option.fromNullable(all.find((v) => v.name === key))
              ),
              lookupFirst: run.lookupFirst,
              maxAttempts: options.maxAttempts
            })
            return { adoptedAfter: Option.getOrUndefined(outcome.adoptedAfter) }
          })
        )
        return yield* done(
          run,
          "variables",
          { resource: "variable", key, id: key, status: createdStatus(created) },
          created.adoptedAfter
        )
      }))
  })

/**
 * 4. Invitations, with team names resolved to ids. Make cannot list pending invitations, so an invitation is sent at
 * most once: one an earlier generation sent is kept, one whose answer was lost is `unconfirmed` (never re-sent), one
 * to a member is kept.
 */
const invitationsStep = (
  run: Run,
  organizationId: number,
  teams: ReadonlyArray<Entry>,
  alreadyInvited: ReadonlyArray<typeof Invited.Type>
) =>
  eachToEnd(run, "invitations", run.spec.invitations, (invitation) =>
    Effect.gen(function*() {
      const key = invitation.email
      const earlier = alreadyInvited.some((sent) =>
        sent.organizationId === organizationId && sent.email.toLowerCase() === key.toLowerCase()
      )
      if (earlier) {
        return yield* done(run, "invitations", {
          resource: "invitation",
          key,
          status: "kept",
          detail: "sent by an earlier run of this spec"
        })
      }
      const teamsId = invitation.teams.flatMap((name) => {
        const team = teams.find((entry) => entry.key === name)
        return team !== undefined && typeof team.id === "number" ? [team.id] : []
      })
      const outcome = yield* activity(
        `Invitation/${key}`,
        InvitationOutcome,
        Effect.gen(function*() {
          const sent = yield* Effect.either(Ops.invite(organizationId, { ...invitation, teamsId }))
          if (sent._tag === "Right") return { status: "created" as const, hash: sent.right.hash }
          const error = sent.left
          if (Ops.isAlreadyMember(error)) {
            return { status: "kept" as const, detail: "already a member of the organization" }
          }
          const resend = error._tag === "RateLimited" ||
            (Ops.isAmbiguous(error) && run.options.invitationsOnLostAnswer === "resend")
          if (resend) {
            // a 429 was refused before anything was done; a lost answer is sent again only when the options say so
            const again = yield* Ops.retryTransient(run.options.maxAttempts)(
              Ops.invite(organizationId, { ...invitation, teamsId })
            )
            return {
              status: "created" as const,
              hash: again.hash,
              ...(error._tag === "RateLimited" ? {} : { detail: `sent again after a lost answer (${error._tag})` })
            }
          }
          if (Ops.isAmbiguous(error)) {
            return {
              status: "unconfirmed" as const,
              detail:
                `the answer was lost (${error._tag}); Make cannot list pending invitations, so it was not sent again`
            }
          }
          return yield* Effect.fail(error)
        })
      )
      return yield* done(run, "invitations", {
        resource: "invitation",
        key,
        status: outcome.status,
        ...(outcome.hash === undefined ? {} : { id: outcome.hash }),
        ...(outcome.detail === undefined ? {} : { detail: outcome.detail })
      })
    }))

/** 5. Feature controls: switched where they differ (PATCH is idempotent). */
const featureControlsStep = (run: Run, organizationId: number) =>
  Effect.gen(function*() {
    const retry = Ops.retryTransient(run.options.maxAttempts)
    const existing = run.spec.featureControls.length === 0 ? [] : yield* activity(
      "FeatureControls/list",
      ControlsFound,
      retry(Effect.map(Ops.featureControls(organizationId), (controls) =>
        controls.map((control) => ({
          id: control.id,
          ...(control.enabled === undefined ? {} : { enabled: control.enabled })
        }))))
    ).pipe(inStep("featureControls"))
    return yield* eachToEnd(run, "featureControls", run.spec.featureControls, (control) =>
      Effect.gen(function*() {
        const key = String(control.id)
        const current = existing.find((c) => c.id === control.id)
        const same = current !== undefined && current.enabled === control.enabled
        if (!same) {
          yield* activity(
            `FeatureControl/${control.id}`,
            Schema.Void,
            retry(
              Effect.flatMap(FeatureControls, (controls) => Effect.asVoid(controls.update(organizationId, control)))
            )
          )
        }
        return yield* done(run, "featureControls", {
          resource: "featureControl",
          key,
          id: control.id,
          status: same ? "kept" : "updated",
          detail: control.enabled ? "enabled" : "disabled"
        })
      }))
  })

/** Removes what this run made, last first (variables, teams, then the organization with `confirmed: true`). */
const rollback = (run: Run) =>
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
        name: `Rollback/${entity.resource}/${entity.key}`,
        success: RolledBackSchema,
        execute: retry(remove).pipe(
          Effect.as<RolledBack>({ resource: entity.resource, key: entity.key, id: entity.id, outcome: "deleted" }),
          Effect.catchAll((error) =>
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
    yield* Activity.make({ name: "Begin", execute: Ref.set(firstRun, true) })
    const run: Run = {
      executionId,
      spec: payload.spec,
      options: payload.options,
      lookupFirst: !(yield* Ref.get(firstRun)),
      publish: progress.publish,
      made: yield* Ref.make<ReadonlyArray<Made>>([]),
      applied: yield* Ref.make<ReadonlyArray<Entry>>([]),
      organizationId: yield* Ref.make(0)
    }
    const steps = Effect.gen(function*() {
      const organization = yield* organizationStep(run)
      const teams = yield* teamsStep(run, organization.id)
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
      Effect.catchAll((failed) =>
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
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<never, never, WorkflowEngine.WorkflowEngine | Ops.Services | Progress.Progress> =
  ProvisionWorkflow.toLayer(execute)

// ---------------------------------------------------------------------------
// Running it
// ---------------------------------------------------------------------------

/** How many generations of one spec are looked at, at most, before giving up (a guard against a runaway loop). */
const maxGenerations = 10_000

/**
 * The generation a run of this spec joins: the first one that has not completed (to resume it), or the one after the
 * last completed. Collects the invitations the completed ones sent.
 */
const currentGeneration = (base: Omit<Payload, "generation" | "alreadyInvited">) =>
  Effect.gen(function*() {
    const invited: Array<typeof Invited.Type> = []
    for (let generation = 1; generation <= maxGenerations; generation++) {
      const executionId = yield* ProvisionWorkflow.executionId({ ...base, generation, alreadyInvited: [] })
      const result = yield* ProvisionWorkflow.poll(executionId)
      if (result === undefined || result._tag === "Suspended") return { generation, alreadyInvited: invited }
      const exit = result.exit
      if (exit._tag === "Success") {
        const value = exit.value
        for (const entry of value.invitations) {
          if (entry.status === "created" || entry.status === "unconfirmed" || entry.status === "kept") {
            invited.push({ organizationId: value.organization.id, email: entry.key })
          }
        }
      } else {
        const failure = Cause.failureOption(exit.cause)
        if (Option.isSome(failure) && failure.value.organizationId !== undefined) {
          const organizationId = failure.value.organizationId
          for (const entry of failure.value.applied) {
            if (entry.resource === "invitation") invited.push({ organizationId, email: entry.key })
          }
        }
      }
    }
    return yield* Effect.dieMessage(`more than ${maxGenerations} runs of one spec`)
  })

/**
 * The spec, its options and its key, checked: what every generation of its runs shares.
 *
 * @internal
 */
export const prepare = (spec: ProvisionSpec.ProvisionSpec, options?: Options) =>
  Effect.gen(function*() {
    const valid = yield* ProvisionSpec.validate(spec)
    const runOptions = yield* resolveOptions(options)
    const encoded = yield* ProvisionSpec.encode(valid)
    return {
      spec: valid,
      options: runOptions,
      specKey: ProvisionSpec.canonicalJson({ spec: encoded, options: runOptions })
    }
  })

/**
 * The invitations earlier runs of this spec (and options) sent, by organization id: what Make cannot tell.
 *
 * @internal
 */
export const previousInvitations = (base: Omit<Payload, "generation" | "alreadyInvited">) =>
  Effect.map(currentGeneration(base), ({ alreadyInvited }) => alreadyInvited)

/**
 * Makes Make hold what the spec says: finds or creates the organization (by `externalId`, else name), waits for the
 * zone to sync it, then teams, variables, invitations (team names resolved to ids) and feature controls, a few calls
 * at a time. Each call is an Activity of the `ProvisionWorkflow`, whose execution id comes from the spec: running the
 * same spec again while a run is under way (or after the process died, on the durable engine) joins that run and
 * repeats none of its completed calls; running it after a run completed starts a new run, which reads Make and
 * writes only what differs (nothing, for an applied spec).
 *
 * A create whose answer is lost (5xx, reset, timeout) is never sent twice blindly: the entity is looked up and
 * adopted if it exists. When a step fails for good, what this run created is removed (teams, then the organization
 * with `confirmed: true`) unless `onFailure: "keep"`; entities it found are left alone. The failure is
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
 * @since 0.1.0
 * @category workflows
 */
export const provision = (
  spec: ProvisionSpec.ProvisionSpec,
  options?: Options
): Effect.Effect<ProvisionResult, ProvisionFailed | MakeError.InvalidInput, WorkflowEngine.WorkflowEngine> =>
  Effect.gen(function*() {
    const base = yield* prepare(spec, options)
    const { alreadyInvited, generation } = yield* currentGeneration(base)
    return yield* ProvisionWorkflow.execute({ ...base, generation, alreadyInvited })
  }).pipe(Effect.withSpan("effect-make/provision"))
