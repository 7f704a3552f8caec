// The compiled client against the one it replaces: for every operation of every service (read from the tables), any
// valid input and any body of the endpoint's success schema (arbitrary encoded values, so counters as strings and
// nulls included), a call through the compiled client and the same call through `HttpApiClient.makeWith`'s send the
// same request and end the same way: the same decoded value, or the same error.
import { HttpApiClient, HttpClient, type HttpClientRequest } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { Arbitrary, Cause, Effect, Exit, FastCheck, Layer, Option, Redacted, Schema } from "effect"
import { MakeHttpApi } from "../../src/api/MakeHttpApi.js"
import * as MakeClient from "../../src/MakeClient.js"
import * as MakeConfig from "../../src/MakeConfig.js"
import type * as MakeError from "../../src/MakeError.js"
import { type Case, cases } from "../properties/operations.js"
import { answering } from "../support/answering.js"

const numRuns = 20

/** A body of the endpoint's success schema as Make may send it: an arbitrary value of its encoded side, as JSON. */
const bodyOf = (c: Case): FastCheck.Arbitrary<string> =>
  Option.match(c.endpoint.success, {
    onNone: () => FastCheck.constant(""),
    onSome: ({ schema, text }) =>
      text ? FastCheck.string() : Arbitrary.make(Schema.encodedSchema(schema)).map((value) => JSON.stringify(value))
  })

/** What a request carries, for comparison (trace headers name each call's own span). */
const wire = (request: HttpClientRequest.HttpClientRequest) => ({
  method: request.method,
  url: request.url,
  urlParams: request.urlParams,
  headers: Object.entries(request.headers).filter(([name]) => name !== "traceparent" && name !== "b3"),
  body: request.body._tag === "Uint8Array" ? new TextDecoder().decode(request.body.body) : request.body._tag
})

const outcome = (exit: Exit.Exit<unknown, MakeError.MakeError>): unknown =>
  Exit.match(exit, {
    onSuccess: (value) => ({ value }),
    onFailure: (cause) =>
      Option.match(Cause.failureOption(cause), {
        onNone: () => ({ defect: Cause.pretty(cause) }),
        onSome: (error) => ({ error: error._tag, message: error.message })
      })
  })

/** What the stand-in answers next, and what it was sent: set by each run. */
const exchange: { body: string; sent: Array<HttpClientRequest.HttpClientRequest> } = { body: "", sent: [] }

/** Both clients, built once for the file over the one stand-in (HttpApiClient.makeWith walks the whole contract). */
const clients = Effect.gen(function*() {
  const compiled = yield* MakeClient.make()
  const derived = yield* HttpApiClient.makeWith(MakeHttpApi, { httpClient: compiled.httpClient })
  return { compiled, derived: { ...compiled, api: derived } }
}).pipe(
  Effect.provide(
    Layer.merge(
      MakeConfig.layer({ token: Redacted.make("0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d"), zone: "eu1.make.com" }),
      Layer.succeed(
        HttpClient.HttpClient,
        answering((request) => {
          exchange.sent.push(request)
          return { status: 200, body: exchange.body }
        })
      )
    )
  ),
  Effect.scoped,
  Effect.runSync
)

describe("the compiled client answers as HttpApiClient's", () => {
  for (const c of cases) {
    const viaCompiled = c.operation.bindUnknown(clients.compiled)
    const viaDerived = c.operation.bindUnknown(clients.derived)
    it(`${c.label}: same request, same decoded value or error`, () =>
      FastCheck.assert(
        FastCheck.asyncProperty(Arbitrary.make(c.operation.input), bodyOf(c), async (input, body) => {
          exchange.body = body
          exchange.sent.length = 0
          const compiled = await Effect.runPromise(Effect.exit(viaCompiled(input)))
          const derived = await Effect.runPromise(Effect.exit(viaDerived(input)))
          // a valid input is sent by both, once each (a 200 is never retried), alike
          expect(exchange.sent.length).toBe(2)
          const [first, second] = exchange.sent.map(wire)
          expect(first).toEqual(second)
          expect(outcome(compiled)).toEqual(outcome(derived))
        }),
        { numRuns }
      ))
  }
})
