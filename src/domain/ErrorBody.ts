/**
 * Make's error body, as every non-2xx answer carries it.
 *
 * @since 1.0.0
 */
// Make's error body on the wire (`{ detail, message, code, suberrors }`) and one entry of its `suberrors`.
// Floor 1: imports only `effect`.
import { Schema } from "effect"

/**
 * One entry of `suberrors` in a 400 body. Make documents only `message`; other keys are kept as sent.
 *
 * @since 1.0.0
 * @category wire
 */
export const Suberror = Schema.StructWithRest(
  Schema.Struct({
    /** What is wrong with one field of the request, in Make's words. */
    message: Schema.String
  }),
  [Schema.Record(Schema.String, Schema.Unknown)]
).annotate({ identifier: "Suberror" })

/**
 * One decoded entry of `suberrors` (the type of the `Suberror` schema).
 *
 * @since 1.0.0
 * @category wire
 */
export type Suberror = typeof Suberror.Type

/**
 * Make's error body: `{"detail":"Access denied.","message":"Permission denied","code":"SC403"}`, plus `suberrors`
 * on validation failures.
 *
 * @since 1.0.0
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
}).annotate({ identifier: "ErrorBody" })

/**
 * Make's error body as decoded (the type of the `ErrorBody` schema).
 *
 * @since 1.0.0
 * @category wire
 */
export type ErrorBody = typeof ErrorBody.Type
