// The bounds of an attempt through the whole client over any HttpClient (a stub here, TestClock time, no socket): the
// timeout covers the body, maxResponseBytes holds while the body streams and a GET past it is not sent again, fetch is
// told not to follow redirects, a 3xx is never retried, and the two options are validated. Ported from the Effect 3
// line (test/internal/bounded.test.ts checks the same bounds on one attempt; real sockets: test/node/Bounded.test.ts).
// Imports `effect`, `effect/http`, src/.
import { describe, expect, it, layer } from "@effect/vitest"
import { Context, Effect, Exit, Fiber, Layer, Redacted, Ref, Schema } from "effect"
import { FetchHttpClient, HttpClient, HttpClientResponse } from "effect/http"
import { TestClock } from "effect/testing"
import * as MakeClient from "../src/MakeClient.js"
import * as MakeConfig from "../src/MakeConfig.js"
import * as Organizations from "../src/Organizations.js"

const token = Redacted.make("7e57ab1e-8a9e-4c1b-9d2e-3f4a5b6c7d8e")
const organization = JSON.stringify({ organization: { id: 11, name: "Acme" } })

interface Seen {
  readonly url: string
  readonly authorization: string | undefined
  readonly requestInit: globalThis.RequestInit | undefined
}

/** What the stub answers: a status, headers, and the body as chunks pulled one at a time (`pulled` counts them). */
interface Answer {
  readonly status?: number
  readonly headers?: Record<string, string>
  readonly chunks: (index: number) => Uint8Array | "end" | "hang"
}

/** How many chunks the client has asked the stub's bodies for. */
interface Pulled {
  count: number
}

const stub = (seen: Ref.Ref<ReadonlyArray<Seen>>, pulled: Pulled, answer: (url: string) => Answer) =>
  Layer.succeed(HttpClient.HttpClient)(
    HttpClient.make((request, url, _signal, fiber) =>
      Effect.gen(function*() {
        const requestInit = Context.getOrUndefined(fiber.context, FetchHttpClient.RequestInit)
        yield* Ref.update(seen, (all) => [...all, {
          url: url.toString(),
          authorization: request.headers["authorization"],
          requestInit
        }])
        const { chunks, headers, status } = answer(url.toString())
        let index = 0
        const body = new ReadableStream<Uint8Array>({
          pull(controller) {
            pulled.count++
            const chunk = chunks(index++)
            if (chunk === "end") controller.close()
            else if (chunk !== "hang") controller.enqueue(chunk)
            // "hang": neither data nor end, as a server that stops sending
            return chunk === "hang" ? new Promise<void>(() => {}) : undefined
          }
          // no read-ahead: a chunk is pulled only when the client reads, so `pulled` counts the client's demand
        }, { highWaterMark: 0 })
        return HttpClientResponse.fromWeb(
          request,
          new Response(body, { status: status ?? 200, headers: headers ?? {} })
        )
      })
    )
  )

const run = <A, E>(
  answer: (url: string) => Answer,
  test: (seen: Ref.Ref<ReadonlyArray<Seen>>, pulled: Pulled) => Effect.Effect<A, E, Organizations.Organizations>,
  options?: Partial<MakeConfig.Options>
) =>
  Effect.gen(function*() {
    const seen = yield* Ref.make<ReadonlyArray<Seen>>([])
    const pulled: Pulled = { count: 0 }
    const layer = Organizations.layer.pipe(
      Layer.provide(MakeClient.layer({ token, zone: "eu1.make.com", ...options })),
      Layer.provide(stub(seen, pulled, answer)),
      Layer.orDie
    )
    return yield* Effect.provide(test(seen, pulled), layer)
  })

const bytes = (text: string) => new TextEncoder().encode(text)

describe("the timeout covers the body", () => {
  it.effect("headers at once, then a body that never ends: TransportError Timeout exactly at the timeout", () =>
    run(() => ({ chunks: (i) => i === 0 ? bytes("{\"organization\":") : "hang" }), () =>
      Effect.gen(function*() {
        const orgs = yield* Organizations.Organizations
        const fiber = yield* Effect.forkChild(Effect.flip(orgs.get(11)))
        yield* TestClock.adjust("2999 millis")
        expect(fiber.pollUnsafe()).toBeUndefined()
        yield* TestClock.adjust("1 millis")
        expect(yield* Fiber.join(fiber)).toMatchObject({
          _tag: "TransportError",
          reason: "Timeout",
          request: "GET /api/v2/organizations/11",
          description: "no complete response within 3s"
        })
      }), { timeout: "3 seconds", retry: "off" }))
})

// One client for every case of the property (building one per case costs more than the case): the stub answers
// what `current` holds, and counts into it.
const cap = 256
const current: { answer: Answer; pulled: Pulled; seen: Ref.Ref<ReadonlyArray<Seen>> } = {
  answer: { chunks: () => "end" },
  pulled: { count: 0 },
  seen: Ref.makeUnsafe<ReadonlyArray<Seen>>([])
}
const sharedClient = Organizations.layer.pipe(
  Layer.provide(MakeClient.layer({ token, zone: "eu1.make.com", maxResponseBytes: cap })),
  Layer.provide(stub(current.seen, current.pulled, () => current.answer)),
  Layer.orDie
)

