// Stand-ins for Make without a socket, for the client's suites: an HttpClient that answers from a script and records
// what it was sent (when, with which headers, whether it was aborted), and a transport failure as fetch reports it.
// Imports `effect`, `effect/http` and src/ only.
import { Clock, Effect, Layer, Redacted, Ref } from "effect"
import { HttpClient, HttpClientError, type HttpClientRequest, HttpClientResponse } from "effect/http"
import * as MakeApi from "../../src/MakeApi.js"
import type * as MakeClient from "../../src/MakeClient.js"
import type * as MakeConfig from "../../src/MakeConfig.js"

/** The token every suite uses: a UUID, as Make's are. */
export const secret = "6f1d3c52-8a9e-4c1b-9d2e-3f4a5b6c7d8e"

/**
 * One scripted answer: a status with a JSON body (`body`), or raw text or bytes (`raw`), and headers over
 * `content-type: application/json`; or no answer at all (`reset`, `refused`, `hang`).
 */
export type Answer =
  | {
    readonly status: number
    readonly body?: unknown
    readonly raw?: string | Uint8Array<ArrayBuffer> | null | undefined
    readonly headers?: Readonly<Record<string, string>> | undefined
  }
  | "reset"
  | "refused"
  | "hang"

/** What the HttpClient was sent: the request as the client built it, its URL, when, and whether it was aborted. */
export interface Sent {
  readonly request: HttpClientRequest.HttpClientRequest
  readonly method: string
  readonly url: string
  readonly authorization: string | undefined
  readonly at: number
  readonly aborted: () => boolean
}

/** The `HttpClientError` a request that met `code` (`ECONNRESET`, `ECONNREFUSED`, ...) fails with under fetch. */
export const transportFailure = (request: HttpClientRequest.HttpClientRequest, code: string) =>
  new HttpClientError.HttpClientError({
    reason: new HttpClientError.TransportError({
      request,
      cause: new TypeError("fetch failed", { cause: { code } }),
      description: `fetch failed (${code})`
    })
  })

/**
 * A web `Response` with any status, even one `new Response` refuses (a custom HttpClient can hand any number), and
 * no body for a 204 (`Response` refuses even an empty one).
 */
export const webResponse = (
  status: number,
  body: string | Uint8Array<ArrayBuffer> | null,
  headers?: Readonly<Record<string, string>>
): Response => {
  const all = { "content-type": "application/json", ...headers }
  if (status >= 200 && status <= 599 && Number.isInteger(status)) {
    return new Response(status === 204 || status === 304 ? null : body, { status, headers: all })
  }
  const web = new Response(body, { headers: all })
  Object.defineProperty(web, "status", { value: status })
  return web
}

const bodyOf = (answer: Exclude<Answer, string>): string | Uint8Array<ArrayBuffer> | null =>
  answer.raw !== undefined
    ? answer.raw
    : JSON.stringify(answer.body ?? { detail: "Something went wrong.", message: "Error", code: `SC${answer.status}` })

/**
 * An HttpClient answering the n-th request with `answer(request, n)`, recording each request in `sent`.
 */
export const scriptedWith = (
  sent: Ref.Ref<ReadonlyArray<Sent>>,
  answer: (request: HttpClientRequest.HttpClientRequest, index: number) => Answer
): HttpClient.HttpClient =>
  HttpClient.make((request, url, signal) =>
    Effect.gen(function*() {
      const at = yield* Clock.currentTimeMillis
      const index = (yield* Ref.get(sent)).length
      yield* Ref.update(sent, (all) => [...all, {
        request,
        method: request.method,
        url: url.toString(),
        authorization: request.headers["authorization"],
        at,
        aborted: () => signal.aborted
      }])
      const next = answer(request, index)
      if (next === "hang") return yield* Effect.never
      if (next === "reset" || next === "refused") {
        return yield* Effect.fail(transportFailure(request, next === "reset" ? "ECONNRESET" : "ECONNREFUSED"))
      }
      return HttpClientResponse.fromWeb(request, webResponse(next.status, bodyOf(next), next.headers))
    })
  )

/** An HttpClient answering from a script (the last answer repeats), recording each request in `sent`. */
export const scripted = (sent: Ref.Ref<ReadonlyArray<Sent>>, script: ReadonlyArray<Answer>): HttpClient.HttpClient =>
  scriptedWith(sent, (_, index) => script[Math.min(index, script.length - 1)] ?? "hang")

/** The client's options the suites start from: the secret, the eu1 zone. */
export const baseOptions: MakeConfig.Options = { token: Redacted.make(secret), zone: "eu1.make.com" }

/**
 * Runs `test` with every service over a scripted HttpClient, handing it the log of what was sent.
 */
export const run = <A, E>(
  script: ReadonlyArray<Answer> | ((request: HttpClientRequest.HttpClientRequest, index: number) => Answer),
  test: (sent: Ref.Ref<ReadonlyArray<Sent>>) => Effect.Effect<A, E, MakeApi.Services | MakeClient.MakeClient>,
  options?: Partial<MakeConfig.Options>
): Effect.Effect<A, E> =>
  Effect.gen(function*() {
    const sent = yield* Ref.make<ReadonlyArray<Sent>>([])
    const client = typeof script === "function" ? scriptedWith(sent, script) : scripted(sent, script)
    const layer = MakeApi.layer({ ...baseOptions, ...options }).pipe(
      Layer.orDie,
      Layer.provide(Layer.succeed(HttpClient.HttpClient)(client))
    )
    return yield* Effect.provide(test(sent), layer)
  })
