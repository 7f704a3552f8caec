/**
 * The emulator's unreliability: seeded fault plans (5xx, 429, resets, refusals, truncation, latency) from its own
 * PRNG, the rate limit's sliding or fixed windows, the hook that drops connections.
 *
 * @since 0.1.0
 */
// Imports `effect`, `@effect/platform` only.
import { HttpBody, type HttpServerRequest, HttpServerResponse } from "@effect/platform"
import { Context, Duration, type Effect, HashMap, Option } from "effect"

// ---------------------------------------------------------------------------
// The plan
// ---------------------------------------------------------------------------

/**
 * How `Retry-After` is written: delay-seconds (`Retry-After: 1`) or an HTTP-date
 * (`Retry-After: Thu, 01 Jan 1970 00:00:01 GMT`, from the `Clock`). RFC 9110 allows both; clients must read both.
 *
 * @since 0.1.0
 * @category models
 */
export type RetryAfterForm = "seconds" | "date"

/**
 * What a fault plan sees of a request to decide whether it applies: the method and the path under the base URL
 * (`/organizations/11`, no `/api/v2`, no query).
 *
 * @since 0.1.0
 * @category models
 */
export interface RequestLine {
  readonly method: string
  readonly path: string
}

/**
 * Seeded, deterministic fault injection. Each request the plan applies to (every request, or those `match` accepts)
 * is numbered from 0 since the plan was set; the fault of request `n` is drawn from the seed and `n` alone, so the
 * same seed and the same sequence of requests give the same faults, whatever ran before.
 *
 * The probabilities are of mutually exclusive outcomes, in this order: `serverError`, `rateLimited`, `reset`,
 * `refused`, `truncated`, `latency` (each clamped to [0, 1]; when they add up to more than 1, the later ones get what
 * is left). A request draws at most one fault, so the request log names exactly what happened to it.
 *
 * | fault | when | what the client sees | state changed |
 * | --- | --- | --- | --- |
 * | `serverError` | half before the handler, half after (drawn) | 500, 502, 503 or 504 (drawn), Make-style JSON body | only when after |
 * | `rateLimited` | before | 429, Make's body, `Retry-After` | no |
 * | `reset` | before (after reading the body) | no answer: `ECONNRESET` | no |
 * | `refused` | before reading anything | no answer: `ECONNREFUSED` in process (a reset on a real port) | no |
 * | `truncated` | after | the handler's status with its body cut to half its length (invalid JSON) | yes |
 * | `latency` | before | the normal answer, `duration` (plus up to `jitter`) later (`Clock`: `TestClock` drives it) | as normal |
 *
 * @example
 * ```ts
 * import { Emulator } from "effect-make/testing"
 *
 * // One request in five fails with a 5xx; only writes are affected.
 * const layer = Emulator.layerTest({
 *   faults: { seed: 42, serverError: 0.2, match: (request) => request.method !== "GET" }
 * })
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface FaultPlan {
  /** Any integer (taken modulo 2^32; a fraction is dropped). */
  readonly seed: number
  /** Probability of a 5xx; the status is drawn among 500, 502, 503, 504, and whether the handler ran first. */
  readonly serverError?: number | undefined
  /** Probability of a 429 with `Retry-After`, answered before the handler. */
  readonly rateLimited?: number | undefined
  /** What an injected 429's `Retry-After` says (default 1 second; rounded up to whole seconds). */
  readonly retryAfterSeconds?: number | undefined
  /** How an injected 429's `Retry-After` is written (default `seconds`). */
  readonly retryAfterAs?: RetryAfterForm | undefined
  /** Probability of a connection reset: no HTTP answer at all, the request not processed. */
  readonly reset?: number | undefined
  /** Probability of a refused connection: no HTTP answer, the request provably not processed (not even read). */
  readonly refused?: number | undefined
  /** Probability of a complete answer whose body is cut in the middle, after the handler ran. */
  readonly truncated?: number | undefined
  /**
   * Probability of a delay before the request is processed (and counted by the rate limit: the time it arrives), and
   * how long: `duration`, plus up to `jitter` more (whole milliseconds, uniform, drawn from the seed), so that two
   * requests sent a minute apart can arrive less than a minute apart, as over a real network.
   */
  readonly latency?: {
    readonly probability: number
    readonly duration: Duration.DurationInput
    readonly jitter?: Duration.DurationInput | undefined
  } | undefined
  /** Limits the plan to some requests; the others are neither faulted nor numbered. */
  readonly match?: ((request: RequestLine) => boolean) | undefined
}

