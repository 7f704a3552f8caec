/**
 * The default Node transport: a lean @effect/platform HttpClient over an undici keep-alive Agent, answering with
 * buffered responses.
 *
 * @since 0.1.0
 */
// Floor 5, the `effect-make/node` entry: imports MakeClient's Transport, MakeConfig, MakeError, internal/bounded
// and undici.
import { Headers, HttpClient, HttpClientError, UrlParams } from "@effect/platform"
import type { HttpBody, HttpClientRequest, HttpClientResponse } from "@effect/platform"
import * as NodeStream from "@effect/platform-node/NodeStream"
import * as Undici from "@effect/platform-node/Undici"
import { Context, Duration, Effect, Either, type Fiber, Layer, type Scope } from "effect"
import type { IncomingHttpHeaders } from "node:http"
import {
  BufferedResponse,
  concat,
  contentLength,
  describe,
  ResponseTooLarge,
  timedOut,
  tooLarge
} from "../internal/bounded.js"
import type * as MakeClient from "../MakeClient.js"
import * as MakeConfig from "../MakeConfig.js"
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
// (bench/run.ts). `makeBounded` runs one plain timer per attempt in the dispatch handler instead.
//
// Buffered bodies: requests go through undici's `dispatch` with a handler that collects the body, not through
// `undici.request`, whose AbortSignal listener and Readable body stream cost about a third of a loopback call. The
// response is handed over once its body is complete, so a stalled or cut-off body fails the attempt itself (and an
// idempotent call is retried) instead of failing a later decode. Every Make answer is a bounded JSON document (lists
// are paged), so holding it whole costs nothing a JSON.parse would not; a body past `maxResponseBytes` is cut off
// (the request aborted) while it arrives, so a hostile one never fills the heap.

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

type UndiciBody = Exclude<Undici.Dispatcher.DispatchOptions["body"], undefined>

/** A body undici sends as it is, or why it cannot be sent (a stream is converted on its own, see `send`). */
const plainBody = (
  request: HttpClientRequest.HttpClientRequest,
  body: Exclude<HttpBody.HttpBody, HttpBody.Stream>
): Either.Either<UndiciBody, HttpClientError.RequestError> => {
  switch (body._tag) {
    case "Empty":
      return Either.right(null)
    case "Uint8Array":
      return Either.right(body.body)
    case "Raw":
      return typeof body.body === "string" || body.body instanceof Uint8Array
        ? Either.right(body.body)
        : Either.left(encodeError(request, "a raw body must be a string or a Uint8Array"))
    case "FormData":
      return Either.left(encodeError(request, "form data bodies are not part of the Make API"))
  }
}

/**
 * The request's headers plus the W3C `traceparent` of the fiber's current span (the `Make.<Service>.<method>` span
 * of the call), unless the caller switched propagation off with `HttpClient.withTracerPropagation(false)`: what
 * platform's own clients send, without their extra `http.client` span.
 */
const withTraceparent = (fiber: Fiber.RuntimeFiber<unknown, unknown>, headers: Headers.Headers): Headers.Headers => {
  const span = fiber.currentSpan
  if (span === undefined || !fiber.getFiberRef(HttpClient.currentTracerPropagation)) return headers
  const { sampled, spanId, traceId } = span
  return Headers.set(headers, "traceparent", `00-${traceId}-${spanId}-${sampled ? "01" : "00"}`)
}

/** Why an interrupted request was aborted, should undici report it anywhere. */
const interrupted = () => new Error("effect-make: the request was interrupted")

/** What a failed attempt becomes, per constructor: a plain `HttpClientError`, or the pipeline's own errors. */
interface Failures<E> {
  readonly transport: (request: HttpClientRequest.HttpClientRequest, cause: unknown) => E
  readonly timeout: (request: HttpClientRequest.HttpClientRequest) => E
  readonly tooLarge: (response: BufferedResponse, declared: number | undefined) => E
}

