// AdminTeams over the emulator: every method's success, every typed error, and the exact requests received.
import { describe, expect, it } from "@effect/vitest"
import { Effect, Fiber, Option, Stream } from "effect"
import { TestClock } from "effect/testing"
import * as AdminTeams from "../../src/AdminTeams.js"
import * as MakeError from "../../src/MakeError.js"
import * as Emulator from "../../src/testing/Emulator.js"
import * as MakeTest from "../../src/testing/MakeTest.js"
import { defectOf, lastRequest, requests, unimplemented } from "../support/billing.js"

/** "The user's code" over the mock: every team name of an organization, through the paging stream. */
const teamNames = (organizationId: number) =>
  Effect.flatMap(
    AdminTeams.AdminTeams,
    (teams) => Stream.runCollect(Stream.map(teams.stream(organizationId), (team) => team.name))
  )

describe("AdminTeams", () => {
  it.effect("list: the organization's teams, deleted ones included, with organizationId on the wire", () =>
    Effect.gen(function*() {
      const teams = yield* AdminTeams.AdminTeams
      const page = yield* teams.list(11)
      expect(page.items.map((team) => [team.id, team.deleted ?? false])).toEqual([
        [22, false],
        [21, false],
        [23, true]
      ])
      expect(page.pg).toMatchObject({ sortBy: "name", sortDir: "asc" })
      expect(yield* lastRequest).toMatchObject({ method: "GET", path: "/admin/teams", query: { organizationId: "11" } })
    }).pipe(Effect.provide(MakeTest.layer())))

  it.effect("list: externalId and paging on the wire", () =>
    Effect.gen(function*() {
      const teams = yield* AdminTeams.AdminTeams
      const page = yield* teams.list(11, { externalId: "MKT-1", offset: 0, limit: 5, sortBy: "id", sortDir: "desc" })
      expect(page.items.map((team) => team.name)).toEqual(["Marketing"])
      expect((yield* lastRequest)?.query).toEqual({
        organizationId: "11",
        externalId: "MKT-1",
        "pg[offset]": "0",
        "pg[limit]": "5",
        "pg[sortBy]": "id",
        "pg[sortDir]": "desc"
      })
    }).pipe(Effect.provide(MakeTest.layer())))

  it.effect("list: NotFound names the organization", () =>
    Effect.gen(function*() {
      const teams = yield* AdminTeams.AdminTeams
      const error = yield* Effect.flip(teams.list(999))
      expect(error).toMatchObject({ _tag: "NotFound", resource: "organization", id: 999 })
    }).pipe(Effect.provide(MakeTest.layer())))

  it.effect("stream: every team, page by page", () =>
    Effect.gen(function*() {
      const teams = yield* AdminTeams.AdminTeams
      const all = yield* Stream.runCollect(teams.stream(11, { limit: 2, sortBy: "id" }))
      expect(all.map((team) => team.id)).toEqual([21, 22, 23])
      expect((yield* requests).map((r) => r.query["pg[offset]"])).toEqual(["0", "2"])
    }).pipe(Effect.provide(MakeTest.layer())))

  it.effect("stream: NotFound surfaces from the first page", () =>
    Effect.gen(function*() {
      const teams = yield* AdminTeams.AdminTeams
      const error = yield* Effect.flip(Stream.runCollect(teams.stream(999)))
      expect(error).toMatchObject({ _tag: "NotFound", status: 404, resource: "organization", id: 999 })
    }).pipe(Effect.provide(MakeTest.layer())))

  it.effect("create: with userTeamAdmin, answers the team and the admin's role", () =>
    Effect.gen(function*() {
      const teams = yield* AdminTeams.AdminTeams
      const { team, userTeamRole } = yield* teams.create({
        name: "Marketing team",
        organizationId: 12,
        userTeamAdmin: 15
      })
      expect(team).toMatchObject({ name: "Marketing team", organizationId: 12 })
      expect(typeof team.transferLimit).toBe("number")
      expect(userTeamRole).toMatchObject({ userId: 15, teamId: team.id })
      expect(yield* lastRequest).toMatchObject({
        method: "POST",
        path: "/admin/teams",
        body: { name: "Marketing team", organizationId: 12, userTeamAdmin: 15 }
      })
      const emulator = yield* Emulator.Emulator
      expect(Option.isSome(yield* emulator.team(team.id))).toBe(true)
    }).pipe(Effect.provide(MakeTest.layer())))

  it.effect("create: NotFound for an unknown organization", () =>
    Effect.gen(function*() {
      const teams = yield* AdminTeams.AdminTeams
      const error = yield* Effect.flip(teams.create({ name: "X", organizationId: 999 }))
      expect(error).toMatchObject({ _tag: "NotFound", resource: "organization", id: 999 })
    }).pipe(Effect.provide(MakeTest.layer())))

  it.effect("update: renames and answers the bare team", () =>
    Effect.gen(function*() {
      const teams = yield* AdminTeams.AdminTeams
      const team = yield* teams.update(22, { name: "Sales people team" })
      expect(team).toMatchObject({ id: 22, name: "Sales people team", organizationId: 11 })
      expect(yield* lastRequest).toMatchObject({
        method: "PATCH",
        path: "/admin/teams/22",
        body: { name: "Sales people team" }
      })
    }).pipe(Effect.provide(MakeTest.layer())))

  it.effect("update: NotFound names the team", () =>
    Effect.gen(function*() {
      const teams = yield* AdminTeams.AdminTeams
      const error = yield* Effect.flip(teams.update(999, { name: "X" }))
      expect(error).toMatchObject({ _tag: "NotFound", resource: "team", id: 999 })
    }).pipe(Effect.provide(MakeTest.layer())))

  it.effect("delete: the team stays listed with deleted: true", () =>
    Effect.gen(function*() {
      const teams = yield* AdminTeams.AdminTeams
      yield* teams.delete(22)
      expect(yield* lastRequest).toMatchObject({ method: "DELETE", path: "/admin/teams/22", status: 200 })
      const page = yield* teams.list(11)
      expect(page.items.find((team) => team.id === 22)?.deleted).toBe(true)
    }).pipe(Effect.provide(MakeTest.layer())))

  it.effect("delete: NotFound", () =>
    Effect.gen(function*() {
      const teams = yield* AdminTeams.AdminTeams
      const error = yield* Effect.flip(teams.delete(999))
      expect(error).toMatchObject({ _tag: "NotFound", resource: "team", id: 999 })
    }).pipe(Effect.provide(MakeTest.layer())))

  it.effect("bad arguments of every method: InvalidInput, and the emulator sees no request", () =>
    Effect.gen(function*() {
      const teams = yield* AdminTeams.AdminTeams
      const failures = [
        yield* Effect.flip(teams.list(0)),
        yield* Effect.flip(teams.list(11, { limit: 10_001 })),
        yield* Effect.flip(teams.create({ name: "", organizationId: 11 })),
        yield* Effect.flip(teams.create({ name: "Ops", organizationId: 11, userTeamAdmin: -3 })),
        yield* Effect.flip(teams.update(2 ** 53, { name: "X" })),
        yield* Effect.flip(teams.update(22, { name: "x".repeat(256) })),
        yield* Effect.flip(teams.delete(1.5)),
        yield* Effect.flip(Stream.runDrain(teams.stream(11, { offset: -1 })))
      ]
      expect(failures.map((error) => error._tag)).toEqual(Array(failures.length).fill("InvalidInput"))
      expect(yield* requests).toEqual([])
    }).pipe(Effect.provide(MakeTest.layer())))

  // Effect 4: the operation names the organization a request counts against (Effect 3 read it from the path, the
  // query or the body): `list` the one in its query, `create` the one in its body, `update` and `delete` none (a team
  // id does not say its organization), which is the client's window for requests about no organization.
  it.effect("rate limit: list and create count against their organization, update and delete against none", () =>
    Effect.gen(function*() {
      const teams = yield* AdminTeams.AdminTeams
      yield* teams.list(11)
      const listAgain = yield* Effect.forkChild(teams.list(11))
      const created = yield* Effect.forkChild(teams.create({ name: "Ops", organizationId: 12 }))
      const renamed = yield* Effect.forkChild(teams.update(22, { name: "Sales" }))
      const deleted = yield* Effect.forkChild(teams.delete(21))
      yield* TestClock.adjust("59 seconds")
      expect((yield* requests).map((request) => `${request.method} ${request.path}`)).toEqual([
        "GET /admin/teams",
        "POST /admin/teams",
        "PATCH /admin/teams/22"
      ])
      yield* TestClock.adjust("1 second")
      expect((yield* Fiber.join(listAgain)).items.length).toBe(3)
      expect((yield* Fiber.join(created)).team.organizationId).toBe(12)
      expect((yield* Fiber.join(renamed)).name).toBe("Sales")
      yield* Fiber.join(deleted)
      expect((yield* requests).slice(3).map((request) => `${request.method} ${request.path}`).sort()).toEqual([
        "DELETE /admin/teams/21",
        "GET /admin/teams"
      ])
    }).pipe(Effect.provide(MakeTest.layer({ clientRateLimit: { requestsPerMinute: 1 } }))))

  describe("layerMock", () => {
    it.effect("a mocked stream feeds the user's code", () =>
      Effect.gen(function*() {
        expect(yield* teamNames(11)).toEqual(["Engineering", "Support"])
      }).pipe(Effect.provide(AdminTeams.layerMock({
        stream: (organizationId) =>
          Stream.make({ id: 1, name: "Engineering", organizationId }, { id: 2, name: "Support", organizationId })
      }))))

    it.effect("the unmocked stream dies with its name; otherwise turns it into the typed error", () =>
      Effect.gen(function*() {
        expect(yield* defectOf(teamNames(11))).toBe(unimplemented("AdminTeams.stream"))
        const error = yield* Effect.flip(
          teamNames(11).pipe(Effect.provide(AdminTeams.layerMock({}, {
            // every method of AdminTeams is about an organization or a team, so NotFound is an answer to any call
            otherwise: new MakeError.NotFound({ status: 404, detail: "Not found", resource: "organization", id: 11 })
          })))
        )
        expect(error).toMatchObject({ _tag: "NotFound", resource: "organization", id: 11 })
      }).pipe(Effect.provide(AdminTeams.layerMock({}))))
  })
})
