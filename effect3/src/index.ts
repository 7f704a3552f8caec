/**
 * effect-make: the Effect-native client for the Make API (Organizations and White Label Admin Teams). Every module is
 * re-exported as a namespace, as in @effect/platform: `Organizations.Organizations` is the tag.
 *
 * @since 0.1.0
 */

/**
 * The White Label Admin > Teams service: an organization's teams, listed, streamed, created, updated and deleted.
 *
 * @since 0.1.0
 * @category services
 */
export * as AdminTeams from "./AdminTeams.js"

/**
 * The Billing service: payments, single payments, the subscription and coupons.
 *
 * @since 0.1.0
 * @category services
 */
export * as Billing from "./Billing.js"

/**
 * The FeatureControls service: an organization's feature switches, listed and flipped.
 *
 * @since 0.1.0
 * @category services
 */
export * as FeatureControls from "./FeatureControls.js"

/**
 * The Invitations service: invite a user to an organization, read an invitation by its hash, accept it.
 *
 * @since 0.1.0
 * @category services
 */
export * as Invitations from "./Invitations.js"

/**
 * The Organizations service: list, stream, get, create, update and delete organizations, their custom apps and the
 * team-permission check.
 *
 * @since 0.1.0
 * @category services
 */
export * as Organizations from "./Organizations.js"

/**
 * The OrganizationVariables service: an organization's typed custom variables and their history.
 *
 * @since 0.1.0
 * @category services
 */
export * as OrganizationVariables from "./OrganizationVariables.js"

/**
 * The Usage service: an organization's daily usage over the past 30 days.
 *
 * @since 0.1.0
 * @category services
 */
export * as Usage from "./Usage.js"

/**
 * The layer that provides every service over one `MakeClient`, over any `HttpClient` (platform-neutral).
 *
 * @since 0.1.0
 * @category client
 */
export * as MakeApi from "./MakeApi.js"

/**
 * The one pipeline every call goes through: the configured `HttpClient` and the client derived from the contract.
 *
 * @since 0.1.0
 * @category client
 */
export * as MakeClient from "./MakeClient.js"

/**
 * What the client talks to and how: the token (always `Redacted`), zone or base URL, timeout, retries, rate limit.
 *
 * @since 0.1.0
 * @category client
 */
export * as MakeConfig from "./MakeConfig.js"

/**
 * Every error effect-make can fail with, and Make's wire error body.
 *
 * @since 0.1.0
 * @category client
 */
export * as MakeError from "./MakeError.js"

/**
 * Paging options, the `pg` echo, and a `Stream` that walks every page.
 *
 * @since 0.1.0
 * @category client
 */
export * as Pagination from "./Pagination.js"

/**
 * `decommission`: an organization's teams, then the organization, as a durable workflow.
 *
 * @since 0.1.0
 * @category workflows
 */
export * as Decommission from "./workflows/Decommission.js"

/**
 * `plan`: what `provision` would do, read from Make without writing anything.
 *
 * @since 0.1.0
 * @category workflows
 */
export * as Plan from "./workflows/Plan.js"

/**
 * Progress of provisioning runs as typed events, read as a `Stream`.
 *
 * @since 0.1.0
 * @category workflows
 */
export * as Progress from "./workflows/Progress.js"

/**
 * `provision`: an organization with its teams, variables, invitations and feature controls, as a durable workflow.
 *
 * @since 0.1.0
 * @category workflows
 */
export * as Provision from "./workflows/Provision.js"

/**
 * How a provisioning run behaves: licence gaps, failures, concurrency, attempts, rate limit.
 *
 * @since 0.1.0
 * @category workflows
 */
export * as ProvisionOptions from "./workflows/ProvisionOptions.js"

/**
 * What the workflows answer, and the errors a run fails with.
 *
 * @since 0.1.0
 * @category workflows
 */
export * as ProvisionResult from "./workflows/ProvisionResult.js"

/**
 * What `provision` makes true, as a Schema decodable from JSON or YAML.
 *
 * @since 0.1.0
 * @category workflows
 */
export * as ProvisionSpec from "./workflows/ProvisionSpec.js"

/**
 * The workflows as layers, with the embedded in-memory engine. The durable PostgreSQL engine is in
 * `effect-make/workflows/durable`, so that importing `effect-make` never loads `pg`.
 *
 * @since 0.1.0
 * @category workflows
 */
export * as Workflows from "./workflows/Workflows.js"

/**
 * Schemas of billing: payments, single payments, the subscription, coupons.
 *
 * @since 0.1.0
 * @category domain
 */
export * as BillingSchema from "./domain/Billing.js"

/**
 * Small shared schemas: ids, names, and numbers Make sometimes sends as strings.
 *
 * @since 0.1.0
 * @category domain
 */
export * as Common from "./domain/Common.js"

/**
 * Make's enumerations organizations refer to by id: countries, timezones, regions.
 *
 * @since 0.1.0
 * @category domain
 */
export * as Enums from "./domain/Enums.js"

/**
 * The feature control schema and its request body.
 *
 * @since 0.1.0
 * @category domain
 */
export * as FeatureControl from "./domain/FeatureControl.js"

/**
 * The invitation schema and the invite body.
 *
 * @since 0.1.0
 * @category domain
 */
export * as Invitation from "./domain/Invitation.js"

/**
 * The Organization entity, its licence, and the request bodies of the Organizations endpoints.
 *
 * @since 0.1.0
 * @category domain
 */
export * as Organization from "./domain/Organization.js"

/**
 * Typed custom organization variables and their history.
 *
 * @since 0.1.0
 * @category domain
 */
export * as OrganizationVariable from "./domain/OrganizationVariable.js"

/**
 * The Team entity and the request bodies of White Label Admin > Teams.
 *
 * @since 0.1.0
 * @category domain
 */
export * as Team from "./domain/Team.js"

/**
 * One day of an organization's usage.
 *
 * @since 0.1.0
 * @category domain
 */
export * as UsageDay from "./domain/Usage.js"

/**
 * The contract: the one declaration of the 30 endpoints, for OpenAPI or a server of your own with `HttpApiBuilder`.
 * Its groups, wire errors and envelopes are reached through it rather than exported one by one.
 *
 * @since 0.1.0
 * @category contract
 */
export * as MakeHttpApi from "./api/MakeHttpApi.js"
