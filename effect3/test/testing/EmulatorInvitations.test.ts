// Wire-level tests of the emulator's invitations, team-permission check and custom apps, through a raw HttpClient:
// hashes read and accepted once, memberships and team roles they create, permissions that follow team roles.
import { describe, expect, it } from "@effect/vitest"
import { Effect, Option } from "effect"
import { Emulator, EmulatorCatalog } from "../../src/testing/index.js"
import { contractClient, del, get, organizationNotFound, post } from "./wire.js"

const seededHash = "bf1effe1-bc9d-4ab3-9414-9c3b66175305"

const permission = (organizationId: number, teamPermission: string) =>
  Effect.map(
    get(`/organizations/${organizationId}/check-team-permission`, { teamPermission }),
    (answer) => answer.body
  )

describe("Emulator: invitations", () => {
  it.effect("the seeded invitation answers by hash; an unknown hash is a 404", () =>
    Effect.gen(function*() {
      expect(yield* get("/organizations/invitation", { hash: seededHash })).toEqual({
        status: 200,
        body: {
          invitation: {
            hash: seededHash,
            organizationId: 11,
            organizationName: "Acme",
            email: "dana@example.com",
            name: "Dana Scully",
            usersRoleId: 13,
            note: "Welcome to Acme",
            teamsId: [22],
            accepted: false
          }
        }
      })
      expect(yield* get("/organizations/invitation", { hash: "00000000-0000-4000-8000-000000000000" })).toEqual({
        status: 404,
        body: { detail: "Invitation not found.", message: "Not found", code: "SC404" }
      })
      const malformed = yield* get("/organizations/invitation", { hash: "no" })
      expect(malformed).toMatchObject({ status: 400, body: { code: "IM015" } })
    }).pipe(Effect.provide(Emulator.layerTest())))

  it.effect("invite issues a fresh UUID-shaped hash; accepting it once makes a member and a team member", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.Emulator
      const invited = yield* post("/organizations/11/invite", {
        email: "fox@example.com",
        name: "Fox Mulder",
        teamsId: [21, 22]
      })
      expect(invited.status).toBe(200)
      const hash = EmulatorCatalog.invitationHash(2)
      expect(hash).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
      expect(hash).not.toBe(EmulatorCatalog.invitationHash(3))
      expect(invited.body).toEqual({
        invitation: {
          hash,
          organizationId: 11,
          organizationName: "Acme",
          email: "fox@example.com",
          name: "Fox Mulder",
          usersRoleId: 13,
          note: null,
          teamsId: [21, 22],
          accepted: false
        }
      })

      const accepted = yield* post("/organizations/accept-invitation", { hash })
      expect(accepted).toEqual({
        status: 200,
        body: { userOrganizationRole: { userId: 1001, organizationId: 11, usersRoleId: 13, invitation: null } }
      })
      // Read again: still there, now accepted. Accept again: as unknown as a wrong hash.
      expect(yield* get("/organizations/invitation", { hash })).toMatchObject({
        status: 200,
        body: { invitation: { hash, accepted: true } }
      })
      expect(yield* post("/organizations/accept-invitation", { hash })).toEqual({
        status: 404,
        body: { detail: "Invitation not found.", message: "Not found", code: "SC404" }
      })

      expect(yield* emulator.users).toContainEqual({ id: 1001, name: "Fox Mulder", email: "fox@example.com" })
      expect(yield* emulator.memberships(11)).toContainEqual({ userId: 1001, organizationId: 11, usersRoleId: 13 })
      const roles = (yield* emulator.teamRoles).filter((role) => role.userId === 1001)
      expect(roles).toEqual([
        { userId: 1001, teamId: 21, usersRoleId: EmulatorCatalog.teamMemberRoleId },
        { userId: 1001, teamId: 22, usersRoleId: EmulatorCatalog.teamMemberRoleId }
      ])
      expect(Option.map(yield* emulator.invitation(hash), (i) => i.accepted)).toEqual(Option.some(true))
    }).pipe(Effect.provide(Emulator.layerTest())))

  it.effect("the seeded invitation: accepted with its role, note and team; a second user id for a second e-mail", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.Emulator
      const dana = yield* post("/organizations/accept-invitation", { hash: seededHash })
      expect(dana.body).toEqual({
        userOrganizationRole: { userId: 1001, organizationId: 11, usersRoleId: 13, invitation: null }
      })
      const invited = yield* post("/organizations/12/invite", {
        email: "walter@example.com",
        name: "Walter Skinner",
        usersRoleId: 12,
        note: "Admin of Beta"
      })
      expect(invited.body).toMatchObject({ invitation: { usersRoleId: 12, note: "Admin of Beta", teamsId: [] } })
      const walter = yield* post("/organizations/accept-invitation", {
        hash: EmulatorCatalog.invitationHash(2)
      })
      expect(walter.body).toMatchObject({ userOrganizationRole: { userId: 1002, organizationId: 12, usersRoleId: 12 } })
      // Dana joined team 22 as member; Walter joined no team.
      const roles = yield* emulator.teamRoles
      expect(roles.filter((role) => role.userId >= 1001)).toEqual([{ userId: 1001, teamId: 22, usersRoleId: 2 }])
    }).pipe(Effect.provide(Emulator.layerTest())))

  it.effect("invite refuses teams of other organizations, deleted teams and existing members, changing nothing", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.Emulator
      const refused = yield* post("/organizations/11/invite", {
        email: "noreply@make.com",
        name: "Me again",
        teamsId: [21, 24, 23]
      })
      expect(refused).toEqual({
        status: 400,
        body: {
          detail: "Validation failed for 3 parameter(s).",
          message: "Bad request",
          code: "IM015",
          suberrors: [
            { message: "teamsId.1: team 24 is not a team of organization 11" },
            { message: "teamsId.2: team 23 is not a team of organization 11" },
            { message: "email: noreply@make.com is already a member of organization 11" }
          ]
        }
      })
      expect(yield* emulator.invitations(11)).toHaveLength(1)
      const invalid = yield* post("/organizations/11/invite", { email: "not-an-email", name: "X" })
      expect(invalid).toMatchObject({ status: 400, body: { code: "IM015" } })
      expect(yield* post("/organizations/999/invite", { email: "a@b.co", name: "A" })).toEqual({
        status: 404,
        body: organizationNotFound
      })
    }).pipe(Effect.provide(Emulator.layerTest())))

  it.effect("deleting the organization takes its invitations along", () =>
    Effect.gen(function*() {
      expect((yield* del("/organizations/11", { confirmed: "true" })).status).toBe(200)
      expect((yield* get("/organizations/invitation", { hash: seededHash })).status).toBe(404)
      expect((yield* post("/organizations/accept-invitation", { hash: seededHash })).status).toBe(404)
    }).pipe(Effect.provide(Emulator.layerTest())))
})

