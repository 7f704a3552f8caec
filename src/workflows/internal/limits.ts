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
 * The windows of one process (of one workflows layer): by organization id, and one for requests about none.
 *
 * @internal
 */
export class OrganizationLimits extends Context.Service<OrganizationLimits, RateLimit.Registry>()(
  "effect-make/workflows/OrganizationLimits"
) {}

/**
 * A fresh set of windows, every key at {@link lowestApiLimit} until told otherwise.
 *
 * @internal
 */
export const layer: Layer.Layer<OrganizationLimits> = Layer.sync(
  OrganizationLimits,
  () => RateLimit.makeRegistry(() => lowestApiLimit)
)

/**
 * Records an organization's licence limit, in `license` mode.
 *
 * @internal
 */
export const learn = (
  limits: RateLimit.Registry,
  mode: Mode,
  organizationId: number,
  apiLimit: number | undefined
): Effect.Effect<void> =>
  Effect.sync(() => {
    if (mode === "license" && apiLimit !== undefined && apiLimit > 0) limits.setLimit(organizationId, apiLimit)
  })

/**
 * Runs `effect` (calls to Make) with every attempt it sends held to the limit of the organization it concerns, through
 * the client pipeline's `FiberLimiter` reference. A request about no organization (`PATCH`/`DELETE /admin/teams/{id}`)
 * is counted against `organizationId` when the call is about one (`0`: not known yet), else against the shared window.
 *
 * @internal
 */
export const throttle =
  (limits: RateLimit.Registry, mode: Mode, organizationId: number) =>
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
