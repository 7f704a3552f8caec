/**
 * The contract of organization invitations: invite a user, read an invitation by hash, accept it.
 *
 * @since 0.1.0
 */
// Floor 2: imports `effect`, `@effect/platform`, domain/ and the wire errors.
import { HttpApiEndpoint, HttpApiGroup, OpenApi } from "@effect/platform"
import { Schema } from "effect"
import { Optional } from "../domain/Common.js"
import { Invitation, InvitationHash, InviteAnswer, InviteUser } from "../domain/Invitation.js"
import { UserOrganizationRole } from "../domain/Organization.js"
import * as Envelope from "./Envelope.js"
import * as Errors from "./Errors.js"
import { organizationId } from "./OrganizationsApi.js"
import { Authentication } from "./Security.js"

// ---------------------------------------------------------------------------
// Envelopes: none is documented, so each accepts the shapes of the policy in Envelope.ts; the first key is the one
// the emulator answers. Invite and invitation detail: `{"invitation": {...}}`, `{"data": {...}}`, or the
// membership record that wraps the invitation, as organization creation answers it:
// `{"userOrganizationRole": {userId, organizationId, usersRoleId, invitation: {hash, ...}}}` (seen on invite).
// An invite's answer may also leave out what the request carried (seen: no `name`): its schema takes the invitation
// without e-mail and name, and the service fills them (and role and teams) from the request.
// Accept: `{"userOrganizationRole": {...}}` (the membership it creates).
// ---------------------------------------------------------------------------

/**
 * An invitation inside the membership record it will create: the record carries the organization and the role, so
 * the invitation itself may leave them out. Decodes to an {@link InviteAnswer}, as the other envelopes of an invite
 * do; {@link InvitationEnvelope} then requires the e-mail and the name, which only an invite's request can fill.
 *
 * @since 0.1.0
 * @category envelopes
 */
export const InvitationInMembership = Schema.transform(
  Schema.Struct({
    userOrganizationRole: Schema.Struct({
      organizationId: Schema.Number,
      usersRoleId: Optional(Schema.Number),
      invitation: Schema.Struct({ ...InviteAnswer.fields, organizationId: Optional(Schema.Number) })
    })
  }),
  Schema.typeSchema(InviteAnswer),
  {
    strict: true,
    decode: ({ userOrganizationRole: role }) => {
      const usersRoleId = role.invitation.usersRoleId ?? role.usersRoleId
      return {
        ...role.invitation,
        organizationId: role.invitation.organizationId ?? role.organizationId,
        ...(usersRoleId === undefined ? {} : { usersRoleId })
      }
    },
    encode: (invitation) => ({
      userOrganizationRole: {
        organizationId: invitation.organizationId,
        ...(invitation.usersRoleId === undefined ? {} : { usersRoleId: invitation.usersRoleId }),
        invitation
      }
    })
  }
)

/**
 * The answer of an invite: the invitation under any envelope the tolerant reader accepts (including the membership
 * that wraps it), where the e-mail and the name may be left out. The Invitations service fills what the answer
 * leaves out from the request, so `invite` still answers a whole {@link Invitation}.
 *
 * @since 0.1.0
 * @category envelopes
 */
export const InviteAnswerEnvelope = Envelope.entity(InviteAnswer, ["invitation", "invitations"], InvitationInMembership)

/**
 * The answer of an invitation read: the invitation, under any envelope the tolerant reader accepts (including the
 * membership that wraps it), e-mail and name required (no request carried them).
 *
 * @since 0.1.0
 * @category envelopes
 */
export const InvitationEnvelope = Envelope.entity(
  Invitation,
  ["invitation", "invitations"],
  // not strict: the membership decodes to the looser InviteAnswer, which the invitation's own type then checks
  Schema.compose(InvitationInMembership, Schema.typeSchema(Invitation), { strict: false })
)
/**
 * The answer of accepting an invitation: the user's role in the organization, under any envelope the tolerant reader
 * accepts.
 *
 * @since 0.1.0
 * @category envelopes
 */
export const InvitationAccepted = Envelope.entity(UserOrganizationRole, [
  "userOrganizationRole",
  "userOrganizationRoles"
])

/**
 * The invitations group of the contract.
 *
 * @since 0.1.0
 * @category contract
 */
export class InvitationsApi extends HttpApiGroup.make("invitations")
  .add(
    HttpApiEndpoint.post("invite")`/organizations/${organizationId}/invite`
      .setPayload(InviteUser)
      .addSuccess(InviteAnswerEnvelope)
      .addError(Errors.NotFound)
      .annotate(OpenApi.Summary, "Invite a user to the organization")
  )
  .add(
    HttpApiEndpoint.get("get", "/organizations/invitation")
      .setUrlParams(Schema.Struct({ hash: InvitationHash }))
      .addSuccess(InvitationEnvelope)
      .addError(Errors.NotFound)
      .annotate(OpenApi.Summary, "Invitation detail")
  )
  .add(
    HttpApiEndpoint.post("accept", "/organizations/accept-invitation")
      .setPayload(Schema.Struct({ hash: InvitationHash }))
      .addSuccess(InvitationAccepted)
      .addError(Errors.NotFound)
      .annotate(OpenApi.Summary, "Accept invitation")
  )
  .middleware(Authentication)
  .annotate(OpenApi.Title, "Invitations")
  .annotate(
    OpenApi.Description,
    "Invite users into an organization and its teams; read and accept an invitation by its hash."
  )
{}
