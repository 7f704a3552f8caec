/**
 * Invitations of users to an organization: the invite body, the invitation Make answers with, and what an invite's
 * answer may leave out.
 *
 * @since 1.0.0
 */
// Invitations of users to an organization: the invite body, and the invitation Make answers with.
// Floor 1: imports only `effect` and sibling domain modules.
import { Schema } from "effect"
import { Id, Name, Optional, OptionalInput } from "./Common.js"

/**
 * An e-mail address, as Make's registration accepts it (`local@domain.tld`, no spaces), at most 254 characters.
 *
 * @since 1.0.0
 * @category schemas
 */
export const Email = Schema.String.check(
  Schema.isMaxLength(254),
  Schema.isPattern(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, { message: "must be an e-mail address such as ann@example.com" })
).annotate({ identifier: "Email" })

/**
 * An invitation hash (a UUID in Make's links).
 *
 * @since 1.0.0
 * @category schemas
 */
export const InvitationHash = Schema.String.check(
  Schema.isPattern(/^[A-Za-z0-9-]{8,128}$/, { message: "must be an invitation hash such as bf1effe1-bc9d-…" })
).annotate({ identifier: "InvitationHash" })

/**
 * Body of `POST /organizations/{organizationId}/invite`.
 *
 * @since 1.0.0
 * @category request bodies
 */
export const InviteUser = Schema.Struct({
  /** The invited user's registration e-mail. */
  email: Email,
  /** The name shown in the team and organization interface. */
  name: Name,
  /** The organization role to give (see `GET /users/roles`). */
  usersRoleId: OptionalInput(Id),
  /** A note added to the invitation. */
  note: OptionalInput(Schema.String.check(Schema.isMaxLength(1000))),
  /** Teams to add the user to, as team member. */
  teamsId: OptionalInput(Schema.Array(Id))
}).annotate({ identifier: "InviteUser" })

/**
 * The type of the `InviteUser` schema.
 *
 * @since 1.0.0
 * @category request bodies
 */
export type InviteUser = typeof InviteUser.Type

/**
 * An invitation to an organization.
 *
 * @since 1.0.0
 * @category schemas
 */
export const Invitation = Schema.Struct({
  /** The hash that identifies the invitation (in the link the user receives). */
  hash: Schema.String,
  /** The organization the user is invited to. */
  organizationId: Schema.Number,
  /** The organization's name, when Make sends it. */
  organizationName: Optional(Schema.String),
  /** The invited e-mail. */
  email: Schema.String,
  /** The invited user's display name. */
  name: Schema.String,
  /** The organization role the user gets. */
  usersRoleId: Optional(Schema.Number),
  /** The note of the invitation. */
  note: Optional(Schema.String),
  /** Teams the user joins as member. */
  teamsId: Optional(Schema.Array(Schema.Number)),
  /** Whether the invitation has been accepted. */
  accepted: Optional(Schema.Boolean)
}).annotate({ identifier: "Invitation" })

/**
 * A decoded invitation (the type of the `Invitation` schema).
 *
 * @since 1.0.0
 * @category models
 */
export interface Invitation extends Schema.Schema.Type<typeof Invitation> {}

/**
 * An invitation as Make answers an invite: what {@link Invitation} holds, except that `email` and `name` may be left
 * out (the request carried them). The Invitations service fills every field the answer leaves out and the request
 * carried (`email`, `name`, `usersRoleId`, `teamsId`) from the request, so `invite` still answers an
 * {@link Invitation}; a field the answer has wins over the request's.
 *
 * @since 1.0.0
 * @category schemas
 */
export const InviteAnswer = Schema.Struct({
  ...Invitation.fields,
  /** The invited e-mail; the request's when Make leaves it out. */
  email: Optional(Schema.String),
  /** The invited user's display name; the request's when Make leaves it out. */
  name: Optional(Schema.String)
}).annotate({ identifier: "InviteAnswer" })

/**
 * The type of the `InviteAnswer` schema.
 *
 * @since 1.0.0
 * @category models
 */
export interface InviteAnswer extends Schema.Schema.Type<typeof InviteAnswer> {}
