// The bounds of one attempt over any HttpClient (a stub here, TestClock time, no socket): the timeout covers the body,
// maxResponseBytes holds while the body streams, fetch is told not to follow redirects, and the buffered answer reads
// back as any response does.
import { describe, expect, it } from "@effect/vitest"
import { Context, Duration, Effect, Fiber, Result, Schema, Stream } from "effect"
import {
  FetchHttpClient,
  HttpClient,
  HttpClientError,
  HttpClientRequest,
  HttpClientResponse,
  UrlParams
} from "effect/http"
import { TestClock } from "effect/testing"
import * as Bounded from "../../src/internal/bounded.js"

const organization = JSON.stringify({ organization: { id: 11, name: "Acme" } })
const bytes = (text: string) => new TextEncoder().encode(text)
const concatAll = (chunks: ReadonlyArray<Uint8Array>) =>
  Bounded.concat(chunks, chunks.reduce((n, chunk) => n + chunk.length, 0))
const get = HttpClientRequest.get("https://eu1.make.com/api/v2/organizations/11?cols%5B%5D=id")

/** What the stub answers: a status, headers, and the body as chunks pulled one at a time (`pulled` counts them). */
interface Answer {
  readonly status?: number
  readonly headers?: Record<string, string>
  readonly chunks: (index: number) => Uint8Array | "end" | "hang"
}

interface Seen {
  pulled: number
  requestInit: globalThis.RequestInit | undefined
}

/** An HttpClient that bounds nothing: it answers at once and hands the body over as it is pulled. */
const stub = (seen: Seen, answer: Answer) =>
  HttpClient.make((request, _url, _signal, fiber) =>
    Effect.sync(() => {
      seen.requestInit = Context.getOrUndefined(fiber.context, FetchHttpClient.RequestInit)
      let index = 0
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          seen.pulled++
          const chunk = answer.chunks(index++)
          if (chunk === "end") controller.close()
          else if (chunk !== "hang") controller.enqueue(chunk)
          // "hang": neither data nor end, as a server that stops sending
          return chunk === "hang" ? new Promise<void>(() => {}) : undefined
        }
        // no read-ahead: a chunk is pulled only when the client reads, so `pulled` counts the client's demand
      }, { highWaterMark: 0 })
      const status = answer.status ?? 200
      // a web Response of these statuses may carry no body at all
      const none = status === 204 || status === 205 || status === 304
      const web = new Response(none ? null : body, { status, headers: answer.headers ?? {} })
      return HttpClientResponse.fromWeb(request, web)
    })
  )

const attempt = (
  answer: Answer,
  config: { readonly timeout?: Duration.Duration; readonly maxResponseBytes?: number } = {},
  request = get
) => {
  const seen: Seen = { pulled: 0, requestInit: undefined }
  const bound = Bounded.boundAttempt({
    timeout: config.timeout ?? Duration.seconds(3),
    maxResponseBytes: config.maxResponseBytes ?? 16 * 1024 * 1024
  })
  return { seen, effect: bound(stub(seen, answer).execute(request), request) }
}

describe("the timeout covers the body", () => {
  it.effect("headers at once, then a body that never ends: TransportError Timeout exactly at the timeout", () =>
    Effect.gen(function*() {
      const { effect } = attempt({ chunks: (i) => i === 0 ? bytes("{\"organization\":") : "hang" })
      const fiber = yield* Effect.forkChild(Effect.flip(effect))
      yield* TestClock.adjust("2999 millis")
      expect(fiber.pollUnsafe()).toBeUndefined()
      yield* TestClock.adjust("1 millis")
      expect(yield* Fiber.join(fiber)).toMatchObject({
        _tag: "TransportError",
        reason: "Timeout",
        request: "GET /api/v2/organizations/11",
        description: "no complete response within 3s"
      })
    }))
})

