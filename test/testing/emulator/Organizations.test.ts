// The Organizations area's pure operations: the list's paging, sorting, cols[] and zone quirks, the sync delay,
// create/update/delete (IM004), custom apps, team permissions; every body decodes through the contract.
import { describe, expect, it } from "@effect/vitest"
import { Duration, Effect, Option, Schema } from "effect"
import {
  CustomAppList,
  OrganizationCreated,
  OrganizationEnvelope,
  OrganizationList
} from "../../../src/api/OrganizationsApi.js"
import { NotConfirmed, NotFound } from "../../../src/MakeError.js"
import { settings } from "../../../src/testing/emulator/Options.js"
import {
  addOrganization,
  checkTeamPermission,
  createOrganization,
  customApps,
  deleteOrganization,
  getOrganization,
  listOrganizations,
  patchOrganization
} from "../../../src/testing/emulator/Organizations.js"
import { decodeSeedFile, fromSeed } from "../../../src/testing/emulator/Seed.js"
import { type Data, inOrganization, isMember, organizationsOf, teamsOf } from "../../../src/testing/emulator/Store.js"
import { failure, ok, seeded } from "./support.js"

const zone = "eu1.make.com"
const fresh = { name: "Fresh", regionId: 1, timezoneId: 113, countryId: 1 }

/** The success of a step, or the test fails with its error. */

/** The failure of a step, or the test fails. */

const organizationNotFound = (id: number) =>
  new NotFound({
    status: 404,
    detail: "Organization not found.",
    title: "Not found",
    code: "SC404",
    resource: "organization",
    id
  })

describe("GET /organizations", () => {
  it("answers Make's list: default columns, privateSpaces, pg echoed; the contract decodes it", () => {
    const body = ok(listOrganizations(seeded, {}, zone))
    expect(body).toEqual({
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
    })
    expect(Schema.decodeUnknownResult(OrganizationList)(body)._tag).toBe("Success")
  })

  it("pages, sorts, projects cols[] and filters", () => {
    const page = ok(listOrganizations(seeded, {
      sortBy: "id",
      sortDir: "desc",
      offset: 1,
      limit: 1,
      cols: ["id", "externalId", "license"]
    }, zone))
    expect(page).toMatchObject({
      organizations: [{ id: 12, externalId: "BETA-001", license: { apps: ["T2"], apiLimit: 240 } }],
      pg: { sortBy: "id", sortDir: "desc", limit: 1, offset: 1 }
    })
    expect(ok(listOrganizations(seeded, { externalId: "BETA-001", cols: ["id"] }, zone)).organizations).toEqual([
      { id: 12 }
    ])
    expect(ok(listOrganizations(seeded, { zone: "us1.make.com" }, zone)).organizations).toEqual([])
    // privateSpaces come along whatever the columns (the quirk of fixtures/organizations/list.json).
    expect(ok(listOrganizations(seeded, { sortDir: "desc", cols: ["name"] }, zone)).organizations).toEqual([
      { name: "Gamma" },
      { name: "Beta Labs" },
      { name: "Acme", privateSpaces: [{ id: 101, name: "Becca's space", isOwner: true, hasAdminVisibility: false }] }
    ])
  })

  it("an unknown pg[sortBy] is Make's 400 with a suberror", () => {
    const error = failure(listOrganizations(seeded, { sortBy: "nope" }, zone))
    expect([error._tag, error.status, error.code]).toEqual(["InvalidRequest", 400, "IM015"])
    expect(error.suberrors.map((s) => s.message)).toEqual([
      `pg[sortBy]: expected one of id, name, countryId, timezoneId, license, zone, serviceName, teams, isPaused, ` +
      `externalId, productName, got "nope"`
    ])
  })

  it.effect("leaves license, serviceName and isPaused out for organizations of another zone", () =>
    Effect.gen(function*() {
      const seed = yield* decodeSeedFile(
        `{"organizations":[{"id":7,"name":"Zulu","zone":"eu2.make.com"},{"id":5,"name":"Alpha"}]}`
      )
      const data = fromSeed(seed, settings(), 0)
      const cols = ["id", "zone", "license", "serviceName", "isPaused"]
      const items = ok(listOrganizations(data, { cols, sortBy: "id" }, zone)).organizations
      expect(items.map((item) => Object.keys(item))).toEqual([cols, ["id", "zone"]])
    }))

  it.prop(
    "walking pages of any size gives every organization once, in the order of the whole list",
    {
      names: Schema.Array(Schema.String.check(Schema.isMaxLength(6))).check(Schema.isMaxLength(8)),
      limit: Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: 5 })),
      sortBy: Schema.Literals(["id", "name", "timezoneId", "externalId"]),
      sortDir: Schema.Literals(["asc", "desc"])
    },
    ({ limit, names, sortBy, sortDir }) => {
      const data = names.reduce(
        (data: Data, name) => addOrganization({ ...fresh, name }, { createdAt: 0, syncedAt: 0 }, zone, 1)(data)[1],
        seeded
      )
      const whole = ok(listOrganizations(data, { sortBy, sortDir, cols: ["id"] }, zone)).organizations
      expect(whole).toHaveLength(3 + names.length)
      const walked = []
      for (let offset = 0; offset < whole.length + limit; offset += limit) {
        const page = ok(listOrganizations(data, { sortBy, sortDir, offset, limit, cols: ["id"] }, zone))
        expect(page.pg).toEqual({ sortBy, sortDir, offset, limit })
        expect(page.organizations.length).toBe(Math.max(0, Math.min(limit, whole.length - offset)))
        walked.push(...page.organizations)
      }
      expect(walked.map((org) => org.id)).toEqual(whole.map((org) => org.id))
      if (sortBy === "id") {
        const ids = whole.flatMap((org) => org.id === undefined ? [] : [org.id])
        expect(ids).toEqual([...ids].sort((a, b) => sortDir === "asc" ? a - b : b - a))
      }
    },
    { arbitrary: { runs: 100 } }
  )
})

