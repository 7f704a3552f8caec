/**
 * What the client talks to and how: the API token (always Redacted), the zone or base URL, the per-request timeout,
 * the retry policy and the client-side rate limit.
 *
 * @since 1.0.0
 */
// Floor 2: imports `effect`, MakeError, domain/ and internal/valueLimits (floor 1).
import { Config, Context, Duration, Effect, Layer, Option, Redacted } from "effect"
import type { License } from "./domain/Organization.js"
import { illFormedAt } from "./internal/valueLimits.js"
import { InvalidInput } from "./MakeError.js"

/**
 * What a user configures. Give a `zone` (`eu1.make.com`) or a full `baseUrl` (`https://eu1.make.com/api/v2`, a
 * White Label host, or a local emulator); `baseUrl` wins when both are set.
 *
 * @since 1.0.0
 * @category models
 */
export interface Options {
  /**
   * The API token of a Make user (a UUID, 36 characters; at most {@link maxTokenLength} are accepted). Sent only as
   * `Authorization: Token …` to the configured host.
   */
  readonly token: Redacted.Redacted<string>
  /** A Make zone host such as `eu1.make.com`, `us2.make.com`, or a White Label host. */
  readonly zone?: string | undefined
  /** A full base URL; `https` except for loopback hosts (`localhost`, `127.0.0.0/8`, `[::1]`). */
  readonly baseUrl?: string | undefined
  /**
   * How long one attempt may take, from sending the request to the last byte of the response body, before it is
   * aborted and fails with `TransportError` (`reason: "Timeout"`) (default 30 seconds). The wait for a rate-limit
   * permit and the pauses between retries are not part of it.
   */
  readonly timeout?: Duration.Input | undefined
  /**
   * The largest response body the client reads, in bytes (default {@link defaultMaxResponseBytes}, 16 MiB; at most
   * {@link maxMaxResponseBytes}, 256 MiB). It is enforced while reading: a `Content-Length` above it, or a body that
   * grows past it, aborts the request and fails the call with `UnexpectedResponse` (never retried).
   */
  readonly maxResponseBytes?: number | undefined
  /**
   * Whether to follow redirects (default `false`: a 3xx fails the call with `UnexpectedResponse` naming its
   * `Location`). `true` follows up to 5 in a row, a number up to that many. The token is only ever sent to the
   * configured origin: a redirect elsewhere is followed without it.
   */
  readonly followRedirects?: boolean | number | undefined
  /** When and how often to send a request again (default {@link defaultRetry}); `"off"` sends each request once. */
  readonly retry?: RetryOptions | "off" | undefined
  /**
   * A client-side limit matching Make's per-organization limit (requests per minute), shared by every service of the
   * client: requests wait for a permit instead of meeting 429s, and no 60 seconds ever hold more than the limit. Off by
   * default; see {@link rateLimitFromLicense}.
   */
  readonly rateLimit?: RateLimitOptions | undefined
}

/**
 * The retry policy. Only idempotent calls (GET, PATCH, DELETE) are retried on 429, 502, 503, 504 and transport
 * failures; a POST only when Make provably did not process it (429, connection refused).
 *
 * @since 1.0.0
 * @category models
 */
export interface RetryOptions {
  /** How many times a request may be sent in all, the first time included (default 4; 1 means no retry). */
  readonly maxAttempts?: number | undefined
  /** The first wait; each next one doubles (default 500 ms). */
  readonly baseDelay?: Duration.Input | undefined
  /** The longest single wait (default 30 s). A `Retry-After` longer than this is not waited for: the call fails. */
  readonly maxDelay?: Duration.Input | undefined
  /** Each wait is the backoff times a random factor in `[1 - jitter, 1 + jitter]` (default 0.2). */
  readonly jitter?: number | undefined
}

/**
 * The client-side rate limit.
 *
 * @since 1.0.0
 * @category models
 */
export interface RateLimitOptions {
  /** Requests that may start in any 60 seconds, per organization (Make: Core 60, Pro 120, Teams 240, Enterprise 1000). */
  readonly requestsPerMinute: number
}

/**
 * The retry policy, resolved.
 *
 * @since 1.0.0
 * @category models
 */
export interface RetryPolicy {
  readonly maxAttempts: number
  readonly baseDelay: Duration.Duration
  readonly maxDelay: Duration.Duration
  readonly jitter: number
}

