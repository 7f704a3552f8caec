/**
 * Ready for Node: every service over effect-make's undici transport, from values or from the environment.
 *
 * @since 1.0.0
 */
// Every service over effect-make's undici transport, from values or from Config, and the emulator fallback.
// Floor "the Node layers": MakeApi, MakeClient, MakeConfig and node/; testing/Emulator only through a dynamic import.
import type * as Undici from "@effect/platform-node/Undici"
import { Config, Duration, Effect, Layer, Option, Schema } from "effect"
import * as MakeApi from "../MakeApi.js"
import * as MakeClient from "../MakeClient.js"
import * as MakeConfig from "../MakeConfig.js"
import type { InvalidInput } from "../MakeError.js"
import type * as Emulator from "../testing/Emulator.js"
import * as UndiciHttpClient from "./UndiciHttpClient.js"

/**
 * Options of {@link layer}: the client's options plus undici's `Agent` options (connections, keep-alive, ...).
 *
 * @since 1.0.0
 * @category models
 */
export interface Options extends MakeConfig.Options {
  readonly agent?: Undici.Agent.Options | undefined
}

/**
 * Every service over effect-make's undici transport (keep-alive connection pool, each attempt bounded by the
 * transport), configured from values. The services are `MakeApi.services`: every service the library offers.
 *
 * @example
 * ```ts
 * import { Effect, Redacted } from "effect"
 * import { Organizations } from "effect-make"
 * import { NodeMakeApi } from "effect-make/node"
 *
 * const program = Effect.flatMap(Effect.service(Organizations.Organizations), (orgs) => orgs.get(11)).pipe(
 *   Effect.provide(
 *     NodeMakeApi.layer({ token: Redacted.make("…"), zone: "eu1.make.com", agent: { connections: 16 } })
 *   )
 * )
 * ```
 *
 * @since 1.0.0
 * @category layers
 */
export const layer = (options: Options): Layer.Layer<MakeApi.Services | MakeClient.MakeClient, InvalidInput> =>
  MakeApi.services.pipe(Layer.provideMerge(MakeClient.layerWith(UndiciHttpClient.transport(options.agent), options)))

/**
 * Options of {@link layerConfig} given in code: undici's `Agent` options, which win over the environment's.
 *
 * @since 1.0.0
 * @category models
 */
export interface ConfigOptions {
  readonly agent?: Undici.Agent.Options | undefined
}

/**
 * Every service over undici, configured from the environment (`MAKE_API_TOKEN`, `MAKE_ZONE`, `MAKE_BASE_URL`,
 * `MAKE_TIMEOUT`, ... as `MakeConfig.options` reads them, plus {@link agentOptions}), under a `{ prefix }` if given.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Organizations } from "effect-make"
 * import { NodeMakeApi } from "effect-make/node"
 *
 * // with MAKE_API_TOKEN=… and MAKE_ZONE=eu1.make.com in the environment
 * export const main = Effect.gen(function*() {
 *   const orgs = yield* Organizations.Organizations
 *   yield* Effect.log(yield* orgs.list())
 * }).pipe(Effect.provide(NodeMakeApi.layerConfig()))
 * // the entry point runs it: NodeRuntime.runMain(main), NodeRuntime from @effect/platform-node
 * ```
 *
 * @since 1.0.0
 * @category layers
 */
export const layerConfig = (
  config?: MakeConfig.ConfigSource,
  options?: ConfigOptions
): Layer.Layer<MakeApi.Services | MakeClient.MakeClient, Config.ConfigError | InvalidInput> =>
  Layer.unwrap(Effect.map(
    // the agent's settings are read where the client's are: under the same prefix; a Config of the caller's has none
    config === undefined || Config.isConfig(config) ? agentOptions : Config.nested(agentOptions, config.prefix),
    // values given in code win over the environment's
    (fromConfig) =>
      MakeApi.services.pipe(Layer.provideMerge(
        MakeClient.layerConfigWith(UndiciHttpClient.transport({ ...fromConfig, ...options?.agent }), config)
      ))
  ))

/**
 * The line {@link layerConfigOrEmulator} logs when it falls back: it names the variables to set (under the prefix,
 * if any) and never any value.
 */
const emulatorNotice = (config: MakeConfig.ConfigSource | undefined): string => {
  const name = config === undefined
    ? "MAKE_API_TOKEN"
    : Config.isConfig(config)
    ? undefined
    : `${config.prefix}_MAKE_API_TOKEN`
  return `${
    name === undefined ? "No Make API token is configured" : `${name} is not set`
  }: using the embedded Make emulator (in memory; nothing is sent to Make).`
}

