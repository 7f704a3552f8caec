/**
 * The contract of organization variables: list, create, update, delete and their history.
 *
 * @since 1.0.0
 */
// The contract of organization variables: list, create, update, delete, history (licence feature `customVariables`).
// Floor 2: imports `effect/http-api`, domain/ and the contract's shared modules.
import { HttpApiEndpoint, HttpApiGroup, OpenApi } from "effect/http-api"
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
import { confirmed } from "./Params.js"
import { Authentication } from "./Security.js"

/**
 * `:organizationId` and `:variableName` in a path. The name schema admits only letters, digits, `$` and `_`, so no
 * name can change the path it is put in.
 *
 * @since 1.0.0
 * @category params
 */
export const variableName = { ...organizationId, variableName: VariableName }

// ---------------------------------------------------------------------------
// Envelopes: no page shows a body, so each accepts the shapes of the policy in Envelope.ts; the first key is the one
// the emulator answers. Named in api-docs/README.md: the list `{"organizationVariables": [...]}` and one variable
// `{"organizationVariable": {...}}`. Following the convention: history `{"history": [...]}`. Delete is `void`: any
// body (the emulator answers the deleted name, `{"organizationVariable": "<name>"}`).
// ---------------------------------------------------------------------------

/**
 * The answer of the variable list: the variables, under any envelope the tolerant reader accepts.
 *
 * @since 1.0.0
 * @category envelopes
 */
export const VariableList = Envelope.list(OrganizationVariable, ["organizationVariables", "organizationVariable"])
/**
 * The answer of a variable create or update: the variable, under any envelope the tolerant reader accepts.
 *
 * @since 1.0.0
 * @category envelopes
 */
export const VariableEnvelope = Envelope.entity(OrganizationVariable, ["organizationVariable", "organizationVariables"])
/**
 * The answer of a variable's history: its entries, under any envelope the tolerant reader accepts.
 *
 * @since 1.0.0
 * @category envelopes
 */
export const VariableHistory = Envelope.list(VariableHistoryEntry, [
  "history",
  "organizationVariableHistory",
  "variableHistory"
])

/**
 * The organization variables group of the contract. Make answers 404 to every call but `list` when the
 * organization's licence lacks `customVariables`: those calls declare `FeatureUnavailable` beside `NotFound` (after
 * it, so a bare 404 decodes as `NotFound`).
 *
 * @since 1.0.0
 * @category contract
 */
export class OrganizationVariablesApi extends HttpApiGroup.make("organizationVariables")
  .add(
    HttpApiEndpoint.get("list", "/organizations/:organizationId/variables", {
      params: organizationId,
      success: VariableList,
      error: Errors.NotFound
    }).annotate(OpenApi.Summary, "List organization variables"),
    HttpApiEndpoint.post("create", "/organizations/:organizationId/variables", {
      params: organizationId,
      payload: CreateVariableBody,
      success: VariableEnvelope,
      error: [Errors.NotFound, Errors.FeatureUnavailable]
    }).annotate(OpenApi.Summary, "Create organization variable"),
    HttpApiEndpoint.patch("update", "/organizations/:organizationId/variables/:variableName", {
      params: variableName,
      payload: UpdateVariableBody,
      success: VariableEnvelope,
      error: [Errors.NotFound, Errors.FeatureUnavailable]
    }).annotate(OpenApi.Summary, "Update organization variable"),
    HttpApiEndpoint.delete("delete", "/organizations/:organizationId/variables/:variableName", {
      params: variableName,
      query: { confirmed },
      success: [Envelope.AnyBody, Envelope.AnyBodyNoContent],
      error: [Errors.NotFound, Errors.FeatureUnavailable, Errors.NotConfirmed]
    }).annotate(OpenApi.Summary, "Delete organization variable"),
    HttpApiEndpoint.get("history", "/organizations/:organizationId/variables/:variableName/history", {
      params: variableName,
      success: VariableHistory,
      error: [Errors.NotFound, Errors.FeatureUnavailable]
    }).annotate(OpenApi.Summary, "History of custom variable updates")
  )
  .middleware(Authentication)
  .annotate(OpenApi.Title, "Organization variables")
  .annotate(
    OpenApi.Description,
    "Typed custom variables of an organization and their history (licence feature `customVariables`)."
  )
{}
