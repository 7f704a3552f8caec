// Turning what a server sent into text an error or a log line may keep: bounded in depth and size, built without
// recursion on the input (a body nested 100,000 deep must not overflow the stack), and scrubbed of a secret in any
// spelling. Internal to MakeError and MakeClient; imports only `effect` (and types).
/**
 * @since 0.1.0
 * @internal
 */
import { Array as Arr, ParseResult } from "effect"
import type { Resource } from "../MakeError.js"
import type { Redact } from "./redact.js"

/** The longest excerpt an error carries (its body, or the schema failure). */
const defaultMaxChars = 300

/**
 * How far past an excerpt's end the text is rendered before it is scrubbed and cut: enough for the longest token
 * `MakeConfig` accepts (256 characters) spelled with each character escaped (`\u0061`, 6) and an escaped separator
 * after it (`\u0000`, 6), so no secret is cut in half and left half unscrubbed.
 */
const scrubMargin = 256 * 12

/**
 * A text cut to `max` characters, with an ellipsis when cut.
 *
 * @internal
 */
export const excerpt = (text: string, max = defaultMaxChars): string =>
  text.length <= max ? text : `${text.slice(0, max)}…`

const identity: Redact = (text) => text

// ---------------------------------------------------------------------------
// Previews: JSON-like text of any value, iteratively, stopping at a size
// ---------------------------------------------------------------------------

type Work =
  | { readonly _tag: "text"; readonly text: string }
  | { readonly _tag: "value"; readonly value: unknown }
  | { readonly _tag: "items"; readonly items: ReadonlyArray<unknown>; index: number }
  | { readonly _tag: "entries"; readonly source: object; readonly keys: ReadonlyArray<string>; index: number }

/** A leaf as JSON writes it (strings cut first: a 100 MB string is not copied to show 300 characters of it). */
const leaf = (value: unknown, maxChars: number): string | undefined => {
  switch (typeof value) {
    case "string":
      return JSON.stringify(value.length > maxChars ? value.slice(0, maxChars + 1) : value)
    case "number":
    case "boolean":
      return String(value)
    case "bigint":
      return `${value}n`
    case "undefined":
      return "undefined"
    case "symbol":
    case "function":
      return `<${typeof value}>`
  }
  if (value === null) return "null"
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? "Invalid Date" : JSON.stringify(value)
  if (ArrayBuffer.isView(value)) return `<${value.byteLength} bytes>`
  if (value instanceof ArrayBuffer) return `<${value.byteLength} bytes>`
  if (value instanceof Map || value instanceof Set) return `<${value.constructor.name} of ${value.size}>`
  return undefined
}

/**
 * Compact JSON of a value (`{"a":[1,"x"]}`), at most `maxChars` characters (then cut with an ellipsis). Written with
 * an explicit stack and stopped as soon as the text is long enough, so neither the depth nor the size of the value
 * matters: this is what every body, issue or value goes through before it becomes part of an error.
 *
 * @internal
 */
export const preview = (value: unknown, maxChars = defaultMaxChars): string => {
  let out = ""
  const stack: Array<Work> = [{ _tag: "value", value }]
  while (out.length <= maxChars) {
    const work = stack.at(-1)
    if (work === undefined) break
    if (work._tag === "text" || work._tag === "value") stack.pop()
    if (work._tag === "text") {
      out += work.text
    } else if (work._tag === "value") {
      const text = leaf(work.value, maxChars)
      if (text !== undefined) out += text
      else if (Array.isArray(work.value)) {
        out += "["
        stack.push({ _tag: "text", text: "]" }, { _tag: "items", items: work.value, index: 0 })
      } else if (typeof work.value === "object" && work.value !== null) {
        out += "{"
        stack.push({ _tag: "text", text: "}" }, {
          _tag: "entries",
          source: work.value,
          keys: keysOf(work.value),
          index: 0
        })
      }
    } else if (work._tag === "items") {
      if (work.index >= work.items.length) stack.pop()
      else {
        if (work.index > 0) out += ","
        stack.push({ _tag: "value", value: work.items[work.index++] })
      }
    } else if (work.index >= work.keys.length) {
      stack.pop()
    } else {
      const key = work.keys[work.index++] ?? ""
      out += `${work.index > 1 ? "," : ""}${JSON.stringify(key)}:`
      stack.push({ _tag: "value", value: propertyOf(work.source, key) })
    }
  }
  return out.length > maxChars || stack.length > 0 ? `${out.slice(0, maxChars)}…` : out
}

