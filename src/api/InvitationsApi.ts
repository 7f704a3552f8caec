// The contract of organization invitations: invite a user, read an invitation by hash, accept it.
// Floor 2: imports `effect`, `@effect/platform`, domain/ and the wire errors.
/**
 * @since 0.1.0
 */
import { HttpApiEndpoint, HttpApiGroup, OpenApi } from "@effect/platform"
import { Schema } from "effect"
import { Invitation, InvitationHash, InviteUser } from "../domain/Invitation.js"
import { UserOrganizationRole } from "../domain/Organization.js"
import * as Errors from "./Errors.js"
import { organizationId } from "./OrganizationsApi.js"
import { Authentication } from "./Security.js"

// ---------------------------------------------------------------------------
// Envelopes: none is documented. Following the API's convention (one entity under its singular name), invite and
// invitation detail answer `{"invitation": {...}}`, accept answers `{"userOrganizationRole": {...}}` (the
// membership it creates, as organization creation answers it).
// ---------------------------------------------------------------------------

/** @since 0.1.0 @category envelopes */
export const InvitationEnvelope = Schema.Struct({ invitation: Invitation })
/** @since 0.1.0 @category envelopes */
export const InvitationAccepted = Schema.Struct({ userOrganizationRole: UserOrganizationRole })

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
      .addSuccess(InvitationEnvelope)
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
{}
