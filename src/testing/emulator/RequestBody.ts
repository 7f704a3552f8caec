// A request's body, read once and bounded before anything else looks at it, and the answers for bodies the emulator
// refuses (413, 415). Imports `effect`, `effect/http` and internal/.
/**
 * @since 1.0.0
 * @internal
 */
import { Effect, Option, Result, Stream } from "effect"
import { type HttpServerRequest, HttpServerResponse } from "effect/http"
import { concat } from "../../internal/bounded.js"
import { isShallow } from "../../internal/valueLimits.js"

/**
 * The largest body the emulator reads: 1 MiB (nginx's default); past it the answer is 413 and nothing is kept.
 *
 * @since 1.0.0
 * @category limits
 */
export const maxBodyBytes = 1024 * 1024

/**
 * How much of a path or a body the request log keeps.
 *
 * @since 1.0.0
 * @category limits
 */
export const excerptLength = 2048

/**
 * What reading a request's body gave.
 *
 * @since 1.0.0
 * @category models
 */
export type BodyRead =
  | { readonly _tag: "Empty" }
  | { readonly _tag: "Json"; readonly value: unknown; readonly text: string; readonly bytes: number }
  | { readonly _tag: "Malformed"; readonly text: string; readonly bytes: number }
  | { readonly _tag: "TooLarge"; readonly bytes: number }
  | { readonly _tag: "Unsupported"; readonly contentType: string }

const empty: BodyRead = { _tag: "Empty" }

/**
 * The media type of a `Content-Type` value, lower case, without parameters.
 *
 * @since 1.0.0
 * @category content types
 */
export const mediaTypeOf = (contentType: string): string => (contentType.split(";")[0] ?? "").trim().toLowerCase()

/**
 * Whether POST, PUT and PATCH may carry this content type: none, or `application/json`.
 *
 * @since 1.0.0
 * @category content types
 */
export const acceptsContentType = (contentType: string | undefined): boolean =>
  contentType === undefined || mediaTypeOf(contentType) === "application/json"

/**
 * Only these methods' bodies are payloads; a DELETE's body is read for the log, never given to a handler.
 *
 * @since 1.0.0
 * @category content types
 */
export const takesPayload = (method: string): boolean => method === "POST" || method === "PUT" || method === "PATCH"

const hasBody = (method: string): boolean => method !== "GET" && method !== "HEAD" && method !== "OPTIONS"

const declaredLength = (request: HttpServerRequest.HttpServerRequest): Option.Option<number> => {
  const value = request.headers["content-length"]
  return value !== undefined && /^\s*\d+\s*$/.test(value) ? Option.some(Number(value)) : Option.none()
}

interface Received {
  readonly chunks: ReadonlyArray<Uint8Array>
  readonly bytes: number
}

// Past the limit the rest is counted, not kept: memory stays bounded, and the stream is read to its end so the
// connection can carry the 413.
const receive = (received: Received, chunk: Uint8Array): Received => {
  const bytes = received.bytes + chunk.length
  return { chunks: bytes <= maxBodyBytes ? [...received.chunks, chunk] : [], bytes }
}

// JSON nested deeper than the client's own limit is refused as malformed (a 400), as in the Effect 3 emulator.
const parse = (text: string, bytes: number): BodyRead =>
  text.trim() === "" ? empty : Result.match(Result.try((): unknown => JSON.parse(text)), {
    onFailure: (): BodyRead => ({ _tag: "Malformed", text, bytes }),
    onSuccess: (value): BodyRead =>
      isShallow(value) ? { _tag: "Json", value, text, bytes } : { _tag: "Malformed", text, bytes }
  })

/**
 * Reads a request's body once, bounded: a type the API does not take is not read (`Unsupported`), a declared length
 * past the limit is not read (`TooLarge`), otherwise the stream is read counting bytes and keeping at most 1 MiB.
 *
 * @since 1.0.0
 * @category reading
 */
export const readBody = (request: HttpServerRequest.HttpServerRequest): Effect.Effect<BodyRead> => {
  if (!hasBody(request.method)) return Effect.succeed(empty)
  const contentType = request.headers["content-type"]
  if (takesPayload(request.method) && !acceptsContentType(contentType)) {
    return Effect.succeed({ _tag: "Unsupported", contentType: contentType ?? "" })
  }
  const declared = declaredLength(request)
  if (Option.isSome(declared) && declared.value > maxBodyBytes) {
    return Effect.succeed({ _tag: "TooLarge", bytes: declared.value })
  }
  return request.stream.pipe(
    Stream.runFold((): Received => ({ chunks: [], bytes: 0 }), receive),
    Effect.map((received): BodyRead =>
      received.bytes > maxBodyBytes
        ? { _tag: "TooLarge", bytes: received.bytes }
        : parse(new TextDecoder().decode(concat(received.chunks, received.bytes)), received.bytes)
    ),
    Effect.orElseSucceed(() => empty)
  )
}

/**
 * A text cut to {@link excerptLength} characters, `…` marking the cut.
 *
 * @since 1.0.0
 * @category request log
 */
export const excerpt = (text: string): string =>
  text.length <= excerptLength ? text : `${text.slice(0, excerptLength)}…`

/**
 * What the log keeps of a body (see `RecordedRequest.body`).
 *
 * @since 1.0.0
 * @category request log
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
 * The body's length in bytes for the log.
 *
 * @since 1.0.0
 * @category request log
 */
export const bodyBytesOf = (body: BodyRead): number =>
  body._tag === "Json" || body._tag === "Malformed" || body._tag === "TooLarge" ? body.bytes : 0

/**
 * The parsed body, for the rate limit to look into.
 *
 * @since 1.0.0
 * @category request log
 */
export const bodyValue = (body: BodyRead): unknown =>
  body._tag === "Json" ? body.value : body._tag === "Malformed" ? body.text : undefined

/**
 * The text the handlers read again (the body read here, handed down in a fresh request).
 *
 * @since 1.0.0
 * @category reading
 */
export const bodyText = (body: BodyRead): string | undefined =>
  body._tag === "Json" || body._tag === "Malformed" ? body.text : undefined

/**
 * 413 in Make's error shape.
 *
 * @since 1.0.0
 * @category answers
 */
export const payloadTooLarge = (bytes: number): HttpServerResponse.HttpServerResponse =>
  HttpServerResponse.jsonUnsafe(
    {
      detail: `The request body (${bytes} bytes) is larger than the limit of ${maxBodyBytes} bytes.`,
      message: "Payload too large",
      code: "SC413"
    },
    { status: 413, headers: { connection: "close" } }
  )

/**
 * 415 in Make's error shape.
 *
 * @since 1.0.0
 * @category answers
 */
export const unsupportedMediaType = (contentType: string): HttpServerResponse.HttpServerResponse =>
  HttpServerResponse.jsonUnsafe(
    {
      detail: `Content type ${JSON.stringify(excerpt(contentType))} is not supported; send application/json.`,
      message: "Unsupported media type",
      code: "SC415"
    },
    { status: 415 }
  )
