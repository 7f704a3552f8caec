/**
 * The emulator's fault injection without HTTP: seeded fault plans (5xx, 429, resets, refusals, truncation, latency)
 * from their own PRNG, `--faults` JSON, Retry-After values, 5xx bodies, truncation.
 *
 * @since 1.0.0
 */
// The emulator's fault injection without HTTP. Imports `effect` and testing/.
import { Duration, Effect, Option, Ref, Schema } from "effect"
import { HttpBody, HttpServerResponse } from "effect/http"
import type { FaultPlan, RequestLine, RetryAfterForm } from "./emulator/Options.js"
import type { Fault } from "./emulator/Records.js"

export type {
  /**
   * Seeded, deterministic fault injection: the probability of each fault and the requests it applies to.
   *
   * @since 1.0.0
   * @category models
   */
  FaultPlan,
  /**
   * The per-organization rate limit: a fixed `perMinute` or each organization's `license.apiLimit`,
   * the window, and how `Retry-After` is written.
   *
   * @since 1.0.0
   * @category models
   */
  RateLimitOptions,
  /**
   * `RateLimitOptions` with every default filled in.
   *
   * @since 1.0.0
   * @category models
   */
  RateLimitSettings,
  /**
   * How the rate limit counts a minute: `sliding` (the default) or `fixed` windows.
   *
   * @since 1.0.0
   * @category models
   */
  RateWindowMode,
  /**
   * What a fault plan sees of a request: the method and the path under the base URL.
   *
   * @since 1.0.0
   * @category models
   */
  RequestLine,
  /**
   * How `Retry-After` is written: delay-seconds or an HTTP-date.
   *
   * @since 1.0.0
   * @category models
   */
  RetryAfterForm
} from "./emulator/Options.js"
export type {
  /**
   * What happened to a request, as the request log names it: an injected fault or `rateLimit`.
   *
   * @since 1.0.0
   * @category models
   */
  Fault
} from "./emulator/Records.js"

// ---------------------------------------------------------------------------
// Decisions
// ---------------------------------------------------------------------------

/**
 * The statuses an injected server error is drawn among.
 *
 * @since 1.0.0
 * @category models
 */
export type ServerErrorStatus = 500 | 502 | 503 | 504

/**
 * The fault drawn for one request, before the handler runs.
 *
 * @since 1.0.0
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
 * @since 1.0.0
 * @category constructors
 */
export const noFault: Decision = { _tag: "None" }

/**
 * The log's name for a decision (`undefined` for none).
 *
 * @example
 * ```ts
 * import { faultOf } from "effect-make/testing/EmulatorFaults"
 *
 * faultOf({ _tag: "ServerError", status: 503, processed: false }) // "503"
 * ```
 *
 * @since 1.0.0
 * @category models
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
 * @since 1.0.0
 * @category models
 */
export interface ActivePlan {
  readonly plan: FaultPlan
  readonly drawn: number
}

/**
 * A plan put in force: nothing numbered yet (`None` for no plan).
 *
 * @example
 * ```ts
 * import { activate } from "effect-make/testing/EmulatorFaults"
 *
 * activate({ seed: 1, reset: 0.1 }) // Some({ plan: { seed: 1, reset: 0.1 }, drawn: 0 })
 * ```
 *
 * @since 1.0.0
 * @category constructors
 */
export const activate = (plan: FaultPlan | undefined): Option.Option<ActivePlan> =>
  plan === undefined ? Option.none() : Option.some({ plan, drawn: 0 })

