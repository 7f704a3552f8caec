/**
 * The union half of the one-pass decoder: members tried in the order ParseResult tries them, the first success wins.
 *
 * @since 0.1.0
 * @internal
 */
// Floor 1 (internal): imports only `effect`.
import { Option, SchemaAST as AST } from "effect"
import { miss, type Step } from "./decoderStruct.js"

/** What `typeof` answers for the values a keyword accepts, for the keywords that `typeof` tells. */
const typeofKeyword = (ast: AST.AST): string | undefined => {
  switch (ast._tag) {
    case "StringKeyword":
      return "string"
    case "NumberKeyword":
      return "number"
    case "BooleanKeyword":
      return "boolean"
    case "UndefinedKeyword":
      return "undefined"
    default:
      return undefined
  }
}

/**
 * Whether a node only checks its input and, when it succeeds, answers with it unchanged (keywords, literals).
 *
 * @since 0.1.0
 * @internal
 */
export const isCheck = (ast: AST.AST): boolean => {
  if (!plain(ast)) return false
  switch (ast._tag) {
    case "StringKeyword":
    case "NumberKeyword":
    case "BooleanKeyword":
    case "UndefinedKeyword":
    case "UnknownKeyword":
    case "AnyKeyword":
    case "Literal":
      return true
    default:
      return false
  }
}

/**
 * One step for a run of checks (see {@link isCheck}), as ParseResult would try them in turn: they all answer with the
 * input itself, so whichever matches first, the answer is the same. The usual runs (`number`, `boolean | null`) get a
 * closure of their own: one `typeof` and one comparison, no loop.
 *
 * @since 0.1.0
 * @internal
 */
export const checks = (members: ReadonlyArray<AST.AST>): Step => {
  if (members.some((member) => member._tag === "UnknownKeyword" || member._tag === "AnyKeyword")) {
    return (input) => input
  }
  const kinds = new Set<string>()
  // `===` compares a literal, as ParseResult's check does (NaN, equal to nothing, matches nothing)
  const literals = new Set<unknown>()
  for (const member of members) {
    const kind = typeofKeyword(member)
    if (kind !== undefined) kinds.add(kind)
    else if (AST.isLiteral(member) && !Number.isNaN(member.literal)) literals.add(member.literal)
  }
  const [kind] = kinds
  const [literal] = literals
  if (kinds.size === 1 && literals.size === 0) return (input) => (typeof input === kind ? input : miss)
  if (kinds.size === 1 && literals.size === 1) {
    return (input) => (typeof input === kind || input === literal ? input : miss)
  }
  if (kinds.size === 0 && literals.size === 1) return (input) => (input === literal ? input : miss)
  return (input) => (kinds.has(typeof input) || literals.has(input) ? input : miss)
}

/**
 * A union's decoder. ParseResult tries first the members whose literal-valued key matches the input (a tagged
 * union: `typeId: 1`), then the others, each group in declaration order; the first success wins, so the order is
 * part of the answer and is mirrored here.
 *
 * @since 0.1.0
 * @internal
 */
export const union = (ast: AST.Union, compile: (ast: AST.AST) => Step): Step => {
  const members = flatten(ast.types)
  const tree = searchTree(members, compile)
  if (tree.keys.length === 0) return firstSuccess(merged(members, compile))
  return (input) => {
    let candidates: Array<Step> = []
    if (typeof input === "object" && input !== null) {
      for (const { key, buckets } of tree.keys) {
        if (!Object.prototype.hasOwnProperty.call(input, key)) continue
        // ParseResult files a member under `String(literal)` and looks the input's value up the same way. Only a
        // primitive is looked up here: an array's `String` recurses through every nested array (4,000 deep overflows
        // the stack), and an array or object passes no member of any bucket (each checks its key against a literal
        // with `===`), so skipping the lookup changes no answer.
        const value: unknown = Reflect.get(input, key)
        if (typeof value === "object" && value !== null || typeof value === "function") continue
        const bucket = buckets.get(String(value))
        if (bucket !== undefined) candidates = candidates.concat(bucket)
      }
    }
    return firstSuccess(candidates.concat(tree.otherwise))(input)
  }
}

