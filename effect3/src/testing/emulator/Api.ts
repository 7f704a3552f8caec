// The whole contract implemented by the emulator: every area's group over one state, the `Token` check and Make's
// 400s, as one `HttpApi.Api` layer. Imports `effect`, `@effect/platform`, api/ and testing/.
/**
 * @since 0.1.0
 * @internal
 */
import { type HttpApi, HttpApiBuilder, OpenApi } from "@effect/platform"
import { Layer } from "effect"
import { MakeHttpApi } from "../../api/MakeHttpApi.js"
import { adminTeamsLive } from "./AdminTeams.js"
import { billingLive } from "./Billing.js"
import { invitationsLive } from "./Invitations.js"
import { authenticationLive, makeValidationErrorsLive } from "./Middleware.js"
import * as OpenApiDocument from "./OpenApiDocument.js"
import { organizationsLive } from "./Organizations.js"
import type { EmulatorState } from "./Store.js"
import { featureControlsLive, usageLive } from "./Usage.js"
import { organizationVariablesLive } from "./Variables.js"

/**
 * The contract as the emulator serves it: its OpenAPI document (`/openapi.json`, `/docs`) is the one every line of
 * effect-make publishes, shipped in OpenApiDocument, not this line's generator's.
 */
const published = MakeHttpApi.annotate(OpenApi.Transform, OpenApiDocument.publish)

/**
 * The whole contract implemented over the state: `HttpApi.Api` with every group, the `Token` check and Make's 400s.
 * Build it together with `HttpApiBuilder.Router.Live` and `HttpApiBuilder.Middleware.layer`. `servers` replaces the
 * servers of its OpenAPI document (the shared one, see OpenApiDocument): an emulator on a port documents its own address.
 *
 * @since 0.1.0
 * @category layers
 */
export const apiLive = (
  state: EmulatorState,
  options?: { readonly servers?: ReadonlyArray<OpenApi.OpenAPISpecServer> | undefined }
): Layer.Layer<HttpApi.Api> =>
  Layer.mergeAll(
    HttpApiBuilder.api(
      options?.servers === undefined ? published : published.annotate(OpenApi.Servers, options.servers)
    ).pipe(
      Layer.provide([
        organizationsLive(state),
        invitationsLive(state),
        billingLive(state),
        organizationVariablesLive(state),
        usageLive(state),
        featureControlsLive(state),
        adminTeamsLive(state)
      ]),
      Layer.provide(authenticationLive(state))
    ),
    makeValidationErrorsLive
  )
