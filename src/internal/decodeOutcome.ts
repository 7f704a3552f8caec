// What the fast decoder reproduces of Schema's parser, node by node: the three outcomes, getters, checks, keyword
// tests and the JSON value. Floor 2 (internal): imports only `effect`.
/**
 * @since 1.0.0
 * @internal
 */
import { Exit, Option, Schema, SchemaAST } from "effect"

// `SchemaCompiler.set` on a node is not consulted: the contract's schemas install none.

/** A key absent from its object (Schema's `InternalParser.missing`). */
export const missing: unique symbol = Symbol("missing")
/** Schema would fail here with a schema issue. */
export const noMatch: unique symbol = Symbol("noMatch")
/** Schema's answer here is not known: ask Schema. */
export const unsure: unique symbol = Symbol("unsure")

export type Outcome = unknown
export type Node = (input: unknown) => Outcome

export const isFailure = (out: Outcome): boolean => out === noMatch || out === unsure

/** The options a getter or filter sees; they change only the text of a failure, which Schema reports. */
const parseOptions: SchemaAST.ParseOptions = {}

export const always = (out: Outcome): Node => () => out

/** Schema's `fromRefinement`: a missing key stays missing, a value passes unchanged or fails. */
export const refinement = (test: (input: unknown) => boolean): Node => (input) =>
  input === missing ? missing : test(input) ? input : noMatch

/** `Filter`s and `FilterGroup`s as `SchemaAST.collectIssues` runs them (one issue fails; a throw is a defect). */
export const passes = (
  checks: ReadonlyArray<SchemaAST.Check<unknown>>,
  value: unknown,
  ast: SchemaAST.AST
): boolean => {
  for (const check of checks) {
    if (check._tag === "FilterGroup" ? !passes(check.checks, value, ast) : check.run(value, ast, parseOptions)) {
      return false
    }
  }
  return true
}

export const withChecks = (ast: SchemaAST.AST, node: Node): Node => {
  const checks = ast.checks
  if (checks === undefined) return node
  return (input) => {
    const out = node(input)
    return out === missing || isFailure(out) ? out : passes(checks, out, ast) ? out : noMatch
  }
}

/** What an effect answered, when it is already an `Exit`; a failure or a pending effect is Schema's to judge. */
const exitValue = (effect: unknown): Outcome => Exit.isExit(effect) && Exit.isSuccess(effect) ? effect.value : unsure

const optionOut = (option: Option.Option<unknown>): Outcome => Option.isSome(option) ? option.value : missing

const toOption = (value: unknown): Option.Option<unknown> => value === missing ? Option.none() : Option.some(value)

export type Transform = (value: unknown) => Outcome

export const passthrough: Transform = (value) => value

/** One link's decode, as `compileTransformation` and `runGetter` apply it; `undefined` when not reproduced. */
export const transformationOf = (link: SchemaAST.Link): Transform | undefined => {
  const transformation = link.transformation
  if (transformation._tag === "Middleware") return undefined
  const getter = transformation.decode
  switch (getter._tag) {
    case "Passthrough":
      return passthrough
    case "Transform":
      return (value) => value === missing ? missing : getter.transform(value)
    case "TransformOptional":
      return (value) => optionOut(getter.transform(toOption(value)))
    case "TransformEffect":
      return (value) => value === missing ? missing : exitValue(getter.transform(value, parseOptions))
    case "TransformOptionalEffect":
      return (value) => {
        const out = exitValue(getter.transform(toOption(value), parseOptions))
        return out === unsure ? unsure : Option.isOption(out) ? optionOut(out) : unsure
      }
    default:
      return undefined
  }
}

/** The keys Schema reads only as own properties (`SchemaAST.requiresOwnProperty`). */
export const prototypeKeys: ReadonlySet<PropertyKey> = new Set<PropertyKey>(Reflect.ownKeys(Object.prototype)).add(
  "__proto__"
)

export const isRecord = (input: unknown): input is Record<string, unknown> =>
  typeof input === "object" && input !== null && !Array.isArray(input)

