/**
 * The default Node transport: a lean @effect/platform HttpClient over an undici keep-alive Agent, answering with
 * buffered responses.
 *
 * @since 0.1.0
 */
// Floor 5, the `effect-make/node` entry: imports MakeClient's Transport, MakeError, undici.
import {
  Cookies,
  Headers,
  HttpClient,
  HttpClientError,
  HttpClientResponse,
  HttpIncomingMessage,
  UrlParams
} from "@effect/platform"
import type { HttpBody, HttpClientRequest } from "@effect/platform"
import * as NodeStream from "@effect/platform-node/NodeStream"
import * as Undici from "@effect/platform-node/Undici"
import { Context, Duration, Effect, Inspectable, Layer, Option, type Scope, Stream, Tracer } from "effect"
import type { IncomingHttpHeaders } from "node:http"
import type * as MakeClient from "../MakeClient.js"
import * as MakeError from "../MakeError.js"

// Why not `NodeHttpClient.layerUndici`: its generic `HttpClient.make` base opens an `http.client` span per request,
// builds span attributes from the URL and both header sets, registers every response with a FinalizationRegistry
// and reads bodies through `Effect.runSync(Effect.cached(...))`. Measured on loopback (bench/run.ts) that costs more
// than undici itself. Every effect-make call already has its own `Make.<Service>.<method>` span carrying the
// route, method, status and attempts, so this transport sends the request and nothing else, plus the W3C
// `traceparent` of that span (when the caller's tracer propagation is on, as platform's clients do), so a Make call
// joins the caller's trace over either transport.
//
// Timeouts: `Effect.timeout` races two forked fibers per request, which measured as the largest single cost of a call
// (bench/run.ts). `makeWithTimeout` lets undici enforce the timeout with its own timers instead.
//
// Buffered bodies: requests go through undici's `dispatch` with a handler that collects the body, not through
// `undici.request`, whose AbortSignal listener and Readable body stream cost about a third of a loopback call. The
// response is handed over once its body is complete, so a stalled or cut-off body fails the attempt itself (and an
// idempotent call is retried) instead of failing a later decode. Every Make answer is a bounded JSON document (lists
// are paged), so holding it whole costs nothing a JSON.parse would not.

/**
 * The undici dispatcher (an `Agent` with its connection pool) the transport sends through.
 *
 * @since 0.1.0
 * @category tags
 */
export class Dispatcher extends Context.Tag("effect-make/UndiciHttpClient/Dispatcher")<
  Dispatcher,
  Undici.Dispatcher
>() {}

const transportError = (request: HttpClientRequest.HttpClientRequest, cause: unknown): HttpClientError.RequestError =>
  cause instanceof Error
    ? new HttpClientError.RequestError({ request, reason: "Transport", cause, description: cause.message })
    : new HttpClientError.RequestError({ request, reason: "Transport", cause })

const encodeError = (request: HttpClientRequest.HttpClientRequest, cause: unknown) =>
  new HttpClientError.RequestError({ request, reason: "Encode", cause })

const toUndiciBody = (
  request: HttpClientRequest.HttpClientRequest,
  body: HttpBody.HttpBody
): Effect.Effect<Exclude<Undici.Dispatcher.DispatchOptions["body"], undefined>, HttpClientError.RequestError> => {
  switch (body._tag) {
    case "Empty":
      return Effect.succeed(null)
    case "Uint8Array":
      return Effect.succeed(body.body)
    case "Raw":
      return typeof body.body === "string" || body.body instanceof Uint8Array
        ? Effect.succeed(body.body)
        : Effect.fail(encodeError(request, "a raw body must be a string or a Uint8Array"))
    case "FormData":
      return Effect.fail(encodeError(request, "form data bodies are not part of the Make API"))
    case "Stream":
      return Effect.mapError(NodeStream.toReadable(body.stream), (cause) => encodeError(request, cause))
  }
}

class BufferedResponse extends Inspectable.Class implements HttpClientResponse.HttpClientResponse {
  readonly [HttpClientResponse.TypeId]: HttpClientResponse.TypeId = HttpClientResponse.TypeId
  readonly [HttpIncomingMessage.TypeId]: HttpIncomingMessage.TypeId = HttpIncomingMessage.TypeId

