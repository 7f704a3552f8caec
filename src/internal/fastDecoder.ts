// A fast path for successful decodes, derived from a schema's AST: the same value Schema's parser answers, or "ask
// Schema". Floor 2 (internal): imports only `effect`.
/**
 * @since 1.0.0
 * @internal
 */
import { Exit, Option, Schema, SchemaAST } from "effect"

// Why: Effect 4.1.5's JIT inlines only `Passthrough`/`Transform` getters, so `Common.Optional` (a
// `TransformOptional` getter) and `Count` (a union with a `TransformEffect` member) run interpreted, about 1 µs a
// field (docs/effect-4.md, "Decode cost"). This module walks the AST once and builds functions (generated code where
// the runtime allows it, closures otherwise) that reproduce the interpreted parser
// (effect/src/internal/schema/interpreter.ts and the `getParser` of each node in SchemaAST.ts) for the nodes whose
// semantics it reproduces exactly, on SUCCESS only. Every node answers one of three things: a value (or `missing`),
// `noMatch` (Schema would fail with a schema issue: only what a union needs to try its next member), or `unsure`
// (anything else: a node this module does not handle, an effect it cannot read synchronously). A getter or filter
// that throws is a defect in Schema, never a value: the throw ends the fast path, which then answers `undefined`, as
// it does for `unsure` anywhere; the caller then runs Schema, the authority for every failure. Not reproduced, so
// never claimed: Declarations (but the JSON value `toCodecJson` puts under `Unknown`), Suspend, TemplateLiteral,
// Enum, ObjectKeyword, symbols, bigints, `Middleware` transformations, `encodingChecks`, `oneOf` unions, tuples with
// a rest after the rest, property keys that are not strings, `__proto__`. A decoder installed with
// `SchemaCompiler.set` on a node is not consulted: the contract's schemas install none.

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
    return out === missing || isFailure(out) ? out : passes(checks, out, ast) ? out : noMatch
  }
}

/** What an effect answered, when it is already an `Exit`; a failure or a pending effect is Schema's to judge. */
const exitValue = (effect: unknown): Outcome => Exit.isExit(effect) && Exit.isSuccess(effect) ? effect.value : unsure

const optionOut = (option: Option.Option<unknown>): Outcome => Option.isSome(option) ? option.value : missing

const toOption = (value: unknown): Option.Option<unknown> => value === missing ? Option.none() : Option.some(value)

type Transform = (value: unknown) => Outcome

const passthrough: Transform = (value) => value