describe("Emulator: check-team-permission", () => {
  it.effect("follows the token user's team roles: the same permission is held in one organization, not another", () =>
    Effect.gen(function*() {
      // Team Admin of 21 in Acme; Team Monitoring of 24 in Beta Labs; Team Operator of 25 in Gamma.
      expect(yield* permission(11, "scenario add")).toEqual({ hasPermission: true })
      expect(yield* permission(12, "scenario add")).toEqual({ hasPermission: false })
      expect(yield* permission(13, "scenario add")).toEqual({ hasPermission: false })
      expect(yield* permission(13, "scenario run")).toEqual({ hasPermission: true })
      expect(yield* permission(12, "scenario run")).toEqual({ hasPermission: false })
      expect(yield* permission(12, "scenario view")).toEqual({ hasPermission: true })
      expect(yield* permission(11, "no such permission")).toEqual({ hasPermission: false })
      expect(yield* get("/organizations/999/check-team-permission", { teamPermission: "team view" })).toEqual({
        status: 404,
        body: organizationNotFound
      })
      const invalid = yield* get("/organizations/11/check-team-permission", { teamPermission: "Scenario-Add" })
      expect(invalid).toMatchObject({ status: 400, body: { code: "IM015" } })
    }).pipe(Effect.provide(Emulator.layerTest())))

  it.effect("a deleted team grants nothing; a team created for the user grants Team Admin", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.Emulator
      // Acme: admin only through team 21; Marketing (22) is monitoring.
      expect(yield* permission(11, "scenario edit")).toEqual({ hasPermission: true })
      expect(yield* del("/admin/teams/21")).toEqual({ status: 200, body: { team: 21 } })
      expect(yield* permission(11, "scenario edit")).toEqual({ hasPermission: false })
      expect(yield* permission(11, "team view")).toEqual({ hasPermission: true })

      // Beta Labs: a new team makes the token user its Team Admin.
      expect(yield* permission(12, "team edit")).toEqual({ hasPermission: false })
      const team = yield* post("/admin/teams", { name: "Platform", organizationId: 12 })
      expect(team.body).toMatchObject({ team: { id: 26 }, userTeamRole: { usersRoleId: 1, userId: 1 } })
      expect(yield* permission(12, "team edit")).toEqual({ hasPermission: true })
      // ... but not a team whose named admin is someone else.
      yield* post("/admin/teams", { name: "Their team", organizationId: 13, userTeamAdmin: 15 })
      expect(yield* permission(13, "team edit")).toEqual({ hasPermission: false })
      expect(yield* emulator.teamRoles).toContainEqual({ userId: 15, teamId: 27, usersRoleId: 1 })

      // A test can set roles directly.
      yield* emulator.setTeamRole({ teamId: 25, usersRoleId: 2 })
      expect(yield* permission(13, "scenario add")).toEqual({ hasPermission: true })
      expect(yield* permission(13, "scenario run")).toEqual({ hasPermission: false })
      const missing = yield* Effect.flip(emulator.setTeamRole({ teamId: 999, usersRoleId: 1 }))
      expect(missing).toMatchObject({ _tag: "NotFound", resource: "team", id: 999 })
    }).pipe(Effect.provide(Emulator.layerTest())))

  it.effect("an organization created over the API makes its creator Team Admin of its first team", () =>
    Effect.gen(function*() {
      const created = yield* post("/organizations", { name: "New", regionId: 1, timezoneId: 113, countryId: 1 })
      expect(created.body).toMatchObject({ organization: { id: 26, teams: [{ id: 27 }] } })
      expect(yield* permission(26, "connection edit")).toEqual({ hasPermission: true })
    }).pipe(Effect.provide(Emulator.layerTest())))
})

