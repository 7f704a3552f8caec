// The Node transport: a dispatcher's timeouts are TransportError "Timeout", interruption aborts
// the request on the wire, a cut-off body fails the attempt, and errors never print the token.
import { HttpClient } from "@effect/platform"
import * as Undici from "@effect/platform-node/Undici"
import { describe, expect, it } from "@effect/vitest"
import { Cause, Chunk, Deferred, Effect, Fiber, Layer, Redacted, TestClock } from "effect"
import { createServer, type RequestListener, type Server } from "node:http"
import type { AddressInfo } from "node:net"
import * as MakeClient from "../../src/MakeClient.js"
import { NodeMakeApi } from "../../src/node/index.js"
import * as UndiciHttpClient from "../../src/node/UndiciHttpClient.js"
import * as Organizations from "../../src/Organizations.js"

const token = Redacted.make("b5a1c9e2-7d3f-4e6a-8b0c-2f1e3d4c5b6a")
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

/** The Organizations service over the undici transport on `dispatcher`. */
const organizationsOver = (dispatcher: Undici.Dispatcher, options: Partial<MakeClient.Options>) =>
  Organizations.layer.pipe(
    Layer.provide(
      MakeClient.layerWith(UndiciHttpClient.transportWith(dispatcher), { token, zone: "eu1.make.com", ...options })
    ),
    Layer.orDie
  )

/** Waits, a turn of the event loop at a time (the MockAgent answers asynchronously), until a fiber sleeps. */
const untilSleeping: Effect.Effect<void> = Effect.gen(function*() {
  for (let turn = 0; Chunk.isEmpty(yield* TestClock.sleeps()); turn++) {
    if (turn === 10_000) return yield* Effect.dieMessage("no fiber went to sleep: the retry never started")
    yield* Effect.promise(() => new Promise<void>((resolve) => setImmediate(resolve)))
  }
})

/** A server on a free loopback port for the scope; answers `/api/v2` as `handler` says. */
const loopbackServer = (handler: RequestListener) =>
  Effect.acquireRelease(
    Effect.async<{ readonly server: Server; readonly baseUrl: string }>((resume) => {
      const server = createServer(handler)
      server.listen(0, "127.0.0.1", () => {
        const address = server.address()
        const port = address !== null && typeof address === "object" ? (address satisfies AddressInfo).port : 0
        resume(Effect.succeed({ server, baseUrl: `http://127.0.0.1:${port}/api/v2` }))
      })
    }),
    ({ server }) =>
      Effect.async<void>((resume) => {
        server.closeAllConnections()
        server.close(() => resume(Effect.void))
      })
  ).pipe(Effect.map(({ baseUrl }) => baseUrl))

/** A server that takes requests and never answers them; says when one arrives and when its socket closes. */
const silentServer = Effect.gen(function*() {
  const arrived = yield* Deferred.make<void>()
  const closed = yield* Deferred.make<void>()
  const baseUrl = yield* loopbackServer((request) => {
    Deferred.unsafeDone(arrived, Effect.void)
    request.socket.once("close", () => Deferred.unsafeDone(closed, Effect.void))
  })
  return { arrived, closed, baseUrl }
})

/** A server whose first answer promises 1 KB and stops after a few bytes; later answers are whole. */
const cutOffOnceServer = Effect.gen(function*() {
  let count = 0
  const baseUrl = yield* loopbackServer((_request, response) => {
    count++
    if (count === 1) {
      response.writeHead(200, { "content-type": "application/json", "content-length": 1024 })
      response.write("{\"organiz", () => response.socket?.destroy())
      return
    }
    const body = JSON.stringify({ organization: { id: 11, name: "Acme" } })
    response.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) })
    response.end(body)
  })
  return { baseUrl, requests: () => count }
})

