/**
 * Every error effect-make can fail with, Make's wire error body, and the ONE mapper from an HTTP outcome to them.
 *
 * @since 0.1.0
 */
// Floor 1: imports only `effect` (and its own internal text helpers).
import type { ParseResult } from "effect"
import { Duration, Option, Schema } from "effect"
import * as ErrorText from "./internal/errorText.js"

// ---------------------------------------------------------------------------
// Wire body
// ---------------------------------------------------------------------------

/**
 * One entry of `suberrors` in a 400 body. Make documents only `message`; other keys are kept as sent.
 *
 * @since 0.1.0
 * @category wire
 */
export const Suberror = Schema.Struct(
  { message: Schema.String },
  Schema.Record({ key: Schema.String, value: Schema.Unknown })
)

/**
 * One decoded entry of `suberrors` (the type of the `Suberror` schema).
 *
 * @since 0.1.0
 * @category wire
 */
export type Suberror = typeof Suberror.Type

/**
 * Make's error body: `{"detail":"Access denied.","message":"Permission denied","code":"SC403"}`, plus `suberrors`
 * on validation failures.
 *
 * @since 0.1.0
 * @category wire
 */
export const ErrorBody = Schema.Struct({
  /** What went wrong, in Make's words (the most specific text Make sends). */
  detail: Schema.String,
  /** A short summary such as "Not found" or "Permission denied". */
  message: Schema.optional(Schema.String),
  /** Make's error code, e.g. `SC404`, `IM004`, `SC403`. */
  code: Schema.optional(Schema.String),
  /** Field-level problems of a rejected body. */
  suberrors: Schema.optional(Schema.Array(Suberror))
})

/**
 * Make's error body as decoded (the type of the `ErrorBody` schema).
 *
 * @since 0.1.0
 * @category wire
 */
export type ErrorBody = typeof ErrorBody.Type

// ---------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------

/** Fields every error that came back as an HTTP response carries. */
const ResponseFields = {
  /** The HTTP status Make answered with. */
  status: Schema.Number,
  /** Make's error code (`SC404`, `IM004`, ...), when the body had one. */
  code: Schema.optional(Schema.String),
  /** Make's `detail`, or a short excerpt of a body that was not Make's error JSON. */
  detail: Schema.String,
  /** Make's `message` field: a short summary such as "Not found" (named `title` as in RFC 7807). */
  title: Schema.optional(Schema.String)
}

/**
 * What a 404 or 406 is about: a literal users can branch on (`error.resource === "variable"`); the sentence is in
 * `message`.
 *
 * @since 0.1.0
 * @category models
 */
export const Resource = Schema.Literal(
  "organization",
  "team",
  "variable",
  "subscription",
  "invitation",
  "featureControl"
)

/**
 * What a 404 or 406 is about (the type of the `Resource` schema).
 *
 * @since 0.1.0
 * @category models
 */
export type Resource = typeof Resource.Type

/**
 * What a call is about, as a 404 or 406 reports it: `{ resource: "variable", id: "dailyLimit", organizationId: 11 }`.
 *
 * @since 0.1.0
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
  id: Schema.optional(Schema.Union(Schema.Number, Schema.String)),
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
 * @since 0.1.0
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
 * @since 0.1.0
 * @category errors
 */
export class NotConfirmed extends Schema.TaggedError<NotConfirmed>()("NotConfirmed", {
  ...ResponseFields,
  ...TargetFields
}) {
  override get message(): string {
    const target = ErrorText.describeTarget(this)
    const what = target === undefined ? "" : ` on ${target}`
    return `Make wants this call${what} confirmed and changed nothing; pass { confirmed: true } to go ahead (${
      ErrorText.makeSays(this)
    }).`
  }
}

/**
 * The organization's licence lacks a feature the call needs (Make answers such calls with a bare 404).
 *
 * @since 0.1.0
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
 * @since 0.1.0
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
 * @since 0.1.0
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
 * @since 0.1.0
 * @category errors
 */
export class InvalidRequest extends Schema.TaggedError<InvalidRequest>()("InvalidRequest", {
  ...ResponseFields,
  suberrors: Schema.optionalWith(Schema.Array(Suberror), { default: () => [] })
}) {
  override get message(): string {
    const fields = this.suberrors.length === 0 ? "" : ` (${this.suberrors.map((s) => s.message).join("; ")})`
    return `Make rejected the request${fields}: ${ErrorText.makeSays(this)}.`
  }
}

/**
 * 401: the token is missing, wrong, or belongs to another zone.
 *
 * @since 0.1.0
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
 * @since 0.1.0
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
 * @since 0.1.0
 * @category errors
 */
