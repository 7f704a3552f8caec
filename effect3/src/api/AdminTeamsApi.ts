/**
 * The contract of White Label Admin > Teams: paths, Make's query names, payloads, success envelopes and errors.
 *
 * @since 0.1.0
 */
// Floor 2: imports `effect`, `@effect/platform`, domain/, Pagination and the wire errors.
import { HttpApiEndpoint, HttpApiGroup, HttpApiSchema, OpenApi } from "@effect/platform"
import { Schema } from "effect"
import { Optional } from "../domain/Common.js"
import { CreateTeam, Team, UpdateTeam, UserTeamRole } from "../domain/Team.js"
import { PageInfo, pgUrlParams } from "../Pagination.js"
import * as Envelope from "./Envelope.js"
import * as Errors from "./Errors.js"
import { Authentication } from "./Security.js"

/**
 * `{teamId}` in a path.
 *
 * @since 0.1.0
 * @category params
 */
export const teamId = HttpApiSchema.param("teamId", Schema.NumberFromString)

// ---------------------------------------------------------------------------
// Envelopes, all documented (admin-teams.txt) and decoded strictly: list `{teams, pg}`, create `{team,
// userTeamRole}`, update answers the bare team. Delete answers `{"team": <id>}`, but its result is `void`, so any
// body is taken (Envelope.AnyBody): a body a void call does not need never fails it.
// ---------------------------------------------------------------------------

/**
 * The answer of the Admin > Teams list: one page of teams and Make's `pg` echo.
 *
 * @since 0.1.0
 * @category envelopes
 */
export const TeamList = Schema.Struct({ teams: Schema.Array(Team), pg: PageInfo })
/**
 * The answer of creating a team: the team and, when Make sends it, the caller's role in it.
 *
 * @since 0.1.0
 * @category envelopes
 */
export const TeamCreated = Schema.Struct({ team: Team, userTeamRole: Optional(UserTeamRole) })

/**
 * Query of `GET /admin/teams`.
 *
 * @since 0.1.0
 * @category params
 */
export const ListTeamsParams = Schema.Struct({
  /** The organization whose teams to list. */
  organizationId: Schema.NumberFromString,
  /** White Label: the team's id in an external system. */
  externalId: Schema.optional(Schema.String),
  ...pgUrlParams
})

/**
 * The White Label Admin > Teams group of the contract.
 *
 * @since 0.1.0
 * @category contract
 */
export class AdminTeamsApi extends HttpApiGroup.make("adminTeams")
  .add(
    HttpApiEndpoint.get("list", "/admin/teams")
      .setUrlParams(ListTeamsParams)
      .addSuccess(TeamList)
      .addError(Errors.NotFound)
      .annotate(OpenApi.Summary, "List teams")
  )
  .add(
    HttpApiEndpoint.post("create", "/admin/teams")
      .setPayload(CreateTeam)
      .addSuccess(TeamCreated)
      .addError(Errors.NotFound)
      .annotate(OpenApi.Summary, "Create a team")
  )
  .add(
    HttpApiEndpoint.patch("update")`/admin/teams/${teamId}`
      .setPayload(UpdateTeam)
      .addSuccess(Team)
      .addError(Errors.NotFound)
      .annotate(OpenApi.Summary, "Update team")
  )
  .add(
    HttpApiEndpoint.del("delete")`/admin/teams/${teamId}`
      .addSuccess(Envelope.AnyBody)
      .addSuccess(Envelope.AnyBody, { status: 204 })
      .addError(Errors.NotFound)
      .annotate(OpenApi.Summary, "Delete a team")
  )
  .middleware(Authentication)
  .annotate(OpenApi.Title, "Admin > Teams")
  .annotate(
    OpenApi.Description,
    "White Label administration of teams: list an organization's teams, create, rename and delete them."
  )
{}
