/**
 * The FeatureControls service: an organization's feature switches (e.g. "Make AI Tools"), listed and flipped. Its own
 * service because feature controls are their own resource, with their own list and patch: they are not usage (what
 * was consumed) nor the licence (what the plan allows), but what the admin lets the organization use.
 *
 * @since 1.0.0
 */
// Floor 4: imports MakeClient, Operation, Mock and floors below; never testing/ or @effect/platform-node.
import { Context, Effect, Layer, Schema } from "effect"
import { Id } from "./domain/Common.js"
import { FeatureControlColumn, SetFeatureControl } from "./domain/FeatureControl.js"
import { MakeClient } from "./MakeClient.js"
import * as Mock from "./Mock.js"
import * as Operation from "./Operation.js"
import * as Pagination from "./Pagination.js"

// ---------------------------------------------------------------------------
// Arguments
// ---------------------------------------------------------------------------

/**
 * Options of `list`.
 *
 * @since 1.0.0
 * @category arguments
 */
export const ListOptions = Schema.Struct({
  /** Only the control with this name, e.g. `Make AI Tools`. */
  featureControlName: Schema.optional(Schema.Trimmed.check(Schema.isNonEmpty())),
  /** Columns to return (`cols[]`); `id` is always included. */
  cols: Schema.optional(Schema.Array(FeatureControlColumn))
})

/**
 * The type of the `ListOptions` schema.
 *
 * @since 1.0.0
 * @category arguments
 */
export type ListOptions = typeof ListOptions.Type

/** Columns always requested with `cols`, because every decoded `FeatureControl` has them. */
const requiredColumns: ReadonlyArray<FeatureControlColumn> = ["id"]

// ---------------------------------------------------------------------------
// Methods
// ---------------------------------------------------------------------------

/**
 * The methods of the service over the contract, each said once: its arguments, their schema, and the call.
 *
 * @since 1.0.0
 * @category methods
 */
export const methods = {
  /**
   * The organization's feature controls, by descending id.
   *
   * @example
   * ```ts
   * const [aiTools] = yield* controls.list(11, { featureControlName: "Make AI Tools" })
   * ```
   */
  list: Operation.method({
    endpoint: ["featureControls", "list"],
    args: (organizationId: number, options?: ListOptions) => ({ organizationId, ...options }),
    input: Schema.Struct({ organizationId: Id, ...ListOptions.fields }),
    about: ({ organizationId }) => ({ resource: "organization", id: organizationId }),
    organization: ({ organizationId }) => organizationId,
    send: (list, input) =>
      list({
        params: { organizationId: input.organizationId },
        query: {
          featureControlName: input.featureControlName,
          cols: Pagination.withColumns(input.cols, requiredColumns)
        }
      })
  }),
  /**
   * Enables or disables one feature control.
   *
   * @example
   * ```ts
   * const control = yield* controls.update(11, { id: 3, enabled: false })
   * ```
   */
  update: Operation.method({
    endpoint: ["featureControls", "update"],
    args: (organizationId: number, body: SetFeatureControl) => ({ organizationId, body }),
    input: Schema.Struct({ organizationId: Id, body: SetFeatureControl }),
    // a 404 is about the organization or the control: Make does not say which
    about: ({ body, organizationId }) => ({ resource: "featureControl", id: body.id, organizationId }),
    organization: ({ organizationId }) => organizationId,
    send: (update, input) => update({ params: { organizationId: input.organizationId }, payload: input.body })
  })
}

/**
 * What `yield* FeatureControls` gives: an organization's feature controls, each method with exactly the errors its
 * contract endpoint declares.
 *
 * @since 1.0.0
 * @category models
 */
export interface Service extends Operation.Methods<typeof methods> {}

/**
 * The FeatureControls service.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { FeatureControls } from "effect-make"
 *
 * const program = Effect.gen(function*() {
 *   const controls = yield* FeatureControls.FeatureControls
 *   return yield* controls.list(11)
 * })
 * ```
 *
 * @since 1.0.0
 * @category tags
 */
export class FeatureControls extends Context.Service<FeatureControls, Service>()("effect-make/FeatureControls") {}

/**
 * Builds the service over {@link MakeClient}.
 *
 * @since 1.0.0
 * @category constructors
 */
export const make: Effect.Effect<Service, never, MakeClient> = Effect.map(
  Effect.service(MakeClient),
  (client) => Operation.bind("FeatureControls", methods, client)
)

/**
 * The service, over a {@link MakeClient} the caller provides.
 *
 * @since 1.0.0
 * @category layers
 */
export const layer: Layer.Layer<FeatureControls, never, MakeClient> = Layer.effect(FeatureControls, make)

/**
 * A mock of the service for tests of code that uses it: the methods given, and for every other one a defect naming
 * it (`FeatureControls.<method> was called but the mock layer does not implement it`), or, with `otherwise`, a typed
 * error every method can fail with (see `Mock.Shared`). No client, no emulator, no network.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { FeatureControls } from "effect-make"
 *
 * const ControlsTest = FeatureControls.layerMock({ list: () => Effect.succeed([]) })
 * ```
 *
 * @since 1.0.0
 * @category layers
 */
export const layerMock: Mock.MockLayer<FeatureControls, Service> = Mock.layer(FeatureControls, {
  effects: Object.keys(methods),
  streams: []
})
