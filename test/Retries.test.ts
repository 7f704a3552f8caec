// Retries and the client-side rate limit, over a scripted HttpClient and TestClock: which method x status is
// retried, when (backoff, Retry-After), how often (budget), with which error after it; interruption; permits.
// Ported from the Effect 3 line; imports `effect`, src/ and ./support.
import { describe, expect, it } from "@effect/vitest"
import { Effect, Fiber, Layer, Redacted, Ref, Result } from "effect"
import { HttpClient } from "effect/http"
import { TestClock } from "effect/testing"
import * as AdminTeams from "../src/AdminTeams.js"
import * as MakeApi from "../src/MakeApi.js"
import * as Organizations from "../src/Organizations.js"
import { run, scripted, type Sent } from "./support/client.js"

const organization = { organization: { id: 11, name: "Acme" } }
const created = { organization: { id: 30, name: "New" } }

/** Runs `effect` in the background and moves the TestClock far enough for every retry to happen. */
const settle = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.gen(function*() {
    const fiber = yield* Effect.forkChild(Effect.result(effect))
    yield* TestClock.adjust("10 minutes")
    return yield* Fiber.join(fiber)
  })

const gaps = (all: ReadonlyArray<Sent>) => all.slice(1).map((s, i) => s.at - (all[i]?.at ?? 0))

