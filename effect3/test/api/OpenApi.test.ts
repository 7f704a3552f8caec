// The contract turned into OpenAPI 3.1: all 30 operations, each with Make's parameter names and error statuses.
import { OpenApi } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { Ajv2020 } from "ajv/dist/2020.js"
import { Predicate } from "effect"
import { MakeHttpApi } from "../../src/api/MakeHttpApi.js"

const document = OpenApi.fromApi(MakeHttpApi)

interface Operation {
  readonly parameters?: ReadonlyArray<{ readonly name: string; readonly in: string }>
  readonly responses: Record<string, unknown>
  readonly requestBody?: unknown
}

const operations = new Map<string, Operation>(
  Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item).map((
      [method, operation]: [string, Operation]
    ) => [`${method.toUpperCase()} ${path}`, operation])
  )
)

/** Every documented endpoint, with the parameters Make names (path and query). */
const expected: Record<string, ReadonlyArray<string>> = {
  "GET /organizations": ["pg[offset]", "pg[limit]", "pg[sortBy]", "pg[sortDir]", "cols[]", "zone", "externalId"],
  "POST /organizations": [],
  "GET /organizations/invitation": ["hash"],
  "POST /organizations/accept-invitation": [],
  "GET /organizations/{organizationId}": ["organizationId", "wait", "cols[]"],
  "DELETE /organizations/{organizationId}": ["organizationId", "confirmed"],
  "PATCH /organizations/{organizationId}": ["organizationId"],
  "GET /organizations/{organizationId}/apps": ["organizationId"],
  "GET /organizations/{organizationId}/payments": [
    "organizationId",
    "pg[offset]",
    "pg[limit]",
    "pg[sortBy]",
    "pg[sortDir]"
  ],
  "POST /organizations/{organizationId}/single-payment-create": ["organizationId"],
  "GET /organizations/{organizationId}/subscription": ["organizationId"],
  "POST /organizations/{organizationId}/subscription": ["organizationId"],
  "DELETE /organizations/{organizationId}/subscription": ["organizationId"],
  "PATCH /organizations/{organizationId}/subscription": ["organizationId"],
  "POST /organizations/{organizationId}/subscription-free": ["organizationId", "confirmed"],
  "POST /organizations/{organizationId}/subscription/coupon-apply": ["organizationId", "couponCode"],
  "POST /organizations/{organizationId}/invite": ["organizationId"],
  "GET /organizations/{organizationId}/variables": ["organizationId"],
  "POST /organizations/{organizationId}/variables": ["organizationId"],
  "DELETE /organizations/{organizationId}/variables/{variableName}": ["organizationId", "variableName", "confirmed"],
  "PATCH /organizations/{organizationId}/variables/{variableName}": ["organizationId", "variableName"],
  "GET /organizations/{organizationId}/variables/{variableName}/history": ["organizationId", "variableName"],
  "GET /organizations/{organizationId}/usage": ["organizationId", "organizationTimezone"],
  "GET /organizations/{organizationId}/feature-controls": ["organizationId", "featureControlName", "cols[]"],
  "PATCH /organizations/{organizationId}/feature-controls": ["organizationId"],
  "GET /organizations/{organizationId}/check-team-permission": ["organizationId", "teamPermission"],
  "GET /admin/teams": ["organizationId", "externalId", "pg[offset]", "pg[limit]", "pg[sortBy]", "pg[sortDir]"],
  "POST /admin/teams": [],
  "PATCH /admin/teams/{teamId}": ["teamId"],
  "DELETE /admin/teams/{teamId}": ["teamId"]
}

