// Tests of the Make emulator, driven through a raw HttpClient (never the library's services): Make's wire shapes
// and quirks, auth, 404/406/400 bodies, the sync delay under TestClock, paging, the request log, the real port.
import { HttpApiClient, HttpClient, HttpClientRequest } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Fiber, Option, Redacted, TestClock } from "effect"
import { MakeHttpApi } from "../../src/api/MakeHttpApi.js"
import { Emulator } from "../../src/testing/index.js"
import { layer } from "../support/layer.js"
import {
  awaitPendingSleep,
  contractClient,
  del,
  emulatorOnAPort,
  get,
  organizationNotFound,
  patch,
  post,
  send,
  token,
  withToken
} from "./wire.js"

const notFoundBody = organizationNotFound

describe("Emulator", () => {
  layer(Emulator.layerTest())("reading the default seed", (it) => {
    it.effect("GET /organizations answers Make's list: default columns, privateSpaces, pg echoed", () =>
      Effect.gen(function*() {
        const answer = yield* get("/organizations")
        expect(answer).toEqual({
          status: 200,
          body: {
            organizations: [
              {
                id: 11,
                name: "Acme",
                timezoneId: 113,
                privateSpaces: [{ id: 101, name: "Becca's space", isOwner: true, hasAdminVisibility: false }]
              },
              { id: 12, name: "Beta Labs", timezoneId: 164 },
              { id: 13, name: "Gamma", timezoneId: 113 }
            ],
            pg: { sortBy: "name", sortDir: "asc", limit: 10000, offset: 0 }
          }
        })
      }))

    it.effect("GET /organizations pages, sorts, projects cols[] and filters", () =>
      Effect.gen(function*() {
        const page = yield* get("/organizations", {
          "pg[sortBy]": "id",
          "pg[sortDir]": "desc",
          "pg[offset]": "1",
          "pg[limit]": "1",
          "cols[]": ["id", "externalId", "license"]
        })
        expect(page.status).toBe(200)
        expect(page.body).toMatchObject({
          organizations: [{ id: 12, externalId: "BETA-001", license: { apps: ["T2"], apiLimit: 240 } }],
          pg: { sortBy: "id", sortDir: "desc", limit: 1, offset: 1 }
        })
        const byExternalId = yield* get("/organizations", { externalId: "BETA-001", "cols[]": ["id"] })
        expect(byExternalId.body).toMatchObject({ organizations: [{ id: 12 }] })
        const otherZone = yield* get("/organizations", { zone: "us1.make.com" })
        expect(otherZone.body).toMatchObject({ organizations: [] })
        const byName = yield* get("/organizations", { "pg[sortDir]": "desc", "cols[]": ["name"] })
        expect(byName.body).toMatchObject({
          organizations: [{ name: "Gamma" }, { name: "Beta Labs" }, { name: "Acme" }]
        })
      }))

    it.effect("GET /organizations/{id} carries the quirks of the real service", () =>
      Effect.gen(function*() {
        const answer = yield* get("/organizations/11")
        expect(answer.status).toBe(200)
        expect(answer.body).toMatchObject({
          organization: {
            id: 11,
            name: "Acme",
            serviceName: "unlimited",
            nextReset: null,
            operations: "0",
            transfer: "0",
            operationsExt: "0",
            transferExt: "0",
            unusedOperations: "0",
            unusedTransfer: "0",
            isPaused: false,
            deleted: false,
            features: {},
            zone: "eu1.make.com",
            license: { apps: ["T2", "T3"], apiLimit: 240, customVariables: true },
            teams: [{ id: 21, name: "My Team" }, { id: 22, name: "Marketing" }],
            privateSpaces: [{ id: 101, name: "Becca's space", isOwner: true, hasAdminVisibility: false }]
          }
        })
        expect(JSON.stringify(answer.body)).not.toContain("_tag")
        const gamma = yield* get("/organizations/13")
        expect(gamma.body).toMatchObject({ organization: { license: { apiLimit: 60 } } })
        expect(JSON.stringify(gamma.body)).not.toContain("customVariables")
      }))

    it.effect("a wrong or missing token is a 401 with Make's body", () =>
      Effect.gen(function*() {
        const wrong = yield* send(HttpClientRequest.get("/organizations").pipe(withToken("not-the-token")))
        expect(wrong).toEqual({
          status: 401,
          body: { detail: "Invalid credentials.", message: "Access denied", code: "SC401" }
        })
        const missing = yield* send(HttpClientRequest.get("/admin/teams?organizationId=11"))
        expect(missing.status).toBe(401)
        const bearer = yield* send(
          HttpClientRequest.get("/organizations").pipe(HttpClientRequest.bearerToken(token))
        )
        expect(bearer.status).toBe(401)
      }))

    it.effect("an unknown organization or team is a 404 with Make's body", () =>
      Effect.gen(function*() {
        expect(yield* get("/organizations/999")).toEqual({ status: 404, body: notFoundBody })
        expect(yield* get("/admin/teams", { organizationId: "999" })).toEqual({ status: 404, body: notFoundBody })
        expect(yield* patch("/admin/teams/999", { name: "x" })).toEqual({
          status: 404,
          body: { detail: "Team not found.", message: "Not found", code: "SC404" }
        })
        const route = yield* get("/no-such-endpoint")
        expect(route).toMatchObject({ status: 404, body: { code: "SC404" } })
      }))

    it.effect("requests the contract rejects are Make's 400 with suberrors", () =>
      Effect.gen(function*() {
        const blank = yield* post("/organizations", { name: " ", regionId: 1, timezoneId: 113, countryId: 1 })
        expect(blank).toEqual({
          status: 400,
          body: {
            detail: "Validation failed for 1 parameter(s).",
            message: "Bad request",
            code: "IM015",
            suberrors: [{ message: "name: must not be blank" }]
          }
        })
        const missing = yield* post("/organizations", { name: "No region" })
        expect(missing).toMatchObject({
          status: 400,
          body: {
            code: "IM015",
            suberrors: [
              { message: "regionId: is missing" },
              { message: "timezoneId: is missing" },
              { message: "countryId: is missing" }
            ]
          }
        })
        const limit = yield* get("/organizations", { "pg[limit]": "0" })
        expect(limit.status).toBe(400)
        expect(JSON.stringify(limit.body)).toContain("pg[limit]")
        const sortBy = yield* get("/admin/teams", { organizationId: "11", "pg[sortBy]": "color" })
        expect(sortBy).toMatchObject({
          status: 400,
          body: { code: "IM015", suberrors: [{ message: expect.stringContaining("pg[sortBy]") }] }
        })
        const pathParam = yield* get("/organizations/eleven")
        expect(pathParam).toMatchObject({
          status: 400,
          body: { code: "IM015", suberrors: [{ message: expect.stringContaining("organizationId") }] }
        })
        const notJson = yield* send(
          HttpClientRequest.post("/admin/teams").pipe(
            HttpClientRequest.bodyText("{oops", "application/json"),
            withToken()
          )
        )
        expect(notJson).toMatchObject({ status: 400, body: { code: "IM015" } })
        expect(JSON.stringify([blank, missing, limit, sortBy, pathParam, notJson])).not.toContain("_tag")
      }))

    it.effect("GET /admin/teams lists deleted teams too, sorted by name", () =>
      Effect.gen(function*() {
        const answer = yield* get("/admin/teams", { organizationId: "11" })
        expect(answer).toEqual({
          status: 200,
          body: {
            teams: [
              {
                id: 22,
                name: "Marketing",
                organizationId: 11,
                scenarioDrafts: false,
                deleted: false,
                externalId: "MKT-1"
              },
              { id: 21, name: "My Team", organizationId: 11, scenarioDrafts: false, deleted: false, externalId: null },
              {
                id: 23,
                name: "Removed team",
                organizationId: 11,
                scenarioDrafts: false,
                deleted: true,
                externalId: null
              }
            ],
            pg: { sortBy: "name", sortDir: "asc", limit: 10000, offset: 0 }
          }
        })
        const page = yield* get("/admin/teams", {
          organizationId: "11",
          "pg[sortBy]": "id",
          "pg[sortDir]": "desc",
          "pg[limit]": "2"
        })
        expect(page.body).toMatchObject({ teams: [{ id: 23 }, { id: 22 }], pg: { limit: 2, sortBy: "id" } })
        const external = yield* get("/admin/teams", { organizationId: "11", externalId: "MKT-1" })
        expect(external.body).toMatchObject({ teams: [{ id: 22 }] })
      }))
  })

  describe("changing state", () => {
    it.effect("DELETE without confirmed on an organization with active scenarios is 406 IM004 and changes nothing", () =>
      Effect.gen(function*() {
        const emulator = yield* Emulator.Emulator
        const before = yield* emulator.organizations
        const teamsBefore = yield* emulator.teams(11)
        const refused = yield* del("/organizations/11")
        expect(refused.status).toBe(406)
        expect(refused.body).toMatchObject({ code: "IM004", message: "Confirmation required" })
        expect(yield* emulator.organizations).toEqual(before)
        expect(yield* emulator.teams(11)).toEqual(teamsBefore)
        const notTrue = yield* del("/organizations/11", { confirmed: "false" })
        expect(notTrue.status).toBe(406)

        const confirmed = yield* del("/organizations/11", { confirmed: "true" })
        expect(confirmed).toEqual({ status: 200, body: { organization: 11 } })
        expect(yield* emulator.organization(11)).toEqual(Option.none())
        expect(yield* emulator.teams(11)).toEqual([])
        expect(yield* get("/organizations/11")).toEqual({ status: 404, body: notFoundBody })

        // No active scenarios: no confirmation needed.
        expect(yield* del("/organizations/12")).toEqual({ status: 200, body: { organization: 12 } })
        // Scenarios can be switched on from a test.
        yield* emulator.setActiveScenarios(13, 1)
        expect((yield* del("/organizations/13")).status).toBe(406)
        expect(yield* del("/organizations/404")).toEqual({ status: 404, body: notFoundBody })
      }).pipe(Effect.provide(Emulator.layerTest())))

    it.effect("a new organization is a 404 until synchronised; wait=true waits for it (TestClock)", () =>
      Effect.gen(function*() {
        const created = yield* post("/organizations", { name: "Fresh", regionId: 1, timezoneId: 113, countryId: 1 })
        expect(created).toEqual({
          status: 200,
          body: {
            organization: {
              id: 26,
              name: "Fresh",
              timezoneId: 113,
              countryId: 1,
              license: expect.objectContaining({ apps: ["T2", "T3"], apiLimit: 240 }),
              zone: "eu1.make.com",
              serviceName: "default",
              teams: [{ id: 27, name: "My Team" }],
              isPaused: false
            },
            userOrganizationRole: { userId: 1, organizationId: 26, usersRoleId: 11, invitation: null }
          }
        })
        const early = yield* get("/organizations/26")
        expect(early).toMatchObject({ status: 404, body: { code: "SC404" } })
        // Other endpoints see it at once; so does the team list.
        expect((yield* get("/admin/teams", { organizationId: "26" })).status).toBe(200)

        const waiting = yield* Effect.fork(get("/organizations/26", { wait: "true" }))
        yield* awaitPendingSleep
        yield* TestClock.adjust("1 second")
        expect(Option.isNone(yield* Fiber.poll(waiting))).toBe(true)
        yield* TestClock.adjust("1 second")
        const waited = yield* Fiber.join(waiting)
        expect(waited).toMatchObject({ status: 200, body: { organization: { id: 26, operations: "0" } } })
        expect(yield* get("/organizations/26")).toMatchObject({ status: 200 })
      }).pipe(Effect.provide(Emulator.layerTest())))

    it.effect("the sync delay is configurable", () =>
      Effect.gen(function*() {
        yield* post("/organizations", { name: "Slow", regionId: 1, timezoneId: 113, countryId: 1 })
        yield* TestClock.adjust("9 seconds")
        expect((yield* get("/organizations/26")).status).toBe(404)
        yield* TestClock.adjust("1 second")
        expect((yield* get("/organizations/26")).status).toBe(200)
      }).pipe(Effect.provide(Emulator.layerTest({ syncDelay: "10 seconds" }))))

    it.effect("PATCH /organizations/{id} answers the update shape, license.apps a bare string for one app", () =>
      Effect.gen(function*() {
        const beta = yield* patch("/organizations/12", { name: "Beta Inc", timezoneId: 113 })
        expect(beta).toEqual({
          status: 200,
          body: {
            organization: {
              name: "Beta Inc",
              countryId: 6,
              timezoneId: 113,
              license: expect.objectContaining({ apps: "T2" }),
              zone: "eu1.make.com",
              serviceName: "default",
              teams: [{ id: 24, name: "My Team" }],
              isPaused: false,
              id: 12
            }
          }
        })
        const acme = yield* patch("/organizations/11", {})
        expect(acme.body).toMatchObject({ organization: { name: "Acme", license: { apps: ["T2", "T3"] } } })
        expect(yield* patch("/organizations/999", { name: "x" })).toEqual({ status: 404, body: notFoundBody })
      }).pipe(Effect.provide(Emulator.layerTest())))

    it.effect("Admin > Teams: create, update, delete (kept with deleted: true)", () =>
      Effect.gen(function*() {
        const created = yield* post("/admin/teams", { name: "Sales", organizationId: 12 })
        expect(created).toEqual({
          status: 200,
          body: {
            team: { id: 26, name: "Sales", organizationId: 12, operationsLimit: 0, transferLimit: "0" },
            userTeamRole: { usersRoleId: 1, userId: 1, teamId: 26, changeable: false, ssoPending: false }
          }
        })
        const withAdmin = yield* post("/admin/teams", { name: "Ops", organizationId: 12, userTeamAdmin: 15 })
        expect(withAdmin.body).toMatchObject({ userTeamRole: { userId: 15, teamId: 27 } })
        expect(yield* post("/admin/teams", { name: "Nowhere", organizationId: 999 })).toEqual({
          status: 404,
          body: notFoundBody
        })

        const renamed = yield* patch("/admin/teams/26", { name: "Sales people" })
        expect(renamed).toEqual({
          status: 200,
          body: {
            id: 26,
            name: "Sales people",
            organizationId: 12,
            scenarioDrafts: false,
            deleted: false,
            externalId: null
          }
        })
        expect(yield* del("/admin/teams/26")).toEqual({ status: 200, body: { team: 26 } })
        expect((yield* del("/admin/teams/26")).status).toBe(404)
        expect((yield* patch("/admin/teams/26", { name: "Back" })).status).toBe(404)
        const listed = yield* get("/admin/teams", { organizationId: "12", "pg[sortBy]": "id" })
        expect(listed.body).toMatchObject({
          teams: [{ id: 24, deleted: false }, { id: 26, name: "Sales people", deleted: true }, { id: 27 }]
        })
        const org = yield* get("/organizations/12")
        expect(org.body).toMatchObject({ organization: { teams: [{ id: 24 }, { id: 27, name: "Ops" }] } })
      }).pipe(Effect.provide(Emulator.layerTest())))

    it.effect("a custom seed, token and user", () =>
      Effect.gen(function*() {
        const other = Redacted.make("0f0e0d0c-0b0a-4908-8706-050403020100")
        const layer = Emulator.layerTest({
          token: other,
          userId: 7,
          zone: "us2.make.com",
          seed: {
            organizations: [{ id: 5, name: "Solo", zone: "us1.make.com" }],
            teams: [{ id: 6, name: "Solo team", organizationId: 5 }]
          }
        })
        const answers = yield* Effect.gen(function*() {
          const refused = yield* get("/organizations")
          const list = yield* send(
            HttpClientRequest.get("/organizations").pipe(
              HttpClientRequest.setUrlParams({ "cols[]": ["id", "license", "zone"] }),
              withToken(Redacted.value(other))
            )
          )
          const team = yield* send(
            HttpClientRequest.post("/admin/teams").pipe(
              HttpClientRequest.bodyUnsafeJson({ name: "Next", organizationId: 5 }),
              withToken(Redacted.value(other))
            )
          )
          return { refused, list, team }
        }).pipe(Effect.provide(layer))
        expect(answers.refused.status).toBe(401)
        // Make sends `license` only for organizations in the zone of the request.
        expect(answers.list.body).toMatchObject({ organizations: [{ id: 5, zone: "us1.make.com" }] })
        expect(JSON.stringify(answers.list.body)).not.toContain("license")
        expect(answers.team.body).toMatchObject({ team: { id: 7 }, userTeamRole: { userId: 7 } })
      }))
  })

  it.effect("every answer decodes with the contract's own derived client (typed errors included)", () =>
    Effect.gen(function*() {
      const client = yield* contractClient
      const list = yield* client.organizations.list({ urlParams: { limit: 2, cols: ["id", "name", "license"] } })
      expect(list.organizations.map((org) => org.id)).toEqual([11, 12])
      const created = yield* client.organizations.create({
        payload: { name: "Typed", regionId: 1, timezoneId: 113, countryId: 1 }
      })
      const id = created.organization.id
      const early = yield* Effect.flip(client.organizations.get({ path: { organizationId: id }, urlParams: {} }))
      expect(early._tag).toBe("NotFound")
      yield* TestClock.adjust("2 seconds")
      const got = yield* client.organizations.get({ path: { organizationId: id }, urlParams: {} })
      expect(got.organization.operations).toBe(0)
      const updated = yield* client.organizations.update({ path: { organizationId: 12 }, payload: { name: "Beta" } })
      expect(updated.organization.license?.apps).toEqual(["T2"])
      const refused = yield* Effect.flip(client.organizations.delete({ path: { organizationId: 11 }, urlParams: {} }))
      expect(refused).toMatchObject({ _tag: "NotConfirmed", code: "IM004", status: 406 })
      const deleted = yield* client.organizations.delete({
        path: { organizationId: 11 },
        urlParams: { confirmed: true }
      })
      expect(JSON.parse(deleted)).toEqual({ organization: 11 }) // the canonical shape; a void call ignores it

      const team = yield* client.adminTeams.create({ payload: { name: "Typed team", organizationId: 12 } })
      expect(team.team.transferLimit).toBe(0)
      const renamed = yield* client.adminTeams.update({ path: { teamId: team.team.id }, payload: { name: "Renamed" } })
      expect(renamed.name).toBe("Renamed")
      const removed = yield* client.adminTeams.delete({ path: { teamId: team.team.id } })
      expect(JSON.parse(removed)).toEqual({ team: team.team.id }) // documented; a void call ignores it
      const teams = yield* client.adminTeams.list({ urlParams: { organizationId: 12 } })
      expect(teams.teams.map((t) => [t.name, t.deleted])).toEqual([["My Team", false], ["Renamed", true]])
      const invalid = yield* Effect.flip(client.adminTeams.list({ urlParams: { organizationId: 12, sortBy: "nope" } }))
      expect(invalid).toMatchObject({ _tag: "InvalidRequest", code: "IM015" })
      const unauthorized = yield* Effect.flip(
        HttpApiClient.make(MakeHttpApi, { baseUrl: Emulator.baseUrl }).pipe(
          Effect.flatMap((anonymous) => anonymous.organizations.list({ urlParams: {} }))
        )
      )
      expect(unauthorized).toMatchObject({ _tag: "Unauthorized", status: 401 })
    }).pipe(Effect.provide(Emulator.layerTest())))

  it.effect("the request log records every request with Make's raw query names, never the token", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.Emulator
      yield* get("/organizations", { "pg[offset]": "0", "cols[]": ["id", "name"] })
      yield* send(HttpClientRequest.get("/organizations/11").pipe(withToken("1234-wrong-token")))
      yield* post("/admin/teams", { name: "Logged", organizationId: 11 })
      yield* get("/organizations/999", { wait: "true" })
      yield* post("/organizations", { name: "" })
      yield* TestClock.adjust("5 seconds")
      yield* get("/admin/teams", { organizationId: "11", "cols[]": "id" })

      const requests = yield* emulator.requests
      expect(requests).toEqual([
        {
          method: "GET",
          path: "/organizations",
          query: { "pg[offset]": "0", "cols[]": ["id", "name"] },
          body: undefined,
          bodyBytes: 0,
          status: 200,
          authenticated: true,
          at: 0,
          processed: true,
          aborted: false
        },
        {
          method: "GET",
          path: "/organizations/11",
          query: {},
          body: undefined,
          bodyBytes: 0,
          status: 401,
          authenticated: false,
          at: 0,
          processed: true,
          aborted: false
        },
        {
          method: "POST",
          path: "/admin/teams",
          query: {},
          body: { name: "Logged", organizationId: 11 },
          bodyBytes: 37,
          status: 200,
          authenticated: true,
          at: 0,
          processed: true,
          aborted: false
        },
        {
          method: "GET",
          path: "/organizations/999",
          query: { wait: "true" },
          body: undefined,
          bodyBytes: 0,
          status: 404,
          authenticated: true,
          at: 0,
          processed: true,
          aborted: false
        },
        {
          method: "POST",
          path: "/organizations",
          query: {},
          body: { name: "" },
          bodyBytes: 11,
          status: 400,
          authenticated: true,
          at: 0,
          processed: true,
          aborted: false
        },
        {
          method: "GET",
          path: "/admin/teams",
          query: { organizationId: "11", "cols[]": ["id"] },
          body: undefined,
          bodyBytes: 0,
          status: 200,
          authenticated: true,
          at: 5000,
          processed: true,
          aborted: false
        }
      ])
      const logged = JSON.stringify(requests)
      expect(logged).not.toContain(token)
      expect(logged).not.toContain("1234-wrong-token")
      expect(logged).not.toContain("Token")

      yield* emulator.clearRequests
      expect(yield* emulator.requests).toEqual([])
    }).pipe(Effect.provide(Emulator.layerTest())))

  it.live("layerServer serves the same API on a free port, with /openapi.json and /docs", () =>
    Effect.gen(function*() {
      const server = yield* Emulator.EmulatorServer
      expect(server.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v2$/)
      const org = yield* send(HttpClientRequest.get("/organizations/11").pipe(withToken()), server.baseUrl)
      expect(org).toMatchObject({ status: 200, body: { organization: { id: 11, operations: "0" } } })
      const created = yield* send(
        HttpClientRequest.post("/admin/teams").pipe(
          HttpClientRequest.bodyUnsafeJson({ name: "Over the wire", organizationId: 11 }),
          withToken()
        ),
        server.baseUrl
      )
      expect(created).toMatchObject({ status: 200, body: { team: { name: "Over the wire" } } })
      const invalid = yield* send(
        HttpClientRequest.post("/organizations").pipe(HttpClientRequest.bodyUnsafeJson({}), withToken()),
        server.baseUrl
      )
      expect(invalid).toMatchObject({ status: 400, body: { code: "IM015" } })
      const refused = yield* send(HttpClientRequest.get("/organizations"), server.baseUrl)
      expect(refused.status).toBe(401)

      const openApi = yield* send(HttpClientRequest.get("/openapi.json"), server.url)
      expect(openApi).toMatchObject({ status: 200, body: { openapi: "3.1.0", servers: [{ url: server.baseUrl }] } })
      const client = yield* HttpClient.HttpClient
      const docs = yield* client.get(`${server.url}/docs`)
      expect(docs.status).toBe(200)
      expect(docs.headers["content-type"]).toContain("text/html")

      const emulator = yield* Emulator.Emulator
      const requests = yield* emulator.requests
      expect(requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
        "GET /organizations/11 200",
        "POST /admin/teams 200",
        "POST /organizations 400",
        "GET /organizations 401"
      ])
      expect(requests[1]?.body).toEqual({ name: "Over the wire", organizationId: 11 })
    }).pipe(
      Effect.provide(
        emulatorOnAPort()
      )
    ))
})
