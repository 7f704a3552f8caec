/**
 * The `Token` security scheme: `Authorization: Token <api-token>`, and the middleware the emulator implements.
 *
 * @since 1.0.0
 */
// The `Token` security scheme (`Authorization: Token <api-token>`) and the middleware every group runs behind.
// Floor 2: imports `effect/http-api` and the wire errors.
import { HttpApiMiddleware, HttpApiSecurity, OpenApi } from "effect/http-api"
import { Unauthorized } from "./Errors.js"

/**
 * Make authenticates with an API key in the `Authorization` header, sent as `Token <api-token>`.
 *
 * @since 1.0.0
 * @category security
 */
export const Token = HttpApiSecurity.apiKey({ key: "Authorization", in: "header" }).pipe(
  HttpApiSecurity.annotate(
    OpenApi.Description,
    "An API token of a Make user, sent as `Authorization: Token <api-token>`."
  )
)

/**
 * The authentication middleware every endpoint runs behind; 401 with Make's body when the token is refused. Not
 * required on the client: the client sets the header in its `HttpClient` pipeline, where it also scrubs it.
 *
 * @since 1.0.0
 * @category security
 */
export class Authentication extends HttpApiMiddleware.Service<Authentication>()("effect-make/api/Authentication", {
  error: Unauthorized,
  security: { token: Token }
}) {}
