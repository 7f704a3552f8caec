// `effect-make emulator --faults JSON`: every setting of the emulator's fault plan that JSON can say is read, none
// dropped on the way (the Retry-After form and the latency's jitter once were).
import { describe, expect, it } from "@effect/vitest"
import { Either, Schema } from "effect"
import { FaultsOption } from "../../src/cli/EmulatorCommand.js"

const decode = Schema.decodeUnknownEither(FaultsOption)

describe("--faults", () => {
  it("reads every setting of the plan, the Retry-After form and the latency's jitter included", () => {
    const plan = {
      seed: 7,
      serverError: 0.1,
      rateLimited: 0.2,
      retryAfterSeconds: 3,
      retryAfterAs: "date",
      reset: 0.05,
      refused: 0.05,
      truncated: 0.1,
      latency: { probability: 0.5, duration: 20, jitter: 480 }
    }
    expect(decode(JSON.stringify(plan))).toEqual(Either.right(plan))
  })

  it("refuses a Retry-After form other than seconds or date, and a negative jitter", () => {
    expect(Either.isLeft(decode(JSON.stringify({ seed: 1, retryAfterAs: "minutes" })))).toBe(true)
    const jitter = { seed: 1, latency: { probability: 1, duration: 0, jitter: -1 } }
    expect(Either.isLeft(decode(JSON.stringify(jitter)))).toBe(true)
  })
})
