/**
 * What each agent tool over a contract endpoint is called and what its call does, read from the contract itself:
 * the name from the endpoint's `[group, name]`, the title from its OpenAPI summary (the line the OpenAPI document
 * shows), the description from that summary and the route, and the hints (read-only, destructive, idempotent) from
 * its HTTP method plus one short list of exceptions, all said here once.
 *
 * @since 1.0.0
 */
// Floor "the agent tools": imports the contract (api/) and `effect`; never testing/ or a Node module.
import { Context, type Schema, SchemaAST } from "effect"
import { HttpApi, OpenApi } from "effect/http-api"
import { MakeHttpApi } from "../api/MakeHttpApi.js"

// ---------------------------------------------------------------------------
// Models
// ---------------------------------------------------------------------------

/**
 * What the contract says about one endpoint, as a tool needs it.
 *
 * @since 1.0.0
 * @category models
 */
export interface EndpointFacts {
  /** The contract group (`organizations`, `adminTeams`, ...). */
  readonly group: string
  /** The endpoint within the group (`list`, `createSinglePayment`, ...). */
  readonly endpoint: string
  /** `GET`, `POST`, `PATCH`, `PUT`, `DELETE`. */
  readonly method: string
  /** `GET /organizations/{organizationId}`, as the Make documentation writes it. */
  readonly route: string
  /**
   * The request's fields by name: the path parameters, then the query's and the payload's keys
   * (`organizationId`, `hash`, ...). A method whose input is one value names it after the first.
   */
  readonly fields: ReadonlyArray<string>
  /** The endpoint's OpenAPI summary (`List user organizations`). */
  readonly summary: string
}

/**
 * What a call does, as MCP's tool hints say it.
 *
 * @since 1.0.0
 * @category models
 */
export interface Hints {
  /** Reads only: a `GET`. */
  readonly readOnly: boolean
  /** Deletes or gives up something that cannot be had back by calling again: needs `confirmed: true`. */
  readonly destructive: boolean
  /** Calling it twice with the same parameters leaves Make as calling it once did. */
  readonly idempotent: boolean
}

// ---------------------------------------------------------------------------
// Names
// ---------------------------------------------------------------------------

/** `organizationVariables` → `organization_variables`. */
const snake = (name: string): string => name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`)

/**
 * The tool's name: `<group>_<endpoint>` in snake_case, e.g. `organizations_list`, `organization_variables_delete`,
 * `billing_create_single_payment`. Stable as long as the contract's identifiers are, and within the 64 characters
 * and `[a-zA-Z0-9_-]` that model providers accept.
 *
 * @example
 * ```ts
 * import { ToolNaming } from "effect-make/ai"
 *
 * ToolNaming.toolName("adminTeams", "list") // "admin_teams_list"
 * ```
 *
 * @since 1.0.0
 * @category names
 */
export const toolName = (group: string, endpoint: string): string => `${snake(group)}_${snake(endpoint)}`

// ---------------------------------------------------------------------------
// Hints
// ---------------------------------------------------------------------------

/**
 * The writes that are destructive although they are no `DELETE`: giving up a subscription, moving to the free plan
 * (both drop what the organization paid for) and redeeming a coupon (spent once applied).
 *
 * @since 1.0.0
 * @category hints
 */
export const destructiveWrites: ReadonlyArray<string> = [
  "billing.cancelSubscription",
  "billing.setFreePlan",
  "billing.applyCoupon"
]

/**
 * The writes that are not idempotent although their method is: none so far. A `POST` is never idempotent (it
 * creates, invites, pays); `PUT`, `PATCH` and `DELETE` are, as HTTP defines them (the second `DELETE` finds
 * nothing and changes nothing).
 *
 * @since 1.0.0
 * @category hints
 */
export const nonIdempotentWrites: ReadonlyArray<string> = []

/**
 * The hints of an endpoint: a `GET` reads only; a `DELETE` and the {@link destructiveWrites} are destructive;
 * `GET`, `PUT`, `PATCH` and `DELETE` are idempotent unless listed in {@link nonIdempotentWrites}.
 *
 * @example
 * ```ts
 * import { ToolNaming } from "effect-make/ai"
 *
 * ToolNaming.hintsOf({ group: "billing", endpoint: "applyCoupon", method: "POST" })
 * // { readOnly: false, destructive: true, idempotent: false }
 * ```
 *
 * @since 1.0.0
 * @category hints
 */
export const hintsOf = (facts: Pick<EndpointFacts, "group" | "endpoint" | "method">): Hints => {
  const key = `${facts.group}.${facts.endpoint}`
  const method = facts.method.toUpperCase()
  return {
    readOnly: method === "GET",
    destructive: method === "DELETE" || destructiveWrites.includes(key),
    idempotent: ["GET", "PUT", "PATCH", "DELETE"].includes(method) && !nonIdempotentWrites.includes(key)
  }
}

/**
 * The tool's description for the model: the endpoint's summary, its route, and for a destructive tool the rule that
 * it needs `confirmed: true`.
 *
 * @example
 * ```ts
 * import { ToolNaming } from "effect-make/ai"
 *
 * const facts = ToolNaming.contract.get("organizations_delete")
 * facts === undefined ? "" : ToolNaming.describe(facts)
 * // "Delete an organization (DELETE /organizations/{organizationId}). Destructive: ..."
 * ```
 *
 * @since 1.0.0
 * @category names
 */
export const describe = (facts: EndpointFacts): string => {
  const base = `${facts.summary} (${facts.route}).`
  return hintsOf(facts).destructive
    ? `${base} Destructive: refused with NotConfirmed, before anything is sent, unless called with confirmed: true.`
    : base
}

// ---------------------------------------------------------------------------
// The contract
// ---------------------------------------------------------------------------

/** The keys of an object schema, or none. */
const keysOf = (schema: Schema.Top | undefined): ReadonlyArray<string> =>
  schema !== undefined && SchemaAST.isObjects(schema.ast)
    ? schema.ast.propertySignatures.map((property) => String(property.name))
    : []

const readContract = (): ReadonlyMap<string, EndpointFacts> => {
  const facts = new Map<string, EndpointFacts>()
  HttpApi.reflect(MakeHttpApi, {
    onGroup: () => {},
    onEndpoint: ({ endpoint, group }) => {
      const pathParams = [...endpoint.path.matchAll(/:(\w+)/g)].map((match) => match[1] ?? "")
      const payloads = [...endpoint.payload.values()].flatMap((payload) => payload.schemas)
      const route = `${endpoint.method} ${endpoint.path.replace(/:(\w+)/g, "{$1}")}`
      const summary = Context.getOption(endpoint.annotations, OpenApi.Summary)
      facts.set(toolName(group.identifier, endpoint.identifier), {
        group: group.identifier,
        endpoint: endpoint.identifier,
        method: endpoint.method,
        route,
        fields: [...pathParams, ...keysOf(endpoint.query), ...payloads.flatMap(keysOf)],
        // every endpoint of the contract has a summary (the OpenAPI document shows it); the route stands in otherwise
        summary: summary._tag === "Some" ? summary.value : route
      })
    }
  })
  return facts
}

/**
 * Every endpoint of the contract by its tool name, read once from `MakeHttpApi`.
 *
 * @example
 * ```ts
 * import { ToolNaming } from "effect-make/ai"
 *
 * ToolNaming.contract.get("organizations_list")?.summary // "List user organizations"
 * ```
 *
 * @since 1.0.0
 * @category contract
 */
export const contract: ReadonlyMap<string, EndpointFacts> = readContract()
