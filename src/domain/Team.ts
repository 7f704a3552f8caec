/**
 * The Team entity as White Label Admin > Teams returns it, and the request bodies of those endpoints.
 *
 * @since 1.0.0
 */
// The Team entity as White Label Admin > Teams returns it, and the request bodies of those endpoints.
// Floor 1: imports only `effect` and sibling domain modules.
import { Schema } from "effect"
import { Count, Id, Name, Optional, OptionalInput } from "./Common.js"

/**
 * A team of an organization.
 *
 * @since 1.0.0
 * @category schemas
 */
export const Team = Schema.Struct({
  /** The team id. */
  id: Schema.Number,
  /** The team name. */
  name: Schema.String,
  /** The organization the team belongs to. */
  organizationId: Schema.Number,
  /** Whether scenario drafts are enabled for the team. */
  scenarioDrafts: Optional(Schema.Boolean),
  /** Whether the team is deleted (Admin > Teams keeps listing deleted teams). */
  deleted: Optional(Schema.Boolean),
  /** The team's id in an external system (White Label); `null` when unset. */
  externalId: Optional(Schema.String),
  /** Operations the team may use (Make sends a number or a numeric string). */
  operationsLimit: Optional(Count),
  /** Data transfer the team may use, in bytes (Make sends a number or a numeric string). */
  transferLimit: Optional(Count)
}).annotate({ identifier: "Team" })

/**
 * A decoded team (the type of the `Team` schema).
 *
 * @since 1.0.0
 * @category models
 */
export interface Team extends Schema.Schema.Type<typeof Team> {}

/**
 * A user's role in a team (`userTeamRole` of the admin team create answer).
 *
 * @since 1.0.0
 * @category models
 */
export const UserTeamRole = Schema.Struct({
  usersRoleId: Schema.Number,
  userId: Schema.Number,
  teamId: Schema.Number,
  changeable: Optional(Schema.Boolean),
  ssoPending: Optional(Schema.Boolean)
}).annotate({ identifier: "UserTeamRole" })

/**
 * The type of the `UserTeamRole` schema.
 *
 * @since 1.0.0
 * @category models
 */
export type UserTeamRole = typeof UserTeamRole.Type

/**
 * Body of `POST /admin/teams`.
 *
 * @since 1.0.0
 * @category request bodies
 */
export const CreateTeam = Schema.Struct({
  /** The name of the team. */
  name: Name,
  /** The organization to create the team in. */
  organizationId: Id,
  /** The user to make team admin; without it, the caller (if a member of the organization). */
  userTeamAdmin: OptionalInput(Id)
}).annotate({ identifier: "CreateTeam" })

/**
 * The type of the `CreateTeam` schema.
 *
 * @since 1.0.0
 * @category request bodies
 */
export type CreateTeam = typeof CreateTeam.Type

/**
 * Body of `PATCH /admin/teams/{teamId}`: only the fields present are changed.
 *
 * @since 1.0.0
 * @category request bodies
 */
export const UpdateTeam = Schema.Struct({
  /** The new name of the team. */
  name: OptionalInput(Name)
}).annotate({ identifier: "UpdateTeam" })

/**
 * The type of the `UpdateTeam` schema.
 *
 * @since 1.0.0
 * @category request bodies
 */
export type UpdateTeam = typeof UpdateTeam.Type
