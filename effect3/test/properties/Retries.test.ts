// Property of the retry policy, through the whole pipeline over a scripted HttpClient and the TestClock: for any
// sequence of faults (refused before sending, reset after sending, 429 with or without Retry-After, 5xx with a body
// within or past the size cap, no answer within the timeout, a 200 whose JSON was cut off), a POST is sent again only
// when it provably was not processed (refused, 429), any method is sent at most `maxAttempts` times, and the sends
// and the outcome are the ones the README's retry table gives.
import { HttpClient, HttpClientResponse } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { Cause, Chunk, Effect, Exit, FastCheck, Fiber, Layer, Option, Redacted, TestClock } from "effect"
import * as MakeApi from "../../src/MakeApi.js"
import type * as MakeError from "../../src/MakeError.js"
import * as Organizations from "../../src/Organizations.js"
import { transportFailure } from "../support/faults.js"

type Fault =
  | { readonly _tag: "refused" }
  | { readonly _tag: "reset" }
  | { readonly _tag: "timeout" }
  | { readonly _tag: "cutOff" }
  | {
    readonly _tag: "status"
    readonly status: number
    readonly retryAfterSeconds?: number | undefined
    /** The error body is past `maxResponseBytes`: the status must mean the same all the same. */
    readonly overCap: boolean
  }

const fault: FastCheck.Arbitrary<Fault> = FastCheck.oneof(
  FastCheck.constant({ _tag: "refused" as const }),
  FastCheck.constant({ _tag: "reset" as const }),
  FastCheck.constant({ _tag: "timeout" as const }),
  FastCheck.constant({ _tag: "cutOff" as const }),
  FastCheck.record({
    _tag: FastCheck.constant("status" as const),
    status: FastCheck.constantFrom(429, 500, 502, 503, 504),
    // up to past `maxDelay` (2 s): a wait Make asks for that is longer than the cap is not waited for
    retryAfterSeconds: FastCheck.option(FastCheck.integer({ min: 0, max: 3 }), { nil: undefined }),
    overCap: FastCheck.boolean()
  })
)

const policy = { baseDelay: "100 millis", maxDelay: "2 seconds", jitter: 0.2 } as const
const timeoutMillis = 1_000
const maxResponseBytes = 256

/** What the README's retry table says of one fault: may the request be sent again? */
const retryable = (method: "GET" | "POST", f: Fault): boolean => {
  switch (f._tag) {
    case "refused":
      return true
    case "reset":
    case "timeout":
    case "cutOff":
      return method !== "POST"
    case "status":
      // a body past the cap is not read, so its Retry-After is not either
      if (f.overCap) return f.status === 429 || (method !== "POST" && [502, 503, 504].includes(f.status))
      if (f.retryAfterSeconds !== undefined && f.retryAfterSeconds * 1000 > 2_000) return false
      return f.status === 429 || (method !== "POST" && [502, 503, 504].includes(f.status))
  }
}

/** Whether the server may have acted on a request that met this fault. */
const mayHaveBeenProcessed = (f: Fault): boolean => !(f._tag === "refused" || (f._tag === "status" && f.status === 429))

const expectedTag = (f: Fault): string =>
  f._tag === "status"
    ? (f.status === 429 ? "RateLimited" : "ServerError")
    : f._tag === "cutOff"
    ? "UnexpectedResponse"
    : "TransportError"

const body = { organization: { id: 11, name: "Acme" } }