  constructor(
    readonly request: HttpClientRequest.HttpClientRequest,
    readonly status: number,
    private readonly rawHeaders: IncomingHttpHeaders,
    /** The whole body, alone in its ArrayBuffer: `arrayBuffer` (how HttpApiClient reads) hands it over uncopied. */
    private readonly body: Uint8Array<ArrayBuffer>
  ) {
    super()
  }

  get headers(): Headers.Headers {
    return Headers.fromInput(this.rawHeaders)
  }

  get cookies(): Cookies.Cookies {
    const header = this.rawHeaders["set-cookie"]
    return header === undefined ? Cookies.empty : Cookies.fromSetCookie(header)
  }

  get remoteAddress(): Option.Option<string> {
    return Option.none()
  }

  get text(): Effect.Effect<string, HttpClientError.ResponseError> {
    return Effect.sync(() => this.utf8())
  }

  private utf8(): string {
    return Buffer.from(this.body.buffer, 0, this.body.length).toString("utf8")
  }

  get json(): Effect.Effect<unknown, HttpClientError.ResponseError> {
    return Effect.try({
      try: (): unknown => this.body.length === 0 ? null : JSON.parse(this.utf8()),
      catch: (cause) =>
        new HttpClientError.ResponseError({ request: this.request, response: this, reason: "Decode", cause })
    })
  }

  get urlParamsBody(): Effect.Effect<UrlParams.UrlParams, HttpClientError.ResponseError> {
    return Effect.sync(() => UrlParams.fromInput(new URLSearchParams(this.utf8())))
  }

  get formData(): Effect.Effect<FormData, HttpClientError.ResponseError> {
    return Effect.fail(
      new HttpClientError.ResponseError({
        request: this.request,
        response: this,
        reason: "Decode",
        description: "form data bodies are not part of the Make API"
      })
    )
  }

  get arrayBuffer(): Effect.Effect<ArrayBuffer, HttpClientError.ResponseError> {
    return Effect.succeed(this.body.buffer)
  }

  get stream(): Stream.Stream<Uint8Array, HttpClientError.ResponseError> {
    return Stream.succeed(this.body)
  }

  toJSON(): unknown {
    return { _id: "@effect/platform/HttpClientResponse", request: this.request.toJSON(), status: this.status }
  }
}

/** The chunks in one fresh ArrayBuffer of exactly their length (`Buffer.concat` may answer a slice of a pool). */
const concat = (chunks: ReadonlyArray<Buffer>): Uint8Array<ArrayBuffer> => {
  let length = 0
  for (const chunk of chunks) length += chunk.length
  const bytes = new Uint8Array(length)
  let offset = 0
  for (const chunk of chunks) {
    bytes.set(chunk, offset)
    offset += chunk.length
  }
  return bytes
}

/**
 * The request's headers plus the W3C `traceparent` of the current span (the `Make.<Service>.<method>` span of the
 * call), unless the caller switched propagation off with `HttpClient.withTracerPropagation(false)`: what platform's
 * own clients send, without their extra `http.client` span.
 */
const withTraceparent = (headers: Headers.Headers): Effect.Effect<Headers.Headers> =>
  Effect.withFiberRuntime((fiber) => {
    const span = Context.getOption(fiber.currentContext, Tracer.ParentSpan)
    if (Option.isNone(span) || !fiber.getFiberRef(HttpClient.currentTracerPropagation)) return Effect.succeed(headers)
    const { sampled, spanId, traceId } = span.value
    return Effect.succeed(Headers.set(headers, "traceparent", `00-${traceId}-${spanId}-${sampled ? "01" : "00"}`))
  })

/** Why an interrupted request was aborted, should undici report it anywhere. */
const interrupted = () => new Error("effect-make: the request was interrupted")

