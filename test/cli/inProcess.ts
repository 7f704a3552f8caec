// `effect-make` in process, as the command tests run it: `run(argv)` over an in-memory Output and an environment of
// the test's choosing (no MAKE_API_TOKEN unless given: the command reads its settings through Config).
import { NodeServices } from "@effect/platform-node"
import { ConfigProvider, Effect, Layer } from "effect"
import { run } from "../../src/cli/main.js"
import * as Output from "../../src/cli/Output.js"

/** How the command is run: its environment, and whether its output may be coloured and is a terminal. */
export interface Options {
  readonly env?: Record<string, string>
  readonly colour?: boolean
  readonly tty?: boolean
}

/** Runs `effect-make ...args` in process; answers the exit code and what it wrote on stdout and stderr. */
export const effectMake = (args: ReadonlyArray<string>, options?: Options) =>
  Effect.gen(function*() {
    const output = Output.makeMemory(options)
    const code = yield* run(["node", "effect-make", ...args]).pipe(
      Effect.provide(Layer.mergeAll(
        NodeServices.layer,
        output.layer,
        ConfigProvider.layer(ConfigProvider.fromEnv({ env: options?.env ?? {} }))
      ))
    )
    return { code, stdout: output.stdout(), stderr: output.stderr() }
  })