export class RateLimited extends Schema.TaggedError<RateLimited>()("RateLimited", {
  ...ResponseFields,
  /** Milliseconds Make asked to wait (`Retry-After`), when it said. */
  retryAfterMillis: Schema.optional(Schema.Number),
  /** How many times the request was sent. */
  attempts: Schema.optionalWith(Schema.Number, { default: () => 1 })
}) {
  /** `Retry-After` as a Duration, when Make sent one. */
  get retryAfter(): Option.Option<Duration.Duration> {
    return Option.map(Option.fromNullable(this.retryAfterMillis), Duration.millis)
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
 * @since 0.1.0
 * @category errors
 */
export class ServerError extends Schema.TaggedError<ServerError>()("ServerError", {
  ...ResponseFields,
  attempts: Schema.optionalWith(Schema.Number, { default: () => 1 })
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
 * @since 0.1.0
 * @category errors
 */
export class TransportError extends Schema.TaggedError<TransportError>()("TransportError", {
  reason: Schema.Literal("Timeout", "Connection", "Encode"),
  /** `GET /api/v2/organizations/11`: what was being sent (no headers, so no token). */
  request: Schema.String,
  /** The underlying failure, in words. */
  description: Schema.String,
  attempts: Schema.optionalWith(Schema.Number, { default: () => 1 })
}) {
  override get message(): string {
    return `No response from Make for ${this.request} (${this.reason}, ${this.attempts} attempt(s)): ${this.description}`
  }
}

/**
 * A response this client cannot read: a 2xx body that is not JSON or fails the response schema, or a status Make
 * does not use for this call. Carries a short excerpt of what came back.
 *
 * @since 0.1.0
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
 * @since 0.1.0
 * @category schemas
 */
export const Common = Schema.Union(
  InvalidInput,
  InvalidRequest,
  Unauthorized,
  Forbidden,
  RateLimited,
  ServerError,
  TransportError,
  UnexpectedResponse
)

/**
 * Errors any call can fail with, whatever it does: the request could not be sent, was not accepted, or the answer
 * could not be read. Each service method adds the errors specific to it (`NotFound`, `NotConfirmed`, ...).
 *
 * @since 0.1.0
 * @category models
 */
export type Common = typeof Common.Type

/**
 * The errors that mean "this call, on this resource", as a schema: each method fails with those its contract
 * endpoint declares.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Specific = Schema.Union(NotFound, NotConfirmed, FeatureUnavailable, NotSynced)

/**
 * One of the errors that mean "this call, on this resource" (the type of the `Specific` schema).
 *
 * @since 0.1.0
 * @category models
 */
export type Specific = typeof Specific.Type

/**
 * The schema of every error, for decoding errors that crossed a process boundary: the specific ones and the common
 * ones, listed once each above.
 *
 * @since 0.1.0
 * @category schemas
 */
export const MakeError = Schema.Union(Specific, Common)

/**
 * Every error the library can fail with.
 *
 * @since 0.1.0
 * @category models
 */
export type MakeError = typeof MakeError.Type

/**
 * Whether an error is one any call can fail with (rather than one specific to a call, such as `NotFound`).
 *
 * @since 0.1.0
 * @category guards
 */
export const isCommon: (error: MakeError) => error is Common = Schema.is(Common)

/**
 * The errors built from an HTTP response by {@link fromResponse}: those Make itself can answer with.
 *
 * @since 0.1.0
 * @category models
 */
export type ResponseError = Exclude<MakeError, FeatureUnavailable | NotSynced | InvalidInput | TransportError>

/**
 * Whether a value is one of effect-make's errors (any {@link MakeError} member).
 *
 * @since 0.1.0
 * @category guards
 */
export const isMakeError: (u: unknown) => u is MakeError = Schema.is(MakeError)

// ---------------------------------------------------------------------------
// The mapper
// ---------------------------------------------------------------------------

const decodeBody = Schema.decodeUnknownOption(ErrorBody)

/**
 * The first characters of a text that is not Make's error JSON, with an ellipsis when cut.
 *
 * @since 0.1.0
 * @category formatting
 */
export const excerpt: (text: string, max?: number) => string = ErrorText.excerpt

/**
 * An HTTP outcome that is not a success, as the pipeline saw it.
 *
 * @since 0.1.0
 * @category models
 */
export interface FailedResponse {
  readonly status: number
  /** The parsed JSON body, or the raw text when it was not JSON. */
  readonly body: unknown
  /** `Retry-After`, already converted to milliseconds. */
  readonly retryAfterMillis?: number | undefined
  /** How many times the request was sent. */
  readonly attempts?: number | undefined
  /**
   * Applied to every text the error keeps (detail, title, code, suberrors, excerpt): the client passes one that
   * removes its token in any spelling, so an error body that echoes the token does not carry it into the error.
   */
  readonly redact?: ((text: string) => string) | undefined
}

/** The longest `detail` kept from Make's error body; Make's own are one sentence. */
const maxDetail = 1000

/**
 * THE mapper from Make's error body and HTTP status to a {@link MakeError}. Every non-2xx answer goes through it,
 * wherever it is seen (the client pipeline, the contract's error decoders).
 *
 * | status | code | error |
 * | --- | --- | --- |
 * | any | `IM004` | `NotConfirmed` |
 * | 406 | any | `NotConfirmed` |
 * | 400, 405, 409, 410, 413, 415, 422 | any | `InvalidRequest` |
 * | 401 | any | `Unauthorized` |
 * | 403 | any | `Forbidden` |
 * | 404 | any | `NotFound` |
 * | 429 | any | `RateLimited` |
 * | 5xx | any | `ServerError` |
 * | anything else | | `UnexpectedResponse` |
 *
 * @example
 * ```ts
 * import { MakeError } from "effect-make"
 *
 * const error = MakeError.fromResponse({
 *   status: 406,
 *   body: { detail: "Organization has active scenarios", message: "Not confirmed", code: "IM004" }
 * })
 * assert.strictEqual(error._tag, "NotConfirmed")
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromResponse = (response: FailedResponse): ResponseError => {
  const { status } = response
  const redact = response.redact ?? ((text: string) => text)
  const parsed = decodeBody(response.body)
  // Every text below is bounded and redacted: the body is whatever the server sent (any size, any depth).
  const text = (value: string | undefined, max?: number) =>
    value === undefined ? undefined : ErrorText.excerptOf(value, redact, max)
  const fields: {
    readonly status: number
    readonly detail: string
    readonly title?: string | undefined
    readonly code?: string | undefined
  } = Option.match(parsed, {
    onNone: () => ({ status, detail: ErrorText.excerptOf(response.body, redact) }),
    onSome: (body) => ({
      status,
      detail: ErrorText.excerptOf(body.detail, redact, maxDetail),
      title: text(body.message),
      code: text(body.code, 40)
    })
  })
  const attempts = response.attempts ?? 1
  if (fields.code === "IM004" || status === 406) return new NotConfirmed(fields)
  switch (status) {
    case 400:
    case 405:
    case 409:
    case 410:
    case 413:
    case 415:
    case 422:
      return new InvalidRequest({
        ...fields,
        suberrors: Option.match(parsed, {
          onNone: () => [],
          onSome: (body) => ErrorText.boundSuberrors(body.suberrors ?? [], redact)
        })
      })
    case 401:
      return new Unauthorized(fields)
    case 403:
      return new Forbidden(fields)
    case 404:
      return new NotFound(fields)
    case 429:
      return new RateLimited({ ...fields, attempts, retryAfterMillis: response.retryAfterMillis })
  }
  if (status >= 500 && status <= 599) return new ServerError({ ...fields, attempts })
  return new UnexpectedResponse({ status, reason: "a status Make does not use", excerpt: fields.detail })
}

/**
 * The wire body of an error that came from a response (used by the emulator to answer like Make).
 *
 * @since 0.1.0
 * @category wire
 */
export const toBody = (error: {
  readonly detail: string
  readonly title?: string | undefined
  readonly code?: string | undefined
  readonly suberrors?: ReadonlyArray<Suberror> | undefined
}): ErrorBody => ({
  detail: error.detail,
  message: error.title ?? error.detail,
  ...(error.code === undefined ? {} : { code: error.code }),
  ...(error.suberrors === undefined || error.suberrors.length === 0 ? {} : { suberrors: error.suberrors })
})

/**
 * Turns a schema failure of the caller's arguments into {@link InvalidInput}.
 *
 * @since 0.1.0
 * @category constructors
 */
export const invalidInput = (operation: string, error: ParseResult.ParseError): InvalidInput =>
  new InvalidInput({ operation, issues: formatIssues(error) })

/**
 * A schema failure as one line per problem, each with the path of the offending value: `id: Expected …`. Safe on any
 * value, however deep or large (the values shown are bounded copies), and it never throws.
 *
 * @since 0.1.0
 * @category formatting
 */
export const formatIssues: (
  error: ParseResult.ParseError,
  redact?: (text: string) => string
) => ReadonlyArray<string> = ErrorText.formatIssues
