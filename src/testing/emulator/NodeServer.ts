// The Node HTTP server the emulator listens with on a port: Node's own, plus Make's answer to `CONNECT`.
// Floor: the emulator's; imports only `node:http`.
/**
 * @since 1.0.0
 */
import { createServer, type Server } from "node:http"

/**
 * Node's HTTP server plus an answer to `CONNECT`: 405 in Make's error shape, then the connection closes. Node hands a
 * `CONNECT` to its `connect` listeners instead of the app, and with none it drops the connection without a word; Make
 * is not a proxy, so it says so (as the Effect 3 line's emulator does).
 *
 * @since 1.0.0
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
