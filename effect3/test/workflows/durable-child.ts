// The child process of the durable tests (not a test file): on the PostgreSQL engine, provisions a 5-team spec against
// the emulator the parent serves on a port, printing one JSON a line: `{"started":<epoch ms>}` first, `{"ready":true}`
// once the engine is up, each progress event, then the result; with HOLD=1 it only brings the engine up and stays.
// A failure is printed as `{"failed":{"_tag","message"}}` and exits 1.
// Run as `node --import tsx test/workflows/durable-child.ts` with MAKE_BASE_URL, PGDATABASE and SPEC_NAME set.
import { Cause, Effect, Layer, Stream } from "effect"
import { NodeMakeApi } from "../../src/node/index.js"
import { Emulator } from "../../src/testing/index.js"
import * as DurableEngine from "../../src/workflows/DurableEngine.js"
import * as Progress from "../../src/workflows/Progress.js"
import * as Provision from "../../src/workflows/Provision.js"
import { durableSpec } from "./durableSpec.js"

const baseUrl = process.env.MAKE_BASE_URL ?? ""
const database = process.env.PGDATABASE ?? ""
const name = process.env.SPEC_NAME ?? ""
const hold = process.env.HOLD === "1"

const live = DurableEngine.layerWorkflows({ host: "/var/run/postgresql", username: "root", database }).pipe(
  Layer.provide(NodeMakeApi.layer({ token: Emulator.defaultToken, baseUrl, retry: { baseDelay: "50 millis" } }))
)

const print = (line: unknown) => Effect.sync(() => process.stdout.write(`${JSON.stringify(line)}\n`))

/** What the parent asserts of a failure: the tag when there is one, and the message the user reads. */
const described = (cause: Cause.Cause<unknown>) => {
  const error = Cause.squash(cause)
  const tag = typeof error === "object" && error !== null && "_tag" in error ? String(error._tag) : "defect"
  return { _tag: tag, message: error instanceof Error ? error.message : String(error) }
}

// when this process's code began (its imports loaded), for the parent's figures
process.stdout.write(`${JSON.stringify({ started: Date.now() })}\n`)

Effect.gen(function*() {
  yield* print({ ready: true })
  if (hold) return yield* Effect.never
  yield* Effect.forkScoped(Progress.events.pipe(Stream.runForEach((event) => print({ event }))))
  yield* Effect.sleep("10 millis")
  const result = yield* Provision.provision(durableSpec(name), { concurrency: 1 })
  yield* print({ result })
}).pipe(
  Effect.scoped,
  Effect.provide(live),
  Effect.catchAllCause((cause) => {
    const failure = described(cause)
    // the expected refusal is said in the JSON line; anything else gets its whole story on stderr too
    const story = failure._tag === "DurableEngineBusy"
      ? Effect.void
      : Effect.sync(() => process.stderr.write(`${Cause.pretty(cause)}\n`))
    return print({ failed: failure }).pipe(Effect.zipRight(story), Effect.zipRight(Effect.sync(() => process.exit(1))))
  }),
  Effect.runPromise
).then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`child failed: ${String(error)}\n`)
    process.exit(1)
  }
)
