// The emulator's transports' plumbing: the in-process `fetch` that fails as Node's does when the app drops a
// connection, and the Node HTTP server with its answer to `CONNECT`. Imports `effect`, `node:http` and testing/.
/**
 * @since 0.1.0
 * @internal
 */
import { Effect } from "effect"
import { createServer, type Server } from "node:http"
import type { ConnectionFault, ConnectionService } from "../EmulatorFaults.js"

/**
 * The in-process transport: the app's `EmulatorFaults.Connection`, and a `fetch` over the app's web handler
 * that fails as Node's does when the app drops a connection.
 *
 * Each `Request` is registered with the function that fails its `fetch`; `drop` finds it again from the server
 * request (whose `source` is that `Request`). Failing also aborts the `Request`, so the app's fiber is interrupted as
 * when a client goes away. A client's own abort rejects at once, as `fetch` does. `fetchFailed` is the rejection
 * for a dropped connection (`Emulator.fetchFailed`).
 *
 * @since 0.1.0
 * @category transports
 */
export const inProcess = (
  fetchFailed: (fault: ConnectionFault, url: URL) => Error
): {
  readonly connection: ConnectionService
  readonly fetch: (handler: (request: Request) => Promise<Response>) => typeof globalThis.fetch
} => {
  const pending = new WeakMap<Request, (fault: ConnectionFault) => void>()
  const connection: ConnectionService = {
    drop: (request, fault) =>
      Effect.sync(() => {
        const source = request.source
        if (source instanceof Request) pending.get(source)?.(fault)
      })
  }
  const fetch = (handler: (request: Request) => Promise<Response>): typeof globalThis.fetch => (input, init) =>
    new Promise<Response>((resolve, reject) => {
      const server = new AbortController()
      const client = init?.signal ?? undefined
      const request = new Request(input, { ...init, signal: server.signal })
      const fail = (reason: unknown) => {
        reject(reason)
        server.abort(reason)
      }
      if (client !== undefined) {
        if (client.aborted) return fail(client.reason)
        client.addEventListener("abort", () => fail(client.reason), { once: true })
      }
      pending.set(request, (fault) => fail(fetchFailed(fault, new URL(request.url))))
      handler(request).then(resolve, reject)
    })
  return { connection, fetch }
}

/**
 * Node's HTTP server plus an answer to `CONNECT`: 405 in Make's error shape, then the connection closes. Node hands a
 * `CONNECT` to its `connect` listeners instead of the app, and with none it drops the connection without a word; Make
 * is not a proxy, so it says so.
 *
 * @since 0.1.0
 * @category transports
 */
export const createNodeServer = (): Server => {
  const server = createServer()
  server.on("connect", (_request, socket) => {
    const body = JSON.stringify({
      detail: "CONNECT is not supported: this is an API, not a proxy.",
      message: "Method not allowed",
      code: "SC405"
    })
    socket.on("error", () => socket.destroy())
    socket.end(
      "HTTP/1.1 405 Method Not Allowed\r\nAllow: GET, POST, PATCH, DELETE\r\nContent-Type: application/json\r\n" +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`
    )
  })
  return server
}
