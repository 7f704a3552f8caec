// The emulator's Invitations area: invite, read by hash, accept (the user joins the organization and its teams).
// Imports `effect`, `@effect/platform`, api/, domain/ and testing/.
/**
 * @since 0.1.0
 * @internal
 */
import { HttpApiBuilder } from "@effect/platform"
import { Array as Arr, Effect, Either, Option, type Schema } from "effect"
import { InvitationAccepted, InvitationEnvelope } from "../../api/InvitationsApi.js"
import { MakeHttpApi } from "../../api/MakeHttpApi.js"
import type { Invitation } from "../../domain/Invitation.js"
import { defaultInvitedRoleId, invitationHash, teamMemberRoleId } from "../EmulatorCatalog.js"
import { invalidRequest, invitationNotFound } from "./Errors.js"
import type { InvitationRecord, MembershipRecord, OrganizationRecord, UserRecord } from "./Records.js"
import {
  commit,
  type Data,
  type EmulatorState,
  findUserByEmail,
  isMember,
  keys,
  liveTeamsOf,
  lookup,
  put,
  remove,
  setTeamRole,
  snapshot,
  transact
} from "./Store.js"
import { answer, nowIso, requireOrganization } from "./Wire.js"

// ---------------------------------------------------------------------------
// Operations
// ---------------------------------------------------------------------------

/**
 * An invitation by hash, pending or accepted.
 *
 * @since 0.1.0
 * @category queries
 */
export const findInvitation = (data: Data, hash: string): Option.Option<InvitationRecord> =>
  lookup(data.invitations, hash)

/**
 * What `POST /organizations/{organizationId}/invite` needs (the caller has checked the organization and the teams).
 *
 * @since 0.1.0
 * @category models
 */
export type NewInvitation = Pick<
  InvitationRecord,
  "organizationId" | "email" | "name" | "usersRoleId" | "note" | "teamsId" | "createdAt"
>

/**
 * Adds a pending invitation with the next id and the hash of that id.
 *
 * @since 0.1.0
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
 * @since 0.1.0
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
 * @since 0.1.0
 * @category wire
 */
export const invitationBody = (
  invitation: InvitationRecord,
  organization: OrganizationRecord
): Schema.Schema.Encoded<typeof Invitation> => ({
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
// Handlers
// ---------------------------------------------------------------------------

/**
 * The Invitations group over the state.
 *
 * @since 0.1.0
 * @category layers
 */
export const invitationsLive = (state: EmulatorState) =>
  HttpApiBuilder.group(MakeHttpApi, "invitations", (handlers) =>
    handlers
      .handle("invite", ({ path, payload }) =>
        Effect.gen(function*() {
          const createdAt = yield* nowIso
          const { invitation, org } = yield* transact(state, (data) =>
            Either.gen(function*() {
              const org = yield* requireOrganization(data, path.organizationId)
              const teamIds = liveTeamsOf(data, org.id).map((team) => team.id)
              const teamsId = payload.teamsId ?? []
              const problems = Arr.filterMap(teamsId, (teamId, i) =>
                teamIds.includes(teamId)
                  ? Option.none()
                  : Option.some(`teamsId.${i}: team ${teamId} is not a team of organization ${org.id}`))
              const member = Option.exists(
                findUserByEmail(data, payload.email),
                (user) => isMember(data, user.id, org.id)
              )
              const all = member
                ? Arr.append(problems, `email: ${payload.email} is already a member of organization ${org.id}`)
                : problems
              if (all.length > 0) return yield* Either.left(invalidRequest(all))
              const [invitation, next] = addInvitation({
                organizationId: org.id,
                email: payload.email,
                name: payload.name,
                usersRoleId: payload.usersRoleId ?? defaultInvitedRoleId,
                note: payload.note ?? null,
                teamsId,
                createdAt
              })(data)
              return commit({ invitation, org }, next)
            }))
          return answer(InvitationEnvelope, { invitation: invitationBody(invitation, org) })
        }))
      .handle("get", ({ urlParams }) =>
        Effect.gen(function*() {
          const data = yield* snapshot(state)
          const invitation = yield* Either.fromOption(
            findInvitation(data, urlParams.hash),
            () => invitationNotFound(urlParams.hash)
          )
          const org = yield* requireOrganization(data, invitation.organizationId)
          return answer(InvitationEnvelope, { invitation: invitationBody(invitation, org) })
        }))
      .handle("accept", ({ payload }) =>
        Effect.gen(function*() {
          // An invitation can be accepted once: afterwards its hash is as unknown as a wrong one.
          const membership = yield* transact(state, (data) =>
            Either.map(
              Either.fromOption(
                Option.filter(findInvitation(data, payload.hash), (invitation) => !invitation.accepted),
                () => invitationNotFound(payload.hash)
              ),
              (invitation) => acceptInvitation(invitation)(data)
            ))
          return answer(InvitationAccepted, {
            userOrganizationRole: {
              userId: membership.userId,
              organizationId: membership.organizationId,
              usersRoleId: membership.usersRoleId,
              invitation: null
            }
          })
        })))