describe("OpenApi.fromApi(MakeHttpApi)", () => {
  it("is an OpenAPI 3.1 document with the Token security scheme and Make's server", () => {
    expect(document.openapi).toBe("3.1.0")
    expect(document.servers).toEqual([expect.objectContaining({ url: "https://{zone}/api/v2" })])
    expect(Object.values(document.components.securitySchemes)).toEqual([
      expect.objectContaining({ type: "apiKey", name: "Authorization", in: "header" })
    ])
  })

  it("lists exactly the 30 documented operations", () => {
    expect([...operations.keys()].sort()).toEqual(Object.keys(expected).sort())
  })

  for (const [operation, parameters] of Object.entries(expected)) {
    it(`${operation}: parameters ${parameters.join(", ") || "(none)"}`, () => {
      const documented = operations.get(operation)
      expect(documented).toBeDefined()
      expect((documented?.parameters ?? []).map((p) => p.name).sort()).toEqual([...parameters].sort())
      // every operation documents Make's errors any call can answer
      expect(Object.keys(documented?.responses ?? {})).toEqual(
        expect.arrayContaining(["400", "401", "403", "429", "500"])
      )
    })
  }

  it("bodies of POST and PATCH are documented; the coupon is a query parameter, not a body", () => {
    for (const [operation, documented] of operations) {
      const expectsBody = /^(POST|PATCH) /.test(operation) && !operation.includes("coupon-apply") &&
        !operation.includes("subscription-free")
      expect([operation, documented.requestBody !== undefined]).toEqual([operation, expectsBody])
    }
  })

  it("documents 404 and 406 where Make answers them", () => {
    expect(Object.keys(operations.get("DELETE /organizations/{organizationId}")?.responses ?? {}))
      .toEqual(expect.arrayContaining(["404", "406"]))
    expect(Object.keys(operations.get("POST /organizations/{organizationId}/subscription-free")?.responses ?? {}))
      .toEqual(expect.arrayContaining(["404", "406"]))
  })

  describe("as JSON Schema 2020-12", () => {
    it("every schema is valid under ajv's 2020-12 meta-schema, and all of them compile together", () => {
      // the components as one 2020-12 bundle, their refs pointed at its $defs
      const defs: unknown = JSON.parse(
        JSON.stringify(document.components.schemas).replaceAll("#/components/schemas/", "#/$defs/")
      )
      const bundle = {
        $schema: "https://json-schema.org/draft/2020-12/schema",
        $id: "urn:effect-make:openapi",
        $defs: defs
      }
      // strictTypes off: it is ajv's own lint (a `type` beside every `maximum`), not the spec; Effect's generator puts
      // `type` and the bound in sibling `allOf` members, which 2020-12 allows. Every other strict check stays on.
      const ajv = new Ajv2020({ strict: true, strictTypes: false, allErrors: true })
      expect([ajv.validateSchema(bundle), ajv.errors ?? []]).toEqual([true, []])
      ajv.addSchema(bundle)
      const names = Object.keys(document.components.schemas)
      expect(names.length).toBeGreaterThan(30)
      for (const name of names) expect(typeof ajv.getSchema(`urn:effect-make:openapi#/$defs/${name}`)).toBe("function")
      // the inline schemas of parameters, bodies and responses, against the meta-schema on their own
      const inline = all.filter(([pointer, key]) => pointer.startsWith("/paths/") && key === "schema")
      expect(inline.length).toBeGreaterThan(30)
      const invalid = inline.filter(([, , schema]) => !(Predicate.isRecord(schema) && ajv.validateSchema(schema)))
        .map(([pointer]) => pointer)
      expect(invalid).toEqual([])
    })

    /** Every `[key, value]` of the document, at any depth, with its JSON pointer. */
    const entries = (value: unknown, pointer = ""): ReadonlyArray<readonly [string, string, unknown]> =>
      Array.isArray(value)
        ? value.flatMap((child, i) => entries(child, `${pointer}/${i}`))
        : typeof value === "object" && value !== null
        ? Object.entries(value).flatMap(([key, child]) => [
          [`${pointer}/${key}`, key, child] as const,
          ...entries(child, `${pointer}/${key}`)
        ])
        : []
    const all = entries(document)
    const valuesOf = (keyword: string) => all.filter(([, key]) => key === keyword).map(([pointer, , v]) => [pointer, v])

    it("no $id repeats (Schema.Unknown's /schemas/unknown was there 23 times)", () => {
      const ids = valuesOf("$id").map(([, id]) => id)
      expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([])
      expect(JSON.stringify(document)).not.toContain("/schemas/unknown")
    })

    it("every $ref resolves to a component of the document", () => {
      const schemas = Object.keys(document.components.schemas)
      const refs = valuesOf("$ref").map(([, ref]) => String(ref))
      expect(refs.length).toBeGreaterThan(30)
      const unresolved = refs.filter((ref) => !schemas.includes(ref.replace("#/components/schemas/", "")))
      expect(unresolved).toEqual([])
    })

    it("keywords have the types the meta-schema requires", () => {
      const types = ["null", "boolean", "object", "array", "number", "string", "integer"]
      // JSON Schemas live under components/schemas and in the `schema` of parameters, bodies and responses
      const schemaPointers = (pointer: string) =>
        pointer.startsWith("/components/schemas/") || pointer.includes("/schema/")
      const problems = all.flatMap(([pointer, key, value]) => {
        if (!schemaPointers(pointer)) return []
        const ok = key === "type"
          ? typeof value !== "string" || types.includes(value)
          : key === "required"
          ? Array.isArray(value) && value.every((name) => typeof name === "string") &&
            new Set(value).size === value.length
          : key === "anyOf" || key === "oneOf" || key === "allOf"
          ? Array.isArray(value) && value.length > 0
          : key === "enum"
          ? Array.isArray(value)
          : true
        return ok ? [] : [pointer]
      })
      expect(problems).toEqual([])
    })
  })

  it("every tag has a description, and the licence is MIT", () => {
    expect(document.tags.length).toBe(7)
    for (const tag of document.tags) expect([tag.name, (tag.description ?? "").length > 20]).toEqual([tag.name, true])
    expect(document.info.license).toEqual({ name: "MIT", url: "https://opensource.org/licenses/MIT" })
  })
})
