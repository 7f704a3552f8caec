// Make's error answers as the emulator gives them: 401, the 404s of each resource, 406 IM004, the 400s (validation
// with suberrors, conflicts). Imports MakeError and testing/ (records).
/**
 * @since 1.0.0
 * @internal
 */
import * as MakeError from "../../MakeError.js"
import type { OrganizationRecord } from "./Records.js"

/**
 * 401, as Make answers a missing or wrong token.
 *
 * @since 1.0.0
 * @category errors
 */
export const unauthorized = (): MakeError.Unauthorized =>
  new MakeError.Unauthorized({ status: 401, detail: "Invalid credentials.", title: "Access denied", code: "SC401" })

/**
 * 404 for an organization that does not exist (or that the token cannot see).
 *
 * @since 1.0.0
 * @category errors
 */
export const organizationNotFound = (id: number): MakeError.NotFound =>
  new MakeError.NotFound({
    status: 404,
    detail: "Organization not found.",
    title: "Not found",
    code: "SC404",
    resource: "organization",
    id
  })

/**
 * 404 for an organization created moments ago that the zone has not synchronised yet (Make's advice: `wait=true`).
 *
 * @since 1.0.0
 * @category errors
 */
export const organizationNotSynchronised = (id: number): MakeError.NotFound =>
  new MakeError.NotFound({
    status: 404,
    detail: "Organization not found. It may not be synchronized with this zone yet; retry with wait=true.",
    title: "Not found",
    code: "SC404",
    resource: "organization",
    id
  })

/**
 * 404 for a team that does not exist or is deleted.
 *
 * @since 1.0.0
 * @category errors
 */
export const teamNotFound = (id: number): MakeError.NotFound =>
  new MakeError.NotFound({
    status: 404,
    detail: "Team not found.",
    title: "Not found",
    code: "SC404",
    resource: "team",
    id
  })

/**
 * 406 / `IM004`: deleting an organization with active scenarios needs `confirmed=true`.
 *
 * @since 1.0.0
 * @category errors
 */
export const deletionNotConfirmed = (org: OrganizationRecord): MakeError.NotConfirmed =>
  new MakeError.NotConfirmed({
    status: 406,
    detail: `The organization has ${org.activeScenarios} active scenario(s). Set confirmed=true to delete it anyway.`,
    title: "Confirmation required",
    code: "IM004",
    resource: "organization",
    id: org.id
  })

/**
 * 400 / `IM015` with one suberror per problem, as Make answers a request that fails validation.
 *
 * @since 1.0.0
 * @category errors
 */
export const invalidRequest = (problems: ReadonlyArray<string>): MakeError.InvalidRequest =>
  new MakeError.InvalidRequest({
    status: 400,
    detail: `Validation failed for ${problems.length} parameter(s).`,
    title: "Bad request",
    code: "IM015",
    suberrors: problems.map((message) => ({ message }))
  })

/**
 * Make's bare 404 (`{"detail":"Not found.","message":"Not found","code":"SC404"}`), as the organization variable
 * calls answer a missing organization, a licence without `customVariables` and a missing variable alike: the API
 * does not tell them apart, so neither does the emulator (telling them apart is the client's job).
 *
 * @since 1.0.0
 * @category errors
 */
export const bareNotFound = (): MakeError.NotFound =>
  new MakeError.NotFound({ status: 404, detail: "Not found.", title: "Not found", code: "SC404" })

/**
 * 404 for an invitation hash that is unknown or already accepted.
 *
 * @since 1.0.0
 * @category errors
 */
export const invitationNotFound = (hash: string): MakeError.NotFound =>
  new MakeError.NotFound({
    status: 404,
    detail: "Invitation not found.",
    title: "Not found",
    code: "SC404",
    resource: "invitation",
    id: hash
  })

/**
 * 404 for an organization without a current subscription (none, or cancelled).
 *
 * @since 1.0.0
 * @category errors
 */
export const noActiveSubscription = (organizationId: number): MakeError.NotFound =>
  new MakeError.NotFound({
    status: 404,
    detail: "No active subscription.",
    title: "Not found",
    code: "SC404",
    resource: "subscription",
    id: organizationId
  })

/**
 * 404 for a feature control the organization does not have.
 *
 * @since 1.0.0
 * @category errors
 */
export const featureControlNotFound = (id: number): MakeError.NotFound =>
  new MakeError.NotFound({
    status: 404,
    detail: "Feature control not found.",
    title: "Not found",
    code: "SC404",
    resource: "featureControl",
    id
  })

/**
 * 406 / `IM004` for a confirmation-guarded call made without `confirmed=true`.
 *
 * @since 1.0.0
 * @category errors
 */
export const notConfirmed = (
  detail: string,
  resource: MakeError.Resource,
  id: number | string
): MakeError.NotConfirmed =>
  new MakeError.NotConfirmed({ status: 406, detail, title: "Confirmation required", code: "IM004", resource, id })

/**
 * 400 for a well-formed request that the state refuses (a conflict rather than a validation failure).
 *
 * @since 1.0.0
 * @category errors
 */
export const badRequest = (detail: string): MakeError.InvalidRequest =>
  new MakeError.InvalidRequest({ status: 400, detail, title: "Bad request", code: "SC400" })

/**
 * Make's 404 for a path no endpoint serves.
 *
 * @since 1.0.0
 * @category errors
 */
export const routeNotFound = new MakeError.NotFound({
  status: 404,
  detail: "The requested endpoint does not exist.",
  title: "Not found",
  code: "SC404"
})
