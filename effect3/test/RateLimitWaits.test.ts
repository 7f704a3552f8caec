// Waiting for a rate-limit permit is not part of an attempt's timeout, over every transport: 500 GETs and 20 POSTs
// queued behind one 60-a-minute organization, against the in-process emulator. TestClock; asserts on the request log.
import { HttpClient } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { Array as Arr, Clock, Effect, Fiber, Layer, TestClock } from "effect"
import * as Invitations from "../src/Invitations.js"
import * as MakeApi from "../src/MakeApi.js"
import * as MakeClient from "../src/MakeClient.js"
import * as MakeError from "../src/MakeError.js"
import * as Organizations from "../src/Organizations.js"
import { Emulator, MakeTest } from "../src/testing/index.js"
import * as Limits from "../src/workflows/internal/limits.js"

const minute = 60_000

/**
 * A transport that times each attempt itself, from the moment it is asked to send (as the undici transport does with
 * its own timers): the pipeline then adds no timer, and the permit must be waited for before the transport is called.
 */
const selfTimedTransport: MakeClient.Transport<HttpClient.HttpClient> = {
  client: (config) =>
    Effect.map(
      HttpClient.HttpClient,
      (client) =>
        HttpClient.transform(client, (send, request) =>
          Effect.timeoutFail(send, {
            duration: config.timeout,
            onTimeout: () =>
              new MakeError.TransportError({ reason: "Timeout", request: request.url, description: "transport timer" })
          }))
    ),
  boundsAttempts: true
}

/** The services over the emulator, the client built over `transport`, limited to 60 a minute per organization. */
const overTransport = (transport: MakeClient.Transport<HttpClient.HttpClient>) =>
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
 * `gets` reads and `posts` invitations of Gamma (13, a Core licence: the emulator allows 60 a minute), all called at
 * once; `wrap` runs each call (a provisioning run's throttle). Returns what the user and the emulator saw.
 */
const queued = (gets: number, posts: number, wrap: <A, E, R>(call: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>) =>
  Effect.gen(function*() {
    const orgs = yield* Organizations.Organizations
    const invitations = yield* Invitations.Invitations
    const emulator = yield* Emulator.Emulator
    const calls = [
      ...Arr.makeBy(gets, () => Effect.asVoid(orgs.get(13))),
      ...Arr.makeBy(posts, (i) => Effect.asVoid(invitations.invite(13, { email: `u${i}@example.com`, name: `U${i}` })))
    ]
    const fiber = yield* Effect.fork(
      Effect.forEach(calls, (call) => Effect.either(wrap(call)), { concurrency: "unbounded" }).pipe(
        Effect.zip(Clock.currentTimeMillis)
      )
    )
    yield* TestClock.adjust("30 minutes")
    const [outcomes, done] = yield* Fiber.join(fiber)
    const log = (yield* emulator.requests).filter((request) => request.path.startsWith("/organizations/13"))
    const failures = Arr.getLefts(outcomes)
    const figures = {
      failed: failures.length,
      timeouts: failures.filter((error) => error._tag === "TransportError" && error.reason === "Timeout").length,
      requests: log.length,
      answered429: log.filter((request) => request.status === 429).length,
      virtualSeconds: done / 1000
    }
    console.log(`${gets} GETs and ${posts} POSTs queued at 60 a minute:`, JSON.stringify(figures))
    return figures
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
    "MakeTest (the pipeline times each attempt): 500 GETs and 20 POSTs, 0 Timeout, done at the bound",
    () =>
      Effect.gen(function*() {
        expect(yield* queued(500, 20, (call) => call)).toEqual(expected(520))
      }).pipe(Effect.provide(MakeTest.layer({ rateLimit: true, clientRateLimit: { requestsPerMinute: 60 } }))),
    60_000
  )

  it.effect(
    "a transport that times itself (as undici does): 150 GETs and 10 POSTs, 0 Timeout",
    () =>
      Effect.gen(function*() {
        expect(yield* queued(150, 10, (call) => call)).toEqual(expected(160))
      }).pipe(Effect.provide(overTransport(selfTimedTransport))),
    60_000
  )

  it.effect(
    "a provisioning run's limit (the fiber's, no client limit): 150 GETs and 10 POSTs, 0 Timeout",
    () =>
      Effect.gen(function*() {
        const throttle = Limits.throttle(yield* Limits.OrganizationLimits, "license", 13)
        expect(yield* queued(150, 10, throttle)).toEqual(expected(160))
      }).pipe(
        Effect.provide(Layer.merge(MakeTest.layer({ rateLimit: true }), Limits.layer))
      ),
    60_000
  )
})