describe("maxResponseBytes over any HttpClient", () => {
  layer(sharedClient)((it) => {
    it.effect.prop(
      "a body is read iff it fits the cap; past it the stream is left at once and the GET is not retried",
      {
        padding: Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: 2 * cap })),
        chunk: Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: 64 })),
        declared: Schema.Boolean
      },
      ({ chunk, declared, padding }) =>
        Effect.gen(function*() {
          // JSON allows trailing whitespace: the same organization, as long a body as the case wants
          const body = bytes(organization + " ".repeat(padding))
          current.answer = {
            headers: {
              "content-type": "application/json",
              ...(declared ? { "content-length": `${body.length}` } : {})
            },
            chunks: (i) => i * chunk < body.length ? body.subarray(i * chunk, (i + 1) * chunk) : "end"
          }
          current.pulled.count = 0
          yield* Ref.set(current.seen, [])
          const orgs = yield* Organizations.Organizations
          const exit = yield* Effect.exit(orgs.get(11))
          if (body.length <= cap) {
            expect(Exit.isSuccess(exit) ? exit.value : exit).toMatchObject({ id: 11, name: "Acme" })
            return
          }
          expect(Exit.isFailure(exit) ? Exit.findErrorOption(exit) : exit).toMatchObject({
            _tag: "Some",
            value: {
              _tag: "UnexpectedResponse",
              status: 200,
              reason: declared
                ? `the body was larger than maxResponseBytes (${cap} bytes): Content-Length ${body.length}; ` +
                  "the request was aborted"
                : `the body was larger than maxResponseBytes (${cap} bytes); the request was aborted`
            }
          })
          expect((yield* Ref.get(current.seen)).length).toBe(1)
          // a declared length over the cap reads at most the one chunk that releasing the stream costs; a streamed
          // body stops at the chunk that crosses the cap
          expect(current.pulled.count).toBeLessThanOrEqual(declared ? 1 : Math.floor(cap / chunk) + 1)
        }),
      { timeout: 30_000, arbitrary: { runs: 80 } }
    )
  })

  // Effect 3 drew any integer, any double and the two values around the maximum; Schema.Number's arbitrary draws
  // integers and doubles, NaN and the infinities, and the two values around the maximum are checked by name.
  it.prop(
    "maxResponseBytes is accepted iff it is an integer from 1 to 256 MiB",
    { value: Schema.Number },
    ({ value }) => {
      for (const tried of [value, 256 * 1024 * 1024, 256 * 1024 * 1024 + 1]) {
        const exit = Effect.runSyncExit(MakeConfig.make({ token, zone: "eu1.make.com", maxResponseBytes: tried }))
        const valid = Number.isInteger(tried) && tried >= 1 && tried <= MakeConfig.maxMaxResponseBytes
        expect([tried, Exit.isSuccess(exit)]).toEqual([tried, valid])
        if (Exit.isSuccess(exit)) expect(exit.value.maxResponseBytes).toBe(tried)
      }
    },
    { arbitrary: { runs: 200 } }
  )

  it.effect("defaults: 16 MiB and no redirect followed; followRedirects true is 5 hops, a number that many", () =>
    Effect.gen(function*() {
      const config = yield* MakeConfig.make({ token, zone: "eu1.make.com" })
      expect([config.maxResponseBytes, config.maxRedirects]).toEqual([16 * 1024 * 1024, 0])
      const follow = (followRedirects: boolean | number) =>
        Effect.map(MakeConfig.make({ token, zone: "eu1.make.com", followRedirects }), (c) => c.maxRedirects)
      expect(yield* follow(true)).toBe(5)
      expect(yield* follow(false)).toBe(0)
      expect(yield* follow(3)).toBe(3)
      for (const bad of [-1, 1.5, 21]) {
        expect(yield* Effect.flip(follow(bad))).toMatchObject({
          _tag: "InvalidInput",
          issues: ["followRedirects must be a boolean or an integer from 0 to 20"]
        })
      }
    }))
})

describe("redirects over any HttpClient", () => {
  it.effect("fetch is told redirect: \"manual\" (the caller's RequestInit kept); a 3xx is never retried", () =>
    run(
      () => ({
        status: 301,
        headers: { location: "https://elsewhere.example/api/v2/organizations/11" },
        chunks: () => "end"
      }),
      (seen) =>
        Effect.gen(function*() {
          const orgs = yield* Organizations.Organizations
          const error = yield* Effect.flip(
            Effect.provideService(orgs.get(11), FetchHttpClient.RequestInit, { keepalive: true })
          )
          expect(error).toMatchObject({
            _tag: "UnexpectedResponse",
            status: 301,
            reason:
              "a redirect to https://elsewhere.example/api/v2/organizations/11, which this client does not follow (see followRedirects)",
            excerpt: "GET /api/v2/organizations/11"
          })
          expect(yield* Ref.get(seen)).toEqual([{
            url: "https://eu1.make.com/api/v2/organizations/11",
            authorization: `Token ${Redacted.value(token)}`,
            requestInit: { keepalive: true, redirect: "manual" }
          }])
        }),
      { retry: { maxAttempts: 4 } }
    ))

  it.effect("followed, a 303 after a POST is a GET elsewhere, without the token and without the body", () =>
    run(
      (url) =>
        url.startsWith("https://eu1.make.com/")
          ? { status: 303, headers: { location: "https://elsewhere.example/done" }, chunks: () => "end" }
          : {
            headers: { "content-type": "application/json" },
            chunks: (i) => i === 0 ? bytes(JSON.stringify({ organization: { id: 30, name: "New" } })) : "end"
          },
      (seen) =>
        Effect.gen(function*() {
          const orgs = yield* Organizations.Organizations
          const created = yield* orgs.create({ name: "New", regionId: 1, timezoneId: 113, countryId: 1 })
          expect(created).toMatchObject({ organization: { id: 30, name: "New" } })
          expect((yield* Ref.get(seen)).map(({ authorization, url }) => [url, authorization])).toEqual([
            ["https://eu1.make.com/api/v2/organizations", `Token ${Redacted.value(token)}`],
            ["https://elsewhere.example/done", undefined]
          ])
        }),
      { followRedirects: true }
    ))
})