// ---------------------------------------------------------------------------
// Seeded randomness (neither Math.random nor Effect's Random: the draw must not depend on anything but the seed and
// the request's number, so that a test sees the same faults alone or after others; and the generator is the Effect 3
// line's, bit for bit, so that a seed draws the same faults on both lines)
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
 * @example
 * ```ts
 * import { mulberry32 } from "effect-make/testing/EmulatorFaults"
 *
 * const next = mulberry32(7)
 * const [a, b] = [next(), next()] // the same two numbers for seed 7, every time
 * ```
 *
 * @since 1.0.0
 * @category random
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
 * @example
 * ```ts
 * import { randomFor } from "effect-make/testing/EmulatorFaults"
 *
 * const roll = randomFor(42, 0)() // request 0's first number under seed 42
 * ```
 *
 * @since 1.0.0
 * @category random
 */
export const randomFor = (seed: number, index: number): () => number =>
  mulberry32(fmix32(fmix32(Math.trunc(seed) >>> 0) ^ Math.imul(index + 1, 0x9e3779b9)))

/** A probability as the draw uses it: absent or NaN is 0, the rest clamped to [0, 1]. */
const probability = (p: number | undefined): number =>
  p === undefined || Number.isNaN(p) ? 0 : Math.min(1, Math.max(0, p))

const serverErrorStatuses: ReadonlyArray<ServerErrorStatus> = [500, 502, 503, 504]

const millisOf = (duration: Duration.Input | undefined): number =>
  duration === undefined ? 0 : Math.max(0, Duration.toMillis(duration))

/** A latency fault's delay: its `duration`, plus a whole number of milliseconds up to `jitter` drawn from `random`. */
const latencyOf = (plan: FaultPlan, random: () => number): Duration.Duration => {
  const jitter = Math.floor(millisOf(plan.latency?.jitter))
  const extra = jitter === 0 ? 0 : Math.floor(random() * (jitter + 1))
  return Duration.millis(millisOf(plan.latency?.duration) + extra)
}

/**
 * The fault of the request numbered `index` under a plan: pure, the same for the same plan and index. The first
 * number of the request's generator picks the outcome; a server error then draws its status and whether the handler
 * ran, a latency its jitter.
 *
 * @example
 * ```ts
 * import { decide } from "effect-make/testing/EmulatorFaults"
 *
 * decide({ seed: 1, reset: 1 }, 5) // { _tag: "Reset" }
 * ```
 *
 * @since 1.0.0
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
 * when no plan is in force) gets no fault and no number. For `Ref.modify` on {@link FaultState}'s `faults`, so that
 * concurrent requests take distinct numbers.
 *
 * @example
 * ```ts
 * import { Effect, Ref } from "effect"
 * import { activate, draw } from "effect-make/testing/EmulatorFaults"
 *
 * const decision = Effect.flatMap(
 *   Ref.make(activate({ seed: 3, serverError: 0.5 })),
 *   (faults) => Ref.modify(faults, draw({ method: "POST", path: "/admin/teams" }))
 * )
 * ```
 *
 * @since 1.0.0
 * @category random
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
// `--faults` JSON
// ---------------------------------------------------------------------------

const Probability = Schema.Finite.check(Schema.isBetween({ minimum: 0, maximum: 1 }))
const NonNegative = Schema.Finite.check(Schema.isGreaterThanOrEqualTo(0))

/**
 * A fault plan as JSON can say it: {@link FaultPlan} without `match`, durations in milliseconds. Probabilities outside
 * [0, 1] and negative durations are refused here (a plan written in code is clamped instead, as `decide` says).
 *
 * @example
 * ```ts
 * import { Schema } from "effect"
 * import { FaultPlanJson } from "effect-make/testing/EmulatorFaults"
 *
 * Schema.decodeUnknownSync(FaultPlanJson)({ seed: 1, latency: { probability: 0.5, duration: 200, jitter: 50 } })
 * ```
 *
 * @since 1.0.0
 * @category schemas
 */
