// The one mapper's table (status x code -> error), the catch-all, and messages a user can act on.
import { describe, expect, it } from "@effect/vitest"
import { Effect, Option, Schema } from "effect"
import * as MakeError from "../src/MakeError.js"

const body = (code: string, detail = "Something happened.") => ({ detail, message: "Summary", code })

describe("MakeError.fromResponse", () => {
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
      expect(MakeError.fromResponse({ status, body: wire })._tag).toBe(tag)
    })
  }

  it("keeps Make's detail, summary, code and suberrors", () => {
    const error = MakeError.fromResponse({
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
    const error = MakeError.fromResponse({ status: 502, body: "x".repeat(1000) })
    expect(error._tag).toBe("ServerError")
    if (error._tag !== "ServerError") return
    expect(error.detail.length).toBeLessThanOrEqual(301)
    expect(error.code).toBeUndefined()
  })

  it("carries Retry-After and attempts on RateLimited", () => {
    const error = MakeError.fromResponse({ status: 429, body: body("SC429"), retryAfterMillis: 2000, attempts: 3 })
    expect(error._tag).toBe("RateLimited")
    if (error._tag !== "RateLimited") return
    expect(error.attempts).toBe(3)
    expect(Option.map(error.retryAfter, (d) => d.toJSON())).toEqual(
      Option.some({ _id: "Duration", _tag: "Millis", millis: 2000 })
    )
    expect(error.message).toContain("wait 2s")
  })

  it("messages say what to do", () => {
    expect(new MakeError.NotFound({ status: 404, detail: "Gone.", resource: "organization", id: 11 }).message)
      .toBe("Organization 11 was not found, or the token cannot see it (Make answered 404: Gone.).")
    expect(new MakeError.NotConfirmed({ status: 406, code: "IM004", detail: "Has scenarios." }).message)
      .toContain("pass { confirmed: true }")
    expect(new MakeError.Unauthorized({ status: 401, detail: "Invalid token." }).message).toContain("MAKE_API_TOKEN")
    expect(
      new MakeError.InvalidInput({ operation: "Organizations.get", issues: ["id: Expected a positive number"] })
        .message
    ).toBe("Invalid arguments for Organizations.get: id: Expected a positive number")
  })

  it("toBody gives Make's wire shape back, without _tag", () => {
    expect(
      MakeError.toBody(new MakeError.NotFound({ status: 404, detail: "Gone.", title: "Not found", code: "SC404" }))
    )
      .toEqual({ detail: "Gone.", message: "Not found", code: "SC404" })
  })

  it.effect("errors round-trip through the MakeError schema", () =>
    Effect.gen(function*() {
      const error = new MakeError.RateLimited({ status: 429, detail: "Slow down", retryAfterMillis: 1000, attempts: 2 })
      const encoded = yield* Schema.encode(MakeError.MakeError)(error)
      const decoded = yield* Schema.decodeUnknown(MakeError.MakeError)(encoded)
      expect(decoded).toEqual(error)
      expect(MakeError.isMakeError(decoded)).toBe(true)
      expect(MakeError.isMakeError(new Error("x"))).toBe(false)
    }))
})

describe("MakeError.formatIssues", () => {
  it.effect("one line per problem: a bad optional field is not also reported as 'Expected undefined'", () =>
    Effect.gen(function*() {
      const schema = Schema.Struct({
        note: Schema.optional(Schema.String),
        teams: Schema.optional(Schema.Array(Schema.Number)),
        name: Schema.String,
        nothing: Schema.Undefined
      })
      const error = yield* Effect.flip(
        Schema.decodeUnknown(schema, { errors: "all" })({ note: 5, teams: [1, "x"], name: 1, nothing: 0 })
      )
      expect(MakeError.formatIssues(error)).toEqual([
        "note: Expected string, actual 5",
        "teams.1: Expected number, actual \"x\"",
        "name: Expected string, actual 1",
        // a field that must be undefined keeps its one problem
        "nothing: Expected undefined, actual 0"
      ])
    }))
})
