// effect/cli's usage errors, told as the Effect 3 command told them: an unknown subcommand with the group's own
// subcommands to choose from, "'abc' is not an integer", else the error's message. Floor "the command": effect only.
/**
 * How `effect-make` words a usage error on stderr, as pure functions over effect/cli's errors and the command tree.
 *
 * @since 1.0.0
 */
import type { CliError, Command } from "effect/cli"

/**
 * The commands as a usage error names them: each command's path (`effect-make orgs`) and its subcommands' names.
 *
 * @since 1.0.0
 * @category models
 */
export type Tree = ReadonlyMap<string, ReadonlyArray<string>>

/**
 * The tree of a command: every command that has subcommands, by its path, with their names.
 *
 * @example
 * ```ts
 * import { Command } from "effect/cli"
 * import * as HelpText from "effect-make/cli/HelpText"
 *
 * const tree = HelpText.treeOf(Command.make("tool").pipe(Command.withSubcommands([Command.make("run")])))
 * tree.get("tool") // ["run"]
 * ```
 *
 * @since 1.0.0
 * @category models
 */
export const treeOf = (command: Command.Command.Any): Tree => {
  const tree = new Map<string, ReadonlyArray<string>>()
  const walk = (node: Command.Command.Any, path: ReadonlyArray<string>): void => {
    const children = node.subcommands.flatMap((group) => group.commands)
    if (children.length === 0) return
    tree.set(path.join(" "), children.map((child) => child.name))
    for (const child of children) walk(child, [...path, child.name])
  }
  walk(command, [command.name])
  return tree
}

/**
 * The line for a word that names no subcommand of its group: the group's own subcommands, sorted.
 *
 * @example
 * ```ts
 * import * as HelpText from "effect-make/cli/HelpText"
 *
 * HelpText.unknownSubcommand("sett", ["effect-make", "features"], ["set", "list"])
 * // "Invalid subcommand 'sett' for effect-make features - use one of 'list', 'set'"
 * ```
 *
 * @since 1.0.0
 * @category messages
 */
export const unknownSubcommand = (
  word: string,
  path: ReadonlyArray<string>,
  choices: ReadonlyArray<string>
): string =>
  `Invalid subcommand '${word}' for ${path.join(" ")} - use one of ${
    [...choices].sort().map((name) => `'${name}'`).join(", ")
  }`

/**
 * The options before a command that take a value (the global ones and effect/cli's built-ins), so that their value is
 * not read as a command: `effect-make --zone orgs orgs get 11`.
 *
 * @since 1.0.0
 * @category models
 */
export const valueOptions: ReadonlySet<string> = new Set([
  "--token",
  "--zone",
  "--base-url",
  "--completions",
  "--log-level"
])

/**
 * The word of a command line that names no subcommand of the group it follows, with the path to that group, when there
 * is one: effect/cli lets `--help` win over it (`orgs frobnicate --help` shows orgs's help and exits 0), and the
 * Effect 3 command told the unknown word, exit 2, whatever else the line held.
 *
 * @example
 * ```ts
 * import * as HelpText from "effect-make/cli/HelpText"
 *
 * const tree: HelpText.Tree = new Map([["effect-make", ["orgs"]], ["effect-make orgs", ["get", "list"]]])
 * HelpText.unknownWord(tree, "effect-make", ["--json", "orgs", "frobnicate", "--help"])
 * // { word: "frobnicate", path: ["effect-make", "orgs"], choices: ["get", "list"] }
 * ```
 *
 * @since 1.0.0
 * @category parsing
 */
export const unknownWord = (
  tree: Tree,
  program: string,
  args: ReadonlyArray<string>
):
  | { readonly word: string; readonly path: ReadonlyArray<string>; readonly choices: ReadonlyArray<string> }
  | undefined =>
{
  const path = [program]
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? ""
    if (arg === "--") return undefined
    if (arg.startsWith("-")) {
      if (valueOptions.has(arg)) i++
      continue
    }
    const choices = tree.get(path.join(" "))
    // a leaf: the rest are its own arguments
    if (choices === undefined) return undefined
    if (!choices.includes(arg)) return { word: arg, path, choices }
    path.push(arg)
  }
  return undefined
}

/**
 * Whether an invalid value was refused as a number: every number `effect-make` takes is an integer (an id, a
 * count), whichever of effect/cli's messages ("a finite number", "an integer") the refusal carries.
 */
const refusedAsNumber = (expected: string): boolean => /finite number|integer/i.test(expected)

/**
 * One usage error as stderr shows it.
 *
 * @example
 * ```ts
 * import { CliError } from "effect/cli"
 * import * as HelpText from "effect-make/cli/HelpText"
 *
 * const error = new CliError.InvalidValue({
 *   option: "ORG_ID",
 *   value: "abc",
 *   expected: "a string representing a finite number",
 *   kind: "argument"
 * })
 * HelpText.usageError(new Map(), error) // "'abc' is not an integer"
 * ```
 *
 * @since 1.0.0
 * @category messages
 */
export const usageError = (tree: Tree, error: CliError.CliError): string => {
  if (error._tag === "UnknownSubcommand") {
    const path = error.parent ?? []
    const choices = tree.get(path.join(" "))
    if (choices !== undefined) return unknownSubcommand(error.subcommand, path, choices)
  }
  if (error._tag === "InvalidValue" && refusedAsNumber(error.expected)) return `'${error.value}' is not an integer`
  return error.message
}

/**
 * The usage errors of a command line as stderr shows them: one per line.
 *
 * @example
 * ```ts
 * import * as HelpText from "effect-make/cli/HelpText"
 *
 * HelpText.usageErrors(new Map(), []) // ""
 * ```
 *
 * @since 1.0.0
 * @category messages
 */
export const usageErrors = (tree: Tree, errors: ReadonlyArray<CliError.CliError>): string =>
  errors.map((error) => usageError(tree, error)).join("\n")
