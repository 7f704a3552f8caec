/**
 * The wire form of Make's errors for the contract: each tagged error <-> Make's `{detail, message, code}` body,
 * annotated with its HTTP status. Decoding goes through MakeError.fromResponse, the one mapper.
 *
 * @since 0.1.0
 */
// Floor 2: imports `effect`, `@effect/platform` and MakeError.
import { HttpApiSchema } from "@effect/platform"
import { Option, ParseResult, Predicate, Schema, SchemaAST } from "effect"
import * as MakeError from "../MakeError.js"

type WireError =
  | MakeError.NotFound
  | MakeError.NotConfirmed
  | MakeError.InvalidRequest
  | MakeError.Unauthorized
  | MakeError.Forbidden
  | MakeError.RateLimited
  | MakeError.ServerError

/**
 * Make's body on the wire, the tagged error in code. The status is the one the error is sent with; decoding maps
 * the body with {@link MakeError.fromResponse} and accepts the result only if it is this error.
 *
 * @since 0.1.0
 * @category wire
 */
export const wire = <A extends WireError, I, R>(
  error: Schema.Schema<A, I, R> & { readonly _tag: A["_tag"] },
  status: number
): Schema.Schema<A, typeof MakeError.ErrorBody.Encoded> => {
  const isError = Schema.is(error)
  return Schema.transformOrFail(MakeError.ErrorBody, Schema.typeSchema(error), {
    strict: true,
    decode: (body, _, ast) => {
      const decoded = MakeError.fromResponse({ status, body })
      return isError(decoded)
        ? ParseResult.succeed(decoded)
        : ParseResult.fail(new ParseResult.Type(ast, body, `a ${status} body that is not a ${decoded._tag}`))
    },
    encode: (error) => ParseResult.succeed(MakeError.toBody(error))
  }).annotations({ ...HttpApiSchema.annotations({ status }), [ErrorTag]: error._tag })
}

/**
 * The annotation that names the tagged error a wire schema decodes to, so the tags an endpoint declares can be read
 * from the contract at run time (see `Operation`).
 *
 * @since 0.1.0
 * @category annotations
 */
export const ErrorTag: unique symbol = Symbol.for("effect-make/api/Errors/ErrorTag")

/**
 * The tag of the error a wire schema's AST decodes to, if it is one of ours.
 *
 * @since 0.1.0
 * @category annotations
 */
export const errorTagOf = (ast: SchemaAST.AST): Option.Option<string> =>
  Option.filter(SchemaAST.getAnnotation<unknown>(ast, ErrorTag), Predicate.isString)

/**
 * `MakeError.NotFound` on the wire: Make's error body with status 404.
 *
 * @since 0.1.0
 */
export const NotFound = wire(MakeError.NotFound, 404)
/**
 * `MakeError.NotConfirmed` on the wire: Make's error body with status 406 (`IM004`).
 *
 * @since 0.1.0
 */
export const NotConfirmed = wire(MakeError.NotConfirmed, 406)
/**
 * `MakeError.InvalidRequest` on the wire: Make's error body with status 400 and its `suberrors`.
 *
 * @since 0.1.0
 */
export const InvalidRequest = wire(MakeError.InvalidRequest, 400)
/**
 * `MakeError.Unauthorized` on the wire: Make's error body with status 401.
 *
 * @since 0.1.0
 */
export const Unauthorized = wire(MakeError.Unauthorized, 401)
/**
 * `MakeError.Forbidden` on the wire: Make's error body with status 403.
 *
 * @since 0.1.0
 */
export const Forbidden = wire(MakeError.Forbidden, 403)
/**
 * `MakeError.RateLimited` on the wire: Make's error body with status 429.
 *
 * @since 0.1.0
 */
export const RateLimited = wire(MakeError.RateLimited, 429)
/**
 * `MakeError.ServerError` on the wire: Make's error body with status 500.
 *
 * @since 0.1.0
 */
export const ServerError = wire(MakeError.ServerError, 500)

/**
 * A licence gate: Make answers a call its organization's licence does not allow with the same bare 404 as a missing
 * entity (custom variables, per its docs). Declared after {@link NotFound} on the same status, so a 404 body always
 * decodes as `NotFound`; the service tells the two apart by reading the licence, and the contract says that the
 * endpoint can fail so. On the wire it is that bare 404.
 *
 * @since 0.1.0
 * @category wire
 */
export const FeatureUnavailable: Schema.Schema<MakeError.FeatureUnavailable, typeof MakeError.ErrorBody.Encoded> =
  Schema.transformOrFail(MakeError.ErrorBody, Schema.typeSchema(MakeError.FeatureUnavailable), {
    strict: true,
    decode: (body, _, ast) =>
      ParseResult.fail(new ParseResult.Type(ast, body, "a licence gate is told by the licence")),
    encode: (error) =>
      ParseResult.succeed({ detail: error.detail ?? "Not found.", message: "Not found", code: "SC404" })
  }).annotations({
    ...HttpApiSchema.annotations({ status: 404 }),
    [ErrorTag]: MakeError.FeatureUnavailable._tag
  })
