// How the emulator takes a request's body: which content types it accepts (415 otherwise), how much it reads (413
// past the limit), the one bounded read the log and the handlers share, and the excerpt the log keeps.
// Imports `effect` and `@effect/platform` only.
/**
 * @since 0.1.0
 * @internal
 */
import { HttpMethod, HttpServerRequest, HttpServerResponse } from "@effect/platform"
import { Chunk, Effect, Either, Option, Stream } from "effect"
import * as Bounded from "../../internal/bounded.js"
import { isShallow } from "../../internal/decoderLimits.js"

/**
 * The largest body the emulator reads: 1 MiB. Make's documentation states no limit; its request bodies are a few
 * hundred bytes, and a gateway in front of an API refuses far larger ones (nginx's default is 1 MiB), so a body past
 * this is answered 413 without being kept.
 *
 * @since 0.1.0
 * @category limits
 */
export const maxBodyBytes = 1024 * 1024

/**
 * How much of a body (and of a path) the request log keeps: 2,048 characters.
 *
 * @since 0.1.0
 * @category limits
 */
export const excerptLength = 2048

/**
 * What the emulator made of a request's body.
 *
 * - `Empty`: no body, or a method that carries none (GET, HEAD, OPTIONS).
 * - `Json` / `Malformed` (not JSON, or JSON nested more than 128 levels deep): the whole body was read (at most
 *   {@link maxBodyBytes}); `text` is kept only for the request's lifetime (the handlers read it again), the log keeps
 *   an excerpt.
 * - `TooLarge`: past {@link maxBodyBytes} (by its `Content-Length`, or counted while reading); nothing kept.
 * - `Unsupported`: a content type the API does not take; never read.
 *
 * @since 0.1.0
 * @category models
 */
export type BodyRead =
  | { readonly _tag: "Empty" }
  | { readonly _tag: "Json"; readonly value: unknown; readonly text: string; readonly bytes: number }
  | { readonly _tag: "Malformed"; readonly text: string; readonly bytes: number }
  | { readonly _tag: "TooLarge"; readonly bytes: number }
  | { readonly _tag: "Unsupported"; readonly contentType: string }

const empty: BodyRead = { _tag: "Empty" }

// ---------------------------------------------------------------------------
// Content types
// ---------------------------------------------------------------------------

/**
 * The media type of a `Content-Type` value: lower-cased, parameters (`charset`, `boundary`) dropped.
 *
 * @since 0.1.0
 * @category content types
 */
export const mediaTypeOf = (contentType: string): string => (contentType.split(";")[0] ?? "").trim().toLowerCase()

/**
 * Whether the API takes a body of this `Content-Type`: `application/json` only (any parameters), or no
 * `Content-Type` at all (read as JSON, as `@effect/platform` does). `application/*+json` (`vnd.api+json`,
 * `problem+json`) is refused like any other type: Make documents `application/json` alone, and an emulator more
 * lenient than the service it stands for would hide a client's mistake until production.
 *
 * @since 0.1.0
 * @category content types
 */
export const acceptsContentType = (contentType: string | undefined): boolean =>
  contentType === undefined || mediaTypeOf(contentType) === "application/json"

// Only these methods' bodies are payloads; a DELETE's body is read for the log, never given to a handler.
const takesPayload = (method: string): boolean => method === "POST" || method === "PUT" || method === "PATCH"

// ---------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------

/** A declared `Content-Length`, when it is one decimal number (anything else is left to the read to count). */
const declaredLength = (request: HttpServerRequest.HttpServerRequest): Option.Option<number> => {
  const value = request.headers["content-length"]
  return value !== undefined && /^\s*\d+\s*$/.test(value) ? Option.some(Number(value)) : Option.none()
}

interface Received {
  readonly chunks: Chunk.Chunk<Uint8Array>
  readonly bytes: number
}

const nothingReceived: Received = { chunks: Chunk.empty(), bytes: 0 }

// Past the limit the rest is counted, not kept: memory stays bounded, and the stream is read to its end so the
// connection can carry the 413 (stopping early would destroy Node's socket before the answer).
const receive = (received: Received, chunk: Uint8Array): Received => {
  const bytes = received.bytes + chunk.length
  return { chunks: bytes <= maxBodyBytes ? Chunk.append(received.chunks, chunk) : Chunk.empty(), bytes }
}

const concat = ({ bytes, chunks }: Received): Uint8Array => Bounded.concat(Chunk.toReadonlyArray(chunks), bytes)

// JSON nested deeper than the client's own limit is refused as malformed (a 400): the handlers' schemas would read a
// union's key with `String`, which overflows the stack on an array nested thousands deep.
const parse = (text: string, bytes: number): BodyRead =>
  text.trim() === "" ? empty : Either.match(Either.try((): unknown => JSON.parse(text)), {
    onLeft: () => ({ _tag: "Malformed", text, bytes }),
    onRight: (value) => isShallow(value) ? { _tag: "Json", value, text, bytes } : { _tag: "Malformed", text, bytes }
  })

/**
 * Whether the body is in memory already: a web `Request` (the in-process transport's, built by the test's own
 * client). Its `text` is read whole and cached, so the handlers read the same text again with no second read; a
 * socket's body (Node) is streamed, bounded, and handed to the handlers by {@link withBody}.
 */
const inMemory = (request: HttpServerRequest.HttpServerRequest): boolean => request.source instanceof Request

/**
 * Reads a request's body once, bounded: a type the API does not take is not read at all (`Unsupported`); a
 * declared length past {@link maxBodyBytes} is not read either (`TooLarge`); otherwise a socket's stream is read,
 * keeping at most {@link maxBodyBytes} (an in-memory body is measured after its cached read). A body that fails to
 * arrive (the client went away) reads as `Empty`.
 *
 * @since 0.1.0
 * @category reading
 */
