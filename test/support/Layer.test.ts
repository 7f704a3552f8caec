// `@effect/vitest`'s `layer` block: its tests share its layer and TestClock; tests after it, in this file or any other
// the worker runs later, get a fresh TestClock and none of its services. Ported from the Effect 3 line, where
// `@effect/vitest`'s own `layer` left every later test on the block's runtime (its clock at 1 hour, its service there)
// and test/support/layer.ts put the shared `it` back; Effect 4's `@effect/vitest` no longer mutates the shared `it`,
// so the Effect 4 suites use its `layer` as it is, and this file checks that it holds. Imports `effect`.
import { describe, expect, it, layer } from "@effect/vitest"
import { Clock, Context, Effect, Layer, Option } from "effect"
import { TestClock } from "effect/testing"

class Marker extends Context.Service<Marker, string>()("test/Marker") {}

const inTheBlock = (marker: string) =>
  Effect.gen(function*() {
    expect(yield* Marker).toBe(marker)
    yield* TestClock.adjust("1 hour")
    expect(yield* Clock.currentTimeMillis).toBe(3_600_000)
  })

const outside = Effect.gen(function*() {
  expect(yield* Clock.currentTimeMillis).toBe(0)
  expect(yield* Effect.serviceOption(Marker)).toEqual(Option.none())
})

describe("a named block", () => {
  layer(Layer.succeed(Marker)("named"))("with a shared layer", (it) => {
    it.effect("its tests see its services and share one TestClock", () => inTheBlock("named"))
    it.effect("the next test sees the clock where the last one left it", () =>
      Effect.map(Clock.currentTimeMillis, (now) => expect(now).toBe(3_600_000)))
  })
})

describe("after a named block", () => {
  it.effect("a fresh TestClock, none of the block's services", () => outside)
})

describe("an unnamed block", () => {
  layer(Layer.succeed(Marker)("unnamed"))((it) => {
    it.effect("its tests see its services", () => inTheBlock("unnamed"))
  })
  it.effect("the next test of the same describe: a fresh TestClock, none of the block's services", () => outside)
})