/** One link's decode, as `compileTransformation` and `runGetter` apply it; `undefined` when not reproduced. */
const transformationOf = (link: SchemaAST.Link): Transform | undefined => {
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
const prototypeKeys: ReadonlySet<PropertyKey> = new Set<PropertyKey>(Reflect.ownKeys(Object.prototype)).add(
  "__proto__"
)

const isRecord = (input: unknown): input is Record<string, unknown> =>
  typeof input === "object" && input !== null && !Array.isArray(input)

// ---------------------------------------------------------------------------
// Generated code
// ---------------------------------------------------------------------------

// Why code as text: a closure shared by every node of a kind calls its children from one call site that sees them
// all, which V8 cannot inline; a function generated per node calls each child from its own site, tests keywords
// inline (`typeof v === "string"`) and reads properties by constant names. Schema's own JIT does the same
// (`SchemaJITCompiler`). Where code from text is refused (a strict CSP), the closures below run alone.

/** Whether this runtime compiles code from text. */
const canGenerate: boolean = (() => {
  try {
    return new Function("return true")() === true
  } catch {
    return false
  }
})()

/** Whether the compilation under way generates code (`compile`'s option; compilation is synchronous). */
let generating = canGenerate

const isNode = (made: unknown): made is Node => typeof made === "function"

/** One generated function: the values its text refers to, by name. */
class Code {
  private readonly names: Array<string> = []
  private readonly values: Array<unknown> = []
  /** A name for `value` in the generated text. */
  ref(value: unknown): string {
    const name = `k${this.names.length}`
    this.names.push(name)
    this.values.push(value)
    return name
  }
  /** The function `(parameters) => { body }`, or `undefined` where code from text is refused. */
  function(parameters: string, body: string): unknown {
    if (!generating) return undefined
    try {
      const make: unknown = new Function(
        "missing",
        "noMatch",
        "unsure",
        ...this.names,
        `"use strict"
return function generated(${parameters}) {
${body}
}`
      )
      return typeof make === "function"
        ? Reflect.apply(make, undefined, [missing, noMatch, unsure, ...this.values])
        : undefined
    } catch {
      return undefined
    }
  }
  node(body: string): Node | undefined {
    const made = this.function("input", body)
    return isNode(made) ? made : undefined
  }
}

/** `keywordTest` as an expression on the variable `v`; `undefined` where there is none. */
const keywordCode = (ast: SchemaAST.AST, v: string, code: Code): string | undefined => {
  switch (ast._tag) {
    case "String":
      return `typeof ${v} === "string"`
    case "Number":
      return `typeof ${v} === "number"`
    case "Boolean":
      return `typeof ${v} === "boolean"`
    case "Null":
      return `${v} === null`
    case "Unknown":
    case "Any":
      return "true"
    case "Literal":
      return `${v} === ${code.ref(ast.literal)}`
    case "Declaration":
      return ast === jsonDeclaration ? `${code.ref(isJson)}(${v})` : undefined
    default:
      return undefined
  }
}

/**
 * `testOf` as an expression on the variable `v` (same nodes, same order, same checks); `own`: the node's own type
 * side, its encoding aside (the last step of a chain).
 */
const testCode = (ast: SchemaAST.AST, v: string, code: Code, own = false): string | undefined => {
  if (!own && ast.encoding !== undefined) return undefined
  let test: string | undefined
  if (SchemaAST.isUnion(ast)) {
    if (ast.encodingChecks !== undefined || ast.options?.mode === "oneOf") return undefined
    const members: Array<string> = []
    for (const member of ast.types) {
      const memberTest = testCode(member, v, code)
      if (memberTest === undefined) return undefined
      members.push(memberTest)
    }
    test = members.length === 0 ? "false" : `(${members.join(" || ")})`
  } else {
    test = keywordCode(ast, v, code)
  }
  if (test === undefined || ast.checks === undefined) return test
  return `(${test} && ${code.ref(passes)}(${code.ref(ast.checks)}, ${v}, ${code.ref(ast)}))`
}

/** A node that is one test, generated. */
const generatedTest = (ast: SchemaAST.AST): Node | undefined => {
  const code = new Code()
  const test = testCode(ast, "input", code)
  return test === undefined
    ? undefined
    : code.node(`return input === missing ? missing : ${test} ? input : noMatch`)
}

/** An `anyOf` union, generated: each member from its own call site, a member that is one test inline. */
const generatedUnion = (ast: SchemaAST.Union, members: ReadonlyArray<Node>): Node | undefined => {
  const code = new Code()
  const body = ast.types.map((member, i) => {
    const test = testCode(member, "input", code)
    return test === undefined
      ? `v = ${code.ref(members[i])}(input); if (v !== noMatch) return v`
      : `if (${test}) return input`
  })
  return code.node(`if (input === missing) return missing\nlet v\n${body.join("\n")}\nreturn noMatch`)
}

/** An encoding chain, generated: each link's `to` and getter in turn, then the node's own type side. */
const generatedChain = (
  steps: ReadonlyArray<{ readonly ast: SchemaAST.AST; readonly parse: Node; readonly transform: Transform }>,
  ast: SchemaAST.AST,
  local: Node
): Node | undefined => {
  const code = new Code()
  const body = steps.map((step) => {
    const test = testCode(step.ast, "v", code)
    const parse = test === undefined
      ? `v = ${code.ref(step.parse)}(v); if (v === noMatch || v === unsure) return v`
      : `if (v !== missing && !(${test})) return noMatch`
    const transform = step.transform === passthrough
      ? ""
      : `\nv = ${code.ref(step.transform)}(v); if (v === noMatch || v === unsure) return v`
    return parse + transform
  })
  const test = testCode(ast, "v", code, true)
  const last = test === undefined
    ? `return ${code.ref(local)}(v)`
    : `return v === missing ? missing : ${test} ? v : noMatch`
  return code.node(`let v = input\n${body.join("\n")}\n${last}`)
}

interface Property {
  readonly name: string
  readonly ownOnly: boolean
  readonly optional: boolean
  readonly ast: SchemaAST.AST
  readonly node: Node
}

/**
 * Reads the declared properties of `input` into `out` as Schema's struct parser does (`in`, or an own property for
 * the names of `Object.prototype`'s members; a missing key must be optional): `out` when all decode, else the first
 * failure.
 */
type ReadProperties = (input: Record<string, unknown>, out: Record<string, unknown>) => Outcome

const isReadProperties = (made: unknown): made is ReadProperties => typeof made === "function"

const closureProperties = (properties: ReadonlyArray<Property>): ReadProperties => (input, out) => {
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
  return out
}

/**
 * The same reading generated as code, each name a constant, so V8's inline caches see one key per site (measured:
 * the closure's keyed lookups were most of a struct's cost), and a property whose node is one test inlined. Names
 * are written as JSON string literals, which are JavaScript string literals; `__proto__` never reaches here.
 */
const generatedProperties = (properties: ReadonlyArray<Property>): ReadProperties | undefined => {
  const code = new Code()
  const body = properties.map((property) => {
    const key = JSON.stringify(property.name)
    const has = property.ownOnly ? `Object.hasOwn(input, ${key})` : `${key} in input`
    const absent = property.optional ? "" : "return noMatch"
    const test = testCode(property.ast, "v", code)
    return test === undefined
      ? `v = ${code.ref(property.node)}(${has} ? input[${key}] : missing)
if (v === missing) { ${absent} }
else if (v === noMatch || v === unsure) return v
else out[${key}] = v`
      : `if (${has}) { v = input[${key}]; if (!(${test})) return noMatch; out[${key}] = v } else { ${absent} }`
  })
  const made = code.function("input, out", `let v\n${body.join("\n")}\nreturn out`)
  return isReadProperties(made) ? made : undefined
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

/**
 * The one Declaration reproduced: the JSON value `toCodecJson` puts under `Unknown` (`Record(String, Unknown)` in a
 * `StructWithRest`), found as Schema builds it, and decided by Schema's own guard for `Schema.Json`, which runs the
 * same test (`isJson`) as that declaration.
 */
const jsonDeclaration: SchemaAST.AST | undefined = Schema.toCodecJson(Schema.Unknown).ast.encoding?.[0]?.to
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
const isJson = (input: unknown): boolean => {
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
const keywordTest = (ast: SchemaAST.AST): ((input: unknown) => boolean) | undefined => {
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
const testOf = (ast: SchemaAST.AST): ((input: unknown) => boolean) | undefined => {
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
  const previous = generating
  generating = canGenerate && options?.generate !== false
  try {
    return compileRoot(ast)
  } finally {
    generating = previous
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
