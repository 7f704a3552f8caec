// What a value must be before Schema or the argument checks look at it: nested at most `maxDepth` deep, its strings
// well-formed UTF-16. Neither check recurses deeper than `maxDepth`, whatever the input. Imports nothing.
/**
 * @since 1.0.0
 * @internal
 */

/**
 * The deepest nesting of arrays and objects a response body may have: 128 levels. Make's answers nest five or six
 * levels (an envelope, a page, an entity, its licence or features); a deeper body is refused as a whole, before any
 * schema looks at it. The bound is what keeps every later step safe: a schema parser recurses with the value it
 * walks, and an error text walks the value too. 128 levels keep all of them a small fraction of the stack.
 *
 * @internal
 */
export const maxDepth = 128

/**
 * Whether a value nests arrays and plain objects at most `limit` deep (a scalar is 0 deep, `[]` and `{}` are 1,
 * `[[1]]` is 2); any other object (a `DateTime`, a `Redacted` among a method's arguments) is a leaf. The walk
 * recurses, but never deeper than `limit` + 1 calls, whatever the input: it gives up as soon as it is one level too
 * deep, so a hostile body costs no more than a shallow one. Keys are read as `for … in` reads them, without copying
 * them (this runs on every answer: a few microseconds for a page of 100 organizations).
 *
 * @internal
 */
export const isShallow = (value: unknown, limit: number = maxDepth): boolean =>
  !isContainer(value) || within(value, limit)

/** What the checks look into: arrays and plain objects (what `JSON.parse` makes), not class instances. */
const isContainer = (value: unknown): value is object => {
  if (typeof value !== "object" || value === null) return false
  if (Array.isArray(value)) return true
  const proto: unknown = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}

/** Any object but an array can be read by string keys (`Reflect.get` would cost twice as much here). */
const isRecord = (node: object): node is { readonly [key: string]: unknown } => !Array.isArray(node)

/** Whether a container and everything in it fits in `budget` levels (the container itself takes one). */
const within = (node: object, budget: number): boolean => {
  if (budget <= 0) return false
  if (isRecord(node)) {
    for (const key in node) {
      const item = node[key]
      if (isContainer(item) && !within(item, budget - 1)) return false
    }
    return true
  }
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) {
      const item: unknown = node[i]
      if (isContainer(item) && !within(item, budget - 1)) return false
    }
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

/**
 * Whether every string in a value is well-formed, keys included, in arrays and plain objects at most
 * {@link maxDepth} deep. The quick check every call's arguments go through; {@link illFormedStrings} says where.
 *
 * @internal
 */
export const isWellFormed = (value: unknown): boolean => wellFormed(value, maxDepth)

const wellFormed = (value: unknown, budget: number): boolean => {
  if (typeof value === "string") return !loneSurrogate.test(value)
  if (!isContainer(value) || budget <= 0) return true
  if (isRecord(value)) {
    for (const key in value) {
      if (loneSurrogate.test(key) || !wellFormed(value[key], budget - 1)) return false
    }
    return true
  }
  return !Array.isArray(value) || value.every((item: unknown) => wellFormed(item, budget - 1))
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
    if (!isContainer(at) || path.length >= maxDepth) return
    if (Array.isArray(at)) {
      at.forEach((item: unknown, i) => visit(item, [...path, i]))
      return
    }
    if (!isRecord(at)) return
    // the keys `isWellFormed` reads (`for … in`); a key is reported where it sits, as the string it is
    for (const key in at) {
      visit(key, [...path, key])
      visit(at[key], [...path, key])
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
 * `InvalidInput` in the form Schema's issues take (the path, then what is wrong), never repeating the string.
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
