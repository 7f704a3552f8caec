// The reads and writes behind plan, provision and decommission, over the services only: lookups of a spec's entities,
// retries of transient failures, the exactly-once create and the at-most-once invitation. The workflows: imports
// `effect`, services, workflows/.
/**
 * @since 1.0.0
 * @internal
 */
import { Duration, Effect, Equal, Option, Schedule, Stream } from "effect"
import { AdminTeams } from "../../AdminTeams.js"
import type { Organization } from "../../domain/Organization.js"
import type { OrganizationVariable } from "../../domain/OrganizationVariable.js"
import type { Team } from "../../domain/Team.js"
import { FeatureControls } from "../../FeatureControls.js"
import { Invitations } from "../../Invitations.js"
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

/**
 * Failures of a create after which it may have been processed: a 5xx, a reset or a timeout, an answer that could not
 * be read. (A 429 was refused before anything was done; a refused connection never reached Make, but the transport
 * error does not always say which, so it is looked up too.)
 *
 * @internal
 */
export const isAmbiguous = (error: StepError): boolean =>
  error._tag === "ServerError" || error._tag === "TransportError" || error._tag === "UnexpectedResponse"

/**
 * The pause before attempt `attempt + 1` (1 s, 2 s, 4 s, ... up to 20 s), on the `Clock`.
 *
 * @internal
 */
export const backoff = (attempt: number): Duration.Duration => Duration.seconds(Math.min(20, 2 ** (attempt - 1)))

/**
 * What an exactly-once create did: `adoptedAfter` names the failure after which the entity was found rather than
 * created again (`resumed` when a resumed run found it, `interrupted` when the engine ran the activity again).
 *
 * @internal
 */
export interface CreateOutcome<A> {
  readonly value: A
  readonly adoptedAfter: Option.Option<string>
}

/**
 * A create that never makes two: after an ambiguous failure (or first, when `lookupFirst` says a previous process may
 * have sent it), `find` looks the entity up and adopts it; only when it is not there is the create sent again. A 429
 * is sent again after a pause. Up to `maxAttempts` creates in all.
 *
 * @internal
 */
export const createOnce = <A, R1, R2>(options: {
  readonly create: Effect.Effect<A, StepError, R1>
  readonly find: Effect.Effect<Option.Option<A>, StepError, R2>
  /** Why to look the entity up before the first send (`resumed`, `interrupted`), if a send may already be in Make. */
  readonly lookupFirst: Option.Option<string>
  readonly maxAttempts: number
}): Effect.Effect<CreateOutcome<A>, StepError, R1 | R2> => {
  const find = retryTransient(options.maxAttempts)(options.find)
  const attempt = (n: number, lost: Option.Option<string>): Effect.Effect<CreateOutcome<A>, StepError, R1 | R2> =>
    Effect.gen(function*() {
      if (Option.isSome(lost)) {
        const found = yield* find
        if (Option.isSome(found)) return { value: found.value, adoptedAfter: lost }
      }
      const outcome = yield* Effect.result(options.create)
      if (outcome._tag === "Success") return { value: outcome.success, adoptedAfter: Option.none() }
      const error = outcome.failure
      if (n >= options.maxAttempts || !(isAmbiguous(error) || error._tag === "RateLimited")) {
        return yield* Effect.fail(error)
      }
      yield* Effect.sleep(backoff(n))
      return yield* attempt(n + 1, isAmbiguous(error) ? Option.some(error._tag) : lost)
    })
  return attempt(1, options.lookupFirst)
}

/**
 * What sending an invitation came to: `created` (Make answered with it), `kept` (the user is already a member), or
 * `unconfirmed` (an answer was lost: Make may hold it or not).
 *
 * @internal
 */
export type InvitationOutcome =
  | { readonly status: "created"; readonly hash: string; readonly detail?: string }
  | { readonly status: "kept" | "unconfirmed"; readonly detail: string }

/**
 * An invitation sent at most once: Make cannot list pending invitations, so after a lost answer (5xx, reset, timeout,
 * an unreadable answer) nobody can tell whether it was made, and it is reported `unconfirmed` rather than sent again,
 * unless `resendOnLostAnswer` (the user may then get two e-mails). Only a 429, refused before anything was done, is
 * sent again after a pause; and whatever follows it is judged as the first send was. (Wrapping the re-send in
 * {@link retryTransient} would send it once more after a 5xx that Make had processed: two invitations.) Up to
 * `maxAttempts` sends in all; a 429 to the last fails the step, unless an earlier answer was lost.
 *
 * @internal
 */
export const inviteAtMostOnce = <R>(options: {
  readonly invite: Effect.Effect<{ readonly hash: string }, StepError, R>
  readonly resendOnLostAnswer: boolean
  readonly maxAttempts: number
}): Effect.Effect<InvitationOutcome, StepError, R> => {
  const send = (n: number, lost: Option.Option<string>): Effect.Effect<InvitationOutcome, StepError, R> =>
    Effect.gen(function*() {
      const sent = yield* Effect.result(options.invite)
      if (sent._tag === "Success") {
        const hash = sent.success.hash
        return Option.match(lost, {
          onNone: (): InvitationOutcome => ({ status: "created", hash }),
          onSome: (tag): InvitationOutcome => ({
            status: "created",
            hash,
            detail: `sent again after a lost answer (${tag})`
          })
        })
      }
      const error = sent.failure
      if (isAlreadyMember(error)) return { status: "kept", detail: "already a member of the organization" }
      const ambiguous = isAmbiguous(error)
      const again = error._tag === "RateLimited" || (ambiguous && options.resendOnLostAnswer)
      if (again && n < options.maxAttempts) {
        yield* Effect.sleep(backoff(n))
        return yield* send(n + 1, ambiguous ? Option.some(error._tag) : lost)
      }
      const lastLost = ambiguous ? Option.some(error._tag) : lost
      if (Option.isSome(lastLost)) {
        return {
          status: "unconfirmed",
          detail: options.resendOnLostAnswer
            ? `the answer was lost (${lastLost.value}) ${n} times; Make cannot list pending invitations`
            : `the answer was lost (${lastLost.value}); Make cannot list pending invitations, so it was not sent again`
        }
      }
      return yield* Effect.fail(error)
    })
  return send(1, Option.none())
}

/**
 * Whether a failed invitation says the user is already a member of the organization (Make's 400 suberror).
 *
 * @internal
 */
export const isAlreadyMember = (error: StepError): boolean =>
  error._tag === "InvalidRequest" && error.suberrors.some((suberror) => /already a member/i.test(suberror.message))

/**
 * The invite call, for the workflow's activity.
 *
 * @internal
 */
export const invite = Effect.fnUntraced(function*(
  organizationId: number,
  body: {
    readonly email: string
    readonly name: string
    readonly usersRoleId?: number | undefined
    readonly teamsId: ReadonlyArray<number>
  }
) {
  const invitations = yield* Invitations
  return yield* invitations.invite(organizationId, {
    email: body.email,
    name: body.name,
    teamsId: body.teamsId,
    ...(body.usersRoleId === undefined ? {} : { usersRoleId: body.usersRoleId })
  })
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