/**
 * Validated configuration, as the client pipeline reads it.
 *
 * @since 1.0.0
 * @category models
 */
export interface Resolved {
  readonly token: Redacted.Redacted<string>
  /** Normalised base URL without a trailing slash, e.g. `https://eu1.make.com/api/v2`. */
  readonly baseUrl: string
  /** The only origin requests may go to, e.g. `https://eu1.make.com`. */
  readonly origin: string
  readonly timeout: Duration.Duration
  /** The largest response body read, in bytes. */
  readonly maxResponseBytes: number
  /** How many redirects in a row are followed; 0 (the default) follows none. */
  readonly maxRedirects: number
  readonly retry: RetryPolicy
  /** Requests per minute and organization, when the client limits itself. */
  readonly requestsPerMinute: number | undefined
}

/**
 * The validated configuration of one client.
 *
 * @since 1.0.0
 * @category tags
 */
export class MakeConfig extends Context.Service<MakeConfig, Resolved>()("effect-make/MakeConfig") {}

/**
 * The default retry policy: up to 4 sends, waits of about 0.5 s, 1 s, 2 s (±20 %), never more than 30 s.
 *
 * @since 1.0.0
 * @category constants
 */
export const defaultRetry: RetryPolicy = {
  maxAttempts: 4,
  baseDelay: Duration.millis(500),
  maxDelay: Duration.seconds(30),
  jitter: 0.2
}

/**
 * Make's own limit for an organization, from its licence (`license.apiLimit`), as a client-side rate limit.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { MakeApi, MakeConfig, Organizations } from "effect-make"
 *
 * // read the licence once, then build the client that keeps under its limit
 * const limitOf = (id: number) =>
 *   Effect.map(Effect.flatMap(Organizations.Organizations, (orgs) => orgs.get(id)), (org) =>
 *     MakeConfig.rateLimitFromLicense(org.license))
 * ```
 *
 * @since 1.0.0
 * @category constructors
 */
export const rateLimitFromLicense = (license: License | undefined): RateLimitOptions | undefined =>
  license?.apiLimit === undefined || license.apiLimit <= 0 ? undefined : { requestsPerMinute: license.apiLimit }

const positiveDuration = (name: string, input: Duration.Input | undefined, fallback: Duration.Duration) => {
  // `fromInput` answers None for what is no duration at all ("soon", NaN); Effect 3's `decode` threw there
  const duration = Duration.fromInput(input ?? fallback)
  return Option.isSome(duration) && Duration.isFinite(duration.value) &&
      Duration.isGreaterThan(duration.value, Duration.zero)
    ? Effect.succeed(duration.value)
    : Effect.fail(invalid(`${name} must be a positive, finite duration`))
}

const resolveRetry = (options: RetryOptions | "off" | undefined): Effect.Effect<RetryPolicy, InvalidInput> =>
  Effect.gen(function*() {
    if (options === "off") return { ...defaultRetry, maxAttempts: 1 }
    const maxAttempts = options?.maxAttempts ?? defaultRetry.maxAttempts
    if (!Number.isInteger(maxAttempts) || maxAttempts < 1 || maxAttempts > 20) {
      return yield* invalid("retry.maxAttempts must be an integer from 1 to 20")
    }
    const jitter = options?.jitter ?? defaultRetry.jitter
    if (!(jitter >= 0 && jitter <= 1)) return yield* invalid("retry.jitter must be between 0 and 1")
    return {
      maxAttempts,
      baseDelay: yield* positiveDuration("retry.baseDelay", options?.baseDelay, defaultRetry.baseDelay),
      maxDelay: yield* positiveDuration("retry.maxDelay", options?.maxDelay, defaultRetry.maxDelay),
      jitter
    }
  })

/**
 * Default per-request timeout.
 *
 * @since 1.0.0
 * @category constants
 */
export const defaultTimeout: Duration.Duration = Duration.seconds(30)

/**
 * Default cap on a response body: 16 MiB. Make's answers are paged JSON documents of a few KB; this leaves room for
 * large pages while keeping a hostile or broken answer from filling the heap.
 *
 * @since 1.0.0
 * @category constants
 */
export const defaultMaxResponseBytes = 16 * 1024 * 1024