describe("UndiciHttpClient", () => {
  it.effect("a dispatcher's own headers timeout is a TransportError Timeout; undici's timers are off (one timer bounds)", () =>
    Effect.gen(function*() {
      const { agent, dispatcher, seen } = yield* mockAgent
      agent.get(origin).intercept({ path: "/api/v2/organizations/11", method: "GET" }).replyWithError(
        new Undici.errors.HeadersTimeoutError()
      )
      const error = yield* Organizations.Organizations.pipe(
        Effect.flatMap((orgs) => Effect.flip(orgs.get(11))),
        Effect.provide(organizationsOver(dispatcher, { timeout: "5 seconds", retry: "off" }))
      )
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

  it.effect("the request carries the W3C traceparent of the call's span, in the caller's trace; off when the caller says so", () =>
    Effect.gen(function*() {
      const { agent, dispatcher, seen } = yield* mockAgent
      const pool = agent.get(origin)
      for (let i = 0; i < 2; i++) {
        pool.intercept({ path: "/api/v2/organizations/11", method: "GET" }).reply(
          200,
          { organization: { id: 11, name: "Acme" } },
          { headers: { "content-type": "application/json" } }
        )
      }
      const get = (options: Partial<MakeClient.Options>) =>
        Organizations.Organizations.pipe(
          Effect.flatMap((orgs) => orgs.get(11)),
          Effect.provide(organizationsOver(dispatcher, { retry: "off", ...options }))
        )
      const caller = yield* Effect.withSpan(Effect.zipLeft(Effect.orDie(Effect.currentSpan), get({})), "caller")
      yield* get({ transformClient: HttpClient.withTracerPropagation(false) })

      const headersOf = (options: Undici.Dispatcher.DispatchOptions | undefined): Record<string, unknown> => {
        const headers: unknown = options?.headers
        return typeof headers === "object" && headers !== null ? { ...headers } : {}
      }
      const traceparent = String(headersOf(seen[0])["traceparent"])
      expect(traceparent).toMatch(new RegExp(`^00-${caller.traceId}-[0-9a-f]{16}-01$`))
      // the span of the request is the call's own Make.Organizations.get span, a child of the caller's
      expect(traceparent.split("-")[2]).not.toBe(caller.spanId)
      expect(headersOf(seen[1])).not.toHaveProperty("traceparent")
    }).pipe(Effect.scoped))

  it.effect("a timed-out GET is retried like any request that got no answer", () =>
    Effect.gen(function*() {
      const { agent, dispatcher, seen } = yield* mockAgent
      const pool = agent.get(origin)
      pool.intercept({ path: "/api/v2/organizations/11", method: "GET" }).replyWithError(
        new Undici.errors.HeadersTimeoutError()
      )
      pool.intercept({ path: "/api/v2/organizations/11", method: "GET" }).reply(
        200,
        { organization: { id: 11, name: "Acme" } },
        { headers: { "content-type": "application/json" } }
      )
      const fiber = yield* Organizations.Organizations.pipe(
        Effect.flatMap((orgs) => orgs.get(11)),
        Effect.provide(organizationsOver(dispatcher, { retry: { maxAttempts: 2, baseDelay: "1 second", jitter: 0 } })),
        Effect.fork
      )
      yield* untilSleeping
      yield* TestClock.adjust("1 second")
      const organization = yield* Fiber.join(fiber)
      expect(organization).toMatchObject({ id: 11, name: "Acme" })
      expect(seen).toHaveLength(2)
    }).pipe(Effect.scoped))

  it.effect("interrupting a call aborts its request: the connection is closed", () =>
    Effect.gen(function*() {
      const { arrived, baseUrl, closed } = yield* silentServer
      yield* Effect.gen(function*() {
        const orgs = yield* Organizations.Organizations
        const fiber = yield* Effect.fork(orgs.get(11))
        yield* Deferred.await(arrived)
        yield* Fiber.interrupt(fiber)
        // the assertion: the server sees the socket close (this test times out if the abort never reaches the wire)
        yield* Deferred.await(closed)
      }).pipe(Effect.provide(NodeMakeApi.layer({ token, baseUrl, retry: "off" }).pipe(Layer.orDie)))
    }).pipe(Effect.scoped))

  it.effect("a body cut off halfway fails the attempt itself, so a GET is sent again", () =>
    Effect.gen(function*() {
      const { baseUrl, requests } = yield* cutOffOnceServer
      const fiber = yield* Organizations.Organizations.pipe(
        Effect.flatMap((orgs) => orgs.get(11)),
        Effect.provide(
          NodeMakeApi.layer({ token, baseUrl, retry: { maxAttempts: 2, baseDelay: "1 second", jitter: 0 } }).pipe(
            Layer.orDie
          )
        ),
        Effect.fork
      )
      yield* untilSleeping
      yield* TestClock.adjust("1 second")
      expect(yield* Fiber.join(fiber)).toMatchObject({ id: 11, name: "Acme" })
      expect(requests()).toBe(2)
    }).pipe(Effect.scoped))

  it.effect("a refused connection is a TransportError that names the request and never the token", () =>
    Effect.gen(function*() {
      const exit = yield* Organizations.Organizations.pipe(
        Effect.flatMap((orgs) => orgs.get(11)),
        // port 1 on loopback: nothing listens there, the connection is refused at once
        Effect.provide(
          NodeMakeApi.layer({ token, baseUrl: "http://127.0.0.1:1/api/v2", retry: "off" }).pipe(Layer.orDie)
        ),
        Effect.exit
      )
      expect(exit).toMatchObject({
        _tag: "Failure",
        cause: { error: { _tag: "TransportError", reason: "Connection", request: "GET /api/v2/organizations/11" } }
      })
      const printed = [
        String(exit),
        JSON.stringify(exit),
        Cause.pretty(exit._tag === "Failure" ? exit.cause : Cause.empty)
      ]
      for (const text of printed) expect(text).not.toContain(Redacted.value(token))
    }))

  it.effect("the plain transport under MakeClient.layer caps bodies too: UnexpectedResponse, sent once", () =>
    Effect.gen(function*() {
      const { agent, dispatcher, seen } = yield* mockAgent
      agent.get(origin).intercept({ path: "/api/v2/organizations/11", method: "GET" }).reply(
        200,
        Buffer.alloc(5000, 0x20),
        { headers: { "content-type": "application/json" } }
      ).persist()
      const error = yield* Organizations.Organizations.pipe(
        Effect.flatMap((orgs) => Effect.flip(orgs.get(11))),
        Effect.provide(
          Organizations.layer.pipe(
            Layer.provide(MakeClient.layer({ token, zone: "eu1.make.com", timeout: "5 seconds" })),
            Layer.provide(
              Layer.succeed(HttpClient.HttpClient, UndiciHttpClient.make(dispatcher, { maxResponseBytes: 4096 }))
            ),
            Layer.orDie
          )
        )
      )
      expect(error).toMatchObject({
        _tag: "UnexpectedResponse",
        status: 200,
        reason: "the body was larger than maxResponseBytes (4096 bytes); the request was aborted",
        excerpt: "GET /api/v2/organizations/11"
      })
      expect(seen).toHaveLength(1)
    }).pipe(Effect.scoped))

  it.effect("without a timeout, undici's own limits are off (0) so they cannot race the caller's", () =>
    Effect.gen(function*() {
      const { agent, dispatcher, seen } = yield* mockAgent
      agent.get(origin).intercept({ path: "/ping", method: "GET" }).reply(204, "")
      const response = yield* HttpClient.get(`${origin}/ping`).pipe(
        Effect.provideService(HttpClient.HttpClient, UndiciHttpClient.make(dispatcher))
      )
      expect(response.status).toBe(204)
      expect(seen.map((options) => [options.headersTimeout, options.bodyTimeout])).toEqual([[0, 0]])
    }).pipe(Effect.scoped))
})
