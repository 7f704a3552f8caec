/**
 * The default Node transport: a lean sender over an undici keep-alive Agent, answering with buffered responses.
 *
 * @since 1.0.0
 */
// The default Node transport: undici's dispatch with a handler that buffers the body, bounding each attempt itself.
// Floor node: imports Transport, MakeConfig, MakeError, internal/bounded, `effect` and `@effect/platform-node`.
import * as NodeStream from "@effect/platform-node/NodeStream"
import * as Undici from "@effect/platform-node/Undici"
import { Context, Duration, Effect, type Fiber, Layer, Option, References, Result, type Scope, Tracer } from "effect"
import { Headers, HttpClient, HttpClientError, HttpTraceContext, Url } from "effect/http"
import type { HttpBody, HttpClientRequest, HttpClientResponse } from "effect/http"
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
import * as MakeConfig from "../MakeConfig.js"
import * as MakeError from "../MakeError.js"
import type * as Transport from "../Transport.js"

// Why not `NodeHttpClient.layerUndici`: its generic `HttpClient.make` base opens an `http.client` span per request,
// builds span attributes from the URL and both header sets, tracks every response for its abort controller and
// reads bodies through `Effect.runSync(Effect.cached(...))`. Measured on loopback (bench/run.ts, Effect 3 line) that
// costs more than undici itself. Every effect-make call already has its own `Make.<Service>.<method>` span carrying
// the route, method, status and attempts, so this transport sends the request and nothing else, plus the W3C trace
// headers of that span (when the caller's tracer propagation is on, as platform's clients do), so a Make call joins
// the caller's trace over either transport.
//
// Timeouts: `Effect.timeout` races two fibers per request, which measured as the largest single cost of a call
// (bench/run.ts). The bounded sender runs one plain timer per attempt in the dispatch handler instead.
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
 * @since 1.0.0
 * @category services
 */
export class Dispatcher extends Context.Service<Dispatcher, Undici.Dispatcher>()(
  "effect-make/UndiciHttpClient/Dispatcher"
) {}

/** Effect 4's one `HttpClientError`, its reason a `TransportError` (no answer); the description is the cause's. */
const transportError = (
  request: HttpClientRequest.HttpClientRequest,
  cause: unknown
): HttpClientError.HttpClientError =>
  new HttpClientError.HttpClientError({
    reason: cause instanceof Error
      ? new HttpClientError.TransportError({ request, cause, description: cause.message })
      : new HttpClientError.TransportError({ request, cause })
  })

const encodeError = (request: HttpClientRequest.HttpClientRequest, description: string) =>
  new HttpClientError.HttpClientError({ reason: new HttpClientError.EncodeError({ request, description }) })

type UndiciBody = Exclude<Undici.Dispatcher.DispatchOptions["body"], undefined>

/** A body undici sends as it is, or why it cannot be sent (a stream is converted on its own, see `send`). */
const plainBody = (
  request: HttpClientRequest.HttpClientRequest,
  body: Exclude<HttpBody.HttpBody, HttpBody.Stream>
): Result.Result<UndiciBody, HttpClientError.HttpClientError> => {
  switch (body._tag) {
    case "Empty":
      return Result.succeed(null)
    case "Uint8Array":
      return Result.succeed(body.body)
    case "Raw":
      return typeof body.body === "string" || body.body instanceof Uint8Array
        ? Result.succeed(body.body)
        : Result.fail(encodeError(request, "a raw body must be a string or a Uint8Array"))
    case "FormData":
      return Result.fail(encodeError(request, "form data bodies are not part of the Make API"))
  }
}

/**
 * The request's headers plus the W3C trace headers of the fiber's current span (the `Make.<Service>.<method>` span
 * of the call), unless the caller switched tracing or propagation off (`Tracer.DisablePropagation`, or
 * `HttpClient.TracerPropagationEnabled` set to `false`): what platform's own clients send
 * (`HttpTraceContext.toHeaders`: `traceparent` and `b3`), without their extra `http.client` span.
 */
