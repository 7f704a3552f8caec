// The steps of a provisioning run — organization, teams, variables, invitations, feature controls — every call to
// Make an Activity. Floor 5: imports `effect`, `@effect/workflow`, services, workflows/.
/**
 * @since 0.1.0
 * @internal
 */
import { Activity } from "@effect/workflow"
import { Effect, Option, Ref, Schema } from "effect"
import { AdminTeams } from "../../AdminTeams.js"
import { OrganizationVariable } from "../../domain/OrganizationVariable.js"
import { FeatureControls } from "../../FeatureControls.js"
import * as MakeError from "../../MakeError.js"
import { Organizations } from "../../Organizations.js"
import { OrganizationVariables } from "../../OrganizationVariables.js"
import type { Entry } from "../ProvisionResult.js"
import * as Limits from "./limits.js"
import * as Ops from "./operations.js"
import {
  activity,
  againAware,
  countStatuses,
  createdStatus,
  done,
  eachToEnd,
  inStep,
  type Invited,
  lookupFirst,
  type Run,
  StepFailed
} from "./run.js"

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

/**
 * Fewer reads than this in a sync wait's 60 s (it reads at 0, 0.25, 0.75, 1.75, 3.75 s, ... about 15 times) means
 * they waited for rate-limit permits rather than found the organization unsynced.
 */
const heldBackReads = 5

const differs = (actual: number | undefined, wanted: number): boolean => actual !== undefined && actual !== wanted

/** 1. The organization: found by externalId (else name), created exactly once, or brought in line; then synced. */
export const organizationStep = (run: Run) =>
  Effect.gen(function*() {
    const { options, spec } = run
    const retry = Ops.retryTransient(options.maxAttempts)
    yield* run.publish({ _tag: "StepStarted", executionId: run.executionId, step: "organization", total: 1 })
    const found = yield* activity(
      run,
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
      const create = yield* againAware((again) =>
        Effect.gen(function*() {
          const orgs = yield* Organizations
          const { externalId: _, ...body } = spec.organization
          const outcome = yield* Ops.createOnce({
            create: Effect.map(orgs.create(body), (answer) => answer.organization),
            find: Ops.findOrganizationByName(spec.organization),
            lookupFirst: lookupFirst(run, again),
            maxAttempts: options.maxAttempts
          })
          return { id: outcome.value.id, adoptedAfter: Option.getOrUndefined(outcome.adoptedAfter) }
        })
      )
      const created = yield* activity(run, "Organization/create", Created, create)
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
      // a field Make did not send is unknown, not different: only what is known to differ is changed
      const changes = {
        ...(org.name === spec.organization.name ? {} : { name: spec.organization.name }),
        ...(differs(org.countryId, spec.organization.countryId) ? { countryId: spec.organization.countryId } : {}),
        ...(differs(org.timezoneId, spec.organization.timezoneId) ? { timezoneId: spec.organization.timezoneId } : {})
      }
      const changed = Object.keys(changes).length > 0
      if (changed) {
        yield* activity(
          run,
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
    // The zone must have it before anything refers to it; its licence decides about variables and the rate limit.
    const synced = yield* activity(
      run,
      "Organization/sync",
      Schema.Struct({ customVariables: Schema.Boolean, apiLimit: Schema.optional(Schema.Number) }),
      retry(Effect.flatMap(Organizations, (orgs) =>
        Effect.map(
          // One read that Make holds until the zone has it (`wait=true`): one request of the organization's budget,
          // answered the moment it syncs. Should it answer 404 all the same, the reads of `awaitSynced` take over; a
          // wait whose reads were held back by the organization's rate limit (queued behind other calls of this
          // process) says nothing about the zone, and is waited again as long as the run's attempts last.
          Effect.catchTag(orgs.get(id, { wait: true }), "NotFound", () =>
            Effect.retry(orgs.awaitSynced(id), {
              times: Math.max(0, options.maxAttempts - 1),
              while: (error) => error._tag === "NotSynced" && error.attempts < heldBackReads
            })),
          (org) => ({ customVariables: org.license?.customVariables === true, apiLimit: org.license?.apiLimit })
        )))
    )
    yield* Limits.learn(run.limits, options.rateLimit, id, synced.apiLimit)
    const customVariables = synced.customVariables
    yield* run.publish({
      _tag: "StepDone",
      executionId: run.executionId,
      step: "organization",
      counts: countStatuses([entry])
    })
    return { id, entry, customVariables }
  }).pipe(inStep("organization"))

/** 2. Teams: kept, renamed (found by externalId), or created exactly once. */
export const teamsStep = (run: Run, organizationId: number) =>
  Effect.gen(function*() {
    const retry = Ops.retryTransient(run.options.maxAttempts)
    const existing = yield* activity(
      run,
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
              run,
              `Team/update/${team.name}`,
              Schema.Void,
              retry(Effect.flatMap(AdminTeams, (teams) => Effect.asVoid(teams.update(teamId, { name: team.name }))))
            )
          }
          const status = match.value.name === team.name ? "kept" : "updated"
          return yield* done(run, "teams", { resource: "team", key: team.name, id: teamId, status })
        }
        const create = yield* againAware((again) =>
          Effect.gen(function*() {
            const teams = yield* AdminTeams
            const outcome = yield* Ops.createOnce({
              create: Effect.map(teams.create({ name: team.name, organizationId }), (answer) => answer.team),
              find: Effect.map(
                Ops.liveTeams(organizationId),
                (live) => Option.fromNullable(live.find((t) => t.name === team.name))
              ),
              lookupFirst: lookupFirst(run, again),
              maxAttempts: run.options.maxAttempts
            })
            return { id: outcome.value.id, adoptedAfter: Option.getOrUndefined(outcome.adoptedAfter) }
          })
        )
        const created = yield* activity(run, `Team/create/${team.name}`, Created, create)
        return yield* done(
          run,
          "teams",
          { resource: "team", key: team.name, id: created.id, status: createdStatus(created) },
          created.adoptedAfter
        )
      }))
  })

