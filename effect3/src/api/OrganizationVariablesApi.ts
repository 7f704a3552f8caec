/**
 * The contract of custom organization variables: list, create, update, delete (with `confirmed`), history.
 *
 * @since 0.1.0
 */
// Floor 2: imports `effect`, `@effect/platform`, domain/ and the wire errors.
import { HttpApiEndpoint, HttpApiGroup, HttpApiSchema, OpenApi } from "@effect/platform"
import { Schema } from "effect"
import {
  CreateVariableBody,
  OrganizationVariable,
  UpdateVariableBody,
  VariableHistoryEntry,
  VariableName
} from "../domain/OrganizationVariable.js"
import * as Envelope from "./Envelope.js"
import * as Errors from "./Errors.js"
import { organizationId } from "./OrganizationsApi.js"
import { Authentication } from "./Security.js"

/**
 * `{variableName}` in a path. The name schema admits only letters, digits, `$` and `_`, so no name can change the
 * path it is put in.
 *
 * @since 0.1.0
 * @category params
 */
export const variableName = HttpApiSchema.param("variableName", VariableName)

// ---------------------------------------------------------------------------
// Envelopes: no page shows a body, so each accepts the shapes of the policy in Envelope.ts; the first key is the one
// the emulator answers. Named in api-docs/README.md: the list `{"organizationVariables": [...]}` and one variable
// `{"organizationVariable": {...}}`. Following the convention: history `{"history": [...]}`. Delete is `void`: any
// body (the emulator answers the deleted name, `{"organizationVariable": "<name>"}`).
// ---------------------------------------------------------------------------

/**
 * The answer of the variable list: the variables, under any envelope the tolerant reader accepts.
 *
 * @since 0.1.0
 * @category envelopes
 */
export const VariableList = Envelope.list(OrganizationVariable, ["organizationVariables", "organizationVariable"])
/**
 * The answer of a variable create or update: the variable, under any envelope the tolerant reader accepts.
 *
 * @since 0.1.0
 * @category envelopes
 */
export const VariableEnvelope = Envelope.entity(OrganizationVariable, ["organizationVariable", "organizationVariables"])
/**
 * The answer of a variable's history: its entries, under any envelope the tolerant reader accepts.
 *
 * @since 0.1.0
 * @category envelopes
 */
export const VariableHistory = Envelope.list(VariableHistoryEntry, [
  "history",
  "organizationVariableHistory",
  "variableHistory"
])

/**
 * The organization variables group of the contract. Make answers 404 to every call but `list` when the
 * organization's licence lacks `customVariables`: those calls declare `FeatureUnavailable` beside `NotFound`.
 *
 * @since 0.1.0
 * @category contract
 */
export class OrganizationVariablesApi extends HttpApiGroup.make("organizationVariables")
  .add(
    HttpApiEndpoint.get("list")`/organizations/${organizationId}/variables`
      .addSuccess(VariableList)
      .addError(Errors.NotFound)
      .annotate(OpenApi.Summary, "List organization variables")
  )
  .add(
    HttpApiEndpoint.post("create")`/organizations/${organizationId}/variables`
      .setPayload(CreateVariableBody)
      .addSuccess(VariableEnvelope)
      .addError(Errors.NotFound)
      .addError(Errors.FeatureUnavailable)
      .annotate(OpenApi.Summary, "Create organization variable")
  )
  .add(
    HttpApiEndpoint.patch("update")`/organizations/${organizationId}/variables/${variableName}`
      .setPayload(UpdateVariableBody)
      .addSuccess(VariableEnvelope)
      .addError(Errors.NotFound)
      .addError(Errors.FeatureUnavailable)
      .annotate(OpenApi.Summary, "Update organization variable")
  )
  .add(
    HttpApiEndpoint.del("delete")`/organizations/${organizationId}/variables/${variableName}`
      .setUrlParams(Schema.Struct({ confirmed: Schema.optional(Schema.BooleanFromString) }))
      .addSuccess(Envelope.AnyBody)
      .addSuccess(Envelope.AnyBody, { status: 204 })
      .addError(Errors.NotFound)
      .addError(Errors.FeatureUnavailable)
      .addError(Errors.NotConfirmed)
      .annotate(OpenApi.Summary, "Delete organization variable")
  )
  .add(
    HttpApiEndpoint.get("history")`/organizations/${organizationId}/variables/${variableName}/history`
      .addSuccess(VariableHistory)
      .addError(Errors.NotFound)
      .addError(Errors.FeatureUnavailable)
      .annotate(OpenApi.Summary, "History of custom variable updates")
  )
  .middleware(Authentication)
  .annotate(OpenApi.Title, "Organization variables")
  .annotate(
    OpenApi.Description,
    "Typed custom variables of an organization and their history (licence feature `customVariables`)."
  )
{}
