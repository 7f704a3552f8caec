/**
 * The layer that provides every service over one MakeClient, over any HttpClient: platform-neutral (the Node-ready
 * variants live in node/NodeMakeApi.ts).
 *
 * @since 0.1.0
 */
// Floor 5: imports the services and MakeClient, never a Node module.
import type { HttpClient } from "@effect/platform"
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
