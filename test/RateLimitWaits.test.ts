// Waiting for a rate-limit permit is not part of an attempt's timeout, over every transport: 500 GETs and 20 PATCHes
// queued behind one 60-a-minute organization, against the in-process emulator. TestClock; asserts on the request log.
import { describe, expect, it } from "@effect/vitest"
import { Array as Arr, Clock, Effect, Fiber, Layer, Result } from "effect"
import { HttpClient } from "effect/http"
import { TestClock } from "effect/testing"
import * as RateLimiter from "../src/internal/rateLimiter.js"
import * as MakeApi from "../src/MakeApi.js"
import * as MakeClient from "../src/MakeClient.js"
import * as MakeError from "../src/MakeError.js"
import * as Organizations from "../src/Organizations.js"
import * as Emulator from "../src/testing/Emulator.js"
import * as MakeTest from "../src/testing/MakeTest.js"
import type * as Transport from "../src/Transport.js"

const minute = 60_000

/**
 * A transport that times each attempt itself, from the moment it is asked to send (as the undici transport does with
 * its own timers): the pipeline then adds no timer, and the permit must be waited for before the transport is called.
 */
const selfTimedTransport: Transport.Transport<HttpClient.HttpClient> = {
  make: (config) =>
    Effect.map(
      Effect.service(HttpClient.HttpClient),
      (client): Transport.Send => (request) =>
        client.execute(request).pipe(
          Effect.timeoutOrElse({
            duration: config.timeout,
            orElse: () =>
              Effect.fail(
                new MakeError.TransportError({
                  reason: "Timeout",
                  request: request.url,
                  description: "transport timer",
                  attempts: 1
                })
              )
          })
        )
    ),
  boundsAttempts: true
}

/** The services over the emulator, the client built over `transport`, limited to 60 a minute per organization. */
const overTransport = (transport: Transport.Transport<HttpClient.HttpClient>) =>
  MakeApi.services.pipe(
    Layer.provideMerge(MakeClient.layerWith(transport, {
      token: Emulator.defaultToken,
      baseUrl: Emulator.baseUrl,
      rateLimit: { requestsPerMinute: 60 }
    })),
    Layer.orDie,
    Layer.provideMerge(Emulator.layerTest({ rateLimit: true }))
  )

/**
 * `gets` reads and `patches` renames of Gamma (13, a Core licence: the emulator allows 60 a minute), all called at
 * once; `wrap` runs each call (a provisioning run's throttle). Returns what the user and the emulator saw. (The Effect
 * 3 line's writes were invitations to Gamma; Invitations is ported apart, and a rename of Gamma is a write about the
 * same organization, counted against the same window.)
 */
const queued = (
  gets: number,
  patches: number,
  wrap: <A, E, R>(call: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
) =>
  Effect.gen(function*() {
    const orgs = yield* Organizations.Organizations
    const emulator = yield* Emulator.Emulator
    const calls = [
      ...Arr.makeBy(gets, () => Effect.asVoid(orgs.get(13))),
      ...Arr.makeBy(patches, (i) => Effect.asVoid(orgs.update(13, { name: `Gamma ${i}` })))
    ]
    const fiber = yield* Effect.forkChild(
      Effect.forEach(calls, (call) => Effect.result(wrap(call)), { concurrency: "unbounded" }).pipe(
        Effect.zip(Clock.currentTimeMillis)
      )
    )
    yield* TestClock.adjust("30 minutes")
    const [outcomes, done] = yield* Fiber.join(fiber)
    const log = (yield* emulator.requests).filter((request) => request.path.startsWith("/organizations/13"))
    const failures = outcomes.filter(Result.isFailure).map((outcome) => outcome.failure)
    return {
      failed: failures.length,
      timeouts: failures.filter((error) => error._tag === "TransportError" && error.reason === "Timeout").length,
      requests: log.length,
      answered429: log.filter((request) => request.status === 429).length,
      virtualSeconds: done / 1000
    }
  })

/** What every case must see: nothing failed or timed out, each call sent once, done when the limit first allows. */
const expected = (calls: number) => ({
  failed: 0,
  timeouts: 0,
  requests: calls,
  answered429: 0,
  // 60 at once, then 60 more each minute: the last starts (and is answered) at that minute.
  virtualSeconds: (Math.ceil(calls / 60) - 1) * minute / 1000
})

describe("a call queued behind the rate limit is not timed out", () => {
  it.effect(
    "MakeTest (the pipeline times each attempt): 500 GETs and 20 PATCHes, 0 Timeout, done at the bound",
    () =>
      Effect.gen(function*() {
        expect(yield* queued(500, 20, (call) => call)).toEqual(expected(520))
      }).pipe(Effect.provide(MakeTest.layer({ rateLimit: true, clientRateLimit: { requestsPerMinute: 60 } }))),
    60_000
  )

  it.effect(
    "a transport that times itself (as undici does): 150 GETs and 10 PATCHes, 0 Timeout",
    () =>
      Effect.gen(function*() {
        expect(yield* queued(150, 10, (call) => call)).toEqual(expected(160))
      }).pipe(Effect.provide(overTransport(selfTimedTransport))),
    60_000
  )

  // The Effect 3 line took this limit from the workflows' `Limits.throttle` (the licence's limit, 60 for Gamma); the
  // workflows are not on the Effect 4 line yet, so the case provides what that throttle provides: the fiber's limiter,
  // from a registry of windows at Gamma's licence limit.
  it.effect(
    "a provisioning run's limit (the fiber's, no client limit): 150 GETs and 10 PATCHes, 0 Timeout",
    () =>
      Effect.gen(function*() {
        const registry = RateLimiter.makeRegistry(() => 60)
        const throttle = <A, E, R>(call: Effect.Effect<A, E, R>) =>
          Effect.provideService(call, RateLimiter.FiberLimiter, (organizationId) => registry.limiter(organizationId))
        expect(yield* queued(150, 10, throttle)).toEqual(expected(160))
      }).pipe(Effect.provide(MakeTest.layer({ rateLimit: true }))),
    60_000
  )
})
