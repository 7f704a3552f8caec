// `tsx scripts/emulator.ts emulator [--port 8080] [--host 127.0.0.1] [--token T] [--seed FILE] [--sync-delay 2s]
// [--rate-limit] [--faults JSON]`: the Effect 4 emulator on a port, with the Effect 3 CLI's flags (the conformance suite starts it).
import { NodeRuntime } from "@effect/platform-node"
import { Duration, Effect, Layer, Redacted } from "effect"
import { HttpServer } from "effect/http"
import { readFileSync } from "node:fs"
import { parseArgs } from "node:util"
import * as Emulator from "../src/testing/Emulator.js"
import { decodeSeedFile } from "../src/testing/emulator/Seed.js"
import { decodeFaults } from "../src/testing/EmulatorFaults.js"

const { values } = parseArgs({
  args: process.argv.slice(2).filter((arg, i) => !(i === 0 && arg === "emulator")),
  options: {
    port: { type: "string", default: "8080" },
    host: { type: "string", default: "127.0.0.1" },
    token: { type: "string" },
    seed: { type: "string" },
    "sync-delay": { type: "string" },
    "rate-limit": { type: "boolean", default: false },
    faults: { type: "string" }
  },
  strict: true
})

/** `2s`, `500ms`, `1m`, or milliseconds, as the Effect 3 CLI reads `--sync-delay`. */
const toDuration = (text: string): Duration.Duration => {
  if (!/^\d+(\.\d+)?(ms|s|m)?$/.test(text)) {
    throw new Error(`--sync-delay ${text}: must be a duration such as 500ms, 2s or 1m`)
  }
  const value = Number.parseFloat(text)
  return text.endsWith("ms")
    ? Duration.millis(value)
    : text.endsWith("s")
    ? Duration.seconds(value)
    : text.endsWith("m")
    ? Duration.minutes(value)
    : Duration.millis(value)
}

const port = Number(values.port)

const program = Effect.gen(function*() {
  const seed = values.seed === undefined ? undefined : yield* decodeSeedFile(readFileSync(values.seed, "utf8"))
  // `EmulatorFaults.FaultsOption`, strict: a misspelt key is refused rather than run without the faults asked for.
  const faults = values.faults === undefined ? undefined : yield* decodeFaults(values.faults)
  const emulator = Emulator.layer({
    port,
    host: values.host,
    ...(values.token === undefined ? {} : { token: Redacted.make(values.token) }),
    ...(seed === undefined ? {} : { seed }),
    ...(values["sync-delay"] === undefined ? {} : { syncDelay: toDuration(values["sync-delay"]) }),
    rateLimit: values["rate-limit"],
    ...(faults === undefined ? {} : { faults })
  })
  yield* Effect.gen(function*() {
    const server = yield* HttpServer.HttpServer
    const url = HttpServer.formatAddress(server.address)
    const token = values.token === undefined
      ? `${Redacted.value(Emulator.defaultToken)}  (the emulator's default test token; choose another with --token)`
      : "the one given with --token"
    process.stderr.write(
      [
        `Make emulator listening on ${url}`,
        `  API      ${url}${Emulator.basePath}`,
        `  Token    ${token}`,
        `  OpenAPI  ${url}/openapi.json`,
        `  Docs     ${url}/docs`,
        "Ctrl-C to stop."
      ].join("\n") + "\n"
    )
    return yield* Effect.never
  }).pipe(Effect.provide(Layer.fresh(emulator)))
})

NodeRuntime.runMain(program)
