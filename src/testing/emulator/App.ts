// The emulator's HTTP app: the contract's routes under `/api/v2`, `/openapi.json` and `/docs` at the root, wrapped in
// the request log, the bounded body read, Make's 400/404/413/415, the rate limit and the fault plan. Imports `effect`,
// `effect/http`, `effect/http-api`, api/ and testing/.
/**
 * @since 1.0.0
 * @internal
 */
import { Cause, Clock, Effect, Exit, HashMap, Layer, Option, Ref, type Scope } from "effect"
import { HttpRouter, HttpServer, HttpServerError, HttpServerRequest, type HttpServerResponse } from "effect/http"
import { HttpApiBuilder, HttpApiError, HttpApiSwagger, OpenApi } from "effect/http-api"
import { draw, faultOf, type FaultState, makeFaultState, serverError, truncate } from "../EmulatorFaults.js"
import { invalidRequest, routeNotFound } from "./Errors.js"
import {
  acceptsAuthorization,
  authenticationLayer,
  commonErrorsLayer,
  EmulatedApi,
  errorResponse,
  fromSchemaError,
  groupsLayer
} from "./Handlers.js"
import {
  admit,
  defaultApiLimit,
  organizationConcerned,
  type RateWindows,
  retryAfterValue,
  tooManyRequests
} from "./RateLimit.js"
import type { Fault, RecordedRequest } from "./Records.js"
import {
  bodyBytesOf,
  type BodyRead,
  bodyText,
  bodyValue,
  excerpt,
  loggedBody,
  payloadTooLarge,
  readBody,
  takesPayload,
  unsupportedMediaType
} from "./RequestBody.js"
import * as RequestLog from "./RequestLog.js"
import { type EmulatorState, findOrganization, snapshot } from "./Store.js"

/**
 * Where the Make API is mounted: `${origin}/api/v2` is the base URL.
 *
 * @since 1.0.0
 * @category routing
 */
export const basePath = "/api/v2"

/**
 * The paths served at the root, outside the API: the OpenAPI document and its Swagger UI page.
 *
 * @since 1.0.0
 * @category routing
 */
export const rootPaths: ReadonlyArray<string> = ["/openapi.json", "/docs"]

/**
 * The handler the emulator's transports run per request: it never fails (every failure is an answer).
 *
 * @since 1.0.0
 * @category models
 */
export type App = Effect.Effect<
  HttpServerResponse.HttpServerResponse,
  never,
  HttpServerRequest.HttpServerRequest | Scope.Scope
>

/**
 * A fault that drops the connection instead of answering.
 *
 * @since 1.0.0
 * @category faults
 */
export type ConnectionFault = "reset" | "refused"

/**
 * How a transport drops a request's connection (`reset`, `refused`): in process, the client's request fails with a
 * transport error; on a port, the socket is destroyed. The app logs the request first, then waits to be interrupted.
 *
 * @since 1.0.0
 * @category faults
 */
export type DropConnection = (
  request: HttpServerRequest.HttpServerRequest,
  fault: ConnectionFault
) => Effect.Effect<void>

const placeholderBase = "http://emulator.invalid"

/**
 * The query of a URL under Make's raw names; `name[]` keys (and repeated keys) are arrays.
 *
 * @since 1.0.0
 * @category request log
 */
export const queryOf = (url: string): { readonly [name: string]: string | ReadonlyArray<string> } => {
  const params = new URL(url, placeholderBase).searchParams
  return Object.fromEntries(
    Array.from(new Set(params.keys())).map((name) => {
      const values = params.getAll(name)
      return [name, name.endsWith("[]") || values.length > 1 ? values : values.join("")]
    })
  )
}

/** A request the contract's schemas rejected, or a route no endpoint serves, as Make answers it. */
const answerFailure = (cause: Cause.Cause<unknown>): Effect.Effect<HttpServerResponse.HttpServerResponse> => {
  for (const reason of cause.reasons) {
    const value: unknown = Cause.isFailReason(reason)
      ? reason.error
      : Cause.isDieReason(reason)
      ? reason.defect
      : undefined
    if (HttpApiError.HttpApiSchemaError.is(value)) {
      return Effect.succeed(errorResponse(fromSchemaError(value.cause, value.kind)))
    }
    if (HttpServerError.isHttpServerError(value) && value.reason._tag === "RouteNotFound") {
      return Effect.succeed(errorResponse(routeNotFound))
    }
  }
  return Effect.map(HttpServerError.causeResponse(cause), ([response]) => response)
}

