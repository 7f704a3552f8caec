/**
 * What the workflows answer: each entity of a spec with what a run did to it, the plan's changes, and the errors a
 * run fails with (every one a Schema, so the durable engine can journal them).
 *
 * @since 1.0.0
 */
// The workflows: imports `effect` and MakeError only.
import { Schema } from "effect"
import * as MakeError from "../MakeError.js"

/**
 * The kinds of entity a spec holds.
 *
 * @since 1.0.0
 * @category models
 */
export const Resource = Schema.Literals(["organization", "team", "variable", "invitation", "featureControl"])

/**
 * The type of the `Resource` schema.
 *
 * @since 1.0.0
 * @category models
 */
export type Resource = typeof Resource.Type

/**
 * What a run did to one entity:
 *
 * | status | meaning |
 * | --- | --- |
 * | `created` | this run created it (an invitation: sent it) |
 * | `adopted` | this run's create got no answer (5xx, reset, timeout, unreadable body); the entity was found afterwards and taken instead of sending the create again. It was made by this run, so a rollback removes it |
 * | `updated` | it existed; this run changed it to match the spec |
 * | `kept` | it existed and already matched (an invitation: sent by an earlier run, or the user is already a member) |
 * | `skipped` | not applied, on purpose: `detail` says why (a licence without custom variables) |
 * | `unconfirmed` | an invitation whose answer was lost: Make cannot list pending invitations, so it is neither confirmed nor sent twice |
 *
 * @since 1.0.0
 * @category models
 */
export const Status = Schema.Literals(["created", "adopted", "updated", "kept", "skipped", "unconfirmed"])

/**
 * The type of the `Status` schema.
 *
 * @since 1.0.0
 * @category models
 */
export type Status = typeof Status.Type

/**
 * One entity and what a run did to it. `key` is how the spec names it (name, e-mail, feature control id), `id` how
 * Make does (an invitation's hash), when known.
 *
 * @since 1.0.0
 * @category models
 */
export const Entry = Schema.Struct({
  resource: Resource,
  key: Schema.String,
  id: Schema.optional(Schema.Union([Schema.Number, Schema.String])),
  status: Status,
  detail: Schema.optional(Schema.String)
}).annotate({ identifier: "ProvisionEntry" })

/**
 * One entity and what a run did to it (the type of the `Entry` schema).
 *
 * @since 1.0.0
 * @category models
 */
export interface Entry extends Schema.Schema.Type<typeof Entry> {}

/**
 * What `provision` answers: the execution id and every entity of the spec, with its id and status.
 *
 * @since 1.0.0
 * @category models
 */
export const ProvisionResult = Schema.Struct({
  executionId: Schema.String,
  organization: Schema.Struct({ ...Entry.fields, id: Schema.Number }),
  teams: Schema.Array(Schema.Struct({ ...Entry.fields, id: Schema.Number })),
  variables: Schema.Array(Entry),
  invitations: Schema.Array(Entry),
  featureControls: Schema.Array(Entry)
}).annotate({ identifier: "ProvisionResult" })

/**
 * What a provisioning run answers (the type of the `ProvisionResult` schema).
 *
 * @since 1.0.0
 * @category models
 */
export interface ProvisionResult extends Schema.Schema.Type<typeof ProvisionResult> {}

/**
 * Every entry of a result, organization first.
 *
 * @since 1.0.0
 * @category accessors
 */
export const entries = (result: ProvisionResult): ReadonlyArray<Entry> => [
  result.organization,
  ...result.teams,
  ...result.variables,
  ...result.invitations,
  ...result.featureControls
]

/**
 * The spec cannot be applied as it stands: e.g. two organizations answer to its name, so which one it means is not
 * clear. Nothing is sent for the step that found it.
 *
 * @since 1.0.0
 * @category errors
 */
export class Conflict extends Schema.TaggedError<Conflict>()("Conflict", {
  resource: Resource,
  detail: Schema.String
}) {
  override get message(): string {
    return `The spec's ${this.resource} is ambiguous: ${this.detail}`
  }
}

/**
 * Why a step failed: a Make error once the retry budget is spent, or a {@link Conflict}.
 *
 * @since 1.0.0
 * @category errors
 */
export const StepError = Schema.Union([MakeError.MakeError, Conflict])

/**
 * The type of the `StepError` schema.
 *
 * @since 1.0.0
 * @category errors
 */
