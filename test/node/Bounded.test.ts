// Hostile answers over real loopback sockets, on every stack (undici transport, fetch, node:http): a 100 MB body is
// cut off at maxResponseBytes with memory bounded, a dripping body ends at the timeout, a redirect is answered as it
// is, never followed by the transport; under the client it is not followed unless asked, and the token never leaves
// the configured origin. Wall time is measured here (live clock: the undici transport's timer is a plain one).
import { describe, expect, it } from "@effect/vitest"
import { Effect, Redacted } from "effect"
import type { IncomingHttpHeaders, ServerResponse } from "node:http"
import type * as MakeConfig from "../../src/MakeConfig.js"
import * as Organizations from "../../src/Organizations.js"
import { getOrganization, loopbackServer, resolve, sendOver, servicesOver, type Stack, stacks } from "./loopback.js"

const MiB = 1024 * 1024

/** One attempt of `GET /api/v2/organizations/11` over `stack` against `origin`, as a Result, with its wall time. */
const attempt = (stack: Stack, origin: string, options?: Partial<MakeConfig.Options>) =>
  Effect.gen(function*() {
    const config = yield* resolve({ ...options, baseUrl: `${origin}/api/v2` })
    const send = yield* sendOver(stack, config)
    const started = performance.now()
    const result = yield* Effect.result(send(getOrganization(config)))
    return { result, millis: performance.now() - started, config }
  })

/**
 * Writes `total` bytes of one JSON string as fast as the client reads them (backpressure), never `end`ing early.
 * `closed` completes when the response is over, sent whole or cut off by the client.
 */
const streaming = (total: number, declare: boolean) => {
  const state = { sent: 0 }
  let onClose = () => {}
  const closed = Effect.promise(() => new Promise<void>((resolve) => onClose = resolve))
  const handler = (_request: unknown, response: ServerResponse) => {
    const chunk = Buffer.alloc(64 * 1024, 0x61)
    response.on("error", () => {})
    response.on("close", () => onClose())
    response.writeHead(200, {
      "content-type": "application/json",
      ...(declare ? { "content-length": String(total) } : {})
    })
    const pump = () => {
      while (state.sent < total && !response.destroyed) {
        state.sent += chunk.length
        if (!response.write(chunk)) return void response.once("drain", pump)
      }
      response.end()
    }
    pump()
  }
  return { closed, handler, state }
}

describe("maxResponseBytes, over real sockets", () => {
  for (const stack of stacks) {
    it.live(`${stack}: a 100 MB body is cut off at the cap, UnexpectedResponse, memory bounded`, () =>
      Effect.gen(function*() {
        const { closed, handler, state } = streaming(100 * MiB, false)
        const origin = yield* loopbackServer(handler)
        const before = process.memoryUsage()
        const { millis, result } = yield* attempt(stack, origin)
        const after = process.memoryUsage()
        const growth = { rss: (after.rss - before.rss) / MiB, heap: (after.heapUsed - before.heapUsed) / MiB }
        expect(result).toMatchObject({
          _tag: "Failure",
          failure: {
            _tag: "UnexpectedResponse",
            status: 200,
            reason: "the body was larger than maxResponseBytes (16 MiB); the request was aborted",
            excerpt: "GET /api/v2/organizations/11"
          }
        })
        // The heap is this worker's own (an isolate per test file): had the body been buffered, it would hold the
        // 100 MB. The process's RSS is printed, not asserted: the suite's other files run in worker threads of the same
        // process, so their allocations show in it too (it once read +71.6 MiB while this test's heap grew 2.5 MiB).
        expect(growth.heap).toBeLessThan(64)
        // the server stops when the client aborts: far less than the 100 MB it meant to send (counted once the
        // response is over, so a client that stopped reading but kept the request going sends it all)
        yield* closed
        expect(state.sent).toBeLessThan(48 * MiB)
        console.log(
          `[bounded] ${stack}: 100 MB stream -> UnexpectedResponse after ${millis.toFixed(0)} ms, server sent ${
            (state.sent / MiB).toFixed(1)
          } MiB, RSS +${growth.rss.toFixed(1)} MiB, heap +${growth.heap.toFixed(1)} MiB`
        )
      }).pipe(Effect.scoped))

    it.live(`${stack}: a Content-Length of 600 MiB fails before the body is read; a small cap holds too`, () =>
      Effect.gen(function*() {
        // 600 MiB would not fit one JS string: the cap must stop it before any text decoder sees it
        const { closed, handler, state } = streaming(600 * MiB, true)
        const origin = yield* loopbackServer(handler)
        const { result } = yield* attempt(stack, origin)
        expect(result).toMatchObject({
          _tag: "Failure",
          failure: {
            _tag: "UnexpectedResponse",
            reason: `the body was larger than maxResponseBytes (16 MiB): Content-Length ${
              600 * MiB
            }; the request was aborted`
          }
        })
        // before the body is read: the server, which writes as fast as the socket takes it, sent a fraction of it
        // (a bound on bytes, not on time: a busy machine slows both sides alike)
        yield* closed
        expect(state.sent).toBeLessThan(64 * MiB)
        const small = streaming(10_000, false)
        const smallOrigin = yield* loopbackServer(small.handler)
        const capped = yield* attempt(stack, smallOrigin, { maxResponseBytes: 4096 })
        expect(capped.result).toMatchObject({
          _tag: "Failure",
          failure: { _tag: "UnexpectedResponse", reason: expect.stringContaining("maxResponseBytes (4096 bytes)") }
        })
      }).pipe(Effect.scoped))
  }
})

