// The Admin > Teams area's pure operations: deleted teams listed, paging and filters, create/rename/delete (a deleted
// team stays, and is a 404 to change), and the roles a new team grants.
import { describe, expect, it } from "@effect/vitest"
import { Schema } from "effect"
import { TeamCreated, TeamList } from "../../../src/api/AdminTeamsApi.js"
import { Team } from "../../../src/domain/Team.js"
import { NotFound } from "../../../src/MakeError.js"
import { createTeam, deleteTeam, listTeams, renameTeam } from "../../../src/testing/emulator/AdminTeams.js"
import { getOrganization } from "../../../src/testing/emulator/Organizations.js"
import { type Data, liveTeamRolesOf } from "../../../src/testing/emulator/Store.js"
import { failure, ok, seeded } from "./support.js"

const teamNotFound = (id: number) =>
  new NotFound({ status: 404, detail: "Team not found.", title: "Not found", code: "SC404", resource: "team", id })

const organizationNotFound = (id: number) =>
  new NotFound({
    status: 404,
    detail: "Organization not found.",
    title: "Not found",
    code: "SC404",
    resource: "organization",
    id
  })

describe("GET /admin/teams", () => {
  it("lists deleted teams too, sorted by name; the contract decodes it", () => {
    const body = ok(listTeams(seeded, { organizationId: 11 }))
    expect(body).toEqual({
      teams: [
        { id: 22, name: "Marketing", organizationId: 11, scenarioDrafts: false, deleted: false, externalId: "MKT-1" },
        { id: 21, name: "My Team", organizationId: 11, scenarioDrafts: false, deleted: false, externalId: null },
        { id: 23, name: "Removed team", organizationId: 11, scenarioDrafts: false, deleted: true, externalId: null }
      ],
      pg: { sortBy: "name", sortDir: "asc", limit: 10000, offset: 0 }
    })
    expect(Schema.decodeUnknownResult(TeamList)(body)._tag).toBe("Success")
  })

  it("pages, sorts and filters by externalId; an unknown organization is its 404", () => {
    const page = ok(listTeams(seeded, { organizationId: 11, sortBy: "id", sortDir: "desc", limit: 2 }))
    expect(page).toMatchObject({ teams: [{ id: 23 }, { id: 22 }], pg: { limit: 2, sortBy: "id" } })
    expect(ok(listTeams(seeded, { organizationId: 11, externalId: "MKT-1" })).teams.map((t) => t.id)).toEqual([22])
    expect(failure(listTeams(seeded, { organizationId: 999 }))).toEqual(organizationNotFound(999))
    expect(failure(listTeams(seeded, { organizationId: 11, sortBy: "operationsLimit" }))._tag).toBe("InvalidRequest")
  })
})

describe("changing teams", () => {
  it("create, rename, delete (kept with deleted: true), as Effect 3's emulator does", () => {
    const [created, afterCreate] = ok(createTeam({ name: "Sales", organizationId: 12 }, 1)(seeded))
    expect(created).toEqual({
      team: { id: 26, name: "Sales", organizationId: 12, operationsLimit: 0, transferLimit: "0" },
      userTeamRole: { usersRoleId: 1, userId: 1, teamId: 26, changeable: false, ssoPending: false }
    })
    expect(Schema.decodeUnknownResult(TeamCreated)(created)._tag).toBe("Success")
    const [withAdmin, afterSecond] = ok(
      createTeam({ name: "Ops", organizationId: 12, userTeamAdmin: 15 }, 1)(afterCreate)
    )
    expect(withAdmin.userTeamRole).toMatchObject({ userId: 15, teamId: 27 })
    expect(liveTeamRolesOf(afterSecond, 15, 12).map((role) => [role.teamId, role.usersRoleId])).toEqual([[27, 1]])
    expect(failure(createTeam({ name: "Nowhere", organizationId: 999 }, 1)(seeded))).toEqual(organizationNotFound(999))

    const [renamed, afterRename] = ok(renameTeam(26, { name: "Sales people" })(afterSecond))
    expect(renamed).toEqual({
      id: 26,
      name: "Sales people",
      organizationId: 12,
      scenarioDrafts: false,
      deleted: false,
      externalId: null
    })
    expect(Schema.decodeUnknownResult(Team)(renamed)._tag).toBe("Success")
    const [deleted, afterDelete] = ok(deleteTeam(26)(afterRename))
    expect(deleted).toEqual({ team: 26 })
    expect(failure(deleteTeam(26)(afterDelete))).toEqual(teamNotFound(26))
    expect(failure(renameTeam(26, { name: "Back" })(afterDelete))).toEqual(teamNotFound(26))
    expect(ok(listTeams(afterDelete, { organizationId: 12, sortBy: "id" })).teams).toMatchObject([
      { id: 24, deleted: false },
      { id: 26, name: "Sales people", deleted: true },
      { id: 27 }
    ])
    const org = ok(getOrganization(afterDelete, 12, 0, false))
    expect(org).toMatchObject({ body: { organization: { teams: [{ id: 24 }, { id: 27, name: "Ops" }] } } })
  })

  it.prop(
    "a refused change leaves the data as it was: unknown or deleted teams are 404s",
    { id: Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: 40 })), name: Schema.String },
    ({ id, name }) => {
      const live = [21, 22, 24, 25]
      const step = (data: Data) => renameTeam(id, { name })(data)
      const result = step(seeded)
      if (live.includes(id)) {
        const [body, next] = ok(result)
        expect(body.name).toBe(name)
        expect(next.nextId).toBe(seeded.nextId)
      } else {
        expect(failure(result)).toEqual(teamNotFound(id))
        expect(failure(deleteTeam(id)(seeded))).toEqual(teamNotFound(id))
      }
    },
    { arbitrary: { runs: 200 } }
  )
})