describe("retries", () => {
  for (const status of [429, 502, 503, 504]) {
    it.effect(`GET is retried after ${status} and then succeeds`, () =>
      run([{ status }, { status: 200, body: organization }], (sent) =>
        Effect.gen(function*() {
          const orgs = yield* Organizations.Organizations
          const result = yield* settle(orgs.get(11))
          expect(result._tag).toBe("Success")
          expect((yield* Ref.get(sent)).length).toBe(2)
        })))
  }

  it.effect("PATCH and DELETE are retried after 503", () =>
    run([{ status: 503 }, { status: 200, body: organization }, { status: 503 }, {
      status: 200,
      body: { organization: 11 }
    }], (sent) =>
      Effect.gen(function*() {
        const orgs = yield* Organizations.Organizations
        expect((yield* settle(orgs.update(11, { name: "Acme" })))._tag).toBe("Success")
        expect((yield* settle(orgs.delete(11, { confirmed: true })))._tag).toBe("Success")
        expect((yield* Ref.get(sent)).map((s) => s.method)).toEqual(["PATCH", "PATCH", "DELETE", "DELETE"])
      })))

  it.effect("500 is not retried: it is a bug, not a passing fault", () =>
    run([{ status: 500 }, { status: 200, body: organization }], (sent) =>
      Effect.gen(function*() {
        const orgs = yield* Organizations.Organizations
        const result = yield* settle(orgs.get(11))
        expect(result._tag === "Failure" && result.failure).toMatchObject({
          _tag: "ServerError",
          status: 500,
          attempts: 1
        })
        expect((yield* Ref.get(sent)).length).toBe(1)
      })))

  it.effect("the waits grow exponentially, jittered within ±20 % (0.5 s, 1 s, 2 s)", () =>
    run([{ status: 503 }], (sent) =>
      Effect.gen(function*() {
        const orgs = yield* Organizations.Organizations
        const result = yield* settle(orgs.get(11))
        expect(result._tag === "Failure" && result.failure).toMatchObject({
          _tag: "ServerError",
          status: 503,
          attempts: 4
        })
        const waits = gaps(yield* Ref.get(sent))
        expect(waits).toHaveLength(3)
        ;[500, 1000, 2000].forEach((base, i) => {
          expect(waits[i]).toBeGreaterThanOrEqual(base * 0.8)
          expect(waits[i]).toBeLessThanOrEqual(base * 1.2)
        })
      })))

  it.effect("Retry-After in seconds is honoured", () =>
    run(
      [{ status: 429, headers: { "retry-after": "7" } }, { status: 200, body: organization }],
      (sent) =>
        Effect.gen(function*() {
          const orgs = yield* Organizations.Organizations
          expect((yield* settle(orgs.get(11)))._tag).toBe("Success")
          expect(gaps(yield* Ref.get(sent))).toEqual([7000])
        })
    ))

  it.effect("Retry-After as an HTTP date is honoured", () =>
    run([{ status: 503, headers: { "retry-after": new Date(12_000).toUTCString() } }, {
      status: 200,
      body: organization
    }], (sent) =>
      Effect.gen(function*() {
        const orgs = yield* Organizations.Organizations
        expect((yield* settle(orgs.get(11)))._tag).toBe("Success")
        expect(gaps(yield* Ref.get(sent))).toEqual([12_000])
      })))

  it.effect("a Retry-After beyond maxDelay is not waited for: RateLimited at once, with retryAfter", () =>
    run(
      [{ status: 429, headers: { "retry-after": "120" } }, { status: 200, body: organization }],
      (sent) =>
        Effect.gen(function*() {
          const orgs = yield* Organizations.Organizations
          const result = yield* settle(orgs.get(11))
          expect(result._tag === "Failure" && result.failure).toMatchObject({
            _tag: "RateLimited",
            retryAfterMillis: 120_000,
            attempts: 1
          })
          expect((yield* Ref.get(sent)).length).toBe(1)
        })
    ))

  it.effect("after the budget: RateLimited with the attempt count and Make's Retry-After", () =>
    run([{ status: 429, headers: { "retry-after": "1" } }], (sent) =>
      Effect.gen(function*() {
        const orgs = yield* Organizations.Organizations
        const result = yield* settle(orgs.get(11))
        expect(result._tag === "Failure" && result.failure).toMatchObject({
          _tag: "RateLimited",
          attempts: 3,
          retryAfterMillis: 1000
        })
        expect((yield* Ref.get(sent)).length).toBe(3)
      }), { retry: { maxAttempts: 3 } }))

  it.effect("after the budget: TransportError with the attempt count", () =>
    run(["reset"], (sent) =>
      Effect.gen(function*() {
        const orgs = yield* Organizations.Organizations
        const result = yield* settle(orgs.get(11))
        expect(result._tag === "Failure" && result.failure).toMatchObject({
          _tag: "TransportError",
          reason: "Connection",
          attempts: 4
        })
        expect((yield* Ref.get(sent)).length).toBe(4)
      })))

  it.effect("POST is not retried after a 5xx or a reset: Make may have processed it", () =>
    run([{ status: 503 }, "reset", { status: 200, body: created }], (sent) =>
      Effect.gen(function*() {
        const orgs = yield* Organizations.Organizations
        const body = { name: "New", regionId: 1, timezoneId: 113, countryId: 1 }
        const first = yield* settle(orgs.create(body))
        expect(first._tag === "Failure" && first.failure).toMatchObject({ _tag: "ServerError", attempts: 1 })
        const second = yield* settle(orgs.create(body))
        expect(second._tag === "Failure" && second.failure).toMatchObject({ _tag: "TransportError", attempts: 1 })
        expect((yield* Ref.get(sent)).length).toBe(2)
      })))

  it.effect("POST is retried after 429 and after a refused connection: Make provably did nothing", () =>
    run(
      [{ status: 429, headers: { "retry-after": "2" } }, "refused", { status: 200, body: created }],
      (sent) =>
        Effect.gen(function*() {
          const orgs = yield* Organizations.Organizations
          const result = yield* settle(orgs.create({ name: "New", regionId: 1, timezoneId: 113, countryId: 1 }))
          expect(result._tag).toBe("Success")
          expect((yield* Ref.get(sent)).map((s) => s.method)).toEqual(["POST", "POST", "POST"])
        })
    ))

  it.effect("retry: \"off\" sends once", () =>
    run([{ status: 503 }, { status: 200, body: organization }], (sent) =>
      Effect.gen(function*() {
        const orgs = yield* Organizations.Organizations
        const result = yield* settle(orgs.get(11))
        expect(result._tag === "Failure" && result.failure).toMatchObject({ _tag: "ServerError", attempts: 1 })
        expect((yield* Ref.get(sent)).length).toBe(1)
      }), { retry: "off" }))

  it.effect("a timeout is a TransportError and, for a GET, is retried", () =>
    run(["hang", { status: 200, body: organization }], (sent) =>
      Effect.gen(function*() {
        const orgs = yield* Organizations.Organizations
        expect((yield* settle(orgs.get(11)))._tag).toBe("Success")
        const all = yield* Ref.get(sent)
        expect(all.length).toBe(2)
        expect(all[0]?.aborted()).toBe(true)
      }), { timeout: "5 seconds" }))

  it.effect("interrupting a call aborts the request and never retries it", () =>
    run(["hang", { status: 200, body: organization }], (sent) =>
      Effect.gen(function*() {
        const orgs = yield* Organizations.Organizations
        const fiber = yield* Effect.forkChild(orgs.get(11))
        yield* TestClock.adjust("1 second")
        yield* Fiber.interrupt(fiber)
        yield* TestClock.adjust("10 minutes")
        const all = yield* Ref.get(sent)
        expect(all.length).toBe(1)
        expect(all[0]?.aborted()).toBe(true)
      })))
})