/**
 * The request sender both constructors share. One attempt is bounded here, in the dispatch handler: one timer from
 * dispatch to the last body byte (`setTimeout` + abort, cleared on completion: undici's own headers and body timers
 * tick about once a second and the body one restarts on every chunk, so a body dripping a byte at a time never ends),
 * and a byte count that aborts the request as soon as the body passes `maxResponseBytes`.
 */
const makeSender = <E>(
  dispatcher: Undici.Dispatcher,
  bounds: { readonly timeoutMillis: number; readonly maxResponseBytes: number },
  failures: Failures<E>
): HttpClient.HttpClient.With<HttpClientError.HttpClientError | E> => {
  const { maxResponseBytes, timeoutMillis } = bounds
  const send = (
    request: HttpClientRequest.HttpClientRequest
  ): Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError | E> => {
    const url = UrlParams.makeUrl(request.url, request.urlParams, request.hash)
    if (url._tag === "Left") {
      return Effect.fail(new HttpClientError.RequestError({ request, reason: "InvalidUrl", cause: url.left }))
    }
    if (request.body._tag === "Stream") {
      return Effect.flatMap(
        Effect.mapError(NodeStream.toReadable(request.body.stream), (cause) => encodeError(request, cause)),
        (readable) => dispatch(request, url.right, readable)
      )
    }
    const body = plainBody(request, request.body)
    return Either.isLeft(body) ? Effect.fail(body.left) : dispatch(request, url.right, body.right)
  }
  // Reads the fiber (for the traceparent) and suspends: two steps of the runtime per attempt, the fewest it can be.
  const dispatch = (
    request: HttpClientRequest.HttpClientRequest,
    url: URL,
    body: UndiciBody
  ): Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError | E> =>
    Effect.withFiberRuntime((fiber) =>
      Effect.async<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError | E>((resume) => {
        let controller: Undici.Dispatcher.DispatchController | undefined
        // set once the attempt has its outcome (or was interrupted): later handler calls change nothing
        let settled = false
        let timer: ReturnType<typeof setTimeout> | undefined
        let status = 0
        let headers: IncomingHttpHeaders = {}
        let chunks: Array<Buffer> = []
        let received = 0
        const settle = (outcome: Effect.Effect<HttpClientResponse.HttpClientResponse, E>) => {
          if (settled) return
          settled = true
          if (timer !== undefined) clearTimeout(timer)
          resume(outcome)
        }
        const abort = (outcome: E, reason: Error) => {
          settle(Effect.fail(outcome))
          controller?.abort(reason)
        }
        const overCap = (declared: number | undefined) =>
          abort(
            failures.tooLarge(new BufferedResponse(request, status, headers, new Uint8Array(0)), declared),
            new Error("effect-make: the response body is larger than maxResponseBytes")
          )
        const handler: Undici.Dispatcher.DispatchHandler = {
          onRequestStart(started) {
            controller = started
            if (settled) started.abort(interrupted())
          },
          onResponseStart(_, statusCode, responseHeaders) {
            // called again after a 1xx informational answer: the final one wins
            status = statusCode
            headers = responseHeaders
            chunks = []
            received = 0
            const declared = contentLength(responseHeaders["content-length"])
            if (declared !== undefined && declared > maxResponseBytes) overCap(declared)
          },
          onResponseData(_, chunk) {
            if (settled) return
            received += chunk.length
            if (received > maxResponseBytes) return overCap(undefined)
            chunks.push(chunk)
          },
          onResponseEnd() {
            // one chunk (a small answer, the usual case) is kept as undici handed it over: no copy
            const [only] = chunks
            const body = chunks.length === 1 && only !== undefined ? only : concat(chunks, received)
            settle(Effect.succeed(new BufferedResponse(request, status, headers, body)))
          },
          onResponseError(_, error) {
            settle(Effect.fail(failures.transport(request, error)))
          }
        }
        const options: Undici.Dispatcher.DispatchOptions = {
          method: request.method,
          origin: url.origin,
          path: url.pathname + url.search,
          headers: withTraceparent(fiber, request.headers),
          body,
          // undici's own timers off: the one timer below bounds the attempt, or the caller does
          headersTimeout: 0,
          bodyTimeout: 0
        }
        if (timeoutMillis > 0) {
          timer = setTimeout(
            () => abort(failures.timeout(request), new Error("effect-make: the attempt timed out")),
            timeoutMillis
          )
        }
        try {
          dispatcher.dispatch(options, handler)
        } catch (cause) {
          // undici reports bad options through the handler, but a dispatcher of the caller's may throw
          settle(Effect.fail(failures.transport(request, cause)))
        }
        return Effect.sync(() => {
          settled = true
          if (timer !== undefined) clearTimeout(timer)
          controller?.abort(interrupted())
        })
      })
    )
  return HttpClient.makeWith<never, never, HttpClientError.HttpClientError | E, never>(
    (effect) => Effect.flatMap(effect, send),
    Effect.succeed
  )
}

