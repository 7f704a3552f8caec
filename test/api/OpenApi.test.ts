// The contract as OpenAPI 3.1: `OpenApi.fromApi(MakeHttpApi)` equals the committed snapshot fixtures/openapi.json
// (written by `npm run openapi`), which every line's emulator publishes; plus what the document says on its own.
// Imports `effect`, `effect/http`, `effect/http-api`, node:fs, api/ and testing/.
//
// One document for every line, the primary line's: a change to the contract changes the snapshot, so it shows in
// review; the Effect 3 line serves a copy of it (effect3/test/api/OpenApi.test.ts holds that copy to the snapshot and
// to that line's contract) and conformance/openapi.test.ts checks what each emulator publishes on a port.
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { HttpClient } from "effect/http"
import { OpenApi } from "effect/http-api"
import { readFileSync } from "node:fs"
import { MakeHttpApi } from "../../src/api/MakeHttpApi.js"
import * as Emulator from "../../src/testing/Emulator.js"

type Json = null | boolean | number | string | ReadonlyArray<Json> | { readonly [key: string]: Json }

/** The parts of the OpenAPI document the checks below read. */
interface Parameter {
  readonly name: string
  readonly in: string
  readonly required?: boolean
}
interface Operation {
  readonly operationId: string
  readonly summary?: string
  readonly tags?: ReadonlyArray<string>
  readonly security?: ReadonlyArray<Record<string, ReadonlyArray<string>>>
  readonly parameters?: ReadonlyArray<Parameter>
  readonly requestBody?: { readonly required?: boolean; readonly content: Record<string, { readonly schema: Json }> }
  readonly responses: Record<string, { readonly description?: string; readonly content?: Record<string, unknown> }>
}
interface Document {
  readonly openapi: string
  readonly info: unknown
  readonly servers?: unknown
  readonly security?: unknown
  readonly tags: ReadonlyArray<{ readonly name: string; readonly description?: string }>
  readonly paths: Record<string, Record<string, Operation>>
  readonly components: { readonly schemas: Record<string, Json>; readonly securitySchemes: Json }
}

/** The snapshot as committed, byte for byte, and as JSON. */
const snapshotText = readFileSync(new URL("../../fixtures/openapi.json", import.meta.url), "utf8")
const snapshot: Document = JSON.parse(snapshotText)

// JSON, as it is written out (`npm run openapi` writes exactly this text).
const generatedText = JSON.stringify(OpenApi.fromApi(MakeHttpApi), null, 2) + "\n"
const document: Document = JSON.parse(generatedText)

const operationsOf = (document: Document): ReadonlyMap<string, Operation> =>
  new Map(
    Object.entries(document.paths).flatMap(([path, item]) =>
      Object.entries(item).map(([method, operation]): [string, Operation] => [
        `${method.toUpperCase()} ${path}`,
        operation
      ])
    )
  )
const operations = operationsOf(document)

const operation = (key: string): Operation => {
  const found = operations.get(key)
  if (found === undefined) throw new Error(`${key} is not in the document`)
  return found
}

const isObject = (value: Json | undefined): value is { readonly [key: string]: Json } =>
  value !== null && typeof value === "object" && !Array.isArray(value)

/** Every `[pointer, key, value]` of a JSON value, at any depth. */
const entries = (value: Json, pointer = ""): ReadonlyArray<readonly [string, string, Json]> =>
  Array.isArray(value)
    ? value.flatMap((child: Json, i: number) => entries(child, `${pointer}/${i}`))
    : value !== null && typeof value === "object"
    ? Object.entries(value).flatMap(([key, child]) => [
      [`${pointer}/${key}`, key, child] as const,
      ...entries(child, `${pointer}/${key}`)
    ])
    : []
const all = entries(JSON.parse(generatedText))