const keysOf = (o: object): ReadonlyArray<string> => {
  try {
    return Object.keys(o)
  } catch {
    return []
  }
}

const propertyOf = (o: object, key: string): unknown => {
  try {
    return Reflect.get(o, key)
  } catch {
    return "<getter threw>"
  }
}

/**
 * An excerpt of any value, scrubbed: rendered a margin past `max`, scrubbed, then cut, so a secret that straddles the
 * cut is scrubbed whole rather than left half visible.
 *
 * @internal
 */
export const excerptOf = (value: unknown, redact: Redact = identity, max = defaultMaxChars): string => {
  const text = typeof value === "string" ? value.slice(0, max + scrubMargin) : preview(value, max + scrubMargin)
  return excerpt(redact(text), max)
}

// ---------------------------------------------------------------------------
// Bounded copies: values small enough to keep in an error and to print in any way
// ---------------------------------------------------------------------------

/** How much of a value a bounded copy keeps. */
interface Budget {
  /** Containers below this depth become a preview string. */
  readonly depth: number
  /** Elements or keys kept per container. */
  readonly breadth: number
  /** Characters kept per string. */
  readonly chars: number
  /** Containers copied in all; the rest become preview strings. */
  nodes: number
}

const copy = (value: unknown, depth: number, budget: Budget, redact: Redact): unknown => {
  if (typeof value === "string") return excerptOf(value, redact, budget.chars)
  if (typeof value !== "object" || value === null) return value
  if (depth >= budget.depth || budget.nodes <= 0 || !(Array.isArray(value) || isPlainObject(value))) {
    return excerptOf(value, redact, 40)
  }
  budget.nodes--
  if (Array.isArray(value)) {
    const kept: Array<unknown> = value.slice(0, budget.breadth).map((item) => copy(item, depth + 1, budget, redact))
    if (value.length > budget.breadth) kept.push(`… ${value.length - budget.breadth} more`)
    return kept
  }
  const keys = keysOf(value)
  const entries: Array<[string, unknown]> = keys.slice(0, budget.breadth).map((key) => [
    excerptOf(key, redact, 80),
    copy(propertyOf(value, key), depth + 1, budget, redact)
  ])
  if (keys.length > budget.breadth) entries.push(["…", `${keys.length - budget.breadth} more keys`])
  return Object.fromEntries(entries)
}

const isPlainObject = (value: object): boolean => {
  const proto: unknown = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}

/**
 * A copy of a value small enough to keep in an error: at most `depth` containers deep (deeper ones become a short
 * preview string), `breadth` elements per container, 300 characters per string, 200 containers in all, every string
 * and key redacted. Recursion is bounded by `depth`, never by the input.
 *
 * @internal
 */
export const bounded = (value: unknown, redact: Redact = identity, depth = 4, breadth = 20): unknown =>
  copy(value, 0, { depth, breadth, chars: defaultMaxChars, nodes: 200 }, redact)

/** Suberrors kept from a 400 body; the rest are counted in the last one. */
const maxSuberrors = 20

/**
 * Make's suberrors, bounded and redacted: at most 20, each with a short message and small extra values.
 *
 * @internal
 */
export const boundSuberrors = <S extends { readonly message: string }>(
  suberrors: ReadonlyArray<S>,
  redact: Redact
): ReadonlyArray<{ readonly message: string; readonly [key: string]: unknown }> => {
  const kept = suberrors.slice(0, maxSuberrors).map(({ message, ...rest }) => {
    const extra = bounded(rest, redact, 3)
    return { ...(typeof extra === "object" && extra !== null ? extra : {}), message: excerptOf(message, redact) }
  })
  const dropped = suberrors.length - kept.length
  return dropped > 0 ? [...kept, { message: `… and ${dropped} more` }] : kept
}

// ---------------------------------------------------------------------------
// Schema failures as text
// ---------------------------------------------------------------------------

/** At most this many sub-issues per composite issue are formatted: a 1,000,000-element array yields one line each. */
const maxIssues = 20

const first = <A>(issues: Arr.NonEmptyReadonlyArray<A>): Arr.NonEmptyReadonlyArray<A> =>
  issues.length <= maxIssues ? issues : [issues[0], ...issues.slice(1, maxIssues)]