/**
 * The statuses an injected server error is drawn among.
 *
 * @since 0.1.0
 * @category models
 */
export type ServerErrorStatus = 500 | 502 | 503 | 504

/**
 * What happened to a request, as the request log names it: an injected fault (a 5xx status, `429`, `reset`,
 * `refused`, `truncated`, `latency`) or `rateLimit`, the organization's per-minute limit.
 *
 * @since 0.1.0
 * @category models
 */
export type Fault =
  | "500"
  | "502"
  | "503"
  | "504"
  | "429"
  | "reset"
  | "refused"
  | "truncated"
  | "latency"
  | "rateLimit"

/**
 * The fault drawn for one request, before the handler runs.
 *
 * @since 0.1.0
 * @category models
 */
export type Decision =
  | { readonly _tag: "None" }
  | { readonly _tag: "ServerError"; readonly status: ServerErrorStatus; readonly processed: boolean }
  | { readonly _tag: "RateLimited"; readonly retryAfter: Duration.Duration; readonly form: RetryAfterForm }
  | { readonly _tag: "Reset" }
  | { readonly _tag: "Refused" }
  | { readonly _tag: "Truncated" }
  | { readonly _tag: "Latency"; readonly duration: Duration.Duration }

/**
 * No fault.
 *
 * @since 0.1.0
 * @category constructors
 */
export const noFault: Decision = { _tag: "None" }

/**
 * The log's name for a decision (`undefined` for none).
 *
 * @since 0.1.0
 * @category models
 * @internal
 */
export const faultOf = (decision: Decision): Fault | undefined => {
  switch (decision._tag) {
    case "None":
      return undefined
    case "ServerError":
      return `${decision.status}`
    case "RateLimited":
      return "429"
    case "Reset":
      return "reset"
    case "Refused":
      return "refused"
    case "Truncated":
      return "truncated"
    case "Latency":
      return "latency"
  }
}

/**
 * A plan in force, with how many requests it has numbered so far.
 *
 * @since 0.1.0
 * @category models
 */
export interface ActivePlan {
  readonly plan: FaultPlan
  readonly drawn: number
}

// ---------------------------------------------------------------------------
// Seeded randomness (neither Math.random nor Effect's Random: the draw must not depend on anything but the seed and
// the request's number, so that a test sees the same faults alone or after others)
// ---------------------------------------------------------------------------

/** murmur3's finaliser: spreads every input bit over the 32 output bits. */
const fmix32 = (input: number): number => {
  const a = Math.imul(input ^ (input >>> 16), 0x85ebca6b)
  const b = Math.imul(a ^ (a >>> 13), 0xc2b2ae35)
  return (b ^ (b >>> 16)) >>> 0
}

/**
 * mulberry32: a small, fast 32-bit PRNG; each call of the answer gives the next number in [0, 1).
 *
 * @since 0.1.0
 * @category random
 * @internal
 */
export const mulberry32 = (seed: number): () => number => {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    const a = Math.imul(state ^ (state >>> 15), state | 1)
    const b = (a + Math.imul(a ^ (a >>> 7), a | 61)) ^ a
    return ((b ^ (b >>> 14)) >>> 0) / 4294967296
  }
}

/**
 * The random numbers of request `index` under `seed`: a generator seeded from both, so that each request's draw is
 * independent of every other request's.
 *
 * @since 0.1.0
 * @category random
 * @internal
 */
