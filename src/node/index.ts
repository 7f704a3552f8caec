/**
 * effect-make/node: what only Node needs — the undici transport and the services over it. The root entry
 * (`effect-make`) imports no Node module; import this one where Node runs.
 *
 * @since 1.0.0
 */
// effect-make/node, the package's Node entry: what only Node needs, re-exported as namespaces.
// Floor "the Node layers": re-exports node/ modules only.

/**
 * Every service over the undici transport, from values or the environment, and the emulator fallback.
 *
 * @since 1.0.0
 */
export * as NodeMakeApi from "./NodeMakeApi.js"

/**
 * The lean undici `HttpClient` and its `Transport`.
 *
 * @since 1.0.0
 */
export * as UndiciHttpClient from "./UndiciHttpClient.js"