describe("client-side rate limit", () => {
  it.effect("off by default: a burst goes out at once", () =>
    run([{ status: 200, body: organization }], (sent) =>
      Effect.gen(function*() {
        const orgs = yield* Organizations.Organizations
        yield* Effect.all(Array.from({ length: 5 }, () => orgs.get(11)), { concurrency: "unbounded" })
        expect((yield* Ref.get(sent)).map((s) => s.at)).toEqual([0, 0, 0, 0, 0])
      })))

  it.effect("requestsPerMinute spreads one organization's requests, shared by every service", () =>
    run([{ status: 200, body: organization }], (sent) =>
      Effect.gen(function*() {
        const orgs = yield* Organizations.Organizations
        const teams = yield* AdminTeams.AdminTeams
        const fiber = yield* Effect.forkChild(Effect.all([
          orgs.get(11),
          orgs.get(11),
          // the answer is no page of teams: only when it is sent matters
          Effect.result(teams.list(11)),
          orgs.get(12)
        ], { concurrency: "unbounded" }))
        yield* TestClock.adjust("2 minutes")
        yield* Fiber.join(fiber)
        const all = yield* Ref.get(sent)
        const times = (id: string) => all.filter((s) => s.url.includes(id)).map((s) => s.at).sort((a, b) => a - b)
        // 2 per minute for organization 11 (its path or its organizationId query), organization 12 apart
        expect(times("11")).toEqual([0, 0, 60_000])
        expect(times("organizations/12")).toEqual([0])
      }), { rateLimit: { requestsPerMinute: 2 } }))

  // From the Organizations-only port: the same key reached through another method's path (`apps(11)`).
  it.effect("requestsPerMinute spreads one organization's requests, shared by every method", () =>
    run([{ status: 200, body: organization }], (sent) =>
      Effect.gen(function*() {
        const orgs = yield* Organizations.Organizations
        const fiber = yield* Effect.forkChild(Effect.all([
          orgs.get(11),
          orgs.get(11),
          Effect.result(orgs.apps(11)),
          orgs.get(12)
        ], { concurrency: "unbounded" }))
        yield* TestClock.adjust("2 minutes")
        yield* Fiber.join(fiber)
        const all = yield* Ref.get(sent)
        const times = (id: string) => all.filter((s) => s.url.includes(id)).map((s) => s.at).sort((a, b) => a - b)
        // 2 per minute for organization 11, organization 12 apart
        expect(times("organizations/11")).toEqual([0, 0, 60_000])
        expect(times("organizations/12")).toEqual([0])
      }), { rateLimit: { requestsPerMinute: 2 } }))

  it.effect("the wait for a permit is not part of an attempt's timeout: a queued call is sent, not timed out", () =>
    run([{ status: 200, body: organization }], (sent) =>
      Effect.gen(function*() {
        const orgs = yield* Organizations.Organizations
        const fiber = yield* Effect.forkChild(Effect.all([orgs.get(11), orgs.get(11)], { concurrency: "unbounded" }))
        yield* TestClock.adjust("1 minute")
        yield* Fiber.join(fiber)
        expect((yield* Ref.get(sent)).map((s) => s.at)).toEqual([0, 60_000])
      }), { rateLimit: { requestsPerMinute: 1 }, timeout: "1 second" }))

  it.effect("a retry waits for a permit too: each attempt counts against the limit", () =>
    run([{ status: 503 }, { status: 200, body: organization }], (sent) =>
      Effect.gen(function*() {
        const orgs = yield* Organizations.Organizations
        const fiber = yield* Effect.forkChild(orgs.get(11))
        yield* TestClock.adjust("1 minute")
        yield* Fiber.join(fiber)
        expect((yield* Ref.get(sent)).map((s) => s.at)).toEqual([0, 60_000])
      }), { rateLimit: { requestsPerMinute: 1 } }))

  it.effect("a bad rateLimit or retry option fails the layer build with InvalidInput", () =>
    Effect.gen(function*() {
      for (
        const options of [{ rateLimit: { requestsPerMinute: 0 } }, { retry: { maxAttempts: 0 } }, {
          retry: { jitter: 2 }
        }]
      ) {
        const exit = yield* Effect.exit(
          Layer.build(MakeApi.layer({ token: Redacted.make("t"), zone: "eu1.make.com", ...options })).pipe(
            Effect.provide(Layer.succeed(HttpClient.HttpClient)(scripted(Ref.makeUnsafe<ReadonlyArray<Sent>>([]), []))),
            Effect.scoped
          )
        )
        expect(String(exit)).toContain("InvalidInput")
      }
    }))
})

