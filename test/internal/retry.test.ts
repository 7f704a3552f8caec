// The retry decisions, as pure functions: which statuses and methods are sent again, which cut-off bodies, when a
// transport failure proves the request never left, the jittered exponential wait, and how Retry-After is read.
import { describe, expect, it } from "@effect/vitest"
import { Duration, Option, Schema } from "effect"
import { HttpClientError, HttpClientRequest } from "effect/http"
import * as Retry from "../../src/internal/retry.js"
import { defaultRetry } from "../../src/MakeConfig.js"

const methods = ["GET", "HEAD", "PATCH", "PUT", "DELETE", "POST"] as const
const between = (minimum: number, maximum: number) => Schema.Int.check(Schema.isBetween({ minimum, maximum }))

describe("statuses and methods", () => {
  it.prop(
    "429, 502, 503, 504 are retried for every method but POST, which is retried on 429 only; nothing else is",
    [Schema.Literals(methods), between(100, 599)],
    ([method, status]) => {
      const transient = [429, 502, 503, 504].includes(status)
      expect(Retry.isRetryableStatus(method, status)).toBe(transient && (method !== "POST" || status === 429))
    },
    { arbitrary: { runs: 500 } }
  )

  it("500 is not retried: it is a bug, not a passing fault; POST after 503 is not (Make may have acted)", () => {
    expect(Retry.isRetryableStatus("GET", 500)).toBe(false)
    expect(Retry.isRetryableStatus("POST", 503)).toBe(false)
    expect(Retry.isRetryableStatus("POST", 429)).toBe(true)
    expect(Retry.isRetryableStatus("PATCH", 503)).toBe(true)
    expect(Retry.isRetryableStatus("DELETE", 503)).toBe(true)
  })

  it("a 2xx body cut off on the way is sent for again only by a method that changes nothing", () => {
    expect(methods.filter(Retry.isRetryableUnreadableBody)).toEqual(["GET", "HEAD"])
  })

  it("Content-Type: JSON, problem+json, any +json, with parameters, or none; nothing else", () => {
    const json = [undefined, "", "application/json", "Application/JSON; charset=utf-8", "application/problem+json"]
    for (const type of json) {
      expect(Retry.isDeclaredJson(type)).toBe(true)
    }
    for (const type of ["text/html", "text/plain; charset=utf-8", "application/xml", "application/json-seq"]) {
      expect(Retry.isDeclaredJson(type)).toBe(false)
    }
  })
})

describe("transport failures", () => {
  const request = HttpClientRequest.post("https://eu1.make.com/api/v2/organizations")
  const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:443"), { code: "ECONNREFUSED" })
  const reset = Object.assign(new Error("socket hang up"), { code: "ECONNRESET" })
  const transport = (cause: unknown) =>
    new HttpClientError.HttpClientError({ reason: new HttpClientError.TransportError({ request, cause }) })

  it("ECONNREFUSED anywhere in the cause chain (at most 8 deep) is a refused connection", () => {
    expect(Retry.isConnectionRefused(refused)).toBe(true)
    const wrapped = new Error("fetch failed", { cause: new Error("x", { cause: refused }) })
    expect(Retry.isConnectionRefused(wrapped)).toBe(true)
    expect(Retry.isConnectionRefused(reset)).toBe(false)
    expect(Retry.isConnectionRefused(undefined)).toBe(false)
    let deep: unknown = refused
    for (let i = 0; i < 8; i++) deep = { cause: deep }
    expect(Retry.isConnectionRefused(deep)).toBe(false)
  })

  it("idempotent methods are sent again after any transport failure; a POST only after a refused connection", () => {
    for (const method of ["GET", "PATCH", "DELETE"]) {
      expect(Retry.isRetryableTransport(method, transport(reset))).toBe(true)
      expect(Retry.isRetryableTransport(method, { _tag: "TransportError" })).toBe(true)
    }
    expect(Retry.isRetryableTransport("POST", transport(new Error("fetch failed", { cause: refused })))).toBe(true)
    expect(Retry.isRetryableTransport("POST", transport(reset))).toBe(false)
    expect(Retry.isRetryableTransport("POST", { _tag: "TransportError" })).toBe(false)
    // a failure to encode the body is no proof the request never reached Make, whatever its cause says
    const encode = new HttpClientError.HttpClientError({
      reason: new HttpClientError.EncodeError({ request, cause: refused })
    })
    expect(Retry.isRetryableTransport("POST", encode)).toBe(false)
  })
})

