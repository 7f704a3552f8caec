// The `effect-make` command: the command tree, `run(argv)` answering an exit code (for tests), and `main(argv)`, which
// the binary (./bin.ts) calls. Floor 6, the top: imports cli/ and everything below; only ./bin.ts imports it.
/**
 * @since 0.1.0
 */
import { Command, CommandDescriptor, ValidationError } from "@effect/cli"
import { NodeContext, NodeRuntime } from "@effect/platform-node"
import type { Console } from "effect"
import { Effect, HashMap, HashSet, Layer } from "effect"
import * as AccountCommands from "./AccountCommands.js"
import * as EmulatorCommand from "./EmulatorCommand.js"
import * as ExitCode from "./ExitCode.js"
import * as Global from "./Global.js"
import * as HelpText from "./HelpText.js"
import * as OrganizationCommands from "./OrganizationCommands.js"
import * as Output from "./Output.js"
import * as WorkflowCommands from "./WorkflowCommands.js"

const subcommands = [
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
] as const

/**
 * Every command, under the global options.
 *
 * @since 0.1.0
 * @category commands
 */
export const command = Global.root.pipe(
  Command.withDescription("The Make API from a shell: real Make with a token, else the embedded emulator"),
  Command.withSubcommands(subcommands)
)

const name = "effect-make"
const cli = Command.run(command, { name, version: "0.1.0" })

/** A top-level command's name, and its subcommands' when it is a group (@effect/cli answers a leaf itself). */
const entryOf = (descriptor: CommandDescriptor.Command<unknown>) => {
  const own = HashSet.values(CommandDescriptor.getNames(descriptor)).next().value ?? ""
  // sorted: @effect/cli's map keeps no order
  const names = [...HashMap.keys(CommandDescriptor.getSubcommands(descriptor))].sort()
  return { own, subcommands: names.length === 1 && names[0] === own ? undefined : names }
}
const entries = subcommands.map((child) => entryOf(child.descriptor))

/** The commands as {@link HelpText.locate} walks them. */
const tree: HelpText.Tree = {
  program: name,
  commands: entries.map((entry) => entry.own),
  groups: new Map(entries.flatMap((entry) => entry.subcommands === undefined ? [] : [[entry.own, entry.subcommands]])),
  // the global options that take a value (Global.options) and @effect/cli's built-ins that do
  valueOptions: new Set(["--token", "--zone", "--base-url", "--completions", "--log-level"])
}

// The ANSI escapes @effect/cli's help and usage errors carry; stripped unless the output may colour.

const ansi = /\u001b\[[0-9;]*m/g

/**
 * Routes @effect/cli's own printing (help, completions, usage errors) through {@link Output.Output}, without colour
 * unless the output may colour (a TTY, no `NO_COLOR`), corrected by {@link HelpText.correct} for the command `path`.
 */
const withOutputConsole = <A, E, R>(
  path: ReadonlyArray<string>,
  effect: Effect.Effect<A, E, R>
): Effect.Effect<A, E, R | Output.Output> =>
  Effect.gen(function*() {
    const output = yield* Output.Output
    const base = yield* Effect.console
    const text = (args: ReadonlyArray<unknown>) => {
      const joined = HelpText.correct(tree, path, args.map(String).join(" "))
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
  Effect.suspend((): Effect.Effect<ExitCode.ExitCode, never, NodeContext.NodeContext | Output.Output> => {
    const located = HelpText.locate(tree, argv.slice(2))
    // @effect/cli would answer an unknown subcommand of a group with the list of the top-level commands
    if (located.unknown !== undefined) {
      return Effect.as(Output.stderr(HelpText.unknownSubcommand(tree, located)), ExitCode.ExitCode.usage)
    }
    return withOutputConsole(located.path, cli(argv)).pipe(
      Effect.as(ExitCode.ExitCode.ok),
      Effect.catchAll((error) =>
        error instanceof Global.Exit
          ? Effect.succeed(error.code)
          : ValidationError.isValidationError(error)
          ? Effect.succeed(ExitCode.ExitCode.usage)
          : Effect.succeed(ExitCode.ExitCode.failed)
      )
    )
  })

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