describe("Emulator: custom apps", () => {
  it.effect("lists the organization's custom apps, published or not", () =>
    Effect.gen(function*() {
      const acme = yield* get("/organizations/11/apps")
      expect(acme).toEqual({
        status: 200,
        body: {
          apps: [
            {
              name: "acme-crm-k3x9f2",
              label: "Acme CRM",
              version: 1,
              public: true,
              approved: true,
              theme: "#0f62fe",
              description: "Contacts and deals of the Acme CRM."
            },
            {
              name: "acme-billing-bridge-7qz1md",
              label: "Billing bridge",
              version: 2,
              public: false,
              approved: false,
              theme: "#24a148",
              description: "Pushes invoices to the ledger."
            }
          ]
        }
      })
      expect(yield* get("/organizations/13/apps")).toEqual({ status: 200, body: { apps: [] } })
      expect(yield* get("/organizations/999/apps")).toEqual({ status: 404, body: organizationNotFound })
    }).pipe(Effect.provide(Emulator.layerTest())))
})

it.effect("the contract's derived client decodes every answer of these endpoints", () =>
  Effect.gen(function*() {
    const client = yield* contractClient
    const invitation = yield* client.invitations.invite({
      path: { organizationId: 12 },
      payload: { email: "typed@example.com", name: "Typed", teamsId: [24] }
    })
    expect(invitation.teamsId).toEqual([24])
    const read = yield* client.invitations.get({ urlParams: { hash: invitation.hash } })
    expect(read.accepted).toBe(false)
    const accepted = yield* client.invitations.accept({ payload: { hash: invitation.hash } })
    expect(accepted.organizationId).toBe(12)
    const again = yield* Effect.flip(client.invitations.accept({ payload: { hash: invitation.hash } }))
    expect(again).toMatchObject({ _tag: "NotFound", status: 404 })
    const apps = yield* client.organizations.apps({ path: { organizationId: 11 } })
    expect(apps.map((app) => app.public)).toEqual([true, false])
    const check = yield* client.organizations.checkTeamPermission({
      path: { organizationId: 11 },
      urlParams: { teamPermission: "scenario add" }
    })
    expect(check.hasPermission).toBe(true)
    const missing = yield* Effect.flip(client.organizations.apps({ path: { organizationId: 404 } }))
    expect(missing).toMatchObject({ _tag: "NotFound", detail: "Organization not found." })
    // Nothing was left unanswered: every request above got Make's status.
    const emulator = yield* Emulator.Emulator
    expect((yield* emulator.requests).map((r) => r.status)).toEqual([200, 200, 200, 404, 200, 200, 404])
  }).pipe(Effect.provide(Emulator.layerTest())))
