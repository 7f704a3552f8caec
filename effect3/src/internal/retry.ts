// When a request may be sent again and how long to wait first: the retry decisions of the client pipeline, as pure
// functions. Internal to MakeClient; imports only `effect`, `@effect/platform` and MakeConfig's types.
/**
 * @since 0.1.0
 * @internal
 */
import type { HttpClientError } from "@effect/platform"
import { Duration, Option, Predicate } from "effect"
import type { RetryPolicy } from "../MakeConfig.js"

/** Statuses worth another try: rate limited, or a gateway that may answer next time. 500 is not: it is a bug. */
const transientStatuses: ReadonlySet<number> = new Set([429, 502, 503, 504])

/**
 * Whether an answer with this status may be retried for this method. A POST is retried only on 429: Make refused it
 * before doing anything; after a 5xx the POST may have been processed and a retry could create a duplicate.
 *
 * @internal
 */
export const isRetryableStatus = (method: string, status: number): boolean =>
  transientStatuses.has(status) && (method !== "POST" || status === 429)

/**
 * Whether a 2xx answer whose body is not JSON at all (cut off on the way: the framing held, the document did not) may
 * be sent for again: only for a safe method (GET, HEAD), which asks and changes nothing. After a PATCH, DELETE or
 * POST the 2xx says Make has acted; sending it again would act twice (a DELETE would then answer 404), so the call
 * fails with `UnexpectedResponse` at once and the caller may read the entity back.
 *
 * @internal
 */
export const isRetryableUnreadableBody = (method: string): boolean => method === "GET" || method === "HEAD"

/**
 * Whether a `Content-Type` says JSON (`application/json`, `application/problem+json`, any parameters) or says nothing.
 *
 * @internal
 */
export const isDeclaredJson = (contentType: string | undefined): boolean => {
  if (contentType === undefined) return true
  const mediaType = contentType.split(";", 1)[0]?.trim().toLowerCase() ?? ""
  return mediaType === "" || mediaType === "application/json" || /^application\/[^/]*\+json$/.test(mediaType)
}

const codeOf = (u: unknown): unknown => Predicate.hasProperty(u, "code") ? u.code : undefined
const causeOf = (u: unknown): unknown => Predicate.hasProperty(u, "cause") ? u.cause : undefined

/**
 * Whether a transport failure was a refused connection (`ECONNREFUSED` anywhere in the cause chain): then the
 * request provably never reached Make.
 *
 * @internal
 */
export const isConnectionRefused = (error: unknown): boolean => {
  let current: unknown = error
  for (let depth = 0; depth < 8 && current !== undefined && current !== null; depth++) {
    if (codeOf(current) === "ECONNREFUSED") return true
    current = causeOf(current)
  }
  return false
}

/**
 * Whether a request that got no answer may be sent again: idempotent methods always, a POST only when the connection
 * was refused.
 *
 * @internal
 */
export const isRetryableTransport = (
  method: string,
  error: HttpClientError.HttpClientError | { readonly _tag: "TransportError" }
): boolean => method !== "POST" || (error._tag === "RequestError" && isConnectionRefused(error.cause))

/**
 * The wait before attempt `attempt + 1`: exponential from `baseDelay`, jittered by `random` in `[0, 1)`, at least
 * `Retry-After`, at most `maxDelay`. None when Make asks for a longer wait than `maxDelay` (not worth waiting for).
 *
 * @internal
 */
export const nextDelay = (
  policy: RetryPolicy,
  attempt: number,
  random: number,
  retryAfterMillis: number | undefined
): Option.Option<Duration.Duration> => {
  const maxMillis = Duration.toMillis(policy.maxDelay)
  if (retryAfterMillis !== undefined && retryAfterMillis > maxMillis) return Option.none()
  const exponential = Duration.toMillis(policy.baseDelay) * 2 ** (attempt - 1)
  const jittered = exponential * (1 - policy.jitter + 2 * policy.jitter * random)
  return Option.some(Duration.millis(Math.round(Math.min(maxMillis, Math.max(jittered, retryAfterMillis ?? 0)))))
}

/**
 * The longest wait a `Retry-After` is read as: one hour. A server asking for more (10¹² seconds, a date in the year
 * 9999) is read as asking for an hour, which is past any sane `maxDelay`, so the call fails with `RateLimited` at once
 * instead of sleeping for ever (or overflowing a timer).
 *
 * @internal
 */
export const maxRetryAfterMillis = 3_600_000

/** The three HTTP-date forms of RFC 9110 §5.6.7 (IMF-fixdate, RFC 850, asctime); `Date.parse` alone takes anything. */
const httpDate = new RegExp(
  [
    String.raw`^[a-z]{3}, \d{2} [a-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT$`,
    String.raw`^[a-z]{6,9}, \d{2}-[a-z]{3}-\d{2} \d{2}:\d{2}:\d{2} GMT$`,
    String.raw`^[a-z]{3} [a-z]{3} [ \d]\d \d{2}:\d{2}:\d{2} \d{4}$`
  ].join("|"),
  "i"
)

/**
 * `Retry-After` in milliseconds: either delay-seconds or an HTTP date (RFC 9110 §10.2.3), at most
 * {@link maxRetryAfterMillis}; a date in the past is 0. Anything else (negative, fractional, garbage, a header of a
 * megabyte) counts as absent.
 *
 * @internal
 */
export const parseRetryAfter = (header: string | undefined, nowMillis: number): number | undefined => {
  if (header === undefined || header.length > 64) return undefined
  const trimmed = header.trim()
  if (/^\d+$/.test(trimmed)) return Math.min(maxRetryAfterMillis, Number(trimmed) * 1000)
  if (!httpDate.test(trimmed)) return undefined
  // An HTTP date is GMT in every form, but asctime's (`Sun Nov  6 08:49:37 1994`) does not say so, and `Date.parse`
  // reads a date without a zone in the machine's own: 14 hours off under UTC+14.
  const date = Date.parse(trimmed.endsWith("GMT") ? trimmed : `${trimmed} GMT`)
  return Number.isNaN(date) ? undefined : Math.min(maxRetryAfterMillis, Math.max(0, date - nowMillis))
}
