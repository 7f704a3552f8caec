// Organizations over the emulator: every method's success, every typed error it can fail with, and the exact
// requests (method, path, query with Make's wire names, body) the emulator received. Ported from the Effect 3 line.
import { describe, expect, it } from "@effect/vitest"
import { Effect, Fiber, Layer, Option, Redacted, Stream } from "effect"
import { TestClock } from "effect/testing"
import * as MakeApi from "../../src/MakeApi.js"
import * as Organizations from "../../src/Organizations.js"
import * as Emulator from "../../src/testing/Emulator.js"
import { defaultSeed } from "../../src/testing/emulator/Seed.js"
import * as MakeTest from "../../src/testing/MakeTest.js"

const { requests } = Emulator
/** The last request the emulator received (the Effect 4 emulator has no `lastRequest` of its own). */
const lastRequest = Effect.map(requests, (all) => all.at(-1))
const newOrganization = { name: "Acme Robotics", regionId: 1, timezoneId: 113, countryId: 1 }

describe("Organizations", () => {
  it.effect("list: one page, sorted by name, with Make's pg echo", () =>
    Effect.gen(function*() {
      const orgs = yield* Organizations.Organizations
      const page = yield* orgs.list()
      expect(page.items.map((org) => org.name)).toEqual(["Acme", "Beta Labs", "Gamma"])
      expect(page.pg).toMatchObject({ sortBy: "name", sortDir: "asc", offset: 0 })
      expect(yield* lastRequest).toMatchObject({ method: "GET", path: "/organizations", query: {}, status: 200 })
    }).pipe(Effect.provide(MakeTest.layer())))

  it.effect("list: pg[...] and cols[] on the wire, id and name always selected", () =>
    Effect.gen(function*() {
      const orgs = yield* Organizations.Organizations
      const page = yield* orgs.list({ offset: 1, limit: 1, sortBy: "name", sortDir: "desc", cols: ["zone"] })
      expect(page.items.map((org) => org.name)).toEqual(["Beta Labs"])
      expect(page.items[0]?.zone).toBe("eu1.make.com")
      expect(page.items[0]?.timezoneId).toBeUndefined()
      expect(page.pg).toMatchObject({ offset: 1, limit: 1, sortDir: "desc" })
      expect((yield* lastRequest)?.query).toEqual({
        "pg[offset]": "1",
        "pg[limit]": "1",
        "pg[sortBy]": "name",
        "pg[sortDir]": "desc",
        "cols[]": ["id", "name", "zone"]
      })
    }).pipe(Effect.provide(MakeTest.layer())))

  it.effect("list: externalId filters (White Label)", () =>
    Effect.gen(function*() {
      const orgs = yield* Organizations.Organizations
      const page = yield* orgs.list({ externalId: "BETA-001" })
      expect(page.items.map((org) => org.id)).toEqual([12])
      expect((yield* lastRequest)?.query).toEqual({ externalId: "BETA-001" })
    }).pipe(Effect.provide(MakeTest.layer())))

  it.effect("stream: walks every page and stops at the first short one", () =>
    Effect.gen(function*() {
      const orgs = yield* Organizations.Organizations
      const all = yield* Stream.runCollect(orgs.stream({ limit: 2 }))
      expect(Array.from(all).map((org) => org.id)).toEqual([11, 12, 13])
      const seen = yield* requests
      expect(seen.map((r) => r.query)).toEqual([
        { "pg[offset]": "0", "pg[limit]": "2" },
        { "pg[offset]": "2", "pg[limit]": "2" }
      ])
    }).pipe(Effect.provide(MakeTest.layer())))

  it.effect("stream: only pulls the pages it needs", () =>
    Effect.gen(function*() {
      const orgs = yield* Organizations.Organizations
      const first = yield* Stream.runCollect(orgs.stream({ limit: 1 }).pipe(Stream.take(1)))
      expect(first.length).toBe(1)
      expect((yield* requests).length).toBe(1)
    }).pipe(Effect.provide(MakeTest.layer())))

  it.effect("get: the organization with its licence, quirky counters decoded to numbers", () =>
    Effect.gen(function*() {
      const orgs = yield* Organizations.Organizations
      const org = yield* orgs.get(11)
      expect(org).toMatchObject({ id: 11, name: "Acme", operations: 0, unusedTransfer: 0 })
      expect(org.license?.apiLimit).toBeGreaterThan(0)
      expect(yield* lastRequest).toMatchObject({ method: "GET", path: "/organizations/11", query: {} })
    }).pipe(Effect.provide(MakeTest.layer())))

  it.effect("get: cols[] selects columns", () =>
    Effect.gen(function*() {
      const orgs = yield* Organizations.Organizations
      const org = yield* orgs.get(12, { cols: ["license"] })
      expect(org.license?.apps).toEqual(expect.any(Array))
      expect((yield* lastRequest)?.query).toEqual({ "cols[]": ["id", "name", "license"] })
    }).pipe(Effect.provide(MakeTest.layer())))

  it.effect("get: NotFound carries the resource and id", () =>
    Effect.gen(function*() {
      const orgs = yield* Organizations.Organizations
      const error = yield* Effect.flip(orgs.get(999))
      expect(error).toMatchObject({ _tag: "NotFound", status: 404, resource: "organization", id: 999 })
      expect(error.message).toContain("Organization 999")
    }).pipe(Effect.provide(MakeTest.layer())))

  it.effect("create, then get without wait is NotFound until the zone has synchronised", () =>
    Effect.gen(function*() {
      const orgs = yield* Organizations.Organizations
      const { organization, userOrganizationRole } = yield* orgs.create(newOrganization)
      expect(organization.name).toBe("Acme Robotics")
      expect(userOrganizationRole?.organizationId).toBe(organization.id)
      expect((yield* requests).at(-1)).toMatchObject({ method: "POST", path: "/organizations", body: newOrganization })
      expect(yield* Effect.flip(orgs.get(organization.id))).toMatchObject({
        _tag: "NotFound",
        resource: "organization",
        id: organization.id
      })
      yield* TestClock.adjust("2 seconds")
      expect((yield* orgs.get(organization.id)).name).toBe("Acme Robotics")
    }).pipe(Effect.provide(MakeTest.layer({ syncDelay: "2 seconds" }))))

  it.effect("get with wait: true sends wait=true and answers once the zone has synchronised", () =>
    Effect.gen(function*() {
      const orgs = yield* Organizations.Organizations
      const { organization } = yield* orgs.create(newOrganization)
      const fiber = yield* Effect.forkChild(orgs.get(organization.id, { wait: true }))
      yield* TestClock.adjust("1 second")
      expect(fiber.pollUnsafe()).toBeUndefined()
      yield* TestClock.adjust("1 second")
      expect((yield* Fiber.join(fiber)).id).toBe(organization.id)
      expect((yield* lastRequest)?.query).toEqual({ wait: "true" })
    }).pipe(Effect.provide(MakeTest.layer({ syncDelay: "2 seconds" }))))

  it.effect("awaitSynced: polls without wait until the zone has the new organization", () =>
    Effect.gen(function*() {
      const orgs = yield* Organizations.Organizations
      const { organization } = yield* orgs.create(newOrganization)
      const fiber = yield* Effect.forkChild(orgs.awaitSynced(organization.id))
      yield* TestClock.adjust("5 seconds")
      const synced = yield* Fiber.join(fiber)
      expect(synced).toMatchObject({ id: organization.id, name: "Acme Robotics" })
      const reads = (yield* requests).filter((r) => r.path === `/organizations/${organization.id}`)
      expect(reads.length).toBeGreaterThan(2)
      expect(reads.every((r) => r.query["wait"] === undefined)).toBe(true)
      expect(reads.at(-1)?.status).toBe(200)
      expect(reads.slice(0, -1).every((r) => r.status === 404)).toBe(true)
    }).pipe(Effect.provide(MakeTest.layer({ syncDelay: "2 seconds" }))))

  it.effect("awaitSynced: NotSynced at the deadline, with how long and how often it asked", () =>
    Effect.gen(function*() {
      const orgs = yield* Organizations.Organizations
      const { organization } = yield* orgs.create(newOrganization)
      const fiber = yield* Effect.forkChild(Effect.flip(orgs.awaitSynced(organization.id, { timeout: "5 seconds" })))
      yield* TestClock.adjust("6 seconds")
      const error = yield* Fiber.join(fiber)
      expect(error._tag).toBe("NotSynced")
      if (error._tag !== "NotSynced") return
      expect(error).toMatchObject({ organizationId: organization.id, waitedMillis: 5000 })
      expect(error.attempts).toBeGreaterThan(2)
      expect(error.message).toContain("wait: true")
    }).pipe(Effect.provide(MakeTest.layer({ syncDelay: "10 minutes" }))))

  // The pauses double from `interval` and are capped at 5 s: the reads land exactly at these clock times. A cap of
  // 50 s (or none) would put the seventh read at 15,750 ms instead of 12,750 ms.
  for (
    const [interval, reads] of [
      ["250 millis", [0, 250, 750, 1750, 3750, 7750, 12750, 17750, 22750, 27750]],
      ["1 second", [0, 1000, 3000, 7000, 12000, 17000, 22000, 27000]]
    ] as const
  ) {
    it.effect(`awaitSynced: pauses double from ${interval} up to 5 seconds, read at exact clock times`, () =>
      Effect.gen(function*() {
        const orgs = yield* Organizations.Organizations
        const { organization } = yield* orgs.create(newOrganization)
        const fiber = yield* Effect.forkChild(
          Effect.flip(orgs.awaitSynced(organization.id, { timeout: "30 seconds", interval }))
        )
        yield* TestClock.adjust("31 seconds")
        const error = yield* Fiber.join(fiber)
        expect(error).toMatchObject({ _tag: "NotSynced", waitedMillis: 30_000, attempts: reads.length })
        const polls = (yield* requests).filter((r) => r.path === `/organizations/${organization.id}`)
        expect(polls.map((r) => r.at)).toEqual(reads)
        expect(polls.every((r) => r.method === "GET" && r.status === 404)).toBe(true)
      }).pipe(Effect.provide(MakeTest.layer({ syncDelay: "10 minutes" }))))
  }

  it.effect("awaitSynced: other errors end the wait at once", () =>
    Effect.gen(function*() {
      const orgs = yield* Organizations.Organizations
      expect((yield* Effect.flip(orgs.awaitSynced(0)))._tag).toBe("InvalidInput")
      expect((yield* Effect.flip(orgs.awaitSynced(11, { timeout: 0 })))._tag).toBe("InvalidInput")
      expect(yield* requests).toEqual([])
    }).pipe(Effect.provide(MakeTest.layer())))

  it.effect("update: sends only the given fields and answers the organization", () =>
    Effect.gen(function*() {
      const orgs = yield* Organizations.Organizations
      const updated = yield* orgs.update(12, { name: "Beta Labs EU" })
      expect(updated).toMatchObject({ id: 12, name: "Beta Labs EU" })
      expect(updated.license?.apps).toEqual(["T2"])
      expect(yield* lastRequest).toMatchObject({
        method: "PATCH",
        path: "/organizations/12",
        body: { name: "Beta Labs EU" }
      })
      expect((yield* orgs.get(12)).name).toBe("Beta Labs EU")
    }).pipe(Effect.provide(MakeTest.layer())))

  it.effect("update: NotFound", () =>
    Effect.gen(function*() {
      const orgs = yield* Organizations.Organizations
      const error = yield* Effect.flip(orgs.update(999, { name: "X" }))
      expect(error).toMatchObject({ _tag: "NotFound", resource: "organization", id: 999 })
    }).pipe(Effect.provide(MakeTest.layer())))

  it.effect("delete without confirmed: NotConfirmed, and the organization is still there", () =>
    Effect.gen(function*() {
      const orgs = yield* Organizations.Organizations
      const error = yield* Effect.flip(orgs.delete(11))
      expect(error).toMatchObject({
        _tag: "NotConfirmed",
        status: 406,
        code: "IM004",
        resource: "organization",
        id: 11
      })
      expect(error.message).toContain("confirmed: true")
      const emulator = yield* Emulator.Emulator
      expect(Option.isSome(yield* emulator.organization(11))).toBe(true)
      expect((yield* emulator.teams(11)).length).toBe(3)
      expect(yield* lastRequest).toMatchObject({ method: "DELETE", path: "/organizations/11", query: {}, status: 406 })
    }).pipe(Effect.provide(MakeTest.layer())))

  it.effect("delete with confirmed: true removes it and its teams", () =>
    Effect.gen(function*() {
      const orgs = yield* Organizations.Organizations
      yield* orgs.delete(11, { confirmed: true })
      expect(yield* lastRequest).toMatchObject({ method: "DELETE", query: { confirmed: "true" }, status: 200 })
      const emulator = yield* Emulator.Emulator
      expect(Option.isNone(yield* emulator.organization(11))).toBe(true)
      expect(yield* Effect.flip(orgs.get(11))).toMatchObject({ _tag: "NotFound", resource: "organization", id: 11 })
    }).pipe(Effect.provide(MakeTest.layer())))

  it.effect("delete of an organization without active scenarios needs no confirmation", () =>
    Effect.gen(function*() {
      const orgs = yield* Organizations.Organizations
      yield* orgs.delete(13)
      expect(yield* Effect.flip(orgs.get(13))).toMatchObject({ _tag: "NotFound", resource: "organization", id: 13 })
    }).pipe(Effect.provide(MakeTest.layer())))

  it.effect("delete: NotFound", () =>
    Effect.gen(function*() {
      const orgs = yield* Organizations.Organizations
      const error = yield* Effect.flip(orgs.delete(999, { confirmed: true }))
      expect(error).toMatchObject({ _tag: "NotFound", resource: "organization", id: 999 })
    }).pipe(Effect.provide(MakeTest.layer())))

  it.effect("bad arguments of every method: InvalidInput, and the emulator sees no request", () =>
    Effect.gen(function*() {
      const orgs = yield* Organizations.Organizations
      const failures = [
        yield* Effect.flip(orgs.list({ limit: 0 })),
        yield* Effect.flip(orgs.get(-1)),
        yield* Effect.flip(orgs.get(1.5, { wait: true })),
        yield* Effect.flip(orgs.create({ ...newOrganization, name: "  " })),
        yield* Effect.flip(orgs.update(11, { countryId: 0 })),
        yield* Effect.flip(orgs.delete(Number.NaN, { confirmed: true })),
        yield* Effect.flip(Stream.runDrain(orgs.stream({ offset: -5 })))
      ]
      expect(failures.map((error) => error._tag)).toEqual(Array(failures.length).fill("InvalidInput"))
      expect(yield* requests).toEqual([])
    }).pipe(Effect.provide(MakeTest.layer())))

  it.effect("a token the emulator does not accept: Unauthorized, and the token is in no printed form", () => {
    const wrong = "11111111-2222-4333-8444-555555555555"
    return Effect.gen(function*() {
      const orgs = yield* Organizations.Organizations
      const error = yield* Effect.flip(orgs.get(11))
      expect(error).toMatchObject({ _tag: "Unauthorized", status: 401 })
      for (const printed of [error.message, String(error), JSON.stringify(error)]) {
        expect(printed).not.toContain(wrong)
      }
      expect(yield* lastRequest).toMatchObject({ status: 401, authenticated: false })
      expect(JSON.stringify(yield* requests)).not.toContain(wrong)
    }).pipe(
      Effect.provide(
        MakeApi.layer({ token: Redacted.make(wrong), baseUrl: Emulator.baseUrl }).pipe(
          Layer.orDie,
          Layer.provideMerge(Emulator.layerTest())
        )
      )
    )
  })

  it.effect("apps: the custom apps of the organization's users, published or not", () =>
    Effect.gen(function*() {
      const orgs = yield* Organizations.Organizations
      const apps = yield* orgs.apps(11)
      expect(apps).toEqual([
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
      ])
      expect(yield* lastRequest).toMatchObject({
        method: "GET",
        path: "/organizations/11/apps",
        query: {},
        body: undefined,
        status: 200
      })
      expect((yield* orgs.apps(12)).map((app) => app.name)).toEqual(["beta-webhooks-p0w4ne"])
      expect(yield* orgs.apps(13)).toEqual([])
    }).pipe(Effect.provide(MakeTest.layer())))

  it.effect("apps: NotFound names the organization; id 0 is InvalidInput and nothing is sent", () =>
    Effect.gen(function*() {
      const orgs = yield* Organizations.Organizations
      const error = yield* Effect.flip(orgs.apps(999))
      expect(error).toMatchObject({ _tag: "NotFound", status: 404, resource: "organization", id: 999 })
      expect(yield* lastRequest).toMatchObject({ path: "/organizations/999/apps", status: 404 })
      const invalid = yield* Effect.flip(orgs.apps(0))
      expect(invalid).toMatchObject({ _tag: "InvalidInput", operation: "Organizations.apps" })
      expect((yield* requests).length).toBe(1)
    }).pipe(Effect.provide(MakeTest.layer())))

  it.effect("checkTeamPermission: true where a team role grants it, teamPermission on the wire", () =>
    Effect.gen(function*() {
      const orgs = yield* Organizations.Organizations
      // Team Admin of team 21 in Acme
      expect(yield* orgs.checkTeamPermission(11, "scenario add")).toBe(true)
      expect(yield* lastRequest).toMatchObject({
        method: "GET",
        path: "/organizations/11/check-team-permission",
        query: { teamPermission: "scenario add" },
        status: 200
      })
    }).pipe(Effect.provide(MakeTest.layer())))

  it.effect("checkTeamPermission: false where no team role grants it", () =>
    Effect.gen(function*() {
      const orgs = yield* Organizations.Organizations
      // Team Monitoring of team 24 only: can view, not add
      expect(yield* orgs.checkTeamPermission(12, "scenario add")).toBe(false)
      expect((yield* lastRequest)?.query).toEqual({ teamPermission: "scenario add" })
      expect(yield* orgs.checkTeamPermission(12, "scenario view")).toBe(true)
      // A permission nobody has heard of is not held.
      expect(yield* orgs.checkTeamPermission(11, "time travel")).toBe(false)
    }).pipe(Effect.provide(MakeTest.layer())))

  // The Effect 4 emulator has no `setTeamRole`: the role is given in its seed instead (Team Member of team 24).
  it.effect("checkTeamPermission: follows the team roles the emulator is given", () =>
    Effect.gen(function*() {
      const orgs = yield* Organizations.Organizations
      expect(yield* orgs.checkTeamPermission(12, "scenario add")).toBe(true)
    }).pipe(Effect.provide(MakeTest.layer({
      seed: {
        ...defaultSeed,
        teamRoles: (defaultSeed.teamRoles ?? []).map((role) => role.teamId === 24 ? { ...role, usersRoleId: 2 } : role)
      }
    }))))

  it.effect("checkTeamPermission: NotFound names the organization", () =>
    Effect.gen(function*() {
      const orgs = yield* Organizations.Organizations
      const error = yield* Effect.flip(orgs.checkTeamPermission(999, "scenario add"))
      expect(error).toMatchObject({ _tag: "NotFound", status: 404, resource: "organization", id: 999 })
      expect(yield* lastRequest).toMatchObject({
        path: "/organizations/999/check-team-permission",
        query: { teamPermission: "scenario add" },
        status: 404
      })
    }).pipe(Effect.provide(MakeTest.layer())))

  it.effect("checkTeamPermission: a permission that is not a name is InvalidInput, and nothing is sent", () =>
    Effect.gen(function*() {
      const orgs = yield* Organizations.Organizations
      const error = yield* Effect.flip(orgs.checkTeamPermission(11, "DROP TABLE;"))
      expect(error).toMatchObject({
        _tag: "InvalidInput",
        operation: "Organizations.checkTeamPermission",
        issues: ["teamPermission: must be a permission name such as \"scenario add\""]
      })
      expect((yield* Effect.flip(orgs.checkTeamPermission(11, "")))._tag).toBe("InvalidInput")
      expect((yield* Effect.flip(orgs.checkTeamPermission(-1, "scenario add")))._tag).toBe("InvalidInput")
      expect(yield* requests).toEqual([])
    }).pipe(Effect.provide(MakeTest.layer())))
})
