// The one declaration of the Make API this library covers: every group, plus the errors any endpoint can answer.
// Floor 2: imports `effect/http-api`, the groups and the wire errors.
/**
 * The one declaration of the Make API this library covers: every group, plus the errors any endpoint can answer. The
 * client (MakeClient), the emulator (testing/) and the OpenAPI document are all derived from it.
 *
 * @since 1.0.0
 */
import { HttpApi, HttpApiMiddleware, OpenApi } from "effect/http-api"
import { AdminTeamsApi } from "./AdminTeamsApi.js"
import { BillingApi } from "./BillingApi.js"
import * as Errors from "./Errors.js"
import { InvitationsApi } from "./InvitationsApi.js"
import { OrganizationsApi } from "./OrganizationsApi.js"
import { OrganizationVariablesApi } from "./OrganizationVariablesApi.js"
import { FeatureControlsApi, UsageApi } from "./UsageApi.js"

/**
 * The errors any call can answer, declared once for the whole API. Effect 4 has no `HttpApi.addError`: a middleware
 * that only declares errors takes its place. The client decodes them on every endpoint and the OpenAPI document lists
 * them; a server (the emulator) provides a pass-through implementation (`Layer.succeed(CommonErrors)((e) => e)`).
 * `Unauthorized` (401) is declared by `Authentication`, the middleware that raises it.
 *
 * @since 1.0.0
 * @category contract
 */
export class CommonErrors extends HttpApiMiddleware.Service<CommonErrors>()("effect-make/api/CommonErrors", {
  error: [Errors.InvalidRequest, Errors.Forbidden, Errors.RateLimited, Errors.ServerError]
}) {}

/** Effect's JSON Schema of a built-in keyword (`/schemas/unknown`, `/schemas/any`, ...), not a resource of ours. */
const isBuiltinId = (key: string, value: unknown): boolean =>
  key === "$id" && typeof value === "string" && value.startsWith("/schemas/")

/**
 * Removes the `$id`s a generator may put on built-in keywords such as `Schema.Unknown` (`/schemas/unknown`, once per
 * use): repeated in one document they are duplicate ids, which a JSON Schema 2020-12 validator rejects, and they name
 * nothing a reader can resolve. The document is built afresh for each `fromApi`, so it is changed in place.
 */
const withoutSchemaIds = <Spec extends Record<string, unknown>>(spec: Spec): Spec => {
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(visit)
    if (typeof value !== "object" || value === null) return
    for (const [key, child] of Object.entries(value)) {
      if (isBuiltinId(key, child)) Reflect.deleteProperty(value, key)
      else visit(child)
    }
  }
  visit(spec)
  return spec
}

/**
 * The contract. Paths are relative to the base URL `https://{zone}/api/v2`.
 *
 * @example
 * ```ts
 * import { OpenApi } from "effect/http-api"
 * import { MakeHttpApi } from "effect-make/api/MakeHttpApi"
 *
 * const document = OpenApi.fromApi(MakeHttpApi)
 * ```
 *
 * @since 1.0.0
 * @category contract
 */
export class MakeHttpApi extends HttpApi.make("make")
  .add(OrganizationsApi)
  .add(InvitationsApi)
  .add(BillingApi)
  .add(OrganizationVariablesApi)
  .add(UsageApi)
  .add(FeatureControlsApi)
  .add(AdminTeamsApi)
  .middleware(CommonErrors)
  .annotateMerge(OpenApi.annotations({
    title: "Make API (Organizations, White Label Admin Teams)",
    version: "2",
    license: { name: "MIT", url: "https://opensource.org/licenses/MIT" },
    transform: withoutSchemaIds,
    servers: [{
      url: "https://{zone}/api/v2",
      description: "A Make zone",
      variables: { zone: { default: "eu1.make.com", description: "eu1.make.com, eu2.make.com, us1.make.com, ..." } }
    }]
  }))
{}
