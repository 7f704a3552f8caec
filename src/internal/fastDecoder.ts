// A fast path for successful decodes, derived from a schema's AST: the same value Schema's parser answers, or "ask
// Schema". Floor 2 (internal): imports only `effect`.
/**
 * @since 1.0.0
 * @internal
 */
import { Exit, Option, Schema, SchemaAST } from "effect"

// Why: Effect 4.1.5's JIT inlines only `Passthrough`/`Transform` getters, so `Common.Optional` (a
// `TransformOptional` getter) and `Count` (a union with a `TransformEffect` member) run interpreted, about 1 µs a
// field (docs/effect-4.md, "Decode cost"). This module walks the AST once and builds closures that reproduce the
// interpreted parser (effect/src/internal/schema/interpreter.ts and the `getParser` of each node in SchemaAST.ts)
// for the nodes whose semantics it reproduces exactly, on SUCCESS only. Every node answers one of three things:
// a value (or `missing`), `noMatch` (Schema would fail with a schema issue: only what a union needs to try its
// next member), or `unsure` (anything else: a node this module does not handle, a getter that threw, an effect it
// cannot read synchronously). `unsure` anywhere makes the whole answer `undefined`, and the caller runs Schema,
// which stays the authority for every failure. Not reproduced, so never claimed: Declaration, Suspend,
// TemplateLiteral, Enum, ObjectKeyword, symbols, bigints, `Middleware` transformations, `encodingChecks`,
// `oneOf` unions, tuples with a rest after the rest, property keys that are not strings, `__proto__`. A decoder
// installed with `SchemaCompiler.set` on a node is not consulted: the contract's schemas install none.

/** A key absent from its object (Schema's `InternalParser.missing`). */
const missing: unique symbol = Symbol("missing")
/** Schema would fail here with a schema issue. */
const noMatch: unique symbol = Symbol("noMatch")
/** Schema's answer here is not known: ask Schema. */
const unsure: unique symbol = Symbol("unsure")

type Outcome = unknown
type Node = (input: unknown) => Outcome

const isFailure = (out: Outcome): boolean => out === noMatch || out === unsure

/** The options a getter or filter sees; they change only the text of a failure, which Schema reports. */
const parseOptions: SchemaAST.ParseOptions = {}

const always = (out: Outcome): Node => () => out

/** Schema's `fromRefinement`: a missing key stays missing, a value passes unchanged or fails. */
const refinement = (test: (input: unknown) => boolean): Node => (input) =>
  input === missing ? missing : test(input) ? input : noMatch

/** `Filter`s and `FilterGroup`s as `SchemaAST.collectIssues` runs them (one issue fails; a throw is a defect). */
const passes = (checks: ReadonlyArray<SchemaAST.Check<unknown>>, value: unknown, ast: SchemaAST.AST): boolean => {
  for (const check of checks) {
    if (check._tag === "FilterGroup" ? !passes(check.checks, value, ast) : check.run(value, ast, parseOptions)) {
      return false
    }
  }
  return true
}

const withChecks = (ast: SchemaAST.AST, node: Node): Node => {
  const checks = ast.checks
  if (checks === undefined) return node
  return (input) => {
    const out = node(input)
    if (out === missing || isFailure(out)) return out
    try {
      return passes(checks, out, ast) ? out : noMatch
    } catch {
      return unsure
    }
  }
}

/** What an effect answered, when it is already an `Exit`; a failure or a pending effect is Schema's to judge. */
const exitValue = (effect: unknown): Outcome => Exit.isExit(effect) && Exit.isSuccess(effect) ? effect.value : unsure

const optionOut = (option: Option.Option<unknown>): Outcome => Option.isSome(option) ? option.value : missing

const toOption = (value: unknown): Option.Option<unknown> => value === missing ? Option.none() : Option.some(value)

