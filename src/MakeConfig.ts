// What the client talks to and how: the API token (always Redacted), the zone or base URL, the per-request timeout,
// the retry policy and the client-side rate limit. Floor 2: imports `effect`, MakeError and domain/.
/**
 * @since 0.1.0
 */
import { Config, Context, Duration, Effect, Layer, Option, Redacted } from "effect"
import type { ConfigError } from "effect/ConfigError"
import type { License } from "./domain/Organization.js"
import { InvalidInput } from "./MakeError.js"

/**
 * What a user configures. Give a `zone` (`eu1.make.com`) or a full `baseUrl` (`https://eu1.make.com/api/v2`, a
 * White Label host, or a local emulator); `baseUrl` wins when both are set.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** The API token of a Make user (a UUID). Sent only as `Authorization: Token …` to the configured host. */
  readonly token: Redacted.Redacted<string>
  /** A Make zone host such as `eu1.make.com`, `us2.make.com`, or a White Label host. */
  readonly zone?: string | undefined
  /** A full base URL; `https` except for loopback hosts (`localhost`, `127.0.0.0/8`, `[::1]`). */
  readonly baseUrl?: string | undefined
  /** How long one HTTP request may take before it fails with `TransportError` (default 30 seconds). */
  readonly timeout?: Duration.DurationInput | undefined
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
 * @since 0.1.0
 * @category models
 */
export interface RetryOptions {
  /** How many times a request may be sent in all, the first time included (default 4; 1 means no retry). */
  readonly maxAttempts?: number | undefined
  /** The first wait; each next one doubles (default 500 ms). */
  readonly baseDelay?: Duration.DurationInput | undefined
  /** The longest single wait (default 30 s). A `Retry-After` longer than this is not waited for: the call fails. */
  readonly maxDelay?: Duration.DurationInput | undefined
  /** Each wait is the backoff times a random factor in `[1 - jitter, 1 + jitter]` (default 0.2). */
  readonly jitter?: number | undefined
}

/**
 * The client-side rate limit.
 *
 * @since 0.1.0
 * @category models
 */
export interface RateLimitOptions {
  /** Requests that may start in any 60 seconds, per organization (Make: Core 60, Pro 120, Teams 240, Enterprise 1000). */
  readonly requestsPerMinute: number
}

/**
 * The retry policy, resolved.
 *
 * @since 0.1.0
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
 * @since 0.1.0
 * @category models
 */
export interface Resolved {
  readonly token: Redacted.Redacted<string>
  /** Normalised base URL without a trailing slash, e.g. `https://eu1.make.com/api/v2`. */
  readonly baseUrl: string
  /** The only origin requests may go to, e.g. `https://eu1.make.com`. */
  readonly origin: string
  readonly timeout: Duration.Duration
  readonly retry: RetryPolicy
  /** Requests per minute and organization, when the client limits itself. */
  readonly requestsPerMinute: number | undefined
}

/**
 * The validated configuration of one client.
 *
 * @since 0.1.0
 * @category tags
 */
export class MakeConfig extends Context.Tag("effect-make/MakeConfig")<MakeConfig, Resolved>() {}

/**
 * The default retry policy: up to 4 sends, waits of about 0.5 s, 1 s, 2 s (±20 %), never more than 30 s.
 *
 * @since 0.1.0
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
 * @since 0.1.0
 * @category constructors
 */
export const rateLimitFromLicense = (license: License | undefined): RateLimitOptions | undefined =>
  license?.apiLimit === undefined || license.apiLimit <= 0 ? undefined : { requestsPerMinute: license.apiLimit }

const positiveDuration = (name: string, input: Duration.DurationInput | undefined, fallback: Duration.Duration) => {
  const duration = Duration.decode(input ?? fallback)
  return Duration.isFinite(duration) && Duration.greaterThan(duration, Duration.zero)
    ? Effect.succeed(duration)
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
 * @since 0.1.0
 * @category constants
 */
export const defaultTimeout: Duration.Duration = Duration.seconds(30)

const hostLabel = "[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
const hostPattern = new RegExp(`^(?=.{1,253}$)${hostLabel}(?:\\.${hostLabel})*$`, "i")

const isLoopback = (hostname: string): boolean =>
  hostname === "localhost" || hostname === "[::1]" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname)

const invalid = (issue: string) => new InvalidInput({ operation: "MakeConfig", issues: [issue] })

/**
 * Checks a zone: a bare host name, nothing else (no scheme, path, port or credentials).
 *
 * @since 0.1.0
 * @category validation
 */
export const baseUrlFromZone = (zone: string): Effect.Effect<string, InvalidInput> =>
  hostPattern.test(zone)
    ? Effect.succeed(`https://${zone.toLowerCase()}/api/v2`)
    : Effect.fail(invalid(`zone ${JSON.stringify(zone)} is not a host name such as "eu1.make.com"`))

/**
 * Checks a base URL: absolute, `https` (plain `http` only to loopback), no credentials, query or fragment.
 *
 * @since 0.1.0
 * @category validation
 */
export const normaliseBaseUrl = (baseUrl: string): Effect.Effect<string, InvalidInput> => {
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
 * What is wrong with a token, in words that never repeat it: empty, whitespace, or a control character (C0, DEL, C1),
 * which no HTTP header may carry (every call would fail as a `TransportError`) and which the client's scrubbing of
 * the token from error texts treats as a separator.
 */
const checkToken = (token: string): string | undefined => {
  if (token.trim().length === 0) return "token is empty; set it to the API token of a Make user"
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
 * const config = MakeConfig.make({ token: Redacted.make("0b1c…"), zone: "eu1.make.com" })
 * // Effect<Resolved, InvalidInput>: baseUrl "https://eu1.make.com/api/v2"
 * ```
 *
 * @since 0.1.0
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
    const requestsPerMinute = options.rateLimit?.requestsPerMinute
    if (requestsPerMinute !== undefined && !(Number.isInteger(requestsPerMinute) && requestsPerMinute > 0)) {
      return yield* invalid("rateLimit.requestsPerMinute must be a positive integer")
    }
    return { token: options.token, baseUrl, origin: new URL(baseUrl).origin, timeout, retry, requestsPerMinute }
  })

/**
 * A configuration layer from values.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options): Layer.Layer<MakeConfig, InvalidInput> =>
  Layer.effect(MakeConfig, make(options))

/**
 * Reads options from `Config`: by default `MAKE_API_TOKEN` (redacted), `MAKE_ZONE`, `MAKE_BASE_URL` (optional, wins
 * over the zone) and `MAKE_TIMEOUT` (optional, e.g. `10 seconds`).
 *
 * @since 0.1.0
 * @category config
 */
export const options: Config.Config<Options> = Config.all({
  token: Config.redacted("MAKE_API_TOKEN"),
  zone: Config.option(Config.string("MAKE_ZONE")).pipe(Config.map(Option.getOrUndefined)),
  baseUrl: Config.option(Config.string("MAKE_BASE_URL")).pipe(Config.map(Option.getOrUndefined)),
  timeout: Config.option(Config.duration("MAKE_TIMEOUT")).pipe(Config.map(Option.getOrUndefined))
})

/**
 * A configuration layer from `Config` (the environment by default).
 *
 * @example
 * ```ts
 * import { MakeConfig } from "effect-make"
 *
 * // MAKE_API_TOKEN=… MAKE_ZONE=eu1.make.com
 * const ConfigLive = MakeConfig.layerConfig()
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig = (
  config: Config.Config<Options> = options
): Layer.Layer<MakeConfig, ConfigError | InvalidInput> => Layer.effect(MakeConfig, Effect.flatMap(config, make))
