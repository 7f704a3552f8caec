// The emulator's middleware: the `Token` check, Make's 400s, the request log with faults and the rate limit.
// Imports `effect`, `@effect/platform`, api/, MakeError and testing/.
/**
 * @since 0.1.0
 * @internal
 */
import {
  HttpApiBuilder,
  HttpApiError,
  type HttpApp,
  HttpServerError,
  HttpServerRequest,
  type HttpServerResponse
} from "@effect/platform"
import { Array as Arr, Cause, Clock, Effect, Exit, Layer, Option, Redacted, Ref } from "effect"
import { MakeHttpApi } from "../../api/MakeHttpApi.js"
import { Authentication } from "../../api/Security.js"
import type * as MakeError from "../../MakeError.js"
import {
  admit,
  Connection,
  type ConnectionFault,
  draw,
  type Fault,
  faultOf,
  type RequestLine,
  retryAfterValue,
  serverError,
  tooManyRequests,
  truncate
} from "../EmulatorFaults.js"
import { errorResponse, fromDecodeError, invalidRequest, routeNotFound, unauthorized } from "./Errors.js"
import { findInvitation } from "./Invitations.js"
import type { RecordedRequest } from "./Records.js"
import {
  bodyBytesOf,
  type BodyRead,
  bodyValue,
  excerpt,
  loggedBody,
  payloadTooLarge,
  readBody,
  unsupportedMediaType,
  withBody
} from "./RequestBody.js"
import * as RequestLog from "./RequestLog.js"
import { teamsLicense } from "./Seed.js"
import { type Data, type EmulatorState, findOrganization, findTeam, snapshot } from "./Store.js"

// ---------------------------------------------------------------------------
// Authentication
// ---------------------------------------------------------------------------

/**
 * Whether an `Authorization` header value carries the accepted token (`Token <api-token>`).
 *
 * @since 0.1.0
 * @category authentication
 */
export const acceptsAuthorization = (state: EmulatorState, header: string | undefined): boolean =>
  header !== undefined && header.trim() === `Token ${Redacted.value(state.settings.token)}`

/**
 * The `Authentication` middleware of the contract: 401 with Make's body unless the header carries the token.
 *
 * @since 0.1.0
 * @category layers
 */
export const authenticationLive = (state: EmulatorState): Layer.Layer<Authentication> =>
  Layer.succeed(
    Authentication,
    Authentication.of({
      token: (header) => acceptsAuthorization(state, Redacted.value(header)) ? Effect.void : Effect.fail(unauthorized())
    })
  )

// ---------------------------------------------------------------------------
// Make's 400s
// ---------------------------------------------------------------------------

/** What in a failure is a request the contract cannot read: its schemas rejected it, or its body is not JSON. */
const rejectionIn = (cause: Cause.Cause<unknown>): Option.Option<MakeError.InvalidRequest> =>
  Cause.find(cause, (reason) => {
    if (Cause.isFailType(reason)) {
      const error: unknown = reason.error
      return error instanceof HttpApiError.HttpApiDecodeError ? Option.some(fromDecodeError(error)) : Option.none()
    }
    // An endpoint that needs a payload got no body: HttpApiBuilder reads the JSON with `orDie`, so it is a defect.
    if (Cause.isDieType(reason)) {
      const defect: unknown = reason.defect
      return HttpServerError.isServerError(defect) && defect._tag === "RequestError" && defect.reason === "Decode"
        ? Option.some(invalidRequest(["body: expected a JSON body"]))
        : Option.none()
    }
    return Option.none()
  })

/**
 * API-level middleware: a request the contract's schemas reject, or whose payload is missing, answers Make's 400
 * (`IM015` with `suberrors`) instead of effect's own error bodies.
 *
 * @since 0.1.0
 * @category layers
 */
export const makeValidationErrorsLive: Layer.Layer<never> = HttpApiBuilder.middleware(
  MakeHttpApi,
  (app) =>
    Effect.catchAllCause(app, (cause) =>
      Option.match(rejectionIn(cause), {
        onNone: () => Effect.failCause(cause),
        onSome: Effect.fail
      }))
)

// ---------------------------------------------------------------------------
// Request log
// ---------------------------------------------------------------------------

// Only methods whose body, when there is one, must be JSON: a DELETE's is ignored.
const needsJsonBody = (method: string): boolean => method === "POST" || method === "PUT" || method === "PATCH"

