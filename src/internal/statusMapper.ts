// THE mapper from an HTTP outcome that is not a success (status, body, Retry-After, attempts) to a MakeError.
// Floor 1 (internal): imports only `effect`, `domain/ErrorBody`, `MakeError` and the internal text helpers.
/**
 * @since 1.0.0
 * @internal
 */
import { Option, Schema } from "effect"
import { ErrorBody } from "../domain/ErrorBody.js"
import * as MakeError from "../MakeError.js"
import * as ErrorText from "./errorText.js"

const decodeBody = Schema.decodeUnknownOption(ErrorBody)

/**
 * An HTTP outcome that is not a success, as the pipeline saw it.
 *
 * @internal
 */
export interface FailedResponse {
  readonly status: number
  /** The parsed JSON body, or the raw text when it was not JSON. */
  readonly body: unknown
  /** `Retry-After`, already converted to milliseconds. */
  readonly retryAfterMillis?: number | undefined
  /** How many times the request was sent. */
  readonly attempts?: number | undefined
  /**
   * Applied to every text the error keeps (detail, title, code, suberrors, excerpt): the client passes one that
   * removes its token in any spelling, so an error body that echoes the token does not carry it into the error.
   */
  readonly redact?: ErrorText.Redact | undefined
}

/** The longest `detail` kept from Make's error body; Make's own are one sentence. */
const maxDetail = 1000

/** The statuses Make answers a request it understood and rejected with. */
const rejected: ReadonlySet<number> = new Set([400, 405, 409, 410, 413, 415, 422])

/**
 * THE mapper from Make's error body and HTTP status to a {@link MakeError.ResponseError}. Every non-2xx answer goes
 * through it, wherever it is seen (the client pipeline, the contract's error decoders).
 *
 * | status | code | error |
 * | --- | --- | --- |
 * | any | `IM004` | `NotConfirmed` |
 * | 406 | any | `NotConfirmed` |
 * | 400, 405, 409, 410, 413, 415, 422 | any | `InvalidRequest` |
 * | 401 | any | `Unauthorized` |
 * | 403 | any | `Forbidden` |
 * | 404 | any | `NotFound` |
 * | 429 | any | `RateLimited` |
 * | 5xx | any | `ServerError` |
 * | anything else | | `UnexpectedResponse` |
 *
 * @internal
 */
export const fromResponse = (response: FailedResponse): MakeError.ResponseError => {
  const { status } = response
  const redact = response.redact ?? ((text: string) => text)
  const parsed = decodeBody(response.body)
  // Every text below is bounded and redacted: the body is whatever the server sent (any size, any depth).
  const text = (value: string | undefined, max?: number) =>
    value === undefined ? undefined : ErrorText.excerptOf(value, redact, max)
  const fields: {
    readonly status: number
    readonly detail: string
    readonly title?: string | undefined
    readonly code?: string | undefined
  } = Option.match(parsed, {
    onNone: () => ({ status, detail: ErrorText.excerptOf(response.body, redact) }),
    onSome: (body) => ({
      status,
      detail: ErrorText.excerptOf(body.detail, redact, maxDetail),
      title: text(body.message),
      code: text(body.code, 40)
    })
  })
  const attempts = response.attempts ?? 1
  if (fields.code === "IM004" || status === 406) return new MakeError.NotConfirmed(fields)
  if (rejected.has(status)) {
    return new MakeError.InvalidRequest({
      ...fields,
      suberrors: Option.match(parsed, {
        onNone: () => [],
        onSome: (body) => ErrorText.boundSuberrors(body.suberrors ?? [], redact)
      })
    })
  }
  switch (status) {
    case 401:
      return new MakeError.Unauthorized(fields)
    case 403:
      return new MakeError.Forbidden(fields)
    case 404:
      return new MakeError.NotFound(fields)
    case 429:
      return new MakeError.RateLimited({ ...fields, attempts, retryAfterMillis: response.retryAfterMillis })
  }
  if (status >= 500 && status <= 599) return new MakeError.ServerError({ ...fields, attempts })
  return new MakeError.UnexpectedResponse({ status, reason: "a status Make does not use", excerpt: fields.detail })
}
