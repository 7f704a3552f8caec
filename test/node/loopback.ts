// Loopback HTTP servers for the real-socket tests of test/node: a server on a free 127.0.0.1 port for the scope,
// and the three stacks an attempt can be sent over (the undici transport, fetch, node:http), each as a `Send`, or
// under the whole client as every service.
import { NodeHttpClient } from "@effect/platform-node"
import { Effect, Layer, Redacted, type Scope } from "effect"
import { FetchHttpClient, HttpClientRequest } from "effect/http"
import { createServer, type RequestListener, type Server } from "node:http"
import type { AddressInfo } from "node:net"
import { boundAttempt } from "../../src/internal/bounded.js"
import * as MakeApi from "../../src/MakeApi.js"
import type * as MakeClient from "../../src/MakeClient.js"
import * as MakeConfig from "../../src/MakeConfig.js"
import { NodeMakeApi } from "../../src/node/index.js"
import * as UndiciHttpClient from "../../src/node/UndiciHttpClient.js"
import * as Transport from "../../src/Transport.js"

/** A server on a free loopback port for the scope; its origin (`http://127.0.0.1:PORT`). */
export const loopbackServer = (handler: RequestListener): Effect.Effect<string, never, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.callback<{ readonly server: Server; readonly origin: string }>((resume) => {
      const server = createServer(handler)
      server.listen(0, "127.0.0.1", () => {
        const address = server.address()
        const port = address !== null && typeof address === "object" ? (address satisfies AddressInfo).port : 0
        resume(Effect.succeed({ server, origin: `http://127.0.0.1:${port}` }))
      })
    }),
    ({ server }) =>
      Effect.callback<void>((resume) => {
        server.closeAllConnections()
        server.close(() => resume(Effect.void))
      })
  ).pipe(Effect.map(({ origin }) => origin))

/** How an attempt reaches Make: effect-make's undici transport, or a platform HttpClient bounded by the client. */
export type Stack = "undici" | "fetch" | "node:http"

/** Every stack: each real-socket property is checked over all of them. */
export const stacks: ReadonlyArray<Stack> = ["undici", "fetch", "node:http"]

/** The resolved configuration of `options` (a test's options are valid: a failure here is a defect). */
export const resolve = (options: Partial<MakeConfig.Options> & { readonly baseUrl: string }) =>
  Effect.orDie(MakeConfig.make({ token: Redacted.make("c0ffee00-7d3f-4e6a-8b0c-2f1e3d4c5b6a"), ...options }))

/**
 * The sender of one attempt over `stack`, for the scope: the undici transport bounds the attempt itself; a platform
 * HttpClient is bounded as the client bounds any transport that does not (`internal/bounded.ts`'s `boundAttempt`).
 */
export const sendOver = (
  stack: Stack,
  config: MakeConfig.Resolved
): Effect.Effect<Transport.Send, never, Scope.Scope> => {
  if (stack === "undici") return UndiciHttpClient.transport().make(config)
  const client = stack === "fetch" ? FetchHttpClient.layer : NodeHttpClient.layerNodeHttp
  const bound = boundAttempt(config)
  return Effect.gen(function*() {
    const context = yield* Layer.build(client)
    const send = yield* Effect.provide(Transport.fromContext.make(config), context)
    return (request) => bound(send(request), request)
  })
}

/** `GET {baseUrl}/organizations/11` as the client builds it: an absolute URL and the token of the configuration. */
export const getOrganization = (config: MakeConfig.Resolved): HttpClientRequest.HttpClientRequest =>
  HttpClientRequest.get(`${config.baseUrl}/organizations/11`).pipe(
    HttpClientRequest.setHeader("Authorization", `Token ${Redacted.value(config.token)}`),
    HttpClientRequest.acceptJson
  )

/** Every service over `stack`, as a user builds it: `NodeMakeApi.layer`, or `MakeApi.layer` over the HttpClient. */
export const servicesOver = (
  stack: Stack,
  options: MakeConfig.Options
): Layer.Layer<MakeApi.Services | MakeClient.MakeClient> => {
  switch (stack) {
    case "undici":
      return NodeMakeApi.layer(options).pipe(Layer.orDie)
    case "fetch":
      return MakeApi.layer(options).pipe(Layer.provide(FetchHttpClient.layer), Layer.orDie)
    case "node:http":
      return MakeApi.layer(options).pipe(Layer.provide(NodeHttpClient.layerNodeHttp), Layer.orDie)
  }
}
