// The bounds of an attempt over any HttpClient (a stub here, TestClock time, no socket): the timeout covers the
// body, maxResponseBytes holds while the body streams, fetch is told not to follow redirects, a 3xx is never
// retried, and the two options are validated. Real sockets: test/node/Bounded.test.ts.
import { FetchHttpClient, HttpClient, HttpClientResponse } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { Context, Effect, Exit, FastCheck, Fiber, FiberRef, Layer, Redacted, Ref, TestClock } from "effect"
import * as MakeClient from "../src/MakeClient.js"
import * as MakeConfig from "../src/MakeConfig.js"
import * as Organizations from "../src/Organizations.js"
import { layer } from "./support/layer.js"

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
  Layer.succeed(
    HttpClient.HttpClient,
    HttpClient.make((request, url, _signal, fiber) =>
      Effect.gen(function*() {
        const requestInit = Context.getOption(fiber.getFiberRef(FiberRef.currentContext), FetchHttpClient.RequestInit)
        yield* Ref.update(seen, (all) => [...all, {
          url: url.toString(),
          authorization: request.headers["authorization"],
          requestInit: requestInit._tag === "Some" ? requestInit.value : undefined
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
  options?: Partial<MakeClient.Options>
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
        const fiber = yield* Effect.fork(Effect.flip(orgs.get(11)))
        yield* TestClock.adjust("2999 millis")
        expect(fiber.unsafePoll()).toBeNull()
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
  seen: Ref.unsafeMake<ReadonlyArray<Seen>>([])
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
        padding: FastCheck.integer({ min: 0, max: 2 * cap }),
        chunk: FastCheck.integer({ min: 1, max: 64 }),
        declared: FastCheck.boolean()
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
            expect(exit).toMatchObject({ _tag: "Success", value: { id: 11, name: "Acme" } })
            return
          }
          expect(exit).toMatchObject({
            _tag: "Failure",
            cause: {
              error: {
                _tag: "UnexpectedResponse",
                status: 200,
                reason: declared
                  ? `the body was larger than maxResponseBytes (${cap} bytes): Content-Length ${body.length}; the request was aborted`
                  : `the body was larger than maxResponseBytes (${cap} bytes); the request was aborted`
              }
            }
          })
          expect((yield* Ref.get(current.seen)).length).toBe(1)
          // a declared length over the cap reads at most the one chunk that releasing the stream costs; a streamed
          // body stops at the chunk that crosses the cap
          expect(current.pulled.count).toBeLessThanOrEqual(declared ? 1 : Math.floor(cap / chunk) + 1)
        }),
      { timeout: 30_000, fastCheck: { numRuns: 80 } }
    )
  })

  it.prop(
    "maxResponseBytes is accepted iff it is an integer from 1 to 256 MiB",
    {
      value: FastCheck.oneof(
        FastCheck.integer(),
        FastCheck.double(),
        FastCheck.constantFrom(256 * 1024 * 1024, 256 * 1024 * 1024 + 1)
      )
    },
    ({ value }) => {
      const exit = Effect.runSyncExit(MakeConfig.make({ token, zone: "eu1.make.com", maxResponseBytes: value }))
      const valid = Number.isInteger(value) && value >= 1 && value <= MakeConfig.maxMaxResponseBytes
      expect(Exit.isSuccess(exit)).toBe(valid)
      if (Exit.isSuccess(exit)) expect(exit.value.maxResponseBytes).toBe(value)
    },
    { fastCheck: { numRuns: 200 } }
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
