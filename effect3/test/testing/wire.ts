// Raw HTTP helpers for the emulator's wire-level tests: requests with the token, answers as status + parsed JSON.
// Imports `@effect/platform`, `effect`, the contract and testing/ only (never the library's services).
import { FetchHttpClient, HttpApiClient, HttpClient, HttpClientRequest } from "@effect/platform"
import { Chunk, Effect, Layer, Redacted, Schedule, TestClock } from "effect"
import { MakeHttpApi } from "../../src/api/MakeHttpApi.js"
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

/** The client derived from the contract, with the token, into the emulator under test. */
export const contractClient = HttpApiClient.make(MakeHttpApi, {
  baseUrl: Emulator.baseUrl,
  transformClient: HttpClient.mapRequest(withToken())
})

/** The emulator on a free loopback port, and a `fetch` client to reach it. */
export const emulatorOnAPort = (options?: Emulator.Options) =>
  Layer.mergeAll(Emulator.layerServer({ port: 0 }), FetchHttpClient.layer).pipe(
    Layer.provideMerge(Emulator.layer(options))
  )

/** Lets forked requests run until one of them sleeps on the TestClock (no real time passes). */
export const awaitPendingSleep = TestClock.sleeps().pipe(
  Effect.tap(() => Effect.yieldNow()),
  Effect.repeat({ until: Chunk.isNonEmpty, schedule: Schedule.recurs(100_000) })
)
