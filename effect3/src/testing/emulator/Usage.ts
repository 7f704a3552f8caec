// The emulator's Usage area and the feature controls beside it: usage days by timezone, switching controls, handlers.
// Imports `effect`, `@effect/platform`, api/, domain/ and testing/.
/**
 * @since 0.1.0
 * @internal
 */
import { HttpApiBuilder } from "@effect/platform"
import { Array as Arr, Clock, Effect, Either, Option, Order, type Schema } from "effect"
import { MakeHttpApi } from "../../api/MakeHttpApi.js"
import { FeatureControlEnvelope, FeatureControlList, UsageList } from "../../api/UsageApi.js"
import { FeatureControl } from "../../domain/FeatureControl.js"
import type { UsageDay } from "../../domain/Usage.js"
import { dayAt, dayMillis, offsetMinutesOf, usageOf } from "../EmulatorCatalog.js"
import { featureControlNotFound } from "./Errors.js"
import type { FeatureControlRecord } from "./Records.js"
import {
  commit,
  type Data,
  type EmulatorState,
  inOrganization,
  keys,
  lookup,
  put,
  snapshot,
  transact
} from "./Store.js"
import { answer, answerProjected, matchesOptional, project, requireOrganization } from "./Wire.js"

// ---------------------------------------------------------------------------
// Operations
// ---------------------------------------------------------------------------

/**
 * Switches a feature control of an organization; `None` when the organization has no control with that id.
 *
 * @since 0.1.0
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

type FeatureControlWire = Schema.Schema.Encoded<typeof FeatureControl>
type UsageDayWire = Schema.Schema.Encoded<typeof UsageDay>

/**
 * A feature control, every column.
 *
 * @since 0.1.0
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
 * @since 0.1.0
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
// Handlers
// ---------------------------------------------------------------------------

/**
 * The Usage group over the state: the 30 days up to today (oldest first), "today" and each day's bounds in the
 * token's user's timezone (`userTimezoneOffsetMinutes`) or, with `organizationTimezone=true`, in the organization's
 * (`EmulatorCatalog.timezones`).
 *
 * @since 0.1.0
 * @category layers
 */
export const usageLive = (state: EmulatorState) =>
  HttpApiBuilder.group(
    MakeHttpApi,
    "usage",
    (handlers) =>
      handlers.handle("get", ({ path, urlParams }) =>
        Effect.gen(function*() {
          const data = yield* snapshot(state)
          const org = yield* requireOrganization(data, path.organizationId)
          const now = yield* Clock.currentTimeMillis
          const offset = urlParams.organizationTimezone === true
            ? offsetMinutesOf(org.timezoneId)
            : state.settings.userTimezoneOffsetMinutes
          const days = Arr.makeBy(30, (i) => dayAt(now - (29 - i) * dayMillis, offset))
          return answer(UsageList, { usage: days.map((date) => usageDayBody(org.id, date)) })
        }))
  )

const byDescendingId = Order.reverse(Order.mapInput(Order.number, (control: FeatureControlRecord) => control.id))

/**
 * The Feature controls group over the state: listed by descending id, filtered by exact name, projected to exactly
 * the `cols[]` asked for.
 *
 * @since 0.1.0
 * @category layers
 */
export const featureControlsLive = (state: EmulatorState) =>
  HttpApiBuilder.group(MakeHttpApi, "featureControls", (handlers) =>
    handlers
      .handle("list", ({ path, urlParams }) =>
        Effect.gen(function*() {
          const data = yield* snapshot(state)
          const org = yield* requireOrganization(data, path.organizationId)
          const controls = Arr.sort(inOrganization(data.featureControls, org.id), byDescendingId).filter((control) =>
            matchesOptional(urlParams.featureControlName, control.name)
          )
          const cols = urlParams.cols
          return cols === undefined
            ? answer(FeatureControlList, { featureControls: controls.map(featureControlBody) })
            : answerProjected(FeatureControl, {
              featureControls: controls.map((control) => project(featureControlBody(control), cols))
            })
        }))
      .handle("update", ({ path, payload }) =>
        Effect.gen(function*() {
          const control = yield* transact(state, (data) =>
            Either.gen(function*() {
              const org = yield* requireOrganization(data, path.organizationId)
              const [updated, next] = setFeatureControl(org.id, payload.id, payload.enabled)(data)
              const switched = yield* Either.fromOption(updated, () => featureControlNotFound(payload.id))
              return commit(switched, next)
            }))
          return answer(FeatureControlEnvelope, { featureControl: featureControlBody(control) })
        })))
