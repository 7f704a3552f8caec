/**
 * The one declaration of the Make API this library covers: every group, plus the errors any endpoint can answer. The
 * client (MakeClient), the emulator (testing/) and the OpenAPI document are all derived from it.
 *
 * @since 1.0.0
 */
// The one declaration of the Make API this library covers: every group, plus the errors any endpoint can answer.
// Floor 2: imports `effect/http-api`, the groups and the wire errors.
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

// The Effect 3 line removed the `$id`s its generator put on built-in keywords (`/schemas/unknown`, repeated: invalid
// JSON Schema 2020-12). Effect 4's generator writes no `$id` at all, so the document needs no clean-up transform
// (test/api/OpenApi.test.ts checks that none appears).

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
    servers: [{
      url: "https://{zone}/api/v2",
      description: "A Make zone",
      variables: { zone: { default: "eu1.make.com", description: "eu1.make.com, eu2.make.com, us1.make.com, ..." } }
    }]
  }))
{}