describe("the wait before the next attempt", () => {
  const millis = (delay: Option.Option<Duration.Duration>) => Option.map(delay, Duration.toMillis)

  it("exponential from the base delay, jittered within ±20 %: 0.5 s, 1 s, 2 s at the middle of the jitter", () => {
    expect([1, 2, 3].map((attempt) => millis(Retry.nextDelay(defaultRetry, attempt, 0.5, undefined)))).toEqual(
      [Option.some(500), Option.some(1000), Option.some(2000)]
    )
    expect(millis(Retry.nextDelay(defaultRetry, 1, 0, undefined))).toEqual(Option.some(400))
    expect(millis(Retry.nextDelay(defaultRetry, 1, 0.999_999, undefined))).toEqual(Option.some(600))
  })

  it.prop(
    "within the jitter of the exponential, at least Retry-After, at most maxDelay; none past maxDelay",
    [
      between(1, 12),
      Schema.Finite.check(Schema.isBetween({ minimum: 0, maximum: 0.999_999 })),
      Schema.UndefinedOr(between(0, 60_000))
    ],
    ([attempt, random, retryAfter]) => {
      const delay = millis(Retry.nextDelay(defaultRetry, attempt, random, retryAfter))
      if (retryAfter !== undefined && retryAfter > 30_000) {
        expect(delay).toEqual(Option.none())
        return
      }
      const wait = Option.getOrThrow(delay)
      const exponential = 500 * 2 ** (attempt - 1)
      expect(wait).toBeLessThanOrEqual(30_000)
      expect(wait).toBeGreaterThanOrEqual(Math.min(30_000, Math.max(retryAfter ?? 0, Math.floor(exponential * 0.8))))
      expect(wait).toBeLessThanOrEqual(Math.max(retryAfter ?? 0, Math.ceil(exponential * 1.2)))
    },
    { arbitrary: { runs: 500 } }
  )

  it("a Retry-After of 7 s is waited for; one of 120 s, past maxDelay, is not waited for at all", () => {
    expect(millis(Retry.nextDelay(defaultRetry, 1, 0.5, 7_000))).toEqual(Option.some(7_000))
    expect(millis(Retry.nextDelay(defaultRetry, 1, 0.5, 120_000))).toEqual(Option.none())
  })
})

describe("Retry-After", () => {
  const now = 1_000

  it("delay-seconds, and the three HTTP-date forms (a date in the past is 0)", () => {
    expect(Retry.parseRetryAfter("7", now)).toBe(7_000)
    expect(Retry.parseRetryAfter(" 2 ", now)).toBe(2_000)
    expect(Retry.parseRetryAfter(new Date(12_000).toUTCString(), now)).toBe(11_000)
    expect(Retry.parseRetryAfter("Thursday, 01-Jan-70 00:00:12 GMT", now)).toBe(11_000)
    expect(Retry.parseRetryAfter("Thu Jan  1 00:00:12 1970", now)).toBe(11_000)
    expect(Retry.parseRetryAfter(new Date(0).toUTCString(), 5_000)).toBe(0)
  })

  it.prop(
    "each HTTP-date form of one instant reads as that instant, whatever the machine's time zone",
    [
      Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: 3_599 })),
      Schema.Literals(["UTC", "Pacific/Kiritimati", "America/Los_Angeles", "Asia/Kolkata"])
    ],
    ([seconds, zone]) => {
      const nowMillis = Date.UTC(2026, 10, 24, 12, 0, 0)
      const at = new Date(nowMillis + seconds * 1000)
      const [weekday = "", day = "", month = "", year = "", time = ""] = at.toUTCString().replace(",", "").split(" ")
      const forms = [
        at.toUTCString(),
        `${at.toLocaleDateString("en-US", { weekday: "long", timeZone: "UTC" })}, ${day}-${month}-${
          year.slice(2)
        } ${time} GMT`,
        `${weekday} ${month} ${String(at.getUTCDate()).padStart(2, " ")} ${time} ${year}`
      ]
      const before = process.env["TZ"]
      process.env["TZ"] = zone
      try {
        for (const form of forms) expect([form, Retry.parseRetryAfter(form, nowMillis)]).toEqual([form, seconds * 1000])
      } finally {
        if (before === undefined) delete process.env["TZ"]
        else process.env["TZ"] = before
      }
    }
  )

  it("at most an hour, however long a wait is asked for (a timer would overflow)", () => {
    expect(Retry.parseRetryAfter("1000000000000", now)).toBe(Retry.maxRetryAfterMillis)
    expect(Retry.parseRetryAfter("Fri, 31 Dec 9999 23:59:59 GMT", now)).toBe(Retry.maxRetryAfterMillis)
  })

  it("anything else counts as absent: negative, fractional, garbage, a date Date.parse alone would take, huge", () => {
    for (const header of [undefined, "", "-1", "1.5", "soon", "2026-12-06T12:00:00Z", "1".repeat(65)]) {
      expect(Retry.parseRetryAfter(header, now)).toBeUndefined()
    }
  })

  it.prop(
    "never throws, and is absent or a whole number of milliseconds between 0 and an hour",
    [Schema.String, between(0, 2_000_000_000)],
    ([header, at]) => {
      const parsed = Retry.parseRetryAfter(header, at)
      if (parsed !== undefined) {
        expect(Number.isInteger(parsed) && parsed >= 0 && parsed <= Retry.maxRetryAfterMillis).toBe(true)
      }
    },
    { arbitrary: { runs: 500 } }
  )
})
