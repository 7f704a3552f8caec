// The steps of a provisioning run — organization, teams, variables, invitations, feature controls — every call to
// Make an Activity, and every entity brought in line by one combinator. The workflows: imports `effect`, services,
// workflows/.
/**
 * @since 1.0.0
 * @internal
 */
import { Effect, Option, Ref, Schema } from "effect"
import { Activity, type WorkflowEngine } from "effect/workflow"
import { AdminTeams } from "../../AdminTeams.js"
import { OrganizationVariable } from "../../domain/OrganizationVariable.js"
import { FeatureControls } from "../../FeatureControls.js"
import * as MakeError from "../../MakeError.js"
import { Organizations } from "../../Organizations.js"
import { OrganizationVariables } from "../../OrganizationVariables.js"
import type { Entry, Step, StepError } from "../ProvisionResult.js"
import { activityName } from "./journal.js"
import * as Limits from "./limits.js"
import * as Ops from "./operations.js"
import type { Invited } from "./prepare.js"
import {
  activity,
  againAware,
  countStatuses,
  createdStatus,
  done,
  eachToEnd,
  inStep,
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

const Created = Schema.Struct({
  id: Schema.Union([Schema.Number, Schema.String]),
  adoptedAfter: Schema.optional(Schema.String)
})

const TeamsFound = Schema.Array(Schema.Struct({
  id: Schema.Number,
  name: Schema.String,
  externalId: Schema.optional(Schema.String)
}))

const ControlsFound = Schema.Array(Schema.Struct({ id: Schema.Number, enabled: Schema.optional(Schema.Boolean) }))

const InvitationOutcome = Schema.Struct({
  status: Schema.Literals(["created", "kept", "unconfirmed"]),
  hash: Schema.optional(Schema.String),
  detail: Schema.optional(Schema.String)
})

/**
 * Fewer reads than this in a sync wait's 60 s (it reads at 0, 0.25, 0.75, 1.75, 3.75 s, ... about 15 times) means
 * they waited for rate-limit permits rather than found the organization unsynced.
 */
const heldBackReads = 5

const differs = (actual: number | undefined, wanted: number): boolean => actual !== undefined && actual !== wanted

// ---------------------------------------------------------------------------
// The one shape: find → compare → update or create
// ---------------------------------------------------------------------------

/**
 * An entity the spec wants, as a step found it, and how to bring Make in line: kept when it already holds what the
 * spec says, updated when it differs, created exactly once when it is missing.
 *
 * @internal
 */
export interface Converge<C> {
  readonly step: Step
  readonly resource: "organization" | "team" | "variable" | "featureControl"
  /** The entity's key in the spec (its name; a feature control's id). */
  readonly key: string
  /** What the step's find (a journaled read) found. */
  readonly found: Option.Option<C>
  /** The id an entry reports for an entity found or created. */
  readonly idOf: (entity: C) => number | string
  /** Whether a found entity already holds what the spec says. */
  readonly same: (current: C) => boolean
  /** The idempotent write (PATCH) that brings a found entity in line, journaled as `update.name`. */
  readonly update: {
    readonly name: string
    readonly send: (current: C) => Effect.Effect<unknown, StepError, Ops.Services>
  }
  /**
   * A missing entity: `create` sends it exactly once (`find` looks it up after a lost answer, or first when the run
   * resumed), journaled as `name`; `absent` is what a missing entity counts as when there is nothing to create (a
   * feature control Make did not list: its state unknown, so it is updated).
   */
  readonly missing:
    | {
      readonly _tag: "Create"
      readonly name: string
      readonly create: Effect.Effect<C, StepError, Ops.Services>
      readonly find: Effect.Effect<Option.Option<C>, StepError, Ops.Services>
    }
    | { readonly _tag: "Absent"; readonly absent: C }
  readonly detail?: string | undefined
}

/**
 * Brings one entity in line with the spec and records its entry (see {@link Converge}): every resource kind of a
 * provisioning run goes through here, so that each keeps the same guarantees (exactly-once creates, journaled writes,
 * the rate limit, progress events, what a rollback removes).
 *
 * @internal
 */
export const converge = <C>(
  run: Run,
  entity: Converge<C>
): Effect.Effect<Entry, StepError, Ops.Services | WorkflowEngine.WorkflowEngine | WorkflowEngine.WorkflowInstance> =>
  Effect.gen(function*() {
    const retry = Ops.retryTransient(run.options.maxAttempts)
    const missing = entity.missing
    const base = {
      resource: entity.resource,
      key: entity.key,
      ...(entity.detail === undefined ? {} : { detail: entity.detail })
    }
    const updateOrKeep = (current: C, same: boolean) =>
      Effect.gen(function*() {
        if (!same) {
          yield* activity(run, entity.update.name, Schema.Void, retry(Effect.asVoid(entity.update.send(current))))
        }
        return yield* done(run, entity.step, { ...base, id: entity.idOf(current), status: same ? "kept" : "updated" })
      })
    if (Option.isSome(entity.found)) return yield* updateOrKeep(entity.found.value, entity.same(entity.found.value))
    // missing, with nothing to create: what it counts as is brought in line (its state unknown, so never "kept")
    if (missing._tag === "Absent") return yield* updateOrKeep(missing.absent, false)
    const create = yield* againAware((again) =>
      Effect.map(
        Ops.createOnce({
          create: missing.create,
          find: missing.find,
          lookupFirst: lookupFirst(run, again),
          maxAttempts: run.options.maxAttempts
        }),
        (outcome) => ({ id: entity.idOf(outcome.value), adoptedAfter: Option.getOrUndefined(outcome.adoptedAfter) })
      )
    )
    const created = yield* activity(run, missing.name, Created, create)
    return yield* done(
      run,
      entity.step,
      { ...base, id: created.id, status: createdStatus(created) },
      created.adoptedAfter
    )
  })

// ---------------------------------------------------------------------------
// The steps
// ---------------------------------------------------------------------------

/** A team as the teams step compares it with the spec. */
type TeamFound = typeof TeamsFound.Type[number]

/**
 * 1. The organization: found by externalId (else name), created exactly once, or brought in line; then synced. When
 * this execution created it, `createdTeams` holds the teams Make's answer to the create listed (a new organization's
 * own "My Team"), which the teams step takes instead of listing them (see {@link teamsStep}).
 */
export const organizationStep = (run: Run) =>
  Effect.gen(function*() {
    const { options, spec } = run
    const retry = Ops.retryTransient(options.maxAttempts)
    // Set by the create's effect when Make answered it: never on a replay (the journal answers the activity instead),
    // nor when the organization was found after a lost answer.
    const answeredTeams = yield* Ref.make<Option.Option<ReadonlyArray<TeamFound>>>(Option.none())
    yield* run.publish({ _tag: "StepStarted", executionId: run.executionId, step: "organization", total: 1 })
    const found = yield* activity(
      run,
      activityName("organizationFind"),
      Schema.OptionFromNullOr(OrganizationFound),
      retry(Effect.map(
        Ops.findOrganization(spec.organization),
        Option.map((org) => ({ id: org.id, name: org.name, countryId: org.countryId, timezoneId: org.timezoneId }))
      ))
    )
    const wanted = spec.organization
    // a field Make did not send is unknown, not different: only what is known to differ is changed
    const changes = (org: typeof OrganizationFound.Type) => ({
      ...(org.name === wanted.name ? {} : { name: wanted.name }),
      ...(differs(org.countryId, wanted.countryId) ? { countryId: wanted.countryId } : {}),
      ...(differs(org.timezoneId, wanted.timezoneId) ? { timezoneId: wanted.timezoneId } : {})
    })
    const { externalId: _, ...body } = wanted
    const entry = yield* converge(run, {
      step: "organization",
      resource: "organization",
      key: wanted.name,
      found,
      idOf: (org) => org.id,
      same: (org) => Object.keys(changes(org)).length === 0,
      update: {
        name: activityName("organizationUpdate"),
        send: (org) => Effect.flatMap(Organizations, (orgs) => orgs.update(org.id, changes(org)))
      },
      missing: {
        _tag: "Create",
        name: activityName("organizationCreate"),
        create: Effect.flatMap(Organizations, (orgs) =>
          Effect.flatMap(orgs.create(body), ({ organization }) =>
            Effect.as(
              organization.teams === undefined
                ? Effect.void
                : Ref.set(answeredTeams, Option.some(organization.teams.map((t) => ({ id: t.id, name: t.name })))),
              { id: organization.id, name: organization.name }
            ))),
        find: Ops.findOrganizationByName(wanted)
      }
    })
    const id = Number(entry.id)
    yield* Ref.set(run.organizationId, id)
    // The zone must have it before anything refers to it; its licence decides about variables and the rate limit.
    const synced = yield* activity(
      run,
      activityName("organizationSync"),
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
    yield* run.publish({
      _tag: "StepDone",
      executionId: run.executionId,
      step: "organization",
      counts: countStatuses([entry])
    })
    const createdTeams = entry.status === "created" ? yield* Ref.get(answeredTeams) : Option.none()
    return { id, entry, customVariables: synced.customVariables, createdTeams }
  }).pipe(inStep("organization"))

/**
 * 2. Teams: kept, renamed (found by externalId), or created exactly once. An organization this execution has just
 * created holds the teams Make's answer to the create listed (`createdTeams`): nobody else knew its id yet, so they
 * stand for the list, and the step saves that round trip, one of the four before the first team is created. They are
 * journaled as the list would be, so that a resumed execution compares the spec with the same teams (a list taken
 * then would show this run's creates as found, and a rollback would leave them). Any other organization (found,
 * adopted after a lost answer, or created by an execution this one resumes before its list was journaled) is listed.
 */
export const teamsStep = (
  run: Run,
  organizationId: number,
  createdTeams: Option.Option<ReadonlyArray<TeamFound>> = Option.none()
) =>
  Effect.gen(function*() {
    const retry = Ops.retryTransient(run.options.maxAttempts)
    const list = retry(Effect.map(Ops.liveTeams(organizationId), (teams) =>
      teams.map((team) => ({
        id: team.id,
        name: team.name,
        ...(team.externalId === undefined ? {} : { externalId: team.externalId })
      }))))
    const existing = yield* activity(
      run,
      activityName("teamsList"),
      TeamsFound,
      Option.match(createdTeams, { onNone: () => list, onSome: Effect.succeed })
    ).pipe(inStep("teams"))
    return yield* eachToEnd(run, "teams", run.spec.teams, (team) =>
      converge(run, {
        step: "teams",
        resource: "team",
        key: team.name,
        found: Ops.matchTeam(team, existing),
        idOf: (found) => found.id,
        same: (found) => found.name === team.name,
        update: {
          name: activityName("teamUpdate", { key: team.name }),
          send: (found) => Effect.flatMap(AdminTeams, (teams) => teams.update(found.id, { name: team.name }))
        },
        missing: {
          _tag: "Create",
          name: activityName("teamCreate", { key: team.name }),
          create: Effect.flatMap(AdminTeams, (teams) =>
            Effect.map(teams.create({ name: team.name, organizationId }), ({ team }) => ({
              id: team.id,
              name: team.name
            }))),
          find: Effect.map(
            Ops.liveTeams(organizationId),
            (live) =>
              Option.fromNullishOr(live.find((t) => t.name === team.name))
          )
        }
      }))
  })

/** 3. Variables: kept, updated, created exactly once; skipped (or failed) without the licence. */
export const variablesStep = (run: Run, organizationId: number, customVariables: boolean) =>
  Effect.gen(function*() {
    const { options, spec } = run
    const retry = Ops.retryTransient(options.maxAttempts)
    if (!customVariables && spec.variables.length > 0 && options.variablesWithoutLicense === "fail") {
      return yield* Effect.fail(
        new StepFailed("variables", new MakeError.FeatureUnavailable({ organizationId, feature: "customVariables" }))
      )
    }
    const existing = customVariables && spec.variables.length > 0
      ? yield* activity(
        run,
        activityName("variablesList"),
        Schema.Array(OrganizationVariable),
        retry(Ops.customVariables(organizationId))
      ).pipe(inStep("variables"))
      : []
    return yield* eachToEnd(run, "variables", spec.variables, (variable) => {
      const key = variable.name
      if (!customVariables) {
        return done(run, "variables", {
          resource: "variable",
          key,
          status: "skipped",
          detail: `organization ${organizationId} has no customVariables in its licence`
        })
      }
      return converge(run, {
        step: "variables",
        resource: "variable",
        key,
        found: Option.fromNullishOr(existing.find((v) => v.name === key)),
        idOf: () => key,
        same: (current) => Ops.sameVariable(variable, current),
        update: {
          name: activityName("variableUpdate", { key }),
          send: () => Effect.flatMap(OrganizationVariables, (vars) => vars.update(organizationId, key, variable))
        },
        missing: {
          _tag: "Create",
          name: activityName("variableCreate", { key }),
          create: Effect.flatMap(OrganizationVariables, (vars) => vars.create(organizationId, variable)),
          find: Effect.map(
            Ops.customVariables(organizationId),
            (all) => Option.fromNullishOr(all.find((v) => v.name === key))
          )
        }
      })
    })
  })

/**
 * 4. Invitations, with team names resolved to ids. Make cannot list pending invitations, so an invitation is sent at
 * most once: one an earlier generation sent is kept, one whose answer was lost (or whose sender died) is `unconfirmed`
 * and never re-sent, one to a member is kept. (Not a {@link converge}: there is nothing to find, compare or update.)
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
      yield* Activity.make({ name: activityName("invitationIntent", { key }), execute: Ref.set(intentNow, true) })
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
      const outcome = yield* activity(run, activityName("invitation", { key }), InvitationOutcome, send)
      return yield* done(run, "invitations", {
        resource: "invitation",
        key,
        status: outcome.status,
        ...(outcome.hash === undefined ? {} : { id: outcome.hash }),
        ...(outcome.detail === undefined ? {} : { detail: outcome.detail })
      })
    }))

/** 5. Feature controls: switched where they differ (PATCH is idempotent; one Make did not list is switched too). */
export const featureControlsStep = (run: Run, organizationId: number) =>
  Effect.gen(function*() {
    const retry = Ops.retryTransient(run.options.maxAttempts)
    const existing = run.spec.featureControls.length === 0 ? [] : yield* activity(
      run,
      activityName("featureControlsList"),
      ControlsFound,
      retry(Effect.map(Ops.featureControls(organizationId), (controls) =>
        controls.map((control) => ({
          id: control.id,
          ...(control.enabled === undefined ? {} : { enabled: control.enabled })
        }))))
    ).pipe(inStep("featureControls"))
    return yield* eachToEnd(run, "featureControls", run.spec.featureControls, (control) =>
      converge(run, {
        step: "featureControls",
        resource: "featureControl",
        key: String(control.id),
        found: Option.fromNullishOr(existing.find((c) => c.id === control.id)),
        idOf: (current) => current.id,
        same: (current) => current.enabled === control.enabled,
        update: {
          name: activityName("featureControlUpdate", { key: control.id }),
          send: () => Effect.flatMap(FeatureControls, (controls) => controls.update(organizationId, control))
        },
        missing: { _tag: "Absent", absent: { id: control.id } },
        detail: control.enabled ? "enabled" : "disabled"
      }))
  })