export const readBody = (request: HttpServerRequest.HttpServerRequest): Effect.Effect<BodyRead> => {
  if (!HttpMethod.hasBody(request.method)) return Effect.succeed(empty)
  const contentType = request.headers["content-type"]
  if (takesPayload(request.method) && !acceptsContentType(contentType)) {
    return Effect.succeed({ _tag: "Unsupported", contentType: contentType ?? "" })
  }
  const declared = declaredLength(request)
  if (Option.isSome(declared) && declared.value > maxBodyBytes) {
    return Effect.succeed({ _tag: "TooLarge", bytes: declared.value })
  }
  if (inMemory(request)) {
    return request.text.pipe(
      Effect.map((text): BodyRead => {
        const bytes = new TextEncoder().encode(text).length
        return bytes > maxBodyBytes ? { _tag: "TooLarge", bytes } : parse(text, bytes)
      }),
      Effect.orElseSucceed(() => empty)
    )
  }
  return request.stream.pipe(
    Stream.runFold(nothingReceived, receive),
    Effect.map((received): BodyRead =>
      received.bytes > maxBodyBytes
        ? { _tag: "TooLarge", bytes: received.bytes }
        : parse(new TextDecoder().decode(concat(received)), received.bytes)
    ),
    Effect.orElseSucceed(() => empty)
  )
}

/**
 * The request the handlers see: the same method, URL and headers, over the body already read (a stream is read
 * once; the handlers would otherwise wait on a spent one, an empty one included). Requests whose body was not read
 * (GET, HEAD, OPTIONS; refused ones) or is cached in memory (in process) are given as they came. `None` when the
 * received headers cannot make a web `Request` (the caller answers 400 rather than hand on a spent stream).
 *
 * @since 0.1.0
 * @category reading
 */
export const withBody = (
  request: HttpServerRequest.HttpServerRequest,
  body: BodyRead
): Effect.Effect<Option.Option<HttpServerRequest.HttpServerRequest>> => {
  if (
    inMemory(request) || !HttpMethod.hasBody(request.method) || body._tag === "Unsupported" ||
    body._tag === "TooLarge"
  ) {
    return Effect.succeed(Option.some(request))
  }
  // Bytes, not a string: a string body would make `Request` add `text/plain` where the client sent no type.
  const bytes = new TextEncoder().encode(body._tag === "Empty" ? "" : body.text)
  return Effect.try(() =>
    HttpServerRequest.fromWeb(
      new Request(new URL(request.url, "http://emulator.invalid"), {
        method: request.method,
        headers: Object.entries(request.headers).filter(([name]) => !framingHeaders.has(name)),
        body: bytes
      })
    )
  ).pipe(Effect.option)
}

// The new body has its own framing; the received one's would contradict it.
const framingHeaders: ReadonlySet<string> = new Set(["content-length", "transfer-encoding"])

// ---------------------------------------------------------------------------
// Excerpts and answers
// ---------------------------------------------------------------------------

/**
 * A string cut to {@link excerptLength} characters, with `…` marking the cut.
 *
 * @since 0.1.0
 * @category excerpts
 */
export const excerpt = (text: string): string =>
  text.length <= excerptLength ? text : `${text.slice(0, excerptLength)}…`

/**
 * What the log keeps of a body: the parsed JSON when its text fits in {@link excerptLength}, else the text's
 * excerpt; `undefined` when there was none, or it was refused unread.
 *
 * @since 0.1.0
 * @category excerpts
 */
export const loggedBody = (body: BodyRead): unknown => {
  switch (body._tag) {
    case "Json":
      return body.text.length <= excerptLength ? body.value : excerpt(body.text)
    case "Malformed":
      return excerpt(body.text)
    default:
      return undefined
  }
}

/**
 * The body's length in bytes as the log states it: its `Content-Length` when refused for it, else the bytes read.
 *
 * @since 0.1.0
 * @category excerpts
 */
export const bodyBytesOf = (body: BodyRead): number =>
  body._tag === "Json" || body._tag === "Malformed" || body._tag === "TooLarge" ? body.bytes : 0

/**
 * The parsed body, for what looks inside it (the rate limit's `organizationId`): the JSON value, the raw text when
 * it was not JSON, `undefined` otherwise.
 *
 * @since 0.1.0
 * @category reading
 */
export const bodyValue = (body: BodyRead): unknown =>
  body._tag === "Json" ? body.value : body._tag === "Malformed" ? body.text : undefined

/**
 * 413, in Make's error shape, with `Connection: close`: the client may still be sending, and the rest is not wanted.
 *
 * @since 0.1.0
 * @category answers
 */
export const payloadTooLarge = (bytes: number): HttpServerResponse.HttpServerResponse =>
  HttpServerResponse.unsafeJson(
    {
      detail: `The request body (${bytes} bytes) is larger than the limit of ${maxBodyBytes} bytes.`,
      message: "Payload too large",
      code: "SC413"
    },
    { status: 413, headers: { connection: "close" } }
  )

/**
 * 415, in Make's error shape: the API takes `application/json` only.
 *
 * @since 0.1.0
 * @category answers
 */
export const unsupportedMediaType = (contentType: string): HttpServerResponse.HttpServerResponse =>
  HttpServerResponse.unsafeJson(
    {
      detail: `Content type ${JSON.stringify(excerpt(contentType))} is not supported; send application/json.`,
      message: "Unsupported media type",
      code: "SC415"
    },
    { status: 415 }
  )
