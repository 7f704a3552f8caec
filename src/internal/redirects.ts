// What the pipeline does with a 3xx: by default fail with UnexpectedResponse naming where it pointed; with
// `followRedirects`, send the request there, the token only ever to the configured origin. Floor 2 (internal):
// imports `effect`, `effect/http`, MakeConfig's types, MakeError and ./bounded.
/**
 * @since 1.0.0
 * @internal
 */
import { Effect } from "effect"
import { Headers, HttpClientRequest, HttpMethod } from "effect/http"
import type { HttpClientResponse } from "effect/http"
import type * as MakeConfig from "../MakeConfig.js"
import * as MakeError from "../MakeError.js"
import { describe } from "./bounded.js"

/**
 * A Location as it may appear in an error: origin and path, the query and fragment cut (they may carry secrets),
 * credentials dropped by construction.
 *
 * @internal
 */
export const showLocation = (location: URL): string =>
  `${location.origin}${location.pathname}${location.search === "" && location.hash === "" ? "" : "?…"}`

/** Where a 3xx points, resolved against the URL the request went to; undefined without a usable http(s) Location. */
const locationOf = (response: HttpClientResponse.HttpClientResponse): URL | undefined => {
  const header = response.headers["location"]
  if (header === undefined || !URL.canParse(header, response.request.url)) return undefined
  const url = new URL(header, response.request.url)
  return url.protocol === "https:" || url.protocol === "http:" ? url : undefined
}

/**
 * The request to send to `location`, as fetch does: 303 (and 301/302 after a POST) turns into a GET without a body;
 * 307 and 308 keep method and body. The `Authorization` header is always dropped here: the pipeline's auth stage
 * adds the token again, and only when `location` is on the configured origin. Undefined for a method that is not an
 * HTTP method Effect knows: Effect 4 types a request's method as any string, and such a request cannot be resent
 * as it was (the client's own requests, from the HttpApi contract, always have a known one).
 */
const nextRequest = (
  sent: HttpClientRequest.HttpClientRequest,
  status: number,
  location: URL
): HttpClientRequest.HttpClientRequest | undefined => {
  const asGet = status === 303 ? sent.method !== "HEAD" : (status === 301 || status === 302) && sent.method === "POST"
  const headers = Headers.removeMany(
    sent.headers,
    asGet ? ["authorization", "content-type", "content-length"] : ["authorization"]
  )
  const target = HttpClientRequest.get(location, { headers })
  if (asGet) return target
  const method = sent.method
  return HttpMethod.isHttpMethod(method) ? HttpClientRequest.modify(target, { method, body: sent.body }) : undefined
}

const isRedirect = (status: number) => status >= 300 && status <= 399

/**
 * The redirect stage around an attempt. `send` sends a request as an attempt (auth, timeout, size cap, rate limit):
 * each hop is sent through it, so it is bounded like any attempt and gets the token back only on the configured
 * origin. Past `maxRedirects` hops (0 by default), a 3xx fails with `UnexpectedResponse`, never retried.
 *
 * @internal
 */
export const withRedirects = <E>(
  config: Pick<MakeConfig.Resolved, "maxRedirects">,
  send: (request: HttpClientRequest.HttpClientRequest) => Effect.Effect<HttpClientResponse.HttpClientResponse, E>
) =>
(
  effect: Effect.Effect<HttpClientResponse.HttpClientResponse, E>,
  request: HttpClientRequest.HttpClientRequest
): Effect.Effect<HttpClientResponse.HttpClientResponse, E | MakeError.UnexpectedResponse> => {
  const follow = (
    response: HttpClientResponse.HttpClientResponse,
    hops: number
  ): Effect.Effect<HttpClientResponse.HttpClientResponse, E | MakeError.UnexpectedResponse> => {
    if (!isRedirect(response.status)) return Effect.succeed(response)
    const location = locationOf(response)
    const unexpected = (reason: string) =>
      Effect.fail(new MakeError.UnexpectedResponse({ status: response.status, reason, excerpt: describe(request) }))
    if (location === undefined) return unexpected("a redirect without a usable Location header")
    if (hops >= config.maxRedirects) {
      return unexpected(
        config.maxRedirects === 0
          ? `a redirect to ${showLocation(location)}, which this client does not follow (see followRedirects)`
          : `more than ${config.maxRedirects} redirects in a row, the last to ${showLocation(location)}`
      )
    }
    const next = nextRequest(response.request, response.status, location)
    if (next === undefined) {
      return unexpected(`a redirect of a ${response.request.method} request, which cannot be resent`)
    }
    return Effect.flatMap(send(next), (answer) => follow(answer, hops + 1))
  }
  return Effect.flatMap(effect, (response) => follow(response, 0))
}