/** The request sender both constructors share; `onError` says what a failed dispatch becomes. */
const makeSender = <E>(
  dispatcher: Undici.Dispatcher,
  timeoutMillis: number,
  onError: (request: HttpClientRequest.HttpClientRequest, url: URL, cause: unknown) => E
): HttpClient.HttpClient.With<HttpClientError.HttpClientError | E> => {
  const send = (
    request: HttpClientRequest.HttpClientRequest
  ): Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError | E> => {
    const url = UrlParams.makeUrl(request.url, request.urlParams, request.hash)
    if (url._tag === "Left") {
      return Effect.fail(new HttpClientError.RequestError({ request, reason: "InvalidUrl", cause: url.left }))
    }
    return Effect.flatMap(
      Effect.zip(toUndiciBody(request, request.body), withTraceparent(request.headers)),
      ([body, requestHeaders]) =>
        Effect.async<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError | E>((resume) => {
          let controller: Undici.Dispatcher.DispatchController | undefined
          let cancelled = false
          let status = 0
          let headers: IncomingHttpHeaders = {}
          let chunks: Array<Buffer> = []
          const handler: Undici.Dispatcher.DispatchHandler = {
            onRequestStart(started) {
              controller = started
              if (cancelled) started.abort(interrupted())
            },
            onResponseStart(_, statusCode, responseHeaders) {
              // called again after a 1xx informational answer: the final one wins
              status = statusCode
              headers = responseHeaders
              chunks = []
            },
            onResponseData(_, chunk) {
              chunks.push(chunk)
            },
            onResponseEnd() {
              resume(Effect.succeed(new BufferedResponse(request, status, headers, concat(chunks))))
            },
            onResponseError(_, error) {
              resume(Effect.fail(onError(request, url.right, error)))
            }
          }
          const options: Undici.Dispatcher.DispatchOptions = {
            method: request.method,
            origin: url.right.origin,
            path: url.right.pathname + url.right.search,
            headers: requestHeaders,
            body,
            // 0 switches undici's own limits off: without a timeout here, the caller owns it and undici must not race
            headersTimeout: timeoutMillis,
            bodyTimeout: timeoutMillis
          }
          try {
            dispatcher.dispatch(options, handler)
          } catch (cause) {
            // undici reports bad options through the handler, but a dispatcher of the caller's may throw
            resume(Effect.fail(onError(request, url.right, cause)))
          }
          return Effect.sync(() => {
            cancelled = true
            controller?.abort(interrupted())
          })
        })
    )
  }
  return HttpClient.makeWith<never, never, HttpClientError.HttpClientError | E, never>(
    (effect) => Effect.flatMap(effect, send),
    Effect.succeed
  )
}

