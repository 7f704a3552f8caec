// Hostile answers: whatever a server sends — bodies nested 100,000 deep, megabytes of text, bytes that are not UTF-8,
// absurd Retry-After headers, statuses outside 100–599 — each call ends in a typed MakeError whose every printed form
// is short, never in a defect; and a token no header can carry is refused when the layer is built. Ported from the
// Effect 3 line; imports `effect`, `effect/http`, src/ and ./support.
import { describe, expect, it } from "@effect/vitest"
import { Cause, Effect, Exit, Layer, Option, Redacted, Ref, Result, Schema } from "effect"
import { HttpClient, HttpClientRequest, HttpClientResponse } from "effect/http"
import { TestClock } from "effect/testing"
import * as AdminTeams from "../src/AdminTeams.js"
import * as Retry from "../src/internal/retry.js"
import * as StatusMapper from "../src/internal/statusMapper.js"
import { maxDepth } from "../src/internal/valueLimits.js"
import * as MakeApi from "../src/MakeApi.js"
import * as MakeConfig from "../src/MakeConfig.js"
import * as MakeError from "../src/MakeError.js"
import * as Organizations from "../src/Organizations.js"
import * as OrganizationVariables from "../src/OrganizationVariables.js"
import * as Emulator from "../src/testing/Emulator.js"
import { secret, webResponse } from "./support/client.js"

interface Answer {
  readonly status: number
  readonly body: string | Uint8Array<ArrayBuffer> | null
  readonly headers?: Record<string, string>
}

/** Every service over an HttpClient that gives the answers in turn (the last one again when they run out). */
const answering = (answers: readonly [Answer, ...Array<Answer>], retry: MakeConfig.Options["retry"] = "off") =>
  Layer.unwrap(
    Effect.map(Ref.make(0), (sent) =>
      MakeApi.layer({ token: Redacted.make(secret), zone: "eu1.make.com", retry }).pipe(
        Layer.provide(
          Layer.succeed(HttpClient.HttpClient)(
            HttpClient.make((request) =>
              Ref.getAndUpdate(sent, (n) => n + 1).pipe(
                Effect.map((n) => {
                  const { body, headers, status } = answers[Math.min(n, answers.length - 1)] ?? answers[0]
                  return HttpClientResponse.fromWeb(request, webResponse(status, body, headers))
                })
              )
            )
          )
        ),
        Layer.orDie
      ))
  )

const getOrganization = (answers: readonly [Answer, ...Array<Answer>]) =>
  Effect.flatMap(Organizations.Organizations, (orgs) => orgs.get(11)).pipe(Effect.provide(answering(answers)))

const listOrganizations = (body: string) =>
  Effect.flatMap(Organizations.Organizations, (orgs) => orgs.list()).pipe(
    Effect.provide(answering([{ status: 200, body }]))
  )

/** The call's failure, asserting it is a failure (not a defect, not a success) with short printed forms. */
const typedFailure = <A>(effect: Effect.Effect<A, MakeError.MakeError>) =>
  Effect.gen(function*() {
    const exit = yield* Effect.exit(effect)
    if (Exit.isSuccess(exit)) return expect.fail("expected a failure, got a value")
    if (Cause.hasDies(exit.cause)) return expect.fail(`a defect: ${Cause.pretty(exit.cause).slice(0, 300)}`)
    const error = yield* Option.match(Cause.findErrorOption(exit.cause), {
      onNone: () => Effect.die(new Error("no failure in the cause")),
      onSome: Effect.succeed
    })
    for (const printed of [String(error), JSON.stringify(error), error.message, Cause.pretty(exit.cause)]) {
      expect(printed.length).toBeLessThan(8000)
    }
    return error
  })

const nested = (depth: number, leaf = "1") => "[".repeat(depth) + leaf + "]".repeat(depth)
const nestedObject = (depth: number) => "{\"a\":".repeat(depth) + "1" + "}".repeat(depth)