export const randomFor = (seed: number, index: number): () => number =>
  mulberry32(fmix32(fmix32(Math.trunc(seed) >>> 0) ^ Math.imul(index + 1, 0x9e3779b9)))

const probability = (p: number | undefined): number =>
  p === undefined || Number.isNaN(p) ? 0 : Math.min(1, Math.max(0, p))

const serverErrorStatuses: ReadonlyArray<ServerErrorStatus> = [500, 502, 503, 504]

const millisOf = (duration: Duration.DurationInput | undefined): number =>
  duration === undefined ? 0 : Math.max(0, Duration.toMillis(Duration.decode(duration)))

/** A latency fault's delay: its `duration`, plus a whole number of milliseconds up to `jitter` drawn from `random`. */
const latencyOf = (plan: FaultPlan, random: () => number): Duration.Duration => {
  const jitter = Math.floor(millisOf(plan.latency?.jitter))
  const extra = jitter === 0 ? 0 : Math.floor(random() * (jitter + 1))
  return Duration.millis(millisOf(plan.latency?.duration) + extra)
}

/**
 * The fault of the request numbered `index` under a plan: pure, the same for the same plan and index.
 *
 * @since 0.1.0
 * @category random
 */
export const decide = (plan: FaultPlan, index: number): Decision => {
  const random = randomFor(plan.seed, index)
  const roll = random()
  const outcomes: ReadonlyArray<readonly [number, () => Decision]> = [
    [probability(plan.serverError), () => ({
      _tag: "ServerError",
      status: serverErrorStatuses[Math.floor(random() * serverErrorStatuses.length)] ?? 500,
      processed: random() >= 0.5
    })],
    [probability(plan.rateLimited), () => ({
      _tag: "RateLimited",
      retryAfter: Duration.seconds(plan.retryAfterSeconds ?? 1),
      form: plan.retryAfterAs ?? "seconds"
    })],
    [probability(plan.reset), () => ({ _tag: "Reset" })],
    [probability(plan.refused), () => ({ _tag: "Refused" })],
    [probability(plan.truncated), () => ({ _tag: "Truncated" })],
    [probability(plan.latency?.probability), () => ({ _tag: "Latency", duration: latencyOf(plan, random) })]
  ]
  // Consecutive slices of [0, 1): the roll lands in at most one of them.
  let upTo = 0
  for (const [p, outcome] of outcomes) {
    const from = upTo
    upTo = Math.min(1, upTo + p)
    if (roll >= from && roll < upTo) return outcome()
  }
  return noFault
}

/**
 * Numbers a request under the plan in force and draws its fault; a request the plan does not `match` (or any request
 * when no plan is in force) gets no fault and no number. For `Ref.modify`.
 *
 * @since 0.1.0
 * @category random
 * @internal
 */
export const draw = (request: RequestLine) =>
(
  active: Option.Option<ActivePlan>
): readonly [Decision, Option.Option<ActivePlan>] =>
  Option.match(active, {
    onNone: () => [noFault, active],
    onSome: ({ drawn, plan }) =>
      plan.match === undefined || plan.match(request)
        ? [decide(plan, drawn), Option.some({ plan, drawn: drawn + 1 })]
        : [noFault, active]
  })

// ---------------------------------------------------------------------------
// The per-organization rate limit
// ---------------------------------------------------------------------------

/**
 * How the rate limit counts a minute. `sliding` (the default): a request is answered 429 when the organization already
 * had its limit of requests admitted in the 60 seconds before it, so no 60-second span ever holds more than the limit.
 * `fixed`: windows aligned on the Clock's whole minutes, each with a fresh count, so up to twice the limit can pass
 * across a boundary (the limit at the end of one minute, the limit again at the start of the next).
 *
 * Sliding is the default because it is the stricter of the two: a client that meets no 429 under it meets none under
 * fixed windows either (each fixed window is one of the 60-second spans it bounds), whichever way Make counts.
 *
 * @since 0.1.0
 * @category models
 */
