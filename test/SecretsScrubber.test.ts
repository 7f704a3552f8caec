// A token no Make API token could be (over 256 characters) is refused when the layer is built, from values and from
// Config, naming the limit and never the token. (The Effect 3 suite's first three cases, the scrubber that cannot fail
// and removes every spelling, are test/internal/redact.test.ts on this line, where they were ported with the scrubber.)
import { describe, expect, it } from "@effect/vitest"
import { Cause, ConfigProvider, Effect, Exit, Layer, Redacted } from "effect"
import { HttpClient } from "effect/http"
import * as MakeApi from "../src/MakeApi.js"
import * as MakeConfig from "../src/MakeConfig.js"

describe("a token longer than any Make API token is refused when the layer is built", () => {
  const never = Layer.succeed(HttpClient.HttpClient, HttpClient.make(() => Effect.die("no request may be sent")))

  const issuesOf = <A, E>(exit: Exit.Exit<A, E>): ReadonlyArray<string> => {
    if (Exit.isSuccess(exit)) return []
    const failure = exit.cause.reasons.find(Cause.isFailReason)
    if (failure === undefined) return [`not a failure: ${Cause.pretty(exit.cause)}`]
    const error: unknown = failure.error
    return typeof error === "object" && error !== null && "issues" in error && Array.isArray(error.issues)
      ? error.issues.map(String)
      : [String(error)]
  }

  it.effect("5,000 characters: InvalidInput naming the limit, never the token, from MakeApi.layer and from Config", () =>
    Effect.gen(function*() {
      const token = "0b6e2c7d".repeat(625)
      const fromValues = yield* Effect.exit(
        Layer.build(MakeApi.layer({ token: Redacted.make(token), zone: "eu1.make.com" }).pipe(Layer.provide(never)))
          .pipe(Effect.scoped)
      )
      const fromConfig = yield* Effect.exit(
        Layer.build(MakeConfig.layerConfig()).pipe(
          Effect.scoped,
          Effect.provide(
            ConfigProvider.layer(ConfigProvider.fromEnv({ env: { MAKE_API_TOKEN: token, MAKE_ZONE: "eu1.make.com" } }))
          )
        )
      )
      for (const issues of [issuesOf(fromValues), issuesOf(fromConfig)]) {
        expect(issues).toEqual([
          `token is longer than ${MakeConfig.maxTokenLength} characters; a Make API token has 36 (copy the token alone)`
        ])
        expect(JSON.stringify(issues)).not.toContain("0b6e2c7d")
      }
    }))

  // Every length from three under the limit to three over it: seven cases, all of them (a property drawing 100
  // from these seven repeated them and, on a loaded machine, outran the default timeout).
  it.effect(`lengths around the limit: up to ${MakeConfig.maxTokenLength} accepted, one more refused`, () =>
    Effect.gen(function*() {
      for (let length = MakeConfig.maxTokenLength - 3; length <= MakeConfig.maxTokenLength + 3; length++) {
        const exit = yield* Effect.exit(
          MakeConfig.make({ token: Redacted.make("a".repeat(length)), zone: "eu1.make.com" })
        )
        expect({ length, accepted: Exit.isSuccess(exit) }).toEqual({
          length,
          accepted: length <= MakeConfig.maxTokenLength
        })
      }
    }))
})
