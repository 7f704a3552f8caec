// The one mapper's table (status x code -> error), the catch-all, messages a user can act on, the round trip of every
// error through the MakeError schema, and schema failures as lines.
import { describe, expect, it } from "@effect/vitest"
import { Cause, Duration, Effect, Option, Schema } from "effect"
import { toBody } from "../src/internal/errorBody.js"
import { fromResponse } from "../src/internal/statusMapper.js"
import * as MakeError from "../src/MakeError.js"

const body = (code: string, detail = "Something happened.") => ({ detail, message: "Summary", code })

/** The README's error table (`status → tag`), restated as the oracle. */
const documentedTag = (status: number, wire: unknown): MakeError.MakeError["_tag"] => {
  const code = typeof wire === "object" && wire !== null && "detail" in wire && typeof wire.detail === "string" &&
      "code" in wire
    ? wire.code
    : undefined
  if (code === "IM004" || status === 406) return "NotConfirmed"
  if ([400, 405, 409, 410, 413, 415, 422].includes(status)) return "InvalidRequest"
  if (status === 401) return "Unauthorized"
  if (status === 403) return "Forbidden"
  if (status === 404) return "NotFound"
  if (status === 429) return "RateLimited"
  if (status >= 500 && status <= 599) return "ServerError"
  return "UnexpectedResponse"
}

describe("fromResponse", () => {
  const table: ReadonlyArray<readonly [number, unknown, MakeError.MakeError["_tag"]]> = [
    [400, { ...body("IM015"), suberrors: [{ message: "name is required" }] }, "InvalidRequest"],
    [422, body("IM005"), "InvalidRequest"],
    [401, body("SC401"), "Unauthorized"],
    [403, body("SC403", "Access denied."), "Forbidden"],
    [404, body("SC404"), "NotFound"],
    [406, body("IM004"), "NotConfirmed"],
    [400, body("IM004"), "NotConfirmed"],
    [429, body("SC429"), "RateLimited"],
    [500, body("SC500"), "ServerError"],
    [502, "<html>Bad gateway</html>", "ServerError"],
    [503, undefined, "ServerError"],
    [504, body("SC504"), "ServerError"],
    [302, "", "UnexpectedResponse"],
    [418, body("X"), "UnexpectedResponse"]
  ]

  for (const [status, wire, tag] of table) {
    it(`${status} ${JSON.stringify(wire)?.slice(0, 40)} -> ${tag}`, () => {
      expect(fromResponse({ status, body: wire })._tag).toBe(tag)
    })
  }

  const Status = Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: 999 }))
  const Code = Schema.Union([Schema.Literals(["IM004", "SC404", "SC400", "SC429"]), Schema.String])
  const MakeBody = Schema.Struct({
    detail: Schema.String,
    message: Schema.optionalKey(Schema.String),
    code: Schema.optionalKey(Code),
    suberrors: Schema.optionalKey(Schema.Array(Schema.Struct({ message: Schema.String })))
  })
  /** Any body: Make's own error JSON, any JSON, text, nothing. */
  const AnyBody = Schema.Union([MakeBody, Schema.Json, Schema.String, Schema.Undefined])

  it.prop(
    "any status × any body → the documented tag, never a throw, printable, bounded",
    [Status, AnyBody],
    ([status, wire]) => {
      const error = fromResponse({ status, body: wire })
      expect(error._tag).toBe(documentedTag(status, wire))
      for (const text of [error.message, String(error), JSON.stringify(error), Cause.pretty(Cause.fail(error))]) {
        expect(typeof text).toBe("string")
      }
      if ("detail" in error) expect(error.detail.length).toBeLessThanOrEqual(1001)
      if ("detail" in error && !Schema.is(MakeBody)(wire)) expect(error.detail.length).toBeLessThanOrEqual(301)
      if (error._tag === "UnexpectedResponse") expect(error.excerpt.length).toBeLessThanOrEqual(301)
    },
    { timeout: 30_000, arbitrary: { runs: 500 } }
  )

  it.prop(
    "a Make body on a mapped status keeps its detail, summary and code as sent",
    [Schema.Literals([400, 401, 403, 404, 406, 429, 500, 503]), MakeBody],
    ([status, wire]) => {
      const error = fromResponse({ status, body: wire })
      expect(error).toMatchObject({ status, detail: wire.detail.slice(0, 1000) })
      if (wire.detail.length <= 1000 && "detail" in error) expect(error.detail).toBe(wire.detail)
      if ("title" in error && wire.message !== undefined && wire.message.length <= 300) {
        expect(error.title).toBe(wire.message)
      }
      if ("code" in error && wire.code !== undefined && wire.code.length <= 40) expect(error.code).toBe(wire.code)
    },
    { timeout: 30_000, arbitrary: { runs: 300 } }
  )

  it("keeps Make's detail, summary, code and suberrors", () => {
    const error = fromResponse({
      status: 400,
      body: { detail: "Validation failed", message: "Bad request", code: "IM015", suberrors: [{ message: "a", x: 1 }] }
    })
    expect(error).toBeInstanceOf(MakeError.InvalidRequest)
    if (error._tag !== "InvalidRequest") return
    expect(error).toMatchObject({ status: 400, code: "IM015", detail: "Validation failed", title: "Bad request" })
    expect(error.suberrors).toEqual([{ message: "a", x: 1 }])
    expect(error.message).toContain("a")
    expect(error.message).toContain("Validation failed")
  })

  it("uses an excerpt of a body that is not Make's JSON", () => {
    const error = fromResponse({ status: 502, body: "x".repeat(1000) })
    expect(error._tag).toBe("ServerError")
    if (error._tag !== "ServerError") return
    expect(error.detail.length).toBeLessThanOrEqual(301)
    expect(error.code).toBeUndefined()
  })

  it("carries Retry-After and attempts on RateLimited", () => {
    const error = fromResponse({ status: 429, body: body("SC429"), retryAfterMillis: 2000, attempts: 3 })
    expect(error._tag).toBe("RateLimited")
    if (error._tag !== "RateLimited") return
    expect(error.attempts).toBe(3)
    expect(Option.map(error.retryAfter, Duration.toMillis)).toEqual(Option.some(2000))
    expect(error.message).toContain("wait 2s")
  })
})