describe("maxResponseBytes", () => {
  const cap = 256

  it.effect.prop(
    "a body is read iff it fits the cap; past it the stream is left at once",
    {
      padding: Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: 2 * cap })),
      chunk: Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: 64 })),
      declared: Schema.Boolean
    },
    ({ chunk, declared, padding }) =>
      Effect.gen(function*() {
        // JSON allows trailing whitespace: the same organization, as long a body as the case wants
        const text = organization + " ".repeat(padding)
        const body = bytes(text)
        const { effect, seen } = attempt({
          headers: { "content-type": "application/json", ...(declared ? { "content-length": `${body.length}` } : {}) },
          chunks: (i) => i * chunk < body.length ? body.subarray(i * chunk, (i + 1) * chunk) : "end"
        }, { maxResponseBytes: cap })
        const result = yield* Effect.result(effect)
        if (body.length <= cap) {
          const response = Result.getOrThrow(result)
          expect(yield* response.text).toBe(text)
          expect(yield* response.json).toEqual(JSON.parse(organization))
          return
        }
        expect(result).toMatchObject({
          _tag: "Failure",
          failure: {
            _tag: "UnexpectedResponse",
            status: 200,
            reason: declared
              ? `the body was larger than maxResponseBytes (${cap} bytes): Content-Length ${body.length}; ` +
                "the request was aborted"
              : `the body was larger than maxResponseBytes (${cap} bytes); the request was aborted`,
            excerpt: "GET /api/v2/organizations/11"
          }
        })
        // a declared length over the cap reads at most the one chunk that releasing the stream costs; a streamed
        // body stops at the chunk that crosses the cap
        expect(seen.pulled).toBeLessThanOrEqual(declared ? 1 : Math.floor(cap / chunk) + 1)
      }),
    { timeout: 30_000, arbitrary: { runs: 80 } }
  )

  it.effect("16 MiB is written as MiB; HEAD, 204, 205 and 304 read no body at all", () =>
    Effect.gen(function*() {
      const huge = attempt({ headers: { "content-length": `${32 * 1024 * 1024}` }, chunks: () => "end" })
      expect(yield* Effect.flip(huge.effect)).toMatchObject({
        reason: `the body was larger than maxResponseBytes (16 MiB): Content-Length ${32 * 1024 * 1024}; ` +
          "the request was aborted"
      })
      for (const status of [204, 205, 304]) {
        const empty = attempt({ status, chunks: () => "hang" })
        expect(yield* Effect.flatMap(empty.effect, (response) => response.text)).toBe("")
        expect(empty.seen.pulled).toBe(0)
      }
      const head = HttpClientRequest.head("https://eu1.make.com/api/v2/organizations/11")
      const headed = attempt({ chunks: () => "hang" }, {}, head)
      expect((yield* headed.effect).status).toBe(200)
      expect(headed.seen.pulled).toBe(0)
    }))

  it.effect("a plain transport's ResponseTooLarge (its response error's cause) is the same UnexpectedResponse", () =>
    Effect.gen(function*() {
      const plain = HttpClient.make((request) =>
        Effect.fail(
          new HttpClientError.HttpClientError({
            reason: new HttpClientError.DecodeError({
              request,
              response: HttpClientResponse.fromWeb(request, new Response(null, { status: 200 })),
              cause: new Bounded.ResponseTooLarge({ limit: 1024, declared: undefined })
            })
          })
        )
      )
      const error = yield* Effect.flip(
        Bounded.boundAttempt({ timeout: Duration.seconds(3), maxResponseBytes: 1024 })(plain.execute(get), get)
      )
      expect(error).toMatchObject({
        _tag: "UnexpectedResponse",
        status: 200,
        reason: "the body was larger than maxResponseBytes (1024 bytes); the request was aborted",
        excerpt: "GET /api/v2/organizations/11"
      })
    }))
})

describe("redirects and fetch", () => {
  it.effect("fetch is told redirect: \"manual\", the caller's RequestInit kept; a 3xx comes back as it is", () =>
    Effect.gen(function*() {
      const { effect, seen } = attempt({
        status: 301,
        headers: { location: "https://elsewhere.example/api/v2/organizations/11" },
        chunks: () => "end"
      })
      const response = yield* Effect.provideService(effect, FetchHttpClient.RequestInit, { keepalive: true })
      expect(seen.requestInit).toEqual({ keepalive: true, redirect: "manual" })
      expect([response.status, response.headers["location"]]).toEqual([
        301,
        "https://elsewhere.example/api/v2/organizations/11"
      ])
    }))
})

describe("the buffered response", () => {
  const request = HttpClientRequest.get("https://eu1.make.com/api/v2/users/me#top")

  it.effect("reads back as any response: text, JSON (null when empty), URL params, bytes, stream, url, cookies", () =>
    Effect.gen(function*() {
      const pool = bytes(`xx${organization}yy`)
      const view = pool.subarray(2, 2 + organization.length)
      const response = new Bounded.BufferedResponse(request, 200, { "set-cookie": ["a=1", "b=2"] }, view)
      expect(yield* response.text).toBe(organization)
      expect(yield* response.json).toEqual(JSON.parse(organization))
      expect(new TextDecoder().decode(yield* response.arrayBuffer)).toBe(organization)
      expect(new TextDecoder().decode(concatAll(yield* Stream.runCollect(response.stream)))).toBe(organization)
      expect(response.url).toBe("https://eu1.make.com/api/v2/users/me")
      expect(response.cookies.cookies["a"]?.value).toBe("1")
      expect(response.cookies.cookies["b"]?.value).toBe("2")
      const empty = new Bounded.BufferedResponse(request, 200, {}, new Uint8Array(0))
      expect(yield* empty.json).toBeNull()
      expect(empty.jsonNow()).toEqual(Result.succeed(undefined))
      const form = new Bounded.BufferedResponse(request, 200, {}, bytes("a=1&b=2"))
      expect(UrlParams.toString(yield* form.urlParamsBody)).toBe("a=1&b=2")
    }))

  it.effect("a body that is not JSON: jsonNow gives the text as the failure, json a DecodeError", () =>
    Effect.gen(function*() {
      const response = new Bounded.BufferedResponse(request, 200, {}, bytes("<html>"))
      expect(response.jsonNow()).toEqual(Result.fail("<html>"))
      const error = yield* Effect.flip(response.json)
      expect(error.reason._tag).toBe("DecodeError")
      expect((yield* Effect.flip(response.formData)).reason._tag).toBe("DecodeError")
      expect((yield* Effect.flip(response.upgrade)).reason._tag).toBe("StatusCodeError")
    }))

  it("contentLength: digits (spaces around) only; a list or garbage declares nothing", () => {
    expect([" 12 ", "0", "12a", "-1", "1.5", "", undefined].map((h) => Bounded.contentLength(h))).toEqual(
      [12, 0, undefined, undefined, undefined, undefined, undefined]
    )
    expect(Bounded.contentLength(["1", "2"])).toBeUndefined()
    expect(Bounded.describe(get)).toBe("GET /api/v2/organizations/11")
  })
})
