// The emulator's Usage area and the feature controls beside it, without HTTP: usage days by timezone, switching
// controls, and the pure operations behind the handlers. Imports `effect`, api/, domain/, MakeError and testing/.
/**
 * @since 1.0.0
 * @internal
 */
import { Array as Arr, Option, Order, Result } from "effect"
import { FeatureControlEnvelope, FeatureControlList, UsageList } from "../../api/UsageApi.js"
import type { FeatureControl } from "../../domain/FeatureControl.js"
import type { UsageDay } from "../../domain/Usage.js"
import type * as MakeError from "../../MakeError.js"
import { dayAt, dayMillis, offsetMinutesOf, usageOf } from "../EmulatorCatalog.js"
import { featureControlNotFound } from "./Errors.js"
import type { FeatureControlRecord } from "./Records.js"
import { type Data, inOrganization, keys, lookup, put } from "./Store.js"
import { checked, matchesOptional, project, requireOrganization } from "./Wire.js"

// ---------------------------------------------------------------------------
// Operations
// ---------------------------------------------------------------------------

/**
 * Switches a feature control of an organization; `None` when the organization has no control with that id.
 *
 * @since 1.0.0
 * @category operations
 */
export const setFeatureControl = (organizationId: number, id: number, enabled: boolean) =>
(
  data: Data
): readonly [Option.Option<FeatureControlRecord>, Data] =>
  Option.match(lookup(data.featureControls, keys.featureControl({ organizationId, id })), {
    onNone: () => [Option.none(), data],
    onSome: (control) => {
      const updated = { ...control, enabled }
      return [Option.some(updated), { ...data, featureControls: put(data.featureControls, updated) }]
    }
  })

// ---------------------------------------------------------------------------
// Wire bodies
// ---------------------------------------------------------------------------

type FeatureControlWire = typeof FeatureControl.Encoded
type UsageDayWire = typeof UsageDay.Encoded

/**
 * A feature control, every column.
 *
 * @since 1.0.0
 * @category wire
 */
export const featureControlBody = (control: FeatureControlRecord): FeatureControlWire => ({
  id: control.id,
  name: control.name,
  enabled: control.enabled,
  description: control.description
})

/**
 * One day of usage: counters as numbers, except `dataTransfer` as a numeric string (a quirk the client tolerates,
 * as it does for the organization counters).
 *
 * @since 1.0.0
 * @category wire
 */
export const usageDayBody = (organizationId: number, date: string): UsageDayWire => {
  const usage = usageOf(organizationId, date)
  return {
    date,
    operations: usage.operations,
    dataTransfer: String(usage.dataTransfer),
    centicredits: usage.centicredits
  }
}

// ---------------------------------------------------------------------------
// What each endpoint does to the data
// ---------------------------------------------------------------------------

/**
 * `GET /organizations/{id}/usage` at `now`: the 30 days up to today (oldest first), "today" and each day's bounds in
 * the token's user's timezone (`userOffsetMinutes`) or, with `organizationTimezone=true`, in the organization's
 * (`EmulatorCatalog.timezones`).
 *
 * @example
 * ```ts
 * import { usage } from "effect-make/testing/emulator/Usage"
 * declare const data: import("effect-make/testing/emulator/Store").Data
 * const body = usage(data, 11, { now: 0, userOffsetMinutes: 0, organizationTimezone: false })
 * ```
 *
 * @since 1.0.0
 * @category endpoints
 */
export const usage = (
  data: Data,
  organizationId: number,
  at: { readonly now: number; readonly userOffsetMinutes: number; readonly organizationTimezone: boolean }
): Result.Result<{ readonly usage: ReadonlyArray<UsageDayWire> }, MakeError.NotFound> =>
  Result.map(requireOrganization(data, organizationId), (org) => {
    const offset = at.organizationTimezone ? offsetMinutesOf(org.timezoneId) : at.userOffsetMinutes
    const days = Arr.makeBy(30, (i) => dayAt(at.now - (29 - i) * dayMillis, offset))
    return checked(UsageList, { usage: days.map((date) => usageDayBody(org.id, date)) })
  })

const byDescendingId = Order.flip(Order.mapInput(Order.Number, (control: FeatureControlRecord) => control.id))

/**
 * `GET /organizations/{id}/feature-controls`: by descending id, filtered by exact name, projected to exactly the
 * `cols[]` asked for (every column without it).
 *
 * @since 1.0.0
 * @category endpoints
 */
export const listFeatureControls = (
  data: Data,
  organizationId: number,
  query: { readonly featureControlName?: string | undefined; readonly cols?: ReadonlyArray<string> | undefined }
): Result.Result<{ readonly featureControls: ReadonlyArray<Partial<FeatureControlWire>> }, MakeError.NotFound> =>
  Result.map(requireOrganization(data, organizationId), (org) => {
    const controls = Arr.sort(inOrganization(data.featureControls, org.id), byDescendingId).filter((control) =>
      matchesOptional(query.featureControlName, control.name)
    )
    const cols = query.cols
    return cols === undefined
      ? checked(FeatureControlList, { featureControls: controls.map(featureControlBody) })
      : { featureControls: controls.map((control) => project(featureControlBody(control), cols)) }
  })

/**
 * `PATCH /organizations/{id}/feature-controls`: switches one control; an id the organization lacks is its 404.
 *
 * @since 1.0.0
 * @category endpoints
 */
export const switchFeatureControl = (
  organizationId: number,
  input: { readonly id: number; readonly enabled: boolean }
) =>
(
  data: Data
): Result.Result<readonly [{ readonly featureControl: FeatureControlWire }, Data], MakeError.NotFound> =>
  Result.gen(function*() {
    const org = yield* requireOrganization(data, organizationId)
    const [updated, next] = setFeatureControl(org.id, input.id, input.enabled)(data)
    const switched = yield* Result.fromOption(updated, () => featureControlNotFound(input.id))
    return [checked(FeatureControlEnvelope, { featureControl: featureControlBody(switched) }), next] as const
  })
