/**
 * Feature controls: switches an organization admin turns features on and off with (e.g. "Make AI Tools").
 *
 * @since 1.0.0
 */
// Feature controls: switches an organization admin turns features on and off with, and the body that sets one.
// Floor 1: imports only `effect` and sibling domain modules.
import { Schema } from "effect"
import { Id, Optional } from "./Common.js"

/**
 * A feature control of an organization.
 *
 * @since 1.0.0
 * @category schemas
 */
export const FeatureControl = Schema.Struct({
  /** The feature control id. */
  id: Schema.Number,
  /** Its name, e.g. `Make AI Tools`. */
  name: Optional(Schema.String),
  /** Whether the feature is enabled for the organization. */
  enabled: Optional(Schema.Boolean),
  /** What the feature is. */
  description: Optional(Schema.String)
}).annotate({ identifier: "FeatureControl" })

/**
 * A decoded feature control (the type of the `FeatureControl` schema).
 *
 * @since 1.0.0
 * @category models
 */
export interface FeatureControl extends Schema.Schema.Type<typeof FeatureControl> {}

/**
 * The columns `cols[]` can select on feature controls.
 *
 * @since 1.0.0
 * @category models
 */
export const FeatureControlColumn = Schema.Literals(["id", "name", "enabled", "description"])

/**
 * The type of the `FeatureControlColumn` schema.
 *
 * @since 1.0.0
 * @category models
 */
export type FeatureControlColumn = typeof FeatureControlColumn.Type

/**
 * Body of `PATCH /organizations/{organizationId}/feature-controls`.
 *
 * @since 1.0.0
 * @category request bodies
 */
export const SetFeatureControl = Schema.Struct({
  /** The feature control to switch. */
  id: Id,
  /** On or off. */
  enabled: Schema.Boolean
}).annotate({ identifier: "SetFeatureControl" })

/**
 * The type of the `SetFeatureControl` schema.
 *
 * @since 1.0.0
 * @category request bodies
 */
export type SetFeatureControl = typeof SetFeatureControl.Type
