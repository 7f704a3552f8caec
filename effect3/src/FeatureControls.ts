/**
 * The FeatureControls service: an organization's feature switches (e.g. "Make AI Tools"), listed and flipped. Its own
 * service because feature controls are their own resource, with their own list and patch: they are not usage (what
 * was consumed) nor the licence (what the plan allows), but what the admin lets the organization use.
 *
 * @since 0.1.0
 */
// Floor 4: imports MakeClient, Operation and floors below; never testing/ or @effect/platform-node.
import { Context, Effect, Layer, Schema } from "effect"
import { Id } from "./domain/Common.js"
import { type FeatureControl, FeatureControlColumn, SetFeatureControl } from "./domain/FeatureControl.js"
import { MakeClient } from "./MakeClient.js"
import type * as MakeError from "./MakeError.js"
import * as Operation from "./Operation.js"
import * as Pagination from "./Pagination.js"

/**
 * Options of {@link Service.list}.
 *
 * @since 0.1.0
 * @category arguments
 */
export const ListOptions = Schema.Struct({
  /** Only the control with this name, e.g. `Make AI Tools`. */
  featureControlName: Schema.optional(Schema.NonEmptyTrimmedString),
  /** Columns to return (`cols[]`); `id` is always included. */
  cols: Schema.optional(Schema.Array(FeatureControlColumn))
})

/**
 * The type of the `ListOptions` schema.
 *
 * @since 0.1.0
 * @category arguments
 */
export type ListOptions = typeof ListOptions.Type

const ListInput = Schema.Struct({ organizationId: Id, ...ListOptions.fields })
const UpdateInput = Schema.Struct({ organizationId: Id, body: SetFeatureControl })

/** Columns always requested with `cols`, because every decoded `FeatureControl` has them. */
const requiredColumns: ReadonlyArray<FeatureControlColumn> = ["id"]

/**
 * What `yield* FeatureControls` gives: an organization's feature controls. Each method's error channel is exactly what
 * its contract endpoint declares.
 *
 * @since 0.1.0
 * @category models
 */
export interface Service {
  /**
   * The organization's feature controls, by descending id.
   *
   * @example
   * ```ts
   * const [aiTools] = yield* controls.list(11, { featureControlName: "Make AI Tools" })
   * ```
   */
  readonly list: (
    organizationId: number,
    options?: ListOptions
  ) => Effect.Effect<ReadonlyArray<FeatureControl>, MakeError.NotFound | MakeError.Common>
  /**
   * Enables or disables one feature control.
   *
   * @example
   * ```ts
   * const control = yield* controls.update(11, { id: 3, enabled: false })
   * ```
   */
  readonly update: (
    organizationId: number,
    body: SetFeatureControl
  ) => Effect.Effect<FeatureControl, MakeError.NotFound | MakeError.Common>
}

/**
 * The FeatureControls service.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { FeatureControls } from "effect-make"
 *
 * const program = Effect.flatMap(FeatureControls.FeatureControls, (controls) => controls.list(11))
 * ```
 *
 * @since 0.1.0
 * @category tags
 */
export class FeatureControls extends Context.Tag("effect-make/FeatureControls")<FeatureControls, Service>() {}

/**
 * The methods of the service, each over the contract endpoint it names.
 *
 * @since 0.1.0
 * @category operations
 */
export const operations = Operation.table("FeatureControls", {
  list: Operation.make({
    endpoint: ["featureControls", "list"],
    input: ListInput,
    target: ({ organizationId }) => ({ resource: "organization", id: organizationId }),
    send: (list, input) =>
      list({
        path: { organizationId: input.organizationId },
        urlParams: {
          featureControlName: input.featureControlName,
          cols: Pagination.withColumns(input.cols, requiredColumns)
        }
      })
  }),
  update: Operation.make({
    endpoint: ["featureControls", "update"],
    input: UpdateInput,
    // a 404 is about the organization or the control: Make does not say which
    target: ({ body, organizationId }) => ({ resource: "featureControl", id: body.id, organizationId }),
    send: (update, input) => update({ path: { organizationId: input.organizationId }, payload: input.body })
  })
})

/**
 * Builds the service over {@link MakeClient}.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<Service, never, MakeClient> = Effect.gen(function*() {
  const client = yield* MakeClient
  const list = operations.list.bind(client)
  const update = operations.update.bind(client)
  return {
    list: (organizationId, options) => list({ organizationId, ...options }),
    update: (organizationId, body) => update({ organizationId, body })
  }
})

/**
 * The service, over a {@link MakeClient} the caller provides.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<FeatureControls, never, MakeClient> = Layer.effect(FeatureControls, make)

/**
 * A mock of the service for tests of code that uses it: the methods given, and for every other one a defect naming
 * it (`FeatureControls.<method> was called but the mock layer does not implement it`) — or, with `otherwise`, a typed error
 * every method can fail with (see {@link Operation.Shared}). No client, no emulator, no network.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { FeatureControls } from "effect-make"
 *
 * const ControlsTest = FeatureControls.layerMock({ list: () => Effect.succeed([]) })
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layerMock: Operation.MockLayer<FeatureControls, Service> = Operation.layerMock(FeatureControls)
