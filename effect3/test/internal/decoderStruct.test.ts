// The decoder applies `optionalWith(x, { nullable: true })`'s rule inline, without Options, when it recognises it: a
// rule it fails to recognise decodes the same but allocates two Options per field (a loopback page of 500 teams
// decoded twice as slowly when the NaN probe made every nullable rule go unrecognised). Other rules stay unrecognised.
import { describe, expect, it } from "@effect/vitest"
import { Option, Schema, SchemaAST } from "effect"
import { dropsNull } from "../../src/internal/decoderStruct.js"

/** The decoding rule `Schema` made for the one field of a struct with an `optionalWith` field. */
const ruleOf = (field: Schema.Struct.Field) => {
  const { ast } = Schema.Struct({ field })
  if (!SchemaAST.isTransformation(ast) || !SchemaAST.isTypeLiteralTransformation(ast.transformation)) {
    throw new Error("expected a struct transformation")
  }
  const [rule] = ast.transformation.propertySignatureTransformations
  if (rule === undefined) throw new Error("expected a rule")
  return rule.decode
}

describe("the nullable rule", () => {
  it("is recognised for every nullable optional field, whatever its type", () => {
    for (const schema of [Schema.Number, Schema.String, Schema.Boolean, Schema.NumberFromString, Schema.Unknown]) {
      expect(dropsNull(ruleOf(Schema.optionalWith(schema, { nullable: true })))).toBe(true)
    }
  })

  it("is not mistaken for another rule", () => {
    const others = [
      ruleOf(Schema.optionalWith(Schema.Number, { default: () => 0 })),
      ruleOf(Schema.optionalWith(Schema.Number, { nullable: true, default: () => 0 })),
      ruleOf(Schema.optionalWith(Schema.Number, { as: "Option" })),
      // keeps null, or drops what the nullable rule keeps
      (o: Option.Option<unknown>) => o,
      Option.filter((value: unknown) => value !== null && value !== 0),
      Option.filter((value: unknown) => value !== null && !Number.isNaN(value))
    ]
    for (const rule of others) expect(dropsNull(rule)).toBe(false)
  })
})
