// The client's rate limit against the emulator's, as a user meets it: 130 reads of one 60-a-minute organization, the
// client limiting itself to 60 a minute, the emulator counting a sliding minute; and the key each request counts
// against is the organization its operation names. TestClock; asserts on the request log.
import { describe, expect, it } from "@effect/vitest"
import { Clock, Effect, Fiber, Option, Result } from "effect"
import { TestClock } from "effect/testing"
import * as MakeClient from "../src/MakeClient.js"
import * as Organizations from "../src/Organizations.js"
import * as Emulator from "../src/testing/Emulator.js"
import type * as EmulatorFaults from "../src/testing/EmulatorFaults.js"
import * as MakeTest from "../src/testing/MakeTest.js"
import { earliestStarts, mostInAnyWindow } from "./windows.js"

const minute = 60_000
const reads = 130

/** When each of the 130 reads is called (ms), in three shapes a program gives them. */
const patterns: ReadonlyArray<readonly [string, ReadonlyArray<number>]> = [
  ["all at once", Array.from({ length: reads }, () => 0)],
  // The boundary case: a fixed window opened by the first read lets 59 through at 59 s and 60 more at 60 s.
  ["one read, then 129 a second before the minute is out", [0, ...Array.from({ length: reads - 1 }, () => 59_000)]],
  ["a steady stream, one every 250 ms", Array.from({ length: reads }, (_, i) => i * 250)]
]

const scenario = (name: string, calledAt: ReadonlyArray<number>, window: EmulatorFaults.RateWindowMode) =>
  it.effect(`${name} (${window} window on the emulator): no 429, no 60 s with more than 60, done at the bound`, () =>
    Effect.gen(function*() {
      const orgs = yield* Organizations.Organizations
      const emulator = yield* Emulator.Emulator
      // Gamma (13) has a Core licence: apiLimit 60, the limit the emulator enforces.
      const gamma = yield* emulator.organization(13)
      expect(Option.map(gamma, (org) => org.license.apiLimit)).toEqual(Option.some(60))

      const fiber = yield* Effect.forkChild(
        Effect.forEach(calledAt, (at) => Effect.sleep(at).pipe(Effect.andThen(Effect.result(orgs.get(13)))), {
          concurrency: "unbounded"
        }).pipe(Effect.zip(Clock.currentTimeMillis))
      )
      yield* TestClock.adjust("10 minutes")
      const [outcomes, done] = yield* Fiber.join(fiber)

      const log = (yield* emulator.requests).filter((request) => request.path === "/organizations/13")
      const sent = log.map((request) => request.at).sort((a, b) => a - b)
      const bound = earliestStarts(calledAt.map((at) => ({ at })), 60, minute).reduce<number>(
        (latest, start) => Math.max(latest, start ?? 0),
        0
      )
      const figures = {
        virtualSeconds: done / 1000,
        boundSeconds: bound / 1000,
        requests: log.length,
        answered429: log.filter((request) => request.status === 429).length,
        failedReads: outcomes.filter(Result.isFailure).length,
        mostInAnyMinute: mostInAnyWindow(sent, minute)
      }
      expect(figures.answered429).toBe(0)
      expect(figures.requests).toBe(reads)
      expect(figures.failedReads).toBe(0)
      expect(figures.mostInAnyMinute).toBeLessThanOrEqual(60)
      // No read waits longer than the limit makes it: the last one is answered at the earliest time it can be sent.
      expect(done).toBe(bound)
    }).pipe(Effect.provide(MakeTest.layer({ rateLimit: { window }, clientRateLimit: { requestsPerMinute: 60 } }))))

describe("client rate limit against the emulator's", () => {
  for (const [name, calledAt] of patterns) {
    scenario(name, calledAt, "sliding")
    scenario(name, calledAt, "fixed")
  }
})