const isMany = (
  issues: ParseResult.SingleOrNonEmpty<ParseResult.ParseIssue>
): issues is Arr.NonEmptyReadonlyArray<ParseResult.ParseIssue> => Array.isArray(issues)

/**
 * The same issue with every `actual` replaced by a bounded copy: the formatter prints `actual` with a recursive
 * printer, which overflows the stack on a deeply nested body. The issue tree itself follows the schema, not the body.
 */
const boundIssue = (issue: ParseResult.ParseIssue, redact: Redact): ParseResult.ParseIssue => {
  const actual = bounded(issue.actual, redact)
  switch (issue._tag) {
    case "Type":
      return new ParseResult.Type(issue.ast, actual, issue.message)
    case "Forbidden":
      return new ParseResult.Forbidden(issue.ast, actual, issue.message)
    case "Unexpected":
      return new ParseResult.Unexpected(actual, issue.message)
    case "Missing":
      return issue
    case "Pointer":
      return new ParseResult.Pointer(issue.path, actual, boundIssue(issue.issue, redact))
    case "Refinement":
      return new ParseResult.Refinement(issue.ast, actual, issue.kind, boundIssue(issue.issue, redact))
    case "Transformation":
      return new ParseResult.Transformation(issue.ast, actual, issue.kind, boundIssue(issue.issue, redact))
    case "Composite":
      return new ParseResult.Composite(
        issue.ast,
        actual,
        isMany(issue.issues)
          ? Arr.map(first(issue.issues), (inner) => boundIssue(inner, redact))
          : boundIssue(issue.issues, redact),
        undefined
      )
  }
}

/**
 * A schema failure as one line per problem, each with the path of the offending value: `id: Expected …`. Safe on any
 * value (the values shown are bounded copies, scrubbed by `redact`), and never throws: a formatter that fails gives
 * one generic line.
 *
 * @internal
 */
export const formatIssues = (error: ParseResult.ParseError, redact: Redact = identity): ReadonlyArray<string> => {
  try {
    const issues = ParseResult.ArrayFormatter.formatIssueSync(boundIssue(error.issue, redact))
    // An optional field is `X | undefined`: a bad X also fails the `undefined` member, which says nothing new
    // ("note: Expected undefined, actual 5" next to "note: Expected string, actual 5"). Keep only the real problem.
    const isAtOrUnder = (path: ReadonlyArray<PropertyKey>, prefix: ReadonlyArray<PropertyKey>) =>
      path.length >= prefix.length && prefix.every((key, i) => path[i] === key)
    const isUndefinedAlternative = (issue: ParseResult.ArrayFormatterIssue) =>
      issue._tag === "Type" && issue.message.startsWith("Expected undefined,") &&
      issues.some((other) => other !== issue && isAtOrUnder(other.path, issue.path))
    return issues.filter((issue) => !isUndefinedAlternative(issue)).map((issue) =>
      redact(issue.path.length === 0 ? issue.message : `${issue.path.map(String).join(".")}: ${issue.message}`)
    )
  } catch {
    return ["the value does not match the schema (the failure could not be described)"]
  }
}

// ---------------------------------------------------------------------------
// Pieces of the errors' messages
// ---------------------------------------------------------------------------

const resourceNames: Record<Resource, string> = {
  organization: "organization",
  team: "team",
  variable: "variable",
  subscription: "the subscription",
  invitation: "invitation",
  featureControl: "feature control"
}

/**
 * `variable dailyLimit of organization 11`, `organization 11`, `the subscription of organization 11`.
 *
 * @internal
 */
export const describeTarget = (target: {
  readonly resource?: Resource | undefined
  readonly id?: number | string | undefined
  readonly organizationId?: number | undefined
}): string | undefined => {
  if (target.resource === undefined) return undefined
  const named = target.id === undefined
    ? resourceNames[target.resource]
    : `${resourceNames[target.resource]} ${target.id}`
  return target.organizationId === undefined || target.resource === "organization"
    ? named
    : `${named} of organization ${target.organizationId}`
}

/**
 * `Make answered 404 SC404: Gone.`
 *
 * @internal
 */
export const makeSays = (
  self: { readonly detail: string; readonly code?: string | undefined; readonly status: number }
) => `Make answered ${self.status}${self.code === undefined ? "" : ` ${self.code}`}: ${self.detail}`

/**
 * @internal
 */
export const capitalize = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1)
