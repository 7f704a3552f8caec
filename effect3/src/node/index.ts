/**
 * effect-make/node: what only Node needs — the undici transport and the services over it. The root entry
 * (`effect-make`) imports no Node module; import this one where Node runs.
 *
 * @since 0.1.0
 */

/**
 * Every service over the undici transport, from values or the environment.
 *
 * @since 0.1.0
 */
export * as NodeMakeApi from "./NodeMakeApi.js"

/**
 * The lean undici `HttpClient` and its `MakeClient.Transport`.
 *
 * @since 0.1.0
 */
export * as UndiciHttpClient from "./UndiciHttpClient.js"
