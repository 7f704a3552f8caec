/**
 * What `Fleet.provisionAll` answers: one line per spec (what its run changed, or why it failed) and a summary, as a
 * Schema, so that the command's `--json` output is its encoding.
 *
 * @since 1.0.0
 */
// The workflows: imports `effect`, MakeError (a type) and workflows/ (the result and errors of one provisioning run).
import { Schema } from "effect"
import type * as MakeError from "../MakeError.js"
import { entries, type Entry, type ProvisionFailed, type ProvisionResult, Step } from "./ProvisionResult.js"

const Count = Schema.Int.check(Schema.isGreaterThanOrEqualTo(0))

/**
 * How many entities of a spec ended in each kind of change: `created` (created, or adopted after a lost answer),
 * `updated`, `unchanged` (kept: it already matched), `skipped` (on purpose, e.g. variables without the licence) and
 * `unconfirmed` (an invitation whose answer was lost).
 *
 * @since 1.0.0
 * @category models
 */
export const Counts = Schema.Struct({
  created: Count,
  updated: Count,
  unchanged: Count,
  skipped: Count,
  unconfirmed: Count
}).annotate({ identifier: "FleetCounts" })

/**
 * How many entities ended in each kind of change (the type of the `Counts` schema).
 *
 * @since 1.0.0
 * @category models
 */
export interface Counts extends Schema.Schema.Type<typeof Counts> {}

/**
 * What became of one spec: `applied` (its run wrote something), `unchanged` (Make already held it: the run only
 * read), or `failed` (its run failed; see the line's `error`).
 *
 * @since 1.0.0
 * @category models
 */
export const Outcome = Schema.Literals(["applied", "unchanged", "failed"])

/**
 * The type of the `Outcome` schema.
 *
 * @since 1.0.0
 * @category models
 */
export type Outcome = typeof Outcome.Type

/**
 * Why a spec's run failed: the error's tag and message; for a `ProvisionFailed`, the step that failed and the tag of
 * the error it failed with (`ServerError`, `Conflict`, ...).
 *
 * @since 1.0.0
 * @category models
 */
export const Failure = Schema.Struct({
  tag: Schema.String,
  message: Schema.String,
  step: Schema.optional(Step),
  reason: Schema.optional(Schema.String)
}).annotate({ identifier: "FleetFailure" })

/**
 * Why a spec's run failed (the type of the `Failure` schema).
 *
 * @since 1.0.0
 * @category models
 */
export interface Failure extends Schema.Schema.Type<typeof Failure> {}

/**
 * One spec of a fleet and what its run did. `source` names the spec (its file, `file#n` for the n-th document of a
 * YAML stream, or its organization's name when given in code); `organizationId` is known once the run found or
 * created the organization. The counts of a failed run are what stays in Make (with the default rollback: what cannot
 * be undone, such as sent invitations).
 *
 * @since 1.0.0
 * @category models
 */
export const FleetLine = Schema.Struct({
  source: Schema.String,
  organization: Schema.String,
  organizationId: Schema.optional(Schema.Number),
  executionId: Schema.optional(Schema.String),
  outcome: Outcome,
  counts: Counts,
  error: Schema.optional(Failure)
}).annotate({ identifier: "FleetLine" })

/**
 * One spec of a fleet and what its run did (the type of the `FleetLine` schema).
 *
 * @since 1.0.0
 * @category models
 */
export interface FleetLine extends Schema.Schema.Type<typeof FleetLine> {}

/**
 * The fleet at a glance: how many specs, how many were applied, unchanged and failed, and the counts of every line
 * added up.
 *
 * @since 1.0.0
 * @category models
 */
export const Summary = Schema.Struct({
  specs: Count,
  applied: Count,
  unchanged: Count,
  failed: Count,
  counts: Counts
}).annotate({ identifier: "FleetSummary" })

/**
 * The fleet at a glance (the type of the `Summary` schema).
 *
 * @since 1.0.0
 * @category models
 */
export interface Summary extends Schema.Schema.Type<typeof Summary> {}

/**
 * What `Fleet.provisionAll` answers: one line per spec, in the fleet's order, and the summary.
 *
 * @example
 * ```ts
 * import { Schema } from "effect"
 * import { FleetResult } from "effect-make"
 *
 * // what `effect-make --json apply specs/` printed
 * const decode = Schema.decodeUnknownSync(Schema.fromJsonString(FleetResult.FleetResult))
 * ```
 *
 * @since 1.0.0
 * @category models
 */
