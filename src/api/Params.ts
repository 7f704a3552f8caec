/**
 * Path and query building blocks the groups share: numbers and booleans as they travel in a URL.
 *
 * @since 1.0.0
 */
// Path and query building blocks the groups share: ids and booleans as they travel in a URL.
// Floor 2: imports only `effect` and domain/Common.
import { Schema, SchemaTransformation } from "effect"
import * as Common from "../domain/Common.js"

/**
 * A number in a path or query: a numeric string, as the Effect 3 line read it (`Common.NumberFromString`). Effect 4's
 * own `NumberFromString` decodes `"abc"` to `NaN` and `FiniteFromString` decodes `""` to `0`; both lines refuse them.
 *
 * @since 1.0.0
 * @category params
 */
export const NumberFromString = Common.NumberFromString

/**
 * `true` / `false` in a query, as Effect 3's `Schema.BooleanFromString` read them (Effect 4 has none).
 *
 * @since 1.0.0
 * @category params
 */
export const BooleanFromString = Schema.Literals(["true", "false"]).pipe(
  Schema.decodeTo(
    Schema.Boolean,
    SchemaTransformation.transform({
      decode: (text) => text === "true",
      encode: (flag) => flag ? "true" as const : "false" as const
    })
  )
).annotate({ identifier: "BooleanFromString" })

/**
 * `?confirmed=true`: go ahead with a change Make wants confirmed (`IM004`).
 *
 * @since 1.0.0
 * @category params
 */
export const confirmed = Schema.optional(BooleanFromString)
