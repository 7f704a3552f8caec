// Raw HTTP helpers for the emulator's wire-level tests: requests with the token, answers as status + parsed JSON.
// Imports `@effect/platform`, `effect` and testing/ only (never the library's services).
import { HttpClient, HttpClientRequest } from "@effect/platform"
import { Effect, Redacted } from "effect"
import { Emulator } from "../../src/testing/index.js"

/** The default token, in clear, for the `Authorization` header. */
export const token = Redacted.value(Emulator.defaultToken)

/** What the emulator answered: the status and the parsed body (`undefined` when empty). */
export interface Answer {
  readonly status: number
  readonly body: unknown
}

/** Query parameters under Make's raw names; an array repeats the name. */
export type Query = Record<string, string | ReadonlyArray<string>>

/** Sends a request to the emulator under test and reads the whole answer. */
export const send = (request: HttpClientRequest.HttpClientRequest, base = Emulator.baseUrl) =>
  Effect.gen(function*() {
    const client = yield* HttpClient.HttpClient
    const response = yield* client.execute(HttpClientRequest.prependUrl(request, base))
    const text = yield* response.text
    const answer: Answer = { status: response.status, body: text === "" ? undefined : JSON.parse(text) }
    return answer
  })

/** Sets `Authorization: Token <value>`. */
export const withToken = (value = token) => HttpClientRequest.setHeader("Authorization", `Token ${value}`)

/** GET with the token. */
export const get = (path: string, query?: Query) =>
  send(HttpClientRequest.get(path).pipe(HttpClientRequest.setUrlParams(query ?? {}), withToken()))

/** POST with the token; `body` undefined sends no body at all. */
export const post = (path: string, body?: unknown, query?: Query) =>
  send(
    HttpClientRequest.post(path).pipe(
      HttpClientRequest.setUrlParams(query ?? {}),
      (request) => body === undefined ? request : HttpClientRequest.bodyUnsafeJson(request, body),
      withToken()
    )
  )

/** PATCH with the token and a JSON body. */
export const patch = (path: string, body: unknown) =>
  send(HttpClientRequest.patch(path).pipe(HttpClientRequest.bodyUnsafeJson(body), withToken()))

/** DELETE with the token. */
export const del = (path: string, query?: Query) =>
  send(HttpClientRequest.del(path).pipe(HttpClientRequest.setUrlParams(query ?? {}), withToken()))

/** Make's bare 404, as the organization variable calls answer every kind of "not found". */
export const bareNotFound = { detail: "Not found.", message: "Not found", code: "SC404" }

/** Make's 404 for an organization that does not exist. */
export const organizationNotFound = { detail: "Organization not found.", message: "Not found", code: "SC404" }