const placeholderBase = "http://emulator.invalid"

/**
 * The query of a URL under Make's raw names; `name[]` keys (and repeated keys) are arrays.
 *
 * @since 0.1.0
 * @category request log
 */
export const queryOf = (url: string): { readonly [name: string]: string | ReadonlyArray<string> } => {
  const params = new URL(url, placeholderBase).searchParams
  return Object.fromEntries(
    Arr.dedupe(Array.from(params.keys())).map((name) => {
      const values = params.getAll(name)
      return [name, name.endsWith("[]") || values.length > 1 ? values : values.join("")]
    })
  )
}

const pathOf = (url: string): string => new URL(url, placeholderBase).pathname

const routeNotFoundIn = (cause: Cause.Cause<unknown>): boolean =>
  Option.isSome(Cause.find(cause, (reason) => {
    if (!Cause.isFailType(reason)) return Option.none()
    const error: unknown = reason.error
    return HttpServerError.isServerError(error) && error._tag === "RouteNotFound" ? Option.some(error) : Option.none()
  }))

const statusOf = <E>(exit: Exit.Exit<HttpServerResponse.HttpServerResponse, E>): Effect.Effect<number> =>
  Exit.match(exit, {
    onSuccess: (response) => Effect.succeed(response.status),
    onFailure: (cause) => Effect.map(HttpServerError.causeResponse(cause), ([response]) => response.status)
  })

// ---------------------------------------------------------------------------
// Rate limit
// ---------------------------------------------------------------------------

/** A positive integer id from a query value or a body field (Make's numeric ids come as numbers or digit strings). */
const idOf = (value: unknown): Option.Option<number> => {
  if (typeof value === "number") return Number.isSafeInteger(value) && value > 0 ? Option.some(value) : Option.none()
  if (typeof value === "string" && /^\d+$/.test(value)) return Option.some(Number(value))
  return Option.none()
}

/** A field of a JSON body, whatever the body is. */
const fieldOf = (body: unknown, name: string): unknown =>
  typeof body === "object" && body !== null ? Object.entries(body).find(([key]) => key === name)?.[1] : undefined

const queryValue = (query: RecordedRequest["query"], name: string): Option.Option<string> => {
  const value = query[name]
  return typeof value === "string" ? Option.some(value) : Option.none()
}

/**
 * What the rate limit looks at in a request: the request line, the query under Make's raw names, the parsed body.
 *
 * @since 0.1.0
 * @category rate limit
 */
export interface RequestSummary {
  readonly method: string
  readonly path: string
  readonly query: RecordedRequest["query"]
  readonly body: unknown
}

/**
 * The organization a request concerns, as the rate limit counts it: `/organizations/{id}/...`; the `organizationId`
 * of `/admin/teams` (query on GET, body on POST); the team's organization for `/admin/teams/{teamId}`; the
 * invitation's organization for the invitation endpoints (by `hash`). `None` for the rest (`GET /organizations`,
 * `POST /organizations`, unknown teams or invitations), which share one count.
 *
 * @since 0.1.0
 * @category rate limit
 */
export const organizationConcerned = (data: Data, request: RequestSummary): Option.Option<number> => {
  const { body, method, path, query } = request
  if (path === "/organizations/invitation") {
    return Option.flatMap(
      queryValue(query, "hash"),
      (hash) => Option.map(findInvitation(data, hash), (invitation) => invitation.organizationId)
    )
  }
  if (path === "/organizations/accept-invitation") {
    const hash = fieldOf(body, "hash")
    return typeof hash === "string"
      ? Option.map(findInvitation(data, hash), (invitation) => invitation.organizationId)
      : Option.none()
  }
  const organization = /^\/organizations\/(\d+)(?:\/|$)/.exec(path)
  if (organization !== null) return idOf(organization[1])
  if (path === "/admin/teams" || path === "/admin/teams/") {
    if (method === "POST") return idOf(fieldOf(body, "organizationId"))
    return Option.flatMap(queryValue(query, "organizationId"), idOf)
  }
  const team = /^\/admin\/teams\/(\d+)\/?$/.exec(path)
  if (team !== null) {
    return Option.map(Option.flatMap(idOf(team[1]), (id) => findTeam(data, id)), (found) => found.organizationId)
  }
  return Option.none()
}

