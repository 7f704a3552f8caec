// The emulator's per-organization rate limit: which organization a request concerns, and the sliding (or fixed)
// minute that admits it or says how long to wait. Imports `effect`, `effect/http` and testing/.
/**
 * @since 1.0.0
 * @internal
 */
import { Duration, HashMap, Option } from "effect"
import { HttpServerResponse } from "effect/http"
import { findInvitation } from "./Invitations.js"
import type { RateWindowMode, RetryAfterForm } from "./Options.js"
import type { RecordedRequest } from "./Records.js"
import { teamsLicense } from "./Seed.js"
import { type Data, findTeam } from "./Store.js"

/**
 * The window each organization's `license.apiLimit` counts requests in.
 *
 * @since 1.0.0
 * @category rate limit
 */
export const rateWindow: Duration.Duration = Duration.minutes(1)

/**
 * The limit when the organization's licence does not say (no organization, or an unknown one): the Teams plan's.
 *
 * @since 1.0.0
 * @category rate limit
 */
export const defaultApiLimit = teamsLicense.apiLimit

/**
 * Each key's window: the times admitted (sliding) or the start and count of the current minute (fixed).
 *
 * @since 1.0.0
 * @category rate limit
 */
export type RateWindows = HashMap.HashMap<
  string,
  | { readonly _tag: "Sliding"; readonly admitted: ReadonlyArray<number> }
  | { readonly _tag: "Fixed"; readonly start: number; readonly count: number }
>

const admitFixed = (
  key: string,
  limit: number,
  now: number,
  windows: RateWindows
): readonly [Option.Option<Duration.Duration>, RateWindows] => {
  const length = Duration.toMillis(rateWindow)
  const start = now - (now % length)
  const count = Option.match(HashMap.get(windows, key), {
    onNone: () => 0,
    onSome: (window) => window._tag === "Fixed" && window.start === start ? window.count : 0
  })
  return count >= limit
    ? [Option.some(Duration.millis(start + length - now)), windows]
    : [Option.none(), HashMap.set(windows, key, { _tag: "Fixed", start, count: count + 1 })]
}

const admitSliding = (
  key: string,
  limit: number,
  now: number,
  windows: RateWindows
): readonly [Option.Option<Duration.Duration>, RateWindows] => {
  const length = Duration.toMillis(rateWindow)
  const admitted = Option.match(HashMap.get(windows, key), {
    onNone: (): ReadonlyArray<number> => [],
    onSome: (window) => window._tag === "Sliding" ? window.admitted : []
  })
  // The requests still in the window (now - 1 minute, now]: one admitted exactly a minute ago no longer counts.
  const recent = admitted.filter((at) => at > now - length)
  // Full: the request may pass once enough of the oldest have left the window.
  const freedBy = recent[recent.length - limit]
  return freedBy !== undefined
    ? [Option.some(Duration.millis(freedBy + length - now)), windows]
    : [Option.none(), HashMap.set(windows, key, { _tag: "Sliding", admitted: [...recent, now] })]
}

/**
 * Admits a request under `key` at `now` (for `Ref.modify`), or says how long until it would be admitted.
 *
 * @since 1.0.0
 * @category rate limit
 */
export const admit = (key: string, limit: number, now: number, mode: RateWindowMode) =>
(
  windows: RateWindows
): readonly [Option.Option<Duration.Duration>, RateWindows] =>
  mode === "fixed" ? admitFixed(key, limit, now, windows) : admitSliding(key, limit, now, windows)

/**
 * The value of `Retry-After` for a wait of `after` from `now` (Clock millis): whole seconds, rounded up, or the
 * HTTP-date (IMF-fixdate, always GMT) when the wait, so rounded, ends.
 *
 * @example
 * ```ts
 * import { Duration } from "effect"
 * import { retryAfterValue } from "effect-make/testing/emulator/RateLimit"
 *
 * retryAfterValue(Duration.millis(1500), "seconds", 0) // "2"
 * retryAfterValue(Duration.seconds(2), "date", 10_000) // "Thu, 01 Jan 1970 00:00:12 GMT"
 * ```
 *
 * @since 1.0.0
 * @category rate limit
 */
export const retryAfterValue = (after: Duration.Duration, form: RetryAfterForm, now: number): string => {
  const seconds = Math.max(0, Math.ceil(Duration.toMillis(after) / 1000))
  return form === "seconds" ? String(seconds) : new Date(now + seconds * 1000).toUTCString()
}

/**
 * Make's 429 message.
 *
 * @since 1.0.0
 * @category rate limit
 */
export const rateLimitDetail = "Requests limit for organization exceeded, please try again later."

/**
 * Make's 429 with `Retry-After`.
 *
 * @since 1.0.0
 * @category rate limit
 */
export const tooManyRequests = (retryAfter: string): HttpServerResponse.HttpServerResponse =>
  HttpServerResponse.jsonUnsafe(
    { detail: rateLimitDetail, message: "Too many requests", code: "SC429" },
    { status: 429, headers: { "retry-after": retryAfter } }
  )

/**
 * What the rate limit looks at in a request.
 *
 * @since 1.0.0
 * @category rate limit
 */
export interface RequestSummary {
  readonly method: string
  readonly path: string
  readonly query: RecordedRequest["query"]
  readonly body: unknown
}

/** A positive integer id from a query value or a body field (numbers or digit strings). */
const idOf = (value: unknown): Option.Option<number> => {
  if (typeof value === "number") return Number.isSafeInteger(value) && value > 0 ? Option.some(value) : Option.none()
  if (typeof value === "string" && /^\d+$/.test(value)) return Option.some(Number(value))
  return Option.none()
}

const fieldOf = (body: unknown, name: string): unknown =>
  typeof body === "object" && body !== null ? Object.entries(body).find(([key]) => key === name)?.[1] : undefined

const queryValue = (query: RecordedRequest["query"], name: string): Option.Option<string> => {
  const value = query[name]
  return typeof value === "string" ? Option.some(value) : Option.none()
}

/**
 * The organization a request concerns, as Effect 3's emulator counts it: `/organizations/{id}/...`; the
 * `organizationId` of `/admin/teams` (query on GET, body on POST); the team's organization for
 * `/admin/teams/{teamId}`; the invitation's organization for the invitation endpoints (by `hash`). `None` for the
 * rest, which share one count.
 *
 * @since 1.0.0
 * @category rate limit
 */
export const organizationConcerned = (data: Data, request: RequestSummary): Option.Option<number> => {
  const { body, method, path, query } = request
  if (path === "/organizations/invitation") {
    return Option.flatMap(
      queryValue(query, "hash"),
      (hash) => Option.map(findInvitation(data, hash), (invitation) => invitation.organizationId)
    )
  }
  if (path === "/organizations/accept-invitation") {
    const hash = fieldOf(body, "hash")
    return typeof hash === "string"
      ? Option.map(findInvitation(data, hash), (invitation) => invitation.organizationId)
      : Option.none()
  }
  const organization = /^\/organizations\/(\d+)(?:\/|$)/.exec(path)
  if (organization !== null) return idOf(organization[1])
  if (path === "/admin/teams" || path === "/admin/teams/") {
    if (method === "POST") return idOf(fieldOf(body, "organizationId"))
    return Option.flatMap(queryValue(query, "organizationId"), idOf)
  }
  const team = /^\/admin\/teams\/(\d+)\/?$/.exec(path)
  if (team !== null) {
    return Option.map(Option.flatMap(idOf(team[1]), (id) => findTeam(data, id)), (found) => found.organizationId)
  }
  return Option.none()
}