/**
 * The largest `maxResponseBytes` accepted: 256 MiB. A body must stay below V8's longest string (about 512 Mi
 * characters) to be decoded as text at all; beyond it the decoder itself throws.
 *
 * @since 1.0.0
 * @category constants
 */
export const maxMaxResponseBytes = 256 * 1024 * 1024

/** How many redirects `followRedirects: true` follows in a row: fetch's own limit is 20, five is plenty for an API. */
const defaultMaxRedirects = 5

const resolveMaxResponseBytes = (input: number | undefined): Effect.Effect<number, InvalidInput> => {
  const bytes = input ?? defaultMaxResponseBytes
  return Number.isInteger(bytes) && bytes > 0 && bytes <= maxMaxResponseBytes
    ? Effect.succeed(bytes)
    : Effect.fail(invalid(`maxResponseBytes must be an integer from 1 to ${maxMaxResponseBytes} (256 MiB)`))
}

const resolveMaxRedirects = (input: boolean | number | undefined): Effect.Effect<number, InvalidInput> => {
  const count = input === true ? defaultMaxRedirects : input === false || input === undefined ? 0 : input
  return Number.isInteger(count) && count >= 0 && count <= 20
    ? Effect.succeed(count)
    : Effect.fail(invalid("followRedirects must be a boolean or an integer from 0 to 20"))
}

const hostLabel = "[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
const hostPattern = new RegExp(`^(?=.{1,253}$)${hostLabel}(?:\\.${hostLabel})*$`, "i")

const isLoopback = (hostname: string): boolean =>
  hostname === "localhost" || hostname === "[::1]" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname)

const invalid = (issue: string) => new InvalidInput({ operation: "MakeConfig", issues: [issue] })

/**
 * Checks a zone: a bare host name in ASCII letters, digits and hyphens, nothing else (no scheme, path, port or
 * credentials; no lone surrogate, which a URL would carry as U+FFFD).
 *
 * @since 1.0.0
 * @category validation
 */
export const baseUrlFromZone = (zone: string): Effect.Effect<string, InvalidInput> =>
  hostPattern.test(zone)
    ? Effect.succeed(`https://${zone.toLowerCase()}/api/v2`)
    : Effect.fail(invalid(`zone ${JSON.stringify(zone)} is not a host name such as "eu1.make.com"`))

/**
 * Checks a base URL: well-formed Unicode, absolute, `https` (plain `http` only to loopback), no credentials, query or
 * fragment.
 *
 * @since 1.0.0
 * @category validation
 */
export const normaliseBaseUrl = (baseUrl: string): Effect.Effect<string, InvalidInput> => {
  const lone = illFormedAt(baseUrl)
  if (lone !== undefined) {
    // a URL would carry U+FFFD in its place: another address than the one given
    return Effect.fail(invalid(`baseUrl is not well-formed Unicode: a lone surrogate at position ${lone + 1}`))
  }
  if (!URL.canParse(baseUrl)) {
    return Effect.fail(invalid(`baseUrl ${JSON.stringify(baseUrl)} is not an absolute URL`))
  }
  const url = new URL(baseUrl)
  if (url.protocol !== "https:" && !(url.protocol === "http:" && isLoopback(url.hostname))) {
    return Effect.fail(invalid(`baseUrl must use https (plain http is allowed only to loopback), got ${url.protocol}`))
  }
  if (url.username !== "" || url.password !== "") {
    return Effect.fail(invalid("baseUrl must not carry credentials; the token goes in `token`"))
  }
  if (url.search !== "" || url.hash !== "") {
    return Effect.fail(invalid("baseUrl must not have a query or a fragment"))
  }
  return Effect.succeed(`${url.origin}${url.pathname.replace(/\/+$/, "")}`)
}

/**
 * The longest token accepted: 256 characters. Make's API tokens are UUIDs (36 characters); anything much longer is
 * not a token but a paste gone wrong (a whole file, a header with its name), refused when the layer is built rather
 * than sent with every request.
 *
 * @since 1.0.0
 * @category constants
 */
export const maxTokenLength = 256

/**
 * What is wrong with a token, in words that never repeat it (nor its length): empty, too long, whitespace, or a
 * control character (C0, DEL, C1), which no HTTP header may carry (every call would fail as a `TransportError`) and
 * which the client's scrubbing of the token from error texts treats as a separator.
 */
