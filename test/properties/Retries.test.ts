// Property of the retry policy, through the whole pipeline over a scripted HttpClient and the TestClock: for any
// sequence of faults (refused before sending, reset after sending, 429 with or without Retry-After, 5xx with a body
// within or past the size cap, no answer within the timeout, a 200 whose JSON was cut off), a POST is sent again only
// when it provably was not processed (refused, 429), any method is sent at most `maxAttempts` times, and the sends
// and the outcome are the ones the README's retry table gives. Imports `effect`, `effect/http` and src/ only.
import { describe, expect, it } from "@effect/vitest"
import { Cause, Effect, Exit, Fiber, Layer, Option, Redacted, Schema } from "effect"
import { HttpClient, HttpClientResponse } from "effect/http"
import { TestClock } from "effect/testing"
import * as MakeApi from "../../src/MakeApi.js"
import type * as MakeError from "../../src/MakeError.js"
import * as Organizations from "../../src/Organizations.js"
import { transportFailure } from "../support/client.js"

const Fault = Schema.Union([
  Schema.TaggedStruct("refused", {}),
  Schema.TaggedStruct("reset", {}),
  Schema.TaggedStruct("timeout", {}),
  Schema.TaggedStruct("cutOff", {}),
  Schema.TaggedStruct("status", {
    status: Schema.Literals([429, 500, 502, 503, 504]),
    // up to past `maxDelay` (2 s): a wait Make asks for that is longer than the cap is not waited for
    retryAfterSeconds: Schema.optional(Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: 3 }))),
    /** The error body is past `maxResponseBytes`: the status must mean the same all the same. */
    overCap: Schema.Boolean
  })
])
type Fault = typeof Fault.Type

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
  return Layer.succeed(HttpClient.HttpClient)(
    HttpClient.make((request) =>
      Effect.suspend(() => {
        const f = faults[tries++]
        // a refused connection never gets as far as sending: the server never saw it
        if (f?._tag === "refused") return Effect.fail(transportFailure(request, "ECONNREFUSED"))
        sent.push(request.method)
        const json = { "content-type": "application/json" }
        if (f === undefined) {
          return Effect.succeed(
            HttpClientResponse.fromWeb(request, new Response(JSON.stringify(body), { status: 200, headers: json }))
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
              new Response(JSON.stringify(body).slice(0, 20), { headers: json })
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
                  headers: f.retryAfterSeconds === undefined
                    ? json
                    : { ...json, "retry-after": String(f.retryAfterSeconds) }
                }
              )
            ))
        }
      })
    )
  )
}

/** Runs the call in the background and moves the TestClock far past every wait and timeout the policy allows. */
const settle = <A, E>(effect: Effect.Effect<A, E>) =>
  Effect.gen(function*() {
    const fiber = yield* Effect.forkChild(Effect.exit(effect))
    yield* TestClock.adjust("10 minutes")
    return yield* Fiber.join(fiber)
  })

const Faults = Schema.Array(Fault).check(Schema.isMaxLength(6))
const MaxAttempts = Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: 5 }))

const property = (method: "GET" | "POST") =>
  it.effect.prop(
    `${method}: sent again only when the table allows, never more than maxAttempts times`,
    { faults: Faults, maxAttempts: MaxAttempts },
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
            Option.match(Cause.findErrorOption(cause), {
              onNone: () => `defect: ${Cause.pretty(cause)}`,
              onSome: (error) => error._tag
            })
        })
        expect(outcome).toBe(last === undefined ? "success" : expectedTag(last))
      }),
    { timeout: 60_000, arbitrary: { runs: 100 } }
  )

describe("properties: retries", () => {
  property("GET")
  property("POST")
})
