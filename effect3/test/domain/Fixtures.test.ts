// Every real response body in fixtures/make-api (at the repository root, shared by both lines) decodes with our schemas,
// quirks included, to the value recorded in fixtures/decoded.json, which the Effect 4 line's fixture test reads too.
import { describe, expect, it } from "@effect/vitest"
import { Effect, Either, Schema } from "effect"
import { readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { TeamCreated, TeamList } from "../../src/api/AdminTeamsApi.js"
import { OrganizationCreated, OrganizationEnvelope, OrganizationList } from "../../src/api/OrganizationsApi.js"
import { AuthUser, Country, Region, Timezone } from "../../src/domain/Enums.js"
import { Team } from "../../src/domain/Team.js"

const root = join(import.meta.dirname, "../../../fixtures/make-api")
const fixture = (path: string): unknown => JSON.parse(readFileSync(join(root, path), "utf8"))
/** What every fixture decodes to, on both lines. */
const recorded: Record<string, unknown> = JSON.parse(
  readFileSync(join(import.meta.dirname, "../../../fixtures/decoded.json"), "utf8")
)

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
    it.effect(`decodes ${path} to the value recorded in fixtures/decoded.json`, () =>
      Effect.gen(function*() {
        const decoded = yield* Schema.decodeUnknown(schema)(fixture(path))
        // The value both lines must decode the fixture to: the Effect 4 line's fixture test reads the same file. (No
        // fixture holds a date, so the decoded value is plain JSON.)
        expect(JSON.parse(JSON.stringify(decoded))).toEqual(decoded)
        expect(decoded).toEqual(recorded[path])
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

  // `null` is absent, everywhere: every field of every real body, set to `null`, decodes exactly as if it were left
  // out: an optional field goes missing, a required one fails in both cases. Arrays are sampled (their first three
  // elements); `features` maps are skipped, their values being opaque data where `null` is a value like any other.
  it("null in any field of a real body reads as the field left out (required fields stay strict)", () => {
    type Json = null | boolean | number | string | ReadonlyArray<Json> | { readonly [key: string]: Json }
    type Path = ReadonlyArray<string | number>
    const isObject = (value: Json): value is { readonly [key: string]: Json } =>
      value !== null && typeof value === "object" && !Array.isArray(value)
    const paths = (value: Json, at: Path = []): ReadonlyArray<Path> => {
      if (Array.isArray(value)) return value.slice(0, 3).flatMap((item, i) => paths(item, [...at, i]))
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
      if (Array.isArray(value) && typeof head === "number") {
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

    let optional = 0
    let required = 0
    for (const [file, schema] of Object.entries(schemas)) {
      const body = JSON.parse(readFileSync(join(root, file), "utf8")) as Json
      const decode = Schema.decodeUnknownEither(schema)
      for (const path of paths(body)) {
        const withoutField = decode(remove(body, path))
        const withNull = decode(setNull(body, path))
        const where = `${file}: ${path.join(".")}`
        if (Either.isRight(withoutField)) {
          optional++
          expect([where, withNull]).toEqual([where, withoutField])
        } else {
          required++
          expect([where, Either.isLeft(withNull)]).toEqual([where, true])
        }
      }
    }
    console.log(
      `null-as-absent: ${optional} optional or extra fields read null as absent, ${required} required fields stayed strict`
    )
    expect(optional).toBeGreaterThan(80)
    expect(required).toBeGreaterThan(50)
  })
})
