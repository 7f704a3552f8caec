// The bench harness's pure helpers (bench/harness.ts): the median and percentile its figures report, and the turn order
// of alternating rounds. The bench itself never runs in `npm test`.
import { describe, expect, it } from "@effect/vitest"
import { alternating, median, percentile } from "../../bench/harness.js"

describe("bench harness", () => {
  it("median: the middle of an odd count, whatever the order", () => {
    expect(median([3, 1, 2])).toBe(2)
    expect(median([10, 30, 20, 50, 40])).toBe(30)
    expect(Number.isNaN(median([]))).toBe(true)
  })

  it("percentile: p99 of 100 sorted values is the last", () => {
    expect(percentile(Array.from({ length: 100 }, (_, i) => i), 0.99)).toBe(99)
  })

  it("alternating: contenders take turns, each round in order", async () => {
    const order: Array<string> = []
    const samples = await alternating(
      [["a", async () => order.push("a")], ["b", async () => order.push("b")]],
      3
    )
    expect(order).toEqual(["a", "b", "a", "b", "a", "b"])
    expect(samples.get("a")).toEqual([1, 3, 5])
    expect(samples.get("b")).toEqual([2, 4, 6])
  })
})