describe("GET /organizations/{id}", () => {
  it("carries the quirks of the real service, and the contract decodes it", () => {
    const outcome = ok(getOrganization(seeded, 11, 0, false))
    expect(outcome).toMatchObject({
      _tag: "Ready",
      body: {
        organization: {
          id: 11,
          name: "Acme",
          serviceName: "unlimited",
          nextReset: null,
          operations: "0",
          unusedTransfer: "0",
          isPaused: false,
          deleted: false,
          features: {},
          zone,
          license: { apps: ["T2", "T3"], apiLimit: 240, customVariables: true },
          teams: [{ id: 21, name: "My Team" }, { id: 22, name: "Marketing" }],
          privateSpaces: [{ id: 101, name: "Becca's space", isOwner: true, hasAdminVisibility: false }]
        }
      }
    })
    if (outcome._tag === "Ready") {
      expect(Schema.decodeUnknownResult(OrganizationEnvelope)(outcome.body)._tag).toBe("Success")
      expect(JSON.stringify(outcome.body)).not.toContain("_tag")
    }
    const gamma = ok(getOrganization(seeded, 13, 0, false))
    expect(JSON.stringify(gamma)).not.toContain("customVariables")
    expect(failure(getOrganization(seeded, 404, 0, false))).toEqual(organizationNotFound(404))
  })

  it.prop(
    "a new organization is a 404 until the sync delay has passed; wait=true says how long to wait",
    {
      delay: Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: 60_000 })),
      elapsed: Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: 120_000 }))
    },
    ({ delay, elapsed }) => {
      const created = 5_000
      const [body, data] = createOrganization(fresh, created, settings({ syncDelay: Duration.millis(delay) }))(seeded)
      const id = body.organization.id
      const now = created + elapsed
      if (elapsed >= delay) {
        expect(ok(getOrganization(data, id, now, false))._tag).toBe("Ready")
        expect(ok(getOrganization(data, id, now, true))._tag).toBe("Ready")
      } else {
        const early = failure(getOrganization(data, id, now, false))
        expect([early._tag, early.status, early.code, early.id]).toEqual(["NotFound", 404, "SC404", id])
        expect(early.detail).toContain("wait=true")
        expect(ok(getOrganization(data, id, now, true))).toEqual({ _tag: "Wait", millis: delay - elapsed })
      }
    },
    { arbitrary: { runs: 200 } }
  )
})

describe("the sync delay", () => {
  it("is configurable, and ends exactly on time: 10 seconds is a 404 at 9.999 s, readable at 10 s", () => {
    const [body, data] = createOrganization(fresh, 0, settings({ syncDelay: "10 seconds" }))(seeded)
    expect(failure(getOrganization(data, body.organization.id, 9_999, false))._tag).toBe("NotFound")
    expect(ok(getOrganization(data, body.organization.id, 9_999, true))).toEqual({ _tag: "Wait", millis: 1 })
    expect(ok(getOrganization(data, body.organization.id, 10_000, false))._tag).toBe("Ready")
  })
})

describe("POST /organizations", () => {
  it("answers the create shape with ids after the seed's; the owner is the token's user", () => {
    const [body, data] = createOrganization(fresh, 0, settings())(seeded)
    expect(body).toEqual({
      organization: {
        id: 26,
        name: "Fresh",
        timezoneId: 113,
        countryId: 1,
        license: expect.objectContaining({ apps: ["T2", "T3"], apiLimit: 240 }),
        zone,
        serviceName: "default",
        teams: [{ id: 27, name: "My Team" }],
        isPaused: false
      },
      userOrganizationRole: { userId: 1, organizationId: 26, usersRoleId: 11, invitation: null }
    })
    expect(Schema.decodeUnknownResult(OrganizationCreated)(body)._tag).toBe("Success")
    expect(data.nextId).toBe(28)
    expect(isMember(data, 1, 26)).toBe(true)
    expect(inOrganization(data.featureControls, 26).map((c) => [c.id, c.enabled])).toEqual([
      [3, true],
      [7, false],
      [12, true]
    ])
    expect(ok(checkTeamPermission(data, 26, 1, "scenario add"))).toEqual({ hasPermission: true })
    expect(ok(getOrganization(data, 26, 2_000, false))._tag).toBe("Ready")
  })
})

