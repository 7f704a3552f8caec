// The emulator's Admin > Teams area, without HTTP: adding and changing teams (a deleted team stays), their bodies,
// and the pure operations behind the handlers. Imports `effect`, api/, domain/, MakeError and testing/.
/**
 * @since 1.0.0
 * @internal
 */
import { Array as Arr, Option, Result } from "effect"
import type { TeamCreated, TeamList } from "../../api/AdminTeamsApi.js"
import type { Team } from "../../domain/Team.js"
import type * as MakeError from "../../MakeError.js"
import { teamAdminRoleId } from "../EmulatorCatalog.js"
import { teamNotFound } from "./Errors.js"
import type { TeamRecord } from "./Records.js"
import { teamDefaults } from "./Seed.js"
import { type Data, findTeam, put, teamsOf } from "./Store.js"
import { matchesOptional, type PageQuery, paginate, requireOrganization } from "./Wire.js"

// ---------------------------------------------------------------------------
// Operations on the data
// ---------------------------------------------------------------------------

/**
 * What `POST /admin/teams` needs.
 *
 * @since 1.0.0
 * @category models
 */
export interface NewTeam {
  readonly name: string
  readonly organizationId: number
}

/**
 * Adds a team whose Team Admin is `admin` (the caller has checked that the organization exists).
 *
 * @example
 * ```ts
 * import { addTeam } from "effect-make/testing/emulator/AdminTeams"
 * declare const data: import("effect-make/testing/emulator/Store").Data
 * const [team, next] = addTeam({ name: "Sales", organizationId: 12 }, 1)(data)
 * ```
 *
 * @since 1.0.0
 * @category operations
 */
export const addTeam = (input: NewTeam, admin: number) => (data: Data): readonly [TeamRecord, Data] => {
  const team: TeamRecord = { ...teamDefaults, id: data.nextId, name: input.name, organizationId: input.organizationId }
  return [team, {
    ...data,
    teams: put(data.teams, team),
    nextId: data.nextId + 1,
    teamRoles: Arr.append(data.teamRoles, { userId: admin, teamId: team.id, usersRoleId: teamAdminRoleId })
  }]
}

/**
 * Changes a team that is not deleted, or fails with the team's 404.
 *
 * @since 1.0.0
 * @category operations
 */
export const updateTeam =
  (id: number, change: (team: TeamRecord) => TeamRecord) =>
  (data: Data): Result.Result<readonly [TeamRecord, Data], MakeError.NotFound> =>
    Result.map(
      Result.fromOption(Option.filter(findTeam(data, id), (team) => !team.deleted), () => teamNotFound(id)),
      (team) => {
        const updated = change(team)
        return [updated, { ...data, teams: put(data.teams, updated) }] as const
      }
    )

// ---------------------------------------------------------------------------
// Wire bodies
// ---------------------------------------------------------------------------

type TeamWire = typeof Team.Encoded

/**
 * A team as Admin > Teams lists and updates it (admin-teams.txt).
 *
 * @since 1.0.0
 * @category wire
 */
export const teamBody = (team: TeamRecord): TeamWire => ({
  id: team.id,
  name: team.name,
  organizationId: team.organizationId,
  scenarioDrafts: team.scenarioDrafts,
  deleted: team.deleted,
  externalId: team.externalId
})

/**
 * A team as `POST /admin/teams` answers it: `operationsLimit` a number, `transferLimit` a string
 * (fixtures/teams/create.json).
 *
 * @since 1.0.0
 * @category wire
 */
export const teamCreated = (team: TeamRecord): TeamWire => ({
  id: team.id,
  name: team.name,
  organizationId: team.organizationId,
  operationsLimit: team.operationsLimit,
  transferLimit: team.transferLimit
})

// ---------------------------------------------------------------------------
// What each endpoint does to the data
// ---------------------------------------------------------------------------

/**
 * The query of `GET /admin/teams`, decoded.
 *
 * @since 1.0.0
 * @category models
 */
export interface ListQuery extends PageQuery {
  readonly organizationId: number
  readonly externalId?: string | undefined
}

/**
 * `GET /admin/teams`: an organization's teams, deleted ones included, filtered by `externalId`, sorted (by name by
 * default) and paged.
 *
 * @example
 * ```ts
 * import { listTeams } from "effect-make/testing/emulator/AdminTeams"
 * declare const data: import("effect-make/testing/emulator/Store").Data
 * const page = listTeams(data, { organizationId: 11, sortBy: "id" })
 * ```
 *
 * @since 1.0.0
 * @category endpoints
 */
export const listTeams = (
  data: Data,
  query: ListQuery
): Result.Result<typeof TeamList.Encoded, MakeError.NotFound | MakeError.InvalidRequest> =>
  Result.flatMap(requireOrganization(data, query.organizationId), (org) =>
    Result.map(
      paginate(
        teamsOf(data, org.id).filter((team) => matchesOptional(query.externalId, team.externalId)),
        teamBody,
        query
      ),
      (page) => ({ teams: page.items.map(teamBody), pg: page.pg })
    ))

/**
 * `POST /admin/teams`: whoever the request names as the team's admin (else `caller`, the token's user) becomes its
 * Team Admin; an unknown organization is its 404.
 *
 * @since 1.0.0
 * @category endpoints
 */
export const createTeam = (
  input: NewTeam & { readonly userTeamAdmin?: number | undefined },
  caller: number
) =>
(data: Data): Result.Result<readonly [typeof TeamCreated.Encoded, Data], MakeError.NotFound> => {
  const admin = input.userTeamAdmin ?? caller
  return Result.map(requireOrganization(data, input.organizationId), () => {
    const [team, next] = addTeam(input, admin)(data)
    return [{
      team: teamCreated(team),
      userTeamRole: {
        usersRoleId: teamAdminRoleId,
        userId: admin,
        teamId: team.id,
        changeable: false,
        ssoPending: false
      }
    }, next] as const
  })
}

/**
 * `PATCH /admin/teams/{id}`: renames a team that is not deleted.
 *
 * @since 1.0.0
 * @category endpoints
 */
export const renameTeam = (id: number, change: { readonly name?: string | undefined }) => (data: Data) =>
  Result.map(
    updateTeam(id, (team) => ({ ...team, name: change.name ?? team.name }))(data),
    ([team, next]) => [teamBody(team), next] as const
  )

/**
 * `DELETE /admin/teams/{id}`: Make keeps a deleted team (Admin > Teams goes on listing it with `deleted: true`);
 * answers Make's `{"team": <id>}`. Deleting it again is a 404.
 *
 * @since 1.0.0
 * @category endpoints
 */
export const deleteTeam = (id: number) => (data: Data) =>
  Result.map(
    updateTeam(id, (team) => ({ ...team, deleted: true }))(data),
    ([team, next]) => [{ team: team.id }, next] as const
  )
