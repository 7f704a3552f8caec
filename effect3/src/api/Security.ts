/**
 * The `Token` security scheme: `Authorization: Token <api-token>`, and the middleware tag the emulator implements.
 *
 * @since 0.1.0
 */
// Floor 2: imports `@effect/platform` and the wire errors.
import { HttpApiMiddleware, HttpApiSecurity, OpenApi } from "@effect/platform"
import { Unauthorized } from "./Errors.js"

/**
 * Make authenticates with an API key in the `Authorization` header, sent as `Token <api-token>`.
 *
 * @since 0.1.0
 * @category security
 */
export const Token = HttpApiSecurity.apiKey({ key: "Authorization", in: "header" }).pipe(
  HttpApiSecurity.annotate(
    OpenApi.Description,
    "An API token of a Make user, sent as `Authorization: Token <api-token>`."
  )
)

/**
 * The authentication middleware every endpoint runs behind; 401 with Make's body when the token is refused.
 *
 * @since 0.1.0
 * @category security
 */
export class Authentication extends HttpApiMiddleware.Tag<Authentication>()("effect-make/api/Authentication", {
  failure: Unauthorized,
  security: { token: Token }
}) {}
