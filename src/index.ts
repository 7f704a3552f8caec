/**
 * effect-make: the Effect-native client for the Make API. Every module is re-exported as a namespace, as in
 * `effect/http`: `Organizations.Organizations` is the tag.
 *
 * @since 1.0.0
 */
// effect-make, the package's main entry: every platform-neutral module of src/, re-exported as a namespace.
// Floor "the main entry": may import every src/ module except node/ and testing/ (no Node module, no emulator).

/**
 * The White Label Admin Teams service: list, stream, create, update and delete teams of any organization.
 *
 * @since 1.0.0
 * @category services
 */
export * as AdminTeams from "./AdminTeams.js"

/**
 * The Billing service: payments, subscriptions, the free plan and coupons of an organization.
 *
 * @since 1.0.0
 * @category services
 */
export * as Billing from "./Billing.js"

/**
 * The Feature Controls service: the features an organization's licence turns on.
 *
 * @since 1.0.0
 * @category services
 */
export * as FeatureControls from "./FeatureControls.js"

/**
 * The Invitations service: invite users to an organization, read and answer invitations.
 *
 * @since 1.0.0
 * @category services
 */
export * as Invitations from "./Invitations.js"

/**
 * The Organizations service: list, stream, get, create, update and delete organizations, their custom apps and the
 * team-permission check.
 *
 * @since 1.0.0
 * @category services
 */
export * as Organizations from "./Organizations.js"

/**
 * The Organization Variables service: an organization's custom variables and their history (a licence feature).
 *
 * @since 1.0.0
 * @category services
 */
export * as OrganizationVariables from "./OrganizationVariables.js"

/**
 * The Usage service: an organization's daily operations and data transfer.
 *
 * @since 1.0.0
 * @category services
 */
export * as Usage from "./Usage.js"

/**
 * The layer that provides every service over one `MakeClient`, over any `HttpClient` (platform-neutral).
 *
 * @since 1.0.0
 * @category client
 */
export * as MakeApi from "./MakeApi.js"

/**
 * The one pipeline every call goes through: auth for the configured origin only, bounds, rate limit, redirects,
 * retries, and the typed errors.
 *
 * @since 1.0.0
 * @category client
 */
export * as MakeClient from "./MakeClient.js"

/**
 * What the client talks to and how: the token (always `Redacted`), zone or base URL, timeout, retries, rate limit.
 *
 * @since 1.0.0
 * @category client
 */
export * as MakeConfig from "./MakeConfig.js"

/**
 * Every error effect-make can fail with, and Make's wire error body.
 *
 * @since 1.0.0
 * @category client
 */
export * as MakeError from "./MakeError.js"

/**
 * Paging options, the `pg` echo, and a `Stream` that walks every page.
 *
 * @since 1.0.0
 * @category client
 */
export * as Pagination from "./Pagination.js"

/**
 * Where a client's attempts are sent: any `HttpClient`, or a transport that bounds each attempt itself (the undici
 * one of `effect-make/node`).
 *
 * @since 1.0.0
 * @category client
 */
export * as Transport from "./Transport.js"

/**
 * One service method per contract endpoint, said once: how a service of your own over the client is written.
 *
 * @since 1.0.0
 * @category client
 */
export * as Operation from "./Operation.js"

/**
 * Mock layers of the services, for tests of code that uses them: no client, no emulator, no network.
 *
 * @since 1.0.0
 * @category testing
 */
export * as Mock from "./Mock.js"

/**
 * Schemas of billing: payments, single payments, the subscription, coupons.
 *
 * @since 1.0.0
 * @category domain
 */
export * as BillingSchema from "./domain/Billing.js"

/**
 * Small shared schemas: ids, names, and numbers Make sometimes sends as strings.
 *
 * @since 1.0.0
 * @category domain
 */
export * as Common from "./domain/Common.js"

/**
 * Make's enumerations organizations refer to by id: countries, timezones, regions.
 *
 * @since 1.0.0
 * @category domain
 */
export * as Enums from "./domain/Enums.js"

/**
 * The feature control schema and its request body.
 *
 * @since 1.0.0
 * @category domain
 */
export * as FeatureControl from "./domain/FeatureControl.js"

/**
 * The invitation schema and the invite body.
 *
 * @since 1.0.0
 * @category domain
 */
export * as Invitation from "./domain/Invitation.js"

/**
 * The Organization entity, its licence, and the request bodies of the Organizations endpoints.
 *
 * @since 1.0.0
 * @category domain
 */
export * as Organization from "./domain/Organization.js"

/**
 * Typed custom organization variables and their history.
 *
 * @since 1.0.0
 * @category domain
 */
export * as OrganizationVariable from "./domain/OrganizationVariable.js"

/**
 * The Team entity and the request bodies of White Label Admin > Teams.
 *
 * @since 1.0.0
 * @category domain
 */
export * as Team from "./domain/Team.js"

/**
 * One day of an organization's usage.
 *
 * @since 1.0.0
 * @category domain
 */
export * as UsageDay from "./domain/Usage.js"

/**
 * The contract: the one declaration of the 30 endpoints, for OpenAPI or a server of your own with `HttpApiBuilder`.
 * Its groups, wire errors and envelopes are reached through it rather than exported one by one.
 *
 * @since 1.0.0
 * @category contract
 */
export * as MakeHttpApi from "./api/MakeHttpApi.js"

/**
 * `decommission`: an organization's teams, then the organization, as a workflow.
 *
 * @since 1.0.0
 * @category workflows
 */
export * as Decommission from "./workflows/Decommission.js"

/**
 * `provisionAll`: a fleet of provisioning specs converged, each its own `provision` run, a few at once; and the
 * fleet read from files and folders of specs.
 *
 * @since 1.0.0
 * @category workflows
 */
export * as Fleet from "./workflows/Fleet.js"

/**
 * What `provisionAll` answers: one line per spec and a summary, as a Schema.
 *
 * @since 1.0.0
 * @category workflows
 */
export * as FleetResult from "./workflows/FleetResult.js"

/**
 * `plan`: what `provision` would do, read from Make without writing anything.
 *
 * @since 1.0.0
 * @category workflows
 */
export * as Plan from "./workflows/Plan.js"

/**
 * Progress of provisioning runs as typed events, read as a `Stream`.
 *
 * @since 1.0.0
 * @category workflows
 */
export * as Progress from "./workflows/Progress.js"

/**
 * `provision`: an organization with its teams, variables, invitations and feature controls, as a workflow.
 *
 * @since 1.0.0
 * @category workflows
 */
export * as Provision from "./workflows/Provision.js"

/**
 * How a provisioning run behaves: licence gaps, failures, concurrency, attempts, rate limit.
 *
 * @since 1.0.0
 * @category workflows
 */
export * as ProvisionOptions from "./workflows/ProvisionOptions.js"

/**
 * What the workflows answer, and the errors a run fails with.
 *
 * @since 1.0.0
 * @category workflows
 */
export * as ProvisionResult from "./workflows/ProvisionResult.js"

/**
 * What `provision` makes true, as a Schema decodable from JSON or YAML.
 *
 * @since 1.0.0
 * @category workflows
 */
export * as ProvisionSpec from "./workflows/ProvisionSpec.js"

/**
 * The workflows as layers, with the embedded in-memory engine (`effect/workflow`).
 *
 * @since 1.0.0
 * @category workflows
 */
export * as Workflows from "./workflows/Workflows.js"
