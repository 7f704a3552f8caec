// effect-make: the Effect-native client for the Make API (Organizations and White Label Admin Teams).
// Every module is re-exported as a namespace, as in @effect/platform: `Organizations.Organizations` is the tag.
/**
 * @since 0.1.0
 */

// Services
/** @since 0.1.0 */
export * as AdminTeams from "./AdminTeams.js"
/** @since 0.1.0 */
export * as Billing from "./Billing.js"
/** @since 0.1.0 */
export * as FeatureControls from "./FeatureControls.js"
/** @since 0.1.0 */
export * as Invitations from "./Invitations.js"
/** @since 0.1.0 */
export * as Organizations from "./Organizations.js"
/** @since 0.1.0 */
export * as OrganizationVariables from "./OrganizationVariables.js"
/** @since 0.1.0 */
export * as Usage from "./Usage.js"

// Client, configuration, errors, paging
/** @since 0.1.0 */
export * as MakeApi from "./MakeApi.js"
/** @since 0.1.0 */
export * as MakeClient from "./MakeClient.js"
/** @since 0.1.0 */
export * as MakeConfig from "./MakeConfig.js"
/** @since 0.1.0 */
export * as MakeError from "./MakeError.js"
/** @since 0.1.0 */
export * as Pagination from "./Pagination.js"
/** @since 0.1.0 */

// Workflows (floor 5; the durable PostgreSQL engine is src/workflows/DurableEngine.ts, kept out of this entry so
// importing effect-make never loads `pg`)
/** @since 0.1.0 */
export * as Decommission from "./workflows/Decommission.js"
/** @since 0.1.0 */
export * as Plan from "./workflows/Plan.js"
/** @since 0.1.0 */
export * as Progress from "./workflows/Progress.js"
/** @since 0.1.0 */
export * as Provision from "./workflows/Provision.js"
/** @since 0.1.0 */
export * as ProvisionOptions from "./workflows/ProvisionOptions.js"
/** @since 0.1.0 */
export * as ProvisionResult from "./workflows/ProvisionResult.js"
/** @since 0.1.0 */
export * as ProvisionSpec from "./workflows/ProvisionSpec.js"
/** @since 0.1.0 */
export * as Workflows from "./workflows/Workflows.js"

// Domain schemas
/** @since 0.1.0 */
export * as BillingSchema from "./domain/Billing.js"
/** @since 0.1.0 */
export * as Common from "./domain/Common.js"
/** @since 0.1.0 */
export * as Enums from "./domain/Enums.js"
/** @since 0.1.0 */
export * as FeatureControl from "./domain/FeatureControl.js"
/** @since 0.1.0 */
export * as Invitation from "./domain/Invitation.js"
/** @since 0.1.0 */
export * as Organization from "./domain/Organization.js"
/** @since 0.1.0 */
export * as OrganizationVariable from "./domain/OrganizationVariable.js"
/** @since 0.1.0 */
export * as Team from "./domain/Team.js"
/** @since 0.1.0 */
export * as UsageDay from "./domain/Usage.js"

// The contract: the one declaration of the 30 endpoints (for OpenAPI, or a server of your own with HttpApiBuilder).
// Its groups, wire errors and envelopes are reached through it rather than exported one by one.
/** @since 0.1.0 */
export * as MakeHttpApi from "./api/MakeHttpApi.js"