/** 3. Variables: kept, updated, created exactly once; skipped (or failed) without the licence. */
export const variablesStep = (run: Run, organizationId: number, customVariables: boolean) =>
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
        run,
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
              run,
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
        const create = yield* againAware((again) =>
          Effect.gen(function*() {
            const vars = yield* OrganizationVariables
            const outcome = yield* Ops.createOnce({
              create: vars.create(organizationId, variable),
              find: Effect.map(
                Ops.customVariables(organizationId),
                (all) => Option.fromNullable(all.find((v) => v.name === key))
              ),
              lookupFirst: lookupFirst(run, again),
              maxAttempts: options.maxAttempts
            })
            return { adoptedAfter: Option.getOrUndefined(outcome.adoptedAfter) }
          })
        )
        const created = yield* activity(
          run,
          `Variable/create/${key}`,
          Schema.Struct({ adoptedAfter: Schema.optional(Schema.String) }),
          create
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
 * most once: one an earlier generation sent is kept, one whose answer was lost (or whose sender died) is `unconfirmed`
 * and never re-sent, one to a member is kept.
 */
export const invitationsStep = (
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
      // The intent is journaled before the invitation is sent. When this body runs again after a crash, an intent
      // from the journal whose invitation has no journaled outcome means the dead process may have sent it: it is
      // reported unconfirmed rather than sent again.
      const intentNow = yield* Ref.make(false)
      yield* Activity.make({ name: `Invitation/${key}/intent`, execute: Ref.set(intentNow, true) })
      const interrupted = !(yield* Ref.get(intentNow))
      // The engine runs an activity's effect again when it was interrupted (`Activity.make` retries on interruption):
      // a send that was started, and may have reached Make, is then reported unconfirmed, not sent again.
      const send = yield* againAware((again) =>
        Effect.gen(function*() {
          if (interrupted) {
            return {
              status: "unconfirmed" as const,
              detail: "the process sending it stopped before its answer was recorded; it was not sent again"
            }
          }
          if (again) {
            return {
              status: "unconfirmed" as const,
              detail: "its sending was interrupted and the activity retried; it was not sent again"
            }
          }
          return yield* Ops.inviteAtMostOnce({
            invite: Ops.invite(organizationId, { ...invitation, teamsId }),
            resendOnLostAnswer: run.options.invitationsOnLostAnswer === "resend",
            maxAttempts: run.options.maxAttempts
          })
        })
      )
      const outcome = yield* activity(run, `Invitation/${key}`, InvitationOutcome, send)
      return yield* done(run, "invitations", {
        resource: "invitation",
        key,
        status: outcome.status,
        ...(outcome.hash === undefined ? {} : { id: outcome.hash }),
        ...(outcome.detail === undefined ? {} : { detail: outcome.detail })
      })
    }))

/** 5. Feature controls: switched where they differ (PATCH is idempotent). */
export const featureControlsStep = (run: Run, organizationId: number) =>
  Effect.gen(function*() {
    const retry = Ops.retryTransient(run.options.maxAttempts)
    const existing = run.spec.featureControls.length === 0 ? [] : yield* activity(
      run,
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
            run,
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
