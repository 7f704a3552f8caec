// The Node transport at its Send: a dispatcher's timeouts are TransportError "Timeout", interruption aborts the
// request on the wire, a cut-off body fails the attempt, bodies are capped, no redirect is followed, the trace headers
// of the current span are sent, and errors never print the token. Then the same transport under the client (a call of
// a service): what failed attempts become (retried, TransportError "Connection"), the call's own span, the cap.
import * as Undici from "@effect/platform-node/Undici"
import { describe, expect, it } from "@effect/vitest"
import { Cause, Deferred, Effect, Fiber, Layer, Redacted, Tracer } from "effect"
import { HttpBody, HttpClient, HttpClientRequest } from "effect/http"
import { TestClock } from "effect/testing"
import { inspect } from "node:util"
import { ResponseTooLarge } from "../../src/internal/bounded.js"
import * as MakeClient from "../../src/MakeClient.js"
import type * as MakeConfig from "../../src/MakeConfig.js"
import { NodeMakeApi } from "../../src/node/index.js"
import * as UndiciHttpClient from "../../src/node/UndiciHttpClient.js"
import * as Organizations from "../../src/Organizations.js"
import { getOrganization, loopbackServer, resolve } from "./loopback.js"

const origin = "https://eu1.make.com"

/** A MockAgent that refuses real connections, plus the dispatch options every request was sent with. */
const mockAgent = Effect.acquireRelease(
  Effect.sync(() => {
    const agent = new Undici.MockAgent()
    agent.disableNetConnect()
    const seen: Array<Undici.Dispatcher.DispatchOptions> = []
    const dispatcher = agent.compose((dispatch) => (options, handler) => {
      seen.push(options)
      return dispatch(options, handler)
    })
    return { agent, dispatcher, seen }
  }),
  ({ agent }) => Effect.promise(() => agent.close())
)

/** The bounded sender of `transportWith(dispatcher)` for a configuration of `options` against `baseUrl`. */
const senderOver = (
  dispatcher: Undici.Dispatcher,
  options: Partial<MakeConfig.Options> = {},
  baseUrl = `${origin}/api/v2`
) =>
  Effect.gen(function*() {
    const config = yield* resolve({ ...options, baseUrl })
    const send = yield* UndiciHttpClient.transportWith(dispatcher).make(config)
    return { config, send }
  })

const organization = { organization: { id: 11, name: "Acme" } }

const headersOf = (options: Undici.Dispatcher.DispatchOptions | undefined): Record<string, unknown> => {
  const headers: unknown = options?.headers
  return typeof headers === "object" && headers !== null ? { ...headers } : {}
}

/** A server that takes requests and never answers them; says when one arrives and when its socket closes. */
const silentServer = Effect.gen(function*() {
  const arrived = yield* Deferred.make<void>()
  const closed = yield* Deferred.make<void>()
  const baseOrigin = yield* loopbackServer((request) => {
    Deferred.doneUnsafe(arrived, Effect.void)
    request.socket.once("close", () => Deferred.doneUnsafe(closed, Effect.void))
  })
  return { arrived, closed, baseUrl: `${baseOrigin}/api/v2` }
})

/** A server whose first answer promises 1 KB and stops after a few bytes; later answers are whole. */
const cutOffOnceServer = Effect.gen(function*() {
  let count = 0
  const baseOrigin = yield* loopbackServer((_request, response) => {
    count++
    if (count === 1) {
      response.writeHead(200, { "content-type": "application/json", "content-length": 1024 })
      response.write("{\"organiz", () => response.socket?.destroy())
      return
    }
    const body = JSON.stringify(organization)
    response.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) })
    response.end(body)
  })
  return { baseUrl: `${baseOrigin}/api/v2`, requests: () => count }
})