export const FleetResult = Schema.Struct({
  lines: Schema.Array(FleetLine),
  summary: Summary
}).annotate({ identifier: "FleetResult" })

/**
 * What `Fleet.provisionAll` answers (the type of the `FleetResult` schema).
 *
 * @since 1.0.0
 * @category models
 */
export interface FleetResult extends Schema.Schema.Type<typeof FleetResult> {}

/**
 * No change at all.
 *
 * @since 1.0.0
 * @category constants
 */
export const noCounts: Counts = { created: 0, updated: 0, unchanged: 0, skipped: 0, unconfirmed: 0 }

/**
 * The counts of a run's entries, by the kind of change their status is.
 *
 * @example
 * ```ts
 * import { FleetResult } from "effect-make"
 *
 * FleetResult.countsOf([{ resource: "team", key: "Ops", status: "kept" }]).unchanged // 1
 * ```
 *
 * @since 1.0.0
 * @category constructors
 */
export const countsOf = (entries: ReadonlyArray<Entry>): Counts => {
  const counts = { ...noCounts }
  for (const entry of entries) {
    switch (entry.status) {
      case "created":
      case "adopted":
        counts.created++
        break
      case "updated":
        counts.updated++
        break
      case "kept":
        counts.unchanged++
        break
      case "skipped":
        counts.skipped++
        break
      case "unconfirmed":
        counts.unconfirmed++
    }
  }
  return counts
}

/** Whether the counts say something was written (or may have been: an unconfirmed invitation). */
const wrote = (counts: Counts): boolean => counts.created + counts.updated + counts.unconfirmed > 0

/**
 * The line of a spec whose run succeeded: `applied` when it wrote anything, else `unchanged`.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { FleetResult, Provision, type ProvisionSpec } from "effect-make"
 *
 * const line = (spec: ProvisionSpec.ProvisionSpec) =>
 *   Effect.map(Provision.provision(spec), (result) => FleetResult.succeeded("acme.yaml", result))
 * ```
 *
 * @since 1.0.0
 * @category constructors
 */
export const succeeded = (source: string, result: ProvisionResult): FleetLine => {
  const counts = countsOf(entries(result))
  return {
    source,
    organization: result.organization.key,
    organizationId: result.organization.id,
    executionId: result.executionId,
    outcome: wrote(counts) ? "applied" : "unchanged",
    counts
  }
}

/**
 * The line of a spec whose run failed: the error's tag and message; for a `ProvisionFailed`, its step, the tag of
 * its cause, the organization's id when the run got that far, and the counts of what stays.
 *
 * @example
 * ```ts
 * import { FleetResult, MakeError } from "effect-make"
 *
 * const line = FleetResult.failed("acme.yaml", "Acme", new MakeError.InvalidInput({ operation: "x", issues: [] }))
 * line.outcome // "failed"
 * ```
 *
 * @since 1.0.0
 * @category constructors
 */
export const failed = (
  source: string,
  organization: string,
  error: ProvisionFailed | MakeError.InvalidInput
): FleetLine =>
  error._tag === "ProvisionFailed"
    ? {
      source,
      organization,
      ...(error.organizationId === undefined ? {} : { organizationId: error.organizationId }),
      executionId: error.executionId,
      outcome: "failed",
      counts: countsOf(error.applied),
      error: { tag: error._tag, message: error.message, step: error.step, reason: error.error._tag }
    }
    : { source, organization, outcome: "failed", counts: noCounts, error: { tag: error._tag, message: error.message } }

const add = (a: Counts, b: Counts): Counts => ({
  created: a.created + b.created,
  updated: a.updated + b.updated,
  unchanged: a.unchanged + b.unchanged,
  skipped: a.skipped + b.skipped,
  unconfirmed: a.unconfirmed + b.unconfirmed
})

/**
 * The result of a fleet's lines: the lines as given, and their summary.
 *
 * @example
 * ```ts
 * import { FleetResult } from "effect-make"
 *
 * FleetResult.make([]).summary.specs // 0
 * ```
 *
 * @since 1.0.0
 * @category constructors
 */
export const make = (lines: ReadonlyArray<FleetLine>): FleetResult => {
  const count = (outcome: Outcome) => lines.filter((line) => line.outcome === outcome).length
  return {
    lines,
    summary: {
      specs: lines.length,
      applied: count("applied"),
      unchanged: count("unchanged"),
      failed: count("failed"),
      counts: lines.reduce((total, line) => add(total, line.counts), noCounts)
    }
  }
}
