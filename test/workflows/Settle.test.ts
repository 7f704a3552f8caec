// The workflow suites' runner, `settle`: the virtual time a run ends at is what its waits add up to, even when part of
// its work happens off the event loop (the engine's digests on the thread pool) and takes real time. TestClock.
// Ported from the Effect 3 line: the digests go through the counted `WebCrypto` the suites' layer provides.
import { describe, expect, it } from "@effect/vitest"
import { Clock, Effect, Exit } from "effect"
import { countedCrypto, settle } from "./helpers.js"

/** A SHA-256 digest of 64 MiB: tens of milliseconds on libuv's thread pool, far more than a few event-loop turns. */
const slowDigest = Effect.promise(() => countedCrypto.subtle.digest("SHA-256", new Uint8Array(64 * 1024 * 1024)))

describe("settle", () => {
  it.effect(
    "a run that digests before each of two minutes of waiting ends at 120 s: the clock waits for the thread pool",
    () =>
      Effect.gen(function*() {
        const ended = yield* settle(slowDigest.pipe(
          Effect.andThen(Effect.sleep("1 minute")),
          Effect.andThen(slowDigest),
          Effect.andThen(Effect.sleep("1 minute")),
          Effect.andThen(Clock.currentTimeMillis)
        ))
        expect(ended).toEqual(Exit.succeed(120_000))
      }),
    60_000
  )

  it.effect(
    "two runs, one held up by a digest while the other sleeps: each ends when its own waits add up to",
    () =>
      Effect.gen(function*() {
        const ended = yield* settle(Effect.all(
          [
            Effect.sleep("1 second").pipe(Effect.andThen(slowDigest), Effect.andThen(Effect.sleep("1 minute"))),
            Effect.sleep("2 seconds")
          ].map((run) => Effect.andThen(run, Clock.currentTimeMillis)),
          { concurrency: "unbounded" }
        ))
        expect(ended).toEqual(Exit.succeed([61_000, 2_000]))
      }),
    60_000
  )
})
