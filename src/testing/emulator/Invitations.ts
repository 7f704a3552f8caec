// The emulator's Invitations area, without HTTP: invite, read by hash, accept (the user joins the organization and
// its teams). Imports `effect`, api/, domain/, MakeError and testing/.
/**
 * @since 1.0.0
 * @internal
 */
import { Array as Arr, Option, Result } from "effect"
import { InvitationAccepted, InvitationEnvelope } from "../../api/InvitationsApi.js"
import type { Invitation } from "../../domain/Invitation.js"
import type * as MakeError from "../../MakeError.js"
import { defaultInvitedRoleId, invitationHash, teamMemberRoleId } from "../EmulatorCatalog.js"
import { invalidRequest, invitationNotFound } from "./Errors.js"
import type { InvitationRecord, MembershipRecord, OrganizationRecord, UserRecord } from "./Records.js"
import { type Data, findUserByEmail, isMember, keys, liveTeamsOf, lookup, put, remove, setTeamRole } from "./Store.js"
import { checked, requireOrganization } from "./Wire.js"

// ---------------------------------------------------------------------------
// Operations on the data
// ---------------------------------------------------------------------------

/**
 * An invitation by hash, pending or accepted.
 *
 * @since 1.0.0
 * @category queries
 */
export const findInvitation = (data: Data, hash: string): Option.Option<InvitationRecord> =>
  lookup(data.invitations, hash)

/**
 * What `POST /organizations/{organizationId}/invite` needs (the caller has checked the organization and the teams).
 *
 * @since 1.0.0
 * @category models
 */
export type NewInvitation = Pick<
  InvitationRecord,
  "organizationId" | "email" | "name" | "usersRoleId" | "note" | "teamsId" | "createdAt"
>

/**
 * Adds a pending invitation with the next id and the hash of that id.
 *
 * @since 1.0.0
 * @category operations
 */
export const addInvitation = (input: NewInvitation) => (data: Data): readonly [InvitationRecord, Data] => {
  const id = data.counters.invitation
  const invitation: InvitationRecord = { ...input, id, hash: invitationHash(id), accepted: false }
  return [invitation, {
    ...data,
    invitations: put(data.invitations, invitation),
    counters: { ...data.counters, invitation: id + 1 }
  }]
}

/**
 * Accepts an invitation: the user with the invited e-mail (a new user if there is none) becomes a member of the
 * organization with the invitation's role and Team Member of each of its teams that still exists; the invitation
 * is marked accepted. Answers the membership.
 *
 * @since 1.0.0
 * @category operations
 */
export const acceptInvitation = (invitation: InvitationRecord) => (data: Data): readonly [MembershipRecord, Data] => {
  const known = findUserByEmail(data, invitation.email)
  const user: UserRecord = Option.getOrElse(known, () => ({
    id: data.counters.user,
    name: invitation.name,
    email: invitation.email
  }))
  const membership: MembershipRecord = {
    userId: user.id,
    organizationId: invitation.organizationId,
    usersRoleId: invitation.usersRoleId
  }
  const liveTeamIds = liveTeamsOf(data, invitation.organizationId).map((team) => team.id)
  const withUser: Data = {
    ...data,
    users: Option.isSome(known) ? data.users : Arr.append(data.users, user),
    counters: Option.isSome(known) ? data.counters : { ...data.counters, user: data.counters.user + 1 },
    // A membership the user had is replaced, and the new one goes last.
    memberships: put(remove(data.memberships, keys.membership(membership)), membership),
    invitations: put(data.invitations, { ...invitation, accepted: true })
  }
  const withRoles = invitation.teamsId
    .filter((teamId) => liveTeamIds.includes(teamId))
    .reduce((acc, teamId) => setTeamRole({ userId: user.id, teamId, usersRoleId: teamMemberRoleId })(acc), withUser)
  return [membership, withRoles]
}

// ---------------------------------------------------------------------------
// Wire bodies
// ---------------------------------------------------------------------------

/**
 * An invitation as invite and invitation detail answer it (`note` is `null` when there is none).
 *
 * @since 1.0.0
 * @category wire
 */
export const invitationBody = (
  invitation: InvitationRecord,
  organization: OrganizationRecord
): typeof Invitation.Encoded => ({
  hash: invitation.hash,
  organizationId: invitation.organizationId,
  organizationName: organization.name,
  email: invitation.email,
  name: invitation.name,
  usersRoleId: invitation.usersRoleId,
  note: invitation.note,
  teamsId: invitation.teamsId,
  accepted: invitation.accepted
})

