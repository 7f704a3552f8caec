// A stand-in for Make without a socket: an `HttpClient` that answers each request with what the test says, as JSON
// unless told otherwise. Imports `@effect/platform` and `effect` only.
import { HttpClient, type HttpClientRequest, HttpClientResponse } from "@effect/platform"
import { Effect } from "effect"

/** One answer: its status, body (none for a 204, whatever is given) and headers over `content-type: application/json`. */
export interface Answer {
  readonly status: number
  readonly body: string | Uint8Array<ArrayBuffer>
  readonly headers?: Readonly<Record<string, string>> | undefined
}

/** An `HttpClient` answering each request with `answer(request)`. */
export const answering = (answer: (request: HttpClientRequest.HttpClientRequest) => Answer): HttpClient.HttpClient =>
  HttpClient.make((request) =>
    Effect.sync(() => {
      const { body, headers, status } = answer(request)
      // a 204 has no body at all: `Response` refuses even an empty one
      return HttpClientResponse.fromWeb(
        request,
        new Response(status === 204 ? null : body, {
          status,
          headers: { "content-type": "application/json", ...headers }
        })
      )
    })
  )
