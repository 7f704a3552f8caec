// The `effect-make` command: the command tree, `run(argv)` answering an exit code (for tests), and `main(argv)`, which
// the binary (./bin.ts) calls. Floor 6, the top: imports cli/ and everything below; only ./bin.ts imports it.
/**
 * @since 0.1.0
 */
import { Command, ValidationError } from "@effect/cli"
import { NodeContext, NodeRuntime } from "@effect/platform-node"
import type { Console } from "effect"
import { Effect, Layer } from "effect"
import * as AccountCommands from "./AccountCommands.js"
import * as EmulatorCommand from "./EmulatorCommand.js"
import * as ExitCode from "./ExitCode.js"
import * as Global from "./Global.js"
import * as OrganizationCommands from "./OrganizationCommands.js"
import * as Output from "./Output.js"
import * as WorkflowCommands from "./WorkflowCommands.js"

/**
 * Every command, under the global options.
 *
 * @since 0.1.0
 * @category commands
 */
export const command = Global.root.pipe(
  Command.withDescription("The Make API from a shell: real Make with a token, else the embedded emulator"),
  Command.withSubcommands([
    OrganizationCommands.orgs,
    OrganizationCommands.teams,
    AccountCommands.vars,
    OrganizationCommands.invitations,
    AccountCommands.billing,
    AccountCommands.usage,
    AccountCommands.features,
    ...WorkflowCommands.commands,
    EmulatorCommand.emulator,
    EmulatorCommand.openapi
  ])
)

const cli = Command.run(command, { name: "effect-make", version: "0.1.0" })

// The ANSI escapes @effect/cli's help and usage errors carry; stripped unless the output may colour.

const ansi = /\u001b\[[0-9;]*m/g

/**
 * Routes @effect/cli's own printing (help, completions, usage errors) through {@link Output.Output}, without colour
 * unless the output may colour (a TTY, no `NO_COLOR`).
 */
const withOutputConsole = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R | Output.Output> =>
  Effect.gen(function*() {
    const output = yield* Output.Output
    const base = yield* Effect.console
    const text = (args: ReadonlyArray<unknown>) => {
      const joined = args.map(String).join(" ")
      return output.colour ? joined : joined.replace(ansi, "")
    }
    const console: Console.Console = {
      ...base,
      log: (...args) => output.stdout(text(args)),
      error: (...args) => output.stderr(text(args))
    }
    return yield* Effect.withConsole(effect, console)
  })

/**
 * Runs the command on `argv` (shaped as `process.argv`: two leading entries, then the arguments) and answers its exit
 * code; output goes through {@link Output.Output}.
 *
 * @since 0.1.0
 * @category running
 */
export const run = (
  argv: ReadonlyArray<string>
): Effect.Effect<ExitCode.ExitCode, never, NodeContext.NodeContext | Output.Output> =>
  withOutputConsole(cli(argv)).pipe(
    Effect.as(ExitCode.ExitCode.ok),
    Effect.catchAll((error) =>
      error instanceof Global.Exit
        ? Effect.succeed(error.code)
        : ValidationError.isValidationError(error)
        ? Effect.succeed(ExitCode.ExitCode.usage)
        : Effect.succeed(ExitCode.ExitCode.failed)
    )
  )

/**
 * Runs the command as the process: `argv` is `process.argv`, the exit code goes to `process.exitCode`.
 *
 * @since 0.1.0
 * @category running
 */
export const main = (argv: ReadonlyArray<string>): void =>
  run(argv).pipe(
    Effect.flatMap((code) => Effect.sync(() => void (process.exitCode = code))),
    Effect.provide(Layer.merge(NodeContext.layer, Output.layerProcess)),
    NodeRuntime.runMain({ disableErrorReporting: true })
  )