export type StepError = MakeError.MakeError | Conflict

/**
 * What a rollback did to one entity this run created: `deleted`, `gone` (already deleted by someone else), or
 * `failed` (still there: `detail` says why; delete it by hand).
 *
 * @since 1.0.0
 * @category models
 */
export const RolledBack = Schema.Struct({
  resource: Resource,
  key: Schema.String,
  id: Schema.Union([Schema.Number, Schema.String]),
  outcome: Schema.Literals(["deleted", "gone", "failed"]),
  detail: Schema.optional(Schema.String)
}).annotate({ identifier: "RolledBack" })

/**
 * One entity a rollback or decommission removed, or tried to (the type of the `RolledBack` schema).
 *
 * @since 1.0.0
 * @category models
 */
export interface RolledBack extends Schema.Schema.Type<typeof RolledBack> {}

/**
 * The names of a provisioning run's steps, in order.
 *
 * @since 1.0.0
 * @category models
 */
export const Step = Schema.Literals([
  "organization",
  "teams",
  "variables",
  "invitations",
  "featureControls",
  "rollback"
])

/**
 * The type of the `Step` schema.
 *
 * @since 1.0.0
 * @category models
 */
export type Step = typeof Step.Type

/**
 * A provisioning run failed for good at `step`. With the default `onFailure: "rollback"`, every entity the run created
 * was removed (teams, then the organization) and `rolledBack` says how each went; entities it reused were left alone.
 * `applied` lists what stays: with `onFailure: "keep"` everything done so far, otherwise what cannot be undone (sent
 * invitations, updates of reused entities).
 *
 * @since 1.0.0
 * @category errors
 */
export class ProvisionFailed extends Schema.TaggedError<ProvisionFailed>()("ProvisionFailed", {
  executionId: Schema.String,
  step: Step,
  /** The organization's id, when the run got that far. */
  organizationId: Schema.optional(Schema.Number),
  error: StepError,
  rolledBack: Schema.Array(RolledBack),
  applied: Schema.Array(Entry)
}) {
  override get message(): string {
    const undone = this.rolledBack.length === 0
      ? ""
      : `; rolled back ${this.rolledBack.map((r) => `${r.resource} ${r.key} (${r.outcome})`).join(", ")}`
    return `Provisioning failed at step "${this.step}": ${this.error.message}${undone}`
  }
}

/**
 * One change a plan foresees: `create`, `update`, `keep`, or `skip` (with the reason in `detail`).
 *
 * @since 1.0.0
 * @category models
 */
export const Change = Schema.Struct({
  resource: Resource,
  key: Schema.String,
  id: Schema.optional(Schema.Union([Schema.Number, Schema.String])),
  action: Schema.Literals(["create", "update", "keep", "skip"]),
  detail: Schema.optional(Schema.String)
}).annotate({ identifier: "Change" })

/**
 * One planned change (the type of the `Change` schema).
 *
 * @since 1.0.0
 * @category models
 */
export interface Change extends Schema.Schema.Type<typeof Change> {}

/**
 * What `plan` answers: every entity of the spec with the action `provision` would take, and `changes`, the ones that
 * would write (empty for an applied spec).
 *
 * @since 1.0.0
 * @category models
 */
export const Plan = Schema.Struct({
  organization: Change,
  teams: Schema.Array(Change),
  variables: Schema.Array(Change),
  invitations: Schema.Array(Change),
  featureControls: Schema.Array(Change),
  /** The changes that would write: every `create` and `update`. */
  changes: Schema.Array(Change)
}).annotate({ identifier: "Plan" })

/**
 * A plan (the type of the `Plan` schema).
 *
 * @since 1.0.0
 * @category models
 */
export interface Plan extends Schema.Schema.Type<typeof Plan> {}

/**
 * What `decommission` answers: each team, then the organization, with what became of it.
 *
 * @since 1.0.0
 * @category models
 */
export const DecommissionResult = Schema.Struct({
  organizationId: Schema.Number,
  removed: Schema.Array(RolledBack)
}).annotate({ identifier: "DecommissionResult" })

/**
 * What a decommission run answers (the type of the `DecommissionResult` schema).
 *
 * @since 1.0.0
 * @category models
 */
export interface DecommissionResult extends Schema.Schema.Type<typeof DecommissionResult> {}
