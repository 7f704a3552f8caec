// Every real response body in test/fixtures/make-api decodes with our schemas, quirks included.
import { describe, expect, it } from "@effect/vitest"
import { Effect, Schema } from "effect"
import { readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { TeamCreated, TeamList } from "../../src/api/AdminTeamsApi.js"
import { OrganizationCreated, OrganizationEnvelope, OrganizationList } from "../../src/api/OrganizationsApi.js"
import { AuthUser, Country, Region, Timezone } from "../../src/domain/Enums.js"
import { Team } from "../../src/domain/Team.js"

const root = join(import.meta.dirname, "../fixtures/make-api")
const fixture = (path: string): unknown => JSON.parse(readFileSync(join(root, path), "utf8"))

const schemas: Record<string, Schema.Schema.AnyNoContext> = {
  "organizations/list.json": OrganizationList,
  "organizations/get.json": OrganizationEnvelope,
  "organizations/create.json": OrganizationCreated,
  "organizations/update.json": OrganizationEnvelope,
  "teams/list.json": TeamList,
  "teams/get.json": Schema.Struct({ team: Team }),
  "teams/create.json": TeamCreated,
  "users/me.json": Schema.Struct({ authUser: AuthUser }),
  "enums/countries.json": Schema.Struct({ countries: Schema.Array(Country) }),
  "enums/timezones.json": Schema.Struct({ timezones: Schema.Array(Timezone) }),
  "enums/regions.json": Schema.Struct({ imtRegions: Schema.Array(Region) })
}

describe("fixtures", () => {
  it("every fixture file has a schema", () => {
    const files = readdirSync(root, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".json"))
    expect(files.sort()).toEqual(Object.keys(schemas).sort())
  })

  for (const [path, schema] of Object.entries(schemas)) {
    it.effect(`decodes ${path}`, () =>
      Effect.gen(function*() {
        const decoded = yield* Schema.decodeUnknown(schema)(fixture(path))
        expect(decoded).toBeDefined()
      }))
  }

  it.effect("normalises the quirks: counters as strings, license.apps as a string", () =>
    Effect.gen(function*() {
      const { organization: got } = yield* Schema.decodeUnknown(OrganizationEnvelope)(fixture("organizations/get.json"))
      expect(got.operations).toBe(0)
      expect(got.unusedTransfer).toBe(0)
      expect(got.license?.apps).toEqual(["T2", "T3"])
      expect(got.privateSpaces?.[0]?.name).toBe("Becca's space")

      const { organization: updated } = yield* Schema.decodeUnknown(OrganizationEnvelope)(
        fixture("organizations/update.json")
      )
      expect(updated.license?.apps).toEqual(["T2"])
      expect(updated.id).toBe(10)

      const created = yield* Schema.decodeUnknown(TeamCreated)(fixture("teams/create.json"))
      expect(created.team.transferLimit).toBe(536870)
      expect(created.team.operationsLimit).toBe(1)
      expect(created.userTeamRole?.teamId).toBe(26)

      const list = yield* Schema.decodeUnknown(OrganizationList)(fixture("organizations/list.json"))
      expect(list.organizations.map((o) => o.id)).toEqual([5, 6])
      expect(list.pg).toEqual({ sortBy: "name", sortDir: "asc", limit: 10000, offset: 0 })
    }))

  it.effect("keeps licence flags no documentation lists", () =>
    Effect.gen(function*() {
      const { organization } = yield* Schema.decodeUnknown(OrganizationEnvelope)(fixture("organizations/create.json"))
      expect(organization.license?.["advsched"]).toBe(true)
      expect(organization.license?.["dsslimit"]).toBe(524288000)
    }))

  it.effect("a strict type mismatch still fails (tolerance is targeted, not blanket)", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(
        Schema.decodeUnknown(OrganizationEnvelope)({ organization: { id: "x", name: "A" } })
      )
      expect(error._tag).toBe("ParseError")
    }))
})