/**
 * The one Declaration reproduced: the JSON value `toCodecJson` puts under `Unknown` (`Record(String, Unknown)` in a
 * `StructWithRest`), found as Schema builds it, and decided by Schema's own guard for `Schema.Json`, which runs the
 * same test (`isJson`) as that declaration.
 */
export const jsonDeclaration: SchemaAST.AST | undefined = Schema.toCodecJson(Schema.Unknown).ast.encoding?.[0]?.to
const isJsonTree = Schema.is(Schema.Json)

/** `isJsonLeaf` in SchemaAST.ts. */
const isJsonLeaf = (input: unknown): boolean =>
  input === null || typeof input === "string" || typeof input === "boolean" ||
  (typeof input === "number" && Number.isFinite(input))

/** What `isTree` accepts as an object: an array, or an object whose prototype is `null`, `Object.prototype`, or has a `null` prototype. */
const isPlainContainer = (input: object): boolean => {
  if (Array.isArray(input)) return true
  const prototype: unknown = Object.getPrototypeOf(input)
  return prototype === null || prototype === Object.prototype || Object.getPrototypeOf(prototype) === null
}

/**
 * `isJson` (SchemaAST.ts `isTree(u, isJsonLeaf)`): a leaf, or an array or plain object of leaves, decided here exactly
 * as `isTree` walks it (no cycle is possible one level down); anything deeper, Schema's own guard (which allocates a
 * `WeakMap` per call, measured as the bulk of a `license`'s cost).
 */
export const isJson = (input: unknown): boolean => {
  if (typeof input !== "object" || input === null) return isJsonLeaf(input)
  if (!isPlainContainer(input)) return false
  const values: ReadonlyArray<unknown> = Array.isArray(input)
    ? Array.from({ length: input.length }, (_, i) => input[i])
    : Object.values(input)
  for (const value of values) {
    if (typeof value === "object" && value !== null) return isJsonTree(input)
    if (!isJsonLeaf(value)) return false
  }
  return true
}

/** The test of a keyword without encoding; `undefined` for any other node. */
export const keywordTest = (ast: SchemaAST.AST): ((input: unknown) => boolean) | undefined => {
  switch (ast._tag) {
    case "String":
      return (input) => typeof input === "string"
    case "Number":
      return (input) => typeof input === "number"
    case "Boolean":
      return (input) => typeof input === "boolean"
    case "Null":
      return (input) => input === null
    case "Unknown":
    case "Any":
      return () => true
    case "Literal": {
      const literal = ast.literal
      return (input) => input === literal
    }
    case "Declaration":
      return ast === jsonDeclaration ? isJson : undefined
    default:
      return undefined
  }
}

/**
 * A node that, when it decodes, answers its input unchanged, as one test: a keyword, or an `anyOf` union of such
 * nodes (`NullOr(String)`, a union of literals), each with its checks. `undefined` for any other node. One closure
 * where the general path would call one per member.
 */
export const testOf = (ast: SchemaAST.AST): ((input: unknown) => boolean) | undefined => {
  if (ast.encoding !== undefined) return undefined
  let test: ((input: unknown) => boolean) | undefined
  if (SchemaAST.isUnion(ast)) {
    if (ast.encodingChecks !== undefined || ast.options?.mode === "oneOf") return undefined
    const members: Array<(input: unknown) => boolean> = []
    for (const member of ast.types) {
      const memberTest = testOf(member)
      if (memberTest === undefined) return undefined
      members.push(memberTest)
    }
    const [first, second] = members
    test = members.length === 1 && first !== undefined
      ? first
      : members.length === 2 && first !== undefined && second !== undefined
      ? (input) => first(input) || second(input)
      : (input) => members.some((member) => member(input))
  } else {
    test = keywordTest(ast)
  }
  const checks = ast.checks
  if (test === undefined || checks === undefined) return test
  const base = test
  return (input) => base(input) && passes(checks, input, ast)
}
