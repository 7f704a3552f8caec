/**
 * The configured client the services are written against: one pipeline that sends a request to Make and answers
 * with its response or a {@link MakeError.MakeError}. Per attempt: base URL, `Accept: application/json`,
 * `Authorization: Token …` for the configured origin only, the bounds (timeout over headers and body,
 * `maxResponseBytes`, no redirect followed by the transport), and before it the wait for the organization's rate-limit
 * permit. Around the attempt: redirects (each hop an attempt of its own), then retries.
 *
 * @since 1.0.0
 */
// Floor 3: imports MakeConfig, MakeError, Transport, internal/ and `effect`, `effect/http`; never a service.
import { Context, Effect, Layer, Redacted, type Scope } from "effect"
import type { Config } from "effect"
import { type HttpClient, HttpClientRequest, type HttpClientResponse } from "effect/http"
import { boundAttempt } from "./internal/bounded.js"
import * as ErrorText from "./internal/errorText.js"
import * as RateLimiter from "./internal/rateLimiter.js"
import * as Redact from "./internal/redact.js"
import { withRedirects } from "./internal/redirects.js"
import * as Retrying from "./internal/retrying.js"
import * as MakeConfig from "./MakeConfig.js"
import type * as MakeError from "./MakeError.js"
import * as Transport from "./Transport.js"

/**
 * What sending a request can fail with, before a service narrows it to what its endpoint declares.
 *
 * @since 1.0.0
 * @category models
 */
export type PipelineError = Retrying.PipelineError

/**
 * The organization a request counts against for rate limiting, as the operation that sends it knows it (`undefined`
 * for a request about none).
 *
 * @since 1.0.0
 * @category models
 */
export type OrganizationId = RateLimiter.OrganizationId

/**
 * What `yield* MakeClient` gives.
 *
 * @since 1.0.0
 * @category models
 */
export interface Service {
  readonly config: MakeConfig.Resolved
  /**
   * Sends `request` (its URL relative to the base URL, or absolute) through the pipeline, counted against
   * `organizationId`'s rate limit. A non-2xx answer is a failure; a 2xx answer's body is already read.
   */
  readonly execute: (
    request: HttpClientRequest.HttpClientRequest,
    organizationId: OrganizationId
  ) => Effect.Effect<HttpClientResponse.HttpClientResponse, PipelineError>
  /**
   * What a `void` method does with the body it does not need: logs it at debug level, scrubbed of the token and cut
   * to an excerpt, and returns nothing. Whatever Make sends there (nothing, an id, an object) cannot fail the call.
   */
  readonly ignore: (body: string) => Effect.Effect<void>
  /** Removes the token, in any spelling, from a text (an error's, a log line's). */
  readonly redact: Redact.Redact
}

/**
 * The configured client every service is written against.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { HttpClientRequest } from "effect/http"
 * import { MakeClient } from "effect-make"
 *
 * const raw = Effect.gen(function*() {
 *   const client = yield* MakeClient.MakeClient
 *   const response = yield* client.execute(HttpClientRequest.get("/organizations/11"), 11)
 *   return yield* response.json
 * })
 * ```
 *
 * @since 1.0.0
 * @category tags
 */
export class MakeClient extends Context.Service<MakeClient, Service>()("effect-make/MakeClient") {}

/** An absolute URL: a redirect's next hop, which the base URL must not be prepended to. */
const absoluteUrl = /^https?:\/\//i

/**
 * Each attempt waits for a permit of the organization it concerns: the client's own (`rateLimit`), then the one the
 * calling fiber adds (a provisioning run's), taken last so that the time it counts is the send.
 */
const withRateLimit =
  (keyed: RateLimiter.Keyed | undefined) =>
  <A, E>(effect: Effect.Effect<A, E>, organizationId: OrganizationId): Effect.Effect<A, E> =>
    Effect.withFiber((fiber) => {
      const fiberLimiter = fiber.getRef(RateLimiter.FiberLimiter)
      if (fiberLimiter === undefined && keyed === undefined) return effect
      const inner = fiberLimiter === undefined ? effect : fiberLimiter(organizationId)(effect)
      return keyed === undefined ? inner : keyed.limiter(organizationId)(inner)
    })

/**
 * Builds the pipeline over a transport's sender.
 *
 * @since 1.0.0
 * @category constructors
 */
export const pipeline = (
  send: Transport.Send,
  config: MakeConfig.Resolved,
  options: { readonly boundedBySend: boolean; readonly limiter: RateLimiter.Keyed | undefined }
): Service["execute"] => {
  const prepare = (request: HttpClientRequest.HttpClientRequest) =>
    absoluteUrl.test(request.url)
      ? HttpClientRequest.acceptJson(request)
      : HttpClientRequest.acceptJson(HttpClientRequest.prependUrl(request, config.baseUrl))
  // The token is read out of its `Redacted` only here, and sent to the configured origin only: a redirect elsewhere
  // (a mistake, or a hostile server) goes without it.
  const authorization = `Token ${Redacted.value(config.token)}`
  const authorize = (request: HttpClientRequest.HttpClientRequest) =>
    request.url.startsWith(`${config.origin}/`)
      ? HttpClientRequest.setHeader(request, "authorization", authorization)
      : request
  const bound = boundAttempt(config)
  const attempt = options.boundedBySend
    ? (request: HttpClientRequest.HttpClientRequest) => send(authorize(request))
    : (request: HttpClientRequest.HttpClientRequest) => {
      const authorized = authorize(request)
      return bound(send(authorized), authorized)
    }
  const limited = withRateLimit(options.limiter)
  const retries = Retrying.withRetries(config.retry, config.token)
  return (request, organizationId) => {
    const prepared = prepare(request)
    // each hop of a redirect is an attempt of its own, limited like the first
    const hop = (next: HttpClientRequest.HttpClientRequest) => limited(attempt(next), organizationId)
    return retries(withRedirects(config, hop)(hop(prepared), prepared), prepared)
  }
}

