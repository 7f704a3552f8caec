// Every file of examples/ runs to the end as a user runs it (a child process; bundled once rather than compiled by tsx in the child, which takes seconds), against the
// emulator: exit code 0 and the line that shows it did its job. The quick start, written for real Make, is pointed at
// the emulator on a real port through MAKE_API_TOKEN and MAKE_BASE_URL. A new example is picked up by itself.
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Redacted } from "effect"
import { spawn } from "node:child_process"
import { readdirSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { Emulator } from "../../src/testing/index.js"
import { bundle, nodeArgs } from "../support/bundle.js"

const directory = fileURLToPath(new URL("../../examples/", import.meta.url))
const examples = readdirSync(directory).filter((file) => file.endsWith(".ts")).sort()

/** What each example prints when it did its job (a file not listed here must still exit 0). */
const expected: Record<string, RegExp> = {
  "admin-teams.ts": /Renamed it "Platform Engineering"/,
  "billing.ts": /setFreePlan\(11\) without confirmation: NotConfirmed/,
  "emulator-faults.ts": /With a 5xx on every request: ServerError after 4 attempts/,
  "feature-controls.ts": /Looked up by name: \[\{"id":\d+/,
  "invitations.ts": /An unknown hash: NotFound/,
  "organizations.ts": /delete\(11\) without confirmation: NotConfirmed/,
  "provision.ts": /running the spec again writes nothing/,
  "proxy.ts": /Tunnels the proxy opened: 127\.0\.0\.1:\d+/,
  "quickstart.ts": /Engineering/,
  "transform-client.ts": /authorization: not yet/,
  "usage.ts": /Usage of organization 999: NotFound/,
  "variables.ts": /Creating a variable in Gamma: FeatureUnavailable/
}

interface Run {
  readonly code: number | null
  readonly output: string
}

/** `examples/<file>`, bundled (see ../support/bundle.ts), run with the given environment (never the caller's MAKE_*). */
const run = (file: string, env: Record<string, string>) =>
  Effect.flatMap(
    Effect.promise(() => bundle(`${directory}${file}`, { sourceUrl: true })),
    (bundled) =>
      Effect.async<Run>((resume) => {
        const childEnv: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1", ...env }
        if (env["MAKE_API_TOKEN"] === undefined) delete childEnv["MAKE_API_TOKEN"]
        const child = spawn(process.execPath, nodeArgs(bundled), { env: childEnv })
        let output = ""
        child.stdout.on("data", (chunk: Buffer) => void (output += chunk.toString()))
        child.stderr.on("data", (chunk: Buffer) => void (output += chunk.toString()))
        child.on("close", (code) => resume(Effect.succeed({ code, output })))
        return Effect.sync(() => void child.kill("SIGKILL"))
      })
  )

describe("examples/", () => {
  it("covers every service, emulator faults, transformClient and a proxy", () => {
    expect(examples).toEqual(expect.arrayContaining(Object.keys(expected)))
  })

  it.live("every example exits 0 against the emulator and prints what it did", () =>
    Effect.gen(function*() {
      const server = yield* Emulator.EmulatorServer
      const envOf = (file: string): Record<string, string> =>
        file === "quickstart.ts"
          ? { MAKE_API_TOKEN: Redacted.value(Emulator.defaultToken), MAKE_BASE_URL: server.baseUrl }
          : {}
      // two at a time: CI machines have two cores
      const results = yield* Effect.forEach(
        examples,
        (file) => Effect.map(Effect.timeout(run(file, envOf(file)), "150 seconds"), (result) => ({ file, ...result })),
        { concurrency: 2 }
      )
      for (const { code, file, output } of results) {
        expect({ file, code }, output).toEqual({ file, code: 0 })
        expect(output, file).toMatch(expected[file] ?? /[\s\S]*/)
      }
    }).pipe(
      Effect.provide(
        Emulator.layerServer({ port: 0 }).pipe(Layer.provideMerge(Emulator.layer({ syncDelay: "200 millis" })))
      )
    ), 600_000)
})
