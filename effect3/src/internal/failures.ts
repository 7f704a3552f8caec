// Every failure of a derived call as a MakeError with bounded texts scrubbed of the token, and the header names a
// client span must not show. Internal to MakeClient; imports `effect`, `@effect/platform`, MakeError and the other
// internal pipeline modules.
/**
 * @since 0.1.0
 * @internal
 */
import { HttpClientError } from "@effect/platform"
import type { HttpApiError } from "@effect/platform"
import { ParseResult, type Redacted } from "effect"
import * as MakeError from "../MakeError.js"
import { describe } from "./bounded.js"
import * as ErrorText from "./errorText.js"
import * as Redact from "./redact.js"
import { transportFields } from "./retrying.js"

/**
 * What a derived call can fail with before it is mapped.
 *
 * @internal
 */
export type RawError =
  | MakeError.MakeError
  | HttpClientError.HttpClientError
  | HttpApiError.HttpApiDecodeError
  | ParseResult.ParseError

const fromHttpClientError = (error: HttpClientError.HttpClientError, redact: Redact.Redact): MakeError.MakeError => {
  // The derived client reports a status its contract does not declare as a ResponseError without a cause ("Decode"
  // for an undeclared 2xx, "StatusCode" for an error status declared without a body); a body that could not be read
  // carries the cause, and is a transport failure.
  if (error._tag === "ResponseError" && (error.reason === "StatusCode" || error.cause === undefined)) {
    return new MakeError.UnexpectedResponse({
      status: error.response.status,
      reason: `status ${error.response.status}, which this call does not answer with`,
      excerpt: ErrorText.excerptOf(describe(error.request), redact)
    })
  }
  const fields = transportFields(error, error.request)
  return new MakeError.TransportError({ ...fields, description: ErrorText.excerptOf(fields.description, redact) })
}

/**
 * The headers an HTTP client span shows as sent: the platform records every response header's value in the span, and
 * a server that echoes the token in one of its own would put it there. Any other header is recorded as `<redacted>`.
 */
const unlistedHeader = /^(?!(?:accept|content-type|content-length|content-encoding|date|retry-after|traceparent|b3)$)/i

/**
 * The names a span redacts, plus every header not in the short list above.
 *
 * @internal
 */
export const withUnlistedHeaders = (names: ReadonlyArray<string | RegExp>): ReadonlyArray<string | RegExp> => [
  ...names,
  unlistedHeader
]

/**
 * Every failure of a derived call as a MakeError whose texts are bounded and scrubbed of the token: whatever the
 * server sent (a body nested 100,000 deep, a megabyte of text, the token echoed in any spelling) ends up as a typed
 * error with short texts, never as a defect.
 *
 * @internal
 */
export const toMakeError = (error: RawError, token: Redacted.Redacted<string>): MakeError.MakeError => {
  const redact = Redact.forToken(token)
  if (HttpClientError.isHttpClientError(error)) return fromHttpClientError(error, redact)
  if (error._tag === "HttpApiDecodeError") {
    // The contract's own 400 body: only an effect-based server answers with it, never Make itself.
    return new MakeError.InvalidRequest({
      status: 400,
      detail: ErrorText.excerptOf(error.message, redact),
      suberrors: ErrorText.boundSuberrors(
        error.issues.map((issue) => ({ message: `${issue.path.join(".")}: ${issue.message}` })),
        redact
      )
    })
  }
  if (ParseResult.isParseError(error)) {
    return new MakeError.UnexpectedResponse({
      status: 200,
      reason: "the body does not match the response schema",
      excerpt: ErrorText.excerptOf(ErrorText.formatIssues(error, redact).join("; "), redact)
    })
  }
  if (error._tag === "TransportError") {
    return new MakeError.TransportError({ ...error, description: ErrorText.excerptOf(error.description, redact) })
  }
  return error
}
