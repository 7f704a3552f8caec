// The limits every value meets before Schema looks at it: the depth check agrees with a plain recursive depth (and
// stays safe far past the limit), and the ill-formed-string checks agree with `String.prototype.isWellFormed`.
import { describe, expect, it } from "@effect/vitest"
import { Schema } from "effect"
import * as Limits from "../../src/internal/valueLimits.js"

/** The reference: nesting depth of arrays and plain objects, by plain recursion (only for small values). */
const depthOf = (value: unknown): number =>
  Array.isArray(value)
    ? 1 + Math.max(0, ...value.map(depthOf))
    : typeof value === "object" && value !== null
    ? 1 + Math.max(0, ...Object.values(value).map(depthOf))
    : 0

/** `[[[…]]]`, `depth` arrays deep, built without recursion. */
const nested = (depth: number): unknown => {
  let value: unknown = 1
  for (let i = 0; i < depth; i++) value = [value]
  return value
}

const Json = Schema.Json

describe("valueLimits", () => {
  it.prop(
    "isShallow agrees with the value's depth, whatever the limit",
    [Json, Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: 6 }))],
    ([value, limit]) => {
      expect(Limits.isShallow(value, limit)).toBe(depthOf(value) <= limit)
    }
  )

  it("a value nested 100,000 deep is refused without a stack overflow; at the limit it passes", () => {
    expect(Limits.isShallow(nested(100_000))).toBe(false)
    expect(Limits.isShallow(nested(Limits.maxDepth))).toBe(true)
    expect(Limits.isShallow(nested(Limits.maxDepth + 1))).toBe(false)
    expect(Limits.isShallow({ a: nested(Limits.maxDepth - 1) })).toBe(true)
  })

  it.prop(
    "illFormedAt finds the first lone surrogate, exactly where isWellFormed says so",
    [Schema.String],
    ([text]) => {
      const at = Limits.illFormedAt(text)
      expect(at === undefined).toBe(text.isWellFormed())
      if (at !== undefined) expect(text.slice(0, at).isWellFormed()).toBe(true)
    }
  )

  it("every ill-formed string of a value is found, keys included, each described without repeating it", () => {
    const value = { externalId: "ok\ud800", pg: { sortBy: "\udc00" }, ["k\ud801"]: "fine", list: ["a", "b\ud802c"] }
    expect(Limits.isWellFormed(value)).toBe(false)
    const found = Limits.illFormedStrings(value).map(Limits.describeIllFormed)
    expect(found).toEqual([
      "externalId: must be well-formed Unicode, but has a lone surrogate (U+D800) at position 3",
      "pg.sortBy: must be well-formed Unicode, but has a lone surrogate (U+DC00) at position 1",
      "k\\ud801: must be well-formed Unicode, but has a lone surrogate (U+D801) at position 2",
      "list.1: must be well-formed Unicode, but has a lone surrogate (U+D802) at position 2"
    ])
    expect(Limits.isWellFormed({ name: "Acme \u{1F680}", tags: ["ä", "日本"] })).toBe(true)
  })
})
