// The scrubber that removes the token from what a server sent back: it cannot fail, whatever the secret and the text
// (it once built a regular expression from the token, which a token of 5,000 characters overflowed), and it removes
// every occurrence, in every spelling an echo may give it. (Refusing a token over 256 characters is MakeConfig's.)
import { describe, expect, it } from "@effect/vitest"
import { Arbitrary, Redacted, Schema } from "effect"
import { forToken, placeholder, redactor } from "../../src/internal/redact.js"

const between = (minimum: number, maximum: number) => Schema.Int.check(Schema.isBetween({ minimum, maximum }))

/** Any string of `minLength` to `maxLength` code units of every kind, lone surrogates included. */
const anyText = (maxLength: number, minLength = 0) =>
  Arbitrary.array(Arbitrary.schema(between(0, 0xffff)), { minLength, maxLength }).pipe(
    Arbitrary.map((codes) => String.fromCharCode(...codes))
  )

/** The same text in upper, lower or its own case. */
const caseOf = (text: string, variant: 0 | 1 | 2) =>
  variant === 0 ? text : variant === 1 ? text.toLowerCase() : text.toUpperCase()

const pick = <A>(values: ReadonlyArray<A>, fallback: A) =>
  Arbitrary.schema(between(0, values.length - 1)).pipe(Arbitrary.map((i) => values[i] ?? fallback))

describe("the scrubber never fails, and removes every occurrence", () => {
  it.prop(
    "any secret in any text, as it is or in upper or lower case, wherever it sits: gone, and no throw",
    [
      anyText(300, 1),
      Arbitrary.array(anyText(200), { minLength: 1, maxLength: 5 }),
      Schema.Literals([0, 1, 2])
    ],
    ([secret, pieces, variant]) => {
      const form = caseOf(secret, variant)
      const out = redactor(secret)(pieces.join(form))
      if (pieces.length > 1) expect(out.includes(form)).toBe(false)
      // an arbitrary text with no secret in it is either kept or, at worst, withheld: never thrown
      expect(typeof redactor(secret)(pieces.join(""))).toBe("string")
    },
    { timeout: 30_000, arbitrary: { runs: 300 } }
  )

  it("huge: a secret of 5,000 characters (its regular expression overflowed), one of 100,000, a 4 MB text", () => {
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
    Arbitrary.all([Arbitrary.schema(between(0, 4)), Arbitrary.schema(Schema.Boolean)]).pipe(
      Arbitrary.map(([how, upper]) => {
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
    )
  const spelling = (secret: string) =>
    Arbitrary.all(
      [...secret].map((char) =>
        Arbitrary.all([spelledChar(char), Arbitrary.array(pick(separators, " "), { maxLength: 2 })])
      )
    ).pipe(Arbitrary.map((chars) => chars.map(([char, gap], i) => (i === 0 ? char : gap.join("") + char)).join("")))

  /** Text around the echo not ending in half an escape (`\`, `\u00`, `%4`), which would take its first characters. */
  const around = anyText(60).pipe(Arbitrary.filter((text) => !/(?:\\(?:u[0-9a-f]{0,3})?|%[0-9a-f]?)$/i.test(text)))

  const tokenAlphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_-"
  const hexDigits = "0123456789abcdef"
  /** A UUID as Make writes its tokens, or 8 to 64 characters of the URL-safe alphabet. */
  const token = Arbitrary.all([
    Arbitrary.schema(Schema.Boolean),
    Arbitrary.array(pick([...tokenAlphabet], "a"), { minLength: 8, maxLength: 64 }),
    Arbitrary.array(pick([...hexDigits], "0"), { minLength: 32, maxLength: 32 })
  ]).pipe(Arbitrary.map(([uuid, chars, hex]) =>
    uuid
      ? [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)]
        .map((group) => group.join("")).join("-")
      : chars.join("")
  ))

  it.prop(
    "a token spelled in any of these ways, inside any text: replaced by <redacted>, no spelling of it left",
    [Arbitrary.flatMap(
      token,
      (secret) => Arbitrary.all([Arbitrary.Constant(secret), spelling(secret), around, around])
    )],
    ([[secret, spelled, before, after]]) => {
      const out = redactor(secret)(`${before}${spelled}${after}`)
      expect(out.includes(spelled)).toBe(false)
      expect(out).toContain(placeholder)
    },
    { timeout: 30_000, arbitrary: { runs: 300 } }
  )
})

describe("spellings, one by one", () => {
  const secret = "0b6e2c7d-4f1a-4e55-9c3b-7a8d9e0f1a2b"
  const redact = redactor(secret)

  it("as it is, in upper case, JSON- and URL-escaped, split by separators, base64 (standard and URL alphabet)", () => {
    const base64 = Buffer.from(`Token ${secret}`).toString("base64")
    const spellings = [
      secret,
      secret.toUpperCase(),
      [...secret].map((char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`).join(""),
      [...secret].map((char) => `%${char.charCodeAt(0).toString(16)}`).join(""),
      [...secret].join("\u200b"),
      [...secret].join("\\n")
    ]
    for (const spelled of spellings) expect(redact(`{"echo":"${spelled}"}`)).toBe(`{"echo":"${placeholder}"}`)
    expect(redact(base64)).not.toContain(Buffer.from(secret).toString("base64").slice(0, 12))
    expect(redact(base64.replace(/\+/g, "-").replace(/\//g, "_"))).toContain(placeholder)
  })

  it("text without the secret is kept as it is; an empty secret changes nothing", () => {
    expect(redact("Not found: organization 11")).toBe("Not found: organization 11")
    expect(redactor("")("anything")).toBe("anything")
  })

  it("a secret overlapping the placeholder itself (`ted>`, `e`) withholds the whole text rather than leave it", () => {
    expect(redactor("ted>")("x ted> y")).toBe("")
    expect(redactor("e")("see")).toBe("")
  })

  it("forToken: one redactor per Redacted token, the same on every call", () => {
    const token = Redacted.make(secret)
    expect(forToken(token)).toBe(forToken(token))
    expect(forToken(token)(`Token ${secret}`)).toBe(`Token ${placeholder}`)
  })
})
