// The end of an MCP session over stdio: the host closed stdin and every request it sent has its answer on stdout.
// Floor "the command": `effect` only.
/**
 * When an MCP session over stdio is over. Effect's stdio server disconnects its client when stdin ends but keeps the
 * process running; a host closes stdin to stop a server (then waits, then signals), and a script piping requests in
 * expects the answers and then the end. This wraps `Stdio` to count the JSON-RPC requests read (a message with a
 * `method` and an `id`) against the answers written (an `id` with a `result` or an `error`), and says the session is
 * over once stdin has ended and nothing is left unanswered. A batch (an array holding a request) is answered as a
 * whole: by an array, or by one "Invalid Request" without an id where the protocol revision takes no batches.
 *
 * @since 1.0.0
 */
import { Effect, Latch, Layer, Sink, Stdio, Stream } from "effect"
import { McpSchema } from "effect/ai"

/**
 * A `Stdio` that watches the session, and the effect that waits for its end.
 *
 * @since 1.0.0
 * @category models
 */
export interface StdioSession {
  readonly layer: Layer.Layer<Stdio.Stdio>
  /** Succeeds once stdin has ended and every request read has its answer written. */
  readonly ended: Effect.Effect<void>
}

const isRecord = (u: unknown): u is Readonly<Record<string, unknown>> => typeof u === "object" && u !== null

/** A line's JSON value; `undefined` for a line that is no JSON (the server answers it with a parse error). */
const parse = (line: string): unknown => {
  try {
    return JSON.parse(line)
  } catch {
    return undefined
  }
}

const isRequest = (u: unknown): u is Readonly<Record<string, unknown>> =>
  isRecord(u) && "method" in u && u["id"] !== undefined && u["id"] !== null

const isAnswer = (u: unknown): u is Readonly<Record<string, unknown>> => isRecord(u) && ("result" in u || "error" in u)

/** JSON-RPC's "Invalid Request" without an id: how the server refuses a batch its protocol revision does not take. */
const isBatchRefusal = (u: unknown): boolean =>
  isAnswer(u) && u["id"] === null && isRecord(u["error"]) && u["error"]["code"] === McpSchema.INVALID_REQUEST_ERROR_CODE

/** Splits a stream of bytes or text into complete lines, keeping a partial last line for the next chunk. */
const lineSplitter = () => {
  const decoder = new TextDecoder()
  let partial = ""
  return (chunk: Uint8Array | string): ReadonlyArray<string> => {
    const lines = (partial + (typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true }))).split("\n")
    partial = lines.pop() ?? ""
    return lines.filter((line) => line.trim() !== "")
  }
}

/**
 * Wraps the `Stdio` of the context.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import * as StdioSession from "effect-make/cli/StdioSession"
 *
 * const program = Effect.gen(function*() {
 *   const session = yield* StdioSession.make
 *   return yield* session.ended
 * })
 * ```
 *
 * @since 1.0.0
 * @category constructors
 */
export const make: Effect.Effect<StdioSession, never, Stdio.Stdio> = Effect.gen(function*() {
  const stdio = yield* Stdio.Stdio
  const over = yield* Latch.make()
  const awaiting = new Set<string>()
  let batches = 0
  let stdinEnded = false
  const check = Effect.suspend(() => stdinEnded && awaiting.size === 0 && batches === 0 ? over.open : Effect.void)
  const read = lineSplitter()
  const written = lineSplitter()
  const stdin = stdio.stdin.pipe(
    Stream.tap((chunk) =>
      Effect.sync(() => {
        for (const value of read(chunk).map(parse)) {
          if (Array.isArray(value)) batches += value.some(isRequest) ? 1 : 0
          else if (isRequest(value)) awaiting.add(JSON.stringify(value["id"]))
        }
      })
    ),
    Stream.onEnd(Effect.suspend(() => {
      stdinEnded = true
      return check
    }))
  )
  const stdout = (options?: { readonly endOnDone?: boolean | undefined }) =>
    Sink.mapInputEffect(stdio.stdout(options), (chunk: string | Uint8Array) =>
      Effect.as(
        Effect.suspend(() => {
          for (const value of written(chunk).map(parse)) {
            if (Array.isArray(value) || isBatchRefusal(value)) batches = Math.max(0, batches - 1)
            else if (isAnswer(value)) awaiting.delete(JSON.stringify(value["id"]))
          }
          return check
        }),
        chunk
      ))
  return {
    layer: Layer.succeed(Stdio.Stdio)(Stdio.make({ ...stdio, stdin, stdout })),
    // answered by then: the line was handed to stdout's sink, which writes it before taking the next
    ended: over.await
  }
})
