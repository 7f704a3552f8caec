// The contract compiled into calls: `MakeHttpApi` walked once, when a client is built, into one function per endpoint
// that does per call only what must be done per call. It replaces `HttpApiClient.makeWith`, whose functions recompute
// on every call what never changes (a generator per call, the layer's context merged into the call's, the response
// decoded through a schema composed from ArrayBuffer to text to JSON to the success schema, parsed again for each
// member of a union). Same shape, same types, same answers: the contract stays the one source of routes, encoders
// and decoders; the emulator and OpenAPI still derive from it as before. Internal to MakeClient; imports `effect`,
// `@effect/platform` and the contract.
import type { HttpApiClient } from "@effect/platform"
import {
  HttpApi,
  HttpApiSchema,
  HttpBody,
  type HttpClient,
  HttpClientError,
  HttpClientRequest,
  type HttpClientResponse,
  HttpMethod
} from "@effect/platform"
import { Effect, Either, Option, ParseResult, Schema, SchemaAST } from "effect"
import { MakeHttpApi } from "../api/MakeHttpApi.js"
import { BufferedResponse } from "./bounded.js"
import * as Decoder from "./decoder.js"

type Api = typeof MakeHttpApi
type Groups = Api extends HttpApi.HttpApi<string, infer G, infer _E, infer _R> ? G : never
type ApiError = Api extends HttpApi.HttpApi<string, infer _G, infer E, infer _R> ? E : never

/**
 * The client the contract describes, over an `HttpClient` failing with `E`: `HttpApiClient`'s own type, so that a
 * call through it reads exactly as a call through `HttpApiClient.makeWith`'s.
 *
 * @since 0.1.0
 * @internal
 */
export type Client<E> = HttpApiClient.Client<Groups, ApiError | E, never>

/** What the caller of an endpoint hands over (`HttpApiClient`'s request object). */
interface CallRequest {
  readonly path?: unknown
  readonly urlParams?: unknown
  readonly payload?: unknown
  readonly withResponse?: boolean
}

type Encode = (input: unknown) => Either.Either<unknown, ParseResult.ParseError>
type Decode = (text: string) => Either.Either<unknown, ParseResult.ParseError>
type DecodeValue = (value: unknown) => Either.Either<unknown, ParseResult.ParseError>

const encoder = (schema: { readonly ast: SchemaAST.AST }): Encode => Schema.encodeUnknownEither(Schema.make(schema.ast))

// ---------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------

const pathParameter = /:(\w+)\??/g

/** `/organizations/:organizationId` → a function of the encoded parameters, inserted as they are (as HttpApiClient). */
const compilePath = (path: string): (params: unknown) => string => {
  const parts = path.split(pathParameter)
  if (parts.length === 1) return () => path
  return (params) => {
    let url = parts[0] ?? ""
    for (let i = 1; i < parts.length; i++) {
      const part = parts[i] ?? ""
      url += i % 2 === 0 ? part : String(params !== null && typeof params === "object" ? Reflect.get(params, part) : "")
    }
    return url
  }
}

/** Encoded URL parameters (`string | string[]`, absent when optional) as `UrlParams.Input`. */
const urlParamsOf = (encoded: unknown): ReadonlyArray<readonly [string, string]> => {
  if (encoded === null || typeof encoded !== "object") return []
  const params: Array<readonly [string, string]> = []
  for (const [name, value] of Object.entries(encoded)) {
    if (value === undefined) continue
    if (Array.isArray(value)) { for (const item of value) params.push([name, String(item)]) }
    else params.push([name, String(value)])
  }
  return params
}

/** What a method with a body sends: the payload's JSON, as `HttpApiClient` does for a `Json` encoding. */
const jsonBody = (contentType: string) => (encoded: unknown): HttpBody.HttpBody =>
  HttpBody.text(JSON.stringify(encoded), contentType)

const requestBuilder = (endpoint: Endpoint) => {
  const makeUrl = compilePath(endpoint.path)
  const encodePath = Option.map(endpoint.pathSchema, encoder)
  const encodeUrlParams = Option.map(endpoint.urlParamsSchema, encoder)
  const encodePayload = Option.map(endpoint.payloadSchema, encoder)
  const hasBody = HttpMethod.hasBody(endpoint.method)
  const toBody = jsonBody(
    Option.match(endpoint.payloadSchema, {
      onNone: () => "application/json",
      onSome: (schema) => HttpApiSchema.getEncoding(schema.ast).contentType
    })
  )
  const empty = HttpClientRequest.make(endpoint.method)(endpoint.path)
  // Plain steps rather than `Either.gen`: a generator per call is measurable at this rate.
  return (
    request: CallRequest | undefined
  ): Either.Either<HttpClientRequest.HttpClientRequest, ParseResult.ParseError> => {
    let built = empty
    if (request?.path !== undefined) {
      const path = Option.isSome(encodePath) ? encodePath.value(request.path) : Either.right(request.path)
      if (Either.isLeft(path)) return Either.left(path.left)
      built = HttpClientRequest.setUrl(built, makeUrl(path.right))
    }
    if (Option.isSome(encodePayload)) {
      const payload = encodePayload.value(request?.payload)
      if (Either.isLeft(payload)) return Either.left(payload.left)
      built = hasBody
        ? HttpClientRequest.setBody(built, toBody(payload.right))
        : HttpClientRequest.setUrlParams(built, urlParamsOf(payload.right))
    }
    if (Option.isSome(encodeUrlParams)) {
      const params = encodeUrlParams.value(request?.urlParams)
      if (Either.isLeft(params)) return Either.left(params.left)
      built = HttpClientRequest.appendUrlParams(built, urlParamsOf(params.right))
    }
    return Either.right(built)
  }
}

