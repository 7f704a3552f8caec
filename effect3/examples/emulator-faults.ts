// Emulator faults: a seeded plan of 5xx answers, 429s with Retry-After and connection resets, and what the client's
// retries make of them (a typed error when the budget is spent). The request log shows every attempt and the fault it met; the same seed draws the same faults.
// Runs on the embedded emulator: `npx tsx examples/emulator-faults.ts` (a few seconds: the retries really wait).
import { NodeRuntime } from "@effect/platform-node"
import { Console, Effect } from "effect"
import { Organizations } from "../src/index.js"
import { Emulator, MakeTest } from "../src/testing/index.js"

const program = Effect.gen(function*() {
  const orgs = yield* Organizations.Organizations

  // GETs are idempotent: a 429, 502/503/504 or a reset is sent again (up to 4 sends by default); a 500 is not
  for (const id of [11, 12, 13, 11, 12, 13]) {
    const read = yield* Effect.either(orgs.get(id))
    yield* Console.log(
      `get(${id}): ${read._tag === "Right" ? read.right.name : `${read.left._tag} (${read.left.message})`}`
    )
  }

  const log = yield* Emulator.requests
  for (const request of log) {
    yield* Console.log(`${request.method} ${request.path} -> ${request.status} ${request.fault ?? ""}`.trimEnd())
  }

  // change the plan while running: every request now meets a 503, and the budget runs out
  const emulator = yield* Emulator.Emulator
  yield* emulator.setFaults({ seed: 1, serverError: 1 })
  const failed = yield* Effect.flip(orgs.get(11))
  yield* Console.log(
    `With a 5xx on every request: ${failed._tag} after ${"attempts" in failed ? failed.attempts : 1} attempts`
  )
})

program.pipe(
  Effect.provide(MakeTest.layer({
    faults: { seed: 42, serverError: 0.25, rateLimited: 0.15, retryAfterSeconds: 1 }
  })),
  NodeRuntime.runMain
)
