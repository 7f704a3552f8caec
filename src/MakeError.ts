/**
 * Every error effect-make can fail with. Make's wire body is `domain/ErrorBody`; the one mapper from an HTTP outcome
 * to these errors is internal (`internal/statusMapper`).
 *
 * @since 1.0.0
 */
// Every error effect-make can fail with: the tagged error classes, what a 404 is about, and the unions of them.
// Floor 1: imports only `effect`, `domain/ErrorBody`, `domain/Resource` and the internal text helpers.
import { Duration, Effect, Option, Schema } from "effect"
import { Suberror } from "./domain/ErrorBody.js"
import { Resource } from "./domain/Resource.js"
import * as ErrorText from "./internal/errorText.js"

/** A count of attempts: 1 when left out, in the constructor and when decoding. */
const Attempts = Schema.Number.pipe(
  Schema.withDecodingDefaultKey(Effect.succeed(1)),
  Schema.withConstructorDefault(Effect.succeed(1))
)

// ---------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------

/** Fields every error that came back as an HTTP response carries. */
const ResponseFields = {
  /** The HTTP status Make answered with; 0 for a call refused here, before any request (`NotConfirmed`). */
  status: Schema.Number,
  /** Make's error code (`SC404`, `IM004`, ...), when the body had one. */
  code: Schema.optional(Schema.String),
  /** Make's `detail`, or a short excerpt of a body that was not Make's error JSON. */
  detail: Schema.String,
  /** Make's `message` field: a short summary such as "Not found" (named `title` as in RFC 7807). */
  title: Schema.optional(Schema.String)
}

export {
  /**
   * What a 404 or 406 is about (from `domain/Resource`, where the error texts read it too).
   *
   * @since 1.0.0
   * @category models
   */
  Resource
} from "./domain/Resource.js"

/**
 * What a call is about, as a 404 or 406 reports it: `{ resource: "variable", id: "dailyLimit", organizationId: 11 }`.
 *
 * @since 1.0.0
 * @category models
 */
export interface Target {
  readonly resource: Resource
  readonly id?: number | string | undefined
  readonly organizationId?: number | undefined
}

/** The fields that say what a call was about; the service fills them in from its arguments. */
const TargetFields = {
  /** What was looked for or changed. */
  resource: Schema.optional(Resource),
  /** Its id (a number, or a name such as a variable's or a hash). */
  id: Schema.optional(Schema.Union([Schema.Number, Schema.String])),
  /** The organization it belongs to, for what lives inside one (variables, the subscription, feature controls). */
  organizationId: Schema.optional(Schema.Number)
}

/**
 * 404 for an entity: the organization, team, ... does not exist or is not visible to the token.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Organizations } from "effect-make"
 *
 * const nameOrNull = (id: number) =>
 *   Organizations.Organizations.pipe(
 *     Effect.flatMap((orgs) => orgs.get(id)),
 *     Effect.map((org) => org.name),
 *     Effect.catchTag("NotFound", () => Effect.succeed(null))
 *   )
 * ```
 *
 * @since 1.0.0
 * @category errors
 */
export class NotFound extends Schema.TaggedError<NotFound>()("NotFound", {
  ...ResponseFields,
  ...TargetFields
}) {
  override get message(): string {
    return `${
      ErrorText.capitalize(ErrorText.describeTarget(this) ?? "the resource")
    } was not found, or the token cannot see it (${ErrorText.makeSays(this)}).`
  }
}

/**
 * 406 / `IM004`: the call changes something Make wants confirmed; nothing was changed.
 *
 * @since 1.0.0
 * @category errors
 */
export class NotConfirmed extends Schema.TaggedError<NotConfirmed>()("NotConfirmed", {
  ...ResponseFields,
  ...TargetFields
}) {
  override get message(): string {
    const target = ErrorText.describeTarget(this)
    const what = target === undefined ? "" : ` on ${target}`
    // status 0: refused here before any request (an agent tool's destructive call without `confirmed`)
    return this.status === 0
      ? `This call${what} needs confirming and nothing was sent; pass { confirmed: true } to go ahead (${this.detail}).`
      : `Make wants this call${what} confirmed and changed nothing; pass { confirmed: true } to go ahead (${
        ErrorText.makeSays(this)
      }).`
  }
}

/**
 * The organization's licence lacks a feature the call needs (Make answers such calls with a bare 404).
 *
 * @since 1.0.0
 * @category errors
 */