describe("MakeError", () => {
  it("messages say what to do", () => {
    expect(new MakeError.NotFound({ status: 404, detail: "Gone.", resource: "organization", id: 11 }).message)
      .toBe("Organization 11 was not found, or the token cannot see it (Make answered 404: Gone.).")
    const variable = { resource: "variable", id: "dailyLimit", organizationId: 11 } as const
    expect(new MakeError.NotFound({ status: 404, detail: "Gone.", ...variable }).message).toBe(
      "Variable dailyLimit of organization 11 was not found, or the token cannot see it (Make answered 404: Gone.)."
    )
    expect(new MakeError.NotConfirmed({ status: 406, code: "IM004", detail: "Has scenarios." }).message)
      .toContain("pass { confirmed: true }")
    expect(new MakeError.Unauthorized({ status: 401, detail: "Invalid token." }).message).toContain("MAKE_API_TOKEN")
    expect(
      new MakeError.InvalidInput({ operation: "Organizations.get", issues: ["id: Expected a positive number"] })
        .message
    ).toBe("Invalid arguments for Organizations.get: id: Expected a positive number")
    expect(new MakeError.FeatureUnavailable({ organizationId: 11, feature: "customVariables" }).message)
      .toBe("Organization 11 has no \"customVariables\" in its licence; upgrade its plan to use this call.")
    expect(new MakeError.NotSynced({ organizationId: 11, waitedMillis: 1500, attempts: 3 }).message)
      .toContain("after 1.5s (3 attempts)")
  })

  it("attempts and suberrors default when left out, in the constructor as when decoding", () => {
    expect(new MakeError.ServerError({ status: 500, detail: "x" }).attempts).toBe(1)
    expect(new MakeError.TransportError({ reason: "Timeout", request: "GET /x", description: "slow" }).attempts)
      .toBe(1)
    expect(new MakeError.InvalidRequest({ status: 400, detail: "x" }).suberrors).toEqual([])
    const decoded = Schema.decodeUnknownSync(MakeError.MakeError)({ _tag: "RateLimited", status: 429, detail: "x" })
    expect(decoded).toMatchObject({ _tag: "RateLimited", attempts: 1 })
  })

  it("toBody gives Make's wire shape back, without _tag", () => {
    expect(toBody(new MakeError.NotFound({ status: 404, detail: "Gone.", title: "Not found", code: "SC404" })))
      .toEqual({ detail: "Gone.", message: "Not found", code: "SC404" })
    expect(toBody(new MakeError.InvalidRequest({ status: 400, detail: "Bad.", suberrors: [{ message: "a" }] })))
      .toEqual({ detail: "Bad.", message: "Bad.", suberrors: [{ message: "a" }] })
  })

  it.effect("errors round-trip through the MakeError schema", () =>
    Effect.gen(function*() {
      const error = new MakeError.RateLimited({ status: 429, detail: "Slow down", retryAfterMillis: 1000, attempts: 2 })
      const encoded = yield* Schema.encodeEffect(MakeError.MakeError)(error)
      const decoded = yield* Schema.decodeUnknownEffect(MakeError.MakeError)(encoded)
      expect(decoded).toEqual(error)
      expect(decoded).toBeInstanceOf(MakeError.RateLimited)
      expect(MakeError.isMakeError(decoded)).toBe(true)
      expect(MakeError.isMakeError(new Error("x"))).toBe(false)
      expect(MakeError.isCommon(decoded)).toBe(true)
      expect(MakeError.isCommon(new MakeError.NotFound({ status: 404, detail: "x" }))).toBe(false)
    }))

  it.prop(
    "every error class round-trips through the MakeError schema",
    [MakeError.MakeError],
    ([error]) => {
      const encoded = Schema.encodeSync(MakeError.MakeError)(error)
      const decoded = Schema.decodeUnknownSync(MakeError.MakeError)(encoded)
      // fields compared as data: a field the arbitrary set to `undefined` may come back as a missing key
      expect({ ...decoded }).toEqual({ ...error })
      expect(decoded).toBeInstanceOf(error.constructor)
      expect(decoded.message).toBe(error.message)
      expect(MakeError.isMakeError(decoded)).toBe(true)
      expect(typeof decoded.message).toBe("string")
    },
    { timeout: 30_000, arbitrary: { runs: 200 } }
  )
})

