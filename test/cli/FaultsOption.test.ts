// `effect-make emulator --faults JSON`: every setting of the emulator's fault plan that JSON can say is read, none
// dropped on the way (the Retry-After form and the latency's jitter once were); a bad plan is refused before listening.
import { NodeServices } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { ConfigProvider, Effect, Layer, Option, Schema } from "effect"
import { FaultsOption } from "../../src/cli/EmulatorCommand.js"
import { run } from "../../src/cli/main.js"
import * as Output from "../../src/cli/Output.js"
import { decodeFaults } from "../../src/testing/EmulatorFaults.js"

const decode = Schema.decodeUnknownOption(FaultsOption)

describe("--faults", () => {
  it.effect("reads every setting of the plan, the Retry-After form and the latency's jitter included", () =>
    Effect.gen(function*() {
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
      expect(decode(JSON.stringify(plan))).toEqual(Option.some(plan))
      // and as the command decodes it (strictly: a key the plan does not know is refused)
      expect(yield* decodeFaults(JSON.stringify(plan))).toEqual(plan)
    }))

  it("refuses a Retry-After form other than seconds or date, and a negative jitter", () => {
    expect(Option.isNone(decode(JSON.stringify({ seed: 1, retryAfterAs: "minutes" })))).toBe(true)
    const jitter = { seed: 1, latency: { probability: 1, duration: 0, jitter: -1 } }
    expect(Option.isNone(decode(JSON.stringify(jitter)))).toBe(true)
  })

  // Effect 4 only: the command itself refuses a bad plan (and a misspelt key) with InvalidInput, exit 2, before it
  // listens: nothing is served without the faults asked for
  it.effect("the emulator command refuses a bad plan before listening: InvalidInput, exit 2", () =>
    Effect.gen(function*() {
      for (const faults of ["{\"seed\":1,\"serverEror\":0.5}", "{\"seed\":1,\"retryAfterAs\":\"minutes\"}", "{seed"]) {
        const output = Output.makeMemory()
        const code = yield* run(["node", "effect-make", "emulator", "--port", "0", "--faults", faults]).pipe(
          Effect.provide(Layer.mergeAll(
            NodeServices.layer,
            output.layer,
            ConfigProvider.layer(ConfigProvider.fromEnv({ env: {} }))
          ))
        )
        expect({ faults, code }).toEqual({ faults, code: 2 })
        expect(output.stderr()).toContain("InvalidInput: Invalid arguments for effect-make emulator --faults")
        expect(output.stderr()).not.toContain("listening")
      }
    }))
})
