// Every service operation, read from the services' `operations` tables, with what the contract says of its endpoint
// (route, success schema), and the value helpers the request and bad-input properties share.
// Imports the services' tables, Operation and the contract only.
import { HttpApi, HttpApiSchema } from "@effect/platform"
import { DateTime, Option, Schema, type SchemaAST } from "effect"
import * as AdminTeams from "../../src/AdminTeams.js"
import { MakeHttpApi } from "../../src/api/MakeHttpApi.js"
import * as Billing from "../../src/Billing.js"
import * as FeatureControls from "../../src/FeatureControls.js"
import * as Invitations from "../../src/Invitations.js"
import type * as Operation from "../../src/Operation.js"
import * as Organizations from "../../src/Organizations.js"
import * as OrganizationVariables from "../../src/OrganizationVariables.js"
import * as Usage from "../../src/Usage.js"

/** What the contract declares for one endpoint. */
export interface Endpoint {
  readonly method: string
  /** The path under the base URL with `{param}` placeholders, e.g. `/organizations/{organizationId}`. */
  readonly path: string
  /** The schema of its 2xx body, and whether it reads the text as is (`AnyBody`) or parsed; `None` for no body. */
  readonly success: Option.Option<{ readonly schema: Schema.Schema<unknown, unknown>; readonly text: boolean }>
}

const contract: ReadonlyMap<string, Endpoint> = (() => {
  const found = new Map<string, Endpoint>()
  HttpApi.reflect(MakeHttpApi, {
    onGroup: () => {},
    onEndpoint: ({ endpoint, group, successes }) => {
      const asts = [...successes.values()].flatMap(({ ast }) => Option.toArray(ast))
      found.set(`${group.identifier}.${endpoint.name}`, {
        method: endpoint.method,
        path: endpoint.path.replace(/:(\w+)/g, "{$1}"),
        success: Option.map(Option.fromNullable(asts[0]), (ast: SchemaAST.AST) => ({
          schema: Schema.make<unknown, unknown, never>(ast),
          text: HttpApiSchema.getEncoding(ast).kind === "Text"
        }))
      })
    }
  })
  return found
})()

/** One service method, named as users call it, with its endpoint. */
export interface Case {
  readonly label: string
  readonly service: string
  readonly operation: Operation.Any
  readonly endpoint: Endpoint
}

/** The operation table of every service, by service name. */
export const tables: Record<string, Record<string, Operation.Any>> = {
  Organizations: Organizations.operations,
  Invitations: Invitations.operations,
  Billing: Billing.operations,
  OrganizationVariables: OrganizationVariables.operations,
  Usage: Usage.operations,
  FeatureControls: FeatureControls.operations,
  AdminTeams: AdminTeams.operations
}

/** Every operation of every service (30): derived from the tables, never listed by hand. */
export const cases: ReadonlyArray<Case> = Object.entries(tables).flatMap(([service, table]) =>
  Object.values(table).map((operation) => {
    const endpoint = contract.get(`${operation.group}.${operation.endpoint}`)
    if (endpoint === undefined) throw new Error(`no contract endpoint for ${operation.group}.${operation.endpoint}`)
    return { label: `${operation.name.service}.${operation.name.method}`, service, operation, endpoint }
  })
)

// ---------------------------------------------------------------------------
// Values
// ---------------------------------------------------------------------------

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