describe("MakeError.formatIssues", () => {
  it.effect("one line per problem, with its path; the rejected value shown when the decode reported it", () =>
    Effect.gen(function*() {
      const schema = Schema.Struct({
        note: Schema.optional(Schema.String),
        teams: Schema.optional(Schema.Array(Schema.Number)),
        name: Schema.String,
        nothing: Schema.Undefined
      })
      const input = { note: 5, teams: [1, "x"], name: 1, nothing: 0 }
      const reported = yield* Effect.flip(
        Schema.decodeUnknownEffect(schema)(input, { errors: "all", reportInput: true })
      )
      // Effect 4 names an optional field's expectation `string | undefined` on one line (Effect 3 printed the union's
      // members apart, and the `undefined` one was filtered out here).
      expect(MakeError.formatIssues(reported)).toEqual([
        "note: Expected string | undefined, got 5",
        "teams.1: Expected number, got \"x\"",
        "name: Expected string, got 1",
        "nothing: Expected undefined, got 0"
      ])
      // without reportInput Effect 4 keeps no value in the failure: the lines name the expectation alone
      const bare = yield* Effect.flip(Schema.decodeUnknownEffect(schema)(input, { errors: "all" }))
      expect(MakeError.formatIssues(bare)).toEqual([
        "note: Expected string | undefined",
        "teams.1: Expected number",
        "name: Expected string",
        "nothing: Expected undefined"
      ])
    }))

  it.effect("invalidInput names the operation and carries the lines", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(Schema.decodeUnknownEffect(Schema.Struct({ id: Schema.Number }))({ id: "x" }))
      expect(MakeError.invalidInput("Organizations.get", error)).toMatchObject({
        _tag: "InvalidInput",
        operation: "Organizations.get",
        issues: ["id: Expected number"]
      })
    }))
})
