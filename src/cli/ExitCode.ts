// The exit codes of the `effect-make` command, one per error class, and how an error is told to the user: its tag,
// its message and what to do, never the token; the cause only with --verbose. Floor "the command": effect, MakeError,
// ProvisionSpec (its description is the hint for a bad spec) and Output.
/**
 * The exit codes of the `effect-make` command, one per error class, and the report of an error on stderr.
 *
 * @since 1.0.0
 */
import { Cause, Effect, Predicate, SchemaAST } from "effect"
import * as MakeError from "../MakeError.js"
import * as ProvisionSpec from "../workflows/ProvisionSpec.js"
import * as Output from "./Output.js"

/**
 * The documented exit codes (README, "Exit codes").
 *
 * @example
 * ```ts
 * import * as ExitCode from "effect-make/cli/ExitCode"
 *
 * ExitCode.ExitCode.notFound // 3
 * ```
 *
 * @since 1.0.0
 * @category models
 */
export const ExitCode = {
  ok: 0,
  /**
   * Anything else: a workflow that failed or rolled back, an `apply` with a spec that failed (the others applied), an
   * organization that never synced, a defect.
   */
  failed: 1,
  /** Bad command line, arguments or settings (`InvalidInput`, `InvalidRequest`, an unknown option, `ConfigError`). */
  usage: 2,
  notFound: 3,
  notConfirmed: 4,
  featureUnavailable: 5,
  /** `Unauthorized` or `Forbidden`. */
  auth: 6,
  rateLimited: 7,
  /** `ServerError` or `TransportError`: Make did not answer usefully. */
  server: 8,
  unexpectedResponse: 9
} as const

/**
 * @since 1.0.0
 * @category models
 */
export type ExitCode = typeof ExitCode[keyof typeof ExitCode]

const table: Readonly<Record<string, { readonly code: ExitCode; readonly hint: string }>> = {
  InvalidInput: { code: ExitCode.usage, hint: "Fix the arguments; see --help." },
  InvalidRequest: { code: ExitCode.usage, hint: "Make refused the request; fix the arguments it names." },
  // a MAKE_* variable that is set but malformed (MAKE_TIMEOUT=soon): the layers read the environment on Effect 4
  ConfigError: { code: ExitCode.usage, hint: "Fix or unset the MAKE_* environment variable it names." },
  NotFound: { code: ExitCode.notFound, hint: "Check the id (list the parent to see what exists)." },
  NotConfirmed: { code: ExitCode.notConfirmed, hint: "Run it again with --confirm." },
  FeatureUnavailable: {
    code: ExitCode.featureUnavailable,
    hint: "The organization's licence lacks this feature; upgrade the plan."
  },
  Unauthorized: { code: ExitCode.auth, hint: "Check --token / MAKE_API_TOKEN / MAKE_API_KEY and --zone." },
  Forbidden: { code: ExitCode.auth, hint: "The token lacks a scope this call needs; add it in Make's profile." },
  RateLimited: { code: ExitCode.rateLimited, hint: "Wait and retry later." },
  ServerError: { code: ExitCode.server, hint: "Make failed; retry later." },
  TransportError: { code: ExitCode.server, hint: "Check --zone / --base-url and the network." },
  UnexpectedResponse: { code: ExitCode.unexpectedResponse, hint: "Make answered something unexpected; report it." },
  NotSynced: { code: ExitCode.failed, hint: "The zone has not synchronised the organization yet; retry later." },
  ProvisionFailed: { code: ExitCode.failed, hint: "Fix the cause and run the same spec again: it resumes." },
  DecommissionFailed: { code: ExitCode.failed, hint: "Fix the cause and run decommission again." },
  // `apply`: some specs failed, the others were applied; the report on stdout says which
  FleetFailed: {
    code: ExitCode.failed,
    hint: "Fix what failed and apply the fleet again: the specs already applied are only read."
  },
  Conflict: { code: ExitCode.failed, hint: "Resolve the conflict in Make, or change the spec." }
}

/**
 * What to do about an error: its tag's hint; for a spec that does not decode, what a spec holds (the schema's
 * description), since `--help` cannot show a file's format.
 */
const hintOf = (error: unknown, tag: string): string =>
  error instanceof MakeError.InvalidInput && error.operation === "ProvisionSpec"
    ? SchemaAST.resolveDescription(ProvisionSpec.ProvisionSpec.ast) ?? ""
    : table[tag]?.hint ?? ""

const tagOf = (error: unknown): string =>
  Predicate.hasProperty(error, "_tag") && Predicate.isString(error._tag) ? error._tag : "UnknownError"

const messageOf = (error: unknown): string =>
  Predicate.hasProperty(error, "message") && Predicate.isString(error.message) ? error.message : String(error)

/** The text of an error: `InvalidInput` with several problems lists them one per line. */
const textOf = (error: unknown): string =>
  error instanceof MakeError.InvalidInput && error.issues.length > 1
    ? [`Invalid arguments for ${error.operation}:`, ...error.issues.map((issue) => `  - ${issue}`)].join("\n")
    : messageOf(error)

/**
 * The exit code of an error, by its tag.
 *
 * @example
 * ```ts
 * import { MakeError } from "effect-make"
 * import * as ExitCode from "effect-make/cli/ExitCode"
 *
 * ExitCode.of(new MakeError.InvalidInput({ operation: "Billing.applyCoupon", issues: [] })) // 2
 * ```
 *
 * @since 1.0.0
 * @category exit codes
 */
export const of = (error: unknown): ExitCode => table[tagOf(error)]?.code ?? ExitCode.failed

/**
 * Tells an error on stderr (tag, message, what to do; the cause when `verbose`) and answers its exit code. With
 * `json`, the report is one JSON object on stderr, so stdout stays JSON only.
 *
 * @example
 * ```ts
 * import { Cause } from "effect"
 * import * as ExitCode from "effect-make/cli/ExitCode"
 *
 * const code = ExitCode.report(Cause.fail(new Error("boom")), { json: false, verbose: false })
 * ```
 *
 * @since 1.0.0
 * @category exit codes
 */
export const report = (
  cause: Cause.Cause<unknown>,
  options: { readonly json: boolean; readonly verbose: boolean }
): Effect.Effect<ExitCode, never, Output.Output> =>
  Effect.gen(function*() {
    const failure = cause.reasons.find(Cause.isFailReason)
    if (failure === undefined) {
      if (Cause.hasInterruptsOnly(cause)) return ExitCode.failed
      yield* Output.stderr(
        options.verbose ? Cause.pretty(cause) : "Defect: an unexpected error (run with --verbose for details)"
      )
      return ExitCode.failed
    }
    const error = failure.error
    const tag = tagOf(error)
    const hint = hintOf(error, tag)
    const issues = error instanceof MakeError.InvalidInput ? { issues: error.issues } : {}
    yield* Output.stderr(
      options.json
        ? Output.toJson({ error: tag, message: messageOf(error), hint, ...issues })
        : `${tag}: ${textOf(error)}${hint === "" ? "" : `\n  → ${hint}`}`
    )
    if (options.verbose) yield* Output.stderr(Cause.pretty(cause))
    return of(error)
  })