/** The routes: the contract (with the `servers` the document names), `/openapi.json` and `/docs`. */
const routesLayer = (state: EmulatorState, servers: ReadonlyArray<OpenApi.OpenAPISpecServer> | undefined) => {
  const api = servers === undefined ? EmulatedApi : EmulatedApi.annotate(OpenApi.Servers, servers)
  return Layer.mergeAll(
    HttpApiBuilder.layer(api, { openapiPath: "/openapi.json" }),
    HttpApiSwagger.layer(api, { path: "/docs" })
  ).pipe(
    Layer.provide(groupsLayer(state)),
    Layer.provide([authenticationLayer(state), commonErrorsLayer]),
    Layer.provide(HttpServer.layerServices)
  )
}

/** The methods a web `Request` refuses to carry. */
const forbiddenMethods: ReadonlySet<string> = new Set(["CONNECT", "TRACE", "TRACK"])

/** A fresh request over the body read once, at the path the router knows (without `/api/v2`). */
const handedDown = (
  request: HttpServerRequest.HttpServerRequest,
  path: string,
  query: string,
  body: BodyRead
): HttpServerRequest.HttpServerRequest => {
  // No body on a POST is read as `{}`: the 400 then names every missing field. A PATCH or PUT without a body is left
  // without one, and the contract refuses it (400), as Effect 3's emulator does: `{}` would be a valid change of nothing.
  const text = bodyText(body) ?? (request.method === "POST" ? "{}" : undefined)
  return HttpServerRequest.fromWeb(
    new Request(new URL(`${path}${query}`, placeholderBase), {
      method: request.method,
      headers: Object.entries(request.headers).filter(([name]) =>
        name !== "content-length" && name !== "transfer-encoding"
      ),
      // Bytes, not a string: a string body would make `Request` add `text/plain` where the client sent no type.
      ...(text === undefined ? {} : { body: new TextEncoder().encode(text) })
    })
  )
}

/**
 * Builds the emulator's app over a state (in a scope: the router lives as long as it). `servers` replaces the
 * contract's servers in `/openapi.json` (an emulator on a port documents its own address). `faults` holds the fault
 * plan in force (none when absent) and `drop` is how the transport drops a connection. Each API request goes through Effect 3's order: the plan draws its
 * fault; `refused` drops the connection before the body is read; the bounded body (415, 413); `latency` waits on the
 * `Clock`; `reset` drops the connection; the rate limit (429, fault `rateLimit`); an injected 429 (`Retry-After` in
 * the plan's form) or a 5xx drawn before processing answers without the handler; the handler runs; a 5xx drawn after
 * processing replaces its answer (the change is made), `truncated` cuts its body. A dropped connection is logged with
 * status 0 before it is dropped.
 *
 * @since 1.0.0
 * @category constructors
 */
