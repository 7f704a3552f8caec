// Usage over the emulator: 30 days oldest first ending today (the TestClock sets "today"), counters decoded to
// numbers whatever the wire form, the day cut in the user's or the organization's timezone, the typed errors, and
// the exact requests the emulator received.
import { describe, expect, it } from "@effect/vitest"
import { Effect, Fiber } from "effect"
import { TestClock } from "effect/testing"
import * as MakeError from "../../src/MakeError.js"
import * as Organizations from "../../src/Organizations.js"
import * as EmulatorCatalog from "../../src/testing/EmulatorCatalog.js"
import * as MakeTest from "../../src/testing/MakeTest.js"
import * as Usage from "../../src/Usage.js"
import { defectOf, lastRequest, requests, unimplemented } from "../support/billing.js"

/** "The user's code" over the mock: operations of the last 30 days; 0 while Make is rate limiting us. */
const operationsUsed = (organizationId: number) =>
  Effect.flatMap(Usage.Usage, (usage) => usage.get(organizationId)).pipe(
    Effect.map((days) => days.reduce((sum, day) => sum + day.operations, 0)),
    Effect.catchTag("RateLimited", () => Effect.succeed(0))
  )

/** The 30 dates from `first`, one a day (UTC calendar arithmetic). */
const datesFrom = (year: number, monthIndex: number, day: number) =>
  Array.from({ length: 30 }, (_, i) => new Date(Date.UTC(year, monthIndex, day + i)).toISOString().slice(0, 10))

