// The OpenAPI document the emulator publishes (`/openapi.json`, and the Swagger UI page at `/docs`): the one document
// every line of effect-make publishes, shipped as a copy (openapi.json beside this module). Imports the JSON copy only.
//
// Why a copy, not `OpenApi.fromApi(MakeHttpApi)`: the project publishes ONE document for the contract, the primary
// (Effect 4) line's, written by the repository root's `npm run openapi` to the snapshot fixtures/openapi.json and to
// this copy. This line's generator writes the same contract differently (component names, the 400s, patterns), and a
// published package has no fixtures/ folder to read at run time, so the copy ships in the package (a JSON module: the
// build copies it to dist/ beside this module). test/api/OpenApi.test.ts holds the copy to the snapshot and to this
// line's own contract (the same operations, parameters, bodies and statuses), so the two cannot drift apart.
/**
 * @since 0.1.0
 * @internal
 */
import shipped from "./openapi.json" with { type: "json" }

/**
 * The shared OpenAPI document as shipped, with Make's zones as its servers.
 *
 * @since 0.1.0
 * @category docs
 */
export const document: { readonly openapi: string; readonly servers: ReadonlyArray<unknown> } = shipped

/**
 * An `OpenApi.Transform` for the emulator's API: whatever this line's generator wrote, the shipped document, with the
 * generated `servers` (Make's zones, or the emulator's own address when the API is annotated with `OpenApi.Servers`).
 * `HttpApiBuilder.middlewareOpenApi` and `HttpApiSwagger` both read the API's document through `OpenApi.fromApi`, so
 * `/openapi.json` and `/docs` both publish it.
 *
 * @since 0.1.0
 * @category docs
 */
export const publish = (generated: { readonly servers?: unknown }): Record<string, unknown> => ({
  ...document,
  servers: generated.servers ?? document.servers
})
