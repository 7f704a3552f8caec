/**
 * The Usage service: an organization's daily operations, data transfer and centicredits over the past 30 days.
 *
 * @since 1.0.0
 */
// Floor 4: imports MakeClient, Operation, Mock and floors below; never testing/ or @effect/platform-node.
import { Context, Effect, Layer, Schema } from "effect"
import { Id } from "./domain/Common.js"
import { MakeClient } from "./MakeClient.js"
import * as Mock from "./Mock.js"
import * as Operation from "./Operation.js"

// ---------------------------------------------------------------------------
// Arguments
// ---------------------------------------------------------------------------

/**
 * Options of `get`.
 *
 * @since 1.0.0
 * @category arguments
 */
export const GetOptions = Schema.Struct({
  /** Cut days at midnight in the organization's timezone rather than the caller's (`organizationTimezone=true`). */
  organizationTimezone: Schema.optional(Schema.Boolean)
})

/**
 * The type of the `GetOptions` schema.
 *
 * @since 1.0.0
 * @category arguments
 */
export type GetOptions = typeof GetOptions.Type

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
   * 30 daily entries, oldest first, across all scenarios of all teams of the organization.
   *
   * @example
   * ```ts
   * const days = yield* usage.get(11, { organizationTimezone: true })
   * const operations = days.reduce((sum, day) => sum + day.operations, 0)
   * ```
   */
  get: Operation.method({
    endpoint: ["usage", "get"],
    args: (organizationId: number, options?: GetOptions) => ({ organizationId, ...options }),
    input: Schema.Struct({ organizationId: Id, ...GetOptions.fields }),
    about: ({ organizationId }) => ({ resource: "organization", id: organizationId }),
    organization: ({ organizationId }) => organizationId,
    send: (get, { organizationId, organizationTimezone }) =>
      get({ params: { organizationId }, query: { organizationTimezone } })
  })
}

/**
 * What `yield* Usage` gives: an organization's daily usage, with exactly the errors its contract endpoint declares.
 *
 * @since 1.0.0
 * @category models
 */
export interface Service extends Operation.Methods<typeof methods> {}

/**
 * The Usage service.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Usage } from "effect-make"
 *
 * const program = Effect.gen(function*() {
 *   const usage = yield* Usage.Usage
 *   return yield* usage.get(11)
 * })
 * ```
 *
 * @since 1.0.0
 * @category tags
 */
export class Usage extends Context.Service<Usage, Service>()("effect-make/Usage") {}

/**
 * Builds the service over {@link MakeClient}.
 *
 * @since 1.0.0
 * @category constructors
 */
export const make: Effect.Effect<Service, never, MakeClient> = Effect.map(
  Effect.service(MakeClient),
  (client) => Operation.bind("Usage", methods, client)
)

/**
 * The service, over a {@link MakeClient} the caller provides.
 *
 * @since 1.0.0
 * @category layers
 */
export const layer: Layer.Layer<Usage, never, MakeClient> = Layer.effect(Usage, make)

/**
 * A mock of the service for tests of code that uses it: the methods given, and for every other one a defect naming
 * it (`Usage.<method> was called but the mock layer does not implement it`), or, with `otherwise`, a typed error
 * every method can fail with (see `Mock.Shared`). No client, no emulator, no network.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { MakeError, Usage } from "effect-make"
 *
 * const UsageTest = Usage.layerMock({ get: () => Effect.succeed([]) })
 * // every call answers 503 after the retries
 * const UsageDown = Usage.layerMock({}, { otherwise: new MakeError.ServerError({ status: 503, detail: "down" }) })
 * ```
 *
 * @since 1.0.0
 * @category layers
 */
export const layerMock: Mock.MockLayer<Usage, Service> = Mock.layer(Usage, {
  effects: Object.keys(methods),
  streams: []
})