export const FaultPlanJson = Schema.Struct({
  seed: Schema.Finite,
  serverError: Schema.optionalKey(Probability),
  rateLimited: Schema.optionalKey(Probability),
  retryAfterSeconds: Schema.optionalKey(NonNegative),
  retryAfterAs: Schema.optionalKey(Schema.Literals(["seconds", "date"])),
  reset: Schema.optionalKey(Probability),
  refused: Schema.optionalKey(Probability),
  truncated: Schema.optionalKey(Probability),
  latency: Schema.optionalKey(Schema.Struct({
    probability: Probability,
    duration: NonNegative,
    jitter: Schema.optionalKey(NonNegative)
  }))
})

/**
 * `--faults` JSON text: {@link FaultPlanJson} in a string.
 *
 * @example
 * ```ts
 * import { Schema } from "effect"
 * import { FaultsOption } from "effect-make/testing/EmulatorFaults"
 *
 * Schema.decodeUnknownSync(FaultsOption)('{"seed":1,"serverError":0.1}')
 * ```
 *
 * @since 1.0.0
 * @category schemas
 */
export const FaultsOption = Schema.fromJsonString(FaultPlanJson)

/**
 * Decodes `--faults` JSON into a plan; the failure carries every problem found. A key the plan does not know is
 * refused rather than dropped: a misspelt `"serverEror"` would otherwise run the emulator without the faults the user
 * asked for, and tests meant to meet them would pass without.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { decodeFaults } from "effect-make/testing/EmulatorFaults"
 *
 * const plan = decodeFaults('{"seed":7,"rateLimited":0.2,"retryAfterSeconds":3,"retryAfterAs":"date"}')
 * ```
 *
 * @since 1.0.0
 * @category constructors
 */
export const decodeFaults = (text: string): Effect.Effect<FaultPlan, Schema.SchemaError> =>
  Schema.decodeUnknownEffect(FaultsOption)(text, { errors: "all", onExcessProperty: "error" })

// ---------------------------------------------------------------------------
// The plan in force
// ---------------------------------------------------------------------------

/**
 * What a running instance keeps for its fault injection, beside its `EmulatorState`: the fault plan in force, with
 * how many requests it has numbered. Kept apart from `EmulatorState` so that the data's state and everything built on
 * it stay as they are; the emulator holds both (the rate limit's windows are the rate limit's own).
 *
 * @since 1.0.0
 * @category models
 */
export interface FaultState {
  readonly faults: Ref.Ref<Option.Option<ActivePlan>>
}

/**
 * A new instance's {@link FaultState}: the plan of the options in force, nothing numbered yet.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { makeFaultState } from "effect-make/testing/EmulatorFaults"
 *
 * const state = makeFaultState({ seed: 1, serverError: 0.1 })
 * ```
 *
 * @since 1.0.0
 * @category constructors
 */
export const makeFaultState = (plan?: FaultPlan): Effect.Effect<FaultState> =>
  Effect.gen(function*() {
    const faults = yield* Ref.make(activate(plan))
    return { faults }
  })

/**
 * Puts a plan in force: requests are numbered from 0 again, so setting the same plan twice replays the same faults.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { makeFaultState, setFaults } from "effect-make/testing/EmulatorFaults"
 *
 * const program = Effect.flatMap(makeFaultState(), (state) => setFaults(state, { seed: 2, reset: 0.5 }))
 * ```
 *
 * @since 1.0.0
 * @category combinators
 */
export const setFaults = (state: FaultState, plan: FaultPlan): Effect.Effect<void> =>
  Ref.set(state.faults, activate(plan))

/**
 * Ends the plan in force: no request is faulted (the rate limit, an option of its own, is not a fault plan's).
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { clearFaults, makeFaultState } from "effect-make/testing/EmulatorFaults"
 *
 * const program = Effect.flatMap(makeFaultState({ seed: 2, reset: 1 }), clearFaults)
 * ```
 *
 * @since 1.0.0
 * @category combinators
 */
export const clearFaults = (state: FaultState): Effect.Effect<void> => Ref.set(state.faults, Option.none())

// ---------------------------------------------------------------------------
// Answers' values
// ---------------------------------------------------------------------------