export type RateWindowMode = "sliding" | "fixed"

/**
 * The per-organization rate limit: each organization's limit is its `license.apiLimit` unless `perMinute` fixes one
 * for all; `window` says how a minute is counted (default `sliding`, see {@link RateWindowMode}); `retryAfterAs` says
 * how the 429's `Retry-After` is written (default `seconds`).
 *
 * @since 0.1.0
 * @category models
 */
export interface RateLimitOptions {
  readonly perMinute?: number | undefined
  readonly window?: RateWindowMode | undefined
  readonly retryAfterAs?: RetryAfterForm | undefined
}

/**
 * The rate limit's options, defaults filled in.
 *
 * @since 0.1.0
 * @category models
 */
export interface RateLimitSettings {
  readonly perMinute: Option.Option<number>
  readonly window: RateWindowMode
  readonly retryAfterAs: RetryAfterForm
}

/**
 * Reads the `rateLimit` option: off unless `true` or an object.
 *
 * @since 0.1.0
 * @category constructors
 * @internal
 */
export const rateLimitSettings = (
  option: boolean | RateLimitOptions | undefined
): Option.Option<RateLimitSettings> =>
  option === undefined || option === false
    ? Option.none()
    : Option.some({
      perMinute: option === true ? Option.none() : Option.fromNullable(option.perMinute),
      window: option === true ? "sliding" : option.window ?? "sliding",
      retryAfterAs: option === true ? "seconds" : option.retryAfterAs ?? "seconds"
    })

/**
 * One organization's count. `Fixed`: the current window's start (Clock millis of a whole minute) and how many requests
 * it admitted. `Sliding`: the Clock millis of the requests admitted in the last minute (and perhaps a few older ones,
 * dropped at the next request), oldest first.
 *
 * @since 0.1.0
 * @category models
 */
export type RateWindow =
  | { readonly _tag: "Fixed"; readonly start: number; readonly count: number }
  | { readonly _tag: "Sliding"; readonly admitted: ReadonlyArray<number> }

/**
 * The windows, by rate-limit key (`organization:11`, or `none` for requests that concern no organization).
 *
 * @since 0.1.0
 * @category models
 */
export type RateWindows = HashMap.HashMap<string, RateWindow>

/**
 * The length of a rate-limit window.
 *
 * @since 0.1.0
 * @category constants
 */
export const rateWindow: Duration.Duration = Duration.minutes(1)

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
  const first = admitted.findIndex((at) => at > now - length)
  const recent = first < 0 ? [] : first === 0 ? admitted : admitted.slice(first)
  // Full: the request may pass once enough of the oldest have left the window, the oldest of them a minute after it
  // was admitted (`recent` can hold more than `limit` when the limit was lowered since).
  const freedBy = recent[recent.length - limit]
  return freedBy !== undefined
    ? [Option.some(Duration.millis(freedBy + length - now)), windows]
    : [Option.none(), HashMap.set(windows, key, { _tag: "Sliding", admitted: [...recent, now] })]
}

/**
 * Counts a request under `key` at `now` (Clock millis). `fixed`: in windows aligned on the Clock's minutes. `sliding`:
 * against the requests admitted in the minute before `now`. Within the limit: `None`, and the request counts; past it:
 * how long until a request would pass (the window resets, or the oldest request in it leaves it), and the request does
 * not count. For `Ref.modify`.
 *
 * @since 0.1.0
 * @category rate limit
 */
export const admit = (key: string, limit: number, now: number, mode: RateWindowMode = "sliding") =>
(
  windows: RateWindows
): readonly [Option.Option<Duration.Duration>, RateWindows] =>
  mode === "fixed" ? admitFixed(key, limit, now, windows) : admitSliding(key, limit, now, windows)

// ---------------------------------------------------------------------------
// Answers
// ---------------------------------------------------------------------------

/**
 * Make's 429 message.
 *
 * @since 0.1.0
 * @category constants
 * @internal
 */