const withTraceHeaders = (fiber: Fiber.Fiber<unknown, unknown>, headers: Headers.Headers): Headers.Headers => {
  const span = Context.getOrUndefined(fiber.context, Tracer.ParentSpan)
  if (
    span === undefined || span._tag !== "Span" || !fiber.getRef(References.TracerEnabled) ||
    fiber.getRef(Tracer.DisablePropagation) || !fiber.getRef(HttpClient.TracerPropagationEnabled)
  ) return headers
  return Headers.setAll(headers, HttpTraceContext.toHeaders(span))
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
 * The request sender every constructor shares. One attempt is bounded here, in the dispatch handler: one timer from
 * dispatch to the last body byte (`setTimeout` + abort, cleared on completion: undici's own headers and body timers
 * tick about once a second and the body one restarts on every chunk, so a body dripping a byte at a time never ends),
 * and a byte count that aborts the request as soon as the body passes `maxResponseBytes`.
 */
const makeSender = <E>(
  dispatcher: Undici.Dispatcher,
  bounds: { readonly timeoutMillis: number; readonly maxResponseBytes: number },
  failures: Failures<E>
) => {
  const { maxResponseBytes, timeoutMillis } = bounds
  // Reads the fiber (for the trace headers) and suspends: two steps of the runtime per attempt, the fewest it can be.
  const dispatch = (
    request: HttpClientRequest.HttpClientRequest,
    url: URL,
    body: UndiciBody
  ): Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError | E> =>
    Effect.withFiber((fiber) =>
      Effect.callback<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError | E>((resume) => {
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
          headers: withTraceHeaders(fiber, request.headers),
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
        // interruption: the request is aborted on the wire (its connection closed), not left to run to its end
        return Effect.sync(() => {
          settled = true
          if (timer !== undefined) clearTimeout(timer)
          controller?.abort(interrupted())
        })
      })
    )
  return (
    request: HttpClientRequest.HttpClientRequest
  ): Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError | E> => {
    const url = Url.make(request.url, request.urlParams, Option.getOrUndefined(request.hash))
    if (Result.isFailure(url)) {
      return Effect.fail(
        new HttpClientError.HttpClientError({
          reason: new HttpClientError.InvalidUrlError({ request, cause: url.failure })
        })
      )
    }
    if (request.body._tag === "Stream") {
      return Effect.flatMap(
        NodeStream.toReadable(request.body.stream),
        (readable) => dispatch(request, url.success, readable)
      )
    }
    const body = plainBody(request, request.body)
    return Result.isFailure(body) ? Effect.fail(body.failure) : dispatch(request, url.success, body.success)
  }
}

/**
 * The transport over a given dispatcher as a plain `HttpClient`, with no timeout of its own (interrupting a request
 * aborts it) and a cap on response bodies (`maxResponseBytes`, default 16 MiB): past it the request is aborted and
 * fails with an `HttpClientError` whose `DecodeError` reason has a `ResponseTooLarge` cause (the client reports it as
 * `UnexpectedResponse`). Redirects are answered as they are: undici's dispatch follows none.
 *
 * @example
 * ```ts
 * import * as Undici from "@effect/platform-node/Undici"
 * import { UndiciHttpClient } from "effect-make/node"
 *
 * const httpClient = UndiciHttpClient.make(new Undici.Agent({ connections: 16 }))
 * ```
 *
 * @since 1.0.0
 * @category constructors
 */
export const make = (
  dispatcher: Undici.Dispatcher,
  options?: { readonly maxResponseBytes?: number | undefined }
): HttpClient.HttpClient => {
  const limit = options?.maxResponseBytes ?? MakeConfig.defaultMaxResponseBytes
  const send = makeSender<HttpClientError.HttpClientError>(dispatcher, {
    timeoutMillis: 0,
    maxResponseBytes: limit
  }, {
    transport: transportError,
    // no timer runs without a timeout: this is never called
    timeout: (request) => transportError(request, new Error("timed out")),
    tooLarge: (response, declared) =>
      new HttpClientError.HttpClientError({
        reason: new HttpClientError.DecodeError({
          request: response.request,
          response,
          cause: new ResponseTooLarge({ limit, declared })
        })
      })
  })
  return HttpClient.makeWith<never, never, HttpClientError.HttpClientError, never>(
    (request) => Effect.flatMap(request, send),
    Effect.succeed
  )
}

/**
 * The sender bounding each attempt as the client expects of a transport that `boundsAttempts` (see
 * `Transport.Transport`): headers and body within `timeout` (else `TransportError`, `reason: "Timeout"`, the request
 * aborted), a body of at most `maxResponseBytes` (else `UnexpectedResponse`, the request aborted), redirects answered
 * as they are (undici's dispatch follows none).
 */
const makeBounded = (
  dispatcher: Undici.Dispatcher,
  config: Pick<MakeConfig.Resolved, "timeout" | "maxResponseBytes">
): Transport.Send =>
  makeSender<Transport.AttemptError>(dispatcher, {
    timeoutMillis: Duration.toMillis(config.timeout),
    maxResponseBytes: config.maxResponseBytes
  }, {
    // a dispatcher of the caller's may run undici's own timers: their expiry is a timeout too
    transport: (request, cause) =>
      cause instanceof Undici.errors.HeadersTimeoutError || cause instanceof Undici.errors.BodyTimeoutError
        ? new MakeError.TransportError({ reason: "Timeout", request: describe(request), description: cause.message })
        : transportError(request, cause),
    timeout: (request) => timedOut(request, config.timeout),
    tooLarge: (response, declared) => tooLarge(response.request, response.status, config.maxResponseBytes, declared)
  })

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
 * @since 1.0.0
 * @category constructors
 */
export const makeDispatcher = (options?: Undici.Agent.Options): Effect.Effect<Undici.Dispatcher, never, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.sync(() => new Undici.Agent(options)),
    (agent) => Effect.promise(() => agent.destroy())
  )

