// What bounds one attempt over any HttpClient: a size cap enforced while the body is read, one deadline for headers
// and body, no redirect followed by fetch. Floor 2 (internal): imports `effect`, `effect/http`, MakeConfig, MakeError.
/**
 * @since 1.0.0
 * @internal
 */
import { Data, Duration, Effect, Inspectable, Option, Pipeable, Result, Stream } from "effect"
import type { Schema } from "effect"
import {
  Cookies,
  FetchHttpClient,
  Headers,
  HttpClientError,
  HttpClientRequest,
  HttpClientResponse,
  HttpIncomingMessage,
  UrlParams
} from "effect/http"
import type { Socket } from "effect/socket"
import type * as MakeConfig from "../MakeConfig.js"
import * as MakeError from "../MakeError.js"

/**
 * `GET /api/v2/organizations/11`: the request without origin, query or headers, for errors and logs.
 *
 * @internal
 */
export const describe = (request: HttpClientRequest.HttpClientRequest): string => {
  const url = URL.canParse(request.url) ? new URL(request.url).pathname : request.url
  return `${request.method} ${url}`
}

/** `16 MiB` for a whole number of MiB, else bytes: the cap as the user wrote it, most likely. */
const formatBytes = (bytes: number): string =>
  bytes % (1024 * 1024) === 0 ? `${bytes / (1024 * 1024)} MiB` : `${bytes} bytes`

/**
 * The call's error for a body past `maxResponseBytes`: the request was aborted, the body was larger than the cap.
 *
 * @internal
 */
export const tooLarge = (
  request: HttpClientRequest.HttpClientRequest,
  status: number,
  limit: number,
  declared: number | undefined
): MakeError.UnexpectedResponse =>
  new MakeError.UnexpectedResponse({
    status,
    reason: declared === undefined
      ? `the body was larger than maxResponseBytes (${formatBytes(limit)}); the request was aborted`
      : `the body was larger than maxResponseBytes (${
        formatBytes(limit)
      }): Content-Length ${declared}; the request was aborted`,
    excerpt: describe(request)
  })

/**
 * Why a plain transport (one whose error channel holds only `HttpClientError`s, such as the undici transport)
 * aborted a response: the cause of its response error, which the pipeline turns back into {@link tooLarge}.
 *
 * @internal
 */
export class ResponseTooLarge extends Data.TaggedError("ResponseTooLarge")<{
  readonly limit: number
  readonly declared: number | undefined
}> {
  override get message(): string {
    return `the response body was larger than ${formatBytes(this.limit)}`
  }
}

/**
 * A declared `Content-Length`, when it is one (a list or garbage declares nothing).
 *
 * @internal
 */
export const contentLength = (header: string | ReadonlyArray<string> | undefined): number | undefined =>
  typeof header === "string" && /^\s*\d+\s*$/.test(header) ? Number(header) : undefined

const utf8 = new TextDecoder()

/**
 * A response whose body was read whole, within the attempt: reading it again cannot block, fail on the wire or
 * exceed the cap. Headers are kept as the transport gave them and parsed only when asked for.
 *
 * @internal
 */
export class BufferedResponse extends Inspectable.Class implements HttpClientResponse.HttpClientResponse {
  readonly [HttpClientResponse.TypeId]: typeof HttpClientResponse.TypeId = HttpClientResponse.TypeId
  readonly [HttpIncomingMessage.TypeId]: typeof HttpIncomingMessage.TypeId = HttpIncomingMessage.TypeId

  constructor(
    readonly request: HttpClientRequest.HttpClientRequest,
    readonly status: number,
    private readonly rawHeaders: Readonly<Record<string, string | ReadonlyArray<string> | undefined>>,
    /**
     * The whole body. A transport may hand over the one chunk it received (a view into its read buffer): `text` and
     * `json` decode it where it lies, and only `arrayBuffer` copies it out, unless it is its buffer's whole.
     */
    private readonly body: Uint8Array
  ) {
    super()
  }

