/**
 * Small schemas the entity modules share: ids, names, and numbers Make sometimes sends as strings.
 *
 * @since 1.0.0
 */
// Small schemas the entity modules share: ids, names, numbers Make sometimes sends as strings, null-as-absent fields.
// Floor 1: imports only `effect`.
import { Effect, Option, Predicate, Schema, SchemaIssue, SchemaTransformation } from "effect"

// Request bodies (`Create*`, `Update*`, `InviteUser`, ...) no longer carry `parseOptions: { errors: "all" }` as an
// annotation: Effect 4 has no such schema annotation. Whoever decodes them (the contract's slot parse options, or a
// service before it sends) passes `{ errors: "all" }` so that every problem of the caller's arguments is listed.

/**
 * A numeric id as Make issues them: a positive safe integer.
 *
 * @since 1.0.0
 * @category schemas
 */
export const Id = Schema.Int.check(
  Schema.isGreaterThan(0),
  Schema.isLessThanOrEqualTo(Number.MAX_SAFE_INTEGER)
).annotate({ identifier: "Id", description: "A positive integer id" })

/**
 * A human-readable name: not blank, at most 255 characters. Make's own limit is not documented; 255 is the length
 * its UI accepts, checked here so a bad name fails before a request is sent.
 *
 * @since 1.0.0
 * @category schemas
 */
export const Name = Schema.String.check(
  // The arbitrary draws a string with a non-space character: a bare filter leaves it drawing "" at the smallest
  // size, where a property check starts and, discarding every draw, never grows ("Property exhausted after 0 runs").
  Schema.makeFilter((s: string) => s.trim().length > 0 || "must not be blank", {
    arbitraryConstraint: { patterns: [{ source: "\\S", flags: "" }] }
  }),
  Schema.isMaxLength(255, { message: "must be at most 255 characters" })
).annotate({ identifier: "Name" })

/**
 * A numeric string read as a number, as Effect 3's `NumberFromString` read it: `"0"`, `" 12 "`, `"1e3"`, `"NaN"`,
 * `"Infinity"` decode; a blank or non-numeric string (`"abc"`) fails. (Effect 4's `NumberFromString` decodes
 * `"abc"` to `NaN`, which would let any text through as a counter.)
 */
const NumericString = Schema.String.pipe(
  Schema.decodeTo(
    Schema.Number,
    SchemaTransformation.transformEffect<number, string>({
      decode: (text, options) => {
        const n = text.trim() === "" ? Number.NaN : Number(text)
        return Number.isNaN(n) && text !== "NaN"
          ? Effect.fail(
            new SchemaIssue.InvalidValue(
              { message: `Unable to decode ${JSON.stringify(text)} into a number` },
              text,
              options
            )
          )
          : Effect.succeed(n)
      },
      encode: (n) => Effect.succeed(String(n))
    })
  )
)

/**
 * A numeric string read as a number, as Effect 3's `NumberFromString` read it: `"12"`, `" 12 "`, `"1e3"`, `"NaN"`
 * decode; a blank or non-numeric string fails. For numbers that travel as text (paths, queries).
 *
 * @since 1.0.0
 * @category schemas
 */
export const NumberFromString = NumericString.annotate({ identifier: "NumberFromString" })

/**
 * A number that Make sends either as a JSON number or as a numeric string (`"operations": "0"`).
 * Decodes to a number; encodes as a number.
 *
 * @since 1.0.0
 * @category schemas
 */
export const Count = Schema.Union([Schema.Number, NumericString]).annotate({
  identifier: "Count",
  description: "A number, possibly sent as a numeric string"
})

/**
 * An optional field of an entity Make answers with. `null` means absent, everywhere: Make's pages never say which
 * optional fields it may send as `null`, so every optional field of every entity in `domain/` accepts `null` and
 * decodes it to a missing field (the user checks `field === undefined`, never `null`). Request bodies keep
 * `Schema.optional`: the caller leaves a field out, and `null` there is a mistake. Fields the docs call required
 * stay strict.
 *
 * Effect 4 has no `nullable` option: the key is `optionalKey(NullOr(S))` on the wire and `optionalKey(S)` once
 * decoded, `null` dropped on the way. Unlike Effect 3's form, an explicit `undefined` value is refused (JSON never
 * carries one).
 *
 * @example
 * ```ts
 * import { Schema } from "effect"
 * import { Common } from "effect-make"
 *
 * const App = Schema.Struct({ name: Schema.String, description: Common.Optional(Schema.String) })
 * assert.deepStrictEqual(Schema.decodeUnknownSync(App)({ name: "x", description: null }), { name: "x" })
 * ```
 *
 * @since 1.0.0
 * @category schemas
 */
export const Optional = <S extends Schema.Top>(schema: S) =>
  Schema.optionalKey(Schema.NullOr(schema)).pipe(
    Schema.decodeTo(
      Schema.optionalKey(Schema.toType(schema)),
      SchemaTransformation.transformOptional({ decode: Option.filter(Predicate.isNotNull), encode: (o) => o })
    )
  )

/**
 * An optional field of a request body: the caller may leave it out or set it to `undefined`, and either way the key is
 * left out of what is sent. Effect 4's JSON codec writes an explicit `undefined` of a `Schema.optional` field as
 * `null`, which Make would read as "clear this field"; Make's request bodies never carry `null` for a field the caller
 * did not set, and the Effect 3 line (through `JSON.stringify`) never sent one.
 *
 * @example
 * ```ts
 * import { Schema } from "effect"
 * import { Common } from "effect-make"
 *
 * const Update = Schema.Struct({ name: Common.OptionalInput(Schema.String) })
 * assert.deepStrictEqual(Schema.encodeSync(Update)({ name: undefined }), {})
 * ```
 *
 * @since 1.0.0
 * @category schemas
 */
export const OptionalInput = <S extends Schema.Top>(schema: S) =>
  Schema.optionalKey(schema).pipe(
    Schema.decodeTo(
      Schema.optional(Schema.toType(schema)),
      SchemaTransformation.transformOptional({ decode: (o) => o, encode: Option.filter(Predicate.isNotUndefined) })
    )
  )
