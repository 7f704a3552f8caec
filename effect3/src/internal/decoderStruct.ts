/**
 * The struct half of the one-pass decoder: a `TypeLiteral`, alone or fused with the `TypeLiteralTransformation` that
 * `Schema.optionalWith(x, { nullable: true })` wraps around it, decoded in a single walk over the input object.
 *
 * @since 0.1.0
 * @internal
 */
// Floor 1 (internal): imports only `effect`.
import { Option, SchemaAST as AST } from "effect"

/**
 * What a compiled node returns when ParseResult would fail on the same input: a sentinel rather than an `Either`, so
 * that the success path allocates nothing but the decoded value.
 *
 * @since 0.1.0
 * @internal
 */
export const miss: unique symbol = Symbol("effect-make/decoder/miss")

/**
 * A compiled node: the decoded value, or {@link miss} exactly where ParseResult fails.
 *
 * @since 0.1.0
 * @internal
 */
export type Step = (input: unknown) => unknown

/** One property as the walk sees it: how to decode its value, and the optional-field rule to apply afterwards. */
interface Property {
  readonly name: string
  /** A missing key is skipped (`isOptional` on the encoded side); otherwise `undefined` is decoded in its place. */
  readonly optional: boolean
  readonly decode: Step
  /** The `optionalWith` rule (`null` means absent), applied to the decoded value when the struct is transformed. */
  readonly rule: Rule | undefined
}

/** The index signature over string keys (`Schema.Record({ key: Schema.String, ... })`): every other key is kept. */
interface Index {
  readonly decode: Step
  /** `Unknown` values need no check: the common case (`License`'s undocumented flags) skips the call. */
  readonly anything: boolean
}

const hasOwn = (input: object, key: string): boolean => Object.prototype.hasOwnProperty.call(input, key)

const isRecord = (input: unknown): input is { readonly [key: string]: unknown } =>
  typeof input === "object" && input !== null && !Array.isArray(input)

// One index signature at most: with several, ParseResult's last-one-wins order per key is not worth mirroring.
const stringKeys = (ast: AST.TypeLiteral): boolean =>
  ast.indexSignatures.length <= 1 &&
  ast.propertySignatures.every((ps) => typeof ps.name === "string") &&
  ast.indexSignatures.every((is) => AST.isStringKeyword(is.parameter))

const anything = (ast: AST.AST): boolean => ast._tag === "UnknownKeyword" || ast._tag === "AnyKeyword"

/**
 * A struct's decoder, or `undefined` where its keys are not all plain strings (symbols, template-literal or refined
 * index keys): the caller then hands the node to ParseResult.
 *
 * @since 0.1.0
 * @internal
 */
export const typeLiteral = (ast: AST.TypeLiteral, compile: (ast: AST.AST) => Step): Step | undefined => {
  if (!stringKeys(ast)) return undefined
  // ParseResult treats a struct with no keys at all as "anything but null or undefined", and returns the input as is.
  if (ast.propertySignatures.length === 0 && ast.indexSignatures.length === 0) {
    return (input) => (input === null || input === undefined ? miss : input)
  }
  const properties = ast.propertySignatures.map((ps): Property => ({
    name: String(ps.name),
    optional: ps.isOptional,
    decode: compile(ps.type),
    rule: undefined
  }))
  return walk(properties, indexOf(ast, compile))
}

const indexOf = (ast: AST.TypeLiteral, compile: (ast: AST.AST) => Step): Index | undefined =>
  ast.indexSignatures.map((is) => ({ decode: compile(is.type), anything: anything(is.type) }))[0]

/**
 * A struct with `optionalWith` fields, decoded in one walk where ParseResult makes two: it decodes the encoded struct
 * (`field?: A | null | undefined`), applies each field's rule (`null` → absent), then validates the result against
 * the type-side struct, which copies it once more in the declared order. The fusion returns what that last step
 * returns: the declared order, then the index keys in input order. It skips the type-side validation because a value
 * decoded by a schema is by construction an instance of that schema's type side (the property tests compare every
 * response schema against ParseResult to hold this to account).
 *
 * Returns `undefined` for transformations it does not mirror exactly (renamed keys, a rule feeding a required
 * field, encoded and type sides with different keys); the caller then runs the transformation step by step.
 *
 * @since 0.1.0
 * @internal
 */
