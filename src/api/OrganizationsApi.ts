/**
 * The contract of the Organizations area: paths, Make's query names, payloads, success envelopes and errors.
 *
 * @since 1.0.0
 */
// The contract of the Organizations area: paths, Make's query names, payloads, success envelopes and errors.
// Floor 2: imports `effect`, `effect/http-api`, domain/, Pagination and the contract's shared modules.
import { Schema } from "effect"
import { HttpApiEndpoint, HttpApiGroup, OpenApi } from "effect/http-api"
import { Optional } from "../domain/Common.js"
import {
  CreateOrganization,
  CustomApp,
  Organization,
  OrganizationColumn,
  TeamPermission,
  UpdateOrganization,
  UserOrganizationRole
} from "../domain/Organization.js"
import { colsUrlParam, colsWireKey, PageInfo, pgUrlFields, pgWireKeys } from "../Pagination.js"
import * as Envelope from "./Envelope.js"
import * as Errors from "./Errors.js"
import { BooleanFromString, confirmed, NumberFromString } from "./Params.js"
import { Authentication } from "./Security.js"

/**
 * `:organizationId` in a path.
 *
 * @since 1.0.0
 * @category params
 */
export const organizationId = { organizationId: NumberFromString }

// ---------------------------------------------------------------------------
// Envelopes. Documented (api-docs/README.md, fixtures), decoded strictly: list, get, create, update,
// `{"hasPermission": …}`. Not documented, so accepting the shapes of the policy in Envelope.ts (the first key is the
// one the emulator answers): custom apps `{"apps": [...]}`. Delete is `void`: any body (the emulator answers
// `{"organization": <id>}`).
// ---------------------------------------------------------------------------

/**
 * The answer of `GET /organizations`: one page of organizations and Make's `pg` echo (documented, decoded strictly).
 *
 * @since 1.0.0
 * @category envelopes
 */
export const OrganizationList = Schema.Struct({ organizations: Schema.Array(Organization), pg: PageInfo })
/**
 * The answer of `GET` and `PATCH /organizations/{organizationId}`: `{ organization }`.
 *
 * @since 1.0.0
 * @category envelopes
 */
export const OrganizationEnvelope = Schema.Struct({ organization: Organization })
/**
 * The answer of `POST /organizations`: the organization and, when Make sends it, the caller's role in it.
 *
 * @since 1.0.0
 * @category envelopes
 */
export const OrganizationCreated = Schema.Struct({
  organization: Organization,
  userOrganizationRole: Optional(UserOrganizationRole)
})
/**
 * The answer of the custom-apps list: the apps, under any envelope the tolerant reader accepts.
 *
 * @since 1.0.0
 * @category envelopes
 */
export const CustomAppList = Envelope.list(CustomApp, ["apps", "app", "customApps"])
/**
 * The answer of `check-team-permission`: `{ hasPermission }`.
 *
 * @since 1.0.0
 * @category envelopes
 */
export const PermissionCheck = Schema.Struct({ hasPermission: Schema.Boolean })

/**
 * Query of `GET /organizations`.
 *
 * @since 1.0.0
 * @category params
 */
export const ListOrganizationsParams = Schema.Struct({
  ...pgUrlFields,
  cols: colsUrlParam(OrganizationColumn),
  /** The Make zone to list from, e.g. `eu1.make.com`. */
  zone: Schema.optional(Schema.String),
  /** White Label: the organization's id in an external system. */
  externalId: Schema.optional(Schema.String)
}).pipe(Schema.encodeKeys({ ...pgWireKeys, ...colsWireKey }))

/**
 * Query of `GET /organizations/{organizationId}`.
 *
 * @since 1.0.0
 * @category params
 */
export const GetOrganizationParams = Schema.Struct({
  /** Wait until the zone has synchronised a just-created organization. */
  wait: Schema.optional(BooleanFromString),
  cols: colsUrlParam(OrganizationColumn)
}).pipe(Schema.encodeKeys(colsWireKey))

/**
 * The Organizations group of the contract.
 *
 * @since 1.0.0
 * @category contract
 */
export class OrganizationsApi extends HttpApiGroup.make("organizations")
  .add(
    HttpApiEndpoint.get("list", "/organizations", {
      query: ListOrganizationsParams,
      success: OrganizationList
    }).annotate(OpenApi.Summary, "List user organizations"),
    HttpApiEndpoint.post("create", "/organizations", {
      payload: CreateOrganization,
      success: OrganizationCreated
    }).annotate(OpenApi.Summary, "Create an organization"),
    HttpApiEndpoint.get("get", "/organizations/:organizationId", {
      params: organizationId,
      query: GetOrganizationParams,
      success: OrganizationEnvelope,
      error: Errors.NotFound
    }).annotate(OpenApi.Summary, "Get organization details"),
    HttpApiEndpoint.patch("update", "/organizations/:organizationId", {
      params: organizationId,
      payload: UpdateOrganization,
      success: OrganizationEnvelope,
      error: Errors.NotFound
    }).annotate(OpenApi.Summary, "Update organization information"),
    HttpApiEndpoint.delete("delete", "/organizations/:organizationId", {
      params: organizationId,
      query: {
        /** Confirm deleting an organization with active scenarios. */
        confirmed
      },
      success: [Envelope.AnyBody, Envelope.AnyBodyNoContent],
      error: [Errors.NotFound, Errors.NotConfirmed]
    }).annotate(OpenApi.Summary, "Delete an organization"),
    HttpApiEndpoint.get("apps", "/organizations/:organizationId/apps", {
      params: organizationId,
      success: CustomAppList,
      error: Errors.NotFound
    }).annotate(OpenApi.Summary, "Get a list of custom apps"),
    HttpApiEndpoint.get("checkTeamPermission", "/organizations/:organizationId/check-team-permission", {
      params: organizationId,
      query: {
        /** A team permission such as `scenario add`. */
        teamPermission: TeamPermission
      },
      success: PermissionCheck,
      error: Errors.NotFound
    }).annotate(OpenApi.Summary, "Check team permission within organization")
  )
  .middleware(Authentication)
  .annotate(OpenApi.Title, "Organizations")
  .annotate(
    OpenApi.Description,
    "Organizations: list, create, read (waiting for the zone to sync), update, delete; custom apps and team permissions."
  )
{}
