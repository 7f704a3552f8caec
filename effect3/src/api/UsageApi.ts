/**
 * The contract of usage and feature controls: daily usage of the past 30 days; list and switch feature controls.
 *
 * @since 0.1.0
 */
// Floor 2: imports `effect`, `@effect/platform`, domain/, Pagination and the wire errors.
import { HttpApiEndpoint, HttpApiGroup, OpenApi } from "@effect/platform"
import { Schema } from "effect"
import { FeatureControl, FeatureControlColumn, SetFeatureControl } from "../domain/FeatureControl.js"
import { UsageDay } from "../domain/Usage.js"
import { colsUrlParam } from "../Pagination.js"
import * as Envelope from "./Envelope.js"
import * as Errors from "./Errors.js"
import { organizationId } from "./OrganizationsApi.js"
import { Authentication } from "./Security.js"

// ---------------------------------------------------------------------------
// Envelopes. No page of this area shows a body: each accepts the shapes of the policy in Envelope.ts, the first key
// being the one the emulator answers. Usage: `{"usage": [...]}` (30 entries), `{"data": [...], "timezone": …}`
// (seen), `{"usages": [...]}` or a bare array. Feature controls: `{"featureControls": [...]}` (api-docs/README.md),
// a switched one `{"featureControl": {...}}`.
// ---------------------------------------------------------------------------

/**
 * The answer of `GET /organizations/{organizationId}/usage`: the days of usage, under any envelope the tolerant reader
 * accepts.
 *
 * @since 0.1.0
 * @category envelopes
 */
export const UsageList = Envelope.list(UsageDay, ["usage", "usages"])
/**
 * The answer of the feature-control list: the controls, under any envelope the tolerant reader accepts.
 *
 * @since 0.1.0
 * @category envelopes
 */
export const FeatureControlList = Envelope.list(FeatureControl, ["featureControls", "featureControl"])
/**
 * The answer of a feature-control change: the control, under any envelope the tolerant reader accepts.
 *
 * @since 0.1.0
 * @category envelopes
 */
export const FeatureControlEnvelope = Envelope.entity(FeatureControl, ["featureControl", "featureControls"])

/**
 * The usage group of the contract.
 *
 * @since 0.1.0
 * @category contract
 */
export class UsageApi extends HttpApiGroup.make("usage")
  .add(
    HttpApiEndpoint.get("get")`/organizations/${organizationId}/usage`
      .setUrlParams(Schema.Struct({
        /** Aggregate days in the organization's timezone instead of the caller's. */
        organizationTimezone: Schema.optional(Schema.BooleanFromString)
      }))
      .addSuccess(UsageList)
      .addError(Errors.NotFound)
      .annotate(OpenApi.Summary, "Get organization usage")
  )
  .middleware(Authentication)
  .annotate(OpenApi.Title, "Usage")
  .annotate(
    OpenApi.Description,
    "An organization's daily operations, data transfer and centicredits over the past 30 days."
  )
{}

/**
 * The feature controls group of the contract.
 *
 * @since 0.1.0
 * @category contract
 */
export class FeatureControlsApi extends HttpApiGroup.make("featureControls")
  .add(
    HttpApiEndpoint.get("list")`/organizations/${organizationId}/feature-controls`
      .setUrlParams(Schema.Struct({
        featureControlName: Schema.optional(Schema.String),
        cols: colsUrlParam(FeatureControlColumn)
      }))
      .addSuccess(FeatureControlList)
      .addError(Errors.NotFound)
      .annotate(OpenApi.Summary, "Get organization feature controls")
  )
  .add(
    HttpApiEndpoint.patch("update")`/organizations/${organizationId}/feature-controls`
      .setPayload(SetFeatureControl)
      .addSuccess(FeatureControlEnvelope)
      .addError(Errors.NotFound)
      .annotate(OpenApi.Summary, "Patch organization feature controls")
  )
  .middleware(Authentication)
  .annotate(OpenApi.Title, "Feature controls")
  .annotate(
    OpenApi.Description,
    "An organization's feature switches (e.g. Make AI Tools): list them and turn them on or off."
  )
{}
