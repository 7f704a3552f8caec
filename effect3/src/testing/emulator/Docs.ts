// Swagger UI for the emulator at `/docs`: @effect/platform's `HttpApiSwagger` page. Imports @effect/platform only.
//
// Why HttpApiSwagger rather than a package of Swagger UI's files: its one HTML page carries Swagger UI's script and
// styles inline, and the API's OpenAPI document too (the same `OpenApi.fromApi` document `/openapi.json` serves), so it
// renders with no CDN, no further request and no dependency of ours. `swagger-ui-dist` (12 MB, plus an analytics
// postinstall script in `@scarf/scarf`) used to come with every install of the library for this page alone.
/**
 * @since 0.1.0
 */
import { type HttpApi, HttpApiSwagger } from "@effect/platform"
import type { Layer } from "effect"

/**
 * Where the page answers, at the server's root.
 *
 * @since 0.1.0
 * @category docs
 */
export const path = "/docs"

/**
 * `GET /docs` in the API's own router (`HttpApiBuilder.Router`): the Swagger UI page of the `HttpApi.Api` it is
 * built with. The emulator routes `/docs` at its root to the API's app, as it does `/openapi.json`.
 *
 * @since 0.1.0
 * @category docs
 */
export const layer: Layer.Layer<never, never, HttpApi.Api> = HttpApiSwagger.layer({ path })
