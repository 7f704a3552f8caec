/**
 * A tool's failure as a model and an MCP host read it: the error's fields (its `_tag`, `status`, `detail`, ...) and
 * its `message`, the sentence a person would read. The errors' own JSON forms carry no `message` (it is derived from
 * their fields), so a tool's failure schema adds it when encoding and drops it when decoding; the typed failure an
 * Effect app handles stays the error class itself.
 *
 * @since 1.0.0
 */
// Floor "the agent tools": imports the client floor and `effect`.
import { Effect, Schema, SchemaIssue, SchemaTransformation } from "effect"

/**
 * A failure's JSON form: its tag and message, then its own fields.
 *
 * @since 1.0.0
 * @category models
 */
export const Reported = Schema.StructWithRest(
  Schema.Struct({ _tag: Schema.String, message: Schema.String }),
  [Schema.Record(Schema.String, Schema.Json)]
)

/**
 * The type of {@link Reported}.
 *
 * @since 1.0.0
 * @category models
 */
export type Reported = typeof Reported.Type

const isRecord = (u: unknown): u is Readonly<Record<string, unknown>> => typeof u === "object" && u !== null

/**
 * The failure schema of a tool whose errors are `errors`: decodes to the error itself, encodes to its JSON form with
 * its `message` added after its tag.
 *
 * @example
 * ```ts
 * import { Schema } from "effect"
 * import { MakeError } from "effect-make"
 * import { ToolFailure } from "effect-make/ai"
 *
 * const failure = ToolFailure.reported(MakeError.MakeError)
 * const missing = new MakeError.NotFound({ status: 404, detail: "Organization not found.", resource: "organization", id: 9 })
 * Schema.encodeSync(failure)(missing)
 * // { _tag: "NotFound", message: "Organization 9 was not found, ...", status: 404, detail: "Organization not found.", ... }
 * ```
 *
 * @since 1.0.0
 * @category constructors
 */
export const reported = <E extends { readonly message: string }>(errors: Schema.Codec<E, unknown>) => {
  const encode = Schema.encodeUnknownEffect(Schema.toCodecJson(errors))
  const decode = Schema.decodeUnknownEffect(Schema.toCodecJson(errors))
  return Reported.pipe(Schema.decodeTo(
    Schema.toType(errors),
    SchemaTransformation.transformEffect<E, Reported>({
      decode: ({ message: _message, ...fields }) => Effect.mapError(decode(fields), (error) => error.issue),
      encode: (error, options) =>
        encode(error).pipe(
          Effect.mapError((e) => e.issue),
          Effect.flatMap((fields) =>
            isRecord(fields) && typeof fields["_tag"] === "string"
              ? Effect.succeed({ _tag: fields["_tag"], message: error.message, ...fields })
              : Effect.fail(new SchemaIssue.InvalidValue({ message: "an error without a tag" }, error, options))
          )
        )
    })
  ))
}