/** Answers from the script, one fault per try (then 200), recording each request that left the client. */
const scripted = (faults: ReadonlyArray<Fault>, sent: Array<string>) => {
  let tries = 0
  return Layer.succeed(
    HttpClient.HttpClient,
    HttpClient.make((request) =>
      Effect.suspend(() => {
        const f = faults[tries++]
        // a refused connection never gets as far as sending: the server never saw it
        if (f?._tag === "refused") return Effect.fail(transportFailure(request, "ECONNREFUSED"))
        sent.push(request.method)
        if (f === undefined) {
          return Effect.succeed(
            HttpClientResponse.fromWeb(request, new Response(JSON.stringify(body), { status: 200 }))
          )
        }
        switch (f._tag) {
          case "reset":
            return Effect.fail(transportFailure(request, "ECONNRESET"))
          case "timeout":
            return Effect.never
          case "cutOff":
            return Effect.succeed(HttpClientResponse.fromWeb(
              request,
              new Response(JSON.stringify(body).slice(0, 20), { headers: { "content-type": "application/json" } })
            ))
          case "status":
            return Effect.succeed(HttpClientResponse.fromWeb(
              request,
              new Response(
                JSON.stringify({
                  detail: f.overCap ? "x".repeat(2 * maxResponseBytes) : "Fault.",
                  message: "Fault",
                  code: `SC${f.status}`
                }),
                {
                  status: f.status,
                  headers: f.retryAfterSeconds === undefined ? {} : { "retry-after": String(f.retryAfterSeconds) }
                }
              )
            ))
        }
      })
    )
  )
}

/** Runs the call in the background, moving the TestClock from one wake-up to the next until it ends (bounded). */
const settle = <A, E>(effect: Effect.Effect<A, E>) =>
  Effect.gen(function*() {
    const fiber = yield* Effect.fork(Effect.exit(effect))
    for (let i = 0; i < 2_000; i++) {
      const done = yield* Fiber.poll(fiber)
      if (Option.isSome(done)) return yield* done.value
      const wakeUps = Chunk.toReadonlyArray(yield* TestClock.sleeps())
      yield* wakeUps.length === 0 ? Effect.yieldNow() : TestClock.setTime(Math.min(...wakeUps))
    }
    return yield* Effect.die(new Error("the call did not end: no wake-up left on the TestClock"))
  })

const property = (method: "GET" | "POST") =>
  it.effect.prop(
    `${method}: sent again only when the table allows, never more than maxAttempts times`,
    { faults: FastCheck.array(fault, { maxLength: 6 }), maxAttempts: FastCheck.integer({ min: 1, max: 5 }) },
    ({ faults, maxAttempts }) =>
      Effect.gen(function*() {
        // `sent` counts requests that left the client (a refused one did not): `attempts` counts tries
        const sent: Array<string> = []
        const layer = MakeApi.layer({
          token: Redacted.make("secret-token"),
          zone: "eu1.make.com",
          timeout: timeoutMillis,
          maxResponseBytes,
          retry: { maxAttempts, ...policy }
        }).pipe(Layer.orDie, Layer.provide(scripted(faults, sent)))
        const exit = yield* settle(
          Effect.flatMap(Organizations.Organizations, (orgs): Effect.Effect<unknown, MakeError.MakeError> =>
            method === "GET"
              ? orgs.get(11)
              : orgs.create({ name: "Acme", regionId: 1, timezoneId: 113, countryId: 1 })).pipe(
              Effect.provide(layer)
            )
        )

        // the model: try until an answer ends it (success, or a fault the table does not retry) or the budget is spent
        let attempts = 1
        for (
          let f = faults[0];
          attempts < maxAttempts && f !== undefined && retryable(method, f);
          f = faults[attempts - 1]
        ) {
          attempts++
        }
        const tries = Array.from({ length: attempts }, (_, i) => faults[i])
        const last = tries[attempts - 1]
        // past the script the server answers 200; a refused try never reached it
        const reached = tries.filter((f) =>
          f?._tag !== "refused"
        ).length

        expect(sent.length).toBeLessThanOrEqual(maxAttempts)
        expect(sent.length).toBe(reached)
        // every try but the last met a fault after which the server provably did nothing, for a POST
        if (method === "POST") {
          expect(faults.slice(0, attempts - 1).filter(mayHaveBeenProcessed)).toEqual([])
        }
        const outcome = Exit.match(exit, {
          onSuccess: () => "success",
          onFailure: (cause) =>
            Option.match(Cause.failureOption(cause), {
              onNone: () => `defect: ${Cause.pretty(cause)}`,
              onSome: (error) => error._tag
            })
        })
        expect(outcome).toBe(last === undefined ? "success" : expectedTag(last))
      }),
    { timeout: 60_000, fastCheck: { numRuns: 25 } }
  )

describe("properties: retries", () => {
  property("GET")
  property("POST")
})
