// Swagger UI for the emulator at `/docs`, served from the `swagger-ui-dist` package on disk (no CDN: it renders with
// no internet), reading `/openapi.json`. Imports effect, @effect/platform and node: modules only.
/**
 * @since 0.1.0
 */
import { HttpRouter, HttpServerResponse } from "@effect/platform"
import { Effect, Option } from "effect"
import { readFile } from "node:fs/promises"
import { createRequire } from "node:module"
import { dirname, join } from "node:path"

/** The assets the page loads, with their content types: nothing else is served from the package. */
const assets: Readonly<Record<string, string>> = {
  "swagger-ui.css": "text/css; charset=utf-8",
  "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
  "swagger-ui-standalone-preset.js": "text/javascript; charset=utf-8",
  "favicon-32x32.png": "image/png"
}

const assetDir = Effect.sync(() => dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json")))

/**
 * The Swagger UI page: loads the local assets and the emulator's `/openapi.json`.
 *
 * @since 0.1.0
 * @category docs
 */
export const html = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>effect-make emulator — API docs</title>
  <link rel="icon" type="image/png" href="/docs/assets/favicon-32x32.png">
  <link rel="stylesheet" href="/docs/assets/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/docs/assets/swagger-ui-bundle.js"></script>
  <script src="/docs/assets/swagger-ui-standalone-preset.js"></script>
  <script>
    window.ui = SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui", deepLinking: true,
      presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset], layout: "StandaloneLayout" })
  </script>
</body>
</html>
`

const asset = Effect.gen(function*() {
  const params = yield* HttpRouter.params
  const name = params["file"] ?? ""
  const contentType = Option.fromNullable(assets[name])
  if (Option.isNone(contentType)) return HttpServerResponse.empty({ status: 404 })
  const dir = yield* assetDir
  return yield* Effect.tryPromise(() => readFile(join(dir, name))).pipe(
    Effect.map((bytes) =>
      HttpServerResponse.uint8Array(bytes, {
        contentType: contentType.value,
        headers: { "cache-control": "public, max-age=86400" }
      })
    ),
    Effect.orElseSucceed(() => HttpServerResponse.empty({ status: 404 }))
  )
})

/**
 * `GET /docs` (the page) and `GET /docs/assets/:file` (Swagger UI's own files, from `swagger-ui-dist`).
 *
 * @since 0.1.0
 * @category docs
 */
export const router: HttpRouter.HttpRouter = HttpRouter.empty.pipe(
  HttpRouter.get("/docs", HttpServerResponse.html(html)),
  HttpRouter.get("/docs/assets/:file", asset)
)