describe("PATCH /organizations/{id}", () => {
  it("answers the update shape, license.apps a bare string for one app", () => {
    const [beta, data] = ok(patchOrganization(12, { name: "Beta Inc", timezoneId: 113 })(seeded))
    expect(beta).toEqual({
      organization: {
        name: "Beta Inc",
        countryId: 6,
        timezoneId: 113,
        license: expect.objectContaining({ apps: "T2" }),
        zone,
        serviceName: "default",
        teams: [{ id: 24, name: "My Team" }],
        isPaused: false,
        id: 12
      }
    })
    expect(Object.keys(beta.organization).at(-1)).toBe("id")
    expect(Option.map(Option.fromNullishOr(organizationsOf(data).find((o) => o.id === 12)), (o) => o.name)).toEqual(
      Option.some("Beta Inc")
    )
    // The bare string decodes back to the array.
    expect(Schema.decodeUnknownSync(OrganizationEnvelope)(beta).organization.license?.apps).toEqual(["T2"])
    const [acme] = ok(patchOrganization(11, {})(seeded))
    expect(acme).toMatchObject({ organization: { name: "Acme", license: { apps: ["T2", "T3"] } } })
    expect(failure(patchOrganization(999, { name: "x" })(seeded))).toEqual(organizationNotFound(999))
  })
})

describe("DELETE /organizations/{id}", () => {
  it("with active scenarios needs confirmed=true (406 IM004); confirmed, it removes everything of it", () => {
    const refused = failure(deleteOrganization(11, false)(seeded))
    expect(refused).toBeInstanceOf(NotConfirmed)
    expect([refused.status, refused.code, refused.title, refused.resource, refused.id]).toEqual([
      406,
      "IM004",
      "Confirmation required",
      "organization",
      11
    ])
    expect(refused.detail).toBe("The organization has 3 active scenario(s). Set confirmed=true to delete it anyway.")

    const [body, data] = ok(deleteOrganization(11, true)(seeded))
    expect(body).toEqual({ organization: 11 })
    expect(organizationsOf(data).map((org) => org.id)).toEqual([12, 13])
    expect(teamsOf(data, 11)).toEqual([])
    expect(data.teamRoles.map((role) => role.teamId)).toEqual([24, 25])
    expect([
      inOrganization(data.memberships, 11),
      inOrganization(data.invitations, 11),
      inOrganization(data.customApps, 11),
      inOrganization(data.payments, 11),
      inOrganization(data.subscriptions, 11),
      inOrganization(data.variables, 11),
      inOrganization(data.featureControls, 11)
    ]).toEqual([[], [], [], [], [], [], []])
    expect(isMember(data, 1, 12)).toBe(true)
    expect(inOrganization(data.variables, 12).map((v) => v.name)).toEqual(["region"])
    expect(failure(getOrganization(data, 11, 0, false))).toEqual(organizationNotFound(11))
  })

  it("without active scenarios needs no confirmation; an unknown one is a 404", () => {
    expect(ok(deleteOrganization(12, false)(seeded))[0]).toEqual({ organization: 12 })
    expect(failure(deleteOrganization(404, true)(seeded))).toEqual(organizationNotFound(404))
  })
})

describe("custom apps and team permissions", () => {
  it("lists an organization's custom apps under `apps`", () => {
    const body = ok(customApps(seeded, 11))
    expect(body).toEqual({
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
        expect.objectContaining({ name: "acme-billing-bridge-7qz1md", public: false })
      ]
    })
    expect(Schema.decodeUnknownSync(CustomAppList)(body).map((app) => app.name)).toHaveLength(2)
    expect(ok(customApps(seeded, 13))).toEqual({ apps: [] })
    expect(failure(customApps(seeded, 404))).toEqual(organizationNotFound(404))
  })

  it("a permission is held through a live team's role: add in 11 only, run in 11 and 13, view everywhere", () => {
    const held = (permission: string) =>
      [11, 12, 13].filter((id) => ok(checkTeamPermission(seeded, id, 1, permission)).hasPermission)
    expect(held("scenario add")).toEqual([11])
    expect(held("scenario run")).toEqual([11, 13])
    expect(held("scenario view")).toEqual([11, 12, 13])
    expect(held("no such permission")).toEqual([])
    // Another user holds nothing; an unknown organization is its 404.
    expect(ok(checkTeamPermission(seeded, 11, 2, "scenario view"))).toEqual({ hasPermission: false })
    expect(failure(checkTeamPermission(seeded, 404, 1, "scenario view"))).toEqual(organizationNotFound(404))
  })
})
