/**
 * Where a client's attempts are sent: any `HttpClient` (the one in context by default), or a transport that bounds
 * each attempt itself, such as the undici one of `effect-make/node`.
 *
 * @since 1.0.0
 */
// Where a client's attempts are sent: an HttpClient, and whether it bounds each attempt itself. Floor 2: imports
// `effect`, `effect/http`, MakeConfig and MakeError; the Node one lives in node/UndiciHttpClient.ts.
import { Effect } from "effect"
import { HttpClient } from "effect/http"
import type { HttpClientError, HttpClientRequest, HttpClientResponse } from "effect/http"
import type * as MakeConfig from "./MakeConfig.js"
import type * as MakeError from "./MakeError.js"

/**
 * What one attempt can fail with: no answer from the transport, or an answer refused while it was read (past
 * `maxResponseBytes`, a redirect not followed, no complete answer within the timeout).
 *
 * @since 1.0.0
 * @category models
 */
export type AttemptError = HttpClientError.HttpClientError | MakeError.TransportError | MakeError.UnexpectedResponse

/**
 * Sends one attempt: the request as the client built it (absolute URL, headers, the `Authorization` of the configured
 * origin only), and its answer. A plain function rather than an `HttpClient`: the client wraps it in its own stages,
 * and each `HttpClient` layer costs runtime steps on every call.
 *
 * @since 1.0.0
 * @category models
 */
export type Send = (
  request: HttpClientRequest.HttpClientRequest
) => Effect.Effect<HttpClientResponse.HttpClientResponse, AttemptError>

/**
 * Where attempts are sent. `make` builds the sender from the validated configuration. When
 * `boundsAttempts` is `true` the base bounds each attempt itself: it fails with `TransportError`
 * (`reason: "Timeout"`) when headers and body are not complete within `config.timeout`, fails with
 * `UnexpectedResponse` (aborting the request) once the body passes `config.maxResponseBytes`, answers responses
 * whose body is already read, and never follows a redirect. The client then adds none of that. Otherwise the client
 * bounds every attempt with one timer and a counting body reader.
 *
 * @example
 * ```ts
 * import type { HttpClient } from "effect/http"
 * import { Transport } from "effect-make"
 *
 * // any HttpClient, bounded by the client: what MakeClient.layer uses
 * const plain: Transport.Transport<HttpClient.HttpClient> = Transport.fromContext
 * ```
 *
 * @since 1.0.0
 * @category models
 */
export interface Transport<R = never> {
  readonly make: (config: MakeConfig.Resolved) => Effect.Effect<Send, never, R>
  readonly boundsAttempts: boolean
}

/**
 * The `HttpClient` in context, bounded by the client (timeout, size cap, no redirect followed by fetch).
 *
 * @example
 * ```ts
 * import { FetchHttpClient } from "effect/http"
 * import { Layer, Redacted } from "effect"
 * import { MakeClient, Transport } from "effect-make"
 *
 * const ClientLive = MakeClient.layerWith(Transport.fromContext, { token: Redacted.make("…"), zone: "eu1.make.com" })
 *   .pipe(Layer.provide(FetchHttpClient.layer))
 * ```
 *
 * @since 1.0.0
 * @category transports
 */
export const fromContext: Transport<HttpClient.HttpClient> = {
  make: () => Effect.map(Effect.service(HttpClient.HttpClient), (client): Send => (request) => client.execute(request)),
  boundsAttempts: false
}