// ---------------------------------------------------------------------------
// Answers that cannot be read: a body cut off, a body past the cap
// ---------------------------------------------------------------------------

/** An organization's answer cut off on the way, its `Content-Length` matching what arrived: not JSON at all. */
const cutOff = "{\"organization\":{\"id\":11,\"name\":\"Ac"
const cutOffAnswer = {
  status: 200,
  raw: cutOff,
  headers: { "content-length": String(new TextEncoder().encode(cutOff).length) }
} as const
/** A 503 whose body is past a 64-byte cap, declared or streamed. */
const overCap = (declared: boolean) => ({
  status: 503,
  raw: JSON.stringify({ detail: "x".repeat(200), message: "Service Unavailable", code: "SC503" }),
  headers: declared ? { "content-length": "248" } : {}
})
/** No jitter: the retries are sent at exact times (0.5 s, 1 s, 2 s apart). */
const exact = { retry: { jitter: 0 } } as const

const seen = (all: ReadonlyArray<Sent>) => all.map((s) => `${s.method} ${new URL(s.url).pathname} @${s.at}`)

describe("retries: answers that cannot be read", () => {
  it.effect("GET cut off (not JSON, Content-Length as received) is sent again, then succeeds", () =>
    run([cutOffAnswer, { status: 200, body: organization }], (sent) =>
      Effect.gen(function*() {
        const orgs = yield* Organizations.Organizations
        const result = yield* settle(orgs.get(11))
        expect(result).toEqual(Result.succeed({ id: 11, name: "Acme" }))
        expect(seen(yield* Ref.get(sent))).toEqual([
          "GET /api/v2/organizations/11 @0",
          "GET /api/v2/organizations/11 @500"
        ])
      }), exact))

  // Effect 3's platform said "Could not parse JSON"; the Effect 4 line's decoder says "the body is not JSON".
  it.effect("GET cut off every time: UnexpectedResponse (the body is not JSON) once the budget is spent", () =>
    run([cutOffAnswer], (sent) =>
      Effect.gen(function*() {
        const orgs = yield* Organizations.Organizations
        const result = yield* settle(orgs.get(11))
        expect(result._tag === "Failure" && result.failure).toMatchObject({ _tag: "UnexpectedResponse", status: 200 })
        expect(result._tag === "Failure" && result.failure.message).toContain("the body is not JSON")
        expect(seen(yield* Ref.get(sent))).toEqual([
          "GET /api/v2/organizations/11 @0",
          "GET /api/v2/organizations/11 @500",
          "GET /api/v2/organizations/11 @1500",
          "GET /api/v2/organizations/11 @3500"
        ])
      }), exact))

  it.effect("GET answered JSON that does not match: UnexpectedResponse at once, never sent again", () =>
    run(
      [{ status: 200, body: { organization: { id: "eleven" } } }, { status: 200, body: organization }],
      (sent) =>
        Effect.gen(function*() {
          const orgs = yield* Organizations.Organizations
          const result = yield* settle(orgs.get(11))
          expect(result._tag === "Failure" && result.failure).toMatchObject({ _tag: "UnexpectedResponse", status: 200 })
          expect(seen(yield* Ref.get(sent))).toEqual(["GET /api/v2/organizations/11 @0"])
        }),
      exact
    ))

  it.effect("GET answered a page declared as HTML: an answer, not a cut-off one; UnexpectedResponse at once", () =>
    run(
      [{ status: 200, raw: "<html>maintenance</html>", headers: { "content-type": "text/html" } }],
      (sent) =>
        Effect.gen(function*() {
          const orgs = yield* Organizations.Organizations
          const result = yield* settle(orgs.get(11))
          expect(result._tag === "Failure" && result.failure).toMatchObject({ _tag: "UnexpectedResponse", status: 200 })
          expect(seen(yield* Ref.get(sent))).toEqual(["GET /api/v2/organizations/11 @0"])
        }),
      exact
    ))

  it.effect("PATCH and POST cut off: Make has acted, so UnexpectedResponse at once; DELETE reads no body", () =>
    run([cutOffAnswer], (sent) =>
      Effect.gen(function*() {
        const orgs = yield* Organizations.Organizations
        const updated = yield* settle(orgs.update(11, { name: "Acme" }))
        expect(updated._tag === "Failure" && updated.failure).toMatchObject({ _tag: "UnexpectedResponse", status: 200 })
        const created = yield* settle(orgs.create({ name: "New", regionId: 1, timezoneId: 113, countryId: 1 }))
        expect(created._tag === "Failure" && created.failure).toMatchObject({ _tag: "UnexpectedResponse", status: 200 })
        expect(yield* settle(orgs.delete(11, { confirmed: true }))).toEqual(Result.succeed(undefined))
        // each call sent once, when it was made (each `settle` moves the clock on by 10 minutes)
        expect(seen(yield* Ref.get(sent))).toEqual([
          "PATCH /api/v2/organizations/11 @0",
          "POST /api/v2/organizations @600000",
          "DELETE /api/v2/organizations/11 @1200000"
        ])
      }), exact))

  for (const declared of [true, false]) {
    const how = declared ? "declared" : "streamed"
    it.effect(`GET answered 503 with a body past the cap (${how}): retried, then ServerError 503`, () =>
      run([overCap(declared)], (sent) =>
        Effect.gen(function*() {
          const orgs = yield* Organizations.Organizations
          const result = yield* settle(orgs.get(11))
          expect(result._tag === "Failure" && result.failure).toMatchObject({
            _tag: "ServerError",
            status: 503,
            attempts: 4
          })
          expect(result._tag === "Failure" && result.failure.message).toContain("maxResponseBytes")
          expect(seen(yield* Ref.get(sent))).toEqual([
            "GET /api/v2/organizations/11 @0",
            "GET /api/v2/organizations/11 @500",
            "GET /api/v2/organizations/11 @1500",
            "GET /api/v2/organizations/11 @3500"
          ])
        }), { ...exact, maxResponseBytes: 64 }))
  }

  it.effect("a body past the cap: POST 503 is a ServerError sent once; a 200 stays UnexpectedResponse", () =>
    run([overCap(true), { ...overCap(true), status: 200 }], (sent) =>
      Effect.gen(function*() {
        const orgs = yield* Organizations.Organizations
        const created = yield* settle(orgs.create({ name: "New", regionId: 1, timezoneId: 113, countryId: 1 }))
        expect(created._tag === "Failure" && created.failure).toMatchObject({
          _tag: "ServerError",
          status: 503,
          attempts: 1
        })
        const read = yield* settle(orgs.get(11))
        expect(read._tag === "Failure" && read.failure).toMatchObject({ _tag: "UnexpectedResponse", status: 200 })
        // each call sent once, when it was made (each `settle` moves the clock on by 10 minutes)
        expect(seen(yield* Ref.get(sent))).toEqual([
          "POST /api/v2/organizations @0",
          "GET /api/v2/organizations/11 @600000"
        ])
      }), { ...exact, maxResponseBytes: 64 }))
})