export {
  /**
   * The value of `Retry-After` for a wait (see `emulator/RateLimit`, where the emulator's own limit uses it too).
   *
   * @since 1.0.0
   * @category answers
   */
  retryAfterValue
} from "./emulator/RateLimit.js"

const serverErrorTexts: Record<ServerErrorStatus, { readonly detail: string; readonly message: string }> = {
  500: { detail: "Internal server error.", message: "Internal Server Error" },
  502: { detail: "Bad gateway.", message: "Bad Gateway" },
  503: { detail: "Service temporarily unavailable.", message: "Service Unavailable" },
  504: { detail: "Gateway timeout.", message: "Gateway Timeout" }
}

/**
 * The body of an injected 5xx, in Make's error shape (`code` `SC500`, `SC502`, ...).
 *
 * @example
 * ```ts
 * import { serverErrorBody } from "effect-make/testing/EmulatorFaults"
 *
 * serverErrorBody(503) // { detail: "Service temporarily unavailable.", message: "Service Unavailable", code: "SC503" }
 * ```
 *
 * @since 1.0.0
 * @category answers
 */
export const serverErrorBody = (
  status: ServerErrorStatus
): { readonly detail: string; readonly message: string; readonly code: string } => ({
  ...serverErrorTexts[status],
  code: `SC${status}`
})

/**
 * An injected 5xx, with {@link serverErrorBody}.
 *
 * @example
 * ```ts
 * import { serverError } from "effect-make/testing/EmulatorFaults"
 *
 * const response = serverError(502)
 * ```
 *
 * @since 1.0.0
 * @category answers
 */
export const serverError = (status: ServerErrorStatus): HttpServerResponse.HttpServerResponse =>
  HttpServerResponse.jsonUnsafe(serverErrorBody(status), { status })

/**
 * Bytes cut to half their length, rounded down (a multi-byte character may be cut through: the body is broken
 * anyway).
 *
 * @example
 * ```ts
 * import { truncateBytes } from "effect-make/testing/EmulatorFaults"
 *
 * truncateBytes(new TextEncoder().encode('{"id":1}')) // the bytes of '{"id'
 * ```
 *
 * @since 1.0.0
 * @category answers
 */
export const truncateBytes = (bytes: Uint8Array): Uint8Array => bytes.slice(0, Math.floor(bytes.length / 2))

/**
 * Text cut to half its length in UTF-16 code units, rounded down.
 *
 * @example
 * ```ts
 * import { truncateText } from "effect-make/testing/EmulatorFaults"
 *
 * truncateText('{"id":1}') // '{"id'
 * ```
 *
 * @since 1.0.0
 * @category answers
 */
export const truncateText = (text: string): string => text.slice(0, Math.floor(text.length / 2))

/**
 * The same answer with its body cut to half its length: a JSON body is no longer JSON. Status and headers stay,
 * `Content-Length` follows the cut body. Bytes in memory (every JSON answer) are cut as bytes, a raw string as text;
 * bodies that are not in memory (streams, forms) are left whole: the emulator's handlers never answer with them.
 *
 * @example
 * ```ts
 * import { HttpServerResponse } from "effect/http"
 * import { truncate } from "effect-make/testing/EmulatorFaults"
 *
 * const cut = truncate(HttpServerResponse.jsonUnsafe({ id: 1 })) // body '{"id'
 * ```
 *
 * @since 1.0.0
 * @category answers
 */
export const truncate = (response: HttpServerResponse.HttpServerResponse): HttpServerResponse.HttpServerResponse => {
  const body = response.body
  switch (body._tag) {
    case "Uint8Array":
      return HttpServerResponse.setBody(response, HttpBody.uint8Array(truncateBytes(body.body), body.contentType))
    case "Raw":
      return typeof body.body === "string"
        ? HttpServerResponse.setBody(response, HttpBody.text(truncateText(body.body), body.contentType))
        : response
    default:
      return response
  }
}