describe("UndiciHttpClient", () => {
  it.effect("a dispatcher's own headers timeout is a TransportError Timeout; undici's timers are off (one timer bounds)", () =>
    Effect.gen(function*() {
      const { agent, dispatcher, seen } = yield* mockAgent
      agent.get(origin).intercept({ path: "/api/v2/organizations/11", method: "GET" }).replyWithError(
        new Undici.errors.HeadersTimeoutError()
      )
      const { config, send } = yield* senderOver(dispatcher, { timeout: "5 seconds" })
      const error = yield* Effect.flip(send(getOrganization(config)))
      expect(error).toMatchObject({
        _tag: "TransportError",
        reason: "Timeout",
        request: "GET /api/v2/organizations/11",
        description: new Undici.errors.HeadersTimeoutError().message,
        attempts: 1
      })
      // undici's headers and body timers tick about once a second and the body one restarts on every chunk: the
      // transport's own timer bounds the attempt instead (test/node/Bounded.test.ts measures it)
      expect(seen.map((options) => [options.headersTimeout, options.bodyTimeout])).toEqual([[0, 0]])
    }).pipe(Effect.scoped))

  it.effect("the request carries the W3C traceparent of the current span, in the caller's trace; off when the caller says so", () =>
    Effect.gen(function*() {
      const { agent, dispatcher, seen } = yield* mockAgent
      const pool = agent.get(origin)
      pool.intercept({ path: "/api/v2/organizations/11", method: "GET" }).reply(
        200,
        organization,
        { headers: { "content-type": "application/json" } }
      ).times(4)
      const { config, send } = yield* senderOver(dispatcher)
      const get = send(getOrganization(config))
      const span = yield* Effect.withSpan(Effect.andThen(get, Effect.orDie(Effect.currentSpan)), "caller")
      yield* Effect.withSpan(get.pipe(Effect.provideService(HttpClient.TracerPropagationEnabled, false)), "off")
      yield* Effect.withSpan(get.pipe(Effect.provideService(Tracer.DisablePropagation, true)), "disabled")
      // no span, nothing to propagate
      yield* get

      expect(headersOf(seen[0])).toMatchObject({
        traceparent: `00-${span.traceId}-${span.spanId}-01`,
        b3: `${span.traceId}-${span.spanId}-1`
      })
      for (const options of seen.slice(1)) {
        expect(headersOf(options)).not.toHaveProperty("traceparent")
        expect(headersOf(options)).not.toHaveProperty("b3")
      }
      expect(seen).toHaveLength(4)
    }).pipe(Effect.scoped))

  it.live("interrupting an attempt aborts its request: the connection is closed", () =>
    Effect.gen(function*() {
      const { arrived, baseUrl, closed } = yield* silentServer
      const config = yield* resolve({ baseUrl, retry: "off" })
      const send = yield* UndiciHttpClient.transport().make(config)
      const fiber = yield* Effect.forkChild(send(getOrganization(config)))
      yield* Deferred.await(arrived)
      yield* Fiber.interrupt(fiber)
      // the assertion: the server sees the socket close (this test times out if the abort never reaches the wire)
      yield* Deferred.await(closed)
    }).pipe(Effect.scoped))

  it.live("a body cut off halfway fails the attempt itself (a TransportError, no response); the next one is whole", () =>
    Effect.gen(function*() {
      const { baseUrl, requests } = yield* cutOffOnceServer
      const config = yield* resolve({ baseUrl })
      const send = yield* UndiciHttpClient.transport().make(config)
      const error = yield* Effect.flip(send(getOrganization(config)))
      expect(error).toMatchObject({ _tag: "HttpClientError", reason: { _tag: "TransportError" } })
      const response = yield* send(getOrganization(config))
      expect(yield* response.json).toEqual(organization)
      expect(requests()).toBe(2)
    }).pipe(Effect.scoped))

  it.live("a refused connection is a TransportError that names the request and never prints the token", () =>
    Effect.gen(function*() {
      // port 1 on loopback: nothing listens there, the connection is refused at once
      const config = yield* resolve({ baseUrl: "http://127.0.0.1:1/api/v2" })
      const send = yield* UndiciHttpClient.transport().make(config)
      const exit = yield* Effect.exit(send(getOrganization(config)))
      expect(exit).toMatchObject({
        _tag: "Failure",
        cause: { reasons: [{ error: { _tag: "HttpClientError", reason: { _tag: "TransportError" } } }] }
      })
      const error = exit._tag === "Failure" ? Cause.squash(exit.cause) : undefined
      const printed = [
        String(exit),
        JSON.stringify(exit),
        Cause.pretty(exit._tag === "Failure" ? exit.cause : Cause.empty),
        String(error),
        JSON.stringify(error),
        // the error holds the request, headers and all: Node's inspection of it redacts them
        inspect(error, { depth: 10 })
      ]
      expect(printed[3]).toContain("http://127.0.0.1:1/api/v2/organizations/11")
      for (const text of printed) expect(text).not.toContain(Redacted.value(config.token))
    }).pipe(Effect.scoped))

  it.effect("a body past maxResponseBytes is aborted: UnexpectedResponse from the transport, a ResponseTooLarge from make", () =>
    Effect.gen(function*() {
      const { agent, dispatcher, seen } = yield* mockAgent
      agent.get(origin).intercept({ path: "/api/v2/organizations/11", method: "GET" }).reply(
        200,
        Buffer.alloc(5000, 0x20),
        { headers: { "content-type": "application/json" } }
      ).persist()
      const { config, send } = yield* senderOver(dispatcher, { maxResponseBytes: 4096 })
      const error = yield* Effect.flip(send(getOrganization(config)))
      expect(error).toMatchObject({
        _tag: "UnexpectedResponse",
        status: 200,
        reason: "the body was larger than maxResponseBytes (4096 bytes); the request was aborted",
        excerpt: "GET /api/v2/organizations/11"
      })
      expect(seen).toHaveLength(1)

      // the plain HttpClient: the cap as the cause of a DecodeError, which the client turns back into the above
      const plain = yield* Effect.flip(
        UndiciHttpClient.make(dispatcher, { maxResponseBytes: 4096 }).execute(getOrganization(config))
      )
      expect(plain).toMatchObject({
        _tag: "HttpClientError",
        reason: {
          _tag: "DecodeError",
          response: { status: 200 },
          cause: new ResponseTooLarge({ limit: 4096, declared: undefined })
        }
      })
      expect(seen).toHaveLength(2)
    }).pipe(Effect.scoped))

  it.effect("a redirect is the attempt's answer: undici's dispatch follows none", () =>
    Effect.gen(function*() {
      const { agent, dispatcher, seen } = yield* mockAgent
      agent.get(origin).intercept({ path: "/api/v2/organizations/11", method: "GET" }).reply(302, "", {
        headers: { location: "https://elsewhere.example/api/v2/organizations/22" }
      })
      const { config, send } = yield* senderOver(dispatcher)
      const response = yield* send(getOrganization(config))
      expect(response.status).toBe(302)
      expect(response.headers["location"]).toBe("https://elsewhere.example/api/v2/organizations/22")
      expect(seen.map((options) => [options.origin, options.path])).toEqual([[origin, "/api/v2/organizations/11"]])
    }).pipe(Effect.scoped))

  it.effect("a form-data body is an EncodeError before any request", () =>
    Effect.gen(function*() {
      const { dispatcher, seen } = yield* mockAgent
      const { config, send } = yield* senderOver(dispatcher)
      const request = HttpClientRequest.post(`${config.baseUrl}/organizations`).pipe(
        HttpClientRequest.setBody(HttpBody.formData(new FormData()))
      )
      const error = yield* Effect.flip(send(request))
      expect(error).toMatchObject({
        _tag: "HttpClientError",
        reason: { _tag: "EncodeError", description: "form data bodies are not part of the Make API" }
      })
      expect(seen).toHaveLength(0)
    }).pipe(Effect.scoped))

  it.effect("without a timeout (the plain HttpClient layer), undici's own limits are off (0) so they cannot race the caller's", () =>
    Effect.gen(function*() {
      const { agent, dispatcher, seen } = yield* mockAgent
      agent.get(origin).intercept({ path: "/ping", method: "GET" }).reply(204, "")
      const response = yield* HttpClient.get(`${origin}/ping`).pipe(
        Effect.provide(UndiciHttpClient.layerWithoutDispatcher),
        Effect.provideService(UndiciHttpClient.Dispatcher, dispatcher)
      )
      expect(response.status).toBe(204)
      expect(seen.map((options) => [options.headersTimeout, options.bodyTimeout])).toEqual([[0, 0]])
    }).pipe(Effect.scoped))
})

