// The contract as OpenAPI 3.1, held against the Effect 3 line's document (fixtures/openapi.json, written by that line's
// `npm run openapi`): the same operations, parameters, bodies and statuses; what differs is listed and explained.
import { describe, expect, it } from "@effect/vitest"
import { OpenApi } from "effect/http-api"
import { readFileSync } from "node:fs"
import { MakeHttpApi } from "../../src/api/MakeHttpApi.js"

type Json = null | boolean | number | string | ReadonlyArray<Json> | { readonly [key: string]: Json }

/** The parts of an OpenAPI document both lines' documents are compared on. */
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
  readonly components: { readonly schemas: Record<string, Json>; readonly securitySchemes: unknown }
}

// JSON on both sides: the Effect 4 document is compared as it is written out, like the Effect 3 one.
const effect4: Document = JSON.parse(JSON.stringify(OpenApi.fromApi(MakeHttpApi)))
const effect3: Document = JSON.parse(
  readFileSync(new URL("../../fixtures/openapi.json", import.meta.url), "utf8")
)

const operationsOf = (document: Document): ReadonlyMap<string, Operation> =>
  new Map(
    Object.entries(document.paths).flatMap(([path, item]) =>
      Object.entries(item).map(([method, operation]): [string, Operation] => [
        `${method.toUpperCase()} ${path}`,
        operation
      ])
    )
  )
const ours = operationsOf(effect4)
const theirs = operationsOf(effect3)

/** An operation of the Effect 4 document that the Effect 3 one also has (every one, as the first test shows). */
const pair = (key: string): readonly [Operation, Operation] => {
  const mine = ours.get(key)
  const reference = theirs.get(key)
  if (mine === undefined || reference === undefined) throw new Error(`${key} is not in both documents`)
  return [mine, reference]
}

const parameters = (operation: Operation) =>
  (operation.parameters ?? []).map((p) => ({ name: p.name, in: p.in, required: p.required ?? false }))

/** The component a body or response schema names, or the schema itself when it is inline. */
const isObject = (value: Json | undefined): value is { readonly [key: string]: Json } =>
  value !== null && typeof value === "object" && !Array.isArray(value)
const refName = (schema: Json | undefined): string | undefined => {
  const ref = isObject(schema) ? schema["$ref"] : undefined
  return typeof ref === "string" ? ref.replace("#/components/schemas/", "") : undefined
}

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
const all = entries(JSON.parse(JSON.stringify(effect4)))

