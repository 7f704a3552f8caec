// What the client talks to: the API token (always Redacted), the zone or base URL, and the per-request timeout.
// Floor 2: imports `effect` and MakeError.
/**
 * @since 0.1.0
 */
import { Config, Context, Duration, Effect, Layer, Option, Redacted } from "effect"
import type { ConfigError } from "effect/ConfigError"
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
}

/**
 * The validated configuration of one client.
 *
 * @since 0.1.0
 * @category tags
 */
export class MakeConfig extends Context.Tag("effect-make/MakeConfig")<MakeConfig, Resolved>() {}

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
    const token = Redacted.value(options.token)
    if (token.length === 0 || /\s/.test(token)) {
      return yield* invalid("token must be a non-empty API token without whitespace")
    }
    const baseUrl = options.baseUrl !== undefined
      ? yield* normaliseBaseUrl(options.baseUrl)
      : options.zone !== undefined
      ? yield* baseUrlFromZone(options.zone)
      : yield* invalid("set a zone (e.g. \"eu1.make.com\") or a baseUrl")
    const timeout = Duration.decode(options.timeout ?? defaultTimeout)
    if (!Duration.isFinite(timeout) || Duration.lessThanOrEqualTo(timeout, Duration.zero)) {
      return yield* invalid("timeout must be a positive, finite duration")
    }
    return { token: options.token, baseUrl, origin: new URL(baseUrl).origin, timeout }
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
