// The `effect-make` command: the command tree, `run(argv)` answering an exit code (for tests), and `main(argv)`, which
// the binary (./bin.ts) calls. Floor "the command": src/, effect, @effect/platform-node; only ./bin.ts imports it.
/**
 * The `effect-make` command on Effect 4's `effect/cli`: organizations, teams, variables, invitations, billing, usage
 * and feature controls; the workflows (`provision [--plan]`, `decommission`, and `apply` for a fleet of specs); the
 * emulator on a port (`emulator`) and the OpenAPI document of the contract (`openapi`).
 *
 * @since 1.0.0
 */
import { NodeRuntime, NodeServices } from "@effect/platform-node"
import { Cause, Console, Effect, Exit, Layer, Runtime } from "effect"
import { CliError, CliOutput, Command } from "effect/cli"
import * as AccountCommands from "./AccountCommands.js"
import * as ApplyCommand from "./ApplyCommand.js"
import * as EmulatorCommand from "./EmulatorCommand.js"
import * as ExitCode from "./ExitCode.js"
import * as Global from "./Global.js"
import * as HelpText from "./HelpText.js"
import * as McpCommand from "./McpCommand.js"
import * as OrganizationCommands from "./OrganizationCommands.js"
import * as Output from "./Output.js"
import * as WorkflowCommands from "./WorkflowCommands.js"

/**
 * Every command, under the global options.
 *
 * @since 1.0.0
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
    ApplyCommand.apply,
    EmulatorCommand.emulator,
    McpCommand.mcp,
    EmulatorCommand.openapi
  ])
)

const cli = Command.runWith(command, { version: Global.version })

/** The commands, as a usage error names a group's subcommands. */
const tree = HelpText.treeOf(command)

/**
 * effect/cli's printing through {@link Output.Output}: help and the version (alone) on stdout, coloured only when the output
 * may; a usage error as its message alone on stderr (as the Effect 3 command printed it: the help stays one
 * `--help` away, so that the error is not lost above a screen of help).
 */
const presenter = (output: Output.Service): CliOutput.Presenter => {
  const formatter = CliOutput.defaultFormatter({ colors: output.colour })
  return {
    present: (event) => {
      switch (event._tag) {
        case "Help":
          return output.stdout(formatter.formatHelpDoc(event.helpDoc))
        case "InvalidInvocation":
          return output.stderr(HelpText.usageErrors(tree, event.errors))
        case "Version":
          // the version alone, as the Effect 3 command printed it: what a script compares
          return output.stdout(event.version)
      }
    }
  }
}

/** The exit code of what the run failed with: a usage error is 2, a command's error was told already. */
const exitCodeOf = (error: unknown): ExitCode.ExitCode =>
  error instanceof Global.Exit
    ? error.code
    : CliError.isCliError(error)
    // help asked for implicitly (a group named without a subcommand) is no error
    ? (error._tag === "ShowHelp" && error.errors.length === 0 ? ExitCode.ExitCode.ok : ExitCode.ExitCode.usage)
    : ExitCode.ExitCode.failed

/**
 * Runs the command on `argv` (shaped as `process.argv`: two leading entries, then the arguments) and answers its exit
 * code; output goes through {@link Output.Output}.
 *
 * @example
 * ```ts
 * import { NodeServices } from "@effect/platform-node"
 * import { Effect, Layer } from "effect"
 * import { run } from "effect-make/cli/main"
 * import * as Output from "effect-make/cli/Output"
 *
 * const memory = Output.makeMemory()
 * const code = run(["node", "effect-make", "--json", "orgs", "get", "11"]).pipe(
 *   Effect.provide(Layer.merge(NodeServices.layer, memory.layer))
 * )
 * ```
 *
 * @since 1.0.0
 * @category running
 */
export const run = (
  argv: ReadonlyArray<string>
): Effect.Effect<ExitCode.ExitCode, never, NodeServices.NodeServices | Output.Output> =>
  Effect.gen(function*() {
    const output = yield* Effect.service(Output.Output)
    // effect/cli's own lines that bypass the presenter (none expected) still reach the chosen streams
    const console: Console.Console = {
      ...(yield* Effect.service(Console.Console)),
      log: (...args) => Effect.runSync(output.stdout(args.map(String).join(" "))),
      error: (...args) => Effect.runSync(output.stderr(args.map(String).join(" ")))
    }
    const args = argv.slice(2)
    // effect/cli would answer `orgs frobnicate --help` with orgs's help; the typo is the answer
    const unknown = args.some((arg) => arg === "--help" || arg === "-h")
      ? HelpText.unknownWord(tree, command.name, args)
      : undefined
    if (unknown !== undefined) {
      yield* output.stderr(HelpText.unknownSubcommand(unknown.word, unknown.path, unknown.choices))
      return ExitCode.ExitCode.usage
    }
    return yield* cli(args).pipe(
      Effect.as(ExitCode.ExitCode.ok),
      Effect.catch((error) => Effect.succeed(exitCodeOf(error))),
      Effect.provideService(CliOutput.Presenter, presenter(output)),
      Effect.provideService(Console.Console, console)
    )
  })

/**
 * Runs the command as the process: `argv` is `process.argv`, the exit code goes to `process.exitCode`.
 *
 * @example
 * ```ts
 * import { main } from "effect-make/cli/main"
 *
 * main(process.argv)
 * ```
 *
 * @since 1.0.0
 * @category running
 */
export const main = (argv: ReadonlyArray<string>): void =>
  run(argv).pipe(
    Effect.flatMap((code) => Effect.sync(() => void (process.exitCode = code))),
    Effect.provide(Layer.merge(NodeServices.layer, Output.layerProcess)),
    NodeRuntime.runMain({ disableErrorReporting: true, teardown })
  )

/**
 * A run stopped by SIGINT or SIGTERM exits 0, as on Effect 3: Ctrl-C is how `effect-make emulator` ends, after its
 * graceful shutdown ("Emulator stopped."), and a script stopping it expects success (Effect 4's default is 130).
 */
const teardown: Runtime.Teardown = (exit, onExit) =>
  Exit.isFailure(exit) && Cause.hasInterruptsOnly(exit.cause) ? onExit(0) : Runtime.defaultTeardown(exit, onExit)
