// Every real response body in fixtures/make-api decodes with our schemas, quirks included, to the very values the
// Effect 3 line decodes it to (fixtures/decoded.json, which that line checks too); null reads as absent everywhere.
import { describe, expect, it } from "@effect/vitest"
import { Effect, Result, Schema } from "effect"
import { readdirSync, readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { TeamCreated, TeamList } from "../../src/api/AdminTeamsApi.js"
import { OrganizationCreated, OrganizationEnvelope, OrganizationList } from "../../src/api/OrganizationsApi.js"
import { AuthUser, Country, Region, Timezone } from "../../src/domain/Enums.js"
import { Team } from "../../src/domain/Team.js"

const root = new URL("../../fixtures/make-api/", import.meta.url)
const fixture = (path: string): unknown => JSON.parse(readFileSync(new URL(path, root), "utf8"))

/** What the Effect 3 line decodes each fixture to (written by its own schemas; JSON, as no fixture holds a date). */
const effect3: Record<string, unknown> = JSON.parse(
  readFileSync(new URL("../../fixtures/decoded.json", import.meta.url), "utf8")
)

// The envelopes are the contract's own (src/api), as every endpoint declares them.
const schemas: Record<string, Schema.Codec<unknown, unknown>> = {
  "organizations/list.json": OrganizationList,
  "organizations/get.json": OrganizationEnvelope,
  "organizations/create.json": OrganizationCreated,
  "organizations/update.json": OrganizationEnvelope,
  "teams/list.json": TeamList,
  // no endpoint of the contract reads one team (Admin > Teams update answers the bare team): the envelope is the test's
  "teams/get.json": Schema.Struct({ team: Team }),
  "teams/create.json": TeamCreated,
  // users/ and enums/ are outside the contract; their envelopes are the test's
  "users/me.json": Schema.Struct({ authUser: AuthUser }),
  "enums/countries.json": Schema.Struct({ countries: Schema.Array(Country) }),
  "enums/timezones.json": Schema.Struct({ timezones: Schema.Array(Timezone) }),
  "enums/regions.json": Schema.Struct({ imtRegions: Schema.Array(Region) })
}

describe("fixtures", () => {
  it("every fixture file has a schema, and a value the Effect 3 line decoded it to", () => {
    const files = readdirSync(fileURLToPath(root), { recursive: true, encoding: "utf8" }).filter((f) =>
      f.endsWith(".json")
    )
    expect(files.sort()).toEqual(Object.keys(schemas).sort())
    expect(Object.keys(effect3).sort()).toEqual(Object.keys(schemas).sort())
  })

  for (const [path, schema] of Object.entries(schemas)) {
    it.effect(`decodes ${path} to the value the Effect 3 line decodes it to`, () =>
      Effect.gen(function*() {
        const decoded = yield* Schema.decodeUnknownEffect(schema)(fixture(path))
        expect(decoded).toStrictEqual(effect3[path])
        // and encodes back to something that decodes to the same value
        const again = yield* Schema.decodeUnknownEffect(schema)(yield* Schema.encodeEffect(schema)(decoded))
        expect(again).toStrictEqual(decoded)
      }))
  }

  it.effect("normalises the quirks: counters as strings, license.apps as a string", () =>
    Effect.gen(function*() {
      const { organization: got } = yield* Schema.decodeUnknownEffect(OrganizationEnvelope)(
        fixture("organizations/get.json")
      )
      expect(got.operations).toBe(0)
      expect(got.unusedTransfer).toBe(0)
      expect(got.license?.apps).toEqual(["T2", "T3"])
      expect(got.privateSpaces?.[0]?.name).toBe("Becca's space")

      const { organization: updated } = yield* Schema.decodeUnknownEffect(OrganizationEnvelope)(
        fixture("organizations/update.json")
      )
      expect(updated.license?.apps).toEqual(["T2"])
      expect(updated.id).toBe(10)

      const created = yield* Schema.decodeUnknownEffect(TeamCreated)(fixture("teams/create.json"))
      expect(created.team.transferLimit).toBe(536870)
      expect(created.team.operationsLimit).toBe(1)
      expect(created.userTeamRole?.teamId).toBe(26)

      const list = yield* Schema.decodeUnknownEffect(OrganizationList)(fixture("organizations/list.json"))
      expect(list.organizations.map((o) => o.id)).toEqual([5, 6])
      expect(list.pg).toEqual({ sortBy: "name", sortDir: "asc", limit: 10000, offset: 0 })
    }))

  it.effect("keeps licence flags no documentation lists", () =>
    Effect.gen(function*() {
      const { organization } = yield* Schema.decodeUnknownEffect(OrganizationEnvelope)(
        fixture("organizations/create.json")
      )
      expect(organization.license?.["advsched"]).toBe(true)
      expect(organization.license?.["dsslimit"]).toBe(524288000)
    }))

  it.effect("a strict type mismatch still fails (tolerance is targeted, not blanket)", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(
        Schema.decodeUnknownEffect(OrganizationEnvelope)({ organization: { id: "x", name: "A" } })
      )
      expect(error._tag).toBe("SchemaError")
      // a counter that is text but not a number fails too (Effect 4's own NumberFromString would read NaN)
      const counter = yield* Effect.flip(
        Schema.decodeUnknownEffect(OrganizationEnvelope)({ organization: { id: 1, name: "A", operations: "many" } })
      )
      expect(counter._tag).toBe("SchemaError")
    }))

  // `null` is absent, everywhere: every field of every real body, set to `null`, decodes exactly as if it were left
  // out: an optional field goes missing, a required one fails in both cases. Arrays are sampled (their first three
  // elements); `features` maps are skipped, their values being opaque data where `null` is a value like any other.
  it("null in any field of a real body reads as the field left out (required fields stay strict)", () => {
    type Json = null | boolean | number | string | ReadonlyArray<Json> | { readonly [key: string]: Json }
    type Path = ReadonlyArray<string | number>
    const isObject = (value: Json): value is { readonly [key: string]: Json } =>
      value !== null && typeof value === "object" && !Array.isArray(value)
    const isArray = (value: Json): value is ReadonlyArray<Json> => Array.isArray(value)
    const paths = (value: Json, at: Path = []): ReadonlyArray<Path> => {
      if (isArray(value)) return value.slice(0, 3).flatMap((item, i) => paths(item, [...at, i]))
      if (!isObject(value)) return []
      return Object.entries(value).flatMap(([key, child]) =>
        key === "features" ? [[...at, key]] : [[...at, key], ...paths(child, [...at, key])]
      )
    }
    const rewrite = (
      value: Json,
      path: Path,
      leaf: (parent: { readonly [key: string]: Json }, key: string) => Json
    ): Json => {
      const [head, ...rest] = path
      if (isArray(value) && typeof head === "number") {
        return value.map((item, i) => i === head ? rewrite(item, rest, leaf) : item)
      }
      if (isObject(value) && typeof head === "string") {
        return rest.length === 0 ? leaf(value, head) : { ...value, [head]: rewrite(value[head] ?? null, rest, leaf) }
      }
      return value
    }
    const setNull = (value: Json, path: Path) => rewrite(value, path, (parent, key) => ({ ...parent, [key]: null }))
    const remove = (value: Json, path: Path) =>
      rewrite(value, path, (parent, key) => Object.fromEntries(Object.entries(parent).filter(([k]) => k !== key)))
    const readJson = (file: string): Json => JSON.parse(readFileSync(new URL(file, root), "utf8"))

    let optional = 0
    let required = 0
    for (const [file, schema] of Object.entries(schemas)) {
      const body = readJson(file)
      const decode = Schema.decodeUnknownResult(schema)
      for (const path of paths(body)) {
        const withoutField = decode(remove(body, path))
        const withNull = decode(setNull(body, path))
        const where = `${file}: ${path.join(".")}`
        if (Result.isSuccess(withoutField)) {
          optional++
          expect([where, Result.isSuccess(withNull) ? withNull.success : "failed"]).toStrictEqual([
            where,
            withoutField.success
          ])
        } else {
          required++
          expect([where, Result.isFailure(withNull)]).toEqual([where, true])
        }
      }
    }
    expect(optional).toBeGreaterThan(80)
    expect(required).toBeGreaterThan(50)
  })
})
