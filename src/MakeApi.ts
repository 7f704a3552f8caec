// The layer that provides every service over one MakeClient, and a Node-ready variant (undici + env config).
// Floor 5: imports the services, MakeClient and the Node transport (UndiciHttpClient).
/**
 * @since 0.1.0
 */
import type { HttpClient } from "@effect/platform"
import type * as Undici from "@effect/platform-node/Undici"
import { Layer } from "effect"
import type { ConfigError } from "effect/ConfigError"
import * as AdminTeams from "./AdminTeams.js"
import * as Billing from "./Billing.js"
import * as FeatureControls from "./FeatureControls.js"
import * as Invitations from "./Invitations.js"
import * as MakeClient from "./MakeClient.js"
import type { InvalidInput } from "./MakeError.js"
import * as Organizations from "./Organizations.js"
import * as OrganizationVariables from "./OrganizationVariables.js"
import * as UndiciHttpClient from "./UndiciHttpClient.js"
import * as Usage from "./Usage.js"

/**
 * Every service the library offers.
 *
 * @since 0.1.0
 * @category models
 */
export type Services =
  | Organizations.Organizations
  | Invitations.Invitations
  | Billing.Billing
  | OrganizationVariables.OrganizationVariables
  | Usage.Usage
  | FeatureControls.FeatureControls
  | AdminTeams.AdminTeams

/**
 * Every service, over a {@link MakeClient.MakeClient} the caller provides.
 *
 * @since 0.1.0
 * @category layers
 */
export const services: Layer.Layer<Services, never, MakeClient.MakeClient> = Layer.mergeAll(
  Organizations.layer,
  Invitations.layer,
  Billing.layer,
  OrganizationVariables.layer,
  Usage.layer,
  FeatureControls.layer,
  AdminTeams.layer
)

/**
 * Every service and the client from values, over the `HttpClient` the caller provides.
 *
 * @example
 * ```ts
 * import { FetchHttpClient } from "@effect/platform"
 * import { Layer, Redacted } from "effect"
 * import { MakeApi } from "effect-make"
 *
 * const MakeLive = MakeApi.layer({ token: Redacted.make("…"), zone: "eu1.make.com" }).pipe(
 *   Layer.provide(FetchHttpClient.layer)
 * )
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (
  options: MakeClient.Options
): Layer.Layer<Services | MakeClient.MakeClient, InvalidInput, HttpClient.HttpClient> =>
  services.pipe(Layer.provideMerge(MakeClient.layer(options)))

/**
 * Every service and the client from `Config`, over the `HttpClient` the caller provides.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig = (
  ...args: Parameters<typeof MakeClient.layerConfig>
): Layer.Layer<Services | MakeClient.MakeClient, ConfigError | InvalidInput, HttpClient.HttpClient> =>
  services.pipe(Layer.provideMerge(MakeClient.layerConfig(...args)))

/**
 * Ready for Node: every service over effect-make's undici transport (keep-alive connection pool, timeouts enforced by
 * undici), configured from values.
 *
 * @example
 * ```ts
 * import { Effect, Redacted } from "effect"
 * import { MakeApi, Organizations } from "effect-make"
 *
 * const program = Effect.flatMap(Organizations.Organizations, (orgs) => orgs.get(11)).pipe(
 *   Effect.provide(
 *     MakeApi.layerNode({ token: Redacted.make("…"), zone: "eu1.make.com", agent: { connections: 16 } })
 *   )
 * )
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layerNode = (
  options: MakeClient.Options & { readonly agent?: Undici.Agent.Options | undefined }
): Layer.Layer<Services | MakeClient.MakeClient, InvalidInput> =>
  services.pipe(Layer.provideMerge(MakeClient.layerWith(UndiciHttpClient.transport(options.agent), options)))

/**
 * Ready for Node: every service over undici, configured from the environment (`MAKE_API_TOKEN`, `MAKE_ZONE`,
 * `MAKE_BASE_URL`, `MAKE_TIMEOUT`).
 *
 * @example
 * ```ts
 * import { NodeRuntime } from "@effect/platform-node"
 * import { Effect } from "effect"
 * import { MakeApi, Organizations } from "effect-make"
 *
 * Effect.gen(function*() {
 *   const orgs = yield* Organizations.Organizations
 *   yield* Effect.log(yield* orgs.list())
 * }).pipe(Effect.provide(MakeApi.layerNodeConfig()), NodeRuntime.runMain)
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layerNodeConfig = (
  config?: Parameters<typeof MakeClient.layerConfig>[0],
  options?: Parameters<typeof MakeClient.layerConfig>[1] & { readonly agent?: Undici.Agent.Options | undefined }
): Layer.Layer<Services | MakeClient.MakeClient, ConfigError | InvalidInput> =>
  services.pipe(
    Layer.provideMerge(MakeClient.layerConfigWith(UndiciHttpClient.transport(options?.agent), config, options))
  )
