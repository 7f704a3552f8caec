/**
 * The ONE pipeline every call goes through: the configured HttpClient (base URL, auth header, timeout, failure
 * mapping, spans) and the HttpApiClient derived from the contract.
 *
 * @since 0.1.0
 */
// Floor 3: imports floors 1-2 and @effect/platform.
import { HttpClient, HttpClientRequest } from "@effect/platform"
import type { HttpClientError, HttpClientResponse } from "@effect/platform"
import { Context, Effect, Either, Layer, type RateLimiter, Redacted, Schema, type Scope } from "effect"
import type { ConfigError } from "effect/ConfigError"
import { boundAttempt } from "./internal/bounded.js"
import * as CallScope from "./internal/callScope.js"
import * as CompiledClient from "./internal/compiledClient.js"
import * as Decoder from "./internal/decoder.js"
import * as Limits from "./internal/decoderLimits.js"
import * as ErrorText from "./internal/errorText.js"
import * as Failures from "./internal/failures.js"
import * as RateLimit from "./internal/rateLimiter.js"
import * as Redact from "./internal/redact.js"
import { withRedirects } from "./internal/redirects.js"
import * as Retry from "./internal/retry.js"
import * as Retrying from "./internal/retrying.js"
import * as MakeConfig from "./MakeConfig.js"
import * as MakeError from "./MakeError.js"

/**
 * Everything the pipeline itself can fail with, before a service narrows it.
 *
 * @since 0.1.0
 * @category models
 */
export type PipelineError = Retrying.PipelineError

/**
 * A hook to wrap the configured `HttpClient` (logging, proxies, extra headers). It runs where raw requests and
 * responses are visible, after the base URL is set and before statuses become errors. The token is added after it,
 * and only to requests for the configured origin, so the hook never sees it.
 *
 * @since 0.1.0
 * @category models
 */
export type TransformClient = (
  client: HttpClient.HttpClient.With<AttemptError>
) => HttpClient.HttpClient.With<AttemptError>

/**
 * What one attempt can fail with: no (complete) answer from the transport, or an answer it refused to read whole
 * (over `maxResponseBytes`: `UnexpectedResponse` with the answer's status; a 2xx one is never retried, an error
 * status is mapped and retried as that status). A transport that bounds attempts itself (see {@link Transport})
 * reports its own timeout as a `TransportError`.
 *
 * @since 0.1.0
 * @category models
 */
export type AttemptError = Retrying.AttemptError

/**
 * The client derived from the contract: one method per endpoint, e.g. `api.organizations.get({ path, urlParams })`,
 * typed as `HttpApiClient` types it. It is compiled once per client (internal/compiledClient.ts): routes, encoders and
 * decoders come from the contract, and a call does only what must be done per call.
 *
 * @since 0.1.0
 * @category models
 */
export type DerivedClient = CompiledClient.Client<PipelineError | HttpClientError.HttpClientError>

/**
 * What a derived call can fail with before {@link Service.call} maps it.
 *
 * @since 0.1.0
 * @category models
 */
export type RawError = Failures.RawError

/**
 * Where a call comes from, for its span: built by `Operation` from the contract entry the method names.
 *
 * @since 0.1.0
 * @category models
 */
export interface CallSite {
  /** `Make.<Service>.<method>`. */
  readonly span: string
  /** HTTP method and path template, e.g. `GET /organizations/{organizationId}`. */
  readonly route: string
  /** The HTTP method alone. */
  readonly method: string
}

/**
 * What `yield* MakeClient` gives: the resolved configuration, the configured pipeline and the client derived from the
 * contract, for the services and for calls of your own.
 *
 * @since 0.1.0
 * @category models
 */
export interface Service {
  /** The validated configuration (the token stays `Redacted`). */
  readonly config: MakeConfig.Resolved
  /** The configured pipeline, for calls the contract does not cover. */
  readonly httpClient: HttpClient.HttpClient.With<PipelineError | HttpClientError.HttpClientError>
  /** The client derived from the contract. */
  readonly api: DerivedClient
  /**
   * What a `void` method does with the body it does not need: logs it at debug level, scrubbed of the token and cut
   * to an excerpt, and returns nothing. Whatever Make sends there (nothing, an id, an object) cannot fail the call.
   */
  readonly ignore: (body: string) => Effect.Effect<void>
  /**
   * Runs a derived call as one service method: a span named by the call site, every failure mapped to a
   * {@link MakeError.MakeError}. `Operation` narrows the result to what the method's endpoint declares.
   */
  readonly call: <A>(site: CallSite, effect: Effect.Effect<A, RawError>) => Effect.Effect<A, MakeError.MakeError>
}

