// The client-side rate limiter: one fixed-window limiter per organization a request concerns, created on first use and
// shared by every service of one client. Internal to MakeClient; imports `effect` and `@effect/platform`.
/**
 * @since 0.1.0
 * @internal
 */
import type { HttpClientRequest } from "@effect/platform"
import { Effect, Predicate, RateLimiter, Scope, SynchronizedRef } from "effect"

const organizationInPath = /\/organizations\/(\d+)(?:\/|$)/

const organizationInBody = (request: HttpClientRequest.HttpClientRequest): string | undefined => {
  if (request.body._tag !== "Uint8Array") return undefined
  try {
    const parsed: unknown = JSON.parse(new TextDecoder().decode(request.body.body))
    return Predicate.hasProperty(parsed, "organizationId") && typeof parsed.organizationId === "number"
      ? String(parsed.organizationId)
      : undefined
  } catch {
    return undefined
  }
}

/**
 * The organization a request counts against: its path (`/organizations/11/...`), its `organizationId` query
 * (`GET /admin/teams`) or body (`POST /admin/teams`); requests about no organization share one key.
 *
 * @internal
 */
export const organizationKey = (request: HttpClientRequest.HttpClientRequest): string => {
  const fromPath = organizationInPath.exec(request.url)?.[1]
  const fromQuery = request.urlParams.find(([name]) => name === "organizationId")?.[1]
  return fromPath ?? fromQuery ?? organizationInBody(request) ?? "shared"
}

/**
 * Makes `limit(key)`: the limiter of one key, at most `requestsPerMinute` permits in each minute (fixed windows, as
 * Make counts: a token bucket would let a full bucket plus its refill through in one window).
 * The limiters live as long as the scope that made them (the client's layer).
 *
 * @internal
 */
export const makeKeyed = (
  requestsPerMinute: number
): Effect.Effect<(key: string) => Effect.Effect<RateLimiter.RateLimiter>, never, Scope.Scope> =>
  Effect.gen(function*() {
    const scope = yield* Effect.scope
    const limiters = yield* SynchronizedRef.make<ReadonlyMap<string, RateLimiter.RateLimiter>>(new Map())
    return (key) =>
      SynchronizedRef.modifyEffect(limiters, (current) => {
        const existing = current.get(key)
        if (existing !== undefined) return Effect.succeed([existing, current] as const)
        return RateLimiter.make({ limit: requestsPerMinute, interval: "1 minute", algorithm: "fixed-window" }).pipe(
          Scope.extend(scope),
          Effect.map((limiter) => [limiter, new Map(current).set(key, limiter)] as const)
        )
      })
  })
