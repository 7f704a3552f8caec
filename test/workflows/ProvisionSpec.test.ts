// ProvisionSpec: decoded from YAML and JSON text and files, defaults filled in, every problem listed at once.
import { NodeServices } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { DateTime, Effect, Exit, FileSystem, Result, Schema } from "effect"
import { Name } from "../../src/domain/Common.js"
import * as ProvisionSpec from "../../src/workflows/ProvisionSpec.js"

const yaml = `
organization:
  name: Acme Robotics
  externalId: ACME-42
  regionId: 1
  timezoneId: 113
  countryId: 1
teams:
  - name: Engineering
  - name: Support
    externalId: SUP-1
variables:
  - { name: launchDate, typeId: 4, value: "2027-01-15T09:00:00.000Z" }
  - { name: maxSeats, typeId: 1, value: 25 }
invitations:
  - email: ann@example.com
    name: Ann
    teams: [Support]
featureControls:
  - { id: 7, enabled: true }
`

describe("ProvisionSpec", () => {
  it.effect("decodes YAML, dates as DateTime, team lists defaulted", () =>
    Effect.gen(function*() {
      const spec = yield* ProvisionSpec.parse(yaml)
      expect(spec.organization).toEqual({
        name: "Acme Robotics",
        externalId: "ACME-42",
        regionId: 1,
        timezoneId: 113,
        countryId: 1
      })
      expect(spec.teams).toEqual([{ name: "Engineering" }, { name: "Support", externalId: "SUP-1" }])
      expect(spec.variables[0]).toEqual({
        name: "launchDate",
        typeId: 4,
        value: DateTime.makeUnsafe("2027-01-15T09:00:00.000Z")
      })
      expect(spec.invitations).toEqual([{ email: "ann@example.com", name: "Ann", teams: ["Support"] }])
      const minimal = yield* ProvisionSpec.parse(
        `{"organization": {"name": "Solo", "regionId": 1, "timezoneId": 113, "countryId": 1}}`
      )
      expect(minimal).toMatchObject({ teams: [], variables: [], invitations: [], featureControls: [] })
      // the canonical text does not depend on key order
      const encoded = yield* ProvisionSpec.encode(spec)
      const reordered = yield* ProvisionSpec.parse(
        JSON.stringify({ ...encoded, organization: { ...encoded.organization } })
      )
      expect(ProvisionSpec.canonicalJson(yield* ProvisionSpec.encode(reordered))).toBe(
        ProvisionSpec.canonicalJson(encoded)
      )
    }))

  it.effect("lists every problem, each with its path", () =>
    Effect.gen(function*() {
      const exit = yield* Effect.exit(ProvisionSpec.parse(`
organization: { name: "", regionId: -1, timezoneId: 113 }
variables:
  - { name: "a/b", typeId: 1, value: "ten" }
invitations:
  - { email: nobody, name: Bob }
`))
      expect(exit).toEqual(Exit.fail(expect.objectContaining({ _tag: "InvalidInput" })))
      if (Exit.isFailure(exit)) {
        const error = yield* Effect.flip(Effect.failCause(exit.cause))
        // Effect 4's wording (the formatter every InvalidInput of the library shares): "Expected a value greater than
        // 0, got -1" and "Missing key" where Effect 3 said "Expected a positive number, actual -1" and "is missing"
        expect(error.issues).toEqual([
          "organization.name: must not be blank",
          "organization.regionId: Expected a value greater than 0, got -1",
          "organization.countryId: Missing key",
          "variables.0.name: must be 1 to 128 letters, digits, $ or _",
          "variables.0.value: Expected number, got \"ten\"",
          "invitations.0.email: must be an e-mail address such as ann@example.com"
        ])
      }
      const notYaml = yield* Effect.exit(ProvisionSpec.parse("organization: [unclosed"))
      expect(notYaml).toEqual(Exit.fail(expect.objectContaining({ _tag: "InvalidInput" })))
    }))

  it.effect("loads a file through the platform's FileSystem", () =>
    Effect.gen(function*() {
      const fs = yield* FileSystem.FileSystem
      const dir = yield* fs.makeTempDirectoryScoped()
      yield* fs.writeFileString(`${dir}/acme.yaml`, yaml)
      const spec = yield* ProvisionSpec.load(`${dir}/acme.yaml`)
      expect(spec.teams.map((t) => t.name)).toEqual(["Engineering", "Support"])
      const missing = yield* Effect.exit(ProvisionSpec.load(`${dir}/nope.yaml`))
      expect(missing).toEqual(Exit.fail(expect.objectContaining({ _tag: "InvalidInput", operation: "ProvisionSpec" })))
    }).pipe(Effect.provide(NodeServices.layer)))

  it.effect("reports the checks across fields in the same round as the field problems", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(ProvisionSpec.parse(`
organization: { name: Acme, regionId: 1, timezoneId: 113, countryId: x }
teams: [{ name: Eng }, { name: Eng }]
invitations: [{ email: not-an-email, name: Ann, teams: [Ops] }]
`))
      // Effect 4 names the schema that refused the value (the domain's `Id`) where Effect 3 said "Expected number"
      expect(error.issues).toEqual([
        "organization.countryId: Expected Id, got \"x\"",
        "invitations.0.email: must be an e-mail address such as ann@example.com",
        "teams: the team name \"Eng\" appears twice",
        "invitations.0.teams: \"Ops\" is not a team of this spec"
      ])
    }))

  it.prop(
    "a duplicate team name is reported whichever other fields fail, once",
    {
      // Effect 4 has no FastCheck: a non-blank name of at most 40 characters, and a flag per field to break (Effect
      // 3's `subarray` of the three)
      name: Name.check(Schema.isMaxLength(40)),
      broken: Schema.Struct({ countryId: Schema.Boolean, email: Schema.Boolean, variable: Schema.Boolean })
    },
    ({ broken, name }) => {
      const input = {
        organization: { name: "Acme", regionId: 1, timezoneId: 113, countryId: broken.countryId ? "x" : 1 },
        teams: [{ name }, { name }],
        variables: broken.variable ? [{ name: "a/b", typeId: 1, value: 1 }] : [],
        invitations: [{ email: broken.email ? "nobody" : "ann@example.com", name: "Ann", teams: [name] }]
      }
      const result = Effect.runSync(Effect.result(ProvisionSpec.decode(input)))
      const issues = Result.isFailure(result) ? result.failure.issues : []
      expect(issues.filter((issue) => issue === `teams: the team name "${name}" appears twice`))
        .toHaveLength(1)
      expect(issues).toHaveLength(Object.values(broken).filter((flag) => flag).length + 1)
    }
  )
})