export class FeatureUnavailable extends Schema.TaggedError<FeatureUnavailable>()("FeatureUnavailable", {
  organizationId: Schema.Number,
  /** The licence flag that is missing, e.g. `"customVariables"`. */
  feature: Schema.String,
  detail: Schema.optional(Schema.String)
}) {
  override get message(): string {
    return `Organization ${this.organizationId} has no "${this.feature}" in its licence; upgrade its plan to use this call.`
  }
}

/**
 * A just-created organization was still not readable in the zone when the wait ended (`awaitSynced`).
 *
 * @since 1.0.0
 * @category errors
 */
export class NotSynced extends Schema.TaggedError<NotSynced>()("NotSynced", {
  organizationId: Schema.Number,
  /** How long the client waited, in milliseconds. */
  waitedMillis: Schema.Number,
  /** How many times it asked. */
  attempts: Schema.Number
}) {
  override get message(): string {
    return `Organization ${this.organizationId} was still not readable in this zone after ${
      this.waitedMillis / 1000
    }s (${this.attempts} attempts); wait longer, or read it with get(id, { wait: true }).`
  }
}

/**
 * The caller's arguments failed the request schema. Raised before any request is sent.
 *
 * @since 1.0.0
 * @category errors
 */
export class InvalidInput extends Schema.TaggedError<InvalidInput>()("InvalidInput", {
  /** `Service.method` whose arguments were rejected, or `MakeConfig` for configuration. */
  operation: Schema.String,
  /** What is wrong, one line per problem, with the path of the offending argument. */
  issues: Schema.Array(Schema.String)
}) {
  override get message(): string {
    return `Invalid arguments for ${this.operation}: ${this.issues.join("; ")}`
  }
}

/**
 * 400 (or another 4xx with a reason) from Make: the request was understood and rejected.
 *
 * @since 1.0.0
 * @category errors
 */
export class InvalidRequest extends Schema.TaggedError<InvalidRequest>()("InvalidRequest", {
  ...ResponseFields,
  /** Field-level problems Make listed (bounded: at most 20, small values); empty when it listed none. */
  suberrors: Schema.Array(Suberror).pipe(
    Schema.withDecodingDefaultKey(Effect.succeed([])),
    Schema.withConstructorDefault(Effect.succeed([]))
  )
}) {
  override get message(): string {
    const fields = this.suberrors.length === 0 ? "" : ` (${this.suberrors.map((s) => s.message).join("; ")})`
    return `Make rejected the request${fields}: ${ErrorText.makeSays(this)}.`
  }
}

/**
 * 401: the token is missing, wrong, or belongs to another zone.
 *
 * @since 1.0.0
 * @category errors
 */
export class Unauthorized extends Schema.TaggedError<Unauthorized>()("Unauthorized", ResponseFields) {
  override get message(): string {
    return `Make did not accept the API token; check MAKE_API_TOKEN and that it belongs to this zone (${
      ErrorText.makeSays(this)
    }).`
  }
}

/**
 * 403: the token is valid but lacks the scope or role the call needs.
 *
 * @since 1.0.0
 * @category errors
 */
export class Forbidden extends Schema.TaggedError<Forbidden>()("Forbidden", ResponseFields) {
  override get message(): string {
    return `The API token lacks the scope or role this call needs (${ErrorText.makeSays(this)}).`
  }
}

/**
 * 429 after the retry budget is spent.
 *
 * @since 1.0.0
 * @category errors
 */
export class RateLimited extends Schema.TaggedError<RateLimited>()("RateLimited", {
  ...ResponseFields,
  /** Milliseconds Make asked to wait (`Retry-After`), when it said. */
  retryAfterMillis: Schema.optional(Schema.Number),
  /** How many times the request was sent. */
  attempts: Attempts
}) {
  /** `Retry-After` as a Duration, when Make sent one. */
  get retryAfter(): Option.Option<Duration.Duration> {
    return Option.map(Option.fromNullishOr(this.retryAfterMillis), Duration.millis)
  }
  override get message(): string {
    const wait = this.retryAfterMillis === undefined ? "" : `; Make asks to wait ${this.retryAfterMillis / 1000}s`
    return `Make's rate limit for the organization was hit (${this.attempts} attempt(s))${wait} (${
      ErrorText.makeSays(this)
    }).`
  }
}

/**
 * 5xx after the retry budget is spent.
 *
 * @since 1.0.0
 * @category errors
 */
export class ServerError extends Schema.TaggedError<ServerError>()("ServerError", {
  ...ResponseFields,
  /** How many times the request was sent. */
  attempts: Attempts
}) {
  override get message(): string {
    return `Make failed to serve the request (${this.attempts} attempt(s)); try again later (${
      ErrorText.makeSays(this)
    }).`
  }
}