/** 200 and the start of a JSON body at once, then one byte every 200 ms, forever. */
const dripping = (_request: unknown, response: ServerResponse) => {
  response.on("error", () => {})
  response.writeHead(200, { "content-type": "application/json" })
  response.write("{")
  const timer = setInterval(() => response.write(" "), 200)
  response.on("close", () => clearInterval(timer))
}

describe("timeout bounds headers and body, over real sockets", () => {
  for (const stack of stacks) {
    it.live(`${stack}: a body dripping a byte every 200 ms ends in TransportError Timeout at 300 ms and 1 s`, () =>
      Effect.gen(function*() {
        const origin = yield* loopbackServer(dripping)
        for (const timeout of [300, 1000]) {
          const { millis, result } = yield* attempt(stack, origin, { timeout: `${timeout} millis` })
          expect(result).toMatchObject({
            _tag: "Failure",
            failure: {
              _tag: "TransportError",
              reason: "Timeout",
              request: "GET /api/v2/organizations/11",
              attempts: 1
            }
          })
          expect(millis).toBeGreaterThanOrEqual(timeout - 5)
          expect(millis).toBeLessThanOrEqual(timeout + 250)
          console.log(`[bounded] ${stack}: drip, timeout ${timeout} ms -> Timeout after ${millis.toFixed(0)} ms`)
        }
      }).pipe(Effect.scoped))
  }
})

/** A server recording the headers of each request it gets, answering with `answer`. */
const recording = (answer: (url: string, response: ServerResponse) => void) =>
  Effect.gen(function*() {
    const seen: Array<{ readonly url: string; readonly headers: IncomingHttpHeaders }> = []
    const origin = yield* loopbackServer((request, response) => {
      seen.push({ url: request.url ?? "", headers: request.headers })
      answer(request.url ?? "", response)
    })
    return { origin, seen }
  })

const answerJson = (response: ServerResponse, body: unknown) => {
  response.writeHead(200, { "content-type": "application/json" })
  response.end(JSON.stringify(body))
}

const redirect = (response: ServerResponse, location: string, status = 302) => {
  response.writeHead(status, { location })
  response.end()
}

