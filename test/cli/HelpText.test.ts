// How `effect-make` words its usage errors and help (src/cli/HelpText.ts, over effect/cli): wherever global options
// come first, an unknown word in a group names that group's subcommands; usage names the program and the path; "an
// integer".
import { describe, expect, it } from "@effect/vitest"
import { Effect, Schema } from "effect"
import { CliError } from "effect/cli"
import * as HelpText from "../../src/cli/HelpText.js"
import { command } from "../../src/cli/main.js"
import { effectMake } from "./inProcess.js"

/**
 * Global options as a user may put them before the command: flags, `--option value` (a value that is also a command's
 * name among them), `--option=value`; each entry is split on its space.
 */
const Globals = Schema.Array(
  Schema.Literals([
    "--json",
    "--verbose",
    "--token orgs",
    "--token x",
    "--zone orgs",
    "--zone eu1.make.com",
    "--base-url x",
    "--token=orgs",
    "--zone=eu1.make.com"
  ])
).check(Schema.isMaxLength(4))

const orgsSubcommands = "'apps', 'create', 'delete', 'get', 'list', 'permission', 'update'"

describe("HelpText", () => {
  it.effect.prop(
    "after any global options, a group's subcommand is found and an unknown word names the group's subcommands",
    { options: Globals, word: Schema.Literals(["get", "list", "set", "frobnicate"]) },
    ({ options, word }) =>
      Effect.gen(function*() {
        const globals = options.flatMap((option) => option.split(" "))
        if (word === "get" || word === "list") {
          const help = yield* effectMake([...globals, "orgs", word, "--help"])
          expect(help.code).toBe(0)
          expect(help.stdout).toMatch(new RegExp(`^  effect-make orgs ${word} \\[flags\\]`, "m"))
          return
        }
        // with --help too (effect/cli alone would show orgs's help and exit 0)
        for (const help of [[], ["--help"]]) {
          const unknown = yield* effectMake([...globals, "orgs", word, ...help])
          expect([unknown.code, unknown.stdout, unknown.stderr.trim()]).toEqual([
            2,
            "",
            `Invalid subcommand '${word}' for effect-make orgs - use one of ${orgsSubcommands}`
          ])
        }
      }),
    { arbitrary: { runs: 40 } }
  )

  it.effect("names the group's own subcommands, and the top-level commands at the top", () =>
    Effect.gen(function*() {
      const tree = HelpText.treeOf(command)
      expect(tree.get("effect-make features")).toEqual(["list", "set"])
      expect(HelpText.unknownSubcommand("sett", ["effect-make", "features"], tree.get("effect-make features") ?? []))
        .toBe("Invalid subcommand 'sett' for effect-make features - use one of 'list', 'set'")
      const sett = yield* effectMake(["features", "sett"])
      expect([sett.code, sett.stderr.trim()]).toEqual([
        2,
        "Invalid subcommand 'sett' for effect-make features - use one of 'list', 'set'"
      ])
      // a leaf's own arguments are its own: a value that is no command, after a leaf, is not a subcommand
      expect(HelpText.unknownWord(tree, "effect-make", ["orgs", "permission", "11", "scenario add", "--help"]))
        .toBeUndefined()
      expect(HelpText.unknownWord(tree, "effect-make", ["--", "frobnicate"])).toBeUndefined()
      const top = yield* effectMake(["frobnicate"])
      expect([top.code, top.stderr.trim()]).toEqual([
        2,
        "Invalid subcommand 'frobnicate' for effect-make - use one of 'apply', 'billing', 'decommission', " +
        "'emulator', 'features', 'invitations', 'mcp', 'openapi', 'orgs', 'provision', 'teams', 'usage', 'vars'"
      ])
    }))

  it.effect("names the program and the path in a subcommand's usage; <on|off> once; --team optional; 'an integer'", () =>
    Effect.gen(function*() {
      const get = yield* effectMake(["orgs", "get", "--help"])
      expect(get.stdout).toMatch(/^ {2}effect-make orgs get \[flags\] <ORG_ID>$/m)
      const set = yield* effectMake(["features", "set", "--help"])
      expect(set.stdout).toMatch(/^ {2}effect-make features set \[flags\] <ORG_ID> <FEATURE_ID> <on\|off>$/m)
      expect(set.stdout).not.toContain("on | off")
      const invited = yield* effectMake(["invitations", "invite", "11", "--email", "fox@example.com", "--name", "Fox"])
      expect(invited.code).toBe(0)
      const abc = yield* effectMake(["orgs", "get", "abc"])
      expect([abc.code, abc.stderr.trim()]).toEqual([2, "'abc' is not an integer"])
      const half = yield* effectMake(["orgs", "list", "--limit", "1.5"])
      expect([half.code, half.stderr.trim()]).toEqual([2, "'1.5' is not an integer"])
      // effect/cli's other usage errors keep their own words
      const missing = new CliError.MissingOption({ option: "name" })
      expect(HelpText.usageError(HelpText.treeOf(command), missing)).toBe(missing.message)
    }))
})
