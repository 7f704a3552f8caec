// The OpenAPI document this line's emulator publishes (/openapi.json and /docs): the copy it ships
// (src/testing/emulator/openapi.json) of the one document every line publishes, fixtures/openapi.json, written by the
// repository root's `npm run openapi` (Effect 4's generator). Held here to the snapshot and, so that the copy cannot
// drift from this line's contract, to the operations, parameters, bodies and statuses of `OpenApi.fromApi(MakeHttpApi)`
// (this line's generator, read for the contract's shape only: it names components and describes 400s otherwise).
import { HttpClient, HttpClientRequest, OpenApi } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { Ajv2020 } from "ajv/dist/2020.js"
import { Effect, Predicate } from "effect"
import { readFileSync } from "node:fs"
import { MakeHttpApi } from "../../src/api/MakeHttpApi.js"
import { document as shippedDocument } from "../../src/testing/emulator/OpenApiDocument.js"
import { Emulator } from "../../src/testing/index.js"
import { emulatorOnAPort, send } from "../testing/wire.js"

/** Test data, read in tests only: the published package has no fixtures/ folder. */
const snapshotText = readFileSync(new URL("../../../fixtures/openapi.json", import.meta.url), "utf8")
const shippedText = readFileSync(new URL("../../src/testing/emulator/openapi.json", import.meta.url), "utf8")

interface Operation {
  readonly operationId: string
  readonly summary?: string
  readonly tags?: ReadonlyArray<string>
  readonly security?: ReadonlyArray<Record<string, ReadonlyArray<string>>>
  readonly parameters?: ReadonlyArray<{ readonly name: string; readonly in: string; readonly required?: boolean }>
  readonly requestBody?: { readonly required?: boolean; readonly content: Record<string, { readonly schema: unknown }> }
  readonly responses: Record<string, { readonly content?: Record<string, { readonly schema?: unknown }> }>
}

interface Document {
  readonly openapi: string
  readonly info: { readonly license?: unknown }
  readonly servers: ReadonlyArray<unknown>
  readonly tags: ReadonlyArray<{ readonly name: string; readonly description?: string }>
  readonly paths: Record<string, Record<string, Operation>>
  readonly components: { readonly schemas: Record<string, unknown>; readonly securitySchemes: Record<string, unknown> }
}

const document: Document = JSON.parse(shippedText)
const generated: Document = JSON.parse(JSON.stringify(OpenApi.fromApi(MakeHttpApi)))

const operationsOf = (document: Document): ReadonlyMap<string, Operation> =>
  new Map(
    Object.entries(document.paths).flatMap(([path, item]) =>
      Object.entries(item).map((
        [method, operation]
      ): [string, Operation] => [`${method.toUpperCase()} ${path}`, operation])
    )
  )
const operations = operationsOf(document)
const contract = operationsOf(generated)

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

/** The component a schema names (`#/components/schemas/X` → `X`), or undefined when it is inline. */
const refName = (schema: unknown): string | undefined =>
  Predicate.isRecord(schema) && typeof schema["$ref"] === "string"
    ? schema["$ref"].replace("#/components/schemas/", "")
    : undefined

/** What an operation is, as the contract says it: what the copy must say too, whoever generated it. */
const shape = (operation: Operation) => ({
  operationId: operation.operationId,
  summary: operation.summary,
  tags: operation.tags,
  security: operation.security,
  parameters: (operation.parameters ?? []).map((p) => ({ name: p.name, in: p.in, required: p.required ?? false })),
  requestBody: operation.requestBody === undefined ? undefined : {
    required: operation.requestBody.required ?? false,
    content: Object.entries(operation.requestBody.content).map(([type, { schema }]) => [type, refName(schema)])
  },
  responses: Object.entries(operation.responses).map(([status, response]) => [
    status,
    Object.keys(response.content ?? {}),
    // the errors by component name; a 400 aside: this line's generator adds its own HttpApiDecodeError there
    Number(status) >= 401
      ? Object.values(response.content ?? {}).flatMap(({ schema }) =>
        Predicate.isRecord(schema) && Array.isArray(schema["anyOf"]) ? schema["anyOf"].map(refName) : [refName(schema)]
      )
      : []
  ])
})

describe("the shipped copy of the shared document", () => {
  it("is fixtures/openapi.json, byte for byte (after a change to the contract: the root's npm run openapi)", () => {
    expect(shippedText).toBe(snapshotText)
    expect(shippedDocument).toEqual(JSON.parse(snapshotText))
  })

  it("has exactly this line's 30 operations (method and path)", () => {
    expect([...operations.keys()].sort()).toEqual([...contract.keys()].sort())
    expect(operations.size).toBe(30)
  })

  for (const key of contract.keys()) {
    it(`${key}: as this line's contract says (id, summary, tag, security, parameters, body, statuses, errors)`, () => {
      const mine = operations.get(key)
      const reference = contract.get(key)
      expect(mine === undefined ? undefined : shape(mine)).toEqual(
        reference === undefined ? undefined : shape(reference)
      )
    })
  }

  it("the same info, servers, security scheme and tags as this line's contract", () => {
    expect(document.info).toEqual(generated.info)
    expect(document.servers).toEqual(generated.servers)
    expect(document.components.securitySchemes).toEqual(generated.components.securitySchemes)
    expect(document.tags).toEqual(generated.tags)
  })

  it.live("is what the emulator on a port publishes at /openapi.json (its own address as servers) and at /docs", () =>
    Effect.gen(function*() {
      const server = yield* Emulator.EmulatorServer
      const published = yield* send(HttpClientRequest.get("/openapi.json"), server.url)
      expect(published).toEqual({
        status: 200,
        body: { ...JSON.parse(snapshotText), servers: [{ url: server.baseUrl, description: "effect-make emulator" }] }
      })
      // Swagger UI's page carries the document too: the shared one (`AnyBody` is one of its components; this line's
      // generator writes `HttpApiDecodeError` instead)
      const client = yield* HttpClient.HttpClient
      const page = yield* Effect.flatMap(client.get(`${server.url}/docs`), (response) => response.text)
      expect(page).toContain("AnyBody")
      expect(page).not.toContain("HttpApiDecodeError")
      expect(page).toContain(server.baseUrl)
    }).pipe(Effect.provide(emulatorOnAPort())))
})

describe("the published document", () => {
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
