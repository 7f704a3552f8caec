// Loopback HTTP servers for the real-socket tests of test/node: a server on a free 127.0.0.1 port for the scope,
// and the three client stacks a user can put under the services (undici transport, fetch, node:http).
import { FetchHttpClient } from "@effect/platform"
import { NodeHttpClient } from "@effect/platform-node"
import { Effect, Layer, type Scope } from "effect"
import { createServer, type RequestListener, type Server } from "node:http"
import type { AddressInfo } from "node:net"
import * as MakeApi from "../../src/MakeApi.js"
import type * as MakeClient from "../../src/MakeClient.js"
import { NodeMakeApi } from "../../src/node/index.js"

/** A server on a free loopback port for the scope; its origin (`http://127.0.0.1:PORT`). */
export const loopbackServer = (handler: RequestListener): Effect.Effect<string, never, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.async<{ readonly server: Server; readonly origin: string }>((resume) => {
      const server = createServer(handler)
      server.listen(0, "127.0.0.1", () => {
        const address = server.address()
        const port = address !== null && typeof address === "object" ? (address satisfies AddressInfo).port : 0
        resume(Effect.succeed({ server, origin: `http://127.0.0.1:${port}` }))
      })
    }),
    ({ server }) =>
      Effect.async<void>((resume) => {
        server.closeAllConnections()
        server.close(() => resume(Effect.void))
      })
  ).pipe(Effect.map(({ origin }) => origin))

/** How the services reach Make: effect-make's undici transport, or a platform HttpClient under `MakeApi.layer`. */
export type Stack = "undici" | "fetch" | "node:http"

/** Every stack: each real-socket property is checked over all of them. */
export const stacks: ReadonlyArray<Stack> = ["undici", "fetch", "node:http"]

/** The services over `stack`, configured from `options`. */
export const servicesOver = (
  stack: Stack,
  options: MakeClient.Options
): Layer.Layer<MakeApi.Services | MakeClient.MakeClient> => {
  switch (stack) {
    case "undici":
      return NodeMakeApi.layer(options).pipe(Layer.orDie)
    case "fetch":
      return MakeApi.layer(options).pipe(Layer.provide(FetchHttpClient.layer), Layer.orDie)
    case "node:http":
      return MakeApi.layer(options).pipe(Layer.provide(NodeHttpClient.layer), Layer.orDie)
  }
}
