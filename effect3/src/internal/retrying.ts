// The retry loop around one attempt of the client pipeline: send, and on no answer or a failed one, decide (with
// internal/retry.ts) whether to wait and send again; the last failure becomes a MakeError with the number of
// attempts. Internal to MakeClient; imports `effect`, `@effect/platform`, MakeConfig's types, MakeError and the other
// internal pipeline modules.
/**
 * @since 0.1.0
 * @internal
 */
import type { HttpClientError, HttpClientRequest, HttpClientResponse } from "@effect/platform"
import { Clock, type Duration, Effect, Either, Option, Random, type Redacted } from "effect"
import type * as MakeConfig from "../MakeConfig.js"
import * as MakeError from "../MakeError.js"
import { BufferedResponse, describe } from "./bounded.js"
import * as Redact from "./redact.js"
import * as Retry from "./retry.js"

/**
 * What one attempt can fail with: no answer from the transport, or an answer refused while it was read (past
 * `maxResponseBytes`, a redirect not followed).
 *
 * @internal
 */
export type AttemptError = HttpClientError.HttpClientError | MakeError.TransportError | MakeError.UnexpectedResponse

/**
 * Everything the pipeline itself can fail with, before a service narrows it.
 *
 * @internal
 */
export type PipelineError = MakeError.ResponseError | MakeError.TransportError

/**
 * The body of a failed answer, scrubbed of the token first: a server that echoes headers must not leak it. The
 * parsed value is scrubbed again where it becomes text (`fromResponse`'s `redact`): JSON escapes are decoded by then.
 */
const readBody = (
  response: HttpClientResponse.HttpClientResponse,
  token: Redacted.Redacted<string>
): Effect.Effect<unknown> =>
  response.text.pipe(
    Effect.map((raw): unknown => {
      const text = Redact.forToken(token)(raw)
      try {
        return JSON.parse(text)
      } catch {
        return text
      }
    }),
    Effect.orElseSucceed(() => "")
  )

/** A failure to get any answer, as a TransportError that says how many times the request was sent. */
const noAnswer = (
  error: HttpClientError.HttpClientError | MakeError.TransportError,
  request: HttpClientRequest.HttpClientRequest,
  attempts: number
): MakeError.TransportError =>
  error._tag === "TransportError"
    ? new MakeError.TransportError({ ...error, attempts })
    : new MakeError.TransportError({ ...transportFields(error, request), attempts })

/**
 * What a TransportError says of an HttpClientError: encoding the request failed, or the connection did.
 *
 * @internal
 */
export const transportFields = (
  error: HttpClientError.HttpClientError,
  request: HttpClientRequest.HttpClientRequest
) => ({
  reason: error._tag === "RequestError" && error.reason === "Encode" ? "Encode" as const : "Connection" as const,
  request: describe(request),
  description: error.description ?? error.reason
})

/**
 * Sends a request up to `policy.maxAttempts` times (see internal/retry.ts for when), waiting with jittered
 * exponential backoff that honours `Retry-After`; then maps the last answer through the one mapper (non-2xx) or
 * to a TransportError (no answer), with the number of attempts. Interruption is never retried: it is not a failure.
 *
 * @internal
 */
