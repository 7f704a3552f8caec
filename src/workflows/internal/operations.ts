// The reads behind plan (and, once the engine is ported, provision and decommission), over the services only: lookups
// of a spec's entities and retries of transient failures. The workflows: imports `effect`, services, workflows/.
/**
 * @since 1.0.0
 * @internal
 */
import { Effect, Equal, Option, Schedule, Stream } from "effect"
import { AdminTeams } from "../../AdminTeams.js"
import type { Organization } from "../../domain/Organization.js"
import type { OrganizationVariable } from "../../domain/OrganizationVariable.js"
import type { Team } from "../../domain/Team.js"
import { FeatureControls } from "../../FeatureControls.js"
import type { Invitations } from "../../Invitations.js"
import { Organizations } from "../../Organizations.js"
import { OrganizationVariables } from "../../OrganizationVariables.js"
import { Conflict, type StepError } from "../ProvisionResult.js"
import type { OrganizationSpec, TeamSpec } from "../ProvisionSpec.js"

/**
 * The services the workflows use.
 *
 * @internal
 */
export type Services = Organizations | AdminTeams | OrganizationVariables | Invitations | FeatureControls

/**
 * Failures after which Make may answer differently if asked again.
 *
 * @internal
 */
export const isTransient = (error: StepError): boolean =>
  error._tag === "ServerError" || error._tag === "TransportError" || error._tag === "RateLimited" ||
  error._tag === "UnexpectedResponse"

/**
 * Retries a read or an idempotent write (PATCH, DELETE) on transient failures, `maxAttempts` times in all. The client
 * already retried each request; this covers what it leaves (a 500, a budget spent under a long outage).
 *
 * @internal
 */
export const retryTransient = (maxAttempts: number) =>
<A, R>(
  effect: Effect.Effect<A, StepError, R>
): Effect.Effect<A, StepError, R> =>
  Effect.retry(effect, {
    // 1 s, 2 s, 4 s, ... up to 20 s: Effect 3's `union` of the two is the shorter delay, `Schedule.min` on Effect 4
    schedule: Schedule.min([Schedule.exponential("1 second"), Schedule.spaced("20 seconds")]),
    times: Math.max(0, maxAttempts - 1),
    while: isTransient
  })

// ---------------------------------------------------------------------------
// Lookups
// ---------------------------------------------------------------------------

const organizationColumns = ["countryId", "timezoneId", "externalId", "license"] as const

/**
 * The organization a spec means: the one with its `externalId` when given, else the one with its name (and no other
 * externalId). Two candidates are a {@link Conflict}.
 *
 * @internal
 */
export const findOrganization = (
  spec: typeof OrganizationSpec.Type
): Effect.Effect<Option.Option<Organization>, StepError, Organizations> =>
  Effect.gen(function*() {
    const orgs = yield* Organizations
    if (spec.externalId !== undefined) {
      const page = yield* orgs.list({ externalId: spec.externalId, cols: [...organizationColumns] })
      const withId = page.items.filter((org) => org.externalId === spec.externalId && org.deleted !== true)
      if (withId.length > 1) {
        return yield* new Conflict({
          resource: "organization",
          detail: `${withId.length} organizations have the externalId "${spec.externalId}"`
        })
      }
      if (withId[0] !== undefined) return Option.some(withId[0])
    }
    return yield* findOrganizationByName(spec)
  })

/**
 * The organization with the spec's name, whose externalId is unset or the spec's.
 *
 * @internal
 */
export const findOrganizationByName = (
  spec: typeof OrganizationSpec.Type
): Effect.Effect<Option.Option<Organization>, StepError, Organizations> =>
  Effect.gen(function*() {
    const orgs = yield* Organizations
    const all = yield* Stream.runCollect(orgs.stream({ cols: [...organizationColumns] }))
    const named = all.filter((org) =>
      org.name === spec.name && org.deleted !== true &&
      (org.externalId === undefined || org.externalId === spec.externalId)
    )
    if (named.length > 1) {
      return yield* new Conflict({
        resource: "organization",
        detail: `${named.length} organizations are named "${spec.name}"; give the spec an externalId`
      })
    }
    return Option.fromNullishOr(named[0])
  })

/**
 * The organization's teams that are not deleted.
 *
 * @internal
 */
export const liveTeams = (organizationId: number): Effect.Effect<ReadonlyArray<Team>, StepError, AdminTeams> =>
  Effect.flatMap(AdminTeams, (teams) =>
    Effect.map(
      Stream.runCollect(teams.stream(organizationId)),
      (all) => all.filter((team) => team.deleted !== true)
    ))

/**
 * The team a spec means among the live ones: by externalId when given, else by name.
 *
 * @internal
 */
export const matchTeam = <T extends { readonly name: string; readonly externalId?: string | undefined }>(
  spec: typeof TeamSpec.Type,
  teams: ReadonlyArray<T>
): Option.Option<T> =>
  Option.fromNullishOr(
    spec.externalId !== undefined
      ? teams.find((team) => team.externalId === spec.externalId) ??
        teams.find((team) => team.name === spec.name && team.externalId === undefined)
      : teams.find((team) => team.name === spec.name)
  )

/**
 * The organization's custom variables (system ones left out).
 *
 * @internal
 */
export const customVariables = (
  organizationId: number
): Effect.Effect<ReadonlyArray<OrganizationVariable>, StepError, OrganizationVariables> =>
  Effect.flatMap(
    OrganizationVariables,
    (variables) =>
      Effect.map(variables.list(organizationId), (all) => all.filter((variable) => variable.isSystem !== true))
  )

/**
 * Whether a variable already holds what the spec says (a date compared as an instant).
 *
 * @internal
 */
export const sameVariable = (
  wanted: { readonly typeId: number; readonly value: unknown },
  actual: { readonly typeId: number; readonly value: unknown }
): boolean => wanted.typeId === actual.typeId && Equal.equals(wanted.value, actual.value)

/**
 * The organization's feature controls.
 *
 * @internal
 */
export const featureControls = (organizationId: number) =>
  Effect.flatMap(FeatureControls, (controls) => controls.list(organizationId))