export const makeApp = (
  state: EmulatorState,
  options: {
    readonly servers?: ReadonlyArray<OpenApi.OpenAPISpecServer> | undefined
    readonly faults?: FaultState | undefined
    /** How the transport drops a connection: required, so that no app can leave a dropped request waiting. */
    readonly drop: DropConnection
  }
): Effect.Effect<App, never, Scope.Scope> =>
  Effect.gen(function*() {
    const router = yield* HttpRouter.toHttpEffect(routesLayer(state, options.servers))
    const rateWindows = yield* Ref.make<RateWindows>(HashMap.empty())
    const faults = options.faults ?? (yield* makeFaultState())
    const dropConnection = options.drop

    const rateLimited = (summary: Parameters<typeof organizationConcerned>[1]) =>
      Option.match(state.settings.rateLimit, {
        onNone: () => Effect.succeed(Option.none<string>()),
        onSome: (settings) =>
          Effect.gen(function*() {
            const data = yield* snapshot(state)
            const organizationId = organizationConcerned(data, summary)
            const licensed = Option.match(Option.flatMap(organizationId, (id) => findOrganization(data, id)), {
              onNone: () => defaultApiLimit,
              onSome: (org) => org.license.apiLimit
            })
            const limit = Option.getOrElse(settings.perMinute, () => licensed)
            const key = Option.match(organizationId, { onNone: () => "none", onSome: (id) => `organization:${id}` })
            const now = yield* Clock.currentTimeMillis
            const wait = yield* Ref.modify(rateWindows, admit(key, limit, now, settings.window))
            return Option.map(wait, (after) => retryAfterValue(after, settings.retryAfterAs, now))
          })
      })

    const app: App = Effect.gen(function*() {
      const request = yield* HttpServerRequest.HttpServerRequest
      const url = new URL(request.url, placeholderBase)
      if (rootPaths.includes(url.pathname) && request.method === "GET") {
        return yield* Effect.catchCause(router, answerFailure)
      }
      const inApi = url.pathname === basePath || url.pathname.startsWith(`${basePath}/`)
      const path = inApi ? url.pathname.slice(basePath.length) : url.pathname
      const at = yield* Clock.currentTimeMillis
      const query = queryOf(request.url)
      const authenticated = acceptsAuthorization(state, request.headers["authorization"])
      const decision = yield* Ref.modify(faults.faults, draw({ method: request.method, path }))
      let body: BodyRead = { _tag: "Empty" }
      let fault: Fault | undefined = undefined
      let processed = false
      // The entry is in the log already (written before a connection is dropped, so it is there when the client fails).
      let logged = false

      const record = (status: number, aborted: boolean) =>
        Effect.suspend(() => {
          if (logged) return Effect.void
          logged = true
          const entry: RecordedRequest = {
            method: request.method,
            path: excerpt(path),
            query,
            body: loggedBody(body),
            bodyBytes: bodyBytesOf(body),
            status,
            authenticated,
            at,
            ...(fault === undefined ? {} : { fault }),
            processed,
            aborted
          }
          return Ref.update(state.log, RequestLog.append(entry))
        })

      // No HTTP answer: the entry goes in the log first (status 0), then the transport drops the connection, which
      // ends this fiber.
      const drop = (dropped: ConnectionFault) =>
        Effect.suspend(() => {
          fault = dropped
          return record(0, false)
        }).pipe(
          Effect.andThen(dropConnection(request, dropped)),
          Effect.andThen(Effect.never)
        )

      const handled = (read: BodyRead) =>
        Effect.catchCause(
          Effect.provideService(
            router,
            HttpServerRequest.HttpServerRequest,
            handedDown(request, path, url.search, read)
          ),
          answerFailure
        )

      // Effect 3's order: refused, the body, latency, reset, the rate limit, an injected 429 or 5xx before processing,
      // the handler, then a 5xx after processing or a truncated body.
      const respond = Effect.gen(function*() {
        if (decision._tag === "Refused") return yield* drop("refused")
        body = yield* readBody(request)
        const read = body
        if (read._tag === "Unsupported") return unsupportedMediaType(read.contentType)
        if (read._tag === "TooLarge") return payloadTooLarge(read.bytes)
        if (decision._tag === "Latency") {
          fault = "latency"
          yield* Effect.sleep(decision.duration)
        }
        if (decision._tag === "Reset") return yield* drop("reset")
        // Only a request with the token counts: one without it is answered 401 and spends nothing of the minute.
        const limited = authenticated
          ? yield* rateLimited({ method: request.method, path, query, body: bodyValue(read) })
          : Option.none<string>()
        if (Option.isSome(limited)) {
          fault = "rateLimit"
          return tooManyRequests(limited.value)
        }
        if (decision._tag === "RateLimited") {
          fault = "429"
          const now = yield* Clock.currentTimeMillis
          return tooManyRequests(retryAfterValue(decision.retryAfter, decision.form, now))
        }
        if (decision._tag === "ServerError" && !decision.processed) {
          fault = faultOf(decision)
          return serverError(decision.status)
        }
        if (!inApi || rootPaths.includes(path)) return errorResponse(routeNotFound)
        // TRACE, TRACK and CONNECT cannot be handed on as a web `Request` (the Fetch standard forbids them), and the API
        // has no such endpoint: Make's 400, as Effect 3's emulator answers them.
        if (forbiddenMethods.has(request.method.toUpperCase())) {
          return errorResponse(invalidRequest(["headers: not readable as an HTTP request"]))
        }
        // A body that is there but not JSON is Make's 400 (once the token is accepted: without it, the 401).
        if (authenticated && takesPayload(request.method) && read._tag === "Malformed") {
          return errorResponse(invalidRequest(["body: expected a JSON body"]))
        }
        processed = true
        const response = yield* handled(read)
        if (decision._tag === "ServerError") {
          // The gateway's answer replaces the handler's: the change is made, the client is told it failed.
          fault = faultOf(decision)
          return serverError(decision.status)
        }
        if (decision._tag === "Truncated") {
          fault = "truncated"
          return truncate(response)
        }
        return response
      })

      // A client going away interrupts the request: logged as aborted (499), as Effect 3's emulator does.
      return yield* Effect.onExit(
        Effect.interruptible(respond),
        (exit) => Exit.isSuccess(exit) ? record(exit.value.status, false) : record(499, Exit.hasInterrupts(exit))
      )
    })
    return app
  })