describe("Usage", () => {
  it.effect("get: 30 days, oldest first, ending today", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(Date.UTC(2025, 2, 10, 12))
      const usage = yield* Usage.Usage
      const days = yield* usage.get(11)
      expect(days).toHaveLength(30)
      expect(days.map((day) => day.date)).toEqual(datesFrom(2025, 1, 9))
      expect([days[0]?.date, days[29]?.date]).toEqual(["2025-02-09", "2025-03-10"])
      expect(yield* lastRequest).toMatchObject({
        method: "GET",
        path: "/organizations/11/usage",
        query: {},
        body: undefined,
        status: 200
      })
    }).pipe(Effect.provide(MakeTest.layer())))

  it.effect("get: every counter a number, dataTransfer too although the wire sends a numeric string", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(Date.UTC(2025, 2, 10, 12))
      const usage = yield* Usage.Usage
      const days = yield* usage.get(12)
      const expected = days.map((day) => ({ date: day.date, ...EmulatorCatalog.usageOf(12, day.date) }))
      expect(days).toEqual(expected)
      for (const day of days) {
        expect([typeof day.operations, typeof day.dataTransfer, typeof day.centicredits]).toEqual([
          "number",
          "number",
          "number"
        ])
      }
      // The numbers are the organization's own: Acme's differ on the same days.
      const acme = yield* usage.get(11)
      expect(acme.map((day) => day.date)).toEqual(days.map((day) => day.date))
      expect(acme.map((day) => day.operations)).not.toEqual(days.map((day) => day.operations))
    }).pipe(Effect.provide(MakeTest.layer())))

  it.effect("get: organizationTimezone=true on the wire moves the days near midnight UTC (Acme is in Prague, +1)", () =>
    Effect.gen(function*() {
      // 23:30 UTC on the 15th: still the 15th for the user (UTC), already the 16th in Prague.
      yield* TestClock.setTime(Date.UTC(2025, 0, 15, 23, 30))
      const usage = yield* Usage.Usage
      const mine = yield* usage.get(11)
      expect((yield* lastRequest)?.query).toEqual({})
      const acme = yield* usage.get(11, { organizationTimezone: true })
      expect((yield* lastRequest)?.query).toEqual({ organizationTimezone: "true" })
      expect(mine.map((day) => day.date)).toEqual(datesFrom(2024, 11, 17))
      expect(acme.map((day) => day.date)).toEqual(datesFrom(2024, 11, 18))
      // The same day has the same usage, whichever timezone named it.
      expect(acme.slice(0, 29)).toEqual(mine.slice(1))
      expect(acme[29]).toMatchObject({ date: "2025-01-16", ...EmulatorCatalog.usageOf(11, "2025-01-16") })

      // organizationTimezone: false is sent as such and is the user's timezone.
      expect(yield* usage.get(11, { organizationTimezone: false })).toEqual(mine)
      expect((yield* lastRequest)?.query).toEqual({ organizationTimezone: "false" })

      // Half an hour later it is the 16th in UTC too.
      yield* TestClock.adjust("30 minutes")
      expect((yield* usage.get(11)).at(-1)?.date).toBe("2025-01-16")
    }).pipe(Effect.provide(MakeTest.layer())))

  it.effect("get: the user's own timezone cuts the days when organizationTimezone is not set", () =>
    Effect.gen(function*() {
      // 02:00 UTC on the 16th: the 15th in New York (the user, -5), the 16th in Rome (Beta Labs, +1).
      yield* TestClock.setTime(Date.UTC(2025, 0, 16, 2))
      const usage = yield* Usage.Usage
      expect((yield* usage.get(12)).at(-1)?.date).toBe("2025-01-15")
      expect((yield* usage.get(12, { organizationTimezone: true })).at(-1)?.date).toBe("2025-01-16")
    }).pipe(Effect.provide(MakeTest.layer({ userTimezoneOffsetMinutes: -300 }))))

  it.effect("get: the organization's timezone is read at request time", () =>
    Effect.gen(function*() {
      // 03:00 UTC on the 16th: Gamma in Prague is on the 16th, moved to New York on the 15th.
      yield* TestClock.setTime(Date.UTC(2025, 0, 16, 3))
      const usage = yield* Usage.Usage
      expect((yield* usage.get(13, { organizationTimezone: true })).at(-1)?.date).toBe("2025-01-16")
      const orgs = yield* Organizations.Organizations
      yield* orgs.update(13, { timezoneId: 23 })
      expect((yield* usage.get(13, { organizationTimezone: true })).at(-1)?.date).toBe("2025-01-15")
    }).pipe(Effect.provide(MakeTest.layer())))

  it.effect("get: NotFound names the organization", () =>
    Effect.gen(function*() {
      const usage = yield* Usage.Usage
      const error = yield* Effect.flip(usage.get(999, { organizationTimezone: true }))
      expect(error).toMatchObject({
        _tag: "NotFound",
        status: 404,
        code: "SC404",
        detail: "Organization not found.",
        resource: "organization",
        id: 999
      })
      expect(yield* lastRequest).toMatchObject({
        path: "/organizations/999/usage",
        query: { organizationTimezone: "true" },
        status: 404
      })
    }).pipe(Effect.provide(MakeTest.layer())))

  it.effect("get: id 0 (or any id that is not a positive integer) is InvalidInput, and nothing is sent", () =>
    Effect.gen(function*() {
      const usage = yield* Usage.Usage
      const error = yield* Effect.flip(usage.get(0))
      // Effect 4's Schema names the rule of `Id` (`isGreaterThan(0)`) and, decoding without `reportInput`, not the
      // rejected value: Effect 3 said "Expected a positive number, actual 0".
      expect(error).toMatchObject({
        _tag: "InvalidInput",
        operation: "Usage.get",
        issues: ["organizationId: Expected a value greater than 0"]
      })
      expect((yield* Effect.flip(usage.get(-11, { organizationTimezone: true })))._tag).toBe("InvalidInput")
      expect((yield* Effect.flip(usage.get(11.5)))._tag).toBe("InvalidInput")
      expect(yield* requests).toEqual([])
    }).pipe(Effect.provide(MakeTest.layer())))

  // Effect 4: the operation names the organization a request counts against (Effect 3 read it from the path).
  it.effect("rate limit: get counts against the organization it is about", () =>
    Effect.gen(function*() {
      const usage = yield* Usage.Usage
      yield* usage.get(11)
      const again = yield* Effect.forkChild(usage.get(11, { organizationTimezone: true }))
      // another organization has a window of its own: sent at once
      const other = yield* Effect.forkChild(usage.get(12))
      yield* TestClock.adjust("59 seconds")
      expect((yield* requests).map((request) => request.path)).toEqual([
        "/organizations/11/usage",
        "/organizations/12/usage"
      ])
      yield* TestClock.adjust("1 second")
      expect((yield* Fiber.join(again)).length).toBe(30)
      expect((yield* Fiber.join(other)).length).toBe(30)
      expect(yield* lastRequest).toMatchObject({
        path: "/organizations/11/usage",
        query: { organizationTimezone: "true" }
      })
    }).pipe(Effect.provide(MakeTest.layer({ clientRateLimit: { requestsPerMinute: 1 } }))))

  describe("layerMock", () => {
    it.effect("answers with the given get; without it, get dies naming itself", () =>
      Effect.gen(function*() {
        expect(yield* operationsUsed(11)).toBe(12)
        expect(yield* defectOf(operationsUsed(11).pipe(Effect.provide(Usage.layerMock({}))))).toBe(
          unimplemented("Usage.get")
        )
      }).pipe(Effect.provide(Usage.layerMock({
        get: () =>
          Effect.succeed([
            { date: "2025-03-09", operations: 5, dataTransfer: 0, centicredits: 500 },
            { date: "2025-03-10", operations: 7, dataTransfer: 0, centicredits: 700 }
          ])
      }))))

    it.effect("otherwise: a 429 reaches the user's code, which catches it", () =>
      Effect.gen(function*() {
        expect(yield* operationsUsed(11)).toBe(0)
      }).pipe(Effect.provide(Usage.layerMock({}, {
        otherwise: new MakeError.RateLimited({ status: 429, detail: "Too many requests", retryAfterMillis: 2000 })
      }))))

    // Fails on main's Mock.ts, whose mocked service answered `then`, `Symbol.iterator` and `Symbol.toPrimitive` with
    // Layer.mock's dying stand-ins: awaiting it called `then`, and `String` of it threw.
    it.effect("the mocked service is a plain value: not a thenable, no protocol symbols, Object's toString", () =>
      Effect.gen(function*() {
        const usage = yield* Usage.Usage
        expect("then" in usage).toBe(false)
        expect(Reflect.get(usage, Symbol.iterator)).toBeUndefined()
        expect(String(usage)).toBe("[object Object]")
        // Effect 4's mock knows the service's methods (Effect 3's took any name for one): `get` is there, not others
        expect(["get" in usage, "anything" in usage]).toEqual([true, false])
        // awaiting it gives the service itself, as for any object that is not a promise
        expect(yield* Effect.promise(async () => await usage)).toBe(usage)
      }).pipe(Effect.provide(Usage.layerMock({}))))
  })
})