/**
 * Options of {@link layerConfigOrEmulator}: {@link layerConfig}'s, plus the emulator's when there is no token.
 *
 * @since 1.0.0
 * @category models
 */
export interface OrEmulatorOptions extends ConfigOptions {
  readonly emulator?: Emulator.Options | undefined
}

/**
 * Real Make when a token is configured, else the embedded emulator: what a first run, an example or a demo wants.
 *
 * With a token (`MAKE_API_TOKEN`, or `MAKE_API_KEY`; under `{ prefix }`, the prefixed names) this is
 * {@link layerConfig}: the same settings, read the same way. Without one it builds every service over the in-memory
 * emulator of `effect-make/testing` (no socket, no network; its defaults unless `emulator` says otherwise) and logs
 * one warning that says so, naming the variable to set; the emulator's module is loaded only then. A setting that
 * is present but malformed (`MAKE_TIMEOUT=soon`) still fails with its `ConfigError`, token or not, rather than
 * silently picking the emulator.
 *
 * Use {@link layerConfig} where running without Make must be an error (a deployed service): there a missing token
 * fails the layer instead of quietly serving emulated data.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Organizations } from "effect-make"
 * import { NodeMakeApi } from "effect-make/node"
 *
 * // with MAKE_API_TOKEN=… and MAKE_ZONE=eu1.make.com: real Make; with no token: the embedded emulator
 * export const main = Effect.flatMap(Effect.service(Organizations.Organizations), (orgs) => orgs.list()).pipe(
 *   Effect.provide(NodeMakeApi.layerConfigOrEmulator())
 * )
 * ```
 *
 * @since 1.0.0
 * @category layers
 */
export const layerConfigOrEmulator = (
  config?: MakeConfig.ConfigSource,
  options?: OrEmulatorOptions
): Layer.Layer<MakeApi.Services | MakeClient.MakeClient, Config.ConfigError | InvalidInput> =>
  Layer.unwrap(Effect.gen(function*() {
    // Here rather than in effect-make/testing: this is the layer a program ships with (the Quick start's), and the
    // emulator stays out of its module graph until a run without a token needs it.
    // `Config.option` answers None only when data is missing (a malformed value still fails), and the token is the
    // one required setting.
    const configured = yield* Config.option(MakeConfig.fromSource(config))
    if (Option.isSome(configured)) return layerConfig(config, options)
    yield* Effect.logWarning(emulatorNotice(config))
    const emulator = yield* Effect.promise(() => import("../testing/Emulator.js"))
    return MakeApi.layer({
      token: options?.emulator?.token ?? emulator.defaultToken,
      baseUrl: emulator.baseUrl
    }).pipe(Layer.provide(emulator.layerTest(options?.emulator)))
  }))

/** A pool of connections per origin: undici throws on a size below 1, so it is refused as a ConfigError here. */
const PoolSize = Schema.Int.check(Schema.isGreaterThan(0))

/**
 * The undici `Agent` options {@link layerConfig} reads, each optional, under the same prefix as the client's own:
 * `MAKE_AGENT_CONNECTIONS` (connections per origin, the pool size) and `MAKE_AGENT_KEEP_ALIVE_TIMEOUT` (how long an
 * idle connection is kept, e.g. `30 seconds`).
 *
 * @example
 * ```ts
 * import { ConfigProvider, Effect } from "effect"
 * import { NodeMakeApi } from "effect-make/node"
 *
 * const agent = Effect.runSync(
 *   NodeMakeApi.agentOptions.parse(ConfigProvider.fromEnv({ env: { MAKE_AGENT_CONNECTIONS: "16" } }))
 * )
 * console.log(agent) // { connections: 16 }
 * ```
 *
 * @since 1.0.0
 * @category config
 */
export const agentOptions: Config.Config<Undici.Agent.Options> = Config.map(
  Config.all({
    connections: Config.option(Config.schema(PoolSize, "MAKE_AGENT_CONNECTIONS")),
    keepAliveTimeout: Config.option(Config.Duration("MAKE_AGENT_KEEP_ALIVE_TIMEOUT"))
  }),
  ({ connections, keepAliveTimeout }) => ({
    ...Option.match(connections, { onNone: () => ({}), onSome: (value) => ({ connections: value }) }),
    ...Option.match(keepAliveTimeout, {
      onNone: () => ({}),
      onSome: (value) => ({ keepAliveTimeout: Duration.toMillis(value) })
    })
  })
)