/** The organization each request was counted against, in the order the client was asked to send them. */
const keysOf = <A, E, R>(program: Effect.Effect<A, E, R>) =>
  Effect.gen(function*() {
    const keys: Array<MakeClient.OrganizationId> = []
    const client = yield* MakeClient.MakeClient
    const spy = MakeClient.MakeClient.of({
      ...client,
      execute: (request, organizationId) => {
        keys.push(organizationId)
        return client.execute(request, organizationId)
      }
    })
    // the service built over the spy (`Organizations.layer` would be the one MakeTest built: layers are memoized)
    const orgs = yield* Effect.provideService(Organizations.make, MakeClient.MakeClient, spy)
    yield* Effect.result(Effect.provideService(program, Organizations.Organizations, orgs))
    return keys
  })

// The Effect 3 line read the organization back out of the URL (`/organizations/{id}`) and the JSON body; on Effect 4
// the operation passes it, so the cases that checked the URL parsing check the operation's key instead.
describe("the key a request counts against is the organization its operation names", () => {
  it.effect("each method about an organization passes its id; list and create pass none", () =>
    Effect.gen(function*() {
      const keys = yield* keysOf(Effect.gen(function*() {
        const orgs = yield* Organizations.Organizations
        yield* Effect.result(orgs.list())
        yield* Effect.result(orgs.get(13))
        yield* Effect.result(orgs.update(12, { name: "Beta 2" }))
        yield* Effect.result(orgs.apps(11))
        yield* Effect.result(orgs.checkTeamPermission(13, "scenario add"))
        yield* Effect.result(orgs.delete(14, { confirmed: true }))
        yield* Effect.result(orgs.create({ name: "Acme", regionId: 1, timezoneId: 113, countryId: 1 }))
      }))
      expect(keys).toEqual([undefined, 13, 12, 11, 13, 14, undefined])
    }).pipe(Effect.provide(MakeTest.layer())))

  it.effect("invalid input is refused before any request, so it counts against nobody", () =>
    Effect.gen(function*() {
      const keys = yield* keysOf(Effect.gen(function*() {
        const orgs = yield* Organizations.Organizations
        yield* Effect.result(orgs.get(0))
        yield* Effect.result(orgs.apps(-3))
      }))
      expect(keys).toEqual([])
    }).pipe(Effect.provide(MakeTest.layer())))

  it.effect("one organization's 60 a minute never delays another's: 60 reads each of 11 and 13, all at once", () =>
    Effect.gen(function*() {
      const orgs = yield* Organizations.Organizations
      const fiber = yield* Effect.forkChild(
        Effect.forEach(
          [...Array.from({ length: 60 }, () => 13), ...Array.from({ length: 60 }, () => 11), 13, 11],
          (id) => Effect.andThen(Effect.result(orgs.get(id)), Clock.currentTimeMillis),
          { concurrency: "unbounded" }
        )
      )
      yield* TestClock.adjust("5 minutes")
      const answeredAt = yield* Fiber.join(fiber)
      // 60 of each at once; the 61st of each waits a minute, whatever the other organization did
      expect(answeredAt.slice(0, 120).every((at) => at === 0)).toBe(true)
      expect(answeredAt.slice(120)).toEqual([minute, minute])
      const log = yield* Emulator.requests
      expect(log.filter((request) => request.status === 429)).toEqual([])
    }).pipe(Effect.provide(MakeTest.layer({ rateLimit: true, clientRateLimit: { requestsPerMinute: 60 } }))))

  it.effect("requests about no organization share one window: the 61st list waits a minute", () =>
    Effect.gen(function*() {
      const orgs = yield* Organizations.Organizations
      const fiber = yield* Effect.forkChild(
        Effect.forEach(
          Array.from({ length: 61 }, () => undefined),
          () => Effect.andThen(Effect.result(orgs.list({ limit: 1 })), Clock.currentTimeMillis),
          { concurrency: "unbounded" }
        )
      )
      yield* TestClock.adjust("5 minutes")
      const answeredAt = yield* Fiber.join(fiber)
      expect(answeredAt.filter((at) => at === 0)).toHaveLength(60)
      expect(answeredAt.at(-1)).toBe(minute)
    }).pipe(Effect.provide(MakeTest.layer({ clientRateLimit: { requestsPerMinute: 60 } }))))
})
