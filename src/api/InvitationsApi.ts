/**
 * The contract of organization invitations: invite a user, read an invitation by hash, accept it.
 *
 * @since 1.0.0
 */
// The contract of organization invitations: invite a user, read an invitation by hash, accept it.
// Floor 2: imports `effect`, `effect/http-api`, domain/ and the contract's shared modules.
import { Effect, Schema, SchemaIssue, SchemaTransformation } from "effect"
import { HttpApiEndpoint, HttpApiGroup, OpenApi } from "effect/http-api"
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

/** The membership record as it travels: it carries the organization and the role, so the invitation may omit them. */
const Membership = Schema.Struct({
  userOrganizationRole: Schema.Struct({
    organizationId: Schema.Number,
    usersRoleId: Optional(Schema.Number),
    invitation: Schema.Struct({ ...InviteAnswer.fields, organizationId: Optional(Schema.Number) })
  })
})

/**
 * An invitation inside the membership record it will create: the record carries the organization and the role, so
 * the invitation itself may leave them out. Decodes to an {@link InviteAnswer}, as the other envelopes of an invite
 * do; {@link InvitationEnvelope} then requires the e-mail and the name, which only an invite's request can fill.
 *
 * @since 1.0.0
 * @category envelopes
 */
export const InvitationInMembership = Membership.pipe(
  Schema.decodeTo(
    Schema.toType(InviteAnswer),
    SchemaTransformation.transform({
      decode: ({ userOrganizationRole: role }): InviteAnswer => {
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
    })
  )
)

/**
 * The answer of an invite: the invitation under any envelope the tolerant reader accepts (including the membership
 * that wraps it), where the e-mail and the name may be left out. The Invitations service fills what the answer
 * leaves out from the request, so `invite` still answers a whole {@link Invitation}.
 *
 * @since 1.0.0
 * @category envelopes
 */
export const InviteAnswerEnvelope = Envelope.entity(InviteAnswer, ["invitation", "invitations"], InvitationInMembership)

/** The membership record read as a whole invitation: e-mail and name required, as no request carried them. */
const WholeInvitationInMembership = InvitationInMembership.pipe(
  Schema.decodeTo(
    Schema.toType(Invitation),
    SchemaTransformation.transformEffect<Invitation, InviteAnswer>({
      decode: (answer, options) => {
        const { email, name } = answer
        return email === undefined || name === undefined
          ? Effect.fail(
            new SchemaIssue.InvalidValue({ message: "an invitation needs its email and name" }, answer, options)
          )
          : Effect.succeed({ ...answer, email, name })
      },
      encode: (invitation) => Effect.succeed(invitation)
    })
  )
)

/**
 * The answer of an invitation read: the invitation, under any envelope the tolerant reader accepts (including the
 * membership that wraps it), e-mail and name required (no request carried them).
 *
 * @since 1.0.0
 * @category envelopes
 */
export const InvitationEnvelope = Envelope.entity(
  Invitation,
  ["invitation", "invitations"],
  WholeInvitationInMembership
)
/**
 * The answer of accepting an invitation: the user's role in the organization, under any envelope the tolerant reader
 * accepts.
 *
 * @since 1.0.0
 * @category envelopes
 */
export const InvitationAccepted = Envelope.entity(UserOrganizationRole, [
  "userOrganizationRole",
  "userOrganizationRoles"
])

/**
 * The invitations group of the contract.
 *
 * @since 1.0.0
 * @category contract
 */
export class InvitationsApi extends HttpApiGroup.make("invitations")
  .add(
    HttpApiEndpoint.post("invite", "/organizations/:organizationId/invite", {
      params: organizationId,
      payload: InviteUser,
      success: InviteAnswerEnvelope,
      error: Errors.NotFound
    }).annotate(OpenApi.Summary, "Invite a user to the organization"),
    HttpApiEndpoint.get("get", "/organizations/invitation", {
      query: { hash: InvitationHash },
      success: InvitationEnvelope,
      error: Errors.NotFound
    }).annotate(OpenApi.Summary, "Invitation detail"),
    HttpApiEndpoint.post("accept", "/organizations/accept-invitation", {
      payload: Schema.Struct({ hash: InvitationHash }),
      success: InvitationAccepted,
      error: Errors.NotFound
    }).annotate(OpenApi.Summary, "Accept invitation")
  )
  .middleware(Authentication)
  .annotate(OpenApi.Title, "Invitations")
  .annotate(
    OpenApi.Description,
    "Invite users into an organization and its teams; read and accept an invitation by its hash."
  )
{}
