// The rate limits a workflow run keeps: each organization at its licence's `apiLimit` (learned when the run reads the
// organization), in sliding windows shared by the runs of one process. The workflows: imports `effect`, internal/.
/**
 * @since 1.0.0
 * @internal
 */
import { Context, Effect, Layer } from "effect"
import * as RateLimit from "../../internal/rateLimiter.js"

/**
 * The lowest `apiLimit` of Make's plans (Core): what an organization is held to until its licence is read, and what
 * the requests that concern no organization are held to (Make does not say which budget they count against).
 *
 * @internal
 */
export const lowestApiLimit = 60

/**
 * How a run keeps under Make's per-organization limit: `license` (each organization at its `license.apiLimit`),
 * `{ requestsPerMinute }` (that limit for every organization and for the requests about none), or `off`.
 *
 * @internal
 */
export type Mode = "license" | "off" | { readonly requestsPerMinute: number }

/**
 * Where the runs' permits come from: `limiter(organizationId, requestsPerMinute?)` holds a request about that
 * organization (about none: `undefined`) to its window, at `requestsPerMinute` when given, else at the limit learned
 * for it, else at {@link lowestApiLimit}; `learn` records an organization's licence limit. The windows of one process
 * ({@link layer}, a `RateLimit.Registry`) or of a cluster (`ClusterLimits`, behind the durable entry).
 *
 * @internal
 */
export interface Limits {
  readonly limiter: (organizationId: RateLimit.OrganizationId, requestsPerMinute?: number) => RateLimit.Limiter
  readonly learn: (organizationId: number, apiLimit: number) => Effect.Effect<void>
}

/**
 * The windows the workflows' runs share: by organization id, and one for requests about none.
 *
 * @internal
 */
export class OrganizationLimits extends Context.Service<OrganizationLimits, Limits>()(
  "effect-make/workflows/OrganizationLimits"
) {}

/**
 * The {@link Limits} of a registry of windows in this process.
 *
 * @internal
 */
export const fromRegistry = (registry: RateLimit.Registry): Limits => ({
  limiter: registry.limiter,
  learn: (organizationId, apiLimit) => Effect.sync(() => registry.setLimit(organizationId, apiLimit))
})

/**
 * A fresh set of windows in this process, every key at {@link lowestApiLimit} until told otherwise.
 *
 * @internal
 */
export const layer: Layer.Layer<OrganizationLimits> = Layer.sync(
  OrganizationLimits,
  () => fromRegistry(RateLimit.makeRegistry(() => lowestApiLimit))
)

/**
 * Records an organization's licence limit, in `license` mode.
 *
 * @internal
 */
export const learn = (
  limits: Limits,
  mode: Mode,
  organizationId: number,
  apiLimit: number | undefined
): Effect.Effect<void> =>
  mode === "license" && apiLimit !== undefined && apiLimit > 0 ? limits.learn(organizationId, apiLimit) : Effect.void

/**
 * Runs `effect` (calls to Make) with every attempt it sends held to the limit of the organization it concerns, through
 * the client pipeline's `FiberLimiter` reference. A request about no organization (`PATCH`/`DELETE /admin/teams/{id}`)
 * is counted against `organizationId` when the call is about one (`0`: not known yet), else against the shared window.
 *
 * @internal
 */
export const throttle =
  (limits: Limits, mode: Mode, organizationId: number) =>
  <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> => {
    if (mode === "off") return effect
    const keyOf = (key: RateLimit.OrganizationId): RateLimit.OrganizationId =>
      key === undefined && organizationId > 0 ? organizationId : key
    // `{ requestsPerMinute }` is passed with each request rather than learned: it is this run's, not the licence's.
    const requestsPerMinute = mode === "license" ? undefined : mode.requestsPerMinute
    return Effect.provideService(
      effect,
      RateLimit.FiberLimiter,
      (requestKey) => limits.limiter(keyOf(requestKey), requestsPerMinute)
    )
  }