// ---------------------------------------------------------------------------
// Responses
// ---------------------------------------------------------------------------

const notJson = (text: string) =>
  new ParseResult.ParseError({ issue: new ParseResult.Type(SchemaAST.stringKeyword, text, "Could not parse JSON") })

/**
 * A success body as `HttpApiClient` reads it: JSON (`""` is `undefined`) or text, then decoded, in one pass. A body
 * the pipeline has read already (every attempt's, unless a hook swapped the response) is decoded at once, from the
 * JSON the retry stage may have parsed already (it parses a GET's answer to see whether it was cut off).
 */
const bodyDecoder = (ast: SchemaAST.AST) => {
  const decode: DecodeValue = Decoder.compile(Schema.make(ast))
  if (HttpApiSchema.getEncoding(ast).kind !== "Json") {
    return { text: decode, buffered: (response: BufferedResponse) => decode(response.textNow()) }
  }
  const fromParsed = (parsed: Either.Either<unknown, string>) =>
    Either.isLeft(parsed) ? Either.left(notJson(parsed.left)) : decode(parsed.right)
  const text: Decode = (body) => {
    let json: unknown
    try {
      json = body === "" ? undefined : JSON.parse(body)
    } catch {
      return Either.left(notJson(body))
    }
    return decode(json)
  }
  return { text, buffered: (response: BufferedResponse) => fromParsed(response.jsonNow()) }
}

const responseDecoder = (successes: Endpoints["successes"]) => {
  const byStatus = new Map<number, ReturnType<typeof bodyDecoder> | undefined>()
  successes.forEach(({ ast }, status) => byStatus.set(status, Option.getOrUndefined(Option.map(ast, bodyDecoder))))
  return (
    response: HttpClientResponse.HttpClientResponse
  ): Effect.Effect<unknown, ParseResult.ParseError | HttpClientError.ResponseError> => {
    if (!byStatus.has(response.status)) {
      // A status the contract does not declare: what HttpApiClient reports, so that it reads as before.
      return Effect.fail(new HttpClientError.ResponseError({ reason: "Decode", request: response.request, response }))
    }
    const decode = byStatus.get(response.status)
    if (decode === undefined) return Effect.void
    return response instanceof BufferedResponse ? decode.buffered(response) : Effect.flatMap(response.text, decode.text)
  }
}

// ---------------------------------------------------------------------------
// The client
// ---------------------------------------------------------------------------

type Endpoints = Parameters<NonNullable<Parameters<typeof HttpApi.reflect>[1]["onEndpoint"]>>[0]
type Endpoint = Endpoints["endpoint"]

/**
 * Compiles the contract into a client over `httpClient`: one function per endpoint, under its group, as
 * `HttpApiClient.makeWith` would make them.
 *
 * @since 0.1.0
 * @internal
 */
export const make = <E>(httpClient: HttpClient.HttpClient.With<E>): Client<E> => {
  const groups: Record<string, Record<string, (request: CallRequest | undefined) => Effect.Effect<unknown, unknown>>> =
    {}
  HttpApi.reflect(MakeHttpApi, {
    onGroup: ({ group }) => {
      groups[group.identifier] = {}
    },
    onEndpoint: ({ endpoint, group, successes }) => {
      const build = requestBuilder(endpoint)
      const decode = responseDecoder(successes)
      const call = (request: CallRequest | undefined) =>
        Either.match(build(request), {
          onLeft: Effect.fail,
          onRight: (built) =>
            Effect.flatMap(
              httpClient.execute(built),
              (response) =>
                request?.withResponse === true
                  ? Effect.map(decode(response), (value) => [value, response] as const)
                  : decode(response)
            )
        })
      const members = groups[group.identifier]
      if (members !== undefined) members[endpoint.name] = call
    }
  })
  // The one place where the reflection meets the types: `HttpApi.reflect` hands each endpoint untyped, and every
  // function above was made from that endpoint's own schemas, so the object has the shape `HttpApiClient.Client`
  // derives from the same contract (what `HttpApiClient.makeWith` also asserts). test/internal/compiledClient.test.ts
  // checks it: every endpoint present, each answering as HttpApiClient's does.
  return groups as unknown as Client<E>
}