describe("OpenApi.fromApi(MakeHttpApi)", () => {
  it("equals the committed snapshot fixtures/openapi.json exactly (after a change to the contract: npm run openapi)", () => {
    expect(document).toEqual(snapshot)
    expect(generatedText).toBe(snapshotText)
  })

  it.effect("is what the emulator publishes at /openapi.json (in process: the contract's own servers)", () =>
    Effect.gen(function*() {
      const client = yield* HttpClient.HttpClient
      const origin = Emulator.baseUrl.slice(0, -Emulator.basePath.length)
      const response = yield* client.get(`${origin}/openapi.json`)
      expect(response.status).toBe(200)
      expect(yield* response.json).toEqual(snapshot)
    }).pipe(Effect.provide(Emulator.layerTest())))

  it("has the 30 operations (method and path), each with an operationId, a summary, one tag and Make's errors", () => {
    expect(operations.size).toBe(30)
    const ids = [...operations.values()].map((o) => o.operationId)
    expect(new Set(ids).size).toBe(30)
    for (const [key, o] of operations) {
      expect([key, typeof o.summary, o.tags?.length]).toEqual([key, "string", 1])
      expect([key, Object.keys(o.responses)]).toEqual([
        key,
        expect.arrayContaining(["400", "401", "403", "429", "500"])
      ])
    }
  })

  it("info, Make's zones as servers, the Token security scheme and the tags, each described", () => {
    expect(document.openapi).toBe("3.1.0")
    expect(document.info).toEqual({
      title: "Make API (Organizations, White Label Admin Teams)",
      version: "2",
      license: { name: "MIT", url: "https://opensource.org/licenses/MIT" }
    })
    expect(document.servers).toEqual([expect.objectContaining({ url: "https://{zone}/api/v2" })])
    expect(Object.values(isObject(document.components.securitySchemes) ? document.components.securitySchemes : {}))
      .toEqual([expect.objectContaining({ type: "apiKey", name: "Authorization", in: "header" })])
    expect(document.tags.map((tag) => tag.name)).toEqual([
      "Organizations",
      "Invitations",
      "Billing",
      "Organization variables",
      "Usage",
      "Feature controls",
      "Admin > Teams"
    ])
    for (const tag of document.tags) expect([tag.name, (tag.description ?? "").length > 20]).toEqual([tag.name, true])
  })

  // -------------------------------------------------------------------------
  // What Effect 4's generator writes where the Effect 3 line's generator wrote otherwise (that line's document was the
  // snapshot before): each is stated as it is, so that a reader of the document (or a change of generator) sees it.
  // -------------------------------------------------------------------------

  describe("as Effect 4's generator writes it", () => {
    it("400: the contract's InvalidRequest only (Effect 3 added its own HttpApiDecodeError to every 400)", () => {
      for (const key of operations.keys()) {
        expect([key, operation(key).responses["400"]]).toEqual([key, {
          description: "InvalidRequest",
          content: { "application/json": { schema: { $ref: "#/components/schemas/InvalidRequest" } } }
        }])
      }
      expect(Object.keys(document.components.schemas)).not.toContain("HttpApiDecodeError")
    })

    it("response descriptions: every error of a status is named, and a success with two schemas is `Success`", () => {
      const variables = "/organizations/{organizationId}/variables"
      expect(operation(`PATCH ${variables}/{variableName}`).responses["200"]?.description).toBe("Success")
      expect(operation(`POST ${variables}`).responses["404"]?.description).toBe("NotFound | FeatureUnavailable")
      expect(operation("GET /organizations/{organizationId}").responses["404"]?.description).toBe("NotFound")
    })

    it("component names: the encoded side of a transformation is `<Id>Encoded`, a repeated name is numbered", () => {
      const names = Object.keys(document.components.schemas)
      expect(names).toEqual(expect.arrayContaining(["AnyBody", "Suberror"]))
      expect(names.filter((name) => /Encoded(_\d+)?$/.test(name)).length).toBeGreaterThan(0)
      expect(names).not.toContain("Int")
    })

    it("refinements: no `pattern` for an `isPattern` check, and no text for any check", () => {
      expect(document.components.schemas["InvitationHash"]).toEqual({ type: "string" })
      expect(document.components.schemas["Email"]).toEqual({ type: "string", maxLength: 254 })
      expect(document.components.schemas["Name"]).toEqual({ type: "string", maxLength: 255 })
    })

    it("JSON bodies: a number may also be the text Infinity, -Infinity or NaN (Effect 4's JSON codec of numbers)", () => {
      const organization = document.components.schemas["Organization"]
      const properties = isObject(organization) ? organization["properties"] : undefined
      expect(isObject(properties) ? properties["id"] : undefined).toEqual({
        anyOf: [{ type: "number" }, { type: "string", enum: ["Infinity", "-Infinity", "NaN"] }]
      })
    })

    it("JSON bodies: a `Schema.optional` field is `anyOf [T, null]` (Effect 4 writes an explicit undefined as null)", () => {
      const body = document.components.schemas["NotFound"]
      const properties = isObject(body) ? body["properties"] : undefined
      expect(isObject(properties) ? properties["message"] : undefined).toEqual({
        anyOf: [{ type: "string" }, { type: "null" }]
      })
    })

    it("query and path parameters are documented by their encoded side, a string, without the refinements' text", () => {
      expect(operation("GET /admin/teams").parameters?.find((p) => p.name === "pg[offset]")).toEqual({
        name: "pg[offset]",
        in: "query",
        schema: { type: "string" },
        required: false
      })
    })
  })

  // -------------------------------------------------------------------------
  // The document on its own (the Effect 3 line's checks that need no JSON Schema validator)
  // -------------------------------------------------------------------------

  describe("as JSON Schema 2020-12", () => {
    const valuesOf = (keyword: string) => all.filter(([, key]) => key === keyword).map(([, , value]) => value)

    it("no $id repeats, and none of Effect's built-in ids", () => {
      const ids = valuesOf("$id")
      expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([])
      expect(generatedText).not.toContain("/schemas/unknown")
    })

    it("every $ref resolves to a component of the document", () => {
      const schemas = Object.keys(document.components.schemas)
      const refs = valuesOf("$ref").map(String)
      expect(refs.length).toBeGreaterThan(30)
      expect(refs.filter((ref) => !schemas.includes(ref.replace("#/components/schemas/", "")))).toEqual([])
    })

    it("keywords have the types the meta-schema requires", () => {
      const types = ["null", "boolean", "object", "array", "number", "string", "integer"]
      const isSchemaPointer = (pointer: string) =>
        pointer.startsWith("/components/schemas/") || pointer.includes("/schema/")
      const problems = all.flatMap(([pointer, key, value]) => {
        if (!isSchemaPointer(pointer)) return []
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
})
