// Every file of examples/ runs to the end as a user runs it (a child process; bundled once rather than compiled by tsx in
// the child, which takes seconds), with no MAKE_* variable set: exit code 0 and the line that shows it did its job. The
// quick start and `npm start` fall back to the embedded emulator and say so once; given a token, the quick start goes
// to MAKE_BASE_URL (the emulator on a real port) instead, and never prints the token. The README's Quick start is the
// same program as examples/quickstart.ts. A new example is picked up by itself.
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Redacted } from "effect"
import { spawn } from "node:child_process"
import { readdirSync, readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { markdownBlocks } from "../../scripts/smoke/Programs.js"
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
  "quickstart.ts": /\[ 'Engineering', 'My Team' \]/,
  "transform-client.ts": /authorization: not yet/,
  "usage.ts": /Usage of organization 999: NotFound/,
  "variables.ts": /Creating a variable in Gamma: FeatureUnavailable/
}

/** A token the quick start is given: distinctive, so that its absence from the output means something. */
const quickstartToken = Redacted.make("7d1e0c52-quickstart-token-3b9f8a6e4c21")

interface Run {
  readonly code: number | null
  readonly output: string
}

/** The line the examples that fall back to the emulator print, once, when no token is configured. */
const emulatorNotice =
  /MAKE_API_TOKEN is not set: using the embedded Make emulator \(in memory; nothing is sent to Make\)\./g

/** The examples that run on the emulator unless a token is configured. */
const fallingBack = ["provision.ts", "quickstart.ts"]

/** The caller's environment without any MAKE_* variable: the examples see only what a test gives them. */
const cleanEnv = (): NodeJS.ProcessEnv =>
  Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("MAKE_")))

/** `examples/<file>`, bundled (see ../support/bundle.ts), run with the given environment (never the caller's MAKE_*). */
const run = (file: string, env: Record<string, string>) =>
  Effect.flatMap(
    Effect.promise(() => bundle(`${directory}${file}`, { sourceUrl: true })),
    (bundled) =>
      Effect.async<Run>((resume) => {
        const childEnv: NodeJS.ProcessEnv = { ...cleanEnv(), NO_COLOR: "1", ...env }
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

  it.live(
    "every example exits 0 with no token and prints what it did; the fallbacks say so once",
    () =>
      Effect.gen(function*() {
        // two at a time: CI machines have two cores
        const results = yield* Effect.forEach(
          examples,
          (file) => Effect.map(Effect.timeout(run(file, {}), "150 seconds"), (result) => ({ file, ...result })),
          { concurrency: 2 }
        )
        for (const { code, file, output } of results) {
          expect({ file, code }, output).toEqual({ file, code: 0 })
          expect(output, file).toMatch(expected[file] ?? /[\s\S]*/)
          expect(output.match(emulatorNotice)?.length ?? 0, file).toBe(fallingBack.includes(file) ? 1 : 0)
        }
      }),
    600_000
  )

  it.live(
    "the quick start with a token goes to MAKE_BASE_URL, and never prints the token",
    () =>
      Effect.gen(function*() {
        const server = yield* Emulator.EmulatorServer
        const { code, output } = yield* run("quickstart.ts", {
          MAKE_API_TOKEN: Redacted.value(quickstartToken),
          MAKE_BASE_URL: server.baseUrl
        })
        expect(code, output).toBe(0)
        expect(output).toMatch(expected["quickstart.ts"] ?? /^$/)
        expect(output).not.toMatch(emulatorNotice)
        expect(output).not.toContain(Redacted.value(quickstartToken))
        const requests = yield* Emulator.requests
        expect(requests.map((request) => `${request.method} ${request.path} ${request.status}`)).toEqual([
          "POST /organizations 200",
          expect.stringMatching(/^GET \/organizations\/\d+ 200$/),
          "POST /admin/teams 200",
          "GET /admin/teams 200"
        ])
        expect(requests.every((request) => request.authenticated)).toBe(true)
      }).pipe(
        Effect.provide(
          Emulator.layerServer({ port: 0 }).pipe(
            Layer.provideMerge(Emulator.layer({ token: quickstartToken, syncDelay: "200 millis" }))
          )
        )
      ),
    200_000
  )

  it("the README's Quick start is examples/quickstart.ts, imports aside", () => {
    const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8")
    const section = readme.slice(readme.indexOf("## Quick start"))
    const block = markdownBlocks(section)[0]?.code ?? ""
    const example = readFileSync(`${directory}quickstart.ts`, "utf8")
    // the example's header comment and its imports of the sources, against the README's imports of the package
    const body = (source: string) => source.replace(/^(\/\/.*\n)*/, "").replace(/^import .*\n/gm, "")
    expect(body(block)).toEqual(body(example))
    expect(block).toContain("NodeMakeApi.layerConfigOrEmulator()")
  })
})