export const withRetries = (policy: MakeConfig.RetryPolicy, token: Redacted.Redacted<string>) =>
(
  effect: Effect.Effect<HttpClientResponse.HttpClientResponse, AttemptError>,
  request: HttpClientRequest.HttpClientRequest
): Effect.Effect<HttpClientResponse.HttpClientResponse, PipelineError> => {
  const retryAfter = (attempt: number, retryAfterMillis: number | undefined) =>
    attempt < policy.maxAttempts
      ? Effect.map(Random.next, (random) => Retry.nextDelay(policy, attempt, random, retryAfterMillis))
      : Effect.succeed(Option.none<Duration.Duration>())
  // Hot path: one match, one span annotation; the generators below run only when something went wrong.
  const send = (attempt: number): Effect.Effect<HttpClientResponse.HttpClientResponse, PipelineError> =>
    Effect.matchEffect(effect, {
      onFailure: (failure) => noAnswerOrRetry(failure, attempt),
      onSuccess: (response) =>
        response.status >= 200 && response.status < 300
          ? isCutOff(response)
            ? cutOffOrRetry(response, attempt)
            : annotate(response, attempt, response.status)
          : failedOrRetry(response, attempt)
    })
  // A 2xx to a GET whose body, declared JSON (or not declared at all), is not JSON: cut off on the way, the headers
  // having come whole. For a safe method that is like a dropped connection. A body declared as something else (an
  // HTML maintenance page) is an answer, not an accident: the decoder refuses it at once. Only a body read within the
  // attempt is looked at (a transport that answers another kind of response is left to the decoder); the parse is
  // kept for the decoder.
  const isCutOff = (response: HttpClientResponse.HttpClientResponse): boolean =>
    Retry.isRetryableUnreadableBody(request.method) && response instanceof BufferedResponse &&
    Either.isLeft(response.jsonNow()) && Retry.isDeclaredJson(response.headers["content-type"])
  const cutOffOrRetry = (
    response: HttpClientResponse.HttpClientResponse,
    attempt: number
  ): Effect.Effect<HttpClientResponse.HttpClientResponse, PipelineError> =>
    Effect.gen(function*() {
      const delay = yield* retryAfter(attempt, undefined)
      // the budget spent: the answer goes on to the decoder, whose UnexpectedResponse says what was wrong with it
      if (Option.isNone(delay)) return yield* annotate(response, attempt, response.status)
      yield* Effect.logDebug("effect-make: retrying after a body that is not JSON", describe(request))
      yield* Effect.sleep(delay.value)
      return yield* send(attempt + 1)
    })
  // On the fiber's span, if any, then `value`: one step of the runtime. (`Effect.annotateCurrentSpan` builds a
  // `NoSuchElementException`, stack trace and all, to find there is none: about 6 % of a call's CPU wherever no span
  // is.)
  const annotate = <A>(value: A, attempt: number, status?: number) =>
    Effect.withFiberRuntime<A>((fiber) => {
      const span = fiber.currentSpan
      if (span?._tag === "Span") {
        span.attribute("make.attempts", attempt)
        if (status !== undefined) span.attribute("http.response.status_code", status)
      }
      return Effect.succeed(value)
    })
  const noAnswerOrRetry = (
    failure: AttemptError,
    attempt: number
  ): Effect.Effect<HttpClientResponse.HttpClientResponse, PipelineError> =>
    Effect.gen(function*() {
      yield* annotate(undefined, attempt)
      // an error status whose body was refused (past maxResponseBytes) is still that status: a 503 is a ServerError
      if (failure._tag === "UnexpectedResponse" && failure.status >= 400) return yield* unreadOrRetry(failure, attempt)
      // an answer refused (too large, a redirect not followed) would be refused again: not a transient failure
      if (failure._tag === "UnexpectedResponse") return yield* failure
      const error = noAnswer(failure, request, attempt)
      const delay = Retry.isRetryableTransport(request.method, failure)
        ? yield* retryAfter(attempt, undefined)
        : Option.none()
      if (Option.isNone(delay)) return yield* error
      yield* Effect.logDebug("effect-make: retrying after no answer", describe(request), error.description)
      yield* Effect.sleep(delay.value)
      return yield* send(attempt + 1)
    })
  const unreadOrRetry = (
    refused: MakeError.UnexpectedResponse,
    attempt: number
  ): Effect.Effect<HttpClientResponse.HttpClientResponse, PipelineError> =>
    Effect.gen(function*() {
      yield* annotate(undefined, attempt, refused.status)
      // no body, no headers: the error's detail says why (the cap), and no Retry-After is known
      const error = MakeError.fromResponse({
        status: refused.status,
        body: refused.reason,
        attempts: attempt,
        redact: Redact.forToken(token)
      })
      const delay = Retry.isRetryableStatus(request.method, refused.status)
        ? yield* retryAfter(attempt, undefined)
        : Option.none()
      if (Option.isNone(delay)) return yield* error
      yield* Effect.logDebug("effect-make: retrying after", refused.status, describe(request))
      yield* Effect.sleep(delay.value)
      return yield* send(attempt + 1)
    })
  const failedOrRetry = (
    response: HttpClientResponse.HttpClientResponse,
    attempt: number
  ): Effect.Effect<HttpClientResponse.HttpClientResponse, PipelineError> =>
    Effect.gen(function*() {
      yield* annotate(undefined, attempt, response.status)
      const body = yield* readBody(response, token)
      const retryAfterMillis = Retry.parseRetryAfter(response.headers["retry-after"], yield* Clock.currentTimeMillis)
      const error = MakeError.fromResponse({
        status: response.status,
        body,
        retryAfterMillis,
        attempts: attempt,
        redact: Redact.forToken(token)
      })
      const delay = Retry.isRetryableStatus(request.method, response.status)
        ? yield* retryAfter(attempt, retryAfterMillis)
        : Option.none()
      if (Option.isNone(delay)) return yield* error
      yield* Effect.logDebug("effect-make: retrying after", response.status, describe(request))
      yield* Effect.sleep(delay.value)
      return yield* send(attempt + 1)
    })
  return send(1)
}
