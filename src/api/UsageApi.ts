/**
 * The contract of usage and feature controls: daily usage of the past 30 days; list and switch feature controls.
 *
 * @since 1.0.0
 */
// The contract of usage and feature controls: daily usage of the past 30 days; list and switch feature controls.
// Floor 2: imports `effect`, `effect/http-api`, domain/, Pagination and the contract's shared modules.
import { Schema } from "effect"
import { HttpApiEndpoint, HttpApiGroup, OpenApi } from "effect/http-api"
import { FeatureControl, FeatureControlColumn, SetFeatureControl } from "../domain/FeatureControl.js"
import { UsageDay } from "../domain/Usage.js"
import { colsUrlParam, colsWireKey } from "../Pagination.js"
import * as Envelope from "./Envelope.js"
import * as Errors from "./Errors.js"
import { organizationId } from "./OrganizationsApi.js"
import { BooleanFromString } from "./Params.js"
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
 * @since 1.0.0
 * @category envelopes
 */
export const UsageList = Envelope.list(UsageDay, ["usage", "usages"])
/**
 * The answer of the feature-control list: the controls, under any envelope the tolerant reader accepts.
 *
 * @since 1.0.0
 * @category envelopes
 */
export const FeatureControlList = Envelope.list(FeatureControl, ["featureControls", "featureControl"])
/**
 * The answer of a feature-control change: the control, under any envelope the tolerant reader accepts.
 *
 * @since 1.0.0
 * @category envelopes
 */
export const FeatureControlEnvelope = Envelope.entity(FeatureControl, ["featureControl", "featureControls"])

/**
 * Query of the feature-control list.
 *
 * @since 1.0.0
 * @category params
 */
export const ListFeatureControlsParams = Schema.Struct({
  featureControlName: Schema.optional(Schema.String),
  cols: colsUrlParam(FeatureControlColumn)
}).pipe(Schema.encodeKeys(colsWireKey))

/**
 * The usage group of the contract.
 *
 * @since 1.0.0
 * @category contract
 */
export class UsageApi extends HttpApiGroup.make("usage")
  .add(
    HttpApiEndpoint.get("get", "/organizations/:organizationId/usage", {
      params: organizationId,
      query: {
        /** Aggregate days in the organization's timezone instead of the caller's. */
        organizationTimezone: Schema.optional(BooleanFromString)
      },
      success: UsageList,
      error: Errors.NotFound
    }).annotate(OpenApi.Summary, "Get organization usage")
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
 * @since 1.0.0
 * @category contract
 */
export class FeatureControlsApi extends HttpApiGroup.make("featureControls")
  .add(
    HttpApiEndpoint.get("list", "/organizations/:organizationId/feature-controls", {
      params: organizationId,
      query: ListFeatureControlsParams,
      success: FeatureControlList,
      error: Errors.NotFound
    }).annotate(OpenApi.Summary, "Get organization feature controls"),
    HttpApiEndpoint.patch("update", "/organizations/:organizationId/feature-controls", {
      params: organizationId,
      payload: SetFeatureControl,
      success: FeatureControlEnvelope,
      error: Errors.NotFound
    }).annotate(OpenApi.Summary, "Patch organization feature controls")
  )
  .middleware(Authentication)
  .annotate(OpenApi.Title, "Feature controls")
  .annotate(
    OpenApi.Description,
    "An organization's feature switches (e.g. Make AI Tools): list them and turn them on or off."
  )
{}
