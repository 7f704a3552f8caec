// What an error may keep of what a server sent: excerpts and previews are short and exact, bounded on bodies of any
// depth or size, and a secret echoed anywhere in a body (even across the cut) never reaches an error.
import { describe, expect, it } from "@effect/vitest"
import { Cause, Schema } from "effect"
import * as ErrorText from "../../src/internal/errorText.js"
import { fromResponse } from "../../src/internal/statusMapper.js"
import * as MakeError from "../../src/MakeError.js"

const secret = "0b6e2c7d-4f1a-4e55-9c3b-7a8d9e0f1a2b"
/** The client's redactor, reduced to the one spelling these tests use. */
const redact = (text: string) => text.split(secret).join("<redacted>")
/** A piece of the secret long enough to mean it leaked. */
const leaked = (text: string) => [0, 8, 16, 24].some((at) => text.includes(secret.slice(at, at + 12)))

const nested = (depth: number, leaf: unknown): unknown => {
  let value = leaf
  for (let i = 0; i < depth; i++) value = [value]
  return value
}

const decodeFailure = (schema: Schema.Codec<unknown, unknown>, value: unknown, errors: "first" | "all" = "first") => {
  const result = Schema.decodeUnknownResult(schema)(value, { errors, reportInput: true })
  if (result._tag === "Success") throw new Error("expected a failure")
  return result.failure
}

describe("excerpt and preview", () => {
  it.prop(
    "excerpt: the text itself when short, else its first max characters and an ellipsis",
    [Schema.String, Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: 50 }))],
    ([text, max]) => {
      const cut = ErrorText.excerpt(text, max)
      if (text.length <= max) expect(cut).toBe(text)
      else expect(cut).toBe(`${text.slice(0, max)}…`)
    }
  )

  it.prop("preview: compact JSON of any JSON value, cut at 300 characters", [Schema.Json], ([value]) => {
    const json = JSON.stringify(value)
    const shown = ErrorText.preview(value)
    if (json.length <= 300) expect(shown).toBe(json)
    else {
      expect(shown.length).toBe(301)
      expect(shown.endsWith("…")).toBe(true)
    }
  })

  it("preview and excerptOf are iterative: 100,000 levels deep, and a 4 MB string, give short text", () => {
    const deep = nested(100_000, 1)
    expect(ErrorText.preview(deep)).toBe(`${"[".repeat(300)}…`)
    expect(ErrorText.excerptOf({ a: "x".repeat(4_000_000) }).length).toBe(301)
  })

  it("bounded keeps 4 levels, 20 entries per container, 300 characters per string", () => {
    const copy = ErrorText.bounded({ list: Array.from({ length: 30 }, (_, i) => i), deep: nested(10, "x") })
    expect(copy).toMatchObject({ list: [...Array.from({ length: 20 }, (_, i) => i), "… 10 more"] })
    expect(JSON.stringify(copy).length).toBeLessThan(400)
  })
})

describe("hostile bodies", () => {
  it("fromResponse, fed a value 100,000 deep, gives a short detail, and every printed form is short", () => {
    const error = fromResponse({ status: 502, body: nested(100_000, 1) })
    expect(error._tag).toBe("ServerError")
    expect(String(error).length).toBeLessThan(1000)
    expect(JSON.stringify(error).length).toBeLessThan(1000)
    expect(Cause.pretty(Cause.fail(error)).length).toBeLessThan(5000)
  })

  it("100,000 suberrors keep 20 and count the rest", () => {
    const suberrors = Array.from({ length: 100_000 }, (_, i) => ({ message: `field ${i}`, extra: "y".repeat(20) }))
    const error = fromResponse({ status: 400, body: { detail: "Validation failed", suberrors } })
    expect(error._tag).toBe("InvalidRequest")
    if (error._tag !== "InvalidRequest") return
    expect(error.suberrors).toHaveLength(21)
    expect(error.suberrors[20]?.message).toBe("… and 99980 more")
    expect(JSON.stringify(error).length).toBeLessThan(20_000)
  })

  it("4 MB of detail is cut to 1,000 characters", () => {
    const error = fromResponse({ status: 403, body: { detail: "x".repeat(4_000_000) } })
    expect(error._tag).toBe("Forbidden")
    if (error._tag === "Forbidden") expect(error.detail.length).toBe(1001)
  })

  it("formatIssues is safe on a deep value and on a failure with 100,000 issues", () => {
    const deepLines = MakeError.formatIssues(
      decodeFailure(Schema.Struct({ id: Schema.Number }), { id: nested(100_000, "x") })
    )
    expect(deepLines).toHaveLength(1)
    expect(deepLines[0]).toMatch(/^id: Expected number, got \[\[\[/)
    expect(deepLines[0]?.length).toBeLessThan(1000)
    const many = MakeError.formatIssues(
      decodeFailure(Schema.Array(Schema.Number), Array.from({ length: 100_000 }, () => "x"), "all")
    )
    expect(many).toHaveLength(20)
    expect(many[0]).toBe("0: Expected number, got \"x\"")
  })
})

describe("a secret echoed by the server never reaches an error", () => {
  it.prop(
    "wherever it sits in a text body, even across the 300-character cut",
    [Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: 400 })), Schema.Literals([401, 404, 500, 502, 418])],
    ([offset, status]) => {
      const error = fromResponse({ status, body: `${"x".repeat(offset)}${secret}${"y".repeat(50)}`, redact })
      expect(leaked(JSON.stringify(error))).toBe(false)
      expect(leaked(error.message)).toBe(false)
    },
    { arbitrary: { runs: 200 } }
  )

  it.prop(
    "in any text field of Make's body: detail, message, code, a suberror's message or extra field",
    [Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: 1200 })), Schema.Literals([400, 403, 404, 429, 503])],
    ([offset, status]) => {
      const echo = `${"x".repeat(offset)}${secret}`
      const body = {
        detail: echo,
        message: echo,
        code: secret,
        suberrors: [{ message: echo, value: { nested: [echo] } }]
      }
      const error = fromResponse({ status, body, redact })
      expect(leaked(JSON.stringify(error))).toBe(false)
      expect(leaked(error.message)).toBe(false)
    },
    { arbitrary: { runs: 200 } }
  )

  it("in a value a schema failure reports", () => {
    const lines = MakeError.formatIssues(
      decodeFailure(Schema.Struct({ id: Schema.Number, tags: Schema.Array(Schema.Number) }), {
        id: `token ${secret}`,
        tags: [{ [secret]: secret }]
      }, "all"),
      redact
    )
    expect(lines).toHaveLength(2)
    for (const line of lines) expect(leaked(line)).toBe(false)
  })
})

describe("message pieces", () => {
  it("describeTarget names what a call was about", () => {
    expect(ErrorText.describeTarget({ resource: "organization", id: 11, organizationId: 11 })).toBe("organization 11")
    expect(ErrorText.describeTarget({ resource: "variable", id: "dailyLimit", organizationId: 11 }))
      .toBe("variable dailyLimit of organization 11")
    expect(ErrorText.describeTarget({ resource: "subscription", organizationId: 11 }))
      .toBe("the subscription of organization 11")
    expect(ErrorText.describeTarget({})).toBeUndefined()
  })

  it("makeSays quotes Make's status, code and detail", () => {
    expect(ErrorText.makeSays({ status: 404, code: "SC404", detail: "Gone." })).toBe("Make answered 404 SC404: Gone.")
    expect(ErrorText.makeSays({ status: 500, detail: "Oops." })).toBe("Make answered 500: Oops.")
  })
})