describe("hostile answers: never a defect", () => {
  for (const depth of [3_000, 100_000]) {
    it.effect(`a 2xx nested ${depth} deep is an UnexpectedResponse (the issue formatting overflowed the stack)`, () =>
      Effect.gen(function*() {
        for (
          const body of [nested(depth), `{"organization":${nested(depth)}}`, `{"organization":{"id":${nested(depth)}}}`]
        ) {
          const error = yield* typedFailure(getOrganization([{ status: 200, body }]))
          expect(error).toMatchObject({ _tag: "UnexpectedResponse", status: 200 })
          if (error._tag === "UnexpectedResponse") expect(error.excerpt.length).toBeLessThanOrEqual(301)
        }
      }))

    it.effect(`a 4xx/5xx nested ${depth} deep is its typed error with a short detail (fromResponse's String(u))`, () =>
      Effect.gen(function*() {
        for (const [status, tag] of [[400, "InvalidRequest"], [404, "NotFound"], [500, "ServerError"]] as const) {
          for (
            const body of [
              nested(depth),
              nestedObject(depth),
              `{"detail":"x","suberrors":[{"message":"m","v":${nested(depth)}}]}`
            ]
          ) {
            const error = yield* typedFailure(getOrganization([{ status, body }]))
            expect(error._tag).toBe(tag)
            if ("detail" in error && error.detail !== undefined) expect(error.detail.length).toBeLessThanOrEqual(1001)
          }
        }
      }))
  }

  it("fromResponse, fed a deep value directly, gives a short detail: the preview is iterative", () => {
    let deep: unknown = 1
    for (let i = 0; i < 100_000; i++) deep = [deep]
    const error = StatusMapper.fromResponse({ status: 502, body: deep })
    expect(error._tag).toBe("ServerError")
    expect(String(error).length).toBeLessThan(1000)
    expect(JSON.stringify(error).length).toBeLessThan(1000)
    expect(Cause.pretty(Cause.fail(error)).length).toBeLessThan(5000)
  })

  it("formatIssues is safe on a deep value and on a failure with 100,000 issues", () => {
    let deep: unknown = "x"
    for (let i = 0; i < 100_000; i++) deep = [deep]
    const deepLines = MakeError.formatIssues(parseErrorOf(Schema.Struct({ id: Schema.Number }), { id: deep }))
    expect(deepLines).toHaveLength(1)
    // Effect 4's formatter says "got" where Effect 3's said "actual"
    expect(deepLines[0]).toMatch(/^id: Expected number, got \[\[\[/)
    expect(deepLines[0]?.length).toBeLessThan(1000)
    const many = MakeError.formatIssues(
      parseErrorOf(Schema.Array(Schema.Number), Array.from({ length: 100_000 }, () => "x"), "all")
    )
    expect(many).toHaveLength(20)
  })

  it.effect("huge bodies: 4 MB of detail, 100,000 suberrors, a 4 MB string where a number belongs", () =>
    Effect.gen(function*() {
      const big = "x".repeat(4_000_000)
      const detail = yield* typedFailure(getOrganization([{ status: 403, body: JSON.stringify({ detail: big }) }]))
      expect(detail).toMatchObject({ _tag: "Forbidden" })
      if (detail._tag === "Forbidden") expect(detail.detail.length).toBeLessThanOrEqual(1001)
      const suberrors = Array.from({ length: 100_000 }, (_, i) => ({ message: `field ${i}`, extra: "y".repeat(20) }))
      const invalid = yield* typedFailure(
        getOrganization([{ status: 400, body: JSON.stringify({ detail: "Validation failed", suberrors }) }])
      )
      expect(invalid._tag).toBe("InvalidRequest")
      if (invalid._tag === "InvalidRequest") {
        expect(invalid.suberrors).toHaveLength(21)
        expect(invalid.suberrors[20]?.message).toBe("… and 99980 more")
        expect(JSON.stringify(invalid).length).toBeLessThan(20_000)
      }
      const decode = yield* typedFailure(
        getOrganization([{ status: 200, body: JSON.stringify({ organization: { id: big, name: "A" } }) }])
      )
      expect(decode._tag).toBe("UnexpectedResponse")
    }))

  it.effect("binary and non-UTF-8 bodies are typed errors", () =>
    Effect.gen(function*() {
      const bytes = Uint8Array.from({ length: 4096 }, (_, i) => (i * 131 + 7) % 256)
      const invalidUtf8 = Uint8Array.from([0x7b, 0x22, 0x64, 0xff, 0xfe, 0xc3, 0x28, 0x22, 0x7d])
      for (const body of [bytes, invalidUtf8]) {
        expect((yield* typedFailure(getOrganization([{ status: 200, body }])))._tag).toBe("UnexpectedResponse")
        expect((yield* typedFailure(getOrganization([{ status: 500, body }])))._tag).toBe("ServerError")
      }
    }))

  it.effect("statuses outside 100–599 from a custom HttpClient are UnexpectedResponse with that status", () =>
    Effect.gen(function*() {
      for (const status of [0, 1, 99, 600, 999, 1000, 70_000, -1, 2.5, Number.NaN]) {
        const error = yield* typedFailure(getOrganization([{ status, body: "{\"detail\":\"odd\"}" }]))
        expect(error._tag).toBe("UnexpectedResponse")
        if (error._tag === "UnexpectedResponse") expect(Object.is(error.status, status)).toBe(true)
      }
    }))
})

// ---------------------------------------------------------------------------
// Depth: a body nested past the limit is refused before any decoder reads it
// ---------------------------------------------------------------------------

/** The deepest nesting of arrays and objects in a JSON text (no brackets inside its strings here). */
const depthOfText = (text: string): number => {
  let depth = 0
  let deepest = 0
  for (const char of text) {
    if (char === "[" || char === "{") deepest = Math.max(deepest, ++depth)
    else if (char === "]" || char === "}") depth--
  }
  return deepest
}

/** An endpoint and a body for it with a value nested `depth` deep in one place. */
interface DeepCase {
  readonly name: string
  readonly call: (body: string) => Effect.Effect<unknown, MakeError.MakeError>
  readonly body: (inner: string) => string
  /** Whether the place takes any value (`Unknown`): a body within the limit then decodes. */
  readonly anyValue: boolean
}

const listVariables = (body: string) =>
  Effect.flatMap(OrganizationVariables.OrganizationVariables, (variables) => variables.list(11)).pipe(
    Effect.provide(answering([{ status: 200, body }]))
  )

const organization = (features: string) =>
  `{"organization":{"id":11,"name":"Acme","license":{"apps":["T2"]},"features":{"deep":${features}}}}`

// The Effect 3 line's cases, and (from the Organizations-only port) a listed organization's name.
const deepCases: ReadonlyArray<DeepCase> = [
  {
    name: "OrganizationVariables.list, typeId",
    call: listVariables,
    body: (inner) => `{"organizationVariables":[{"name":"x","typeId":${inner},"value":1}]}`,
    anyValue: false
  },
  {
    name: "OrganizationVariables.history, newValue",
    call: (body) =>
      Effect.flatMap(OrganizationVariables.OrganizationVariables, (variables) => variables.history(11, "x")).pipe(
        Effect.provide(answering([{ status: 200, body }]))
      ),
    body: (inner) => `{"history":[{"id":1,"newValue":${inner},"timestamp":"2026-01-01T00:00:00Z"}]}`,
    anyValue: true
  },
  {
    name: "Organizations.get, features",
    call: (body) => getOrganization([{ status: 200, body }]),
    body: organization,
    anyValue: true
  },
  {
    name: "Organizations.get, id",
    call: (body) => getOrganization([{ status: 200, body }]),
    body: (inner) => `{"organization":{"id":${inner},"name":"Acme"}}`,
    anyValue: false
  },
  {
    name: "AdminTeams.list, a team's name",
    call: (body) =>
      Effect.flatMap(AdminTeams.AdminTeams, (teams) => teams.list(11)).pipe(
        Effect.provide(answering([{ status: 200, body }]))
      ),
    body: (inner) => `{"teams":[{"id":1,"name":${inner},"organizationId":11}],"pg":{"offset":0,"limit":10}}`,
    anyValue: false
  },
  {
    name: "Organizations.list, an organization's name",
    call: listOrganizations,
    body: (inner) => `{"organizations":[{"id":1,"name":${inner}}],"pg":{"offset":0,"limit":10}}`,
    anyValue: false
  }
]

/**
 * The levels tried: every one around the limit, and a spread up to 20,000. The Effect 3 line drew them with
 * fast-check, which the Effect 4 line does not have; a fixed list is the same range, every run.
 */
const levelsTried: ReadonlyArray<number> = [
  ...Array.from({ length: 17 }, (_, i) => maxDepth - 8 + i),
  1,
  2,
  7,
  64,
  500,
  4_000,
  20_000
]

describe("hostile answers: depth", () => {
  it.effect("OrganizationVariables.list answered a typeId nested 4,000 deep: UnexpectedResponse (was a RangeError)", () =>
    Effect.gen(function*() {
      const body = `{"organizationVariables":[{"name":"x","typeId":${nested(4_000)},"value":1}]}`
      const error = yield* typedFailure(listVariables(body))
      expect(error).toMatchObject({ _tag: "UnexpectedResponse", status: 200 })
      expect(error.message).toContain(`more than ${maxDepth} levels deep`)
    }))

  // The same place (a typed field of the answer) through Organizations.get, kept from the Organizations-only port.
  it.effect("Organizations.get answered an id nested 4,000 deep: UnexpectedResponse (was a RangeError)", () =>
    Effect.gen(function*() {
      const body = `{"organization":{"id":${nested(4_000)},"name":"Acme"}}`
      const error = yield* typedFailure(getOrganization([{ status: 200, body }]))
      expect(error).toMatchObject({ _tag: "UnexpectedResponse", status: 200 })
      expect(error.message).toContain(`more than ${maxDepth} levels deep`)
    }))

  for (const c of deepCases) {
    it.effect(
      `${c.name}: nested up to ${maxDepth} deep is read, one level more is UnexpectedResponse naming the limit`,
      () =>
        Effect.gen(function*() {
          for (const levels of levelsTried) {
            const body = c.body(nested(levels))
            const tooDeep = depthOfText(body) > maxDepth
            const exit = yield* Effect.exit(c.call(body))
            if (Exit.isSuccess(exit)) {
              expect([levels, tooDeep || !c.anyValue]).toEqual([levels, false])
              continue
            }
            const error = yield* typedFailure(exit)
            expect([levels, error._tag]).toEqual([levels, "UnexpectedResponse"])
            expect([levels, error.message.includes(`more than ${maxDepth} levels deep`)]).toEqual([levels, tooDeep])
            // within the limit, a place that takes any value decodes; a typed place is a schema failure
            expect([levels, tooDeep || !c.anyValue]).toEqual([levels, true])
          }
        })
    )
  }
})

describe("hostile requests: the emulator answers a deep body 400", () => {
  it.effect("a JSON body nested 4,000 or 100,000 deep is 400, not a 500 from a stack overflow", () =>
    Effect.gen(function*() {
      const client = (yield* HttpClient.HttpClient).pipe(
        HttpClient.mapRequest(HttpClientRequest.prependUrl(Emulator.baseUrl)),
        HttpClient.mapRequest(
          HttpClientRequest.setHeader("Authorization", `Token ${Redacted.value(Emulator.defaultToken)}`)
        )
      )
      for (
        const [method, path, body] of [
          ["POST", "/organizations/11/variables", `{"name":"x","typeId":${nested(4_000)},"value":1}`],
          ["PATCH", "/organizations/11/variables/x", `{"typeId":${nested(4_000)},"value":1}`],
          ["POST", "/organizations", `{"name":${nested(4_000)},"regionId":1,"timezoneId":113,"countryId":1}`],
          ["PATCH", "/admin/teams/21", `{"name":${nested(100_000)}}`]
        ] as const
      ) {
        const response = yield* client.execute(
          HttpClientRequest.make(method)(path).pipe(HttpClientRequest.bodyText(body, "application/json"))
        )
        expect([method, path, response.status]).toEqual([method, path, 400])
      }
    }).pipe(Effect.provide(Emulator.layerTest())))
})

const parseErrorOf = <A>(schema: Schema.Codec<A, unknown>, value: unknown, errors: "first" | "all" = "first") =>
  Result.match(Schema.decodeUnknownResult(schema, { errors, reportInput: true })(value), {
    onFailure: (error) => error,
    onSuccess: () => expect.fail("expected a schema failure")
  })

describe("hostile answers: Retry-After", () => {
  const now = Date.parse("2026-11-24T12:00:00Z")

  it("10^12 seconds, a date in the year 9999 or a megabyte of digits is read as the 1 h maximum", () => {
    expect(Retry.parseRetryAfter("1000000000000", now)).toBe(Retry.maxRetryAfterMillis)
    expect(Retry.parseRetryAfter("Fri, 31 Dec 9999 23:59:59 GMT", now)).toBe(3_600_000)
    expect(Retry.parseRetryAfter("9".repeat(60), now)).toBe(3_600_000)
    expect(Retry.parseRetryAfter("Sunday, 29-Nov-26 12:00:00 GMT", now)).toBe(3_600_000)
    expect(Retry.parseRetryAfter("Tue Nov 24 12:00:07 2026", now)).toBe(7000)
  })

  it("negative, fractional or garbage values are absent (Date.parse read \"-5\" and \"Retry 2\" as dates)", () => {
    for (const header of ["-5", "-1", "5.5", "1e3", "0x10", "Retry 2", "soon", "", "  ", "9".repeat(1_000_000)]) {
      expect(Retry.parseRetryAfter(header, now)).toBeUndefined()
    }
    expect(Retry.parseRetryAfter("Mon, 01 Jan 1990 00:00:00 GMT", now)).toBe(0)
  })

  it.effect("a 429 asking for 10^12 seconds fails at once with RateLimited and a 1 h retryAfter", () =>
    Effect.gen(function*() {
      const error = yield* typedFailure(
        Effect.flatMap(Organizations.Organizations, (orgs) => orgs.get(11)).pipe(
          Effect.provide(answering([
            { status: 429, body: "{\"detail\":\"slow\"}", headers: { "retry-after": "1000000000000" } }
          ], {}))
        )
      )
      expect(error).toMatchObject({ _tag: "RateLimited", attempts: 1, retryAfterMillis: 3_600_000 })
    }))

  it.effect("with a maxDelay over an hour, a 10^12 Retry-After waits the hour, not for ever", () =>
    Effect.gen(function*() {
      const ok = { status: 200, body: JSON.stringify({ organization: { id: 11, name: "Acme" } }) }
      const fiber = yield* Effect.forkChild(
        Effect.flatMap(Organizations.Organizations, (orgs) => orgs.get(11)).pipe(
          Effect.provide(answering([
            { status: 429, body: "{\"detail\":\"slow\"}", headers: { "retry-after": "1000000000000" } },
            ok
          ], { maxDelay: "2 hours", jitter: 0 }))
        )
      )
      yield* TestClock.adjust("1 hour")
      const exit = fiber.pollUnsafe()
      expect(exit !== undefined && Exit.isSuccess(exit)).toBe(true)
    }))
})

describe("hostile tokens: refused when the layer is built", () => {
  const controls = ["\u0000", "\u0007", "\t", "\r", "\n", "\r\n", "\u001f", "\u007f", "\u0080", "\u0085", "\u009b"]
  it.effect("a token with a control character (C0, DEL, C1) is InvalidInput naming it, never echoing the token", () =>
    Effect.gen(function*() {
      for (const control of controls) {
        const token = `${secret.slice(0, 8)}${control}${secret.slice(8)}`
        const error = yield* Effect.flip(MakeConfig.make({ token: Redacted.make(token), zone: "eu1.make.com" }))
        expect(error).toMatchObject({ _tag: "InvalidInput", operation: "MakeConfig" })
        expect(error.message).toMatch(
          /token contains (a control character \(U\+00[0-9A-F]{2} at position 9\)|whitespace)/
        )
        for (const printed of [error.message, String(error), JSON.stringify(error)]) {
          expect(printed).not.toContain(secret.slice(0, 8))
          expect(printed).not.toContain(secret.slice(8))
        }
      }
    }))

  it.effect("an empty or blank token is InvalidInput, and so is one with a space, when MakeApi.layer is built", () =>
    Effect.gen(function*() {
      for (const token of ["", " ", "\u00a0\u00a0", `${secret} x`]) {
        const exit = yield* Effect.exit(
          Layer.build(
            MakeApi.layer({ token: Redacted.make(token), zone: "eu1.make.com" }).pipe(
              Layer.provide(Layer.succeed(HttpClient.HttpClient, HttpClient.make(() => Effect.die("never sent"))))
            )
          ).pipe(Effect.scoped)
        )
        expect(Exit.isFailure(exit) && Cause.findErrorOption(exit.cause).pipe(Option.map((e) => e._tag))).toEqual(
          Option.some("InvalidInput")
        )
      }
    }))
})