const token = Redacted.make("b5a1c9e2-7d3f-4e6a-8b0c-2f1e3d4c5b6a")

/** The Organizations service over the undici transport on `dispatcher`, as a user builds it. */
const organizationsOver = (dispatcher: Undici.Dispatcher, options: Partial<MakeConfig.Options>) =>
  Organizations.layer.pipe(
    Layer.provide(
      MakeClient.layerWith(UndiciHttpClient.transportWith(dispatcher), { token, zone: "eu1.make.com", ...options })
    ),
    Layer.orDie
  )

/** `orgs.get(11)` over `layer`. */
const getOver = <E>(layer: Layer.Layer<Organizations.Organizations, E>) =>
  Effect.flatMap(Effect.service(Organizations.Organizations), (orgs) => orgs.get(11)).pipe(Effect.provide(layer))

/**
 * Joins `fiber`, moving the TestClock a second at a time, a turn of the event loop apart (the MockAgent and the
 * sockets answer asynchronously), so that a retry's pause passes without a real sleep. Gives up after 10 000 turns.
 */
const joinAdvancing = <A, E>(fiber: Fiber.Fiber<A, E>): Effect.Effect<A, E> =>
  Effect.gen(function*() {
    for (let turn = 0; turn < 10_000; turn++) {
      if (fiber.pollUnsafe() !== undefined) break
      yield* Effect.promise(() => new Promise<void>((resolve) => setImmediate(resolve)))
      yield* TestClock.adjust("1 second")
    }
    return yield* Fiber.join(fiber)
  })

