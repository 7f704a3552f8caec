// Corrections to what @effect/cli 0.77 prints for us, as pure functions over its text and the command line: the
// program name in a subcommand's usage, "an integer", and an unknown subcommand of a group. Floor 6: imports nothing.
/**
 * @since 0.1.0
 */

/**
 * The commands as the command line walks them: the top-level names, each group's subcommands (a leaf has none), and
 * the options that take a value (so that their value is not read as a command).
 *
 * @since 0.1.0
 * @category models
 */
export interface Tree {
  readonly program: string
  readonly commands: ReadonlyArray<string>
  readonly groups: ReadonlyMap<string, ReadonlyArray<string>>
  readonly valueOptions: ReadonlySet<string>
}

/**
 * Where a command line points: the commands named (`["orgs", "get"]`), and the word that names no subcommand of the
 * group it follows (`orgs frobnicate`), when there is one.
 *
 * @since 0.1.0
 * @category models
 */
export interface Located {
  readonly path: ReadonlyArray<string>
  readonly unknown?: { readonly word: string; readonly choices: ReadonlyArray<string> } | undefined
}

/**
 * Walks the arguments (without the two leading `process.argv` entries) to the command they name. An unknown word at
 * the top is left to @effect/cli, which already names the top-level commands.
 *
 * @since 0.1.0
 * @category parsing
 */
export const locate = (tree: Tree, args: ReadonlyArray<string>): Located => {
  const path: Array<string> = []
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? ""
    if (arg === "--") break
    if (arg.startsWith("-")) {
      if (tree.valueOptions.has(arg)) i++
      continue
    }
    const group = path[0] === undefined ? undefined : tree.groups.get(path[0])
    if (path.length === 0) {
      if (!tree.commands.includes(arg)) break
      path.push(arg)
      if (!tree.groups.has(arg)) break
      continue
    }
    if (group === undefined) break
    if (!group.includes(arg)) return { path, unknown: { word: arg, choices: group } }
    path.push(arg)
    break
  }
  return { path }
}

/**
 * The usage error for a word that names no subcommand of its group: the group's own subcommands (@effect/cli lists
 * the top-level ones).
 *
 * @since 0.1.0
 * @category messages
 */
export const unknownSubcommand = (tree: Tree, located: Located): string =>
  located.unknown === undefined
    ? ""
    : `Invalid subcommand '${located.unknown.word}' for ${[tree.program, ...located.path].join(" ")} - use one of ${
      located.unknown.choices.map((name) => `'${name}'`).join(", ")
    }`

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")

/**
 * @effect/cli's text, corrected: a subcommand's usage lines (`$ get [--wait] <ORG_ID>`) start with the program and
 * the path to it (`$ effect-make orgs get ...`), and "a integer" reads "an integer".
 *
 * @since 0.1.0
 * @category messages
 */
export const correct = (tree: Tree, path: ReadonlyArray<string>, text: string): string => {
  const last = path[path.length - 1]
  const named = last === undefined
    ? text
    : text.replace(
      new RegExp(`^\\$ ((?:\\u001b\\[[0-9;]*m)*)${escape(last)}(?=[\\s\\u001b]|$)`, "gm"),
      (_match, escapes: string) => `$ ${escapes}${[tree.program, ...path].join(" ")}`
    )
  return named.replace(/\b([Aa]) integer\b/g, "$1n integer")
}
