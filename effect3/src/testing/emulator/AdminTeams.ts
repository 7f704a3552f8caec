// The emulator's Admin > Teams area: adding and changing teams (a deleted team stays), their bodies, the handlers.
// Imports `effect`, `@effect/platform`, api/, domain/ and testing/.
/**
 * @since 0.1.0
 * @internal
 */
import { HttpApiBuilder } from "@effect/platform"
import { Array as Arr, Effect, Either, Option, type Schema } from "effect"
import { TeamCreated, TeamList } from "../../api/AdminTeamsApi.js"
import { MakeHttpApi } from "../../api/MakeHttpApi.js"
import { Team } from "../../domain/Team.js"
import { teamAdminRoleId } from "../EmulatorCatalog.js"
import { teamNotFound } from "./Errors.js"
import type { TeamRecord } from "./Records.js"
import { teamDefaults } from "./Seed.js"
import { type Data, type EmulatorState, findTeam, put, snapshot, teamsOf, transact } from "./Store.js"
import { answer, answerVoid, matchesOptional, paginate, requireOrganization } from "./Wire.js"

// ---------------------------------------------------------------------------
// Operations
// ---------------------------------------------------------------------------

/**
 * What `POST /admin/teams` needs.
 *
 * @since 0.1.0
 * @category models
 */
export interface NewTeam {
  readonly name: string
  readonly organizationId: number
}

/**
 * Adds a team whose Team Admin is `admin` (the caller has checked that the organization exists).
 *
 * @since 0.1.0
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
 * @since 0.1.0
 * @category operations
 */
export const updateTeam = (id: number, change: (team: TeamRecord) => TeamRecord) => (data: Data) =>
  Either.map(
    Either.fromOption(Option.filter(findTeam(data, id), (team) => !team.deleted), () => teamNotFound(id)),
    (team) => {
      const updated = change(team)
      return [updated, { ...data, teams: put(data.teams, updated) }] as const
    }
  )

// ---------------------------------------------------------------------------
// Wire bodies
// ---------------------------------------------------------------------------

type TeamWire = Schema.Schema.Encoded<typeof Team>

/**
 * A team as Admin > Teams lists and updates it (admin-teams.txt).
 *
 * @since 0.1.0
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
 * @since 0.1.0
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
// Handlers
// ---------------------------------------------------------------------------

/**
 * The White Label Admin > Teams group over the state.
 *
 * @since 0.1.0
 * @category layers
 */
export const adminTeamsLive = (state: EmulatorState) =>
  HttpApiBuilder.group(MakeHttpApi, "adminTeams", (handlers) =>
    handlers
      .handle("list", ({ urlParams }) =>
        Effect.gen(function*() {
          const data = yield* snapshot(state)
          const org = yield* requireOrganization(data, urlParams.organizationId)
          const teams = teamsOf(data, org.id).filter((team) => matchesOptional(urlParams.externalId, team.externalId))
          const page = yield* paginate(teams, teamBody, urlParams)
          return answer(TeamList, { teams: page.items.map(teamBody), pg: page.pg })
        }))
      .handle("create", ({ payload }) =>
        Effect.gen(function*() {
          // Whoever the request names as the team's admin (else the token's user) becomes its Team Admin.
          const admin = payload.userTeamAdmin ?? state.settings.userId
          const team = yield* transact(
            state,
            (data) => Either.map(requireOrganization(data, payload.organizationId), () => addTeam(payload, admin)(data))
          )
          return answer(TeamCreated, {
            team: teamCreated(team),
            userTeamRole: {
              usersRoleId: teamAdminRoleId,
              userId: admin,
              teamId: team.id,
              changeable: false,
              ssoPending: false
            }
          })
        }))
      .handle("update", ({ path, payload }) =>
        Effect.map(
          transact(state, updateTeam(path.teamId, (team) => ({ ...team, name: payload.name ?? team.name }))),
          (team) => answer(Team, teamBody(team))
        ))
      .handle("delete", ({ path }) =>
        // Make keeps a deleted team: Admin > Teams goes on listing it with `deleted: true`.
        Effect.map(
          transact(state, updateTeam(path.teamId, (team) => ({ ...team, deleted: true }))),
          (team) => answerVoid({ team: team.id })
        )))