const checkToken = (token: string): string | undefined => {
  if (token.trim().length === 0) return "token is empty; set it to the API token of a Make user"
  if (token.length > maxTokenLength) {
    return `token is longer than ${maxTokenLength} characters; a Make API token has 36 (copy the token alone)`
  }
  const control = /[\u0000-\u001f\u007f-\u009f]/.exec(token)
  if (control !== null) {
    const code = control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")
    return `token contains a control character (U+${code} at position ${control.index + 1}); copy the token again`
  }
  if (/\s/.test(token)) return "token contains whitespace; an API token has none (copy it again, without spaces)"
  return undefined
}

/**
 * Validates options into a {@link Resolved} configuration.
 *
 * @example
 * ```ts
 * import { Effect, Redacted } from "effect"
 * import { MakeConfig } from "effect-make"
 *
 * const config = Effect.runSync(MakeConfig.make({ token: Redacted.make("0b1c…"), zone: "eu1.make.com" }))
 * assert.strictEqual(config.baseUrl, "https://eu1.make.com/api/v2")
 * ```
 *
 * @since 1.0.0
 * @category constructors
 */
export const make = (options: Options): Effect.Effect<Resolved, InvalidInput> =>
  Effect.gen(function*() {
    const tokenProblem = checkToken(Redacted.value(options.token))
    if (tokenProblem !== undefined) return yield* invalid(tokenProblem)
    const baseUrl = options.baseUrl !== undefined
      ? yield* normaliseBaseUrl(options.baseUrl)
      : options.zone !== undefined
      ? yield* baseUrlFromZone(options.zone)
      : yield* invalid("set a zone (e.g. \"eu1.make.com\") or a baseUrl")
    const timeout = yield* positiveDuration("timeout", options.timeout, defaultTimeout)
    const retry = yield* resolveRetry(options.retry)
    const maxResponseBytes = yield* resolveMaxResponseBytes(options.maxResponseBytes)
    const maxRedirects = yield* resolveMaxRedirects(options.followRedirects)
    const requestsPerMinute = options.rateLimit?.requestsPerMinute
    if (requestsPerMinute !== undefined && !(Number.isInteger(requestsPerMinute) && requestsPerMinute > 0)) {
      return yield* invalid("rateLimit.requestsPerMinute must be a positive integer")
    }
    return {
      token: options.token,
      baseUrl,
      origin: new URL(baseUrl).origin,
      timeout,
      maxResponseBytes,
      maxRedirects,
      retry,
      requestsPerMinute
    }
  })

/**
 * A configuration layer from values.
 *
 * @since 1.0.0
 * @category layers
 */
export const layer = (options: Options): Layer.Layer<MakeConfig, InvalidInput> =>
  Layer.effect(MakeConfig, make(options))

/** An optional setting: absent is `undefined`, as in {@link Options}. */
const optional = <A>(config: Config.Config<A>): Config.Config<A | undefined> =>
  Config.map(Config.option(config), Option.getOrUndefined)

/** `retry` from `MAKE_RETRY_MAX_ATTEMPTS` (1 turns retries off), `_BASE_DELAY`, `_MAX_DELAY` and `_JITTER`. */
const retryConfig: Config.Config<RetryOptions> = Config.all({
  maxAttempts: optional(Config.Int("MAKE_RETRY_MAX_ATTEMPTS")),
  baseDelay: optional(Config.Duration("MAKE_RETRY_BASE_DELAY")),
  maxDelay: optional(Config.Duration("MAKE_RETRY_MAX_DELAY")),
  jitter: optional(Config.Number("MAKE_RETRY_JITTER"))
})

/**
 * One `Config` per option, by the option's name. The mapped type makes the compiler ask for a line here whenever an
 * option is added to {@link Options}, so every option can be set from the environment.
 */
