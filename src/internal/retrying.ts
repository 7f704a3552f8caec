// The retry loop around one attempt of the client pipeline: send, and on no answer or a failed one, decide (with
// ./retry) whether to wait and send again; the last failure becomes a MakeError with the number of attempts.
// Floor 2 (internal): imports `effect`, `effect/http`, MakeConfig's types, MakeError and the other internal modules.
/**
 * @since 1.0.0
 * @internal
 */
import { Clock, Context, type Duration, Effect, Option, Random, type Redacted, Result, Tracer } from "effect"
import type { HttpClientError, HttpClientRequest, HttpClientResponse } from "effect/http"
import type * as MakeConfig from "../MakeConfig.js"
import * as MakeError from "../MakeError.js"
import type { AttemptError } from "../Transport.js"
import { BufferedResponse, describe } from "./bounded.js"
import * as Redact from "./redact.js"
import * as Retry from "./retry.js"
import * as StatusMapper from "./statusMapper.js"

/**
 * Everything the pipeline itself can fail with, before a service narrows it.
 *
 * @internal
 */
export type PipelineError = MakeError.ResponseError | MakeError.TransportError

/**
 * The body of a failed answer, scrubbed of the token first: a server that echoes headers must not leak it. The
 * parsed value is scrubbed again where it becomes text (the status mapper's `redact`): JSON escapes are decoded by
 * then.
 */
const readBody = (
  response: HttpClientResponse.HttpClientResponse,
  redact: Redact.Redact
): Effect.Effect<unknown> =>
  Effect.orElseSucceed(
    Effect.map(response.text, (raw): unknown => {
      const text = redact(raw)
      try {
        return JSON.parse(text)
      } catch {
        return text
      }
    }),
    () => ""
  )

/**
 * What a TransportError says of an HttpClientError: encoding the request failed, or the connection did.
 *
 * @internal
 */
export const transportFields = (
  error: HttpClientError.HttpClientError,
  request: HttpClientRequest.HttpClientRequest
) => ({
  reason: error.reason._tag === "EncodeError" ? "Encode" as const : "Connection" as const,
  request: describe(request),
  description: error.reason.description ?? error.reason._tag
})

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
 * On the fiber's span, if any, the attempts and status, then `value`: one step of the runtime.
 */
const annotate = <A>(value: A, attempt: number, status?: number) =>
  Effect.withFiber<A>((fiber) => {
    const span = Context.getOrUndefined(fiber.context, Tracer.ParentSpan)
    if (span?._tag === "Span") {
      span.attribute("make.attempts", attempt)
      if (status !== undefined) span.attribute("http.response.status_code", status)
    }
    return Effect.succeed(value)
  })

/**
 * Sends a request up to `policy.maxAttempts` times (see ./retry for when), waiting with jittered exponential backoff
 * that honours `Retry-After`; then maps the last answer through the one mapper (non-2xx) or to a TransportError (no
 * answer), with the number of attempts. Interruption is never retried: it is not a failure.
 *
 * @internal
 */
export const withRetries = (policy: MakeConfig.RetryPolicy, token: Redacted.Redacted<string>) => {
  const redact = Redact.forToken(token)
  return (
    effect: Effect.Effect<HttpClientResponse.HttpClientResponse, AttemptError>,
    request: HttpClientRequest.HttpClientRequest
  ): Effect.Effect<HttpClientResponse.HttpClientResponse, PipelineError> => {
    const retryAfter = (attempt: number, retryAfterMillis: number | undefined) =>
      attempt < policy.maxAttempts
        ? Effect.map(Random.next, (random) => Retry.nextDelay(policy, attempt, random, retryAfterMillis))
        : Effect.succeed(Option.none<Duration.Duration>())
    const again = (delay: Duration.Duration, attempt: number, why: string) =>
      Effect.andThen(
        Effect.andThen(Effect.logDebug(`effect-make: retrying after ${why}`, describe(request)), Effect.sleep(delay)),
        Effect.suspend(() => send(attempt + 1))
      )
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
    // HTML maintenance page) is an answer, not an accident: the decoder refuses it at once. The parse is kept for the
    // decoder.
    const isCutOff = (response: HttpClientResponse.HttpClientResponse): boolean =>
      Retry.isRetryableUnreadableBody(request.method) && response instanceof BufferedResponse &&
      Result.isFailure(response.jsonNow()) && Retry.isDeclaredJson(response.headers["content-type"])
    const cutOffOrRetry = (response: HttpClientResponse.HttpClientResponse, attempt: number) =>
      Effect.flatMap(retryAfter(attempt, undefined), (delay) =>
        // the budget spent: the answer goes on to the decoder, whose UnexpectedResponse says what was wrong with it
        Option.isNone(delay)
          ? annotate(response, attempt, response.status)
          : again(delay.value, attempt, "a body that is not JSON"))
    const noAnswerOrRetry = (
      failure: AttemptError,
      attempt: number
    ): Effect.Effect<HttpClientResponse.HttpClientResponse, PipelineError> =>
      Effect.gen(function*() {
        yield* annotate(undefined, attempt)
        // an error status whose body was refused (past maxResponseBytes) is still that status: a 503 is a ServerError
        if (failure._tag === "UnexpectedResponse" && failure.status >= 400) {
          return yield* unreadOrRetry(failure, attempt)
        }
        // an answer refused (too large, a redirect not followed) would be refused again: not a transient failure
        if (failure._tag === "UnexpectedResponse") return yield* failure
        const error = noAnswer(failure, request, attempt)
        const delay = Retry.isRetryableTransport(request.method, failure)
          ? yield* retryAfter(attempt, undefined)
          : Option.none()
        if (Option.isNone(delay)) return yield* error
        return yield* again(delay.value, attempt, `no answer (${error.description})`)
      })
    const unreadOrRetry = (refused: MakeError.UnexpectedResponse, attempt: number) =>
      Effect.gen(function*() {
        yield* annotate(undefined, attempt, refused.status)
        // no body, no headers: the error's detail says why (the cap), and no Retry-After is known
        const error = StatusMapper.fromResponse({
          status: refused.status,
          body: refused.reason,
          attempts: attempt,
          redact
        })
        const delay = Retry.isRetryableStatus(request.method, refused.status)
          ? yield* retryAfter(attempt, undefined)
          : Option.none()
        if (Option.isNone(delay)) return yield* error
        return yield* again(delay.value, attempt, String(refused.status))
      })
    const failedOrRetry = (response: HttpClientResponse.HttpClientResponse, attempt: number) =>
      Effect.gen(function*() {
        yield* annotate(undefined, attempt, response.status)
        const body = yield* readBody(response, redact)
        const retryAfterMillis = Retry.parseRetryAfter(response.headers["retry-after"], yield* Clock.currentTimeMillis)
        const error = StatusMapper.fromResponse({
          status: response.status,
          body,
          retryAfterMillis,
          attempts: attempt,
          redact
        })
        const delay = Retry.isRetryableStatus(request.method, response.status)
          ? yield* retryAfter(attempt, retryAfterMillis)
          : Option.none()
        if (Option.isNone(delay)) return yield* error
        return yield* again(delay.value, attempt, String(response.status))
      })
    return send(1)
  }
}