/** One link's decode, as `compileTransformation` and `runGetter` apply it; `undefined` when not reproduced. */
const transformationOf = (link: SchemaAST.Link): ((value: unknown) => Outcome) | undefined => {
  const transformation = link.transformation
  if (transformation._tag === "Middleware") return undefined
  const getter = transformation.decode
  switch (getter._tag) {
    case "Passthrough":
      return (value) => value
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
const prototypeKeys: ReadonlySet<PropertyKey> = new Set<PropertyKey>(Reflect.ownKeys(Object.prototype)).add(
  "__proto__"
)

const isRecord = (input: unknown): input is Record<string, unknown> =>
  typeof input === "object" && input !== null && !Array.isArray(input)

interface Property {
  readonly name: string
  readonly ownOnly: boolean
  readonly optional: boolean
  readonly node: Node
}

const compileObjects = (ast: SchemaAST.Objects, compile: (ast: SchemaAST.AST) => Node): Node => {
  if (ast.encodingChecks !== undefined) return always(unsure)
  if (ast.propertySignatures.length === 0 && ast.indexSignatures.length === 0) {
    return refinement((input) => input !== null && input !== undefined)
  }
  const properties: Array<Property> = []
  for (const ps of ast.propertySignatures) {
    if (typeof ps.name !== "string" || ps.name === "__proto__") return always(unsure)
    properties.push({
      name: ps.name,
      ownOnly: prototypeKeys.has(ps.name),
      optional: SchemaAST.isOptional(ps.type),
      node: compile(ps.type)
    })
  }
  const indexes: Array<Node> = []
  for (const is of ast.indexSignatures) {
    // Only a `string` key: other parameters select and decode keys (`getIndexSignatureKeys`), not reproduced.
    if (is.parameter !== SchemaAST.string) return always(unsure)
    indexes.push(compile(is.type))
  }
  const expected: ReadonlySet<string> = new Set(properties.map((p) => p.name))
  return (input) => {
    if (input === missing) return missing
    if (!isRecord(input)) return noMatch
    const out: Record<string, unknown> = {}
    for (const property of properties) {
      const name = property.name
      const has = property.ownOnly ? Object.hasOwn(input, name) : name in input
      const value = property.node(has ? input[name] : missing)
      if (value === missing) {
        if (!property.optional) return noMatch
      } else if (isFailure(value)) {
        return value
      } else {
        out[name] = value
      }
    }
    if (indexes.length === 0) return out
    const keys = Object.keys(input)
    for (const index of indexes) {
      for (const key of keys) {
        if (key === "__proto__") return unsure
        const value = index(input[key])
        if (isFailure(value)) return value
        if (value !== missing && !expected.has(key)) out[key] = value
      }
    }
    return out
  }
}

const compileArrays = (ast: SchemaAST.Arrays, compile: (ast: SchemaAST.AST) => Node): Node => {
  if (ast.encodingChecks !== undefined || ast.rest.length > 1) return always(unsure)
  const elements = ast.elements.map((element) => ({ node: compile(element), optional: SchemaAST.isOptional(element) }))
  const [restAst] = ast.rest
  const rest = restAst === undefined ? undefined : { node: compile(restAst), optional: SchemaAST.isOptional(restAst) }
  const count = elements.length
  return (input) => {
    if (input === missing) return missing
    if (!Array.isArray(input)) return noMatch
    const length = input.length
    const end = rest === undefined ? count : Math.max(length, count)
    const out: Array<unknown> = []
    for (let i = 0; i < end; i++) {
      const element = i < count ? elements[i] : rest
      if (element === undefined) return unsure
      const value = element.node(i < length ? input[i] : missing)
      if (value === missing) {
        if (!element.optional) return noMatch
      } else if (isFailure(value)) {
        return value
      } else {
        out[i] = value
      }
    }
    return rest === undefined && length > count ? noMatch : out
  }
}

const compileUnion = (ast: SchemaAST.Union, compile: (ast: SchemaAST.AST) => Node): Node => {
  if (ast.encodingChecks !== undefined || ast.options?.mode === "oneOf") return always(unsure)
  const members = ast.types.map(compile)
  // "anyOf": the first member that decodes wins. Schema skips members its candidate index rules out by the input's
  // type or sentinel keys; such a member fails on that input anyway, so trying it here answers `noMatch`.
  return (input) => {
    if (input === missing) return missing
    for (const member of members) {
      const out = member(input)
      if (out !== noMatch) return out
    }
    return noMatch
  }
}

/**
 * The one Declaration reproduced: the JSON value `toCodecJson` puts under `Unknown` (`Record(String, Unknown)` in a
 * `StructWithRest`), found as Schema builds it, and decided by Schema's own guard for `Schema.Json`, which runs the
 * same test (`isJson`) as that declaration.
 */
const jsonDeclaration: SchemaAST.AST | undefined = Schema.toCodecJson(Schema.Unknown).ast.encoding?.[0]?.to
const isJson = Schema.is(Schema.Json)

/** The node's own parser, without its encoding and checks (`ast.getParser`). */
const compileBase = (ast: SchemaAST.AST, compile: (ast: SchemaAST.AST) => Node): Node => {
  switch (ast._tag) {
    case "String":
      return refinement((input) => typeof input === "string")
    case "Number":
      return refinement((input) => typeof input === "number")
    case "Boolean":
      return refinement((input) => typeof input === "boolean")
    case "Null":
      return refinement((input) => input === null)
    case "Unknown":
    case "Any":
      return refinement(() => true)
    case "Literal": {
      const literal = ast.literal
      return refinement((input) => input === literal)
    }
    case "Objects":
      return compileObjects(ast, compile)
    case "Arrays":
      return compileArrays(ast, compile)
    case "Union":
      return compileUnion(ast, compile)
    case "Declaration":
      return ast === jsonDeclaration ? refinement(isJson) : always(unsure)
    default:
      return always(unsure)
  }
}

/** A node with its checks and its encoding chain, as `Interpreter.compile` runs them. */
const compileNode = (ast: SchemaAST.AST, compile: (ast: SchemaAST.AST) => Node): Node => {
  const local = withChecks(ast, compileBase(ast, compile))
  const links = ast.encoding
  if (links === undefined) return local
  const steps: Array<{ readonly parse: Node; readonly transform: (value: unknown) => Outcome }> = []
  for (const link of links) {
    const transform = transformationOf(link)
    if (transform === undefined) return always(unsure)
    steps.push({ parse: compile(link.to), transform })
  }
  // From the last link's `to` (the wire) back to the first, each link's getter after its `to` decoded, then the
  // node's own type side.
  steps.reverse()
  return (input) => {
    let value: Outcome = input
    for (const step of steps) {
      value = step.parse(value)
      if (isFailure(value)) return value
      try {
        value = step.transform(value)
      } catch {
        return unsure
      }
      if (isFailure(value)) return value
    }
    return local(value)
  }
}

/**
 * The fast path of one schema's decoder: `{ value }` when the value is the one Schema's parser answers for the same
 * input, `undefined` when not sure (a failure, or a node this module does not reproduce): then ask Schema. Compiled
 * once per AST.
 *
 * @internal
 */
export const compile = (ast: SchemaAST.AST): (input: unknown) => { readonly value: unknown } | undefined => {
  const compiled = new Map<SchemaAST.AST, Node>()
  const recur = (node: SchemaAST.AST): Node => {
    const found = compiled.get(node)
    if (found !== undefined) return found
    // A placeholder while compiling breaks any cycle (only a Suspend could form one, and it is not handled).
    let built: Node | undefined
    compiled.set(node, (input) => built === undefined ? unsure : built(input))
    built = compileNode(node, recur)
    compiled.set(node, built)
    return built
  }
  const root = recur(ast)
  return (input) => {
    try {
      const out = root(input)
      return out === missing || isFailure(out) ? undefined : { value: out }
    } catch {
      return undefined
    }
  }
}