describe("redirects, over real sockets", () => {
  for (const stack of stacks) {
    it.live(`${stack}: a redirect is the attempt's answer, never followed: the token never reaches the other origin`, () =>
      Effect.gen(function*() {
        const b = yield* recording((_url, response) => answerJson(response, { organization: { id: 22, name: "B" } }))
        const a = yield* recording((url, response) =>
          url.endsWith("/organizations/11")
            ? redirect(response, `${b.origin}/api/v2/organizations/22?signature=s3cr3t`)
            : answerJson(response, {})
        )
        const { config, result } = yield* attempt(stack, a.origin)
        if (result._tag === "Failure") return expect.fail(`the redirect failed the attempt: ${String(result.failure)}`)
        const response = result.success
        expect(response.status).toBe(302)
        expect(response.headers["location"]).toBe(`${b.origin}/api/v2/organizations/22?signature=s3cr3t`)
        // the body was read within the attempt: reading it again needs no socket
        expect(yield* response.text).toBe("")
        expect(b.seen).toHaveLength(0)
        expect(a.seen.map((request) => [request.url, request.headers.authorization])).toEqual([
          ["/api/v2/organizations/11", `Token ${Redacted.value(config.token)}`]
        ])
      }).pipe(Effect.scoped))
  }
})

const token = Redacted.make("c0ffee00-7d3f-4e6a-8b0c-2f1e3d4c5b6a")

/** `orgs.get(11)` over `stack` against `origin` under the whole client (no retry), as a Result. */
const callOver = (stack: Stack, origin: string, options?: Partial<MakeConfig.Options>) =>
  Effect.result(Effect.flatMap(Effect.service(Organizations.Organizations), (orgs) => orgs.get(11))).pipe(
    Effect.provide(servicesOver(stack, { token, baseUrl: `${origin}/api/v2`, retry: "off", ...options }))
  )

describe("redirects under the client, over real sockets", () => {
  for (const stack of stacks) {
    it.live(`${stack}: not followed by default; followed on request, the token never reaching another origin`, () =>
      Effect.gen(function*() {
        const b = yield* recording((_url, response) => answerJson(response, { organization: { id: 22, name: "B" } }))
        const a = yield* recording((url, response) =>
          url.endsWith("/organizations/11")
            ? redirect(response, `${b.origin}/api/v2/organizations/22?signature=s3cr3t`)
            : answerJson(response, {})
        )

        const refused = yield* callOver(stack, a.origin)
        expect(refused).toMatchObject({
          _tag: "Failure",
          failure: {
            _tag: "UnexpectedResponse",
            status: 302,
            reason:
              `a redirect to ${b.origin}/api/v2/organizations/22?…, which this client does not follow (see followRedirects)`
          }
        })
        expect(String(refused)).not.toContain("s3cr3t")
        expect(b.seen).toHaveLength(0)
        expect(a.seen).toHaveLength(1)

        const followed = yield* callOver(stack, a.origin, { followRedirects: true })
        expect(followed).toMatchObject({ _tag: "Success", success: { id: 22, name: "B" } })
        expect(a.seen[1]?.headers.authorization).toBe(`Token ${Redacted.value(token)}`)
        expect(b.seen.map((request) => [request.url, request.headers.authorization])).toEqual([
          ["/api/v2/organizations/22?signature=s3cr3t", undefined]
        ])
      }).pipe(Effect.scoped))

    it.live(`${stack}: on the configured origin a redirect keeps the token; a loop ends after followRedirects hops`, () =>
      Effect.gen(function*() {
        const a = yield* recording((url, response) =>
          url.endsWith("/organizations/11")
            ? redirect(response, "/api/v2/organizations/12", 307)
            : url.endsWith("/organizations/12")
            ? answerJson(response, { organization: { id: 12, name: "A" } })
            : redirect(response, url)
        )
        const followed = yield* callOver(stack, a.origin, { followRedirects: 1 })
        expect(followed).toMatchObject({ _tag: "Success", success: { id: 12, name: "A" } })
        expect(a.seen.map((request) => [request.url, request.headers.authorization])).toEqual([
          ["/api/v2/organizations/11", `Token ${Redacted.value(token)}`],
          ["/api/v2/organizations/12", `Token ${Redacted.value(token)}`]
        ])

        const loop = yield* recording((url, response) => redirect(response, url))
        const looped = yield* callOver(stack, loop.origin, { followRedirects: 2 })
        expect(looped).toMatchObject({
          _tag: "Failure",
          failure: {
            _tag: "UnexpectedResponse",
            reason: `more than 2 redirects in a row, the last to ${loop.origin}/api/v2/organizations/11`
          }
        })
        expect(loop.seen).toHaveLength(3)
      }).pipe(Effect.scoped))
  }
})