/**
 * Builds the client from a validated configuration over the given transport.
 *
 * @since 1.0.0
 * @category constructors
 */
export const makeWith = <R>(
  transport: Transport.Transport<R>
): Effect.Effect<Service, never, MakeConfig.MakeConfig | R> =>
  Effect.gen(function*() {
    const config = yield* MakeConfig.MakeConfig
    const limiter = config.requestsPerMinute === undefined
      ? undefined
      : yield* RateLimiter.makeKeyed(config.requestsPerMinute)
    const send = yield* transport.make(config)
    const redact = Redact.forToken(config.token)
    const ignore = (body: string) =>
      body.length === 0
        ? Effect.void
        : Effect.logDebug("effect-make: ignored the body of a void call", ErrorText.excerptOf(body, redact))
    return {
      config,
      execute: pipeline(send, config, { boundedBySend: transport.boundsAttempts, limiter }),
      ignore,
      redact
    }
  })

/**
 * Builds the client from a validated configuration and the ambient `HttpClient`.
 *
 * @since 1.0.0
 * @category constructors
 */
export const make: Effect.Effect<Service, never, MakeConfig.MakeConfig | HttpClient.HttpClient> = makeWith(
  Transport.fromContext
)

/**
 * The client from values, over the `HttpClient` the caller provides (fetch, undici, the emulator in tests).
 *
 * @example
 * ```ts
 * import { Layer, Redacted } from "effect"
 * import { FetchHttpClient } from "effect/http"
 * import { MakeClient } from "effect-make"
 *
 * const ClientLive = MakeClient.layer({ token: Redacted.make("…"), zone: "eu1.make.com" }).pipe(
 *   Layer.provide(FetchHttpClient.layer)
 * )
 * ```
 *
 * @since 1.0.0
 * @category layers
 */
export const layer = (
  options: MakeConfig.Options
): Layer.Layer<MakeClient, MakeError.InvalidInput, HttpClient.HttpClient> => layerWith(Transport.fromContext, options)

/**
 * The client from `Config` (by default `MAKE_API_TOKEN`, `MAKE_ZONE`, `MAKE_BASE_URL`, `MAKE_TIMEOUT`, ...; a
 * `{ prefix }` reads them below a name), over the `HttpClient` the caller provides.
 *
 * @example
 * ```ts
 * import { Layer } from "effect"
 * import { FetchHttpClient } from "effect/http"
 * import { MakeClient } from "effect-make"
 *
 * const ClientLive = MakeClient.layerConfig().pipe(Layer.provide(FetchHttpClient.layer))
 * ```
 *
 * @since 1.0.0
 * @category layers
 */
export const layerConfig = (
  source?: MakeConfig.ConfigSource
): Layer.Layer<MakeClient, Config.ConfigError | MakeError.InvalidInput, HttpClient.HttpClient> =>
  layerConfigWith(Transport.fromContext, source)

/**
 * The client from values over the given transport (see `UndiciHttpClient.transport` in `effect-make/node`).
 *
 * @example
 * ```ts
 * import { Redacted } from "effect"
 * import { MakeClient } from "effect-make"
 * import { UndiciHttpClient } from "effect-make/node"
 *
 * const ClientLive = MakeClient.layerWith(UndiciHttpClient.transport({ connections: 16 }), {
 *   token: Redacted.make("…"),
 *   zone: "eu1.make.com"
 * })
 * ```
 *
 * @since 1.0.0
 * @category layers
 */
export const layerWith = <R>(
  transport: Transport.Transport<R>,
  options: MakeConfig.Options
): Layer.Layer<MakeClient, MakeError.InvalidInput, Exclude<R, Scope.Scope>> =>
  Layer.effect(MakeClient, makeWith(transport)).pipe(Layer.provide(MakeConfig.layer(options)))

/**
 * {@link layerConfig} over the given transport.
 *
 * @example
 * ```ts
 * import { MakeClient } from "effect-make"
 * import { UndiciHttpClient } from "effect-make/node"
 *
 * const ClientLive = MakeClient.layerConfigWith(UndiciHttpClient.transport(), { prefix: "TENANT_A" })
 * ```
 *
 * @since 1.0.0
 * @category layers
 */
export const layerConfigWith = <R>(
  transport: Transport.Transport<R>,
  source?: MakeConfig.ConfigSource
): Layer.Layer<MakeClient, Config.ConfigError | MakeError.InvalidInput, Exclude<R, Scope.Scope>> =>
  Layer.effect(MakeClient, makeWith(transport)).pipe(Layer.provide(MakeConfig.layerConfig(source)))