/**
 * The plain transport ({@link make}) over the `Dispatcher` in context, as the `HttpClient`.
 *
 * @example
 * ```ts
 * import * as Undici from "@effect/platform-node/Undici"
 * import { Layer } from "effect"
 * import { UndiciHttpClient } from "effect-make/node"
 *
 * const HttpLive = UndiciHttpClient.layerWithoutDispatcher.pipe(
 *   Layer.provide(Layer.succeed(UndiciHttpClient.Dispatcher, new Undici.Agent()))
 * )
 * ```
 *
 * @since 1.0.0
 * @category layers
 */
export const layerWithoutDispatcher: Layer.Layer<HttpClient.HttpClient, never, Dispatcher> = Layer.effect(
  HttpClient.HttpClient,
  Effect.map(Effect.service(Dispatcher), (dispatcher) => make(dispatcher))
)

/**
 * The plain transport ({@link make}) over its own keep-alive `Agent` (undici's defaults unless `options` say
 * otherwise), as the `HttpClient`.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { HttpClient } from "effect/http"
 * import { UndiciHttpClient } from "effect-make/node"
 *
 * const program = HttpClient.get("https://eu1.make.com/api/v2/ping").pipe(
 *   Effect.provide(UndiciHttpClient.layer({ connections: 16 }))
 * )
 * ```
 *
 * @since 1.0.0
 * @category layers
 */
export const layer = (options?: Undici.Agent.Options): Layer.Layer<HttpClient.HttpClient> =>
  layerWithoutDispatcher.pipe(Layer.provide(Layer.effect(Dispatcher, makeDispatcher(options))))

/**
 * The Node transport: a keep-alive `Agent` for the client's scope (undici's defaults unless `agent` says otherwise),
 * each attempt bounded in the dispatch handler (one timer, a byte count, no redirect followed).
 *
 * @example
 * ```ts
 * import { Effect, Redacted } from "effect"
 * import { MakeConfig } from "effect-make"
 * import { UndiciHttpClient } from "effect-make/node"
 *
 * const send = Effect.flatMap(
 *   MakeConfig.make({ token: Redacted.make("…"), zone: "eu1.make.com" }),
 *   UndiciHttpClient.transport({ connections: 16 }).make
 * )
 * ```
 *
 * @since 1.0.0
 * @category transports
 */
export const transport = (agent?: Undici.Agent.Options): Transport.Transport<Scope.Scope> => ({
  make: (config) => Effect.map(makeDispatcher(agent), (dispatcher) => makeBounded(dispatcher, config)),
  boundsAttempts: true
})

/**
 * {@link transport} over a dispatcher the caller owns (a `ProxyAgent`, a shared `Agent`, undici's `MockAgent` in
 * tests); the caller closes it.
 *
 * @example
 * ```ts
 * import * as Undici from "@effect/platform-node/Undici"
 * import { UndiciHttpClient } from "effect-make/node"
 *
 * const proxied = UndiciHttpClient.transportWith(new Undici.ProxyAgent("http://proxy.internal:3128"))
 * ```
 *
 * @since 1.0.0
 * @category transports
 */
export const transportWith = (dispatcher: Undici.Dispatcher): Transport.Transport => ({
  make: (config) => Effect.succeed(makeBounded(dispatcher, config)),
  boundsAttempts: true
})