/**
 * No response: connection refused or reset, timeout, or the request could not be sent.
 *
 * @since 1.0.0
 * @category errors
 */
export class TransportError extends Schema.TaggedError<TransportError>()("TransportError", {
  /** What kept the request from an answer. */
  reason: Schema.Literals(["Timeout", "Connection", "Encode"]),
  /** `GET /api/v2/organizations/11`: what was being sent (no headers, so no token). */
  request: Schema.String,
  /** The underlying failure, in words. */
  description: Schema.String,
  /** How many times the request was sent. */
  attempts: Attempts
}) {
  override get message(): string {
    return `No response from Make for ${this.request} (${this.reason}, ${this.attempts} attempt(s)): ${this.description}`
  }
}

/**
 * A response this client cannot read: a 2xx body that is not JSON or fails the response schema, or a status Make
 * does not use for this call. Carries a short excerpt of what came back.
 *
 * @since 1.0.0
 * @category errors
 */
export class UnexpectedResponse extends Schema.TaggedError<UnexpectedResponse>()("UnexpectedResponse", {
  status: Schema.Number,
  /** What did not fit. */
  reason: Schema.String,
  /** The first characters of the body (or of the schema failure), never more than 300. */
  excerpt: Schema.String
}) {
  override get message(): string {
    return `Make answered ${this.status} with a body this client cannot read (${this.reason}): ${this.excerpt}`
  }
}

/**
 * The errors any call can fail with, as a schema: the one list the {@link Common} type and {@link isCommon} come
 * from.
 *
 * @since 1.0.0
 * @category schemas
 */
export const Common = Schema.Union([
  InvalidInput,
  InvalidRequest,
  Unauthorized,
  Forbidden,
  RateLimited,
  ServerError,
  TransportError,
  UnexpectedResponse
])

/**
 * Errors any call can fail with, whatever it does: the request could not be sent, was not accepted, or the answer
 * could not be read. Each service method adds the errors specific to it (`NotFound`, `NotConfirmed`, ...).
 *
 * @since 1.0.0
 * @category models
 */
export type Common = typeof Common.Type

/**
 * The errors that mean "this call, on this resource", as a schema: each method fails with those its contract
 * endpoint declares.
 *
 * @since 1.0.0
 * @category schemas
 */
export const Specific = Schema.Union([NotFound, NotConfirmed, FeatureUnavailable, NotSynced])

/**
 * One of the errors that mean "this call, on this resource" (the type of the `Specific` schema).
 *
 * @since 1.0.0
 * @category models
 */
export type Specific = typeof Specific.Type

/**
 * The schema of every error, for decoding errors that crossed a process boundary: the specific ones and the common
 * ones, listed once each above.
 *
 * @since 1.0.0
 * @category schemas
 */
export const MakeError = Schema.Union([Specific, Common])

/**
 * Every error the library can fail with.
 *
 * @since 1.0.0
 * @category models
 */
export type MakeError = typeof MakeError.Type

/**
 * Whether an error is one any call can fail with (rather than one specific to a call, such as `NotFound`).
 *
 * @since 1.0.0
 * @category guards
 */
export const isCommon: (error: MakeError) => error is Common = Schema.is(Common)

/**
 * The errors built from an HTTP response by the status mapper: those Make itself can answer with.
 *
 * @since 1.0.0
 * @category models
 */
export type ResponseError = Exclude<MakeError, FeatureUnavailable | NotSynced | InvalidInput | TransportError>

/**
 * Whether a value is one of effect-make's errors (any {@link MakeError} member).
 *
 * @since 1.0.0
 * @category guards
 */
export const isMakeError: (u: unknown) => u is MakeError = Schema.is(MakeError)

// ---------------------------------------------------------------------------
// Schema failures of the caller's arguments
// ---------------------------------------------------------------------------

/**
 * Turns a schema failure of the caller's arguments into {@link InvalidInput}.
 *
 * @since 1.0.0
 * @category constructors
 */
export const invalidInput = (operation: string, error: Schema.SchemaError): InvalidInput =>
  new InvalidInput({ operation, issues: formatIssues(error) })

/**
 * A schema failure as one line per problem, each with the path of the offending value: `id: Expected …`. Safe on any
 * value, however deep or large (the values shown are bounded copies), and it never throws. Effect 4 keeps the
 * rejected value in a failure only when the decode ran with `{ reportInput: true }`; then the line shows it
 * (`id: Expected number, got "x"`).
 *
 * @since 1.0.0
 * @category formatting
 */
export const formatIssues: (
  error: Schema.SchemaError,
  redact?: (text: string) => string
) => ReadonlyArray<string> = ErrorText.formatIssues