/**
 * The limit when the organization's licence does not say: requests that concern no organization, or one that does
 * not exist (the Teams plan's `apiLimit`).
 *
 * @since 0.1.0
 * @category rate limit
 */
export const defaultApiLimit = teamsLicense.apiLimit

/** Counts the request against its organization's limit; past it, the `Retry-After` value to answer with. */
const rateLimitCheck = (
  state: EmulatorState,
  request: RequestSummary
): Effect.Effect<Option.Option<string>> =>
  Option.match(state.settings.rateLimit, {
    onNone: () => Effect.succeed(Option.none()),
    onSome: (settings) =>
      Effect.gen(function*() {
        const data = yield* snapshot(state)
        const organizationId = organizationConcerned(data, request)
        const licensed = Option.match(Option.flatMap(organizationId, (id) => findOrganization(data, id)), {
          onNone: () => defaultApiLimit,
          onSome: (org) => org.license.apiLimit
        })
        const limit = Option.getOrElse(settings.perMinute, () => licensed)
        const key = Option.match(organizationId, { onNone: () => "none", onSome: (id) => `organization:${id}` })
        const now = yield* Clock.currentTimeMillis
        const wait = yield* Ref.modify(state.rateWindows, admit(key, limit, now, settings.window))
        return Option.map(wait, (after) => retryAfterValue(after, settings.retryAfterAs, now))
      })
  })

// ---------------------------------------------------------------------------
// The request log, with faults and the rate limit
// ---------------------------------------------------------------------------

/** What the log will say of a request, filled in as it goes. */
interface Progress {
  readonly body: BodyRead
  readonly fault: Fault | undefined
  readonly processed: boolean
  /** The entry is in the log already (written before a connection is dropped, so it is there when the client fails). */
  readonly logged: boolean
}

/**
 * Wraps the API app (mounted under the base URL, so it sees paths without `/api/v2`): records every request with
 * the status it got and bounded excerpts of its path and body, never the `Authorization` value; answers Make's 400
 * for a body that is not JSON and Make's 404 for an unknown endpoint. The body is read here once, bounded, and the
 * handlers get it from that read (see `RequestBody`). It is also where the instance is unreliable on purpose, in
 * this order:
 *
 * 1. the fault plan in force draws the request's fault (see `EmulatorFaults.FaultPlan`);
 * 2. `refused`: the connection is dropped before the request is read;
 * 3. the body: 415 for a content type other than `application/json` on POST, PUT and PATCH (unread), 413 past
 *    1 MiB (unread when its `Content-Length` says so, else counted and dropped), before authentication;
 * 4. `latency`: the request waits (`Clock`);
 * 5. `reset`: the connection is dropped;
 * 6. the per-organization rate limit counts the request if it carries the token (`rateLimit` option), answering 429
 *    past the limit (a request without the token spends nothing and is answered 401 by the handler);
 * 7. an injected 429, or a 5xx drawn to come before processing, answers without running the handler;
 * 8. the handler runs; a 5xx drawn to come after processing replaces its answer, `truncated` cuts its body.
 *
 * Dropping a connection goes through the {@link Connection} of the transport. An interrupted request (the client
 * went away) is logged as `aborted`.
 *
 * @since 0.1.0
 * @category request log
 */
