/**
 * The contract of White Label Admin > Teams: paths, Make's query names, payloads, success envelopes and errors.
 *
 * @since 1.0.0
 */
// The contract of White Label Admin > Teams: paths, Make's query names, payloads, success envelopes and errors.
// Floor 2: imports `effect`, `effect/http-api`, domain/, Pagination and the contract's shared modules.
import { Schema } from "effect"
import { HttpApiEndpoint, HttpApiGroup, OpenApi } from "effect/http-api"
import { Optional } from "../domain/Common.js"
import { CreateTeam, Team, UpdateTeam, UserTeamRole } from "../domain/Team.js"
import { PageInfo, pgUrlFields, pgWireKeys } from "../Pagination.js"
import * as Envelope from "./Envelope.js"
import * as Errors from "./Errors.js"
import { NumberFromString } from "./Params.js"
import { Authentication } from "./Security.js"

/**
 * `:teamId` in a path.
 *
 * @since 1.0.0
 * @category params
 */
export const teamId = { teamId: NumberFromString }

// ---------------------------------------------------------------------------
// Envelopes, all documented (admin-teams.txt) and decoded strictly: list `{teams, pg}`, create `{team,
// userTeamRole}`, update answers the bare team. Delete answers `{"team": <id>}`, but its result is `void`, so any
// body is taken (Envelope.AnyBody): a body a void call does not need never fails it.
// ---------------------------------------------------------------------------

/**
 * The answer of the Admin > Teams list: one page of teams and Make's `pg` echo.
 *
 * @since 1.0.0
 * @category envelopes
 */
export const TeamList = Schema.Struct({ teams: Schema.Array(Team), pg: PageInfo })
/**
 * The answer of creating a team: the team and, when Make sends it, the caller's role in it.
 *
 * @since 1.0.0
 * @category envelopes
 */
export const TeamCreated = Schema.Struct({ team: Team, userTeamRole: Optional(UserTeamRole) })

/**
 * Query of `GET /admin/teams`.
 *
 * @since 1.0.0
 * @category params
 */
export const ListTeamsParams = Schema.Struct({
  /** The organization whose teams to list. */
  organizationId: NumberFromString,
  /** White Label: the team's id in an external system. */
  externalId: Schema.optional(Schema.String),
  ...pgUrlFields
}).pipe(Schema.encodeKeys(pgWireKeys))

/**
 * The White Label Admin > Teams group of the contract.
 *
 * @since 1.0.0
 * @category contract
 */
export class AdminTeamsApi extends HttpApiGroup.make("adminTeams")
  .add(
    HttpApiEndpoint.get("list", "/admin/teams", {
      query: ListTeamsParams,
      success: TeamList,
      error: Errors.NotFound
    }).annotate(OpenApi.Summary, "List teams"),
    HttpApiEndpoint.post("create", "/admin/teams", {
      payload: CreateTeam,
      success: TeamCreated,
      error: Errors.NotFound
    }).annotate(OpenApi.Summary, "Create a team"),
    HttpApiEndpoint.patch("update", "/admin/teams/:teamId", {
      params: teamId,
      payload: UpdateTeam,
      success: Team,
      error: Errors.NotFound
    }).annotate(OpenApi.Summary, "Update team"),
    HttpApiEndpoint.delete("delete", "/admin/teams/:teamId", {
      params: teamId,
      success: [Envelope.AnyBody, Envelope.AnyBodyNoContent],
      error: Errors.NotFound
    }).annotate(OpenApi.Summary, "Delete a team")
  )
  .middleware(Authentication)
  .annotate(OpenApi.Title, "Admin > Teams")
  .annotate(
    OpenApi.Description,
    "White Label administration of teams: list an organization's teams, create, rename and delete them."
  )
{}
