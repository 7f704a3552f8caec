// effect-make: the Effect-native client for the Make API (Organizations and White Label Admin Teams).
// Every module is re-exported as a namespace, as in @effect/platform: `Organizations.Organizations` is the tag.
/**
 * @since 0.1.0
 */

/** @since 0.1.0 */
export * as AdminTeams from "./AdminTeams.js"
/** @since 0.1.0 */
export * as AdminTeamsApi from "./api/AdminTeamsApi.js"
/** @since 0.1.0 */
export * as ApiErrors from "./api/Errors.js"
/** @since 0.1.0 */
export * as Common from "./domain/Common.js"
/** @since 0.1.0 */
export * as MakeApi from "./MakeApi.js"
/** @since 0.1.0 */
export * as MakeClient from "./MakeClient.js"
/** @since 0.1.0 */
export * as MakeConfig from "./MakeConfig.js"
/** @since 0.1.0 */
export * as MakeError from "./MakeError.js"
/** @since 0.1.0 */
export * as MakeHttpApi from "./api/MakeHttpApi.js"
/** @since 0.1.0 */
export * as Organization from "./domain/Organization.js"
/** @since 0.1.0 */
export * as Organizations from "./Organizations.js"
/** @since 0.1.0 */
export * as OrganizationsApi from "./api/OrganizationsApi.js"
/** @since 0.1.0 */
export * as Pagination from "./Pagination.js"
/** @since 0.1.0 */
export * as Security from "./api/Security.js"
/** @since 0.1.0 */
export * as Team from "./domain/Team.js"
