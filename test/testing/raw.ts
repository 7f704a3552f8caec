// A raw HTTP/1.1 client over a TCP socket, for the Effect 4 emulator's abuse suite: it sends bytes no HTTP client
// would (bad request lines, control characters, duplicated headers, non-UTF-8 bodies). Imports `effect`, `node:net`.
import { Effect } from "effect"
import { connect } from "node:net"

/** What came back: a status line, headers (lower-cased names) and the body as text. */
export interface RawAnswer {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
}

/** An answer, or a connection closed without a status line (`Closed`). */
export type Outcome =
  | { readonly _tag: "Answer"; readonly answer: RawAnswer }
  | { readonly _tag: "Closed" }

/** A request as bytes go: any method, any target, headers in order (duplicates allowed), any body. */
export interface RawRequest {
  readonly method: string
  readonly target: string
  readonly headers?: ReadonlyArray<readonly [string, string]> | undefined
  readonly body?: string | Uint8Array | undefined
  /** Send the body chunked, without `Content-Length`. */
  readonly chunked?: boolean | undefined
}

const crlf = "\r\n"

const chunkedBody = (body: Buffer): Buffer =>
  body.length === 0
    ? Buffer.from(`0${crlf}${crlf}`)
    : Buffer.concat([Buffer.from(`${body.length.toString(16)}${crlf}`), body, Buffer.from(`${crlf}0${crlf}${crlf}`)])

/** The bytes of a request; `Host` and `Connection: close` are added, and the body's framing. */
export const encode = (request: RawRequest): Buffer => {
  const body = request.body === undefined ? undefined : Buffer.from(request.body)
  const framing: ReadonlyArray<readonly [string, string]> = body === undefined
    ? []
    : request.chunked === true
    ? [["Transfer-Encoding", "chunked"]]
    : [["Content-Length", String(body.length)]]
  const headers = [["Host", "127.0.0.1"], ["Connection", "close"], ...(request.headers ?? []), ...framing]
  const head = `${request.method} ${request.target} HTTP/1.1${crlf}${
    headers.map(([name, value]) => `${name}: ${value}${crlf}`).join("")
  }${crlf}`
  const payload = body === undefined ? [] : [request.chunked === true ? chunkedBody(body) : body]
  return Buffer.concat([Buffer.from(head, "latin1"), ...payload])
}

const dechunk = (body: Buffer): Buffer => {
  const parts: Array<Buffer> = []
  let at = 0
  for (;;) {
    const end = body.indexOf(crlf, at)
    if (end < 0) return Buffer.concat(parts)
    const size = Number.parseInt(body.subarray(at, end).toString("latin1"), 16)
    if (!(size > 0)) return Buffer.concat(parts)
    parts.push(body.subarray(end + 2, end + 2 + size))
    at = end + 2 + size + 2
  }
}

/** Parses what the server sent before closing; `undefined` when there is no status line. */
export const parse = (bytes: Buffer): RawAnswer | undefined => {
  const split = bytes.indexOf(`${crlf}${crlf}`)
  if (split < 0) return undefined
  const [statusLine = "", ...lines] = bytes.subarray(0, split).toString("latin1").split(crlf)
  const status = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine)
  if (status === null) return undefined
  const headers = Object.fromEntries(lines.map((line) => {
    const colon = line.indexOf(":")
    return [line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()]
  }))
  const rest = bytes.subarray(split + 4)
  const body = headers["transfer-encoding"] === "chunked" ? dechunk(rest) : rest
  return { status: Number(status[1]), headers, body: body.toString("utf8") }
}

/**
 * Sends raw bytes on a fresh connection and reads until the server closes it (`Connection: close`). There is no
 * timer of its own: a hang is caught by the test's timeout, so a slow machine cannot turn a late answer into a
 * failure.
 */
export const exchangeBytes = (port: number, bytes: Buffer): Effect.Effect<Outcome> =>
  Effect.callback<Outcome>((resume) => {
    const received: Array<Buffer> = []
    let done = false
    const socket = connect(port, "127.0.0.1")
    const finish = (outcome: Outcome) => {
      if (done) return
      done = true
      socket.destroy()
      resume(Effect.succeed(outcome))
    }
    const settle = () => {
      const answer = parse(Buffer.concat(received))
      finish(answer === undefined ? { _tag: "Closed" } : { _tag: "Answer", answer })
    }
    socket.on("data", (chunk) => received.push(chunk))
    // A server that answers before reading a large body may close while we still write: what it sent counts.
    socket.on("error", settle)
    socket.on("close", settle)
    socket.write(bytes)
    return Effect.sync(() => finish({ _tag: "Closed" }))
  })

/** Sends one request (see {@link encode}) and reads the answer. */
export const exchange = (port: number, request: RawRequest): Effect.Effect<Outcome> =>
  exchangeBytes(port, encode(request))
