// Property checks draw valid names: `Common.Name` (not blank) yields values from the first, smallest run on, where a
// bare filter produced only "" at size 0 and exhausted every property over a name ("Property exhausted after 0
// run(s)"). Imports `effect` and src/domain only.
import { describe, expect, it } from "@effect/vitest"
import { Arbitrary, Effect, Schema } from "effect"
import { Name } from "../../src/domain/Common.js"
import { CreateOrganization } from "../../src/domain/Organization.js"

describe("the arbitrary of Common.Name", () => {
  it.effect("a property over a name runs (no discards to exhaustion), and every name drawn is valid", () =>
    Effect.gen(function*() {
      const result = yield* Arbitrary.checkEffect(Arbitrary.schema(Name), Schema.is(Name), { runs: 200, seed: 1 })
      expect(result._tag).toBe("Passed")
    }))

  it.effect("so does one over a body that holds a name (CreateOrganization)", () =>
    Effect.gen(function*() {
      const result = yield* Arbitrary.checkEffect(
        Arbitrary.schema(CreateOrganization),
        Schema.is(CreateOrganization),
        { runs: 100, seed: 2 }
      )
      expect(result._tag).toBe("Passed")
    }))

  it.prop("it.prop over a name", [Name], ([name]) => {
    expect(name.trim().length).toBeGreaterThan(0)
  }, { arbitrary: { runs: 100 } })
})