/**
 * The configured client every service is written against.
 *
 * @since 0.1.0
 * @category tags
 */
export class MakeClient extends Context.Tag("effect-make/MakeClient")<MakeClient, Service>() {}

// ---------------------------------------------------------------------------
// Pipeline stages
// ---------------------------------------------------------------------------

/**
 * The longest wait a `Retry-After` is read as: one hour (a longer one fails the call with `RateLimited` at once).
 *
 * @since 0.1.0
 * @category internals
 */
export const maxRetryAfterMillis: number = Retry.maxRetryAfterMillis

/**
 * `Retry-After` in milliseconds: delay-seconds or an HTTP date, at most {@link maxRetryAfterMillis}; anything else
 * (negative, fractional, garbage) counts as absent.
 *
 * @since 0.1.0
 * @category internals
 */
export const parseRetryAfter: (header: string | undefined, nowMillis: number) => number | undefined =
  Retry.parseRetryAfter

/**
 * Each attempt waits for a permit of the organization it concerns: the client's own (`rateLimit`), then the one the
 * calling fiber adds (a provisioning run's, per licence), which is taken last so that the time it counts is the send.
 */
const withRateLimit = (limiterFor: ((key: string) => Effect.Effect<RateLimiter.RateLimiter>) | undefined) =>
<E, R>(
  effect: Effect.Effect<HttpClientResponse.HttpClientResponse, E, R>,
  request: HttpClientRequest.HttpClientRequest
): Effect.Effect<HttpClientResponse.HttpClientResponse, E, R> =>
  Effect.withFiberRuntime((fiber) => {
    const fiberLimiter = fiber.getFiberRef(RateLimit.fiberLimiter)
    if (fiberLimiter === undefined && limiterFor === undefined) return effect
    const key = RateLimit.organizationKey(request)
    const inner = fiberLimiter === undefined ? effect : fiberLimiter(key)(effect)
    return limiterFor === undefined ? inner : Effect.flatMap(limiterFor(key), (limit) => limit(inner))
  })

/** An absolute URL: a redirect's next hop, which the base URL must not be prepended to. */
const absoluteUrl = /^https?:\/\//i
const isAbsolute = (url: string) => absoluteUrl.test(url)

/**
 * Builds the configured pipeline over a base `HttpClient`. Per attempt: base URL, JSON accept header, the user's
 * `transformClient`, `Authorization: Token …` for the configured origin only (the token is read out of its
 * `Redacted` only here), the bounds (timeout over headers and body, `maxResponseBytes`, no redirect followed by the
 * transport), then around it the wait for the rate limit's permit (not timed). Around the attempt: redirects (each
 * hop an attempt of its own), then retries, then the mapping of the last answer to a MakeError.
 *
 * @since 0.1.0
 * @category constructors
 */
export const pipeline = (
  base: HttpClient.HttpClient.With<AttemptError>,
  config: MakeConfig.Resolved,
  options?: {
    readonly transformClient?: TransformClient | undefined
    readonly limiterFor?: ((key: string) => Effect.Effect<RateLimiter.RateLimiter>) | undefined
    /** `true` when `base` bounds attempts itself (see {@link Transport.boundsAttempts}); otherwise the pipeline does. */
    readonly boundedByBase?: boolean | undefined
  }
): HttpClient.HttpClient.With<PipelineError | HttpClientError.HttpClientError> => {
  const limiterFor = options?.limiterFor
  const prepare = (request: HttpClientRequest.HttpClientRequest) =>
    isAbsolute(request.url)
      ? HttpClientRequest.acceptJson(request)
      : request.pipe(HttpClientRequest.prependUrl(config.baseUrl), HttpClientRequest.acceptJson)
  // The token is added after the caller's hook, and only for the configured origin: a hook that logs requests never
  // sees it, and one that sends a request elsewhere (a mistake, or a hostile argument) sends it without.
  const authorization = `Token ${Redacted.value(config.token)}`
  const authorize = (request: HttpClientRequest.HttpClientRequest) =>
    request.url.startsWith(`${config.origin}/`)
      ? HttpClientRequest.setHeader(request, "Authorization", authorization)
      : request
  const bounded = (client: HttpClient.HttpClient.With<AttemptError>) =>
    options?.boundedByBase === true ? client : HttpClient.transform(client, boundAttempt(config))
  // Without a hook, both request steps are one (each `mapRequest` is steps of the runtime on every call).
  const attempt = options?.transformClient === undefined
    ? bounded(HttpClient.mapRequest(base, (request) => authorize(prepare(request))))
    : bounded(base.pipe(HttpClient.mapRequest(prepare), options.transformClient, HttpClient.mapRequest(authorize)))
  // The stages around an attempt in one transform (each `HttpClient.transform` costs runtime steps on every call):
  // the wait for the rate limit's permit (before the attempt's timeout starts, as when the transport times itself: a
  // call queued behind its organization's limit is not an attempt that got no answer), then redirects, each hop an
  // attempt of its own, then retries.
  const limited = withRateLimit(limiterFor)
  const hop = (request: HttpClientRequest.HttpClientRequest) => limited(attempt.execute(request), request)
  const redirects = withRedirects(config, hop)
  const retries = Retrying.withRetries(config.retry, config.token)
  return HttpClient.transform(
    attempt,
    (effect, request) => retries(redirects(limited(effect, request), request), request)
  )
}

