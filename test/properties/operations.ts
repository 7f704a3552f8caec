// Every service method, read from the services' `methods` tables, with what the contract says of its endpoint (the
// compiled endpoint: method, route), and the value helpers the request and bad-input properties share.
// Imports the services' tables, Operation, the contract, internal/endpoints, `effect` and `effect/http-api` only.
import { Arbitrary, DateTime, Option, Schema } from "effect"
import { HttpApi, HttpApiSchema } from "effect/http-api"
import * as AdminTeams from "../../src/AdminTeams.js"
import { MakeHttpApi } from "../../src/api/MakeHttpApi.js"
import * as Billing from "../../src/Billing.js"
import * as FeatureControls from "../../src/FeatureControls.js"
import * as Endpoints from "../../src/internal/endpoints.js"
import * as Invitations from "../../src/Invitations.js"
import type * as Operation from "../../src/Operation.js"
import * as Organizations from "../../src/Organizations.js"
import * as OrganizationVariables from "../../src/OrganizationVariables.js"
import * as Usage from "../../src/Usage.js"

/** The schema of an endpoint's 2xx body, and whether it reads the text as is (a `void` call's) or JSON. */
export interface Success {
  readonly schema: Schema.Codec<unknown, unknown>
  readonly text: boolean
}

/**
 * A schema of the contract as the codec it is: reflection hands it over as `Schema.Top` (services `unknown`); the
 * contract's need none, which test/api/Endpoints.test.ts checks by type, as src/internal/endpoints.ts restates it.
 */
export const codec = (schema: Schema.Top): Schema.Codec<unknown, unknown> =>
  schema as unknown as Schema.Codec<unknown, unknown>

const successes: ReadonlyMap<string, Success> = (() => {
  const found = new Map<string, Success>()
  HttpApi.reflect(MakeHttpApi, {
    onGroup: () => {},
    onEndpoint: ({ endpoint, group, successes }) => {
      const schema = [...successes.values()][0]?.[0]
      if (schema === undefined) return
      const text = HttpApiSchema.getResponseEncodingSchema(schema)._tag === "Text"
      found.set(`${group.identifier}.${endpoint.identifier}`, {
        schema: text ? codec(schema) : codec(Schema.toCodecJson(schema)),
        text
      })
    }
  })
  return found
})()

/** One service method, named as users call it, with its compiled endpoint. */
export interface Case {
  readonly label: string
  readonly service: string
  readonly name: string
  readonly method: Operation.Any
  readonly endpoint: Endpoints.Endpoint
  /** `/organizations/{organizationId}`: the path template under the base URL. */
  readonly path: string
  /** Its 2xx body's schema (JSON codec), if it declares one. */
  readonly success: Option.Option<Success>
}

/** The method table of every service, by service name. */
export const tables: Readonly<Record<string, Readonly<Record<string, Operation.Any>>>> = {
  Organizations: Organizations.methods,
  Invitations: Invitations.methods,
  Billing: Billing.methods,
  OrganizationVariables: OrganizationVariables.methods,
  Usage: Usage.methods,
  FeatureControls: FeatureControls.methods,
  AdminTeams: AdminTeams.methods
}

/** Every method of every service (30): derived from the tables, never listed by hand. */
export const cases: ReadonlyArray<Case> = Object.entries(tables).flatMap(([service, table]) =>
  Object.entries(table).map(([name, method]) => {
    const endpoint = Endpoints.endpoints.get(`${method.group}.${method.endpoint}`)
    if (endpoint === undefined) throw new Error(`no contract endpoint for ${method.group}.${method.endpoint}`)
    return {
      label: `${service}.${name}`,
      service,
      name,
      method,
      endpoint,
      path: endpoint.route.slice(endpoint.method.length + 1),
      success: Option.fromUndefinedOr(successes.get(`${method.group}.${method.endpoint}`))
    }
  })
)

// ---------------------------------------------------------------------------
// Values
// ---------------------------------------------------------------------------

/** A lone surrogate: Effect 4's string arbitrary draws them, and the client refuses them (InvalidInput) by design. */
const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/

/** Whether every string in a value is well-formed UTF-16 (what can travel in a URL or a JSON body as is). */
export const wellFormed = (value: unknown): boolean =>
  typeof value === "string"
    ? !loneSurrogate.test(value)
    : Array.isArray(value)
    ? value.every(wellFormed)
    : isRecord(value)
    ? Object.values(value).every(wellFormed)
    : true

/** Valid inputs of a method: its input schema's arbitrary, with well-formed strings only. */
export const validInput = (c: Case): Arbitrary.Arbitrary<unknown> =>
  Arbitrary.filter(Arbitrary.schema(c.method.input), wellFormed)

/** A place in an input: `[]` is the whole input, `["body", "name"]` a field. */
export type Path = ReadonlyArray<string | number>

const isRecord = (u: unknown): u is Readonly<Record<string, unknown>> =>
  typeof u === "object" && u !== null && !Array.isArray(u) && !DateTime.isDateTime(u)

/** Every place in a value, the value itself first; a DateTime is a leaf (users hand it over whole). */
export const pathsOf = (value: unknown, at: Path = []): ReadonlyArray<Path> => {
  if (Array.isArray(value)) return [at, ...value.flatMap((item: unknown, i) => pathsOf(item, [...at, i]))]
  if (isRecord(value)) {
    return [
      at,
      ...Object.entries(value).flatMap(([key, field]) => field === undefined ? [] : pathsOf(field, [...at, key]))
    ]
  }
  return [at]
}

/** The value with the one at `path` replaced. */
export const replaceAt = (value: unknown, path: Path, by: unknown): unknown => {
  if (path.length === 0) return by
  const [key, ...rest] = path
  if (Array.isArray(value)) return value.map((item: unknown, i) => i === key ? replaceAt(item, rest, by) : item)
  if (isRecord(value) && typeof key === "string") return { ...value, [key]: replaceAt(value[key], rest, by) }
  return value
}

/** The value at `path`. */
export const valueAt = (value: unknown, path: Path): unknown =>
  path.reduce<unknown>(
    (at, key) => Array.isArray(at) ? at[Number(key)] : isRecord(at) ? at[String(key)] : undefined,
    value
  )

/**
 * The leaves of a value as they travel in a URL or a JSON body, as text: `11`, `true`, `"Acme"` → `Acme`, a DateTime as
 * its ISO string.
 */
export const leavesOf = (value: unknown): ReadonlyArray<string> => {
  if (value === undefined || value === null) return []
  if (DateTime.isDateTime(value)) return [DateTime.formatIso(value)]
  if (Array.isArray(value)) return value.flatMap(leavesOf)
  if (isRecord(value)) return Object.values(value).flatMap(leavesOf)
  return [String(value)]
}
