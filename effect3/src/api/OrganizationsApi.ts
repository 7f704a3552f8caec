/**
 * The contract of the Organizations area: paths, Make's query names, payloads, success envelopes and errors.
 *
 * @since 0.1.0
 */
// Floor 2: imports `effect`, `@effect/platform`, domain/, Pagination and the wire errors.
import { HttpApiEndpoint, HttpApiGroup, HttpApiSchema, OpenApi } from "@effect/platform"
import { Schema } from "effect"
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
import { colsUrlParam, PageInfo, pgUrlParams } from "../Pagination.js"
import * as Envelope from "./Envelope.js"
import * as Errors from "./Errors.js"
import { Authentication } from "./Security.js"

/**
 * `{organizationId}` in a path.
 *
 * @since 0.1.0
 * @category params
 */
export const organizationId = HttpApiSchema.param("organizationId", Schema.NumberFromString)

// ---------------------------------------------------------------------------
// Envelopes. Documented (api-docs/README.md, fixtures), decoded strictly: list, get, create, update,
// `{"hasPermission": …}`. Not documented, so accepting the shapes of the policy in Envelope.ts (the first key is the
// one the emulator answers): custom apps `{"apps": [...]}`. Delete is `void`: any body (the emulator answers
// `{"organization": <id>}`).
// ---------------------------------------------------------------------------

/**
 * The answer of `GET /organizations`: one page of organizations and Make's `pg` echo (documented, decoded strictly).
 *
 * @since 0.1.0
 * @category envelopes
 */
export const OrganizationList = Schema.Struct({ organizations: Schema.Array(Organization), pg: PageInfo })
/**
 * The answer of `GET` and `PATCH /organizations/{organizationId}`: `{ organization }`.
 *
 * @since 0.1.0
 * @category envelopes
 */
export const OrganizationEnvelope = Schema.Struct({ organization: Organization })
/**
 * The answer of `POST /organizations`: the organization and, when Make sends it, the caller's role in it.
 *
 * @since 0.1.0
 * @category envelopes
 */
export const OrganizationCreated = Schema.Struct({
  organization: Organization,
  userOrganizationRole: Optional(UserOrganizationRole)
})
/**
 * The answer of the custom-apps list: the apps, under any envelope the tolerant reader accepts.
 *
 * @since 0.1.0
 * @category envelopes
 */
export const CustomAppList = Envelope.list(CustomApp, ["apps", "app", "customApps"])
/**
 * The answer of `check-team-permission`: `{ hasPermission }`.
 *
 * @since 0.1.0
 * @category envelopes
 */
export const PermissionCheck = Schema.Struct({ hasPermission: Schema.Boolean })

/**
 * Query of `GET /organizations`.
 *
 * @since 0.1.0
 * @category params
 */
export const ListOrganizationsParams = Schema.Struct({
  ...pgUrlParams,
  cols: colsUrlParam(OrganizationColumn),
  /** The Make zone to list from, e.g. `eu1.make.com`. */
  zone: Schema.optional(Schema.String),
  /** White Label: the organization's id in an external system. */
  externalId: Schema.optional(Schema.String)
})

/**
 * The Organizations group of the contract.
 *
 * @since 0.1.0
 * @category contract
 */
export class OrganizationsApi extends HttpApiGroup.make("organizations")
  .add(
    HttpApiEndpoint.get("list", "/organizations")
      .setUrlParams(ListOrganizationsParams)
      .addSuccess(OrganizationList)
      .annotate(OpenApi.Summary, "List user organizations")
  )
  .add(
    HttpApiEndpoint.post("create", "/organizations")
      .setPayload(CreateOrganization)
      .addSuccess(OrganizationCreated)
      .annotate(OpenApi.Summary, "Create an organization")
  )
  .add(
    HttpApiEndpoint.get("get")`/organizations/${organizationId}`
      .setUrlParams(Schema.Struct({
        /** Wait until the zone has synchronised a just-created organization. */
        wait: Schema.optional(Schema.BooleanFromString),
        cols: colsUrlParam(OrganizationColumn)
      }))
      .addSuccess(OrganizationEnvelope)
      .addError(Errors.NotFound)
      .annotate(OpenApi.Summary, "Get organization details")
  )
  .add(
    HttpApiEndpoint.patch("update")`/organizations/${organizationId}`
      .setPayload(UpdateOrganization)
      .addSuccess(OrganizationEnvelope)
      .addError(Errors.NotFound)
      .annotate(OpenApi.Summary, "Update organization information")
  )
  .add(
    HttpApiEndpoint.del("delete")`/organizations/${organizationId}`
      .setUrlParams(Schema.Struct({
        /** Confirm deleting an organization with active scenarios. */
        confirmed: Schema.optional(Schema.BooleanFromString)
      }))
      .addSuccess(Envelope.AnyBody)
      .addSuccess(Envelope.AnyBody, { status: 204 })
      .addError(Errors.NotFound)
      .addError(Errors.NotConfirmed)
      .annotate(OpenApi.Summary, "Delete an organization")
  )
  .add(
    HttpApiEndpoint.get("apps")`/organizations/${organizationId}/apps`
      .addSuccess(CustomAppList)
      .addError(Errors.NotFound)
      .annotate(OpenApi.Summary, "Get a list of custom apps")
  )
  .add(
    HttpApiEndpoint.get("checkTeamPermission")`/organizations/${organizationId}/check-team-permission`
      .setUrlParams(Schema.Struct({
        /** A team permission such as `scenario add`. */
        teamPermission: TeamPermission
      }))
      .addSuccess(PermissionCheck)
      .addError(Errors.NotFound)
      .annotate(OpenApi.Summary, "Check team permission within organization")
  )
  .middleware(Authentication)
  .annotate(OpenApi.Title, "Organizations")
  .annotate(
    OpenApi.Description,
    "Organizations: list, create, read (waiting for the zone to sync), update, delete; custom apps and team permissions."
  )
{}
