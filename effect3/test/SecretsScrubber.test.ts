// The scrubber that removes the token from what a server sent back: it cannot fail, whatever the secret and the text
// (it once built a regular expression from the token, which a token of 5,000 characters overflowed), and it removes
// every occurrence; and a token no Make API token could be (over 256 characters) is refused when the layer is built.
import { HttpClient } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { Cause, ConfigProvider, Effect, Exit, FastCheck, Layer, Option, Redacted } from "effect"
import { placeholder, redactor } from "../src/internal/redact.js"
import * as MakeApi from "../src/MakeApi.js"
import * as MakeConfig from "../src/MakeConfig.js"

/** Any string: code units of every kind, lone surrogates included. */
const anyText = (maxLength: number) => FastCheck.string({ unit: "binary", maxLength })

/** The same text in upper, lower or its own case. */
const caseOf = (text: string, variant: 0 | 1 | 2) =>
  variant === 0 ? text : variant === 1 ? text.toLowerCase() : text.toUpperCase()

describe("the scrubber never fails, and removes every occurrence", () => {
  it.prop(
    "any secret in any text, as it is or in upper or lower case, wherever it sits: gone, and no throw",
    [
      FastCheck.string({ unit: "binary", minLength: 1, maxLength: 300 }),
      FastCheck.array(anyText(200), { minLength: 1, maxLength: 5 }),
      FastCheck.constantFrom<0 | 1 | 2>(0, 1, 2)
    ],
    ([secret, pieces, variant]) => {
      const form = caseOf(secret, variant)
      const out = redactor(secret)(pieces.join(form))
      if (pieces.length > 1) expect(out.includes(form)).toBe(false)
      // an arbitrary text with no secret in it is either kept or, at worst, withheld: never thrown
      expect(typeof redactor(secret)(pieces.join(""))).toBe("string")
    },
    { fastCheck: { numRuns: 300 } }
  )

  it("huge inputs: a secret of 5,000 characters (the regular expression it made overflowed), one of 100,000, a 4 MB text", () => {
    for (const secret of ["a".repeat(5_000), "0b6e2c7d-".repeat(11_112).slice(0, 100_000)]) {
      const text = `${"x".repeat(2_000_000)}${secret}${"y".repeat(2_000_000)}${secret.toUpperCase()}`
      const out = redactor(secret)(text)
      expect(out.includes(secret) || out.includes(secret.toUpperCase())).toBe(false)
      expect(out.split(placeholder)).toHaveLength(3)
    }
  })

  // A token as Make makes them, spelled as an echo may spell it: per character any case, a JSON escape (`\u0061`) or a
  // URL escape (`%61`), with separators (spaces, NUL, zero-width, `\n`, `%00`) between characters.
  const separators = [" ", "\t", "\u0000", "\u200b", "\u0085", "\\n", "\\u0000", "%00", "%20"]
  const spelledChar = (char: string) =>
    FastCheck.tuple(FastCheck.constantFrom(0, 1, 2, 3, 4), FastCheck.boolean()).map(([how, upper]) => {
      const code = char.charCodeAt(0)
      const hex = (digits: number) => {
        const text = code.toString(16).padStart(digits, "0")
        return upper ? text.toUpperCase() : text.toLowerCase()
      }
      return how === 0
        ? char
        : how === 1
        ? upper ? char.toUpperCase() : char.toLowerCase()
        : how === 2
        ? `\\u${hex(4)}`
        : how === 3
        ? `%${hex(2)}`
        : char.toUpperCase()
    })
  const spelling = (secret: string) =>
    FastCheck.tuple(
      ...[...secret].map((char) =>
        FastCheck.tuple(spelledChar(char), FastCheck.array(FastCheck.constantFrom(...separators), { maxLength: 2 }))
      )
    ).map((chars) => chars.map(([char, between], i) => (i === 0 ? char : between.join("") + char)).join(""))

  /** Text around the echo that does not end in half an escape (`\`, `\u00`, `%4`), which would take its first characters. */
  const around = anyText(60).filter((text) => !/(?:\\(?:u[0-9a-f]{0,3})?|%[0-9a-f]?)$/i.test(text))

  it.prop(
    "a token spelled in any of these ways, inside any text: replaced by <redacted>, no spelling of it left",
    [
      FastCheck.oneof(FastCheck.uuid(), FastCheck.stringMatching(/^[0-9A-Za-z_-]{8,64}$/)).chain((secret) =>
        FastCheck.tuple(FastCheck.constant(secret), spelling(secret), around, around)
      )
    ],
    ([[secret, spelled, before, after]]) => {
      const out = redactor(secret)(`${before}${spelled}${after}`)
      expect(out.includes(spelled)).toBe(false)
      expect(out).toContain(placeholder)
    },
    { fastCheck: { numRuns: 300 } }
  )
})

describe("a token longer than any Make API token is refused when the layer is built", () => {
  const never = Layer.succeed(HttpClient.HttpClient, HttpClient.make(() => Effect.die("no request may be sent")))

  const issuesOf = <A, E>(exit: Exit.Exit<A, E>): ReadonlyArray<string> =>
    Exit.match(exit, {
      onSuccess: () => [],
      onFailure: (cause) =>
        Option.match(Cause.failureOption(cause), {
          onNone: () => [`not a failure: ${Cause.pretty(cause)}`],
          onSome: (error) =>
            typeof error === "object" && error !== null && "issues" in error && Array.isArray(error.issues)
              ? error.issues.map(String)
              : [String(error)]
        })
    })

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
          Effect.withConfigProvider(
            ConfigProvider.fromMap(new Map([["MAKE_API_TOKEN", token], ["MAKE_ZONE", "eu1.make.com"]]))
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
