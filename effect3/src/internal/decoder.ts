/**
 * A one-pass decoder compiled from a Schema: the same result as `Schema.decodeUnknownEither(schema)`, without the
 * per-node Either allocations and the second walk that `optionalWith` structs cost ParseResult.
 *
 * @since 0.1.0
 * @internal
 */
// Floor 1 (internal): imports only `effect`.
import { Either, Option, ParseResult, Schema, SchemaAST as AST } from "effect"
import { isShallow, maxDepth } from "./decoderLimits.js"
import { miss, optionalFields, type Step, typeLiteral } from "./decoderStruct.js"
import { checks, isCheck, union } from "./decoderUnion.js"

/**
 * A compiled decoder: the decoded value, or ParseResult's own error for the same input.
 *
 * @since 0.1.0
 * @internal
 */
export type Decoder<A> = (input: unknown) => Either.Either<A, ParseResult.ParseError>

/**
 * Compiles a schema once into a decoder that equals `Schema.decodeUnknownEither(schema)` on every input. The walk
 * handles the node kinds the contract's responses use; any other subtree runs through ParseResult's own decoder, so
 * the result never depends on what the walk knows. On failure the whole input goes through
 * `Schema.decodeUnknownEither` again: errors are rare and must read exactly as ParseResult words them.
 *
 * An input nested deeper than `maxDepth` (internal/decoderLimits.ts) is refused with one issue, {@link tooDeep}, before
 * either decoder sees it, and a `RangeError` met while decoding is a failure too: whatever the input, the answer is an
 * `Either`, never a throw.
 *
 * @example
 * ```ts
 * import { Either, Schema } from "effect"
 * import { compile } from "./decoder.js"
 *
 * const Team = Schema.Struct({ id: Schema.Number, name: Schema.optionalWith(Schema.String, { nullable: true }) })
 * assert.deepStrictEqual(compile(Team)({ id: 1, name: null }), Either.right({ id: 1 }))
 * ```
 *
 * @since 0.1.0
 * @internal
 */
export const compile = <A, I>(schema: Schema.Schema<A, I, never>): Decoder<A> => {
  const fast = new Compiler().compile(schema.ast)
  const slow = Schema.decodeUnknownEither(schema)
  return (input) => {
    // Refused before any decoder sees it: ParseResult's own walk is not safe on a value nested thousands deep.
    if (!isShallow(input)) return Either.left(refused(schema.ast, input, tooDeep))
    try {
      const value = fast(input)
      return value === miss ? slow(input) : Either.right(trusted<A>(value))
    } catch (error) {
      // What a recursion in a schema of our own could still meet within the depth bound: a failure, never a defect.
      if (error instanceof RangeError) return Either.left(refused(schema.ast, input, couldNotDecode(error)))
      throw error
    }
  }
}

/**
 * The issue of a body no decoder is asked to read.
 *
 * @internal
 */
export const tooDeep =
  `the body nests arrays or objects more than ${maxDepth} levels deep, deeper than this client reads`

const couldNotDecode = (error: RangeError) => `the body could not be decoded (RangeError: ${error.message})`

const refused = (ast: AST.AST, input: unknown, message: string): ParseResult.ParseError =>
  new ParseResult.ParseError({ issue: new ParseResult.Type(ast, input, message) })

/**
 * The walk alone, without the hand-over: `None` exactly where ParseResult fails. What the tests use to see that a
 * value decoded by {@link compile} never took the slow road.
 *
 * @since 0.1.0
 * @internal
 */
export const walk = <A, I>(schema: Schema.Schema<A, I, never>): (input: unknown) => Option.Option<A> => {
  const fast = new Compiler().compile(schema.ast)
  return (input) => {
    const value = fast(input)
    return value === miss ? Option.none() : Option.some(trusted<A>(value))
  }
}

/**
 * The one place the walk's untyped result meets the schema's type. The compiler cannot follow a value through an AST;
 * what vouches for it is that each node mirrors ParseResult's, and the property tests that compare both decoders on
 * every response schema of the contract.
 */
const trusted = <A>(value: unknown): A => value as A

/** The compiled nodes of one schema, shared where the AST shares them (and so where it recurses, via `Suspend`). */
class Compiler {
  private readonly memo = new Map<AST.AST, Step>()

  compile = (ast: AST.AST): Step => {
    const known = this.memo.get(ast)
    if (known !== undefined) return known
    const step = this.node(ast) ?? parseResult(ast)
    this.memo.set(ast, step)
    return step
  }