/**
 * The transport over a given dispatcher, with no timeout of its own. Interrupting a request aborts it.
 *
 * @example
 * ```ts
 * import { Undici } from "@effect/platform-node"
 * import { UndiciHttpClient } from "effect-make/node"
 *
 * const httpClient = UndiciHttpClient.make(new Undici.Agent({ connections: 16 }))
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (dispatcher: Undici.Dispatcher): HttpClient.HttpClient =>
  makeSender(dispatcher, 0, (request, _url, cause) => transportError(request, cause))

/**
 * The transport with a per-request timeout that undici enforces with its own timers: no response headers within
 * `timeout`, or a body that stalls as long, fails with `TransportError` (`reason: "Timeout"`). This is
 * what {@link transport} uses for `MakeConfig.timeout`.
 *
 * @example
 * ```ts
 * import { Undici } from "@effect/platform-node"
 * import { UndiciHttpClient } from "effect-make/node"
 *
 * const httpClient = UndiciHttpClient.makeWithTimeout(new Undici.Agent(), "30 seconds")
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeWithTimeout = (
  dispatcher: Undici.Dispatcher,
  timeout: Duration.DurationInput
): HttpClient.HttpClient.With<HttpClientError.HttpClientError | MakeError.TransportError> => {
  const duration = Duration.decode(timeout)
  return makeSender(
    dispatcher,
    Duration.toMillis(duration),
    (request, url, cause) =>
      cause instanceof Undici.errors.HeadersTimeoutError || cause instanceof Undici.errors.BodyTimeoutError
        ? new MakeError.TransportError({
          reason: "Timeout",
          request: `${request.method} ${url.pathname}`,
          description: cause instanceof Undici.errors.HeadersTimeoutError
            ? `no response within ${Duration.format(duration)}`
            : `the response body stalled for ${Duration.format(duration)}`
        })
        : transportError(request, cause)
  )
}

/**
 * A keep-alive `Agent` for the scope; destroyed (connections closed) when the scope closes.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { UndiciHttpClient } from "effect-make/node"
 *
 * const httpClient = Effect.map(UndiciHttpClient.makeDispatcher({ connections: 8 }), UndiciHttpClient.make)
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeDispatcher = (options?: Undici.Agent.Options): Effect.Effect<Undici.Dispatcher, never, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.sync(() => new Undici.Agent(options)),
    (agent) => Effect.promise(() => agent.destroy())
  )

/**
 * The transport over the `Dispatcher` in context.
 *
 * @example
 * ```ts
 * import { Undici } from "@effect/platform-node"
 * import { Layer } from "effect"
 * import { UndiciHttpClient } from "effect-make/node"
 *
 * const HttpLive = UndiciHttpClient.layerWithoutDispatcher.pipe(
 *   Layer.provide(Layer.succeed(UndiciHttpClient.Dispatcher, new Undici.Agent()))
 * )
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layerWithoutDispatcher: Layer.Layer<HttpClient.HttpClient, never, Dispatcher> = Layer.effect(
  HttpClient.HttpClient,
  Effect.map(Dispatcher, make)
)

/**
 * The transport over its own keep-alive `Agent` (undici's defaults unless `options` say otherwise).
 *
 * @example
 * ```ts
 * import { Layer, Redacted } from "effect"
 * import { MakeClient } from "effect-make"
 * import { UndiciHttpClient } from "effect-make/node"
 *
 * const ClientLive = MakeClient.layer({ token: Redacted.make("…"), zone: "eu1.make.com" }).pipe(
 *   Layer.provide(UndiciHttpClient.layer({ connections: 16 }))
 * )
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options?: Undici.Agent.Options): Layer.Layer<HttpClient.HttpClient> =>
  layerWithoutDispatcher.pipe(Layer.provide(Layer.scoped(Dispatcher, makeDispatcher(options))))

/**
 * The Node transport of `NodeMakeApi.layer`: a keep-alive `Agent` for the client's scope (undici's defaults unless
 * `agent` says otherwise), with `MakeConfig.timeout` enforced by undici.
 *
 * @example
 * ```ts
 * import { Redacted } from "effect"
 * import { MakeClient } from "effect-make"
 * import { UndiciHttpClient } from "effect-make/node"
 *
 * const ClientLive = MakeClient.layerWith(UndiciHttpClient.transport({ connections: 16 }), {
 *   token: Redacted.make("…"),
 *   zone: "eu1.make.com"
 * })
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const transport = (agent?: Undici.Agent.Options): MakeClient.Transport<Scope.Scope> => ({
  client: (config) => Effect.map(makeDispatcher(agent), (dispatcher) => makeWithTimeout(dispatcher, config.timeout)),
  enforcesTimeout: true
})

/**
 * {@link transport} over a dispatcher the caller owns (a `ProxyAgent`, a shared `Agent`, undici's `MockAgent` in
 * tests); the caller closes it.
 *
 * @example
 * ```ts
 * import { Undici } from "@effect/platform-node"
 * import { Redacted } from "effect"
 * import { MakeClient } from "effect-make"
 * import { UndiciHttpClient } from "effect-make/node"
 *
 * const ClientLive = MakeClient.layerWith(
 *   UndiciHttpClient.transportWith(new Undici.ProxyAgent("http://proxy.internal:3128")),
 *   { token: Redacted.make("…"), zone: "eu1.make.com" }
 * )
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const transportWith = (dispatcher: Undici.Dispatcher): MakeClient.Transport => ({
  client: (config) => Effect.succeed(makeWithTimeout(dispatcher, config.timeout)),
  enforcesTimeout: true
})