/** A tracer that keeps every span it starts, to find a call's own span by its name. */
const recordingTracer = () => {
  const spans: Array<Tracer.Span> = []
  const tracer = Tracer.make({
    span: (options) => {
      const span = new Tracer.NativeSpan(options)
      spans.push(span)
      return span
    }
  })
  return { spans, tracer }
}

describe("UndiciHttpClient under the client", () => {
  it.effect("a timed-out GET is retried like any request that got no answer", () =>
    Effect.gen(function*() {
      const { agent, dispatcher, seen } = yield* mockAgent
      const pool = agent.get(origin)
      pool.intercept({ path: "/api/v2/organizations/11", method: "GET" }).replyWithError(
        new Undici.errors.HeadersTimeoutError()
      )
      pool.intercept({ path: "/api/v2/organizations/11", method: "GET" }).reply(
        200,
        organization,
        { headers: { "content-type": "application/json" } }
      )
      const fiber = yield* Effect.forkChild(
        getOver(organizationsOver(dispatcher, { retry: { maxAttempts: 2, baseDelay: "1 second", jitter: 0 } }))
      )
      expect(yield* joinAdvancing(fiber)).toMatchObject({ id: 11, name: "Acme" })
      expect(seen).toHaveLength(2)
    }).pipe(Effect.scoped))

  it.live("interrupting a call aborts its request: the connection is closed", () =>
    Effect.gen(function*() {
      const { arrived, baseUrl, closed } = yield* silentServer
      yield* Effect.gen(function*() {
        const orgs = yield* Organizations.Organizations
        const fiber = yield* Effect.forkChild(orgs.get(11))
        yield* Deferred.await(arrived)
        yield* Fiber.interrupt(fiber)
        // the assertion: the server sees the socket close (this test times out if the abort never reaches the wire)
        yield* Deferred.await(closed)
      }).pipe(Effect.provide(NodeMakeApi.layer({ token, baseUrl, retry: "off" }).pipe(Layer.orDie)))
    }).pipe(Effect.scoped))

  it.effect("a body cut off halfway fails the attempt itself, so a GET is sent again", () =>
    Effect.gen(function*() {
      const { baseUrl, requests } = yield* cutOffOnceServer
      const fiber = yield* Effect.forkChild(getOver(
        NodeMakeApi.layer({ token, baseUrl, retry: { maxAttempts: 2, baseDelay: "1 second", jitter: 0 } }).pipe(
          Layer.orDie
        )
      ))
      expect(yield* joinAdvancing(fiber)).toMatchObject({ id: 11, name: "Acme" })
      expect(requests()).toBe(2)
    }).pipe(Effect.scoped))

  it.live("a refused connection is a TransportError \"Connection\" that names the request and never the token", () =>
    Effect.gen(function*() {
      // port 1 on loopback: nothing listens there, the connection is refused at once
      const exit = yield* Effect.exit(getOver(
        NodeMakeApi.layer({ token, baseUrl: "http://127.0.0.1:1/api/v2", retry: "off" }).pipe(Layer.orDie)
      ))
      expect(exit).toMatchObject({
        _tag: "Failure",
        cause: {
          reasons: [{
            error: { _tag: "TransportError", reason: "Connection", request: "GET /api/v2/organizations/11" }
          }]
        }
      })
      const printed = [
        String(exit),
        JSON.stringify(exit),
        Cause.pretty(exit._tag === "Failure" ? exit.cause : Cause.empty)
      ]
      for (const text of printed) expect(text).not.toContain(Redacted.value(token))
    }))

  it.effect("the request carries the traceparent of the call's own Make.Organizations.get span, a child of the caller's; off when the caller says so", () =>
    Effect.gen(function*() {
      const { agent, dispatcher, seen } = yield* mockAgent
      agent.get(origin).intercept({ path: "/api/v2/organizations/11", method: "GET" }).reply(
        200,
        organization,
        { headers: { "content-type": "application/json" } }
      ).times(2)
      const { spans, tracer } = recordingTracer()
      const get = getOver(organizationsOver(dispatcher, { retry: "off" }))
      const caller = yield* Effect.withSpan(Effect.andThen(get, Effect.orDie(Effect.currentSpan)), "caller").pipe(
        Effect.withTracer(tracer)
      )
      yield* get.pipe(Effect.provideService(HttpClient.TracerPropagationEnabled, false), Effect.withTracer(tracer))

      const call = spans.find((span) => span.name === "Make.Organizations.get")
      expect(call?.parent).toMatchObject({ _tag: "Some", value: { spanId: caller.spanId } })
      expect(headersOf(seen[0])).toMatchObject({
        traceparent: `00-${caller.traceId}-${call?.spanId}-01`
      })
      expect(call?.spanId).not.toBe(caller.spanId)
      expect(headersOf(seen[1])).not.toHaveProperty("traceparent")
      expect(seen).toHaveLength(2)
    }).pipe(Effect.scoped))

  it.effect("the cap through MakeClient.layerWith end to end: UnexpectedResponse, sent once (never retried)", () =>
    Effect.gen(function*() {
      const { agent, dispatcher, seen } = yield* mockAgent
      agent.get(origin).intercept({ path: "/api/v2/organizations/11", method: "GET" }).reply(
        200,
        Buffer.alloc(5000, 0x20),
        { headers: { "content-type": "application/json" } }
      ).persist()
      const error = yield* Effect.flip(getOver(organizationsOver(dispatcher, { maxResponseBytes: 4096 })))
      expect(error).toMatchObject({
        _tag: "UnexpectedResponse",
        status: 200,
        reason: "the body was larger than maxResponseBytes (4096 bytes); the request was aborted",
        excerpt: "GET /api/v2/organizations/11"
      })
      expect(seen).toHaveLength(1)
    }).pipe(Effect.scoped))

  it.effect("the plain transport under MakeClient.layer caps bodies too: UnexpectedResponse, sent once", () =>
    Effect.gen(function*() {
      const { agent, dispatcher, seen } = yield* mockAgent
      agent.get(origin).intercept({ path: "/api/v2/organizations/11", method: "GET" }).reply(
        200,
        Buffer.alloc(5000, 0x20),
        { headers: { "content-type": "application/json" } }
      ).persist()
      const error = yield* Effect.flip(getOver(
        Organizations.layer.pipe(
          Layer.provide(MakeClient.layer({ token, zone: "eu1.make.com", timeout: "5 seconds" })),
          Layer.provide(
            Layer.succeed(HttpClient.HttpClient)(UndiciHttpClient.make(dispatcher, { maxResponseBytes: 4096 }))
          ),
          Layer.orDie
        )
      ))
      expect(error).toMatchObject({
        _tag: "UnexpectedResponse",
        status: 200,
        reason: "the body was larger than maxResponseBytes (4096 bytes); the request was aborted",
        excerpt: "GET /api/v2/organizations/11"
      })
      expect(seen).toHaveLength(1)
    }).pipe(Effect.scoped))
})