// ---------------------------------------------------------------------------
// Constructors and layers
// ---------------------------------------------------------------------------

/**
 * Where attempts are sent. `client` builds the base `HttpClient` from the validated configuration. When
 * `boundsAttempts` is `true` the base must bound each attempt itself: fail with `TransportError`
 * (`reason: "Timeout"`) when headers and body are not complete within `config.timeout`, fail with
 * `UnexpectedResponse` (aborting the request) once the body passes `config.maxResponseBytes`, answer responses whose
 * body is already read, and never follow a redirect. The pipeline then adds none of that (its timer is a race that
 * forks two fibers per attempt). `UndiciHttpClient.transport` (from `effect-make/node`) is the Node one.
 *
 * @since 0.1.0
 * @category models
 */
export interface Transport<R = never> {
  readonly client: (config: MakeConfig.Resolved) => Effect.Effect<HttpClient.HttpClient.With<AttemptError>, never, R>
  readonly boundsAttempts: boolean
}

/**
 * The `HttpClient` in context, bounded by the pipeline (timeout, size cap, `redirect: "manual"` for fetch): what
 * {@link make} and {@link layer} use.
 *
 * @since 0.1.0
 * @category constructors
 */
export const transportFromContext: Transport<HttpClient.HttpClient> = {
  client: () => HttpClient.HttpClient,
  boundsAttempts: false
}

/**
 * Builds the client from a validated configuration over the given transport.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeWith = <R>(
  transport: Transport<R>,
  options?: { readonly transformClient?: TransformClient | undefined }
): Effect.Effect<Service, never, MakeConfig.MakeConfig | Scope.Scope | R> =>
  Effect.gen(function*() {
    const config = yield* MakeConfig.MakeConfig
    const limiterFor = config.requestsPerMinute === undefined
      ? undefined
      : yield* RateLimit.makeKeyed(config.requestsPerMinute)
    const httpClient = pipeline(yield* transport.client(config), config, {
      transformClient: options?.transformClient,
      limiterFor,
      boundedByBase: transport.boundsAttempts
    })
    const api = CompiledClient.make(httpClient)
    const call: Service["call"] = (site, effect) =>
      CallScope.run(CallScope.site(site), Failures.withUnlistedHeaders, effect, (error) =>
        Failures.toMakeError(error, config.token))
    const ignore = (body: string) =>
      body.length === 0
        ? Effect.void
        : Effect.logDebug(
          "effect-make: ignored the body of a void call",
          ErrorText.excerptOf(body, Redact.forToken(config.token))
        )
    return { config, httpClient, api, call, ignore }
  })

/**
 * Builds the client from a validated configuration and the ambient `HttpClient`; the pipeline applies the timeout.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options?: { readonly transformClient?: TransformClient | undefined }): Effect.Effect<
  Service,
  never,
  MakeConfig.MakeConfig | HttpClient.HttpClient | Scope.Scope
> => makeWith(transportFromContext, options)

/**
 * Options of {@link layer}: the configuration plus the `transformClient` hook.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options extends MakeConfig.Options {
  readonly transformClient?: TransformClient | undefined
}

/**
 * The client from values, over the `HttpClient` the caller provides (undici in production, the emulator in tests).
 *
 * @example
 * ```ts
 * import { NodeHttpClient } from "@effect/platform-node"
 * import { Layer, Redacted } from "effect"
 * import { MakeClient } from "effect-make"
 *
 * const ClientLive = MakeClient.layer({ token: Redacted.make("…"), zone: "eu1.make.com" }).pipe(
 *   Layer.provide(NodeHttpClient.layerUndici)
 * )
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options): Layer.Layer<MakeClient, MakeError.InvalidInput, HttpClient.HttpClient> =>
  layerWith(transportFromContext, options)

/**
 * The client from `Config` (by default `MAKE_API_TOKEN`, `MAKE_ZONE`, `MAKE_BASE_URL`, `MAKE_TIMEOUT`).
 *
 * @example
 * ```ts
 * import { FetchHttpClient } from "@effect/platform"
 * import { Layer } from "effect"
 * import { MakeClient } from "effect-make"
 *
 * const ClientLive = MakeClient.layerConfig().pipe(Layer.provide(FetchHttpClient.layer))
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig = (
  config?: Parameters<typeof MakeConfig.layerConfig>[0],
  options?: { readonly transformClient?: TransformClient | undefined }
): Layer.Layer<MakeClient, ConfigError | MakeError.InvalidInput, HttpClient.HttpClient> =>
  layerConfigWith(transportFromContext, config, options)

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
 * @since 0.1.0
 * @category layers
 */
