/**
 * The wire form of Make's errors for the contract: each tagged error <-> Make's `{detail, message, code}` body,
 * annotated with its HTTP status. Decoding goes through the one status mapper (`internal/statusMapper`).
 *
 * @since 1.0.0
 */
// The wire form of Make's errors for the contract: Make's tagless `{detail, message, code}` body <-> a tagged error.
// Floor 2: imports `effect`, `effect/http-api`, domain/ErrorBody, MakeError and the internal status mapper / body writer.
import { Effect, Option, Predicate, Schema, SchemaAST, SchemaIssue, SchemaTransformation } from "effect"
import { HttpApiSchema } from "effect/http-api"
import { ErrorBody } from "../domain/ErrorBody.js"
import { toBody } from "../internal/errorBody.js"
import { fromResponse } from "../internal/statusMapper.js"
import * as MakeError from "../MakeError.js"

/**
 * The errors Make itself answers with, each of which has a wire schema here.
 *
 * @since 1.0.0
 * @category models
 */
export type WireError =
  | MakeError.NotFound
  | MakeError.NotConfirmed
  | MakeError.InvalidRequest
  | MakeError.Unauthorized
  | MakeError.Forbidden
  | MakeError.RateLimited
  | MakeError.ServerError

/**
 * The annotation that names the tagged error a wire schema decodes to, so the tags an endpoint declares can be read
 * from the contract at run time (see `Operation`). Effect 4 annotations are keyed by strings.
 *
 * @since 1.0.0
 * @category annotations
 */
export const ErrorTag = "effect-make/api/Errors/ErrorTag"

const resolveErrorTag = SchemaAST.resolveAt<unknown>(ErrorTag)

/**
 * The tag of the error a wire schema's AST decodes to, if it is one of ours.
 *
 * @since 1.0.0
 * @category annotations
 */
export const errorTagOf = (ast: SchemaAST.AST): Option.Option<string> =>
  Option.filter(Option.fromUndefinedOr(resolveErrorTag(ast)), Predicate.isString)

/**
 * The schema of one of Make's errors on the wire: Make's body encoded, the tagged error decoded.
 *
 * @since 1.0.0
 * @category models
 */
export interface Wire<A> extends Schema.decodeTo<Schema.Codec<A>, typeof ErrorBody> {}

/**
 * Make's body, named after the error it carries: the OpenAPI document then lists `NotFound`, `FeatureUnavailable`,
 * ... as the Effect 3 line's does, instead of one `ErrorBody` repeated in every `anyOf`.
 */
const bodyOf = (identifier: string): typeof ErrorBody => ErrorBody.annotate({ identifier })

/**
 * Make's body on the wire, the tagged error in code. The status is the one the error is sent with; decoding maps the
 * body with the one status mapper and accepts the result only if it is this error (so several errors on one status
 * are told apart by trying them in declaration order).
 *
 * @example
 * ```ts
 * import { Schema } from "effect"
 * import * as Errors from "effect-make/api/Errors"
 * import * as MakeError from "effect-make/MakeError"
 *
 * const NotFound = Errors.wire(MakeError.NotFound, 404)
 * const error = Schema.decodeUnknownSync(NotFound)({ detail: "Gone.", message: "Not found", code: "SC404" })
 * assert.strictEqual(error._tag, "NotFound")
 * ```
 *
 * @since 1.0.0
 * @category wire
 */
export const wire = <A extends WireError>(
  error: Schema.Codec<A, unknown> & { readonly identifier: string },
  status: number
): Wire<A> => {
  const isError = Schema.is(error)
  return bodyOf(error.identifier).pipe(
    Schema.decodeTo(
      Schema.toType(error),
      SchemaTransformation.transformEffect<A, ErrorBody>({
        decode: (body, options) => {
          const decoded = fromResponse({ status, body })
          return isError(decoded)
            ? Effect.succeed(decoded)
            : Effect.fail(
              new SchemaIssue.InvalidValue(
                { message: `a ${status} body that is not a ${error.identifier}` },
                body,
                options
              )
            )
        },
        encode: (e) => Effect.succeed(toBody(e))
      })
    ),
    HttpApiSchema.status(status)
  ).annotate({ [ErrorTag]: error.identifier })
}

/**
 * `MakeError.NotFound` on the wire: Make's error body with status 404.
 *
 * @since 1.0.0
 * @category wire
 */
export const NotFound = wire(MakeError.NotFound, 404)
/**
 * `MakeError.NotConfirmed` on the wire: Make's error body with status 406 (`IM004`).
 *
 * @since 1.0.0
 * @category wire
 */
export const NotConfirmed = wire(MakeError.NotConfirmed, 406)
/**
 * `MakeError.InvalidRequest` on the wire: Make's error body with status 400 and its `suberrors`.
 *
 * @since 1.0.0
 * @category wire
 */
export const InvalidRequest = wire(MakeError.InvalidRequest, 400)
/**
 * `MakeError.Unauthorized` on the wire: Make's error body with status 401.
 *
 * @since 1.0.0
 * @category wire
 */
export const Unauthorized = wire(MakeError.Unauthorized, 401)
/**
 * `MakeError.Forbidden` on the wire: Make's error body with status 403.
 *
 * @since 1.0.0
 * @category wire
 */
export const Forbidden = wire(MakeError.Forbidden, 403)
/**
 * `MakeError.RateLimited` on the wire: Make's error body with status 429.
 *
 * @since 1.0.0
 * @category wire
 */
export const RateLimited = wire(MakeError.RateLimited, 429)
/**
 * `MakeError.ServerError` on the wire: Make's error body with status 500.
 *
 * @since 1.0.0
 * @category wire
 */
export const ServerError = wire(MakeError.ServerError, 500)

/**
 * A licence gate: Make answers a call its organization's licence does not allow with the same bare 404 as a missing
 * entity (custom variables, per its docs). Declared after {@link NotFound} on the same status, so a 404 body always
 * decodes as `NotFound`; the service tells the two apart by reading the licence, and the contract says that the
 * endpoint can fail so. On the wire it is that bare 404.
 *
 * @since 1.0.0
 * @category wire
 */
export const FeatureUnavailable: Wire<MakeError.FeatureUnavailable> = bodyOf(MakeError.FeatureUnavailable.identifier)
  .pipe(
    Schema.decodeTo(
      Schema.toType(MakeError.FeatureUnavailable),
      SchemaTransformation.transformEffect<MakeError.FeatureUnavailable, ErrorBody>({
        decode: (body, options) =>
          Effect.fail(
            new SchemaIssue.InvalidValue({ message: "a licence gate is told by the licence" }, body, options)
          ),
        encode: (error) => Effect.succeed({ detail: error.detail ?? "Not found.", message: "Not found", code: "SC404" })
      })
    ),
    HttpApiSchema.status(404)
  ).annotate({ [ErrorTag]: MakeError.FeatureUnavailable.identifier })