export const withRequestLog =
  (state: EmulatorState) => <E, R>(app: HttpApp.Default<E, R>): HttpApp.Default<E, R | Connection> =>
    Effect.gen(function*() {
      const request = yield* HttpServerRequest.HttpServerRequest
      const connection = yield* Connection
      const at = yield* Clock.currentTimeMillis
      const line: RequestLine = { method: request.method, path: pathOf(request.url) }
      const query = queryOf(request.url)
      const authenticated = acceptsAuthorization(state, request.headers["authorization"])
      const decision = yield* Ref.modify(state.faults, draw(line))
      const progress = yield* Ref.make<Progress>({
        body: { _tag: "Empty" },
        fault: undefined,
        processed: false,
        logged: false
      })
      const mark = (change: Partial<Progress>) => Ref.update(progress, (current) => ({ ...current, ...change }))

      const record = (status: number, aborted: boolean) =>
        Effect.flatMap(Ref.getAndUpdate(progress, (current) => ({ ...current, logged: true })), (current) => {
          const entry: RecordedRequest = {
            method: line.method,
            path: excerpt(line.path),
            query,
            body: loggedBody(current.body),
            bodyBytes: bodyBytesOf(current.body),
            status,
            authenticated,
            at,
            ...(current.fault === undefined ? {} : { fault: current.fault }),
            processed: current.processed,
            aborted
          }
          return current.logged ? Effect.void : Ref.update(state.log, RequestLog.append(entry))
        })

      // No HTTP answer: the entry goes in the log first, then the transport drops the connection and ends the fiber.
      const drop = (fault: ConnectionFault) =>
        mark({ fault }).pipe(
          Effect.zipRight(record(0, false)),
          Effect.zipRight(connection.drop(request, fault)),
          Effect.zipRight(Effect.never)
        )

      // The handlers run over the body read here (see `RequestBody.withBody`).
      const handledWith = (body: BodyRead) =>
        Effect.flatMap(withBody(request, body), (given) =>
          Option.match(given, {
            onNone: () => Effect.succeed(errorResponse(invalidRequest(["headers: not readable as an HTTP request"]))),
            onSome: (readable) =>
              Effect.catchAllCause(
                Effect.provideService(app, HttpServerRequest.HttpServerRequest, readable),
                (cause) =>
                  routeNotFoundIn(cause) ? Effect.succeed(errorResponse(routeNotFound)) : Effect.failCause(cause)
              )
          }))
      // The handler's answer, or the response its failure stands for (what the transport would have sent).
      const responseOf = (handled: Effect.Effect<HttpServerResponse.HttpServerResponse, E, R>) =>
        Effect.flatMap(
          Effect.exit(handled),
          Exit.match({
            onSuccess: Effect.succeed,
            onFailure: (cause) => Effect.map(HttpServerError.causeResponse(cause), ([response]) => response)
          })
        )

      const respond = Effect.gen(function*() {
        if (decision._tag === "Refused") return yield* drop("refused")
        const body = yield* readBody(request)
        yield* mark({ body })
        // Refused before anything else looks at the request (as a gateway would): nothing was kept of the body.
        if (body._tag === "Unsupported") return unsupportedMediaType(body.contentType)
        if (body._tag === "TooLarge") return payloadTooLarge(body.bytes)
        const handled = handledWith(body)
        if (decision._tag === "Latency") {
          yield* mark({ fault: "latency" })
          yield* Effect.sleep(decision.duration)
        }
        if (decision._tag === "Reset") return yield* drop("reset")
        // Only a request with the token counts: one without it is answered 401 by the handler and spends nothing of the
        // organization's minute, or anyone could exhaust an organization's limit without a token.
        const limited = authenticated
          ? yield* rateLimitCheck(state, { ...line, query, body: bodyValue(body) })
          : Option.none()
        if (Option.isSome(limited)) {
          yield* mark({ fault: "rateLimit" })
          return tooManyRequests(limited.value)
        }
        if (decision._tag === "RateLimited") {
          yield* mark({ fault: "429" })
          const now = yield* Clock.currentTimeMillis
          return tooManyRequests(retryAfterValue(decision.retryAfter, decision.form, now))
        }
        if (decision._tag === "ServerError" && !decision.processed) {
          yield* mark({ fault: faultOf(decision) })
          return serverError(decision.status)
        }
        // A body that is there but not JSON is Make's 400; no body at all is left to the endpoint (some POSTs take
        // none, and the contract rejects a missing payload where one is needed).
        if (authenticated && needsJsonBody(request.method) && body._tag === "Malformed") {
          return errorResponse(invalidRequest(["body: expected a JSON body"]))
        }
        yield* mark({ processed: true })
        if (decision._tag === "ServerError") {
          // The gateway's answer replaces the handler's: the change is made, the client is told it failed.
          yield* responseOf(handled)
          yield* mark({ fault: faultOf(decision) })
          return serverError(decision.status)
        }
        if (decision._tag === "Truncated") {
          const response = yield* responseOf(handled)
          yield* mark({ fault: "truncated" })
          return truncate(response)
        }
        return yield* handled
      })

      // The platform runs apps uninterruptibly (`HttpApp.toHandled`), so a client going away would go unnoticed; the
      // emulator opts in, as a server that stops work for a closed connection. A handler changes state in one atomic
      // step, so an interruption lands before the change (nothing happened) or after it (the answer is lost).
      return yield* Effect.onExit(
        Effect.interruptible(respond),
        (exit) => Effect.flatMap(statusOf(exit), (status) => record(status, Exit.isInterrupted(exit)))
      )
    })