const fields: { readonly [K in keyof Options]-?: Config.Config<Options[K]> } = {
  // MAKE_API_KEY is the name Make's own SDK (@makehq/sdk) reads the same token from; MAKE_API_TOKEN wins when both are set
  // When neither is there, the error is MAKE_API_TOKEN's, the name this library documents, not the fallback's: it is
  // read once more rather than re-raised with `Config.fail`, which would turn a missing token into an invalid one, so
  // that `Config.option`/`withDefault` over these options still see it as absent (NodeMakeApi.layerConfigOrEmulator).
  token: Config.orElse(
    Config.Redacted("MAKE_API_TOKEN"),
    () => Config.orElse(Config.Redacted("MAKE_API_KEY"), () => Config.Redacted("MAKE_API_TOKEN"))
  ),
  zone: optional(Config.String("MAKE_ZONE")),
  baseUrl: optional(Config.String("MAKE_BASE_URL")),
  timeout: optional(Config.Duration("MAKE_TIMEOUT")),
  maxResponseBytes: optional(Config.Int("MAKE_MAX_RESPONSE_BYTES")),
  // `true`/`false`, or how many redirects in a row
  followRedirects: optional(
    Config.orElse(Config.Boolean("MAKE_FOLLOW_REDIRECTS"), () => Config.Int("MAKE_FOLLOW_REDIRECTS"))
  ),
  retry: retryConfig,
  rateLimit: optional(Config.map(Config.Int("MAKE_RATE_LIMIT_PER_MINUTE"), (requestsPerMinute) => ({
    requestsPerMinute
  })))
}

/**
 * Reads options from `Config`, each setting under its own name:
 *
 * | option | name | example |
 * | --- | --- | --- |
 * | `token` (redacted) | `MAKE_API_TOKEN` (else `MAKE_API_KEY`) | `0b1c…` |
 * | `zone` | `MAKE_ZONE` | `eu1.make.com` |
 * | `baseUrl` (wins over the zone) | `MAKE_BASE_URL` | `https://eu1.make.com/api/v2` |
 * | `timeout` | `MAKE_TIMEOUT` | `10 seconds` |
 * | `maxResponseBytes` | `MAKE_MAX_RESPONSE_BYTES` | `16777216` |
 * | `followRedirects` (`true`, `false` or a count) | `MAKE_FOLLOW_REDIRECTS` | `false` |
 * | `retry.maxAttempts` (1: no retry) | `MAKE_RETRY_MAX_ATTEMPTS` | `6` |
 * | `retry.baseDelay` / `retry.maxDelay` | `MAKE_RETRY_BASE_DELAY` / `MAKE_RETRY_MAX_DELAY` | `1 second` / `1 minute` |
 * | `retry.jitter` | `MAKE_RETRY_JITTER` | `0.1` |
 * | `rateLimit.requestsPerMinute` | `MAKE_RATE_LIMIT_PER_MINUTE` | `240` |
 *
 * Only the token is required. Under a prefix ({@link layerConfig}'s `prefix`, or `Config.nested(options, prefix)`)
 * each name is read below it: with the environment, `TENANT_A_MAKE_API_TOKEN`.
 *
 * @since 1.0.0
 * @category config
 */
export const options: Config.Config<Options> = Config.all(fields)

/**
 * Where {@link layerConfig} reads its options: a `Config` of your own, or {@link options} under a prefix.
 *
 * @since 1.0.0
 * @category config
 */
export type ConfigSource = Config.Config<Options> | {
  /** Reads {@link options} below this name (`Config.nested`): `TENANT_A` reads `TENANT_A_MAKE_API_TOKEN`, … */
  readonly prefix: string
}

/**
 * {@link options}, or the `Config` a {@link ConfigSource} names.
 *
 * @since 1.0.0
 * @category config
 */
export const fromSource = (source: ConfigSource = options): Config.Config<Options> =>
  Config.isConfig(source) ? source : Config.nested(options, source.prefix)

/**
 * A configuration layer from `Config` (the environment by default), optionally under a prefix, so that one app can
 * hold clients of several tenants, each configured by its own variables.
 *
 * @example
 * ```ts
 * import { MakeConfig } from "effect-make"
 *
 * // MAKE_API_TOKEN=… MAKE_ZONE=eu1.make.com
 * const ConfigLive = MakeConfig.layerConfig()
 * // TENANT_A_MAKE_API_TOKEN=… TENANT_A_MAKE_ZONE=us1.make.com TENANT_A_MAKE_RETRY_MAX_ATTEMPTS=6
 * const TenantA = MakeConfig.layerConfig({ prefix: "TENANT_A" })
 * ```
 *
 * @since 1.0.0
 * @category layers
 */
export const layerConfig = (
  source?: ConfigSource
): Layer.Layer<MakeConfig, Config.ConfigError | InvalidInput> =>
  Layer.effect(MakeConfig, Effect.flatMap(fromSource(source), make))
