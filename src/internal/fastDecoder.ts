// A fast path for successful decodes, derived from a schema's AST: the same value Schema's parser answers, or "ask
// Schema". Floor 2 (internal): imports `effect`, ./decodeOutcome and ./decodeCode.
/**
 * @since 1.0.0
 * @internal
 */
import { SchemaAST } from "effect"
import {
  canGenerate,
  closureProperties,
  generatedChain,
  generatedProperties,
  generatedTest,
  generatedUnion,
  generation,
  type Property
} from "./decodeCode.js"
import {
  always,
  isFailure,
  isRecord,
  keywordTest,
  missing,
  type Node,
  noMatch,
  type Outcome,
  prototypeKeys,
  refinement,
  testOf,
  type Transform,
  transformationOf,
  unsure,
  withChecks
} from "./decodeOutcome.js"

// Why: Effect 4.1.5's JIT inlines only `Passthrough`/`Transform` getters, so `Common.Optional` (a
// `TransformOptional` getter) and `Count` (a union with a `TransformEffect` member) run interpreted, about 1 µs a
// field (docs/performance.md, "The decode fast path"). This module walks the AST once and builds functions
// (generated code where the runtime allows it, closures otherwise) that reproduce the interpreted parser
// (effect/src/internal/schema/interpreter.ts and the `getParser` of each node in SchemaAST.ts) for the nodes whose
// semantics it reproduces exactly, on SUCCESS only. Every node answers one of three things: a value (or `missing`),
// `noMatch` (Schema would fail with a schema issue: only what a union needs to try its next member), or `unsure`
// (anything else: a node this module does not handle, an effect it cannot read synchronously). A getter or filter
// that throws is a defect in Schema, never a value: the throw ends the fast path, which then answers `undefined`, as
// it does for `unsure` anywhere; the caller then runs Schema, the authority for every failure. Not reproduced, so
// never claimed: Declarations (but the JSON value `toCodecJson` puts under `Unknown`), Suspend, TemplateLiteral,
// Enum, ObjectKeyword, symbols, bigints, `Middleware` transformations, `encodingChecks`, `oneOf` unions, tuples with
// a rest after the rest, property keys that are not strings, `__proto__`. A decoder installed with

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
      ast: ps.type,
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
  const readProperties = generatedProperties(properties) ?? closureProperties(properties)
  return (input) => {
    if (input === missing) return missing
    if (!isRecord(input)) return noMatch
    const out: Record<string, unknown> = {}
    const read = readProperties(input, out)
    if (read !== out) return read
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
  const generated = generatedUnion(ast, members)
  if (generated !== undefined) return generated
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

/** The node's own parser, without its encoding and checks (`ast.getParser`). */
const compileBase = (ast: SchemaAST.AST, compile: (ast: SchemaAST.AST) => Node): Node => {
  const test = keywordTest(ast)
  if (test !== undefined) return refinement(test)
  switch (ast._tag) {
    case "Objects":
      return compileObjects(ast, compile)
    case "Arrays":
      return compileArrays(ast, compile)
    case "Union":
      return compileUnion(ast, compile)
    default:
      return always(unsure)
  }
}

/** A node with its checks and its encoding chain, as `Interpreter.compile` runs them. */
const compileNode = (ast: SchemaAST.AST, compile: (ast: SchemaAST.AST) => Node): Node => {
  const test = testOf(ast)
  if (test !== undefined) return generatedTest(ast) ?? refinement(test)
  const local = withChecks(ast, compileBase(ast, compile))
  const links = ast.encoding
  if (links === undefined) return local
  const steps: Array<{ readonly ast: SchemaAST.AST; readonly parse: Node; readonly transform: Transform }> = []
  for (const link of links) {
    const transform = transformationOf(link)
    if (transform === undefined) return always(unsure)
    steps.push({ ast: link.to, parse: compile(link.to), transform })
  }
  // From the last link's `to` (the wire) back to the first, each link's getter after its `to` decoded, then the
  // node's own type side.
  steps.reverse()
  const generated = generatedChain(steps, ast, local)
  if (generated !== undefined) return generated
  const [only] = steps
  if (steps.length === 1 && only !== undefined) {
    // one link, the common case (`Optional`, `Count`'s members): no loop
    const { parse, transform } = only
    return (input) => {
      const parsed = parse(input)
      if (isFailure(parsed)) return parsed
      const value = transform(parsed)
      return isFailure(value) ? value : local(value)
    }
  }
  return (input) => {
    let value: Outcome = input
    for (const step of steps) {
      value = step.parse(value)
      if (isFailure(value)) return value
      value = step.transform(value)
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
export const compile = (
  ast: SchemaAST.AST,
  options?: {
    /** `false`: closures only, as where code from text is refused (tests run both). */
    readonly generate?: boolean
  }
): (input: unknown) => { readonly value: unknown } | undefined => {
  const previous = generation.enabled
  generation.enabled = canGenerate && options?.generate !== false
  try {
    return compileRoot(ast)
  } finally {
    generation.enabled = previous
  }
}

const compileRoot = (ast: SchemaAST.AST): (input: unknown) => { readonly value: unknown } | undefined => {
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