export const optionalFields = (
  from: AST.TypeLiteral,
  to: AST.TypeLiteral,
  transformation: AST.TypeLiteralTransformation,
  compile: (ast: AST.AST) => Step
): Step | undefined => {
  if (!stringKeys(from) || !stringKeys(to)) return undefined
  const rules = new Map<string, Rule>()
  for (const pst of transformation.propertySignatureTransformations) {
    if (pst.from !== pst.to || typeof pst.from !== "string" || rules.has(pst.from)) return undefined
    rules.set(pst.from, pst.decode)
  }
  const encoded = new Map(from.propertySignatures.map((ps) => [String(ps.name), ps]))
  if (encoded.size !== to.propertySignatures.length || from.indexSignatures.length !== to.indexSignatures.length) {
    return undefined
  }
  const properties: Array<Property> = []
  for (const target of to.propertySignatures) {
    const name = String(target.name)
    const source = encoded.get(name)
    const rule = rules.get(name)
    // A rule may answer "absent": the type side must then allow absence, as ParseResult would otherwise decode
    // `undefined` against it. Without a rule the key's presence carries over, so both sides must agree on it.
    if (source === undefined || !target.isOptional && (rule !== undefined || source.isOptional)) return undefined
    properties.push({
      name,
      optional: source.isOptional,
      decode: compile(source.type),
      rule: rule !== undefined && dropsNull(rule) ? dropNull : rule
    })
  }
  if (rules.size > 0 && [...rules.keys()].some((name) => !encoded.has(name))) return undefined
  return walk(properties, indexOf(from, compile))
}

type Rule = (o: Option.Option<unknown>) => Option.Option<unknown>

/** `optionalWith(x, { nullable: true })`'s rule, `Option.filter(isNotNull)`: applied inline, without the Options. */
const dropNull: Rule = Option.filter((value) => value !== null)

/** Values that tell the nullable rule from any other: a rule that drops `null` and keeps each of these, as is (`Object.is`: NaN too). */
const probes: ReadonlyArray<unknown> = [undefined, 0, 1, Number.NaN, "", "0", false, true, {}, [], Symbol("probe")]

/**
 * Whether a rule is the nullable one. Schema builds it as a fresh closure per field, so it cannot be recognised by
 * reference; it is recognised by what it does on `None`, `null` and the probes. The property tests hold every schema
 * of the contract to ParseResult's answers, so a rule that fooled the probes would show there; a nullable rule it
 * failed to recognise would only be slower (test/internal/decoderStruct.test.ts holds that to account).
 *
 * @since 0.1.0
 * @internal
 */
export const dropsNull = (rule: Rule): boolean =>
  Option.isNone(rule(Option.none())) &&
  Option.isNone(rule(Option.some(null))) &&
  probes.every((probe) =>
    Option.getOrUndefined(Option.map(rule(Option.some(probe)), (kept) => Object.is(kept, probe))) === true
  )

/** The walk itself: properties in order, then the index keys ParseResult would keep. */
const walk = (properties: ReadonlyArray<Property>, index: Index | undefined): Step => {
  const expected = new Set(properties.map((p) => p.name))
  const check = index === undefined || index.anything ? undefined : index.decode
  return (input) => {
    if (!isRecord(input)) return miss
    const output: { [key: string]: unknown } = {}
    for (const property of properties) {
      const raw = input[property.name]
      // a missing optional key is skipped; a present one holding `undefined` is decoded, as ParseResult does
      if (raw === undefined && property.optional && !hasOwn(input, property.name)) continue
      const value = property.decode(raw)
      if (value === miss) return miss
      if (property.rule === undefined) {
        output[property.name] = value
      } else if (property.rule === dropNull) {
        if (value !== null) output[property.name] = value
      } else {
        // Here the key is present, or decoded as `undefined`: either way ParseResult's first pass wrote it.
        const kept = property.rule(Option.some(value))
        if (Option.isSome(kept)) output[property.name] = kept.value
      }
    }
    if (index !== undefined) {
      for (const key of Object.keys(input)) {
        // A `__proto__` key (JSON.parse makes it an own property) would set the output's prototype if assigned:
        // never from a server's answer. ParseResult drops it too, in the second pass over the struct.
        if (key === "__proto__") continue
        // ParseResult checks declared keys against the index signature too, but keeps only the others.
        const value = check === undefined ? input[key] : check(input[key])
        if (value === miss) return miss
        if (!expected.has(key)) output[key] = value
      }
    }
    return output
  }
}
