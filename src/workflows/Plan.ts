/**
 * `plan(spec)`: what `provision` would do, read from Make without writing anything: create, update, keep or skip per
 * entity.
 *
 * @since 1.0.0
 */
// The workflows: imports `effect`, services, workflows/ (the engine only through internal/prepare's optional service).
import { Effect, Option } from "effect"
import type * as MakeError from "../MakeError.js"
import * as Ops from "./internal/operations.js"
import { prepare, PreviousInvitations } from "./internal/prepare.js"
import type * as ProvisionOptions from "./ProvisionOptions.js"
import type { Change, Plan, StepError } from "./ProvisionResult.js"
import type * as ProvisionSpec from "./ProvisionSpec.js"

const writes = (change: Change): boolean => change.action === "create" || change.action === "update"

/**
 * Reads Make and answers what `Provision.provision` would do with the spec, entity by entity, without writing:
 * `changes` lists the creates and updates, and is empty for an applied spec. Reads are retried on transient failures
 * as a run's are. An invalid spec is `InvalidInput`, and nothing is sent.
 *
 * Invitations are the one thing Make cannot be asked about (it lists no pending invitations): with a workflow engine
 * in context, an invitation an earlier run of the same spec sent is `keep`; without one, or for a spec that changed
 * since, it is `create`.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Plan, type ProvisionSpec } from "effect-make"
 *
 * const program = (spec: ProvisionSpec.ProvisionSpec) =>
 *   Effect.gen(function*() {
 *     const plan = yield* Plan.plan(spec)
 *     for (const change of plan.changes) yield* Effect.log(`${change.action} ${change.resource} ${change.key}`)
 *   })
 * ```
 *
 * @since 1.0.0
 * @category workflows
 */
export const plan = (
  spec: ProvisionSpec.ProvisionSpec,
  options?: ProvisionOptions.Options
): Effect.Effect<Plan, MakeError.InvalidInput | StepError, Ops.Services> =>
  Effect.gen(function*() {
    const base = yield* prepare(spec, options)
    const { spec: valid, options: runOptions } = base
    const retry = Ops.retryTransient(runOptions.maxAttempts)
    // What earlier runs sent, when a workflow engine (its layer provides this) is in context.
    const previous = yield* Effect.serviceOption(PreviousInvitations)
    const invited = Option.isSome(previous) ? yield* previous.value(base) : []
    const found = yield* retry(Ops.findOrganization(valid.organization))
    const key = valid.organization.name

    if (Option.isNone(found)) {
      const later = "the organization does not exist yet"
      return assemble({
        organization: { resource: "organization", key, action: "create" },
        teams: valid.teams.map((team) => ({ resource: "team", key: team.name, action: "create" })),
        variables: valid.variables.map((variable) => ({
          resource: "variable",
          key: variable.name,
          action: "create",
          detail: `${later}: skipped if its licence lacks customVariables`
        })),
        invitations: valid.invitations.map((invitation) => ({
          resource: "invitation",
          key: invitation.email,
          action: "create"
        })),
        featureControls: valid.featureControls.map((control) => ({
          resource: "featureControl",
          key: String(control.id),
          id: control.id,
          action: "update",
          detail: `${later}: kept if it already is ${control.enabled ? "enabled" : "disabled"}`
        }))
      })
    }

    const org = found.value
    const organizationChanges = [
      org.name === valid.organization.name ? [] : [`name ${org.name} → ${valid.organization.name}`],
      org.countryId === undefined || org.countryId === valid.organization.countryId
        ? []
        : [`countryId → ${valid.organization.countryId}`],
      org.timezoneId === undefined || org.timezoneId === valid.organization.timezoneId
        ? []
        : [`timezoneId → ${valid.organization.timezoneId}`]
    ].flat()
    const customVariables = org.license?.customVariables === true
    const teams = yield* retry(Ops.liveTeams(org.id))
    const variables = customVariables && valid.variables.length > 0 ? yield* retry(Ops.customVariables(org.id)) : []
    const controls = valid.featureControls.length > 0 ? yield* retry(Ops.featureControls(org.id)) : []

    return assemble({
      organization: {
        resource: "organization",
        key,
        id: org.id,
        action: organizationChanges.length === 0 ? "keep" : "update",
        ...(organizationChanges.length === 0 ? {} : { detail: organizationChanges.join(", ") })
      },
      teams: valid.teams.map((team): Change =>
        Option.match(Ops.matchTeam(team, teams), {
          onNone: () => ({ resource: "team", key: team.name, action: "create" }),
          onSome: (match) =>
            match.name === team.name
              ? { resource: "team", key: team.name, id: match.id, action: "keep" }
              : { resource: "team", key: team.name, id: match.id, action: "update", detail: `rename ${match.name}` }
        })
      ),
      variables: valid.variables.map((variable): Change => {
        if (!customVariables) {
          return {
            resource: "variable",
            key: variable.name,
            action: "skip",
            detail: runOptions.variablesWithoutLicense === "fail"
              ? `the licence lacks customVariables: the run would fail`
              : `the licence lacks customVariables`
          }
        }
        const current = variables.find((v) => v.name === variable.name)
        return current === undefined
          ? { resource: "variable", key: variable.name, action: "create" }
          : {
            resource: "variable",
            key: variable.name,
            id: variable.name,
            action: Ops.sameVariable(variable, current) ? "keep" : "update"
          }
      }),
      invitations: valid.invitations.map((invitation): Change =>
        invited.some((sent) =>
            sent.organizationId === org.id && sent.email.toLowerCase() === invitation.email.toLowerCase()
          )
          ? { resource: "invitation", key: invitation.email, action: "keep", detail: "sent by an earlier run" }
          : { resource: "invitation", key: invitation.email, action: "create" }
      ),
      featureControls: valid.featureControls.map((control): Change => {
        const current = controls.find((c) => c.id === control.id)
        return {
          resource: "featureControl",
          key: String(control.id),
          id: control.id,
          action: current !== undefined && current.enabled === control.enabled ? "keep" : "update"
        }
      })
    })
  }).pipe(Effect.withSpan("effect-make/plan"))

const assemble = (parts: Omit<Plan, "changes">): Plan => ({
  ...parts,
  changes: [
    parts.organization,
    ...parts.teams,
    ...parts.variables,
    ...parts.invitations,
    ...parts.featureControls
  ].filter(writes)
})