describe("OpenApi.fromApi(MakeHttpApi) against the Effect 3 line's document", () => {
  it("has the same 30 operations (method and path)", () => {
    expect([...ours.keys()].sort()).toEqual([...theirs.keys()].sort())
    expect(ours.size).toBe(30)
  })

  for (const key of theirs.keys()) {
    describe(key, () => {
      it("same operationId, summary, tag and security", () => {
        const [mine, reference] = pair(key)
        expect({ id: mine.operationId, summary: mine.summary, tags: mine.tags, security: mine.security }).toEqual({
          id: reference.operationId,
          summary: reference.summary,
          tags: reference.tags,
          security: reference.security
        })
      })

      it("same parameters: name, in, required, in the same order", () => {
        const [mine, reference] = pair(key)
        expect(parameters(mine)).toEqual(parameters(reference))
      })

      it("same request body: present or not, required, content types, named schema", () => {
        const [mine, reference] = pair(key)
        const body = (operation: Operation) =>
          operation.requestBody === undefined ? undefined : {
            required: operation.requestBody.required ?? false,
            content: Object.entries(operation.requestBody.content).map(([type, { schema }]) => [type, refName(schema)])
          }
        expect(body(mine)).toEqual(body(reference))
      })

      it("same response statuses, each with the same content types", () => {
        const [mine, reference] = pair(key)
        const responses = (operation: Operation) =>
          Object.entries(operation.responses).map(([status, response]) => [
            status,
            Object.keys(response.content ?? {})
          ])
        expect(responses(mine)).toEqual(responses(reference))
      })

      it("the same error schemas (by component name) on every status but 400", () => {
        const [mine, reference] = pair(key)
        const errors = (operation: Operation) =>
          Object.fromEntries(
            Object.entries(operation.responses).filter(([status]) => Number(status) >= 401).map((
              [status, response]
            ) => {
              const schema = Object.values(response.content ?? {}).map((c) =>
                c !== null && typeof c === "object" && "schema" in c ? c.schema : undefined
              )[0]
              const anyOf = schema !== null && typeof schema === "object" && "anyOf" in schema ? schema.anyOf : [schema]
              return [status, Array.isArray(anyOf) ? anyOf.map(refName) : []]
            })
          )
        expect(errors(mine)).toEqual(errors(reference))
      })
    })
  }

  it("the same info, servers, security scheme and tags", () => {
    expect(effect4.openapi).toBe("3.1.0")
    expect(effect4.info).toEqual(effect3.info)
    expect(effect4.servers).toEqual(effect3.servers)
    expect(effect4.security).toEqual(effect3.security)
    expect(effect4.components.securitySchemes).toEqual(effect3.components.securitySchemes)
    expect(effect4.tags).toEqual(effect3.tags)
  })

  // -------------------------------------------------------------------------
  // Differences inherent to Effect 4's generator: each is stated as it is, so a change on either side shows here.
  // -------------------------------------------------------------------------

  describe("differences inherent to Effect 4's generator", () => {
    it("400: Effect 3 added its own request-decoding error (HttpApiDecodeError) to every 400; Effect 4 declares none", () => {
      for (const key of theirs.keys()) {
        const [mine, reference] = pair(key)
        expect(reference.responses["400"]).toEqual({
          description: "The request did not match the expected schema",
          content: {
            "application/json": {
              schema: {
                anyOf: [
                  { $ref: "#/components/schemas/HttpApiDecodeError" },
                  { $ref: "#/components/schemas/InvalidRequest" }
                ]
              }
            }
          }
        })
        expect(mine.responses["400"]).toEqual({
          description: "InvalidRequest",
          content: { "application/json": { schema: { $ref: "#/components/schemas/InvalidRequest" } } }
        })
      }
    })

    it("response descriptions: Effect 4 names every error of a status and calls a success `Success`", () => {
      const differing = [...theirs.keys()].flatMap((key) => {
        const [mine, reference] = pair(key)
        return Object.keys(reference.responses).filter((status) => status !== "400").flatMap((status) =>
          mine.responses[status]?.description === reference.responses[status]?.description
            ? []
            : [`${key} ${status}: ${reference.responses[status]?.description} → ${mine.responses[status]?.description}`]
        )
      })
      const variables = "/organizations/{organizationId}/variables"
      expect(differing.sort()).toEqual([
        `DELETE ${variables}/{variableName} 404: NotFound → NotFound | FeatureUnavailable`,
        `GET ${variables}/{variableName}/history 404: NotFound → NotFound | FeatureUnavailable`,
        `PATCH ${variables}/{variableName} 200: OrganizationVariable → Success`,
        `PATCH ${variables}/{variableName} 404: NotFound → NotFound | FeatureUnavailable`,
        `POST ${variables} 200: OrganizationVariable → Success`,
        `POST ${variables} 404: NotFound → NotFound | FeatureUnavailable`
      ].sort())
    })

    it("component names: Effect 4 names the encoded side of a transformation `<Id>Encoded` and numbers repeats", () => {
      const mine = Object.keys(effect4.components.schemas)
      const reference = Object.keys(effect3.components.schemas)
      const renamed = /^(.*?)(Encoded)?(_\d+)?$/
      // every Effect 4 component is one of Effect 3's, an `Encoded` / numbered variant of one, or new below
      const base = (name: string) => renamed.exec(name)?.[1] ?? name
      const added = mine.filter((name) => !reference.includes(name) && !reference.includes(base(name)))
      // Suberror: the error body's entries as their own component; AnyBody: the body of a `void` call;
      // NumberFromString: Effect 4 documents a path number by its encoded side, `NumberFromStringEncoded`
      expect(added.sort()).toEqual(["AnyBody", "Suberror"])
      // Effect 3 components not in Effect 4 under their own name: inlined (Int, DateTimeUtc, BooleanFromString,
      // PropertyKey), the decode error (see 400 above) and its Issue, or only present as `<Id>Encoded`
      expect(reference.filter((name) => !mine.includes(name)).sort()).toEqual([
        "BooleanFromString",
        "DateTimeUtc",
        "HttpApiDecodeError",
        "Int",
        "Issue",
        "NumberFromString",
        "Payment",
        "PropertyKey",
        "Subscription",
        "VariableHistoryEntry"
      ])
    })

    it("refinements: Effect 4 writes no `pattern` for an `isPattern` check, and no text for any check", () => {
      const schemas = (document: Document) => document.components.schemas
      expect(schemas(effect3)["InvitationHash"]).toMatchObject({ pattern: "^[A-Za-z0-9-]{8,128}$" })
      expect(schemas(effect4)["InvitationHash"]).toEqual({ type: "string" })
      expect(schemas(effect3)["Email"]).toMatchObject({ maxLength: 254, pattern: "^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$" })
      expect(schemas(effect4)["Email"]).toEqual({ type: "string", maxLength: 254 })
      expect(schemas(effect3)["Name"]).toMatchObject({ title: "maxLength(255)" })
      expect(schemas(effect4)["Name"]).toEqual({ type: "string", maxLength: 255 })
    })

    it("JSON bodies: a number may also be the text Infinity, -Infinity or NaN (Effect 4's JSON codec of numbers)", () => {
      const id = (document: Document) => {
        const organization = document.components.schemas["Organization"]
        const properties = isObject(organization) ? organization["properties"] : undefined
        return isObject(properties) ? properties["id"] : undefined
      }
      expect(id(effect3)).toEqual({ type: "number" })
      expect(id(effect4)).toEqual({
        anyOf: [{ type: "number" }, { type: "string", enum: ["Infinity", "-Infinity", "NaN"] }]
      })
    })

    it("JSON bodies: a `Schema.optional` field is `anyOf [T, null]` (Effect 4 writes an explicit undefined as null)", () => {
      const message = (document: Document) => {
        const body = document.components.schemas["NotFound"]
        const properties = isObject(body) ? body["properties"] : undefined
        return isObject(properties) ? properties["message"] : undefined
      }
      expect(message(effect3)).toEqual({ type: "string" })
      expect(message(effect4)).toEqual({ anyOf: [{ type: "string" }, { type: "null" }] })
    })

    it("query and path parameters are documented by their encoded side, a string, without the refinements' text", () => {
      const [mine, reference] = pair("GET /admin/teams")
      expect(reference.parameters?.find((p) => p.name === "pg[offset]")).toMatchObject({
        description: "a non-negative number"
      })
      expect(mine.parameters?.find((p) => p.name === "pg[offset]")).toEqual({
        name: "pg[offset]",
        in: "query",
        schema: { type: "string" },
        required: false
      })
    })
  })

  // -------------------------------------------------------------------------
  // The document on its own (ported from the Effect 3 line's checks that need no JSON Schema validator)
  // -------------------------------------------------------------------------

  describe("as JSON Schema 2020-12", () => {
    const valuesOf = (keyword: string) => all.filter(([, key]) => key === keyword).map(([, , value]) => value)

    it("no $id repeats, and none of Effect's built-in ids", () => {
      const ids = valuesOf("$id")
      expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([])
      expect(JSON.stringify(effect4)).not.toContain("/schemas/unknown")
    })

    it("every $ref resolves to a component of the document", () => {
      const schemas = Object.keys(effect4.components.schemas)
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
