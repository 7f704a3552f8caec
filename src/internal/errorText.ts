// What an error or a log line may keep of a server's answer: bounded, built without recursion on the input, scrubbed.
// Floor 1 (internal, for the errors and the client): imports only `effect` and domain/Resource.
/**
 * @since 1.0.0
 * @internal
 */
import type { Schema } from "effect"
import { SchemaIssue } from "effect"
import type { Resource } from "../domain/Resource.js"

/**
 * Removes a secret from a text, in any spelling (the client passes one that knows its token).
 *
 * @internal
 */
export type Redact = (text: string) => string

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

/** Retains an input on a rebuilt issue (Effect 4 keeps an issue's input only when decoding asked for it). */
const reportInput = { reportInput: true } as const

/**
 * The same issue with every reported input replaced by a bounded, redacted copy, and at most `maxIssues` sub-issues
 * per composite: the default formatter prints inputs with a recursive printer, which must not meet a body nested
 * 100,000 deep. The issue tree itself follows the schema, not the body. Effect 4 retains inputs only when the decode
 * ran with `reportInput: true`; an issue without one stays without one.
 */
const boundIssue = (issue: SchemaIssue.Issue, redact: Redact): SchemaIssue.Issue => {
  const has = SchemaIssue.hasInput(issue)
  const input = has ? bounded(issue.input, redact) : undefined
  const options = has ? reportInput : undefined
  switch (issue._tag) {
    case "MissingKey":
      return issue
    case "InvalidType":
      return new SchemaIssue.InvalidType(issue.ast, input, options)
    case "InvalidValue":
      return new SchemaIssue.InvalidValue(issue.annotations, input, options)
    case "UnexpectedKey":
      return new SchemaIssue.UnexpectedKey(issue.ast, input, options)
    case "Forbidden":
      return new SchemaIssue.Forbidden(issue.annotations, input, options)
    case "OneOf":
      return new SchemaIssue.OneOf(issue.ast, issue.successes, input, options)
    case "Filter":
      return new SchemaIssue.Filter(issue.filter, boundIssue(issue.issue, redact), input, options)
    case "Encoding":
      return new SchemaIssue.Encoding(issue.ast, boundIssue(issue.issue, redact), input, options)
    case "Pointer":
      return new SchemaIssue.Pointer(issue.path, boundIssue(issue.issue, redact))
    case "Composite": {
      const [head, ...rest] = issue.issues
      return new SchemaIssue.Composite(
        issue.ast,
        [boundIssue(head, redact), ...rest.slice(0, maxIssues - 1).map((inner) => boundIssue(inner, redact))],
        input,
        options
      )
    }
    case "AnyOf":
      return new SchemaIssue.AnyOf(
        issue.ast,
        issue.issues.slice(0, maxIssues).map((inner) => boundIssue(inner, redact)),
        input,
        options
      )
  }
}

const formatter = SchemaIssue.makeFormatterStandardSchemaV1()

/**
 * A schema failure as one line per problem, each with the path of the offending value: `id: Expected …`. Safe on any
 * value (the values shown are bounded copies, scrubbed by `redact`), and never throws: a formatter that fails gives
 * one generic line. Effect 4 shows the rejected value only when the decode ran with `reportInput: true`
 * (`note: Expected string | undefined, got 5`); otherwise the line names the expectation alone.
 *
 * @internal
 */
export const formatIssues = (
  error: Schema.SchemaError | SchemaIssue.Issue,
  redact: Redact = identity
): ReadonlyArray<string> => {
  try {
    const issue = SchemaIssue.isIssue(error) ? error : error.issue
    return formatter(boundIssue(issue, redact)).issues.map((line) => {
      const path = (line.path ?? []).map((key) => String(typeof key === "object" ? key.key : key))
      return redact(path.length === 0 ? line.message : `${path.join(".")}: ${line.message}`)
    })
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