/**
 * The transport over a given dispatcher, with no timeout of its own (interrupting a request aborts it) and a cap on
 * response bodies (`maxResponseBytes`, default 16 MiB): past it the request is aborted and fails with a
 * `ResponseError` (`MakeClient`'s pipeline reports it as `UnexpectedResponse`).
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
export const make = (
  dispatcher: Undici.Dispatcher,
  options?: { readonly maxResponseBytes?: number | undefined }
): HttpClient.HttpClient =>
  makeSender<HttpClientError.HttpClientError>(dispatcher, {
    timeoutMillis: 0,
    maxResponseBytes: options?.maxResponseBytes ?? MakeConfig.defaultMaxResponseBytes
  }, {
    transport: transportError,
    // no timer runs without a timeout: this is never called
    timeout: (request) => transportError(request, new Error("timed out")),
    tooLarge: (response, declared) =>
      new HttpClientError.ResponseError({
        request: response.request,
        response,
        reason: "Decode",
        cause: new ResponseTooLarge({
          limit: options?.maxResponseBytes ?? MakeConfig.defaultMaxResponseBytes,
          declared
        })
      })
  })

/**
 * The transport bounding each attempt as `MakeClient`'s pipeline expects of a {@link MakeClient.Transport} that
 * `boundsAttempts`: headers and body within `timeout` (else `TransportError`, `reason: "Timeout"`, the request
 * aborted), a body of at most `maxResponseBytes` (else `UnexpectedResponse`, the request aborted), redirects
 * answered as they are (undici's dispatch follows none). This is what {@link transport} uses.
 *
 * @example
 * ```ts
 * import { Undici } from "@effect/platform-node"
 * import { UndiciHttpClient } from "effect-make/node"
 *
 * const httpClient = UndiciHttpClient.makeBounded(new Undici.Agent(), {
 *   timeout: "30 seconds",
 *   maxResponseBytes: 16 * 1024 * 1024
 * })
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeBounded = (
  dispatcher: Undici.Dispatcher,
  options: { readonly timeout: Duration.DurationInput; readonly maxResponseBytes: number }
): HttpClient.HttpClient.With<MakeClient.AttemptError> => {
  const timeout = Duration.decode(options.timeout)
  return makeSender<MakeClient.AttemptError>(dispatcher, {
    timeoutMillis: Duration.toMillis(timeout),
    maxResponseBytes: options.maxResponseBytes
  }, {
    // a dispatcher of the caller's may run undici's own timers: their expiry is a timeout too
    transport: (request, cause) =>
      cause instanceof Undici.errors.HeadersTimeoutError || cause instanceof Undici.errors.BodyTimeoutError
        ? new MakeError.TransportError({ reason: "Timeout", request: describe(request), description: cause.message })
        : transportError(request, cause),
    timeout: (request) => timedOut(request, timeout),
    tooLarge: (response, declared) => tooLarge(response.request, response.status, options.maxResponseBytes, declared)
  })
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
 * `agent` says otherwise), each attempt bounded in the dispatch handler (see {@link makeBounded}).
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
  client: (config) => Effect.map(makeDispatcher(agent), (dispatcher) => makeBounded(dispatcher, config)),
  boundsAttempts: true
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
  client: (config) => Effect.succeed(makeBounded(dispatcher, config)),
  boundsAttempts: true
})
