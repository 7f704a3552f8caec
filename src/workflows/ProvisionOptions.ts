/**
 * How a provisioning run behaves: what to do without the licence for variables, on failure, with a lost invitation,
 * how many calls at once, how many attempts, which rate limit.
 *
 * @since 1.0.0
 */
// The workflows: imports `effect` and MakeError only.
import { Effect, Schema } from "effect"
import * as MakeError from "../MakeError.js"

/**
 * How a run behaves; part of the execution id, since they change what the run does.
 *
 * @since 1.0.0
 * @category models
 */
export const RunOptions = Schema.Struct({
  /** A licence without `customVariables`: `skip` the variables (reported as skipped) or `fail` the run. */
  variablesWithoutLicense: Schema.Literals(["skip", "fail"]),
  /** A step failing for good: `rollback` what this run created, or `keep` the partial work. */
  onFailure: Schema.Literals(["rollback", "keep"]),
  /**
   * An invitation whose answer was lost (5xx, reset, timeout): `report` it as `unconfirmed` and never send it twice
   * (Make cannot list pending invitations to check), or `resend` it (the user may get two e-mails).
   */
  invitationsOnLostAnswer: Schema.Literals(["report", "resend"]),
  /** How many calls of one step run at once. */
  concurrency: Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: 64 })),
  /** How many times a call is tried in all on transient failures (5xx, resets, timeouts, 429). */
  maxAttempts: Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: 20 })),
  /**
   * Make's per-organization limit: `license` holds each organization to its `license.apiLimit` (read when the run
   * waits for its sync; the lowest plan's 60 until then, and for requests about no organization), counting every
   * request of the run in a sliding minute shared by the runs of the process; `{ requestsPerMinute }` holds every
   * organization to that limit instead (e.g. to leave room for other clients); `off` leaves it to the client's own
   * `rateLimit`.
   */
  rateLimit: Schema.Union([
    Schema.Literals(["license", "off"]),
    Schema.Struct({ requestsPerMinute: Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: 100_000 })) })
  ])
}).annotate({ identifier: "RunOptions" })

/**
 * How a run behaves, as decoded (the type of the `RunOptions` schema).
 *
 * @since 1.0.0
 * @category models
 */
export type RunOptions = typeof RunOptions.Type

/**
 * The options of {@link provision}; each has a default.
 *
 * @since 1.0.0
 * @category models
 */
export type Options = Partial<RunOptions>

/**
 * The defaults: skip variables without the licence, roll back on failure, report lost invitations, 5 calls at once,
 * 6 attempts, each organization held to its licence's `apiLimit`.
 *
 * @since 1.0.0
 * @category constants
 */
export const defaultOptions: RunOptions = {
  variablesWithoutLicense: "skip",
  onFailure: "rollback",
  invitationsOnLostAnswer: "report",
  // Kept at 5, though it caps the speed-up over a one-call-at-a-time script: before its first team a run sends three
  // calls in a row for a new organization (the lookup, the create, the held sync read; one it finds is also listed),
  // then ⌈teams / concurrency⌉ rounds of creates, so 1 organization + 50 teams takes 13 round trips at 5 (at most
  // 51 / 13 ≈ 3.9× faster than 51 calls in a row) and 4 at 50 (≈ 12.7×); `npm run bench`, section `workflow`,
  // measures both. Concurrency is not what keeps a run under Make's limit: the limiter holds every organization to
  // its licence's `apiLimit` a minute, at any concurrency. What it does bound is the calls in flight at once, which
  // runs side by side multiply (20 specs at 50 would be 1,000 writes in flight to Make's admin endpoints, whose
  // tolerance of bursts Make does not document), and the default is part of every default run's execution id. One
  // large organization is what `{ concurrency: 50 }` is for.
  concurrency: 5,
  maxAttempts: 6,
  rateLimit: "license"
}

/**
 * The options with defaults filled in, checked: `InvalidInput` before any request.
 *
 * @since 1.0.0
 * @category constructors
 */
export const resolveOptions = (options?: Options): Effect.Effect<RunOptions, MakeError.InvalidInput> =>
  Effect.mapError(
    // Effect 3's `Schema.validate`: the type side only, every problem listed.
    Schema.decodeUnknownEffect(Schema.toType(RunOptions))({ ...defaultOptions, ...options }, { errors: "all" }),
    (error) => MakeError.invalidInput("provision options", error)
  )
