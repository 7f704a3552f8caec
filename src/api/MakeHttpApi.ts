/**
 * The one declaration of the Make API this library covers: every group, plus the errors any endpoint can answer. The
 * client (MakeClient), the emulator (testing/) and the OpenAPI document are all derived from it.
 *
 * @since 0.1.0
 */
// Floor 2: imports `@effect/platform` and the groups.
import { HttpApi, OpenApi } from "@effect/platform"
import { AdminTeamsApi } from "./AdminTeamsApi.js"
import { BillingApi } from "./BillingApi.js"
import * as Errors from "./Errors.js"
import { InvitationsApi } from "./InvitationsApi.js"
import { OrganizationsApi } from "./OrganizationsApi.js"
import { OrganizationVariablesApi } from "./OrganizationVariablesApi.js"
import { FeatureControlsApi, UsageApi } from "./UsageApi.js"

/**
 * The contract. Paths are relative to the base URL `https://{zone}/api/v2`.
 *
 * @example
 * ```ts
 * import { OpenApi } from "@effect/platform"
 * import { MakeHttpApi } from "effect-make"
 *
 * const document = OpenApi.fromApi(MakeHttpApi.MakeHttpApi)
 * ```
 *
 * @since 0.1.0
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
  .addError(Errors.InvalidRequest)
  .addError(Errors.Unauthorized)
  .addError(Errors.Forbidden)
  .addError(Errors.RateLimited)
  .addError(Errors.ServerError)
  .annotateContext(OpenApi.annotations({
    title: "Make API (Organizations, White Label Admin Teams)",
    version: "2",
    servers: [{
      url: "https://{zone}/api/v2",
      description: "A Make zone",
      variables: { zone: { default: "eu1.make.com", description: "eu1.make.com, eu2.make.com, us1.make.com, ..." } }
    }]
  }))
{}
