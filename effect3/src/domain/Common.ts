/**
 * Small schemas the entity modules share: ids, names, and numbers Make sometimes sends as strings.
 *
 * @since 0.1.0
 */
// Floor 1: imports only `effect`.
import { Schema } from "effect"

/**
 * A numeric id as Make issues them: a positive safe integer.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Id = Schema.Int.pipe(
  Schema.positive(),
  Schema.lessThanOrEqualTo(Number.MAX_SAFE_INTEGER),
  Schema.annotations({ identifier: "Id", description: "A positive integer id" })
)

/**
 * A human-readable name: not blank, at most 255 characters. Make's own limit is not documented; 255 is the length
 * its UI accepts, checked here so a bad name fails before a request is sent.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Name = Schema.String.pipe(
  Schema.filter((s) => s.trim().length > 0, { message: () => "must not be blank" }),
  Schema.maxLength(255, { message: () => "must be at most 255 characters" }),
  Schema.annotations({ identifier: "Name" })
)

/**
 * A number that Make sends either as a JSON number or as a numeric string (`"operations": "0"`).
 * Decodes to a number; encodes as a number.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Count = Schema.Union(Schema.Number, Schema.NumberFromString).annotations({
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
 * @example
 * ```ts
 * import { Schema } from "effect"
 * import { Common } from "effect-make"
 *
 * const App = Schema.Struct({ name: Schema.String, description: Common.Optional(Schema.String) })
 * assert.deepStrictEqual(Schema.decodeUnknownSync(App)({ name: "x", description: null }), { name: "x" })
 * ```
 *
 * @since 0.1.0
 * @category schemas
 */
export const Optional = <A, I, R>(schema: Schema.Schema<A, I, R>) => Schema.optionalWith(schema, { nullable: true })
