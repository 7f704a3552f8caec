// The fast decoder's generated code: one function per node, written as text, where the runtime compiles code from
// text. Floor 2 (internal): imports only `effect` and ./decodeOutcome.
/**
 * @since 1.0.0
 * @internal
 */
import { SchemaAST } from "effect"
import {
  isFailure,
  isJson,
  jsonDeclaration,
  missing,
  type Node,
  noMatch,
  type Outcome,
  passes,
  passthrough,
  type Transform,
  unsure
} from "./decodeOutcome.js"

// ---------------------------------------------------------------------------
// Generated code
// ---------------------------------------------------------------------------

// Why code as text: a closure shared by every node of a kind calls its children from one call site that sees them
// all, which V8 cannot inline; a function generated per node calls each child from its own site, tests keywords
// inline (`typeof v === "string"`) and reads properties by constant names. Schema's own JIT does the same
// (`SchemaJITCompiler`). Where code from text is refused (a strict CSP), the closures below run alone.

/** Whether this runtime compiles code from text. */
export const canGenerate: boolean = (() => {
  try {
    return new Function("return true")() === true
  } catch {
    return false
  }
})()

/** Whether the compilation under way generates code (`compile`'s option; compilation is synchronous). */
export const generation = { enabled: canGenerate }

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
    if (!generation.enabled) return undefined
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
export const generatedTest = (ast: SchemaAST.AST): Node | undefined => {
  const code = new Code()
  const test = testCode(ast, "input", code)
  return test === undefined
    ? undefined
    : code.node(`return input === missing ? missing : ${test} ? input : noMatch`)
}

/** An `anyOf` union, generated: each member from its own call site, a member that is one test inline. */
export const generatedUnion = (ast: SchemaAST.Union, members: ReadonlyArray<Node>): Node | undefined => {
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
export const generatedChain = (
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

export interface Property {
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

export const closureProperties = (properties: ReadonlyArray<Property>): ReadProperties => (input, out) => {
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
export const generatedProperties = (properties: ReadonlyArray<Property>): ReadProperties | undefined => {
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