export const rateLimitDetail = "Requests limit for organization exceeded, please try again later."

/**
 * The value of `Retry-After` for a wait of `after` from `now` (Clock millis): whole seconds, rounded up, or the
 * HTTP-date (IMF-fixdate) when the wait ends.
 *
 * @since 0.1.0
 * @category answers
 * @internal
 */
export const retryAfterValue = (after: Duration.Duration, form: RetryAfterForm, now: number): string => {
  const seconds = Math.max(0, Math.ceil(Duration.toMillis(after) / 1000))
  return form === "seconds" ? String(seconds) : new Date(now + seconds * 1000).toUTCString()
}

/**
 * Make's 429: `{"detail":"Requests limit for organization exceeded, please try again later.","message":"Too many
 * requests","code":"SC429"}` with `Retry-After`.
 *
 * @since 0.1.0
 * @category answers
 * @internal
 */
export const tooManyRequests = (retryAfter: string): HttpServerResponse.HttpServerResponse =>
  HttpServerResponse.unsafeJson(
    { detail: rateLimitDetail, message: "Too many requests", code: "SC429" },
    { status: 429, headers: { "retry-after": retryAfter } }
  )

const serverErrorBodies: Record<ServerErrorStatus, { readonly detail: string; readonly message: string }> = {
  500: { detail: "Internal server error.", message: "Internal Server Error" },
  502: { detail: "Bad gateway.", message: "Bad Gateway" },
  503: { detail: "Service temporarily unavailable.", message: "Service Unavailable" },
  504: { detail: "Gateway timeout.", message: "Gateway Timeout" }
}

/**
 * An injected 5xx, with a body in Make's error shape (`code` `SC500`, `SC502`, ...).
 *
 * @since 0.1.0
 * @category answers
 * @internal
 */
export const serverError = (status: ServerErrorStatus): HttpServerResponse.HttpServerResponse =>
  HttpServerResponse.unsafeJson({ ...serverErrorBodies[status], code: `SC${status}` }, { status })

/**
 * The same answer with its body cut to half its length (rounded down): a JSON body is no longer JSON. Status and
 * headers stay, `Content-Length` follows the cut body. Bodies that are not bytes in memory (streams, forms) are
 * left whole: the emulator's handlers never answer with them.
 *
 * @since 0.1.0
 * @category answers
 * @internal
 */
export const truncate = (response: HttpServerResponse.HttpServerResponse): HttpServerResponse.HttpServerResponse => {
  const body = response.body
  switch (body._tag) {
    case "Uint8Array":
      return HttpServerResponse.setBody(
        response,
        HttpBody.uint8Array(body.body.slice(0, Math.floor(body.body.length / 2)), body.contentType)
      )
    case "Raw":
      return typeof body.body === "string"
        ? HttpServerResponse.setBody(
          response,
          HttpBody.text(body.body.slice(0, Math.floor(body.body.length / 2)), body.contentType)
        )
        : response
    default:
      return response
  }
}

// ---------------------------------------------------------------------------
// Dropping a connection
// ---------------------------------------------------------------------------

/**
 * A connection fault: the client gets no HTTP answer.
 *
 * @since 0.1.0
 * @category models
 */
export type ConnectionFault = "reset" | "refused"

/**
 * What a transport does for a connection fault.
 *
 * @since 0.1.0
 * @category models
 */
export interface ConnectionService {
  /**
   * Ends the request's connection without an HTTP answer. The app answers nothing afterwards; the transport then
   * interrupts the request's fiber, as it does when a client goes away.
   */
  readonly drop: (request: HttpServerRequest.HttpServerRequest, fault: ConnectionFault) => Effect.Effect<void>
}

/**
 * The transport under the emulator's app, as far as faults need it: each way of serving the app (in process, on a
 * port) provides its own.
 *
 * @since 0.1.0
 * @category tags
 */
export class Connection extends Context.Tag("effect-make/testing/EmulatorFaults/Connection")<
  Connection,
  ConnectionService
>() {}
