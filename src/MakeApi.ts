/**
 * The layer that provides every service over one MakeClient, over any HttpClient: platform-neutral (the Node-ready
 * variants live in `effect-make/node`).
 *
 * @since 1.0.0
 */
// Floor 4 with the services: imports the services and MakeClient, never a Node module.
import { Layer } from "effect"
import type { Config } from "effect"
import type { HttpClient } from "effect/http"
import * as AdminTeams from "./AdminTeams.js"
import * as Billing from "./Billing.js"
import * as FeatureControls from "./FeatureControls.js"
import * as Invitations from "./Invitations.js"
import * as MakeClient from "./MakeClient.js"
import type * as MakeConfig from "./MakeConfig.js"
import type { InvalidInput } from "./MakeError.js"
import type * as Operation from "./Operation.js"
import * as Organizations from "./Organizations.js"
import * as OrganizationVariables from "./OrganizationVariables.js"
import * as Usage from "./Usage.js"

/**
 * Every service the library offers.
 *
 * @since 1.0.0
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
 * Every service's table of methods, by the name its service binds it under (`Make.<service>.<method>` spans): the
 * one list of the 30 methods that what is derived from all of them (the agent tools, the property tests) reads.
 *
 * @example
 * ```ts
 * import { MakeApi } from "effect-make"
 *
 * Object.values(MakeApi.methods).flatMap((table) => Object.keys(table)).length // 30
 * ```
 *
 * @since 1.0.0
 * @category methods
 */
export const methods: Readonly<Record<string, Readonly<Record<string, Operation.Any>>>> = {
  Organizations: Organizations.methods,
  Invitations: Invitations.methods,
  Billing: Billing.methods,
  OrganizationVariables: OrganizationVariables.methods,
  Usage: Usage.methods,
  FeatureControls: FeatureControls.methods,
  AdminTeams: AdminTeams.methods
}

/**
 * Every service, over a {@link MakeClient.MakeClient} the caller provides.
 *
 * @example
 * ```ts
 * import { Layer, Redacted } from "effect"
 * import { MakeApi, MakeClient } from "effect-make"
 * import { UndiciHttpClient } from "effect-make/node"
 *
 * const MakeLive = MakeApi.services.pipe(
 *   Layer.provideMerge(MakeClient.layerWith(UndiciHttpClient.transport(), { token: Redacted.make("…") }))
 * )
 * ```
 *
 * @since 1.0.0
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
 * import { Layer, Redacted } from "effect"
 * import { FetchHttpClient } from "effect/http"
 * import { MakeApi } from "effect-make"
 *
 * const MakeLive = MakeApi.layer({ token: Redacted.make("…"), zone: "eu1.make.com" }).pipe(
 *   Layer.provide(FetchHttpClient.layer)
 * )
 * ```
 *
 * @since 1.0.0
 * @category layers
 */
export const layer = (
  options: MakeConfig.Options
): Layer.Layer<Services | MakeClient.MakeClient, InvalidInput, HttpClient.HttpClient> =>
  services.pipe(Layer.provideMerge(MakeClient.layer(options)))

/**
 * Every service and the client from `Config`, over the `HttpClient` the caller provides.
 *
 * @example
 * ```ts
 * import { Layer } from "effect"
 * import { FetchHttpClient } from "effect/http"
 * import { MakeApi } from "effect-make"
 *
 * const MakeLive = MakeApi.layerConfig({ prefix: "TENANT_A" }).pipe(Layer.provide(FetchHttpClient.layer))
 * ```
 *
 * @since 1.0.0
 * @category layers
 */
export const layerConfig = (
  source?: MakeConfig.ConfigSource
): Layer.Layer<Services | MakeClient.MakeClient, Config.ConfigError | InvalidInput, HttpClient.HttpClient> =>
  services.pipe(Layer.provideMerge(MakeClient.layerConfig(source)))
