// What a value must be before the decoders or the argument checks look at it: nested at most `maxDepth` deep, its
// strings well-formed UTF-16. Neither check recurses deeper than `maxDepth`, whatever the input. Imports nothing.
/**
 * @since 0.1.0
 * @internal
 */

/**
 * The deepest nesting of arrays and objects a response body may have: 128 levels. Make's answers nest five or six
 * levels (an envelope, a page, an entity, its licence or features); a deeper body is refused as a whole, before any
 * schema looks at it. The bound is what keeps every later step safe: ParseResult (and the compiled decoder mirroring
 * it) turns a union's key into a string with `String(value)`, which recurses through a nested array, and an error
 * text walks the value too. 128 levels keep all of them a small fraction of the stack.
 *
 * @internal
 */
export const maxDepth = 128

/**
 * Whether a value nests arrays and objects at most `limit` deep (a scalar is 0 deep, `[]` and `{}` are 1, `[[1]]` is
 * 2). The walk recurses, but never deeper than `limit` + 1 calls, whatever the input: it gives up as soon as it is one
 * level too deep, so a hostile body costs no more than a shallow one. Keys are read as `for … in` reads them, without
 * copying them (this runs on every answer: a few microseconds for a page of 100 organizations).
 *
 * @internal
 */
export const isShallow = (value: unknown, limit: number = maxDepth): boolean =>
  typeof value !== "object" || value === null || within(value, limit)

/** Any object but an array can be read by string keys (`Reflect.get` would cost twice as much here). */
const isRecord = (node: object): node is { readonly [key: string]: unknown } => !Array.isArray(node)

/** Whether a container and everything in it fits in `budget` levels (the container itself takes one). */
const within = (node: object, budget: number): boolean => {
  if (budget <= 0) return false
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) {
      const item: unknown = node[i]
      if (typeof item === "object" && item !== null && !within(item, budget - 1)) return false
    }
    return true
  }
  if (!isRecord(node)) return true
  for (const key in node) {
    const item = node[key]
    if (typeof item === "object" && item !== null && !within(item, budget - 1)) return false
  }
  return true
}

/**
 * A lone surrogate: a high one not followed by a low one, or a low one not preceded by a high one. Without the `u`
 * flag a pattern reads code units, which is what an ill-formed string is made of.
 */
const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/

/**
 * Where a string stops being well-formed UTF-16 (`String.prototype.isWellFormed`, which the ES2022 library this
 * package compiles against does not declare): the index of its first lone surrogate, or `undefined`.
 *
 * @internal
 */
export const illFormedAt = (text: string): number | undefined => {
  const found = loneSurrogate.exec(text)
  return found === null ? undefined : found.index
}

/**
 * One string of an argument that is not well-formed: where it sits (`["body", "name"]`), the index of its first lone
 * surrogate, and that code unit.
 *
 * @internal
 */
export interface IllFormed {
  readonly path: ReadonlyArray<string | number>
  readonly index: number
  readonly unit: number
}

/** What the argument checks look into: arrays and plain objects (not a `DateTime`, a `Redacted`, a class instance). */
const isPlain = (value: object): boolean => {
  if (Array.isArray(value)) return true
  const proto: unknown = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}

/**
 * Whether every string in a value is well-formed, keys included, in arrays and plain objects at most
 * {@link maxDepth} deep. The quick check every call's arguments go through; {@link illFormedStrings} says where.
 *
 * @internal
 */
export const isWellFormed = (value: unknown): boolean => wellFormed(value, maxDepth)

const wellFormed = (value: unknown, budget: number): boolean => {
  if (typeof value === "string") return !loneSurrogate.test(value)
  if (typeof value !== "object" || value === null || budget <= 0 || !isPlain(value)) return true
  if (Array.isArray(value)) return value.every((item: unknown) => wellFormed(item, budget - 1))
  return Object.entries(value).every(([key, item]) => !loneSurrogate.test(key) && wellFormed(item, budget - 1))
}

/**
 * Every ill-formed string in a value, keys included, in the order they appear (the same places
 * {@link isWellFormed} looks at). A lone surrogate cannot be sent as it is: a URL or a UTF-8 body carries U+FFFD in
 * its place, so the server would receive another text than the one given.
 *
 * @internal
 */
export const illFormedStrings = (value: unknown): ReadonlyArray<IllFormed> => {
  const found: Array<IllFormed> = []
  const visit = (at: unknown, path: ReadonlyArray<string | number>): void => {
    if (typeof at === "string") {
      const index = illFormedAt(at)
      if (index !== undefined) found.push({ path, index, unit: at.charCodeAt(index) })
      return
    }
    if (typeof at !== "object" || at === null || path.length >= maxDepth || !isPlain(at)) return
    if (Array.isArray(at)) {
      at.forEach((item: unknown, i) => visit(item, [...path, i]))
      return
    }
    for (const [key, item] of Object.entries(at)) {
      // a key is reported where it sits, as the string it is
      visit(key, [...path, key])
      visit(item, [...path, key])
    }
  }
  visit(value, [])
  return found
}

const loneSurrogates = new RegExp(loneSurrogate.source, "g")

/** A key as an issue shows it: its lone surrogates written as escapes (`\\ud800`), the rest as it is. */
const printable = (key: string | number): string =>
  typeof key === "number"
    ? String(key)
    : key.replace(loneSurrogates, (unit) => `\\u${unit.charCodeAt(0).toString(16)}`)

/**
 * `name: must be well-formed Unicode, but has a lone surrogate (U+D800) at position 3`: one issue line of
 * `InvalidInput` in the form ParseResult's issues take (the path, then what is wrong), never repeating the string.
 *
 * @internal
 */
export const describeIllFormed = ({ index, path, unit }: IllFormed): string => {
  const where = path.length === 0 ? "" : `${path.map(printable).join(".")}: `
  const code = unit.toString(16).toUpperCase()
  return `${where}must be well-formed Unicode, but has a lone surrogate (U+${code}) at position ${index + 1}`
}

/**
 * The issue of arguments too deep to check or to send (no method's arguments nest anywhere near {@link maxDepth}).
 *
 * @internal
 */
export const tooDeepArgument =
  `nests arrays or objects more than ${maxDepth} levels deep, which no argument of this client does`
