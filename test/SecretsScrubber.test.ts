// A token no Make API token could be (over 256 characters) is refused when the layer is built, from values and from
// Config, naming the limit and never the token. (The Effect 3 suite's first three cases, the scrubber that cannot fail
// and removes every spelling, are test/internal/redact.test.ts on this line, where they were ported with the scrubber.)
import { describe, expect, it } from "@effect/vitest"
import { Cause, ConfigProvider, Effect, Exit, Layer, Redacted, Schema } from "effect"
import { HttpClient } from "effect/http"
import * as MakeApi from "../src/MakeApi.js"
import * as MakeConfig from "../src/MakeConfig.js"

const between = (minimum: number, maximum: number) => Schema.Int.check(Schema.isBetween({ minimum, maximum }))

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

  it.effect.prop(
    `lengths around the limit: up to ${MakeConfig.maxTokenLength} accepted, one more refused`,
    [between(MakeConfig.maxTokenLength - 3, MakeConfig.maxTokenLength + 3)],
    ([length]) =>
      Effect.gen(function*() {
        const exit = yield* Effect.exit(
          MakeConfig.make({ token: Redacted.make("a".repeat(length)), zone: "eu1.make.com" })
        )
        expect(Exit.isSuccess(exit)).toBe(length <= MakeConfig.maxTokenLength)
      })
  )
})