// ---------------------------------------------------------------------------
// What each endpoint does to the data
// ---------------------------------------------------------------------------

/**
 * The answer of invite and invitation detail: the canonical member of `InvitationEnvelope`.
 *
 * @since 1.0.0
 * @category models
 */
export interface InvitationAnswer {
  readonly invitation: typeof Invitation.Encoded
}

/**
 * The answer of accept: the canonical member of `InvitationAccepted`.
 *
 * @since 1.0.0
 * @category models
 */
export interface AcceptAnswer {
  readonly userOrganizationRole: {
    readonly userId: number
    readonly organizationId: number
    readonly usersRoleId: number
    readonly invitation: null
  }
}

/**
 * The body of `POST /organizations/{organizationId}/invite`, decoded.
 *
 * @since 1.0.0
 * @category models
 */
export interface InviteInput {
  readonly email: string
  readonly name: string
  readonly usersRoleId?: number | undefined
  readonly note?: string | undefined
  readonly teamsId?: ReadonlyArray<number> | undefined
}

/**
 * `POST /organizations/{organizationId}/invite` at `createdAt` (ISO 8601): every team must be a live team of the
 * organization and the e-mail must not belong to a member, else Make's 400 with one suberror per problem.
 *
 * @example
 * ```ts
 * import { invite } from "effect-make/testing/emulator/Invitations"
 * declare const data: import("effect-make/testing/emulator/Store").Data
 * const result = invite(11, { email: "fox@example.com", name: "Fox" }, "2026-01-01T00:00:00.000Z")(data)
 * ```
 *
 * @since 1.0.0
 * @category endpoints
 */
export const invite = (organizationId: number, input: InviteInput, createdAt: string) =>
(
  data: Data
): Result.Result<
  readonly [InvitationAnswer, Data],
  MakeError.NotFound | MakeError.InvalidRequest
> =>
  Result.flatMap(
    requireOrganization(data, organizationId),
    (org): Result.Result<readonly [InvitationAnswer, Data], MakeError.InvalidRequest> => {
      const teamIds = liveTeamsOf(data, org.id).map((team) => team.id)
      const teamsId = input.teamsId ?? []
      const problems = teamsId.flatMap((teamId, i) =>
        teamIds.includes(teamId) ? [] : [`teamsId.${i}: team ${teamId} is not a team of organization ${org.id}`]
      )
      const member = Option.exists(findUserByEmail(data, input.email), (user) => isMember(data, user.id, org.id))
      const all = member
        ? Arr.append(problems, `email: ${input.email} is already a member of organization ${org.id}`)
        : problems
      if (all.length > 0) return Result.fail(invalidRequest(all))
      const [invitation, next] = addInvitation({
        organizationId: org.id,
        email: input.email,
        name: input.name,
        usersRoleId: input.usersRoleId ?? defaultInvitedRoleId,
        note: input.note ?? null,
        teamsId,
        createdAt
      })(data)
      const answer = checked(InvitationEnvelope, { invitation: invitationBody(invitation, org) })
      return Result.succeed([answer, next] as const)
    }
  )

/**
 * `GET /organizations/invitation?hash=`: the invitation, pending or accepted.
 *
 * @since 1.0.0
 * @category endpoints
 */
export const getInvitation = (
  data: Data,
  hash: string
): Result.Result<InvitationAnswer, MakeError.NotFound> =>
  Result.flatMap(
    Result.fromOption(findInvitation(data, hash), () => invitationNotFound(hash)),
    (invitation) =>
      Result.map(
        requireOrganization(data, invitation.organizationId),
        (org) => checked(InvitationEnvelope, { invitation: invitationBody(invitation, org) })
      )
  )

/**
 * `POST /organizations/accept-invitation`: an invitation can be accepted once; afterwards its hash is as unknown as
 * a wrong one. Answers the membership it creates.
 *
 * @since 1.0.0
 * @category endpoints
 */
export const accept =
  (hash: string) => (data: Data): Result.Result<readonly [AcceptAnswer, Data], MakeError.NotFound> =>
    Result.map(
      Result.fromOption(
        Option.filter(findInvitation(data, hash), (invitation) => !invitation.accepted),
        () => invitationNotFound(hash)
      ),
      (invitation) => {
        const [membership, next] = acceptInvitation(invitation)(data)
        const answer: AcceptAnswer = checked(InvitationAccepted, {
          userOrganizationRole: {
            userId: membership.userId,
            organizationId: membership.organizationId,
            usersRoleId: membership.usersRoleId,
            invitation: null
          }
        })
        return [answer, next] as const
      }
    )
