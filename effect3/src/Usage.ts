/**
 * The Usage service: an organization's daily operations, data transfer and centicredits over the past 30 days.
 *
 * @since 0.1.0
 */
// Floor 4: imports MakeClient, Operation and floors below; never testing/ or @effect/platform-node.
import { Context, Effect, Layer, Schema } from "effect"
import { Id } from "./domain/Common.js"
import type { UsageDay } from "./domain/Usage.js"
import { MakeClient } from "./MakeClient.js"
import type * as MakeError from "./MakeError.js"
import * as Operation from "./Operation.js"

/**
 * Options of {@link Service.get}.
 *
 * @since 0.1.0
 * @category arguments
 */
export const GetOptions = Schema.Struct({
  /** Cut days at midnight in the organization's timezone rather than the caller's (`organizationTimezone=true`). */
  organizationTimezone: Schema.optional(Schema.Boolean)
})

/**
 * The type of the `GetOptions` schema.
 *
 * @since 0.1.0
 * @category arguments
 */
export type GetOptions = typeof GetOptions.Type

const GetInput = Schema.Struct({ organizationId: Id, ...GetOptions.fields })

/**
 * What `yield* Usage` gives: an organization's daily usage. Each method's error channel is exactly what its contract
 * endpoint declares.
 *
 * @since 0.1.0
 * @category models
 */
export interface Service {
  /**
   * 30 daily entries, oldest first, across all scenarios of all teams of the organization.
   *
   * @example
   * ```ts
   * const days = yield* usage.get(11, { organizationTimezone: true })
   * const operations = days.reduce((sum, day) => sum + day.operations, 0)
   * ```
   */
  readonly get: (
    organizationId: number,
    options?: GetOptions
  ) => Effect.Effect<ReadonlyArray<UsageDay>, MakeError.NotFound | MakeError.Common>
}

/**
 * The Usage service.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Usage } from "effect-make"
 *
 * const program = Effect.flatMap(Usage.Usage, (usage) => usage.get(11))
 * ```
 *
 * @since 0.1.0
 * @category tags
 */
export class Usage extends Context.Tag("effect-make/Usage")<Usage, Service>() {}

/**
 * The methods of the service, each over the contract endpoint it names.
 *
 * @since 0.1.0
 * @category operations
 */
export const operations = Operation.table("Usage", {
  get: Operation.make({
    endpoint: ["usage", "get"],
    input: GetInput,
    target: ({ organizationId }) => ({ resource: "organization", id: organizationId }),
    send: (get, { organizationId, organizationTimezone }) =>
      get({ path: { organizationId }, urlParams: { organizationTimezone } })
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
  const get = operations.get.bind(client)
  return {
    get: (organizationId, options) => get({ organizationId, ...options })
  }
})

/**
 * The service, over a {@link MakeClient} the caller provides.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<Usage, never, MakeClient> = Layer.effect(Usage, make)

/**
 * A mock of the service for tests of code that uses it: the methods given, and for every other one a defect naming
 * it (`Usage.<method> was called but the mock layer does not implement it`) — or, with `otherwise`, a typed error
 * every method can fail with (see {@link Operation.Shared}). No client, no emulator, no network.
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
 * @since 0.1.0
 * @category layers
 */
export const layerMock: Operation.MockLayer<Usage, Service> = Operation.layerMock(Usage)