  /** The node's own decoder, or `undefined` where ParseResult's must run instead. */
  private node(ast: AST.AST): Step | undefined {
    // Annotations that change how ParseResult walks a subtree (parse options, a fallback on failure) stay its job.
    if (Option.isSome(AST.getParseOptionsAnnotation(ast)) || Option.isSome(AST.getDecodingFallbackAnnotation(ast))) {
      return undefined
    }
    // keywords and literals: the input itself, once checked
    if (isCheck(ast)) return checks([ast])
    switch (ast._tag) {
      case "TupleType":
        return this.array(ast)
      case "TypeLiteral":
        return typeLiteral(ast, this.compile)
      case "Union":
        return union(ast, this.compile)
      case "Refinement":
        return this.refinement(ast)
      case "Transformation":
        return this.transformation(ast)
      case "Declaration":
        return declaration(ast)
      case "Suspend": {
        // Compiled on first use: the thunk may refer to a schema still being defined.
        let inner: Step | undefined
        return (input) => (inner ??= this.compile(ast.f()))(input)
      }
      default:
        return undefined
    }
  }

  /** `Schema.Array(item)`: no fixed elements, one rest element. Tuples are left to ParseResult. */
  private array(ast: AST.TupleType): Step | undefined {
    const [rest, ...post] = ast.rest
    if (ast.elements.length > 0 || rest === undefined || post.length > 0) return undefined
    const item = this.compile(rest.type)
    return (input) => {
      if (!Array.isArray(input)) return miss
      const output: Array<unknown> = new Array(input.length)
      for (let i = 0; i < input.length; i++) {
        const value = item(input[i])
        if (value === miss) return miss
        output[i] = value
      }
      return output
    }
  }

  private refinement(ast: AST.Refinement): Step {
    const from = this.compile(ast.from)
    return (input) => {
      const value = from(input)
      return value === miss || Option.isSome(ast.filter(value, AST.defaultParseOption, ast)) ? miss : value
    }
  }

  private transformation(ast: AST.Transformation): Step | undefined {
    const kind = ast.transformation
    if (AST.isTypeLiteralTransformation(kind) && AST.isTypeLiteral(ast.from) && AST.isTypeLiteral(ast.to)) {
      const fused = optionalFields(ast.from, ast.to, kind, this.compile)
      if (fused !== undefined) return fused
    }
    const from = this.compile(ast.from)
    const to = this.compile(ast.to)
    const transform = decodeWith(kind)
    const whole = lazily(() => parseResult(ast))
    return (input) => {
      const decoded = from(input)
      if (decoded === miss) return miss
      const result = transform(decoded, ast, input)
      // A transformation that answers with an effect (not an Either) is run by ParseResult, from the start.
      if (!Either.isEither(result)) return whole()(input)
      return Either.isLeft(result) ? miss : to(result.right)
    }
  }
}

/** A value built on first use: ParseResult's decoder for a node that almost never needs it. */
const lazily = <A>(make: () => A): () => A => {
  let made: { readonly value: A } | undefined
  return () => (made ??= { value: make() }).value
}

/** ParseResult's own decoder for a node, as a step: the fallback for whatever the walk does not mirror. */
const parseResult = (ast: AST.AST): Step => {
  const decode = ParseResult.decodeUnknownEither(Schema.make<unknown>(ast))
  return (input) => Either.getOrElse(decode(input), () => miss)
}

/** `DateTimeUtcFromSelf` and the like: the declaration's own check, which answers with an Either when synchronous. */
const declaration = (ast: AST.Declaration): Step => {
  const decode = ast.decodeUnknown(...ast.typeParameters)
  const whole = lazily(() => parseResult(ast))
  return (input) => {
    const result = decode(input, AST.defaultParseOption, ast)
    if (!Either.isEither(result)) return whole()(input)
    return Either.isLeft(result) ? miss : result.right
  }
}

type Transform = (
  decoded: unknown,
  ast: AST.Transformation,
  input: unknown
) => ReturnType<AST.FinalTransformation["decode"]>

/** The decode side of a transformation, as ParseResult applies it. */
const decodeWith = (kind: AST.TransformationKind): Transform => {
  switch (kind._tag) {
    case "FinalTransformation":
      return (decoded, ast, input) => kind.decode(decoded, AST.defaultParseOption, ast, input)
    case "ComposeTransformation":
      return (decoded) => Either.right(decoded)
    case "TypeLiteralTransformation":
      return (decoded) => Either.right(renameFields(kind, decoded))
  }
}

/** ParseResult's `TypeLiteralTransformation`, step by step, on a copy (the decoded struct may be shared). */
const renameFields = (kind: AST.TypeLiteralTransformation, decoded: unknown): unknown => {
  if (typeof decoded !== "object" || decoded === null) return decoded
  const output: { [key: PropertyKey]: unknown } = { ...decoded }
  for (const pst of kind.propertySignatureTransformations) {
    const value = pst.decode(
      Object.prototype.hasOwnProperty.call(output, pst.from) ? Option.some(output[pst.from]) : Option.none()
    )
    delete output[pst.from]
    if (Option.isSome(value)) output[pst.to] = value.value
  }
  return output
}
