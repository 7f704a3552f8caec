/**
 * What an organization consumed: the daily usage of the past 30 days.
 *
 * @since 1.0.0
 */
// What an organization consumed: the daily usage of the past 30 days.
// Floor 1: imports only `effect` and sibling domain modules.
import { Schema } from "effect"
import { Count } from "./Common.js"

/**
 * One day of usage across all scenarios of all teams of the organization.
 *
 * @since 1.0.0
 * @category schemas
 */
export const UsageDay = Schema.Struct({
  /** The day, `YYYY-MM-DD`, in the user's timezone or (with `organizationTimezone`) the organization's. */
  date: Schema.String,
  /** Operations used that day. */
  operations: Count,
  /** Data transferred that day, in bytes. */
  dataTransfer: Count,
  /** Credits used that day, in hundredths of a credit. */
  centicredits: Count
}).annotate({ identifier: "UsageDay" })

/**
 * One decoded day of usage (the type of the `UsageDay` schema).
 *
 * @since 1.0.0
 * @category models
 */
export interface UsageDay extends Schema.Schema.Type<typeof UsageDay> {}