export const layerWith = <R>(
  transport: Transport<R>,
  options: Options
): Layer.Layer<MakeClient, MakeError.InvalidInput, Exclude<R, Scope.Scope>> =>
  Layer.scoped(MakeClient, makeWith(transport, options)).pipe(Layer.provide(MakeConfig.layer(options)))

/**
 * {@link layerConfig} over the given transport.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfigWith = <R>(
  transport: Transport<R>,
  config?: Parameters<typeof MakeConfig.layerConfig>[0],
  options?: { readonly transformClient?: TransformClient | undefined }
): Layer.Layer<MakeClient, ConfigError | MakeError.InvalidInput, Exclude<R, Scope.Scope>> =>
  Layer.scoped(MakeClient, makeWith(transport, options)).pipe(Layer.provide(MakeConfig.layerConfig(config)))

/**
 * A method's argument check, made once: validates against the schema's type side (a DateTime, not its ISO string;
 * refinements included) and fails with `InvalidInput` naming every wrong place, before anything is sent. Whatever the
 * schema, every string in the arguments (in arrays and plain objects, keys included) must be well-formed UTF-16: a
 * lone surrogate (`"\ud800"`) would be sent as U+FFFD, so it is refused too, and so are arguments nested more than
 * 128 levels deep.
 *
 * @example
 * ```ts
 * import { Effect, Schema } from "effect"
 * import { MakeClient } from "effect-make"
 *
 * const checkLimit = MakeClient.validator("Teams.setLimit", Schema.Int.pipe(Schema.positive()))
 * const exit = Effect.runSyncExit(checkLimit(-1))
 * assert.strictEqual(exit._tag, "Failure")
 * ```
 *
 * @since 0.1.0
 * @category validation
 */
export const validator = <A, I>(
  operation: string,
  schema: Schema.Schema<A, I>
): (input: unknown) => Either.Either<A, MakeError.InvalidInput> => {
  // Compiled once (`Schema.validate` derives the type side of the schema each time it is called), and in one pass:
  // a valid argument, the usual case, is checked by the compiled walk; only a wrong one goes through ParseResult,
  // with every issue listed. The answer is an `Either`, which is also an `Effect`: checked at once, no fiber step.
  const valid = Decoder.walk(Schema.typeSchema(schema))
  const check = Schema.validateEither(schema, { errors: "all" })
  const invalid = (issues: ReadonlyArray<string>) => Either.left(new MakeError.InvalidInput({ operation, issues }))
  const checked = (input: unknown): Either.Either<A, MakeError.InvalidInput> => {
    const walked = valid(input)
    return walked._tag === "Some"
      ? Either.right(walked.value)
      : Either.mapLeft(check(input), (error) => MakeError.invalidInput(operation, error))
  }
  return (input) => {
    // First, as the schema's checks are not safe on a value nested thousands deep (ParseResult reads a union's key
    // with `String`, which recurses through arrays), nor is the JSON of a body that holds one.
    if (!Limits.isShallow(input)) return invalid([Limits.tooDeepArgument])
    const result = checked(input)
    // Every string of the arguments, wherever the schema puts it (a path, the query, a body): one with a lone
    // surrogate would reach Make as U+FFFD, another text than the one given, so it is refused like any bad argument.
    if (Either.isLeft(result) || Limits.isWellFormed(input)) return result
    return invalid(Limits.illFormedStrings(input).map(Limits.describeIllFormed))
  }
}

/**
 * Validates a method's arguments against its schema's type side: `InvalidInput` before anything is sent. For a check
 * made on every call, {@link validator} compiles it once.
 *
 * @since 0.1.0
 * @category validation
 */
export const validate = <A, I>(operation: string, schema: Schema.Schema<A, I>, input: unknown) =>
  validator(operation, schema)(input)
