/**
 * Ready for Node: every service over effect-make's undici transport, from values or from the environment.
 *
 * @since 0.1.0
 */
// Floor 5, the `effect-make/node` entry: imports MakeApi, MakeClient and the undici transport.
import type * as Undici from "@effect/platform-node/Undici"
import { Layer } from "effect"
import type { ConfigError } from "effect/ConfigError"
import * as MakeApi from "../MakeApi.js"
import * as MakeClient from "../MakeClient.js"
import type { InvalidInput } from "../MakeError.js"
import * as UndiciHttpClient from "./UndiciHttpClient.js"

/**
 * Options of {@link layer}: the client's options plus undici's `Agent` options (connections, keep-alive, ...).
 *
 * @since 0.1.0
 * @category models
 */
export interface Options extends MakeClient.Options {
  readonly agent?: Undici.Agent.Options | undefined
}

/**
 * Every service over effect-make's undici transport (keep-alive connection pool, each attempt bounded by the transport),
 * configured from values.
 *
 * @example
 * ```ts
 * import { Effect, Redacted } from "effect"
 * import { Organizations } from "effect-make"
 * import { NodeMakeApi } from "effect-make/node"
 *
 * const program = Effect.flatMap(Organizations.Organizations, (orgs) => orgs.get(11)).pipe(
 *   Effect.provide(
 *     NodeMakeApi.layer({ token: Redacted.make("…"), zone: "eu1.make.com", agent: { connections: 16 } })
 *   )
 * )
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options): Layer.Layer<MakeApi.Services | MakeClient.MakeClient, InvalidInput> =>
  MakeApi.services.pipe(Layer.provideMerge(MakeClient.layerWith(UndiciHttpClient.transport(options.agent), options)))

/**
 * Every service over undici, configured from the environment (`MAKE_API_TOKEN`, `MAKE_ZONE`, `MAKE_BASE_URL`,
 * `MAKE_TIMEOUT`).
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
 * @since 0.1.0
 * @category layers
 */
export const layerConfig = (
  config?: Parameters<typeof MakeClient.layerConfig>[0],
  options?: Parameters<typeof MakeClient.layerConfig>[1] & { readonly agent?: Undici.Agent.Options | undefined }
): Layer.Layer<MakeApi.Services | MakeClient.MakeClient, ConfigError | InvalidInput> =>
  MakeApi.services.pipe(
    Layer.provideMerge(MakeClient.layerConfigWith(UndiciHttpClient.transport(options?.agent), config, options))
  )