const firstSuccess = (members: ReadonlyArray<Step>): Step => (input) => {
  for (const member of members) {
    const value = member(input)
    if (value !== miss) return value
  }
  return miss
}

/**
 * A union nested in a union, none of whose members carry a literal key (`Optional(Count)`: number, numeric string,
 * null, undefined), is tried in ParseResult's order by trying its members in place: one loop instead of two.
 */
const flatten = (members: ReadonlyArray<AST.AST>): ReadonlyArray<AST.AST> =>
  members.flatMap((member) =>
    AST.isUnion(member) && plain(member) && member.types.every((inner) => literalsOf(inner).length === 0)
      ? flatten(member.types)
      : [member]
  )

const plain = (ast: AST.AST): boolean =>
  Option.isNone(AST.getParseOptionsAnnotation(ast)) && Option.isNone(AST.getDecodingFallbackAnnotation(ast))

/** Members in order, with each run of members that only check (see {@link checks}) merged into one step. */
const merged = (members: ReadonlyArray<AST.AST>, compile: (ast: AST.AST) => Step): ReadonlyArray<Step> => {
  const steps: Array<Step> = []
  let run: Array<AST.AST> = []
  const close = () => {
    if (run.length > 0) steps.push(checks(run))
    run = []
  }
  for (const member of members) {
    if (isCheck(member)) {
      run.push(member)
    } else {
      close()
      steps.push(compile(member))
    }
  }
  close()
  return steps
}

interface SearchTree {
  readonly keys: ReadonlyArray<{ readonly key: PropertyKey; readonly buckets: ReadonlyMap<string, Array<Step>> }>
  readonly otherwise: ReadonlyArray<Step>
}

/** ParseResult's `getSearchTree`, over compiled members: same filing rules, same key order. */
const searchTree = (members: ReadonlyArray<AST.AST>, compile: (ast: AST.AST) => Step): SearchTree => {
  // A plain object, as ParseResult's: its keys come back in the same order (integer keys first) from Reflect.ownKeys.
  const keys: { [key: PropertyKey]: Map<string, Array<Step>> } = {}
  const otherwise: Array<Step> = []
  for (const member of members) {
    const tags = literalsOf(member)
    if (tags.length === 0) {
      otherwise.push(compile(member))
      continue
    }
    for (let j = 0; j < tags.length; j++) {
      const [key, literal] = tags[j] ?? []
      if (key === undefined || literal === undefined) continue
      const hash = String(literal.literal)
      const buckets = (keys[key] ??= new Map())
      const bucket = buckets.get(hash)
      if (bucket === undefined) {
        buckets.set(hash, [compile(member)])
        break
      }
      // A member whose every tag is taken joins the bucket of its last one.
      if (j === tags.length - 1) bucket.push(compile(member))
    }
  }
  return {
    keys: Reflect.ownKeys(keys).flatMap((key) => {
      const buckets = keys[key]
      return buckets === undefined ? [] : [{ key, buckets }]
    }),
    otherwise
  }
}

/** ParseResult's `getLiterals` on the decoding side: the required keys of a member that hold a literal. */
const literalsOf = (ast: AST.AST): ReadonlyArray<readonly [PropertyKey, AST.Literal]> => {
  switch (ast._tag) {
    case "Declaration":
      return Option.match(AST.getSurrogateAnnotation(ast), { onNone: () => [], onSome: literalsOf })
    case "TypeLiteral":
      return ast.propertySignatures.flatMap((ps) => {
        const type = AST.encodedAST(ps.type)
        return AST.isLiteral(type) && !ps.isOptional ? [[ps.name, type] as const] : []
      })
    case "TupleType":
      return ast.elements.flatMap((e, i) => {
        const type = AST.encodedAST(e.type)
        return AST.isLiteral(type) && !e.isOptional ? [[i, type] as const] : []
      })
    case "Refinement":
      return literalsOf(ast.from)
    case "Suspend":
      return literalsOf(ast.f())
    case "Transformation":
      return literalsOf(ast.from)
    default:
      return []
  }
}
