// When `effect-make mcp` over stdio is over: stdin has ended and every request read has its answer written; a batch
// is answered as a whole (an array, or the "Invalid Request" without an id of a revision that takes no batches);
// notifications and lines that are no JSON await nothing. Checked by polling the end, never by waiting real time.
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Sink, Stdio, Stream } from "effect"
import { McpSchema } from "effect/ai"
import * as StdioSession from "../../src/cli/StdioSession.js"

const line = (message: unknown) => JSON.stringify(message) + "\n"
const request = (id: unknown) => line({ jsonrpc: "2.0", id, method: "ping" })
const answer = (id: unknown) => line({ jsonrpc: "2.0", id, result: {} })

/**
 * A session over a stdin that carries `input` and ends; the server's `output` written through the session's stdout,
 * one chunk at a time, with whether the session was over before any was written and after each.
 */
const session = (input: ReadonlyArray<string>, output: ReadonlyArray<string>) =>
  Effect.gen(function*() {
    const fake = Stdio.make({
      args: Effect.succeed([]),
      stdin: Stream.fromIterable(input.map((text) => new TextEncoder().encode(text))),
      stdout: () => Sink.drain,
      stderr: () => Sink.drain
    })
    const watched = yield* StdioSession.make.pipe(Effect.provide(Layer.succeed(Stdio.Stdio)(fake)))
    const stdio = yield* Effect.service(Stdio.Stdio).pipe(Effect.provide(watched.layer))
    const ended = yield* Effect.forkChild(watched.ended)
    yield* Stream.runDrain(stdio.stdin)
    yield* Effect.yieldNow
    const over = [ended.pollUnsafe() !== undefined]
    for (const chunk of output) {
      yield* Stream.run(Stream.make(chunk), stdio.stdout())
      yield* Effect.yieldNow
      over.push(ended.pollUnsafe() !== undefined)
    }
    return over
  })

describe("StdioSession", () => {
  it.effect("over once stdin has ended and every request is answered, whatever the order of the answers", () =>
    Effect.gen(function*() {
      expect(yield* session([request(1), request("two")], [answer("two"), answer(1)])).toEqual([false, false, true])
      // an answer split across writes counts once its line is whole
      const split = answer(3)
      expect(yield* session([request(3)], [split.slice(0, 10), split.slice(10)])).toEqual([false, false, true])
    }))

  it.effect("a batch is answered by an array, or refused by one Invalid Request without an id", () =>
    Effect.gen(function*() {
      const batch = line([{ jsonrpc: "2.0", id: 7, method: "ping" }, { jsonrpc: "2.0", id: 8, method: "ping" }])
      expect(yield* session([batch], [line([{ id: 7, result: {} }, { id: 8, result: {} }])])).toEqual([false, true])
      const refusal = line({
        jsonrpc: "2.0",
        id: null,
        error: { code: McpSchema.INVALID_REQUEST_ERROR_CODE, message: "batches are not supported" }
      })
      expect(yield* session([batch, request(9)], [refusal, answer(9)])).toEqual([false, false, true])
      // a parse error's answer (also without an id) answers no batch
      const parseError = line({
        jsonrpc: "2.0",
        id: null,
        error: { code: McpSchema.PARSE_ERROR_CODE, message: "Parse error" }
      })
      expect(yield* session([batch, "garbage\n"], [parseError, refusal])).toEqual([false, false, true])
    }))

  it.effect("notifications, answers from the client and lines that are no JSON await nothing", () =>
    Effect.gen(function*() {
      const input = [
        line({ jsonrpc: "2.0", method: "notifications/initialized" }),
        line({ jsonrpc: "2.0", id: 5, result: {} }),
        "not json\n",
        line([{ jsonrpc: "2.0", method: "notifications/cancelled" }])
      ]
      expect(yield* session(input, [])).toEqual([true])
    }))
})