  /** The request's URL without its fragment (Effect 4's responses carry one; a buffered answer followed no hop). */
  get url(): string {
    return Option.match(HttpClientRequest.toUrl(this.request), {
      onNone: () => "",
      onSome: (url) => {
        url.hash = ""
        return url.href
      }
    })
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

  get text(): Effect.Effect<string, HttpClientError.HttpClientError> {
    return Effect.sync(() => this.textNow())
  }

  /** The body as text, at once: it is already here (what `text` answers, without a step of the runtime). */
  textNow(): string {
    return utf8.decode(this.body)
  }

  private parsed: Result.Result<unknown, string> | undefined

  /**
   * The body parsed as JSON, at once and only once (the retry stage asks whether a GET's answer is JSON at all, the
   * decoder then needs the value): `undefined` for an empty body, the text as the failure when it is not JSON.
   */
  jsonNow(): Result.Result<unknown, string> {
    if (this.parsed === undefined) {
      const text = this.textNow()
      try {
        this.parsed = Result.succeed(text === "" ? undefined : JSON.parse(text))
      } catch {
        this.parsed = Result.fail(text)
      }
    }
    return this.parsed
  }

  private decodeError(cause: unknown, description?: string): HttpClientError.HttpClientError {
    return new HttpClientError.HttpClientError({
      reason: new HttpClientError.DecodeError({ request: this.request, response: this, cause, description })
    })
  }

  get json(): Effect.Effect<Schema.Json, HttpClientError.HttpClientError> {
    return Effect.try({
      try: (): Schema.Json => this.body.length === 0 ? null : JSON.parse(utf8.decode(this.body)),
      catch: (cause) => this.decodeError(cause)
    })
  }

  get urlParamsBody(): Effect.Effect<UrlParams.UrlParams, HttpClientError.HttpClientError> {
    return Effect.sync(() => UrlParams.fromInput(new URLSearchParams(utf8.decode(this.body))))
  }

  get formData(): Effect.Effect<FormData, HttpClientError.HttpClientError> {
    return Effect.fail(this.decodeError(undefined, "form data bodies are not part of the Make API"))
  }

  get arrayBuffer(): Effect.Effect<ArrayBuffer, HttpClientError.HttpClientError> {
    const { buffer, byteLength, byteOffset } = this.body
    const whole = buffer instanceof ArrayBuffer && byteOffset === 0 && byteLength === buffer.byteLength
    return Effect.succeed(whole ? buffer : this.body.slice().buffer)
  }

  get stream(): Stream.Stream<Uint8Array, HttpClientError.HttpClientError> {
    return Stream.succeed(this.body)
  }

  /** New in Effect 4's response: the Make API never switches protocols, and the body is already read. */
  get upgrade(): Effect.Effect<Socket.Socket, HttpClientError.HttpClientError> {
    return Effect.fail(
      new HttpClientError.HttpClientError({
        reason: new HttpClientError.StatusCodeError({
          request: this.request,
          response: this,
          description: "a buffered response cannot hand over its connection"
        })
      })
    )
  }

  toJSON(): unknown {
    return { _id: "HttpClientResponse", request: this.request.toJSON(), status: this.status }
  }

  pipe() {
    return Pipeable.pipeArguments(this, arguments)
  }
}

/**
 * The chunks in one fresh ArrayBuffer of exactly their length (`Buffer.concat` may answer a slice of a pool).
 *
 * @internal
 */
export const concat = (chunks: ReadonlyArray<Uint8Array>, length: number): Uint8Array<ArrayBuffer> => {
  const bytes = new Uint8Array(length)
  let offset = 0
  for (const chunk of chunks) {
    bytes.set(chunk, offset)
    offset += chunk.length
  }
  return bytes
}

/**
 * Ends a response whose body will not be read: running its stream and stopping at once releases the reader, which
 * aborts a fetch or destroys a Node socket instead of leaving the connection to a finalization registry.
 */
const discard = (response: HttpClientResponse.HttpClientResponse): Effect.Effect<void> =>
  Effect.ignore(Stream.runDrain(Stream.interruptWhen(response.stream, Effect.void)))

/**
 * Reads a response's body whole, never more than `limit` bytes: a `Content-Length` above it fails before a byte is
 * read, a body that grows past it fails as soon as it does (the stream is then released, which aborts the request).
 * With a `Content-Length` within the cap the body is read in one go: HTTP framing bounds it (a longer body is
 * not delivered as this response), and one read is cheaper than a stream.
 *
 * @internal
 */
export const readBounded = (
  response: HttpClientResponse.HttpClientResponse,
  limit: number
): Effect.Effect<BufferedResponse, MakeError.UnexpectedResponse | HttpClientError.HttpClientError> => {
  const { request, status } = response
  const headers = response.headers
  // no body by definition (RFC 9110 §6.4.1): a web Response has none to stream, and reading would fail
  if (request.method === "HEAD" || status === 204 || status === 205 || status === 304) {
    return Effect.succeed(new BufferedResponse(request, status, headers, new Uint8Array(0)))
  }
  const declared = contentLength(headers["content-length"])
  if (declared !== undefined && declared > limit) {
    return Effect.andThen(discard(response), Effect.fail(tooLarge(request, status, limit, declared)))
  }
  if (declared !== undefined) {
    return Effect.map(
      response.arrayBuffer,
      (buffer) => new BufferedResponse(request, status, headers, new Uint8Array(buffer))
    )
  }
  return Effect.suspend(() => {
    const chunks: Array<Uint8Array> = []
    let length = 0
    return Stream.runForEach(response.stream, (chunk) => {
      length += chunk.length
      if (length > limit) return Effect.fail(tooLarge(request, status, limit, undefined))
      chunks.push(chunk)
      return Effect.void
    }).pipe(Effect.map(() => new BufferedResponse(request, status, headers, concat(chunks, length))))
  })
}

/**
 * The request's `RequestInit` with `redirect: "manual"`, for `FetchHttpClient` (which follows redirects by default,
 * to any origin); other transports ignore it. A caller's own `RequestInit` is kept, except for `redirect`.
 */
const manualRedirects = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.flatMap(
    Effect.serviceOption(FetchHttpClient.RequestInit),
    (init) =>
      Effect.provideService(effect, FetchHttpClient.RequestInit, {
        ...Option.getOrElse(init, () => ({})),
        redirect: "manual"
      })
  )

/**
 * The attempt's `TransportError` when it ran out of time.
 *
 * @internal
 */
export const timedOut = (request: HttpClientRequest.HttpClientRequest, timeout: Duration.Duration) =>
  new MakeError.TransportError({
    reason: "Timeout",
    request: describe(request),
    description: `no complete response within ${Duration.format(timeout)}`
  })

/**
 * A plain transport's {@link ResponseTooLarge}, as the call's error. Effect 4 has one `HttpClientError` whose
 * `reason` carries the cause; a response reason (status, decode, empty body) carries the response whose status the
 * call's error names.
 */
const fromTooLargeCause = <E>(error: E | HttpClientError.HttpClientError) => {
  if (!HttpClientError.isHttpClientError(error)) return error
  const reason = error.reason
  return "response" in reason && reason.cause instanceof ResponseTooLarge
    ? tooLarge(reason.request, reason.response.status, reason.cause.limit, reason.cause.declared)
    : error
}

/**
 * The attempt over an `HttpClient` that bounds nothing itself: fetch told not to follow redirects, the body read
 * within the cap, and one timer (`Effect.timeoutOrElse`, on the `Clock`, so `TestClock` drives it) over headers and
 * body together. The body is read here, not by the derived client later, because later is outside the attempt.
 *
 * @internal
 */
export const boundAttempt = (config: Pick<MakeConfig.Resolved, "timeout" | "maxResponseBytes">) =>
<E, R>(
  effect: Effect.Effect<HttpClientResponse.HttpClientResponse, E | HttpClientError.HttpClientError, R>,
  request: HttpClientRequest.HttpClientRequest
): Effect.Effect<
  HttpClientResponse.HttpClientResponse,
  E | HttpClientError.HttpClientError | MakeError.UnexpectedResponse | MakeError.TransportError,
  R
> =>
  manualRedirects(effect).pipe(
    Effect.flatMap((response) => readBounded(response, config.maxResponseBytes)),
    Effect.mapError(fromTooLargeCause),
    Effect.timeoutOrElse({
      duration: config.timeout,
      orElse: () => Effect.fail(timedOut(request, config.timeout))
    })
  )
